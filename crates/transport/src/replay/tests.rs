//! Replay transport tests.

use super::*;

const TWO: &str = r#"[
  {"request": {"method": "post", "path": "/notes", "body_contains": "hello"},
   "response": {"status": 201, "body": "{\"id\":1}"}},
  {"request": {"method": "GET", "path": "/notes?page=2"},
   "response": {"status": 200, "headers": {"x-page": "2"}}}
]"#;

fn request(method: &str, uri: &str, body: &'static str) -> Request<Bytes> {
    Request::builder()
        .method(method)
        .uri(uri)
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap()
}

fn unexpected(result: Result<Response<Bytes>, TransportError>) -> String {
    let error = result.expect_err("an unexpected request fails");
    assert_eq!(
        error.kind(),
        &crate::ErrorKind::InvalidRequest {
            reason: UNEXPECTED.into()
        }
    );
    let source = std::error::Error::source(&error).expect("a mismatch source");
    let mismatch = source
        .downcast_ref::<ReplayMismatch>()
        .expect("the source is a ReplayMismatch");
    mismatch.message().to_owned()
}

#[tokio::test]
async fn answers_in_order_and_records_requests() {
    let replay = Replay::from_json_str(TWO).unwrap();
    let first = replay
        .send(request("POST", "https://h/notes", "say hello"))
        .await
        .unwrap();
    assert_eq!(first.status(), 201);
    assert_eq!(first.body(), r#"{"id":1}"#);
    let second = replay
        .send(request("GET", "https://h/notes?page=2", ""))
        .await
        .unwrap();
    assert_eq!(second.headers()["x-page"], "2");
    assert!(replay.is_finished());
    let received = replay.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body(), "say hello");
}

#[tokio::test]
async fn a_mismatch_names_what_came_and_what_was_expected() {
    let replay = Replay::from_json_str(TWO).unwrap();
    let message = unexpected(replay.send(request("GET", "https://h/other", "")).await);
    assert_eq!(
        message,
        "got GET /other, expected exchange 1 of 2: post /notes with a body containing \"hello\" (method differs)"
    );
    let message = unexpected(replay.send(request("POST", "https://h/notes", "bye")).await);
    assert!(
        message.ends_with("(body lacks the expected text)"),
        "{message}"
    );
    // Mismatches consume nothing but are recorded.
    assert_eq!(replay.remaining(), 2);
    assert_eq!(replay.received().len(), 2);
}

#[tokio::test]
async fn queries_count_only_when_recorded_and_are_never_echoed() {
    let replay = Replay::from_json_str(TWO).unwrap();
    replay
        .send(request("POST", "https://h/notes?x=1", "hello"))
        .await
        .unwrap();
    let message = unexpected(
        replay
            .send(request("GET", "https://h/notes?page=3&key=secret", ""))
            .await,
    );
    assert!(message.contains("(path or query differs)"), "{message}");
    assert!(!message.contains("secret"), "{message}");
}

#[tokio::test]
async fn running_out_of_exchanges_is_an_error() {
    let replay = Replay::new(Vec::new()).unwrap();
    let message = unexpected(replay.send(request("GET", "https://h/x", "")).await);
    assert_eq!(
        message,
        "got GET /x, but all 0 recorded exchanges were used"
    );
}

#[test]
fn bad_recordings_are_refused_with_their_position() {
    let error = Replay::from_json_str("[{\"request\": {}}]").unwrap_err();
    assert!(
        matches!(error, ReplayError::Parse { line: 1, .. }),
        "{error}"
    );
    let bad_status = r#"[{"request": {"method": "GET", "path": "/"}, "response": {"status": 42}}]"#;
    assert_eq!(
        Replay::from_json_str(bad_status).unwrap_err().to_string(),
        "replay exchange 0: response.status 42 is not an HTTP status"
    );
    let bad_header = r#"[{"request": {"method": "GET", "path": "/"}, "response": {"status": 200, "headers": {"bad name": "v"}}}]"#;
    assert!(
        Replay::from_json_str(bad_header)
            .unwrap_err()
            .to_string()
            .contains("`bad name` is not a header name")
    );
    let bad_method =
        r#"[{"request": {"method": "GE T", "path": "/"}, "response": {"status": 200}}]"#;
    assert!(
        Replay::from_json_str(bad_method)
            .unwrap_err()
            .to_string()
            .contains("request.method `GE T`")
    );
    let missing = Replay::from_file("/nonexistent/replay.json").unwrap_err();
    assert!(matches!(missing, ReplayError::Read { .. }));
}

const NETO: &str = r#"[
  {"request": {"method": "POST", "path": "/do/WS/NetoAPI",
               "headers": {"NETOAPI_ACTION": "GetOrder", "NETOAPI_KEY": "live-key-123"}},
   "response": {"status": 200, "body": "{\"Order\":[]}"}},
  {"request": {"method": "POST", "path": "/do/WS/NetoAPI",
               "headers": {"NETOAPI_ACTION": "AddOrder"}},
   "response": {"status": 200, "body": "{\"Order\":{\"OrderID\":\"N1\"}}"}}
]"#;

fn neto(action: &str, key: &str) -> Request<Bytes> {
    Request::post("https://shop.example.com/do/WS/NetoAPI")
        .header("NETOAPI_ACTION", action)
        .header("NETOAPI_KEY", key)
        .header("Authorization", "Bearer very-secret-token")
        .body(Bytes::from_static(b"{}"))
        .unwrap()
}

#[tokio::test]
async fn calls_to_one_path_are_told_apart_by_their_headers() {
    let replay = Replay::from_json_str(NETO).unwrap();
    let message = unexpected(replay.send(neto("AddOrder", "live-key-123")).await);
    assert_eq!(
        message,
        "got POST /do/WS/NetoAPI, expected exchange 1 of 2: POST /do/WS/NetoAPI with header \
         `netoapi_action`: \"GetOrder\", header `netoapi_key` (value not shown) \
         (header `netoapi_action` is \"AddOrder\", expected \"GetOrder\")"
    );
    let message = unexpected(replay.send(neto("GetOrder", "test-key-999")).await);
    assert!(
        message.ends_with("(header `netoapi_key` differs (value not shown))"),
        "{message}"
    );
    assert!(!message.contains("live-key-123") && !message.contains("test-key-999"));
    assert_eq!(replay.remaining(), 2);

    let order = replay.send(neto("GetOrder", "live-key-123")).await.unwrap();
    assert_eq!(order.body(), "{\"Order\":[]}");
    let added = replay.send(neto("AddOrder", "any")).await.unwrap();
    assert_eq!(added.body(), "{\"Order\":{\"OrderID\":\"N1\"}}");
    assert!(replay.is_finished());
}

#[tokio::test]
async fn recorded_errors_are_replayed_and_consume_their_exchange() {
    let replay = Replay::from_json_str(
        r#"[
          {"request": {"method": "POST", "path": "/a"}, "error": "not_sent"},
          {"request": {"method": "POST", "path": "/a"}, "error": "maybe_received"},
          {"request": {"method": "POST", "path": "/a"}, "error": "timeout_total"},
          {"request": {"method": "POST", "path": "/a"}, "error": "timeout_connect"},
          {"request": {"method": "POST", "path": "/a"}, "response": {"status": 204}}
        ]"#,
    )
    .unwrap();
    let post = || request("POST", "https://h/a", "");
    assert_eq!(
        replay.send(post()).await.unwrap_err(),
        TransportError::not_sent("replayed from the recording")
    );
    assert_eq!(
        replay.send(post()).await.unwrap_err().kind(),
        &crate::ErrorKind::MaybeReceived
    );
    let total = replay.send(post()).await.unwrap_err();
    assert!(
        total.outcome_unknown() && !total.is_retry_safe(),
        "{total:?}"
    );
    let connect = replay.send(post()).await.unwrap_err();
    assert!(connect.is_retry_safe(), "{connect:?}");
    assert_eq!(replay.send(post()).await.unwrap().status(), 204);
    assert!(replay.is_finished());
    // A mismatch against an error exchange is still a mismatch.
    let replay = Replay::from_json_str(
        r#"[{"request": {"method": "GET", "path": "/a"}, "error": "not_sent"}]"#,
    )
    .unwrap();
    unexpected(replay.send(post()).await);
    assert_eq!(replay.remaining(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_retry_policy_sees_the_replayed_failure_then_the_answer() {
    let replay = Replay::from_json_str(
        r#"[
          {"request": {"method": "GET", "path": "/x"}, "error": "timeout_connect"},
          {"request": {"method": "GET", "path": "/x"}, "response": {"status": 200, "body": "ok"}}
        ]"#,
    )
    .unwrap();
    let retrying = crate::Retrying::new(&replay, crate::RetryConfig::default());
    let response = retrying
        .send(request("GET", "https://h/x", ""))
        .await
        .unwrap();
    assert_eq!(response.body(), "ok");
    assert_eq!(replay.received().len(), 2);
}

#[tokio::test]
async fn a_base64_body_is_answered_as_bytes() {
    let replay = Replay::from_json_str(
        r#"[{"request": {"method": "GET", "path": "/file"},
             "response": {"status": 200, "headers": {"content-type": "application/octet-stream"},
                          "body_base64": "/+wgVQA="}}]"#,
    )
    .unwrap();
    let response = replay
        .send(request("GET", "https://h/file", ""))
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"\xFF\xEC\x20\x55\0");
    let invalid = r#"[{"request": {"method": "GET", "path": "/"},
                       "response": {"status": 200, "body_base64": "%%%"}}]"#;
    assert!(
        Replay::from_json_str(invalid)
            .unwrap_err()
            .to_string()
            .starts_with("replay exchange 0: response.body_base64 is not valid base64")
    );
}

#[tokio::test]
async fn debug_shows_counts_never_received_headers() {
    let replay = Replay::from_json_str(NETO).unwrap();
    replay.send(neto("GetOrder", "live-key-123")).await.unwrap();
    let _ = replay.send(neto("Nope", "live-key-123")).await;
    let debug = format!("{replay:?}");
    assert_eq!(debug, "Replay { exchanges: 2, used: 1, received: 2 }");
    assert!(!debug.contains("very-secret-token") && !debug.contains("live-key-123"));
}

#[test]
fn bad_request_headers_are_refused_with_their_position() {
    let bad = r#"[{"request": {"method": "GET", "path": "/", "headers": {"bad name": "v"}},
                   "response": {"status": 200}}]"#;
    assert_eq!(
        Replay::from_json_str(bad).unwrap_err().to_string(),
        "replay exchange 0: request.headers: `bad name` is not a header name"
    );
}
