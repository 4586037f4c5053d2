//! The Rust output: models, the operation table, the fixture test list and
//! the proptest strategies.

use std::fmt::Write as _;

use super::SPEC_PATH;
use super::model::*;

pub(super) fn generated_mod() -> String {
    format!(
        "//! Generated from `{SPEC_PATH}`: the models of `components.schemas` and the\n\
         //! operation table of `paths`. Data and serde only; the logic is hand-written.\n\n\
         pub(crate) mod models;\npub(crate) mod operations;\n"
    )
}

fn rust_type(ty: &Ty) -> String {
    match ty {
        Ty::Str => "String".into(),
        Ty::Int => "i64".into(),
        Ty::Bool => "bool".into(),
        Ty::Time => "crate::Timestamp".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Ref(name) => name.clone(),
        Ty::List(item) => format!("Vec<{}>", rust_type(item)),
    }
}

fn doc_lines(doc: &str, indent: &str) -> String {
    doc.lines()
        .map(|line| format!("{indent}/// {line}\n").replace("/// \n", "///\n"))
        .collect()
}

pub(super) fn models_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! The models. Unknown fields are ignored; nullable or optional fields are\n\
         //! `Option`; enums keep a value they do not know in `Other`.\n\n\
         use serde::{Deserialize, Serialize};\n\n\
         #[allow(unused_imports)]\nuse crate::Patch;\n\n",
    );
    for e in spec.enums() {
        enum_rs(&mut out, e);
    }
    for object in spec.objects() {
        object_rs(&mut out, object);
    }
    out
}

fn enum_rs(out: &mut String, e: &Enum) {
    let name = &e.name;
    out.push_str(&doc_lines(&e.doc, ""));
    out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
    writeln!(out, "pub enum {name} {{").ok();
    for value in &e.values {
        writeln!(out, "    /// `{value}`\n    {},", pascal(value)).ok();
    }
    out.push_str(
        "    /// A value the spec does not list (the service sends `\"\"`), kept as received.\n    Other(String),\n}\n\n",
    );
    writeln!(out, "impl {name} {{").ok();
    let all: Vec<String> = e
        .values
        .iter()
        .map(|v| format!("Self::{}", pascal(v)))
        .collect();
    writeln!(
        out,
        "    /// Every documented value.\n    pub const DOCUMENTED: [Self; {}] = [{}];\n",
        e.values.len(),
        all.join(", ")
    )
    .ok();
    out.push_str("    /// The value as sent on the wire.\n    #[must_use]\n    pub fn as_str(&self) -> &str {\n        match self {\n");
    for value in &e.values {
        writeln!(out, "            Self::{} => {value:?},", pascal(value)).ok();
    }
    out.push_str("            Self::Other(other) => other,\n        }\n    }\n\n");
    out.push_str("    /// The value `text` stands for: a documented one, else `Other`.\n    #[must_use]\n    pub fn from_wire(text: &str) -> Self {\n        match text {\n");
    for value in &e.values {
        writeln!(out, "            {value:?} => Self::{},", pascal(value)).ok();
    }
    out.push_str("            other => Self::Other(other.to_owned()),\n        }\n    }\n\n");
    out.push_str("    /// Whether the value is one the spec documents.\n    #[must_use]\n    pub fn is_documented(&self) -> bool {\n        !matches!(self, Self::Other(_))\n    }\n}\n\n");
    writeln!(
        out,
        "impl Default for {name} {{\n    /// The empty value, which the service sends when none is set.\n    fn default() -> Self {{\n        Self::Other(String::new())\n    }}\n}}\n\n\
         impl std::fmt::Display for {name} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.write_str(self.as_str())\n    }}\n}}\n\n\
         impl From<&str> for {name} {{\n    fn from(text: &str) -> Self {{\n        Self::from_wire(text)\n    }}\n}}\n\n\
         impl Serialize for {name} {{\n    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{\n        serializer.serialize_str(self.as_str())\n    }}\n}}\n\n\
         impl<'de> Deserialize<'de> for {name} {{\n    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\n        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;\n        Ok(Self::from_wire(&text))\n    }}\n}}\n"
    )
    .ok();
}

fn field_type(object: &Object, field: &Field) -> String {
    let ty = rust_type(&field.ty);
    match object.mode {
        Mode::Patch => format!("Patch<{ty}>"),
        _ if field.optional => format!("Option<{ty}>"),
        _ => ty,
    }
}

fn object_rs(out: &mut String, object: &Object) {
    out.push_str(&doc_lines(&object.doc, ""));
    let eq = if object.fields.iter().any(|f| f.ty == Ty::Json) {
        ""
    } else {
        ", Eq"
    };
    // Answers may grow fields (non-exhaustive); bodies the caller writes are
    // built with `..Default::default()`, so they stay open to struct literals.
    let non_exhaustive = if object.mode == Mode::Plain {
        "#[non_exhaustive]\n"
    } else {
        ""
    };
    writeln!(
        out,
        "#[derive(Debug, Clone, Default, PartialEq{eq}, Serialize, Deserialize)]\n{non_exhaustive}pub struct {} {{",
        object.name
    )
    .ok();
    for field in &object.fields {
        out.push_str(&doc_lines(&field.doc, "    "));
        let mut attributes: Vec<String> = Vec::new();
        if field.rust != field.wire {
            attributes.push(format!("rename = {:?}", field.wire));
        }
        match object.mode {
            Mode::Patch => {
                attributes.push("default".into());
                attributes.push("skip_serializing_if = \"Patch::is_unchanged\"".into());
            }
            Mode::OmitNone => {
                attributes.push("default".into());
                attributes.push("skip_serializing_if = \"Option::is_none\"".into());
            }
            Mode::Plain if field.optional => {
                attributes.push("default".into());
                if !field.nullable {
                    attributes.push("skip_serializing_if = \"Option::is_none\"".into());
                }
            }
            Mode::Plain => {}
        }
        if !attributes.is_empty() {
            writeln!(out, "    #[serde({})]", attributes.join(", ")).ok();
        }
        writeln!(
            out,
            "    pub {}: {},",
            field.rust,
            field_type(object, field)
        )
        .ok();
    }
    out.push_str("}\n\n");
}

pub(super) fn operations_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! Every endpoint: its method, path template and what resending it means.\n\n",
    );
    out.push_str("/// The endpoints of the Peoplevine API crmwire speaks.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum Operation {\n");
    for op in &spec.operations {
        writeln!(
            out,
            "    /// `{} {}`: {}\n    {},",
            op.method, op.path, op.summary, op.name
        )
        .ok();
    }
    out.push_str("}\n\nimpl Operation {\n");
    let all: Vec<String> = spec
        .operations
        .iter()
        .map(|op| format!("Self::{}", op.name))
        .collect();
    writeln!(
        out,
        "    /// Every operation, in spec order.\n    pub const ALL: [Self; {}] = [{}];\n",
        all.len(),
        all.join(", ")
    )
    .ok();
    let arms = |f: &dyn Fn(&Operation) -> String| -> String {
        spec.operations
            .iter()
            .map(|op| format!("            Self::{} => {},\n", op.name, f(op)))
            .collect()
    };
    writeln!(out, "    /// The HTTP method.\n    #[must_use]\n    pub fn method(self) -> http::Method {{\n        match self {{\n{}        }}\n    }}\n",
        arms(&|op| format!("http::Method::{}", op.method))).ok();
    writeln!(out, "    /// The path template, `{{name}}` marking a path parameter.\n    #[must_use]\n    pub const fn path_template(self) -> &'static str {{\n        match self {{\n{}        }}\n    }}\n",
        arms(&|op| format!("{:?}", op.path))).ok();
    writeln!(out, "    /// The operation's name in `snake_case` (its fixture folder and CLI name).\n    #[must_use]\n    pub const fn name(self) -> &'static str {{\n        match self {{\n{}        }}\n    }}\n",
        arms(&|op| format!("{:?}", op.fixture_dir))).ok();
    writeln!(out, "    /// What sending the request again would mean (`GET` reads, `PATCH` sets\n    /// fields, `POST` creates).\n    #[must_use]\n    pub fn resend(self) -> wire_core::Resend {{\n        match self {{\n{}        }}\n    }}\n",
        arms(&|op| match op.method.as_str() {
            "GET" => "wire_core::Resend::Read".into(),
            "PATCH" | "PUT" | "DELETE" => "wire_core::Resend::IdempotentWrite".into(),
            _ => "wire_core::Resend::NeverBlindly".into(),
        })).ok();
    out.push_str("}\n");
    out
}

pub(super) fn fixture_cases_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! One snapshot test per documented response of the spec; the helper is\n\
         //! hand-written in `tests/support/mod.rs`.\n\n\
         use notes_rest::Operation;\n\nuse crate::support::check_response;\n",
    );
    for op in &spec.operations {
        for case in &op.cases {
            let file = match case.fixture() {
                Some((name, _)) => format!("Some({name:?})"),
                None => "None".into(),
            };
            let headers: Vec<String> = case
                .headers
                .iter()
                .map(|(k, v)| format!("({k:?}, {v:?})"))
                .collect();
            writeln!(
                out,
                "\n/// {}\n#[test]\nfn {}_{}() {{\n    check_response(Operation::{}, {}, {file}, &[{}]);\n}}",
                if case.summary.is_empty() { "A documented response." } else { &case.summary },
                op.fixture_dir,
                case.label(),
                op.name,
                case.status,
                headers.join(", ")
            )
            .ok();
        }
    }
    out
}

fn strategy(ty: &Ty) -> String {
    match ty {
        Ty::Str => "any_text()".into(),
        Ty::Int => "any::<i64>()".into(),
        Ty::Bool => "any::<bool>()".into(),
        Ty::Time => "any_timestamp()".into(),
        Ty::Json => "any_json()".into(),
        Ty::Ref(name) => format!("{}()", strategy_fn(name)),
        Ty::List(item) => format!(
            "proptest::collection::vec({}, 0..3).boxed()",
            strategy(item)
        ),
    }
}

fn strategy_fn(name: &str) -> String {
    format!("any_{}", snake(name))
}

pub(super) fn strategies_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! A proptest strategy per model, and a test that every model survives\n\
         //! serialise → deserialise. `any_text`, `any_timestamp` and `any_json` are\n\
         //! hand-written in `tests/support/mod.rs`.\n\n\
         #![allow(dead_code, clippy::field_reassign_with_default)]\n\n\
         use notes_rest::models::*;\nuse proptest::prelude::*;\n\n\
         use crate::support::{any_json, any_text, any_timestamp, any_patch, roundtrips};\n\n",
    );
    for e in spec.enums() {
        writeln!(
            out,
            "/// Any `{0}`: documented or not.\npub(crate) fn {1}() -> BoxedStrategy<{0}> {{\n    prop_oneof![proptest::sample::select({0}::DOCUMENTED.to_vec()), any_text().prop_map(|t| {0}::from_wire(&t))].boxed()\n}}\n",
            e.name,
            strategy_fn(&e.name)
        )
        .ok();
    }
    for object in spec.objects() {
        let parts: Vec<String> = object
            .fields
            .iter()
            .map(|field| {
                let base = strategy(&field.ty);
                match object.mode {
                    Mode::Patch => format!("any_patch({base})"),
                    _ if field.optional => format!("proptest::option::of({base})"),
                    _ => base,
                }
            })
            .collect();
        // proptest implements `Strategy` for tuples of up to 12: nest chunks of 8.
        let chunks: Vec<String> = parts
            .chunks(8)
            .map(|c| format!("({},)", c.join(", ")))
            .collect();
        let names: Vec<&str> = object.fields.iter().map(|f| f.rust.as_str()).collect();
        let patterns: Vec<String> = names
            .chunks(8)
            .map(|c| format!("({},)", c.join(", ")))
            .collect();
        writeln!(
            out,
            "/// Any `{0}`.\npub(crate) fn {1}() -> BoxedStrategy<{0}> {{\n    ({2},).prop_map(|({3},)| {{\n        let mut value = {0}::default();\n{4}        value\n    }}).boxed()\n}}\n",
            object.name,
            strategy_fn(&object.name),
            chunks.join(", "),
            patterns.join(", "),
            names.iter().map(|n| format!("        value.{n} = {n};\n")).collect::<String>()
        )
        .ok();
    }
    out.push_str("proptest! {\n");
    for name in spec
        .enums()
        .map(|e| e.name.as_str())
        .chain(spec.objects().map(|o| o.name.as_str()))
    {
        writeln!(
            out,
            "    /// Serialising a `{name}` and reading it back gives the same value.\n    #[test]\n    fn {}_survives_serialise_deserialise(value in {}()) {{\n        roundtrips(&value)?;\n    }}\n",
            snake(name),
            strategy_fn(name)
        )
        .ok();
    }
    out.push_str("}\n");
    out
}
