//! Loading the sample recording and driving policies with it.

use std::num::NonZeroU32;
use std::time::Duration;

use bytes::Bytes;
use http::Request;
use transport::{
    ErrorKind, PaceConfig, Paced, RecordedError, RecordedOutcome, Replay, ReplayMismatch,
    RetryConfig, Retrying, Transport, TransportError,
};

/// The messages of `error` and of every error in its source chain.
fn chain(error: &TransportError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(error) = source {
        text.push_str(": ");
        text.push_str(&error.to_string());
        source = error.source();
    }
    text
}

fn sample() -> Replay {
    Replay::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/notes_exchange.json"
    ))
    .expect("the sample recording loads")
}

#[test]
fn the_sample_recording_loads() {
    let replay = sample();
    assert_eq!(replay.exchanges().len(), 3);
    assert_eq!(replay.exchanges()[0].request.method, "POST");
    assert!(matches!(
        &replay.exchanges()[1].outcome,
        RecordedOutcome::Response(response) if response.status == 429
    ));
    assert_eq!(replay.remaining(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_sample_recording_drives_a_paced_retrying_client() {
    let replay = sample();
    let paced = Retrying::new(
        Paced::new(
            &replay,
            PaceConfig::per_second(NonZeroU32::new(100).unwrap()),
        ),
        RetryConfig::default(),
    );

    let created = paced
        .send(
            Request::post("https://crm.example.com/api/customer/notes")
                .body(Bytes::from_static(
                    br#"{"customer_id":1,"note":"Called about the invoice"}"#,
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    let started = tokio::time::Instant::now();
    let listed = paced
        .send(
            Request::get("https://crm.example.com/api/customer/notes")
                .body(Bytes::new())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(replay.is_finished());
    assert_eq!(replay.received().len(), 3);

    let error = paced
        .send(
            Request::delete("https://crm.example.com/api/customer/notes/4711")
                .body(Bytes::new())
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
        "{error:?}"
    );
    let mismatch = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref::<ReplayMismatch>())
        .expect("a replay mismatch");
    assert_eq!(
        mismatch.message(),
        "got DELETE /api/customer/notes/4711, but all 3 recorded exchanges were used"
    );
}

fn neto_sample() -> Replay {
    Replay::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/neto_orders.json"
    ))
    .expect("the Neto sample recording loads")
}

fn neto(action: &str, body: &'static str) -> Request<Bytes> {
    Request::post("https://shop.example.com/do/WS/NetoAPI")
        .header("NETOAPI_ACTION", action)
        .header("NETOAPI_USERNAME", "api-user")
        .header("NETOAPI_KEY", "live-key-do-not-print")
        .header("content-type", "application/json")
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap()
}

#[test]
fn the_neto_sample_loads_errors_headers_and_binary_bodies() {
    let replay = neto_sample();
    let exchanges = replay.exchanges();
    assert_eq!(exchanges.len(), 4);
    assert_eq!(exchanges[0].request.headers["NETOAPI_ACTION"], "GetOrder");
    assert_eq!(
        exchanges[0].outcome,
        RecordedOutcome::Error(RecordedError::TimeoutConnect)
    );
    assert!(matches!(
        &exchanges[3].outcome,
        RecordedOutcome::Response(response) if response.body_base64.is_some()
    ));
}

#[tokio::test(start_paused = true)]
async fn the_neto_sample_drives_a_retrying_client() {
    let replay = neto_sample();
    let retrying = Retrying::new(&replay, RetryConfig::default());

    // A replayed connect timeout is retried; the second exchange answers.
    let order = retrying
        .send(neto("GetOrder", r#"{"Filter":{"OrderID":"N1001"}}"#))
        .await
        .unwrap();
    assert_eq!(order.status(), 200);
    assert_eq!(replay.received().len(), 2);

    // The wrong action is refused by name, and the key never shows.
    let error = retrying
        .send(neto("GetItem", r#"{"Order":{"OrderStatus":"Pick"}}"#))
        .await
        .unwrap_err();
    let message = chain(&error);
    assert!(
        message.contains("header `netoapi_action` is \"GetItem\", expected \"UpdateOrder\""),
        "{message}"
    );
    assert!(!message.contains("live-key-do-not-print"), "{message}");
    assert!(!format!("{error:?}").contains("live-key-do-not-print"));

    // An update whose outcome is unknown is not resent.
    let error = retrying
        .send(neto("UpdateOrder", r#"{"Order":{"OrderStatus":"Pick"}}"#))
        .await
        .unwrap_err();
    assert!(error.outcome_unknown(), "{error:?}");
    assert_eq!(replay.remaining(), 1);

    let invoice = replay
        .send(
            Request::get("https://shop.example.com/assets/invoice/N1001.pdf")
                .body(Bytes::new())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(invoice.body().as_ref(), b"%PDF-1.4\n\xff");
    assert!(replay.is_finished());
    assert!(!format!("{replay:?}").contains("live-key-do-not-print"));
}
