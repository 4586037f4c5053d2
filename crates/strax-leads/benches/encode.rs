//! Encoding 10,000 leads with validation beside two baselines over the same
//! leads, in the same run (see `docs/benchmarks.md`):
//!
//! - `hand_written`: a byte-pushing writer producing the crate's document
//!   byte for byte, validating nothing (target: the crate ≥ 0.6× its
//!   throughput);
//! - `quick_xml_serde`: quick-xml's serde serializer over plain structs of
//!   the same 30 fields, indented alike, validating nothing (target: the
//!   crate ≥ 2× its throughput).
//!
//! Before timing anything, the hand-written document is checked to be the
//! crate's byte for byte, and the serde one to be the same modulo the
//! declaration, empty-element spelling and the escaping of quotes.
//!
//! Run with `cargo bench -p strax-leads`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Serialize;
use strax_leads::{Lead, Mode, PostRecord, encode_document};

/// How many leads each iteration encodes.
const LEADS: usize = 10_000;

/// 10,000 valid leads (already normalised, so every encoder writes the same
/// values), with some markup to escape and some fields unset.
fn corpus() -> Vec<Lead> {
    (0..LEADS)
        .map(|i| {
            let pairs: Vec<(&str, String)> = vec![
                ("source_id", "77".into()),
                (
                    "campaign_id",
                    if i % 3 == 0 {
                        String::new()
                    } else {
                        format!("C{}", i % 17)
                    },
                ),
                (
                    "lead_type_id",
                    if i % 2 == 0 {
                        "2".into()
                    } else {
                        String::new()
                    },
                ),
                ("lead_purchase_price", format!("{}.{:02}", i % 90, i % 100)),
                ("fname", format!("First{i}")),
                (
                    "lname",
                    if i % 10 == 0 {
                        format!("O'Brien & Sons {i}")
                    } else {
                        format!("Last{i}")
                    },
                ),
                ("address1", format!("{} Market Road", 100 + i)),
                (
                    "address2",
                    if i % 4 == 0 {
                        "Suite <2>".into()
                    } else {
                        String::new()
                    },
                ),
                ("city", "Notus".into()),
                ("state", "ID".into()),
                ("zip", "83660".into()),
                ("phone1", format!("801{:07}", i)),
                ("phone2", format!("801{:07}", i + 1)),
                ("phone3", String::new()),
                ("phone4", String::new()),
                ("email", format!("lead{i}@example.com")),
                (
                    "lead_comments",
                    "I am looking for quotes and ready to buy!".into(),
                ),
                ("contact_time", "Noon".into()),
                ("lead_source_info", "Google Adwords - ABC Security".into()),
                ("lead_company_unique_id", format!("L{i:08}")),
                ("lead_home_ownership", "rent".into()),
                ("lead_callcenter_rep", "Joe Rogers".into()),
                ("lead_callcenter_notes", "They are very interested".into()),
                ("lead_promo_code", "ABCDE".into()),
                ("lead_custom1", "this is custom1".into()),
                ("lead_custom2", String::new()),
                ("lead_custom3", String::new()),
                ("lead_custom4", String::new()),
                ("spouse", "Mary".into()),
                ("lead_rep_id", String::new()),
            ];
            Lead::from_fields(i, pairs).expect("corpus leads are valid")
        })
        .collect()
}

/// The wire texts of every field of every lead, as a hand-written encoder
/// would keep them (strings, `""` for unset).
fn texts(leads: &[Lead]) -> Vec<Vec<String>> {
    leads
        .iter()
        .map(|lead| {
            (0..Lead::FIELDS.len())
                .map(|i| lead.field_at(i).map(|v| v.into_owned()).unwrap_or_default())
                .collect()
        })
        .collect()
}

/// Escapes text content as strict-xml does (`<`, `>`, `&`, `'`, `"`, CR).
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// The crate's document, pushed byte by byte, validating nothing.
fn hand_written(leads: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(leads.len() * 1400);
    out.extend_from_slice(b"<?xml version=\"1.0\" standalone=\"yes\"?>\n<leads>");
    for lead in leads {
        out.extend_from_slice(b"\n  <lead>");
        for (spec, value) in Lead::FIELDS.iter().zip(lead) {
            let name = spec.wire_name.as_bytes();
            out.extend_from_slice(b"\n    <");
            out.extend_from_slice(name);
            if value.is_empty() {
                out.extend_from_slice(b"/>");
            } else {
                out.push(b'>');
                push_escaped(&mut out, value);
                out.extend_from_slice(b"</");
                out.extend_from_slice(name);
                out.push(b'>');
            }
        }
        out.extend_from_slice(b"\n  </lead>");
    }
    out.extend_from_slice(b"\n</leads>");
    out
}

/// The same 30 fields as a plain struct, for quick-xml's serde serializer.
#[derive(Serialize)]
struct SerdeLead<'a> {
    source_id: &'a str,
    campaign_id: &'a str,
    lead_type_id: &'a str,
    lead_purchase_price: &'a str,
    fname: &'a str,
    lname: &'a str,
    address1: &'a str,
    address2: &'a str,
    city: &'a str,
    state: &'a str,
    zip: &'a str,
    phone1: &'a str,
    phone2: &'a str,
    phone3: &'a str,
    phone4: &'a str,
    email: &'a str,
    lead_comments: &'a str,
    contact_time: &'a str,
    lead_source_info: &'a str,
    lead_company_unique_id: &'a str,
    lead_home_ownership: &'a str,
    lead_callcenter_rep: &'a str,
    lead_callcenter_notes: &'a str,
    lead_promo_code: &'a str,
    lead_custom1: &'a str,
    lead_custom2: &'a str,
    lead_custom3: &'a str,
    lead_custom4: &'a str,
    spouse: &'a str,
    lead_rep_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename = "leads")]
struct SerdeLeads<'a> {
    lead: Vec<SerdeLead<'a>>,
}

fn serde_leads(texts: &[Vec<String>]) -> SerdeLeads<'_> {
    SerdeLeads {
        lead: texts
            .iter()
            .map(|t| SerdeLead {
                source_id: &t[0],
                campaign_id: &t[1],
                lead_type_id: &t[2],
                lead_purchase_price: &t[3],
                fname: &t[4],
                lname: &t[5],
                address1: &t[6],
                address2: &t[7],
                city: &t[8],
                state: &t[9],
                zip: &t[10],
                phone1: &t[11],
                phone2: &t[12],
                phone3: &t[13],
                phone4: &t[14],
                email: &t[15],
                lead_comments: &t[16],
                contact_time: &t[17],
                lead_source_info: &t[18],
                lead_company_unique_id: &t[19],
                lead_home_ownership: &t[20],
                lead_callcenter_rep: &t[21],
                lead_callcenter_notes: &t[22],
                lead_promo_code: &t[23],
                lead_custom1: &t[24],
                lead_custom2: &t[25],
                lead_custom3: &t[26],
                lead_custom4: &t[27],
                spouse: &t[28],
                lead_rep_id: &t[29],
            })
            .collect(),
    }
}

/// quick-xml's serde serializer, indented like the crate's document.
fn quick_xml_serde(leads: &SerdeLeads<'_>) -> String {
    let mut out = String::with_capacity(leads.lead.len() * 1400);
    out.push_str("<?xml version=\"1.0\" standalone=\"yes\"?>\n");
    let mut serializer = quick_xml::se::Serializer::new(&mut out);
    serializer.indent(' ', 2);
    leads.serialize(serializer).expect("serialises");
    out
}

/// `xml` without whitespace between tags, `<x/>` written `<x></x>`.
fn comparable(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        if !text.trim().is_empty() {
            out.push_str(text);
        }
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        match tag.strip_suffix("/>").filter(|_| !tag.starts_with("<?")) {
            Some(open) => {
                let name = &open[1..];
                out.push_str(&format!("<{name}></{name}>"));
            }
            None => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest.trim());
    // quick-xml leaves quotes in text as they are; strict-xml escapes them.
    out.replace("&apos;", "'").replace("&quot;", "\"")
}

fn encode(c: &mut Criterion) {
    let leads = corpus();
    let texts = texts(&leads);
    let crate_document = encode_document(&leads, Mode::Normalise).expect("valid leads");
    assert!(
        crate_document == hand_written(&texts),
        "the hand-written writer must produce the crate's document byte for byte"
    );
    let serde_document = quick_xml_serde(&serde_leads(&texts));
    let crate_text = String::from_utf8(crate_document.clone()).expect("UTF-8");
    assert!(
        comparable(&serde_document) == comparable(&crate_text),
        "quick-xml must write the same document modulo whitespace, empty-element spelling and \
         the escaping of quotes"
    );

    let mut group = c.benchmark_group("encode_10000_leads");
    group.throughput(Throughput::Bytes(crate_document.len() as u64));
    group.bench_function("crate_with_validation", |b| {
        b.iter(|| encode_document(black_box(&leads), Mode::Normalise))
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| hand_written(black_box(&texts)))
    });
    group.bench_function("quick_xml_serde", |b| {
        b.iter(|| quick_xml_serde(&serde_leads(black_box(&texts))))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = encode
}
criterion_main!(benches);
