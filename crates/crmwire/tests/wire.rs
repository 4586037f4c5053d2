//! `crmwire wire encode|decode strax`: operation documents to exact requests, and
//! captured-looking answers (the workspace's SecurityTrax fixtures: success,
//! refusal, authentication failure, echoed credentials; and garbage) to typed
//! outcomes with the exit codes of a real call.

mod common;

use std::path::PathBuf;
use std::process::Stdio;

use common::{Finished, TempDir, crmwire, finish, run, with_profile};

/// The operation documents, one per operation (the crate README shows them).
const OPERATIONS: [&str; 6] = [
    "create_customer_note",
    "create_tech_schedule",
    "get_appointment_availability",
    "get_customer_status",
    "get_security_trax_unique_id",
    "update_confirmation_number",
];

fn document(name: &str) -> String {
    data(&format!("{name}.json")).display().to_string()
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/strax")
        .join(name)
}

/// A generated SecurityTrax fixture: `fixtures/strax-xml/generated/<operation>/<file>`.
fn fixture(operation: &str, file: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/strax-xml/generated")
        .join(operation)
        .join(file)
        .display()
        .to_string()
}

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.add_filter(r#"crmwire/\d+\.\d+\.\d+[^\s<"]*"#, "crmwire/[version]");
    settings
}

#[test]
fn every_operation_document_encodes_to_its_exact_request() {
    for operation in OPERATIONS {
        let out = run(&[
            "wire",
            "encode",
            "strax",
            &document(operation),
            "--sandbox",
            "--json",
        ]);
        out.assert_code(0).assert_never_shows(common::DEMO_PASSWORD);
        let json = out.json();
        assert_eq!(json["result"], "request", "{operation}");
        snapshot_settings().bind(|| {
            insta::assert_json_snapshot!(format!("encode_{operation}"), json);
        });
    }
}

#[test]
fn encode_reads_stdin_and_prints_the_raw_request_as_text() {
    let home = TempDir::new("encode-stdin");
    let mut child = crmwire(&home)
        .args(["wire", "encode", "securitytrax", "--sandbox"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(br#"{"operation": "GetCustomerStatus", "fields": {"customer": "9710"}}"#)
            .unwrap();
    }
    let out = finish(child);
    out.assert_code(0).assert_never_shows(common::DEMO_PASSWORD);
    snapshot_settings().bind(|| insta::assert_snapshot!("encode_text_stdin", out.stdout));
}

#[test]
fn encode_uses_the_profile_endpoint_and_masks_its_password() {
    let home = TempDir::new("encode-profile");
    let secret = "hunter2-encode";
    let out = with_profile(
        &home,
        "https://crm.example.com",
        secret,
        &[
            "wire",
            "encode",
            "strax",
            &document("update_confirmation_number"),
        ],
    );
    out.assert_code(0).assert_never_shows(secret);
    assert!(
        out.stdout
            .starts_with("POST https://crm.example.com/demo/informationposter.php\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(">********<"), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn encode_needs_a_profile_or_sandbox_and_a_valid_document() {
    let out = run(&["wire", "encode", "strax", &document("get_customer_status")]);
    out.assert_code(2);
    assert!(out.stderr.contains("--sandbox"), "{}", out.stderr);

    let home = TempDir::new("encode-bad");
    let cases = [
        (
            r#"{"operation": "DeleteCustomer", "fields": {}}"#,
            "unknown variant `DeleteCustomer`",
        ),
        (
            r#"{"operation": "GetCustomerStatus", "fields": {"customer": "1", "extra": "x"}}"#,
            "unknown field `extra`",
        ),
        (
            r#"{"operation": "GetSecurityTraxUniqueId", "fields": {"phone": "1", "account": "2"}}"#,
            "`phone` and `account` cannot both be given",
        ),
        ("not json", "expected ident"),
    ];
    for (text, shown) in cases {
        let file = home.file("op.json", text);
        let out = run(&[
            "wire",
            "encode",
            "strax",
            file.to_str().unwrap(),
            "--sandbox",
            "--json",
        ]);
        out.assert_code(2);
        assert!(out.stderr.contains(shown), "{text}: {}", out.stderr);
        assert_eq!(out.json()["kind"], "invalid_input");
    }

    let file = home.file(
        "op.json",
        r#"{"operation": "CreateCustomerNote", "fields": {"customer": "97x0", "subject": " ", "text": "t", "type": "sales"}}"#,
    );
    let out = run(&[
        "wire",
        "encode",
        "strax",
        file.to_str().unwrap(),
        "--sandbox",
        "--json",
    ]);
    out.assert_code(2);
    snapshot_settings().bind(|| insta::assert_json_snapshot!("encode_invalid_fields", out.json()));
}

/// `crmwire wire decode strax <answer> --request <operation> [extra…] --json`.
fn decode(answer: &str, operation: &str, extra: &[&str]) -> Finished {
    let request = document(operation);
    let mut args = vec![
        "wire",
        "decode",
        "strax",
        answer,
        "--request",
        &request,
        "--json",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn captured_successes_decode_to_the_typed_outcome() {
    for operation in OPERATIONS {
        let out = decode(&fixture(operation, "response_success.xml"), operation, &[]);
        out.assert_code(0).assert_never_shows("fixture-password");
        snapshot_settings().bind(|| {
            insta::assert_json_snapshot!(format!("decode_success_{operation}"), out.json());
        });
    }
}

#[test]
fn captured_failures_decode_with_the_exit_codes_of_a_real_call() {
    // A refusal: exit 1, the service's texts in the message.
    let out = decode(
        &fixture("update_confirmation_number", "response_failure.xml"),
        "update_confirmation_number",
        &[],
    );
    out.assert_code(1);
    snapshot_settings().bind(|| insta::assert_json_snapshot!("decode_failure", out.json()));

    // An authentication failure, with the credentials echoed: exit 1, never shown.
    let out = decode(
        &fixture(
            "create_customer_note",
            "response_auth_failed_echo_in_data.xml",
        ),
        "create_customer_note",
        &[],
    );
    out.assert_code(1).assert_never_shows("fixture-password");
    snapshot_settings().bind(|| insta::assert_json_snapshot!("decode_auth_failed", out.json()));

    // Garbage (a PHP error page): a write's fate is unknown (4), a read's is not (1).
    let home = TempDir::new("decode-garbage");
    let garbage = home.file(
        "garbage.html",
        "<html><body><b>Fatal error</b>: Allowed memory size exhausted in /var/www/poster.php</body></html>",
    );
    let garbage = garbage.to_str().unwrap();
    let out = decode(garbage, "create_customer_note", &[]);
    out.assert_code(4);
    assert_eq!(out.json()["kind"], "unreadable");
    let out = decode(garbage, "get_customer_status", &[]);
    out.assert_code(1);
    snapshot_settings().bind(|| insta::assert_json_snapshot!("decode_garbage_read", out.json()));

    // A server error: unknown for a write, a plain failure for a read.
    let out = decode(garbage, "create_customer_note", &["--status", "502"]);
    out.assert_code(4);
    assert_eq!(out.json()["kind"], "http_status");
    let out = decode(garbage, "get_customer_status", &["--status", "502"]);
    out.assert_code(1);
}

#[test]
fn decode_prints_text_too_and_refuses_two_stdins() {
    let out = run(&[
        "wire",
        "decode",
        "strax",
        &fixture("get_security_trax_unique_id", "response_success.xml"),
        "--request",
        &document("get_security_trax_unique_id"),
    ]);
    out.assert_code(0);
    assert!(
        out.stdout.starts_with("Found customer ") && out.stdout.ends_with(" by phone number.\n"),
        "{}",
        out.stdout
    );
    let out = run(&["wire", "decode", "strax", "-", "--request", "-"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("cannot both come from stdin"),
        "{}",
        out.stderr
    );
}

#[test]
fn decode_never_prints_the_selected_profile_password_a_captured_answer_quotes() {
    let home = TempDir::new("decode-profile");
    let secret = "hunter2-captured";
    let answer = home.file(
        "answer.xml",
        "<root><responses>\
         <response type=\"GetSystemAuthentication\" success=\"true\"><data/></response>\
         <response type=\"UpdateConfirmationNumberBySecurityTraxUniqueID\" success=\"false\">\
         <data><message>Rejected for password hunter2-captured</message></data></response>\
         </responses></root>",
    );
    let request = document("update_confirmation_number");
    for json in [false, true] {
        let mut args = vec![
            "wire",
            "decode",
            "strax",
            answer.to_str().unwrap(),
            "--request",
            &request,
        ];
        if json {
            args.push("--json");
        }
        let out = with_profile(&home, "https://crm.example.com", secret, &args);
        out.assert_code(1).assert_never_shows(secret);
        assert!(
            out.stderr.contains("Rejected for password [redacted]"),
            "{}",
            out.stderr
        );
    }
}
