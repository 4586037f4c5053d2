//! The generator's tests: the committed spec, its checks, and the fixtures.

use super::*;

fn spec_text() -> String {
    fs::read_to_string(crate::workspace::root().join(SPEC_PATH)).expect("spec")
}

#[test]
fn the_committed_spec_generates_code_fixtures_and_cases() {
    let files = generate(&crate::workspace::root()).expect("generate");
    let spec = read_spec(&crate::workspace::root()).expect("spec");
    assert_eq!(files.len(), 2 + fixtures::FILES.len() * spec.action.len());
    let paths: Vec<String> = files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(paths.contains(&format!(
        "{FIXTURE_DIR}/add_customer_log/response_quirks.json"
    )));
    assert!(paths.contains(&CASES_PATH.to_owned()));
}

#[test]
fn xml_and_json_fixtures_carry_the_same_values() {
    let spec = read_spec(&crate::workspace::root()).expect("spec");
    let add = spec
        .action
        .iter()
        .find(|a| a.name == "AddCustomerLog")
        .unwrap();
    let doc = fixtures::request(&spec, add, false);
    let xml = fixtures::xml_document(&add.name, &doc);
    let json = fixtures::json_document(&doc);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<AddCustomerLog>"),
        "{xml}"
    );
    // Escaped in both, each in its own way.
    assert!(
        xml.contains("blue &amp; white tiles &lt;large&gt;."),
        "{xml}"
    );
    assert!(json.contains("blue & white tiles <large>."), "{json}");
    // A list is an array in JSON and a repeated element in XML.
    assert_eq!(xml.matches("<CustomerLog>").count(), 2, "{xml}");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(
        value["CustomerLogs"]["CustomerLog"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn bad_rules_resends_and_responses_are_refused() {
    let base = spec_text();
    for (from, to, expected) in [
        (
            "update = \"string:100\"",
            "update = \"string:x\"",
            "is not a number",
        ),
        (
            "add = \"date-time\"",
            "add = \"date\"",
            "unknown field rule `date`",
        ),
        ("resend = \"Read\"", "resend = \"Maybe\"", "resend `Maybe`"),
        (
            "response = \"messages\"",
            "response = \"nothing\"",
            "response `nothing`",
        ),
        (
            "example = \"Require Recontact\"",
            "example = \"Done\"",
            "not a status value",
        ),
    ] {
        let text = base.replacen(from, to, 1);
        assert_ne!(text, base, "{from} not found in the spec");
        let spec: spec::Spec = toml::from_str(&text).expect("still TOML");
        let error = spec::check(&spec).expect_err(expected);
        assert!(error.contains(expected), "{error}");
    }
}
