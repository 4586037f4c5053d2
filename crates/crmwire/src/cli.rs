//! The command line, as clap types.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{CONFIG_ENV, DEFAULT_PROFILE, PROFILE_ENV};

/// Push notes, leads, appointments and logs into CRMs, or try it all against the
/// embedded sandbox.
#[derive(Debug, Parser)]
#[command(name = "crmwire", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// The config file [default: $XDG_CONFIG_HOME/crmwire/config.toml, else ~/.config/crmwire/config.toml].
    #[arg(long, global = true, env = CONFIG_ENV, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// The profile to use from the config file.
    #[arg(long, global = true, env = PROFILE_ENV, value_name = "NAME", default_value = DEFAULT_PROFILE)]
    pub(crate) profile: String,

    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// Log to stderr: -v info, -vv debug, -vvv trace (RUST_LOG overrides).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
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
        assert_eq!(cli.profile, "acme");
        assert_eq!(cli.config, Some(PathBuf::from("/c.toml")));
        assert!(matches!(cli.command, Command::Demo));
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
}
