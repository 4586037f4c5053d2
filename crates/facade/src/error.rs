//! [`Error`]: everything a facade call can fail with, sorted by what it means
//! for sending again.

use std::time::Duration;

use strax_xml_protocol::{
    DecodeError, EncodeError, FailureKind, OperationFailure, Script, Violations,
};
use transport::{ErrorKind as TransportErrorKind, TimeoutPhase, TransportError};

/// What a user is told whenever a request may have been acted on.
const CHECK_BEFORE_RESENDING: &str =
    "the request may have been received and acted on: check the CRM before sending it again";

/// Why a facade call failed.
///
/// The variants say what is known about the request's fate:
///
/// | variant | sent? | [`is_retry_safe`](Self::is_retry_safe) | [`outcome_unknown`](Self::outcome_unknown) |
/// |---|---|---|---|
/// | [`InvalidInput`](Self::InvalidInput) | no | no (it would fail again) | no |
/// | [`Encode`](Self::Encode) | no | no | no |
/// | [`RequestRefused`](Self::RequestRefused) | no | no | no |
/// | [`NotSent`](Self::NotSent) | no | yes | no |
/// | [`OutcomeUnknown`](Self::OutcomeUnknown) | maybe | no | yes |
/// | [`Timeout`](Self::Timeout) `Connect` | no | yes | no |
/// | [`Timeout`](Self::Timeout) `Total` | maybe | no | yes |
/// | [`HttpStatus`](Self::HttpStatus) | yes, refused | no | when `may_have_executed` |
/// | [`ResponseTooLarge`](Self::ResponseTooLarge) | yes, answered | no | when `may_have_executed` |
/// | [`Protocol`](Self::Protocol) | yes, answered | no | when `may_have_executed` |
/// | [`AuthenticationFailed`](Self::AuthenticationFailed) | yes, nothing executed | no | no |
/// | [`OperationFailed`](Self::OperationFailed) | yes, the service said no, or its answer for the operation was unreadable or missing | no | for a write whose answer was unreadable or missing |
///
/// `may_have_executed` is `true` only for documents that contain writes (a
/// read changes nothing, so its fate never matters). Likewise an
/// [`OperationFailed`](Self::OperationFailed) is of unknown outcome only when
/// the operation is a write and its [`FailureKind`] is not
/// [`Refused`](FailureKind::Refused) (see
/// [`OperationFailure::outcome_unknown`]).
///
/// Messages never contain the password, a URL query, a header value or a
/// request body. [`HttpStatus`](Self::HttpStatus) carries an excerpt of the
/// service's answer (with any echoed password redacted), and
/// [`OperationFailed`](Self::OperationFailed) the service's own texts, so
/// print them to the user, but do not log them above `trace` level: the
/// service may echo personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks the protocol's rules; every broken rule is listed,
    /// each naming the operation, the field and the rule. Nothing was sent.
    #[error("invalid input, nothing was sent: {0}")]
    InvalidInput(Violations),
    /// The request document could not be written (a value the validation
    /// let through was refused by the XML writer). Nothing was sent.
    #[error("the request document could not be written, nothing was sent: {detail}")]
    Encode {
        /// What the writer refused (field and rule, never the value).
        detail: String,
    },
    /// The HTTP layer refused the request before any IO (for example plain
    /// `http://` to a host that is not loopback). Nothing was sent; sending
    /// it again would fail the same way.
    #[error("the request was refused before sending: {reason}")]
    RequestRefused {
        /// Which rule the request broke.
        reason: String,
    },
    /// The request never left this process (connection refused, DNS or TLS
    /// failure), even after retrying. Safe to send again.
    #[error(
        "request not sent after {attempts} attempt{}: {detail}; it is safe to send it again",
        if *attempts == 1 { "" } else { "s" }
    )]
    NotSent {
        /// What the HTTP stack reported (no URL, no secrets).
        detail: String,
        /// How many times it was tried.
        attempts: usize,
    },
    /// The connection broke after the request was sent: it may or may not
    /// have been processed. Never retried automatically.
    #[error(
        "connection failed after the request was sent, outcome unknown ({detail}): {CHECK_BEFORE_RESENDING}"
    )]
    OutcomeUnknown {
        /// What the HTTP stack reported (no URL, no secrets).
        detail: String,
    },
    /// A deadline ran out. A `Connect` timeout means nothing was sent (safe
    /// to retry); a `Total` timeout means the outcome is unknown.
    #[error("{phase} timeout after {} ms{}", after.as_millis(), timeout_advice(*phase))]
    Timeout {
        /// Which deadline ran out.
        phase: TimeoutPhase,
        /// The configured deadline.
        after: Duration,
    },
    /// The service answered with a non-2xx HTTP status.
    #[error(
        "the service answered HTTP status {status}: {body_excerpt}{}",
        unknown_outcome_advice(*may_have_executed)
    )]
    HttpStatus {
        /// The status code.
        status: u16,
        /// The start of the service's answer: control characters removed,
        /// whitespace collapsed, any echoed password redacted, at most 200
        /// characters.
        body_excerpt: String,
        /// Whether writes may have been executed (a `5xx` to a document with
        /// writes).
        may_have_executed: bool,
    },
    /// The service's answer is larger than the transport's body limit and
    /// was not read.
    #[error(
        "the service's answer (HTTP {status}) exceeds the limit of {limit} bytes and was not \
         read{}",
        unknown_outcome_advice(*may_have_executed)
    )]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The HTTP status the service answered with.
        status: u16,
        /// Whether the document contained writes.
        may_have_executed: bool,
    },
    /// The service's answer could not be decoded (not XML, wrong envelope,
    /// not one response per request, …).
    #[error(
        "the service's answer could not be decoded: {detail}{}",
        unknown_outcome_advice(*may_have_executed)
    )]
    Protocol {
        /// What is wrong with the answer.
        detail: String,
        /// Whether the document contained writes.
        may_have_executed: bool,
    },
    /// The service refused the credentials; no operation was executed.
    #[error("authentication failed ({}); no operation was executed", messages.join("; "))]
    AuthenticationFailed {
        /// The service's texts.
        messages: Vec<String>,
    },
    /// The operation has no result, while the rest of its document was
    /// answered: the service refused it (`success="false"`, with the
    /// service's texts), or its answer cannot be read, or the service's list
    /// of responses ended before it ([`OperationFailure::kind`]). In the last
    /// two cases a write may or may not have been executed.
    #[error("{}", operation_failed_message(.0))]
    OperationFailed(OperationFailure),
}

fn timeout_advice(phase: TimeoutPhase) -> String {
    match phase {
        TimeoutPhase::Connect => "; nothing was sent, it is safe to send it again".to_owned(),
        _ => format!(", outcome unknown: {CHECK_BEFORE_RESENDING}"),
    }
}

fn operation_failed_message(failure: &OperationFailure) -> String {
    match failure.kind {
        FailureKind::Refused => format!("the service refused the operation: {failure}"),
        _ => format!(
            "the service's answer for the operation cannot be used: {failure}{}",
            unknown_outcome_advice(is_unknown_write(failure))
        ),
    }
}

/// Whether `failure` leaves a write's fate unknown (a read changes nothing).
fn is_unknown_write(failure: &OperationFailure) -> bool {
    failure.outcome_unknown() && failure.request_type.script() == Script::Poster
}

fn unknown_outcome_advice(may_have_executed: bool) -> String {
    if may_have_executed {
        format!(" ({CHECK_BEFORE_RESENDING})")
    } else {
        String::new()
    }
}

impl Error {
    /// `true` when sending the same request again cannot cause it to be
    /// processed twice and may succeed: [`NotSent`](Self::NotSent) and a
    /// connect [`Timeout`](Self::Timeout).
    #[must_use]
    pub fn is_retry_safe(&self) -> bool {
        match self {
            Self::NotSent { .. } => true,
            Self::Timeout { phase, .. } => *phase == TimeoutPhase::Connect,
            _ => false,
        }
    }

    /// `true` when writes may or may not have been executed: check the CRM
    /// before sending again. [`OutcomeUnknown`](Self::OutcomeUnknown), a
    /// total [`Timeout`](Self::Timeout), the answers that could not be
    /// read or were a server error when the document contained writes, and
    /// an [`OperationFailed`](Self::OperationFailed) write whose answer was
    /// unreadable or missing.
    #[must_use]
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::OutcomeUnknown { .. } => true,
            Self::OperationFailed(failure) => is_unknown_write(failure),
            Self::Timeout { phase, .. } => *phase != TimeoutPhase::Connect,
            Self::HttpStatus {
                may_have_executed, ..
            }
            | Self::ResponseTooLarge {
                may_have_executed, ..
            }
            | Self::Protocol {
                may_have_executed, ..
            } => *may_have_executed,
            _ => false,
        }
    }

    /// A short, fixed name of the variant, safe to log at any level.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) => "invalid_input",
            Self::Encode { .. } => "encode",
            Self::RequestRefused { .. } => "request_refused",
            Self::NotSent { .. } => "not_sent",
            Self::OutcomeUnknown { .. } => "outcome_unknown",
            Self::Timeout { .. } => "timeout",
            Self::HttpStatus { .. } => "http_status",
            Self::ResponseTooLarge { .. } => "response_too_large",
            Self::Protocol { .. } => "protocol",
            Self::AuthenticationFailed { .. } => "authentication_failed",
            Self::OperationFailed(_) => "operation_failed",
        }
    }

    /// Maps a transport failure after `attempts` tries; `writes` says whether
    /// the document contained writes.
    pub(crate) fn from_transport(error: TransportError, attempts: usize, writes: bool) -> Self {
        let detail = transport_detail(&error);
        match error.kind() {
            TransportErrorKind::NotSent => Self::NotSent { detail, attempts },
            TransportErrorKind::MaybeReceived => Self::OutcomeUnknown { detail },
            TransportErrorKind::Timeout { phase, after } => Self::Timeout {
                phase: *phase,
                after: *after,
            },
            TransportErrorKind::BodyTooLarge { limit, status } => Self::ResponseTooLarge {
                limit: *limit,
                status: *status,
                may_have_executed: writes,
            },
            TransportErrorKind::InvalidRequest { .. } => Self::RequestRefused { reason: detail },
            // Any later kind, sorted by what the transport says about the
            // request.
            _ if error.is_retry_safe() => Self::NotSent { detail, attempts },
            _ if error.outcome_unknown() => Self::OutcomeUnknown { detail },
            _ => Self::RequestRefused { reason: detail },
        }
    }

    /// Maps a decoding failure; `writes` says whether the document contained
    /// writes.
    pub(crate) fn from_decode(error: DecodeError, writes: bool) -> Self {
        match error {
            DecodeError::HttpStatus {
                status,
                body_excerpt,
            } => Self::HttpStatus {
                status,
                body_excerpt,
                may_have_executed: writes && status >= 500,
            },
            DecodeError::AuthenticationFailed { messages, .. } => {
                Self::AuthenticationFailed { messages }
            }
            other => Self::Protocol {
                detail: other.to_string(),
                may_have_executed: writes,
            },
        }
    }

    /// Maps an encoding failure (nothing was sent).
    pub(crate) fn from_encode(error: EncodeError) -> Self {
        match error {
            EncodeError::Invalid(errors) => Self::InvalidInput(errors),
            other => Self::Encode {
                detail: other.to_string(),
            },
        }
    }
}

/// What the transport reported: the reason of a refused request, or the
/// messages of the underlying errors (URL-free), joined with `": "`.
fn transport_detail(error: &TransportError) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let TransportErrorKind::InvalidRequest { reason } = error.kind() {
        parts.push(reason.clone());
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let message = cause.to_string();
        if parts.last() != Some(&message) {
            parts.push(message);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(error.to_string());
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use strax_xml_protocol::{DataText, RequestType, WriteError};

    use super::*;

    fn timeout(phase: TimeoutPhase) -> Error {
        Error::Timeout {
            phase,
            after: Duration::from_millis(1500),
        }
    }

    #[test]
    fn transport_failures_keep_what_is_known_about_the_request() {
        let not_sent =
            Error::from_transport(TransportError::not_sent("connection refused"), 3, true);
        assert_eq!(
            not_sent.to_string(),
            "request not sent after 3 attempts: connection refused; it is safe to send it again"
        );
        assert!(not_sent.is_retry_safe() && !not_sent.outcome_unknown());

        let maybe = Error::from_transport(
            TransportError::maybe_received("connection closed before message completed"),
            1,
            true,
        );
        assert!(maybe.outcome_unknown() && !maybe.is_retry_safe());
        assert!(
            maybe
                .to_string()
                .contains("check the CRM before sending it again"),
            "{maybe}"
        );

        let too_large = Error::from_transport(TransportError::body_too_large(10, 200), 1, true);
        assert_eq!(
            too_large,
            Error::ResponseTooLarge {
                limit: 10,
                status: 200,
                may_have_executed: true
            }
        );
        assert!(too_large.outcome_unknown());
        let read_too_large =
            Error::from_transport(TransportError::body_too_large(10, 200), 1, false);
        assert!(!read_too_large.outcome_unknown());
        assert_eq!(
            read_too_large.to_string(),
            "the service's answer (HTTP 200) exceeds the limit of 10 bytes and was not read"
        );

        let refused =
            Error::from_transport(TransportError::invalid_request("plain http"), 1, false);
        assert_eq!(
            refused,
            Error::RequestRefused {
                reason: "plain http".into()
            }
        );
        let unexpected = Error::from_transport(
            TransportError::invalid_request("the replay recording did not expect this request")
                .with_source("got POST /x"),
            1,
            false,
        );
        assert!(
            matches!(unexpected, Error::RequestRefused { reason } if reason.contains("got POST /x"))
        );
    }

    #[test]
    fn timeouts_differ_by_phase() {
        let connect = Error::from_transport(
            TransportError::timeout(TimeoutPhase::Connect, Duration::from_millis(1500)),
            2,
            true,
        );
        assert_eq!(connect, timeout(TimeoutPhase::Connect));
        assert!(connect.is_retry_safe() && !connect.outcome_unknown());
        assert_eq!(
            connect.to_string(),
            "connect timeout after 1500 ms; nothing was sent, it is safe to send it again"
        );
        let total = timeout(TimeoutPhase::Total);
        assert!(total.outcome_unknown() && !total.is_retry_safe());
        assert!(
            total
                .to_string()
                .starts_with("total timeout after 1500 ms, outcome unknown: ")
        );
    }

    #[test]
    fn decode_failures_map_to_status_authentication_and_protocol_errors() {
        let status = |status, writes| {
            Error::from_decode(
                DecodeError::HttpStatus {
                    status,
                    body_excerpt: "Service Unavailable".into(),
                },
                writes,
            )
        };
        assert!(status(503, true).outcome_unknown());
        assert!(!status(503, false).outcome_unknown());
        assert!(!status(404, true).outcome_unknown());
        assert_eq!(
            status(404, true).to_string(),
            "the service answered HTTP status 404: Service Unavailable"
        );
        assert!(
            status(500, true)
                .to_string()
                .ends_with("check the CRM before sending it again)")
        );

        let auth = Error::from_decode(
            DecodeError::AuthenticationFailed {
                messages: vec!["Invalid login".into()],
                not_executed: vec![RequestType::CreateCustomerNote],
            },
            true,
        );
        assert_eq!(
            auth.to_string(),
            "authentication failed (Invalid login); no operation was executed"
        );
        assert!(!auth.is_retry_safe() && !auth.outcome_unknown());

        let protocol = Error::from_decode(DecodeError::MissingResponses, true);
        assert_eq!(
            protocol,
            Error::Protocol {
                detail: "response has no <responses> element".into(),
                may_have_executed: true
            }
        );
        assert!(protocol.outcome_unknown());
        assert!(!Error::from_decode(DecodeError::MissingResponses, false).outcome_unknown());
    }

    #[test]
    fn encode_failures_say_nothing_was_sent() {
        let error = Error::from_encode(EncodeError::Xml(WriteError::ForbiddenCharacter {
            field: "NoteText".into(),
            code_point: 7,
        }));
        assert!(matches!(error, Error::Encode { .. }));
        assert!(error.to_string().contains("nothing was sent"), "{error}");
        assert!(!error.is_retry_safe() && !error.outcome_unknown());
    }

    #[test]
    fn service_failures_carry_the_service_texts() {
        let error = Error::OperationFailed(OperationFailure::refused(
            RequestType::GetCustomerStatus,
            vec![DataText {
                element: "message".into(),
                text: "Customer not found".into(),
            }],
        ));
        assert_eq!(
            error.to_string(),
            "the service refused the operation: AllAccess-GetCustomerStatusBySecurityTraxUniqueID failed: message: Customer not found"
        );
        assert_eq!(error.kind(), "operation_failed");
        assert!(!error.outcome_unknown() && !error.is_retry_safe());
        let refused_write = Error::OperationFailed(OperationFailure::refused(
            RequestType::CreateCustomerNote,
            Vec::new(),
        ));
        assert!(!refused_write.outcome_unknown());
    }

    #[test]
    fn an_unreadable_or_missing_answer_for_a_write_is_of_unknown_outcome() {
        let unreadable = Error::OperationFailed(OperationFailure::undecodable(
            RequestType::CreateTechSchedule,
            "success=\"true\" without <ConfirmationStatusName>",
            Vec::new(),
        ));
        assert!(unreadable.outcome_unknown() && !unreadable.is_retry_safe());
        assert_eq!(
            unreadable.to_string(),
            "the service's answer for the operation cannot be used: \
             CreateTechScheduleBySecurityTraxUniqueID: the service's response cannot be read \
             (success=\"true\" without <ConfirmationStatusName>) \
             (the request may have been received and acted on: check the CRM before sending it again)"
        );
        let missing = Error::OperationFailed(OperationFailure::no_response(
            RequestType::UpdateConfirmationNumber,
        ));
        assert!(missing.outcome_unknown());
        assert!(
            missing
                .to_string()
                .ends_with("check the CRM before sending it again)"),
            "{missing}"
        );
        // A read changes nothing: its missing answer is no unknown outcome.
        let read = Error::OperationFailed(OperationFailure::no_response(
            RequestType::GetCustomerStatus,
        ));
        assert!(!read.outcome_unknown());
        assert_eq!(
            read.to_string(),
            "the service's answer for the operation cannot be used: \
             AllAccess-GetCustomerStatusBySecurityTraxUniqueID: the service's list of responses \
             ended before this operation"
        );
    }
}
