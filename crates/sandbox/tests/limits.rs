//! Requests are bounded in time: a stalled body or head cannot hold a connection.

mod common;

use std::time::{Duration, Instant};

use common::{STEP_TIMEOUT, get, parse};
use sandbox::SandboxConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How many stalled connections the tests open: enough to show that none of them
/// blocks the others, few enough for any machine's file limit.
const STALLED: usize = 64;

/// Reads until the server closes the connection, bounded by [`STEP_TIMEOUT`].
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut answer = Vec::new();
    tokio::time::timeout(STEP_TIMEOUT, async {
        // A reset after the server gave up is an acceptable end as well.
        let _ = stream.read_to_end(&mut answer).await;
    })
    .await
    .expect("the server closes a stalled connection within the step timeout");
    answer
}

#[tokio::test]
async fn stalled_request_bodies_get_408_and_leave_the_health_route_answering() {
    let deadline = Duration::from_millis(500);
    let sandbox = sandbox::start(SandboxConfig::new().body_read_timeout(deadline))
        .await
        .unwrap();
    let addr = sandbox.local_addr();

    let mut stalled = Vec::with_capacity(STALLED);
    for _ in 0..STALLED {
        let mut stream = tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(addr))
            .await
            .expect("connect in time")
            .expect("connect");
        // The head announces 100 bytes; 10 arrive, the rest never does.
        stream
            .write_all(
                b"POST /__sandbox/echo HTTP/1.1\r\nhost: t\r\ncontent-length: 100\r\n\r\nonly ten b",
            )
            .await
            .unwrap();
        stalled.push(stream);
    }
    let opened = Instant::now();

    // The sandbox keeps answering others while those connections stall.
    let health = get(addr, "/__sandbox/health", &[]).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.text(), "ok");

    // Each stalled request is answered 408 once its deadline passes, then closed.
    for stream in &mut stalled {
        let answer = read_until_closed(stream).await;
        let answer = parse(&answer)
            .unwrap_or_else(|| panic!("no 408 answer: {:?}", String::from_utf8_lossy(&answer)));
        assert_eq!(answer.status, 408, "{}", answer.text());
        assert_eq!(answer.header("connection"), Some("close"));
        assert!(
            answer.text().contains("body read timeout of 500 ms"),
            "{}",
            answer.text()
        );
    }
    assert!(
        opened.elapsed() >= deadline - Duration::from_millis(100),
        "answered before the deadline: {:?}",
        opened.elapsed()
    );
    // A request whose body never arrived was not read in full: not counted.
    assert_eq!(sandbox.requests_received("/__sandbox/echo"), 0);
    assert_eq!(
        get(addr, "/__sandbox/health", &[]).await.status,
        200,
        "still serving afterwards"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_body_that_arrives_in_time_is_answered_normally() {
    let sandbox = sandbox::start(SandboxConfig::new().body_read_timeout(Duration::from_secs(5)))
        .await
        .unwrap();
    let mut stream = TcpStream::connect(sandbox.local_addr()).await.unwrap();
    stream
        .write_all(b"POST /__sandbox/echo HTTP/1.1\r\nhost: t\r\ncontent-length: 10\r\nconnection: close\r\n\r\nfirst")
        .await
        .unwrap();
    // A slow body well within the deadline is no timeout.
    tokio::time::sleep(Duration::from_millis(200)).await;
    stream.write_all(b" half").await.unwrap();
    let answer = read_until_closed(&mut stream).await;
    let answer = parse(&answer).expect("an answer");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["body"], "first half");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn stalled_and_idle_request_heads_are_closed_after_the_header_timeout() {
    let sandbox =
        sandbox::start(SandboxConfig::new().header_read_timeout(Duration::from_millis(300)))
            .await
            .unwrap();
    let addr = sandbox.local_addr();
    let mut connections = Vec::with_capacity(STALLED);
    for index in 0..STALLED {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        if index % 2 == 0 {
            // Half a head, never finished.
            stream
                .write_all(b"GET /__sandbox/health HTTP/1.1\r\nhost: t\r\nx-slow: ")
                .await
                .unwrap();
        }
        // The other half sends nothing at all.
        connections.push(stream);
    }
    assert_eq!(get(addr, "/__sandbox/health", &[]).await.status, 200);
    for stream in &mut connections {
        let answer = read_until_closed(stream).await;
        // hyper closes without a response when the head times out.
        assert!(
            parse(&answer).is_none_or(|answer| answer.status >= 400),
            "{:?}",
            String::from_utf8_lossy(&answer)
        );
    }
    assert_eq!(sandbox.requests_received("/__sandbox/health"), 1);
    sandbox.shutdown().await;
}
