//! The SecurityTrax client end to end against the in-process sandbox, over
//! both HTTP backends: the suite is written once and instantiated for
//! reqwest and for hyper at the bottom of this file.

use std::sync::Arc;
use std::time::Duration;

use facade::securitytrax::{
    Client, CreateCustomerNote, CreateTechSchedule, Credentials, Endpoint,
    GetAppointmentAvailability, GetCustomerStatus, GetSecurityTraxUniqueId, IdType, NoteType,
    ServiceType, UpdateConfirmationNumber,
};
use facade::transport::{Backend, HttpTransport, TransportConfig};
use facade::{Error, Fate, RetryConfig, Retrying, ServiceError};
use jiff::civil::date;
use sandbox::securitytrax::{
    DEMO_PARTNER_ID, DEMO_PASSWORD, DEMO_SITE, DEMO_USERNAME, NOT_CONFIRMED, SecurityTraxService,
};
use sandbox::{Fault, SandboxConfig, SandboxHandle};

const POSTER: &str = "/securitytrax/demo/informationposter.php";
const REQUESTER: &str = "/securitytrax/demo/informationrequester.php";

struct Harness {
    sandbox: SandboxHandle,
    service: Arc<SecurityTraxService>,
    backend: Backend,
}

impl Harness {
    async fn start(backend: Backend) -> Self {
        let service = Arc::new(SecurityTraxService::demo());
        let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
            .await
            .expect("the sandbox starts on 127.0.0.1:0");
        Self {
            sandbox,
            service,
            backend,
        }
    }

    fn client_with(&self, credentials: Credentials) -> Client<Retrying<HttpTransport>> {
        let config = TransportConfig::default()
            .with_connect_timeout(Duration::from_secs(2))
            .with_total_timeout(Duration::from_secs(5));
        let http = HttpTransport::new(self.backend, config).expect("the backend is compiled in");
        let base_url = self
            .sandbox
            .service_url("securitytrax")
            .expect("the SecurityTrax service is mounted");
        let endpoint = Endpoint::new(&base_url, DEMO_SITE).expect("a valid endpoint");
        let retries = RetryConfig::default()
            .with_max_attempts(3)
            .with_initial_delay(Duration::from_millis(20))
            .with_max_delay(Duration::from_millis(200));
        Client::new(endpoint, credentials, Retrying::new(http, retries))
    }

    fn client(&self) -> Client<Retrying<HttpTransport>> {
        self.client_with(Credentials::new(
            DEMO_USERNAME,
            DEMO_PASSWORD,
            DEMO_PARTNER_ID,
        ))
    }

    async fn stop(self) {
        self.sandbox.shutdown().await;
    }
}

fn note(subject: &str) -> CreateCustomerNote {
    CreateCustomerNote::new("9710", subject, "Wants a new yard sign", NoteType::Sales)
}

async fn every_operation_end_to_end(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();

    client.add_customer_note(note("Yard sign")).await.unwrap();
    let notes = harness.service.notes("9710");
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (
            notes[0].request.note_subject.as_str(),
            notes[0].request.note_text.as_str(),
            notes[0].request.note_type
        ),
        ("Yard sign", "Wants a new yard sign", NoteType::Sales)
    );

    let start = date(2030, 5, 6).at(9, 0, 0, 0);
    let end = date(2030, 5, 6).at(11, 0, 0, 0);
    let mut appointment = CreateTechSchedule::new("9710", start, end, ServiceType::Service);
    appointment.notes = Some("Side gate".into());
    let created = client.create_tech_schedule(appointment).await.unwrap();
    assert_eq!(
        created.confirmation_status_name.as_deref(),
        Some(NOT_CONFIRMED)
    );
    let appointments = harness.service.appointments("9710");
    assert_eq!(appointments.len(), 1);
    assert_eq!(
        (
            appointments[0].request.start_time,
            appointments[0].request.end_time
        ),
        (start, end)
    );
    assert_eq!(appointments[0].request.notes.as_deref(), Some("Side gate"));

    let mut busy = GetAppointmentAvailability::new(start, end);
    busy.zip = Some("62701".into());
    assert_eq!(
        client
            .appointment_availability(busy)
            .await
            .unwrap()
            .available,
        Some(false)
    );
    let mut free = GetAppointmentAvailability::new(end, date(2030, 5, 6).at(12, 0, 0, 0));
    free.city = Some("Springfield".into());
    assert_eq!(
        client
            .appointment_availability(free)
            .await
            .unwrap()
            .available,
        Some(true)
    );

    let customer = client.customer_status("9710").await.unwrap();
    assert_eq!(customer.last_name.as_deref(), Some("Quill"));
    assert_eq!(customer.security_trax_unique_id.as_deref(), Some("9710"));

    assert_eq!(
        client
            .find_unique_id(IdType::PhoneNumber, "2175550101")
            .await
            .unwrap(),
        "9710"
    );
    assert_eq!(
        client
            .find_unique_id(IdType::AccountNumber, "100223")
            .await
            .unwrap(),
        "2237"
    );

    let updated = client
        .update_confirmation_number("2237", "206")
        .await
        .unwrap();
    assert!(updated.message.unwrap().contains("206"));
    assert_eq!(
        harness.service.confirmation_number("2237").as_deref(),
        Some("206")
    );

    assert_eq!(harness.sandbox.requests_received(POSTER), 3);
    assert_eq!(harness.sandbox.requests_received(REQUESTER), 5);
    harness.stop().await;
}

async fn a_mixed_batch_goes_out_as_one_document_per_script(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();
    let mut batch = client.batch();
    let first = batch.push(note("First"));
    let bakery = batch.push(GetCustomerStatus {
        security_trax_unique_id: "2237".into(),
    });
    let confirmation = batch.push(UpdateConfirmationNumber {
        security_trax_unique_id: "9710".into(),
        confirmation_number: "777".into(),
    });
    let found = batch.push(GetSecurityTraxUniqueId {
        id_type: IdType::AccountNumber,
        id: "100310".into(),
    });
    let nobody = batch.push(GetCustomerStatus {
        security_trax_unique_id: "1".into(),
    });
    let second = batch.push(note("Second"));
    let results = batch.send().await.unwrap();
    assert_eq!(results.outcomes().len(), 6);

    // Each result with its operation's own type, in a batch the client split
    // into a reads' document and a writes' document.
    results.get(&first).unwrap();
    assert_eq!(
        results.get(&bakery).unwrap().business_name.as_deref(),
        Some("Brightline Bakery")
    );
    results.get(&confirmation).unwrap();
    assert_eq!(results.get(&found).unwrap(), "3105");
    let refused = results.get(&nobody).expect_err("customer 1 does not exist");
    assert!(matches!(refused, Error::Refused { .. }), "{refused:?}");
    assert_eq!(refused.fate(), Fate::Answered);
    results.get(&second).unwrap();
    assert!(
        matches!(&results.outcomes()[4], Err(failure) if !failure.texts.is_empty()),
        "{:?}",
        results.outcomes()[4]
    );

    let subjects: Vec<String> = harness
        .service
        .notes("9710")
        .into_iter()
        .map(|n| n.request.note_subject)
        .collect();
    assert_eq!(subjects, ["First", "Second"]);
    assert_eq!(
        harness.service.confirmation_number("9710").as_deref(),
        Some("777")
    );
    assert_eq!(harness.sandbox.requests_received(REQUESTER), 1);
    assert_eq!(harness.sandbox.requests_received(POSTER), 1);
    harness.stop().await;
}

async fn bad_credentials_are_an_authentication_failure(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client_with(Credentials::new(
        DEMO_USERNAME,
        "not-the-password",
        DEMO_PARTNER_ID,
    ));
    let error = client
        .add_customer_note(note("Never stored"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Authentication { .. }), "{error:?}");
    assert!(!error.is_retry_safe() && !error.outcome_unknown());
    assert!(!error.to_string().contains("not-the-password"), "{error}");
    assert!(harness.service.notes("9710").is_empty());
    assert_eq!(harness.sandbox.requests_received("/securitytrax"), 1);
    harness.stop().await;
}

async fn invalid_input_never_sends_anything(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();
    let start = date(2030, 5, 6).at(9, 0, 0, 0);
    let backwards = CreateTechSchedule::new("97a0", start, start, ServiceType::Install);
    let error = client.create_tech_schedule(backwards).await.unwrap_err();
    let Error::InvalidInput(errors) = &error else {
        panic!("expected invalid input, got {error:?}");
    };
    let fields: Vec<&str> = errors.for_record(0).map(|e| e.field.as_ref()).collect();
    assert_eq!(fields, ["SecurityTraxUniqueID", "EndTime"]);
    let prepared = client.prepare(note("Dry run")).unwrap();
    assert_eq!(prepared.request().uri().path(), POSTER);
    assert_eq!(harness.sandbox.requests_received("/securitytrax"), 0);
    harness.stop().await;
}

async fn a_service_refusal_carries_its_message(backend: Backend) {
    let harness = Harness::start(backend).await;
    let error = harness
        .client()
        .add_customer_note(CreateCustomerNote::new("424242", "s", "t", NoteType::Lead))
        .await
        .unwrap_err();
    let Error::Refused {
        service: ServiceError::SecurityTrax(failure),
    } = &error
    else {
        panic!("expected a refused operation, got {error:?}");
    };
    assert!(!failure.texts.is_empty());
    assert!(!error.outcome_unknown());
    harness.stop().await;
}

async fn a_write_whose_connection_closes_is_sent_once_and_of_unknown_outcome(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();

    harness
        .sandbox
        .inject_fault(POSTER, Fault::CloseBeforeResponse, 1);
    let error = client.add_customer_note(note("Lost")).await.unwrap_err();
    assert!(error.outcome_unknown(), "{error:?}");
    assert!(!error.is_retry_safe());
    assert!(
        error
            .to_string()
            .contains("check the CRM before sending it again"),
        "{error}"
    );
    assert_eq!(
        harness.sandbox.requests_received(POSTER),
        1,
        "a write is never resent blindly"
    );

    // The service did the work, but the answer was lost: still exactly one note.
    harness
        .sandbox
        .inject_fault(POSTER, Fault::CloseAfterProcessing, 1);
    let error = client
        .add_customer_note(note("Stored, answer lost"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown(_)), "{error:?}");
    assert_eq!(harness.sandbox.requests_received(POSTER), 2);
    let subjects: Vec<String> = harness
        .service
        .notes("9710")
        .into_iter()
        .map(|n| n.request.note_subject)
        .collect();
    assert_eq!(subjects, ["Stored, answer lost"]);
    harness.stop().await;
}

async fn a_read_answered_503_is_retried_then_succeeds(backend: Backend) {
    let harness = Harness::start(backend).await;
    let unavailable = Fault::Status {
        status: 503,
        retry_after: None,
    };
    harness
        .sandbox
        .inject_fault(REQUESTER, unavailable.clone(), 1);
    let customer = harness.client().customer_status("3105").await.unwrap();
    assert_eq!(customer.last_name.as_deref(), Some("Marlow"));
    assert_eq!(harness.sandbox.requests_received(REQUESTER), 2);

    // The same status on a write is reported, not retried.
    harness.sandbox.inject_fault(POSTER, unavailable, 1);
    let error = harness
        .client()
        .add_customer_note(note("Unavailable"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::HttpStatus { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(harness.sandbox.requests_received(POSTER), 1);
    assert!(harness.service.notes("9710").is_empty());
    harness.stop().await;
}

async fn a_write_that_times_out_is_not_resent(backend: Backend) {
    let harness = Harness::start(backend).await;
    harness
        .sandbox
        .inject_fault(POSTER, Fault::Delay(Duration::from_millis(600)), 1);
    let client = harness
        .client()
        .with_request_timeout(Duration::from_millis(150));
    let error = client.add_customer_note(note("Slow")).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { after, .. } if after == Duration::from_millis(150)),
        "{error:?}"
    );
    assert!(error.outcome_unknown());
    assert_eq!(harness.sandbox.requests_received(POSTER), 1);
    harness.stop().await;
}

async fn garbage_answers_are_protocol_errors(backend: Backend) {
    let harness = Harness::start(backend).await;
    harness
        .sandbox
        .inject_fault(REQUESTER, Fault::GarbageBody, 1);
    let error = harness.client().customer_status("9710").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Unreadable {
                may_have_executed: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(harness.sandbox.requests_received(REQUESTER), 1);
    harness.stop().await;
}

/// Instantiates every suite function above for one backend, each test
/// bounded in time.
macro_rules! suite {
    ($module:ident, $backend:expr, [$($test:ident),* $(,)?]) => {
        mod $module {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    tokio::time::timeout(std::time::Duration::from_secs(30), super::$test($backend))
                        .await
                        .expect("the test finishes within 30 s");
                }
            )*
        }
    };
}

macro_rules! both_backends {
    ($($test:ident),* $(,)?) => {
        suite!(over_reqwest, facade::transport::Backend::Reqwest, [$($test),*]);
        suite!(over_hyper, facade::transport::Backend::Hyper, [$($test),*]);
    };
}

both_backends!(
    every_operation_end_to_end,
    a_mixed_batch_goes_out_as_one_document_per_script,
    bad_credentials_are_an_authentication_failure,
    invalid_input_never_sends_anything,
    a_service_refusal_carries_its_message,
    a_write_whose_connection_closes_is_sent_once_and_of_unknown_outcome,
    a_read_answered_503_is_retried_then_succeeds,
    a_write_that_times_out_is_not_resent,
    garbage_answers_are_protocol_errors,
);
