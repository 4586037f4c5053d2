//! The kill test: `crmwire lead post` is killed with SIGKILL at a different
//! point in each iteration (while reading, after a chunk is recorded and before
//! it is sent, while its request is in flight, after its answer and before the
//! outcomes are recorded), then resumed; the service's own count of how many
//! times each `lead_company_unique_id` arrived proves that no lead arrived
//! twice, and the final report and `crmwire lead unknown` prove that every lead
//! is accepted, rejected or listed as unknown.
//!
//! crmwire is stopped at each point with its test-only hook
//! (`CRMWIRE_TEST_PAUSE_AT=<point>:<n>`: it says `test-pause: <point> <n>` on
//! stderr and waits there). Every run is bounded in time.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{DEADLINE, TempDir, crmwire, finish, profile_config, read_request};

/// Leads per input file, and per post.
const LEADS: usize = 12;
const CHUNK: &str = "3";

/// A lead service of the test's own: counts each `lead_company_unique_id` as
/// it arrives, accepts every lead except those named `Reject`, and holds its
/// answer to the `slow_request`-th request (from 1) for `slow_for`.
struct LeadService {
    base_url: String,
    arrivals: Arc<Mutex<BTreeMap<String, u32>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LeadService {
    fn start(slow_request: Option<u64>, slow_for: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        let arrivals: Arc<Mutex<BTreeMap<String, u32>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (counted, stopped) = (arrivals.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let requests = AtomicU64::new(0);
            let customer = AtomicU64::new(5000);
            while !stopped.load(Ordering::SeqCst) && started.elapsed() < DEADLINE * 4 {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let request = read_request(&mut stream);
                let number = requests.fetch_add(1, Ordering::SeqCst) + 1;
                let leads = leads_of(&request);
                {
                    let mut counts = counted.lock().unwrap();
                    for (id, _) in &leads {
                        *counts.entry(id.clone()).or_default() += 1;
                    }
                }
                if slow_request == Some(number) {
                    std::thread::sleep(slow_for);
                }
                let mut body = String::from("<?xml version=\"1.0\"?><root><responses>");
                for (_, fname) in &leads {
                    if fname == "Reject" {
                        body.push_str("<response success=\"false\"><data><error>Invalid fname</error></data></response>");
                    } else {
                        let id = customer.fetch_add(1, Ordering::SeqCst);
                        body.push_str(&format!(
                            "<response success=\"true\"><data><fname/><lname/><customer_id>{id}</customer_id></data></response>"
                        ));
                    }
                }
                body.push_str("</responses></root>");
                let _ = stream.write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                );
            }
        });
        Self {
            base_url,
            arrivals,
            stop,
            thread: Some(thread),
        }
    }

    fn arrivals(&self) -> BTreeMap<String, u32> {
        self.arrivals.lock().unwrap().clone()
    }
}

impl Drop for LeadService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// (`lead_company_unique_id`, `fname`) of every lead in a request.
fn leads_of(request: &str) -> Vec<(String, String)> {
    let text = |lead: &str, name: &str| {
        let open = format!("<{name}>");
        lead.find(&open)
            .map(|start| {
                let after = &lead[start + open.len()..];
                after[..after.find('<').unwrap_or(after.len())].to_owned()
            })
            .unwrap_or_default()
    };
    request
        .split("<lead>")
        .skip(1)
        .map(|lead| (text(lead, "lead_company_unique_id"), text(lead, "fname")))
        .collect()
}

/// `LEADS` leads K1..K12; K5 is refused by the service, K8 is invalid (no city).
fn input() -> String {
    let mut csv = String::from("source_id,fname,lname,city,state,phone1,lead_company_unique_id\n");
    for n in 1..=LEADS {
        let fname = if n == 5 { "Reject" } else { "Lee" };
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

#[test]
fn killed_anywhere_and_resumed_each_lead_arrives_at_most_once_and_none_is_lost() {
    // (pause point, how long to wait before the kill, the request the service holds)
    let cases: [(&str, Duration, Option<u64>); 5] = [
        ("read:4", Duration::ZERO, None),
        ("before-send:2", Duration::ZERO, None),
        ("sending:2", Duration::from_millis(300), Some(2)),
        ("after-answer:2", Duration::ZERO, None),
        ("after-answer:4", Duration::ZERO, None),
    ];
    for (pause, then_wait, slow) in cases {
        let service = LeadService::start(slow, Duration::from_secs(3));
        let home = TempDir::new("lead-kill");
        let file = home.file("leads.csv", &input());
        let file = file.to_str().unwrap();
        run_and_kill(&home, &service.base_url, file, pause, then_wait);

        // Resumed to the end, without sending any unknown lead again.
        let config = profile_config(&home, &service.base_url);
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
        let arrivals = service.arrivals();
        assert!(
            arrivals.values().all(|count| *count == 1),
            "{pause}: a lead arrived twice: {arrivals:?}"
        );

        let ids = |key: &str| -> Vec<String> {
            report[key]
                .as_array()
                .unwrap_or_else(|| panic!("{pause}: no {key}: {report}"))
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
            "{pause}: every lead exactly once: {report}"
        );
        assert_eq!(invalid, ["K8"], "{pause}");
        // Accepted or refused leads did arrive; only unknown ones may be missing.
        for id in accepted.iter().chain(&refused) {
            assert_eq!(
                arrivals.get(id),
                Some(&1),
                "{pause}: {id} reported but never arrived"
            );
        }
        for id in arrivals.keys() {
            assert!(
                accepted.contains(id) || refused.contains(id) || unknown.contains(id),
                "{pause}: {id} arrived but is neither accepted, refused nor unknown"
            );
        }
        if !refused.is_empty() {
            assert_eq!(refused, ["K5"], "{pause}");
        }
        // The kill point decides what is unknown.
        let expected_unknown: &[&str] = match pause {
            "read:4" => &[],
            "before-send:2" | "sending:2" | "after-answer:2" => &["K4", "K5", "K6"],
            _ => &["K11", "K12"],
        };
        assert_eq!(unknown, expected_unknown, "{pause}: {report}");
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
        assert_eq!(listed, unknown, "{pause}");
    }
}
