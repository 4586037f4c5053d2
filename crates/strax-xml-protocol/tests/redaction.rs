//! Every text the service sends passes the caller's redactor: a password a
//! server quotes back (as is, XML-escaped, in CDATA) never reaches an
//! outcome, an error, or their `Display` and `Debug`.

mod answering;

use bytes::Bytes;
use strax_xml_protocol::{
    Batch, Credentials, DecodeError, OperationOutcome, OperationSuccess, ReadError, RequestType,
};

use answering::operations;

/// A password with characters XML escapes.
const PASSWORD: &str = "s3cr&t<pw";
/// How a document spells it in text.
const ESCAPED: &str = "s3cr&amp;t&lt;pw";

const AUTH_OK: &str = "<response type='GetSystemAuthentication' success='true'><data><message>ok</message></data></response>";

fn batch(types: &[RequestType]) -> Batch {
    Batch::new(Credentials::new("u", PASSWORD, "1"), operations(types))
}

fn doc(responses: &str) -> String {
    format!("<root><responses>{responses}</responses></root>")
}

/// Asserts that neither form of the password is in `shown`, and the marker is.
fn assert_redacted(shown: &str) {
    assert!(
        !shown.contains(PASSWORD) && !shown.contains(ESCAPED),
        "{shown}"
    );
    assert!(shown.contains("[redacted]"), "{shown}");
}

fn shown_outcomes(outcomes: &[OperationOutcome]) -> String {
    let mut shown = format!("{outcomes:?} {outcomes:#?}");
    for outcome in outcomes {
        if let Err(failure) = outcome {
            shown.push_str(&failure.to_string());
        }
    }
    shown
}

#[test]
fn an_authentication_failure_quoting_the_password_is_redacted() {
    let types = [RequestType::CreateCustomerNote];
    for message in [
        format!("Invalid password {ESCAPED} for u"),
        format!("Invalid password <![CDATA[{PASSWORD}]]> for u"),
        "Invalid password s3cr&#38;t&#60;pw for u".to_owned(),
    ] {
        let body = doc(&format!(
            "<response type='GetSystemAuthentication' success='false'><data><message>{message}</message></data></response>"
        ));
        let err = batch(&types)
            .decode_response_body(body.as_bytes())
            .expect_err("authentication failed");
        let DecodeError::AuthenticationFailed { messages, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(messages, &["Invalid password [redacted] for u".to_owned()]);
        assert_redacted(&format!("{err} {err:?}"));
    }
}

#[test]
fn operation_messages_results_and_availability_texts_are_redacted() {
    let types = [
        RequestType::CreateCustomerNote,
        RequestType::UpdateConfirmationNumber,
        RequestType::GetAppointmentAvailability,
        RequestType::CreateTechSchedule,
        RequestType::GetSecurityTraxUniqueId,
        RequestType::CreateCustomerNote,
    ];
    let body = doc(&format!(
        "{AUTH_OK}\
         <response type='CreateCustomerNoteBySecurityTraxUniqueID' success='false'><data><message>no: {ESCAPED}</message></data></response>\
         <response type='UpdateConfirmationNumberBySecurityTraxUniqueID' success='true'><data><message>set {ESCAPED}</message></data></response>\
         <response type='GetIfAppointmentAvailableByLocationInfo' success='true'><data><Available>yes</Available><Slot>{ESCAPED}</Slot></data></response>\
         <response type='CreateTechScheduleBySecurityTraxUniqueID' success='true'><data><ConfirmationStatusName><![CDATA[{PASSWORD}]]></ConfirmationStatusName></data></response>\
         <response type='AllAccess-GetSecurityTraxUniqueID' success='true'><data><SecurityTraxUniqueID>{ESCAPED}</SecurityTraxUniqueID></data></response>\
         <response type='Other{ESCAPED}' success='true'><data><message>{ESCAPED}</message></data></response>"
    ));
    let outcomes = batch(&types)
        .decode_response_body(body.as_bytes())
        .expect("decodes");
    let refused = outcomes[0].clone().expect_err("refused");
    assert_eq!(refused.texts[0].text, "no: [redacted]");
    assert_eq!(
        outcomes[1],
        Ok(OperationSuccess::ConfirmationNumberUpdated {
            message: Some("set [redacted]".into())
        })
    );
    let Ok(OperationSuccess::Availability(availability)) = &outcomes[2] else {
        panic!("{:?}", outcomes[2]);
    };
    assert_eq!(availability.available, Some(true));
    assert_eq!(availability.data[1].text, "[redacted]");
    assert_eq!(
        outcomes[3],
        Ok(OperationSuccess::AppointmentCreated {
            confirmation_status_name: Some("[redacted]".into())
        })
    );
    assert_eq!(
        outcomes[4],
        Ok(OperationSuccess::SecurityTraxUniqueId("[redacted]".into()))
    );
    let mistyped = outcomes[5].clone().expect_err("another type");
    assert!(
        mistyped.to_string().contains("`Other[redacted]`"),
        "{mistyped}"
    );
    assert_redacted(&shown_outcomes(&outcomes));
}

#[test]
fn customer_fields_known_and_unknown_are_redacted() {
    let types = [RequestType::GetCustomerStatus];
    let body = doc(&format!(
        "{AUTH_OK}<response type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'><data><Customer>\
         <ID>1</ID><FirstName>{ESCAPED}</FirstName><Loyalty>gold {ESCAPED}</Loyalty>\
         <Phones><Phone><![CDATA[{PASSWORD}]]></Phone></Phones><s3cr>named</s3cr></Customer></data></response>"
    ));
    let outcomes = batch(&types)
        .decode_response_body(body.as_bytes())
        .expect("decodes");
    let Ok(OperationSuccess::CustomerStatus(customer)) = &outcomes[0] else {
        panic!("{:?}", outcomes[0]);
    };
    assert_eq!(customer.first_name.as_deref(), Some("[redacted]"));
    assert_eq!(
        customer.extra_fields,
        vec![
            ("Loyalty".to_owned(), "gold [redacted]".to_owned()),
            ("Phones/Phone".to_owned(), "[redacted]".to_owned()),
            ("s3cr".to_owned(), "named".to_owned()),
        ]
    );
    // An element named like the password is renamed too (a short password
    // would make element names hard to read, never leak).
    let short = Batch::new(Credentials::new("u", "s3cr", "1"), operations(&types))
        .decode_response_body(body.as_bytes())
        .expect("decodes");
    let Ok(OperationSuccess::CustomerStatus(customer)) = &short[0] else {
        panic!("{:?}", short[0]);
    };
    assert_eq!(customer.extra_fields[2].0, "[redacted]");
    assert!(!format!("{short:?}").contains("s3cr"));
    assert_redacted(&format!(
        "{:?} {:?}",
        customer.first_name, customer.extra_fields
    ));
}

#[test]
fn body_excerpts_and_service_names_in_errors_are_redacted() {
    let types = [RequestType::CreateCustomerNote];
    let batch = batch(&types);
    for page in [
        format!("<html>Fatal: login {PASSWORD} refused"),
        format!("<html>Fatal: login {ESCAPED} refused"),
    ] {
        let err = batch
            .decode_response_body(page.as_bytes())
            .expect_err("not XML");
        // Not XML (the raw form), or XML with another root (the escaped one).
        let (DecodeError::Xml { body_excerpt, .. }
        | DecodeError::UnexpectedRoot { body_excerpt, .. }) = &err
        else {
            panic!("{err:?}");
        };
        assert!(
            body_excerpt.contains("login [redacted] refused"),
            "{body_excerpt}"
        );
        assert_redacted(&format!("{err} {err:?}"));

        let response = http::Response::builder()
            .status(500)
            .body(Bytes::from(page))
            .expect("response");
        let err = batch.decode_response(&response).expect_err("500");
        assert!(matches!(err, DecodeError::HttpStatus { status: 500, .. }));
        assert_redacted(&format!("{err} {err:?}"));
    }
    let mistyped = doc(&format!("<response type='{ESCAPED}' success='true'/>"));
    let err = batch
        .decode_response_body(mistyped.as_bytes())
        .expect_err("not the authentication");
    assert!(
        matches!(&err, DecodeError::ResponseTypeMismatch { found, .. } if found == "[redacted]"),
        "{err:?}"
    );
    assert_redacted(&format!("{err} {err:?}"));
}

#[test]
fn names_the_reader_quotes_in_its_errors_are_redacted() {
    let batch = Batch::new(
        Credentials::new("u", "s3cret", "1"),
        operations(&[RequestType::CreateCustomerNote]),
    );
    let body = doc(
        "<response type='GetSystemAuthentication' success='true'><data><message>&s3cret;</message></data></response>",
    );
    let err = batch
        .decode_response_body(body.as_bytes())
        .expect_err("unknown entity");
    let DecodeError::Xml {
        source: ReadError::UnknownEntity { name, .. },
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(name, "[redacted]");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
}
