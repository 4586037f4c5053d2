//! What each operation of a batch came back with.

use std::fmt;

use crate::generated::{Customer, RequestType};

/// One text the server put in a response's `<data>`, with the element holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataText {
    /// The element's name (e.g. `message`, `error`).
    pub element: String,
    /// Its text exactly as sent: entities and character references resolved,
    /// line ends normalised to `\n` (as XML requires), nothing trimmed.
    pub text: String,
}

/// The answer to an availability query. The vendor does not document its shape,
/// so the raw data is kept next to a best-effort reading.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Availability {
    /// `Some(true)`/`Some(false)` when the first recognisable text of an
    /// element named `Available`, `IsAvailable`, `Availability` or `message`
    /// (any case) reads as yes/no once trimmed (`true`, `yes`, `1`,
    /// `available`; `false`, `no`, `0`, `unavailable`, `not available`, any
    /// case), else `None`. Other elements (a `<SlotsTaken>0</SlotsTaken>`)
    /// are never read as the answer.
    pub available: Option<bool>,
    /// Every text of `<data>`, in document order.
    pub data: Vec<DataText>,
}

impl Availability {
    /// The answer whose `<data>` holds `data`, read as the decoder reads it
    /// (see [`Availability::available`]); how a server builds its answer.
    ///
    /// ```
    /// use strax_xml_protocol::{Availability, DataText};
    ///
    /// let answer = Availability::from_data(vec![DataText {
    ///     element: "Available".to_owned(),
    ///     text: "true".to_owned(),
    /// }]);
    /// assert_eq!(answer.available, Some(true));
    /// ```
    #[must_use]
    pub fn from_data(data: Vec<DataText>) -> Self {
        Self {
            available: read_availability(&data),
            data,
        }
    }
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

/// Why an operation has no result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// The service answered `success="false"`: it refused the operation.
    Refused,
    /// The service answered the operation, but the answer cannot be read (a
    /// success without its result element, a response of another type, an
    /// unreadable `success` flag). The outcome is unknown: a write may or may
    /// not have been executed.
    Undecodable {
        /// What is wrong with the answer (element and attribute names, never
        /// values).
        reason: String,
    },
    /// The service's list of responses ended before this operation: the
    /// outcome is unknown (a write may or may not have been executed).
    NoResponse,
}

/// An operation without a result: refused by the service, or answered in a
/// way that cannot be read, or not answered at all (see [`FailureKind`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct OperationFailure {
    /// The failed operation's request type.
    pub request_type: RequestType,
    /// Why it has no result.
    pub kind: FailureKind,
    /// Every text the server put in the response's `<data>` (message or error
    /// elements), exactly as sent; empty for [`FailureKind::NoResponse`].
    pub texts: Vec<DataText>,
}

impl OperationFailure {
    /// A `success="false"` answer with the service's `texts`.
    #[must_use]
    pub fn refused(request_type: RequestType, texts: Vec<DataText>) -> Self {
        Self {
            request_type,
            kind: FailureKind::Refused,
            texts,
        }
    }

    /// An answer that cannot be read, for `reason` (names only, never values).
    #[must_use]
    pub fn undecodable(
        request_type: RequestType,
        reason: impl Into<String>,
        texts: Vec<DataText>,
    ) -> Self {
        Self {
            request_type,
            kind: FailureKind::Undecodable {
                reason: reason.into(),
            },
            texts,
        }
    }

    /// No answer: the service's list of responses ended before this operation.
    #[must_use]
    pub fn no_response(request_type: RequestType) -> Self {
        Self {
            request_type,
            kind: FailureKind::NoResponse,
            texts: Vec::new(),
        }
    }

    /// `true` when it is unknown whether the operation was executed
    /// ([`FailureKind::Undecodable`] and [`FailureKind::NoResponse`]): check
    /// the CRM before sending a write again. For a read it only means there
    /// is no result (reads change nothing). `false` for a refusal.
    #[must_use]
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self.kind,
            FailureKind::Undecodable { .. } | FailureKind::NoResponse
        )
    }
}

impl fmt::Display for OperationFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.request_type.wire_name();
        match &self.kind {
            FailureKind::Refused => {
                write!(f, "{name} failed")?;
                if self.texts.is_empty() {
                    return f.write_str(" without a message");
                }
            }
            FailureKind::Undecodable { reason } => {
                write!(
                    f,
                    "{name}: the service's response cannot be read ({reason})"
                )?;
            }
            FailureKind::NoResponse => {
                write!(
                    f,
                    "{name}: the service's list of responses ended before this operation"
                )?;
            }
        }
        for (i, text) in self.texts.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{}: {}", text.element, text.text)?;
        }
        Ok(())
    }
}

/// One operation's outcome: its result, or why it has none.
pub type OperationOutcome = Result<OperationSuccess, OperationFailure>;

/// The elements whose text may carry the availability answer (compared
/// ignoring ASCII case).
const AVAILABILITY_ELEMENTS: [&str; 4] = ["Available", "IsAvailable", "Availability", "message"];

/// The best-effort yes/no reading of availability texts.
pub(crate) fn read_availability(data: &[DataText]) -> Option<bool> {
    data.iter()
        .filter(|item| {
            AVAILABILITY_ELEMENTS
                .iter()
                .any(|name| item.element.eq_ignore_ascii_case(name))
        })
        .find_map(
            |item| match item.text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "available" => Some(true),
                "false" | "no" | "0" | "unavailable" | "not available" => Some(false),
                _ => None,
            },
        )
}

impl fmt::Debug for Customer {
    /// Personal fields (addresses, phones, email) show as `[personal]`;
    /// undocumented fields show their names only (their values may be
    /// anything, a social security number included).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Customer");
        for (name, value) in self.documented_fields() {
            let shown: &dyn fmt::Debug = match value {
                Some(_) if Customer::PERSONAL_FIELDS.contains(&name) => &Some("[personal]"),
                _ => &value,
            };
            out.field(name, shown);
        }
        let extra_names: Vec<&str> = self
            .extra_fields
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        out.field("extra_fields", &extra_names).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[(&str, &str)]) -> Vec<DataText> {
        items
            .iter()
            .map(|(element, text)| DataText {
                element: (*element).into(),
                text: (*text).into(),
            })
            .collect()
    }

    #[test]
    fn reads_availability_best_effort() {
        let read = |items: &[(&str, &str)]| read_availability(&texts(items));
        assert_eq!(
            read(&[("message", "slot"), ("Available", "TRUE")]),
            Some(true)
        );
        assert_eq!(read(&[("availability", " Not Available\n")]), Some(false));
        assert_eq!(read(&[("IsAvailable", "0")]), Some(false));
        assert_eq!(read(&[("MESSAGE", "yes")]), Some(true));
        assert_eq!(read(&[("Available", "maybe")]), None);
        assert_eq!(read(&[]), None);
    }

    #[test]
    fn availability_is_read_only_from_its_own_elements() {
        let read = |items: &[(&str, &str)]| read_availability(&texts(items));
        assert_eq!(
            read(&[("SlotsTaken", "0"), ("Available", "Yes")]),
            Some(true)
        );
        assert_eq!(read(&[("SlotsTaken", "0"), ("Count", "1")]), None);
        assert_eq!(read(&[("error", "no")]), None);
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
    fn customer_debug_shows_only_the_names_of_undocumented_fields() {
        let customer = Customer {
            extra_fields: vec![
                ("SSN".into(), "123-45-6789".into()),
                ("Phones/Phone".into(), "5555550199".into()),
            ],
            ..Customer::default()
        };
        let debug = format!("{customer:?} {customer:#?}");
        assert!(
            !debug.contains("123-45-6789") && !debug.contains("5555550199"),
            "{debug}"
        );
        assert!(
            debug.contains("extra_fields: [\"SSN\", \"Phones/Phone\"]"),
            "{debug}"
        );
    }

    #[test]
    fn failure_display_lists_every_text() {
        let failure = OperationFailure::refused(
            RequestType::GetCustomerStatus,
            texts(&[("message", "No"), ("error", "Bad id")]),
        );
        assert_eq!(
            failure.to_string(),
            "AllAccess-GetCustomerStatusBySecurityTraxUniqueID failed: message: No; error: Bad id"
        );
        assert!(!failure.outcome_unknown());
        let bare = OperationFailure::refused(RequestType::GetCustomerStatus, Vec::new());
        assert!(bare.to_string().ends_with("failed without a message"));
    }

    #[test]
    fn unreadable_and_missing_answers_are_of_unknown_outcome() {
        let unreadable = OperationFailure::undecodable(
            RequestType::CreateTechSchedule,
            "success=\"true\" without <ConfirmationStatusName>",
            texts(&[("message", "ok")]),
        );
        assert!(unreadable.outcome_unknown());
        assert_eq!(
            unreadable.to_string(),
            "CreateTechScheduleBySecurityTraxUniqueID: the service's response cannot be read \
             (success=\"true\" without <ConfirmationStatusName>): message: ok"
        );
        let missing = OperationFailure::no_response(RequestType::CreateCustomerNote);
        assert!(missing.outcome_unknown());
        assert_eq!(missing.kind, FailureKind::NoResponse);
        assert_eq!(
            missing.to_string(),
            "CreateCustomerNoteBySecurityTraxUniqueID: the service's list of responses ended before this operation"
        );
    }
}
