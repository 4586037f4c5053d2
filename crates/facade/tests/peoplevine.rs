//! The Peoplevine client end to end against the in-process sandbox, over
//! both HTTP backends: the suite is written once and instantiated for
//! reqwest and for hyper at the bottom of this file.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use facade::flow::ClockFn;
use facade::peoplevine::{Client, Endpoint, Grant, List, NewNote, NoteUpdate, PageRequest, Patch};
use facade::transport::{Backend, HttpTransport, PaceConfig, Paced, Transport, TransportConfig};
use facade::{Error, Fate, ServiceError};
use sandbox::peoplevine::{DEMO_PASSWORD, DEMO_USERNAME, PeoplevineConfig, PeoplevineService};
use sandbox::{Fault, ManualClock, SandboxConfig, SandboxHandle};

/// Every test ends within this.
const BOUND: Duration = Duration::from_secs(30);

struct Harness {
    sandbox: SandboxHandle,
    service: Arc<PeoplevineService>,
    clock: ManualClock,
    backend: Backend,
}

impl Harness {
    async fn start(backend: Backend) -> Self {
        Self::start_with(backend, PeoplevineConfig::demo(), true).await
    }

    async fn start_with(backend: Backend, config: PeoplevineConfig, manual: bool) -> Self {
        let service = Arc::new(PeoplevineService::new(config));
        let clock = ManualClock::new();
        let mut config = SandboxConfig::new().service(service.clone());
        if manual {
            config = config.clock(clock.clone());
        }
        let sandbox = sandbox::start(config)
            .await
            .expect("the sandbox starts on 127.0.0.1:0");
        Self {
            sandbox,
            service,
            clock,
            backend,
        }
    }

    fn http(&self) -> HttpTransport {
        let config = TransportConfig::default()
            .with_connect_timeout(Duration::from_secs(2))
            .with_total_timeout(Duration::from_secs(5));
        HttpTransport::new(self.backend, config).expect("the backend is compiled in")
    }

    fn endpoint(&self) -> Endpoint {
        Endpoint::new(&self.sandbox.service_url("peoplevine").expect("mounted")).expect("base URL")
    }

    fn client_over<T: Transport>(&self, transport: T) -> Client<T> {
        let grant = Grant::Password {
            username: DEMO_USERNAME.into(),
            password: DEMO_PASSWORD.into(),
        };
        Client::new(self.endpoint(), grant, transport)
    }

    /// A client reading the sandbox's manual clock.
    fn client(&self) -> Client<HttpTransport> {
        let clock = self.clock.clock();
        let reading: ClockFn = Arc::new(move || clock.now());
        self.client_over(self.http()).with_clock(reading)
    }

    async fn stop(self) {
        self.sandbox.shutdown().await;
    }
}

fn note(subject: &str) -> NewNote {
    NewNote {
        subject: Some(subject.into()),
        details: Some("Called about the renewal.".into()),
        ..NewNote::default()
    }
}

async fn crud_and_pages_stream(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();
    // No notes yet: one empty page (204), then the list is over.
    assert!(
        client
            .pages(List::Customer(501), PageRequest::default())
            .collect_notes()
            .await
            .unwrap()
            .is_empty()
    );
    for n in 0..5 {
        client
            .create_note(501, &note(&format!("call {n}")))
            .await
            .unwrap();
    }
    let mut pages = client.pages(List::Customer(501), PageRequest::new(1, 2).unwrap());
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().notes.len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    let all = client
        .pages(List::All, PageRequest::new(1, 3).unwrap())
        .collect_notes()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let id = all[0].id.unwrap();
    let update = NoteUpdate {
        subject: Patch::Value("renamed".into()),
        reminder: Patch::Null,
        ..NoteUpdate::default()
    };
    let updated = client.update_note(id, &update).await.unwrap();
    assert_eq!(updated.subject.as_deref(), Some("renamed"));
    assert_eq!(client.note(id).await.unwrap(), updated);
    // One grant served every call.
    assert_eq!(harness.service.counts().grants, 1);
    harness.stop().await;
}

async fn refused_and_missing_are_typed(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();
    let error = client.note(999).await.unwrap_err();
    assert_eq!(error.fate(), Fate::Answered);
    let Error::Refused {
        service: ServiceError::Peoplevine(answer),
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(answer.status, 404);
    let error = client
        .create_note(501, &NewNote::default())
        .await
        .unwrap_err();
    let Some(ServiceError::Peoplevine(answer)) = error.service_error() else {
        panic!("{error:?}")
    };
    assert_eq!(answer.status, 422);
    assert!(
        answer
            .details
            .as_ref()
            .is_some_and(|d| d["details"].is_array())
    );
    // Wrong credentials: a typed authentication error, one grant tried.
    let wrong = Client::new(
        harness.endpoint(),
        Grant::Password {
            username: DEMO_USERNAME.into(),
            password: "wrong-pass-9".into(),
        },
        harness.http(),
    );
    let error = wrong.note(1).await.unwrap_err();
    assert!(matches!(error, Error::Authentication { .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("wrong-pass-9"));
    assert_eq!(wrong.token_counts().await, (1, 0));
    harness.stop().await;
}

async fn the_token_is_refreshed_before_it_expires(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();
    client.notes_page(PageRequest::default()).await.unwrap();
    harness.clock.advance(Duration::from_secs(29 * 60));
    client.notes_page(PageRequest::default()).await.unwrap();
    let counts = harness.service.counts();
    assert_eq!(
        (counts.grants, counts.refreshes, counts.unauthorized),
        (1, 1, 0)
    );
    // Long after (the refresh token too has run out): the refresh is refused
    // (the one 401), a new grant follows, the call itself is never refused.
    harness.clock.advance(Duration::from_secs(48 * 60 * 60));
    client.notes_page(PageRequest::default()).await.unwrap();
    let counts = harness.service.counts();
    assert_eq!(
        (counts.grants, counts.refreshes, counts.unauthorized),
        (2, 1, 1)
    );
    assert_eq!(client.token_counts().await, (2, 2));
    harness.stop().await;
}

async fn a_401_renews_once_and_resends_once(backend: Backend) {
    let harness = Harness::start(backend).await;
    // The client reads the real clock: it believes its token fresh when the
    // sandbox's clock has moved past its end.
    let client = harness.client_over(harness.http());
    client.notes_page(PageRequest::default()).await.unwrap();
    harness.clock.advance(Duration::from_secs(31 * 60));
    client.notes_page(PageRequest::default()).await.unwrap();
    let counts = harness.service.counts();
    assert_eq!(
        (counts.grants, counts.refreshes, counts.unauthorized),
        (1, 1, 1)
    );
    // Two 401s in a row: a typed authentication error, not a loop.
    harness.sandbox.inject_fault(
        "/peoplevine/api/customers/",
        Fault::Status {
            status: 401,
            retry_after: None,
        },
        2,
    );
    let error = client.notes_page(PageRequest::default()).await.unwrap_err();
    assert!(matches!(error, Error::Authentication { .. }), "{error:?}");
    // 1 + 2 (the 401 and its resend) + 2 (both refused).
    assert_eq!(
        harness
            .sandbox
            .requests_received("/peoplevine/api/customers/"),
        5
    );
    assert_eq!(client.token_counts().await, (1, 2));
    harness.stop().await;
}

async fn many_tasks_share_one_grant_and_one_refresh(backend: Backend) {
    let harness = Harness::start(backend).await;
    let client = harness.client();
    let run_all = |client: Client<HttpTransport>| async move {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.notes_page(PageRequest::default()).await })
            })
            .collect();
        for task in tasks {
            task.await
                .expect("the task ran")
                .expect("the call succeeded");
        }
    };
    run_all(client.clone()).await;
    assert_eq!(harness.service.counts().grants, 1);
    harness.clock.advance(Duration::from_secs(29 * 60));
    run_all(client.clone()).await;
    let counts = harness.service.counts();
    assert_eq!(
        (counts.grants, counts.refreshes, counts.unauthorized),
        (1, 1, 0)
    );
    harness.stop().await;
}

async fn pacing_keeps_a_client_under_the_limit(backend: Backend) {
    // Scaled down: 10 requests per second at the sandbox (real clock), 8 per
    // second at the client; 24 calls from 12 concurrent tasks.
    let harness = Harness::start_with(
        backend,
        PeoplevineConfig::demo().rate_limit(10, Duration::from_secs(1)),
        false,
    )
    .await;
    let paced = Paced::new(
        harness.http(),
        PaceConfig::per_second(NonZeroU32::new(8).unwrap()),
    );
    let client = harness.client_over(paced);
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..2 {
                    client.notes_page(PageRequest::default()).await?;
                }
                Ok::<_, Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("the task ran").expect("no call failed");
    }
    let counts = harness.service.counts();
    assert_eq!(counts.rate_limited, 0);
    assert_eq!(counts.requests, 25);
    // The same load unpaced is refused: the test can fail.
    let unpaced = harness.client_over(harness.http());
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let client = unpaced.clone();
            tokio::spawn(async move { client.notes_page(PageRequest::default()).await })
        })
        .collect();
    let mut limited = 0;
    for task in tasks {
        if let Err(error) = task.await.expect("the task ran") {
            let Some(ServiceError::Peoplevine(answer)) = error.service_error() else {
                panic!("{error:?}")
            };
            assert!(answer.is_rate_limited() && answer.retry_after.is_some());
            limited += 1;
        }
    }
    assert!(limited > 0 && harness.service.counts().rate_limited > 0);
    harness.stop().await;
}

async fn the_neutral_customer_notes_trait(backend: Backend) {
    use facade::neutral::{AddCustomerNote, CustomerNotes, CustomerRef, NoteKind};
    let harness = Harness::start(backend).await;
    let client = harness.client();
    let note = AddCustomerNote::new(
        CustomerRef::new("502"),
        "Yard sign",
        "Wants a new one",
        NoteKind::Sales,
    );
    let added = client.add_note(note).await.unwrap();
    let stored = harness.service.notes(502);
    assert_eq!(stored.len(), 1);
    assert_eq!(added.note_id, stored[0].id.map(|id| id.to_string()));
    assert_eq!(stored[0].kind.as_deref(), Some("sales"));
    assert_eq!(stored[0].details.as_deref(), Some("Wants a new one"));
    // Not a Peoplevine id: refused before sending.
    let bad = AddCustomerNote::new(CustomerRef::new("A-12"), "s", "t", NoteKind::Lead);
    let error = client.add_note(bad).await.unwrap_err();
    assert_eq!(error.fate(), Fate::Rejected);
    assert_eq!(
        harness.service.counts().requests,
        2,
        "the grant and one note only"
    );
    harness.stop().await;
}

macro_rules! suite {
    ($module:ident, $backend:expr, [$($test:ident),*]) => {
        mod $module {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    tokio::time::timeout(super::BOUND, super::$test($backend))
                        .await
                        .expect("the test ends within its bound");
                }
            )*
        }
    };
}

macro_rules! both_backends {
    ([$($test:ident),*]) => {
        suite!(over_reqwest, facade::transport::Backend::Reqwest, [$($test),*]);
        suite!(over_hyper, facade::transport::Backend::Hyper, [$($test),*]);
    };
}

both_backends!([
    crud_and_pages_stream,
    refused_and_missing_are_typed,
    the_token_is_refreshed_before_it_expires,
    a_401_renews_once_and_resends_once,
    many_tasks_share_one_grant_and_one_refresh,
    pacing_keeps_a_client_under_the_limit,
    the_neutral_customer_notes_trait
]);
