//! Response decoding: outcomes in request order, and every protocol error.

use bytes::Bytes;
use strax_xml_protocol::{
    DataText, DecodeError, FailureKind, OperationFailure, OperationSuccess, ReadError, RequestType,
    decode_response, decode_response_body,
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
        vec![Err(OperationFailure::refused(
            RequestType::CreateCustomerNote,
            Vec::new()
        ))]
    );
    let failure = outcomes[0].clone().expect_err("refused");
    assert_eq!(failure.kind, FailureKind::Refused);
    assert!(!failure.outcome_unknown());
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

fn undecodable(outcome: &strax_xml_protocol::OperationOutcome) -> (RequestType, String) {
    match outcome {
        Err(OperationFailure {
            request_type,
            kind: FailureKind::Undecodable { reason },
            ..
        }) => (*request_type, reason.clone()),
        other => panic!("expected an undecodable answer, got {other:?}"),
    }
}

#[test]
fn a_short_list_of_responses_keeps_the_answered_operations() {
    let sent = [
        RequestType::CreateCustomerNote,
        RequestType::UpdateConfirmationNumber,
        RequestType::CreateTechSchedule,
    ];
    let body = doc(&format!(
        "{AUTH_OK}<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'><data/></response>"
    ));
    let outcomes = decode(&sent, &body).expect("decodes");
    assert_eq!(
        outcomes,
        vec![
            Ok(OperationSuccess::NoteCreated),
            Err(OperationFailure::no_response(
                RequestType::UpdateConfirmationNumber
            )),
            Err(OperationFailure::no_response(
                RequestType::CreateTechSchedule
            )),
        ]
    );
    assert!(outcomes[1].clone().expect_err("missing").outcome_unknown());
    // Only the authentication was answered: every operation is unanswered.
    let outcomes = decode(&sent, &doc(AUTH_OK)).expect("decodes");
    assert_eq!(outcomes.len(), 3);
    assert!(outcomes.iter().all(|outcome| matches!(
        outcome,
        Err(OperationFailure { kind: FailureKind::NoResponse, texts, .. }) if texts.is_empty()
    )));
}

#[test]
fn a_response_of_the_wrong_type_is_undecodable_for_its_operation_only() {
    let sent = [
        RequestType::CreateCustomerNote,
        RequestType::CreateCustomerNote,
    ];
    let body = doc(&format!(
        "{AUTH_OK}<response type='AllAccess-GetSecurityTraxUniqueID' success='true'><data><message>odd</message></data></response>\
         <response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'/>"
    ));
    let outcomes = decode(&sent, &body).expect("decodes");
    assert_eq!(
        undecodable(&outcomes[0]),
        (
            RequestType::CreateCustomerNote,
            "the response is of type `AllAccess-GetSecurityTraxUniqueID`, expected \
             `CreateCustomerNoteBySecurityTraxUniqueID`"
                .into()
        )
    );
    let failure = outcomes[0].clone().expect_err("undecodable");
    assert!(failure.outcome_unknown());
    assert_eq!(
        failure.texts,
        vec![DataText {
            element: "message".into(),
            text: "odd".into()
        }]
    );
    assert_eq!(outcomes[1], Ok(OperationSuccess::NoteCreated));
}

#[test]
fn whole_document_errors_are_left_for_what_cannot_be_matched_to_operations() {
    let sent = [RequestType::CreateCustomerNote];
    assert_eq!(
        decode(&sent, &doc("")),
        Err(DecodeError::ResponseCount {
            expected: 2,
            found: 0
        })
    );
    let too_many = doc(&format!(
        "{AUTH_OK}<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'/>\
         <response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'/>"
    ));
    let err = decode(&sent, &too_many).expect_err("too many");
    assert_eq!(
        err,
        DecodeError::ResponseCount {
            expected: 2,
            found: 3
        }
    );
    assert_eq!(
        err.to_string(),
        "expected 2 responses (authentication plus one per operation), found 3"
    );
    let no_auth = doc("<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'/>");
    assert_eq!(
        decode(&sent, &no_auth),
        Err(DecodeError::ResponseTypeMismatch {
            position: 0,
            expected: "GetSystemAuthentication",
            found: "CreateCustomerNoteBySecurityTraxUniqueID".into()
        })
    );
}

#[test]
fn envelope_errors_are_named() {
    let sent = [RequestType::CreateCustomerNote];
    let err = decode(&sent, "<html><body>Fatal error</body></html>").expect_err("html");
    assert_eq!(
        err,
        DecodeError::UnexpectedRoot {
            found: "html".into(),
            body_excerpt: "<html><body>Fatal error</body></html>".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "response root element is <html>, expected <root>; the body starts: <html><body>Fatal error</body></html>"
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
            &doc("<response type='GetSystemAuthentication' success='maybe'/>")
        ),
        Err(DecodeError::InvalidResponseAttribute {
            position: 0,
            attribute: "success"
        })
    );
}

#[test]
fn unreadable_attributes_of_an_operation_response_are_undecodable_for_it() {
    let sent = [
        RequestType::CreateCustomerNote,
        RequestType::UpdateConfirmationNumber,
    ];
    let body = doc(&format!(
        "{AUTH_OK}<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='yes'/>\
         <response success='true'><data><message>set</message></data></response>"
    ));
    let outcomes = decode(&sent, &body).expect("decodes");
    assert_eq!(
        undecodable(&outcomes[0]),
        (
            RequestType::CreateCustomerNote,
            "the response's `success` attribute is not `true` or `false`".into()
        )
    );
    assert_eq!(
        undecodable(&outcomes[1]),
        (
            RequestType::UpdateConfirmationNumber,
            "the response has no `type` attribute".into()
        )
    );
}

#[test]
fn a_php_error_page_with_status_200_carries_an_excerpt() {
    let sent = [RequestType::CreateCustomerNote];
    let page = "\nFatal error:  Uncaught Exception in /var/www/x.php:12\n<br />\
                with Password hunter2";
    let err = decode(&sent, page).expect_err("not XML");
    let DecodeError::Xml {
        source,
        body_excerpt,
    } = &err
    else {
        panic!("expected an XML error, got {err:?}");
    };
    assert!(
        matches!(source, ReadError::UnexpectedText { .. }),
        "{source:?}"
    );
    assert_eq!(
        body_excerpt,
        "Fatal error: Uncaught Exception in /var/www/x.php:12 <br />with [cut: the rest may hold credentials]"
    );
    let message = err.to_string();
    assert!(
        message.starts_with("response is not acceptable XML: ")
            && message.ends_with(&format!("; the body starts: {body_excerpt}")),
        "{message}"
    );
    assert!(!format!("{message} {err:?}").contains("hunter2"));
    let empty = decode(&sent, "").expect_err("empty");
    assert!(
        empty.to_string().ends_with("; the body is empty"),
        "{empty}"
    );
}

#[test]
fn texts_are_kept_exactly_and_only_ids_and_availability_are_trimmed() {
    let sent = [
        RequestType::UpdateConfirmationNumber,
        RequestType::GetAppointmentAvailability,
        RequestType::CreateCustomerNote,
        RequestType::CreateTechSchedule,
    ];
    let body = doc(&format!(
        "{AUTH_OK}\
         <response type='UpdateConfirmationNumberBySecurityTraxUniqueID' success='true'><data><message>  Set: 206\r\n</message></data></response>\
         <response type='GetIfAppointmentAvailableByLocationInfo' success='true'><data><SlotsTaken>0</SlotsTaken><Available> Yes </Available></data></response>\
         <response type='CreateCustomerNoteBySecurityTraxUniqueID' success='false'><data><error> Bad  id </error></data></response>\
         <response type='CreateTechScheduleBySecurityTraxUniqueID' success='true'><data><ConfirmationStatusName>   </ConfirmationStatusName></data></response>"
    ));
    let outcomes = decode(&sent, &body).expect("decodes");
    assert_eq!(
        outcomes[0],
        Ok(OperationSuccess::ConfirmationNumberUpdated {
            message: Some("  Set: 206\n".into())
        })
    );
    let text = |element: &str, text: &str| DataText {
        element: element.into(),
        text: text.into(),
    };
    let Ok(OperationSuccess::Availability(answer)) = &outcomes[1] else {
        panic!("expected an availability answer: {:?}", outcomes[1]);
    };
    assert_eq!(answer.available, Some(true));
    assert_eq!(
        answer.data,
        vec![text("SlotsTaken", "0"), text("Available", " Yes ")]
    );
    assert_eq!(
        outcomes[2],
        Err(OperationFailure::refused(
            RequestType::CreateCustomerNote,
            vec![text("error", " Bad  id ")]
        ))
    );
    assert_eq!(
        outcomes[3],
        Ok(OperationSuccess::AppointmentCreated {
            confirmation_status_name: None
        })
    );
}

#[test]
fn a_success_missing_its_result_element_is_undecodable_and_the_others_are_kept() {
    for (request_type, element) in [
        (RequestType::GetSecurityTraxUniqueId, "SecurityTraxUniqueID"),
        (RequestType::GetCustomerStatus, "Customer"),
    ] {
        let body = doc(&format!(
            "{AUTH_OK}<response type='{}' success='true'><data><message>ok</message></data></response>\
             <response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'/>",
            request_type.wire_name()
        ));
        let outcomes =
            decode(&[request_type, RequestType::CreateCustomerNote], &body).expect("decodes");
        assert_eq!(
            undecodable(&outcomes[0]),
            (
                request_type,
                format!("success=\"true\" without <{element}>")
            )
        );
        let failure = outcomes[0].clone().expect_err("undecodable");
        assert_eq!(failure.texts.len(), 1);
        assert_eq!(
            failure.to_string(),
            format!(
                "{}: the service's response cannot be read (success=\"true\" without <{element}>): message: ok",
                request_type.wire_name()
            )
        );
        assert_eq!(outcomes[1], Ok(OperationSuccess::NoteCreated));
    }
    let body = doc(&format!(
        "{AUTH_OK}<response type='AllAccess-GetSecurityTraxUniqueID' success='true'><data><SecurityTraxUniqueID> </SecurityTraxUniqueID></data></response>"
    ));
    let outcomes = decode(&[RequestType::GetSecurityTraxUniqueId], &body).expect("decodes");
    assert_eq!(
        undecodable(&outcomes[0]).1,
        "success=\"true\" without <SecurityTraxUniqueID>"
    );
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
        Err(DecodeError::Xml {
            source: ReadError::DocType { .. },
            ..
        })
    ));
    let with_entity = doc(
        "<response type='GetSystemAuthentication' success='false'><data><message>&x;</message></data></response>",
    );
    assert!(matches!(
        decode(&sent, &with_entity),
        Err(DecodeError::Xml { source: ReadError::UnknownEntity { ref name, .. }, .. }) if name == "x"
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
fn system_request_echoes_inside_data_are_dropped_at_every_depth() {
    let echo = "<system_request><request type='GetSystemAuthentication'><attribute name='Password'>hunter2</attribute></request></system_request>";
    let body = doc(&format!(
        "{AUTH_OK}\
         <response type='CreateCustomerNoteBySecurityTraxUniqueID' success='false'><data><message>bad</message>{echo}<errors><error>e</error><wrap>{echo}</wrap></errors></data></response>\
         <response type='GetIfAppointmentAvailableByLocationInfo' success='true'><data>{echo}<Available>true</Available></data></response>\
         <response type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'><data><Customer><ID>1</ID>{echo}<Phones>{echo}<Phone>1</Phone></Phones></Customer></data></response>"
    ));
    let sent = [
        RequestType::CreateCustomerNote,
        RequestType::GetAppointmentAvailability,
        RequestType::GetCustomerStatus,
    ];
    let outcomes = decode(&sent, &body).expect("decodes");
    let failure = outcomes[0].clone().expect_err("refused");
    let texts: Vec<&str> = failure.texts.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["bad", "e"]);
    let Ok(OperationSuccess::CustomerStatus(customer)) = &outcomes[2] else {
        panic!("{:?}", outcomes[2]);
    };
    assert_eq!(
        customer.extra_fields,
        vec![("Phones/Phone".to_owned(), "1".to_owned())]
    );
    let mut shown = format!("{outcomes:?} {outcomes:#?}");
    for outcome in &outcomes {
        if let Err(failure) = outcome {
            shown.push_str(&failure.to_string());
        }
    }
    assert!(!shown.contains("hunter2"), "{shown}");

    let auth_failed = doc(&format!(
        "<response type='GetSystemAuthentication' success='false'><data><message>Invalid</message>{echo}</data></response>"
    ));
    let err = decode(&sent, &auth_failed).expect_err("auth failed");
    assert_eq!(
        err,
        DecodeError::AuthenticationFailed {
            messages: vec!["Invalid".into()],
            not_executed: sent.to_vec()
        }
    );
    assert!(!format!("{err} {err:?}").contains("hunter2"));
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
            body_excerpt:
                "<html> <h1>500 Internal Error</h1> <attribute name=' [cut: the rest may hold credentials]"
                    .into()
        }
    );
    for body in [
        "<attribute name='Password'><![CDATA[hunter2]]></attribute>",
        "<attribute name='password'>hunter2</attribute>",
        "<Password>hunter2</Password>",
        "Username=u&Password=hunter2&PartnerID=1",
        "<system_request><attribute name='Pass'>hunter2</attribute></system_request>",
    ] {
        let response = http::Response::builder()
            .status(503)
            .body(Bytes::from(body))
            .expect("response");
        let err = decode_response(&[RequestType::CreateCustomerNote], &response).expect_err("503");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("hunter2") && shown.contains("[cut: the rest may hold credentials]"),
            "{body}: {shown}"
        );
    }
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
