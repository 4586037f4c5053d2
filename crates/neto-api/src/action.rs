//! The generic action layer: one typed request and one typed output per
//! action, the action named in `NETOAPI_ACTION`, and each described once as a
//! [`Node`] so that both wire formats follow.
//!
//! A further Neto action is its entry in `fixtures/neto/actions.toml` (name,
//! what resending means, fixtures) and one [`Action`] implementation here
//! (with the [`read::Record`] its answer's fields are read into); the
//! encoding, decoding, headers, `Ack` handling and server side are shared.

use std::borrow::Cow;

use wire_core::validation::{Record, Rule, Violation};

use crate::document::Node;
use crate::generated::ActionName;
use crate::log::{self, CustomerLog, CustomerLogUpdate, Mode, NewCustomerLog, WireCustomerLog};
use crate::read::{self, Value};

/// A Neto action: its typed request (`Self`) and its typed output.
pub trait Action: Clone + std::fmt::Debug + PartialEq + Send + Sync + 'static {
    /// Its `NETOAPI_ACTION` name.
    const NAME: ActionName;
    /// What a successful (or warned) answer gives.
    type Output: Clone + std::fmt::Debug + PartialEq + Send + Sync + 'static;

    /// Every rule the request breaks (empty when it may be sent).
    fn violations(&self) -> Vec<Violation>;

    /// The request's document (the content of the XML root, the JSON object).
    fn to_document(&self) -> Node;

    /// The request's JSON body written straight from the typed request, when
    /// the action can (the same bytes as writing [`Action::to_document`]);
    /// `None` to write it from the document.
    #[doc(hidden)]
    fn request_json(&self) -> Option<Vec<u8>> {
        None
    }

    /// Reads a request document (server side): the request and the values
    /// that could not be read. Unknown fields are ignored.
    fn from_document(document: &Node) -> (Self, Vec<Violation>);

    /// The output as an answer document holds it (server side).
    fn output_to_document(output: &Self::Output) -> Node;

    /// The answer's own fields (besides `Ack`, `CurrentTime` and
    /// `Messages`) as they are read, straight from either wire format.
    type Answer: read::Record;

    /// Judges the fields read from an answer. `self` is the request it
    /// answers: an answer that contradicts it is refused.
    ///
    /// # Errors
    /// What is wrong with the answer (names, never values).
    fn output_from_answer(&self, answer: Self::Answer) -> Result<Self::Output, String>;

    /// Reads the output from an answer document held as a [`Node`], as
    /// [`output_from_answer`](Self::output_from_answer) judges it.
    ///
    /// # Errors
    /// What is wrong with the answer (names, never values).
    fn output_from_document(&self, document: &Node) -> Result<Self::Output, String> {
        self.output_from_answer(read::from_node(document))
    }
}

/// `AddCustomerLog`: adds one or more customer logs.
///
/// ```
/// use neto_api::{Action, AddCustomerLog, NewCustomerLog};
///
/// let add = AddCustomerLog::new(vec![NewCustomerLog {
///     username: Some("jo.citizen".into()),
///     notes: Some("Wants a quote".into()),
///     ..NewCustomerLog::default()
/// }]);
/// assert!(add.violations().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddCustomerLog {
    /// The logs to add, in order (violations name them by position).
    pub logs: Vec<NewCustomerLog>,
}

impl AddCustomerLog {
    /// Adds `logs`.
    #[must_use]
    pub fn new(logs: Vec<NewCustomerLog>) -> Self {
        Self { logs }
    }
}

/// The result of an `AddCustomerLog`: the new logs' ids, in the order sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AddedLogs {
    /// One `LogID` per log sent.
    pub log_ids: Vec<u64>,
}

impl AddedLogs {
    /// The ids `log_ids`.
    #[must_use]
    pub fn new(log_ids: Vec<u64>) -> Self {
        Self { log_ids }
    }
}

/// `UpdateCustomerLog`: sets fields of existing logs, named by their `LogID`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateCustomerLog {
    /// The updates, in order.
    pub logs: Vec<CustomerLogUpdate>,
}

impl UpdateCustomerLog {
    /// Applies `logs`.
    #[must_use]
    pub fn new(logs: Vec<CustomerLogUpdate>) -> Self {
        Self { logs }
    }
}

/// `GetCustomer` with the `CustomerLog` output selector: the logs of the
/// customers with these usernames.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetCustomer {
    /// The customers' usernames (at least one).
    pub usernames: Vec<String>,
}

impl GetCustomer {
    /// The output selector this action sends.
    pub const OUTPUT_SELECTOR: &'static str = "CustomerLog";
    /// The longest username (`Username` is String(25)).
    pub const MAX_USERNAME_CHARS: usize = 25;

    /// The logs of the customer `username`.
    #[must_use]
    pub fn logs_of(username: impl Into<String>) -> Self {
        Self {
            usernames: vec![username.into()],
        }
    }
}

/// One customer of a `GetCustomer` answer, with its logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomerLogs {
    /// `Username`.
    pub username: Option<String>,
    /// Its `CustomerLogs.CustomerLog` entries.
    pub logs: Vec<CustomerLog>,
}

impl CustomerLogs {
    /// The customer `username` with `logs`.
    #[must_use]
    pub fn new(username: impl Into<String>, logs: Vec<CustomerLog>) -> Self {
        Self {
            username: Some(username.into()),
            logs,
        }
    }
}

/// The customers of a `GetCustomer` answer (none when no username matched).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Customers {
    /// The customers found.
    pub customers: Vec<CustomerLogs>,
}

impl Customers {
    /// `customers`.
    #[must_use]
    pub fn new(customers: Vec<CustomerLogs>) -> Self {
        Self { customers }
    }
}

fn logs_document(logs: Vec<Node>) -> Node {
    Node::map().with(
        "CustomerLogs",
        Node::map().with("CustomerLog", Node::List(logs)),
    )
}

fn no_logs() -> Violation {
    Violation::of_request("CustomerLog", Rule::Required)
}

/// The `CustomerLogs.CustomerLog` entries of a request body, read straight
/// into [`log::RequestLog`]s (server side), one-or-many at both levels as
/// [`request_logs`] finds them in a `Node`.
#[derive(Debug, Default)]
pub(crate) struct LogsRequest {
    logs: Vec<RequestLogs>,
}

/// One `CustomerLogs` of a request.
#[derive(Debug, Default)]
struct RequestLogs {
    logs: Vec<log::RequestLog>,
}

impl read::Record for LogsRequest {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "CustomerLogs" => value.records(&mut self.logs),
            _ => value.skip(),
        }
    }
}

impl read::Record for RequestLogs {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "CustomerLog" => value.records(&mut self.logs),
            _ => value.skip(),
        }
    }
}

impl LogsRequest {
    /// Every log, in order (violations name them by this position).
    fn logs(self) -> impl Iterator<Item = log::RequestLog> {
        self.logs.into_iter().flat_map(|logs| logs.logs)
    }

    /// Every log converted by `convert` (given its position), with every
    /// problem the conversions found.
    fn convert<T>(
        self,
        convert: impl Fn(log::RequestLog, usize) -> (T, Vec<Violation>),
    ) -> (Vec<T>, Vec<Violation>) {
        let mut found = Vec::new();
        let logs = self
            .logs()
            .enumerate()
            .map(|(i, log)| {
                let (log, problems) = convert(log, i);
                found.extend(problems);
                log
            })
            .collect();
        (logs, found)
    }
}

impl AddCustomerLog {
    /// As [`Action::from_document`], from logs read straight from the body.
    pub(crate) fn from_request(request: LogsRequest) -> (Self, Vec<Violation>) {
        let (logs, found) = request.convert(log::RequestLog::into_new_log);
        (Self { logs }, found)
    }
}

impl UpdateCustomerLog {
    /// As [`Action::from_document`], from logs read straight from the body.
    pub(crate) fn from_request(request: LogsRequest) -> (Self, Vec<Violation>) {
        let (logs, found) = request.convert(log::RequestLog::into_update);
        (Self { logs }, found)
    }
}

/// The `CustomerLogs.CustomerLog` entries of a request document.
fn request_logs(document: &Node) -> Vec<&Node> {
    document
        .all("CustomerLogs")
        .into_iter()
        .flat_map(|logs| logs.all("CustomerLog"))
        .collect()
}

impl Action for AddCustomerLog {
    const NAME: ActionName = ActionName::AddCustomerLog;
    type Output = AddedLogs;

    fn violations(&self) -> Vec<Violation> {
        if self.logs.is_empty() {
            return vec![no_logs()];
        }
        self.logs
            .iter()
            .enumerate()
            .flat_map(|(i, l)| log::violations(i, Mode::Add, &l.values()))
            .collect()
    }

    fn to_document(&self) -> Node {
        logs_document(
            self.logs
                .iter()
                .map(|l| log::log_node(&l.values()))
                .collect(),
        )
    }

    fn request_json(&self) -> Option<Vec<u8>> {
        Some(log::logs_json(self.logs.iter().map(|l| l.values())))
    }

    fn from_document(document: &Node) -> (Self, Vec<Violation>) {
        let mut found = Vec::new();
        let logs = request_logs(document)
            .into_iter()
            .enumerate()
            .map(|(i, node)| {
                let (log, problems) = log::read_new_log(i, node);
                found.extend(problems);
                log
            })
            .collect();
        (Self { logs }, found)
    }

    fn output_to_document(output: &Self::Output) -> Node {
        Node::map().with(
            "CustomerLog",
            Node::List(
                output
                    .log_ids
                    .iter()
                    .map(|id| Node::map().with("LogID", Node::text_value(id.to_string())))
                    .collect(),
            ),
        )
    }

    type Answer = AddedAnswer;

    fn output_from_answer(&self, answer: AddedAnswer) -> Result<Self::Output, String> {
        let log_ids = answer
            .logs
            .into_iter()
            .map(|log| match log.log_id {
                None => Err("a `CustomerLog` without a `LogID`".to_owned()),
                Some(None) => Err("`LogID` is not a whole number".to_owned()),
                Some(Some(id)) => Ok(id),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if log_ids.len() != self.logs.len() {
            return Err(format!(
                "{} log(s) were sent but the answer holds {} `LogID`(s)",
                self.logs.len(),
                log_ids.len()
            ));
        }
        Ok(AddedLogs { log_ids })
    }
}

/// The fields of an `AddCustomerLog` answer as they are read, before
/// [`Action::output_from_answer`] judges them.
#[derive(Debug, Default)]
pub struct AddedAnswer {
    logs: Vec<AddedLog>,
}

impl read::Record for AddedAnswer {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "CustomerLog" => value.records(&mut self.logs),
            _ => value.skip(),
        }
    }
}

/// One `CustomerLog` of an `AddCustomerLog` answer: `Some(None)` for a
/// `LogID` that is not a whole number.
#[derive(Debug, Default)]
struct AddedLog {
    log_id: Option<Option<u64>>,
}

impl read::Record for AddedLog {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "LogID" => read::first(&mut self.log_id, value, |t| t.trim().parse().ok()),
            _ => value.skip(),
        }
    }
}

impl Action for UpdateCustomerLog {
    const NAME: ActionName = ActionName::UpdateCustomerLog;
    type Output = ();

    fn violations(&self) -> Vec<Violation> {
        if self.logs.is_empty() {
            return vec![no_logs()];
        }
        self.logs
            .iter()
            .enumerate()
            .flat_map(|(i, l)| log::violations(i, Mode::Update, &l.values()))
            .collect()
    }

    fn to_document(&self) -> Node {
        logs_document(
            self.logs
                .iter()
                .map(|l| log::log_node(&l.values()))
                .collect(),
        )
    }

    fn request_json(&self) -> Option<Vec<u8>> {
        Some(log::logs_json(self.logs.iter().map(|l| l.values())))
    }

    fn from_document(document: &Node) -> (Self, Vec<Violation>) {
        let mut found = Vec::new();
        let logs = request_logs(document)
            .into_iter()
            .enumerate()
            .map(|(i, node)| {
                let (log, problems) = log::read_update(i, node);
                found.extend(problems);
                log
            })
            .collect();
        (Self { logs }, found)
    }

    fn output_to_document((): &Self::Output) -> Node {
        Node::map()
    }

    type Answer = ();

    fn output_from_answer(&self, (): ()) -> Result<Self::Output, String> {
        Ok(())
    }
}

impl Action for GetCustomer {
    const NAME: ActionName = ActionName::GetCustomer;
    type Output = Customers;

    fn violations(&self) -> Vec<Violation> {
        if self.usernames.is_empty() {
            return vec![Violation::of_request("Username", Rule::Required)];
        }
        let mut found = Vec::new();
        for (i, username) in self.usernames.iter().enumerate() {
            let record = || Record::at("customer", i);
            if username.trim().is_empty() {
                found.push(Violation::new(record(), "Username", Rule::Required));
            } else if username.chars().count() > Self::MAX_USERNAME_CHARS {
                found.push(Violation::new(
                    record(),
                    "Username",
                    Rule::MaxChars(Self::MAX_USERNAME_CHARS),
                ));
            }
            if let Some((_, c)) = strict_xml::first_forbidden_char(username) {
                found.push(Violation::new(
                    record(),
                    "Username",
                    Rule::ForbiddenCharacter {
                        code_point: u32::from(c),
                    },
                ));
            }
        }
        found
    }

    fn to_document(&self) -> Node {
        Node::map().with(
            "Filter",
            Node::map()
                .with(
                    "Username",
                    Node::List(self.usernames.iter().map(Node::text_value).collect()),
                )
                .with(
                    "OutputSelector",
                    Node::List(vec![Node::text_value(Self::OUTPUT_SELECTOR)]),
                ),
        )
    }

    fn from_document(document: &Node) -> (Self, Vec<Violation>) {
        let mut found = Vec::new();
        let mut usernames = Vec::new();
        for filter in document.all("Filter") {
            usernames.extend(
                filter
                    .all("Username")
                    .into_iter()
                    .filter_map(Node::as_text)
                    .map(str::to_owned),
            );
            let selectors: Vec<&str> = filter
                .all("OutputSelector")
                .into_iter()
                .filter_map(Node::as_text)
                .collect();
            if !selectors.contains(&Self::OUTPUT_SELECTOR) {
                found.push(Violation::of_request(
                    "OutputSelector",
                    Rule::OneOf(vec![Self::OUTPUT_SELECTOR.into()]),
                ));
            }
        }
        (Self { usernames }, found)
    }

    fn output_to_document(output: &Self::Output) -> Node {
        Node::map().with(
            "Customer",
            Node::List(
                output
                    .customers
                    .iter()
                    .map(|customer| {
                        let mut node = Node::map();
                        node.push_text("Username", customer.username.as_deref());
                        node.push(
                            "CustomerLogs",
                            Node::map().with(
                                "CustomerLog",
                                Node::List(
                                    customer.logs.iter().map(CustomerLog::to_node).collect(),
                                ),
                            ),
                        );
                        node
                    })
                    .collect(),
            ),
        )
    }

    type Answer = CustomersAnswer;

    fn output_from_answer(&self, answer: CustomersAnswer) -> Result<Self::Output, String> {
        let mut customers = Vec::with_capacity(answer.customers.len());
        for customer in answer.customers {
            if let Some(name) = &customer.username
                && !self
                    .usernames
                    .iter()
                    .any(|asked| asked.eq_ignore_ascii_case(name))
            {
                return Err("the answer holds a customer that was not asked about".to_owned());
            }
            let logs = if customer.logs.len() <= 1 {
                // At most one `CustomerLogs` (the usual answer): the logs
                // are judged where they lie, in the read logs' own
                // allocation (collected in place).
                customer
                    .logs
                    .into_iter()
                    .next()
                    .map_or_else(Vec::new, |logs| logs.logs)
                    .into_iter()
                    .map(CustomerLog::from_wire)
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                let mut logs = Vec::with_capacity(customer.logs.iter().map(|l| l.logs.len()).sum());
                for log in customer.logs.into_iter().flat_map(|logs| logs.logs) {
                    logs.push(CustomerLog::from_wire(log)?);
                }
                logs
            };
            customers.push(CustomerLogs {
                username: customer.username,
                logs,
            });
        }
        Ok(Customers { customers })
    }
}

/// The fields of a `GetCustomer` answer as they are read, before
/// [`Action::output_from_answer`] judges them.
#[derive(Debug, Default)]
pub struct CustomersAnswer {
    customers: Vec<WireCustomer>,
}

impl read::Record for CustomersAnswer {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "Customer" => value.records(&mut self.customers),
            _ => value.skip(),
        }
    }
}

/// One `Customer` of a `GetCustomer` answer, as read.
#[derive(Debug, Default)]
struct WireCustomer {
    username: Option<String>,
    logs: Vec<WireLogs>,
}

impl read::Record for WireCustomer {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "Username" => read::first(&mut self.username, value, Cow::into_owned),
            "CustomerLogs" => value.records(&mut self.logs),
            _ => value.skip(),
        }
    }
}

/// One `CustomerLogs` of a customer, as read.
#[derive(Debug, Default)]
struct WireLogs {
    logs: Vec<WireCustomerLog>,
}

impl read::Record for WireLogs {
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
        match key {
            "CustomerLog" => value.records(&mut self.logs),
            _ => value.skip(),
        }
    }
}
