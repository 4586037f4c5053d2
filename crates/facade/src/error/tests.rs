use std::error::Error as _;

use strax_xml_protocol::{DataText, DecodeError, OperationFailure, RequestType};
use wire_core::validation::{Rule, Violation};

use super::*;

fn not_sent() -> TransportError {
    TransportError::not_sent("connection refused")
}

#[test]
fn every_variant_has_one_fate() {
    let refused_texts = vec![DataText {
        element: "message".into(),
        text: "Customer not found".into(),
    }];
    let cases: Vec<(Error, Fate)> = vec![
        (
            Error::InvalidInput(Violations::one(Violation::of_request(
                "Password",
                Rule::Required,
            ))),
            Fate::Rejected,
        ),
        (
            Error::Setup {
                what: "bad url".into(),
                source: None,
            },
            Fate::Rejected,
        ),
        (
            Error::from_transport(TransportError::invalid_request("plain http"), true),
            Fate::Rejected,
        ),
        (Error::from_transport(not_sent(), true), Fate::NotSent),
        (
            Error::from_transport(
                TransportError::timeout(TimeoutPhase::Connect, Duration::from_millis(1500)),
                true,
            ),
            Fate::NotSent,
        ),
        (
            Error::from_transport(
                TransportError::timeout(TimeoutPhase::Total, Duration::from_millis(1500)),
                true,
            ),
            Fate::Unknown,
        ),
        (
            Error::from_transport(
                TransportError::timeout(TimeoutPhase::Total, Duration::from_millis(1500)),
                false,
            ),
            Fate::NotSent,
        ),
        (
            Error::from_transport(TransportError::maybe_received("connection reset"), false),
            Fate::NotSent,
        ),
        (
            Error::from_transport(TransportError::maybe_received("connection reset"), true),
            Fate::Unknown,
        ),
        (
            Error::from_transport(TransportError::body_too_large(10, 200), true),
            Fate::Unknown,
        ),
        (
            Error::from_transport(TransportError::body_too_large(10, 200), false),
            Fate::Answered,
        ),
        (
            Error::from_strax_decode(
                DecodeError::HttpStatus {
                    status: 503,
                    body_excerpt: "busy".into(),
                },
                true,
            ),
            Fate::Unknown,
        ),
        (
            Error::from_strax_decode(
                DecodeError::HttpStatus {
                    status: 503,
                    body_excerpt: "busy".into(),
                },
                false,
            ),
            Fate::Answered,
        ),
        (
            Error::from_strax_decode(
                DecodeError::HttpStatus {
                    status: 404,
                    body_excerpt: String::new(),
                },
                true,
            ),
            Fate::Answered,
        ),
        (
            Error::from_strax_decode(DecodeError::MissingResponses, true),
            Fate::Unknown,
        ),
        (
            Error::from_strax_decode(DecodeError::MissingResponses, false),
            Fate::Answered,
        ),
        (
            Error::from_strax_operation(OperationFailure::refused(
                RequestType::CreateCustomerNote,
                refused_texts.clone(),
            )),
            Fate::Answered,
        ),
        (
            Error::from_strax_operation(OperationFailure::no_response(
                RequestType::CreateCustomerNote,
            )),
            Fate::Unknown,
        ),
        (
            Error::from_strax_operation(OperationFailure::no_response(
                RequestType::GetCustomerStatus,
            )),
            Fate::Answered,
        ),
    ];
    for (error, fate) in cases {
        assert_eq!(error.fate(), fate, "{error}");
        assert_eq!(error.is_retry_safe(), fate == Fate::NotSent, "{error}");
        assert_eq!(error.outcome_unknown(), fate == Fate::Unknown, "{error}");
    }
}

#[test]
fn transport_failures_keep_their_source_and_say_what_to_do() {
    let error = Error::from_transport(not_sent(), true);
    assert_eq!(
        error.to_string(),
        "request not sent; it is safe to send it again"
    );
    let source = error.source().expect("the transport error is the source");
    assert!(source.downcast_ref::<TransportError>().is_some());
    assert_eq!(
        source.source().map(ToString::to_string).as_deref(),
        Some("connection refused"),
        "the underlying error stays reachable"
    );

    let maybe = Error::from_transport(
        TransportError::maybe_received("connection closed before message completed"),
        true,
    );
    assert!(
        maybe
            .to_string()
            .ends_with("check the CRM before sending it again"),
        "{maybe}"
    );
    let connect = Error::from_transport(
        TransportError::timeout(TimeoutPhase::Connect, Duration::from_millis(1500)),
        true,
    );
    assert_eq!(
        connect.to_string(),
        "connect timeout after 1500 ms; nothing was sent, it is safe to send it again"
    );
}

#[test]
fn a_read_that_broke_off_is_safe_to_send_again() {
    let timeout = Error::from_transport(
        TransportError::timeout(TimeoutPhase::Total, Duration::from_millis(1500)),
        false,
    );
    assert_eq!(
        timeout.to_string(),
        "total timeout after 1500 ms; the request only reads, so nothing was changed \
         and it is safe to send it again"
    );
    assert!(timeout.is_retry_safe() && !timeout.outcome_unknown());
    assert_eq!(timeout.kind(), "timeout");

    let broken = Error::from_transport(
        TransportError::maybe_received("connection closed before message completed")
            .with_attempts(3),
        false,
    );
    assert_eq!(broken.kind(), "read_interrupted");
    assert!(broken.is_retry_safe() && !broken.outcome_unknown());
    assert!(
        !broken.to_string().contains("check the CRM"),
        "a read changes nothing: {broken}"
    );
    let source = broken.source().expect("the transport error is the source");
    assert_eq!(
        source
            .downcast_ref::<TransportError>()
            .map(TransportError::attempts),
        Some(3)
    );

    let write = Error::from_transport(
        TransportError::timeout(TimeoutPhase::Total, Duration::from_millis(1500)),
        true,
    );
    assert!(
        write.outcome_unknown(),
        "a write's total timeout stays unknown"
    );
}

#[test]
fn an_answer_too_large_names_the_limit_and_keeps_its_source() {
    let error = Error::from_transport(TransportError::body_too_large(4096, 200), false);
    assert_eq!(
        error.to_string(),
        "the service's answer cannot be used: the 200 response's body exceeds the limit \
         of 4096 bytes: the request was received, its result cannot be read"
    );
    let source = error.source().expect("the transport error is the source");
    assert!(
        source.to_string().contains("limit of 4096 bytes"),
        "{source}"
    );
}

#[test]
fn service_texts_are_in_the_message_with_their_service() {
    let refused = Error::from_strax_operation(OperationFailure::refused(
        RequestType::GetCustomerStatus,
        vec![DataText {
            element: "message".into(),
            text: "Customer not found".into(),
        }],
    ));
    assert_eq!(
        refused.to_string(),
        "the service refused AllAccess-GetCustomerStatusBySecurityTraxUniqueID \
         (SecurityTrax: message: Customer not found)"
    );
    assert_eq!(refused.kind(), "refused");
    let service = refused.service_error().expect("a service part");
    assert_eq!(service.service(), Service::SecurityTrax);
    assert_eq!(service.messages(), vec!["message: Customer not found"]);

    let auth = Error::from_strax_decode(
        DecodeError::AuthenticationFailed {
            messages: vec!["Invalid login".into()],
            not_executed: vec![RequestType::CreateCustomerNote],
        },
        true,
    );
    assert_eq!(
        auth.to_string(),
        "authentication failed (SecurityTrax: message: Invalid login); nothing was executed"
    );
    assert_eq!(auth.fate(), Fate::Answered);
}

#[test]
fn an_unreadable_answer_to_a_write_says_to_check_the_crm() {
    let unreadable = Error::from_strax_operation(OperationFailure::undecodable(
        RequestType::CreateTechSchedule,
        "success=\"true\" without <ConfirmationStatusName>",
        Vec::new(),
    ));
    assert!(unreadable.outcome_unknown());
    assert!(
        unreadable
            .to_string()
            .ends_with("(the request may have been received and acted on: check the CRM before sending it again)"),
        "{unreadable}"
    );
    assert!(unreadable.source().is_some());
    let status = Error::from_strax_decode(
        DecodeError::HttpStatus {
            status: 404,
            body_excerpt: "Not Found".into(),
        },
        true,
    );
    assert_eq!(
        status.to_string(),
        "the service answered HTTP status 404: Not Found"
    );
}

#[test]
fn setup_errors_convert_with_question_mark() {
    fn build() -> Result<strax_xml_protocol::Endpoint, Error> {
        Ok(strax_xml_protocol::Endpoint::new("not a url", "acme")?)
    }
    let error = build().unwrap_err();
    assert_eq!(error.fate(), Fate::Rejected);
    assert!(error.source().is_some());
}
