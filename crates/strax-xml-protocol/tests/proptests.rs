//! Property tests: arbitrary text survives encode → server decode, and
//! server encode → client decode (texts kept exactly); the response decoder
//! never panics; DOCTYPE and unknown entities are always rejected.

use jiff::civil::date;
use proptest::prelude::*;
use strax_xml_protocol::server::{ResponseEntry, decode_request, encode_response};
use strax_xml_protocol::{
    Availability, Batch, CreateCustomerNote, CreateTechSchedule, Credentials, Customer, DataText,
    DecodeError, NoteType, Operation, OperationFailure, OperationOutcome, OperationSuccess,
    ReadError, RequestType, ServiceType, UpdateConfirmationNumber, decode_response_body,
};

/// Any text of characters XML 1.0 allows, possibly empty, biased towards
/// markup, `]]>`, line ends and leading or trailing whitespace.
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "&", "<", ">", "'", "\"", "]]>", "]]", "\r", "\n", "\t", "\r\n", "&amp;", "&#13;", " ",
        "\u{a0}", "é", "𝄞",
    ])
    .prop_map(str::to_owned);
    let any = any::<char>()
        .prop_filter("XML 1.0 char", |c| strict_xml::is_xml10_char(*c))
        .prop_map(String::from);
    prop::collection::vec(prop_oneof![special, any], 0..20).prop_map(|parts| parts.concat())
}

/// Text that is not blank (what required fields and result texts need).
fn non_blank() -> impl Strategy<Value = String> {
    text().prop_filter("not blank", |t| !t.trim().is_empty())
}

/// `None`, or a value that may be empty or blank.
fn optional() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

/// What an optional value is once decoded: an empty one is sent empty and
/// comes back absent; anything else, blanks included, comes back as sent.
fn as_received(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

fn data_text() -> impl Strategy<Value = DataText> {
    (
        prop::sample::select(vec!["message", "error", "Note"]),
        non_blank(),
    )
        .prop_map(|(element, text)| DataText {
            element: element.to_owned(),
            text,
        })
}

fn customer() -> impl Strategy<Value = Customer> {
    let extra = (
        prop::sample::select(vec![
            "LoyaltyTier",
            "Phones/Phone",
            "Tags/Tag",
            "Tags/Group/Tag",
        ]),
        text(),
    )
        .prop_map(|(name, value)| (name.to_owned(), value));
    (
        prop::collection::vec(prop::option::of(non_blank()), Customer::FIELD_NAMES.len()),
        prop::collection::vec(extra, 0..5),
    )
        .prop_map(|(values, extra_fields)| {
            let mut customer = Customer::default();
            customer.extra_fields = extra_fields;
            for (name, value) in Customer::FIELD_NAMES.iter().zip(values) {
                *customer.field_mut(name).expect("documented") = value;
            }
            customer
        })
}

fn availability() -> impl Strategy<Value = Availability> {
    let other = (
        prop::sample::select(vec!["SlotsTaken", "Count", "Note"]),
        non_blank(),
    )
        .prop_map(|(element, text)| DataText {
            element: element.to_owned(),
            text,
        });
    (
        prop::collection::vec(other, 0..3),
        prop::option::of(prop::sample::select(vec![
            "true", " Yes\n", "FALSE", "maybe",
        ])),
    )
        .prop_map(|(mut data, answer)| {
            let available = answer.and_then(|a| match a.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" => Some(true),
                "false" => Some(false),
                _ => None,
            });
            if let Some(answer) = answer {
                data.push(DataText {
                    element: "Available".into(),
                    text: answer.to_owned(),
                });
            }
            let answer = Availability::from_data(data);
            // The reading the round trip relies on, checked against this
            // strategy's own reading of the texts it wrote.
            assert_eq!(answer.available, available, "{:?}", answer.data);
            answer
        })
}

/// Any outcome a server can send, with texts that survive as sent.
fn outcome() -> impl Strategy<Value = OperationOutcome> {
    let optional_text = || prop::option::of(non_blank());
    prop_oneof![
        Just(Ok(OperationSuccess::NoteCreated)),
        optional_text().prop_map(|confirmation_status_name| Ok(
            OperationSuccess::AppointmentCreated {
                confirmation_status_name
            }
        )),
        availability().prop_map(|a| Ok(OperationSuccess::Availability(a))),
        customer().prop_map(|c| Ok(OperationSuccess::CustomerStatus(Box::new(c)))),
        "[0-9]{1,8}".prop_map(|id| Ok(OperationSuccess::SecurityTraxUniqueId(id))),
        optional_text()
            .prop_map(|message| Ok(OperationSuccess::ConfirmationNumberUpdated { message })),
        (
            prop::sample::select(RequestType::ALL.to_vec()),
            prop::collection::vec(data_text(), 0..3)
        )
            .prop_map(|(request_type, texts)| Err(OperationFailure::refused(request_type, texts))),
    ]
}

fn request_type_of(outcome: &OperationOutcome) -> RequestType {
    match outcome {
        Ok(success) => success.request_type(),
        Err(failure) => failure.request_type,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_survives_encode_then_server_decode(
        subject in non_blank(), body in non_blank(), partner in optional(), user in non_blank(),
        password in non_blank(), partner_id in non_blank(), confirmation in non_blank(),
        tech in optional(), detail in optional(), notes in optional(),
    ) {
        let note = CreateCustomerNote {
            partner_company_unique_id: partner.clone(),
            ..CreateCustomerNote::new("9710", subject.clone(), body.clone(), NoteType::Lead)
        };
        let appointment = CreateTechSchedule {
            tech_id: tech.clone(),
            service_detail_type: detail.clone(),
            notes: notes.clone(),
            ..CreateTechSchedule::new(
                "1",
                date(2014, 1, 23).at(7, 30, 0, 0),
                date(2014, 1, 23).at(9, 0, 0, 0),
                ServiceType::Service,
            )
        };
        let update = UpdateConfirmationNumber { security_trax_unique_id: "1".into(), confirmation_number: confirmation };
        let operations: Vec<Operation> = vec![note.into(), appointment.into(), update.clone().into()];
        let credentials = Credentials::new(user, password, partner_id);
        let document = Batch::new(credentials.clone(), operations.clone()).to_xml().expect("valid");
        let decoded = decode_request(&document).expect("decodes");
        prop_assert!(decoded.credentials.matches(&credentials));
        let results: Vec<Operation> = decoded.operations.into_iter().map(|op| op.result.expect("valid")).collect();
        let expected: Vec<Operation> = vec![
            CreateCustomerNote {
                partner_company_unique_id: as_received(partner),
                ..CreateCustomerNote::new("9710", subject, body, NoteType::Lead)
            }
            .into(),
            CreateTechSchedule {
                tech_id: as_received(tech),
                service_detail_type: as_received(detail),
                notes: as_received(notes),
                ..CreateTechSchedule::new(
                    "1",
                    date(2014, 1, 23).at(7, 30, 0, 0),
                    date(2014, 1, 23).at(9, 0, 0, 0),
                    ServiceType::Service,
                )
            }
            .into(),
            update.into(),
        ];
        prop_assert_eq!(results, expected);
    }

    #[test]
    fn a_blank_required_value_is_refused_not_sent(blank in "[ \t\r\n]{0,4}") {
        let note = CreateCustomerNote::new("9710", blank.clone(), "text", NoteType::Lead);
        let errors = Batch::new(Credentials::new("u", blank, "1"), [note.into()])
            .validate()
            .expect_err("blank");
        prop_assert_eq!(errors.len(), 2, "{}", errors);
    }

    #[test]
    fn server_responses_decode_back_to_the_same_outcomes(
        outcomes in prop::collection::vec(outcome(), 1..5),
    ) {
        let mut entries = vec![ResponseEntry::authenticated()];
        entries.extend(outcomes.iter().map(ResponseEntry::from_outcome));
        let body = encode_response(&entries).expect("encodes");
        let sent: Vec<RequestType> = outcomes.iter().map(request_type_of).collect();
        let decoded = decode_response_body(&sent, &body).expect("decodes");
        prop_assert_eq!(decoded, outcomes);
    }

    #[test]
    fn the_response_decoder_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode_response_body(&[RequestType::GetCustomerStatus], &bytes);
        let _ = decode_request(&bytes);
    }

    #[test]
    fn the_response_decoder_never_panics_on_response_like_noise(parts in prop::collection::vec(prop::sample::select(vec![
        "<root>", "</root>", "<responses>", "</responses>", "<response type='GetSystemAuthentication' success='true'>",
        "<response type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'>", "<response success='false'>",
        "</response>", "<data>", "</data>", "<Customer>", "</Customer>", "<ID>1</ID>", "<message>m</message>",
        "<system_request>", "</system_request>", "&amp;", "&#233;", "&bogus;", "<![CDATA[x]]>", " ", "<x/>",
    ]), 0..30)) {
        let body = parts.concat();
        let _ = decode_response_body(&[RequestType::GetCustomerStatus], body.as_bytes());
    }

    #[test]
    fn doctype_is_always_rejected(prefix in "[ \t\r\n]{0,3}", internal in "[a-z ]{0,12}") {
        let body = format!("{prefix}<!DOCTYPE root [{internal}]><root><responses/></root>");
        let result = decode_response_body(&[], body.as_bytes());
        prop_assert!(matches!(result, Err(DecodeError::Xml { source: ReadError::DocType { .. }, .. })), "{:?}", result);
    }

    #[test]
    fn unknown_entities_are_always_rejected(name in "[a-z][a-z0-9]{0,8}") {
        prop_assume!(!["lt", "gt", "amp", "apos", "quot"].contains(&name.as_str()));
        let body = format!(
            "<root><responses><response type='GetSystemAuthentication' success='true'><data><message>&{name};</message></data></response></responses></root>"
        );
        let position = body.find('&').expect("reference") as u64;
        let result = decode_response_body(&[], body.as_bytes());
        prop_assert!(
            matches!(
                &result,
                Err(DecodeError::Xml { source: ReadError::UnknownEntity { name: found, position: at }, .. })
                    if *found == name && *at == position
            ),
            "{:?}", result
        );
    }
}
