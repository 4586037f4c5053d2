//! Comparing a request with an [`ExpectedRequest`] and describing both
//! without leaking secrets: no query strings, no values of secret-looking
//! headers.

use bytes::Bytes;
use http::{HeaderName, Request};

use wire_core::headers::is_secret_header;

use super::recording::ExpectedRequest;

/// `got POST /path` (no query: it may carry credentials).
pub(super) fn describe(request: &Request<Bytes>) -> String {
    format!("got {} {}", request.method(), request.uri().path())
}

/// What an expectation asks for: method, path without query, headers (secret
/// values redacted) and the body text.
pub(super) fn expectation(expected: &ExpectedRequest) -> String {
    let path = expected.path.split('?').next().unwrap_or_default();
    let mut conditions: Vec<String> = expected
        .headers
        .iter()
        .map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            if is_secret_header(&name) {
                format!("header `{name}` (value not shown)")
            } else {
                format!("header `{name}`: {value:?}")
            }
        })
        .collect();
    if let Some(text) = &expected.body_contains {
        conditions.push(format!("a body containing {text:?}"));
    }
    if conditions.is_empty() {
        format!("{} {path}", expected.method)
    } else {
        format!("{} {path} with {}", expected.method, conditions.join(", "))
    }
}

/// What differs between the expectation and the request, if anything.
pub(super) fn mismatch(expected: &ExpectedRequest, request: &Request<Bytes>) -> Option<String> {
    if !request
        .method()
        .as_str()
        .eq_ignore_ascii_case(&expected.method)
    {
        return Some("method differs".into());
    }
    let actual_path = if expected.path.contains('?') {
        request
            .uri()
            .path_and_query()
            .map_or(request.uri().path(), |path| path.as_str())
    } else {
        request.uri().path()
    };
    if actual_path != expected.path {
        return Some(if expected.path.contains('?') {
            "path or query differs".into()
        } else {
            "path differs".into()
        });
    }
    for (name, value) in &expected.headers {
        if let Some(difference) = header_mismatch(name, value, request) {
            return Some(difference);
        }
    }
    if let Some(text) = &expected.body_contains
        && !String::from_utf8_lossy(request.body()).contains(text.as_str())
    {
        return Some("body lacks the expected text".into());
    }
    None
}

/// How the request's `name` header fails to have the value `expected`, if it
/// does: missing, or (when one of its values is not `expected`) differing,
/// with the value shown only for headers that do not look secret.
fn header_mismatch(name: &str, expected: &str, request: &Request<Bytes>) -> Option<String> {
    let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
        // Replay::new refuses such recordings; a hand-built one never matches.
        return Some(format!("header `{name}` is not a header name"));
    };
    let mut values = request.headers().get_all(&header).iter().peekable();
    let first = match values.peek() {
        None => return Some(format!("header `{header}` is missing")),
        Some(value) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
    };
    if values.any(|value| value.as_bytes() == expected.as_bytes()) {
        return None;
    }
    Some(if is_secret_header(header.as_str()) {
        format!("header `{header}` differs (value not shown)")
    } else {
        format!("header `{header}` is {first:?}, expected {expected:?}")
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn neto(action: &str, key: &str) -> ExpectedRequest {
        ExpectedRequest {
            method: "POST".into(),
            path: "/do/WS/NetoAPI".into(),
            headers: BTreeMap::from([
                ("NETOAPI_ACTION".into(), action.into()),
                ("NETOAPI_KEY".into(), key.into()),
            ]),
            body_contains: None,
        }
    }

    fn request(headers: &[(&str, &str)]) -> Request<Bytes> {
        let mut builder = Request::post("https://shop.example.com/do/WS/NetoAPI");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::new()).unwrap()
    }

    #[test]
    fn headers_match_by_name_in_any_case_and_exact_value() {
        let expected = neto("GetOrder", "k1");
        assert_eq!(
            mismatch(
                &expected,
                &request(&[("netoapi_action", "GetOrder"), ("NetoAPI_Key", "k1")])
            ),
            None
        );
        // One matching value among several is enough.
        assert_eq!(
            mismatch(
                &expected,
                &request(&[
                    ("netoapi_action", "AddOrder"),
                    ("netoapi_action", "GetOrder"),
                    ("netoapi_key", "k1")
                ])
            ),
            None
        );
    }

    #[test]
    fn a_header_mismatch_names_the_header_and_shows_only_harmless_values() {
        let expected = neto("GetOrder", "k-live-123");
        assert_eq!(
            mismatch(
                &expected,
                &request(&[
                    ("netoapi_action", "AddOrder"),
                    ("netoapi_key", "k-live-123")
                ])
            )
            .unwrap(),
            "header `netoapi_action` is \"AddOrder\", expected \"GetOrder\""
        );
        assert_eq!(
            mismatch(&expected, &request(&[("netoapi_key", "k-live-123")])).unwrap(),
            "header `netoapi_action` is missing"
        );
        let wrong_key = mismatch(
            &expected,
            &request(&[
                ("netoapi_action", "GetOrder"),
                ("netoapi_key", "k-test-999"),
            ]),
        )
        .unwrap();
        assert_eq!(wrong_key, "header `netoapi_key` differs (value not shown)");
        let described = expectation(&expected);
        assert_eq!(
            described,
            "POST /do/WS/NetoAPI with header `netoapi_action`: \"GetOrder\", header `netoapi_key` (value not shown)"
        );
        assert!(!described.contains("k-live-123"));
    }
}
