//! The fixture XML: the request document of every record's samples, and the
//! answers a post can get.

use std::fmt::Write as _;

use super::FIXTURE_SECRET;
use super::spec::*;

pub(super) const RESPONSE_CASES: [&str; 7] = [
    "response_success",
    "response_rejected",
    "response_short",
    "response_too_many",
    "response_unreadable",
    "response_tolerant",
    "response_not_root",
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// How many sample records `record` has.
pub(super) fn samples(record: &RecordSpec) -> usize {
    record.fields.first().map_or(0, |f| f.examples.len())
}

/// One record element, `indent` spaces deep, as the encoder writes it.
fn record_xml(
    out: &mut String,
    record: &RecordSpec,
    nested: Option<&RecordSpec>,
    sample: usize,
    indent: usize,
) {
    let pad = " ".repeat(indent);
    writeln!(out, "{pad}<{}>", record.element).ok();
    for field in &record.fields {
        let value = &field.examples[sample];
        if value.is_empty() {
            writeln!(out, "{pad}  <{}/>", field.wire).ok();
        } else {
            writeln!(out, "{pad}  <{0}>{1}</{0}>", field.wire, escape(value)).ok();
        }
    }
    if let Some(nested) = nested {
        if samples(nested) == 0 {
            writeln!(out, "{pad}  <{}/>", nested.list_element).ok();
        } else {
            writeln!(out, "{pad}  <{}>", nested.list_element).ok();
            for i in 0..samples(nested) {
                record_xml(out, nested, None, i, indent + 4);
                out.push('\n');
            }
            writeln!(out, "{pad}  </{}>", nested.list_element).ok();
        }
    }
    write!(out, "{pad}</{}>", record.element).ok();
}

/// The request document exactly as the crate's encoder writes it.
pub(super) fn request_xml(record: &RecordSpec, nested: Option<&RecordSpec>) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" standalone=\"yes\"?>\n<{}>\n",
        record.list_element
    );
    for sample in 0..samples(record) {
        record_xml(&mut out, record, nested, sample, 2);
        out.push('\n');
    }
    write!(out, "</{}>", record.list_element).ok();
    out
}

fn envelope(responses: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<root>\n  <responses>\n{responses}  </responses>\n</root>\n")
}

fn success(record: &RecordSpec, sample: usize, customer_id: usize) -> String {
    let text = |wire: &str| {
        record
            .fields
            .iter()
            .find(|f| f.wire == wire)
            .map(|f| escape(&f.examples[sample]))
            .unwrap_or_default()
    };
    format!(
        "    <response success=\"true\">\n      <data>\n        <fname>{}</fname>\n        <lname>{}</lname>\n        <customer_id>{customer_id}</customer_id>\n      </data>\n    </response>\n",
        text("fname"),
        text("lname")
    )
}

pub(super) fn responses(record: &RecordSpec) -> Vec<(&'static str, String)> {
    let n = samples(record);
    let all_success: String = (0..n).map(|i| success(record, i, 1003 + i)).collect();
    let rejected: String = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                "    <response success=\"false\">\n      <data>\n        <error>Invalid source_id</error>\n        <message>Phone1 must be numbers only &amp; is required</message>\n      </data>\n    </response>\n".to_owned()
            } else {
                "    <response success=\"false\">\n      <data>\n        <errors>\n          <e1><![CDATA[State <ZZ> is not valid]]></e1>\n        </errors>\n      </data>\n    </response>\n".to_owned()
            }
        })
        .collect();
    let short: String = (0..n.saturating_sub(1))
        .map(|i| success(record, i, 1003 + i))
        .collect();
    let too_many: String = (0..=n)
        .map(|i| success(record, i.min(n - 1), 1003 + i))
        .collect();
    let full = envelope(&all_success);
    let unreadable = full[..full.len() * 2 / 3].to_owned();
    let tolerant_responses: String = (0..n)
        .map(|i| {
            format!(
                "<!-- response {i} -->\n<response success=' TRUE ' extra='1'><Trace>unknown</Trace><data><customer_id>\n  {} </customer_id><fname>x</fname><note>&#65;&amp;B</note></data>\n<system_request><source_id>{FIXTURE_SECRET}</source_id></system_request></response>\n",
                2003 + i
            )
        })
        .collect();
    let tolerant = format!(
        "<!-- no declaration; single quotes; comments; unknown elements; an echo of the request -->\n<root>\n<Debug level='3'>ignored</Debug>\n<responses>\n{tolerant_responses}<Footer/></responses>\n</root>\n"
    );
    let not_root =
        "<html><body><b>Fatal error</b>: Uncaught exception in leadpostxml.php</body></html>\n"
            .to_owned();
    vec![
        ("response_success.xml", full),
        ("response_rejected.xml", envelope(&rejected)),
        ("response_short.xml", envelope(&short)),
        ("response_too_many.xml", envelope(&too_many)),
        ("response_unreadable.xml", unreadable),
        ("response_tolerant.xml", tolerant),
        ("response_not_root.xml", not_root),
    ]
}
