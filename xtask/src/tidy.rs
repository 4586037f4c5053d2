//! `cargo xtask tidy`: repository rules a compiler cannot check.
//!
//! The rule enforced here: the protocol crates are sans-IO. Their *normal*
//! dependency graph (not dev- or build-dependencies) must not reach an async
//! runtime, an HTTP stack, a socket library or crmwire's own `transport`, so that
//! users can drive them with any HTTP stack, sync or async.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use cargo_metadata::{CargoOpt, DependencyKind, Metadata, MetadataCommand, PackageId};

/// The crates that must stay sans-IO.
pub(crate) const PROTOCOL_CRATES: &[&str] = &[
    "strict-xml",
    "wire-core",
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
    check_sans_io(root, PROTOCOL_CRATES, &[])
}

/// Fails when one of `protocol_crates` is not a workspace member, or reaches an IO
/// package through normal dependencies with every feature on.
fn check_sans_io(
    root: &Path,
    protocol_crates: &[&str],
    cargo_options: &[&str],
) -> Result<(), String> {
    let metadata = MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        // A feature-gated IO dependency counts: users may turn the feature on.
        .features(CargoOpt::AllFeatures)
        .other_options(
            cargo_options
                .iter()
                .map(|option| (*option).to_owned())
                .collect::<Vec<_>>(),
        )
        .exec()
        .map_err(|error| format!("cargo metadata failed: {error}"))?;
    let violations = io_dependencies_of(&metadata, protocol_crates);
    if violations.is_empty() {
        return Ok(());
    }
    Err(format!(
        "protocol crates must stay sans-IO (see docs/architecture.md), but:\n{}",
        violations.join("\n")
    ))
}

/// One line per (protocol crate, IO package) pair where the protocol crate reaches
/// the IO package through normal dependencies, with the path that reaches it, and
/// one per protocol crate that is not a workspace member (a rename must not turn
/// the check off silently).
fn io_dependencies_of(metadata: &Metadata, protocol_crates: &[&str]) -> Vec<String> {
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

    let members = metadata.workspace_packages();
    let mut violations: Vec<String> = protocol_crates
        .iter()
        .filter(|name| !members.iter().any(|member| member.name.as_str() == **name))
        .map(|name| format!("  {name} is listed as a protocol crate but is not a workspace member"))
        .collect();
    for member in members {
        if !protocol_crates.contains(&member.name.as_str()) {
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

    use crate::workspace::ScratchDir;

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
    fn throwaway_workspace(name: &str, dependency_section: &str) -> ScratchDir {
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

    fn check(root: &Path) -> Result<(), String> {
        check_sans_io(root, &["strax-leads"], &["--offline"])
    }

    #[test]
    fn a_protocol_crate_reaching_tokio_through_another_crate_fails() {
        let root = throwaway_workspace(
            "indirect-tokio",
            "[dependencies]\nhelper = { path = \"../helper\" }",
        );
        let error = check(&root).unwrap_err();
        assert!(error.contains("must stay sans-IO"), "{error}");
        assert!(
            error.contains("  strax-leads depends on `tokio` (strax-leads -> helper -> tokio)"),
            "{error}"
        );
    }

    #[test]
    fn a_feature_gated_tokio_dependency_fails() {
        let root = throwaway_workspace(
            "feature-tokio",
            "[features]\nnet = [\"dep:helper\"]\n\n\
             [dependencies]\nhelper = { path = \"../helper\", optional = true }",
        );
        let error = check(&root).unwrap_err();
        assert!(error.contains("strax-leads depends on `tokio`"), "{error}");
    }

    #[test]
    fn a_dev_dependency_on_tokio_is_allowed() {
        let root = throwaway_workspace(
            "dev-tokio",
            "[dev-dependencies]\nhelper = { path = \"../helper\" }",
        );
        assert_eq!(check(&root), Ok(()));
    }

    #[test]
    fn a_listed_protocol_crate_missing_from_the_workspace_fails() {
        let root = throwaway_workspace("renamed", "");
        let error =
            check_sans_io(&root, &["strax-leads", "strax-leadz"], &["--offline"]).unwrap_err();
        assert!(
            error.contains(
                "strax-leadz is listed as a protocol crate but is not a workspace member"
            ),
            "{error}"
        );
    }
}
