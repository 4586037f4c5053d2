//! The generator's tests: the committed spec, its checks, and the output.

use super::model::*;
use super::*;

fn spec_text() -> String {
    fs::read_to_string(crate::workspace::root().join(SPEC_PATH)).expect("spec")
}

#[test]
fn the_committed_spec_generates_models_operations_fixtures_and_cases() {
    let spec = Spec::parse(&spec_text()).expect("spec parses");
    let names: Vec<&str> = spec.operations.iter().map(|op| op.name.as_str()).collect();
    for expected in [
        "ListCustomerNotes",
        "CreateCustomerNote",
        "GetCustomerNote",
        "UpdateCustomerNote",
        "ListNotes",
        "CreateToken",
        "RefreshToken",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    let models: Vec<&str> = spec.objects().map(|o| o.name.as_str()).collect();
    for expected in [
        "Note",
        "CustomerSummary",
        "Phone",
        "User",
        "NoteAssignee",
        "NoteMessage",
    ] {
        assert!(models.contains(&expected), "{models:?}");
    }
    assert!(
        !models.contains(&"TokenResponse"),
        "hand-written schemas are skipped"
    );
    let files = generate(&crate::workspace::root()).expect("generate");
    let fixtures = files
        .iter()
        .filter(|f| f.path.starts_with(FIXTURE_DIR))
        .count();
    let with_body: usize = spec
        .operations
        .iter()
        .map(|op| op.cases.iter().filter(|c| c.fixture().is_some()).count())
        .sum();
    assert_eq!(fixtures, with_body);
    assert_eq!(files.len(), 5 + with_body);
}

#[test]
fn models_follow_the_spec_types() {
    let spec = Spec::parse(&spec_text()).expect("spec parses");
    let models = rust::models_rs(&spec);
    // Required, not nullable: a plain type.
    assert!(
        models.contains("pub created_on: crate::Timestamp,"),
        "{models}"
    );
    // Nullable: `Option`, sent as `null`.
    assert!(
        models.contains("#[serde(rename = \"type\", default)]\n    pub kind: Option<String>,"),
        "{models}"
    );
    // Optional, not nullable (absent from the vendor's sample): left out when `None`.
    assert!(
        models.contains(
            "#[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub id: Option<i64>,"
        ),
        "{models}"
    );
    // Three-state update fields.
    assert!(
        models.contains("pub confidential: Patch<String>,"),
        "{models}"
    );
    // Open enums.
    assert!(models.contains("MembershipCard,") && models.contains("PointEarned,"));
    assert!(models.contains("Other(String),"));
}

#[test]
fn spec_mistakes_are_refused() {
    let base = spec_text();
    for (from, to, expected) in [
        ("\"openapi\": \"3.0.3\"", "\"openapi\": \"2.0\"", "3.x"),
        (
            "\"$ref\": \"#/components/schemas/NoteStatus\"",
            "\"$ref\": \"#/components/schemas/Missing\"",
            "unknown schema `Missing`",
        ),
        (
            "\"type\": \"boolean\",\n            \"description\": \"Whether the customer is a VIP.",
            "\"type\": \"bool\",\n            \"description\": \"Whether the customer is a VIP.",
            "unsupported type",
        ),
        (
            "\"x-rust-name\": \"kind\"",
            "\"x-rust-nam\": \"kind\"",
            "is a Rust keyword",
        ),
        (
            "\"description\": \"Whether a note is open.",
            "\"descr\": \"Whether a note is open.",
            "has no description",
        ),
    ] {
        assert!(base.contains(from), "the spec no longer contains {from}");
        let edited = base.replacen(from, to, 1);
        let Err(error) = Spec::parse(&edited) else {
            panic!("the spec with {to} was accepted");
        };
        assert!(error.contains(expected), "{error}");
    }
}

#[test]
fn names_convert() {
    assert_eq!(pascal("membershipCard"), "MembershipCard");
    assert_eq!(pascal("point_earned"), "PointEarned");
    assert_eq!(snake("listCustomerNotes"), "list_customer_notes");
}

#[test]
fn raw_examples_become_text_fixtures_and_bodyless_responses_none() {
    let spec = Spec::parse(&spec_text()).expect("spec parses");
    let list = spec
        .operations
        .iter()
        .find(|op| op.name == "ListCustomerNotes")
        .expect("list");
    let no_content = list.cases.iter().find(|c| c.status == 204).expect("204");
    assert!(no_content.fixture().is_none());
    let html = list
        .cases
        .iter()
        .find(|c| c.example.as_deref() == Some("html_page"))
        .expect("html");
    let (name, contents) = html.fixture().expect("fixture");
    assert_eq!(name, "500_html_page.txt");
    assert!(contents.starts_with("<html>"));
    let page = list
        .cases
        .iter()
        .find(|c| c.example.as_deref() == Some("page_1_of_2"))
        .expect("page");
    assert_eq!(page.headers[0].0, "pagination");
}
