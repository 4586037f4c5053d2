//! Instruction-count driver (not committed): `icount <xml|bare|json|serde> N`.
use std::hint::black_box;

use bytes::Bytes;
use neto_api::server::{Reply, encode_reply};
use neto_api::{
    Codec, Credentials, CustomerLog, CustomerLogs, Customers, Endpoint, GetCustomer, LogStatus,
    NetoDateTime, WireFormat,
};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Deserialize;

fn customers() -> Customers {
    let date = NetoDateTime::parse("2026-11-02 09:30:00").unwrap();
    let logs = (0..300)
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

#[inline(never)]
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args[2].parse().unwrap();
    let codec = Codec::new(
        Endpoint::for_store("bench.example").unwrap(),
        Credentials::api_key("bench", "bench-key"),
        WireFormat::Xml,
    );
    let get = GetCustomer::logs_of("jo.citizen");
    let xml = answer(WireFormat::Xml);
    let json = answer(WireFormat::Json);
    let jcodec = codec.clone().with_format(WireFormat::Json);
    for _ in 0..n {
        match args[1].as_str() {
            "xml" => {
                black_box(codec.decode(black_box(&get), black_box(&xml)).unwrap());
            }
            "bare" => {
                black_box(bare_quick_xml(black_box(xml.body())));
            }
            "json" => {
                black_box(jcodec.decode(black_box(&get), black_box(&json)).unwrap());
            }
            "serde" => {
                black_box(serde_json::from_slice::<JsonAnswer>(black_box(json.body())).unwrap());
            }
            _ => panic!(),
        }
    }
}
