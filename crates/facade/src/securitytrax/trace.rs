//! Tracing spans and events of SecurityTrax calls.
//!
//! Spans carry the operation's request type. The customer id (a
//! SecurityTrax unique id: not personal data) is recorded only when `DEBUG`
//! is enabled for this crate. Phone numbers, account numbers, note texts and
//! the service's failure texts are never recorded above `TRACE`.

use strax_xml_protocol::{FailureKind, Operation, OperationOutcome, Script};
use tracing::Span;
use tracing::field::Empty;

/// The span of one operation: `securitytrax_operation{operation, customer_id}`.
pub(crate) fn operation_span(operation: &Operation) -> Span {
    let span = tracing::info_span!(
        "securitytrax_operation",
        operation = operation.request_type().wire_name(),
        customer_id = Empty,
    );
    if tracing::enabled!(tracing::Level::DEBUG)
        && let Some(id) = customer_id(operation)
    {
        span.record("customer_id", id);
    }
    span
}

/// The span of a batch: `securitytrax_batch{operations}`.
pub(crate) fn batch_span(operations: usize) -> Span {
    tracing::info_span!("securitytrax_batch", operations)
}

/// The span of one document sent to one script:
/// `securitytrax_document{script, operations}`.
pub(crate) fn document_span(script: Script, operations: usize) -> Span {
    let script = match script {
        Script::Requester => "requester",
        Script::Poster => "poster",
    };
    tracing::debug_span!("securitytrax_document", script, operations)
}

/// Records how one operation came back (no service texts above `TRACE`).
pub(crate) fn record_outcome(outcome: &OperationOutcome) {
    match outcome {
        Ok(_) => tracing::debug!("operation succeeded"),
        Err(failure) => {
            if failure.kind == FailureKind::Refused {
                tracing::info!("the service refused the operation");
            } else {
                tracing::info!(
                    outcome_unknown = failure.outcome_unknown(),
                    "the service's answer for the operation cannot be used"
                );
            }
            tracing::trace!(%failure, "the service's texts");
        }
    }
}

/// The SecurityTrax unique id an operation is about, if any. The lookup by
/// phone or account number has none: its input is personal data.
fn customer_id(operation: &Operation) -> Option<&str> {
    match operation {
        Operation::CreateCustomerNote(op) => Some(&op.security_trax_unique_id),
        Operation::CreateTechSchedule(op) => Some(&op.security_trax_unique_id),
        Operation::GetCustomerStatus(op) => Some(&op.security_trax_unique_id),
        Operation::UpdateConfirmationNumber(op) => Some(&op.security_trax_unique_id),
        _ => None,
    }
}
