//! Response decoding: outcomes in request order, and every protocol error.

use bytes::Bytes;
use strax_xml_protocol::{
    DecodeError, OperationFailure, OperationSuccess, ReadError, RequestType, decode_response,
    decode_response_body,
};

const AUTH_OK: &str = r#"<response type="GetSystemAuthentication" success="true"><data><message>Authenticated To System</message></data></response>"#;

fn doc(responses: &str) -> String {
    format!("<root><responses>{responses}</responses></root>")
}

fn decode(
    sent: &[RequestType],
    body: &str,
) -> Result<Vec<strax_xml_protocol::OperationOutcome>, DecodeError> {
    decode_response_body(sent, body.as_bytes())
}

#[test]
fn outcomes_come_back_in_request_order_with_failures_typed() {
    let body = doc(&format!(
        "{AUTH_OK}\
         <response type='AllAccess-GetSecurityTraxUniqueID' success='true'><data><SecurityTraxUniqueID> 2237 </SecurityTraxUniqueID></data></response>\
         <response type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='false'><data><message>No such customer</message></data></response>\
         <response type='UpdateConfirmationNumberBySecurityTraxUniqueID' success='TRUE'><data><message>Successfully set customer Receiver Number: 206</message></data></response>"
    ));
    let sent = [
        RequestType::GetSecurityTraxUniqueId,
        RequestType::GetCustomerStatus,
        RequestType::UpdateConfirmationNumber,
    ];
    let outcomes = decode(&sent, &body).expect("decodes");
    assert_eq!(
        outcomes[0],
        Ok(OperationSuccess::SecurityTraxUniqueId("2237".into()))
    );
    let failure = outcomes[1].clone().expect_err("failed");
    assert_eq!(failure.request_type, RequestType::GetCustomerStatus);
    assert_eq!(
        failure.to_string(),
        "AllAccess-GetCustomerStatusBySecurityTraxUniqueID failed: message: No such customer"
    );
    assert_eq!(
        outcomes[2],
        Ok(OperationSuccess::ConfirmationNumberUpdated {
            message: Some("Successfully set customer Receiver Number: 206".into())
        })
    );
}

#[test]
fn a_failure_without_data_has_no_texts() {
    let body = doc(&format!(
        "{AUTH_OK}<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='false'/>"
    ));
    let outcomes = decode(&[RequestType::CreateCustomerNote], &body).expect("decodes");
    assert_eq!(
        outcomes,
        vec![Err(OperationFailure {
            request_type: RequestType::CreateCustomerNote,
            texts: Vec::new()
        })]
    );
}

#[test]
fn failed_authentication_reports_every_operation_as_not_executed() {
    let body = doc(
        "<response type='GetSystemAuthentication' success='false'><data><message>Bad password</message><error>Locked</error></data></response>",
    );
    let sent = [
        RequestType::CreateCustomerNote,
        RequestType::CreateTechSchedule,
    ];
    let err = decode(&sent, &body).expect_err("auth failed");
    assert_eq!(
        err,
        DecodeError::AuthenticationFailed {
            messages: vec!["Bad password".into(), "Locked".into()],
            not_executed: sent.to_vec()
        }
    );
    assert_eq!(
        err.to_string(),
        "authentication failed (Bad password; Locked); none of the 2 operations was executed"
    );
}

#[test]
fn count_and_type_mismatches_are_protocol_errors() {
    let sent = [RequestType::CreateCustomerNote];
    assert_eq!(
        decode(&sent, &doc(AUTH_OK)),
        Err(DecodeError::ResponseCount {
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        decode(&sent, &doc("")),
        Err(DecodeError::ResponseCount {
            expected: 2,
            found: 0
        })
    );
    let wrong = doc(&format!(
        "{AUTH_OK}<response type='AllAccess-GetSecurityTraxUniqueID' success='true'/>"
    ));
    assert_eq!(
        decode(&sent, &wrong),
        Err(DecodeError::ResponseTypeMismatch {
            position: 1,
            expected: "CreateCustomerNoteBySecurityTraxUniqueID",
            found: "AllAccess-GetSecurityTraxUniqueID".into()
        })
    );
    let no_auth = doc("<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'/>");
    assert!(matches!(
        decode(&sent, &no_auth),
        Err(DecodeError::ResponseTypeMismatch { position: 0, .. })
    ));
}

#[test]
fn envelope_errors_are_named() {
    let sent = [RequestType::CreateCustomerNote];
    assert_eq!(
        decode(&sent, "<html/>"),
        Err(DecodeError::UnexpectedRoot {
            found: "html".into()
        })
    );
    assert_eq!(
        decode(&sent, "<root><other/></root>"),
        Err(DecodeError::MissingResponses)
    );
    assert_eq!(
        decode(&sent, &doc("<response success='true'/>")),
        Err(DecodeError::InvalidResponseAttribute {
            position: 0,
            attribute: "type"
        })
    );
    assert_eq!(
        decode(
            &sent,
            &doc(&format!(
                "{AUTH_OK}<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='yes'/>"
            ))
        ),
        Err(DecodeError::InvalidResponseAttribute {
            position: 1,
            attribute: "success"
        })
    );
}

#[test]
fn successes_missing_their_result_element_are_errors() {
    for (request_type, element) in [
        (RequestType::GetSecurityTraxUniqueId, "SecurityTraxUniqueID"),
        (RequestType::GetCustomerStatus, "Customer"),
    ] {
        let body = doc(&format!(
            "{AUTH_OK}<response type='{}' success='true'><data><message>ok</message></data></response>",
            request_type.wire_name()
        ));
        assert_eq!(
            decode(&[request_type], &body),
            Err(DecodeError::MissingData {
                operation_index: 0,
                request_type,
                element
            })
        );
    }
    let body = doc(&format!(
        "{AUTH_OK}<response type='CreateTechScheduleBySecurityTraxUniqueID' success='true'><data/></response>"
    ));
    assert_eq!(
        decode(&[RequestType::CreateTechSchedule], &body),
        Ok(vec![Ok(OperationSuccess::AppointmentCreated {
            confirmation_status_name: None
        })])
    );
}

#[test]
fn doctype_and_unknown_entities_are_rejected() {
    let sent = [RequestType::CreateCustomerNote];
    let with_doctype = format!("<!DOCTYPE root [<!ENTITY x 'y'>]>{}", doc(AUTH_OK));
    assert!(matches!(
        decode(&sent, &with_doctype),
        Err(DecodeError::Xml(ReadError::DocType { .. }))
    ));
    let with_entity = doc(
        "<response type='GetSystemAuthentication' success='false'><data><message>&x;</message></data></response>",
    );
    assert!(matches!(
        decode(&sent, &with_entity),
        Err(DecodeError::Xml(ReadError::UnknownEntity { ref name, .. })) if name == "x"
    ));
}

#[test]
fn system_request_echoes_are_dropped_with_their_password() {
    let body = doc(&format!(
        "{AUTH_OK}<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='false'><data><message>bad</message></data>\
         <system_request><request type='GetSystemAuthentication'><attribute name='Password'>hunter2</attribute></request></system_request></response>"
    ));
    let outcomes = decode(&[RequestType::CreateCustomerNote], &body).expect("decodes");
    let debug = format!("{outcomes:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert_eq!(outcomes[0].clone().expect_err("failed").texts.len(), 1);
}

#[test]
fn non_2xx_status_carries_a_sanitised_excerpt() {
    let body = "<html>\n<h1>500 Internal Error</h1>\u{7}<attribute name='Password'>hunter2</attribute></html>";
    let response = http::Response::builder()
        .status(500)
        .body(Bytes::from(body))
        .expect("response");
    let err = decode_response(&[RequestType::CreateCustomerNote], &response).expect_err("500");
    assert_eq!(
        err,
        DecodeError::HttpStatus {
            status: 500,
            body_excerpt: "<html> <h1>500 Internal Error</h1> <attribute name='Password'>[redacted]</attribute></html>".into()
        }
    );
    assert!(err.to_string().starts_with("HTTP status 500: <html>"));
    let redirect = http::Response::builder()
        .status(302)
        .body(Bytes::new())
        .expect("response");
    assert!(matches!(
        decode_response(&[RequestType::CreateCustomerNote], &redirect),
        Err(DecodeError::HttpStatus { status: 302, .. })
    ));
}
