//! The typed operations, and their conversion to and from wire fields.

use std::borrow::Cow;

use jiff::civil::DateTime;

use crate::datetime::{WireBuffer, format_wire, format_wire_in, is_representable, parse_wire};
use crate::endpoint::Script;
use crate::generated::{IdType, NoteType, RequestType, ServiceType, TicketType};
use crate::spec::FieldKind;
use crate::spec::FieldSpec;
use crate::validate::{
    Characters, check_fields, check_fields_with, check_value, date_time_rule, is_blank,
    one_of_rule, same_name,
};
use wire_core::validation::Rule;

/// Shown in `Debug` output instead of personal data (addresses, coordinates).
const PERSONAL: &str = "[personal]";
/// Shown in `Debug` output instead of free text (note texts), which may hold anything.
const TEXT: &str = "[text]";

/// `Some(marker)` when `value` is set: what `Debug` shows for a redacted optional field.
fn redacted(value: Option<&String>, marker: &'static str) -> Option<&'static str> {
    value.map(|_| marker)
}

/// `CreateCustomerNoteBySecurityTraxUniqueID`: adds a note (optionally a ticket) to a customer.
/// `Debug` shows the note text as `[text]`.
#[derive(Clone, PartialEq, Eq)]
pub struct CreateCustomerNote {
    /// `SecurityTraxUniqueID` (digits): the customer.
    pub security_trax_unique_id: String,
    /// `NoteSubject` (required).
    pub note_subject: String,
    /// `NoteText` (required).
    pub note_text: String,
    /// `NoteTypeID`.
    pub note_type: NoteType,
    /// `TicketTypeID`: makes the note a ticket.
    pub ticket_type: Option<TicketType>,
    /// `UserID` (digits): the assignee when the note is a ticket.
    pub user_id: Option<String>,
    /// `PartnerCompanyUniqueID`: the note's id in the partner's system.
    pub partner_company_unique_id: Option<String>,
}

impl CreateCustomerNote {
    /// A plain note (no ticket, no assignee, no partner id).
    #[must_use]
    pub fn new(
        security_trax_unique_id: impl Into<String>,
        note_subject: impl Into<String>,
        note_text: impl Into<String>,
        note_type: NoteType,
    ) -> Self {
        Self {
            security_trax_unique_id: security_trax_unique_id.into(),
            note_subject: note_subject.into(),
            note_text: note_text.into(),
            note_type,
            ticket_type: None,
            user_id: None,
            partner_company_unique_id: None,
        }
    }
}

/// `CreateTechScheduleBySecurityTraxUniqueID`: books a tech appointment.
/// Times are the customer's local time, whole minutes. `Debug` shows the
/// notes as `[text]`.
#[derive(Clone, PartialEq, Eq)]
pub struct CreateTechSchedule {
    /// `SecurityTraxUniqueID` (digits): the customer.
    pub security_trax_unique_id: String,
    /// `TechID`: the tech; `None` (sent empty) for slot scheduling.
    pub tech_id: Option<String>,
    /// `StartTime`.
    pub start_time: DateTime,
    /// `EndTime`, after `start_time`.
    pub end_time: DateTime,
    /// `ServiceType`.
    pub service_type: ServiceType,
    /// `ServiceDetailType`: company-defined (sent empty when `None`).
    pub service_detail_type: Option<String>,
    /// `Notes` (sent empty when `None`).
    pub notes: Option<String>,
}

impl CreateTechSchedule {
    /// A slot-scheduled appointment (no tech, detail type or notes).
    #[must_use]
    pub fn new(
        security_trax_unique_id: impl Into<String>,
        start_time: DateTime,
        end_time: DateTime,
        service_type: ServiceType,
    ) -> Self {
        Self {
            security_trax_unique_id: security_trax_unique_id.into(),
            tech_id: None,
            start_time,
            end_time,
            service_type,
            service_detail_type: None,
            notes: None,
        }
    }
}

/// `GetIfAppointmentAvailableByLocationInfo`: is a slot available at a location?
/// At least one location part is required; more is more accurate. `Debug`
/// shows the street address and the coordinates as `[personal]`.
#[derive(Clone, PartialEq, Eq)]
pub struct GetAppointmentAvailability {
    /// `StartTime`.
    pub start_time: DateTime,
    /// `EndTime`, after `start_time`.
    pub end_time: DateTime,
    /// `City`.
    pub city: Option<String>,
    /// `State`.
    pub state: Option<String>,
    /// `Zip`.
    pub zip: Option<String>,
    /// `Address`.
    pub address: Option<String>,
    /// `Latitude` (decimal, e.g. `39.7990`).
    pub latitude: Option<String>,
    /// `Longitude` (decimal, e.g. `-89.6440`).
    pub longitude: Option<String>,
}

impl GetAppointmentAvailability {
    /// A query for the slot, with no location part yet (add at least one).
    #[must_use]
    pub fn new(start_time: DateTime, end_time: DateTime) -> Self {
        Self {
            start_time,
            end_time,
            city: None,
            state: None,
            zip: None,
            address: None,
            latitude: None,
            longitude: None,
        }
    }
}

impl std::fmt::Debug for CreateCustomerNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateCustomerNote")
            .field("security_trax_unique_id", &self.security_trax_unique_id)
            .field("note_subject", &self.note_subject)
            .field("note_text", &TEXT)
            .field("note_type", &self.note_type)
            .field("ticket_type", &self.ticket_type)
            .field("user_id", &self.user_id)
            .field("partner_company_unique_id", &self.partner_company_unique_id)
            .finish()
    }
}

impl std::fmt::Debug for CreateTechSchedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateTechSchedule")
            .field("security_trax_unique_id", &self.security_trax_unique_id)
            .field("tech_id", &self.tech_id)
            .field("start_time", &self.start_time)
            .field("end_time", &self.end_time)
            .field("service_type", &self.service_type)
            .field("service_detail_type", &self.service_detail_type)
            .field("notes", &redacted(self.notes.as_ref(), TEXT))
            .finish()
    }
}

impl std::fmt::Debug for GetAppointmentAvailability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetAppointmentAvailability")
            .field("start_time", &self.start_time)
            .field("end_time", &self.end_time)
            .field("city", &self.city)
            .field("state", &self.state)
            .field("zip", &self.zip)
            .field("address", &redacted(self.address.as_ref(), PERSONAL))
            .field("latitude", &redacted(self.latitude.as_ref(), PERSONAL))
            .field("longitude", &redacted(self.longitude.as_ref(), PERSONAL))
            .finish()
    }
}

/// `AllAccess-GetCustomerStatusBySecurityTraxUniqueID`: reads a customer record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCustomerStatus {
    /// `SecurityTraxUniqueID` (digits).
    pub security_trax_unique_id: String,
}

/// `AllAccess-GetSecurityTraxUniqueID`: finds a customer's id by phone or account number.
/// `Debug` hides a phone number.
#[derive(Clone, PartialEq, Eq)]
pub struct GetSecurityTraxUniqueId {
    /// `IDType`.
    pub id_type: IdType,
    /// `ID`: the phone or account number.
    pub id: String,
}

impl std::fmt::Debug for GetSecurityTraxUniqueId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id: &dyn std::fmt::Debug = match self.id_type {
            IdType::PhoneNumber => &PERSONAL,
            IdType::AccountNumber => &self.id,
        };
        f.debug_struct("GetSecurityTraxUniqueId")
            .field("id_type", &self.id_type)
            .field("id", id)
            .finish()
    }
}

/// `UpdateConfirmationNumberBySecurityTraxUniqueID`: sets a confirmation (receiver) number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateConfirmationNumber {
    /// `SecurityTraxUniqueID` (digits).
    pub security_trax_unique_id: String,
    /// `ConfirmationNumber`.
    pub confirmation_number: String,
}

/// Any documented operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// See [`CreateCustomerNote`].
    CreateCustomerNote(CreateCustomerNote),
    /// See [`CreateTechSchedule`].
    CreateTechSchedule(CreateTechSchedule),
    /// See [`GetAppointmentAvailability`].
    GetAppointmentAvailability(GetAppointmentAvailability),
    /// See [`GetCustomerStatus`].
    GetCustomerStatus(GetCustomerStatus),
    /// See [`GetSecurityTraxUniqueId`].
    GetSecurityTraxUniqueId(GetSecurityTraxUniqueId),
    /// See [`UpdateConfirmationNumber`].
    UpdateConfirmationNumber(UpdateConfirmationNumber),
}

macro_rules! from_operation {
    ($($variant:ident),*) => {$(
        impl From<$variant> for Operation {
            fn from(operation: $variant) -> Self {
                Self::$variant(operation)
            }
        }
    )*};
}
from_operation!(
    CreateCustomerNote,
    CreateTechSchedule,
    GetAppointmentAvailability,
    GetCustomerStatus,
    GetSecurityTraxUniqueId,
    UpdateConfirmationNumber
);

/// An operation's value for one field of its table: its text, or a
/// date-time not yet formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldValue<'a> {
    /// Sent as it is.
    Text(&'a str),
    /// Sent as [`format_wire`] writes it.
    Time(DateTime),
}

impl<'a> FieldValue<'a> {
    /// The value as sent (a date-time formatted).
    fn into_cow(self) -> Cow<'a, str> {
        match self {
            Self::Text(value) => Cow::Borrowed(value),
            Self::Time(at) => Cow::Owned(format_wire(at)),
        }
    }
}

impl Operation {
    /// The request type sent on the wire.
    #[must_use]
    pub fn request_type(&self) -> RequestType {
        match self {
            Self::CreateCustomerNote(_) => RequestType::CreateCustomerNote,
            Self::CreateTechSchedule(_) => RequestType::CreateTechSchedule,
            Self::GetAppointmentAvailability(_) => RequestType::GetAppointmentAvailability,
            Self::GetCustomerStatus(_) => RequestType::GetCustomerStatus,
            Self::GetSecurityTraxUniqueId(_) => RequestType::GetSecurityTraxUniqueId,
            Self::UpdateConfirmationNumber(_) => RequestType::UpdateConfirmationNumber,
        }
    }

    /// The script that serves it.
    #[must_use]
    pub fn script(&self) -> Script {
        self.request_type().script()
    }

    /// Every rule this operation breaks, as (wire name, rule).
    #[must_use]
    pub fn check(&self) -> Vec<(String, Rule)> {
        let mut problems: Vec<(String, Rule)> = self
            .times()
            .into_iter()
            .flatten()
            .filter(|(_, at)| !is_representable(*at))
            .map(|(name, _)| (name.to_owned(), date_time_rule()))
            .collect();
        let fields = self.wire_fields();
        for problem in check_fields_with(self.request_type(), &fields, Characters::Check) {
            if !problems.iter().any(|(name, _)| *name == problem.0) {
                problems.push(problem);
            }
        }
        problems
    }

    /// Whether [`Operation::check`] certainly finds nothing but, perhaps,
    /// characters XML 1.0 forbids (which the writer refuses): the rules of
    /// [`Operation::try_for_each_checked_wire_field`], nothing written.
    /// `false` means broken or in doubt, never "valid".
    #[cfg(test)]
    pub(crate) fn passes_quick_checks(&self) -> bool {
        self.try_for_each_checked_wire_field(|| (), |_, _, _| Ok(()))
            .is_ok()
    }

    /// [`Operation::try_for_each_wire_field`], checking on the way every
    /// rule [`Operation::check`] checks but "no character XML 1.0 forbids"
    /// (which the writer refuses): on the typed values, without formatting,
    /// parsing or collecting them. Each field is checked before `f` gets
    /// it; the first rule broken or in doubt stops the visit with
    /// `in_doubt()` (`f` may have had the fields before it). `Ok` means
    /// every one of those rules holds.
    pub(crate) fn try_for_each_checked_wire_field<E>(
        &self,
        in_doubt: impl FnOnce() -> E,
        mut f: impl FnMut(usize, &'static str, &str) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Some([(_, start), (_, end)]) = self.times()
            && !(is_representable(start) && is_representable(end) && end > start)
        {
            return Err(in_doubt());
        }
        let mut location_parts = 0;
        let mut location_given = false;
        for (index, spec) in self.request_type().fields().iter().enumerate() {
            let value = match self.sent_value(index, spec) {
                // A representable time is written in a form that parses
                // back to it; anything else is in doubt.
                Some(FieldValue::Time(at)) if spec.kind == FieldKind::DateTime => {
                    if !is_representable(at) {
                        return Err(in_doubt());
                    }
                    let mut buffer = WireBuffer::default();
                    f(index, spec.wire_name, &format_wire_in(at, &mut buffer))?;
                    continue;
                }
                Some(FieldValue::Time(_)) => return Err(in_doubt()),
                Some(FieldValue::Text(value)) => Some(value),
                None => None,
            };
            if spec.location {
                location_parts += 1;
                location_given |= value.is_some_and(|v| !is_blank(v));
            }
            if check_value(spec, value, Characters::Skip, &mut None).is_some() {
                return Err(in_doubt());
            }
            if let Some(value) = value {
                f(index, spec.wire_name, value)?;
            }
        }
        if location_parts == 0 || location_given {
            Ok(())
        } else {
            Err(in_doubt())
        }
    }

    fn times(&self) -> Option<[(&'static str, DateTime); 2]> {
        match self {
            Self::CreateTechSchedule(op) => {
                Some([("StartTime", op.start_time), ("EndTime", op.end_time)])
            }
            Self::GetAppointmentAvailability(op) => {
                Some([("StartTime", op.start_time), ("EndTime", op.end_time)])
            }
            _ => None,
        }
    }

    /// The fields as sent, in table order: absent optional fields left out, or
    /// sent empty where the table says so. Values borrow from the operation
    /// (only date-times are formatted).
    pub(crate) fn wire_fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
        self.request_type()
            .fields()
            .iter()
            .enumerate()
            .filter_map(|(index, spec)| {
                self.sent_value(index, spec)
                    .map(|value| (spec.wire_name, value.into_cow()))
            })
            .collect()
    }

    /// Calls `f` with each field of [`Operation::wire_fields`] (its index in
    /// the request type's field table, its wire name, its value), in the same
    /// order, without collecting them; stops at the first error.
    pub(crate) fn try_for_each_wire_field<E>(
        &self,
        mut f: impl FnMut(usize, &'static str, &str) -> Result<(), E>,
    ) -> Result<(), E> {
        for (index, spec) in self.request_type().fields().iter().enumerate() {
            match self.sent_value(index, spec) {
                Some(FieldValue::Text(value)) => f(index, spec.wire_name, value)?,
                Some(FieldValue::Time(at)) => {
                    // Formatted on the stack: no allocation per date-time.
                    let mut buffer = WireBuffer::default();
                    f(index, spec.wire_name, &format_wire_in(at, &mut buffer))?;
                }
                None => {}
            }
        }
        Ok(())
    }

    /// The value sent for `spec`, the `index`-th field of the request type's
    /// table: the operation's value, an empty one where the table says so,
    /// or `None` (left out).
    fn sent_value(&self, index: usize, spec: &FieldSpec) -> Option<FieldValue<'_>> {
        match self.field_value_at(index) {
            Some(value) => Some(value),
            None if spec.empty_when_absent => Some(FieldValue::Text("")),
            None => None,
        }
    }

    /// The value of the `index`-th field of the request type's table, if the
    /// operation has one: [`Operation::field_value`] without comparing names
    /// (a test checks the two agree on every table).
    fn field_value_at(&self, index: usize) -> Option<FieldValue<'_>> {
        fn text(value: &str) -> Option<FieldValue<'_>> {
            Some(FieldValue::Text(value))
        }
        fn optional(value: Option<&String>) -> Option<FieldValue<'_>> {
            value.map(|value| FieldValue::Text(value.as_str()))
        }
        fn time(at: DateTime) -> Option<FieldValue<'static>> {
            Some(FieldValue::Time(at))
        }
        match self {
            Self::CreateCustomerNote(op) => match index {
                0 => text(&op.security_trax_unique_id),
                1 => text(&op.note_subject),
                2 => text(&op.note_text),
                3 => text(op.note_type.code()),
                4 => op.ticket_type.map(|t| FieldValue::Text(t.code())),
                5 => optional(op.user_id.as_ref()),
                6 => optional(op.partner_company_unique_id.as_ref()),
                _ => None,
            },
            Self::CreateTechSchedule(op) => match index {
                0 => text(&op.security_trax_unique_id),
                1 => optional(op.tech_id.as_ref()),
                2 => time(op.start_time),
                3 => time(op.end_time),
                4 => text(op.service_type.code()),
                5 => optional(op.service_detail_type.as_ref()),
                6 => optional(op.notes.as_ref()),
                _ => None,
            },
            Self::GetAppointmentAvailability(op) => match index {
                0 => time(op.start_time),
                1 => time(op.end_time),
                2 => optional(op.city.as_ref()),
                3 => optional(op.state.as_ref()),
                4 => optional(op.zip.as_ref()),
                5 => optional(op.address.as_ref()),
                6 => optional(op.latitude.as_ref()),
                7 => optional(op.longitude.as_ref()),
                _ => None,
            },
            Self::GetCustomerStatus(op) => match index {
                0 => text(&op.security_trax_unique_id),
                _ => None,
            },
            Self::GetSecurityTraxUniqueId(op) => match index {
                0 => text(op.id_type.code()),
                1 => text(&op.id),
                _ => None,
            },
            Self::UpdateConfirmationNumber(op) => match index {
                0 => text(&op.security_trax_unique_id),
                1 => text(&op.confirmation_number),
                _ => None,
            },
        }
    }

    /// The value of the field called `wire_name`, if the operation has one
    /// (the reference [`Operation::field_value_at`] is tested against).
    #[cfg(test)]
    fn field_value(&self, wire_name: &str) -> Option<Cow<'_, str>> {
        fn text(value: &str) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(value))
        }
        fn optional(value: Option<&String>) -> Option<Cow<'_, str>> {
            value.map(|value| Cow::Borrowed(value.as_str()))
        }
        fn time(at: DateTime) -> Option<Cow<'static, str>> {
            Some(Cow::Owned(format_wire(at)))
        }
        match (self, wire_name) {
            (Self::CreateCustomerNote(op), "SecurityTraxUniqueID") => {
                text(&op.security_trax_unique_id)
            }
            (Self::CreateCustomerNote(op), "NoteSubject") => text(&op.note_subject),
            (Self::CreateCustomerNote(op), "NoteText") => text(&op.note_text),
            (Self::CreateCustomerNote(op), "NoteTypeID") => text(op.note_type.code()),
            (Self::CreateCustomerNote(op), "TicketTypeID") => {
                op.ticket_type.map(|t| Cow::Borrowed(t.code()))
            }
            (Self::CreateCustomerNote(op), "UserID") => optional(op.user_id.as_ref()),
            (Self::CreateCustomerNote(op), "PartnerCompanyUniqueID") => {
                optional(op.partner_company_unique_id.as_ref())
            }
            (Self::CreateTechSchedule(op), "SecurityTraxUniqueID") => {
                text(&op.security_trax_unique_id)
            }
            (Self::CreateTechSchedule(op), "TechID") => optional(op.tech_id.as_ref()),
            (Self::CreateTechSchedule(op), "StartTime") => time(op.start_time),
            (Self::CreateTechSchedule(op), "EndTime") => time(op.end_time),
            (Self::CreateTechSchedule(op), "ServiceType") => text(op.service_type.code()),
            (Self::CreateTechSchedule(op), "ServiceDetailType") => {
                optional(op.service_detail_type.as_ref())
            }
            (Self::CreateTechSchedule(op), "Notes") => optional(op.notes.as_ref()),
            (Self::GetAppointmentAvailability(op), "StartTime") => time(op.start_time),
            (Self::GetAppointmentAvailability(op), "EndTime") => time(op.end_time),
            (Self::GetAppointmentAvailability(op), "City") => optional(op.city.as_ref()),
            (Self::GetAppointmentAvailability(op), "State") => optional(op.state.as_ref()),
            (Self::GetAppointmentAvailability(op), "Zip") => optional(op.zip.as_ref()),
            (Self::GetAppointmentAvailability(op), "Address") => optional(op.address.as_ref()),
            (Self::GetAppointmentAvailability(op), "Latitude") => optional(op.latitude.as_ref()),
            (Self::GetAppointmentAvailability(op), "Longitude") => optional(op.longitude.as_ref()),
            (Self::GetCustomerStatus(op), "SecurityTraxUniqueID") => {
                text(&op.security_trax_unique_id)
            }
            (Self::GetSecurityTraxUniqueId(op), "IDType") => text(op.id_type.code()),
            (Self::GetSecurityTraxUniqueId(op), "ID") => text(&op.id),
            (Self::UpdateConfirmationNumber(op), "SecurityTraxUniqueID") => {
                text(&op.security_trax_unique_id)
            }
            (Self::UpdateConfirmationNumber(op), "ConfirmationNumber") => {
                text(&op.confirmation_number)
            }
            _ => None,
        }
    }

    /// Builds the typed operation from decoded wire fields, or returns every
    /// rule they break. Empty optional values become `None`.
    pub(crate) fn from_wire<N: AsRef<str>, V: AsRef<str>>(
        request_type: RequestType,
        fields: &[(N, V)],
    ) -> Result<Self, Vec<(String, Rule)>> {
        let problems = check_fields(request_type, fields);
        if !problems.is_empty() {
            return Err(problems);
        }
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| same_name(n.as_ref(), name))
                .map(|(_, v)| v.as_ref())
                .filter(|v| !v.is_empty())
        };
        let text = |name: &str| get(name).map(str::to_owned);
        let required = |name: &'static str| {
            get(name)
                .map(str::to_owned)
                .ok_or_else(|| vec![(name.to_owned(), Rule::Required)])
        };
        let time = |name: &'static str| {
            get(name)
                .and_then(parse_wire)
                .ok_or_else(|| vec![(name.to_owned(), date_time_rule())])
        };
        fn code<T>(
            value: Option<&str>,
            parse: fn(&str) -> Option<T>,
            name: &str,
            codes: &'static [&'static str],
        ) -> Result<T, Vec<(String, Rule)>> {
            value
                .and_then(parse)
                .ok_or_else(|| vec![(name.to_owned(), one_of_rule(codes))])
        }
        Ok(match request_type {
            RequestType::CreateCustomerNote => Self::CreateCustomerNote(CreateCustomerNote {
                security_trax_unique_id: required("SecurityTraxUniqueID")?,
                note_subject: required("NoteSubject")?,
                note_text: required("NoteText")?,
                note_type: code(
                    get("NoteTypeID"),
                    NoteType::from_code,
                    "NoteTypeID",
                    NoteType::CODES,
                )?,
                ticket_type: match get("TicketTypeID") {
                    Some(value) => Some(code(
                        Some(value),
                        TicketType::from_code,
                        "TicketTypeID",
                        TicketType::CODES,
                    )?),
                    None => None,
                },
                user_id: text("UserID"),
                partner_company_unique_id: text("PartnerCompanyUniqueID"),
            }),
            RequestType::CreateTechSchedule => Self::CreateTechSchedule(CreateTechSchedule {
                security_trax_unique_id: required("SecurityTraxUniqueID")?,
                tech_id: text("TechID"),
                start_time: time("StartTime")?,
                end_time: time("EndTime")?,
                service_type: code(
                    get("ServiceType"),
                    ServiceType::from_code,
                    "ServiceType",
                    ServiceType::CODES,
                )?,
                service_detail_type: text("ServiceDetailType"),
                notes: text("Notes"),
            }),
            RequestType::GetAppointmentAvailability => {
                Self::GetAppointmentAvailability(GetAppointmentAvailability {
                    start_time: time("StartTime")?,
                    end_time: time("EndTime")?,
                    city: text("City"),
                    state: text("State"),
                    zip: text("Zip"),
                    address: text("Address"),
                    latitude: text("Latitude"),
                    longitude: text("Longitude"),
                })
            }
            RequestType::GetCustomerStatus => Self::GetCustomerStatus(GetCustomerStatus {
                security_trax_unique_id: required("SecurityTraxUniqueID")?,
            }),
            RequestType::GetSecurityTraxUniqueId => {
                Self::GetSecurityTraxUniqueId(GetSecurityTraxUniqueId {
                    id_type: code(get("IDType"), IdType::from_code, "IDType", IdType::CODES)?,
                    id: required("ID")?,
                })
            }
            RequestType::UpdateConfirmationNumber => {
                Self::UpdateConfirmationNumber(UpdateConfirmationNumber {
                    security_trax_unique_id: required("SecurityTraxUniqueID")?,
                    confirmation_number: required("ConfirmationNumber")?,
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    /// An operation of `request_type` with every field set (non-empty). The
    /// match is exhaustive: a new request type fails to compile here.
    fn fully_filled(request_type: RequestType) -> Operation {
        let start = date(2014, 1, 23).at(7, 30, 0, 0);
        let end = date(2014, 1, 23).at(9, 0, 0, 0);
        match request_type {
            RequestType::CreateCustomerNote => CreateCustomerNote {
                ticket_type: Some(TicketType::Closed),
                user_id: Some("1024".into()),
                partner_company_unique_id: Some("991234".into()),
                ..CreateCustomerNote::new("9710", "Subject", "Text", NoteType::Technician)
            }
            .into(),
            RequestType::CreateTechSchedule => CreateTechSchedule {
                tech_id: Some("42".into()),
                service_detail_type: Some("Panel".into()),
                notes: Some("Gate code".into()),
                ..CreateTechSchedule::new("9710", start, end, ServiceType::RipOut)
            }
            .into(),
            RequestType::GetAppointmentAvailability => GetAppointmentAvailability {
                city: Some("Springfield".into()),
                state: Some("IL".into()),
                zip: Some("62701".into()),
                address: Some("1 Main St".into()),
                latitude: Some("39.7990".into()),
                longitude: Some("-89.6440".into()),
                ..GetAppointmentAvailability::new(start, end)
            }
            .into(),
            RequestType::GetCustomerStatus => GetCustomerStatus {
                security_trax_unique_id: "2237".into(),
            }
            .into(),
            RequestType::GetSecurityTraxUniqueId => GetSecurityTraxUniqueId {
                id_type: IdType::AccountNumber,
                id: "A-1".into(),
            }
            .into(),
            RequestType::UpdateConfirmationNumber => UpdateConfirmationNumber {
                security_trax_unique_id: "9710".into(),
                confirmation_number: "206".into(),
            }
            .into(),
        }
    }

    #[test]
    fn fields_by_index_are_the_fields_by_name_of_every_table() {
        for request_type in RequestType::ALL {
            let full = fully_filled(request_type);
            let sparse = match full.clone() {
                Operation::CreateCustomerNote(op) => {
                    CreateCustomerNote::new(op.security_trax_unique_id, "s", "t", op.note_type)
                        .into()
                }
                Operation::CreateTechSchedule(op) => CreateTechSchedule::new(
                    op.security_trax_unique_id,
                    op.start_time,
                    op.end_time,
                    op.service_type,
                )
                .into(),
                Operation::GetAppointmentAvailability(op) => {
                    GetAppointmentAvailability::new(op.start_time, op.end_time).into()
                }
                other => other,
            };
            for operation in [full, sparse] {
                let specs = request_type.fields();
                for (index, spec) in specs.iter().enumerate() {
                    assert_eq!(
                        operation.field_value_at(index).map(FieldValue::into_cow),
                        operation.field_value(spec.wire_name),
                        "{request_type:?} field {index} ({})",
                        spec.wire_name
                    );
                }
                assert_eq!(operation.field_value_at(specs.len()), None);
            }
        }
    }

    #[test]
    fn a_fully_filled_operation_sends_every_spec_field() {
        for request_type in RequestType::ALL {
            let operation = fully_filled(request_type);
            assert_eq!(operation.request_type(), request_type);
            assert_eq!(operation.check(), Vec::new(), "{request_type:?}");
            let fields = operation.wire_fields();
            let sent: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
            let spec: Vec<&str> = request_type.fields().iter().map(|f| f.wire_name).collect();
            assert_eq!(sent, spec, "{request_type:?}: a spec field has no value");
            for (name, value) in &fields {
                assert!(
                    !value.is_empty(),
                    "{request_type:?}: `{name}` is sent empty"
                );
            }
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(n, v)| (*n, v.as_ref())).collect();
            assert_eq!(
                Operation::from_wire(request_type, &borrowed),
                Ok(operation.clone()),
                "{request_type:?}: decoding the fields gives another operation"
            );
        }
    }

    #[test]
    fn debug_hides_addresses_coordinates_and_free_text() {
        let shown: Vec<String> = RequestType::ALL
            .into_iter()
            .map(|request_type| format!("{:?}", fully_filled(request_type)))
            .collect();
        let shown = shown.join("\n");
        for hidden in ["1 Main St", "39.7990", "-89.6440", "Gate code", "\"Text\""] {
            assert!(!shown.contains(hidden), "`{hidden}` shown: {shown}");
        }
        assert!(shown.contains("address: Some(\"[personal]\")"), "{shown}");
        assert!(shown.contains("notes: Some(\"[text]\")"), "{shown}");
        assert!(shown.contains("note_text: \"[text]\""), "{shown}");
        // What is needed to tell operations apart stays visible.
        assert!(shown.contains("city: Some(\"Springfield\")"), "{shown}");
        assert!(shown.contains("note_subject: \"Subject\""), "{shown}");
        let unset = GetAppointmentAvailability::new(
            date(2014, 1, 23).at(7, 30, 0, 0),
            date(2014, 1, 23).at(9, 0, 0, 0),
        );
        assert!(format!("{unset:?}").contains("address: None"));
    }
}
