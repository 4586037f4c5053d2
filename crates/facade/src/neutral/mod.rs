//! The service-neutral API: what a caller can ask of any CRM, whichever
//! service is behind it.
//!
//! Each operation ([`Operation`]) is a small trait taking a plain request
//! value and returning a plain result:
//!
//! | operation | trait | SecurityTrax | Peoplevine | Neto |
//! |---|---|---|---|---|
//! | add a note | [`CustomerNotes`] | customer note (XML API) | customer note | customer log (`Completed`) |
//! | list notes | [`NoteListing`] | unsupported | customer notes, every page | customer logs (`GetCustomer`) |
//! | post leads | [`LeadPosting`] | lead post ([`LeadClient`](crate::leads::LeadClient)) | unsupported | unsupported |
//! | book an appointment | [`AppointmentBooking`] | tech schedule (XML API) | unsupported | unsupported |
//! | log a follow-up | [`FollowUpLogging`] | unsupported | unsupported | customer log (`Require Recontact`) |
//!
//! A service's own client implements the traits of what it has; [`Crm`],
//! one value over any of them, implements them all and answers what its
//! service lacks with [`Error::Unsupported`](crate::Error::Unsupported)
//! (fate [`Rejected`](crate::Fate::Rejected): nothing sent). Every backend
//! says what it supports before trying ([`Capabilities`]). [`CrmSet`] holds
//! many CRMs side by side by name, each paced at its vendor's limit
//! ([`Pacing`]). Which neutral field becomes which wire field is in
//! [`mapping::TABLE`] and `docs/mapping.md`.
//!
//! Writes are never resent blindly: each client sends with its request's
//! [`wire_core::Resend`] tag, and the transport's one retry policy decides.
//!
//! Code written against the traits works with any service:
//!
//! ```
//! use facade::neutral::{
//!     AddCustomerNote, Capabilities, CustomerNotes, CustomerRef, NoteKind, Operation,
//! };
//!
//! async fn remind<S: CustomerNotes + Capabilities>(
//!     crm: &S,
//!     customer: &str,
//! ) -> Result<(), facade::Error> {
//!     if !crm.supports(Operation::AddNote) {
//!         return Ok(());
//!     }
//!     let note = AddCustomerNote::new(
//!         CustomerRef::new(customer),
//!         "Reminder",
//!         "Battery replacement due",
//!         NoteKind::Technician,
//!     );
//!     crm.add_note(note).await?;
//!     Ok(())
//! }
//! ```

mod appointment;
mod crm;
mod follow_up;
mod lead;
pub mod mapping;
mod note;
mod operation;
mod pacing;
mod set;
mod traits;

pub use appointment::{AppointmentBooked, AppointmentKind, BookAppointment};
pub use crm::{Crm, CrmTransport};
pub use follow_up::{FollowUpLogged, LogFollowUp};
pub use lead::{LeadAccepted, LeadsPosted, NewLead};
pub use note::{AddCustomerNote, CustomerNote, CustomerRef, ListNotes, NoteAdded, NoteKind};
pub use operation::{Capabilities, Operation};
pub use pacing::{Pacing, vendor_pace};
pub use set::{CrmSet, CrmSetBuilder};
pub use traits::{AppointmentBooking, CustomerNotes, FollowUpLogging, LeadPosting, NoteListing};

#[cfg(test)]
mod mapping_tests;
#[cfg(test)]
mod tests;
