//! Starting, graceful shutdown and dropping the handle.

mod common;

use std::time::{Duration, Instant};

use common::{exchange_raw, get, parse, request};
use sandbox::SandboxConfig;
use tokio::net::TcpStream;

/// Polls until connecting to `addr` is refused, bounded in count and time.
async fn refused_eventually(addr: std::net::SocketAddr) -> bool {
    for _ in 0..50 {
        if TcpStream::connect(addr).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn shutdown_stops_accepting_connections() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    assert_eq!(get(addr, "/__sandbox/health", &[]).await.status, 200);
    tokio::time::timeout(Duration::from_secs(10), sandbox.shutdown())
        .await
        .expect("shutdown is bounded");
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_request_finish() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    let in_flight = tokio::spawn(async move {
        exchange_raw(
            addr,
            &request(
                "GET",
                "/__sandbox/health",
                &[("x-sandbox-fault", "delay=500")],
                b"",
            ),
        )
        .await
    });
    // Let the request reach the server before shutting down.
    for _ in 0..400 {
        if sandbox.requests_received("/__sandbox/health") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(sandbox.requests_received("/__sandbox/health"), 1);
    sandbox.shutdown().await;
    let answer = parse(&in_flight.await.unwrap()).expect("the in-flight answer");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "ok");
}

#[tokio::test]
async fn shutdown_cuts_connections_that_outlast_the_timeout() {
    let sandbox = sandbox::start(SandboxConfig::new().shutdown_timeout(Duration::from_millis(200)))
        .await
        .unwrap();
    let addr = sandbox.local_addr();
    let stalled = tokio::spawn(async move {
        exchange_raw(
            addr,
            &request(
                "GET",
                "/__sandbox/health",
                &[("x-sandbox-fault", "stall-body=20000")],
                b"",
            ),
        )
        .await
    });
    for _ in 0..400 {
        if sandbox.requests_received("/__sandbox/health") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    sandbox.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let raw = stalled.await.unwrap();
    let answer = parse(&raw).expect("the head was sent before the stall");
    assert_eq!(answer.content_length(), Some(2));
    assert!(answer.body.is_empty(), "the body never came");
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    drop(sandbox);
    assert!(refused_eventually(addr).await);
}

#[tokio::test]
async fn serve_until_serves_until_the_signal() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sandbox::serve_until(
        SandboxConfig::new().addr(addr),
        async move {
            let _ = rx.await;
        },
    ));
    let mut served = false;
    for _ in 0..50 {
        if TcpStream::connect(addr).await.is_ok() {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(served, "the server came up");
    assert_eq!(get(addr, "/__sandbox/health", &[]).await.status, 200);
    tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("bounded")
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(addr).await.is_err());
}
