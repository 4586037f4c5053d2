//! What each operation of a batch came back with.

use std::fmt;

use crate::generated::{Customer, RequestType};

/// One text the server put in a response's `<data>`, with the element holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataText {
    /// The element's name (e.g. `message`, `error`).
    pub element: String,
    /// Its text, surrounding whitespace trimmed.
    pub text: String,
}

/// The answer to an availability query. The vendor does not document its shape,
/// so the raw data is kept next to a best-effort reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    /// `Some(true)`/`Some(false)` when the first recognisable text reads as
    /// yes/no (`true`, `yes`, `1`, `available`; `false`, `no`, `0`,
    /// `unavailable`, `not available`), else `None`.
    pub available: Option<bool>,
    /// Every text of `<data>`, in document order.
    pub data: Vec<DataText>,
}

/// A successful operation's result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationSuccess {
    /// The note was created.
    NoteCreated,
    /// The appointment was created; `<ConfirmationStatusName>` (e.g. `Not Confirmed`) if sent.
    AppointmentCreated {
        /// The confirmation status name, if the server sent one.
        confirmation_status_name: Option<String>,
    },
    /// The availability answer.
    Availability(Availability),
    /// The customer record.
    CustomerStatus(Box<Customer>),
    /// The customer's SecurityTrax unique id.
    SecurityTraxUniqueId(String),
    /// The confirmation number was set; the server's `<message>` if sent.
    ConfirmationNumberUpdated {
        /// The server's message, e.g. `Successfully set customer Receiver Number: 206`.
        message: Option<String>,
    },
}

impl OperationSuccess {
    /// The request type this result answers.
    #[must_use]
    pub fn request_type(&self) -> RequestType {
        match self {
            Self::NoteCreated => RequestType::CreateCustomerNote,
            Self::AppointmentCreated { .. } => RequestType::CreateTechSchedule,
            Self::Availability(_) => RequestType::GetAppointmentAvailability,
            Self::CustomerStatus(_) => RequestType::GetCustomerStatus,
            Self::SecurityTraxUniqueId(_) => RequestType::GetSecurityTraxUniqueId,
            Self::ConfirmationNumberUpdated { .. } => RequestType::UpdateConfirmationNumber,
        }
    }
}

/// An operation the server answered with `success="false"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct OperationFailure {
    /// The failed operation's request type.
    pub request_type: RequestType,
    /// Every text the server put in `<data>` (message or error elements).
    pub texts: Vec<DataText>,
}

impl fmt::Display for OperationFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", self.request_type.wire_name())?;
        if self.texts.is_empty() {
            return f.write_str(" without a message");
        }
        for (i, text) in self.texts.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{}: {}", text.element, text.text)?;
        }
        Ok(())
    }
}

/// One operation's outcome: its result, or the service's failure.
pub type OperationOutcome = Result<OperationSuccess, OperationFailure>;

/// The best-effort yes/no reading of availability texts.
pub(crate) fn read_availability(data: &[DataText]) -> Option<bool> {
    data.iter()
        .find_map(|item| match item.text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "available" => Some(true),
            "false" | "no" | "0" | "unavailable" | "not available" => Some(false),
            _ => None,
        })
}

impl fmt::Debug for Customer {
    /// Personal fields (addresses, phones, email) show as `[personal]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Customer");
        for (name, value) in self.documented_fields() {
            let shown: &dyn fmt::Debug = match value {
                Some(_) if Customer::PERSONAL_FIELDS.contains(&name) => &Some("[personal]"),
                _ => &value,
            };
            out.field(name, shown);
        }
        out.field("extra_fields", &self.extra_fields).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(values: &[&str]) -> Vec<DataText> {
        values
            .iter()
            .map(|t| DataText {
                element: "x".into(),
                text: (*t).into(),
            })
            .collect()
    }

    #[test]
    fn reads_availability_best_effort() {
        assert_eq!(read_availability(&texts(&["slot", "TRUE"])), Some(true));
        assert_eq!(read_availability(&texts(&["Not Available"])), Some(false));
        assert_eq!(read_availability(&texts(&["0"])), Some(false));
        assert_eq!(read_availability(&texts(&["maybe"])), None);
        assert_eq!(read_availability(&[]), None);
    }

    #[test]
    fn customer_debug_hides_personal_fields() {
        let customer = Customer {
            first_name: Some("Pat".into()),
            phone1: Some("5555550100".into()),
            email: Some("pat@example.com".into()),
            ..Customer::default()
        };
        let debug = format!("{customer:?}");
        assert!(debug.contains("\"Pat\""), "{debug}");
        assert!(
            !debug.contains("5555550100") && !debug.contains("pat@example.com"),
            "{debug}"
        );
        assert!(debug.contains("Phone1: Some(\"[personal]\")"), "{debug}");
        assert!(debug.contains("Phone2: None"), "{debug}");
    }

    #[test]
    fn failure_display_lists_every_text() {
        let failure = OperationFailure {
            request_type: RequestType::GetCustomerStatus,
            texts: vec![
                DataText {
                    element: "message".into(),
                    text: "No".into(),
                },
                DataText {
                    element: "error".into(),
                    text: "Bad id".into(),
                },
            ],
        };
        assert_eq!(
            failure.to_string(),
            "AllAccess-GetCustomerStatusBySecurityTraxUniqueID failed: message: No; error: Bad id"
        );
        let bare = OperationFailure {
            request_type: RequestType::GetCustomerStatus,
            texts: Vec::new(),
        };
        assert!(bare.to_string().ends_with("failed without a message"));
    }
}
