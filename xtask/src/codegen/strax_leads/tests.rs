//! The generator's tests: the committed spec, its checks, and the fixtures.

use super::check::check;
use super::fixtures::{RESPONSE_CASES, request_xml};
use super::spec::*;
use super::*;

fn spec_text() -> String {
    fs::read_to_string(crate::workspace::root().join(SPEC_PATH)).expect("spec")
}

fn spec() -> Spec {
    toml::from_str(&spec_text()).expect("spec parses")
}

#[test]
fn the_committed_spec_generates_code_fixtures_and_cases() {
    let files = generate(&crate::workspace::root()).expect("generate");
    let paths: Vec<String> = files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(paths.contains(&format!("{RUST_DIR}/records.rs")));
    assert!(paths.contains(&format!("{FIXTURE_DIR}/lead/request.xml")));
    assert!(paths.contains(&format!("{FIXTURE_DIR}/customer/response_tolerant.xml")));
    // 3 Rust files, a request and the answers per posted record (lead,
    // customer), 1 test list.
    assert_eq!(files.len(), 3 + 2 * (1 + RESPONSE_CASES.len()) + 1);
}

#[test]
fn the_lead_record_has_the_documented_fields_in_the_documented_order() {
    let spec = spec();
    let lead = spec
        .records
        .iter()
        .find(|r| r.rust == "Lead")
        .expect("Lead");
    let names: Vec<&str> = lead.fields.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(
        names,
        [
            "source_id",
            "campaign_id",
            "lead_type_id",
            "lead_purchase_price",
            "fname",
            "lname",
            "address1",
            "address2",
            "city",
            "state",
            "zip",
            "phone1",
            "phone2",
            "phone3",
            "phone4",
            "email",
            "lead_comments",
            "contact_time",
            "lead_source_info",
            "lead_company_unique_id",
            "lead_home_ownership",
            "lead_callcenter_rep",
            "lead_callcenter_notes",
            "lead_promo_code",
            "lead_custom1",
            "lead_custom2",
            "lead_custom3",
            "lead_custom4",
            "spouse",
            "lead_rep_id",
        ]
    );
    let xml = request_xml(lead, None);
    assert!(xml.starts_with("<?xml version=\"1.0\" standalone=\"yes\"?>\n<leads>\n  <lead>\n    <source_id>Partner ID</source_id>\n    <campaign_id/>\n"), "{xml}");
}

#[test]
fn broken_specs_are_refused() {
    let base = spec_text();
    for (from, to, expected) in [
        (
            "kind = \"phone\", required = true, personal = true, doc = \"The lead's primary",
            "kind = \"telephone\", required = true, personal = true, doc = \"The lead's primary",
            "kind `telephone`",
        ),
        (
            "enum = \"LeadType\"",
            "enum = \"Nope\"",
            "unknown enum `Nope`",
        ),
        (
            "examples = [\"\", \"2\"]",
            "examples = [\"\", \"7\"]",
            "example `7` is not a code",
        ),
        (
            "{ wire = \"campaign_id\"",
            "{ wire = \"source_id\"",
            "field `source_id` appears twice",
        ),
        (
            "{ wire = \"spouse\", kind = \"text\", personal = true, doc = \"The name of the lead's spouse.\"",
            "{ wire = \"spo use\", kind = \"text\", personal = true, doc = \"The name of the lead's spouse.\"",
            "`spo use` is not an XML name",
        ),
        (
            "label = \"lead_company_unique_id\"",
            "label = \"nope\"",
            "label `nope`",
        ),
        (
            "nested = \"EmergencyContact\"",
            "nested = \"Nope\"",
            "unknown nested record",
        ),
        (
            "examples = [\"Partner ID\", \"1\"]",
            "examples = [\"Partner ID\", \"\"]",
            "required field needs every example",
        ),
        (
            "examples = [\"\", \"Suite 2\"]",
            "examples = [\"\"]",
            "1 examples",
        ),
    ] {
        let text = base.replacen(from, to, 1);
        assert_ne!(text, base, "{from} not found in the spec");
        let spec: Spec = toml::from_str(&text).expect("still TOML");
        let error = check(&spec).expect_err(expected);
        assert!(error.contains(expected), "{expected}: {error}");
    }
}
