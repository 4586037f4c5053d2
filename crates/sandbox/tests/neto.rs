//! The simulated Neto service over raw HTTP/1.1 on 127.0.0.1:0: requests are
//! written with `neto-api`'s encoder (or by hand), answers read with its decoder.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::send;
use neto_api::{
    AddCustomerLog, Answer, Codec, Credentials, CustomerLogUpdate, DecodeError, Endpoint,
    GetCustomer, LogStatus, NetoDateTime, NewCustomerLog, UpdateCustomerLog, WireFormat,
};
use sandbox::neto::{
    AUTHENTICATION_FAILED, DEMO_ACCESS_KEY, DEMO_API_KEY, DEMO_API_USERNAME, DEMO_SECRET_KEY,
    DEMO_STORE, NetoConfig, NetoService,
};
use sandbox::{ManualClock, SandboxConfig, SandboxHandle};

const PATH: &str = "/neto/demo/do/WS/NetoAPI";

async fn start_with(
    config: NetoConfig,
    clock: Option<ManualClock>,
) -> (SandboxHandle, Arc<NetoService>) {
    let service = Arc::new(NetoService::new(config));
    let mut sandbox_config = SandboxConfig::new().service(service.clone());
    if let Some(clock) = clock {
        sandbox_config = sandbox_config.clock(clock);
    }
    let sandbox = sandbox::start(sandbox_config)
        .await
        .expect("sandbox starts");
    (sandbox, service)
}

fn codec(sandbox: &SandboxHandle, format: WireFormat) -> Codec {
    codec_with(
        sandbox,
        format,
        Credentials::api_key(DEMO_API_USERNAME, DEMO_API_KEY),
    )
}

fn codec_with(sandbox: &SandboxHandle, format: WireFormat, credentials: Credentials) -> Codec {
    let base = format!("{}/{DEMO_STORE}", sandbox.service_url("neto").unwrap());
    Codec::new(Endpoint::under(&base).unwrap(), credentials, format)
}

/// Sends an encoded request over raw HTTP and returns the answer as `http::Response`.
async fn exchange(sandbox: &SandboxHandle, request: http::Request<Bytes>) -> http::Response<Bytes> {
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let raw = send(
        sandbox.local_addr(),
        "POST",
        request.uri().path(),
        &pairs,
        request.body(),
    )
    .await;
    let mut response = http::Response::builder().status(raw.status);
    for (name, value) in &raw.headers {
        response = response.header(name, value);
    }
    response.body(Bytes::from(raw.body)).unwrap()
}

async fn call<A: neto_api::Action>(
    codec: &Codec,
    sandbox: &SandboxHandle,
    action: &A,
) -> Result<Answer<A::Output>, DecodeError> {
    let request = codec.encode(action).expect("valid request");
    let response = exchange(sandbox, request).await;
    codec.decode(action, &response)
}

fn log_for(username: &str, notes: &str) -> NewCustomerLog {
    NewCustomerLog {
        username: Some(username.into()),
        notes: Some(notes.into()),
        status: Some(LogStatus::RequireRecontact),
        date_required_follow_up: NetoDateTime::parse("2026-12-01 09:00:00").unwrap(),
        ..NewCustomerLog::default()
    }
}

#[tokio::test]
async fn added_logs_are_read_back_and_updated_in_both_formats() {
    let (sandbox, service) = start_with(NetoConfig::demo(), None).await;
    for format in [WireFormat::Xml, WireFormat::Json] {
        let codec = codec(&sandbox, format);
        let add = AddCustomerLog::new(vec![log_for(
            "jo.citizen",
            &format!("call back ({format}) & <soon>"),
        )]);
        let added = call(&codec, &sandbox, &add).await.expect("added");
        assert_eq!(added.output.log_ids.len(), 1);
        assert!(added.warnings.is_empty() && added.current_time.is_some());
        let id = added.output.log_ids[0];

        let update = UpdateCustomerLog::new(vec![CustomerLogUpdate {
            log_id: id.to_string(),
            status: Some(LogStatus::Completed),
            allocated_to: Some("Sam".into()),
            ..CustomerLogUpdate::default()
        }]);
        call(&codec, &sandbox, &update).await.expect("updated");

        let read = call(&codec, &sandbox, &GetCustomer::logs_of("jo.citizen"))
            .await
            .expect("read");
        let customer = &read.output.customers[0];
        let log = customer
            .logs
            .iter()
            .find(|l| l.log_id == Some(id))
            .expect("the new log");
        assert_eq!(log.status, Some(LogStatus::Completed));
        assert_eq!(log.allocated_to.as_deref(), Some("Sam"));
        assert_eq!(log.notes, Some(format!("call back ({format}) & <soon>")));
        assert_eq!(
            log.date_required_follow_up,
            NetoDateTime::parse("2026-12-01 09:00:00").unwrap()
        );
    }
    let stored = service.logs(DEMO_STORE);
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|log| log.updates == 1));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_log_without_username_is_added_with_a_warning() {
    let (sandbox, service) = start_with(NetoConfig::demo(), None).await;
    let codec = codec(&sandbox, WireFormat::Json);
    let add = AddCustomerLog::new(vec![
        log_for("sam.buyer", "a"),
        NewCustomerLog {
            notes: Some("b".into()),
            ..NewCustomerLog::default()
        },
    ]);
    let answer = call(&codec, &sandbox, &add)
        .await
        .expect("a warning is not a failure");
    assert_eq!(answer.ack, neto_api::Ack::Warning);
    assert_eq!(answer.output.log_ids.len(), 2);
    assert_eq!(answer.warnings.len(), 1);
    assert!(
        answer.warnings[0].message.contains("log 1 has no Username"),
        "{:?}",
        answer.warnings
    );
    assert_eq!(service.logs(DEMO_STORE).len(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_customers_and_logs_are_errors_and_change_nothing() {
    let (sandbox, service) = start_with(NetoConfig::demo(), None).await;
    let codec = codec(&sandbox, WireFormat::Xml);
    let add = AddCustomerLog::new(vec![
        log_for("jo.citizen", "a"),
        log_for("nobody.here", "b"),
    ]);
    let Err(DecodeError::Refused(failure)) = call(&codec, &sandbox, &add).await else {
        panic!("an unknown username is refused");
    };
    assert_eq!(failure.errors[0].message, "Invalid Username");
    assert!(service.logs(DEMO_STORE).is_empty());

    let update = UpdateCustomerLog::new(vec![CustomerLogUpdate {
        log_id: "99999".into(),
        notes: Some("x".into()),
        ..CustomerLogUpdate::default()
    }]);
    let Err(DecodeError::Refused(failure)) = call(&codec, &sandbox, &update).await else {
        panic!("an unknown LogID is refused");
    };
    assert!(
        failure.errors[0]
            .description
            .as_deref()
            .unwrap()
            .contains("no log 99999")
    );

    let read = call(&codec, &sandbox, &GetCustomer::logs_of("nobody.here"))
        .await
        .expect("read");
    assert!(read.output.customers.is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn credentials_are_checked_and_the_oauth_pair_works() {
    let (sandbox, service) = start_with(NetoConfig::demo(), None).await;
    let add = AddCustomerLog::new(vec![log_for("jo.citizen", "a")]);
    let wrong = codec_with(
        &sandbox,
        WireFormat::Json,
        Credentials::api_key(DEMO_API_USERNAME, "not-the-key"),
    );
    let Err(DecodeError::Refused(failure)) = call(&wrong, &sandbox, &add).await else {
        panic!("wrong key refused");
    };
    assert_eq!(failure.errors[0].message, AUTHENTICATION_FAILED);
    let oauth = codec_with(
        &sandbox,
        WireFormat::Xml,
        Credentials::oauth(DEMO_ACCESS_KEY, DEMO_SECRET_KEY),
    );
    call(&oauth, &sandbox, &add)
        .await
        .expect("the OAuth pair is accepted");
    assert_eq!(service.logs(DEMO_STORE).len(), 1);

    // No credentials at all, by hand.
    let raw = send(
        sandbox.local_addr(),
        "POST",
        PATH,
        &[
            ("NETOAPI_ACTION", "GetCustomer"),
            ("Accept", "application/json"),
        ],
        b"{}",
    )
    .await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.json()["Ack"], "Error");
    assert_eq!(
        raw.json()["Messages"]["Error"][0]["Message"],
        AUTHENTICATION_FAILED
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn documented_rules_are_enforced_server_side_naming_log_and_field() {
    let (sandbox, service) = start_with(NetoConfig::demo(), None).await;
    let body = format!(
        r#"{{"CustomerLogs":{{"CustomerLog":[{{"Username":"jo.citizen"}},{{"AllocatedTo":"{}","Status":"Done","LastContacted":"01/02/2026"}}]}}}}"#,
        "x".repeat(256)
    );
    let raw = send(
        sandbox.local_addr(),
        "POST",
        PATH,
        &[
            ("NETOAPI_ACTION", "AddCustomerLog"),
            ("NETOAPI_USERNAME", DEMO_API_USERNAME),
            ("NETOAPI_KEY", DEMO_API_KEY),
            ("Accept", "application/json"),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )
    .await;
    let json = raw.json();
    assert_eq!(json["Ack"], "Error");
    let descriptions: Vec<&str> = json["Messages"]["Error"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Description"].as_str().unwrap())
        .collect();
    assert_eq!(
        descriptions,
        [
            "log 1: field `LastContacted` must be a UTC date and time written YYYY-MM-DD HH:MM:SS",
            "log 1: field `AllocatedTo` must be at most 255 characters",
            "log 1: field `Status` must be one of Require Recontact, Recontacting, Completed",
        ]
    );
    assert!(service.logs(DEMO_STORE).is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn paths_methods_actions_and_too_many_logs() {
    let (sandbox, _) = start_with(NetoConfig::demo().max_logs(2), None).await;
    let addr = sandbox.local_addr();
    assert_eq!(
        send(addr, "POST", "/neto/other/do/WS/NetoAPI", &[], b"")
            .await
            .status,
        404
    );
    assert_eq!(
        send(addr, "POST", "/neto/demo/elsewhere", &[], b"")
            .await
            .status,
        404
    );
    let get = send(addr, "GET", PATH, &[], b"").await;
    assert_eq!((get.status, get.header("allow")), (405, Some("POST")));
    let unknown = send(
        addr,
        "POST",
        PATH,
        &[("NETOAPI_ACTION", "DeleteEverything")],
        b"<x/>",
    )
    .await;
    assert_eq!(unknown.status, 200);
    assert!(
        unknown.text().contains("<Ack>Error</Ack>") && unknown.text().contains("DeleteEverything"),
        "{}",
        unknown.text()
    );

    let codec = codec(&sandbox, WireFormat::Json);
    let add = AddCustomerLog::new(vec![log_for("jo.citizen", "a"); 3]);
    let Err(DecodeError::Refused(failure)) = call(&codec, &sandbox, &add).await else {
        panic!("too many logs refused");
    };
    assert!(failure.errors[0].message.contains("at most 2"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_xml_body_can_ask_for_a_json_answer() {
    let (sandbox, _) = start_with(NetoConfig::demo(), None).await;
    let xml = codec(&sandbox, WireFormat::Xml);
    let mut request = xml.encode(&GetCustomer::logs_of("jo.citizen")).unwrap();
    request
        .headers_mut()
        .insert("accept", "application/json".parse().unwrap());
    let response = exchange(&sandbox, request).await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(response.body().starts_with(b"{"));
    let answer = xml
        .decode(&GetCustomer::logs_of("jo.citizen"), &response)
        .expect("read from JSON");
    assert_eq!(
        answer.output.customers[0].username.as_deref(),
        Some("jo.citizen")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_until_the_window_ends() {
    let clock = ManualClock::new();
    let (sandbox, _) = start_with(
        NetoConfig::demo().rate_limit(3, Duration::from_secs(60)),
        Some(clock.clone()),
    )
    .await;
    let codec = codec(&sandbox, WireFormat::Json);
    let get = GetCustomer::logs_of("jo.citizen");
    for _ in 0..3 {
        call(&codec, &sandbox, &get)
            .await
            .expect("within the limit");
    }
    let response = exchange(&sandbox, codec.encode(&get).unwrap()).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "60");
    let Err(DecodeError::HttpStatus {
        status: 429,
        failure: Some(failure),
        ..
    }) = codec.decode(&get, &response)
    else {
        panic!("429 with the Neto failure");
    };
    assert!(failure.errors[0].message.starts_with("Too many requests"));
    clock.advance(Duration::from_secs(45));
    let response = exchange(&sandbox, codec.encode(&get).unwrap()).await;
    assert_eq!(response.headers()["retry-after"], "15");
    clock.advance(Duration::from_secs(15));
    call(&codec, &sandbox, &get).await.expect("a new window");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_echo_route_hides_the_neto_keys() {
    let sandbox = sandbox::start(SandboxConfig::with_all_services())
        .await
        .unwrap();
    let raw = send(
        sandbox.local_addr(),
        "POST",
        "/__sandbox/echo",
        &[
            ("NETOAPI_KEY", "k1"),
            ("X_ACCESS_KEY", "k2"),
            ("X_SECRET_KEY", "k3"),
            ("NETOAPI_USERNAME", "u"),
        ],
        b"",
    )
    .await;
    let text = raw.text();
    assert!(
        !text.contains("k1") && !text.contains("k2") && !text.contains("k3"),
        "{text}"
    );
    assert!(sandbox.service_names().contains(&"neto"));
    sandbox.shutdown().await;
}
