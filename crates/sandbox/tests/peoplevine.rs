//! The simulated Peoplevine API over raw HTTP/1.1 on 127.0.0.1:0: requests are
//! built with the protocol crate's `Endpoint`, answers read with its decoders.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::{RawResponse, send};
use notes_rest::{
    Endpoint, Error, Grant, NewNote, NoteStatus, NoteUpdate, PageRequest, Patch, decode_note,
    decode_notes,
};
use sandbox::peoplevine::{
    DEMO_COMPANY_ID, DEMO_PASSWORD, DEMO_USER_ACCESS_TOKEN, DEMO_USER_REFRESH_TOKEN, DEMO_USERNAME,
    PeoplevineConfig, PeoplevineService, TOKEN_LIFETIME,
};
use sandbox::{ManualClock, SandboxConfig, SandboxHandle};
use wire_core::Redactor;

struct Setup {
    sandbox: SandboxHandle,
    service: Arc<PeoplevineService>,
    endpoint: Endpoint,
    clock: ManualClock,
}

async fn start_with(config: PeoplevineConfig) -> Setup {
    let service = Arc::new(PeoplevineService::new(config));
    let clock = ManualClock::new();
    let sandbox = sandbox::start(
        SandboxConfig::new()
            .service(service.clone())
            .clock(clock.clone()),
    )
    .await
    .expect("sandbox starts");
    let endpoint =
        Endpoint::new(&sandbox.service_url("peoplevine").expect("mounted")).expect("base");
    Setup {
        sandbox,
        service,
        endpoint,
        clock,
    }
}

async fn start() -> Setup {
    start_with(PeoplevineConfig::demo()).await
}

/// Sends an `http::Request` as raw HTTP/1.1 and returns an `http::Response`.
async fn exchange(
    setup: &Setup,
    request: &http::Request<Bytes>,
    token: Option<&str>,
) -> http::Response<Bytes> {
    let target = request
        .uri()
        .path_and_query()
        .expect("path")
        .as_str()
        .to_owned();
    let mut headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().expect("ASCII").to_owned()))
        .collect();
    if let Some(token) = token {
        headers.push(("authorization".into(), format!("Bearer {token}")));
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let raw: RawResponse = send(
        setup.sandbox.local_addr(),
        request.method().as_str(),
        &target,
        &headers,
        request.body(),
    )
    .await;
    let mut builder = http::Response::builder().status(raw.status);
    for (name, value) in &raw.headers {
        builder = builder.header(name, value);
    }
    builder.body(Bytes::from(raw.body)).expect("response")
}

fn password() -> Grant {
    Grant::Password {
        username: DEMO_USERNAME.into(),
        password: DEMO_PASSWORD.into(),
    }
}

async fn token(setup: &Setup) -> notes_rest::TokenGrant {
    let answer = exchange(setup, &password().request(&setup.endpoint), None).await;
    notes_rest::TokenGrant::decode(&answer, &Redactor::none()).expect("granted")
}

fn access(grant: &notes_rest::TokenGrant) -> String {
    use secrecy::ExposeSecret;
    grant.access_token.expose_secret().to_owned()
}

fn new_note(subject: &str) -> NewNote {
    NewNote {
        subject: Some(subject.into()),
        details: Some("Called.".into()),
        ..NewNote::default()
    }
}

#[tokio::test]
async fn both_grants_give_tokens_and_wrong_credentials_are_refused() {
    let setup = start().await;
    let grant = token(&setup).await;
    assert_eq!(grant.company_id, Some(DEMO_COMPANY_ID));
    assert_eq!(grant.expires_in, Some(TOKEN_LIFETIME.as_secs()));
    let user_company = Grant::UserCompany {
        access_token: DEMO_USER_ACCESS_TOKEN.into(),
        refresh_token: DEMO_USER_REFRESH_TOKEN.into(),
        company_id: DEMO_COMPANY_ID,
    };
    let answer = exchange(&setup, &user_company.request(&setup.endpoint), None).await;
    assert_eq!(answer.status(), 200);
    let wrong = Grant::Password {
        username: DEMO_USERNAME.into(),
        password: "wrong".into(),
    };
    let answer = exchange(&setup, &wrong.request(&setup.endpoint), None).await;
    let error = notes_rest::TokenGrant::decode(&answer, &Redactor::none()).unwrap_err();
    assert!(
        matches!(error, Error::Authentication(ref e) if e.error.as_deref() == Some("invalid_grant")),
        "{error:?}"
    );
    assert_eq!(setup.service.counts().grants, 2);
    setup.sandbox.shutdown().await;
}

#[tokio::test]
async fn tokens_expire_on_the_sandbox_clock_and_refresh_gives_a_new_pair() {
    let setup = start().await;
    let grant = token(&setup).await;
    let list = setup.endpoint.list_notes(PageRequest::default());
    assert_eq!(
        exchange(&setup, &list, Some(&access(&grant)))
            .await
            .status(),
        204
    );
    setup.clock.advance(TOKEN_LIFETIME + Duration::from_secs(1));
    let expired = exchange(&setup, &list, Some(&access(&grant))).await;
    assert_eq!(expired.status(), 401);
    let error = decode_notes(&expired, &Redactor::none()).unwrap_err();
    assert!(matches!(error, Error::Authentication(_)));
    // The refresh token outlives the access token.
    let refresh = notes_rest::refresh_request(
        &setup.endpoint,
        &grant.access_token,
        grant.refresh_token.as_ref().expect("refresh token"),
    );
    let renewed = exchange(&setup, &refresh, None).await;
    let renewed = notes_rest::TokenGrant::decode(&renewed, &Redactor::none()).expect("renewed");
    assert_ne!(access(&renewed), access(&grant));
    assert_eq!(
        exchange(&setup, &list, Some(&access(&renewed)))
            .await
            .status(),
        204
    );
    // The old pair is spent.
    let again = exchange(&setup, &refresh, None).await;
    assert_eq!(again.status(), 401);
    assert_eq!(setup.service.counts().refreshes, 1);
    assert_eq!(setup.service.counts().unauthorized, 2);
    setup.sandbox.shutdown().await;
}

#[tokio::test]
async fn notes_crud_pages_and_204() {
    let setup = start().await;
    let token = access(&token(&setup).await);
    let redactor = Redactor::none();
    // An empty list is 204 without a body.
    let empty = exchange(
        &setup,
        &setup
            .endpoint
            .list_customer_notes(501, PageRequest::default()),
        Some(&token),
    )
    .await;
    assert_eq!(empty.status(), 204);
    assert!(empty.body().is_empty());
    assert!(decode_notes(&empty, &redactor).unwrap().notes.is_empty());
    for n in 0..5 {
        let create = setup
            .endpoint
            .create_customer_note(501, &new_note(&format!("call {n}")));
        let created = decode_note(&exchange(&setup, &create, Some(&token)).await, &redactor)
            .expect("created");
        assert_eq!(created.customer_id, Some(501));
        assert_eq!(created.status, NoteStatus::Open);
    }
    let other = setup.endpoint.create_customer_note(502, &new_note("other"));
    exchange(&setup, &other, Some(&token)).await;
    // Pages of 2: 3 pages for customer 501, the header says so.
    let page = PageRequest::new(2, 2).unwrap();
    let second = decode_notes(
        &exchange(
            &setup,
            &setup.endpoint.list_customer_notes(501, page),
            Some(&token),
        )
        .await,
        &redactor,
    )
    .unwrap();
    let pagination = second.pagination.expect("header");
    assert_eq!(
        (
            pagination.page_number,
            pagination.total_pages,
            pagination.total_count
        ),
        (2, 3, 5)
    );
    assert!(pagination.has_next_page && pagination.has_previous_page);
    let subjects: Vec<_> = second
        .notes
        .iter()
        .map(|n| n.subject.clone().unwrap())
        .collect();
    assert_eq!(subjects, ["call 2", "call 3"]);
    let all = decode_notes(
        &exchange(
            &setup,
            &setup.endpoint.list_notes(PageRequest::default()),
            Some(&token),
        )
        .await,
        &redactor,
    )
    .unwrap();
    assert_eq!(all.notes.len(), 6);
    // Get and patch: only the fields sent change, null clears.
    let id = all.notes[0].id.expect("id");
    let update = NoteUpdate {
        subject: Patch::Value("renamed".into()),
        details: Patch::Null,
        priority: Patch::Value("true".into()),
        ..NoteUpdate::default()
    };
    let updated = decode_note(
        &exchange(
            &setup,
            &setup.endpoint.update_customer_note(id, &update),
            Some(&token),
        )
        .await,
        &redactor,
    )
    .unwrap();
    assert_eq!(updated.subject.as_deref(), Some("renamed"));
    assert_eq!(updated.details, None);
    assert!(updated.priority);
    let fetched = decode_note(
        &exchange(&setup, &setup.endpoint.get_customer_note(id), Some(&token)).await,
        &redactor,
    )
    .unwrap();
    assert_eq!(fetched, updated);
    assert_eq!(
        fetched.created_on, all.notes[0].created_on,
        "untouched fields stay"
    );
    setup.sandbox.shutdown().await;
}

#[tokio::test]
async fn documented_errors_and_validation() {
    let setup = start().await;
    let token = access(&token(&setup).await);
    let redactor = Redactor::none();
    // No token.
    let answer = exchange(&setup, &setup.endpoint.get_customer_note(1), None).await;
    assert_eq!(answer.status(), 401);
    // Unknown note, unknown customer.
    let answer = exchange(&setup, &setup.endpoint.get_customer_note(999), Some(&token)).await;
    let error = decode_note(&answer, &redactor).unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    let answer = exchange(
        &setup,
        &setup
            .endpoint
            .list_customer_notes(9, PageRequest::default()),
        Some(&token),
    )
    .await;
    assert_eq!(answer.status(), 404);
    // A page size the client would refuse, sent by hand: 422 with details.
    let raw = send(
        setup.sandbox.local_addr(),
        "GET",
        "/peoplevine/api/customers/notes?page_size=51&page_number=0",
        &[("authorization", &format!("Bearer {token}"))],
        b"",
    )
    .await;
    assert_eq!(raw.status, 422);
    let body = raw.json();
    assert_eq!(body["error"], "validation_failed");
    assert!(
        body["error_details"]["page_size"].is_array()
            && body["error_details"]["page_number"].is_array()
    );
    // A note without details or subject, with an unknown status.
    let bad = NewNote {
        status: Some("archived".into()),
        ..NewNote::default()
    };
    let answer = exchange(
        &setup,
        &setup.endpoint.create_customer_note(501, &bad),
        Some(&token),
    )
    .await;
    let Error::Service(error) = decode_note(&answer, &redactor).unwrap_err() else {
        panic!()
    };
    assert_eq!(error.status, 422);
    let details = error.details.expect("details");
    assert!(
        details["details"].is_array() && details["status"].is_array(),
        "{details}"
    );
    // Body not JSON.
    let raw = send(
        setup.sandbox.local_addr(),
        "POST",
        "/peoplevine/api/customers/501/notes",
        &[("authorization", &format!("Bearer {token}"))],
        b"{not json",
    )
    .await;
    assert_eq!(
        (raw.status, raw.json()["error"].as_str()),
        (400, Some("invalid_request"))
    );
    // Wrong method.
    let raw = send(
        setup.sandbox.local_addr(),
        "DELETE",
        "/peoplevine/api/customers/notes/1",
        &[("authorization", &format!("Bearer {token}"))],
        b"",
    )
    .await;
    assert_eq!((raw.status, raw.header("allow")), (405, Some("GET, PATCH")));
    // A PATCH that would null a required field.
    let id = setup.service.seed_note(501, "seeded", &setup.clock.clock());
    let update = NoteUpdate {
        status: Patch::Null,
        confidential: Patch::Value("maybe".into()),
        ..NoteUpdate::default()
    };
    let answer = exchange(
        &setup,
        &setup.endpoint.update_customer_note(id, &update),
        Some(&token),
    )
    .await;
    assert_eq!(answer.status(), 422);
    assert_eq!(
        setup.service.notes(501)[0].subject.as_deref(),
        Some("seeded"),
        "a refused patch changes nothing"
    );
    setup.sandbox.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_until_the_window_ends() {
    let setup = start_with(PeoplevineConfig::demo().rate_limit(5, Duration::from_secs(60))).await;
    let token = access(&token(&setup).await); // 1
    let list = setup.endpoint.list_notes(PageRequest::default());
    for _ in 0..4 {
        assert_eq!(exchange(&setup, &list, Some(&token)).await.status(), 204);
    }
    setup.clock.advance(Duration::from_secs(20));
    let limited = exchange(&setup, &list, Some(&token)).await;
    assert_eq!(limited.status(), 429);
    let Error::Service(error) = decode_notes(&limited, &Redactor::none()).unwrap_err() else {
        panic!()
    };
    assert_eq!(
        error.retry_after,
        Some(notes_rest::RetryAfter::Delay(Duration::from_secs(40)))
    );
    assert_eq!(error.error.as_deref(), Some("rate_limit_exceeded"));
    setup.clock.advance(Duration::from_secs(40));
    assert_eq!(exchange(&setup, &list, Some(&token)).await.status(), 204);
    assert_eq!(setup.service.counts().rate_limited, 1);
    setup.sandbox.shutdown().await;
}
