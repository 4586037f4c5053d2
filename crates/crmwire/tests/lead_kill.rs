//! The kill test: `crmwire lead post` is killed with SIGKILL at a different
//! point in each iteration (while reading, after a chunk is recorded and before
//! it is sent, while its request is in flight, after its answer and before the
//! outcomes are recorded), or loses its connection after the service processed
//! a post, then resumed, against a `crmwire sandbox` child process; the
//! sandbox's own count of how many times each `lead_company_unique_id` arrived
//! proves that no lead arrived twice, and the final report and `crmwire lead
//! unknown` prove that every lead is accepted, rejected or listed as unknown.
//!
//! crmwire is stopped at each point with its test-only hook
//! (`CRMWIRE_TEST_PAUSE_AT=<point>:<n>`: it says `test-pause: <point> <n>` on
//! stderr and waits there). Every run is bounded in time.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{DEADLINE, SandboxChild, TempDir, crmwire, finish, profile_config};

/// Leads per input file, and per post.
const LEADS: usize = 12;
const CHUNK: &str = "3";

/// One HTTP/1.1 request to the sandbox child's control endpoints; the answer's
/// status and body.
fn http(base_url: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let address = base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect to the sandbox");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// How many times each `lead_company_unique_id` arrived at the sandbox child.
fn arrivals(sandbox: &SandboxChild) -> BTreeMap<String, u64> {
    let (status, body) = http(
        &sandbox.base_url,
        "GET",
        "/__sandbox/services/securitytrax/lead-arrivals",
        "",
    );
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|err| panic!("arrivals ({err}): {body}"))
}

/// Makes the sandbox child misbehave on its next lead post.
fn next_post_fails(sandbox: &SandboxChild, fault: &str) {
    let (status, body) = http(
        &sandbox.base_url,
        "POST",
        "/__sandbox/faults",
        &format!("{{\"path_prefix\": \"/securitytrax/\", \"fault\": \"{fault}\", \"times\": 1}}"),
    );
    assert_eq!(status, 200, "{body}");
}

/// `LEADS` leads K1..K12; K8 is invalid (no city), refused before sending.
fn input() -> String {
    let mut csv = String::from("source_id,fname,lname,city,state,phone1,lead_company_unique_id\n");
    for n in 1..=LEADS {
        let fname = "Lee";
        let city = if n == 8 { "" } else { "Boise" };
        csv.push_str(&format!("77,{fname},Ann,{city},ID,20855501{n:02},K{n}\n"));
    }
    csv
}

/// Starts `crmwire lead post` paused at `pause`, waits for it to say so on
/// stderr (bounded), then kills it with SIGKILL.
fn run_and_kill(home: &TempDir, base_url: &str, file: &str, pause: &str, then_wait: Duration) {
    let config = profile_config(home, base_url);
    let mut child: Child = crmwire(home)
        .env("CRMWIRE_CONFIG", &config)
        .env("CRMWIRE_TEST_PAUSE_AT", pause)
        .args(["lead", "post", file, "--chunk-size", CHUNK, "--resume"])
        .spawn()
        .expect("start crmwire");
    let stderr = child.stderr.take().expect("piped stderr");
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let expected = format!("test-pause: {}", pause.replace(':', " "));
    let started = Instant::now();
    let mut seen = Vec::new();
    let reached = loop {
        match lines.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line == expected => break true,
            Ok(line) => seen.push(line),
            Err(_) if started.elapsed() > DEADLINE => break false,
            Err(_) => {
                if let Ok(Some(_)) = child.try_wait() {
                    break false; // it ended without reaching the point
                }
            }
        }
    };
    if reached {
        std::thread::sleep(then_wait);
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    assert!(reached, "crmwire never reached {pause}: {seen:?}");
}

/// One iteration: where crmwire stops, and what must be unknown after it.
struct Case {
    /// `CRMWIRE_TEST_PAUSE_AT`, or `None`: the first run goes to its end.
    pause: Option<&'static str>,
    /// How long after the pause line the kill comes.
    then_wait: Duration,
    /// A fault the sandbox shows on the first lead post.
    fault: Option<&'static str>,
    /// The leads whose outcome is unknown in the end.
    unknown: &'static [&'static str],
    /// Whether those unknown leads reached the sandbox.
    unknown_arrived: bool,
}

#[test]
fn killed_anywhere_and_resumed_each_lead_arrives_at_most_once_and_none_is_lost() {
    let chunk_2: &[&str] = &["K4", "K5", "K6"];
    let cases = [
        // Killed while reading the fourth record (the first chunk is done).
        Case {
            pause: Some("read:4"),
            then_wait: Duration::ZERO,
            fault: None,
            unknown: &[],
            unknown_arrived: false,
        },
        // Killed after the second chunk is recorded, before it is sent.
        Case {
            pause: Some("before-send:2"),
            then_wait: Duration::ZERO,
            fault: None,
            unknown: chunk_2,
            unknown_arrived: false,
        },
        // Killed while the first post is in flight: the sandbox has processed
        // it and holds back the answer's body.
        Case {
            pause: Some("sending:1"),
            then_wait: Duration::from_millis(500),
            fault: Some("stall-body=5000"),
            unknown: &["K1", "K2", "K3"],
            unknown_arrived: true,
        },
        // Killed after the answer, before the outcomes are recorded.
        Case {
            pause: Some("after-answer:2"),
            then_wait: Duration::ZERO,
            fault: None,
            unknown: chunk_2,
            unknown_arrived: true,
        },
        Case {
            pause: Some("after-answer:4"),
            then_wait: Duration::ZERO,
            fault: None,
            unknown: &["K11", "K12"],
            unknown_arrived: true,
        },
        // Not killed: the connection drops after the sandbox processed the
        // first post; the run stops there (exit 4).
        Case {
            pause: None,
            then_wait: Duration::ZERO,
            fault: Some("close-after-processing"),
            unknown: &["K1", "K2", "K3"],
            unknown_arrived: true,
        },
    ];
    for case in cases {
        let label = case.pause.or(case.fault).unwrap_or_default();
        let sandbox = SandboxChild::start();
        let base_url = format!("{}/securitytrax", sandbox.base_url);
        if let Some(fault) = case.fault {
            next_post_fails(&sandbox, fault);
        }
        let home = TempDir::new("lead-kill");
        let file = home.file("leads.csv", &input());
        let file = file.to_str().unwrap();
        match case.pause {
            Some(pause) => run_and_kill(&home, &base_url, file, pause, case.then_wait),
            None => {
                let config = profile_config(&home, &base_url);
                let first = finish(
                    crmwire(&home)
                        .env("CRMWIRE_CONFIG", &config)
                        .args(["lead", "post", file, "--chunk-size", CHUNK])
                        .spawn()
                        .expect("start crmwire"),
                );
                first.assert_code(4);
            }
        }

        // Resumed to the end, without sending any unknown lead again.
        let config = profile_config(&home, &base_url);
        let out = finish(
            crmwire(&home)
                .env("CRMWIRE_CONFIG", &config)
                .args([
                    "lead",
                    "post",
                    file,
                    "--chunk-size",
                    CHUNK,
                    "--resume",
                    "--json",
                ])
                .spawn()
                .expect("start crmwire"),
        );
        let report = out.json();
        let arrivals = arrivals(&sandbox);
        assert!(
            arrivals.values().all(|count| *count == 1),
            "{label}: a lead arrived twice: {arrivals:?}"
        );

        let ids = |key: &str| -> Vec<String> {
            report[key]
                .as_array()
                .unwrap_or_else(|| panic!("{label}: no {key}: {report}"))
                .iter()
                .map(|entry| entry["unique_id"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let accepted = ids("accepted");
        let refused = ids("rejected_by_service");
        let invalid = ids("rejected_before_sending");
        let unknown = ids("outcome_unknown");
        let mut all: Vec<&String> = accepted
            .iter()
            .chain(&refused)
            .chain(&invalid)
            .chain(&unknown)
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(
            all.len(),
            LEADS,
            "{label}: every lead exactly once: {report}"
        );
        assert_eq!(invalid, ["K8"], "{label}");
        assert_eq!(unknown, case.unknown, "{label}: {report}");
        // What is reported as answered did arrive; what arrived is reported.
        for id in accepted.iter().chain(&refused) {
            assert_eq!(
                arrivals.get(id),
                Some(&1),
                "{label}: {id} reported but never arrived"
            );
        }
        for id in arrivals.keys() {
            assert!(
                accepted.contains(id) || refused.contains(id) || unknown.contains(id),
                "{label}: {id} arrived but is neither accepted, refused nor unknown"
            );
        }
        for id in &unknown {
            assert_eq!(
                arrivals.contains_key(id),
                case.unknown_arrived,
                "{label}: {id} arrivals {arrivals:?}"
            );
        }
        out.assert_code(if unknown.is_empty() { 2 } else { 4 });

        // `crmwire lead unknown` lists the same leads.
        let listed = finish(
            crmwire(&home)
                .args(["lead", "unknown", file, "--json"])
                .spawn()
                .expect("start crmwire"),
        );
        let listed: Vec<String> = listed.json()["outcome_unknown"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["unique_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed, unknown, "{label}");
    }
}

#[test]
fn ctrl_c_finishes_the_post_in_flight_records_it_and_stops() {
    let sandbox = SandboxChild::start();
    let base_url = format!("{}/securitytrax", sandbox.base_url);
    next_post_fails(&sandbox, "delay=1500");
    let home = TempDir::new("lead-ctrl-c");
    let file = home.file("leads.csv", &input());
    let file = file.to_str().unwrap();
    let config = profile_config(&home, &base_url);
    let mut child = crmwire(&home)
        .env("CRMWIRE_CONFIG", &config)
        .env("CRMWIRE_TEST_PAUSE_AT", "sending:1")
        .args(["lead", "post", file, "--chunk-size", CHUNK, "--json"])
        .spawn()
        .expect("start crmwire");
    let stderr = child.stderr.take().expect("piped stderr");
    let mut stderr = BufReader::new(stderr);
    let started = Instant::now();
    let mut line = String::new();
    while !line.starts_with("test-pause: sending 1") && started.elapsed() < DEADLINE {
        line.clear();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
    }
    assert!(line.starts_with("test-pause: sending 1"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(interrupted.success());
    // Reads the rest of stderr (to its end, when crmwire exits, bounded),
    // then stdout.
    let (rest_tx, rest_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stderr.read_to_string(&mut rest);
        let _ = rest_tx.send(rest);
    });
    let rest = rest_rx.recv_timeout(DEADLINE).unwrap_or_else(|_| {
        let _ = child.kill();
        panic!("crmwire did not stop after Ctrl-C");
    });
    let mut stdout = String::new();
    let _ = child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_string(&mut stdout);
    let status = child.wait().expect("wait for crmwire");
    let out = common::Finished {
        code: status.code(),
        stdout,
        stderr: rest,
    };
    out.assert_code(3);
    let rest = &out.stderr;
    assert!(
        rest.contains("Ctrl-C: stopping after the post in flight"),
        "{rest}"
    );
    let report = out.json();
    assert_eq!(report["this_run"]["interrupted"], true);
    assert_eq!(report["this_run"]["sent"], 3);
    assert_eq!(report["accepted"].as_array().unwrap().len(), 3, "{report}");
    assert_eq!(report["outcome_unknown"], serde_json::json!([]));
    assert_eq!(arrivals(&sandbox).len(), 3);

    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .args([
                "lead",
                "post",
                file,
                "--chunk-size",
                CHUNK,
                "--resume",
                "--json",
            ])
            .spawn()
            .expect("start crmwire"),
    );
    out.assert_code(2); // K8 is invalid; everything else accepted
    assert_eq!(out.json()["accepted"].as_array().unwrap().len(), LEADS - 1);
    let arrivals = arrivals(&sandbox);
    assert_eq!(arrivals.len(), LEADS - 1);
    assert!(arrivals.values().all(|count| *count == 1), "{arrivals:?}");
}

#[test]
fn a_repeated_unique_id_is_rejected_before_sending_and_arrives_once_across_resume() {
    let sandbox = SandboxChild::start();
    let base_url = format!("{}/securitytrax", sandbox.base_url);
    let home = TempDir::new("lead-repeated-id");
    // Lines 2-8: D1, D2, D1 again while its first line is still gathering, D3
    // (the first post: lines 2, 3, 5), D4, D1 again after its first line was
    // sent, D5.
    let mut csv = String::from("source_id,fname,lname,city,state,phone1,lead_company_unique_id\n");
    for (n, id) in ["D1", "D2", "D1", "D3", "D4", "D1", "D5"]
        .iter()
        .enumerate()
    {
        csv.push_str(&format!("77,Lee,Ann,Boise,ID,20855502{n:02},{id}\n"));
    }
    let file = home.file("leads.csv", &csv);
    let file = file.to_str().unwrap();
    // Killed after the first post, when line 7 has been read.
    run_and_kill(&home, &base_url, file, "read:6", Duration::ZERO);
    assert_eq!(arrivals(&sandbox).len(), 3);

    let config = profile_config(&home, &base_url);
    let out = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .args([
                "lead",
                "post",
                file,
                "--chunk-size",
                CHUNK,
                "--resume",
                "--json",
            ])
            .spawn()
            .expect("start crmwire"),
    );
    out.assert_code(2);
    let report = out.json();
    let accepted: Vec<&str> = report["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["unique_id"].as_str().unwrap())
        .collect();
    assert_eq!(accepted, ["D1", "D2", "D3", "D4", "D5"], "{report}");
    let before: Vec<(u64, &str, &str, &str)> = report["rejected_before_sending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["line"].as_u64().unwrap(),
                entry["field"].as_str().unwrap(),
                entry["rule"].as_str().unwrap(),
                entry["message"].as_str().unwrap(),
            )
        })
        .collect();
    let repeats = (
        "lead_company_unique_id",
        "repeated_unique_id",
        "field `lead_company_unique_id` repeats line 2",
    );
    assert_eq!(
        before,
        [
            (4, repeats.0, repeats.1, repeats.2),
            (7, repeats.0, repeats.1, repeats.2)
        ],
        "{report}"
    );
    let counts = arrivals(&sandbox);
    assert_eq!(counts.get("D1"), Some(&1), "{counts:?}");
    assert_eq!(counts.len(), 5, "{counts:?}");
    assert!(counts.values().all(|count| *count == 1), "{counts:?}");
    // Text output names the line, the field and the rule.
    let text = finish(
        crmwire(&home)
            .env("CRMWIRE_CONFIG", &config)
            .args(["lead", "post", file, "--chunk-size", CHUNK, "--resume"])
            .spawn()
            .expect("start crmwire"),
    );
    assert!(
        text.stdout
            .contains("line 7 (D1): field `lead_company_unique_id` repeats line 2"),
        "{}",
        text.stdout
    );
    assert_eq!(arrivals(&sandbox), counts, "nothing more was sent");
}
