//! `docs/mapping.md` and `facade::neutral::mapping::TABLE` say the same:
//! every row of the one is a row of the other, in the same order.

use facade::neutral::mapping::{SERVICES, TABLE};

const DOC: &str = include_str!("../../../docs/mapping.md");

/// The rows of the table as the code renders them.
fn rendered() -> Vec<Vec<String>> {
    TABLE
        .iter()
        .map(|row| {
            let mut cells = vec![format!("`{}`", row.operation), format!("`{}`", row.neutral)];
            cells.extend(
                SERVICES
                    .iter()
                    .map(|service| row.cell(*service).to_string()),
            );
            cells
        })
        .collect()
}

/// The rows of the document's table: the lines after its header and rule.
fn documented() -> Vec<Vec<String>> {
    let mut lines = DOC.lines().skip_while(|line| {
        !line.starts_with("| operation | neutral field | SecurityTrax | Peoplevine | Neto |")
    });
    assert!(
        lines.next().is_some(),
        "docs/mapping.md has the table's header"
    );
    assert_eq!(lines.next(), Some("|---|---|---|---|---|"));
    lines
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            line.trim()
                .trim_start_matches('|')
                .trim_end_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect()
}

fn as_markdown(rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|cells| format!("| {} |\n", cells.join(" | ")))
        .collect()
}

#[test]
fn the_documented_mapping_is_the_one_the_code_uses() {
    let code = rendered();
    let doc = documented();
    for row in &doc {
        assert!(
            code.contains(row),
            "docs/mapping.md has a row the code does not: {row:?}"
        );
    }
    for row in &code {
        assert!(
            doc.contains(row),
            "the code has a row docs/mapping.md does not: {row:?}"
        );
    }
    assert_eq!(
        doc,
        code,
        "docs/mapping.md's rows are out of order; the table in the code's order:\n{}",
        as_markdown(&code)
    );
}
