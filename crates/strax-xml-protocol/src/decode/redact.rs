//! The caller's secrets removed from every text the service sent, before an
//! outcome or an error is returned: one [`Redactor`] pass over each.

use wire_core::Redactor;

use super::DecodeError;
use crate::generated::Customer;
use crate::outcome::{DataText, FailureKind, OperationFailure, OperationOutcome, OperationSuccess};

/// Removes every secret from the texts of `outcome`.
pub(super) fn outcome(outcome: &mut OperationOutcome, redactor: &Redactor) {
    match outcome {
        Ok(success) => self::success(success, redactor),
        Err(failure) => self::failure(failure, redactor),
    }
}

fn success(success: &mut OperationSuccess, redactor: &Redactor) {
    match success {
        OperationSuccess::NoteCreated => {}
        OperationSuccess::AppointmentCreated {
            confirmation_status_name: text,
        }
        | OperationSuccess::ConfirmationNumberUpdated { message: text } => {
            if let Some(text) = text {
                redactor.redact_in_place(text);
            }
        }
        OperationSuccess::Availability(availability) => texts(&mut availability.data, redactor),
        OperationSuccess::CustomerStatus(record) => customer(record, redactor),
        OperationSuccess::SecurityTraxUniqueId(id) => redactor.redact_in_place(id),
    }
}

fn failure(failure: &mut OperationFailure, redactor: &Redactor) {
    match &mut failure.kind {
        FailureKind::Undecodable { reason } => redactor.redact_in_place(reason),
        FailureKind::Refused | FailureKind::NoResponse => {}
    }
    texts(&mut failure.texts, redactor);
}

fn texts(texts: &mut [DataText], redactor: &Redactor) {
    for text in texts {
        redactor.redact_in_place(&mut text.element);
        redactor.redact_in_place(&mut text.text);
    }
}

fn customer(customer: &mut Customer, redactor: &Redactor) {
    for name in Customer::FIELD_NAMES {
        if let Some(Some(value)) = customer.field_mut(name) {
            redactor.redact_in_place(value);
        }
    }
    for (name, value) in &mut customer.extra_fields {
        redactor.redact_in_place(name);
        redactor.redact_in_place(value);
    }
}

/// Removes every secret from the texts of `error` that come from the service.
pub(super) fn error(error: &mut DecodeError, redactor: &Redactor) {
    match error {
        // Excerpts are redacted as they are made.
        DecodeError::HttpStatus { .. }
        | DecodeError::MissingResponses
        | DecodeError::InvalidResponseAttribute { .. }
        | DecodeError::ResponseCount { .. } => {}
        DecodeError::Xml { source, .. } => {
            source.edit_texts(|text| redactor.redact_in_place(text));
        }
        DecodeError::UnexpectedRoot { found, .. }
        | DecodeError::ResponseTypeMismatch { found, .. } => redactor.redact_in_place(found),
        DecodeError::AuthenticationFailed { messages, .. } => {
            for message in messages {
                redactor.redact_in_place(message);
            }
        }
    }
}
