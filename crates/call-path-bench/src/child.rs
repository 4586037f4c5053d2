//! A server in a child process, so its CPU time is not the client's.
//!
//! The child is this crate's binary run as `call-path-bench serve sandbox` or
//! `call-path-bench serve minimal --route R --content-type T --body-hex H`.
//! It serves on `127.0.0.1:0` on a single-threaded tokio runtime and speaks a
//! line protocol on its standard streams:
//!
//! - it prints `listening <addr>` once serving;
//! - on each `cpu` line read from stdin it prints `cpu <nanoseconds>`, its
//!   own process CPU time (user + system);
//! - when stdin closes it shuts down and exits.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::HeaderValue;

use crate::cpu::process_cpu_time;
use crate::minimal::MinimalServer;
use crate::template::start_sandbox;

/// How long the parent waits for any line from the child.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// Which server a child runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerKind {
    /// The sandbox with the SecurityTrax demo account.
    Sandbox,
    /// [`MinimalServer`] answering `POST route` with `body`.
    Minimal {
        /// The route answered.
        route: String,
        /// The `Content-Type` of the answer, when any.
        content_type: Option<String>,
        /// The answer.
        body: Bytes,
    },
}

impl ServerKind {
    /// The arguments after `serve` that start this server.
    pub fn args(&self) -> Vec<String> {
        match self {
            Self::Sandbox => vec!["sandbox".to_owned()],
            Self::Minimal {
                route,
                content_type,
                body,
            } => {
                let mut args = vec![
                    "minimal".to_owned(),
                    "--route".to_owned(),
                    route.clone(),
                    "--body-hex".to_owned(),
                    to_hex(body),
                ];
                if let Some(content_type) = content_type {
                    args.extend(["--content-type".to_owned(), content_type.clone()]);
                }
                args
            }
        }
    }
}

/// A server running in a child process (see the [module](self) docs).
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    local_addr: SocketAddr,
}

impl ServerProcess {
    /// Starts `exe serve <kind's arguments>` (pinned to `cpu`, when given)
    /// and waits (at most 20 s) until it listens.
    ///
    /// # Errors
    /// When the child cannot start or does not say where it listens.
    pub fn spawn(exe: &Path, kind: &ServerKind, cpu: Option<usize>) -> Result<Self, String> {
        let mut command = Command::new(exe);
        command.arg("serve").args(kind.args());
        if let Some(cpu) = cpu {
            command.args(["--cpu".to_owned(), cpu.to_string()]);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("starting {}: {error}", exe.display()))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().ok_or("the child has no stdout")?;
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut process = Self {
            child,
            stdin,
            lines,
            local_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        };
        let line = process.next_line()?;
        process.local_addr = line
            .strip_prefix("listening ")
            .and_then(|addr| addr.parse().ok())
            .ok_or_else(|| format!("the child said `{line}` instead of `listening <addr>`"))?;
        Ok(process)
    }

    /// Where the child's server listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The child's process CPU time so far (asked over its stdin).
    ///
    /// # Errors
    /// When the child does not answer.
    pub fn cpu_time(&mut self) -> Result<Duration, String> {
        let stdin = self.stdin.as_mut().ok_or("the child's stdin is closed")?;
        stdin
            .write_all(b"cpu\n")
            .and_then(|()| stdin.flush())
            .map_err(|error| format!("asking the child for its CPU time: {error}"))?;
        let line = self.next_line()?;
        line.strip_prefix("cpu ")
            .and_then(|nanos| nanos.parse::<u64>().ok())
            .map(Duration::from_nanos)
            .ok_or_else(|| format!("the child said `{line}` instead of `cpu <nanoseconds>`"))
    }

    fn next_line(&self) -> Result<String, String> {
        self.lines
            .recv_timeout(ANSWER_TIMEOUT)
            .map_err(|error| format!("no answer from the child server: {error}"))
    }
}

impl Drop for ServerProcess {
    /// Closes the child's stdin (it shuts down), waits at most 5 s, then kills it.
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child's side: serves `kind` on `127.0.0.1:0` on a single-threaded
/// runtime until stdin closes, answering `cpu` lines (see the
/// [module](self) docs).
///
/// # Errors
/// When the runtime or the server cannot start.
pub fn serve(kind: &ServerKind) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("runtime: {error}"))?;
    runtime.block_on(async {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        enum Running {
            Sandbox(sandbox::SandboxHandle),
            Minimal(MinimalServer),
        }
        let running = match kind {
            ServerKind::Sandbox => Running::Sandbox(
                start_sandbox(addr)
                    .await
                    .map_err(|error| format!("sandbox: {error}"))?,
            ),
            ServerKind::Minimal {
                route,
                content_type,
                body,
            } => {
                let content_type = content_type
                    .as_deref()
                    .map(HeaderValue::from_str)
                    .transpose()
                    .map_err(|error| format!("content type: {error}"))?;
                Running::Minimal(
                    MinimalServer::start(addr, Some(route.clone()), content_type, body.clone(), 0)
                        .await
                        .map_err(|error| format!("minimal server: {error}"))?,
                )
            }
        };
        let local_addr = match &running {
            Running::Sandbox(handle) => handle.local_addr(),
            Running::Minimal(server) => server.local_addr(),
        };
        say(&format!("listening {local_addr}"));

        let (closed, stdin_closed) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                match line.as_deref() {
                    Ok("cpu") => say(&format!("cpu {}", process_cpu_time().as_nanos())),
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            let _ = closed.send(());
        });
        let _ = stdin_closed.await;
        match running {
            Running::Sandbox(handle) => handle.shutdown().await,
            Running::Minimal(server) => server.shutdown().await,
        }
        Ok(())
    })
}

fn say(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

/// Lower-case hexadecimal.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// Parses what [`to_hex`] writes (either case).
///
/// # Errors
/// On an odd length or a character that is not a hexadecimal digit.
pub fn from_hex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err("odd number of hexadecimal digits".to_owned());
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [high, low] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                Ok(hex_value(*high) << 4 | hex_value(*low))
            }
            _ => Err("not a hexadecimal digit".to_owned()),
        })
        .collect()
}

/// The value of an ASCII hexadecimal digit.
fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let bytes = b"<root>\r\n\x00\xff</root>";
        assert_eq!(from_hex(&to_hex(bytes)).unwrap(), bytes);
        assert_eq!(to_hex(b"\x00\xab"), "00ab");
        assert_eq!(from_hex("00AB").unwrap(), b"\x00\xab");
        assert!(from_hex("abc").is_err());
        assert!(from_hex("zz").is_err());
        assert!(from_hex("+1").is_err());
    }
}
