//! Client tests with closure transports and `transport::Replay`: no sockets.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use jiff::civil::date;
use transport::{
    Exchange, ExpectedRequest, RecordedResponse, Replay, TimeoutPhase, TransportError,
};

use super::*;
use crate::neutral::{
    AddCustomerNote, AppointmentBooking, AppointmentKind, BookAppointment, CustomerNotes,
    CustomerRef, NoteKind,
};
use crate::{Error, Fate, RetryConfig, Retrying, ServiceError};

const PASSWORD: &str = "s3cret-pa55";
const AUTH_OK: (&str, bool, &str) = (
    "GetSystemAuthentication",
    true,
    "<message>Authenticated To System</message>",
);

fn endpoint() -> Endpoint {
    Endpoint::new("https://crm.example.com", "acme").unwrap()
}

fn credentials() -> Credentials {
    Credentials::new("api-user", PASSWORD, "77")
}

fn fast_retries() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(3)
        .with_initial_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(50))
}

/// A response document of `(type, success, data)` parts.
fn document(parts: &[(&str, bool, &str)]) -> String {
    let responses: String = parts
        .iter()
        .map(|(kind, success, data)| {
            format!(r#"<response type="{kind}" success="{success}"><data>{data}</data></response>"#)
        })
        .collect();
    format!("<?xml version='1.0'?><root><responses>{responses}</responses></root>")
}

/// `error` and its sources, as a user printing the whole chain sees them.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn ok(body: String) -> Result<Response<Bytes>, TransportError> {
    Ok(Response::new(Bytes::from(body)))
}

fn status(code: u16, body: &'static str) -> Result<Response<Bytes>, TransportError> {
    let mut response = Response::new(Bytes::from_static(body.as_bytes()));
    *response.status_mut() = StatusCode::from_u16(code).unwrap();
    Ok(response)
}

/// A transport answering `results` in turn (the last one forever) and
/// keeping every request.
struct Scripted {
    results: Vec<Result<Response<Bytes>, TransportError>>,
    requests: Mutex<Vec<Request<Bytes>>>,
}

impl Scripted {
    fn new(results: Vec<Result<Response<Bytes>, TransportError>>) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            results,
            requests: Mutex::new(Vec::new()),
        })
    }

    fn sent(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn bodies(&self) -> Vec<String> {
        let requests = self.requests.lock().unwrap();
        requests
            .iter()
            .map(|r| String::from_utf8_lossy(r.body()).into_owned())
            .collect()
    }
}

impl transport::Transport for Scripted {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl std::future::Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        let mut requests = self.requests.lock().unwrap();
        let index = requests.len().min(self.results.len() - 1);
        requests.push(request);
        let result = match &self.results[index] {
            Ok(response) => {
                let mut copy = Response::new(response.body().clone());
                *copy.status_mut() = response.status();
                *copy.headers_mut() = response.headers().clone();
                Ok(copy)
            }
            Err(error) => Err(error.clone()),
        };
        std::future::ready(result)
    }
}

/// A client over `transport` with the transport's retry policy on a fast
/// schedule: the tests check the whole contract (the client's tags, the
/// policy's decisions).
fn client(transport: std::sync::Arc<Scripted>) -> Client<Retrying<std::sync::Arc<Scripted>>> {
    Client::new(
        endpoint(),
        credentials(),
        Retrying::new(transport, fast_retries()),
    )
}

fn note() -> CreateCustomerNote {
    CreateCustomerNote::new(
        "9710",
        "Yard sign",
        "Wants a new yard sign",
        NoteType::Sales,
    )
}

fn exchange(path: &str, body_contains: &str, response: String) -> Exchange {
    Exchange::response(
        ExpectedRequest {
            method: "POST".into(),
            path: path.into(),
            body_contains: Some(body_contains.into()),
            ..ExpectedRequest::default()
        },
        RecordedResponse {
            status: 200,
            body: response,
            ..RecordedResponse::default()
        },
    )
}

const POSTER: &str = "/acme/informationposter.php";
const REQUESTER: &str = "/acme/informationrequester.php";

#[tokio::test]
async fn every_operation_returns_its_typed_result() {
    let customer = "<Customer><ID>9710</ID><FirstName>Pat</FirstName><LastName>Doe</LastName>\
                    <Phone1>5555550100</Phone1><SecurityTraxUniqueID>9710</SecurityTraxUniqueID></Customer>";
    let replay = Replay::new(vec![
        exchange(
            POSTER,
            "CreateCustomerNoteBySecurityTraxUniqueID",
            document(&[
                AUTH_OK,
                ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
            ]),
        ),
        exchange(
            POSTER,
            ">01/23/2014 7:30<",
            document(&[
                AUTH_OK,
                (
                    "CreateTechScheduleBySecurityTraxUniqueID",
                    true,
                    "<ConfirmationStatusName>Not Confirmed</ConfirmationStatusName>",
                ),
            ]),
        ),
        exchange(
            REQUESTER,
            "GetIfAppointmentAvailableByLocationInfo",
            document(&[
                AUTH_OK,
                (
                    "GetIfAppointmentAvailableByLocationInfo",
                    true,
                    "<available>yes</available>",
                ),
            ]),
        ),
        exchange(
            REQUESTER,
            "AllAccess-GetCustomerStatusBySecurityTraxUniqueID",
            document(&[
                AUTH_OK,
                (
                    "AllAccess-GetCustomerStatusBySecurityTraxUniqueID",
                    true,
                    customer,
                ),
            ]),
        ),
        exchange(
            REQUESTER,
            ">PhoneNumber<",
            document(&[
                AUTH_OK,
                (
                    "AllAccess-GetSecurityTraxUniqueID",
                    true,
                    "<SecurityTraxUniqueID>2237</SecurityTraxUniqueID>",
                ),
            ]),
        ),
        exchange(
            POSTER,
            ">206<",
            document(&[
                AUTH_OK,
                (
                    "UpdateConfirmationNumberBySecurityTraxUniqueID",
                    true,
                    "<message>Successfully set customer Receiver Number: 206</message>",
                ),
            ]),
        ),
    ])
    .unwrap();
    let client = Client::new(endpoint(), credentials(), &replay);

    client.add_customer_note(note()).await.unwrap();
    let start = date(2014, 1, 23).at(7, 30, 0, 0);
    let end = date(2014, 1, 23).at(9, 0, 0, 0);
    let created = client
        .create_tech_schedule(CreateTechSchedule::new(
            "9710",
            start,
            end,
            ServiceType::Install,
        ))
        .await
        .unwrap();
    assert_eq!(
        created.confirmation_status_name.as_deref(),
        Some("Not Confirmed")
    );
    let mut query = GetAppointmentAvailability::new(start, end);
    query.zip = Some("62701".into());
    let availability = client.appointment_availability(query).await.unwrap();
    assert_eq!(availability.available, Some(true));
    let record = client.customer_status("9710").await.unwrap();
    assert_eq!(record.last_name.as_deref(), Some("Doe"));
    assert_eq!(record.phone1.as_deref(), Some("5555550100"));
    assert_eq!(
        client
            .find_unique_id(IdType::PhoneNumber, "5555550100")
            .await
            .unwrap(),
        "2237"
    );
    let updated = client
        .update_confirmation_number("9710", "206")
        .await
        .unwrap();
    assert_eq!(
        updated.message.as_deref(),
        Some("Successfully set customer Receiver Number: 206")
    );
    assert!(replay.is_finished());
    for request in replay.received() {
        assert_eq!(request.headers()["content-type"], "text/xml; charset=utf-8");
    }
}

#[tokio::test]
async fn invalid_input_lists_every_error_and_sends_nothing() {
    let transport = Scripted::new(vec![ok(String::new())]);
    let client = client(transport.clone());
    let mut bad = CreateCustomerNote::new("97x0", " ", "text", NoteType::Sales);
    bad.user_id = Some("u1".into());
    let error = client.add_customer_note(bad.clone()).await.unwrap_err();
    let Error::InvalidInput(errors) = &error else {
        panic!("expected invalid input, got {error:?}");
    };
    let fields: Vec<&str> = errors.for_record(0).map(|e| e.field.as_ref()).collect();
    assert_eq!(fields, ["SecurityTraxUniqueID", "NoteSubject", "UserID"]);
    assert!(
        error
            .to_string()
            .starts_with("invalid input, nothing was sent: 3 validation errors")
    );
    assert!(!error.is_retry_safe() && !error.outcome_unknown());

    // In a batch, errors name each operation's position; nothing is sent.
    let error = client
        .batch()
        .customer_status("9710")
        .add_note(bad)
        .update_confirmation_number("", "1")
        .send()
        .await
        .unwrap_err();
    let Error::InvalidInput(errors) = &error else {
        panic!("expected invalid input, got {error:?}");
    };
    assert_eq!(errors.for_record(0).count(), 0);
    assert_eq!(errors.for_record(1).count(), 3);
    assert_eq!(errors.for_record(2).count(), 1);
    assert!(matches!(
        client.batch().send().await,
        Err(Error::InvalidInput(_))
    ));
    assert!(client.batch().prepare().is_err());
    assert_eq!(transport.sent(), 0);
}

#[tokio::test]
async fn authentication_failure_is_its_own_error() {
    let transport = Scripted::new(vec![ok(document(&[
        (
            "GetSystemAuthentication",
            false,
            "<message>Invalid Login</message>",
        ),
        (
            "AllAccess-GetCustomerStatusBySecurityTraxUniqueID",
            false,
            "<message>not executed</message>",
        ),
    ]))]);
    let error = client(transport.clone())
        .customer_status("9710")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Authentication { .. }), "{error:?}");
    assert_eq!(
        error.service_error().map(ServiceError::messages),
        Some(vec!["message: Invalid Login".to_owned()])
    );
    assert_eq!(error.fate(), Fate::Answered);
    assert_eq!(
        transport.sent(),
        1,
        "an authentication failure is not retried"
    );

    // The reads' document fails: the writes' document is never sent.
    let transport = Scripted::new(vec![ok(document(&[(
        "GetSystemAuthentication",
        false,
        "<message>Invalid Login</message>",
    )]))]);
    let error = client(transport.clone())
        .batch()
        .add_note(note())
        .customer_status("9710")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Authentication { .. }), "{error:?}");
    assert_eq!(transport.sent(), 1);
    assert!(transport.bodies()[0].contains("AllAccess-GetCustomerStatusBySecurityTraxUniqueID"));
}

#[tokio::test]
async fn a_refused_operation_carries_the_service_texts() {
    let transport = Scripted::new(vec![ok(document(&[
        AUTH_OK,
        (
            "CreateCustomerNoteBySecurityTraxUniqueID",
            false,
            "<message>Customer not found</message><error>SecurityTraxUniqueID 9710</error>",
        ),
    ]))]);
    let error = client(transport)
        .add_customer_note(note())
        .await
        .unwrap_err();
    let Error::Refused {
        service: ServiceError::SecurityTrax(failure),
    } = &error
    else {
        panic!("expected a refused operation, got {error:?}");
    };
    assert_eq!(failure.request_type, Some(RequestType::CreateCustomerNote));
    let texts: Vec<(&str, &str)> = failure
        .texts
        .iter()
        .map(|t| (t.element.as_str(), t.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("message", "Customer not found"),
            ("error", "SecurityTraxUniqueID 9710")
        ]
    );
    assert!(!error.is_retry_safe() && !error.outcome_unknown());
}

#[tokio::test(start_paused = true)]
async fn a_write_whose_connection_broke_is_sent_once_and_of_unknown_outcome() {
    let transport = Scripted::new(vec![
        Err(TransportError::maybe_received(
            "connection closed before message completed",
        )),
        ok(document(&[
            AUTH_OK,
            ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
        ])),
    ]);
    let error = client(transport.clone())
        .add_customer_note(note())
        .await
        .unwrap_err();
    assert_eq!(transport.sent(), 1);
    assert!(matches!(error, Error::OutcomeUnknown(_)), "{error:?}");
    assert!(error.outcome_unknown() && !error.is_retry_safe());
    assert!(
        error
            .to_string()
            .contains("check the CRM before sending it again")
    );
}

#[tokio::test(start_paused = true)]
async fn a_read_whose_connection_broke_is_retried() {
    let transport = Scripted::new(vec![
        Err(TransportError::maybe_received("reset")),
        ok(document(&[
            AUTH_OK,
            (
                "AllAccess-GetSecurityTraxUniqueID",
                true,
                "<SecurityTraxUniqueID>2237</SecurityTraxUniqueID>",
            ),
        ])),
    ]);
    let id = client(transport.clone())
        .find_unique_id(IdType::AccountNumber, "A-1")
        .await
        .unwrap();
    assert_eq!(id, "2237");
    assert_eq!(transport.sent(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_unsent_write_is_retried_up_to_the_policy_then_reported_safe_to_retry() {
    let refused = Err(TransportError::not_sent("connection refused"));
    let transport = Scripted::new(vec![refused]);
    let error = client(transport.clone())
        .add_customer_note(note())
        .await
        .unwrap_err();
    assert_eq!(transport.sent(), 3);
    assert!(matches!(error, Error::NotSent(_)), "{error:?}");
    assert!(error.is_retry_safe());
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert!(chain(&error).contains("connection refused"), "{error:?}");

    let transport = Scripted::new(vec![
        Err(TransportError::not_sent("connection refused")),
        ok(document(&[
            AUTH_OK,
            ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
        ])),
    ]);
    client(transport.clone())
        .add_customer_note(note())
        .await
        .unwrap();
    assert_eq!(transport.sent(), 2);
}

#[tokio::test(start_paused = true)]
async fn server_errors_retry_reads_but_not_writes() {
    let unavailable = status(503, "<html><body>Service Unavailable</body></html>");
    let transport = Scripted::new(vec![unavailable.clone_response()]);
    let error = client(transport.clone())
        .add_customer_note(note())
        .await
        .unwrap_err();
    assert_eq!(transport.sent(), 1);
    assert!(
        matches!(
            &error,
            Error::HttpStatus {
                status: 503,
                service: None,
                body_excerpt,
                may_have_executed: true
            } if body_excerpt == "<html><body>Service Unavailable</body></html>"
        ),
        "{error:?}"
    );
    assert!(error.outcome_unknown());

    let transport = Scripted::new(vec![
        unavailable.clone_response(),
        ok(document(&[
            AUTH_OK,
            (
                "AllAccess-GetSecurityTraxUniqueID",
                true,
                "<SecurityTraxUniqueID>2237</SecurityTraxUniqueID>",
            ),
        ])),
    ]);
    let id = client(transport.clone())
        .find_unique_id(IdType::AccountNumber, "A-1")
        .await
        .unwrap();
    assert_eq!((id.as_str(), transport.sent()), ("2237", 2));

    let transport = Scripted::new(vec![unavailable]);
    let error = client(transport.clone())
        .customer_status("9710")
        .await
        .unwrap_err();
    assert_eq!(transport.sent(), 3, "bounded by the policy");
    assert!(matches!(
        error,
        Error::HttpStatus {
            status: 503,
            may_have_executed: false,
            ..
        }
    ));
    assert!(!error.outcome_unknown());
}

#[tokio::test]
async fn an_undecodable_answer_is_a_protocol_error() {
    let transport = Scripted::new(vec![ok("this is not XML".into())]);
    let error = client(transport)
        .update_confirmation_number("9710", "206")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Unreadable {
                may_have_executed: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.outcome_unknown());

    let transport = Scripted::new(vec![ok(document(&[
        AUTH_OK,
        ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
        ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
    ]))]);
    let error = client(transport).customer_status("9710").await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Unreadable {
                detail,
                may_have_executed: false,
                ..
            } if detail == "expected 2 responses (authentication plus one per operation), found 3"
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_missing_answer_is_a_failed_operation_of_unknown_outcome_for_writes_only() {
    let transport = Scripted::new(vec![ok(document(&[AUTH_OK]))]);
    let error = client(transport).customer_status("9710").await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Unreadable {
                may_have_executed: false,
                source: Some(source),
                ..
            } if source.downcast_ref::<OperationFailure>()
                == Some(&OperationFailure::no_response(RequestType::GetCustomerStatus))
        ),
        "{error:?}"
    );
    assert!(!error.outcome_unknown(), "a read changes nothing");

    let transport = Scripted::new(vec![ok(document(&[AUTH_OK]))]);
    let error = client(transport.clone())
        .add_customer_note(note())
        .await
        .unwrap_err();
    assert_eq!(transport.sent(), 1, "never resent");
    assert!(
        matches!(
            &error,
            Error::Unreadable {
                may_have_executed: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.outcome_unknown() && !error.is_retry_safe());
    assert!(
        error
            .to_string()
            .ends_with("check the CRM before sending it again)"),
        "{error}"
    );
}

#[tokio::test]
async fn one_unreadable_answer_in_a_batch_keeps_the_other_results() {
    let transport = Scripted::new(vec![ok(document(&[
        AUTH_OK,
        (
            "UpdateConfirmationNumberBySecurityTraxUniqueID",
            true,
            "<message>Successfully set customer Receiver Number: 206</message>",
        ),
        ("AllAccess-GetSecurityTraxUniqueID", true, ""),
        ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
    ]))]);
    let client = client(transport.clone());
    let mut batch = client.batch();
    let updated = batch.push(UpdateConfirmationNumber {
        security_trax_unique_id: "9710".into(),
        confirmation_number: "206".into(),
    });
    let first_note = batch.push(note());
    let second_note = batch.push(note());
    assert_eq!(
        (updated.index(), first_note.index(), second_note.index()),
        (0, 1, 2)
    );
    let results = batch.send().await.unwrap();
    assert_eq!(transport.sent(), 1);

    // Each result with its own type, each failure its operation's alone.
    assert_eq!(
        results.get(&updated).unwrap(),
        ConfirmationNumberUpdated {
            message: Some("Successfully set customer Receiver Number: 206".into())
        }
    );
    let unreadable = results.get(&first_note).unwrap_err();
    assert!(
        matches!(unreadable, Error::Unreadable { .. }) && unreadable.outcome_unknown(),
        "{unreadable:?}"
    );
    results.get(&second_note).unwrap();

    // The same results, untyped.
    let raw = results.outcomes()[1].clone().unwrap_err();
    assert!(
        matches!(raw.kind, FailureKind::Undecodable { .. }) && raw.outcome_unknown(),
        "{raw:?}"
    );
    assert_eq!(results.outcomes()[2], Ok(OperationSuccess::NoteCreated));
}

#[tokio::test]
#[should_panic(expected = "the slots of that batch")]
async fn a_slot_reads_only_its_own_batch_s_results() {
    let transport = Scripted::new(vec![
        ok(document(&[
            AUTH_OK,
            ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
        ])),
        ok(document(&[
            AUTH_OK,
            ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
        ])),
    ]);
    let client = client(transport);
    let mut first = client.batch();
    let first_slot = first.push(note());
    let mut second = client.batch();
    let _second_slot = second.push(note());
    let _first_results = first.send().await.unwrap();
    let second_results = second.send().await.unwrap();
    let _ = second_results.get(&first_slot);
}

#[tokio::test]
async fn transport_refusals_and_oversized_answers_are_mapped() {
    let transport = Scripted::new(vec![Err(TransportError::invalid_request(
        "plain http:// is only allowed to loopback",
    ))]);
    let error = client(transport.clone())
        .customer_status("9710")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotSendable { .. }), "{error:?}");
    assert_eq!(error.fate(), Fate::Rejected);
    assert_eq!(transport.sent(), 1);

    let transport = Scripted::new(vec![Err(TransportError::body_too_large(64, 200))]);
    let error = client(transport.clone())
        .add_customer_note(note())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Unreadable {
                may_have_executed: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("exceeds the limit of 64 bytes"),
        "{error}"
    );
    assert_eq!(transport.sent(), 1);

    // A replay that expects something else refuses without sending.
    let replay = Replay::new(Vec::new()).unwrap();
    let error = Client::new(endpoint(), credentials(), &replay)
        .customer_status("9710")
        .await
        .unwrap_err();
    assert_eq!(error.fate(), Fate::Rejected, "{error:?}");
    assert!(
        chain(&error).contains("POST /acme/informationrequester.php"),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_write_that_times_out_is_sent_once_and_of_unknown_outcome() {
    let calls = AtomicUsize::new(0);
    // Mimics a backend honouring the per-request timeout the client sets.
    let slow = |request: Request<Bytes>| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move {
            let after = request
                .extensions()
                .get::<transport::RequestTimeout>()
                .expect("the client sets the request timeout")
                .0;
            tokio::time::sleep(after).await;
            Err::<Response<Bytes>, _>(TransportError::timeout(TimeoutPhase::Total, after))
        }
    };
    let client = Client::new(
        endpoint(),
        credentials(),
        Retrying::new(&slow, fast_retries()),
    )
    .with_request_timeout(Duration::from_secs(2));
    let error = client.add_customer_note(note()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Total,
                after,
                ..
            } if after == Duration::from_secs(2)
        ),
        "{error:?}"
    );
    assert!(error.outcome_unknown());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_mixed_batch_is_split_reads_first_and_answered_in_order() {
    let transport = Scripted::new(vec![
        ok(document(&[
            AUTH_OK,
            (
                "AllAccess-GetSecurityTraxUniqueID",
                true,
                "<SecurityTraxUniqueID>2237</SecurityTraxUniqueID>",
            ),
            (
                "AllAccess-GetCustomerStatusBySecurityTraxUniqueID",
                false,
                "<message>Unknown customer</message>",
            ),
        ])),
        ok(document(&[
            AUTH_OK,
            ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
            (
                "UpdateConfirmationNumberBySecurityTraxUniqueID",
                true,
                "<message>Set</message>",
            ),
        ])),
    ]);
    let client = client(transport.clone());
    let batch = client
        .batch()
        .add_note(note())
        .find_unique_id(IdType::PhoneNumber, "5555550100")
        .update_confirmation_number("9710", "206")
        .customer_status("1");
    assert_eq!(batch.operations().len(), 4);
    let prepared = batch.prepare().unwrap();
    assert_eq!(
        prepared
            .iter()
            .map(PreparedRequest::script)
            .collect::<Vec<_>>(),
        [Script::Requester, Script::Poster]
    );
    assert_eq!(
        prepared[1].request_types(),
        [
            RequestType::CreateCustomerNote,
            RequestType::UpdateConfirmationNumber
        ]
    );
    assert_eq!(transport.sent(), 0, "preparing sends nothing");

    let outcomes = batch.send().await.unwrap().into_outcomes();
    assert_eq!(outcomes.len(), 4);
    assert_eq!(outcomes[0], Ok(OperationSuccess::NoteCreated));
    assert_eq!(
        outcomes[1],
        Ok(OperationSuccess::SecurityTraxUniqueId("2237".into()))
    );
    assert_eq!(
        outcomes[2],
        Ok(OperationSuccess::ConfirmationNumberUpdated {
            message: Some("Set".into())
        })
    );
    assert_eq!(
        outcomes[3].as_ref().unwrap_err().texts[0].text,
        "Unknown customer"
    );
    let bodies = transport.bodies();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies[0].contains("AllAccess-GetSecurityTraxUniqueID")
            && !bodies[0].contains("CreateCustomerNote")
    );
    assert!(bodies[1].contains("CreateCustomerNote") && !bodies[1].contains("AllAccess"));
    let requests = transport.requests.lock().unwrap();
    assert_eq!(requests[0].uri().path(), REQUESTER);
    assert_eq!(requests[1].uri().path(), POSTER);
}

#[tokio::test(start_paused = true)]
async fn when_the_writes_document_fails_the_batch_says_so() {
    let transport = Scripted::new(vec![
        ok(document(&[
            AUTH_OK,
            (
                "AllAccess-GetCustomerStatusBySecurityTraxUniqueID",
                true,
                "<Customer><ID>9710</ID></Customer>",
            ),
        ])),
        Err(TransportError::maybe_received("connection reset")),
    ]);
    let error = client(transport.clone())
        .batch()
        .customer_status("9710")
        .add_note(note())
        .send()
        .await
        .unwrap_err();
    assert!(error.outcome_unknown(), "{error:?}");
    assert_eq!(transport.sent(), 2, "the write is not resent");
}

#[test]
fn dry_runs_give_the_exact_request_and_a_redacted_copy() {
    let transport = Scripted::new(vec![ok(String::new())]);
    let client = client(transport.clone()).with_request_timeout(Duration::from_secs(9));
    let prepared = client.prepare(note()).unwrap();
    assert_eq!(prepared.script(), Script::Poster);
    let request = prepared.request();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri(),
        "https://crm.example.com/acme/informationposter.php"
    );
    assert_eq!(request.headers()["content-type"], "text/xml; charset=utf-8");
    assert_eq!(
        request.extensions().get::<transport::RequestTimeout>(),
        Some(&transport::RequestTimeout(Duration::from_secs(9)))
    );
    let exact = String::from_utf8(request.body().to_vec()).unwrap();
    let redacted = String::from_utf8(prepared.redacted().body().to_vec()).unwrap();
    assert!(exact.contains(PASSWORD));
    assert!(!redacted.contains(PASSWORD));
    assert_eq!(exact.replace(PASSWORD, REDACTED_PASSWORD), redacted);
    assert_eq!(prepared.redacted().uri(), request.uri());
    let debug = format!("{prepared:?} {client:?}");
    assert!(!debug.contains(PASSWORD), "{debug}");
    assert!(debug.contains(REDACTED_PASSWORD));
    assert_eq!(prepared.into_request().body(), exact.as_str());
    assert!(matches!(
        client.prepare(CreateCustomerNote::new("", "s", "t", NoteType::Lead)),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(transport.sent(), 0);
}

#[tokio::test]
async fn the_neutral_api_goes_through_the_client() {
    let transport = Scripted::new(vec![
        ok(document(&[
            AUTH_OK,
            ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
        ])),
        ok(document(&[
            AUTH_OK,
            (
                "CreateTechScheduleBySecurityTraxUniqueID",
                true,
                "<ConfirmationStatusName>Not Confirmed</ConfirmationStatusName>",
            ),
        ])),
    ]);
    let client = client(transport.clone());
    let added = client
        .add_note(AddCustomerNote::new(
            CustomerRef::new("9710"),
            "Hello",
            "World",
            NoteKind::Lead,
        ))
        .await
        .unwrap();
    assert_eq!(added.note_id, None);
    let start = date(2026, 3, 2).at(9, 0, 0, 0);
    let booked = client
        .book_appointment(
            BookAppointment::new(
                CustomerRef::new("9710"),
                start,
                start + jiff::Span::new().hours(2),
                AppointmentKind::Service,
            )
            .with_notes("Side door"),
        )
        .await
        .unwrap();
    assert_eq!(booked.status.as_deref(), Some("Not Confirmed"));
    let bodies = transport.bodies();
    assert!(
        bodies[0].contains(">World<")
            && bodies[0].contains(r#"<attribute name="NoteTypeID">3</attribute>"#),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[1].contains(">03/02/2026 11:00<") && bodies[1].contains(">Side door<"),
        "{}",
        bodies[1]
    );

    // Neutral input is validated like any other.
    let error = client
        .add_note(AddCustomerNote::new(
            CustomerRef::new("abc"),
            "",
            "x",
            NoteKind::Sales,
        ))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput(_)));
    assert_eq!(transport.sent(), 2);
}

/// Captures everything the facade logs at `level`.
fn capture_logs<F: std::future::Future>(level: tracing::Level, run: impl FnOnce() -> F) -> String {
    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // While only one dispatcher is registered, tracing caches a callsite's
    // interest from whichever thread hits it first; a test running in
    // parallel without a subscriber would switch these callsites off. A second
    // dispatcher that lives as long as the process makes tracing ask every
    // registered dispatcher instead.
    static SECOND_DISPATCHER: std::sync::OnceLock<tracing::Dispatch> = std::sync::OnceLock::new();
    SECOND_DISPATCHER
        .get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::NEW)
        .with_writer(move || writer.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || runtime.block_on(run()));
    let bytes = buffer.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

async fn traced_calls() {
    let transport = Scripted::new(vec![
        ok(document(&[
            AUTH_OK,
            (
                "AllAccess-GetSecurityTraxUniqueID",
                true,
                "<SecurityTraxUniqueID>2237</SecurityTraxUniqueID>",
            ),
        ])),
        ok(document(&[
            AUTH_OK,
            (
                "CreateCustomerNoteBySecurityTraxUniqueID",
                false,
                "<message>No customer with phone 5555550100</message>",
            ),
        ])),
    ]);
    let client = client(transport);
    client
        .find_unique_id(IdType::PhoneNumber, "5555550100")
        .await
        .unwrap();
    let mut secret_note = note();
    secret_note.note_text = "call pat@example.com".into();
    client.add_customer_note(secret_note).await.unwrap_err();
}

#[test]
fn spans_name_the_operation_and_keep_personal_data_out() {
    let info = capture_logs(tracing::Level::INFO, traced_calls);
    assert!(
        info.contains("securitytrax_operation{operation=\"AllAccess-GetSecurityTraxUniqueID\"}"),
        "{info}"
    );
    assert!(
        info.contains("operation=\"CreateCustomerNoteBySecurityTraxUniqueID\""),
        "{info}"
    );
    assert!(info.contains("the service refused the operation"), "{info}");
    assert!(
        !info.contains("9710"),
        "customer ids only at debug level: {info}"
    );

    let debug = capture_logs(tracing::Level::DEBUG, traced_calls);
    assert!(debug.contains("customer_id=\"9710\""), "{debug}");
    for (level, logs) in [("info", &info), ("debug", &debug)] {
        for personal in ["5555550100", "pat@example.com", PASSWORD] {
            assert!(
                !logs.contains(personal),
                "{personal} logged at {level}: {logs}"
            );
        }
    }
}

#[test]
fn batches_get_a_span_per_operation() {
    let logs = capture_logs(tracing::Level::DEBUG, || async {
        let transport = Scripted::new(vec![ok(document(&[
            AUTH_OK,
            ("CreateCustomerNoteBySecurityTraxUniqueID", true, ""),
            ("UpdateConfirmationNumberBySecurityTraxUniqueID", true, ""),
        ]))]);
        client(transport)
            .batch()
            .add_note(note())
            .update_confirmation_number("2237", "1")
            .send()
            .await
            .unwrap();
    });
    assert!(logs.contains("securitytrax_batch{operations=2}"), "{logs}");
    assert!(
        logs.contains("securitytrax_document{script=\"poster\" operations=2}"),
        "{logs}"
    );
    assert!(
        logs.contains(
            "operation=\"UpdateConfirmationNumberBySecurityTraxUniqueID\" customer_id=\"2237\""
        ),
        "{logs}"
    );
    assert_eq!(logs.matches("operation succeeded").count(), 2, "{logs}");
}

trait CloneResponse {
    fn clone_response(&self) -> Self;
}

impl CloneResponse for Result<Response<Bytes>, TransportError> {
    fn clone_response(&self) -> Self {
        match self {
            Ok(response) => {
                let mut copy = Response::new(response.body().clone());
                *copy.status_mut() = response.status();
                Ok(copy)
            }
            Err(error) => Err(error.clone()),
        }
    }
}
