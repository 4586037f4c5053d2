//! Throughput of the SecurityTrax XML codec beside minimal baselines over the
//! same bytes (see `docs/benchmarks.md`):
//!
//! - `decode_1000_responses`: [`decode_response`] on a 1,000-response document
//!   vs a bare quick-xml event loop (target: ≥ 0.7× the loop's throughput);
//! - `encode_1000_operations`: [`Batch::encode`] (validation included) on a
//!   1,000-operation batch vs a hand-written byte-pushing writer (target:
//!   ≥ 0.5× the writer's throughput).
//!
//! Before timing anything, each group checks that both sides handle the same
//! document, so the baseline does the same work.
//!
//! Run with `cargo bench -p strax-xml-protocol`.

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strax_xml_protocol::{Batch, Endpoint, OperationOutcome, decode_response};

mod baseline;
mod corpus;

fn decode(c: &mut Criterion) {
    let corpus = corpus::response_document();
    let size = corpus.body.len();
    let response = http::Response::new(Bytes::from(corpus.body));
    let body = response.body().clone();

    let outcomes = decode_response(&corpus.sent, &response).expect("the document decodes");
    assert_eq!(outcomes.len(), corpus::OPERATIONS);
    assert!(outcomes.iter().all(OperationOutcome::is_ok));
    let tally = baseline::bare_quick_xml(&body);
    assert_eq!(tally.responses, corpus::OPERATIONS + 1, "{tally:?}");

    let mut group = c.benchmark_group("decode_1000_responses");
    group.throughput(Throughput::Bytes(size as u64));
    group.bench_function("crate", |b| {
        b.iter(|| decode_response(black_box(&corpus.sent), black_box(&response)))
    });
    group.bench_function("bare_quick_xml", |b| {
        b.iter(|| baseline::bare_quick_xml(black_box(&body)))
    });
    group.bench_function("strict_reader_only", |b| {
        b.iter(|| baseline::strict_reader_only(black_box(&body)))
    });
    group.finish();
}

fn encode(c: &mut Criterion) {
    let credentials = corpus::credentials();
    let operations = corpus::write_operations();
    let batch = Batch::new(credentials.clone(), operations.clone());
    let endpoint = Endpoint::securitytrax("acme").expect("valid site name");

    let request = batch.encode(&endpoint).expect("the batch is valid");
    let hand_written = baseline::hand_written_request(&credentials, &operations);
    assert!(
        request.body()[..] == hand_written[..],
        "the hand-written writer must produce the crate's document byte for byte"
    );

    let mut group = c.benchmark_group("encode_1000_operations");
    group.throughput(Throughput::Bytes(hand_written.len() as u64));
    group.bench_function("crate", |b| {
        b.iter(|| black_box(&batch).encode(black_box(&endpoint)))
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| baseline::hand_written_request(black_box(&credentials), black_box(&operations)))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! {
    name = codec;
    config = config();
    targets = decode, encode
}
criterion_main!(codec);
