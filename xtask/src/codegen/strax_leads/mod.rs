//! The SecurityTrax lead post generator: reads `fixtures/strax-leads/records.toml`
//! and returns
//! 1. the Rust records and enums of `crates/strax-leads/src/generated/`;
//! 2. fixture documents under `fixtures/strax-leads/generated/<record>/`: the
//!    request holding the spec's sample records (for leads, the vendor's own
//!    two-lead sample), and the answers a post can get (all accepted, all
//!    rejected with texts in any element, short, too many, unreadable,
//!    tolerant, not XML of the envelope at all);
//! 3. `crates/strax-leads/tests/generated/fixture_cases.rs`, one snapshot test
//!    per fixture, calling the hand-written helpers in `tests/support/mod.rs`.

mod check;
mod fixtures;
mod rust;
mod spec;
#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};

use super::{FileKind, GeneratedFile};
use spec::Spec;

/// The spec, relative to the workspace root.
const SPEC_PATH: &str = "fixtures/strax-leads/records.toml";
const RUST_DIR: &str = "crates/strax-leads/src/generated";
const FIXTURE_DIR: &str = "fixtures/strax-leads/generated";
const CASES_PATH: &str = "crates/strax-leads/tests/generated/fixture_cases.rs";

/// A made-up secret the tolerant answer echoes (the snapshot helpers redact it).
const FIXTURE_SECRET: &str = "fixture-secret";

/// Reads the spec below `workspace_root` and returns every file it generates.
pub(crate) fn generate(workspace_root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let text = fs::read_to_string(workspace_root.join(SPEC_PATH))
        .map_err(|error| format!("cannot read {SPEC_PATH}: {error}"))?;
    let spec: Spec = toml::from_str(&text).map_err(|error| format!("{SPEC_PATH}: {error}"))?;
    check::check(&spec)?;
    let mut files = vec![
        rust_file("mod.rs", rust::generated_mod(&spec)),
        rust_file("enums.rs", rust::enums_rs(&spec)),
        rust_file("records.rs", rust::records_rs(&spec)),
    ];
    for record in spec.records.iter().filter(|r| !r.fixture.is_empty()) {
        let nested = record
            .nested
            .as_ref()
            .and_then(|name| spec.records.iter().find(|r| &r.rust == name));
        let dir = PathBuf::from(FIXTURE_DIR).join(&record.fixture);
        files.push(GeneratedFile {
            path: dir.join("request.xml"),
            contents: fixtures::request_xml(record, nested),
            kind: FileKind::Xml,
        });
        for (name, contents) in fixtures::responses(record) {
            files.push(GeneratedFile {
                path: dir.join(name),
                contents,
                kind: FileKind::Xml,
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

fn rust_file(name: &str, contents: String) -> GeneratedFile {
    GeneratedFile {
        path: PathBuf::from(RUST_DIR).join(name),
        contents,
        kind: FileKind::Rust,
    }
}
