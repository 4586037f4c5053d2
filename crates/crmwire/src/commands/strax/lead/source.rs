//! The input of `lead post` and `customer post`, read one record at a time:
//! CSV with a header row of the documented field names, or JSON Lines (one JSON
//! object per line). Memory stays flat whatever the file's size: one record is
//! held at a time, and a JSON line longer than [`MAX_LINE_BYTES`] is refused
//! without being held.
//!
//! Each record comes with the line it starts on (counted from one; a CSV
//! header is the first line) and as a field map (`field name → value`): CSV cells as strings, JSON
//! values as written, except that a number or a boolean is turned into its
//! text, so both formats give the protocol the same strings. A record that
//! cannot be read is a [`BadRecord`] naming its line, the field when one is to
//! blame, and the rule; the records after it are still read.

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::{Map, Value};
use wire_core::validation::Rule;

/// The longest JSON line read, in bytes (1 MiB); a longer line is a bad
/// record, skipped without being held in memory.
pub(crate) const MAX_LINE_BYTES: usize = 1 << 20;

/// The field that identifies a record in the sender's own system.
pub(crate) const UNIQUE_ID_FIELD: &str = "lead_company_unique_id";

/// A record's fields by their documented names.
pub(crate) type Fields = Map<String, Value>;

/// The input's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// JSON Lines: one JSON object per line.
    #[value(name = "jsonl", alias = "ndjson")]
    JsonLines,
}

impl Format {
    /// The format a file's extension says: `.csv`, or `.jsonl`, `.ndjson` and
    /// `.json` for JSON Lines.
    pub(crate) fn of_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" | "json" => Some(Self::JsonLines),
            _ => None,
        }
    }
}

/// A record that was read, with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Numbered {
    /// The line it starts on, from 1.
    pub(crate) line: u64,
    /// Its fields.
    pub(crate) fields: Fields,
}

impl Numbered {
    /// Its `lead_company_unique_id`, when given and not blank.
    pub(crate) fn unique_id(&self) -> Option<&str> {
        unique_id_of(&self.fields)
    }

    /// Its unique id in `field` (a customer's is `partner_company_unique_id`),
    /// when given and not blank.
    pub(crate) fn unique_id_in(&self, field: &str) -> Option<&str> {
        self.fields
            .get(field)
            .and_then(Value::as_str)
            .filter(|id| !id.trim().is_empty())
    }
}

/// The non-blank `lead_company_unique_id` of `fields`.
pub(crate) fn unique_id_of(fields: &Fields) -> Option<&str> {
    fields
        .get(UNIQUE_ID_FIELD)
        .and_then(Value::as_str)
        .filter(|id| !id.trim().is_empty())
}

/// A record that cannot be read or breaks a rule: it is reported, never sent.
/// Its values are kept exact (for `--json`); text output escapes the whole
/// line ([`Display`](fmt::Display) does not).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct BadRecord {
    /// The line it starts on.
    pub(crate) line: u64,
    /// Its `lead_company_unique_id`, when it could be read.
    pub(crate) unique_id: Option<String>,
    /// The field to blame, `None` for the record as a whole.
    pub(crate) field: Option<String>,
    /// The rule's stable code (`format`, `unknown_field`, `digits`, …).
    pub(crate) rule: &'static str,
    /// The whole sentence.
    pub(crate) message: String,
}

impl BadRecord {
    /// The record at `line` breaks `rule` (in `field`, when one is to blame).
    pub(crate) fn new(
        line: u64,
        unique_id: Option<String>,
        field: Option<&str>,
        rule: &Rule,
    ) -> Self {
        let message = match field {
            Some(field) => format!("field `{field}` {rule}"),
            None => format!("the record {rule}"),
        };
        Self {
            line,
            unique_id,
            field: field.map(str::to_owned),
            rule: rule.code(),
            message,
        }
    }
}

impl fmt::Display for BadRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(id) = &self.unique_id {
            write!(f, " ({id})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What reading gives: a record, or one that cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A record with its fields.
    Record(Numbered),
    /// A record that cannot be read; reading goes on after it.
    Bad(BadRecord),
}

/// Why the input as a whole cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum SourceError {
    /// Reading failed.
    #[error("cannot read the input: {0}")]
    Io(#[from] std::io::Error),
    /// A CSV header that is not made of known, distinct field names.
    #[error("the CSV header (line 1): {0}")]
    Header(String),
}

/// A rule with a sentence of its own.
fn format_rule(expected: &'static str) -> Rule {
    Rule::Format {
        expected: expected.into(),
    }
}

/// Reads records one at a time from CSV or JSON Lines.
pub(crate) struct RecordReader<R: Read> {
    inner: Inner<R>,
}

enum Inner<R: Read> {
    Csv {
        reader: csv::Reader<R>,
        headers: Vec<String>,
        record: csv::StringRecord,
    },
    Json {
        reader: BufReader<R>,
        line: u64,
        buffer: Vec<u8>,
        known: Known,
    },
}

/// Whether a name is a field of the record.
pub(crate) type Known = fn(&str) -> bool;

impl<R: Read> RecordReader<R> {
    /// A reader of `input` in `format`. `known` tells the record's field names:
    /// a CSV header with another name, or a name twice, is refused at once (the
    /// whole file would be misread); a JSON object with another name is a bad
    /// record.
    pub(crate) fn new(input: R, format: Format, known: Known) -> Result<Self, SourceError> {
        let inner = match format {
            Format::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .flexible(false)
                    .from_reader(input);
                let headers = read_headers(&mut reader, known)?;
                Inner::Csv {
                    reader,
                    headers,
                    record: csv::StringRecord::new(),
                }
            }
            Format::JsonLines => Inner::Json {
                reader: BufReader::new(input),
                line: 0,
                buffer: Vec::new(),
                known,
            },
        };
        Ok(Self { inner })
    }

    /// The next record, `None` at the end of the input.
    pub(crate) fn next_item(&mut self) -> Result<Option<Item>, SourceError> {
        match &mut self.inner {
            Inner::Csv {
                reader,
                headers,
                record,
            } => next_csv(reader, headers, record),
            Inner::Json {
                reader,
                line,
                buffer,
                known,
            } => next_json(reader, line, buffer, *known),
        }
    }
}

impl<R: Read> Iterator for RecordReader<R> {
    type Item = Result<Item, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_item().transpose()
    }
}

fn read_headers<R: Read>(
    reader: &mut csv::Reader<R>,
    known: Known,
) -> Result<Vec<String>, SourceError> {
    let headers = reader.headers().map_err(|error| match error.into_kind() {
        csv::ErrorKind::Io(error) => SourceError::Io(error),
        other => SourceError::Header(csv_detail(&other)),
    })?;
    let mut seen = HashSet::new();
    let mut names = Vec::with_capacity(headers.len());
    for name in headers {
        let name = name.trim().trim_start_matches('\u{feff}').to_owned();
        if !known(&name) {
            return Err(SourceError::Header(format!(
                "`{}` is not a field name (the header row must hold the documented field names)",
                escape(&name)
            )));
        }
        if !seen.insert(name.clone()) {
            return Err(SourceError::Header(format!(
                "`{}` is given more than once",
                escape(&name)
            )));
        }
        names.push(name);
    }
    Ok(names)
}

/// `text` escaped for a message (it comes from the user's file).
fn escape(text: &str) -> String {
    wire_core::text::escape_for_terminal(text).into_owned()
}

fn next_csv<R: Read>(
    reader: &mut csv::Reader<R>,
    headers: &[String],
    record: &mut csv::StringRecord,
) -> Result<Option<Item>, SourceError> {
    match reader.read_record(record) {
        Ok(false) => Ok(None),
        Ok(true) => {
            let line = record.position().map_or(0, csv::Position::line);
            let fields: Fields = headers
                .iter()
                .zip(record.iter())
                .map(|(name, value)| (name.clone(), Value::String(value.to_owned())))
                .collect();
            Ok(Some(Item::Record(Numbered { line, fields })))
        }
        Err(error) => {
            let line = error.position().map_or(0, csv::Position::line);
            match error.into_kind() {
                csv::ErrorKind::Io(error) => Err(SourceError::Io(error)),
                csv::ErrorKind::Utf8 { err, .. } => Ok(Some(Item::Bad(BadRecord::new(
                    line,
                    None,
                    headers.get(err.field()).map(String::as_str),
                    &format_rule("UTF-8 text"),
                )))),
                csv::ErrorKind::UnequalLengths { .. } => Ok(Some(Item::Bad(BadRecord::new(
                    line,
                    None,
                    None,
                    &format_rule("as many cells as the header row has"),
                )))),
                other => Ok(Some(Item::Bad(BadRecord::new(
                    line,
                    None,
                    None,
                    &Rule::Other {
                        code: "unreadable",
                        message: format!("cannot be read as CSV: {}", csv_detail(&other)).into(),
                    },
                )))),
            }
        }
    }
}

fn csv_detail(kind: &csv::ErrorKind) -> String {
    match kind {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_owned(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} cells where {expected_len} were expected"),
        _ => "malformed".to_owned(),
    }
}

fn next_json<R: Read>(
    reader: &mut BufReader<R>,
    line: &mut u64,
    buffer: &mut Vec<u8>,
    known: Known,
) -> Result<Option<Item>, SourceError> {
    loop {
        buffer.clear();
        let read = (&mut *reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', buffer)?;
        if read == 0 {
            return Ok(None);
        }
        *line += 1;
        if buffer.len() > MAX_LINE_BYTES && buffer.last() != Some(&b'\n') {
            skip_line(reader)?;
            return Ok(Some(Item::Bad(BadRecord::new(
                *line,
                None,
                None,
                &Rule::Other {
                    code: "too_long",
                    message: format!("is longer than {MAX_LINE_BYTES} bytes").into(),
                },
            ))));
        }
        let text = buffer.trim_ascii();
        if text.is_empty() {
            continue;
        }
        return Ok(Some(json_record(*line, text, known)));
    }
}

/// Consumes the rest of an overlong line, holding at most one buffer of it.
fn skip_line<R: Read>(reader: &mut BufReader<R>) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(end) = chunk.iter().position(|byte| *byte == b'\n') {
            reader.consume(end + 1);
            return Ok(());
        }
        let length = chunk.len();
        reader.consume(length);
    }
}

fn json_record(line: u64, text: &[u8], known: Known) -> Item {
    let object = match serde_json::from_slice::<Value>(text) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            return Item::Bad(BadRecord::new(
                line,
                None,
                None,
                &format_rule("a JSON object"),
            ));
        }
        Err(error) => {
            return Item::Bad(BadRecord::new(
                line,
                None,
                None,
                &Rule::Other {
                    code: "unreadable",
                    message: format!(
                        "cannot be read as JSON (column {}): {}",
                        error.column(),
                        json_category(&error)
                    )
                    .into(),
                },
            ));
        }
    };
    let unique_id = object
        .get(UNIQUE_ID_FIELD)
        .and_then(scalar_text)
        .filter(|id| !id.trim().is_empty());
    let mut fields = Fields::new();
    let bad = |field: &str, rule: &Rule| {
        Item::Bad(BadRecord::new(line, unique_id.clone(), Some(field), rule))
    };
    for (name, value) in object {
        match value {
            Value::Array(items) => {
                // A list of objects (a customer's emergency contacts) is
                // flattened as `<name>/<n>/<field>`, n from 1, as CSV names it.
                for (position, item) in items.into_iter().enumerate() {
                    let Value::Object(inner) = item else {
                        return bad(&name, &format_rule("a list of objects"));
                    };
                    for (field, value) in inner {
                        let nested = format!("{name}/{}/{field}", position + 1);
                        match add_scalar(&mut fields, nested, value, known) {
                            Ok(()) => {}
                            Err((field, rule)) => return bad(&field, &rule),
                        }
                    }
                }
            }
            value => match add_scalar(&mut fields, name, value, known) {
                Ok(()) => {}
                Err((field, rule)) => return bad(&field, &rule),
            },
        }
    }
    Item::Record(Numbered { line, fields })
}

/// Adds `name` with `value` as text; `null` leaves it out.
fn add_scalar(
    fields: &mut Fields,
    name: String,
    value: Value,
    known: Known,
) -> Result<(), (String, Rule)> {
    if !known(&name) {
        return Err((name, Rule::UnknownField));
    }
    match value {
        Value::Null => {}
        Value::String(_) => {
            fields.insert(name, value);
        }
        Value::Number(_) | Value::Bool(_) => {
            let text = scalar_text(&value).unwrap_or_default();
            fields.insert(name, Value::String(text));
        }
        Value::Array(_) | Value::Object(_) => {
            return Err((name, format_rule("a string, a number or a boolean")));
        }
    }
    Ok(())
}

/// A string, number or boolean as text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// What kind of JSON error, without quoting the input (it may be personal).
fn json_category(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Eof => "it ends too early",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Io => "unreadable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        matches!(
            name,
            "fname" | "lname" | "phone1" | "lead_company_unique_id" | "Contacts/1/name"
        ) || name.starts_with("Contacts/2/")
    }

    const KNOWN: Known = known;

    fn all(input: &str, format: Format) -> Vec<Item> {
        RecordReader::new(input.as_bytes(), format, KNOWN)
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    }

    fn record(item: &Item) -> &Numbered {
        match item {
            Item::Record(record) => record,
            Item::Bad(bad) => panic!("expected a record, got {bad}"),
        }
    }

    fn bad(item: &Item) -> &BadRecord {
        match item {
            Item::Bad(bad) => bad,
            Item::Record(record) => panic!("expected a bad record, got {record:?}"),
        }
    }

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(Format::of_path(Path::new("a.CSV")), Some(Format::Csv));
        assert_eq!(
            Format::of_path(Path::new("a.jsonl")),
            Some(Format::JsonLines)
        );
        assert_eq!(
            Format::of_path(Path::new("a.ndjson")),
            Some(Format::JsonLines)
        );
        assert_eq!(
            Format::of_path(Path::new("a.json")),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::of_path(Path::new("a.txt")), None);
        assert_eq!(Format::of_path(Path::new("leads")), None);
    }

    #[test]
    fn csv_records_come_with_their_line_and_fields_by_header() {
        let items = all(
            "fname,lname,lead_company_unique_id\nSue,Stallman,A1\n\"Mike\nJr\",Smith,\nAnn,Lee,A3\n",
            Format::Csv,
        );
        assert_eq!(items.len(), 3);
        let first = record(&items[0]);
        assert_eq!(first.line, 2);
        assert_eq!(first.fields["fname"], "Sue");
        assert_eq!(first.unique_id(), Some("A1"));
        let second = record(&items[1]);
        assert_eq!(second.line, 3);
        assert_eq!(second.fields["fname"], "Mike\nJr");
        assert_eq!(second.unique_id(), None, "a blank id is no id");
        // The quoted line break moved the third record to line 5.
        assert_eq!(record(&items[2]).line, 5);
    }

    #[test]
    fn a_bad_csv_record_is_reported_and_the_next_ones_still_come() {
        let mut input = b"fname,lname\nSue,Stallman\nonly-one\n".to_vec();
        input.extend_from_slice(b"Bad\xff,X\nAnn,Lee\n");
        let items: Vec<Item> = RecordReader::new(input.as_slice(), Format::Csv, KNOWN)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(record(&items[0]).line, 2);
        let short = bad(&items[1]);
        assert_eq!(
            (short.line, short.rule, short.field.as_deref()),
            (3, "format", None)
        );
        assert_eq!(
            short.to_string(),
            "line 3: the record must be as many cells as the header row has"
        );
        let not_utf8 = bad(&items[2]);
        assert_eq!(
            (not_utf8.line, not_utf8.field.as_deref()),
            (4, Some("fname"))
        );
        assert_eq!(record(&items[3]).fields["fname"], "Ann");
    }

    #[test]
    fn a_csv_header_with_an_unknown_or_repeated_name_is_refused_whole() {
        let unknown = RecordReader::new("fname,nickname\nA,B\n".as_bytes(), Format::Csv, KNOWN);
        let error = unknown.err().expect("refused").to_string();
        assert!(error.contains("`nickname` is not a field name"), "{error}");
        let twice = RecordReader::new("fname,fname\nA,B\n".as_bytes(), Format::Csv, KNOWN);
        let error = twice.err().expect("refused").to_string();
        assert!(error.contains("`fname` is given more than once"), "{error}");
        // A byte-order mark and spaces around names are not part of them.
        let items = all("\u{feff}fname , lname\nA,B\n", Format::Csv);
        assert_eq!(record(&items[0]).fields["lname"], "B");
        // An empty file has no records.
        assert!(all("", Format::Csv).is_empty());
    }

    #[test]
    fn json_lines_give_strings_skip_blank_lines_and_report_bad_ones() {
        let input = concat!(
            "{\"fname\":\"Sue\",\"phone1\":8013127735,\"lead_company_unique_id\":\"A1\"}\n",
            "\n",
            "not json\n",
            "[1,2]\n",
            "{\"fname\":\"X\",\"nickname\":\"Y\",\"lead_company_unique_id\":7}\n",
            "{\"fname\":{\"nested\":1}}\n",
            "{\"fname\":\"Ann\",\"lname\":null}",
        );
        let items = all(input, Format::JsonLines);
        assert_eq!(items.len(), 6);
        let first = record(&items[0]);
        assert_eq!(first.line, 1);
        assert_eq!(first.fields["phone1"], "8013127735");
        assert_eq!(first.unique_id(), Some("A1"));
        let unreadable = bad(&items[1]);
        assert_eq!((unreadable.line, unreadable.rule), (3, "unreadable"));
        assert!(
            !unreadable.message.contains("not json"),
            "the input is never quoted: {unreadable}"
        );
        assert_eq!((bad(&items[2]).line, bad(&items[2]).rule), (4, "format"));
        let unknown = bad(&items[3]);
        assert_eq!(
            unknown.to_string(),
            "line 5 (7): field `nickname` is not a field of this record"
        );
        assert_eq!(bad(&items[4]).field.as_deref(), Some("fname"));
        assert_eq!(bad(&items[4]).rule, "format");
        let last = record(&items[5]);
        assert_eq!(last.line, 7);
        assert!(!last.fields.contains_key("lname"), "null is absent");
    }

    #[test]
    fn a_json_list_of_objects_is_flattened_as_csv_names_it() {
        let items = all(
            concat!(
                "{\"fname\":\"Sue\",\"Contacts\":[{\"name\":\"Al\"},{\"phone\":5550101}]}\n",
                "{\"fname\":\"Sue\",\"Contacts\":[\"Al\"]}\n",
                "{\"fname\":\"Sue\",\"Contacts\":[{\"age\":3}]}\n",
            ),
            Format::JsonLines,
        );
        let first = record(&items[0]);
        assert_eq!(first.fields["Contacts/1/name"], "Al");
        assert_eq!(first.fields["Contacts/2/phone"], "5550101");
        assert_eq!(
            bad(&items[1]).to_string(),
            "line 2: field `Contacts` must be a list of objects"
        );
        assert_eq!(
            bad(&items[2]).to_string(),
            "line 3: field `Contacts/1/age` is not a field of this record"
        );
    }

    #[test]
    fn a_bad_record_keeps_the_users_values_exact() {
        let items = all(
            "{\"lead_company_unique_id\":\"L\\u202e1\",\"nick\\u202ename\":\"x\"}\n",
            Format::JsonLines,
        );
        let unknown = bad(&items[0]);
        assert_eq!(unknown.unique_id.as_deref(), Some("L\u{202e}1"));
        assert_eq!(unknown.field.as_deref(), Some("nick\u{202e}name"));
    }

    #[test]
    fn an_overlong_json_line_is_skipped_without_holding_it() {
        let mut input = String::from("{\"fname\":\"");
        input.push_str(&"x".repeat(MAX_LINE_BYTES + 10));
        input.push_str("\"}\n{\"fname\":\"Ann\"}\n");
        let items = all(&input, Format::JsonLines);
        assert_eq!(items.len(), 2);
        assert_eq!((bad(&items[0]).line, bad(&items[0]).rule), (1, "too_long"));
        let next = record(&items[1]);
        assert_eq!((next.line, next.fields["fname"].as_str()), (2, Some("Ann")));
    }

    #[test]
    fn reading_is_lazy() {
        // A reader that fails after the first record: the first still comes.
        struct Failing(&'static [u8], bool);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.1 {
                    return Err(std::io::Error::other("disk gone"));
                }
                self.1 = true;
                let n = self.0.len().min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                Ok(n)
            }
        }
        let mut reader = RecordReader::new(
            Failing(b"{\"fname\":\"Sue\"}\n{\"fna", false),
            Format::JsonLines,
            KNOWN,
        )
        .unwrap();
        assert!(matches!(reader.next_item(), Ok(Some(Item::Record(_)))));
        assert!(matches!(reader.next_item(), Err(SourceError::Io(_))));
    }
}
