//! The checks a spec must pass before anything is generated from it.

use std::collections::BTreeSet;

use super::spec::*;

/// Rejects specs the generated code or fixtures would get wrong.
pub(super) fn check(spec: &Spec) -> Result<(), String> {
    let enum_names: BTreeSet<&str> = spec.enums.iter().map(|e| e.name.as_str()).collect();
    let auth = &spec.authentication;
    for field in &auth.fields {
        check_xml_name(field, "authentication field")?;
    }
    check_unique(
        auth.fields.iter().map(String::as_str),
        "authentication field",
    )?;
    let mut seen = BTreeSet::new();
    for operation in &spec.operations {
        let name = &operation.request_type;
        if !seen.insert(name.as_str()) {
            return Err(format!("operation `{name}` is described twice"));
        }
        let context = format!("operation `{name}`: field");
        for field in &operation.fields {
            check_xml_name(&field.wire, &context)?;
        }
        check_unique(operation.fields.iter().map(|f| f.wire.as_str()), &context)?;
        check_unique(
            operation.fields.iter().map(|f| f.rust.as_str()),
            &format!("operation `{name}`: Rust field"),
        )?;
        for example in &operation.response_example {
            check_xml_name(
                &example.element,
                &format!("operation `{name}`: response element"),
            )?;
        }
        if !matches!(operation.script.as_str(), "read" | "write") {
            return Err(format!(
                "operation `{name}`: script must be `read` or `write`"
            ));
        }
        if !RESPONSE_KINDS.contains(&operation.response.as_str()) {
            return Err(format!(
                "operation `{name}`: response `{}` is not one of {RESPONSE_KINDS:?}",
                operation.response
            ));
        }
        check_identifier(&operation.rust, true)?;
        check_identifier(&operation.fixture, false)?;
        for field in &operation.fields {
            check_identifier(&field.rust, false)?;
            if !FIELD_KINDS.contains(&field.kind.as_str()) {
                return Err(format!(
                    "operation `{name}`, field `{}`: kind `{}` is not one of {FIELD_KINDS:?}",
                    field.wire, field.kind
                ));
            }
            match (&field.kind[..], &field.enum_name) {
                ("enum", Some(enum_name)) => {
                    let found = spec
                        .enums
                        .iter()
                        .find(|e| &e.name == enum_name)
                        .ok_or_else(|| {
                            format!(
                                "operation `{name}`, field `{}`: unknown enum `{enum_name}`",
                                field.wire
                            )
                        })?;
                    if !field.example.is_empty()
                        && !found.values.iter().any(|value| value.code == field.example)
                    {
                        return Err(format!(
                            "operation `{name}`, field `{}`: example `{}` is not a code of `{enum_name}`",
                            field.wire, field.example
                        ));
                    }
                }
                ("enum", None) => {
                    return Err(format!(
                        "operation `{name}`, field `{}`: enum kind needs `enum`",
                        field.wire
                    ));
                }
                (_, Some(_)) => {
                    return Err(format!(
                        "operation `{name}`, field `{}`: only enum fields name an enum",
                        field.wire
                    ));
                }
                _ => {}
            }
            if field.required && field.example.is_empty() {
                return Err(format!(
                    "operation `{name}`, field `{}`: required fields need an example",
                    field.wire
                ));
            }
        }
    }
    for e in &spec.enums {
        check_identifier(&e.name, true)?;
        check_xml_name(&e.wire, &format!("enum `{}`: wire name", e.name))?;
        for value in &e.values {
            check_identifier(&value.rust, true)?;
        }
        check_unique(
            e.values.iter().map(|v| v.code.as_str()),
            &format!("enum `{}`: code", e.name),
        )?;
        check_unique(
            e.values.iter().map(|v| v.rust.as_str()),
            &format!("enum `{}`: value", e.name),
        )?;
    }
    if enum_names.len() != spec.enums.len() {
        return Err("an enum is described twice".into());
    }
    check_unique(
        spec.operations.iter().map(|op| op.rust.as_str()),
        "operation Rust name",
    )?;
    check_unique(
        spec.operations.iter().map(|op| op.fixture.as_str()),
        "operation fixture",
    )?;
    check_xml_name(&spec.customer.element, "customer element")?;
    for field in &spec.customer.fields {
        check_identifier(&field.rust, false)?;
        check_xml_name(&field.wire, "customer field")?;
    }
    check_unique(
        spec.customer.fields.iter().map(|f| f.wire.as_str()),
        "customer field",
    )?;
    check_unique(
        spec.customer.fields.iter().map(|f| f.rust.as_str()),
        "customer Rust field",
    )?;
    Ok(())
}

/// Fails naming the first value of `values` that appears twice.
pub(super) fn check_unique<'a>(
    values: impl IntoIterator<Item = &'a str>,
    what: &str,
) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for value in values {
        if !seen.insert(value) {
            return Err(format!("{what} `{value}` appears twice"));
        }
    }
    Ok(())
}

/// Accepts an ASCII XML name without a namespace prefix: a letter or `_`,
/// then letters, digits, `_`, `-` and `.`. Wire names become element names
/// in the fixtures and the response documents, and attribute values that
/// servers match on, so nothing else is allowed.
pub(super) fn check_xml_name(name: &str, what: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{name}` is not an XML name (ASCII letter or `_`, then letters, digits, `_`, `-`, `.`)"
        ))
    }
}

pub(super) fn check_identifier(name: &str, upper_camel: bool) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| {
        if upper_camel {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_lowercase()
        }
    });
    let rest_ok = chars.all(|c| {
        c.is_ascii_digit()
            || if upper_camel {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_lowercase() || c == '_'
            }
    });
    if first_ok && rest_ok {
        Ok(())
    } else {
        let style = if upper_camel {
            "UpperCamelCase"
        } else {
            "snake_case"
        };
        Err(format!("`{name}` is not a {style} identifier"))
    }
}

pub(super) fn screaming(snake_or_camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in snake_or_camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}
