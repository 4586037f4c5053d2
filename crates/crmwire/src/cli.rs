//! The command line, as clap types: the global flags and one subcommand per
//! service (each service's own arguments live in its room, `commands/<service>/`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::commands::neto::NetoArgs;
use crate::commands::neutral::{AppointmentArgs, FollowupArgs, NoteArgs};
use crate::commands::peoplevine::PeoplevineArgs;
use crate::commands::strax::StraxArgs;
use crate::commands::strax::lead::{TopCustomerArgs, TopLeadArgs};
use crate::commands::wire::WireArgs;
use crate::config::{CONFIG_ENV, PROFILE_ENV};

/// The exit codes, as documented in `--help` and the README.
const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success (a dry run included)
  1  the service refused or failed the operation (success=\"false\", authentication,
     HTTP error status, unreadable answer to a read), or does not have it (nothing
     was sent), or crmwire itself failed
  2  invalid input, usage or configuration (plain http:// to a remote host
     included): nothing was sent
  3  the request was not sent (connection refused, DNS or TLS failure, connect
     timeout): nothing happened at the CRM, it is safe to run the command again
  4  outcome unknown: the request may have been received and acted on; check the
     CRM before running the command again
A command sent to several profiles (note, appointment, followup, lead post, customer post)
exits with the worst of their codes: 4 over 3 over 2 over 1 over 0.";

/// Push notes, leads, appointments and logs into CRMs, or try it all against the
/// embedded sandbox.
#[derive(Debug, Parser)]
#[command(
    name = "crmwire",
    version,
    about,
    propagate_version = true,
    after_help = EXIT_CODES_HELP
)]
pub(crate) struct Cli {
    /// The config file [default: $XDG_CONFIG_HOME/crmwire/config.toml, else ~/.config/crmwire/config.toml].
    #[arg(long, global = true, env = CONFIG_ENV, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// The profile to use from the config file [default: default]. The
    /// service-neutral commands (`note`, `appointment`, `followup`) and
    /// `lead post` / `customer post` take it more than once and send to
    /// each; every other command takes one.
    #[arg(long, global = true, env = PROFILE_ENV, value_name = "NAME", action = ArgAction::Append)]
    pub(crate) profile: Vec<String>,

    /// Whether `profile` came from `$CRMWIRE_PROFILE` rather than the command
    /// line (set by [`Cli::parse_command_line`]).
    #[arg(skip)]
    pub(crate) profile_from_env: bool,

    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// Log to stderr: -v info, -vv debug, -vvv trace (RUST_LOG overrides).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    /// The HTTP stack requests go through.
    #[arg(long, global = true, value_enum, default_value_t = BackendArg::Reqwest)]
    pub(crate) backend: BackendArg,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

impl Cli {
    /// Parses the process's arguments, noting whether the profiles came
    /// from `$CRMWIRE_PROFILE`: a default from the environment names
    /// configured profiles, never the sandbox's services.
    pub(crate) fn parse_command_line() -> Result<Self, clap::Error> {
        let mut command = Self::command();
        let matches = command.try_get_matches_from_mut(std::env::args_os())?;
        let mut cli = Self::from_arg_matches(&matches).map_err(|err| err.format(&mut command))?;
        cli.profile_from_env = matches.value_source("profile") == Some(ValueSource::EnvVariable);
        Ok(cli)
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the embedded sandbox in the foreground until Ctrl-C.
    Sandbox(SandboxArgs),
    /// Start an in-process sandbox and walk through what crmwire does against it.
    Demo,
    /// List the configured profiles and whether their secrets are set.
    Profiles,
    /// Check crmwire against captured payloads: an operation as JSON to the exact
    /// request, or a service's answer to the typed outcome. Nothing is sent.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Wire(WireArgs),
    /// SecurityTrax: customer notes, appointments, availability, customer look-ups and
    /// confirmation numbers (the legacy XML API).
    #[command(name = "strax", visible_alias = "securitytrax", after_help = EXIT_CODES_HELP)]
    Strax(StraxArgs),
    /// Peoplevine: customer notes (the REST API).
    #[command(name = "peoplevine", visible_alias = "pv", after_help = EXIT_CODES_HELP)]
    Peoplevine(PeoplevineArgs),
    /// Neto by Maropost: customer logs (add, update, list), in XML or JSON.
    #[command(after_help = EXIT_CODES_HELP)]
    Neto(NetoArgs),
    /// Post leads from a file (to SecurityTrax: the same as `crmwire strax lead`).
    Lead(TopLeadArgs),
    /// Customer notes on every named profile: the same note to each (`--profile A
    /// --profile B`), one outcome per profile.
    #[command(after_help = EXIT_CODES_HELP)]
    Note(NoteArgs),
    /// Appointments on every named profile, one outcome per profile.
    #[command(after_help = EXIT_CODES_HELP)]
    Appointment(AppointmentArgs),
    /// Follow-ups (the customer must be contacted again) on every named profile,
    /// one outcome per profile.
    #[command(after_help = EXIT_CODES_HELP)]
    Followup(FollowupArgs),
    /// Post customers from a file (to SecurityTrax: the same as `crmwire strax
    /// customer post`).
    Customer(TopCustomerArgs),
}

/// `--backend`: the HTTP stack of the `transport` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BackendArg {
    /// reqwest (the default).
    Reqwest,
    /// hyper-util's pooled client.
    Hyper,
}

impl From<BackendArg> for transport::Backend {
    fn from(backend: BackendArg) -> Self {
        match backend {
            BackendArg::Reqwest => Self::Reqwest,
            BackendArg::Hyper => Self::Hyper,
        }
    }
}

/// Options of `crmwire sandbox`.
#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// The address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) addr: SocketAddr,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_go_anywhere() {
        let cli = Cli::try_parse_from([
            "crmwire",
            "demo",
            "--json",
            "-vv",
            "--profile",
            "acme",
            "--config",
            "/c.toml",
        ])
        .unwrap();
        assert!(cli.json);
        assert_eq!(cli.verbose, 2);
        assert_eq!(cli.profile, ["acme"]);
        assert_eq!(cli.config, Some(PathBuf::from("/c.toml")));
        assert!(matches!(cli.command, Command::Demo));
    }

    #[test]
    fn profile_is_repeatable_and_empty_when_not_given() {
        let cli = Cli::try_parse_from([
            "crmwire",
            "note",
            "add",
            "--profile",
            "a",
            "--customer",
            "1",
            "--subject",
            "s",
            "--text",
            "t",
            "--profile",
            "b",
        ])
        .unwrap();
        assert_eq!(cli.profile, ["a", "b"]);
        assert!(matches!(cli.command, Command::Note(_)));
        let cli = Cli::try_parse_from(["crmwire", "profiles"]).unwrap();
        assert!(cli.profile.is_empty());
    }

    #[test]
    fn sandbox_takes_an_address() {
        let cli = Cli::try_parse_from(["crmwire", "sandbox", "--addr", "127.0.0.1:0"]).unwrap();
        let Command::Sandbox(args) = cli.command else {
            panic!("expected sandbox");
        };
        assert_eq!(args.addr, "127.0.0.1:0".parse().unwrap());
        assert!(Cli::try_parse_from(["crmwire", "sandbox", "--addr", "nowhere"]).is_err());
    }

    #[test]
    fn backend_defaults_to_reqwest_and_takes_hyper() {
        let cli = Cli::try_parse_from(["crmwire", "demo"]).unwrap();
        assert_eq!(
            transport::Backend::from(cli.backend),
            transport::Backend::Reqwest
        );
        let cli = Cli::try_parse_from(["crmwire", "demo", "--backend", "hyper"]).unwrap();
        assert_eq!(
            transport::Backend::from(cli.backend),
            transport::Backend::Hyper
        );
        assert!(Cli::try_parse_from(["crmwire", "demo", "--backend", "curl"]).is_err());
    }
}
