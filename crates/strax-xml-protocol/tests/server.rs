//! The server side: request decoding with per-operation rejections, response encoding.

use jiff::civil::date;
use strax_xml_protocol::server::{
    RequestDecodeError, RequestRejection, ResponseEntry, decode_request, encode_response,
    encode_response_echoing, system_request_echo,
};
use strax_xml_protocol::{
    Availability, Batch, CreateTechSchedule, Credentials, Customer, DataText, GetCustomerStatus,
    OperationFailure, OperationSuccess, RequestType, Rule, ServiceType, Violation, Violations,
    XmlElement, decode_response_body, operation_record,
};

const AUTH: &str = "<request type='GetSystemAuthentication'><attribute name='Username'>u</attribute><attribute name='Password'>p</attribute><attribute name='PartnerID'>1</attribute></request>";

fn requests(inner: &str) -> String {
    format!("<root><requests>{inner}</requests></root>")
}

#[test]
fn invalid_and_unknown_operations_are_rejected_one_by_one() {
    let body = requests(&format!(
        "{AUTH}\
         <request type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID'><attribute name='SecurityTraxUniqueID'>12</attribute></request>\
         <request type='DeleteEverything'><attribute name='x'>1</attribute></request>\
         <request type='CreateTechScheduleBySecurityTraxUniqueID'><attribute name='SecurityTraxUniqueID'>x</attribute>\
           <attribute name='StartTime'>2014-01-23 07:30</attribute><attribute name='EndTime'>01/23/2014 9:00</attribute>\
           <attribute name='ServiceType'>4</attribute><attribute name='Color'>red</attribute></request>"
    ));
    let decoded = decode_request(body.as_bytes()).expect("decodes");
    assert!(
        decoded
            .credentials
            .matches(&Credentials::new("u", "p", "1"))
    );
    assert_eq!(decoded.operations.len(), 3);
    assert_eq!(
        decoded.operations[0].result,
        Ok(GetCustomerStatus {
            security_trax_unique_id: "12".into()
        }
        .into())
    );
    assert_eq!(
        decoded.operations[1].result,
        Err(RequestRejection::UnknownRequestType(
            "DeleteEverything".into()
        ))
    );
    let field = |field: &'static str, rule| {
        Violation::new(
            operation_record(2, RequestType::CreateTechSchedule),
            field,
            rule,
        )
    };
    let date_time = Rule::Format {
        expected:
            "a local date and time written MM/DD/YYYY H:MM (24 h, whole minutes, years 1000-9999)"
                .into(),
    };
    let service_types = ServiceType::CODES.iter().map(|&c| c.into()).collect();
    assert_eq!(
        decoded.operations[2].result,
        Err(RequestRejection::Invalid(
            Violations::from_vec(vec![
                field("SecurityTraxUniqueID", Rule::Digits),
                field("StartTime", date_time),
                field("ServiceType", Rule::OneOf(service_types)),
                field("Color", Rule::UnknownField),
            ])
            .expect("not empty")
        ))
    );
    let message = decoded.operations[2]
        .result
        .clone()
        .expect_err("invalid")
        .to_string();
    assert!(
        message.starts_with(
            "operation 2 (CreateTechScheduleBySecurityTraxUniqueID): field `SecurityTraxUniqueID`"
        ),
        "{message}"
    );
}

#[test]
fn misspelt_elements_are_reported_not_dropped() {
    // `<atribute>` would otherwise lose the optional TicketTypeID unnoticed, and
    // `<reqest>` a whole operation (shifting every later answer).
    let body = requests(&format!(
        "{AUTH}\
         <request type='CreateCustomerNoteBySecurityTraxUniqueID'>\
           <attribute name='SecurityTraxUniqueID'>9710</attribute><attribute name='NoteSubject'>s</attribute>\
           <attribute name='NoteText'>t</attribute><attribute name='NoteTypeID'>1</attribute>\
           <atribute name='TicketTypeID'>1</atribute></request>\
         <reqest type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID'/>\
         <request type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID'><attribute name='SecurityTraxUniqueID'>12</attribute></request>"
    ));
    let decoded = decode_request(body.as_bytes()).expect("decodes");
    assert_eq!(decoded.operations.len(), 3);
    assert_eq!(
        decoded.operations[0].result,
        Err(RequestRejection::Invalid(Violations::one(Violation::new(
            operation_record(0, RequestType::CreateCustomerNote),
            "<atribute>",
            Rule::UnknownField,
        ))))
    );
    assert_eq!(
        decoded.operations[1].result,
        Err(RequestRejection::UnknownRequestType("<reqest>".into()))
    );
    assert_eq!(
        decoded.operations[2].result,
        Ok(GetCustomerStatus {
            security_trax_unique_id: "12".into()
        }
        .into())
    );
}

#[test]
fn envelope_and_authentication_errors() {
    assert_eq!(
        decode_request(b"<x/>").map(|_| ()),
        Err(RequestDecodeError::UnexpectedRoot { found: "x".into() })
    );
    assert_eq!(
        decode_request(b"<root/>").map(|_| ()),
        Err(RequestDecodeError::MissingRequests)
    );
    assert_eq!(
        decode_request(requests("").as_bytes()).map(|_| ()),
        Err(RequestDecodeError::MissingAuthentication { found: None })
    );
    assert_eq!(
        decode_request(requests("<request type='AllAccess-GetSecurityTraxUniqueID'/>").as_bytes())
            .map(|_| ()),
        Err(RequestDecodeError::MissingAuthentication {
            found: Some("AllAccess-GetSecurityTraxUniqueID".into())
        })
    );
    let no_password = requests(
        "<request type='GetSystemAuthentication'><attribute name='Username'>u</attribute><attribute name='PartnerID'>1</attribute></request>",
    );
    let err = decode_request(no_password.as_bytes())
        .map(|_| ())
        .expect_err("no password");
    assert_eq!(
        err,
        RequestDecodeError::MissingCredential { field: "Password" }
    );
    assert_eq!(err.to_string(), "GetSystemAuthentication has no `Password`");
    assert_eq!(
        decode_request(requests("<request><attribute name='a'>b</attribute></request>").as_bytes())
            .map(|_| ()),
        Err(RequestDecodeError::MissingXmlAttribute {
            position: 0,
            attribute: "type"
        })
    );
    assert_eq!(
        decode_request(
            requests(&format!(
                "{AUTH}<request type='x'><attribute>b</attribute></request>"
            ))
            .as_bytes()
        )
        .map(|_| ()),
        Err(RequestDecodeError::MissingXmlAttribute {
            position: 1,
            attribute: "name"
        })
    );
    assert!(matches!(
        decode_request(b"<root><requests>").map(|_| ()),
        Err(RequestDecodeError::Xml(_))
    ));
}

#[test]
fn encoded_responses_decode_back_to_the_same_outcomes() {
    let mut customer = Customer::default();
    customer.id = Some("2237".into());
    customer.first_name = Some("Renée & Co <1>".into());
    customer.extra_fields = vec![
        ("LoyaltyTier".into(), "Gold".into()),
        ("Phones/Phone".into(), "5555550100".into()),
        ("Phones/Phone".into(), "5555550101".into()),
        ("Phones/Work/Phone".into(), "5555550102".into()),
        ("Notes".into(), " kept as sent\n".into()),
    ];
    let outcomes = vec![
        Ok(OperationSuccess::NoteCreated),
        Ok(OperationSuccess::AppointmentCreated {
            confirmation_status_name: Some("Not Confirmed".into()),
        }),
        Ok(OperationSuccess::Availability(Availability::from_data(
            vec![DataText {
                element: "Available".into(),
                text: "false".into(),
            }],
        ))),
        Ok(OperationSuccess::CustomerStatus(Box::new(customer))),
        Ok(OperationSuccess::SecurityTraxUniqueId("2237".into())),
        Err(OperationFailure::refused(
            RequestType::UpdateConfirmationNumber,
            vec![DataText {
                element: "error".into(),
                text: "Locked".into(),
            }],
        )),
    ];
    let mut entries = vec![ResponseEntry::authenticated()];
    entries.extend(outcomes.iter().map(ResponseEntry::from_outcome));
    let body = encode_response(&entries).expect("encodes");
    let sent: Vec<RequestType> = RequestType::ALL.to_vec();
    assert_eq!(
        decode_response_body(&sent, &body).expect("decodes"),
        outcomes
    );
}

#[test]
fn flattened_customer_fields_are_written_nested() {
    let mut customer = Customer::default();
    customer.extra_fields = vec![
        ("Phones/Phone".into(), "1".into()),
        ("Phones/Phone".into(), "2".into()),
        ("Tier".into(), "Gold".into()),
    ];
    let entry = ResponseEntry::success(&OperationSuccess::CustomerStatus(Box::new(customer)));
    let body = encode_response(&[ResponseEntry::authenticated(), entry]).expect("encodes");
    let text = std::str::from_utf8(&body).expect("utf-8");
    let compact: String = text.split_whitespace().collect();
    assert!(
        compact.contains("<Phones><Phone>1</Phone><Phone>2</Phone></Phones><Tier>Gold</Tier>"),
        "{text}"
    );
}

#[test]
fn failures_of_every_kind_encode_as_success_false_with_their_texts() {
    let undecodable = OperationFailure::undecodable(
        RequestType::CreateCustomerNote,
        "success=\"true\" without <x>",
        vec![DataText {
            element: "message".into(),
            text: "odd".into(),
        }],
    );
    let entry = ResponseEntry::from_outcome(&Err(undecodable));
    assert!(!entry.success);
    assert_eq!(entry.data, vec![XmlElement::with_text("message", "odd")]);
    let missing = ResponseEntry::from_outcome(&Err(OperationFailure::no_response(
        RequestType::CreateCustomerNote,
    )));
    assert_eq!(
        (missing.success, missing.data.len()),
        (false, 0),
        "{missing:?}"
    );
}

#[test]
fn failures_and_authentication_failures_encode_as_success_false() {
    let body = encode_response(&[ResponseEntry::authentication_failed(
        "Invalid Username or Password",
    )])
    .expect("encodes");
    let text = std::str::from_utf8(&body).expect("utf-8");
    assert!(
        text.contains(r#"<response type="GetSystemAuthentication" success="false">"#),
        "{text}"
    );
    assert!(
        text.contains("<message>Invalid Username or Password</message>"),
        "{text}"
    );
    let bad = ResponseEntry::failure("X", ["bell\u{7}"]);
    assert!(matches!(
        encode_response(&[bad]),
        Err(strax_xml_protocol::WriteError::ForbiddenCharacter { .. })
    ));
    let bad_name = ResponseEntry {
        request_type: "X".into(),
        success: true,
        data: vec![XmlElement::new("a b")],
    };
    assert!(matches!(
        encode_response(&[bad_name]),
        Err(strax_xml_protocol::WriteError::InvalidName { .. })
    ));
}

#[test]
fn a_client_batch_survives_the_server_decoder() {
    let appointment = CreateTechSchedule {
        tech_id: Some("42".into()),
        service_detail_type: Some("Panel swap".into()),
        notes: Some("Gate code 1234\r\nDog in yard".into()),
        ..CreateTechSchedule::new(
            "9710",
            date(2014, 12, 3).at(17, 5, 0, 0),
            date(2014, 12, 3).at(19, 0, 0, 0),
            ServiceType::Service,
        )
    };
    let batch = Batch::new(
        Credentials::new("u", "p", "1"),
        [appointment.clone().into()],
    );
    let decoded = decode_request(&batch.to_xml().expect("valid")).expect("decodes");
    assert_eq!(decoded.operations[0].result, Ok(appointment.into()));
}

#[test]
fn echoed_responses_carry_the_authentication_request_and_still_decode() {
    let credentials = Credentials::new("echo-user", "echo-secret & <pw>", "77");
    let echo = system_request_echo(&credentials);
    let entries = [
        ResponseEntry::authenticated(),
        ResponseEntry::success(&OperationSuccess::SecurityTraxUniqueId("2237".into())),
    ];
    let body = encode_response_echoing(&entries, &echo).expect("encodes");
    let text = std::str::from_utf8(&body).expect("utf-8");
    // Every response ends with the echo, password escaped but present, after <data>.
    assert_eq!(text.matches("<system_request>").count(), 2, "{text}");
    assert_eq!(
        text.matches(r#"<attribute name="Password">echo-secret &amp; &lt;pw&gt;</attribute>"#)
            .count(),
        2,
        "{text}"
    );
    assert!(
        text.find("</data>").expect("data") < text.find("<system_request>").expect("echo"),
        "{text}"
    );
    // The client-side decoder skips the echo unread.
    assert_eq!(
        decode_response_body(&[RequestType::GetSecurityTraxUniqueId], &body),
        Ok(vec![Ok(OperationSuccess::SecurityTraxUniqueId(
            "2237".into()
        ))])
    );
    // The echo, read back, is the authentication request as sent.
    let decoded = decode_request(
        requests(
            text.split("<system_request>")
                .nth(1)
                .and_then(|rest| rest.split("</system_request>").next())
                .expect("an echo"),
        )
        .as_bytes(),
    )
    .expect("the echo is a valid authentication request");
    assert!(decoded.credentials.matches(&credentials));
    // Without an echo, nothing of the credentials is written.
    let plain = encode_response(&entries).expect("encodes");
    assert!(
        !std::str::from_utf8(&plain)
            .expect("utf-8")
            .contains("echo-secret")
    );
}

#[test]
fn an_unwritable_echo_is_a_write_error() {
    let echo = system_request_echo(&Credentials::new("u", "bell\u{7}", "1"));
    assert!(matches!(
        encode_response_echoing(&[ResponseEntry::authenticated()], &echo),
        Err(strax_xml_protocol::WriteError::ForbiddenCharacter { .. })
    ));
}
