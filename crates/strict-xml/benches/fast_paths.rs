//! Micro-benchmarks of strict-xml's fast paths beside their slower
//! equivalents, on the same bytes in the same run:
//!
//! - `read`: a bare quick-xml event loop, the borrowing pull API
//!   (`next_child_borrowed` / `read_text_borrowed`) and the owned tree
//!   (`read_tree`) over a document shaped like a CRM response (1,000 records
//!   of 23 fields, a few references);
//! - `write`: 8,000 `<attribute name="…">value</attribute>` elements through
//!   `text_element` and through `prepared_text_element`.
//!
//! Run with `cargo bench -p strict-xml --bench fast_paths`. The protocol-level
//! figures that matter are in `docs/benchmarks.md`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use quick_xml::Reader;
use quick_xml::events::Event;
use strict_xml::{PreparedElement, ReadError, XmlReader, XmlWriter};

const RECORDS: usize = 1_000;
const FIELDS: [&str; 8] = [
    "SecurityTraxUniqueID",
    "NoteSubject",
    "NoteText",
    "NoteTypeID",
    "TechID",
    "StartTime",
    "Notes",
    "ConfirmationNumber",
];

fn document() -> Vec<u8> {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<root>\n  <records>\n");
    for index in 0..RECORDS {
        let _ = writeln!(xml, "    <record type=\"Customer\" n=\"{index}\">");
        for field in 0..23 {
            match field % 5 {
                0 => {
                    let _ = writeln!(xml, "      <F{field}/>");
                }
                1 => {
                    let _ = writeln!(xml, "      <F{field}>O&apos;Brien &amp; Sons</F{field}>");
                }
                _ => {
                    let _ = writeln!(
                        xml,
                        "      <F{field}>value {index} of field {field}</F{field}>"
                    );
                }
            }
        }
        xml.push_str("    </record>\n");
    }
    xml.push_str("  </records>\n</root>\n");
    xml.into_bytes()
}

/// Every event, every attribute, every text normalised: the floor.
fn bare_quick_xml(bytes: &[u8]) -> usize {
    let mut reader = Reader::from_reader(bytes);
    let mut seen = 0;
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(tag) | Event::Empty(tag) => {
                seen += tag.name().as_ref().len();
                for attribute in tag.attributes() {
                    seen += attribute.expect("well-formed").value.len();
                }
            }
            Event::Text(text) => seen += text.xml10_content().len(),
            Event::GeneralRef(reference) => seen += reference.len(),
            Event::Eof => return seen,
            _ => {}
        }
    }
}

/// Every record and field through the borrowing API, every text read.
fn borrowed(bytes: &[u8]) -> Result<usize, ReadError> {
    let mut reader = XmlReader::new(bytes)?;
    reader.root_borrowed()?;
    let mut seen = 0;
    while reader.next_child_borrowed()?.is_some() {
        while let Some(record) = reader.next_child_borrowed()? {
            seen += record.attribute("n").map_or(0, |n| n.len());
            while let Some(field) = reader.next_child_borrowed()? {
                seen += field.name().len() + reader.read_text_borrowed()?.len();
            }
        }
    }
    reader.finish()?;
    Ok(seen)
}

/// The whole document as an owned tree.
fn owned_tree(bytes: &[u8]) -> Result<usize, ReadError> {
    let mut reader = XmlReader::new(bytes)?;
    let root = reader.root()?;
    let tree = reader.read_tree(root)?;
    reader.finish()?;
    Ok(tree.children.len())
}

fn read(c: &mut Criterion) {
    let doc = document();
    assert_eq!(borrowed(&doc).ok(), Some(borrowed(&doc).expect("reads")));
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Bytes(doc.len() as u64));
    group.bench_function("bare_quick_xml", |b| {
        b.iter(|| bare_quick_xml(black_box(&doc)))
    });
    group.bench_function("borrowed", |b| b.iter(|| borrowed(black_box(&doc))));
    group.bench_function("owned_tree", |b| b.iter(|| owned_tree(black_box(&doc))));
    group.finish();
}

fn values() -> Vec<(&'static str, String)> {
    (0..8 * RECORDS)
        .map(|i| {
            let value = match i % 4 {
                0 => format!("{}", 9_000 + i),
                1 => "Called back: \"yes\" to the upgrade & the extra keypad.".to_owned(),
                2 => "Left voicemail.\r\nWill try again tomorrow.".to_owned(),
                _ => "Gate code 1234; dog in yard".to_owned(),
            };
            (FIELDS[i % FIELDS.len()], value)
        })
        .collect()
}

fn checked_writer(values: &[(&'static str, String)]) -> Vec<u8> {
    let mut writer = XmlWriter::indented();
    writer
        .element("request", &[], |w| {
            values.iter().try_for_each(|(name, value)| {
                w.text_element("attribute", &[("name", name)], name, value)
            })
        })
        .expect("valid");
    writer.finish()
}

fn prepared_writer(prepared: &[PreparedElement], values: &[(&'static str, String)]) -> Vec<u8> {
    let mut writer = XmlWriter::indented();
    writer
        .element("request", &[], |w| {
            values
                .iter()
                .enumerate()
                .try_for_each(|(i, (name, value))| {
                    w.prepared_text_element(&prepared[i % prepared.len()], name, value)
                })
        })
        .expect("valid");
    writer.finish()
}

fn write(c: &mut Criterion) {
    let values = values();
    let prepared: Vec<PreparedElement> = FIELDS
        .iter()
        .map(|name| PreparedElement::new("attribute", &[("name", name)]).expect("valid"))
        .collect();
    let doc = checked_writer(&values);
    assert_eq!(prepared_writer(&prepared, &values), doc);
    let mut group = c.benchmark_group("write");
    group.throughput(Throughput::Bytes(doc.len() as u64));
    group.bench_function("text_element", |b| {
        b.iter(|| checked_writer(black_box(&values)))
    });
    group.bench_function("prepared_text_element", |b| {
        b.iter(|| prepared_writer(black_box(&prepared), black_box(&values)))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
}

criterion_group! {
    name = fast_paths;
    config = config();
    targets = read, write
}
criterion_main!(fast_paths);
