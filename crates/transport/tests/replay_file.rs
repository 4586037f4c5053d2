//! Loading the sample recording and driving policies with it.

use std::num::NonZeroU32;
use std::time::Duration;

use bytes::Bytes;
use http::Request;
use transport::{PaceConfig, Paced, Replay, Transport, TransportError};

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
    assert_eq!(replay.exchanges()[1].response.status, 429);
    assert_eq!(replay.remaining(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_sample_recording_drives_a_paced_client() {
    let replay = sample();
    let paced = Paced::new(
        &replay,
        PaceConfig::per_second(NonZeroU32::new(100).unwrap()),
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
    assert_eq!(
        error,
        TransportError::UnexpectedRequest {
            message: "got DELETE /api/customer/notes/4711, but all 3 recorded exchanges were used"
                .into()
        }
    );
}
