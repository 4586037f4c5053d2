//! Peoplevine's room: `crmwire peoplevine …` (alias `pv`): customer notes
//! against the selected `service = "peoplevine"` profile or, with `--sandbox`,
//! the embedded sandbox; its profile type; and its part of `crmwire wire`.
//!
//! The flow follows the strax room's: the arguments become a protocol request
//! body (`input`), the page options a checked `PageRequest`; then a [`Session`]
//! gives the client, and the request is either printed (`--dry-run`: the exact
//! request, nothing sent, no token asked for) or sent and its answer printed.

pub(crate) mod args;
mod error;
mod input;
mod profile;
mod report;
mod session;
pub(crate) mod wire;

pub(crate) use args::PeoplevineArgs;
use args::{PageArgs, PeoplevineCommand};
pub(crate) use error::PvError;
use facade::peoplevine::{List, PageRequest};
pub(crate) use profile::PeoplevineProfile;
use report::{NoteReport, NotesReport, RequestReport};
use session::Session;
pub(crate) use session::endpoint;

use super::{CommandError, Context, select_target};
use crate::config::ServiceKind;
use crate::output::Output;

/// Runs one Peoplevine command.
pub(super) async fn run(
    output: &Output,
    context: &Context,
    args: &PeoplevineArgs,
) -> Result<(), CommandError> {
    let PeoplevineCommand::Note(command) = &args.command;
    // Parse and check everything before anything starts.
    let planned = input::plan(command)?;
    let target = select_target(context, args.target, ServiceKind::Peoplevine)?;
    let session = Session::open(output, &target, context.backend).await?;
    let result = if args.dry_run {
        let request = planned.request(session.client.endpoint());
        output.finish(&RequestReport::new(&request));
        output.notice("dry run: nothing was sent");
        Ok(())
    } else {
        send(output, &session, planned).await
    };
    session.close().await;
    Ok(result?)
}

async fn send(output: &Output, session: &Session, planned: input::Planned) -> Result<(), PvError> {
    let client = &session.client;
    match planned {
        input::Planned::Add { customer, note } => {
            let created = client.create_note(customer, &note).await?;
            output.finish(&NoteReport::new("created", created));
        }
        input::Planned::Get { id } => {
            output.finish(&NoteReport::new("note", client.note(id).await?));
        }
        input::Planned::Update { id, update } => {
            let updated = client.update_note(id, &update).await?;
            output.finish(&NoteReport::new("updated", updated));
        }
        input::Planned::List { list, page, all } => {
            let notes = if all {
                client.pages(list, page).collect_notes().await?
            } else {
                match list {
                    List::Customer(id) => client.customer_notes_page(id, page).await?.notes,
                    List::All => client.notes_page(page).await?.notes,
                }
            };
            output.finish(&NotesReport::new(notes));
        }
    }
    Ok(())
}

/// The first page asked for and whether every page is wanted.
fn pages(args: &PageArgs) -> Result<(PageRequest, bool), PvError> {
    let page = PageRequest::new(args.page.unwrap_or(1), args.page_size)
        .map_err(|violations| PvError::invalid(&violations))?;
    Ok((page, args.page.is_none()))
}
