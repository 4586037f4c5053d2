//! Properties: a request means the same in XML and in JSON, and no decoder
//! panics on any bytes.

use bytes::Bytes;
use neto_api::server::{IncomingAction, decode_request};
use neto_api::{
    AddCustomerLog, Codec, Credentials, CustomerLogUpdate, Endpoint, GetCustomer, LogStatus,
    NetoDateTime, NewCustomerLog, UpdateCustomerLog, WireFormat,
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
}
