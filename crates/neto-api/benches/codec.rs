//! Decoding a `GetCustomer` answer of 300 customer logs beside minimal
//! baselines over the same bytes (figures in `docs/benchmarks.md`):
//!
//! - `decode_xml_300_logs`: [`Codec::decode`] vs a bare quick-xml event loop
//!   (target: ≥ 0.7× the loop's throughput);
//! - `decode_json_300_logs`: [`Codec::decode`] vs `serde_json` into equivalent
//!   owned structs (target: ≥ 0.9×).
//!
//! Each group first checks that both sides read the same logs.
//!
//! Run with `cargo bench -p neto-api`.

use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neto_api::server::{Reply, encode_reply};
use neto_api::{
    Codec, Credentials, CustomerLog, CustomerLogs, Customers, Endpoint, GetCustomer, LogStatus,
    NetoDateTime, WireFormat,
};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Deserialize;

const LOGS: usize = 300;

fn customers() -> Customers {
    let date = NetoDateTime::parse("2026-11-02 09:30:00").unwrap();
    let logs = (0..LOGS)
        .map(|i| {
            let mut log = CustomerLog::new(1000 + i as u64);
            log.customer = Some("jo.citizen".into());
            log.allocated_to = Some(format!("Agent {i}"));
            log.status = Some(LogStatus::RequireRecontact);
            log.date_required_follow_up = date;
            log.last_contacted = date;
            log.last_contacted_local = date;
            log.last_contacted_utc = date;
            log.notes = Some(format!("Call {i}: wants a quote on the blue & white tiles"));
            log
        })
        .collect();
    Customers::new(vec![CustomerLogs::new("jo.citizen", logs)])
}

fn answer(format: WireFormat) -> http::Response<Bytes> {
    let body = encode_reply::<GetCustomer>(
        format,
        &Reply::success(customers()),
        NetoDateTime::parse("2026-11-30 10:00:00").unwrap(),
    )
    .unwrap();
    let mut response = http::Response::new(body);
    response
        .headers_mut()
        .insert("content-type", format.content_type().parse().unwrap());
    response
}

/// The bare loop: every event read, text lengths summed. Returns the number
/// of `LogID` elements.
fn bare_quick_xml(bytes: &[u8]) -> usize {
    let mut reader = Reader::from_reader(bytes);
    let mut logs = 0;
    let mut text = 0;
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(tag) if tag.name().as_ref() == "LogID" => logs += 1,
            Event::Text(t) => text += t.xml10_content().len(),
            Event::Eof => break,
            _ => {}
        }
    }
    black_box(text);
    logs
}

#[allow(non_snake_case, dead_code)]
#[derive(Deserialize)]
struct JsonAnswer {
    Customer: Vec<JsonCustomer>,
    CurrentTime: String,
    Ack: String,
}

#[allow(non_snake_case, dead_code)]
#[derive(Deserialize)]
struct JsonCustomer {
    Username: String,
    CustomerLogs: JsonLogs,
}

#[allow(non_snake_case, dead_code)]
#[derive(Deserialize)]
struct JsonLogs {
    CustomerLog: Vec<JsonLog>,
}

#[allow(non_snake_case, dead_code)]
#[derive(Deserialize)]
struct JsonLog {
    LogID: String,
    Customer: String,
    AllocatedTo: String,
    Status: String,
    DateRequiredFollowUp: String,
    LastContacted: String,
    LastContactedLocal: String,
    LastContactedUTC: String,
    Notes: String,
}

fn decode(c: &mut Criterion) {
    let codec = Codec::new(
        Endpoint::for_store("bench.example").unwrap(),
        Credentials::api_key("bench", "bench-key"),
        WireFormat::Xml,
    );
    let get = GetCustomer::logs_of("jo.citizen");

    let xml = answer(WireFormat::Xml);
    eprintln!("XML answer: {} bytes", xml.body().len());
    let decoded = codec.decode(&get, &xml).expect("decodes");
    assert_eq!(decoded.output.customers[0].logs.len(), LOGS);
    assert_eq!(bare_quick_xml(xml.body()), LOGS);
    let mut group = c.benchmark_group("decode_xml_300_logs");
    group.throughput(Throughput::Bytes(xml.body().len() as u64));
    group.bench_function("crate", |b| {
        b.iter(|| codec.decode(black_box(&get), black_box(&xml)))
    });
    group.bench_function("bare_quick_xml", |b| {
        b.iter(|| bare_quick_xml(black_box(xml.body())))
    });
    group.finish();

    let json = answer(WireFormat::Json);
    eprintln!("JSON answer: {} bytes", json.body().len());
    let codec = codec.with_format(WireFormat::Json);
    let decoded = codec.decode(&get, &json).expect("decodes");
    assert_eq!(decoded.output.customers[0].logs.len(), LOGS);
    let owned: JsonAnswer = serde_json::from_slice(json.body()).unwrap();
    assert_eq!(owned.Customer[0].CustomerLogs.CustomerLog.len(), LOGS);
    let mut group = c.benchmark_group("decode_json_300_logs");
    group.throughput(Throughput::Bytes(json.body().len() as u64));
    group.bench_function("crate", |b| {
        b.iter(|| codec.decode(black_box(&get), black_box(&json)))
    });
    group.bench_function("serde_json_owned_structs", |b| {
        b.iter(|| serde_json::from_slice::<JsonAnswer>(black_box(json.body())).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
