//! The per-request span carries method, host, path, status and duration, and
//! never a header value, a query string or a body, for every backend.

#![cfg(any(feature = "reqwest", feature = "hyper"))]

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::Request;
use sandbox::SandboxConfig;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use transport::{Transport, TransportConfig};

/// Everything the subscriber writes, kept for inspection.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const SECRETS: [&str; 4] = [
    "header-secret-value",
    "api-key-secret",
    "body-secret-text",
    "query-secret",
];

fn secret_request(url: &str) -> Request<Bytes> {
    Request::post(format!("{url}?token=query-secret"))
        .header("authorization", "Bearer header-secret-value")
        .header("x-api-key", "api-key-secret")
        .body(Bytes::from_static(b"body-secret-text"))
        .expect("valid request")
}

/// A port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local addr").port()
}

async fn logs_no_secrets<T: Transport>(transport: T) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = sandbox::start(SandboxConfig::new())
        .await
        .expect("sandbox starts");
    let response = transport
        .send(secret_request(&format!(
            "{}/__sandbox/echo",
            sandbox.base_url()
        )))
        .await
        .expect("echo answers");
    assert_eq!(response.status(), 200);
    // The server did get the secrets: only the logs must not show them.
    assert!(String::from_utf8_lossy(response.body()).contains("body-secret-text"));
    let refused = transport
        .send(secret_request(&format!(
            "http://127.0.0.1:{}/nowhere",
            closed_port()
        )))
        .await;
    assert!(refused.is_err());
    sandbox.shutdown().await;

    let logs = captured.text();
    for expected in [
        "http_request",
        "method=POST",
        "host=127.0.0.1",
        "path=/__sandbox/echo",
        "status=200",
        "duration_ms=",
        "path=/nowhere",
        "request failed",
    ] {
        assert!(logs.contains(expected), "missing {expected:?} in:\n{logs}");
    }
    for secret in SECRETS {
        assert!(!logs.contains(secret), "{secret:?} leaked into:\n{logs}");
    }
}

#[cfg(feature = "reqwest")]
#[tokio::test]
async fn reqwest_backend_logs_no_secrets() {
    logs_no_secrets(transport::ReqwestTransport::new(TransportConfig::default()).unwrap()).await;
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn hyper_backend_logs_no_secrets() {
    logs_no_secrets(transport::HyperTransport::new(TransportConfig::default()).unwrap()).await;
}
