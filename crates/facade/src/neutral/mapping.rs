//! Which neutral field goes to which wire field, for each service, as data:
//! [`TABLE`]. `docs/mapping.md` is this table written out; a test checks
//! that the two agree, and the conversions' tests check each row against
//! what the conversion functions actually write.

use std::fmt;

use super::Operation;
use crate::Service;

/// What one service does with one neutral field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Written to (or, for a listed note, read from) the wire field `wire`;
    /// `how` says how, when it is not a plain copy (empty otherwise).
    Field {
        /// The field's name on the wire.
        wire: &'static str,
        /// How, when not a plain copy.
        how: &'static str,
    },
    /// The service always gets `value` in `wire` (a neutral request has no
    /// such field).
    Fixed {
        /// The field's name on the wire.
        wire: &'static str,
        /// What it is set to.
        value: &'static str,
    },
    /// The service has no such field: the value is dropped (or, for a
    /// listed note, `None`).
    Lost,
    /// Nothing is set for this row.
    Nothing,
    /// The service does not have the operation at all.
    Unsupported,
}

impl fmt::Display for Cell {
    /// The cell as `docs/mapping.md` writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Field { wire, how: "" } => write!(f, "`{wire}`"),
            Self::Field { wire, how } => write!(f, "`{wire}` ({how})"),
            Self::Fixed { wire, value } => write!(f, "`{wire}` = {value}"),
            Self::Lost => f.write_str("lost"),
            Self::Nothing => f.write_str("-"),
            Self::Unsupported => f.write_str("unsupported"),
        }
    }
}

/// One row: a neutral field of one operation and what each service does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The operation.
    pub operation: Operation,
    /// The neutral field (`result.…` for a field of the result, `(fixed)`
    /// for what a service sets by itself).
    pub neutral: &'static str,
    /// SecurityTrax.
    pub securitytrax: Cell,
    /// Peoplevine.
    pub peoplevine: Cell,
    /// Neto.
    pub neto: Cell,
}

impl Row {
    /// The cell of `service`.
    #[must_use]
    pub fn cell(&self, service: Service) -> Cell {
        match service {
            Service::SecurityTrax => self.securitytrax,
            Service::Peoplevine => self.peoplevine,
            Service::Neto => self.neto,
        }
    }
}

/// The services of [`TABLE`]'s columns, in order.
pub const SERVICES: [Service; 3] = [Service::SecurityTrax, Service::Peoplevine, Service::Neto];

const fn f(wire: &'static str) -> Cell {
    Cell::Field { wire, how: "" }
}

const fn fh(wire: &'static str, how: &'static str) -> Cell {
    Cell::Field { wire, how }
}

const fn fixed(wire: &'static str, value: &'static str) -> Cell {
    Cell::Fixed { wire, value }
}

const fn row(
    operation: Operation,
    neutral: &'static str,
    securitytrax: Cell,
    peoplevine: Cell,
    neto: Cell,
) -> Row {
    Row {
        operation,
        neutral,
        securitytrax,
        peoplevine,
        neto,
    }
}

use Cell::{Lost, Nothing, Unsupported as Un};
use Operation::{AddNote, BookAppointment, ListNotes, LogFollowUp, PostLeads};

/// Every neutral field of every operation, and what each service does with it.
pub const TABLE: &[Row] = &[
    row(
        AddNote,
        "customer",
        f("SecurityTraxUniqueID"),
        fh("reference_id", "and the URL's customer id; digits"),
        f("Username"),
    ),
    row(
        AddNote,
        "subject",
        f("NoteSubject"),
        f("subject"),
        fh("Notes", "first line"),
    ),
    row(
        AddNote,
        "text",
        f("NoteText"),
        f("details"),
        fh("Notes", "after the subject's line"),
    ),
    row(AddNote, "kind", f("NoteTypeID"), f("type"), Lost),
    row(
        AddNote,
        "(fixed)",
        Nothing,
        fixed("reference_type", "`customer`"),
        fixed("Status", "`Completed`"),
    ),
    row(AddNote, "result.note_id", Lost, f("id"), f("LogID")),
    row(
        ListNotes,
        "customer",
        Un,
        fh("customer_id", "in the URL; digits"),
        f("Username"),
    ),
    row(ListNotes, "result.id", Un, f("id"), f("LogID")),
    row(ListNotes, "result.subject", Un, f("subject"), Lost),
    row(ListNotes, "result.text", Un, f("details"), f("Notes")),
    row(
        ListNotes,
        "result.kind",
        Un,
        fh("type", "known kinds only"),
        Lost,
    ),
    row(
        ListNotes,
        "result.at",
        Un,
        f("created_on"),
        fh("LastContactedUTC", "else `LastContacted`"),
    ),
    row(PostLeads, "first_name", f("fname"), Un, Un),
    row(PostLeads, "last_name", f("lname"), Un, Un),
    row(PostLeads, "phone", f("phone1"), Un, Un),
    row(PostLeads, "email", f("email"), Un, Un),
    row(PostLeads, "address", f("address1"), Un, Un),
    row(PostLeads, "city", f("city"), Un, Un),
    row(PostLeads, "state", f("state"), Un, Un),
    row(PostLeads, "zip", f("zip"), Un, Un),
    row(
        PostLeads,
        "external_id",
        f("lead_company_unique_id"),
        Un,
        Un,
    ),
    row(PostLeads, "comments", f("lead_comments"), Un, Un),
    row(PostLeads, "origin", f("lead_source_info"), Un, Un),
    row(
        PostLeads,
        "(fixed)",
        fixed(
            "source_id",
            "the lead client's source id, else the partner id",
        ),
        Un,
        Un,
    ),
    row(PostLeads, "result.id", f("customer_id"), Un, Un),
    row(
        BookAppointment,
        "customer",
        f("SecurityTraxUniqueID"),
        Un,
        Un,
    ),
    row(BookAppointment, "start", f("StartTime"), Un, Un),
    row(BookAppointment, "end", f("EndTime"), Un, Un),
    row(
        BookAppointment,
        "kind",
        fh("ServiceType", "`Removal` is `RipOut`"),
        Un,
        Un,
    ),
    row(BookAppointment, "notes", f("Notes"), Un, Un),
    row(
        BookAppointment,
        "(fixed)",
        fixed("TechID", "empty (slot scheduling)"),
        Un,
        Un,
    ),
    row(
        BookAppointment,
        "result.status",
        f("ConfirmationStatusName"),
        Un,
        Un,
    ),
    row(LogFollowUp, "customer", Un, Un, f("Username")),
    row(LogFollowUp, "notes", Un, Un, f("Notes")),
    row(
        LogFollowUp,
        "due",
        Un,
        Un,
        fh("DateRequiredFollowUp", "UTC"),
    ),
    row(LogFollowUp, "assigned_to", Un, Un, f("AllocatedTo")),
    row(LogFollowUp, "method", Un, Un, f("FollowUpType")),
    row(
        LogFollowUp,
        "last_contacted",
        Un,
        Un,
        fh("LastContacted", "UTC"),
    ),
    row(
        LogFollowUp,
        "(fixed)",
        Un,
        Un,
        fixed("Status", "`Require Recontact`"),
    ),
    row(LogFollowUp, "result.id", Un, Un, f("LogID")),
];
