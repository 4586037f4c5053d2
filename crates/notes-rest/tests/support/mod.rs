//! Hand-written helpers behind the generated tests
//! (`tests/generated/fixture_cases.rs` and `tests/generated/strategies.rs`).

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use bytes::Bytes;
use notes_rest::{Operation, Patch, Timestamp};
use proptest::prelude::*;
use wire_core::Redactor;

/// The made-up secrets the fixtures hold; none may reach a snapshot.
pub const FIXTURE_SECRETS: [&str; 3] = [
    "fixture-access-token",
    "fixture-refresh-token",
    "eyJhbGciOi.fixture-token.sig",
];

fn fixture(dir: &str, file: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/peoplevine/generated")
        .join(dir)
        .join(file);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// A response as a transport would hand it over.
pub fn response(
    status: u16,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> http::Response<Bytes> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.into()).expect("valid response")
}

/// Decodes a documented response as the answer to `operation`, checks that no
/// fixture secret shows in its `Debug` or `Display`, and snapshots it.
pub fn check_response(
    operation: Operation,
    status: u16,
    file: Option<&str>,
    headers: &[(&str, &str)],
) {
    let body = file
        .map(|file| fixture(operation.name(), file))
        .unwrap_or_default();
    let redactor = Redactor::new(FIXTURE_SECRETS);
    let decoded = notes_rest::decode(operation, &response(status, headers, body), &redactor);
    let debug = format!("{decoded:#?}");
    let display = match &decoded {
        Ok(answer) => format!("{answer:?}"),
        Err(error) => error.to_string(),
    };
    for secret in FIXTURE_SECRETS {
        assert!(
            !debug.contains(secret) && !display.contains(secret),
            "{secret} leaked: {debug}"
        );
    }
    let label = file.map_or_else(
        || status.to_string(),
        |f| f.rsplit_once('.').map_or(f, |(stem, _)| stem).to_owned(),
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!(
            format!("{}__{label}", operation.name()),
            format!("{debug}\n\n{display}")
        );
    });
}

/// Any text, often empty or a documented enum value.
pub fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("open".to_owned()),
        Just("membershipCard".to_owned()),
        ".{0,12}",
    ]
}

/// Any timestamp, with 0 to 12 fractional digits, `Z`, an offset or none.
pub fn any_timestamp() -> impl Strategy<Value = Timestamp> {
    (
        0i64..4_000_000_000,
        proptest::collection::vec(0u8..10, 0..13),
        prop_oneof![Just("Z"), Just("+02:00"), Just("-05:30"), Just("")],
    )
        .prop_map(|(seconds, digits, zone)| {
            let time = jiff::Timestamp::from_second(seconds).expect("in range");
            let mut text = time.strftime("%Y-%m-%dT%H:%M:%S").to_string();
            if !digits.is_empty() {
                text.push('.');
                text.extend(digits.iter().map(|d| char::from(b'0' + d)));
            }
            text.push_str(zone);
            text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
        })
}

/// Any JSON value (not `null`: `Option<Value>` reads `null` as `None`).
pub fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        ".{0,8}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z_]{1,6}", inner, 0..3)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Any three-state field.
pub fn any_patch<T: std::fmt::Debug + Clone>(
    value: impl Strategy<Value = T>,
) -> impl Strategy<Value = Patch<T>> {
    prop_oneof![
        Just(Patch::Unchanged),
        Just(Patch::Null),
        value.prop_map(Patch::Value)
    ]
}

/// Serialises `value` to JSON and reads it back: it must be equal.
pub fn roundtrips<T>(value: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_vec(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T = serde_json::from_slice(&json)
        .map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&json))))?;
    prop_assert_eq!(&back, value);
    Ok(())
}
