//! Fault injection, per request header and queued (Rust API and control endpoint).

mod common;

use std::time::{Duration, Instant};

use common::{CountingService, exchange_raw, exchange_timed, get, parse, request, send};
use sandbox::{Fault, SandboxConfig};

const FAULT: &str = "x-sandbox-fault";

#[tokio::test]
async fn delay_waits_then_answers_normally() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let started = Instant::now();
    let answer = get(
        sandbox.local_addr(),
        "/__sandbox/health",
        &[(FAULT, "delay=200")],
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "ok");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn status_answers_json_with_optional_retry_after() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let answer = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "status=429;retry-after=1")],
    )
    .await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), Some("1"));
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.json()["status"], 429);

    let plain = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "status=503")],
    )
    .await;
    assert_eq!(plain.status, 503);
    assert_eq!(plain.header("retry-after"), None);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn close_reads_the_request_then_drops_the_connection_without_an_answer() {
    let service = CountingService::new();
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .unwrap();
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request(
            "POST",
            "/counting/notes",
            &[(FAULT, "close")],
            b"a note body",
        ),
    )
    .await;
    assert!(
        raw.is_empty(),
        "expected no bytes, got {:?}",
        String::from_utf8_lossy(&raw)
    );
    // The request was read in full (so it counts), but the service never ran.
    assert_eq!(sandbox.requests_received("/counting/notes"), 1);
    assert_eq!(service.calls(), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn close_after_processing_runs_the_service_then_drops_the_connection() {
    let service = CountingService::new();
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .unwrap();
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request(
            "POST",
            "/counting/notes",
            &[(FAULT, "close-after-processing")],
            b"a note body",
        ),
    )
    .await;
    assert!(
        raw.is_empty(),
        "expected no bytes, got {:?}",
        String::from_utf8_lossy(&raw)
    );
    // The service did the work once; only the answer was lost.
    assert_eq!(service.calls(), 1);
    assert_eq!(sandbox.requests_received("/counting/notes"), 1);

    // Queued through the control endpoint, with a delay first, it acts the same.
    let queued = send(
        sandbox.local_addr(),
        "POST",
        "/__sandbox/faults",
        &[("content-type", "application/json")],
        br#"{"path_prefix": "/counting/", "fault": "delay=5;close-after-processing"}"#,
    )
    .await;
    assert_eq!(queued.status, 200, "{}", queued.text());
    assert_eq!(queued.json()["fault"], "delay=5;close-after-processing");
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request("POST", "/counting/notes", &[], b"again"),
    )
    .await;
    assert!(raw.is_empty());
    assert_eq!(service.calls(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn truncate_declares_the_full_length_and_sends_half() {
    let service = CountingService::new();
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .unwrap();
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request("GET", "/__sandbox/bytes/10000", &[(FAULT, "truncate")], b""),
    )
    .await;
    let answer = parse(&raw).expect("a head before the cut");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_length(), Some(10_000));
    assert_eq!(answer.body.len(), 5_000);

    // A service answer is truncated too, and the service did run.
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request("GET", "/counting/x", &[(FAULT, "truncate")], b""),
    )
    .await;
    let answer = parse(&raw).expect("a head before the cut");
    let declared = answer.content_length().unwrap();
    assert!(answer.body.len() < declared);
    assert_eq!(answer.body.len(), declared / 2);
    assert_eq!(service.calls(), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn truncating_an_empty_answer_still_cuts_a_declared_body() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let raw = exchange_raw(
        sandbox.local_addr(),
        &request("GET", "/__sandbox/bytes/0", &[(FAULT, "truncate")], b""),
    )
    .await;
    let answer = parse(&raw).unwrap();
    assert_eq!(answer.content_length(), Some(64));
    assert_eq!(answer.body.len(), 32);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn garbage_is_neither_json_nor_xml() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let answer = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "garbage")],
    )
    .await;
    assert_eq!(answer.status, 200);
    assert!(!answer.body.is_empty());
    assert!(serde_json::from_slice::<serde_json::Value>(&answer.body).is_err());
    assert!(std::str::from_utf8(&answer.body).is_err(), "not even text");
    assert_ne!(answer.body.first(), Some(&b'<'));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn oversize_streams_that_many_bytes() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let answer = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "oversize=3000000")],
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_length(), Some(3_000_000));
    assert_eq!(answer.body.len(), 3_000_000);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn stall_body_sends_the_head_at_once_and_the_body_later() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let timed = exchange_timed(
        sandbox.local_addr(),
        &request(
            "GET",
            "/__sandbox/health",
            &[(FAULT, "stall-body=1000")],
            b"",
        ),
    )
    .await;
    assert_eq!(timed.response.status, 200);
    assert_eq!(timed.response.text(), "ok");
    assert!(
        timed.head_after < Duration::from_millis(900),
        "head took {:?}",
        timed.head_after
    );
    assert!(
        timed.body_after >= Duration::from_millis(1000),
        "body after {:?}",
        timed.body_after
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_bad_fault_header_is_400_naming_the_directive() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let answer = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "delay=5;explode")],
    )
    .await;
    assert_eq!(answer.status, 400);
    let message = answer.json()["error"].as_str().unwrap().to_owned();
    assert!(message.contains("`explode`"), "{message}");
    assert!(message.contains("x-sandbox-fault"), "{message}");

    let bad_value = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "status=abc")],
    )
    .await;
    assert_eq!(bad_value.status, 400);
    assert!(
        bad_value.text().contains("`status`"),
        "{}",
        bad_value.text()
    );

    let not_ascii = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "délai=5")],
    )
    .await;
    assert_eq!(not_ascii.status, 400);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn queued_faults_apply_times_times_then_are_gone() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    sandbox.inject_fault(
        "/__sandbox/echo",
        Fault::Status {
            status: 503,
            retry_after: Some("2".to_owned()),
        },
        2,
    );
    // Other paths are not affected.
    assert_eq!(get(addr, "/__sandbox/health", &[]).await.status, 200);
    for _ in 0..2 {
        let answer = get(addr, "/__sandbox/echo", &[]).await;
        assert_eq!(answer.status, 503);
        assert_eq!(answer.header("retry-after"), Some("2"));
    }
    assert_eq!(get(addr, "/__sandbox/echo", &[]).await.status, 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn queued_faults_win_over_header_faults() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    sandbox.inject_fault(
        "/",
        Fault::Status {
            status: 502,
            retry_after: None,
        },
        1,
    );
    let answer = get(addr, "/__sandbox/echo", &[(FAULT, "garbage")]).await;
    assert_eq!(answer.status, 502);
    // Once the queued fault is used up, the header applies.
    let answer = get(addr, "/__sandbox/echo", &[(FAULT, "status=418")]).await;
    assert_eq!(answer.status, 418);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn queued_delay_adds_to_a_header_answer() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    sandbox.inject_fault("/__sandbox/", Fault::Delay(Duration::from_millis(150)), 1);
    let started = Instant::now();
    let answer = get(
        sandbox.local_addr(),
        "/__sandbox/echo",
        &[(FAULT, "status=500")],
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(answer.status, 500);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn clear_faults_drops_queued_faults() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    sandbox.inject_fault("/", Fault::GarbageBody, 5);
    sandbox.clear_faults();
    assert_eq!(
        get(sandbox.local_addr(), "/__sandbox/health", &[])
            .await
            .text(),
        "ok"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn injected_faults_with_invalid_values_answer_500_naming_them() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    sandbox.inject_fault(
        "/",
        Fault::Status {
            status: 42,
            retry_after: None,
        },
        1,
    );
    let answer = get(sandbox.local_addr(), "/__sandbox/health", &[]).await;
    assert_eq!(answer.status, 500);
    assert!(
        answer.text().contains("invalid status 42"),
        "{}",
        answer.text()
    );

    sandbox.inject_fault(
        "/",
        Fault::Status {
            status: 429,
            retry_after: Some("bad\nvalue".to_owned()),
        },
        1,
    );
    let answer = get(sandbox.local_addr(), "/__sandbox/health", &[]).await;
    assert_eq!(answer.status, 500);
    assert!(answer.text().contains("retry_after"), "{}", answer.text());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn control_endpoint_queues_and_clears_faults() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    let queued = send(
        addr,
        "POST",
        "/__sandbox/faults",
        &[("content-type", "application/json")],
        br#"{"path_prefix": "/__sandbox/echo", "fault": "retry-after=1; status=429", "times": 2}"#,
    )
    .await;
    assert_eq!(queued.status, 200);
    let queued = queued.json();
    assert_eq!(queued["fault"], "status=429;retry-after=1");
    assert_eq!(queued["times"], 2);

    for _ in 0..2 {
        let answer = get(addr, "/__sandbox/echo", &[]).await;
        assert_eq!(answer.status, 429);
        assert_eq!(answer.header("retry-after"), Some("1"));
    }
    assert_eq!(get(addr, "/__sandbox/echo", &[]).await.status, 200);

    // `times` defaults to 1; a fault on "/" does not block the control endpoint itself.
    let queued = send(
        addr,
        "POST",
        "/__sandbox/faults",
        &[],
        br#"{"path_prefix": "/", "fault": "status=500"}"#,
    )
    .await;
    assert_eq!(queued.json()["times"], 1);
    let cleared = send(addr, "DELETE", "/__sandbox/faults", &[], b"").await;
    assert_eq!(cleared.status, 204);
    assert_eq!(get(addr, "/__sandbox/echo", &[]).await.status, 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn control_endpoint_refuses_bad_requests_with_the_reason() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    let cases: [(&[u8], &str); 6] = [
        (b"not json", "invalid fault request"),
        (
            br#"{"path_prefix": "/", "fault": "close", "extra": 1}"#,
            "unknown field `extra`",
        ),
        (br#"{"fault": "close"}"#, "missing field `path_prefix`"),
        (
            br#"{"path_prefix": "x/", "fault": "close"}"#,
            "`path_prefix` must start with `/`",
        ),
        (
            br#"{"path_prefix": "/", "fault": "close", "times": 0}"#,
            "`times` must be at least 1",
        ),
        (br#"{"path_prefix": "/", "fault": "explode"}"#, "`explode`"),
    ];
    for (body, reason) in cases {
        let answer = send(addr, "POST", "/__sandbox/faults", &[], body).await;
        assert_eq!(answer.status, 400, "{}", String::from_utf8_lossy(body));
        assert!(
            answer.text().contains(reason),
            "{} → {}",
            String::from_utf8_lossy(body),
            answer.text()
        );
    }
    let wrong_method = get(addr, "/__sandbox/faults", &[]).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.header("allow"), Some("POST, DELETE"));
    // Nothing was queued by the refused requests.
    assert_eq!(get(addr, "/__sandbox/health", &[]).await.status, 200);
    sandbox.shutdown().await;
}
