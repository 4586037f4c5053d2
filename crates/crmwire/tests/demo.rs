//! `crmwire demo`: the tour of every service against the embedded sandbox, run as
//! the built binary with an empty config home (no configuration, offline).

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::{TempDir, crmwire, finish, run};

/// The tour's steps, in order.
const STEPS: [&str; 23] = [
    "strax-find-customer",
    "strax-customer-status",
    "strax-add-note",
    "strax-book-appointment",
    "strax-availability",
    "strax-set-confirmation",
    "strax-second-pass",
    "lead-post",
    "customer-post",
    "peoplevine-add-note",
    "peoplevine-update-note",
    "peoplevine-list-notes",
    "neto-xml-add-log",
    "neto-xml-update-log",
    "neto-xml-list-logs",
    "neto-json-add-log",
    "neto-json-update-log",
    "neto-json-list-logs",
    "invalid-input",
    "refused",
    "lost-answer",
    "rate-limit",
    "neutral-note",
];

/// Every service the tour drives.
const SERVICES: [&str; 5] = [
    "SecurityTrax XML API",
    "SecurityTrax lead posting",
    "Peoplevine notes",
    "Neto customer logs (XML)",
    "Neto customer logs (JSON)",
];

/// The secrets of the sandbox's demo accounts: never printed.
const SECRETS: [&str; 5] = [
    common::DEMO_PASSWORD,
    "demo-user-access-token",
    "demo-neto-key",
    "demo-access-key",
    "demo-secret-key",
];

/// How long a demo run may take, even in a debug build on a busy machine.
const BOUND: Duration = Duration::from_secs(30);

/// Runs `crmwire args…` (a fresh empty home) and checks it took less than [`BOUND`].
fn timed(args: &[&str]) -> common::Finished {
    let start = Instant::now();
    let out = run(args);
    let took = start.elapsed();
    assert!(took < BOUND, "the demo took {took:?}");
    out
}

#[test]
fn the_text_tour_shows_every_step_service_backend_and_failure() {
    let out = timed(&["demo"]);
    out.assert_code(0);
    for secret in SECRETS {
        out.assert_never_shows(secret);
    }
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("using the embedded sandbox"),
        "{}",
        out.stderr
    );
    for step in STEPS {
        assert!(
            out.stdout.contains(&format!("[{step}] ")),
            "missing {step}: {}",
            out.stdout
        );
    }
    for service in SERVICES {
        assert!(
            out.stdout.contains(&format!(". {service} over ")),
            "missing {service}: {}",
            out.stdout
        );
    }
    for shown in [
        "over reqwest",
        "over hyper",
        // What was sent, its secrets masked.
        "sent:   POST /securitytrax/demo/informationposter.php",
        "[redacted]",
        "got:  200 (",
        "customer 9710 is Avery Quill",
        "11:00 to 12:30 is available",
        "failed as expected: fate rejected, exit code 2 (invalid_input): invalid input, nothing was sent: --customer (SecurityTraxUniqueID) must be digits only",
        "failed as expected: fate answered, exit code 1 (refused)",
        "failed as expected: fate unknown, exit code 4 (outcome_unknown)",
        "check the CRM before sending it again",
        "none refused with 429",
        "sent by one generic function to SecurityTrax, Peoplevine and Neto",
    ] {
        assert!(
            out.stdout.contains(shown),
            "missing {shown:?}: {}",
            out.stdout
        );
    }
    assert!(
        out.stdout.contains(&format!(
            "demo finished: {} steps against the embedded sandbox at http://127.0.0.1:",
            STEPS.len()
        )),
        "{}",
        out.stdout
    );
}

/// The step named `name` of a `--json` report.
fn step<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

#[test]
fn the_json_tour_is_one_document_with_every_service_both_backends_and_each_failure_fate() {
    let out = timed(&["demo", "--json"]);
    out.assert_code(0);
    for secret in SECRETS {
        out.assert_never_shows(secret);
    }
    let report = out.json();
    assert_eq!(report["backend"], "reqwest");
    assert_eq!(report["other_backend"], "hyper");
    let steps = report["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, STEPS);
    let services: BTreeSet<&str> = steps
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    let mut expected: BTreeSet<&str> = SERVICES.into_iter().collect();
    expected.insert("all three, through facade::neutral");
    assert_eq!(services, expected);
    // Every service is driven over both backends (Neto: one wire format over
    // each), and every request of a step went over the step's backend.
    for service in SERVICES {
        let family = |name: &str| name.split(" (").next().unwrap().to_owned();
        let backends: BTreeSet<&str> = steps
            .iter()
            .filter(|s| family(s["service"].as_str().unwrap()) == family(service))
            .map(|s| s["backend"].as_str().unwrap())
            .collect();
        assert_eq!(backends.len(), 2, "{service} over {backends:?}");
    }
    for s in steps {
        for exchange in s["sent"].as_array().unwrap() {
            assert_eq!(exchange["backend"], s["backend"], "{s}");
        }
    }
    // Each failure kind with its fate and the exit code a CLI call would give.
    for (name, demonstrates, fate, exit_code, kind) in [
        (
            "invalid-input",
            "invalid_input",
            "rejected",
            2,
            "invalid_input",
        ),
        ("refused", "refused", "answered", 1, "refused"),
        (
            "lost-answer",
            "lost_answer",
            "unknown",
            4,
            "outcome_unknown",
        ),
    ] {
        let s = step(&report, name);
        assert_eq!(s["demonstrates"], demonstrates, "{s}");
        assert_eq!(s["failure"]["fate"], fate, "{s}");
        assert_eq!(s["failure"]["exit_code"], exit_code, "{s}");
        assert_eq!(s["failure"]["kind"], kind, "{s}");
    }
    // Invalid input is rejected before sending; the lost answer was sent once.
    assert_eq!(
        step(&report, "invalid-input")["sent"],
        serde_json::json!([])
    );
    let lost = step(&report, "lost-answer")["sent"].as_array().unwrap();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert!(lost[0]["status"].is_null() && lost[0]["error"].is_string());
    // The rate limit: more calls than the window allows, every one answered 200.
    let paced = step(&report, "rate-limit");
    assert_eq!(paced["demonstrates"], "rate_limit");
    assert!(paced["failure"].is_null(), "{paced}");
    let sent = paced["sent"].as_array().unwrap();
    assert!(sent.len() > 10, "{}", sent.len());
    assert!(sent.iter().all(|e| e["status"] == 200), "{sent:?}");
    // Spaced by the pacer (51 ms apart under 10 per 500 ms), not sent in a
    // burst: the 12 starts span at least 11 intervals, less any delay of the
    // first start on a busy machine.
    let at: Vec<u64> = sent.iter().map(|e| e["at_ms"].as_u64().unwrap()).collect();
    assert!(at.is_sorted(), "{at:?}");
    assert!(at[at.len() - 1] - at[0] >= 400, "{at:?}");
    // The closing note went to all three services.
    let neutral = step(&report, "neutral-note")["sent"].as_array().unwrap();
    for prefix in ["/securitytrax/", "/peoplevine/", "/neto/"] {
        assert!(
            neutral
                .iter()
                .any(|e| e["method"] == "POST" && e["path"].as_str().unwrap().starts_with(prefix)),
            "{prefix}: {neutral:?}"
        );
    }
    // Successful steps carry no failure.
    for name in &STEPS[..18] {
        assert!(step(&report, name)["failure"].is_null(), "{name}");
    }
}

#[test]
fn the_backend_flag_chooses_the_first_pass() {
    let out = timed(&["demo", "--backend", "hyper", "--json"]);
    out.assert_code(0);
    let report = out.json();
    assert_eq!(report["backend"], "hyper");
    assert_eq!(report["other_backend"], "reqwest");
    assert_eq!(step(&report, "strax-find-customer")["backend"], "hyper");
    assert_eq!(step(&report, "strax-second-pass")["backend"], "reqwest");
    assert_eq!(report["steps"].as_array().unwrap().len(), STEPS.len());
}

#[test]
fn the_demo_never_reads_the_config_file() {
    let home = TempDir::new("demo-config");
    let config = home.file("config.toml", "this is not toml [");
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .arg("demo")
            .spawn()
            .unwrap(),
    );
    out.assert_code(0);
}

#[test]
fn the_text_tour_reads_as_recorded() {
    let out = timed(&["demo"]);
    out.assert_code(0);
    let mut settings = insta::Settings::clone_current();
    for (pattern, replacement) in [
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        (r"\b\d+ ms\b", "[n] ms"),
        (r"\+\d+", "+[n]"),
        (r"\(\d+ bytes\)", "([n] bytes)"),
        // The transport's own words for a dropped connection.
        (
            r"no answer \(.*\), after",
            "no answer ([transport detail]), after",
        ),
        (
            r"check the CRM before sending it again: .*",
            "check the CRM before sending it again: [transport detail]",
        ),
    ] {
        settings.add_filter(pattern, replacement);
    }
    settings.bind(|| insta::assert_snapshot!("demo_text", out.stdout));
}
