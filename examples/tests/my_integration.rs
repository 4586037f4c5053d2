//! How you might test your own code against crmwire's sandbox: your function
//! (`record_callback`) talks to SecurityTrax through the facade; the tests
//! start the sandbox in-process on 127.0.0.1, inject faults, and check what
//! the service really received. Copy this file into your project's `tests/`
//! with `sandbox`, `facade` and `tokio` as dev-dependencies.

use std::sync::Arc;
use std::time::Duration;

use facade::securitytrax::{Client, CreateCustomerNote, Credentials, Endpoint, NoteType};
use facade::transport::{Backend, HttpTransport, TransportConfig};
use facade::{Fate, RetryConfig, Retrying};
use sandbox::securitytrax::SecurityTraxService;
use sandbox::{Fault, SandboxConfig, SandboxHandle};

// ---- your code ------------------------------------------------------------

/// What your application does: record that a customer asked to be called
/// back. Returns what is known when it fails, so the caller can decide.
async fn record_callback<T: facade::transport::Transport>(
    crm: &Client<T>,
    customer: &str,
) -> Result<(), Fate> {
    let note = CreateCustomerNote::new(
        customer,
        "Callback",
        "Asked to be called back",
        NoteType::Sales,
    );
    crm.add_customer_note(note)
        .await
        .map_err(|error| error.fate())
}

// ---- the tests ------------------------------------------------------------

const WRITES: &str = "/securitytrax/demo/informationposter.php";
const READS: &str = "/securitytrax/demo/informationrequester.php";

/// The sandbox with a SecurityTrax service we keep a handle on (to read what
/// it stored), and a client of it with short timeouts and quick retries.
async fn start() -> (
    SandboxHandle,
    Arc<SecurityTraxService>,
    Client<Retrying<HttpTransport>>,
) {
    let service = Arc::new(SecurityTraxService::demo());
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .expect("the sandbox starts on 127.0.0.1:0");
    let config = TransportConfig::default()
        .with_connect_timeout(Duration::from_secs(2))
        .with_total_timeout(Duration::from_secs(5));
    let http = HttpTransport::new(Backend::Reqwest, config).expect("the reqwest backend");
    let retries = RetryConfig::default()
        .with_max_attempts(3)
        .with_initial_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(100));
    let endpoint = Endpoint::new(
        &sandbox.service_url("securitytrax").expect("mounted"),
        "demo",
    )
    .expect("a valid endpoint");
    let credentials = Credentials::new("demo", "demo-password", "1001");
    let client = Client::new(endpoint, credentials, Retrying::new(http, retries));
    (sandbox, service, client)
}

/// Every test is bounded in time.
async fn bounded<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test finishes within 30 s")
}

#[tokio::test]
async fn the_note_arrives_once() {
    bounded(async {
        let (sandbox, service, crm) = start().await;
        record_callback(&crm, "9710").await.expect("recorded");
        assert_eq!(service.notes("9710").len(), 1);
        assert_eq!(sandbox.requests_received(WRITES), 1);
        sandbox.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_lost_answer_is_an_unknown_outcome_and_the_note_is_not_sent_twice() {
    bounded(async {
        let (sandbox, service, crm) = start().await;
        // The service stores the note, then the connection drops before its answer.
        sandbox.inject_fault(WRITES, Fault::CloseAfterProcessing, 1);

        assert_eq!(record_callback(&crm, "9710").await, Err(Fate::Unknown));
        // Your code must not resend blindly: the note is there, once.
        assert_eq!(service.notes("9710").len(), 1);
        assert_eq!(sandbox.requests_received(WRITES), 1);
        sandbox.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_busy_service_is_asked_again_for_a_read() {
    bounded(async {
        let (sandbox, _service, crm) = start().await;
        // One 503 on reads: a read is safe to send again, so the client does.
        sandbox.inject_fault(
            READS,
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            1,
        );

        let customer = crm
            .customer_status("9710")
            .await
            .expect("answered on the second try");
        assert_eq!(customer.security_trax_unique_id.as_deref(), Some("9710"));
        assert_eq!(sandbox.requests_received(READS), 2);
        sandbox.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_refused_login_is_the_services_answer() {
    bounded(async {
        let (sandbox, service, _) = start().await;
        let endpoint = Endpoint::new(
            &sandbox.service_url("securitytrax").expect("mounted"),
            "demo",
        )
        .expect("a valid endpoint");
        let wrong = Client::over_http(
            endpoint,
            Credentials::new("demo", "not-the-password", "1001"),
            Backend::Reqwest,
            TransportConfig::default(),
        )
        .expect("the reqwest backend");

        assert_eq!(record_callback(&wrong, "9710").await, Err(Fate::Answered));
        assert!(service.notes("9710").is_empty());
        sandbox.shutdown().await;
    })
    .await;
}
