//! Properties: a request means the same in XML and in JSON, an answer too
//! (read straight into the typed structs, and the same as read through the
//! generic `Node` tree), and no decoder panics on any bytes.

use bytes::Bytes;
use neto_api::document::Node;
use neto_api::server::{IncomingAction, Reply, decode_request, encode_reply};
use neto_api::{
    Action, AddCustomerLog, Codec, Credentials, CustomerLog, CustomerLogUpdate, CustomerLogs,
    Customers, Endpoint, GetCustomer, LogStatus, Message, NetoDateTime, NewCustomerLog,
    UpdateCustomerLog, WireFormat,
};
use proptest::prelude::*;

fn codec(format: WireFormat) -> Codec {
    Codec::new(
        Endpoint::for_store("store.example").unwrap(),
        Credentials::api_key("user", "key"),
        format,
    )
}

/// Text without the characters XML 1.0 forbids (validation refuses those in
/// both formats).
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            any::<char>().prop_filter("XML 1.0 character", |c| strict_xml::is_xml10_char(*c)),
            Just('&'),
            Just('<'),
            Just('\r'),
            Just('\n'),
            Just('"'),
        ],
        0..max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn date() -> impl Strategy<Value = NetoDateTime> {
    (1i16..=9999, 1i8..=12, 1i8..=28, 0i8..24, 0i8..60, 0i8..60).prop_map(|(y, mo, d, h, mi, s)| {
        NetoDateTime::from_civil_utc(jiff::civil::date(y, mo, d).at(h, mi, s, 0))
    })
}

fn status() -> impl Strategy<Value = LogStatus> {
    prop_oneof![
        Just(LogStatus::RequireRecontact),
        Just(LogStatus::Recontacting),
        Just(LogStatus::Completed),
    ]
}

fn new_log() -> impl Strategy<Value = NewCustomerLog> {
    (
        proptest::option::of(text(30)),
        proptest::option::of(text(20)),
        proptest::option::of(text(25)),
        proptest::option::of(text(30)),
        proptest::option::of(date()),
        proptest::option::of(date()),
        proptest::option::of(status()),
        proptest::option::of(text(60)),
    )
        .prop_map(|(a, f, u, c, l, d, s, n)| NewCustomerLog {
            allocated_to: a,
            follow_up_type: f,
            username: u,
            customer_name: c,
            last_contacted: l,
            date_required_follow_up: d,
            status: s,
            notes: n,
        })
}

fn update() -> impl Strategy<Value = CustomerLogUpdate> {
    (
        "[0-9]{1,10}",
        proptest::option::of(text(30)),
        proptest::option::of(date()),
        proptest::option::of(status()),
        proptest::option::of(text(60)),
    )
        .prop_map(|(id, a, l, s, n)| CustomerLogUpdate {
            log_id: id,
            allocated_to: a,
            last_contacted: l,
            status: s,
            notes: n,
            ..CustomerLogUpdate::default()
        })
}

fn some_text(max: usize) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text(max).prop_filter("not empty", |t| !t.is_empty()))
}

fn read_log() -> impl Strategy<Value = CustomerLog> {
    (
        any::<u64>(),
        some_text(20),
        some_text(20),
        proptest::option::of(status()),
        proptest::option::of(date()),
        proptest::option::of(date()),
        some_text(60),
    )
        .prop_map(|(id, customer, allocated, status, due, contacted, notes)| {
            let mut log = CustomerLog::new(id);
            log.customer = customer;
            log.allocated_to = allocated;
            log.status = status;
            log.date_required_follow_up = due;
            log.last_contacted = contacted;
            log.last_contacted_utc = contacted;
            log.notes = notes;
            log
        })
}

/// The output of `body` for `action` read the generic way: the whole
/// document into a `Node`, then the output from it. The format is the one
/// the body looks like, else `format`, as the codec picks it.
fn through_node<A: Action>(action: &A, body: &[u8], format: WireFormat) -> Option<A::Output> {
    let node = match WireFormat::sniff(body).unwrap_or(format) {
        WireFormat::Json => Node::from_json(body).ok()?,
        _ => Node::from_xml(body).ok()?.1,
    };
    action.output_from_document(&node).ok()
}

/// Encodes in both formats and decodes each server side.
fn both<A: neto_api::Action>(action: &A) -> (IncomingAction, IncomingAction) {
    let decode = |format| {
        let request = codec(format).encode(action).expect("valid");
        decode_request(&request).expect("decodes").action
    };
    (decode(WireFormat::Xml), decode(WireFormat::Json))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn add_requests_mean_the_same_in_xml_and_json(logs in proptest::collection::vec(new_log(), 1..4)) {
        let add = AddCustomerLog::new(logs);
        let (xml, json) = both(&add);
        prop_assert_eq!(xml, json);
    }

    #[test]
    fn log_requests_are_written_straight_as_through_the_tree(
        logs in proptest::collection::vec(new_log(), 0..4),
        updates in proptest::collection::vec(update(), 0..4),
    ) {
        let add = AddCustomerLog::new(logs);
        prop_assert_eq!(add.request_json(), Some(add.to_document().to_json()));
        let update = UpdateCustomerLog::new(updates);
        prop_assert_eq!(update.request_json(), Some(update.to_document().to_json()));
    }

    #[test]
    fn update_requests_mean_the_same_in_xml_and_json(logs in proptest::collection::vec(update(), 1..4)) {
        let (xml, json) = both(&UpdateCustomerLog::new(logs));
        prop_assert_eq!(xml, json);
    }

    #[test]
    fn get_requests_mean_the_same_in_xml_and_json(names in proptest::collection::vec("[a-z.]{1,25}", 1..3)) {
        let get = GetCustomer { usernames: names };
        let (xml, json) = both(&get);
        prop_assert_eq!(&xml, &json);
        prop_assert_eq!(xml, IncomingAction::GetCustomer(get));
    }

    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300), json in any::<bool>()) {
        let format = if json { WireFormat::Json } else { WireFormat::Xml };
        let request = http::Request::post("/")
            .header("NETOAPI_ACTION", "AddCustomerLog")
            .header("Content-Type", format.content_type())
            .body(Bytes::from(bytes.clone()))
            .unwrap();
        let _ = decode_request(&request);
        let response = http::Response::new(Bytes::from(bytes));
        let _ = codec(format).decode(&GetCustomer::logs_of("a"), &response);
        let _ = codec(format).decode(&AddCustomerLog::default(), &response);
    }

    #[test]
    fn decoders_never_panic_on_near_documents(
        body in prop_oneof![
            "\\{\"(Ack|CustomerLog|Customer|Messages)\": ?(\"[a-zA-Z ]{0,8}\"|\\[|\\{|[0-9]{1,3}|null|true)[\\]\\}]{0,3}",
            "<[A-Za-z]{1,12}>(<(Ack|LogID|Customer|Messages)>[A-Za-z0-9 &;#]{0,12}</[A-Za-z]{1,10}>){0,3}",
        ]
    ) {
        for format in [WireFormat::Xml, WireFormat::Json] {
            let response = http::Response::new(Bytes::from(body.clone()));
            let _ = codec(format).decode(&GetCustomer::logs_of("a"), &response);
            let _ = codec(format).decode(&AddCustomerLog::default(), &response);
        }
    }

    #[test]
    fn answers_mean_the_same_in_xml_and_json_and_through_the_tree(
        logs in proptest::collection::vec(read_log(), 0..4),
        warnings in proptest::collection::vec(text(20).prop_filter("not empty", |t| !t.is_empty()), 0..3),
    ) {
        let get = GetCustomer::logs_of("jo.citizen");
        let customers = Customers::new(vec![CustomerLogs::new("jo.citizen", logs)]);
        let reply = if warnings.is_empty() {
            Reply::success(customers.clone())
        } else {
            Reply::warning(customers.clone(), warnings.iter().map(Message::new).collect())
        };
        let now = NetoDateTime::parse("2026-11-30 10:00:00").unwrap();
        for format in [WireFormat::Xml, WireFormat::Json] {
            let body = encode_reply::<GetCustomer>(format, &reply, now).unwrap();
            let answer = codec(format)
                .decode(&get, &http::Response::new(body.clone()))
                .expect("decodes");
            prop_assert_eq!(&answer.output, &customers);
            prop_assert_eq!(
                answer.warnings.iter().map(|w| w.message.as_str()).collect::<Vec<_>>(),
                warnings.iter().map(String::as_str).collect::<Vec<_>>()
            );
            prop_assert_eq!(answer.current_time, now);
            prop_assert_eq!(through_node(&get, &body, format), Some(customers.clone()));
        }
    }

    #[test]
    fn near_answers_read_the_same_straight_and_through_the_tree(
        body in prop_oneof![
            "\\{\"Ack\": ?\"Success\", ?\"Customer\": ?(\\[|\\{|\"\"|\"x\"|null|1)(\\{\"CustomerLogs\": ?\\{\"CustomerLog\": ?(\\[|\\{|\"\"|7)(\\{\"LogID\": ?(\"?[0-9a]{1,3}\"?|\\[\"\", ?\"4\"\\]|\\{\\})\\})?[,\\]\\} ]{0,6}\\})?[,\\]\\} ]{0,4}",
            "<R><Ack>Success</Ack>(<Customer>(<Username>a</Username>)?(<CustomerLogs>(<CustomerLog>(<LogID>[0-9a ]{0,3}</LogID>|<LogID/>|<Notes>n<b/></Notes>|x)*</CustomerLog>|<CustomerLog/>)*</CustomerLogs>)?</Customer>)*</R>",
        ]
    ) {
        let get = GetCustomer::logs_of("a");
        for format in [WireFormat::Xml, WireFormat::Json] {
            let response = http::Response::new(Bytes::from(body.clone()));
            let straight = codec(format).decode(&get, &response).ok().map(|a| a.output);
            prop_assert_eq!(straight, through_node(&get, body.as_bytes(), format), "{}", body);
        }
    }
}
