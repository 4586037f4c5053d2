//! Release readiness: the crates.io metadata of every published crate
//! (`cargo xtask tidy`) and the minimum supported Rust version of the locked
//! dependency tree (`cargo xtask msrv`).

use std::path::Path;

use cargo_metadata::semver::Version;
use cargo_metadata::{Metadata, MetadataCommand, Package};

/// The licence texts every published crate ships (the workspace licence is
/// `MIT OR Apache-2.0`); each crate directory links them from the root.
const LICENCE_FILES: &[&str] = &["LICENSE-MIT", "LICENSE-APACHE"];

/// crates.io accepts at most this many keywords per crate.
const MAX_KEYWORDS: usize = 5;

/// Runs `cargo metadata` on the workspace at `root` with extra options.
fn metadata(root: &Path, options: &[&str], no_deps: bool) -> Result<Metadata, String> {
    let mut command = MetadataCommand::new();
    command.manifest_path(root.join("Cargo.toml"));
    if no_deps {
        command.no_deps();
    }
    command
        .other_options(options.iter().map(|o| (*o).to_owned()).collect::<Vec<_>>())
        .exec()
        .map_err(|error| format!("cargo metadata failed: {error}"))
}

/// Fails when a published workspace crate (one without `publish = false`)
/// lacks a piece of crates.io metadata or its licence texts.
pub(crate) fn check_metadata(root: &Path) -> Result<(), String> {
    let metadata = metadata(root, &["--offline"], true)?;
    let problems: Vec<String> = metadata
        .workspace_packages()
        .into_iter()
        .flat_map(metadata_problems)
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "published crates need complete crates.io metadata (see CHANGELOG.md and the README), but:\n{}",
        problems.join("\n")
    ))
}

/// Whether crates.io would accept this package (`publish` absent or not empty).
fn is_published(package: &Package) -> bool {
    package
        .publish
        .as_ref()
        .is_none_or(|registries| !registries.is_empty())
}

/// One line per missing or invalid field of a published package.
fn metadata_problems(package: &Package) -> Vec<String> {
    if !is_published(package) {
        return Vec::new();
    }
    let name = package.name.as_str();
    let mut problems = Vec::new();
    let mut missing = |field: &str| problems.push(format!("  {name}: no `{field}`"));
    let blank = |value: &Option<String>| value.as_deref().is_none_or(|v| v.trim().is_empty());
    if blank(&package.description) {
        missing("description");
    }
    if blank(&package.license) {
        missing("license");
    }
    if blank(&package.repository) {
        missing("repository");
    }
    if blank(&package.documentation) {
        missing("documentation");
    }
    if package.rust_version.is_none() {
        missing("rust-version");
    }
    if package.keywords.is_empty() {
        missing("keywords");
    }
    if package.categories.is_empty() {
        missing("categories");
    }
    let dir = package
        .manifest_path
        .parent()
        .expect("a manifest lives in a directory");
    match &package.readme {
        None => missing("readme"),
        Some(readme) if !dir.join(readme).is_file() => {
            problems.push(format!("  {name}: readme `{readme}` does not exist"));
        }
        Some(_) => {}
    }
    if package.keywords.len() > MAX_KEYWORDS {
        problems.push(format!(
            "  {name}: {} keywords, crates.io takes at most {MAX_KEYWORDS}",
            package.keywords.len()
        ));
    }
    for keyword in &package.keywords {
        let valid = keyword.len() <= 20
            && keyword.starts_with(|c: char| c.is_ascii_alphabetic())
            && keyword
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '+');
        if !valid {
            problems.push(format!(
                "  {name}: keyword `{keyword}` is not valid on crates.io"
            ));
        }
    }
    for file in LICENCE_FILES {
        if !dir.join(file).is_file() {
            problems.push(format!(
                "  {name}: no {file} in its directory (link ../../{file})"
            ));
        }
    }
    if package.metadata["docs"]["rs"]["all-features"] != serde_json::Value::Bool(true) {
        problems.push(format!(
            "  {name}: no `[package.metadata.docs.rs] all-features = true`"
        ));
    }
    problems
}

/// Fails when a package of the locked dependency tree declares a
/// `rust-version` newer than the workspace's, or when the workspace members
/// disagree about it.
pub(crate) fn check_msrv(root: &Path) -> Result<(), String> {
    let metadata = metadata(root, &["--locked"], false)?;
    let (msrv, problems) = msrv_problems(&metadata);
    if problems.is_empty() {
        println!("every locked package builds on Rust {msrv} or older, as the workspace declares");
        return Ok(());
    }
    Err(format!(
        "the workspace declares rust-version {msrv}, but:\n{}",
        problems.join("\n")
    ))
}

/// The workspace's rust-version and one line per package needing a newer one.
fn msrv_problems(metadata: &Metadata) -> (String, Vec<String>) {
    let members = metadata.workspace_packages();
    let declared: Vec<&Version> = members
        .iter()
        .filter_map(|package| package.rust_version.as_ref())
        .collect();
    let Some(msrv) = declared.iter().copied().max() else {
        return (
            "(none)".to_owned(),
            vec!["  no workspace member declares a rust-version".to_owned()],
        );
    };
    let mut problems: Vec<String> = members
        .iter()
        .filter(|package| package.rust_version.as_ref() != Some(msrv))
        .map(|package| {
            format!(
                "  workspace member {} declares {:?}, not the workspace's",
                package.name,
                package.rust_version.as_ref().map(ToString::to_string)
            )
        })
        .collect();
    let mut newer: Vec<String> = metadata
        .packages
        .iter()
        .filter(|package| package.rust_version.as_ref().is_some_and(|v| v > msrv))
        .map(|package| {
            format!(
                "  {} {} needs Rust {}",
                package.name,
                package.version,
                package.rust_version.as_ref().expect("filtered")
            )
        })
        .collect();
    newer.sort();
    problems.extend(newer);
    (format!("{}.{}", msrv.major, msrv.minor), problems)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn every_published_workspace_crate_has_its_crates_io_metadata() {
        if let Err(message) = check_metadata(&crate::workspace::root()) {
            panic!("{message}");
        }
    }

    #[test]
    fn the_locked_dependencies_build_on_the_declared_rust_version() {
        let metadata = metadata(&crate::workspace::root(), &["--locked"], false).unwrap();
        let (msrv, problems) = msrv_problems(&metadata);
        assert!(
            problems.is_empty(),
            "rust-version {msrv}:\n{}",
            problems.join("\n")
        );
    }

    /// A one-crate workspace with `package` as its `[package]` table body and a
    /// README and licence texts when asked.
    fn throwaway(name: &str, package: &str, with_files: bool) -> crate::workspace::ScratchDir {
        let root = crate::workspace::scratch_dir(&format!("release-{name}"));
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            &format!(
                "[workspace]\n\n[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n{package}\n"
            ),
        );
        write("src/lib.rs", "");
        if with_files {
            for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
                write(file, "text");
            }
        }
        root
    }

    const COMPLETE: &str = "description = \"d\"\nlicense = \"MIT OR Apache-2.0\"\n\
        repository = \"https://example.com/r\"\ndocumentation = \"https://docs.rs/demo\"\n\
        readme = \"README.md\"\nrust-version = \"1.88\"\nkeywords = [\"crm\"]\n\
        categories = [\"encoding\"]\n\n[package.metadata.docs.rs]\nall-features = true\n";

    #[test]
    fn a_complete_crate_passes() {
        let root = throwaway("complete", COMPLETE, true);
        assert_eq!(check_metadata(&root), Ok(()));
    }

    #[test]
    fn a_missing_field_and_missing_licence_texts_are_named() {
        let package = COMPLETE.replace("documentation = \"https://docs.rs/demo\"\n", "");
        let root = throwaway("incomplete", &package, false);
        let error = check_metadata(&root).unwrap_err();
        assert!(error.contains("demo: no `documentation`"), "{error}");
        assert!(
            error.contains("demo: readme `README.md` does not exist"),
            "{error}"
        );
        assert!(error.contains("demo: no LICENSE-MIT"), "{error}");
        assert!(error.contains("demo: no LICENSE-APACHE"), "{error}");
    }

    #[test]
    fn too_many_keywords_and_no_docs_rs_settings_fail() {
        let package = COMPLETE
            .replace("[\"crm\"]", "[\"a\", \"b\", \"c\", \"d\", \"e\", \"f f\"]")
            .replace("all-features = true", "");
        let root = throwaway("keywords", &package, true);
        let error = check_metadata(&root).unwrap_err();
        assert!(error.contains("6 keywords"), "{error}");
        assert!(error.contains("keyword `f f` is not valid"), "{error}");
        assert!(error.contains("all-features = true"), "{error}");
    }

    #[test]
    fn an_unpublished_crate_needs_nothing() {
        let root = throwaway("unpublished", "publish = false", false);
        assert_eq!(check_metadata(&root), Ok(()));
    }

    #[test]
    fn a_member_behind_the_others_and_a_newer_dependency_are_named() {
        let root = crate::workspace::scratch_dir("release-msrv");
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nresolver = \"3\"\nmembers = [\"a\", \"b\"]\nexclude = [\"dep\"]\n",
        );
        for (name, version, deps) in [
            ("a", "1.80", ""),
            ("b", "1.85.1", "dep = { path = \"../dep\" }"),
            ("dep", "1.90", ""),
        ] {
            write(
                &format!("{name}/Cargo.toml"),
                &format!(
                    "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
                     rust-version = \"{version}\"\n\n[dependencies]\n{deps}\n"
                ),
            );
            write(&format!("{name}/src/lib.rs"), "");
        }
        let metadata = metadata(&root, &["--offline"], false).unwrap();
        let (msrv, problems) = msrv_problems(&metadata);
        assert_eq!(msrv, "1.85");
        assert_eq!(
            problems,
            [
                "  workspace member a declares Some(\"1.80.0\"), not the workspace's",
                "  dep 0.1.0 needs Rust 1.90.0",
            ]
        );
    }
}
