//! Property tests: arbitrary text survives encode → server decode; the response
//! decoder never panics; DOCTYPE and unknown entities are always rejected.

use proptest::prelude::*;
use strax_xml_protocol::server::decode_request;
use strax_xml_protocol::{
    Batch, CreateCustomerNote, Credentials, DecodeError, NoteType, Operation, ReadError,
    RequestType, UpdateConfirmationNumber, decode_response_body,
};

/// Text of characters XML 1.0 allows, biased towards markup, `]]>` and line ends;
/// never blank (required fields refuse blank values).
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "&", "<", ">", "'", "\"", "]]>", "\r", "\n", "\t", "\r\n", "&amp;", "&#13;", " ", "é", "𝄞",
    ])
    .prop_map(str::to_owned);
    let any = any::<char>()
        .prop_filter("XML 1.0 char", |c| strict_xml::is_xml10_char(*c))
        .prop_map(String::from);
    prop::collection::vec(prop_oneof![special, any], 0..20)
        .prop_map(|parts| format!("x{}", parts.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_survives_encode_then_server_decode(
        subject in text(), body in text(), partner in text(), password in text(), confirmation in text(),
    ) {
        let note = CreateCustomerNote {
            partner_company_unique_id: Some(partner.clone()),
            ..CreateCustomerNote::new("9710", subject, body, NoteType::Lead)
        };
        let update = UpdateConfirmationNumber { security_trax_unique_id: "1".into(), confirmation_number: confirmation };
        let operations: Vec<Operation> = vec![note.into(), update.into()];
        let credentials = Credentials::new(partner.clone(), password.clone(), partner);
        let document = Batch::new(credentials.clone(), operations.clone()).to_xml().expect("valid");
        let decoded = decode_request(&document).expect("decodes");
        prop_assert!(decoded.credentials.matches(&credentials));
        let results: Vec<Operation> = decoded.operations.into_iter().map(|op| op.result.expect("valid")).collect();
        prop_assert_eq!(results, operations);
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
        prop_assert!(matches!(result, Err(DecodeError::Xml(ReadError::DocType { .. }))), "{:?}", result);
    }

    #[test]
    fn unknown_entities_are_always_rejected(name in "[a-z][a-z0-9]{0,8}") {
        prop_assume!(!["lt", "gt", "amp", "apos", "quot"].contains(&name.as_str()));
        let body = format!(
            "<root><responses><response type='GetSystemAuthentication' success='true'><data><message>&{name};</message></data></response></responses></root>"
        );
        let position = body.find('&').expect("reference") as u64;
        let result = decode_response_body(&[], body.as_bytes());
        prop_assert_eq!(result, Err(DecodeError::Xml(ReadError::UnknownEntity { name, position })));
    }
}
