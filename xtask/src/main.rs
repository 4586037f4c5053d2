//! crmwire's developer tasks, run as `cargo xtask <task>`.
//!
//! - `cargo xtask codegen [--check]`: regenerate every generated file (Rust under
//!   `generated` modules, fixture documents, snapshot test lists, the fixture index),
//!   or with `--check` fail when anything committed is stale.
//! - `cargo xtask tidy`: repository rules that a compiler cannot check, such as
//!   "the protocol crates never depend on IO crates" and "every published crate
//!   has complete crates.io metadata".
//! - `cargo xtask msrv`: no locked dependency needs a newer Rust than the
//!   workspace's `rust-version`.

mod codegen;
mod release;
mod tidy;
mod workspace;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen [--check]   regenerate generated code, fixtures and snapshot tests
                      (--check: fail instead of writing when anything is stale)
  tidy                check repository rules (no IO dependencies in protocol crates,
                      complete crates.io metadata on published crates)
  msrv                check that no locked dependency needs a newer Rust than the
                      workspace's rust-version";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace::root();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(&root, codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(&root, codegen::Mode::Check),
        ["tidy"] => tidy::run(&root).and_then(|()| release::check_metadata(&root)),
        ["msrv"] => release::check_msrv(&root),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown task or arguments: {args:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
