//! The client side: headers, validation, resend tags, answers.

use bytes::Bytes;
use neto_api::{
    Ack, AddCustomerLog, Codec, Credentials, CustomerLogUpdate, DecodeError, EncodeError, Endpoint,
    GetCustomer, LogStatus, NetoDateTime, NewCustomerLog, UpdateCustomerLog, WireFormat,
};
use wire_core::Resend;

fn codec(format: WireFormat) -> Codec {
    Codec::new(
        Endpoint::for_store("store.example").unwrap(),
        Credentials::api_key("api-user", "sekret-key"),
        format,
    )
}

fn violations(error: EncodeError) -> Vec<String> {
    match error {
        EncodeError::Invalid(v) => v.iter().map(ToString::to_string).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn headers_match_the_format_and_the_key_is_sensitive() {
    for format in [WireFormat::Xml, WireFormat::Json] {
        let request = codec(format).encode(&GetCustomer::logs_of("jo")).unwrap();
        let h = request.headers();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(request.uri(), "https://store.example/do/WS/NetoAPI");
        assert_eq!(h["NETOAPI_ACTION"], "GetCustomer");
        assert_eq!(h["NETOAPI_USERNAME"], "api-user");
        assert_eq!(h["Content-Type"], format.content_type());
        assert_eq!(h["Accept"], format.content_type());
        assert!(h["NETOAPI_KEY"].is_sensitive());
        assert!(!format!("{:?}", h).contains("sekret"));
    }
}

#[test]
fn oauth_credentials_send_the_key_pair_instead() {
    let codec = Codec::new(
        Endpoint::for_store("store.example").unwrap(),
        Credentials::oauth("access-1", "secret-2"),
        WireFormat::Json,
    );
    let request = codec.encode(&GetCustomer::logs_of("jo")).unwrap();
    assert_eq!(request.headers()["X_ACCESS_KEY"], "access-1");
    assert_eq!(request.headers()["X_SECRET_KEY"], "secret-2");
    assert!(request.headers().get("NETOAPI_KEY").is_none());
    assert!(!format!("{codec:?}").contains("secret-2"));
}

#[test]
fn each_action_carries_what_resending_it_means() {
    let c = codec(WireFormat::Xml);
    let add = AddCustomerLog::new(vec![NewCustomerLog::default()]);
    let update = UpdateCustomerLog::new(vec![CustomerLogUpdate {
        log_id: "1".into(),
        ..CustomerLogUpdate::default()
    }]);
    assert_eq!(Resend::of(&c.encode(&add).unwrap()), Resend::NeverBlindly);
    assert_eq!(
        Resend::of(&c.encode(&update).unwrap()),
        Resend::IdempotentWrite
    );
    assert_eq!(
        Resend::of(&c.encode(&GetCustomer::logs_of("a")).unwrap()),
        Resend::Read
    );
}

#[test]
fn every_field_rule_names_the_log_and_the_field() {
    let long = |n: usize| Some("x".repeat(n));
    let add = AddCustomerLog::new(vec![
        NewCustomerLog::default(),
        NewCustomerLog {
            allocated_to: long(256),
            follow_up_type: long(51),
            username: long(26),
            customer_name: long(101),
            status: Some(LogStatus::from_wire("Done")),
            notes: Some("bell \u{7}".into()),
            last_contacted: Some(NetoDateTime::from_civil_utc(
                jiff::civil::date(-1, 1, 1).at(0, 0, 0, 0),
            )),
            ..NewCustomerLog::default()
        },
    ]);
    assert_eq!(
        violations(codec(WireFormat::Json).encode(&add).unwrap_err()),
        [
            "log 1: field `AllocatedTo` must be at most 255 characters",
            "log 1: field `FollowUpType` must be at most 50 characters",
            "log 1: field `Username` must be at most 25 characters",
            "log 1: field `CustomerName` must be at most 100 characters",
            "log 1: field `LastContacted` must be a UTC date and time written YYYY-MM-DD HH:MM:SS",
            "log 1: field `Status` must be one of Require Recontact, Recontacting, Completed",
            "log 1: field `Notes` contains the character U+0007, which the wire format forbids",
        ]
    );
    // The limits at the edge pass; AllocatedTo is 100 on update.
    let edge = AddCustomerLog::new(vec![NewCustomerLog {
        allocated_to: long(255),
        username: Some("é".repeat(25)),
        ..NewCustomerLog::default()
    }]);
    assert!(codec(WireFormat::Xml).encode(&edge).is_ok());
    let update = UpdateCustomerLog::new(vec![
        CustomerLogUpdate {
            log_id: "12a".into(),
            allocated_to: long(101),
            ..CustomerLogUpdate::default()
        },
        CustomerLogUpdate::default(),
        CustomerLogUpdate {
            log_id: "12345678901".into(),
            allocated_to: long(100),
            ..CustomerLogUpdate::default()
        },
    ]);
    assert_eq!(
        violations(codec(WireFormat::Xml).encode(&update).unwrap_err()),
        [
            "log 0: field `LogID` must be digits only (0-9)",
            "log 0: field `AllocatedTo` must be at most 100 characters",
            "log 1: field `LogID` is required and must not be blank",
            "log 2: field `LogID` must be at most 10 characters",
        ]
    );
}

#[test]
fn empty_requests_and_blank_credentials_are_refused() {
    assert_eq!(
        violations(
            codec(WireFormat::Xml)
                .encode(&AddCustomerLog::default())
                .unwrap_err()
        ),
        ["field `CustomerLog` is required and must not be blank"]
    );
    let blank = Codec::new(
        Endpoint::for_store("s.example").unwrap(),
        Credentials::api_key(" ", "k\u{1}"),
        WireFormat::Xml,
    );
    let found = violations(blank.encode(&GetCustomer::logs_of("")).unwrap_err());
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("NETOAPI_USERNAME"));
    assert!(found[1].contains("NETOAPI_KEY") && !found[1].contains('\u{1}'));
    assert_eq!(
        found[2],
        "customer 0: field `Username` is required and must not be blank"
    );
}

#[test]
fn dates_are_written_in_utc_to_the_second() {
    let at: jiff::Timestamp = "2026-03-04T05:06:07.890+10:00".parse().unwrap();
    let add = AddCustomerLog::new(vec![NewCustomerLog {
        last_contacted: Some(at.into()),
        ..NewCustomerLog::default()
    }]);
    let body = codec(WireFormat::Json).encode(&add).unwrap().into_body();
    assert_eq!(
        std::str::from_utf8(&body).unwrap(),
        r#"{"CustomerLogs":{"CustomerLog":[{"LastContacted":"2026-03-03 19:06:07"}]}}"#
    );
}

fn answer(status: u16, body: &'static str) -> http::Response<Bytes> {
    http::Response::builder()
        .status(status)
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap()
}

#[test]
fn an_error_answer_carries_every_message_redacted() {
    let add = AddCustomerLog::new(vec![NewCustomerLog::default()]);
    let body = r#"{"Ack":"Error","Messages":{"Error":[{"Message":"Key sekret-key refused","SeverityCode":"Error","Description":"d"},{"Message":"Second"}],"Warning":""}}"#;
    let Err(DecodeError::Refused(failure)) =
        codec(WireFormat::Json).decode(&add, &answer(200, body))
    else {
        panic!("a refusal");
    };
    assert_eq!(failure.errors.len(), 2);
    assert_eq!(failure.errors[0].message, "Key [redacted] refused");
    assert_eq!(failure.errors[1].message, "Second");
    assert!(failure.warnings.is_empty());
    assert!(!failure.to_string().contains("sekret"));
}

#[test]
fn a_warning_is_a_result_with_its_warnings() {
    let add = AddCustomerLog::new(vec![NewCustomerLog::default()]);
    let body = "<AddCustomerLog><Ack>Warning</Ack><Messages><Warning><Message>w1</Message></Warning><Warning><Message>w2</Message></Warning></Messages><CustomerLog><LogID> 9 </LogID></CustomerLog></AddCustomerLog>";
    let answer = codec(WireFormat::Xml)
        .decode(&add, &answer(200, body))
        .unwrap();
    assert_eq!(answer.ack, Ack::Warning);
    assert_eq!(answer.output.log_ids, [9]);
    let warnings: Vec<_> = answer.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings, ["w1", "w2"]);
    assert_eq!(answer.current_time, None);
}

#[test]
fn answers_that_contradict_the_request_or_lack_an_ack_are_unreadable() {
    let add = AddCustomerLog::new(vec![NewCustomerLog::default(), NewCustomerLog::default()]);
    let one_id = r#"{"Ack":"Success","CustomerLog":{"LogID":"1"}}"#;
    let c = codec(WireFormat::Json);
    assert!(matches!(
        c.decode(&add, &answer(200, one_id)),
        Err(DecodeError::Unreadable { .. })
    ));
    let other = r#"{"Ack":"Success","Customer":{"Username":"someone.else"}}"#;
    assert!(matches!(
        c.decode(&GetCustomer::logs_of("jo"), &answer(200, other)),
        Err(DecodeError::Unreadable { .. })
    ));
    let no_ack = r#"{"CustomerLog":{"LogID":"1"}}"#;
    assert!(matches!(
        c.decode(&add, &answer(200, no_ack)),
        Err(DecodeError::Unreadable { .. })
    ));
    let none = r#"{"Ack":"Success","Customer":""}"#;
    assert!(
        c.decode(&GetCustomer::logs_of("jo"), &answer(200, none))
            .unwrap()
            .output
            .customers
            .is_empty()
    );
}

#[test]
fn an_http_error_status_keeps_the_neto_failure_and_a_redacted_excerpt() {
    let c = codec(WireFormat::Json);
    let get = GetCustomer::logs_of("jo");
    let Err(DecodeError::HttpStatus {
        status,
        failure,
        excerpt,
    }) = c.decode(&get, &answer(429, "Too many requests for sekret-key"))
    else {
        panic!("a status error");
    };
    assert_eq!((status, failure), (429, None));
    assert!(
        excerpt.contains("[redacted]") && !excerpt.contains("sekret"),
        "{excerpt}"
    );
    let body = r#"{"Ack":"Error","Messages":{"Error":{"Message":"Down"}}}"#;
    let Err(DecodeError::HttpStatus {
        failure: Some(failure),
        ..
    }) = c.decode(&get, &answer(503, body))
    else {
        panic!("a status error with the failure");
    };
    assert_eq!(failure.errors[0].message, "Down");
}

#[test]
fn xml_answers_with_a_bad_field_are_refused_wherever_the_field_is() {
    // Fields written `<name>text</name>` are read whole by the strict
    // reader's fast path; every rule still holds for them.
    let get = GetCustomer::logs_of("jo");
    let good = "<GetCustomer><Ack>Success</Ack><Customer><Username>jo</Username><CustomerLogs>\
        <CustomerLog><LogID>7</LogID><Customer>jo</Customer><Notes>a &amp; b\tc\nd é</Notes>\
        <LastContacted>2026-11-02 09:30:00</LastContacted><Unknown>x</Unknown></CustomerLog>\
        </CustomerLogs></Customer></GetCustomer>";
    let decode = |body: Vec<u8>| {
        let response = http::Response::new(Bytes::from(body));
        codec(WireFormat::Xml).decode(&get, &response)
    };
    let answer = decode(good.into()).expect("a good answer");
    let log = &answer.output.customers[0].logs[0];
    assert_eq!(log.log_id, Some(7));
    assert_eq!(log.notes.as_deref(), Some("a & b\tc\nd é"));
    assert_eq!(
        log.last_contacted,
        NetoDateTime::parse("2026-11-02 09:30:00").unwrap()
    );
    let bad: [&[u8]; 11] = [
        b"\xFF",
        b"\xC3",
        "\u{1}".as_bytes(),
        b"&#1;",
        b"&#xFFFE;",
        "\u{FFFF}".as_bytes(),
        b"&foo;",
        b"&amp",
        b"a & b",
        b"</Wrong><Notes>",
        b"<",
    ];
    for field in ["Username", "LogID", "Notes", "Unknown"] {
        for text in bad {
            let open = format!("<{field}>");
            let at = good.find(&open).expect("the field") + open.len();
            let body = [&good.as_bytes()[..at], text, &good.as_bytes()[at..]].concat();
            assert!(
                matches!(decode(body.clone()), Err(DecodeError::Unreadable { .. })),
                "{}",
                String::from_utf8_lossy(&body)
            );
        }
    }
}
