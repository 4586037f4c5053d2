//! Interop with a Neto client nobody here wrote: the public Python package
//! `netoapi` (PyPI, pinned), unchanged, against the sandbox on 127.0.0.1.
//!
//! The test creates a virtualenv in a temporary directory, installs the
//! package with pip, and runs `tests/interop/neto_client.py`, which adds two
//! logs, updates one, reads them back with `GetCustomer` and sends an invalid
//! log; the test then checks the sandbox's store. Only when the package index
//! cannot be reached does it say so and skip; any other failure fails. Every
//! step is bounded in time.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use neto_api::LogStatus;
use sandbox::SandboxConfig;
use sandbox::neto::{DEMO_API_KEY, DEMO_API_USERNAME, DEMO_STORE, NetoService};

/// The version of `netoapi` the test installs.
const NETOAPI_VERSION: &str = "1.0.1";
const VENV_TIMEOUT: Duration = Duration::from_secs(120);
const PIP_TIMEOUT: Duration = Duration::from_secs(240);
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(60);

/// What pip prints when it cannot reach the package index at all.
const UNREACHABLE: &[&str] = &[
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "No route to host",
    "ConnectTimeoutError",
    "Connection refused",
    "ProxyError",
    "Could not fetch URL",
];

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> TempDir {
    let unique = format!(
        "crmwire-netoapi-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    let dir = std::env::temp_dir().join(unique);
    std::fs::create_dir_all(&dir).expect("create a temporary directory");
    TempDir(dir)
}

/// Runs `command` to completion within `limit`, killing it when it takes longer.
fn run(mut command: Command, limit: Duration, what: &str) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// A virtualenv with `netoapi` installed, or `None` when the package index
/// cannot be reached (said plainly on stderr).
fn install_netoapi(dir: &Path) -> Option<PathBuf> {
    let venv = dir.join("venv");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let mut create = Command::new(&python);
    create.args(["-m", "venv"]).arg(&venv);
    let created = run(create, VENV_TIMEOUT, "python3 -m venv");
    assert!(
        created.status.success(),
        "cannot create a virtualenv with {python}: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    let python = venv_python(&venv);
    let mut pip = Command::new(&python);
    pip.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--retries",
        "2",
        "--timeout",
        "20",
    ])
    .arg(format!("netoapi=={NETOAPI_VERSION}"));
    let installed = run(pip, PIP_TIMEOUT, "pip install netoapi");
    if !installed.status.success() {
        let stderr = String::from_utf8_lossy(&installed.stderr);
        if UNREACHABLE.iter().any(|marker| stderr.contains(marker)) {
            eprintln!(
                "SKIPPED: the Python package index cannot be reached, so the netoapi interop \
                 test did not run. pip said:\n{stderr}"
            );
            return None;
        }
        panic!("pip install netoapi=={NETOAPI_VERSION} failed:\n{stderr}");
    }
    Some(python)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_netoapi_client_works_unchanged_against_the_sandbox() {
    let dir = temp_dir();
    let venv_dir = dir.0.clone();
    let Some(python) = tokio::task::spawn_blocking(move || install_netoapi(&venv_dir))
        .await
        .expect("install task")
    else {
        return;
    };
    let neto = Arc::new(NetoService::demo());
    let sandbox = sandbox::start(SandboxConfig::new().service(neto.clone()))
        .await
        .expect("sandbox starts");
    let endpoint = format!(
        "{}/{DEMO_STORE}{}",
        sandbox.service_url("neto").unwrap(),
        neto_api::API_PATH
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/neto_client.py");
    let output = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(python);
        command
            .arg(script)
            .args([endpoint.as_str(), DEMO_API_USERNAME, DEMO_API_KEY]);
        run(command, SCRIPT_TIMEOUT, "the netoapi script")
    })
    .await
    .expect("script task");
    assert!(
        output.status.success(),
        "the netoapi script failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the script prints JSON");

    // What the Python client did is in the sandbox's store.
    let logs = neto.logs(DEMO_STORE);
    assert_eq!(logs.len(), 2, "{logs:?}");
    let ids: Vec<String> = logs.iter().map(|log| log.log_id.to_string()).collect();
    assert_eq!(result["ids"], serde_json::json!(ids));
    let first = &logs[0];
    assert_eq!(first.fields.status, Some(LogStatus::Completed));
    assert_eq!(first.fields.allocated_to.as_deref(), Some("Python Closer"));
    assert_eq!(first.fields.notes.as_deref(), Some("first call & <quote>"));
    assert_eq!(first.fields.username.as_deref(), Some("jo.citizen"));
    assert_eq!(first.updates, 1);
    assert_eq!(
        first
            .fields
            .date_required_follow_up
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-11-09 14:00:00")
    );
    assert_eq!(logs[1].fields.status, Some(LogStatus::RequireRecontact));
    assert_eq!(logs[1].updates, 0);
    // The invalid log was refused with the rule, and nothing stored for it.
    let refused = result["refused"][0]["Description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        refused.contains("field `Status` must be one of"),
        "{result}"
    );
    sandbox.shutdown().await;
}
