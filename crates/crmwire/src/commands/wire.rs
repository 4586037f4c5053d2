//! `crmwire wire encode|decode <service>`: check crmwire against payloads
//! captured from a real service; nothing is sent. Each service's room owns its
//! arguments and its run (`commands::<service>::wire`); adding a service is one
//! variant in each enum below and one line in [`run`].

use clap::Subcommand;

use super::{CommandError, Context, neto, peoplevine, strax};
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
    /// SecurityTrax lead post: JSON leads in, the exact `<leads>` document out.
    #[command(name = "lead", visible_alias = "strax-lead", after_help = strax::wire_leads::ENCODE_HELP)]
    Lead(strax::wire_leads::EncodeArgs),
    /// SecurityTrax customer post: JSON customers in, the exact `<customers>` document out.
    #[command(name = "customer", visible_alias = "strax-customer", after_help = strax::wire_leads::ENCODE_HELP)]
    Customer(strax::wire_leads::EncodeArgs),
    /// Peoplevine (customer notes REST API).
    #[command(name = "peoplevine", visible_alias = "pv", after_help = peoplevine::wire::ENCODE_HELP)]
    Peoplevine(peoplevine::wire::EncodeArgs),
    /// Neto by Maropost: a request document (JSON or XML) in, the exact request in
    /// the chosen format out.
    Neto(neto::wire::EncodeArgs),
}

/// `crmwire wire decode <service>`
#[derive(Debug, Subcommand)]
pub(crate) enum DecodeService {
    /// SecurityTrax (legacy XML API).
    #[command(name = "strax", visible_alias = "securitytrax", after_help = strax::wire::DECODE_HELP)]
    Strax(strax::wire::DecodeArgs),
    /// SecurityTrax lead post: an answer plus the leads it answers in, one outcome per lead out.
    #[command(name = "lead", visible_alias = "strax-lead", after_help = strax::wire_leads::DECODE_HELP)]
    Lead(strax::wire_leads::DecodeArgs),
    /// SecurityTrax customer post: an answer plus the customers it answers in, one outcome each out.
    #[command(name = "customer", visible_alias = "strax-customer", after_help = strax::wire_leads::DECODE_HELP)]
    Customer(strax::wire_leads::DecodeArgs),
    /// Peoplevine (customer notes REST API).
    #[command(name = "peoplevine", visible_alias = "pv", after_help = peoplevine::wire::DECODE_HELP)]
    Peoplevine(peoplevine::wire::DecodeArgs),
    /// Neto by Maropost: a store's answer (XML or JSON) plus the request it answers in,
    /// the typed outcome out.
    Neto(neto::wire::DecodeArgs),
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
        WireArgs::Encode(EncodeService::Lead(args)) => {
            strax::wire_leads::encode::<strax_leads::Lead>(output, args)
        }
        WireArgs::Encode(EncodeService::Customer(args)) => {
            strax::wire_leads::encode::<strax_leads::Customer>(output, args)
        }
        WireArgs::Decode(DecodeService::Lead(args)) => {
            strax::wire_leads::decode::<strax_leads::Lead>(output, args)
        }
        WireArgs::Encode(EncodeService::Neto(args)) => {
            neto::wire::encode(output, context, args).await
        }
        WireArgs::Decode(DecodeService::Neto(args)) => neto::wire::decode(output, args),
        WireArgs::Decode(DecodeService::Customer(args)) => {
            strax::wire_leads::decode::<strax_leads::Customer>(output, args)
        }
        WireArgs::Encode(EncodeService::Peoplevine(args)) => {
            peoplevine::wire::encode(output, context, args).await
        }
        WireArgs::Decode(DecodeService::Peoplevine(args)) => {
            peoplevine::wire::decode(output, context, args).await
        }
    }
}
