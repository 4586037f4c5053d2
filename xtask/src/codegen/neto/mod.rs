//! The Neto generator: reads `fixtures/neto/actions.toml` and returns
//! 1. `crates/neto-api/src/generated/mod.rs`: the action names with what
//!    resending each means, the customer-log status values, and the customer-log
//!    field table with each action's rule (data only);
//! 2. fixture documents under `fixtures/neto/generated/<action>/`: the request
//!    (and a request with the quirks a client may send), and the success,
//!    warning, error and quirks answers, each in XML and in JSON;
//! 3. `crates/neto-api/tests/generated/fixture_cases.rs`, one snapshot test per
//!    fixture, calling the hand-written helpers in `tests/support/mod.rs`.

mod fixtures;
mod rust;
mod spec;
#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};

use super::{FileKind, GeneratedFile};

/// The spec, relative to the workspace root.
const SPEC_PATH: &str = "fixtures/neto/actions.toml";
const RUST_PATH: &str = "crates/neto-api/src/generated/mod.rs";
const FIXTURE_DIR: &str = "fixtures/neto/generated";
const CASES_PATH: &str = "crates/neto-api/tests/generated/fixture_cases.rs";

fn read_spec(workspace_root: &Path) -> Result<spec::Spec, String> {
    let text = fs::read_to_string(workspace_root.join(SPEC_PATH))
        .map_err(|error| format!("cannot read {SPEC_PATH}: {error}"))?;
    let spec: spec::Spec =
        toml::from_str(&text).map_err(|error| format!("{SPEC_PATH}: {error}"))?;
    spec::check(&spec)?;
    Ok(spec)
}

/// Reads the spec below `workspace_root` and returns every file it generates.
pub(crate) fn generate(workspace_root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let spec = read_spec(workspace_root)?;
    let mut files = vec![GeneratedFile {
        path: RUST_PATH.into(),
        contents: rust::generated_mod(&spec)?,
        kind: FileKind::Rust,
    }];
    for action in &spec.action {
        for (name, contents, json) in fixtures::fixtures(&spec, action) {
            files.push(GeneratedFile {
                path: PathBuf::from(FIXTURE_DIR).join(&action.fixture).join(name),
                contents,
                kind: if json { FileKind::Json } else { FileKind::Xml },
            });
        }
    }
    files.push(GeneratedFile {
        path: CASES_PATH.into(),
        contents: rust::fixture_cases_rs(&spec),
        kind: FileKind::Rust,
    });
    Ok(files)
}
