//! The Peoplevine generator: reads the OpenAPI 3 document
//! `fixtures/peoplevine/openapi.json` and returns
//! 1. `crates/notes-rest/src/generated/`: the models of `components.schemas`
//!    (structs and open enums; schemas marked `x-crmwire-hand-written` are
//!    skipped) and the `Operation` table of `paths`;
//! 2. `fixtures/peoplevine/generated/<operation>/<status>_<example>.json`: one
//!    body per response example (`.txt` for an `x-raw` example);
//! 3. `crates/notes-rest/tests/generated/`: one snapshot test per response
//!    (every example, plus every response without a body such as `204`), and a
//!    proptest strategy and a serialise → deserialise test per model.

mod model;
mod rust;
#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};

use super::{FileKind, GeneratedFile};
use model::Spec;

/// The spec, relative to the workspace root.
const SPEC_PATH: &str = "fixtures/peoplevine/openapi.json";
const RUST_DIR: &str = "crates/notes-rest/src/generated";
const FIXTURE_DIR: &str = "fixtures/peoplevine/generated";
const TESTS_DIR: &str = "crates/notes-rest/tests/generated";

/// Reads the spec below `workspace_root` and returns every file it generates.
pub(crate) fn generate(workspace_root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let text = fs::read_to_string(workspace_root.join(SPEC_PATH))
        .map_err(|error| format!("cannot read {SPEC_PATH}: {error}"))?;
    let spec = Spec::parse(&text).map_err(|error| format!("{SPEC_PATH}: {error}"))?;
    let mut files = vec![
        rust_file(RUST_DIR, "mod.rs", rust::generated_mod()),
        rust_file(RUST_DIR, "models.rs", rust::models_rs(&spec)),
        rust_file(RUST_DIR, "operations.rs", rust::operations_rs(&spec)),
        rust_file(TESTS_DIR, "fixture_cases.rs", rust::fixture_cases_rs(&spec)),
        rust_file(TESTS_DIR, "strategies.rs", rust::strategies_rs(&spec)),
    ];
    for operation in &spec.operations {
        for case in &operation.cases {
            if let Some((name, contents)) = case.fixture() {
                let kind = if case.raw {
                    FileKind::Verbatim
                } else {
                    FileKind::Json
                };
                files.push(GeneratedFile {
                    path: PathBuf::from(FIXTURE_DIR)
                        .join(&operation.fixture_dir)
                        .join(name),
                    contents,
                    kind,
                });
            }
        }
    }
    Ok(files)
}

fn rust_file(dir: &str, name: &str, contents: String) -> GeneratedFile {
    GeneratedFile {
        path: PathBuf::from(dir).join(name),
        contents,
        kind: FileKind::Rust,
    }
}
