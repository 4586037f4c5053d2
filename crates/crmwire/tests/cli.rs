//! Runs the built `crmwire` binary: global behaviour, config handling, `profiles`,
//! `sandbox` (`demo` has its own file). Every run gets an empty config home (see `common`).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{SandboxChild, TempDir, crmwire, finish, run};

#[test]
fn version_prints_the_package_version() {
    let out = run(&["--version"]);
    out.assert_code(0);
    assert_eq!(
        out.stdout.trim(),
        format!("crmwire {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_explicit_config_file_that_does_not_exist_is_an_error_naming_it() {
    let home = TempDir::new("explicit");
    let missing = home.path().join("nope.toml");
    for how in ["flag", "env"] {
        let mut command = crmwire(&home);
        match how {
            "flag" => command.arg("--config").arg(&missing),
            _ => command.env("CRMWIRE_CONFIG", &missing),
        };
        let out = finish(
            command
                .args(["strax", "customer", "get", "9710"])
                .spawn()
                .unwrap(),
        );
        out.assert_code(2);
        assert!(
            out.stderr
                .contains(&format!("config file {} does not exist", missing.display())),
            "{how}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
    let out = finish(
        crmwire(&home)
            .arg("--config")
            .arg(&missing)
            .arg("profiles")
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
}

#[test]
fn help_documents_the_exit_codes_and_the_strax_commands() {
    let out = run(&["strax", "--help"]);
    out.assert_code(0);
    for shown in [
        "note",
        "appointment",
        "availability",
        "customer",
        "confirmation",
        "--dry-run",
        "Exit codes:",
        "4  outcome unknown",
    ] {
        assert!(
            out.stdout.contains(shown),
            "missing {shown:?}: {}",
            out.stdout
        );
    }
    let out = run(&["strax", "note", "add", "--help"]);
    out.assert_code(0);
    assert!(out.stdout.contains("--partner-id"), "{}", out.stdout);
    assert!(out.stdout.contains("Examples:"), "{}", out.stdout);
}

#[test]
fn a_literal_secret_in_the_config_fails_with_the_env_key_to_use() {
    let home = TempDir::new("literal");
    let config = home.file(
        "config.toml",
        "[profiles.default]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\napi_key = \"s3cr3t-value\"\n",
    );
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .args(["strax", "customer", "get", "9710"])
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
    assert!(out.stderr.contains("use `api_key_env = "), "{}", out.stderr);
    assert!(!out.stderr.contains("s3cr3t-value"), "{}", out.stderr);
}

#[test]
fn an_unknown_profile_fails_listing_the_known_ones() {
    let home = TempDir::new("unknown-profile");
    // The default location: a file there is read like an explicit one.
    std::fs::create_dir_all(home.path().join("crmwire")).unwrap();
    home.file(
        "crmwire/config.toml",
        "[profiles.acme]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\nusername = \"u\"\napi_key_env = \"ACME_KEY\"\n",
    );
    let out = finish(
        crmwire(&home)
            .args(["strax", "customer", "get", "9710", "--profile", "nope"])
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
    assert!(
        out.stderr.contains("profile `nope` not found"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("known profiles: acme"),
        "{}",
        out.stderr
    );
}

#[test]
fn profiles_reports_whether_secrets_are_set_without_showing_them() {
    let home = TempDir::new("profiles");
    let config = home.file(
        "config.toml",
        "[profiles.acme]\nservice = \"securitytrax\"\nbase_url = \"https://secure.securitytrax.com\"\n\
         site = \"acme\"\nusername = \"api-user\"\npartner_id = \"77\"\n\
         password_env = \"CRMWIRE_TEST_ACME_PASSWORD\"\n\n\
         [profiles.shop]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\nusername = \"u\"\napi_key_env = \"CRMWIRE_TEST_UNSET_KEY\"\n",
    );
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .args(["profiles", "--json", "--profile", "acme"])
            .env("CRMWIRE_TEST_ACME_PASSWORD", "hunter2-secret")
            .env_remove("CRMWIRE_TEST_UNSET_KEY")
            .spawn()
            .unwrap(),
    );
    out.assert_code(0).assert_never_shows("hunter2-secret");
    let report = out.json();
    let profiles = report["profiles"].as_array().unwrap();
    assert_eq!(profiles[0]["name"], "acme");
    assert_eq!(profiles[0]["selected"], true);
    assert_eq!(profiles[0]["status"], "ready");
    assert_eq!(profiles[1]["name"], "shop");
    let status = profiles[1]["status"].as_str().unwrap();
    assert!(status.contains("`CRMWIRE_TEST_UNSET_KEY`"), "{status}");
    assert_eq!(profiles[1]["selected"], false);

    // Every profile named is selected (the neutral commands send to each).
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .args([
                "profiles",
                "--json",
                "--profile",
                "acme",
                "--profile",
                "shop",
            ])
            .spawn()
            .unwrap(),
    );
    out.assert_code(0);
    let report = out.json();
    let selected: Vec<&serde_json::Value> = report["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|profile| &profile["selected"])
        .collect();
    assert_eq!(selected, [true, true]);
}

#[test]
fn sandbox_serves_in_the_foreground_and_prints_its_urls() {
    let sandbox = SandboxChild::start();
    let base = &sandbox.base_url;
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let addr = base.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(addr).expect("connect to the sandbox");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /__sandbox/health HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok"), "{answer}");
    let health_line = sandbox.next_line().unwrap_or_default();
    assert_eq!(
        health_line.trim(),
        format!("health: {base}/__sandbox/health")
    );
}

#[test]
fn sandbox_on_a_busy_address_fails_naming_it() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = run(&["sandbox", "--addr", &addr]);
    drop(busy);
    out.assert_code(1);
    assert!(
        out.stderr.contains(&format!("could not listen on {addr}")),
        "{}",
        out.stderr
    );
}

#[test]
fn a_service_command_without_a_profile_or_sandbox_fails_saying_how_to_configure() {
    for args in [
        &["strax", "customer", "get", "9710"][..],
        &["strax", "--dry-run", "customer", "get", "9710"],
        &["strax", "customer", "get", "9710", "--json"],
    ] {
        let out = run(args);
        out.assert_code(2);
        let line = out.stderr.lines().next().unwrap_or_default();
        assert!(
            line.starts_with("error: no profile configured (no config file at "),
            "{line}"
        );
        assert!(
            line.contains("add a `[profiles.default]` with `service = \"securitytrax\"`"),
            "{line}"
        );
        assert!(
            line.ends_with("or try the embedded sandbox with --sandbox"),
            "{line}"
        );
        assert!(!out.stderr.contains("embedded sandbox ("), "{}", out.stderr);
        if args.contains(&"--json") {
            assert_eq!(out.json()["kind"], "config");
        } else {
            assert!(out.stdout.is_empty(), "{}", out.stdout);
        }
    }
}

#[test]
fn logs_to_a_pipe_carry_no_colours() {
    let out = run(&["-vv", "strax", "customer", "get", "9710", "--sandbox"]);
    out.assert_code(0);
    assert!(
        out.stderr.contains("DEBUG") || out.stderr.contains("INFO"),
        "no logs: {}",
        out.stderr
    );
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
}

#[test]
fn a_config_value_with_control_characters_is_escaped_in_the_error_line() {
    let home = TempDir::new("hostile-config");
    let config = home.file(
        "config.toml",
        "[profiles.default]\nservice = \"securitytrax\"\nbase_url = \"https://a\\r\\nStatus: OK\\u202e.example\"\n\
         site = \"s\"\nusername = \"u\"\npartner_id = \"1\"\npassword_env = \"P\"\n",
    );
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .args(["strax", "customer", "get", "9710"])
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
    assert_eq!(out.stderr.lines().count(), 1, "{:?}", out.stderr);
    assert!(
        out.stderr
            .contains("https://a\\r\\nStatus: OK\\u{202e}.example"),
        "{:?}",
        out.stderr
    );
    assert!(!out.stderr.contains('\u{202e}'), "{:?}", out.stderr);

    // An argument echoed in an error line: the selected profile's name.
    let good = home.file(
        "good.toml",
        "[profiles.default]\nservice = \"securitytrax\"\nbase_url = \"https://crm.example.com\"\n\
         site = \"s\"\nusername = \"u\"\npartner_id = \"1\"\npassword_env = \"P\"\n",
    );
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &good)
            .args([
                "strax",
                "customer",
                "get",
                "9710",
                "--profile",
                "x\nStatus: OK",
            ])
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
    assert_eq!(out.stderr.lines().count(), 1, "{:?}", out.stderr);
    assert!(out.stderr.contains("x\\nStatus: OK"), "{:?}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_secret_variable_that_is_not_utf8_is_reported_as_such() {
    use std::os::unix::ffi::OsStrExt;

    let home = TempDir::new("not-utf8");
    let config = home.file(
        "config.toml",
        "[profiles.default]\nservice = \"securitytrax\"\nbase_url = \"https://crm.example.com\"\n\
         site = \"s\"\nusername = \"u\"\npartner_id = \"1\"\npassword_env = \"CRMWIRE_TEST_BYTES\"\n",
    );
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .env(
                "CRMWIRE_TEST_BYTES",
                std::ffi::OsStr::from_bytes(b"pass\xffword"),
            )
            .args(["strax", "customer", "get", "9710"])
            .spawn()
            .unwrap(),
    );
    out.assert_code(2);
    assert!(
        out.stderr.contains(
            "environment variable `CRMWIRE_TEST_BYTES` (named by `password_env`) is not valid UTF-8"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn the_sandbox_note_says_what_the_embedded_sandbox_holds_and_that_it_starts_empty() {
    let pv_customers = sandbox::peoplevine::DEMO_CUSTOMERS;
    let neto_customers = sandbox::neto::DEMO_CUSTOMERS;
    for (args, holds) in [
        (
            vec!["pv", "--sandbox", "note", "list-all"],
            format!(
                "demo customers {}",
                pv_customers.map(|id| id.to_string()).join(", ")
            ),
        ),
        (
            vec![
                "neto",
                "log",
                "list",
                "--sandbox",
                "--customer",
                neto_customers[0],
            ],
            format!("demo customer usernames {}", neto_customers.join(", ")),
        ),
    ] {
        let out = run(&args);
        out.assert_code(0);
        let note = out
            .stderr
            .lines()
            .find(|line| line.starts_with("note: --sandbox: using the embedded sandbox"))
            .unwrap_or_else(|| panic!("{args:?}: no sandbox note: {}", out.stderr));
        assert!(note.contains(&holds), "{args:?}: {note}");
        assert!(
            note.ends_with(
                "the embedded sandbox starts empty for each command: to keep what you add \
                 between commands, run `crmwire sandbox` and point a profile at it"
            ),
            "{args:?}: {note}"
        );
    }
    // The first Peoplevine customer named is one the sandbox knows.
    let first = pv_customers[0].to_string();
    let added = run(&[
        "pv",
        "--sandbox",
        "note",
        "add",
        "--customer",
        &first,
        "--subject",
        "first",
    ]);
    added.assert_code(0);
    assert!(
        added
            .stderr
            .contains(&format!("such as `--customer {first}`")),
        "{}",
        added.stderr
    );
}
