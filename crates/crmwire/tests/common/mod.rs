//! Running the built `crmwire` binary in isolation: every run gets its own empty
//! config home (`XDG_CONFIG_HOME` and `HOME`), so no user config leaks in and the
//! default location has no file (the embedded sandbox is used); every child is
//! bounded in time and killed on overrun.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The longest a single crmwire run may take.
pub(crate) const DEADLINE: Duration = Duration::from_secs(60);

/// The sandbox demo account's password: it must never be printed.
pub(crate) const DEMO_PASSWORD: &str = "demo-password";

/// A finished run.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Finished {
    /// Stdout parsed as one JSON document.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|err| {
            panic!("stdout is not one JSON document ({err}): {}", self.stdout)
        })
    }

    /// Asserts the exit code, showing both streams otherwise.
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts `secret` appears in neither stream.
    pub(crate) fn assert_never_shows(&self, secret: &str) -> &Self {
        assert!(!self.stdout.contains(secret), "stdout: {}", self.stdout);
        assert!(!self.stderr.contains(secret), "stderr: {}", self.stderr);
        self
    }
}

/// An empty directory removed on drop.
#[derive(Debug)]
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory unique to this process and call.
    pub(crate) fn new(label: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("crmwire-test-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temp dir");
        Self(path)
    }

    /// Its path.
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `text` to `name` inside it and returns the file's path.
    pub(crate) fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write a temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `crmwire` with a clean environment: an empty config home in `home`, no
/// `CRMWIRE_CONFIG`, `CRMWIRE_PROFILE` or `RUST_LOG`, piped output, no stdin.
pub(crate) fn crmwire(home: &TempDir) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crmwire"));
    command
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", home.path())
        .env_remove("CRMWIRE_CONFIG")
        .env_remove("CRMWIRE_PROFILE")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits for `child` at most [`DEADLINE`], killing it if it overruns. The output is
/// read on threads so a chatty child cannot block on a full pipe.
pub(crate) fn finish(mut child: Child) -> Finished {
    let mut stdout_pipe = child.stdout.take().expect("piped stdout");
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout_pipe.read_to_string(&mut text);
        text
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
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
    Finished {
        code: status.code(),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// Runs `crmwire args…` in a fresh, empty config home (so: against the sandbox).
pub(crate) fn run(args: &[&str]) -> Finished {
    let home = TempDir::new("home");
    finish(crmwire(&home).args(args).spawn().expect("start crmwire"))
}

/// `crmwire sandbox --addr 127.0.0.1:0` in the foreground, its stdout read line
/// by line; killed on drop.
pub(crate) struct SandboxChild {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// The base URL from its first line, `sandbox listening on <url>`.
    pub(crate) base_url: String,
    _home: TempDir,
}

impl SandboxChild {
    /// Starts it and waits (at most [`DEADLINE`]) for its first line.
    pub(crate) fn start() -> Self {
        let home = TempDir::new("sandbox-child");
        let mut child = crmwire(&home)
            .args(["sandbox", "--addr", "127.0.0.1:0"])
            .spawn()
            .expect("start crmwire sandbox");
        let stdout = child.stdout.take().expect("piped stdout");
        let (lines_tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines.recv_timeout(DEADLINE);
        let Some(base_url) = first.as_ref().ok().and_then(|line| {
            line.strip_prefix("sandbox listening on ")
                .map(str::to_owned)
        }) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("crmwire sandbox did not print its URL first: {first:?}");
        };
        Self {
            child,
            lines,
            base_url,
            _home: home,
        }
    }

    /// The next line it prints, waiting at most [`DEADLINE`].
    pub(crate) fn next_line(&self) -> Option<String> {
        self.lines.recv_timeout(DEADLINE).ok()
    }
}

impl Drop for SandboxChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback HTTP server of the test's own that answers every request with the
/// same status and body (connection closed after each answer), for at most
/// [`DEADLINE`] and at most `max_requests` requests; stops on drop.
pub(crate) struct Loopback {
    /// `http://127.0.0.1:<port>`.
    pub(crate) base_url: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<Vec<String>>>,
}

impl Loopback {
    /// Starts answering `status` with `body` (as `text/xml`).
    pub(crate) fn answering(status: u16, body: &str, max_requests: usize) -> Self {
        use std::io::Write;
        use std::sync::atomic::AtomicBool;

        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let base_url = format!("http://{}", listener.local_addr().expect("local addr"));
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let answer = format!(
            "HTTP/1.1 {status} Answer\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut requests = Vec::new();
            while !stopped.load(Ordering::SeqCst)
                && started.elapsed() < DEADLINE
                && requests.len() < max_requests
            {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                requests.push(read_request(&mut stream));
                let _ = stream.write_all(answer.as_bytes());
            }
            requests
        });
        Self {
            base_url,
            stop,
            thread: Some(thread),
        }
    }

    /// Stops the server and returns the requests it received.
    pub(crate) fn requests(mut self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .take()
            .map(|thread| thread.join().expect("loopback server"))
            .unwrap_or_default()
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request: its head, then the body its `content-length` announces.
pub(crate) fn read_request(stream: &mut std::net::TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let n = stream.read(&mut buffer).unwrap_or(0);
        if n == 0 {
            break;
        }
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received).to_string();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length = text[..head_end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if received.len() >= head_end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

/// A config with one SecurityTrax profile, `default`, at `base_url`, its password
/// in `CRMWIRE_TEST_STRAX_PASSWORD`, and a Neto profile, `shop`.
pub(crate) fn profile_config(home: &TempDir, base_url: &str) -> PathBuf {
    home.file(
        "config.toml",
        &format!(
            "[profiles.default]\nservice = \"securitytrax\"\nbase_url = \"{base_url}\"\n\
             site = \"demo\"\nusername = \"demo\"\npartner_id = \"1001\"\n\
             password_env = \"CRMWIRE_TEST_STRAX_PASSWORD\"\n\n\
             [profiles.shop]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\n\
             username = \"shop-user\"\napi_key_env = \"CRMWIRE_TEST_SHOP_KEY\"\n"
        ),
    )
}

/// Runs `args` with [`profile_config`] and `password` in its variable.
pub(crate) fn with_profile(
    home: &TempDir,
    base_url: &str,
    password: &str,
    args: &[&str],
) -> Finished {
    let config = profile_config(home, base_url);
    finish(
        crmwire(home)
            .env("CRMWIRE_CONFIG", &config)
            .env("CRMWIRE_TEST_STRAX_PASSWORD", password)
            .args(args)
            .spawn()
            .expect("start crmwire"),
    )
}
