//! The token machine and the call machine: grants, refresh before expiry,
//! one renewal and one resend after `401`, never a loop, no secret shown.

mod support;

use std::time::{Duration, Instant};

use bytes::Bytes;
use notes_rest::{Auth, Call, CallOutcome, Endpoint, Error, Grant, PageRequest, TOKEN_LIFETIME};
use support::response;
use wire_core::flow::{Flow, Step};

const TOKEN_1: &str = r#"{"access_token":"tok-1","refresh_token":"ref-1","company_id":42}"#;
const TOKEN_2: &str = r#"{"access_token":"tok-2","refresh_token":"ref-2"}"#;

fn password_auth() -> Auth {
    Auth::new(
        Endpoint::default(),
        Grant::Password {
            username: "ops".into(),
            password: "pass-word-1".into(),
        },
    )
}

fn expect_send<T: std::fmt::Debug>(step: Step<T>) -> http::Request<Bytes> {
    match step {
        Step::Send(request) => request,
        Step::Done(output) => panic!("expected a request, got {output:?}"),
    }
}

fn body_json(request: &http::Request<Bytes>) -> serde_json::Value {
    serde_json::from_slice(request.body()).expect("JSON body")
}

#[test]
fn password_grant_then_refresh_inside_the_margin_then_the_token_again() {
    let mut auth = password_auth();
    let t0 = Instant::now();
    let grant = expect_send(auth.poll(t0));
    assert_eq!(grant.uri().path(), "/api/token");
    assert_eq!(
        body_json(&grant),
        serde_json::json!({"grant_type": "password", "username": "ops", "password": "pass-word-1"})
    );
    auth.handle(response(200, &[], TOKEN_1), t0);
    let Step::Done(Ok(first)) = auth.poll(t0 + Duration::from_secs(60)) else {
        panic!("no token")
    };
    assert_eq!(first.generation(), 1);
    // 27 minutes in: more than the margin left, no IO.
    assert!(matches!(
        auth.poll(t0 + Duration::from_secs(27 * 60)),
        Step::Done(Ok(_))
    ));
    // 29 minutes in: refresh with both tokens.
    let refresh = expect_send(auth.poll(t0 + Duration::from_secs(29 * 60)));
    assert_eq!(refresh.uri().path(), "/api/token/refresh");
    assert_eq!(
        body_json(&refresh),
        serde_json::json!({"access_token": "tok-1", "refresh_token": "ref-1"})
    );
    auth.handle(
        response(200, &[], TOKEN_2),
        t0 + Duration::from_secs(29 * 60),
    );
    let Step::Done(Ok(second)) = auth.poll(t0 + Duration::from_secs(30 * 60)) else {
        panic!("no token")
    };
    assert_eq!(second.generation(), 2);
    let mut request = http::Request::new(());
    second.authorize(&mut request);
    assert_eq!(request.headers()["authorization"], "Bearer tok-2");
    assert!(request.headers()["authorization"].is_sensitive());
    assert_eq!(auth.counts(), (1, 1));
}

#[test]
fn user_company_grant_sends_both_tokens_and_the_company() {
    let mut auth = Auth::new(
        Endpoint::default().with_region("uk").unwrap(),
        Grant::UserCompany {
            access_token: "user-access".into(),
            refresh_token: "user-refresh".into(),
            company_id: 42,
        },
    );
    let grant = expect_send(auth.poll(Instant::now()));
    assert_eq!(grant.headers()["region"], "uk");
    assert_eq!(
        body_json(&grant),
        serde_json::json!({"grant_type": "access_token", "access_token": "user-access",
            "refresh_token": "user-refresh", "company_id": 42})
    );
    let shown = format!("{auth:?} {grant:?}");
    assert!(!shown.contains("user-access") || !format!("{auth:?}").contains("user-access"));
    assert!(!format!("{auth:?}").contains("user-refresh"));
}

#[test]
fn a_refused_refresh_falls_back_to_one_grant_and_a_refused_grant_ends_the_round() {
    let mut auth = password_auth();
    let t0 = Instant::now();
    let _ = expect_send(auth.poll(t0));
    auth.handle(response(200, &[], TOKEN_1), t0);
    let late = t0 + TOKEN_LIFETIME;
    let refresh = expect_send(auth.poll(late));
    assert_eq!(refresh.uri().path(), "/api/token/refresh");
    auth.handle(response(401, &[], r#"{"error":"invalid_token"}"#), late);
    let grant = expect_send(auth.poll(late));
    assert_eq!(grant.uri().path(), "/api/token");
    auth.handle(
        response(
            400,
            &[],
            r#"{"error":"invalid_grant","error_description":"bad password pass-word-1"}"#,
        ),
        late,
    );
    let Step::Done(Err(Error::Authentication(error))) = auth.poll(late) else {
        panic!("expected an authentication error")
    };
    // The service echoed the password: it is redacted.
    assert_eq!(
        error.description.as_deref(),
        Some("bad password [redacted]")
    );
    // A later round may try again (one grant), it does not loop within one.
    let _ = expect_send(auth.poll(late));
    auth.handle(response(401, &[], ""), late);
    assert!(matches!(
        auth.poll(late),
        Step::Done(Err(Error::Authentication(_)))
    ));
    assert_eq!(auth.counts(), (3, 1));
}

#[test]
fn a_rate_limited_grant_is_reported_with_its_retry_after() {
    let mut auth = password_auth();
    let t0 = Instant::now();
    let _ = expect_send(auth.poll(t0));
    auth.handle(
        response(
            429,
            &[("retry-after", "90")],
            r#"{"error":"rate_limit_exceeded"}"#,
        ),
        t0,
    );
    let Step::Done(Err(Error::Service(error))) = auth.poll(t0) else {
        panic!("expected the 429")
    };
    assert_eq!(
        error.retry_after,
        Some(notes_rest::RetryAfter::Delay(Duration::from_secs(90)))
    );
}

/// Runs a call against canned statuses, answering token requests from `auth`
/// with fresh tokens; returns the outcome and the statuses used.
fn run_call(statuses: &[u16]) -> (Result<notes_rest::NotesPage, Error>, usize, (u64, u64)) {
    let mut auth = password_auth();
    let now = Instant::now();
    let request = Endpoint::default().list_notes(PageRequest::default());
    let mut call = Call::notes(request, auth.redactor());
    let mut answers = statuses.iter();
    let mut tokens = 0;
    let mut sent = 0;
    for _ in 0..20 {
        match call.poll(now) {
            Step::Send(request) => {
                sent += 1;
                assert!(
                    request.headers()["authorization"]
                        .to_str()
                        .unwrap()
                        .starts_with("Bearer tok-")
                );
                let status = *answers.next().expect("the call sent more than expected");
                let body = if status == 200 {
                    "[]"
                } else {
                    r#"{"error":"invalid_token"}"#
                };
                call.handle(response(status, &[], body), now);
            }
            Step::Done(CallOutcome::NeedToken { stale }) => {
                if let Some(stale) = stale {
                    auth.invalidate(&stale);
                }
                let bearer = loop {
                    match auth.poll(now) {
                        Step::Send(_) => {
                            tokens += 1;
                            let body = format!(r#"{{"access_token":"tok-{tokens}"}}"#);
                            auth.handle(response(200, &[], body), now);
                        }
                        Step::Done(bearer) => break bearer.expect("token"),
                    }
                };
                call.set_bearer(bearer);
            }
            Step::Done(CallOutcome::Done(outcome)) => return (outcome, sent, auth.counts()),
        }
    }
    panic!("the call did not end");
}

#[test]
fn a_401_leads_to_one_renewal_and_one_resend() {
    let (outcome, sent, (grants, refreshes)) = run_call(&[401, 200]);
    assert!(outcome.is_ok());
    assert_eq!((sent, grants, refreshes), (2, 2, 0));
}

#[test]
fn a_second_401_is_an_authentication_error_not_a_loop() {
    let (outcome, sent, (grants, _)) = run_call(&[401, 401]);
    assert!(
        matches!(outcome, Err(Error::Authentication(_))),
        "{outcome:?}"
    );
    assert_eq!((sent, grants), (2, 2));
}

#[test]
fn a_401_for_an_older_token_does_not_renew_again() {
    let mut auth = password_auth();
    let t0 = Instant::now();
    let _ = expect_send(auth.poll(t0));
    auth.handle(response(200, &[], TOKEN_1), t0);
    let Step::Done(Ok(old)) = auth.poll(t0) else {
        panic!()
    };
    auth.invalidate(&old);
    let _ = expect_send(auth.poll(t0)); // renews (refresh)
    auth.handle(response(200, &[], TOKEN_2), t0);
    // A second task reports its 401 for the old token: no new renewal.
    auth.invalidate(&old);
    assert!(matches!(auth.poll(t0), Step::Done(Ok(b)) if b.generation() == 2));
}

#[test]
fn secrets_never_show_in_debug() {
    let mut auth = password_auth();
    let t0 = Instant::now();
    let _ = expect_send(auth.poll(t0));
    auth.handle(response(200, &[], TOKEN_1), t0);
    let Step::Done(Ok(bearer)) = auth.poll(t0) else {
        panic!()
    };
    let shown = format!(
        "{auth:?} {bearer:?} {:?}",
        Grant::Password {
            username: "u".into(),
            password: "pass-word-1".into()
        }
    );
    for secret in ["tok-1", "ref-1", "pass-word-1"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let grant =
        notes_rest::TokenGrant::decode(&response(200, &[], TOKEN_1), &wire_core::Redactor::none())
            .unwrap();
    assert!(!format!("{grant:?}").contains("tok-1"));
    // An undecodable token answer is cut before the token.
    let error = notes_rest::TokenGrant::decode(
        &response(200, &[], r#"{"access_token": 5, "x":"tok-9"}"#),
        &wire_core::Redactor::none(),
    )
    .unwrap_err();
    assert!(!error.to_string().contains("tok-9"), "{error}");
}

#[test]
fn tokens_dead_on_arrival_end_the_round_instead_of_looping() {
    let mut auth = password_auth();
    let t0 = Instant::now();
    let mut sends = 0;
    let outcome = loop {
        match auth.poll(t0) {
            Step::Send(_) => {
                sends += 1;
                assert!(sends <= 2, "the machine loops");
                auth.handle(
                    response(
                        200,
                        &[],
                        r#"{"access_token":"t","refresh_token":"r","expires_in":0}"#,
                    ),
                    t0,
                );
            }
            Step::Done(outcome) => break outcome,
        }
    };
    assert!(matches!(outcome, Err(Error::Authentication(_))));
    assert_eq!(auth.counts(), (1, 1));
}

#[test]
fn an_aborted_round_starts_afresh() {
    let mut auth = password_auth();
    let t0 = Instant::now();
    let _ = expect_send(auth.poll(t0)); // the transport fails: no answer
    auth.abort_round();
    let again = expect_send(auth.poll(t0));
    assert_eq!(again.uri().path(), "/api/token");
}
