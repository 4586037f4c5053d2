//! Properties: encode → server decode gives back every lead, for any text;
//! normalisation is idempotent; decoders never panic, whatever the bytes.

use proptest::prelude::*;
use strax_leads::server::{Answer, decode_posted, encode_answer};
use strax_leads::{
    Customer, Lead, Mode, PostOutcome, PostRecord, Redactor, decode_response_body, encode_document,
};

/// Any text without characters XML 1.0 forbids, often with markup characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 &<>'\"\\]\\r\\n\\t-]{1,20}",
        any::<String>().prop_map(|s| s
            .chars()
            .filter(|c| strict_xml::is_xml10_char(*c))
            .collect()),
    ]
    .prop_filter("not blank", |s: &String| !s.trim().is_empty())
}

fn phone() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{10}",
        "\\+1 \\([0-9]{3}\\) [0-9]{3}-[0-9]{4}",
        "[0-9]{3}\\.[0-9]{3}\\.[0-9]{4}"
    ]
}

prop_compose! {
    fn lead()(
        texts in proptest::collection::vec(proptest::option::of(text()), 30),
        phones in proptest::collection::vec(phone(), 4),
        state in proptest::sample::select(strax_leads::US_STATE_CODES.to_vec()),
        lower in any::<bool>(),
        price in proptest::option::of(0u64..10_000_000),
    ) -> Lead {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (spec, text) in Lead::FIELDS.iter().zip(texts) {
            let value = match spec.wire_name {
                "source_id" | "fname" | "lname" | "city" => text.or_else(|| Some("x".into())),
                "state" => Some(if lower { state.to_lowercase() } else { state.to_owned() }),
                "phone1" => Some(phones[0].clone()),
                "phone2" => Some(phones[1].clone()),
                "phone3" => text.map(|_| phones[2].clone()),
                "phone4" => text.map(|_| phones[3].clone()),
                "zip" => text.map(|_| "83660".to_owned()),
                "lead_type_id" => text.map(|t| if t.len() % 2 == 0 { "2" } else { "queue" }.to_owned()),
                "lead_home_ownership" => text.map(|_| "Rent".to_owned()),
                "lead_purchase_price" => price.map(|p| format!("{}.{}", p / 100, p % 100)),
                "contact_time" => text.map(|t| t.chars().take(50).collect()),
                _ => text,
            };
            if let Some(value) = value {
                pairs.push((spec.wire_name.to_owned(), value));
            }
        }
        Lead::from_fields(0, pairs).expect("generated fields are acceptable")
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn encode_then_server_decode_gives_back_every_lead(leads in proptest::collection::vec(lead(), 1..4)) {
        let normal: Vec<Lead> = leads.iter().enumerate().map(|(i, l)| l.normalised(i, Mode::Normalise).unwrap()).collect();
        let document = encode_document(&leads, Mode::Normalise).unwrap();
        let decoded: Vec<Lead> = decode_posted::<Lead>(&document).unwrap().into_iter().map(Result::unwrap).collect();
        prop_assert_eq!(decoded, normal);
    }

    #[test]
    fn normalising_twice_changes_nothing(lead in lead()) {
        let once = lead.normalised(0, Mode::Normalise).unwrap();
        prop_assert_eq!(once.normalised(0, Mode::Normalise).unwrap(), once.clone());
        prop_assert_eq!(once.normalised(0, Mode::Strict).unwrap(), once);
    }

    #[test]
    fn normalising_any_fields_twice_changes_nothing(values in proptest::collection::vec(any::<String>(), 30)) {
        let pairs = Lead::FIELD_NAMES.iter().zip(values);
        if let Ok(lead) = Lead::from_fields(0, pairs)
            && let Ok(once) = lead.normalised(0, Mode::Normalise)
        {
            prop_assert_eq!(once.normalised(0, Mode::Normalise).unwrap(), once);
        }
    }

    #[test]
    fn answers_round_trip(answers in proptest::collection::vec(prop_oneof![
        (text(), text(), "[0-9]{1,8}").prop_map(|(f, l, id)| Answer::accepted(&f, &l, &id)),
        proptest::collection::vec(text(), 0..3).prop_map(|errors| Answer::Rejected { errors }),
    ], 0..5)) {
        let outcomes = decode_response_body(&encode_answer(&answers), answers.len(), &Redactor::none());
        for (answer, outcome) in answers.iter().zip(&outcomes) {
            match (answer, outcome) {
                (Answer::Accepted { customer_id, .. }, PostOutcome::Accepted { customer_id: got }) => {
                    prop_assert_eq!(Some(customer_id), got.as_ref());
                }
                (Answer::Rejected { errors }, PostOutcome::Rejected { errors: got }) => {
                    let expected: Vec<&String> = errors.iter().filter(|e| !e.trim().is_empty()).collect();
                    let got: Vec<&String> = got.iter().map(|e| &e.text).collect();
                    prop_assert_eq!(expected, got);
                }
                other => prop_assert!(false, "{other:?}"),
            }
        }
    }

    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), sent in 0usize..5) {
        prop_assert_eq!(decode_response_body(&bytes, sent, &Redactor::none()).len(), sent);
        let _ = decode_posted::<Lead>(&bytes);
        let _ = decode_posted::<Customer>(&bytes);
    }

    #[test]
    fn decoders_never_panic_on_near_documents(
        body in "<(root|leads|customers)>(<(responses|response|lead|customer|data|fname|EmergencyContacts|EmergencyContact|ContactName) ?(success='(true|false|x)')?>|</[a-z]+>|[a-z0-9&;<>]){0,40}",
        sent in 0usize..4,
    ) {
        prop_assert_eq!(decode_response_body(body.as_bytes(), sent, &Redactor::none()).len(), sent);
        let _ = decode_posted::<Lead>(body.as_bytes());
        let _ = decode_posted::<Customer>(body.as_bytes());
    }
}
