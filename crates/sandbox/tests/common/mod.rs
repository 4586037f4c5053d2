//! Raw HTTP/1.1 over a `TcpStream`, so the tests need no HTTP client.

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use sandbox::Service;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The bound on every network step of a test.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header of that (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The declared Content-Length.
    pub fn content_length(&self) -> Option<usize> {
        self.header("content-length").and_then(|v| v.parse().ok())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Builds a request with `host`, `connection: close` and, when there is a body, `content-length`.
pub fn request(method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out =
        format!("{method} {target} HTTP/1.1\r\nhost: sandbox.test\r\nconnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || matches!(method, "POST" | "PUT") {
        out.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Writes `raw` and reads until the server closes, bounded by [`STEP_TIMEOUT`].
pub async fn exchange_raw(addr: SocketAddr, raw: &[u8]) -> Vec<u8> {
    tokio::time::timeout(STEP_TIMEOUT, async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(raw).await.expect("write request");
        let mut answer = Vec::new();
        // A reset after a deliberate close is an acceptable end as well.
        let _ = stream.read_to_end(&mut answer).await;
        answer
    })
    .await
    .expect("exchange timed out")
}

/// Sends one request and parses the answer (panics if there is none).
pub async fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let raw = exchange_raw(addr, &request(method, target, headers, body)).await;
    parse(&raw).unwrap_or_else(|| {
        panic!(
            "no complete response head in {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

/// `GET target` with the given headers.
pub async fn get(addr: SocketAddr, target: &str, headers: &[(&str, &str)]) -> RawResponse {
    send(addr, "GET", target, headers, b"").await
}

/// Splits a raw answer into status, headers and body (body = everything after the head).
pub fn parse(raw: &[u8]) -> Option<RawResponse> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let status = status_line.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(RawResponse {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

/// Timings of a response read in two steps: the head, then the rest until close.
#[derive(Debug)]
pub struct TimedResponse {
    pub response: RawResponse,
    pub head_after: Duration,
    pub body_after: Duration,
}

/// Sends `raw` and records when the head and when the end of the body arrived.
pub async fn exchange_timed(addr: SocketAddr, raw: &[u8]) -> TimedResponse {
    tokio::time::timeout(STEP_TIMEOUT, async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let started = Instant::now();
        stream.write_all(raw).await.expect("write request");
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        let head_after = loop {
            let n = stream.read(&mut buf).await.expect("read head");
            assert!(n > 0, "closed before the head");
            answer.extend_from_slice(&buf[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break started.elapsed();
            }
        };
        let _ = stream.read_to_end(&mut answer).await;
        TimedResponse {
            response: parse(&answer).expect("head"),
            head_after,
            body_after: started.elapsed(),
        }
    })
    .await
    .expect("timed exchange timed out")
}

/// A mounted test service that counts its calls and answers JSON about the request.
#[derive(Debug, Default)]
pub struct CountingService {
    calls: AtomicUsize,
}

impl CountingService {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Service for CountingService {
    fn name(&self) -> &'static str {
        "counting"
    }

    fn handle(&self, path: &str, request: http::Request<Bytes>) -> http::Response<Bytes> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if path == "/panic" {
            panic!("the counting service was asked to panic");
        }
        let body = serde_json::json!({
            "path": path,
            "query": request.uri().query(),
            "body": String::from_utf8_lossy(request.body()),
        });
        http::Response::builder()
            .status(201)
            .header("content-type", "application/json")
            .body(Bytes::from(serde_json::to_vec(&body).unwrap()))
            .unwrap()
    }
}
