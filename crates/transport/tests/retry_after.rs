//! `Retry-After` in both forms, against a small loopback server of our own:
//! a `503` with `Retry-After: <HTTP-date>` is waited for (it used to be
//! ignored: three tries in half a second), a date in the past means "now",
//! and a date beyond the policy's longest pause returns the `503`.

#![cfg(feature = "reqwest")]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::Request;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use transport::{Attempts, ReqwestTransport, RetryConfig, Retrying, Transport, TransportConfig};

/// A server that answers its first `refusals` requests `503` with the
/// `Retry-After` value `retry_after()` gives at that moment, and `200`
/// afterwards; it records when each request came.
async fn server(
    refusals: usize,
    retry_after: impl Fn() -> String + Send + 'static,
) -> (String, Arc<Mutex<Vec<Instant>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/status", listener.local_addr().expect("address"));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&arrivals);
    tokio::spawn(async move {
        // Bounded: no test sends more than a handful of requests.
        for _ in 0..10 {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut head = Vec::new();
            let mut buffer = [0_u8; 1024];
            while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => head.extend_from_slice(&buffer[..read]),
                }
            }
            let count = {
                let mut seen = seen.lock().expect("arrivals");
                seen.push(Instant::now());
                seen.len()
            };
            let answer = if count <= refusals {
                format!(
                    "HTTP/1.1 503 Service Unavailable\r\nretry-after: {}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    retry_after()
                )
            } else {
                "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok".to_owned()
            };
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    (url, arrivals)
}

fn http_date(offset_secs: i64) -> String {
    let now = SystemTime::now();
    let when = if offset_secs >= 0 {
        now + Duration::from_secs(offset_secs.unsigned_abs())
    } else {
        now - Duration::from_secs(offset_secs.unsigned_abs())
    };
    httpdate::fmt_http_date(when)
}

fn retrying() -> Retrying<ReqwestTransport> {
    let http = ReqwestTransport::new(
        TransportConfig::default()
            .with_connect_timeout(Duration::from_secs(2))
            .with_total_timeout(Duration::from_secs(5)),
    )
    .expect("backend builds");
    Retrying::new(
        http,
        RetryConfig::default()
            .with_max_attempts(3)
            .with_initial_delay(Duration::from_millis(50))
            .with_max_delay(Duration::from_secs(5)),
    )
}

async fn get(transport: &impl Transport, url: &str) -> http::Response<Bytes> {
    let request = Request::get(url).body(Bytes::new()).expect("valid request");
    tokio::time::timeout(Duration::from_secs(20), transport.send(request))
        .await
        .expect("the call ends in time")
        .expect("an answer")
}

#[tokio::test]
async fn a_retry_after_date_is_waited_for() {
    // Two seconds ahead, at one-second precision: a wait of more than 1 s.
    let (url, arrivals) = server(1, || http_date(2)).await;
    let response = get(&retrying(), &url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
    let arrivals = arrivals.lock().expect("arrivals").clone();
    assert_eq!(arrivals.len(), 2);
    let gap = arrivals[1] - arrivals[0];
    assert!(gap >= Duration::from_millis(1000), "resent after {gap:?}");
}

#[tokio::test]
async fn a_retry_after_date_in_the_past_means_now() {
    let (url, arrivals) = server(2, || http_date(-3600)).await;
    let started = Instant::now();
    let response = get(&retrying(), &url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(arrivals.lock().expect("arrivals").len(), 3);
    // Only the backoff pauses (50 ms, 100 ms, with jitter) were waited.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_date_beyond_the_longest_pause_returns_the_answer() {
    let (url, arrivals) = server(3, || http_date(3600)).await;
    let started = Instant::now();
    let response = get(&retrying(), &url).await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(1)));
    assert_eq!(arrivals.lock().expect("arrivals").len(), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_retry_after_in_seconds_is_waited_for() {
    let (url, arrivals) = server(1, || "1".to_owned()).await;
    let response = get(&retrying(), &url).await;
    assert_eq!(response.status(), 200);
    let arrivals = arrivals.lock().expect("arrivals").clone();
    assert_eq!(arrivals.len(), 2);
    assert!(arrivals[1] - arrivals[0] >= Duration::from_millis(990));
}
