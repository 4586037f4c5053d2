//! SecurityTrax's room: `crmwire strax …` (one SecurityTrax operation per
//! command, against the selected profile or, with `--sandbox`, the embedded
//! sandbox), its profile type, and its part of `crmwire wire`.
//!
//! The flow: the arguments (`args`) become a protocol
//! [`Operation`](facade::securitytrax::Operation) (`input`: parsing only; the
//! protocol validates it once, when the facade encodes it, and invalid input
//! exits 2 with every broken rule named by its option); then a [`Session`] gives
//! the client, and the operation is either
//! prepared and printed (`--dry-run`, `dry_run`) or sent and its result printed
//! (`report`).

pub(crate) mod args;
mod dry_run;
mod error;
mod input;
pub(crate) mod lead;
mod profile;
mod report;
mod session;
pub(crate) mod wire;
pub(crate) mod wire_leads;

pub(crate) use args::StraxArgs;
use args::{CustomerCommand, StraxCommand};
pub(crate) use error::StraxError;
pub(crate) use input::parse_when;
pub(crate) use profile::StraxProfile;
pub(crate) use session::{profile_account, sandbox_account};

use self::dry_run::DryRunReport;
use self::session::Session;
use super::{CommandError, Context, select_target};
use crate::config::ServiceKind;
use crate::output::Output;

/// Runs one SecurityTrax command.
pub(super) async fn run(
    output: &Output,
    context: &Context,
    args: &StraxArgs,
) -> Result<(), CommandError> {
    match &args.command {
        StraxCommand::Lead(command) => {
            return lead::run(output, context, args.dry_run, args.target, command).await;
        }
        StraxCommand::Customer(CustomerCommand::Post(post)) => {
            return lead::run_customer_post(output, context, args.dry_run, args.target, post).await;
        }
        _ => {}
    }
    let operation = input::operation(&args.command)?;
    let target = select_target(context, args.target, ServiceKind::SecurityTrax)?;
    let session = Session::open(output, &target, context.backend).await?;
    let result = if args.dry_run {
        session
            .client
            .prepare(operation.clone())
            .map(|prepared| {
                output.finish(&DryRunReport::new(
                    &[prepared],
                    &session::transport_config(),
                ));
                output.notice("dry run: nothing was sent");
            })
            .map_err(|error| call_error(&operation, error))
    } else {
        report::call(&session.client, &operation)
            .await
            .map(|report| output.finish(&report))
            .map_err(|error| call_error(&operation, error))
    };
    session.close().await;
    Ok(result?)
}

/// A failed call, with invalid fields named by their options.
pub(crate) fn call_error(
    operation: &facade::securitytrax::Operation,
    error: facade::Error,
) -> StraxError {
    match error {
        facade::Error::InvalidInput(violations) => input::invalid(operation, &violations),
        other => StraxError::Call(other),
    }
}
