//! The closing step: one note, written once, sent to all three services through
//! the service-neutral API (`facade::neutral`), by one generic function that
//! knows no service; read back where the service can list notes.

use facade::neutral::{
    AddCustomerNote, Capabilities, CustomerNotes, CustomerRef, ListNotes, NoteKind, NoteListing,
    Operation,
};
use sandbox::{neto, peoplevine};

use super::{DemoContext, DemoError, Shown, StepFuture, expect, failed};

const STEP: &str = "neutral-note";
const SUBJECT: &str = "Spring check-up";
const TEXT: &str = "Offer the spring check-up";

/// The note, for `customer`.
fn note(customer: &str) -> AddCustomerNote {
    AddCustomerNote::new(CustomerRef::new(customer), SUBJECT, TEXT, NoteKind::Sales)
}

/// Adds the note to `customer` of `crm`; what it answered.
async fn add<S: CustomerNotes + Capabilities>(
    crm: &S,
    service: &str,
    customer: &str,
) -> Result<String, DemoError> {
    expect(
        STEP,
        crm.supports(Operation::AddNote),
        "add-note supported",
        || format!("{service} without add-note"),
    )?;
    let added = crm.add_note(note(customer)).await.map_err(failed(STEP))?;
    Ok(match added.note_id {
        Some(id) => format!("{service} {customer}: note {id}"),
        None => format!("{service} {customer}: added (the service returns no id)"),
    })
}

/// Checks the note is among `customer`'s notes of `crm`.
async fn listed<S: NoteListing>(crm: &S, service: &str, customer: &str) -> Result<(), DemoError> {
    let notes = crm
        .list_notes(ListNotes::new(CustomerRef::new(customer)))
        .await
        .map_err(failed(STEP))?;
    expect(
        STEP,
        notes
            .iter()
            .any(|n| n.text.as_deref().is_some_and(|t| t.contains(TEXT))),
        &format!("the note listed by {service}"),
        || format!("{} notes without it", notes.len()),
    )
}

/// The same note to SecurityTrax, Peoplevine and Neto.
pub(super) fn same_note_everywhere(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        let strax_customer = super::strax_steps::CUSTOMER;
        let pv_customer = peoplevine::DEMO_CUSTOMERS[1].to_string();
        let neto_customer = neto::DEMO_CUSTOMERS[2];
        let answers = [
            add(&context.strax, "SecurityTrax", strax_customer).await?,
            add(&context.peoplevine, "Peoplevine", &pv_customer).await?,
            add(&context.neto_json, "Neto", neto_customer).await?,
        ];
        listed(&context.peoplevine, "Peoplevine", &pv_customer).await?;
        listed(&context.neto_json, "Neto", neto_customer).await?;
        expect(
            STEP,
            !context.strax.supports(Operation::ListNotes),
            "SecurityTrax without note listing",
            || "SecurityTrax listing notes".to_owned(),
        )?;
        Ok(Shown::done(
            format!(
                "facade::neutral: one AddCustomerNote (\"{SUBJECT}\", a sales note) sent by one generic function to SecurityTrax, Peoplevine and Neto, then listed back where the service can list notes (SecurityTrax cannot)"
            ),
            format!("{}; listed back by Peoplevine and Neto", answers.join("; ")),
        ))
    })
}
