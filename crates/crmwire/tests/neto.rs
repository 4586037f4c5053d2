//! `crmwire neto log add|update|list` and `crmwire wire encode|decode neto`,
//! run as a user would: against `--sandbox`, against a `service = "neto"`
//! profile pointing at a `crmwire sandbox` child on 127.0.0.1, and on the
//! workspace's Neto fixtures.

mod common;

use std::path::PathBuf;

use common::{SandboxChild, TempDir, crmwire, finish, run};

/// The demo store's API key (the sandbox's published, fictional value).
const DEMO_KEY: &str = "demo-neto-key";

fn fixture(action: &str, file: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/neto/generated")
        .join(action)
        .join(file)
        .display()
        .to_string()
}

/// Runs `args` with a `neto` profile `shop` for the store at `base_url`, its key
/// in a variable.
fn with_shop(home: &TempDir, base_url: &str, key: &str, args: &[&str]) -> common::Finished {
    let config = home.file(
        "config.toml",
        &format!(
            "[profiles.shop]\nservice = \"neto\"\nbase_url = \"{base_url}\"\n\
             username = \"demo-api\"\napi_key_env = \"CRMWIRE_TEST_NETO_KEY\"\n"
        ),
    );
    finish(
        crmwire(home)
            .env("CRMWIRE_CONFIG", &config)
            .env("CRMWIRE_PROFILE", "shop")
            .env("CRMWIRE_TEST_NETO_KEY", key)
            .args(args)
            .spawn()
            .expect("start crmwire"),
    )
}

#[test]
fn add_update_and_list_through_a_profile_in_both_formats() {
    let sandbox = SandboxChild::start();
    let store = format!("{}/neto/demo", sandbox.base_url);
    let home = TempDir::new("neto-profile");
    for format in ["xml", "json"] {
        let added = with_shop(
            &home,
            &store,
            DEMO_KEY,
            &[
                "neto",
                "log",
                "add",
                "--username",
                "jo.citizen",
                "--notes",
                "Wants a quote",
                "--status",
                "require-recontact",
                "--follow-up",
                "2026-12-01T10:00:00+01:00",
                "--format",
                format,
                "--json",
            ],
        );
        added.assert_code(0).assert_never_shows(DEMO_KEY);
        let id_number = added.json()["log_ids"][0].as_u64().expect("a log id");
        let id = id_number.to_string();

        let updated = with_shop(
            &home,
            &store,
            DEMO_KEY,
            &[
                "neto",
                "log",
                "update",
                &id,
                "--status",
                "completed",
                "--allocated-to",
                "Sam",
                "--format",
                format,
            ],
        );
        updated.assert_code(0);
        assert_eq!(updated.stdout.trim(), format!("Updated customer log {id}"));

        let listed = with_shop(
            &home,
            &store,
            DEMO_KEY,
            &[
                "neto",
                "log",
                "list",
                "--customer",
                "jo.citizen",
                "--format",
                format,
                "--json",
            ],
        );
        listed.assert_code(0);
        let logs = listed.json()["logs"].as_array().cloned().unwrap();
        let log = logs
            .iter()
            .find(|l| l["log_id"].as_u64() == Some(id_number))
            .expect("the new log");
        assert_eq!(log["status"], "Completed");
        assert_eq!(log["allocated_to"], "Sam");
        // The offset was turned into UTC.
        assert_eq!(log["date_required_follow_up"], "2026-12-01 09:00:00");
    }
    let text = with_shop(
        &home,
        &store,
        DEMO_KEY,
        &["neto", "log", "list", "--customer", "jo.citizen"],
    );
    text.assert_code(0);
    assert!(
        text.stdout.starts_with("Customer jo.citizen: 2 log(s)"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_wrong_key_is_a_refusal_that_never_shows_the_key() {
    let sandbox = SandboxChild::start();
    let store = format!("{}/neto/demo", sandbox.base_url);
    let home = TempDir::new("neto-wrong-key");
    let out = with_shop(
        &home,
        &store,
        "not-the-key-42",
        &["neto", "log", "list", "--customer", "jo.citizen", "--json"],
    );
    out.assert_code(1).assert_never_shows("not-the-key-42");
    let json = out.json();
    assert_eq!(json["kind"], "refused");
    assert_eq!(json["fate"], "answered");
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("Authentication failed"),
        "{json}"
    );
}

#[test]
fn invalid_input_exits_2_naming_each_option_and_sends_nothing() {
    let long = "x".repeat(51);
    let out = run(&[
        "neto",
        "log",
        "add",
        "--sandbox",
        "--follow-up-type",
        &long,
        "--last-contacted",
        "yesterday",
        "--json",
    ]);
    out.assert_code(2);
    let json = out.json();
    assert_eq!(json["kind"], "invalid_input");
    let messages: Vec<&str> = json["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{json}");
    assert!(
        messages[0].starts_with("--last-contacted `yesterday` must be a UTC time"),
        "{messages:?}"
    );
    assert_eq!(
        messages[1],
        "--follow-up-type (FollowUpType) must be at most 50 characters"
    );
    let out = run(&[
        "neto",
        "log",
        "update",
        "12a",
        "--sandbox",
        "--follow-up-type",
        &long,
    ]);
    out.assert_code(2);
    assert!(
        out.stderr
            .contains("LOG_ID (LogID) must be digits only (0-9)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("--follow-up-type (FollowUpType) must be at most 50 characters"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_warning_is_printed_and_the_command_succeeds() {
    let out = run(&["neto", "log", "add", "--sandbox", "--notes", "no customer"]);
    out.assert_code(0);
    assert!(
        out.stdout.contains("Added customer log 1001"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("warning: log 0 has no Username"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_dry_run_prints_the_exact_request_with_the_key_masked() {
    let out = run(&[
        "neto",
        "log",
        "add",
        "--sandbox",
        "--username",
        "jo.citizen",
        "--notes",
        "a & b",
        "--dry-run",
        "--format",
        "json",
        "--json",
    ]);
    out.assert_code(0).assert_never_shows(DEMO_KEY);
    let json = out.json();
    assert_eq!(json["result"], "dry_run");
    assert_eq!(json["method"], "POST");
    assert!(
        json["url"]
            .as_str()
            .unwrap()
            .ends_with("/neto/demo/do/WS/NetoAPI")
    );
    let headers = json["headers"].as_array().unwrap();
    assert!(
        headers.contains(&serde_json::json!(["netoapi_key", "[redacted]"])),
        "{headers:?}"
    );
    assert!(
        headers.contains(&serde_json::json!(["netoapi_action", "AddCustomerLog"])),
        "{headers:?}"
    );
    assert_eq!(
        json["body"],
        r#"{"CustomerLogs":{"CustomerLog":[{"Username":"jo.citizen","Notes":"a & b"}]}}"#
    );
}

#[test]
fn wire_encode_turns_a_request_document_into_the_exact_request_in_either_format() {
    for (action, dir) in [
        ("AddCustomerLog", "add_customer_log"),
        ("UpdateCustomerLog", "update_customer_log"),
        ("GetCustomer", "get_customer"),
    ] {
        for (format, input) in [("xml", "request.json"), ("json", "request.xml")] {
            let out = run(&[
                "wire",
                "encode",
                "neto",
                action,
                &fixture(dir, input),
                "--format",
                format,
                "--sandbox",
                "--json",
            ]);
            out.assert_code(0).assert_never_shows(DEMO_KEY);
            let json = out.json();
            let body = json["body"].as_str().unwrap();
            match format {
                "xml" => assert!(
                    body.starts_with(&format!(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><{action}>"
                    )),
                    "{body}"
                ),
                _ => assert!(
                    serde_json::from_str::<serde_json::Value>(body).is_ok(),
                    "{body}"
                ),
            }
        }
    }
    let home = TempDir::new("wire-invalid");
    let bad = home.file(
        "bad.json",
        r#"{"CustomerLogs":{"CustomerLog":{"Status":"Done"}}}"#,
    );
    let out = run(&[
        "wire",
        "encode",
        "neto",
        "add",
        bad.to_str().unwrap(),
        "--sandbox",
    ]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("log 0: field `Status` must be one of"),
        "{}",
        out.stderr
    );
}

#[test]
fn wire_decode_gives_the_typed_outcome_and_the_exit_code_of_a_real_call() {
    for dir in ["add_customer_log", "update_customer_log", "get_customer"] {
        let action = match dir {
            "add_customer_log" => "add",
            "update_customer_log" => "update",
            _ => "get",
        };
        for file in [
            "response_success.xml",
            "response_success.json",
            "response_warning.json",
            "response_warning.xml",
        ] {
            let out = run(&[
                "wire",
                "decode",
                "neto",
                action,
                &fixture(dir, file),
                "--request",
                &fixture(dir, "request.json"),
                "--json",
            ]);
            out.assert_code(0);
            assert_eq!(out.json()["result"], "ok");
        }
        let out = run(&[
            "wire",
            "decode",
            "neto",
            action,
            &fixture(dir, "response_error.json"),
            "--request",
            &fixture(dir, "request.xml"),
            "--json",
        ]);
        out.assert_code(1);
        assert_eq!(out.json()["kind"], "refused");
        assert!(
            out.json()["message"]
                .as_str()
                .unwrap()
                .contains("Invalid LogID")
        );
    }
    // A 503 to a write: outcome unknown (4); the quirks answer read whole.
    let out = run(&[
        "wire",
        "decode",
        "neto",
        "add",
        &fixture("add_customer_log", "response_error.xml"),
        "--request",
        &fixture("add_customer_log", "request.xml"),
        "--status",
        "503",
    ]);
    out.assert_code(4);
    let out = run(&[
        "wire",
        "decode",
        "neto",
        "get",
        &fixture("get_customer", "response_quirks.json"),
        "--request",
        &fixture("get_customer", "request.xml"),
        "--json",
    ]);
    out.assert_code(0);
    assert_eq!(out.json()["logs"][0]["log_id"], 4711);
    assert_eq!(
        out.json()["logs"][0]["date_required_follow_up"],
        serde_json::Value::Null
    );
}
