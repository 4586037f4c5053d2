//! The fixture index: `fixtures/generated/INDEX.md`, one table of every fixture
//! document in the workspace, so a reviewer sees at a glance which services,
//! operations and cases have samples (and a new fixture shows up in review).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::{FileKind, GeneratedFile};

/// Where the index is written, relative to the workspace root.
const INDEX_PATH: &str = "fixtures/generated/INDEX.md";

/// Lists every fixture document below `fixtures/` (except the index itself).
pub(crate) fn generate(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let fixtures = root.join("fixtures");
    let mut rows = Vec::new();
    for entry in walkdir::WalkDir::new(&fixtures).sort_by_file_name() {
        let entry = entry.map_err(|error| format!("cannot list fixtures: {error}"))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(&fixtures)
            .map_err(|_| "fixture outside fixtures/".to_owned())?;
        let relative = relative.to_string_lossy().replace('\\', "/");
        if relative == INDEX_PATH.trim_start_matches("fixtures/") {
            continue;
        }
        let bytes = fs::read(entry.path())
            .map_err(|error| format!("cannot read fixtures/{relative}: {error}"))?;
        rows.push((relative, describe(entry.path(), &bytes)));
    }

    let mut contents = String::from(
        "# Fixture index\n\nEvery fixture document below `fixtures/`, with what it holds. \
         Specs (`*.toml`) describe a service's operations; `generated/` folders hold the \
         documents `cargo xtask codegen` writes from them.\n\n\
         | file | holds |\n|---|---|\n",
    );
    for (path, description) in &rows {
        writeln!(contents, "| `{path}` | {description} |").expect("writing to a String");
    }
    let noun = if rows.len() == 1 { "file" } else { "files" };
    writeln!(contents, "\n{} {noun}.", rows.len()).expect("writing to a String");
    Ok(vec![GeneratedFile {
        path: INDEX_PATH.into(),
        contents,
        kind: FileKind::Markdown,
    }])
}

/// A short description of one fixture file from its contents.
fn describe(path: &Path, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("xml") => match xml_root_element(&text) {
            Some(root) => format!("XML document, root `<{root}>`"),
            None => "XML document without a root element (a malformed case)".to_owned(),
        },
        Some("json") => match text.trim_start().chars().next() {
            Some('{') => "JSON object".to_owned(),
            Some('[') => "JSON array".to_owned(),
            _ => "JSON text".to_owned(),
        },
        Some("toml") => "specification (TOML)".to_owned(),
        Some("md") => "notes (Markdown)".to_owned(),
        Some(other) => format!("`.{other}` file"),
        None => "file".to_owned(),
    }
}

/// The name of the first element that is not a declaration, comment, or doctype.
fn xml_root_element(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let start = rest.find('<')?;
        rest = &rest[start + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
        return Some(&rest[..end]).filter(|name| !name.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_element_skips_declaration_comments_and_doctype() {
        let text = "<?xml version='1.0'?>\n<!-- note -->\n<root><requests/></root>";
        assert_eq!(xml_root_element(text), Some("root"));
        assert_eq!(xml_root_element("<leads>"), Some("leads"));
        assert_eq!(xml_root_element("<!-- only a comment -->"), None);
        assert_eq!(xml_root_element("not xml"), None);
    }

    #[test]
    fn index_lists_every_fixture_but_itself() {
        let root = crate::workspace::scratch_dir("fixture-index");
        fs::create_dir_all(root.join("fixtures/svc/generated")).unwrap();
        fs::create_dir_all(root.join("fixtures/generated")).unwrap();
        fs::write(root.join("fixtures/svc/spec.toml"), "x = 1").unwrap();
        fs::write(
            root.join("fixtures/svc/generated/a.xml"),
            "<?xml version='1.0'?><root/>",
        )
        .unwrap();
        fs::write(root.join("fixtures/svc/generated/b.json"), "[1]").unwrap();
        fs::write(root.join(INDEX_PATH), "old index").unwrap();

        let files = generate(&root).unwrap();
        assert_eq!(files.len(), 1);
        let index = &files[0].contents;
        assert!(
            index.contains("| `svc/generated/a.xml` | XML document, root `<root>` |"),
            "{index}"
        );
        assert!(
            index.contains("| `svc/generated/b.json` | JSON array |"),
            "{index}"
        );
        assert!(
            index.contains("| `svc/spec.toml` | specification (TOML) |"),
            "{index}"
        );
        assert!(!index.contains("INDEX.md"), "{index}");
        assert!(index.contains("\n3 files.\n"), "{index}");
    }
}
