//! `crmwire peoplevine` (alias `pv`) and `crmwire wire … peoplevine`, run as a
//! process: against a `crmwire sandbox` through a `service = "peoplevine"`
//! profile whose password (or user's tokens) is in the environment, with
//! `--sandbox`, and on the
//! workspace's generated Peoplevine fixtures.

mod common;

use std::path::PathBuf;

use common::{DEMO_PASSWORD, Finished, SandboxChild, TempDir, crmwire, finish, run};
use sandbox::peoplevine::{
    DEMO_COMPANY_ID, DEMO_CUSTOMERS, DEMO_USER_ACCESS_TOKEN, DEMO_USER_REFRESH_TOKEN,
};

const PASSWORD_ENV: &str = "CRMWIRE_TEST_PV_PASSWORD";

/// Runs `args` with a Peoplevine profile `club` at `base_url`.
fn with_pv_profile(home: &TempDir, base_url: &str, password: &str, args: &[&str]) -> Finished {
    let config = home.file(
        "config.toml",
        &format!(
            "[profiles.club]\nservice = \"peoplevine\"\nbase_url = \"{base_url}/peoplevine\"\n\
             username = \"demo@peoplevine.example\"\npassword_env = \"{PASSWORD_ENV}\"\n\n\
             [profiles.strax]\nservice = \"securitytrax\"\nbase_url = \"{base_url}/securitytrax\"\n\
             site = \"demo\"\nusername = \"demo\"\npartner_id = \"1001\"\npassword_env = \"{PASSWORD_ENV}\"\n"
        ),
    );
    finish(
        crmwire(home)
            .env("CRMWIRE_CONFIG", &config)
            .env("CRMWIRE_PROFILE", "club")
            .env(PASSWORD_ENV, password)
            .args(args)
            .spawn()
            .expect("start crmwire"),
    )
}

fn fixture(operation: &str, file: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/peoplevine/generated")
        .join(operation)
        .join(file)
        .display()
        .to_string()
}

#[test]
fn notes_through_a_profile_add_list_page_get_update() {
    let sandbox = SandboxChild::start();
    let home = TempDir::new("pv-profile");
    let pv = |args: &[&str]| with_pv_profile(&home, &sandbox.base_url, DEMO_PASSWORD, args);
    for n in 0..3 {
        let subject = format!("call {n}");
        pv(&[
            "pv",
            "note",
            "add",
            "--customer",
            "501",
            "--subject",
            &subject,
            "--tag",
            "renewal",
            "--json",
        ])
        .assert_code(0)
        .assert_never_shows(DEMO_PASSWORD);
    }
    // A dry run sends nothing.
    pv(&[
        "peoplevine",
        "--dry-run",
        "note",
        "add",
        "--customer",
        "501",
        "--subject",
        "not sent",
    ])
    .assert_code(0);
    // Every page, with pages of 2.
    let all = pv(&[
        "pv",
        "note",
        "list",
        "--customer",
        "501",
        "--page-size",
        "2",
        "--json",
    ]);
    all.assert_code(0);
    let all = all.json();
    assert_eq!(all["count"], 3, "{all}");
    assert_eq!(all["notes"][2]["subject"], "call 2");
    // Only page 2.
    let page = pv(&[
        "pv",
        "note",
        "list",
        "--customer",
        "501",
        "--page",
        "2",
        "--page-size",
        "2",
        "--json",
    ])
    .json();
    assert_eq!(page["count"], 1, "{page}");
    // An empty list (204) is no notes, not an error.
    let empty = pv(&["pv", "note", "list", "--customer", "502"]);
    empty.assert_code(0);
    assert!(empty.stdout.contains("no notes"), "{}", empty.stdout);
    let every = pv(&["pv", "note", "list-all", "--json"]).json();
    assert_eq!(every["count"], 3);
    let id = every["notes"][0]["id"].as_i64().expect("id").to_string();
    // Only the options given are sent; --clear sends null.
    let updated = pv(&[
        "pv",
        "note",
        "update",
        &id,
        "--subject",
        "renamed",
        "--clear",
        "tags",
        "--priority",
        "true",
        "--json",
    ]);
    updated.assert_code(0);
    let note = &updated.json()["note"];
    assert_eq!(note["subject"], "renamed");
    assert!(note["tags"].is_null(), "{note}");
    assert_eq!(note["priority"], true);
    let got = pv(&["pv", "note", "get", &id, "--json"]).json();
    assert_eq!(got["note"], *note);
    // A missing note: the service's refusal, exit 1.
    let missing = pv(&["pv", "note", "get", "999", "--json"]);
    missing.assert_code(1);
    assert_eq!(missing.json()["kind"], "refused");
}

#[test]
fn a_wrong_password_or_a_profile_of_another_service() {
    let sandbox = SandboxChild::start();
    let home = TempDir::new("pv-wrong");
    let wrong = with_pv_profile(
        &home,
        &sandbox.base_url,
        "not-the-password-7",
        &["pv", "note", "get", "1", "--json"],
    );
    wrong
        .assert_code(1)
        .assert_never_shows("not-the-password-7");
    assert_eq!(wrong.json()["kind"], "authentication");
    let other = with_pv_profile(
        &home,
        &sandbox.base_url,
        DEMO_PASSWORD,
        &["pv", "--profile", "strax", "note", "get", "1"],
    );
    other.assert_code(2);
    assert!(
        other.stderr.contains("needs a `peoplevine` profile"),
        "{}",
        other.stderr
    );
}

const ACCESS_ENV: &str = "CRMWIRE_TEST_PV_ACCESS";
const REFRESH_ENV: &str = "CRMWIRE_TEST_PV_REFRESH";

/// Runs `args` with a profile `company` whose grant lines are `grant`, the
/// user's tokens in the environment.
fn with_grant(home: &TempDir, base_url: &str, grant: &str, args: &[&str]) -> Finished {
    let config = home.file(
        "config.toml",
        &format!(
            "[profiles.company]\nservice = \"peoplevine\"\nbase_url = \"{base_url}/peoplevine\"\n{grant}"
        ),
    );
    finish(
        crmwire(home)
            .env("CRMWIRE_CONFIG", &config)
            .env("CRMWIRE_PROFILE", "company")
            .env(ACCESS_ENV, DEMO_USER_ACCESS_TOKEN)
            .env(REFRESH_ENV, DEMO_USER_REFRESH_TOKEN)
            .env(PASSWORD_ENV, DEMO_PASSWORD)
            .args(args)
            .spawn()
            .expect("start crmwire"),
    )
}

#[test]
fn the_user_company_grant_from_a_profile() {
    let sandbox = SandboxChild::start();
    let home = TempDir::new("pv-user-company");
    let user_company = |company_id: i64| {
        format!(
            "access_token_env = \"{ACCESS_ENV}\"\nrefresh_token_env = \"{REFRESH_ENV}\"\ncompany_id = \"{company_id}\"\n"
        )
    };
    let grant = user_company(DEMO_COMPANY_ID);
    let customer = DEMO_CUSTOMERS[1].to_string();
    let added = with_grant(
        &home,
        &sandbox.base_url,
        &grant,
        &[
            "pv",
            "note",
            "add",
            "--customer",
            &customer,
            "--subject",
            "by company",
            "--json",
        ],
    );
    added
        .assert_code(0)
        .assert_never_shows(DEMO_USER_ACCESS_TOKEN)
        .assert_never_shows(DEMO_USER_REFRESH_TOKEN);
    let id = added.json()["note"]["id"]
        .as_i64()
        .expect("the note's id")
        .to_string();
    let got = with_grant(
        &home,
        &sandbox.base_url,
        &grant,
        &["pv", "note", "get", &id, "--json"],
    );
    got.assert_code(0);
    assert_eq!(got.json()["note"]["subject"], "by company");

    // The sandbox refuses the tokens for another company.
    let other = with_grant(
        &home,
        &sandbox.base_url,
        &user_company(DEMO_COMPANY_ID + 1),
        &["pv", "note", "get", &id, "--json"],
    );
    other
        .assert_code(1)
        .assert_never_shows(DEMO_USER_ACCESS_TOKEN)
        .assert_never_shows(DEMO_USER_REFRESH_TOKEN);
    assert_eq!(other.json()["kind"], "authentication");
}

#[test]
fn both_grants_or_neither_is_a_configuration_error() {
    let home = TempDir::new("pv-grants");
    let password = format!("username = \"demo\"\npassword_env = \"{PASSWORD_ENV}\"\n");
    let user_company = format!(
        "access_token_env = \"{ACCESS_ENV}\"\nrefresh_token_env = \"{REFRESH_ENV}\"\ncompany_id = \"42\"\n"
    );
    // Nothing listens here: a configuration error comes before any request.
    for grant in [String::new(), format!("{password}{user_company}")] {
        let out = with_grant(
            &home,
            "http://127.0.0.1:9",
            &grant,
            &["pv", "note", "get", "1"],
        );
        out.assert_code(2);
        assert!(
            out.stderr.contains("profile `company`"),
            "{grant:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("either `username` and `password_env` (the password grant), or `access_token_env`, `refresh_token_env` and `company_id` (the user-company grant), not both"),
            "{grant:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn invalid_input_exits_2_naming_the_option_and_sends_nothing() {
    for (args, expected) in [
        (
            vec!["pv", "--sandbox", "note", "list-all", "--page-size", "51"],
            "--page-size",
        ),
        (
            vec![
                "pv",
                "--sandbox",
                "note",
                "list",
                "--customer",
                "501",
                "--page",
                "0",
            ],
            "--page",
        ),
        (
            vec!["pv", "--sandbox", "note", "update", "7"],
            "one of --subject",
        ),
        (
            vec![
                "pv",
                "--sandbox",
                "note",
                "update",
                "7",
                "--subject",
                "x",
                "--clear",
                "subject",
            ],
            "--subject",
        ),
        (
            vec!["pv", "--sandbox", "note", "add", "--customer", "501"],
            "--subject",
        ),
        (
            vec![
                "pv",
                "--sandbox",
                "note",
                "add",
                "--customer",
                "501",
                "--subject",
                "s",
                "--reference-type",
                "giftCard",
            ],
            "--reference-type",
        ),
    ] {
        let out = run(&args);
        out.assert_code(2);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn the_sandbox_flag_and_a_dry_run_print_the_exact_request() {
    let out = run(&[
        "pv",
        "--sandbox",
        "--dry-run",
        "--json",
        "note",
        "update",
        "7",
        "--subject",
        "S",
        "--clear",
        "reminder",
    ]);
    out.assert_code(0);
    let request = out.json();
    assert_eq!(request["method"], "PATCH");
    assert!(
        request["url"]
            .as_str()
            .unwrap()
            .ends_with("/peoplevine/api/customers/notes/7")
    );
    assert_eq!(
        request["body"],
        serde_json::json!({"subject": "S", "reminder": null})
    );
}

#[test]
fn wire_encode_every_operation_with_secrets_masked() {
    let home = TempDir::new("pv-wire");
    for (document, method, path) in [
        (
            r#"{"operation":"create_token"}"#,
            "POST",
            "/peoplevine/api/token",
        ),
        (
            r#"{"operation":"refresh_token","access_token":"acc-123","refresh_token":"ref-456"}"#,
            "POST",
            "/peoplevine/api/token/refresh",
        ),
        (
            r#"{"operation":"list_customer_notes","customer_id":501,"page_number":2,"page_size":25}"#,
            "GET",
            "/peoplevine/api/customers/501/notes?page_number=2&page_size=25",
        ),
        (
            r#"{"operation":"list_notes"}"#,
            "GET",
            "/peoplevine/api/customers/notes?page_number=1&page_size=50",
        ),
        (
            r#"{"operation":"create_customer_note","customer_id":501,"note":{"subject":"S"}}"#,
            "POST",
            "/peoplevine/api/customers/501/notes",
        ),
        (
            r#"{"operation":"get_customer_note","note_id":7}"#,
            "GET",
            "/peoplevine/api/customers/notes/7",
        ),
        (
            r#"{"operation":"update_customer_note","note_id":7,"update":{"reminder":null}}"#,
            "PATCH",
            "/peoplevine/api/customers/notes/7",
        ),
    ] {
        let file = home.file("operation.json", document);
        let out = run(&[
            "wire",
            "encode",
            "peoplevine",
            file.to_str().unwrap(),
            "--sandbox",
            "--json",
        ]);
        out.assert_code(0)
            .assert_never_shows(DEMO_PASSWORD)
            .assert_never_shows("acc-123")
            .assert_never_shows("ref-456");
        let request = out.json();
        assert_eq!(request["method"], method, "{document}");
        assert!(
            request["url"].as_str().unwrap().ends_with(path),
            "{request}"
        );
    }
    let bad = home.file("bad.json", r#"{"operation":"list_notes","page_size":51}"#);
    run(&["wire", "encode", "pv", bad.to_str().unwrap(), "--sandbox"]).assert_code(2);
}

#[test]
fn wire_decode_takes_status_and_headers_and_exits_as_a_call_would() {
    let page = fixture("list_notes", "200_page_1_of_2.json");
    let header = r#"pagination: {"page_number":1,"page_size":2,"total_pages":2,"total_count":3,"has_previous_page":false,"has_next_page":true}"#;
    let out = run(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "list_notes",
        "--header",
        header,
        &page,
        "--json",
    ]);
    out.assert_code(0);
    let decoded = out.json();
    assert_eq!(decoded["notes"].as_array().unwrap().len(), 2);
    assert_eq!(decoded["pagination"]["total_count"], 3);
    let empty = home_stdin_empty(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "list_customer_notes",
        "--status",
        "204",
        "--json",
    ]);
    empty.assert_code(0);
    assert_eq!(empty.json()["notes"], serde_json::json!([]));
    // 422 keeps its details; exit 1.
    let invalid = run(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "list_notes",
        "--status",
        "422",
        &fixture("list_notes", "422_unprocessable.json"),
        "--json",
    ]);
    invalid.assert_code(1);
    assert!(
        invalid.json()["message"]
            .as_str()
            .unwrap()
            .contains("page_size")
    );
    // 429 is answered (nothing done), exit 1.
    run(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "list_notes",
        "--status",
        "429",
        "--header",
        "retry-after: 120",
        &fixture("list_notes", "429_rate_limited.json"),
    ])
    .assert_code(1);
    // A 500 to a write: outcome unknown (exit 4); the token in the page is cut.
    run(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "create_customer_note",
        "--status",
        "500",
        &fixture("create_customer_note", "500_html_page.txt"),
    ])
    .assert_code(4)
    .assert_never_shows("fixture-token");
    // A token answer never shows the token.
    run(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "create_token",
        &fixture("create_token", "200_granted.json"),
        "--json",
    ])
    .assert_code(0)
    .assert_never_shows("fixture-access-token")
    .assert_never_shows("fixture-refresh-token");
}

#[test]
fn wire_decode_with_the_request_checks_the_answer_is_about_its_record() {
    let home = TempDir::new("pv-wire-request");
    let request = |name: &str, json: &str| home.file(name, json).display().to_string();
    let get_1 = request(
        "get1.json",
        r#"{"operation":"get_customer_note","note_id":1}"#,
    );
    let get_9 = request(
        "get9.json",
        r#"{"operation":"get_customer_note","note_id":9}"#,
    );
    let add_for_999 = request(
        "add999.json",
        r#"{"operation":"create_customer_note","customer_id":999,"note":{"subject":"s"}}"#,
    );
    let list_501 = request(
        "list501.json",
        r#"{"operation":"list_customer_notes","customer_id":501}"#,
    );
    let list_7 = request(
        "list7.json",
        r#"{"operation":"list_customer_notes","customer_id":7}"#,
    );
    let note_1 = fixture("get_customer_note", "200_typical.json");
    let page = fixture("list_customer_notes", "200_page_1_of_2.json");
    let decode = |request: &str, answer: &str| {
        run(&[
            "wire",
            "decode",
            "pv",
            "--request",
            request,
            answer,
            "--json",
        ])
    };

    // The answer is the note asked for, and the page is the customer's.
    let got = decode(&get_1, &note_1);
    got.assert_code(0);
    assert_eq!(got.json()["operation"], "get_customer_note");
    assert_eq!(got.json()["note"]["id"], 1);
    decode(&list_501, &page).assert_code(0);

    // Another note than the one asked for: refused; a read, so answered (exit 1).
    let other = decode(&get_9, &note_1);
    other.assert_code(1);
    assert!(
        other.json()["message"]
            .as_str()
            .unwrap()
            .contains("the answer is note 1, not note 9"),
        "{}",
        other.stdout
    );
    // A page of another customer's notes: refused.
    let other_page = decode(&list_7, &page);
    other_page.assert_code(1);
    assert!(
        other_page.stdout.contains("not to customer 7"),
        "{}",
        other_page.stdout
    );
    // A note added for customer 999 that comes back as customer 501's: it may
    // have been stored somewhere, so the outcome is unknown (exit 4).
    decode(&add_for_999, &note_1).assert_code(4);
    // Without the request nothing can be checked: the same answer decodes.
    run(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "get_customer_note",
        &note_1,
    ])
    .assert_code(0);

    // Usage: one of --operation and --request, and not both from stdin.
    run(&[
        "wire",
        "decode",
        "pv",
        "--operation",
        "get_customer_note",
        "--request",
        &get_1,
        &note_1,
    ])
    .assert_code(2);
    run(&["wire", "decode", "pv", &note_1]).assert_code(2);
    let both_stdin = home_stdin_empty(&["wire", "decode", "pv", "--request", "-"]);
    both_stdin.assert_code(2);
    assert!(
        both_stdin.stderr.contains("both be read from stdin"),
        "{}",
        both_stdin.stderr
    );
    let broken = request("broken.json", r#"{"operation":"get_customer_note"}"#);
    let unreadable = decode(&broken, &note_1);
    unreadable.assert_code(2);
    assert!(unreadable.stdout.contains("note_id") || unreadable.stderr.contains("note_id"));
}

/// Runs with an empty stdin.
fn home_stdin_empty(args: &[&str]) -> Finished {
    let home = TempDir::new("pv-stdin");
    finish(
        crmwire(&home)
            .args(args)
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("start crmwire"),
    )
}
