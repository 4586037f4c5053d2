//! `cargo xtask tidy`: repository rules a compiler cannot check.
//!
//! The rule enforced here: the protocol crates are sans-IO. Their *normal*
//! dependency graph (not dev- or build-dependencies) must not reach an async
//! runtime, an HTTP stack, a socket library or crmwire's own `transport`, so that
//! users can drive them with any HTTP stack, sync or async.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, PackageId};

/// The crates that must stay sans-IO.
pub(crate) const PROTOCOL_CRATES: &[&str] = &[
    "strict-xml",
    "strax-xml-protocol",
    "strax-leads",
    "notes-rest",
    "neto-api",
];

/// Packages that do IO (or bring a runtime) and so must not be reachable from a
/// protocol crate's normal dependencies.
pub(crate) const IO_PACKAGES: &[&str] = &[
    "tokio",
    "async-std",
    "smol",
    "mio",
    "socket2",
    "reqwest",
    "hyper",
    "hyper-util",
    "ureq",
    "curl",
    "isahc",
    "transport",
    "facade",
    "sandbox",
];

/// Runs every tidy rule against the workspace at `root`.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let metadata = MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .exec()
        .map_err(|error| format!("cargo metadata failed: {error}"))?;
    let violations = io_dependencies_of_protocol_crates(&metadata);
    if violations.is_empty() {
        return Ok(());
    }
    Err(format!(
        "protocol crates must stay sans-IO (see docs/architecture.md), but:\n{}",
        violations.join("\n")
    ))
}

/// One line per (protocol crate, IO package) pair where the protocol crate reaches
/// the IO package through normal dependencies, with the path that reaches it.
pub(crate) fn io_dependencies_of_protocol_crates(metadata: &Metadata) -> Vec<String> {
    let Some(resolve) = &metadata.resolve else {
        return vec!["cargo metadata returned no dependency graph".to_owned()];
    };
    let names: HashMap<&PackageId, &str> = metadata
        .packages
        .iter()
        .map(|package| (&package.id, package.name.as_str()))
        .collect();
    let normal_deps: HashMap<&PackageId, Vec<&PackageId>> = resolve
        .nodes
        .iter()
        .map(|node| {
            let deps = node
                .deps
                .iter()
                .filter(|dep| {
                    dep.dep_kinds
                        .iter()
                        .any(|kind| kind.kind == DependencyKind::Normal)
                })
                .map(|dep| &dep.pkg)
                .collect();
            (&node.id, deps)
        })
        .collect();

    let mut violations = Vec::new();
    for member in metadata.workspace_packages() {
        if !PROTOCOL_CRATES.contains(&member.name.as_str()) {
            continue;
        }
        // Depth-first search remembering how each package was reached.
        let mut seen = BTreeSet::new();
        let mut stack = vec![(&member.id, vec![member.name.as_str()])];
        while let Some((id, path)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for dep in normal_deps.get(id).into_iter().flatten() {
                let name = names.get(dep).copied().unwrap_or("?");
                let mut dep_path = path.clone();
                dep_path.push(name);
                if IO_PACKAGES.contains(&name) {
                    violations.push(format!(
                        "  {} depends on `{name}` ({})",
                        member.name,
                        dep_path.join(" -> ")
                    ));
                } else {
                    stack.push((dep, dep_path));
                }
            }
        }
    }
    violations.sort();
    violations.dedup();
    violations
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn the_workspace_protocol_crates_are_sans_io() {
        if let Err(message) = run(&crate::workspace::root()) {
            panic!("{message}");
        }
    }

    /// Writes a throwaway workspace in which the protocol crate `strax-leads`
    /// depends on a crate named `tokio` (a local stand-in, so no registry is
    /// needed) through an intermediate crate, and one where it is only a
    /// dev-dependency.
    fn throwaway_workspace(name: &str, dependency_section: &str) -> PathBuf {
        let root = crate::workspace::scratch_dir(&format!("tidy-{name}"));
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nresolver = \"3\"\nmembers = [\"strax-leads\", \"helper\"]\n",
        );
        write(
            "strax-leads/Cargo.toml",
            &format!(
                "[package]\nname = \"strax-leads\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                 {dependency_section}\n"
            ),
        );
        write("strax-leads/src/lib.rs", "");
        write(
            "helper/Cargo.toml",
            "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\ntokio = { path = \"../tokio\" }\n",
        );
        write("helper/src/lib.rs", "");
        write(
            "tokio/Cargo.toml",
            "[package]\nname = \"tokio\"\nversion = \"1.0.0\"\nedition = \"2024\"\n",
        );
        write("tokio/src/lib.rs", "");
        root
    }

    fn metadata_of(root: &Path) -> Metadata {
        MetadataCommand::new()
            .manifest_path(root.join("Cargo.toml"))
            .other_options(vec!["--offline".to_owned()])
            .exec()
            .expect("cargo metadata on the throwaway workspace")
    }

    #[test]
    fn a_protocol_crate_reaching_tokio_through_another_crate_fails() {
        let root = throwaway_workspace(
            "indirect-tokio",
            "[dependencies]\nhelper = { path = \"../helper\" }",
        );
        let violations = io_dependencies_of_protocol_crates(&metadata_of(&root));
        assert_eq!(
            violations,
            vec!["  strax-leads depends on `tokio` (strax-leads -> helper -> tokio)".to_owned()]
        );
        let error = run(&root).unwrap_err();
        assert!(error.contains("must stay sans-IO"), "{error}");
    }

    #[test]
    fn a_dev_dependency_on_tokio_is_allowed() {
        let root = throwaway_workspace(
            "dev-tokio",
            "[dev-dependencies]\nhelper = { path = \"../helper\" }",
        );
        assert_eq!(
            io_dependencies_of_protocol_crates(&metadata_of(&root)),
            Vec::<String>::new()
        );
    }
}
