//! AddCustomerLog calls per second against the in-process sandbox (pacing
//! off), crmwire's client beside the Python `netoapi` client, same payload,
//! same run. Not part of the suite (`#[ignore]`): run it with
//!
//! ```sh
//! NETO_PYTHON=/path/to/venv-with-netoapi/bin/python \
//!   cargo test --release -p facade --test neto_calls_per_second -- --ignored --nocapture
//! ```
//!
//! Without `NETO_PYTHON` only crmwire's side is measured. Figures in
//! `docs/benchmarks.md`.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use facade::neto::{
    Client, Codec, Credentials, Endpoint, LogStatus, NetoDateTime, NewCustomerLog, WireFormat,
};
use facade::transport::{Backend, HttpTransport, TransportConfig};
use sandbox::SandboxConfig;
use sandbox::neto::{DEMO_API_KEY, DEMO_API_USERNAME, DEMO_STORE, NetoConfig, NetoService};

/// Calls per side: enough that crmwire's side runs for a good part of a
/// second (2,000 took about 0.15 s, too short to time steadily).
const CALLS: usize = 10_000;

/// The payload of the Python script's bench mode (`neto_client.py --bench`).
fn log() -> NewCustomerLog {
    let date = |text| NetoDateTime::parse(text).unwrap();
    NewCustomerLog {
        allocated_to: Some("Python Agent".into()),
        follow_up_type: Some("Phone call".into()),
        username: Some("jo.citizen".into()),
        customer_name: Some("Jo Citizen".into()),
        last_contacted: date("2026-11-02 09:30:00"),
        date_required_follow_up: date("2026-11-09 14:00:00"),
        status: Some(LogStatus::RequireRecontact),
        notes: Some("bench".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, run by hand"]
async fn add_customer_log_calls_per_second_beside_the_python_client() {
    let service = Arc::new(NetoService::new(
        NetoConfig::demo()
            .rate_limit(u32::MAX, Duration::from_secs(60))
            .max_logs(10),
    ));
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .unwrap();
    let base = format!("{}/{DEMO_STORE}", sandbox.service_url("neto").unwrap());
    let mut crmwire = Vec::new();
    for backend in [Backend::Reqwest, Backend::Hyper] {
        let codec = Codec::new(
            Endpoint::under(&base).unwrap(),
            Credentials::api_key(DEMO_API_USERNAME, DEMO_API_KEY),
            WireFormat::Json,
        );
        // No pacing, no retries: the client's own cost.
        let client = Client::new(
            codec,
            HttpTransport::new(backend, TransportConfig::default()).unwrap(),
        );
        client.add_logs(vec![log()]).await.unwrap();
        let started = Instant::now();
        for _ in 0..CALLS {
            client.add_logs(vec![log()]).await.unwrap();
        }
        let elapsed = started.elapsed();
        let per_second = CALLS as f64 / elapsed.as_secs_f64();
        println!(
            "crmwire ({backend:?}, JSON): {CALLS} calls in {:.2} s = {per_second:.0} calls/s",
            elapsed.as_secs_f64(),
        );
        crmwire.push((backend, per_second));
    }
    if let Ok(python) = std::env::var("NETO_PYTHON") {
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../sandbox/tests/interop/neto_client.py");
        let endpoint = format!("{base}{}", neto_api_path());
        let output = tokio::task::spawn_blocking(move || {
            Command::new(python)
                .arg(script)
                .args([
                    endpoint.as_str(),
                    DEMO_API_USERNAME,
                    DEMO_API_KEY,
                    "--bench",
                    &CALLS.to_string(),
                ])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = String::from_utf8_lossy(&output.stdout);
        println!("python netoapi: {}", report.trim());
        let python: serde_json::Value = serde_json::from_str(report.trim()).unwrap();
        let python = python["calls_per_second"].as_f64().unwrap();
        for (backend, per_second) in crmwire {
            println!(
                "ratio crmwire ({backend:?}) / python netoapi: {:.1}x",
                per_second / python
            );
        }
    }
    sandbox.shutdown().await;
}

fn neto_api_path() -> &'static str {
    "/do/WS/NetoAPI"
}
