//! Demo steps that walk through the SecurityTrax XML API with the `facade` client
//! against the sandbox's demo account: every operation the client offers (find a
//! customer, read it, add a note, book an appointment, ask availability in a batch,
//! set a confirmation number), a second pass over the other backend; then what
//! failures look like: invalid input (nothing sent), a refused operation, a lost
//! answer.

use facade::securitytrax::protocol::jiff::civil::{DateTime, date};
use facade::securitytrax::{
    CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, IdType, NoteType,
    Operation, ServiceType,
};
use sandbox::Fault;

use super::{DemoContext, DemoError, Shown, ShownFailure, StepFuture, expect, failed};
use crate::commands::strax::{StraxError, call_error};
use crate::exit::Exit;

/// The customer the walk-through works with (the id of the vendor's samples).
pub(super) const CUSTOMER: &str = "9710";
/// One of that customer's phone numbers in the demo data (fictional).
const CUSTOMER_PHONE: &str = "217-555-0101";
/// A customer id the demo data does not have.
const UNKNOWN_CUSTOMER: &str = "424242";
/// Where the sandbox serves SecurityTrax writes for the demo site.
const POSTER_PATH: &str = "/securitytrax/demo/informationposter.php";
/// Where the sandbox serves every SecurityTrax call.
const STRAX_PATH: &str = "/securitytrax/";

fn slot_start() -> DateTime {
    date(2014, 1, 23).at(7, 30, 0, 0)
}

fn slot_end() -> DateTime {
    date(2014, 1, 23).at(9, 0, 0, 0)
}

/// `AllAccess-GetSecurityTraxUniqueID` by phone number.
pub(super) fn find_customer(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "strax-find-customer";
        let id = context
            .strax
            .find_unique_id(IdType::PhoneNumber, CUSTOMER_PHONE)
            .await
            .map_err(failed(STEP))?;
        expect(
            STEP,
            id == CUSTOMER,
            &format!("customer {CUSTOMER}"),
            || format!("customer {id}"),
        )?;
        Ok(Shown::done(
            format!(
                "AllAccess-GetSecurityTraxUniqueID: find the customer with phone number {CUSTOMER_PHONE}"
            ),
            format!("customer {id} (matched on the digits)"),
        ))
    })
}

/// `AllAccess-GetCustomerStatusBySecurityTraxUniqueID`.
pub(super) fn customer_status(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "strax-customer-status";
        let customer = context
            .strax
            .customer_status(CUSTOMER)
            .await
            .map_err(failed(STEP))?;
        let filled = customer
            .documented_fields()
            .iter()
            .filter(|(_, value)| value.is_some_and(|v| !v.is_empty()))
            .count();
        let name = [
            customer.first_name.as_deref(),
            customer.last_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        expect(STEP, !name.is_empty(), "a customer with a name", || {
            "a record without a name".to_owned()
        })?;
        Ok(Shown::done(
            format!("AllAccess-GetCustomerStatusBySecurityTraxUniqueID: read customer {CUSTOMER}"),
            format!(
                "customer {CUSTOMER} is {name} of {}, {}: {filled} of {} documented fields filled",
                customer.city.as_deref().unwrap_or("?"),
                customer.state.as_deref().unwrap_or("?"),
                customer.documented_fields().len()
            ),
        ))
    })
}

/// `CreateCustomerNoteBySecurityTraxUniqueID`.
pub(super) fn add_note(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "strax-add-note";
        let note = CreateCustomerNote::new(
            CUSTOMER,
            "Yard sign",
            "Wants a new yard sign",
            NoteType::Sales,
        );
        context
            .strax
            .add_customer_note(note)
            .await
            .map_err(failed(STEP))?;
        Ok(Shown::done(
            format!(
                "CreateCustomerNoteBySecurityTraxUniqueID: add a sales note \"Yard sign\" to customer {CUSTOMER}"
            ),
            "added a sales note: the service answered success",
        ))
    })
}

/// `CreateTechScheduleBySecurityTraxUniqueID`.
pub(super) fn create_appointment(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "strax-book-appointment";
        let appointment =
            CreateTechSchedule::new(CUSTOMER, slot_start(), slot_end(), ServiceType::Install);
        let created = context
            .strax
            .create_tech_schedule(appointment)
            .await
            .map_err(failed(STEP))?;
        let status = created
            .confirmation_status_name
            .unwrap_or_else(|| "no status".to_owned());
        Ok(Shown::done(
            format!(
                "CreateTechScheduleBySecurityTraxUniqueID: book an install for customer {CUSTOMER} on 01/23/2014, 7:30 to 9:00"
            ),
            format!("booked: {status}"),
        ))
    })
}

/// Two `GetIfAppointmentAvailableByLocationInfo` questions in one document: the
/// booked slot, and a later one.
pub(super) fn availability(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "strax-availability";
        let question = |start: DateTime, end: DateTime| GetAppointmentAvailability {
            city: Some("Springfield".to_owned()),
            state: Some("IL".to_owned()),
            ..GetAppointmentAvailability::new(start, end)
        };
        let later_start = date(2014, 1, 23).at(11, 0, 0, 0);
        let later_end = date(2014, 1, 23).at(12, 30, 0, 0);
        let mut batch = context.strax.batch();
        let booked_slot = batch.push(question(slot_start(), slot_end()));
        let later_slot = batch.push(question(later_start, later_end));
        let results = batch.send().await.map_err(failed(STEP))?;
        let answers = [
            results.get(&booked_slot).map_err(failed(STEP))?.available,
            results.get(&later_slot).map_err(failed(STEP))?.available,
        ];
        expect(
            STEP,
            answers == [Some(false), Some(true)],
            "the booked slot taken and the later one free",
            || format!("{answers:?}"),
        )?;
        Ok(Shown::done(
            "GetIfAppointmentAvailableByLocationInfo: ask two slots in one batch document",
            "7:30 to 9:00 is taken by the new appointment, 11:00 to 12:30 is available",
        ))
    })
}

/// `UpdateConfirmationNumberBySecurityTraxUniqueID`.
pub(super) fn set_confirmation(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "strax-set-confirmation";
        let updated = context
            .strax
            .update_confirmation_number(CUSTOMER, "206")
            .await
            .map_err(failed(STEP))?;
        Ok(Shown::done(
            format!(
                "UpdateConfirmationNumberBySecurityTraxUniqueID: set confirmation number 206 for customer {CUSTOMER}"
            ),
            format!("\"{}\"", updated.message.unwrap_or_default()),
        ))
    })
}

/// The same client over the other backend: a lookup and a note.
pub(super) fn second_pass(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "strax-second-pass";
        let id = context
            .strax
            .find_unique_id(IdType::PhoneNumber, CUSTOMER_PHONE)
            .await
            .map_err(failed(STEP))?;
        expect(
            STEP,
            id == CUSTOMER,
            &format!("customer {CUSTOMER}"),
            || format!("customer {id}"),
        )?;
        let note = CreateCustomerNote::new(
            &id,
            "Second pass",
            "Same client, the other HTTP backend",
            NoteType::Technician,
        );
        context
            .strax
            .add_customer_note(note)
            .await
            .map_err(failed(STEP))?;
        Ok(Shown::done(
            "the same calls over the other backend: find the customer by phone number, then add a technician note",
            format!("customer {id} found and the note added"),
        ))
    })
}

/// A bad field is refused before anything is sent, naming the option and the rule.
pub(super) fn invalid_input(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "invalid-input";
        let before = context.sandbox.requests_received(STRAX_PATH);
        let note = CreateCustomerNote::new(
            "97x0",
            "Yard sign",
            "Wants a new yard sign",
            NoteType::Sales,
        );
        let operation = Operation::from(note.clone());
        let result = context.strax.add_customer_note(note).await;
        let sent = context.sandbox.requests_received(STRAX_PATH) - before;
        let (fate, error) = match result {
            Err(error @ facade::Error::InvalidInput(_)) => {
                (error.clone(), call_error(&operation, error))
            }
            other => {
                return Err(DemoError::Unexpected {
                    step: STEP,
                    expected: "invalid input".to_owned(),
                    got: format!("{other:?}"),
                });
            }
        };
        expect(STEP, sent == 0, "nothing sent", || {
            format!("{sent} requests sent")
        })?;
        expect(STEP, error.exit() == Exit::Invalid, "exit code 2", || {
            format!("exit code {}", error.exit().code())
        })?;
        Ok(Shown::failed(
            "CreateCustomerNoteBySecurityTraxUniqueID for customer id \"97x0\" (not digits)",
            "invalid_input",
            ShownFailure::of(&fate, error.exit().code(), error.to_string()),
        ))
    })
}

/// The service refuses a note for a customer it does not have.
pub(super) fn refused(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "refused";
        let note = CreateCustomerNote::new(
            UNKNOWN_CUSTOMER,
            "Yard sign",
            "Wants a new yard sign",
            NoteType::Sales,
        );
        let (fate, error) = match context.strax.add_customer_note(note).await {
            Err(error @ facade::Error::Refused { .. }) => (error.clone(), StraxError::Call(error)),
            other => {
                return Err(DemoError::Unexpected {
                    step: STEP,
                    expected: "the service refusing the operation".to_owned(),
                    got: format!("{other:?}"),
                });
            }
        };
        expect(STEP, error.exit() == Exit::Failed, "exit code 1", || {
            format!("exit code {}", error.exit().code())
        })?;
        Ok(Shown::failed(
            format!(
                "CreateCustomerNoteBySecurityTraxUniqueID for customer {UNKNOWN_CUSTOMER}, whom the service does not have"
            ),
            "refused",
            ShownFailure::of(&fate, error.exit().code(), error.to_string()),
        ))
    })
}

/// The sandbox acts on a write but its answer is lost: the outcome is unknown, and
/// the write is not resent.
pub(super) fn lost_answer(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "lost-answer";
        context
            .sandbox
            .inject_fault(POSTER_PATH, Fault::CloseAfterProcessing, 1);
        let before = context.sandbox.requests_received(POSTER_PATH);
        let note =
            CreateCustomerNote::new(CUSTOMER, "Follow-up", "Call back Tuesday", NoteType::Sales);
        let result = context.strax.add_customer_note(note).await;
        let received = context.sandbox.requests_received(POSTER_PATH) - before;
        let (fate, error) = match result {
            Err(error) if error.outcome_unknown() => (error.clone(), StraxError::Call(error)),
            other => {
                context.sandbox.clear_faults();
                return Err(DemoError::Unexpected {
                    step: STEP,
                    expected: "an unknown outcome".to_owned(),
                    got: format!("{other:?}"),
                });
            }
        };
        expect(
            STEP,
            received == 1,
            "the note received once, not resent",
            || format!("received {received} times"),
        )?;
        expect(
            STEP,
            error.exit() == Exit::OutcomeUnknown,
            "exit code 4",
            || format!("exit code {}", error.exit().code()),
        )?;
        Ok(Shown::failed(
            format!(
                "CreateCustomerNoteBySecurityTraxUniqueID for customer {CUSTOMER}; the sandbox stores the note, then closes the connection before answering (fault `close-after-processing`); the note was sent once and not resent"
            ),
            "lost_answer",
            ShownFailure::of(&fate, error.exit().code(), error.to_string()),
        ))
    })
}
