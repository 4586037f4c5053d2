//! The checks a spec must pass before anything is generated from it.

use std::collections::BTreeSet;

use super::spec::*;

/// Rejects specs the generated code or fixtures would get wrong.
pub(super) fn check(spec: &Spec) -> Result<(), String> {
    let enums: BTreeSet<&str> = spec.enums.iter().map(|e| e.name.as_str()).collect();
    if enums.len() != spec.enums.len() {
        return Err("an enum is described twice".into());
    }
    for e in &spec.enums {
        identifier(&e.name, true)?;
        unique(
            e.values.iter().map(|v| v.code.as_str()),
            &format!("enum `{}`: code", e.name),
        )?;
        for value in &e.values {
            identifier(&value.rust, true)?;
        }
    }
    let records: BTreeSet<&str> = spec.records.iter().map(|r| r.rust.as_str()).collect();
    for record in &spec.records {
        let name = &record.rust;
        identifier(name, true)?;
        xml_name(&record.element, &format!("record `{name}`: element"))?;
        xml_name(
            &record.list_element,
            &format!("record `{name}`: list element"),
        )?;
        if let Some(nested) = &record.nested
            && (nested == name || !records.contains(nested.as_str()))
        {
            return Err(format!("record `{name}`: unknown nested record `{nested}`"));
        }
        unique(
            record.fields.iter().map(|f| f.wire.as_str()),
            &format!("record `{name}`: field"),
        )?;
        unique(
            record.fields.iter().map(FieldSpec::rust_name),
            &format!("record `{name}`: Rust field"),
        )?;
        if let Some(label) = &record.label
            && !record.fields.iter().any(|f| &f.wire == label)
        {
            return Err(format!(
                "record `{name}`: label `{label}` is not one of its fields"
            ));
        }
        let samples = record.fields.first().map_or(0, |f| f.examples.len());
        for field in &record.fields {
            let context = format!("record `{name}`, field `{}`", field.wire);
            xml_name(&field.wire, &format!("record `{name}`: field"))?;
            identifier(field.rust_name(), false)?;
            if !FIELD_KINDS.contains(&field.kind.as_str()) {
                return Err(format!(
                    "{context}: kind `{}` is not one of {FIELD_KINDS:?}",
                    field.kind
                ));
            }
            match (field.kind.as_str(), &field.enum_name) {
                ("enum", Some(enum_name)) => {
                    let found = spec
                        .enums
                        .iter()
                        .find(|e| &e.name == enum_name)
                        .ok_or_else(|| format!("{context}: unknown enum `{enum_name}`"))?;
                    for example in field.examples.iter().filter(|e| !e.is_empty()) {
                        if !found.values.iter().any(|v| &v.code == example) {
                            return Err(format!(
                                "{context}: example `{example}` is not a code of `{enum_name}`"
                            ));
                        }
                    }
                }
                ("enum", None) => return Err(format!("{context}: enum kind needs `enum`")),
                (_, Some(_)) => return Err(format!("{context}: only enum fields name an enum")),
                _ => {}
            }
            if field.personal && field.secret {
                return Err(format!("{context}: personal or secret, not both"));
            }
            if field.examples.len() != samples {
                return Err(format!(
                    "{context}: {} examples, the record's first field has {samples}",
                    field.examples.len()
                ));
            }
            if field.required && field.examples.iter().any(String::is_empty) {
                return Err(format!("{context}: a required field needs every example"));
            }
        }
    }
    Ok(())
}

fn unique<'a>(names: impl Iterator<Item = &'a str>, what: &str) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(format!("{what} `{name}` appears twice"));
        }
    }
    Ok(())
}

/// A plain XML name: an ASCII letter or `_`, then letters, digits, `_`, `-`, `.`.
fn xml_name(name: &str, what: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!("{what} `{name}` is not an XML name"))
    }
}

/// A Rust identifier: CamelCase for types, snake_case for fields.
fn identifier(name: &str, camel: bool) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| {
        if camel {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_lowercase()
        }
    });
    let rest_ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || (!camel && c == '_'));
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a Rust {} name",
            if camel { "type" } else { "field" }
        ))
    }
}
