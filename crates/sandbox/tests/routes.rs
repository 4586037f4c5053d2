//! The built-in routes, service mounting, body cap and the request log.

mod common;

use std::sync::Arc;

use common::{CountingService, get, send};
use sandbox::{SandboxConfig, SandboxError, Service};

#[tokio::test]
async fn health_answers_ok_and_refuses_other_methods() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let ok = get(sandbox.local_addr(), "/__sandbox/health", &[]).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.text(), "ok");

    let refused = send(sandbox.local_addr(), "POST", "/__sandbox/health", &[], b"x").await;
    assert_eq!(refused.status, 405);
    assert_eq!(refused.header("allow"), Some("GET, HEAD"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn base_url_is_loopback_without_trailing_slash() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let addr = sandbox.local_addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(
        sandbox.base_url(),
        format!("http://127.0.0.1:{}", addr.port())
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn echo_reflects_the_request_and_redacts_secret_headers() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let answer = send(
        sandbox.local_addr(),
        "PUT",
        "/__sandbox/echo?site=acme&x=1",
        &[
            ("content-type", "text/plain"),
            ("authorization", "Bearer s3cr3t-bearer"),
            ("cookie", "session=s3cr3t-cookie"),
            ("netoapi_key", "s3cr3t-neto"),
            ("x_secret_key", "s3cr3t-x"),
            ("x-api-key", "s3cr3t-api"),
            ("x-auth-token", "s3cr3t-token"),
            ("x-user-password", "s3cr3t-password"),
            ("x-trace", "a"),
            ("x-trace", "b"),
        ],
        "héllo body".as_bytes(),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert!(
        !answer.text().contains("s3cr3t"),
        "a secret leaked: {}",
        answer.text()
    );
    let echo = answer.json();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["path"], "/__sandbox/echo");
    assert_eq!(echo["query"], "site=acme&x=1");
    assert_eq!(echo["body"], "héllo body");
    let headers = &echo["headers"];
    assert_eq!(headers["content-type"], "text/plain");
    assert_eq!(headers["x-trace"], "a, b");
    for secret in [
        "authorization",
        "cookie",
        "netoapi_key",
        "x_secret_key",
        "x-api-key",
        "x-auth-token",
        "x-user-password",
    ] {
        assert_eq!(headers[secret], "<redacted>", "{secret}");
    }
    sandbox.shutdown().await;
}

/// A service whose secret header does not look like one.
struct PartnerService;

impl Service for PartnerService {
    fn name(&self) -> &'static str {
        "partner"
    }

    fn handle(
        &self,
        _path: &str,
        _request: http::Request<bytes::Bytes>,
    ) -> http::Response<bytes::Bytes> {
        http::Response::new(bytes::Bytes::new())
    }

    fn secret_headers(&self) -> &'static [&'static str] {
        &["X-Partner-Pass"]
    }
}

#[tokio::test]
async fn echo_hides_the_headers_a_mounted_service_declares_secret() {
    let headers = [("x-partner-pass", "s3cr3t-partner"), ("x-trace", "t")];
    let bare = sandbox::start(SandboxConfig::new()).await.unwrap();
    let shown = send(bare.local_addr(), "GET", "/__sandbox/echo", &headers, b"")
        .await
        .json();
    // Nobody declared it and its name does not look secret: shown as sent.
    assert_eq!(shown["headers"]["x-partner-pass"], "s3cr3t-partner");
    bare.shutdown().await;

    let mounted = sandbox::start(SandboxConfig::new().service(Arc::new(PartnerService)))
        .await
        .unwrap();
    let answer = send(
        mounted.local_addr(),
        "GET",
        "/__sandbox/echo",
        &headers,
        b"",
    )
    .await;
    assert!(!answer.text().contains("s3cr3t"), "{}", answer.text());
    let echo = answer.json();
    assert_eq!(echo["headers"]["x-partner-pass"], "<redacted>");
    assert_eq!(echo["headers"]["x-trace"], "t");
    mounted.shutdown().await;
}

#[tokio::test]
async fn echo_shows_an_empty_query_and_lossy_body() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let echo = send(
        sandbox.local_addr(),
        "POST",
        "/__sandbox/echo",
        &[],
        b"a\xffb",
    )
    .await
    .json();
    assert_eq!(echo["query"], "");
    assert_eq!(echo["body"], "a\u{fffd}b");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bytes_route_sends_n_bytes_with_content_length() {
    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let answer = get(sandbox.local_addr(), "/__sandbox/bytes/100000", &[]).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_length(), Some(100_000));
    assert_eq!(answer.body.len(), 100_000);
    assert!(answer.body.iter().all(|b| *b == b'x'));

    let empty = get(sandbox.local_addr(), "/__sandbox/bytes/0", &[]).await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.content_length(), Some(0));
    assert!(empty.body.is_empty());

    let bad = get(sandbox.local_addr(), "/__sandbox/bytes/lots", &[]).await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("`lots`"), "{}", bad.text());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let sandbox = sandbox::start(SandboxConfig::new().service(CountingService::new()))
        .await
        .unwrap();
    let builtin = get(sandbox.local_addr(), "/__sandbox/nope", &[]).await;
    assert_eq!(builtin.status, 404);
    assert!(builtin.text().contains("/__sandbox/nope"));

    let other = get(sandbox.local_addr(), "/securitytrax/x", &[]).await;
    assert_eq!(other.status, 404);
    assert!(
        other.text().contains("counting"),
        "names the mounted services: {}",
        other.text()
    );

    let near_miss = get(sandbox.local_addr(), "/countingx/y", &[]).await;
    assert_eq!(near_miss.status, 404);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn services_get_the_path_after_their_name() {
    let service = CountingService::new();
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .unwrap();
    assert_eq!(sandbox.service_names(), ["counting"]);
    assert_eq!(
        sandbox.service_url("counting"),
        Some(format!("{}/counting", sandbox.base_url()))
    );
    assert_eq!(sandbox.service_url("missing"), None);

    let answer = send(
        sandbox.local_addr(),
        "POST",
        "/counting/notes/1?x=y",
        &[],
        b"note",
    )
    .await;
    assert_eq!(answer.status, 201);
    let json = answer.json();
    assert_eq!(json["path"], "/notes/1");
    assert_eq!(json["query"], "x=y");
    assert_eq!(json["body"], "note");

    let root = get(sandbox.local_addr(), "/counting", &[]).await.json();
    assert_eq!(root["path"], "/");
    assert_eq!(service.calls(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_panicking_service_gets_500_and_the_sandbox_keeps_serving() {
    let sandbox = sandbox::start(SandboxConfig::new().service(CountingService::new()))
        .await
        .unwrap();
    let answer = get(sandbox.local_addr(), "/counting/panic", &[]).await;
    assert_eq!(answer.status, 500);
    assert!(
        answer.text().contains("`counting` panicked"),
        "{}",
        answer.text()
    );
    assert_eq!(
        get(sandbox.local_addr(), "/counting/ok", &[]).await.status,
        201
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn request_bodies_over_the_cap_get_413_and_are_not_counted() {
    let sandbox = sandbox::start(SandboxConfig::new().max_request_body(16))
        .await
        .unwrap();
    let addr = sandbox.local_addr();

    let at_cap = send(addr, "POST", "/__sandbox/echo", &[], &[b'a'; 16]).await;
    assert_eq!(at_cap.status, 200);

    // Declared too large: refused before the body is read.
    let declared = common::exchange_raw(
        addr,
        b"POST /__sandbox/echo HTTP/1.1\r\nhost: t\r\ncontent-length: 17\r\nconnection: close\r\n\r\n",
    )
    .await;
    let declared = common::parse(&declared).expect("a 413 answer");
    assert_eq!(declared.status, 413);
    assert!(declared.text().contains("16 bytes"), "{}", declared.text());

    // Chunked, growing past the cap while it is read.
    let chunked = common::exchange_raw(
        addr,
        b"POST /__sandbox/echo HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n\
          a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n",
    )
    .await;
    assert_eq!(common::parse(&chunked).expect("a 413 answer").status, 413);

    assert_eq!(sandbox.requests_received("/__sandbox/echo"), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn requests_received_counts_per_path_prefix() {
    let sandbox = sandbox::start(SandboxConfig::new().service(CountingService::new()))
        .await
        .unwrap();
    let addr = sandbox.local_addr();
    get(addr, "/counting/a", &[]).await;
    get(addr, "/counting/a?page=2", &[]).await;
    get(addr, "/counting/b", &[]).await;
    get(addr, "/__sandbox/health", &[]).await;
    assert_eq!(sandbox.requests_received("/counting/"), 3);
    assert_eq!(sandbox.requests_received("/counting/a"), 2);
    assert_eq!(sandbox.requests_received("/__sandbox/health"), 1);
    assert_eq!(sandbox.requests_received("/elsewhere"), 0);
    sandbox.shutdown().await;
}

struct Named(&'static str);

impl Service for Named {
    fn name(&self) -> &'static str {
        self.0
    }

    fn handle(
        &self,
        _path: &str,
        _request: http::Request<bytes::Bytes>,
    ) -> http::Response<bytes::Bytes> {
        http::Response::new(bytes::Bytes::new())
    }
}

#[tokio::test]
async fn service_names_that_cannot_be_routed_are_refused() {
    for (name, rule) in [
        ("", "must not be empty"),
        ("__sandbox", "must not start with `__`"),
        ("a/b", "ASCII letters, digits"),
    ] {
        let err = sandbox::start(SandboxConfig::new().service(Arc::new(Named(name))))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, SandboxError::InvalidServiceName { name: n, .. } if n == name),
            "{err:?}"
        );
        assert!(err.to_string().contains(rule), "{err}");
    }
    let err = sandbox::start(
        SandboxConfig::new()
            .service(Arc::new(Named("twice")))
            .service(Arc::new(Named("twice"))),
    )
    .await
    .unwrap_err();
    assert!(matches!(&err, SandboxError::DuplicateService { name } if name == "twice"));
}

#[tokio::test]
async fn binding_a_busy_address_is_a_bind_error_naming_it() {
    let first = sandbox::start(SandboxConfig::new()).await.unwrap();
    let err = sandbox::start(SandboxConfig::new().addr(first.local_addr()))
        .await
        .unwrap_err();
    assert!(matches!(err, SandboxError::Bind { addr, .. } if addr == first.local_addr()));
    assert!(err.to_string().contains(&first.local_addr().to_string()));
    first.shutdown().await;
}

#[tokio::test]
async fn a_client_that_vanishes_mid_body_gets_no_answer_and_is_not_counted() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let sandbox = sandbox::start(SandboxConfig::new()).await.unwrap();
    let answer = tokio::time::timeout(common::STEP_TIMEOUT, async {
        let mut stream = tokio::net::TcpStream::connect(sandbox.local_addr()).await.unwrap();
        stream
            .write_all(b"POST /__sandbox/echo HTTP/1.1\r\nhost: t\r\ncontent-length: 100\r\n\r\nonly ten b")
            .await
            .unwrap();
        stream.shutdown().await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        answer
    })
    .await
    .expect("bounded");
    assert!(answer.is_empty(), "{:?}", String::from_utf8_lossy(&answer));
    assert_eq!(sandbox.requests_received("/__sandbox/echo"), 0);
    sandbox.shutdown().await;
}
