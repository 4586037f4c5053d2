//! The answer to a post: one outcome per record sent, in order.

use bytes::Bytes;
use strax_xml_protocol::envelope::{data_texts, read_data_tree, success_flag};
use strict_xml::{ReadError, XmlElement, XmlReader};
use wire_core::Redactor;

/// One text of a refusal, with the name of the element holding it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ErrorText {
    /// The element's name (the vendor does not publish it: `error`, `message`, …).
    pub element: String,
    /// Its text exactly as sent (entities resolved, nothing trimmed).
    pub text: String,
}

/// What became of one record (a lead or a customer) of a post.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PostOutcome {
    /// The service took it (`success="true"`) and created the customer
    /// `customer_id` (`None` when its answer names none: the record exists
    /// all the same, never send it again).
    Accepted {
        /// The new record's SecurityTrax customer id, trimmed.
        customer_id: Option<String>,
    },
    /// The service refused it (`success="false"`): every non-blank text of
    /// its `<data>`, whatever the elements holding them are called.
    Rejected {
        /// The service's texts, in document order.
        errors: Vec<ErrorText>,
    },
    /// The answer says nothing reliable about this record: it ended before
    /// the record's `<response>`, could not be read, held more responses
    /// than records, or answered with another status than 2xx. The record
    /// may or may not exist: check before sending it again.
    Unknown {
        /// Why, in words (the caller's secrets redacted).
        reason: String,
    },
}

impl PostOutcome {
    /// Whether the service took the record.
    #[must_use]
    pub fn is_accepted(&self) -> bool {
        matches!(self, Self::Accepted { .. })
    }

    /// Whether the record's fate is unknown.
    #[must_use]
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown { .. })
    }

    /// `Unknown` with `reason`.
    #[must_use]
    pub fn unknown(reason: impl Into<String>) -> Self {
        Self::Unknown {
            reason: reason.into(),
        }
    }
}

/// The outcomes of the `sent` records of a post, answered by `response`:
/// exactly `sent` outcomes, in order, whatever the answer holds. Every text
/// from the service passes through `redactor`.
///
/// - a 2xx answer whose `<response>`s can be matched to the records gives
///   each its [`PostOutcome::Accepted`] or [`PostOutcome::Rejected`]; the
///   records past the last `<response>` are [`PostOutcome::Unknown`];
/// - an answer that cannot be read, holds more `<response>`s than records,
///   or has a non-2xx status makes every record `Unknown`.
#[must_use]
pub fn decode_response(
    response: &http::Response<Bytes>,
    sent: usize,
    redactor: &Redactor,
) -> Vec<PostOutcome> {
    let status = response.status();
    if !status.is_success() {
        return vec![
            PostOutcome::unknown(format!(
                "the service answered HTTP {}: the post may or may not have been processed",
                status.as_u16()
            ));
            sent
        ];
    }
    decode_response_body(response.body(), sent, redactor)
}

/// [`decode_response`] of a 2xx answer's body.
#[must_use]
pub fn decode_response_body(body: &[u8], sent: usize, redactor: &Redactor) -> Vec<PostOutcome> {
    let mut outcomes = match read_answers(body) {
        Ok(answers) if answers.len() > sent => vec![
            PostOutcome::unknown(format!(
                "the answer holds {} responses for {sent} records: they cannot be matched",
                answers.len()
            ));
            sent
        ],
        Ok(answers) => {
            let answered = answers.len();
            let mut outcomes: Vec<PostOutcome> = answers.into_iter().map(outcome).collect();
            outcomes.resize(
                sent,
                PostOutcome::unknown(format!(
                    "the answer ends after {answered} of {sent} responses: none for this record"
                )),
            );
            outcomes
        }
        Err(reason) => vec![PostOutcome::unknown(reason); sent],
    };
    if !redactor.is_empty() {
        for outcome in &mut outcomes {
            redact(outcome, redactor);
        }
    }
    outcomes
}

/// One `<response>` as read.
struct Answer {
    success: Option<bool>,
    data: XmlElement,
}

/// Every `<response>` of `<root><responses>`, or why the answer cannot be read.
fn read_answers(body: &[u8]) -> Result<Vec<Answer>, String> {
    let unreadable = |error: ReadError| format!("the answer is not readable XML: {error}");
    let mut reader = XmlReader::new(body).map_err(unreadable)?;
    let root = reader.root_borrowed().map_err(unreadable)?;
    if root.name() != "root" {
        return Err(format!(
            "the answer's root element is <{}>, not <root>",
            root.name()
        ));
    }
    let mut answers = None;
    while let Some(child) = reader.next_child_borrowed().map_err(unreadable)? {
        if child.name() == "responses" && answers.is_none() {
            let mut list = Vec::new();
            while let Some(response) = reader.next_child_borrowed().map_err(unreadable)? {
                if response.name() != "response" {
                    reader.skip().map_err(unreadable)?;
                    continue;
                }
                let success = response
                    .attribute("success")
                    .as_deref()
                    .and_then(success_flag);
                let data = read_data_tree(&mut reader).map_err(unreadable)?;
                list.push(Answer { success, data });
            }
            answers = Some(list);
        } else {
            reader.skip().map_err(unreadable)?;
        }
    }
    reader.finish().map_err(unreadable)?;
    answers.ok_or_else(|| "the answer has no <responses>".to_owned())
}

/// The outcome one `<response>` gives.
fn outcome(answer: Answer) -> PostOutcome {
    match answer.success {
        Some(true) => PostOutcome::Accepted {
            customer_id: answer
                .data
                .child("customer_id")
                .map(|id| id.text.trim().to_owned())
                .filter(|id| !id.is_empty()),
        },
        Some(false) => PostOutcome::Rejected {
            errors: data_texts(&answer.data)
                .into_iter()
                .map(|t| ErrorText {
                    element: t.element,
                    text: t.text,
                })
                .collect(),
        },
        None => PostOutcome::unknown(
            "the response's `success` attribute is missing or not `true`/`false`",
        ),
    }
}

/// Removes the caller's secrets from every text of `outcome`.
fn redact(outcome: &mut PostOutcome, redactor: &Redactor) {
    match outcome {
        PostOutcome::Accepted { customer_id } => {
            if let Some(id) = customer_id {
                redactor.redact_in_place(id);
            }
        }
        PostOutcome::Rejected { errors } => {
            for error in errors {
                redactor.redact_in_place(&mut error.element);
                redactor.redact_in_place(&mut error.text);
            }
        }
        PostOutcome::Unknown { reason } => redactor.redact_in_place(reason),
    }
}
