//! The SecurityTrax legacy XML generator: reads `fixtures/strax-xml/operations.toml`
//! and returns
//! 1. the Rust tables of `crates/strax-xml-protocol/src/generated/` (request types,
//!    field tables, enums, the `Customer` record), data only;
//! 2. fixture documents under `fixtures/strax-xml/generated/<operation>/`: the
//!    request, the documented success response, a `success="false"` response, a
//!    failed authentication, a "tolerant" response (no declaration, single
//!    quotes, comments, entities, CDATA, empty and unknown elements, a
//!    `<system_request>` echo), and the same three answers with the
//!    `<system_request>` echo inside `<data>` and deeper (`*_echo_in_data.xml`);
//! 3. `crates/strax-xml-protocol/tests/generated/fixture_cases.rs`, one snapshot test
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
use check::check;
use fixtures::fixtures;
use rust::{customer_rs, enums_rs, fixture_cases_rs, generated_mod, request_types_rs};
use spec::Spec;

/// The spec, relative to the workspace root.
const SPEC_PATH: &str = "fixtures/strax-xml/operations.toml";
const RUST_DIR: &str = "crates/strax-xml-protocol/src/generated";
const FIXTURE_DIR: &str = "fixtures/strax-xml/generated";
const CASES_PATH: &str = "crates/strax-xml-protocol/tests/generated/fixture_cases.rs";

/// Made-up credentials of every request fixture (the snapshot helpers redact the password).
const FIXTURE_USERNAME: &str = "fixture-user";
const FIXTURE_PASSWORD: &str = "fixture-password";
const FIXTURE_PARTNER_ID: &str = "77";

/// Reads the spec below `workspace_root` and returns every file it generates.
pub(crate) fn generate(workspace_root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let path = workspace_root.join(SPEC_PATH);
    let text =
        fs::read_to_string(&path).map_err(|error| format!("cannot read {SPEC_PATH}: {error}"))?;
    let spec: Spec = toml::from_str(&text).map_err(|error| format!("{SPEC_PATH}: {error}"))?;
    check(&spec)?;
    let mut files = vec![
        rust_file("mod.rs", generated_mod(&spec)),
        rust_file("enums.rs", enums_rs(&spec)),
        rust_file("request_types.rs", request_types_rs(&spec)),
        rust_file("customer.rs", customer_rs(&spec)),
    ];
    for operation in &spec.operations {
        for (name, contents) in fixtures(&spec, operation) {
            files.push(GeneratedFile {
                path: PathBuf::from(FIXTURE_DIR)
                    .join(&operation.fixture)
                    .join(name),
                contents,
                kind: FileKind::Xml,
            });
        }
    }
    files.push(GeneratedFile {
        path: CASES_PATH.into(),
        contents: fixture_cases_rs(&spec),
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
