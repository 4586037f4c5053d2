//! crmwire command line: talks to the CRM of the selected profile; `crmwire demo`,
//! `crmwire sandbox` and `--sandbox` use the embedded sandbox, and nothing else does.

mod cli;
mod commands;
mod config;
mod exit;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::error::ErrorKind;
use tracing_subscriber::EnvFilter;

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output::{Failure, Output};

fn main() -> ExitCode {
    let cli = match Cli::parse_command_line() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    init_logging(cli.verbose);
    let output = Output::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            let message = format!("cannot start the async runtime: {err}");
            output.failure(&Failure::new(
                "runtime",
                Exit::Failed.code(),
                &message,
                false,
            ));
            return Exit::Failed.into();
        }
    };
    match runtime.block_on(commands::run(cli, &output)) {
        Ok(()) => Exit::Success.into(),
        Err(err) if err.is_reported() => err.exit().into(),
        Err(err) => {
            let exit = err.exit();
            let message = err.to_string();
            output.failure(
                &Failure::new(err.kind(), exit.code(), &message, err.retry_safe())
                    .with_fate(err.fate())
                    .with_violations(err.problems()),
            );
            exit.into()
        }
    }
}

/// Help and version go to stdout as clap prints them; a usage error is one line on
/// stderr and exit code 2.
fn usage_error(err: &clap::Error) -> ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            if err.use_stderr() {
                Exit::Invalid.into()
            } else {
                Exit::Success.into()
            }
        }
        _ => {
            eprintln!("{}", one_line(&err.to_string()));
            Exit::Invalid.into()
        }
    }
}

/// Clap's multi-line usage error as one line: the message and its details, without
/// the usage and "for more information" lines, and a pointer to `--help`.
fn one_line(rendered: &str) -> String {
    let mut line = String::new();
    for part in rendered.lines() {
        let part = part.trim();
        if part.starts_with("Usage:") || part.starts_with("For more information") {
            break;
        }
        if part.is_empty() {
            continue;
        }
        if !line.is_empty() {
            line.push_str(if part.starts_with("tip:") { "; " } else { " " });
        }
        line.push_str(part);
    }
    line.push_str(" (see --help)");
    line
}

/// Logs to stderr at a level chosen by `-v` count, unless `RUST_LOG` says otherwise;
/// in colour only when stderr is a terminal and `NO_COLOR` is unset or empty.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(use_colour(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR"),
        ))
        .init();
}

/// Whether logs may carry ANSI colours: only on a terminal, and never when
/// `NO_COLOR` is set to anything but the empty string (<https://no-color.org>).
fn use_colour(terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn colours_only_on_a_terminal_without_no_color() {
        assert!(use_colour(true, None));
        assert!(use_colour(true, Some("".into())));
        assert!(!use_colour(true, Some("1".into())));
        assert!(!use_colour(false, None));
    }

    #[test]
    fn a_usage_error_becomes_one_line() {
        let err = Cli::try_parse_from([
            "crmwire",
            "strax",
            "note",
            "add",
            "--customer",
            "1",
            "--subject",
            "s",
            "--text",
            "t",
            "--type",
            "memo",
        ])
        .unwrap_err();
        let line = one_line(&err.to_string());
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.starts_with("error: invalid value 'memo' for '--type <TYPE>'"),
            "{line}"
        );
        assert!(line.contains("sales, technician, lead"), "{line}");
        assert!(line.ends_with("(see --help)"), "{line}");

        let err = Cli::try_parse_from(["crmwire", "strax", "confirmation", "set"]).unwrap_err();
        let line = one_line(&err.to_string());
        assert!(
            line.contains("--customer <ID>") && line.contains("--number <NUMBER>"),
            "{line}"
        );
        assert!(!line.contains("Usage:"), "{line}");
    }
}
