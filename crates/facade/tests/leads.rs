//! The lead client against the in-process sandbox on 127.0.0.1:0, over both
//! HTTP backends: chunks, per-lead outcomes, and what a lost answer means.

use std::sync::Arc;
use std::time::Duration;

use facade::leads::{Customer, Endpoint, Lead, LeadClient, Mode};
use facade::transport::{Backend, HttpTransport, TransportConfig};
use facade::{Error, Fate, RetryConfig, Retrying};
use sandbox::securitytrax::{DEMO_SITE, FIRST_CUSTOMER_ID, SecurityTraxService};
use sandbox::{Fault, SandboxConfig, SandboxHandle};

const LEADS: &str = "/securitytrax/demo/leadpostxml.php";

struct Harness {
    sandbox: SandboxHandle,
    service: Arc<SecurityTraxService>,
    backend: Backend,
}

impl Harness {
    async fn start(backend: Backend) -> Self {
        let service = Arc::new(SecurityTraxService::demo());
        let sandbox = sandbox::start(SandboxConfig::new().service(service.clone()))
            .await
            .expect("the sandbox starts on 127.0.0.1:0");
        Self {
            sandbox,
            service,
            backend,
        }
    }

    fn client(&self, chunk_size: usize) -> LeadClient<Retrying<HttpTransport>> {
        let config = TransportConfig::default()
            .with_connect_timeout(Duration::from_secs(2))
            .with_total_timeout(Duration::from_secs(5));
        let http = HttpTransport::new(self.backend, config).expect("the backend is compiled in");
        let base_url = self.sandbox.service_url("securitytrax").expect("mounted");
        let retries = RetryConfig::default()
            .with_max_attempts(3)
            .with_initial_delay(Duration::from_millis(20))
            .with_max_delay(Duration::from_millis(200));
        LeadClient::new(
            Endpoint::new(&base_url, DEMO_SITE).unwrap(),
            Retrying::new(http, retries),
        )
        .with_chunk_size(chunk_size)
    }
}

fn lead(id: &str) -> Lead {
    Lead {
        source_id: Some("77".into()),
        fname: Some("Sue".into()),
        lname: Some("Doe".into()),
        city: Some("Notus".into()),
        state: Some("id".into()),
        phone1: Some("(801) 312-7735".into()),
        lead_company_unique_id: Some(id.into()),
        ..Lead::default()
    }
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("L-{i}")).collect()
}

async fn chunks_of_leads_each_arrive_once(backend: Backend) {
    let harness = Harness::start(backend).await;
    let mut leads: Vec<Lead> = ids(7).iter().map(|id| lead(id)).collect();
    leads[3].phone1 = Some("call me".into());
    let report = harness.client(2).post(&leads).await;
    assert_eq!(report.requests_sent(), 3, "6 valid leads in chunks of 2");
    assert_eq!(report.accepted(), 6);
    let invalid = report.outcomes()[3].as_ref().unwrap_err();
    assert_eq!(invalid.fate(), Fate::Rejected);
    assert!(
        invalid
            .violations()
            .unwrap()
            .to_string()
            .contains("lead 3 (L-3): field `phone1`")
    );
    let customer_ids: Vec<String> = report
        .outcomes()
        .iter()
        .filter_map(|o| o.as_ref().ok()?.customer_id.clone())
        .collect();
    let expected: Vec<String> = (0..6)
        .map(|i| (FIRST_CUSTOMER_ID + i).to_string())
        .collect();
    assert_eq!(customer_ids, expected, "ids in order");
    let arrivals = harness.sandbox.lead_arrivals();
    assert_eq!(arrivals.len(), 6);
    assert!(arrivals.values().all(|&n| n == 1), "{arrivals:?}");
    assert!(!arrivals.contains_key("L-3"));
    // Normalised before sending.
    let kept = harness.service.posted_leads();
    assert_eq!(kept[0].record.state.as_deref(), Some("ID"));
    assert_eq!(kept[0].record.phone1.as_deref(), Some("8013127735"));
    harness.sandbox.shutdown().await;
}

async fn a_lost_answer_makes_its_chunk_unknown_and_stops_the_rest(backend: Backend) {
    let harness = Harness::start(backend).await;
    let leads: Vec<Lead> = ids(6).iter().map(|id| lead(id)).collect();
    // The first post is answered; the second is processed but its answer lost.
    harness
        .sandbox
        .inject_fault(LEADS, Fault::Delay(Duration::ZERO), 1);
    harness
        .sandbox
        .inject_fault(LEADS, Fault::CloseAfterProcessing, 1);
    let report = harness.client(2).post(&leads).await;
    let fates: Vec<Option<Fate>> = report
        .outcomes()
        .iter()
        .map(|o| o.as_ref().err().map(Error::fate))
        .collect();
    assert_eq!(
        fates,
        [
            None,
            None,
            Some(Fate::Unknown),
            Some(Fate::Unknown),
            Some(Fate::NotSent),
            Some(Fate::NotSent)
        ]
    );
    assert_eq!(
        report.requests_sent(),
        2,
        "the retry policy never resends a post"
    );
    let arrivals = harness.sandbox.lead_arrivals();
    assert_eq!(
        arrivals.get("L-2"),
        Some(&1),
        "processed once, never resent"
    );
    assert_eq!(arrivals.get("L-4"), None, "never sent");
    harness.sandbox.shutdown().await;
}

async fn a_refused_or_failed_post_is_accounted_per_lead(backend: Backend) {
    let harness = Harness::start(backend).await;
    // A 503 before the service: the client cannot know, so unknown.
    harness.sandbox.inject_fault(
        LEADS,
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        1,
    );
    let report = harness.client(5).post(&[lead("A"), lead("B")]).await;
    assert_eq!(report.count(Fate::Unknown), 2);
    // A 400: the post was refused as a whole, nothing was done.
    harness.sandbox.inject_fault(
        LEADS,
        Fault::Status {
            status: 400,
            retry_after: None,
        },
        1,
    );
    let report = harness.client(5).post(&[lead("C")]).await;
    assert_eq!(report.count(Fate::Answered), 1);
    // The service's own refusal keeps its texts.
    let customer = Customer {
        fname: Some("Ann".into()),
        ..Customer::default()
    };
    let report = harness
        .client(5)
        .with_mode(Mode::Strict)
        .post(&[customer])
        .await;
    assert_eq!(report.count(Fate::Rejected), 1);
    assert_eq!(report.requests_sent(), 0);
    harness.sandbox.shutdown().await;
}

#[tokio::test]
async fn reqwest_chunks_of_leads_each_arrive_once() {
    chunks_of_leads_each_arrive_once(Backend::Reqwest).await;
}

#[tokio::test]
async fn hyper_chunks_of_leads_each_arrive_once() {
    chunks_of_leads_each_arrive_once(Backend::Hyper).await;
}

#[tokio::test]
async fn reqwest_a_lost_answer_makes_its_chunk_unknown_and_stops_the_rest() {
    a_lost_answer_makes_its_chunk_unknown_and_stops_the_rest(Backend::Reqwest).await;
}

#[tokio::test]
async fn hyper_a_lost_answer_makes_its_chunk_unknown_and_stops_the_rest() {
    a_lost_answer_makes_its_chunk_unknown_and_stops_the_rest(Backend::Hyper).await;
}

#[tokio::test]
async fn reqwest_a_refused_or_failed_post_is_accounted_per_lead() {
    a_refused_or_failed_post_is_accounted_per_lead(Backend::Reqwest).await;
}

#[tokio::test]
async fn hyper_a_refused_or_failed_post_is_accounted_per_lead() {
    a_refused_or_failed_post_is_accounted_per_lead(Backend::Hyper).await;
}
