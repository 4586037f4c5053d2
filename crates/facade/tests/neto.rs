//! The Neto client end to end against the in-process sandbox, over both HTTP
//! backends and both wire formats, and the pacing that keeps it under the
//! service's rate limit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use facade::neto::{
    Client, Codec, Credentials, CustomerLogUpdate, Endpoint, LogStatus, NetoDateTime,
    NewCustomerLog, WireFormat, pace_under,
};
use facade::transport::{Backend, HttpTransport, Paced, Transport, TransportConfig};
use facade::{Error, Fate, RetryConfig, Retrying, ServiceError};
use sandbox::neto::{DEMO_API_KEY, DEMO_API_USERNAME, DEMO_STORE, NetoConfig, NetoService};
use sandbox::{Fault, SandboxConfig, SandboxHandle};

const PATH: &str = "/neto/demo/do/WS/NetoAPI";

async fn start(config: NetoConfig) -> (SandboxHandle, Arc<NetoService>) {
    let service = Arc::new(NetoService::new(config));
    let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
        .await
        .expect("the sandbox starts on 127.0.0.1:0");
    (sandbox, service)
}

fn http(backend: Backend) -> HttpTransport {
    let config = TransportConfig::default()
        .with_connect_timeout(Duration::from_secs(2))
        .with_total_timeout(Duration::from_secs(5));
    HttpTransport::new(backend, config).expect("the backend is compiled in")
}

fn codec(sandbox: &SandboxHandle, format: WireFormat, key: &str) -> Codec {
    let base = format!("{}/{DEMO_STORE}", sandbox.service_url("neto").unwrap());
    Codec::new(
        Endpoint::under(&base).unwrap(),
        Credentials::api_key(DEMO_API_USERNAME, key.to_owned()),
        format,
    )
}

fn client<T: Transport>(sandbox: &SandboxHandle, format: WireFormat, transport: T) -> Client<T> {
    Client::new(codec(sandbox, format, DEMO_API_KEY), transport)
}

fn retrying(backend: Backend) -> Retrying<HttpTransport> {
    let retries = RetryConfig::default()
        .with_max_attempts(3)
        .with_initial_delay(Duration::from_millis(20))
        .with_max_delay(Duration::from_millis(200));
    Retrying::new(http(backend), retries)
}

fn log(notes: &str) -> NewCustomerLog {
    NewCustomerLog {
        username: Some("jo.citizen".into()),
        notes: Some(notes.into()),
        status: Some(LogStatus::RequireRecontact),
        last_contacted: NetoDateTime::parse("2026-11-02 09:30:00").unwrap(),
        ..NewCustomerLog::default()
    }
}

async fn add_update_and_read_back_in_both_formats(backend: Backend) {
    let (sandbox, service) = start(NetoConfig::demo()).await;
    for format in [WireFormat::Xml, WireFormat::Json] {
        let client = client(&sandbox, format, retrying(backend));
        let added = client
            .add_logs(vec![log("first"), log("second")])
            .await
            .expect("added");
        assert_eq!(added.output.log_ids.len(), 2);
        let id = added.output.log_ids[0];
        client
            .update_logs(vec![CustomerLogUpdate {
                log_id: id.to_string(),
                status: Some(LogStatus::Completed),
                ..CustomerLogUpdate::default()
            }])
            .await
            .expect("updated");
        let read = client.logs_of("jo.citizen").await.expect("read");
        let logs = &read.output.customers[0].logs;
        let updated = logs.iter().find(|l| l.log_id == Some(id)).expect("the log");
        assert_eq!(updated.status, Some(LogStatus::Completed));
        assert_eq!(updated.notes.as_deref(), Some("first"));
    }
    assert_eq!(service.logs(DEMO_STORE).len(), 4);
    sandbox.shutdown().await;
}

async fn a_refusal_carries_every_message_and_a_warning_is_a_result(backend: Backend) {
    let (sandbox, service) = start(NetoConfig::demo()).await;
    let client = client(&sandbox, WireFormat::Json, retrying(backend));
    let error = client
        .update_logs(vec![CustomerLogUpdate {
            log_id: "424242".into(),
            notes: Some("x".into()),
            ..CustomerLogUpdate::default()
        }])
        .await
        .expect_err("an unknown LogID is refused");
    assert_eq!(error.fate(), Fate::Answered);
    let Error::Refused {
        service: ServiceError::Neto(failure),
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(failure.errors[0].message, "Invalid LogID");
    assert!(error.to_string().contains("Neto"), "{error}");

    let warned = client
        .add_logs(vec![NewCustomerLog {
            notes: Some("no customer".into()),
            ..NewCustomerLog::default()
        }])
        .await
        .expect("a warning is not a failure");
    assert_eq!(warned.warnings.len(), 1);
    assert_eq!(service.logs(DEMO_STORE).len(), 1);
    sandbox.shutdown().await;
}

async fn invalid_input_never_sends_anything(backend: Backend) {
    let (sandbox, _) = start(NetoConfig::demo()).await;
    let client = client(&sandbox, WireFormat::Xml, retrying(backend));
    let error = client
        .add_logs(vec![
            log("ok"),
            NewCustomerLog {
                follow_up_type: Some("x".repeat(51)),
                ..NewCustomerLog::default()
            },
        ])
        .await
        .expect_err("invalid");
    assert_eq!(error.fate(), Fate::Rejected);
    assert_eq!(
        error
            .violations()
            .expect("violations")
            .iter()
            .next()
            .unwrap()
            .to_string(),
        "log 1: field `FollowUpType` must be at most 50 characters"
    );
    assert_eq!(sandbox.requests_received(PATH), 0);
    sandbox.shutdown().await;
}

async fn a_wrong_key_is_refused_and_never_shown(backend: Backend) {
    let (sandbox, _) = start(NetoConfig::demo()).await;
    let client = Client::new(
        codec(&sandbox, WireFormat::Xml, "wrong-key-123"),
        retrying(backend),
    );
    let error = client.logs_of("jo.citizen").await.expect_err("refused");
    assert_eq!(error.fate(), Fate::Answered);
    assert!(!format!("{error:?} {error}").contains("wrong-key-123"));
    let preview = client
        .preview(&facade::neto::GetCustomer::logs_of("jo"))
        .unwrap();
    assert_eq!(preview.headers()["NETOAPI_KEY"], "[redacted]");
    sandbox.shutdown().await;
}

async fn an_add_whose_connection_closes_is_sent_once_and_of_unknown_outcome(backend: Backend) {
    let (sandbox, service) = start(NetoConfig::demo()).await;
    sandbox.inject_fault(PATH, Fault::CloseAfterProcessing, 3);
    let client = client(&sandbox, WireFormat::Json, retrying(backend));
    let error = client
        .add_logs(vec![log("once")])
        .await
        .expect_err("no answer");
    assert_eq!(error.fate(), Fate::Unknown);
    assert_eq!(
        sandbox.requests_received(PATH),
        1,
        "a log is never resent blindly"
    );
    assert_eq!(service.logs(DEMO_STORE).len(), 1, "it was stored once");
    sandbox.clear_faults();
    // A read answered 503 is retried.
    sandbox.inject_fault(
        PATH,
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        1,
    );
    client
        .logs_of("jo.citizen")
        .await
        .expect("the retry succeeds");
    sandbox.shutdown().await;
}

/// Many concurrent callers share one paced client: the sandbox (scaled down
/// to 20 requests per 400 ms) never answers 429.
async fn pacing_keeps_every_caller_under_the_limit(backend: Backend) {
    const LIMIT: u32 = 20;
    const WINDOW: Duration = Duration::from_millis(400);
    const CALLS: usize = 90;
    const CALLERS: usize = 12;
    let (sandbox, _) = start(NetoConfig::demo().rate_limit(LIMIT, WINDOW)).await;
    // Paced only, no retries: a 429 would surface as an error.
    let client = Arc::new(client(
        &sandbox,
        WireFormat::Json,
        Paced::new(http(backend), pace_under(LIMIT, WINDOW)),
    ));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for caller in 0..CALLERS {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut results = Vec::new();
            for _ in (caller..CALLS).step_by(CALLERS) {
                results.push(client.logs_of("jo.citizen").await.map(|_| ()));
            }
            results
        }));
    }
    let mut too_many = 0;
    let mut done = 0;
    for task in tasks {
        for result in task.await.expect("caller") {
            match result {
                Ok(()) => done += 1,
                Err(Error::HttpStatus { status: 429, .. }) => too_many += 1,
                Err(other) => panic!("{other}"),
            }
        }
    }
    assert_eq!((done, too_many), (CALLS, 0));
    assert_eq!(sandbox.requests_received(PATH), CALLS);
    // 90 calls at 20 per 408 ms cannot take less than 4 windows.
    assert!(started.elapsed() >= WINDOW * 4, "{:?}", started.elapsed());
    sandbox.shutdown().await;
}

/// Without pacing the same load meets the limit: the test above can fail.
async fn without_pacing_the_same_load_meets_429(backend: Backend) {
    let (sandbox, _) = start(NetoConfig::demo().rate_limit(20, Duration::from_secs(5))).await;
    let client = client(&sandbox, WireFormat::Json, http(backend));
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(match client.logs_of("jo.citizen").await {
            Ok(_) => 200,
            Err(Error::HttpStatus { status, .. }) => status,
            Err(other) => panic!("{other}"),
        });
    }
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 5);
    sandbox.shutdown().await;
}

macro_rules! suite {
    ($module:ident, $backend:expr, [$($test:ident),* $(,)?]) => {
        mod $module {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    tokio::time::timeout(std::time::Duration::from_secs(30), super::$test($backend))
                        .await
                        .expect("the test finishes within 30 s");
                }
            )*
        }
    };
}

macro_rules! both_backends {
    ($($test:ident),* $(,)?) => {
        suite!(over_reqwest, facade::transport::Backend::Reqwest, [$($test),*]);
        suite!(over_hyper, facade::transport::Backend::Hyper, [$($test),*]);
    };
}

both_backends!(
    add_update_and_read_back_in_both_formats,
    a_refusal_carries_every_message_and_a_warning_is_a_result,
    invalid_input_never_sends_anything,
    a_wrong_key_is_refused_and_never_shown,
    an_add_whose_connection_closes_is_sent_once_and_of_unknown_outcome,
    pacing_keeps_every_caller_under_the_limit,
    without_pacing_the_same_load_meets_429,
);
