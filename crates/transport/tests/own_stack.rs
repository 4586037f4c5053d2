//! Bringing your own HTTP stack, over loopback against the in-process
//! sandbox: a `reqwest::Client` of your own, and any `tower::Service`.

use std::convert::Infallible;
use std::error::Error as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use sandbox::{SandboxConfig, SandboxHandle};
use tower_service::Service;
use transport::{ErrorKind, ServiceTransport, Transport, TransportConfig, TransportError};

async fn sandbox() -> SandboxHandle {
    sandbox::start(SandboxConfig::new())
        .await
        .expect("sandbox starts")
}

fn config() -> TransportConfig {
    TransportConfig::default()
        .with_connect_timeout(Duration::from_secs(2))
        .with_total_timeout(Duration::from_secs(5))
}

fn get(url: &str) -> Request<Bytes> {
    Request::get(url).body(Bytes::new()).expect("valid request")
}

fn json(response: &Response<Bytes>) -> serde_json::Value {
    serde_json::from_slice(response.body()).expect("echo answers JSON")
}

/// A port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local addr").port()
}

#[cfg(feature = "reqwest")]
mod reqwest_client {
    use transport::ReqwestTransport;

    use super::*;

    /// A client of the user's own, with a header of its own on every request.
    fn users_client() -> reqwest::Client {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-tenant", "acme".parse().expect("valid value"));
        // reqwest is built without a default crypto provider here; a user
        // brings theirs.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .default_headers(headers)
            .no_proxy()
            .build()
            .expect("client builds")
    }

    #[tokio::test]
    async fn the_users_client_settings_and_transports_rules_both_apply() {
        let sandbox = sandbox().await;
        let transport =
            ReqwestTransport::from_client(users_client(), config().with_body_limit(1000));
        let echo = transport
            .send(get(&format!("{}/__sandbox/echo", sandbox.base_url())))
            .await
            .expect("an answer");
        assert_eq!(echo.status(), 200);
        let headers = &json(&echo)["headers"];
        // The client's own default header, and transport's default User-Agent.
        assert_eq!(headers["x-tenant"], "acme");
        assert_eq!(
            headers["user-agent"],
            concat!("crmwire/", env!("CARGO_PKG_VERSION"))
        );
        // The body cap still applies.
        let error = transport
            .send(get(&format!("{}/__sandbox/bytes/1001", sandbox.base_url())))
            .await
            .expect_err("over the cap");
        assert_eq!(error, TransportError::body_too_large(1000, 200));
        sandbox.shutdown().await;

        // So does the classification, with reqwest's error as the source.
        let error = transport
            .send(get(&format!("http://127.0.0.1:{}/", closed_port())))
            .await
            .expect_err("nothing listens");
        assert_eq!(error.kind(), &ErrorKind::NotSent);
        assert!(
            error
                .source()
                .is_some_and(|source| source.is::<reqwest::Error>()),
            "{error:?}"
        );
    }
}

/// The user's stack: hyper-util's pooled client, behind a service that takes
/// `Request<Bytes>`, and says "not sent" itself for connect failures.
#[derive(Clone)]
struct HyperStack {
    client: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        Full<Bytes>,
    >,
}

impl HyperStack {
    fn new() -> Self {
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http();
        Self { client }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Service<Request<Bytes>> for HyperStack {
    type Response = Response<hyper::body::Incoming>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Service::<Request<Full<Bytes>>>::poll_ready(&mut self.client, cx).map_err(Into::into)
    }

    fn call(&mut self, request: Request<Bytes>) -> Self::Future {
        let sending = self.client.request(request.map(Full::new));
        Box::pin(async move {
            sending.await.map_err(|error| -> BoxError {
                if error.is_connect() {
                    Box::new(TransportError::not_sent(error))
                } else {
                    Box::new(error)
                }
            })
        })
    }
}

#[tokio::test]
async fn a_tower_service_is_a_transport_under_transports_rules() {
    let sandbox = sandbox().await;
    let transport = ServiceTransport::new(HyperStack::new(), config().with_body_limit(1000));
    let request = Request::post(format!("{}/__sandbox/echo", sandbox.base_url()))
        .body(Bytes::from_static(b"hello"))
        .expect("valid request");
    let echo = transport.send(request).await.expect("an answer");
    assert_eq!(echo.status(), 200);
    assert_eq!(json(&echo)["body"], "hello");

    let exact = transport
        .send(get(&format!("{}/__sandbox/bytes/1000", sandbox.base_url())))
        .await
        .expect("at the cap");
    assert_eq!(exact.body().len(), 1000);
    let error = transport
        .send(get(&format!("{}/__sandbox/bytes/5000", sandbox.base_url())))
        .await
        .expect_err("over the cap");
    assert_eq!(error, TransportError::body_too_large(1000, 200));

    // The request checks apply before the service sees anything.
    let error = transport
        .send(get("http://crm.example.com/x"))
        .await
        .expect_err("plain http off loopback");
    assert!(matches!(error.kind(), ErrorKind::InvalidRequest { .. }));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_transport_error_from_the_service_is_kept_and_others_are_cautious() {
    // The stack says "not sent" itself for a refused connection.
    let transport = ServiceTransport::new(HyperStack::new(), config());
    let error = transport
        .send(get(&format!("http://127.0.0.1:{}/", closed_port())))
        .await
        .expect_err("nothing listens");
    assert_eq!(error.kind(), &ErrorKind::NotSent);
    assert!(error.is_retry_safe());
    assert!(
        error
            .source()
            .is_some_and(|source| source.is::<hyper_util::client::legacy::Error>()),
        "{error:?}"
    );

    // Any other error of `call`: outcome unknown, source kept.
    let failing = ServiceTransport::new(Scripted::failing_call(), config());
    let error = failing
        .send(get("https://crm.example.com/"))
        .await
        .expect_err("the call fails");
    assert_eq!(error.kind(), &ErrorKind::MaybeReceived);
    assert_eq!(
        error.source().map(ToString::to_string).as_deref(),
        Some("lost")
    );
}

/// A service driven by a script: `pending` times `Pending` from `poll_ready`
/// (waking at once), then a readiness error or readiness; `call` answers
/// `ok` or fails. Counts its `poll_ready` and `call` invocations across
/// clones.
#[derive(Clone)]
struct Scripted {
    pending: usize,
    not_ready: bool,
    call_fails: bool,
    polls: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
    ready_before_call: Arc<AtomicUsize>,
    ready: bool,
}

impl Scripted {
    fn new(pending: usize, not_ready: bool, call_fails: bool) -> Self {
        Self {
            pending,
            not_ready,
            call_fails,
            polls: Arc::default(),
            calls: Arc::default(),
            ready_before_call: Arc::default(),
            ready: false,
        }
    }

    fn failing_call() -> Self {
        Self::new(0, false, true)
    }
}

impl Service<Request<Bytes>> for Scripted {
    type Response = Response<Full<Bytes>>;
    type Error = BoxError;
    type Future = std::future::Ready<Result<Self::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        if self.pending > 0 {
            self.pending -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if self.not_ready {
            return Poll::Ready(Err("the stack is shut down".into()));
        }
        self.ready = true;
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: Request<Bytes>) -> Self::Future {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.ready {
            self.ready_before_call.fetch_add(1, Ordering::SeqCst);
        }
        self.ready = false;
        std::future::ready(if self.call_fails {
            Err("lost".into())
        } else {
            Ok(Response::new(Full::new(Bytes::from_static(b"ok"))))
        })
    }
}

#[tokio::test]
async fn readiness_is_awaited_before_every_call() {
    let service = Scripted::new(2, false, false);
    let (polls, calls, ready) = (
        Arc::clone(&service.polls),
        Arc::clone(&service.calls),
        Arc::clone(&service.ready_before_call),
    );
    let transport = ServiceTransport::new(service, config());
    for _ in 0..2 {
        let response = transport
            .send(get("https://crm.example.com/"))
            .await
            .expect("an answer");
        assert_eq!(response.body(), "ok");
    }
    // Each request uses its own clone: two pending polls, then ready; every
    // call came after readiness.
    assert_eq!(polls.load(Ordering::SeqCst), 6);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(ready.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_readiness_error_means_the_request_was_not_sent() {
    let service = Scripted::new(0, true, false);
    let calls = Arc::clone(&service.calls);
    let transport = ServiceTransport::new(service, config());
    let error = transport
        .send(get("https://crm.example.com/"))
        .await
        .expect_err("never ready");
    assert_eq!(error.kind(), &ErrorKind::NotSent);
    assert_eq!(
        error.source().map(ToString::to_string).as_deref(),
        Some("the stack is shut down")
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_infallible_service_works_too() {
    #[derive(Clone)]
    struct Hello;
    impl Service<Request<Bytes>> for Hello {
        type Response = Response<Full<Bytes>>;
        type Error = Infallible;
        type Future = std::future::Ready<Result<Self::Response, Infallible>>;
        fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, request: Request<Bytes>) -> Self::Future {
            std::future::ready(Ok(Response::new(Full::new(request.into_body()))))
        }
    }
    let transport = ServiceTransport::new(Hello, config());
    let request = Request::post("https://crm.example.com/")
        .body(Bytes::from_static(b"ping"))
        .expect("valid request");
    // Through a reference, as the crate's other transports.
    async fn call(transport: impl Transport, request: Request<Bytes>) -> Response<Bytes> {
        transport.send(request).await.expect("an answer")
    }
    assert_eq!(call(&transport, request).await.body(), "ping");
}
