//! Demo steps of Peoplevine customer notes with the `facade` client: the first
//! call obtains a token with the password grant, later calls (over either
//! backend) reuse it; add a note, change it and read it back, list the
//! customer's notes.

use facade::peoplevine::{NewNote, NoteUpdate, PageRequest, Patch};
use sandbox::peoplevine::DEMO_CUSTOMERS;

use super::{DemoContext, DemoError, Shown, StepFuture, expect, failed};

/// The customer the notes are for.
const CUSTOMER: i64 = DEMO_CUSTOMERS[0];

/// The id of the note `peoplevine-add-note` added.
fn added_note(context: &DemoContext, step: &'static str) -> Result<i64, DemoError> {
    context.memo().peoplevine_note.ok_or(DemoError::Unexpected {
        step,
        expected: "the note added by peoplevine-add-note".to_owned(),
        got: "no note".to_owned(),
    })
}

/// Token grant, then `POST /api/customers/{id}/notes`.
pub(super) fn add_note(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "peoplevine-add-note";
        let note = NewNote {
            subject: Some("Yard sign".into()),
            details: Some("Wants a new yard sign".into()),
            ..NewNote::default()
        };
        let created = context
            .peoplevine
            .create_note(CUSTOMER, &note)
            .await
            .map_err(failed(STEP))?;
        let tokens = context.peoplevine.token_counts().await;
        expect(STEP, tokens == (1, 0), "one token grant", || {
            format!("{} grants and {} refreshes", tokens.0, tokens.1)
        })?;
        let id = created.id.ok_or(DemoError::Unexpected {
            step: STEP,
            expected: "the new note's id".to_owned(),
            got: "a note without an id".to_owned(),
        })?;
        expect(
            STEP,
            created.subject.as_deref() == Some("Yard sign"),
            "the note as sent",
            || format!("subject {:?}", created.subject),
        )?;
        context.memo().peoplevine_note = Some(id);
        Ok(Shown::done(
            format!(
                "get a token with the password grant (secrets masked), then add a note \"Yard sign\" to customer {CUSTOMER}"
            ),
            format!("note {id} created; 1 token granted, kept for the next calls"),
        ))
    })
}

/// `PUT /api/notes/{id}` with one field changed, then `GET` it back.
pub(super) fn update_note(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "peoplevine-update-note";
        const DETAILS: &str = "Wants a new yard sign, installed by Friday";
        let id = added_note(context, STEP)?;
        let update = NoteUpdate {
            details: Patch::Value(DETAILS.into()),
            ..NoteUpdate::default()
        };
        context
            .peoplevine
            .update_note(id, &update)
            .await
            .map_err(failed(STEP))?;
        let read = context.peoplevine.note(id).await.map_err(failed(STEP))?;
        expect(
            STEP,
            read.details.as_deref() == Some(DETAILS)
                && read.subject.as_deref() == Some("Yard sign"),
            "the new details, the subject unchanged",
            || format!("details {:?}, subject {:?}", read.details, read.subject),
        )?;
        Ok(Shown::done(
            format!(
                "change note {id}'s details only (the other fields are left out), then read it back"
            ),
            format!("note {id} now reads \"{DETAILS}\", its subject unchanged"),
        ))
    })
}

/// `GET /api/customers/{id}/notes` over the other backend, with the same token.
pub(super) fn list_notes(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "peoplevine-list-notes";
        let id = added_note(context, STEP)?;
        let page = context
            .peoplevine
            .customer_notes_page(CUSTOMER, PageRequest::default())
            .await
            .map_err(failed(STEP))?;
        expect(
            STEP,
            page.notes.iter().any(|note| note.id == Some(id)),
            &format!("note {id} in the list"),
            || format!("{} notes without it", page.notes.len()),
        )?;
        let tokens = context.peoplevine.token_counts().await;
        expect(STEP, tokens == (1, 0), "the token reused", || {
            format!("{} grants and {} refreshes", tokens.0, tokens.1)
        })?;
        Ok(Shown::done(
            format!("list customer {CUSTOMER}'s notes, over the other backend with the same token"),
            format!(
                "{} note(s) on the first page, note {id} among them; still 1 token granted",
                page.notes.len()
            ),
        ))
    })
}
