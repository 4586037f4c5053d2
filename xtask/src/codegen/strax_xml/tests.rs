//! The generator's tests: the committed spec, its checks, and the fixtures.

use super::check::*;
use super::fixtures::*;
use super::spec::*;
use super::*;

fn spec() -> Spec {
    let root = crate::workspace::root();
    let text = fs::read_to_string(root.join(SPEC_PATH)).expect("spec");
    toml::from_str(&text).expect("spec parses")
}

#[test]
fn the_committed_spec_generates_code_fixtures_and_cases() {
    let files = generate(&crate::workspace::root()).expect("generate");
    let paths: Vec<String> = files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(paths.contains(&format!("{RUST_DIR}/request_types.rs")));
    assert!(paths.contains(&format!("{FIXTURE_DIR}/create_tech_schedule/request.xml")));
    assert!(paths.contains(&CASES_PATH.to_owned()));
    // 4 Rust files, a request and the response cases per operation, 1 test list.
    assert_eq!(
        files.len(),
        4 + (1 + RESPONSE_CASES.len()) * spec().operations.len() + 1
    );
}

#[test]
fn the_request_fixture_matches_the_vendor_sample_fields() {
    let spec = spec();
    let op = spec
        .operations
        .iter()
        .find(|op| op.fixture == "create_tech_schedule")
        .expect("op");
    let xml = request_xml(&spec, op);
    assert!(
        xml.contains("<attribute name=\"StartTime\">01/23/2014 7:30</attribute>"),
        "{xml}"
    );
    assert!(
        xml.contains("<attribute name=\"TechID\"></attribute>"),
        "{xml}"
    );
}

#[test]
fn unknown_kinds_enums_and_scripts_are_refused() {
    let base = fs::read_to_string(crate::workspace::root().join(SPEC_PATH)).expect("spec");
    for (from, to, expected) in [
        (
            "kind = \"digits\", example = \"9710\"",
            "kind = \"number\", example = \"9710\"",
            "kind `number`",
        ),
        (
            "enum = \"NoteType\"",
            "enum = \"Nope\"",
            "unknown enum `Nope`",
        ),
        ("script = \"read\"", "script = \"both\"", "script must be"),
        (
            "response = \"created\"",
            "response = \"ok\"",
            "response `ok`",
        ),
        (
            "example = \"PhoneNumber\"",
            "example = \"Fax\"",
            "not a code of `IdType`",
        ),
    ] {
        let text = base.replacen(from, to, 1);
        assert_ne!(text, base, "{from} not found in the spec");
        let spec: Spec = toml::from_str(&text).expect("still TOML");
        let error = check(&spec).expect_err(expected);
        assert!(error.contains(expected), "{error}");
    }
}

#[test]
fn wire_names_must_be_xml_names_and_unique() {
    let base = fs::read_to_string(crate::workspace::root().join(SPEC_PATH)).expect("spec");
    for (from, to, expected) in [
        (
            "wire = \"NoteSubject\"",
            "wire = \"Note Subject\"",
            "field `Note Subject` is not an XML name",
        ),
        (
            "wire = \"TechID\"",
            "wire = \"1TechID\"",
            "field `1TechID` is not an XML name",
        ),
        (
            "wire = \"NoteText\"",
            "wire = \"NoteSubject\"",
            "field `NoteSubject` appears twice",
        ),
        (
            "{ wire = \"Phone2\"",
            "{ wire = \"Phone1\"",
            "customer field `Phone1` appears twice",
        ),
        (
            "{ wire = \"Email\"",
            "{ wire = \"E<mail\"",
            "customer field `E<mail` is not an XML name",
        ),
        (
            "code = \"2\", doc = \"A closed ticket.\"",
            "code = \"1\", doc = \"A closed ticket.\"",
            "enum `TicketType`: code `1` appears twice",
        ),
        (
            "element = \"ConfirmationStatusName\"",
            "element = \"Confirmation:Status\"",
            "response element `Confirmation:Status` is not an XML name",
        ),
        (
            "element = \"Customer\"",
            "element = \"\"",
            "customer element `` is not an XML name",
        ),
    ] {
        let text = base.replacen(from, to, 1);
        assert_ne!(text, base, "{from} not found in the spec");
        let spec: Spec = toml::from_str(&text).expect("still TOML");
        let error = check(&spec).expect_err(expected);
        assert!(error.contains(expected), "{expected}: {error}");
    }
    assert!(check_xml_name("Security-Trax.ID_2", "x").is_ok());
    assert!(check_xml_name("_x", "x").is_ok());
    for bad in ["", "-x", ".x", "x y", "é", "a/b"] {
        assert!(check_xml_name(bad, "x").is_err(), "{bad}");
    }
}

#[test]
fn cdata_and_references_spell_the_same_text() {
    assert_eq!(cdata_and_references("2237"), "<![CDATA[22]]>&#51;&#x37;");
    assert_eq!(
        cdata_and_references("Not Confirmed"),
        "<![CDATA[Not Co]]>&#110;firme&#x64;"
    );
    assert_eq!(cdata_and_references("a&b"), "<![CDATA[a&b]]>");
    assert_eq!(cdata("]]>"), "<![CDATA[]]]]><![CDATA[>]]>");
    for text in [
        "]]>",
        "x]]>yz]]>w",
        "ab]]>cd",
        "]]>]]>]]>]]>",
        "a]]",
        "Not Confirmed",
        "<&'\">",
    ] {
        let written = cdata_and_references(text);
        assert_eq!(decode_character_data(&written), text, "{written}");
    }
}

/// Decodes XML character data (text, CDATA sections, entity and character
/// references) as a parser would, refusing markup and a `]]>` outside CDATA.
fn decode_character_data(mut xml: &str) -> String {
    let mut out = String::new();
    while let Some(c) = xml.chars().next() {
        if let Some(rest) = xml.strip_prefix("<![CDATA[") {
            let end = rest.find("]]>").expect("a closed CDATA section");
            out.push_str(&rest[..end]);
            xml = &rest[end + 3..];
        } else if let Some(rest) = xml.strip_prefix('&') {
            let end = rest.find(';').expect("a terminated reference");
            let name = &rest[..end];
            let decoded = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let code = match name.strip_prefix("#x") {
                        Some(hex) => u32::from_str_radix(hex, 16),
                        None => name.trim_start_matches('#').parse(),
                    };
                    char::from_u32(code.expect("a number")).expect("a character")
                }
            };
            out.push(decoded);
            xml = &rest[end + 1..];
        } else {
            assert!(
                c != '<' && !xml.starts_with("]]>"),
                "not character data: {xml}"
            );
            out.push(c);
            xml = &xml[c.len_utf8()..];
        }
    }
    out
}

#[test]
fn every_fixture_case_holds_the_echo_where_its_name_says() {
    let spec = spec();
    for op in &spec.operations {
        let (success, failure, auth_failed) = echoes_in_data(&spec, op);
        for (name, document, expected) in [
            ("success", &success, 3),
            ("failure", &failure, 3),
            ("auth_failed", &auth_failed, 1),
        ] {
            assert_eq!(
                document.matches(FIXTURE_PASSWORD).count(),
                expected,
                "{}: {name}: {document}",
                op.fixture
            );
            let data = document.find("<data>").expect("data");
            assert!(document[data..].find("<system_request>").is_some());
        }
    }
}

#[test]
fn identifiers_are_checked() {
    assert!(check_identifier("CreateCustomerNote", true).is_ok());
    assert!(check_identifier("note_text", false).is_ok());
    assert!(check_identifier("note-text", false).is_err());
    assert!(check_identifier("createNote", true).is_err());
    assert_eq!(screaming("CreateCustomerNote"), "CREATE_CUSTOMER_NOTE");
}
