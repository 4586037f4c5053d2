//! Decoding a 10,000-note list (the vendor's full Note shape, with ids):
//! `notes_rest::decode_notes` against plain `serde_json` into equivalent owned
//! structs (timestamps and enums as `String`) over the same bytes, and
//! `serde_json` into `IgnoredAny` as the ceiling, in the same run.
//!
//! `cargo bench -p notes-rest --bench decode`; the figures are in
//! docs/benchmarks.md.

#![allow(missing_docs, dead_code)]

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use serde::de::IgnoredAny;

const NOTES: usize = 10_000;

/// The vendor's sample note, with ids filled in and varied.
fn body() -> Bytes {
    let sample: serde_json::Value = serde_json::from_str(include_str!(
        "../../../fixtures/peoplevine/generated/get_customer_note/200_vendor_sample.json"
    ))
    .expect("the fixture is JSON");
    let notes: Vec<serde_json::Value> = (0..NOTES)
        .map(|n| {
            let mut note = sample.clone();
            note["id"] = serde_json::json!(n + 1);
            note["customer_id"] = serde_json::json!(500 + n % 17);
            note["user_id"] = serde_json::json!(7);
            note["company_id"] = serde_json::json!(42);
            note["reference_id"] = serde_json::json!(n % 97);
            note["reference_type"] = serde_json::json!(["customer", "order", ""][n % 3]);
            note["status"] = serde_json::json!(["open", "closed", ""][n % 3]);
            note["details"] = serde_json::json!(format!("Called about renewal number {n}."));
            note
        })
        .collect();
    Bytes::from(serde_json::to_vec(&notes).expect("serialises"))
}

// Plain serde structs with the same fields, owned, no checks.
#[derive(Deserialize)]
struct PlainPhone {
    country_code: Option<String>,
    number: Option<String>,
    full: Option<String>,
}

#[derive(Deserialize)]
struct PlainCustomer {
    company_name: Option<String>,
    company_title: Option<String>,
    first_name: Option<String>,
    middle_name: Option<String>,
    last_name: Option<String>,
    full_name: Option<String>,
    locale: Option<String>,
    is_member: Option<bool>,
    was_member: Option<bool>,
    has_applied: Option<bool>,
    flag: Option<String>,
    email: Option<String>,
    mobile: Option<PlainPhone>,
    phone: Option<PlainPhone>,
    profile_photo: Option<String>,
    vip: Option<bool>,
    home_house_id: Option<String>,
    birthdate: Option<String>,
    anniversary_date: Option<String>,
    created_on: Option<String>,
}

#[derive(Deserialize)]
struct PlainUser {
    status: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    full_name: Option<String>,
    email: Option<String>,
    username: Option<String>,
    profile_photo: Option<String>,
    employee_id: Option<String>,
    mobile_number: Option<String>,
    business_location_id: Option<String>,
    enable2_fa: Option<String>,
    modified_on: Option<String>,
    created_by: Option<String>,
    role: Option<String>,
}

#[derive(Deserialize)]
struct PlainAssignee {
    status: Option<String>,
    created_on: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    full_name: Option<String>,
    email: Option<String>,
    username: Option<String>,
    profile_photo: Option<String>,
    employee_id: Option<String>,
    mobile_number: Option<String>,
    business_location_id: Option<String>,
    enable2_fa: Option<String>,
    modified_on: Option<String>,
    created_by: Option<String>,
    role: Option<String>,
}

#[derive(Deserialize)]
struct PlainMessage {
    message: Option<String>,
    attachment: Option<String>,
    posted_by: Option<PlainUser>,
    created_on: Option<String>,
}

#[derive(Deserialize)]
struct PlainNote {
    id: Option<i64>,
    reference_type: String,
    reference_id: Option<i64>,
    #[serde(rename = "type")]
    kind: Option<String>,
    details: Option<String>,
    created_on: String,
    status: String,
    reminder: Option<String>,
    user_id: Option<i64>,
    company_id: Option<i64>,
    customer_id: Option<i64>,
    confidential: bool,
    priority: bool,
    tags: Option<Vec<String>>,
    subject: Option<String>,
    customer: Option<PlainCustomer>,
    user: Option<PlainUser>,
    assignees: Option<Vec<PlainAssignee>>,
    messages: Option<Vec<PlainMessage>>,
}

fn decode(c: &mut Criterion) {
    let body = body();
    let response = http::Response::new(body.clone());
    let redactor = wire_core::Redactor::none();
    assert_eq!(
        notes_rest::decode_notes(&response, &redactor)
            .expect("decodes")
            .notes
            .len(),
        NOTES
    );
    let mut group = c.benchmark_group("decode_10k_notes");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("notes_rest", |b| {
        b.iter(|| notes_rest::decode_notes(black_box(&response), &redactor).expect("decodes"));
    });
    group.bench_function("serde_json_plain_structs", |b| {
        b.iter(|| serde_json::from_slice::<Vec<PlainNote>>(black_box(&body)).expect("decodes"));
    });
    group.bench_function("serde_json_ignored_any", |b| {
        b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(&body)).expect("decodes"));
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
