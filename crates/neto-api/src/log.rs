//! Customer logs: what an `AddCustomerLog` adds, what an `UpdateCustomerLog`
//! sets, what `GetCustomer` reads back, and the field rules checked before
//! sending (from the spec's field table).

use std::borrow::Cow;

use wire_core::validation::{Record as ViolationRecord, Rule, Violation};

use crate::datetime::{DATE_TIME_FORMAT, DateTimeError, NetoDateTime};
use crate::document::{Node, write_json_string};
use crate::generated::{FieldRule, LOG_FIELDS, LogStatus};
use crate::read::{self, FieldItem, Record};

/// The kind of record violations name: `log 0: field `Status` …`.
pub const LOG_RECORD: &str = "log";

/// A new customer log, as `AddCustomerLog` adds it. Every field is optional.
///
/// ```
/// use neto_api::{LogStatus, NetoDateTime, NewCustomerLog};
///
/// let log = NewCustomerLog {
///     username: Some("jo.citizen".into()),
///     status: Some(LogStatus::RequireRecontact),
///     date_required_follow_up: Some(NetoDateTime::from_timestamp("2026-11-09T14:00:00Z".parse().unwrap())),
///     notes: Some("Wants a quote".into()),
///     ..NewCustomerLog::default()
/// };
/// # let _ = log;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCustomerLog {
    /// `AllocatedTo`: who follows up (at most 255 characters).
    pub allocated_to: Option<String>,
    /// `FollowUpType` (at most 50 characters).
    pub follow_up_type: Option<String>,
    /// `Username`: the customer's username (at most 25 characters).
    pub username: Option<String>,
    /// `CustomerName` (at most 100 characters).
    pub customer_name: Option<String>,
    /// `LastContacted` (UTC).
    pub last_contacted: Option<NetoDateTime>,
    /// `DateRequiredFollowUp` (UTC).
    pub date_required_follow_up: Option<NetoDateTime>,
    /// `Status`.
    pub status: Option<LogStatus>,
    /// `Notes`.
    pub notes: Option<String>,
}

/// New values for an existing customer log, as `UpdateCustomerLog` sets them:
/// the log's `LogID` and the fields to set (unset fields are left as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerLogUpdate {
    /// `LogID`: the log to change (digits, required).
    pub log_id: String,
    /// `AllocatedTo` (at most 100 characters on update).
    pub allocated_to: Option<String>,
    /// `FollowUpType` (at most 50 characters).
    pub follow_up_type: Option<String>,
    /// `CustomerName` (at most 100 characters).
    pub customer_name: Option<String>,
    /// `LastContacted` (UTC).
    pub last_contacted: Option<NetoDateTime>,
    /// `DateRequiredFollowUp` (UTC).
    pub date_required_follow_up: Option<NetoDateTime>,
    /// `Status`.
    pub status: Option<LogStatus>,
    /// `Notes`.
    pub notes: Option<String>,
}

/// A customer log as `GetCustomer` reads it back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomerLog {
    /// `LogID`.
    pub log_id: Option<u64>,
    /// `Customer`: the customer's username.
    pub customer: Option<String>,
    /// `AllocatedTo`.
    pub allocated_to: Option<String>,
    /// `Status`.
    pub status: Option<LogStatus>,
    /// `DateRequiredFollowUp` (`None` for the service's "no date").
    pub date_required_follow_up: Option<NetoDateTime>,
    /// `LastContacted`.
    pub last_contacted: Option<NetoDateTime>,
    /// `LastContactedLocal`: the store's local time.
    pub last_contacted_local: Option<NetoDateTime>,
    /// `LastContactedUTC`.
    pub last_contacted_utc: Option<NetoDateTime>,
    /// `Notes`.
    pub notes: Option<String>,
}

/// Which action's log a field table rule is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Add,
    Update,
}

impl Mode {
    fn rule(self, wire: &str) -> FieldRule {
        LOG_FIELDS
            .iter()
            .find(|field| field.wire == wire)
            .map_or(FieldRule::Absent, |field| match self {
                Self::Add => field.add,
                Self::Update => field.update,
            })
    }
}

/// One present field value of a log.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Text(&'a str),
    Date(NetoDateTime),
    Status(&'a LogStatus),
}

impl Value<'_> {
    fn to_node(self) -> Node {
        match self {
            Self::Text(text) => Node::text_value(text),
            Self::Date(date) => Node::text_value(date.to_string()),
            Self::Status(status) => Node::text_value(status.wire_name()),
        }
    }
}

/// A parsed field value, before it is put into its struct.
enum Parsed {
    Text(String),
    Date(Option<NetoDateTime>),
    Status(LogStatus),
}

fn push<'a>(
    out: &mut Vec<(&'static str, Value<'a>)>,
    wire: &'static str,
    value: Option<Value<'a>>,
) {
    if let Some(value) = value {
        out.push((wire, value));
    }
}

fn text(value: Option<&String>) -> Option<Value<'_>> {
    value.map(|v| Value::Text(v))
}

impl NewCustomerLog {
    /// The present fields, in the vendor's order.
    pub(crate) fn values(&self) -> Vec<(&'static str, Value<'_>)> {
        let mut out = Vec::new();
        push(&mut out, "AllocatedTo", text(self.allocated_to.as_ref()));
        push(&mut out, "FollowUpType", text(self.follow_up_type.as_ref()));
        push(&mut out, "Username", text(self.username.as_ref()));
        push(&mut out, "CustomerName", text(self.customer_name.as_ref()));
        push(
            &mut out,
            "LastContacted",
            self.last_contacted.map(Value::Date),
        );
        push(
            &mut out,
            "DateRequiredFollowUp",
            self.date_required_follow_up.map(Value::Date),
        );
        push(&mut out, "Status", self.status.as_ref().map(Value::Status));
        push(&mut out, "Notes", text(self.notes.as_ref()));
        out
    }

    fn set(&mut self, wire: &str, value: Parsed) {
        match (wire, value) {
            ("AllocatedTo", Parsed::Text(v)) => self.allocated_to = Some(v),
            ("FollowUpType", Parsed::Text(v)) => self.follow_up_type = Some(v),
            ("Username", Parsed::Text(v)) => self.username = Some(v),
            ("CustomerName", Parsed::Text(v)) => self.customer_name = Some(v),
            ("LastContacted", Parsed::Date(v)) => self.last_contacted = v,
            ("DateRequiredFollowUp", Parsed::Date(v)) => self.date_required_follow_up = v,
            ("Status", Parsed::Status(v)) => self.status = Some(v),
            ("Notes", Parsed::Text(v)) => self.notes = Some(v),
            _ => {}
        }
    }
}

impl CustomerLogUpdate {
    /// The present fields, in the vendor's order (`LogID` always).
    pub(crate) fn values(&self) -> Vec<(&'static str, Value<'_>)> {
        let mut out = vec![("LogID", Value::Text(self.log_id.as_str()))];
        push(&mut out, "AllocatedTo", text(self.allocated_to.as_ref()));
        push(&mut out, "FollowUpType", text(self.follow_up_type.as_ref()));
        push(&mut out, "CustomerName", text(self.customer_name.as_ref()));
        push(
            &mut out,
            "LastContacted",
            self.last_contacted.map(Value::Date),
        );
        push(
            &mut out,
            "DateRequiredFollowUp",
            self.date_required_follow_up.map(Value::Date),
        );
        push(&mut out, "Status", self.status.as_ref().map(Value::Status));
        push(&mut out, "Notes", text(self.notes.as_ref()));
        out
    }

    fn set(&mut self, wire: &str, value: Parsed) {
        match (wire, value) {
            ("LogID", Parsed::Text(v)) => self.log_id = v,
            ("AllocatedTo", Parsed::Text(v)) => self.allocated_to = Some(v),
            ("FollowUpType", Parsed::Text(v)) => self.follow_up_type = Some(v),
            ("CustomerName", Parsed::Text(v)) => self.customer_name = Some(v),
            ("LastContacted", Parsed::Date(v)) => self.last_contacted = v,
            ("DateRequiredFollowUp", Parsed::Date(v)) => self.date_required_follow_up = v,
            ("Status", Parsed::Status(v)) => self.status = Some(v),
            ("Notes", Parsed::Text(v)) => self.notes = Some(v),
            _ => {}
        }
    }
}

/// The JSON body of a request of `logs` (each as its present `values`):
/// byte for byte what writing [`log_node`]s under `CustomerLogs.CustomerLog`
/// as a `Node` gives, without building the tree.
pub(crate) fn logs_json<'a>(logs: impl Iterator<Item = Vec<(&'static str, Value<'a>)>>) -> Vec<u8> {
    use std::fmt::Write as _;

    let mut out = String::with_capacity(512);
    out.push_str(r#"{"CustomerLogs":{"CustomerLog":["#);
    for (i, values) in logs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        for (j, (wire, value)) in values.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            write_json_string(&mut out, wire);
            out.push(':');
            match value {
                Value::Text(text) => write_json_string(&mut out, text),
                Value::Date(date) => {
                    // Digits, `-`, ` ` and `:` only: nothing to escape.
                    let _ = write!(out, "\"{date}\"");
                }
                Value::Status(status) => write_json_string(&mut out, status.wire_name()),
            }
        }
        out.push('}');
    }
    out.push_str("]}}");
    out.into_bytes()
}

/// The fields of a log as a document map.
pub(crate) fn log_node(values: &[(&'static str, Value<'_>)]) -> Node {
    Node::Map(
        values
            .iter()
            .map(|(wire, value)| ((*wire).to_owned(), value.to_node()))
            .collect(),
    )
}

/// Every rule the present `values` of log number `index` break in `mode`.
pub(crate) fn violations(
    index: usize,
    mode: Mode,
    values: &[(&'static str, Value<'_>)],
) -> Vec<Violation> {
    let record = || ViolationRecord::at(LOG_RECORD, index);
    let mut found = Vec::new();
    for field in LOG_FIELDS {
        let rule = match mode {
            Mode::Add => field.add,
            Mode::Update => field.update,
        };
        let value = values
            .iter()
            .find(|(wire, _)| *wire == field.wire)
            .map(|(_, v)| *v);
        let mut violation = |rule: Rule| found.push(Violation::new(record(), field.wire, rule));
        match (rule, value) {
            (FieldRule::Digits { max_chars }, value) => match value {
                Some(Value::Text(text)) if !text.trim().is_empty() => {
                    if !text.bytes().all(|b| b.is_ascii_digit()) {
                        violation(Rule::Digits);
                    } else if text.len() > max_chars {
                        violation(Rule::MaxChars(max_chars));
                    }
                }
                _ => violation(Rule::Required),
            },
            (FieldRule::Text { max_chars }, Some(Value::Text(text))) => {
                if let Some((_, c)) = strict_xml::first_forbidden_char(text) {
                    violation(Rule::ForbiddenCharacter {
                        code_point: u32::from(c),
                    });
                }
                if let Some(max) = max_chars
                    && text.chars().count() > max
                {
                    violation(Rule::MaxChars(max));
                }
            }
            (FieldRule::DateTime, Some(Value::Date(date))) if !date.is_writable() => {
                violation(Rule::Format {
                    expected: DATE_TIME_FORMAT.into(),
                });
            }
            (FieldRule::Status, Some(Value::Status(LogStatus::Other(_)))) => {
                violation(Rule::OneOf(
                    LogStatus::DOCUMENTED.iter().map(|s| (*s).into()).collect(),
                ));
            }
            _ => {}
        }
    }
    found
}

/// Reads the fields of `mode`'s log from `node` (unknown fields ignored);
/// values that cannot be read become violations of log `index`.
fn read_fields(
    index: usize,
    mode: Mode,
    node: &Node,
    set: impl FnMut(&str, Parsed),
) -> Vec<Violation> {
    judge_fields(
        index,
        mode,
        |_, wire| node.first(wire).map(FieldItem::of_node),
        set,
    )
}

/// Judges the first item of each field of `mode`'s log, as `item` gives it
/// by the field's position in [`LOG_FIELDS`] and its wire name: values that
/// cannot be read become violations of log `index`, in the table's order.
fn judge_fields<'v>(
    index: usize,
    mode: Mode,
    mut item: impl FnMut(usize, &'static str) -> Option<FieldItem<'v>>,
    mut set: impl FnMut(&str, Parsed),
) -> Vec<Violation> {
    let mut found = Vec::new();
    for (position, field) in LOG_FIELDS.iter().enumerate() {
        let rule = mode.rule(field.wire);
        let Some(value) = item(position, field.wire) else {
            continue;
        };
        let text = match value {
            FieldItem::Empty => continue, // an empty XML element: no value
            FieldItem::Text(text) => text,
            FieldItem::Other => {
                found.push(Violation::new(
                    ViolationRecord::at(LOG_RECORD, index),
                    field.wire,
                    Rule::Format {
                        expected: "a single value".into(),
                    },
                ));
                continue;
            }
        };
        match rule {
            FieldRule::Absent => {}
            FieldRule::Text { .. } | FieldRule::Digits { .. } => {
                set(field.wire, Parsed::Text(text.into_owned()))
            }
            FieldRule::Status => set(field.wire, Parsed::Status(LogStatus::from_wire(&text))),
            FieldRule::DateTime => match NetoDateTime::parse(&text) {
                Ok(date) => set(field.wire, Parsed::Date(date)),
                Err(_) => found.push(Violation::new(
                    ViolationRecord::at(LOG_RECORD, index),
                    field.wire,
                    Rule::Format {
                        expected: DATE_TIME_FORMAT.into(),
                    },
                )),
            },
        }
    }
    found
}

/// A request log as read straight from a body (server side): the first item
/// of each field of [`LOG_FIELDS`], by position, as the `Node` path's
/// `first` finds it; unknown fields skipped.
#[derive(Debug)]
pub(crate) struct RequestLog {
    items: Vec<Option<FieldItem<'static>>>,
}

impl Default for RequestLog {
    fn default() -> Self {
        Self {
            items: vec![None; LOG_FIELDS.len()],
        }
    }
}

impl Record for RequestLog {
    fn field<'de, V: read::Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        let Some(position) = LOG_FIELDS.iter().position(|field| field.wire == key) else {
            return value.skip();
        };
        match self.items.get_mut(position) {
            // A field is taken from its first value that is not none.
            Some(slot @ None) => {
                *slot = value.field_item()?.map(FieldItem::into_owned);
                Ok(())
            }
            _ => value.skip(),
        }
    }
}

impl RequestLog {
    fn judge(mut self, index: usize, mode: Mode, set: impl FnMut(&str, Parsed)) -> Vec<Violation> {
        judge_fields(
            index,
            mode,
            |position, _| self.items.get_mut(position).and_then(Option::take),
            set,
        )
    }

    /// The new log it holds, as [`read_new_log`] reads it from a `Node`.
    pub(crate) fn into_new_log(self, index: usize) -> (NewCustomerLog, Vec<Violation>) {
        let mut log = NewCustomerLog::default();
        let found = self.judge(index, Mode::Add, |wire, value| log.set(wire, value));
        (log, found)
    }

    /// The update it holds, as [`read_update`] reads it from a `Node`.
    pub(crate) fn into_update(self, index: usize) -> (CustomerLogUpdate, Vec<Violation>) {
        let mut log = CustomerLogUpdate::default();
        let found = self.judge(index, Mode::Update, |wire, value| log.set(wire, value));
        (log, found)
    }
}

/// A new log read from a request document (server side).
pub(crate) fn read_new_log(index: usize, node: &Node) -> (NewCustomerLog, Vec<Violation>) {
    let mut log = NewCustomerLog::default();
    let found = read_fields(index, Mode::Add, node, |wire, value| log.set(wire, value));
    (log, found)
}

/// A log update read from a request document (server side).
pub(crate) fn read_update(index: usize, node: &Node) -> (CustomerLogUpdate, Vec<Violation>) {
    let mut log = CustomerLogUpdate::default();
    let found = read_fields(index, Mode::Update, node, |wire, value| {
        log.set(wire, value)
    });
    (log, found)
}

/// A date field as read: `Ok(None)` for the service's "no date".
type ReadDate = Result<Option<NetoDateTime>, DateTimeError>;

/// A log of a `GetCustomer` answer as read, before it is judged: the first
/// text of each field, dates and the id already parsed.
#[derive(Debug, Default)]
pub(crate) struct WireCustomerLog {
    log_id: Option<Option<u64>>,
    customer: Option<String>,
    allocated_to: Option<String>,
    status: Option<LogStatus>,
    date_required_follow_up: Option<ReadDate>,
    last_contacted: Option<ReadDate>,
    last_contacted_local: Option<ReadDate>,
    last_contacted_utc: Option<ReadDate>,
    notes: Option<String>,
}

impl Record for WireCustomerLog {
    fn field<'de, V: read::Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        let date = |t: Cow<'_, str>| NetoDateTime::parse(&t);
        match key {
            "LogID" => read::first(&mut self.log_id, value, |t| t.trim().parse().ok()),
            "Customer" => read::first(&mut self.customer, value, read::owned),
            "AllocatedTo" => read::first(&mut self.allocated_to, value, read::owned),
            "Status" => read::first(&mut self.status, value, |t| LogStatus::from_wire(&t)),
            "DateRequiredFollowUp" => read::first(&mut self.date_required_follow_up, value, date),
            "LastContacted" => read::first(&mut self.last_contacted, value, date),
            "LastContactedLocal" => read::first(&mut self.last_contacted_local, value, date),
            "LastContactedUTC" => read::first(&mut self.last_contacted_utc, value, date),
            "Notes" => read::first(&mut self.notes, value, read::owned),
            _ => value.skip(),
        }
    }
}

/// The error of a date field that is not a date.
#[cold]
fn not_a_date(wire: &str) -> String {
    format!("`{wire}` is not a date and time written YYYY-MM-DD HH:MM:SS")
}

/// A date field's value once it is known to be no error: `None` when absent
/// or the service's "no date".
#[inline(always)]
fn judged_date(date: Option<ReadDate>) -> Option<NetoDateTime> {
    match date {
        Some(Ok(date)) => date,
        Some(Err(_)) | None => None,
    }
}

impl CustomerLog {
    /// Judges a log of a `GetCustomer` answer: the id first, then each date.
    pub(crate) fn from_wire(log: WireCustomerLog) -> Result<Self, String> {
        let log_id = match log.log_id {
            None => None,
            Some(Some(id)) => Some(id),
            Some(None) => return Err("`LogID` is not a whole number".to_owned()),
        };
        // The errors first, in order, then the log from plain values (no
        // `Result` per date built and taken apart on the way).
        for (date, wire) in [
            (&log.date_required_follow_up, "DateRequiredFollowUp"),
            (&log.last_contacted, "LastContacted"),
            (&log.last_contacted_local, "LastContactedLocal"),
            (&log.last_contacted_utc, "LastContactedUTC"),
        ] {
            if matches!(date, Some(Err(_))) {
                return Err(not_a_date(wire));
            }
        }
        Ok(Self {
            log_id,
            customer: log.customer,
            allocated_to: log.allocated_to,
            status: log.status,
            date_required_follow_up: judged_date(log.date_required_follow_up),
            last_contacted: judged_date(log.last_contacted),
            last_contacted_local: judged_date(log.last_contacted_local),
            last_contacted_utc: judged_date(log.last_contacted_utc),
            notes: log.notes,
        })
    }

    /// The log as a `GetCustomer` answer writes it.
    pub(crate) fn to_node(&self) -> Node {
        let mut node = Node::map();
        let date = |d: Option<NetoDateTime>| d.map(|d| d.to_string());
        node.push_text("LogID", self.log_id.map(|id| id.to_string()).as_deref());
        node.push_text("Customer", self.customer.as_deref());
        node.push_text("AllocatedTo", self.allocated_to.as_deref());
        node.push_text("Status", self.status.as_ref().map(LogStatus::wire_name));
        node.push_text(
            "DateRequiredFollowUp",
            date(self.date_required_follow_up).as_deref(),
        );
        node.push_text("LastContacted", date(self.last_contacted).as_deref());
        node.push_text(
            "LastContactedLocal",
            date(self.last_contacted_local).as_deref(),
        );
        node.push_text("LastContactedUTC", date(self.last_contacted_utc).as_deref());
        node.push_text("Notes", self.notes.as_deref());
        node
    }

    /// A log with the id `log_id` and no other field (set them after).
    #[must_use]
    pub fn new(log_id: u64) -> Self {
        Self {
            log_id: Some(log_id),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_table_and_the_structs_name_the_same_fields() {
        let add = NewCustomerLog {
            allocated_to: Some("a".into()),
            follow_up_type: Some("a".into()),
            username: Some("a".into()),
            customer_name: Some("a".into()),
            last_contacted: NetoDateTime::parse("2026-01-01 00:00:00").unwrap(),
            date_required_follow_up: NetoDateTime::parse("2026-01-01 00:00:00").unwrap(),
            status: Some(LogStatus::Completed),
            notes: Some("a".into()),
        };
        let in_table: Vec<&str> = LOG_FIELDS
            .iter()
            .filter(|f| f.add != FieldRule::Absent)
            .map(|f| f.wire)
            .collect();
        let in_struct: Vec<&str> = add.values().iter().map(|(w, _)| *w).collect();
        assert_eq!(in_struct, in_table);
        let update = CustomerLogUpdate {
            log_id: "1".into(),
            allocated_to: Some("a".into()),
            follow_up_type: Some("a".into()),
            customer_name: Some("a".into()),
            last_contacted: add.last_contacted,
            date_required_follow_up: add.last_contacted,
            status: Some(LogStatus::Completed),
            notes: Some("a".into()),
        };
        let in_table: Vec<&str> = LOG_FIELDS
            .iter()
            .filter(|f| f.update != FieldRule::Absent)
            .map(|f| f.wire)
            .collect();
        let in_struct: Vec<&str> = update.values().iter().map(|(w, _)| *w).collect();
        assert_eq!(in_struct, in_table);
    }

    fn judged(json: &str) -> Result<CustomerLog, String> {
        CustomerLog::from_wire(read::from_json::<WireCustomerLog>(json.as_bytes()).unwrap())
    }

    #[test]
    fn a_read_log_is_judged_id_first_then_each_date_in_order() {
        let bad = |wire: &str| {
            Err(format!(
                "`{wire}` is not a date and time written YYYY-MM-DD HH:MM:SS"
            ))
        };
        assert_eq!(
            judged(r#"{"LastContacted": "x", "LogID": "x"}"#),
            Err("`LogID` is not a whole number".to_owned())
        );
        assert_eq!(
            judged(
                r#"{"LastContactedUTC": "x", "LastContacted": "2026-13-01 00:00:00", "LogID": 1}"#
            ),
            bad("LastContacted")
        );
        assert_eq!(
            judged(r#"{"LastContactedUTC": "x", "DateRequiredFollowUp": "2026-01-01 00:00:0"}"#),
            bad("DateRequiredFollowUp")
        );
        assert_eq!(
            judged(r#"{"LastContactedLocal": "2026-01-01"}"#),
            bad("LastContactedLocal")
        );
        assert_eq!(
            judged(r#"{"LastContactedUTC": "0000-00-00 00:00:0x"}"#),
            bad("LastContactedUTC")
        );
        let date = NetoDateTime::parse("2026-11-02 09:30:00").unwrap();
        let log = judged(
            r#"{"LogID": " 7 ", "Customer": "c", "AllocatedTo": ["a", "b"], "Status": "Completed",
                "DateRequiredFollowUp": "2026-11-02 09:30:00", "LastContacted": "0000-00-00 00:00:00",
                "LastContactedLocal": "", "LastContactedUTC": ["2026-11-02 09:30:00"], "Notes": "n\u00e9"}"#,
        )
        .unwrap();
        let mut expected = CustomerLog::new(7);
        expected.customer = Some("c".into());
        expected.allocated_to = Some("a".into());
        expected.status = Some(LogStatus::Completed);
        expected.date_required_follow_up = date;
        expected.last_contacted_utc = date;
        expected.notes = Some("n\u{e9}".into());
        assert_eq!(log, expected);
        assert_eq!(judged("{}"), Ok(CustomerLog::default()));
    }
}
