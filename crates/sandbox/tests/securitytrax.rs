//! The simulated SecurityTrax service over raw HTTP/1.1 on 127.0.0.1:0: valid
//! documents are written with the protocol crate's encoder, invalid ones by hand;
//! answers are read with the protocol crate's decoder.

mod common;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::{RawResponse, exchange_raw, request, send};
use sandbox::securitytrax::{
    AUTHENTICATION_FAILED, DEFAULT_MAX_OPERATIONS, DEMO_PARTNER_ID, DEMO_PASSWORD, DEMO_USERNAME,
    NOT_AUTHENTICATED, NOT_CONFIRMED, SecurityTraxConfig, SecurityTraxService, SeededCustomer,
};
use sandbox::{Fault, ManualClock, SandboxConfig, SandboxHandle};
use secrecy::SecretString;
use strax_xml_protocol::jiff::civil::date;
use strax_xml_protocol::{
    Batch, CreateCustomerNote, CreateTechSchedule, Credentials, Customer, DecodeError,
    GetAppointmentAvailability, GetCustomerStatus, GetSecurityTraxUniqueId, IdType, NoteType,
    Operation, OperationOutcome, OperationSuccess, RequestType, Script, ServiceType, TicketType,
    UpdateConfirmationNumber, decode_response_body,
};

const POSTER: &str = "/securitytrax/demo/informationposter.php";
const REQUESTER: &str = "/securitytrax/demo/informationrequester.php";
const XML: (&str, &str) = ("content-type", "text/xml; charset=utf-8");

async fn start() -> (SandboxHandle, Arc<SecurityTraxService>) {
    start_with(SecurityTraxService::demo()).await
}

async fn start_with(service: SecurityTraxService) -> (SandboxHandle, Arc<SecurityTraxService>) {
    let service = Arc::new(service);
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .expect("sandbox starts");
    (sandbox, service)
}

fn demo_credentials() -> Credentials {
    Credentials::new(DEMO_USERNAME, DEMO_PASSWORD, DEMO_PARTNER_ID)
}

/// A valid document from the protocol crate's encoder.
fn document(credentials: Credentials, operations: Vec<Operation>, script: Script) -> Vec<u8> {
    Batch::new(credentials, operations)
        .with_script(script)
        .to_xml()
        .expect("a valid batch")
}

async fn post(addr: SocketAddr, path: &str, body: &[u8]) -> RawResponse {
    send(addr, "POST", path, &[XML], body).await
}

/// Posts a valid document and decodes the answer.
async fn run(
    addr: SocketAddr,
    script: Script,
    operations: Vec<Operation>,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let types: Vec<RequestType> = operations.iter().map(Operation::request_type).collect();
    let path = match script {
        Script::Requester => REQUESTER,
        Script::Poster => POSTER,
    };
    let answer = post(
        addr,
        path,
        &document(demo_credentials(), operations, script),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    decode_response_body(&types, &answer.body)
}

/// A hand-written document with the demo authentication and `requests` after it.
fn raw_document(requests: &str) -> Vec<u8> {
    format!(
        "<?xml version='1.0'?><root><requests>\
         <request type='GetSystemAuthentication'><attribute name='Username'>{DEMO_USERNAME}</attribute>\
         <attribute name='Password'>{DEMO_PASSWORD}</attribute><attribute name='PartnerID'>{DEMO_PARTNER_ID}</attribute></request>\
         {requests}</requests></root>"
    )
    .into_bytes()
}

/// The texts of a failed operation's answer.
fn failure_texts(outcome: &OperationOutcome) -> Vec<String> {
    match outcome {
        Err(failure) => failure.texts.iter().map(|t| t.text.clone()).collect(),
        Ok(success) => panic!("expected a failure, got {success:?}"),
    }
}

fn full_note() -> CreateCustomerNote {
    CreateCustomerNote {
        ticket_type: Some(TicketType::Open),
        user_id: Some("1024".into()),
        partner_company_unique_id: Some("991234".into()),
        ..CreateCustomerNote::new(
            "9710",
            "Note Subject",
            "Customer states they would like a new yard sign installed ASAP.",
            NoteType::Sales,
        )
    }
}

fn appointment() -> CreateTechSchedule {
    CreateTechSchedule::new(
        "9710",
        date(2014, 1, 23).at(7, 30, 0, 0),
        date(2014, 1, 23).at(9, 0, 0, 0),
        ServiceType::Install,
    )
}

fn availability(day: i8, start: i8, end: i8) -> GetAppointmentAvailability {
    GetAppointmentAvailability {
        zip: Some("62701".into()),
        ..GetAppointmentAvailability::new(
            date(2014, 1, day).at(start, 0, 0, 0),
            date(2014, 1, day).at(end, 0, 0, 0),
        )
    }
}

#[tokio::test]
async fn every_write_succeeds_with_the_documented_answer_and_is_stored() {
    let (sandbox, service) = start().await;
    let operations: Vec<Operation> = vec![
        full_note().into(),
        appointment().into(),
        UpdateConfirmationNumber {
            security_trax_unique_id: "9710".into(),
            confirmation_number: "206".into(),
        }
        .into(),
    ];
    let raw = post(
        sandbox.local_addr(),
        POSTER,
        &document(demo_credentials(), operations.clone(), Script::Poster),
    )
    .await;
    let body = raw.text();
    assert!(
        body.contains("<message>Authenticated To System</message>"),
        "{body}"
    );
    assert!(
        body.contains("<ConfirmationStatusName>Not Confirmed</ConfirmationStatusName>"),
        "{body}"
    );
    let types: Vec<RequestType> = operations.iter().map(Operation::request_type).collect();
    let outcomes = decode_response_body(&types, &raw.body).expect("decodes");
    assert_eq!(
        outcomes,
        vec![
            Ok(OperationSuccess::NoteCreated),
            Ok(OperationSuccess::AppointmentCreated {
                confirmation_status_name: Some(NOT_CONFIRMED.into())
            }),
            Ok(OperationSuccess::ConfirmationNumberUpdated {
                message: Some("Successfully set customer Receiver Number: 206".into())
            }),
        ]
    );

    let notes = service.notes("9710");
    assert_eq!(notes.len(), 1);
    // Stored as received, every field included.
    assert_eq!(notes[0].request, full_note());
    assert_eq!(notes[0].request.ticket_type, Some(TicketType::Open));

    let appointments = service.appointments("9710");
    assert_eq!(appointments.len(), 1);
    assert_eq!(appointments[0].request, appointment());
    assert_eq!(
        appointments[0].request.start_time,
        date(2014, 1, 23).at(7, 30, 0, 0)
    );
    assert_eq!(appointments[0].confirmation_status_name, NOT_CONFIRMED);
    assert_eq!(service.confirmation_number("9710").as_deref(), Some("206"));
    assert!(service.notes("2237").is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn every_read_succeeds_with_the_documented_answer() {
    let (sandbox, service) = start().await;
    let addr = sandbox.local_addr();
    // Book 7:30-9:00 on January 23rd so that availability has something to overlap.
    let booked = run(addr, Script::Poster, vec![appointment().into()]).await;
    assert!(booked.expect("decodes")[0].is_ok());

    let outcomes = run(
        addr,
        Script::Requester,
        vec![
            GetCustomerStatus {
                security_trax_unique_id: "9710".into(),
            }
            .into(),
            GetSecurityTraxUniqueId {
                id_type: IdType::PhoneNumber,
                id: "2175550111".into(),
            }
            .into(),
            GetSecurityTraxUniqueId {
                id_type: IdType::AccountNumber,
                id: "100971".into(),
            }
            .into(),
            availability(23, 8, 10).into(),
            availability(24, 8, 10).into(),
        ],
    )
    .await
    .expect("decodes");

    let Ok(OperationSuccess::CustomerStatus(record)) = &outcomes[0] else {
        panic!("expected a customer record, got {:?}", outcomes[0]);
    };
    let seeded = service.customer("9710").expect("seeded");
    assert_eq!(**record, seeded);
    assert_eq!(record.first_name.as_deref(), Some("Avery"));
    assert_eq!(record.phone3, None, "deliberately empty fields stay empty");
    assert_eq!(
        outcomes[1],
        Ok(OperationSuccess::SecurityTraxUniqueId("2237".into()))
    );
    assert_eq!(
        outcomes[2],
        Ok(OperationSuccess::SecurityTraxUniqueId("9710".into()))
    );
    let available = |outcome: &OperationOutcome| match outcome {
        Ok(OperationSuccess::Availability(answer)) => answer.available,
        other => panic!("expected availability, got {other:?}"),
    };
    assert_eq!(available(&outcomes[3]), Some(false), "overlaps 7:30-9:00");
    assert_eq!(available(&outcomes[4]), Some(true), "a free day");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_fail_authentication_and_execute_nothing() {
    let (sandbox, service) = start().await;
    let wrong = [
        Credentials::new(DEMO_USERNAME, "not-the-password", DEMO_PARTNER_ID),
        Credentials::new("someone-else", DEMO_PASSWORD, DEMO_PARTNER_ID),
        Credentials::new(DEMO_USERNAME, DEMO_PASSWORD, "9999"),
    ];
    for credentials in wrong {
        let body = document(
            credentials,
            vec![full_note().into(), appointment().into()],
            Script::Poster,
        );
        let raw = post(sandbox.local_addr(), POSTER, &body).await;
        assert_eq!(raw.status, 200);
        let text = raw.text();
        assert_eq!(text.matches("success=\"false\"").count(), 3, "{text}");
        assert_eq!(text.matches(NOT_AUTHENTICATED).count(), 2, "{text}");
        let types = [
            RequestType::CreateCustomerNote,
            RequestType::CreateTechSchedule,
        ];
        match decode_response_body(&types, &raw.body) {
            Err(DecodeError::AuthenticationFailed { messages, .. }) => {
                assert_eq!(messages, vec![AUTHENTICATION_FAILED.to_owned()]);
            }
            other => panic!("expected an authentication failure, got {other:?}"),
        }
    }
    assert!(service.notes("9710").is_empty());
    assert!(service.appointments("9710").is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn documents_without_a_complete_authentication_are_refused() {
    let (sandbox, service) = start().await;
    let cases = [
        (
            "<root><requests><request type='CreateCustomerNoteBySecurityTraxUniqueID'>\
             <attribute name='SecurityTraxUniqueID'>9710</attribute></request></requests></root>",
            "the first request must be GetSystemAuthentication, found CreateCustomerNoteBySecurityTraxUniqueID",
        ),
        (
            "<root><requests/></root>",
            "the first request must be GetSystemAuthentication, found no request",
        ),
        (
            "<root><requests><request type='GetSystemAuthentication'>\
             <attribute name='Username'>demo</attribute><attribute name='PartnerID'>1001</attribute>\
             </request></requests></root>",
            "GetSystemAuthentication has no `Password`",
        ),
    ];
    for (body, message) in cases {
        let raw = post(sandbox.local_addr(), POSTER, body.as_bytes()).await;
        assert_eq!(raw.status, 200, "{body}");
        match decode_response_body(&[], &raw.body) {
            Err(DecodeError::AuthenticationFailed { messages, .. }) => {
                assert_eq!(messages, vec![message.to_owned()], "{body}");
            }
            other => panic!("expected an authentication failure for {body}, got {other:?}"),
        }
    }
    assert!(service.notes("9710").is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn documents_over_the_operation_limit_are_refused_whole_with_a_small_answer() {
    let (sandbox, service) = start().await;
    let notes = |count: usize| -> Vec<Operation> {
        (0..count)
            .map(|_| CreateCustomerNote::new("9710", "s", "t", NoteType::Lead).into())
            .collect()
    };
    // At the default limit: every operation runs.
    let at_limit = run(
        sandbox.local_addr(),
        Script::Poster,
        notes(DEFAULT_MAX_OPERATIONS),
    )
    .await
    .expect("a document at the limit is answered");
    assert_eq!(at_limit.len(), DEFAULT_MAX_OPERATIONS);
    assert_eq!(service.notes("9710").len(), DEFAULT_MAX_OPERATIONS);

    // One over (and far over): one failed authentication answer naming the limit, nothing runs.
    for count in [DEFAULT_MAX_OPERATIONS + 1, 10_000] {
        let operations = notes(count);
        let types: Vec<RequestType> = operations.iter().map(Operation::request_type).collect();
        let body = document(demo_credentials(), operations, Script::Poster);
        let raw = post(sandbox.local_addr(), POSTER, &body).await;
        assert_eq!(raw.status, 200);
        assert!(
            raw.body.len() < 1024,
            "{} bytes: {}",
            raw.body.len(),
            raw.text()
        );
        assert!(!raw.text().contains(DEMO_PASSWORD), "{}", raw.text());
        match decode_response_body(&types, &raw.body) {
            Err(DecodeError::AuthenticationFailed { messages, .. }) => {
                assert_eq!(messages.len(), 1, "{messages:?}");
                assert!(
                    messages[0].contains("more than 100 operations"),
                    "{messages:?}"
                );
            }
            other => panic!("expected a refusal of {count} operations, got {other:?}"),
        }
    }
    assert_eq!(service.notes("9710").len(), DEFAULT_MAX_OPERATIONS);
    sandbox.shutdown().await;

    // The limit is configurable.
    let (sandbox, service) = start_with(SecurityTraxService::new(
        SecurityTraxConfig::demo().max_operations(2),
    ))
    .await;
    run(sandbox.local_addr(), Script::Poster, notes(2))
        .await
        .expect("two operations are within a limit of two");
    let refused = run(sandbox.local_addr(), Script::Poster, notes(3)).await;
    assert!(
        matches!(&refused, Err(DecodeError::AuthenticationFailed { messages, .. }) if messages[0].contains("more than 2 operations")),
        "{refused:?}"
    );
    assert_eq!(service.notes("9710").len(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_and_misplaced_request_types_are_refused_by_name_and_the_rest_still_runs() {
    let (sandbox, service) = start().await;
    let body = raw_document(
        "<request type='DeleteCustomerBySecurityTraxUniqueID'><attribute name='SecurityTraxUniqueID'>9710</attribute></request>\
         <request type='GetSystemAuthentication'><attribute name='Username'>demo</attribute></request>\
         <request type='CreateCustomerNoteBySecurityTraxUniqueID'><attribute name='SecurityTraxUniqueID'>9710</attribute>\
         <attribute name='NoteSubject'>s</attribute><attribute name='NoteText'>t</attribute><attribute name='NoteTypeID'>3</attribute></request>",
    );
    let raw = post(sandbox.local_addr(), POSTER, &body).await;
    let text = raw.text();
    assert!(
        text.contains(r#"<response type="DeleteCustomerBySecurityTraxUniqueID" success="false">"#),
        "{text}"
    );
    assert!(
        text.contains("unknown request type `DeleteCustomerBySecurityTraxUniqueID`: known are CreateCustomerNoteBySecurityTraxUniqueID"),
        "{text}"
    );
    assert!(
        text.contains("GetSystemAuthentication is only allowed as the first request"),
        "{text}"
    );
    assert_eq!(text.matches(r#"success="false""#).count(), 2, "{text}");
    assert!(
        text.contains(
            r#"<response type="CreateCustomerNoteBySecurityTraxUniqueID" success="true">"#
        ),
        "{text}"
    );
    assert_eq!(service.notes("9710").len(), 1);
    sandbox.shutdown().await;
}

/// One operation per case, posted to its script; the answer must fail with a message
/// naming the field and the rule, and nothing may be stored.
#[tokio::test]
async fn each_kind_of_field_error_is_refused_naming_the_field_and_rule() {
    let note = |fields: &str| {
        format!("<request type='CreateCustomerNoteBySecurityTraxUniqueID'>{fields}</request>")
    };
    let visit = |fields: &str| {
        format!("<request type='CreateTechScheduleBySecurityTraxUniqueID'>{fields}</request>")
    };
    let attr = |name: &str, value: &str| format!("<attribute name='{name}'>{value}</attribute>");
    let note_ok = |except: &str| -> String {
        [
            ("SecurityTraxUniqueID", "9710"),
            ("NoteSubject", "s"),
            ("NoteText", "t"),
            ("NoteTypeID", "1"),
        ]
        .iter()
        .filter(|(name, _)| *name != except)
        .map(|(name, value)| attr(name, value))
        .collect()
    };
    let visit_with = |start: &str, end: &str, service_type: &str, id: &str| {
        visit(&format!(
            "{}{}{}{}{}",
            attr("SecurityTraxUniqueID", id),
            attr("TechID", ""),
            attr("StartTime", start),
            attr("EndTime", end),
            attr("ServiceType", service_type)
        ))
    };
    let poster_cases: Vec<(String, &str)> = vec![
        (
            note(&note_ok("NoteSubject")),
            "field `NoteSubject` is required and must not be blank",
        ),
        (
            note(&format!(
                "{}{}",
                note_ok("NoteText"),
                attr("NoteText", "   ")
            )),
            "field `NoteText` is required and must not be blank",
        ),
        (
            note(&format!(
                "{}{}",
                note_ok("NoteTypeID"),
                attr("NoteTypeID", "4")
            )),
            "field `NoteTypeID` must be one of 1, 2, 3",
        ),
        (
            note(&format!("{}{}", note_ok(""), attr("TicketTypeID", "3"))),
            "field `TicketTypeID` must be one of 1, 2",
        ),
        (
            note(&format!(
                "{}{}",
                note_ok("SecurityTraxUniqueID"),
                attr("SecurityTraxUniqueID", "97a0")
            )),
            "field `SecurityTraxUniqueID` must be digits only (0-9)",
        ),
        (
            note(&format!("{}{}", note_ok(""), attr("UserID", "admin"))),
            "field `UserID` must be digits only (0-9)",
        ),
        (
            note(&format!("{}{}", note_ok(""), attr("Color", "red"))),
            "field `Color` is not a field of this record",
        ),
        (
            note(&format!("{}{}", note_ok(""), attr("NoteText", "again"))),
            "field `NoteText` is given more than once",
        ),
        (
            note(&format!(
                "{}{}",
                note_ok("SecurityTraxUniqueID"),
                attr("SecurityTraxUniqueID", "1234")
            )),
            "field `SecurityTraxUniqueID` must name an existing customer: there is no customer 1234",
        ),
        (
            visit_with("2014-01-23 07:30", "01/23/2014 9:00", "1", "9710"),
            "field `StartTime` must be a local date and time written MM/DD/YYYY H:MM",
        ),
        (
            visit_with("01/23/2014 7:30", "01/23/2014 7:30", "1", "9710"),
            "field `EndTime` must be after StartTime",
        ),
        (
            visit_with("01/23/2014 7:30", "01/23/2014 9:00", "4", "9710"),
            "field `ServiceType` must be one of 1, 2, 3",
        ),
        (
            visit_with("01/23/2014 7:30", "01/23/2014 9:00", "1", "5"),
            "field `SecurityTraxUniqueID` must name an existing customer: there is no customer 5",
        ),
        (
            format!(
                "<request type='UpdateConfirmationNumberBySecurityTraxUniqueID'>{}</request>",
                attr("SecurityTraxUniqueID", "9710")
            ),
            "field `ConfirmationNumber` is required and must not be blank",
        ),
    ];
    let availability = |fields: &str| {
        format!(
            "<request type='GetIfAppointmentAvailableByLocationInfo'>{}{}{fields}</request>",
            attr("StartTime", "01/23/2014 7:30"),
            attr("EndTime", "01/23/2014 9:00")
        )
    };
    let requester_cases: Vec<(String, &str)> = vec![
        (
            availability(""),
            "field `City` or one of City, State, Zip, Address, Latitude, Longitude must be given",
        ),
        (
            availability(&attr("Latitude", "north")),
            "field `Latitude` must be a decimal number",
        ),
        (
            format!(
                "<request type='AllAccess-GetSecurityTraxUniqueID'>{}{}</request>",
                attr("IDType", "Email"),
                attr("ID", "avery.quill@example.com")
            ),
            "field `IDType` must be one of PhoneNumber, AccountNumber",
        ),
        (
            format!(
                "<request type='AllAccess-GetSecurityTraxUniqueID'>{}{}</request>",
                attr("IDType", "PhoneNumber"),
                attr("ID", "2175550199")
            ),
            "field `ID` must match the PhoneNumber of a customer: no customer matches",
        ),
        (
            format!(
                "<request type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID'>{}</request>",
                attr("SecurityTraxUniqueID", "")
            ),
            "field `SecurityTraxUniqueID` is required and must not be blank",
        ),
    ];
    let (sandbox, service) = start().await;
    for (path, cases) in [(POSTER, poster_cases), (REQUESTER, requester_cases)] {
        for (operation, expected) in cases {
            let raw = post(sandbox.local_addr(), path, &raw_document(&operation)).await;
            assert_eq!(raw.status, 200, "{operation}");
            let text = raw.text();
            assert_eq!(
                text.matches("success=\"false\"").count(),
                1,
                "{operation}: {text}"
            );
            assert!(
                text.contains(expected),
                "{operation}: expected `{expected}` in {text}"
            );
        }
    }
    assert!(service.notes("9710").is_empty());
    assert!(service.appointments("9710").is_empty());
    assert_eq!(service.confirmation_number("9710"), None);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn operations_posted_to_the_wrong_script_are_refused_naming_the_right_one() {
    let (sandbox, service) = start().await;
    let addr = sandbox.local_addr();
    let write_to_reader = run(addr, Script::Requester, vec![full_note().into()])
        .await
        .expect("decodes");
    assert_eq!(
        failure_texts(&write_to_reader[0]),
        vec![
            "CreateCustomerNoteBySecurityTraxUniqueID is a write served by informationposter.php, \
             not by informationrequester.php: post it there"
                .to_owned()
        ]
    );
    let read = GetCustomerStatus {
        security_trax_unique_id: "9710".into(),
    };
    let read_to_writer = run(addr, Script::Poster, vec![read.into()])
        .await
        .expect("decodes");
    assert_eq!(
        failure_texts(&read_to_writer[0]),
        vec![
            "AllAccess-GetCustomerStatusBySecurityTraxUniqueID is a read served by \
             informationrequester.php, not by informationposter.php: post it there"
                .to_owned()
        ]
    );
    assert!(service.notes("9710").is_empty());
    sandbox.shutdown().await;
}

/// (path, headers, body, expected status, expected part of the text body)
type HttpCase<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [u8], u16, &'a str);

#[tokio::test]
async fn http_level_mistakes_get_plain_text_statuses() {
    let (sandbox, service) = start().await;
    let addr = sandbox.local_addr();
    let valid = document(demo_credentials(), vec![full_note().into()], Script::Poster);

    for method in ["GET", "PUT", "DELETE"] {
        let refused = send(addr, method, POSTER, &[XML], b"").await;
        assert_eq!(refused.status, 405, "{method}");
        assert_eq!(refused.header("allow"), Some("POST"));
        assert!(
            refused
                .text()
                .contains(&format!("method {method} is not allowed"))
        );
    }

    let cases: [HttpCase<'_>; 9] = [
        (
            "/securitytrax/acme/informationposter.php",
            &[XML],
            &valid,
            404,
            "unknown site `acme`",
        ),
        (
            "/securitytrax/demo/leadpost.php",
            &[XML],
            &valid,
            404,
            "no script `leadpost.php` on site `demo`",
        ),
        (
            "/securitytrax/",
            &[XML],
            &valid,
            404,
            "no SecurityTrax endpoint",
        ),
        (
            POSTER,
            &[("content-type", "application/json")],
            &valid,
            400,
            "Content-Type `application/json` is not XML",
        ),
        (POSTER, &[XML], b"  \r\n", 400, "the body is empty"),
        (
            POSTER,
            &[XML],
            b"<root><requests><request type='GetSystemAuthentication'>",
            400,
            "request is not acceptable XML",
        ),
        (
            POSTER,
            &[],
            b"{\"not\": \"xml\"}",
            400,
            "request is not acceptable XML",
        ),
        (
            POSTER,
            &[XML],
            b"<leads><lead/></leads>",
            400,
            "request root element is <leads>, expected <root>",
        ),
        (
            POSTER,
            &[XML],
            b"<root><responses/></root>",
            400,
            "request has no <requests> element",
        ),
    ];
    for (path, headers, body, status, message) in cases {
        let answer = send(addr, "POST", path, headers, body).await;
        assert_eq!(answer.status, status, "{path}: {}", answer.text());
        assert_eq!(
            answer.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert!(
            answer.text().contains(message),
            "expected `{message}` in {:?}",
            answer.text()
        );
    }
    // A bare raw post without Content-Type is accepted.
    let bare = send(addr, "POST", POSTER, &[], &valid).await;
    assert_eq!(bare.status, 200, "{}", bare.text());
    assert_eq!(service.notes("9710").len(), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_note_is_stored_exactly_once_per_request_and_again_when_resent() {
    let (sandbox, service) = start().await;
    let addr = sandbox.local_addr();
    let outcomes = run(addr, Script::Poster, vec![full_note().into()]).await;
    assert_eq!(
        outcomes.expect("decodes"),
        vec![Ok(OperationSuccess::NoteCreated)]
    );
    assert_eq!(service.notes("9710").len(), 1);
    assert_eq!(sandbox.requests_received(POSTER), 1);

    // No idempotency, as documented: a resent note is a second note.
    run(addr, Script::Poster, vec![full_note().into()])
        .await
        .expect("decodes");
    let notes = service.notes("9710");
    assert_eq!(notes.len(), 2);
    assert!(notes[0].sequence < notes[1].sequence);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn stored_records_are_stamped_with_the_sandbox_clock() {
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let manual = ManualClock::starting_at(start);
    let service = Arc::new(SecurityTraxService::demo());
    let sandbox = sandbox::start(
        SandboxConfig::new()
            .service(service.clone())
            .clock(manual.clone()),
    )
    .await
    .unwrap();
    let addr = sandbox.local_addr();
    run(addr, Script::Poster, vec![full_note().into()])
        .await
        .expect("decodes");
    manual.advance(Duration::from_secs(90));
    run(
        addr,
        Script::Poster,
        vec![full_note().into(), appointment().into()],
    )
    .await
    .expect("decodes");
    let stamps: Vec<SystemTime> = service
        .notes("9710")
        .iter()
        .map(|note| note.stored_at)
        .collect();
    assert_eq!(stamps, [start, start + Duration::from_secs(90)]);
    assert_eq!(
        service.appointments("9710")[0].stored_at,
        start + Duration::from_secs(90)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn close_after_processing_stores_the_note_but_the_client_gets_no_answer() {
    let (sandbox, service) = start().await;
    let body = document(demo_credentials(), vec![full_note().into()], Script::Poster);
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request(
            "POST",
            POSTER,
            &[XML, ("x-sandbox-fault", "close-after-processing")],
            &body,
        ),
    )
    .await;
    assert!(
        raw.is_empty(),
        "expected no answer, got {:?}",
        String::from_utf8_lossy(&raw)
    );
    assert_eq!(sandbox.requests_received(POSTER), 1);
    assert_eq!(service.notes("9710").len(), 1, "the work was done once");

    // Queued through the Rust API it acts the same; `close` never reaches the service.
    sandbox.inject_fault(POSTER, Fault::CloseAfterProcessing, 1);
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request("POST", POSTER, &[XML], &body),
    )
    .await;
    assert!(raw.is_empty());
    assert_eq!(service.notes("9710").len(), 2);
    sandbox.inject_fault(POSTER, Fault::CloseBeforeResponse, 1);
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request("POST", POSTER, &[XML], &body),
    )
    .await;
    assert!(raw.is_empty());
    assert_eq!(
        service.notes("9710").len(),
        2,
        "close drops the request unprocessed"
    );
    assert_eq!(sandbox.requests_received(POSTER), 3);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_system_request_echo_carries_the_password_and_can_be_turned_off() {
    let (sandbox, _service) = start().await;
    let body = document(demo_credentials(), vec![full_note().into()], Script::Poster);
    let echoed = post(sandbox.local_addr(), POSTER, &body).await;
    let text = echoed.text();
    assert_eq!(text.matches("<system_request>").count(), 2, "{text}");
    assert!(
        text.contains(&format!(
            "<attribute name=\"Password\">{DEMO_PASSWORD}</attribute>"
        )),
        "{text}"
    );
    // The client-side decoder skips the echo.
    let outcomes = decode_response_body(&[RequestType::CreateCustomerNote], &echoed.body);
    assert_eq!(outcomes, Ok(vec![Ok(OperationSuccess::NoteCreated)]));
    sandbox.shutdown().await;

    let quiet = SecurityTraxService::new(SecurityTraxConfig::demo().echo_system_request(false));
    let (sandbox, _service) = start_with(quiet).await;
    let answer = post(sandbox.local_addr(), POSTER, &body).await;
    let text = answer.text();
    assert!(!text.contains("system_request"), "{text}");
    assert!(!text.contains(DEMO_PASSWORD), "{text}");
    assert!(text.contains(r#"success="true""#), "{text}");
    sandbox.shutdown().await;
}

/// A writer that keeps everything the subscriber formats.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLogs {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The server runs on this test's only thread, so the thread-local subscriber sees
/// every line the sandbox emits for it, at every level.
#[tokio::test(flavor = "current_thread")]
async fn no_log_line_ever_shows_a_password() {
    let logs = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // While only one dispatcher is registered, tracing caches a callsite's interest
    // from the default of whichever thread hits it first; other tests running in
    // parallel (no subscriber) would then switch this test's callsites off. A second
    // live dispatcher makes tracing ask every registered dispatcher instead.
    let _second_dispatcher = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());

    let wrong_password = "wrong-password-4471";
    let (sandbox, _service) = start().await;
    let addr = sandbox.local_addr();
    let note = || -> Vec<Operation> { vec![full_note().into()] };
    post(
        addr,
        POSTER,
        &document(demo_credentials(), note(), Script::Poster),
    )
    .await;
    let wrong = Credentials::new(DEMO_USERNAME, wrong_password, DEMO_PARTNER_ID);
    post(addr, POSTER, &document(wrong, note(), Script::Poster)).await;
    post(
        addr,
        REQUESTER,
        &document(demo_credentials(), note(), Script::Requester),
    )
    .await;
    let broken = raw_document("<request type='X'><attribute name='Password'>");
    post(addr, POSTER, &broken).await;
    sandbox.shutdown().await;

    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        logs.contains("securitytrax sandbox refused the authentication"),
        "{logs}"
    );
    assert!(
        logs.contains("securitytrax sandbox answered an operation"),
        "{logs}"
    );
    assert!(!logs.contains(DEMO_PASSWORD), "{logs}");
    assert!(!logs.contains(wrong_password), "{logs}");
}

#[tokio::test]
async fn an_unwritable_record_is_a_500_not_a_broken_document() {
    let mut record = Customer::default();
    record.first_name = Some("Bell\u{7}".into());
    let config = SecurityTraxConfig::new()
        .site("acme")
        .account("u", SecretString::from("p"), "1")
        .customer(SeededCustomer::new("77", record));
    let (sandbox, _service) = start_with(SecurityTraxService::new(config)).await;
    let body = document(
        Credentials::new("u", "p", "1"),
        vec![
            GetCustomerStatus {
                security_trax_unique_id: "77".into(),
            }
            .into(),
        ],
        Script::Requester,
    );
    let answer = post(
        sandbox.local_addr(),
        "/securitytrax/acme/informationrequester.php",
        &body,
    )
    .await;
    assert_eq!(answer.status, 500);
    assert!(
        answer
            .text()
            .contains("the sandbox could not write the response document: field `FirstName`"),
        "{}",
        answer.text()
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn with_all_services_mounts_securitytrax_with_its_demo_data() {
    let sandbox = sandbox::start(SandboxConfig::with_all_services())
        .await
        .expect("starts");
    assert_eq!(
        sandbox.service_url("securitytrax"),
        Some(format!("{}/securitytrax", sandbox.base_url()))
    );
    let read = GetCustomerStatus {
        security_trax_unique_id: "2237".into(),
    };
    let outcomes = run(sandbox.local_addr(), Script::Requester, vec![read.into()])
        .await
        .expect("decodes");
    let Ok(OperationSuccess::CustomerStatus(record)) = &outcomes[0] else {
        panic!("expected a record, got {:?}", outcomes[0]);
    };
    assert_eq!(record.business_name.as_deref(), Some("Brightline Bakery"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn renamed_scripts_are_served_instead_of_the_vendor_names() {
    let config = SecurityTraxConfig::demo().scripts("reader", "writer");
    let (sandbox, service) = start_with(SecurityTraxService::new(config)).await;
    let body = document(demo_credentials(), vec![full_note().into()], Script::Poster);
    let answer = post(sandbox.local_addr(), "/securitytrax/demo/writer.php", &body).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(service.notes("9710").len(), 1);
    let old = post(sandbox.local_addr(), POSTER, &body).await;
    assert_eq!(old.status, 404);
    sandbox.shutdown().await;
}
