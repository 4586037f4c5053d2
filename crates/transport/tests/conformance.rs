//! One conformance suite for every HTTP backend, over real loopback sockets
//! against the in-process sandbox.
//!
//! Each check is a generic async function taking a factory from
//! [`TransportConfig`] to a transport; the `conformance!` macro at the bottom
//! runs all of them for the reqwest and the hyper backend (each when its
//! feature is on: run with `--all-features` to cover both).

#![cfg(any(feature = "reqwest", feature = "hyper"))]

use std::net::TcpListener;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use sandbox::{Fault, SandboxConfig, SandboxHandle, Service};
use transport::{
    ErrorKind, PaceConfig, Paced, RetryConfig, Retrying, TimeoutPhase, Transport, TransportConfig,
    TransportError,
};

const FAULT: &str = "x-sandbox-fault";

/// A service whose every answer is a redirect to the health route: `307`
/// under `/redirect/307…`, `308` under `/redirect/308…`, `302` otherwise.
struct Redirector;

impl Service for Redirector {
    fn name(&self) -> &'static str {
        "redirect"
    }

    fn handle(&self, path: &str, _request: Request<Bytes>) -> Response<Bytes> {
        let status = if path.starts_with("/307") {
            StatusCode::TEMPORARY_REDIRECT
        } else if path.starts_with("/308") {
            StatusCode::PERMANENT_REDIRECT
        } else {
            StatusCode::FOUND
        };
        Response::builder()
            .status(status)
            .header(header::LOCATION, "/__sandbox/health")
            .body(Bytes::new())
            .expect("valid response")
    }
}

/// A service that answers every request `201 Created` with a 2000-byte body.
struct Creator;

impl Service for Creator {
    fn name(&self) -> &'static str {
        "created"
    }

    fn handle(&self, _path: &str, _request: Request<Bytes>) -> Response<Bytes> {
        Response::builder()
            .status(StatusCode::CREATED)
            .body(Bytes::from(vec![b'x'; 2000]))
            .expect("valid response")
    }
}

async fn sandbox() -> SandboxHandle {
    sandbox::start(
        SandboxConfig::new()
            .service(Arc::new(Redirector))
            .service(Arc::new(Creator)),
    )
    .await
    .expect("sandbox starts")
}

/// Short deadlines so that no check can hang.
fn config() -> TransportConfig {
    TransportConfig::default()
        .with_connect_timeout(Duration::from_secs(2))
        .with_total_timeout(Duration::from_secs(5))
}

fn get(url: &str) -> Request<Bytes> {
    Request::get(url).body(Bytes::new()).expect("valid request")
}

fn post(url: &str, body: &'static str) -> Request<Bytes> {
    Request::post(url)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Bytes::from_static(body.as_bytes()))
        .expect("valid request")
}

fn with_fault(mut request: Request<Bytes>, fault: &'static str) -> Request<Bytes> {
    request
        .headers_mut()
        .insert(FAULT, header::HeaderValue::from_static(fault));
    request
}

fn json(response: &Response<Bytes>) -> serde_json::Value {
    serde_json::from_slice(response.body()).expect("echo answers JSON")
}

/// A port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    drop(listener);
    port
}

async fn get_and_post_round_trip<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let sandbox = sandbox().await;
    let transport = make(config());
    let base = sandbox.base_url();

    let response = transport
        .send(get(&format!("{base}/__sandbox/echo?page=2")))
        .await
        .expect("GET succeeds");
    assert_eq!(response.status(), StatusCode::OK);
    let echo = json(&response);
    assert_eq!(echo["method"], "GET");
    assert_eq!(echo["path"], "/__sandbox/echo");
    assert_eq!(echo["query"], "page=2");
    assert_eq!(
        echo["headers"]["user-agent"],
        concat!("crmwire/", env!("CARGO_PKG_VERSION"))
    );

    let mut request = post(&format!("{base}/__sandbox/echo"), "hello, sandbox");
    request
        .headers_mut()
        .insert(header::USER_AGENT, "caller/2".parse().unwrap());
    let response = transport.send(request).await.expect("POST succeeds");
    let echo = json(&response);
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["body"], "hello, sandbox");
    assert_eq!(echo["headers"]["user-agent"], "caller/2");
    assert_eq!(sandbox.requests_received("/__sandbox/echo"), 2);
    sandbox.shutdown().await;
}

async fn error_statuses_and_redirects_are_answers<T: Transport>(
    make: impl Fn(TransportConfig) -> T,
) {
    let sandbox = sandbox().await;
    let transport = make(config());
    let base = sandbox.base_url();

    let response = transport
        .send(with_fault(
            get(&format!("{base}/__sandbox/echo")),
            "status=503",
        ))
        .await
        .expect("a 503 is a response");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);

    let response = transport
        .send(get(&format!("{base}/redirect/anywhere")))
        .await
        .expect("a 302 is a response");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[header::LOCATION], "/__sandbox/health");
    assert_eq!(sandbox.requests_received("/__sandbox/health"), 0);
    sandbox.shutdown().await;
}

async fn post_redirects_are_not_followed<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let sandbox = sandbox().await;
    let transport = make(config());
    let base = sandbox.base_url();
    for (path, status) in [
        ("/redirect/307", StatusCode::TEMPORARY_REDIRECT),
        ("/redirect/308", StatusCode::PERMANENT_REDIRECT),
    ] {
        // 307 and 308 are the redirects a client would follow with the same
        // method and body: following one would send the POST a second time.
        let response = transport
            .send(post(&format!("{base}{path}"), "create the lead"))
            .await
            .expect("a redirect is a response");
        assert_eq!(response.status(), status);
        assert_eq!(response.headers()[header::LOCATION], "/__sandbox/health");
        assert_eq!(sandbox.requests_received(path), 1, "{path}");
    }
    assert_eq!(sandbox.requests_received("/__sandbox/health"), 0);
    sandbox.shutdown().await;
}

/// A listener on 127.0.0.1 that accepts connections and never writes a byte
/// (so a TLS handshake stalls), for at most 10 s.
async fn silent_listener() -> (u16, tokio::task::JoinHandle<usize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        let deadline = tokio::time::sleep(Duration::from_secs(10));
        tokio::pin!(deadline);
        while held.len() < 16 {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((socket, _)) => held.push(socket),
                    Err(_) => break,
                },
                () = &mut deadline => break,
            }
        }
        held.len()
    });
    (port, task)
}

async fn stalled_tls_handshake_is_a_connect_timeout<T: Transport>(
    make: impl Fn(TransportConfig) -> T,
) {
    let (port, listener) = silent_listener().await;
    let transport = make(
        TransportConfig::default()
            .with_connect_timeout(Duration::from_millis(300))
            .with_total_timeout(Duration::from_secs(5)),
    );
    let started = Instant::now();
    let error = transport
        .send(post(&format!("https://127.0.0.1:{port}/"), "order 1"))
        .await
        .expect_err("the handshake never completes");
    let elapsed = started.elapsed();
    assert_eq!(
        error.kind(),
        &ErrorKind::Timeout {
            phase: TimeoutPhase::Connect,
            after: Duration::from_millis(300)
        }
    );
    assert!(error.is_retry_safe());
    assert!(!error.outcome_unknown());
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    listener.abort();
}

async fn refused_connection_is_not_sent<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let transport = make(config());
    let error = transport
        .send(get(&format!(
            "http://127.0.0.1:{}/__sandbox/echo",
            closed_port()
        )))
        .await
        .expect_err("nothing listens");
    assert!(error.kind() == &ErrorKind::NotSent, "{error:?}");
    assert!(error.is_retry_safe());
}

async fn tls_handshake_failure_is_not_sent<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let sandbox = sandbox().await;
    let transport = make(config());
    let url = format!(
        "https://127.0.0.1:{}/__sandbox/echo",
        sandbox.local_addr().port()
    );
    let error = transport
        .send(get(&url))
        .await
        .expect_err("the sandbox speaks plain HTTP");
    assert!(error.kind() == &ErrorKind::NotSent, "{error:?}");
    assert!(error.is_retry_safe());
    assert_eq!(sandbox.requests_received("/"), 0);
    sandbox.shutdown().await;
}

async fn close_before_response_is_maybe_received<T: Transport>(
    make: impl Fn(TransportConfig) -> T,
) {
    let sandbox = sandbox().await;
    let transport = make(config());
    let request = with_fault(
        post(&format!("{}/__sandbox/echo", sandbox.base_url()), "order 1"),
        "close",
    );
    let error = transport
        .send(request)
        .await
        .expect_err("the server hangs up");
    assert!(error.kind() == &ErrorKind::MaybeReceived, "{error:?}");
    assert!(!error.is_retry_safe());
    assert!(error.outcome_unknown());
    assert_eq!(sandbox.requests_received("/__sandbox/echo"), 1);
    sandbox.shutdown().await;
}

async fn slow_answer_is_a_total_timeout<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let sandbox = sandbox().await;
    let transport = make(config().with_total_timeout(Duration::from_millis(300)));
    let started = Instant::now();
    let error = transport
        .send(with_fault(
            get(&format!("{}/__sandbox/echo", sandbox.base_url())),
            "delay=3000",
        ))
        .await
        .expect_err("the answer comes too late");
    assert_eq!(
        error,
        TransportError::timeout(TimeoutPhase::Total, Duration::from_millis(300))
    );
    assert!(!error.is_retry_safe());
    assert!(started.elapsed() < Duration::from_secs(2));

    // The deadline covers the body too, and a request can extend it.
    let error = transport
        .send(with_fault(
            get(&format!("{}/__sandbox/echo", sandbox.base_url())),
            "stall-body=2000",
        ))
        .await
        .expect_err("the body comes too late");
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Timeout {
                phase: TimeoutPhase::Total,
                ..
            }
        ),
        "{error:?}"
    );
    let mut patient = with_fault(
        get(&format!("{}/__sandbox/echo", sandbox.base_url())),
        "delay=400",
    );
    patient
        .extensions_mut()
        .insert(transport::RequestTimeout(Duration::from_secs(3)));
    assert_eq!(
        transport.send(patient).await.expect("in time").status(),
        200
    );
    sandbox.shutdown().await;
}

async fn body_over_the_cap_is_refused<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let sandbox = sandbox().await;
    let transport = make(config().with_body_limit(1000));
    let base = sandbox.base_url();

    let exact = transport
        .send(get(&format!("{base}/__sandbox/bytes/1000")))
        .await
        .expect("a body at the cap is accepted");
    assert_eq!(exact.body().len(), 1000);

    let announced = transport
        .send(get(&format!("{base}/__sandbox/bytes/1001")))
        .await
        .expect_err("Content-Length over the cap");
    assert_eq!(announced, TransportError::body_too_large(1000, 200));
    assert!(announced.outcome_unknown());

    // A HEAD answer announces the length of a body that never comes.
    let head = transport
        .send(
            Request::head(format!("{base}/__sandbox/bytes/5000"))
                .body(Bytes::new())
                .expect("valid request"),
        )
        .await
        .expect("HEAD has no body to refuse");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()[header::CONTENT_LENGTH], "5000");
    assert!(head.body().is_empty());

    let streamed = transport
        .send(with_fault(
            get(&format!("{base}/__sandbox/echo")),
            "oversize=1000000",
        ))
        .await
        .expect_err("a streamed body over the cap");
    assert_eq!(streamed, TransportError::body_too_large(1000, 200));
    assert!(!streamed.is_retry_safe());

    // The status of an answer too large to read is kept: the server acted.
    let created = transport
        .send(post(&format!("{base}/created/leads"), "lead"))
        .await
        .expect_err("a 201 with a body over the cap");
    assert_eq!(created, TransportError::body_too_large(1000, 201));
    assert!(created.outcome_unknown() && !created.is_retry_safe());
    assert_eq!(sandbox.requests_received("/created/leads"), 1);
    sandbox.shutdown().await;
}

/// The most a [`endless_chunked_server`] writes: far beyond any socket buffer.
const ENDLESS_LIMIT: usize = 64 * 1024 * 1024;

/// A one-shot raw HTTP/1.1 server that answers with a chunked body (no
/// Content-Length) of up to [`ENDLESS_LIMIT`] bytes. Its task returns how many
/// body bytes it could write before the client hung up.
async fn endless_chunked_server() -> (String, tokio::task::JoinHandle<usize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/stream", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut head = Vec::new();
        let mut buffer = [0u8; 4096];
        while !head.windows(4).any(|window| window == b"\r\n\r\n") {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return 0,
                Ok(read) => head.extend_from_slice(&buffer[..read]),
            }
        }
        let header =
            b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(header).await.is_err() {
            return 0;
        }
        let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
        let mut written = 0;
        while written < ENDLESS_LIMIT {
            if socket.write_all(chunk.as_bytes()).await.is_err() {
                break;
            }
            written += 0x4000;
        }
        written
    });
    (url, task)
}

async fn streamed_body_stops_at_the_cap<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let (url, server) = endless_chunked_server().await;
    let transport = make(config().with_body_limit(100_000));
    let error = transport
        .send(get(&url))
        .await
        .expect_err("an endless body");
    assert_eq!(error, TransportError::body_too_large(100_000, 200));
    drop(transport);
    let written = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server notices the hang-up")
        .expect("server task");
    assert!(
        written < ENDLESS_LIMIT,
        "the client kept reading: {written} bytes"
    );
}

async fn truncated_body_is_not_retry_safe<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let sandbox = sandbox().await;
    let transport = make(config());
    let error = transport
        .send(with_fault(
            get(&format!("{}/__sandbox/echo", sandbox.base_url())),
            "truncate",
        ))
        .await
        .expect_err("half a body is no body");
    assert!(error.kind() == &ErrorKind::MaybeReceived, "{error:?}");
    assert!(!error.is_retry_safe());
    sandbox.shutdown().await;
}

async fn retrying_resends_only_unsent_requests<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let backend = make(config());
    let attempts = AtomicUsize::new(0);
    let counting = |request: Request<Bytes>| {
        attempts.fetch_add(1, Ordering::SeqCst);
        backend.send(request)
    };
    let retrying = Retrying::new(
        &counting,
        RetryConfig::default()
            .with_max_attempts(3)
            .with_initial_delay(Duration::from_millis(10))
            .with_max_delay(Duration::from_millis(50)),
    );

    let error = retrying
        .send(get(&format!("http://127.0.0.1:{}/", closed_port())))
        .await
        .expect_err("nothing listens");
    assert!(error.kind() == &ErrorKind::NotSent, "{error:?}");
    assert_eq!(attempts.swap(0, Ordering::SeqCst), 3);
    // The caller learns it was tried three times.
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.to_string(), "request not sent (after 3 attempts)");
    assert!(std::error::Error::source(&error).is_some(), "{error:?}");

    let sandbox = sandbox().await;
    sandbox.inject_fault("/__sandbox/echo", Fault::CloseBeforeResponse, 1);
    let error = retrying
        .send(post(
            &format!("{}/__sandbox/echo", sandbox.base_url()),
            "charge the card",
        ))
        .await
        .expect_err("the server hangs up");
    assert!(error.kind() == &ErrorKind::MaybeReceived, "{error:?}");
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    assert_eq!(sandbox.requests_received("/__sandbox/echo"), 1);
    sandbox.shutdown().await;
}

async fn retrying_over_paced_waits_out_a_429_and_resends<T: Transport>(
    make: impl Fn(TransportConfig) -> T,
) {
    let sandbox = sandbox().await;
    sandbox.inject_fault(
        "/__sandbox/echo",
        Fault::Status {
            status: 429,
            retry_after: Some("1".to_owned()),
        },
        1,
    );
    let stack = Retrying::new(
        Paced::new(
            make(config()),
            PaceConfig::per_second(NonZeroU32::new(50).unwrap()),
        ),
        RetryConfig::default()
            .with_initial_delay(Duration::from_millis(10))
            .with_max_delay(Duration::from_secs(2)),
    );
    let started = Instant::now();
    let response = stack
        .send(post(
            &format!("{}/__sandbox/echo", sandbox.base_url()),
            "lead",
        ))
        .await
        .expect("the resend succeeds");
    let elapsed = started.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json(&response)["body"], "lead");
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(sandbox.requests_received("/__sandbox/echo"), 2);
    sandbox.shutdown().await;
}

/// Every message of `error`, its `Debug` form, and every error of its source
/// chain (message and `Debug`).
fn everything_said(error: &TransportError) -> Vec<String> {
    let mut said = vec![error.to_string(), format!("{error:?}")];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        said.push(cause.to_string());
        said.push(format!("{cause:?}"));
        source = cause.source();
    }
    said
}

async fn failures_keep_their_source_but_no_secret<T: Transport>(
    make: impl Fn(TransportConfig) -> T,
) {
    let transport = make(config());
    let secret_request = |url: String| {
        Request::get(url)
            .header(header::AUTHORIZATION, "Bearer header-secret-4711")
            .body(Bytes::new())
            .expect("valid request")
    };
    // Refused: nothing listens.
    let refused = transport
        .send(secret_request(format!(
            "http://127.0.0.1:{}/api?token=query-secret-4711",
            closed_port()
        )))
        .await
        .expect_err("nothing listens");
    // Broken after sending.
    let sandbox = sandbox().await;
    sandbox.inject_fault("/__sandbox/echo", Fault::CloseBeforeResponse, 1);
    let broken = transport
        .send(secret_request(format!(
            "{}/__sandbox/echo?token=query-secret-4711",
            sandbox.base_url()
        )))
        .await
        .expect_err("the server hangs up");
    sandbox.shutdown().await;
    for error in [refused, broken] {
        assert!(
            std::error::Error::source(&error).is_some(),
            "the HTTP stack's error is kept: {error:?}"
        );
        for text in everything_said(&error) {
            assert!(!text.contains("query-secret-4711"), "{text}");
            assert!(!text.contains("token="), "{text}");
            assert!(!text.contains("header-secret-4711"), "{text}");
        }
    }
}

/// Every request's `Host` names its own URL's authority (the hyper backend
/// reuses the value it built for the authority before), and a `Host` the
/// caller set is sent as it is.
async fn host_names_the_authority_of_each_request<T: Transport>(
    make: impl Fn(TransportConfig) -> T,
) {
    let sandbox = sandbox().await;
    let transport = make(config());
    let port = sandbox.local_addr().port();
    let host_sent = |response: &Response<Bytes>| json(response)["headers"]["host"].clone();
    for host in [
        "127.0.0.1",
        "127.0.0.1",
        "localhost",
        "127.0.0.1",
        "localhost",
    ] {
        let response = transport
            .send(get(&format!("http://{host}:{port}/__sandbox/echo")))
            .await
            .expect("GET succeeds");
        assert_eq!(host_sent(&response), format!("{host}:{port}"));
    }
    let mut request = get(&format!("http://127.0.0.1:{port}/__sandbox/echo"));
    request
        .headers_mut()
        .insert(header::HOST, "virtual.test".parse().unwrap());
    let response = transport.send(request).await.expect("GET succeeds");
    assert_eq!(host_sent(&response), "virtual.test");
    sandbox.shutdown().await;
}

async fn plain_http_to_a_remote_host_is_refused<T: Transport>(make: impl Fn(TransportConfig) -> T) {
    let transport = make(config());
    let started = Instant::now();
    let error = transport
        .send(get("http://crm.example.com/api?key=secret"))
        .await
        .expect_err("plain http off loopback");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { reason } if reason.contains("crm.example.com")),
        "{error:?}"
    );
    assert!(!error.to_string().contains("secret"));
    // Refused before any IO (no DNS lookup of crm.example.com): well under
    // the 2 s connect timeout even on a loaded machine.
    assert!(started.elapsed() < Duration::from_secs(1));
}

macro_rules! conformance {
    ($($feature:literal: $backend:ident => $make:expr;)+) => {$(
        #[cfg(feature = $feature)]
        mod $backend {
            use super::*;

            fn make(config: TransportConfig) -> impl Transport {
                $make(config).expect("backend builds")
            }

            #[tokio::test]
            async fn get_and_post_round_trip() {
                super::get_and_post_round_trip(make).await;
            }

            #[tokio::test]
            async fn error_statuses_and_redirects_are_answers() {
                super::error_statuses_and_redirects_are_answers(make).await;
            }

            #[tokio::test]
            async fn post_redirects_are_not_followed() {
                super::post_redirects_are_not_followed(make).await;
            }

            #[tokio::test]
            async fn stalled_tls_handshake_is_a_connect_timeout() {
                super::stalled_tls_handshake_is_a_connect_timeout(make).await;
            }

            #[tokio::test]
            async fn refused_connection_is_not_sent() {
                super::refused_connection_is_not_sent(make).await;
            }

            #[tokio::test]
            async fn tls_handshake_failure_is_not_sent() {
                super::tls_handshake_failure_is_not_sent(make).await;
            }

            #[tokio::test]
            async fn close_before_response_is_maybe_received() {
                super::close_before_response_is_maybe_received(make).await;
            }

            #[tokio::test]
            async fn slow_answer_is_a_total_timeout() {
                super::slow_answer_is_a_total_timeout(make).await;
            }

            #[tokio::test]
            async fn body_over_the_cap_is_refused() {
                super::body_over_the_cap_is_refused(make).await;
            }

            #[tokio::test]
            async fn streamed_body_stops_at_the_cap() {
                super::streamed_body_stops_at_the_cap(make).await;
            }

            #[tokio::test]
            async fn truncated_body_is_not_retry_safe() {
                super::truncated_body_is_not_retry_safe(make).await;
            }

            #[tokio::test]
            async fn retrying_resends_only_unsent_requests() {
                super::retrying_resends_only_unsent_requests(make).await;
            }

            #[tokio::test]
            async fn retrying_over_paced_waits_out_a_429_and_resends() {
                super::retrying_over_paced_waits_out_a_429_and_resends(make).await;
            }

            #[tokio::test]
            async fn failures_keep_their_source_but_no_secret() {
                super::failures_keep_their_source_but_no_secret(make).await;
            }

            #[tokio::test]
            async fn host_names_the_authority_of_each_request() {
                super::host_names_the_authority_of_each_request(make).await;
            }

            #[tokio::test]
            async fn plain_http_to_a_remote_host_is_refused() {
                super::plain_http_to_a_remote_host_is_refused(make).await;
            }
        }
    )+};
}

conformance! {
    "reqwest": reqwest_backend => transport::ReqwestTransport::new;
    "hyper": hyper_backend => transport::HyperTransport::new;
}
