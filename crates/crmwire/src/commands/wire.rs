//! `crmwire wire encode|decode <service>`: check crmwire against payloads
//! captured from a real service; nothing is sent. Each service's room owns its
//! arguments and its run (`commands::<service>::wire`); adding a service is one
//! variant in each enum below and one line in [`run`].

use clap::Subcommand;

use super::{CommandError, Context, strax};
use crate::output::Output;

/// `crmwire wire …`
#[derive(Debug, Subcommand)]
pub(crate) enum WireArgs {
    /// An operation document (JSON) in, the exact HTTP request out (method, URL,
    /// headers, body; the password masked). Needs a profile, or --sandbox.
    #[command(subcommand)]
    Encode(EncodeService),
    /// A service's answer (as captured) in, the typed outcome out (--json for the
    /// JSON document), ending with the exit code a real call would.
    #[command(subcommand)]
    Decode(DecodeService),
}

/// `crmwire wire encode <service>`
#[derive(Debug, Subcommand)]
pub(crate) enum EncodeService {
    /// SecurityTrax (legacy XML API).
    #[command(name = "strax", visible_alias = "securitytrax", after_help = strax::wire::ENCODE_HELP)]
    Strax(strax::wire::EncodeArgs),
}

/// `crmwire wire decode <service>`
#[derive(Debug, Subcommand)]
pub(crate) enum DecodeService {
    /// SecurityTrax (legacy XML API).
    #[command(name = "strax", visible_alias = "securitytrax", after_help = strax::wire::DECODE_HELP)]
    Strax(strax::wire::DecodeArgs),
}

/// Runs `crmwire wire …`.
pub(super) async fn run(
    output: &Output,
    context: &Context,
    args: &WireArgs,
) -> Result<(), CommandError> {
    match args {
        WireArgs::Encode(EncodeService::Strax(args)) => {
            strax::wire::encode(output, context, args).await
        }
        WireArgs::Decode(DecodeService::Strax(args)) => {
            strax::wire::decode(output, context, args).await
        }
    }
}
