//! The part of the OpenAPI document the generator reads, checked as it is read:
//! an unknown type, a missing description or an unknown `$ref` is an error, so a
//! spec edit cannot silently generate something else.

use serde_json::{Map, Value};

/// The whole spec.
#[derive(Debug)]
pub(super) struct Spec {
    pub(super) schemas: Vec<Schema>,
    pub(super) operations: Vec<Operation>,
}

/// One generated model.
#[derive(Debug)]
pub(super) enum Schema {
    Object(Object),
    Enum(Enum),
}

#[derive(Debug)]
pub(super) struct Object {
    pub(super) name: String,
    pub(super) doc: String,
    pub(super) mode: Mode,
    pub(super) fields: Vec<Field>,
}

/// How an object's fields are typed and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Nullable or optional fields are `Option`.
    Plain,
    /// Like `Plain`, but a `None` is left out of the body (`x-crmwire-omit-none`).
    OmitNone,
    /// Every field is a three-state `Patch` (`x-crmwire-patch`).
    Patch,
}

#[derive(Debug)]
pub(super) struct Field {
    pub(super) wire: String,
    pub(super) rust: String,
    pub(super) doc: String,
    pub(super) ty: Ty,
    /// `None` may occur: nullable, or not required.
    pub(super) optional: bool,
    /// `null` is a documented value: a `None` is sent as `null`, not left out.
    pub(super) nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ty {
    Str,
    Int,
    Bool,
    Time,
    Json,
    Ref(String),
    List(Box<Ty>),
}

#[derive(Debug)]
pub(super) struct Enum {
    pub(super) name: String,
    pub(super) doc: String,
    pub(super) values: Vec<String>,
}

/// One endpoint.
#[derive(Debug)]
pub(super) struct Operation {
    /// `ListCustomerNotes`.
    pub(super) name: String,
    /// `list_customer_notes`.
    pub(super) fixture_dir: String,
    pub(super) summary: String,
    pub(super) method: String,
    pub(super) path: String,
    pub(super) cases: Vec<Case>,
}

/// One documented response: an example of a status, or a status without a body.
#[derive(Debug)]
pub(super) struct Case {
    pub(super) status: u16,
    /// The example's name; `None` for a response without a body.
    pub(super) example: Option<String>,
    pub(super) summary: String,
    pub(super) value: Option<Value>,
    pub(super) raw: bool,
    pub(super) headers: Vec<(String, String)>,
}

impl Case {
    /// The fixture file's name and contents, when the case has a body.
    pub(super) fn fixture(&self) -> Option<(String, String)> {
        let example = self.example.as_ref()?;
        let value = self.value.as_ref()?;
        if self.raw {
            let text = value.as_str()?;
            return Some((
                format!("{}_{example}.txt", self.status),
                format!("{text}\n"),
            ));
        }
        let text = serde_json::to_string_pretty(value).ok()?;
        Some((
            format!("{}_{example}.json", self.status),
            format!("{text}\n"),
        ))
    }

    /// The test's name part: `200_page_1_of_2`, `204`.
    pub(super) fn label(&self) -> String {
        match &self.example {
            Some(example) => format!("{}_{example}", self.status),
            None => self.status.to_string(),
        }
    }
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

impl Spec {
    pub(super) fn parse(text: &str) -> Result<Self, String> {
        let doc: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        let version = doc["openapi"].as_str().unwrap_or_default();
        if !version.starts_with("3.") {
            return Err(format!("`openapi` must be 3.x, not {version:?}"));
        }
        let schemas_json = object(&doc["components"]["schemas"], "components.schemas")?;
        let mut schemas = Vec::new();
        for (name, schema) in schemas_json {
            if schema["x-crmwire-hand-written"] == Value::Bool(true) {
                continue;
            }
            schemas.push(parse_schema(name, schema, schemas_json)?);
        }
        let mut operations = Vec::new();
        for (path, item) in object(&doc["paths"], "paths")? {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    operations.push(parse_operation(path, method, op)?);
                }
            }
        }
        if operations.is_empty() {
            return Err("no operations under `paths`".into());
        }
        Ok(Self {
            schemas,
            operations,
        })
    }

    /// Every generated object, in spec order.
    pub(super) fn objects(&self) -> impl Iterator<Item = &Object> {
        self.schemas.iter().filter_map(|schema| match schema {
            Schema::Object(object) => Some(object),
            Schema::Enum(_) => None,
        })
    }

    /// Every generated enum, in spec order.
    pub(super) fn enums(&self) -> impl Iterator<Item = &Enum> {
        self.schemas.iter().filter_map(|schema| match schema {
            Schema::Enum(e) => Some(e),
            Schema::Object(_) => None,
        })
    }
}

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("`{what}` must be an object"))
}

fn description(value: &Value, what: &str) -> Result<String, String> {
    value["description"]
        .as_str()
        .map(str::to_owned)
        .filter(|doc| !doc.trim().is_empty())
        .ok_or_else(|| format!("{what} has no description (it becomes the rustdoc)"))
}

fn parse_schema(name: &str, schema: &Value, all: &Map<String, Value>) -> Result<Schema, String> {
    let doc = description(schema, &format!("schema `{name}`"))?;
    if let Some(values) = schema.get("enum") {
        let values: Vec<String> = values
            .as_array()
            .ok_or_else(|| format!("`{name}.enum` must be an array"))?
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{name}.enum` holds a non-string"))
            })
            .collect::<Result<_, _>>()?;
        let mut rust: Vec<String> = values.iter().map(|v| pascal(v)).collect();
        rust.sort();
        rust.dedup();
        if rust.len() != values.len() || rust.iter().any(|r| r.is_empty() || r == "Other") {
            return Err(format!(
                "`{name}`: two values share a Rust name, or one is empty or `Other`"
            ));
        }
        return Ok(Schema::Enum(Enum {
            name: name.to_owned(),
            doc,
            values,
        }));
    }
    if schema["type"] != "object" {
        return Err(format!(
            "schema `{name}` must be an object or a string enum"
        ));
    }
    let mode = match (
        schema["x-crmwire-omit-none"] == Value::Bool(true),
        schema["x-crmwire-patch"] == Value::Bool(true),
    ) {
        (false, false) => Mode::Plain,
        (true, false) => Mode::OmitNone,
        (false, true) => Mode::Patch,
        (true, true) => return Err(format!("`{name}`: omit-none and patch exclude each other")),
    };
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut fields = Vec::new();
    for (wire, property) in object(&schema["properties"], &format!("{name}.properties"))? {
        let what = format!("`{name}.{wire}`");
        let ty = parse_type(property, all, &what)?;
        let nullable = property["nullable"] == Value::Bool(true);
        let is_required = required.contains(&wire.as_str());
        let rust = match property["x-rust-name"].as_str() {
            Some(rust) => rust.to_owned(),
            None if KEYWORDS.contains(&wire.as_str()) => {
                return Err(format!(
                    "{what} is a Rust keyword: give it an `x-rust-name`"
                ));
            }
            None => wire.clone(),
        };
        fields.push(Field {
            wire: wire.clone(),
            rust,
            doc: description(property, &what)?,
            ty,
            optional: nullable || !is_required,
            nullable,
        });
    }
    for name_required in &required {
        if !fields.iter().any(|f| f.wire == *name_required) {
            return Err(format!(
                "`{name}` requires `{name_required}`, which it does not define"
            ));
        }
    }
    Ok(Schema::Object(Object {
        name: name.to_owned(),
        doc,
        mode,
        fields,
    }))
}

const KEYWORDS: [&str; 12] = [
    "type", "ref", "match", "loop", "move", "self", "struct", "enum", "fn", "use", "mod", "impl",
];

fn parse_type(property: &Value, all: &Map<String, Value>, what: &str) -> Result<Ty, String> {
    if let Some(reference) = property["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| format!("{what}: only local schema references are supported"))?;
        if !all.contains_key(name) {
            return Err(format!("{what}: unknown schema `{name}`"));
        }
        return Ok(Ty::Ref(name.to_owned()));
    }
    if let Some(all_of) = property["allOf"].as_array() {
        return match all_of.as_slice() {
            [only] => parse_type(only, all, what),
            _ => Err(format!("{what}: `allOf` must hold exactly one reference")),
        };
    }
    match (property["type"].as_str(), property["format"].as_str()) {
        (Some("string"), Some("date-time")) => Ok(Ty::Time),
        (Some("string"), None) => Ok(Ty::Str),
        (Some("integer"), Some("int64")) => Ok(Ty::Int),
        (Some("boolean"), None) => Ok(Ty::Bool),
        (Some("array"), None) => Ok(Ty::List(Box::new(parse_type(
            &property["items"],
            all,
            what,
        )?))),
        (None, None) => Ok(Ty::Json),
        (ty, format) => Err(format!("{what}: unsupported type {ty:?} format {format:?}")),
    }
}

fn parse_operation(path: &str, method: &str, op: &Value) -> Result<Operation, String> {
    let id = op["operationId"]
        .as_str()
        .ok_or_else(|| format!("{method} {path} has no operationId"))?;
    let summary = op["summary"]
        .as_str()
        .ok_or_else(|| format!("`{id}` has no summary"))?
        .to_owned();
    let mut cases = Vec::new();
    for (status, response) in object(&op["responses"], &format!("{id}.responses"))? {
        let status: u16 = status
            .parse()
            .map_err(|_| format!("`{id}`: status {status:?} is not a number"))?;
        let examples = &response["content"]["application/json"]["examples"];
        let Some(examples) = examples.as_object() else {
            cases.push(Case {
                status,
                example: None,
                summary: description(response, &format!("`{id}` {status}"))?,
                value: None,
                raw: false,
                headers: Vec::new(),
            });
            continue;
        };
        for (name, example) in examples {
            if !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(format!("`{id}` example {name:?} must be snake_case"));
            }
            let raw = example["x-raw"] == Value::Bool(true);
            let value = example
                .get("value")
                .cloned()
                .ok_or_else(|| format!("`{id}` example `{name}` has no value"))?;
            if raw && !value.is_string() {
                return Err(format!(
                    "`{id}` example `{name}`: an `x-raw` value is a string"
                ));
            }
            let headers = match example.get("x-headers") {
                None => Vec::new(),
                Some(headers) => object(headers, &format!("`{id}` example `{name}` x-headers"))?
                    .iter()
                    .map(|(k, v)| {
                        v.as_str()
                            .map(|v| (k.to_ascii_lowercase(), v.to_owned()))
                            .ok_or_else(|| format!("`{id}` header `{k}` must be a string"))
                    })
                    .collect::<Result<_, _>>()?,
            };
            cases.push(Case {
                status,
                example: Some(name.clone()),
                summary: example["summary"].as_str().unwrap_or_default().to_owned(),
                value: Some(value),
                raw,
                headers,
            });
        }
    }
    Ok(Operation {
        name: pascal(id),
        fixture_dir: snake(id),
        summary,
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        cases,
    })
}

/// `membershipCard` → `MembershipCard`, `point_earned` → `PointEarned`.
pub(super) fn pascal(text: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in text.chars() {
        if c == '_' || c == '-' || c == ' ' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `listCustomerNotes` → `list_customer_notes`.
pub(super) fn snake(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
