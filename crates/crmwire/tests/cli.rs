//! Runs the built `crmwire` binary. Every child is bounded in time and killed on timeout;
//! `CRMWIRE_CONFIG` always points at a test-owned path so no user config leaks in.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);

struct Finished {
    success: bool,
    stdout: String,
    stderr: String,
}

/// A config path unique to this test run.
fn temp_config(label: &str) -> PathBuf {
    std::env::temp_dir().join(format!("crmwire-cli-{label}-{}.toml", std::process::id()))
}

fn crmwire(config: &PathBuf) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crmwire"));
    command
        .env("CRMWIRE_CONFIG", config)
        .env_remove("CRMWIRE_PROFILE")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for `child` at most [`DEADLINE`], killing it if it overruns.
fn finish(mut child: Child) -> Finished {
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for crmwire") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("crmwire did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    Finished {
        success: status.success(),
        stdout,
        stderr,
    }
}

fn run(config: &PathBuf, args: &[&str]) -> Finished {
    finish(crmwire(config).args(args).spawn().expect("start crmwire"))
}

#[test]
fn version_prints_the_package_version() {
    let out = run(&temp_config("version"), &["--version"]);
    assert!(out.success);
    assert_eq!(
        out.stdout.trim(),
        format!("crmwire {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn demo_runs_against_the_embedded_sandbox_and_says_what_it_did() {
    let out = run(&temp_config("absent-demo"), &["demo"]);
    assert!(
        out.success,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(
        out.stderr.contains("using the embedded sandbox"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("started the embedded sandbox at http://127.0.0.1:"),
        "{}",
        out.stdout
    );
    for step in ["[health]", "[echo]", "[status-fault]", "[close-fault]"] {
        assert!(out.stdout.contains(step), "missing {step}: {}", out.stdout);
    }
    assert!(
        out.stdout.contains("demo finished: 4 steps"),
        "{}",
        out.stdout
    );
}

#[test]
fn demo_json_is_one_parseable_document() {
    let out = run(&temp_config("absent-json"), &["demo", "--json"]);
    assert!(out.success, "{}", out.stderr);
    let report: serde_json::Value =
        serde_json::from_str(out.stdout.trim()).expect("stdout is JSON");
    assert_eq!(report["backend"], "reqwest");
    let names: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["health", "echo", "status-fault", "close-fault"]);
}

#[test]
fn a_literal_secret_in_the_config_fails_with_the_env_key_to_use() {
    let config = temp_config("literal");
    std::fs::write(
        &config,
        "[profiles.default]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\napi_key = \"s3cr3t-value\"\n",
    )
    .unwrap();
    let out = run(&config, &["demo"]);
    std::fs::remove_file(&config).unwrap();
    assert!(!out.success);
    assert!(out.stderr.contains("use `api_key_env = "), "{}", out.stderr);
    assert!(!out.stderr.contains("s3cr3t-value"), "{}", out.stderr);
}

#[test]
fn an_unknown_profile_fails_listing_the_known_ones() {
    let config = temp_config("unknown-profile");
    std::fs::write(
        &config,
        "[profiles.acme]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\napi_key_env = \"ACME_KEY\"\n",
    )
    .unwrap();
    let out = run(&config, &["demo", "--profile", "nope"]);
    std::fs::remove_file(&config).unwrap();
    assert!(!out.success);
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
    let config = temp_config("profiles");
    std::fs::write(
        &config,
        "[profiles.acme]\nservice = \"securitytrax\"\nbase_url = \"https://secure.securitytrax.com\"\n\
         password_env = \"CRMWIRE_TEST_ACME_PASSWORD\"\n\n\
         [profiles.shop]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\napi_key_env = \"CRMWIRE_TEST_UNSET_KEY\"\n",
    )
    .unwrap();
    let out = finish(
        crmwire(&config)
            .args(["profiles", "--json", "--profile", "acme"])
            .env("CRMWIRE_TEST_ACME_PASSWORD", "hunter2-secret")
            .env_remove("CRMWIRE_TEST_UNSET_KEY")
            .spawn()
            .unwrap(),
    );
    std::fs::remove_file(&config).unwrap();
    assert!(out.success, "{}", out.stderr);
    assert!(!out.stdout.contains("hunter2-secret"));
    let report: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    let profiles = report["profiles"].as_array().unwrap();
    assert_eq!(profiles[0]["name"], "acme");
    assert_eq!(profiles[0]["selected"], true);
    assert_eq!(profiles[0]["status"], "ready");
    assert_eq!(profiles[1]["name"], "shop");
    let status = profiles[1]["status"].as_str().unwrap();
    assert!(status.contains("`CRMWIRE_TEST_UNSET_KEY`"), "{status}");
}

#[test]
fn sandbox_serves_in_the_foreground_and_prints_its_urls() {
    let mut child = crmwire(&temp_config("absent-sandbox"))
        .args(["sandbox", "--addr", "127.0.0.1:0"])
        .spawn()
        .expect("start crmwire sandbox");
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines_rx.recv_timeout(DEADLINE);
    let outcome = first.map(|line| {
        let base = line
            .strip_prefix("sandbox listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        let addr = base.strip_prefix("http://").unwrap().to_owned();
        let mut stream = TcpStream::connect(&addr).expect("connect to the sandbox");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"GET /__sandbox/health HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let health_line = lines_rx.recv_timeout(DEADLINE).unwrap_or_default();
        (base, answer, health_line)
    });
    let _ = child.kill();
    let _ = child.wait();
    let (base, answer, health_line) = outcome.expect("the sandbox printed its URL");
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok"), "{answer}");
    assert_eq!(
        health_line.trim(),
        format!("health: {base}/__sandbox/health")
    );
}

#[test]
fn sandbox_on_a_busy_address_fails_naming_it() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = run(&temp_config("busy"), &["sandbox", "--addr", &addr]);
    drop(busy);
    assert!(!out.success);
    assert!(
        out.stderr.contains(&format!("could not listen on {addr}")),
        "{}",
        out.stderr
    );
}
