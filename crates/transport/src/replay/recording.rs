//! The recorded exchanges a [`Replay`](crate::Replay) answers from, and their
//! JSON form.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Response, StatusCode};
use serde::{Deserialize, Serialize};

use crate::{TimeoutPhase, TransportError};
use wire_core::headers::is_secret_header;

/// One recorded request and what to answer to it.
///
/// In JSON an exchange has a `request` and exactly one of `response` (a
/// [`RecordedResponse`]) or `error` (a [`RecordedError`] name):
///
/// ```json
/// {"request": {"method": "POST", "path": "/do/WS/NetoAPI",
///              "headers": {"netoapi_action": "GetOrder"}},
///  "error": "timeout_total"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawExchange", into = "RawExchange")]
pub struct Exchange {
    /// What the request must look like.
    pub request: ExpectedRequest,
    /// The answer.
    pub outcome: RecordedOutcome,
}

impl Exchange {
    /// An exchange answered with `response`.
    pub fn response(request: ExpectedRequest, response: RecordedResponse) -> Self {
        Self {
            request,
            outcome: RecordedOutcome::Response(response),
        }
    }

    /// An exchange that fails with `error`.
    pub fn error(request: ExpectedRequest, error: RecordedError) -> Self {
        Self {
            request,
            outcome: RecordedOutcome::Error(error),
        }
    }
}

/// What a recorded exchange answers: a response or a transport error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordedOutcome {
    /// Answer with this response.
    Response(RecordedResponse),
    /// Fail with this transport error.
    Error(RecordedError),
}

/// The JSON shape of an [`Exchange`]: both outcomes optional, checked on
/// conversion.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExchange {
    request: ExpectedRequest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response: Option<RecordedResponse>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<RecordedError>,
}

impl TryFrom<RawExchange> for Exchange {
    type Error = String;

    fn try_from(raw: RawExchange) -> Result<Self, String> {
        let outcome = match (raw.response, raw.error) {
            (Some(response), None) => RecordedOutcome::Response(response),
            (None, Some(error)) => RecordedOutcome::Error(error),
            (Some(_), Some(_)) => {
                return Err("an exchange has either `response` or `error`, not both".into());
            }
            (None, None) => return Err("an exchange needs a `response` or an `error`".into()),
        };
        Ok(Self {
            request: raw.request,
            outcome,
        })
    }
}

impl From<Exchange> for RawExchange {
    fn from(exchange: Exchange) -> Self {
        let (response, error) = match exchange.outcome {
            RecordedOutcome::Response(response) => (Some(response), None),
            RecordedOutcome::Error(error) => (None, Some(error)),
        };
        Self {
            request: exchange.request,
            response,
            error,
        }
    }
}

/// What a request must look like to match an [`Exchange`].
///
/// `Debug` shows the values of expected headers except those whose names look
/// secret (`authorization`, `…key…`, `…token…`, `…secret…`, `…password…`,
/// `cookie`, …), which it redacts.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRequest {
    /// The method, e.g. `"POST"` (compared case-insensitively).
    pub method: String,
    /// The path, e.g. `"/api/notes"`; when it contains `?`, the query must
    /// match too.
    pub path: String,
    /// Headers the request must carry, by name (case-insensitive) and exact
    /// value, e.g. `{"netoapi_action": "GetOrder"}`. Other headers are not
    /// looked at.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// A text the body must contain, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
}

impl fmt::Debug for ExpectedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: BTreeMap<&str, &str> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if is_secret_header(name) {
                    "<redacted>"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("ExpectedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .field("body_contains", &self.body_contains)
            .finish()
    }
}

/// The response of an [`Exchange`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// The status code.
    pub status: u16,
    /// Response headers by name.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body, as text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// The body in standard base64 (with padding), for bodies that are not
    /// UTF-8; give this or [`body`](Self::body), not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
}

/// A transport failure an [`Exchange`] replays, named in JSON as
/// `"not_sent"`, `"maybe_received"`, `"timeout_total"` or
/// `"timeout_connect"`.
///
/// ```
/// use transport::RecordedError;
///
/// let error = RecordedError::TimeoutConnect.to_transport_error();
/// assert!(error.is_retry_safe());
/// assert!(RecordedError::MaybeReceived.to_transport_error().outcome_unknown());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordedError {
    /// [`ErrorKind::NotSent`](crate::ErrorKind::NotSent): the request never left.
    NotSent,
    /// [`ErrorKind::MaybeReceived`](crate::ErrorKind::MaybeReceived): the
    /// connection broke after sending.
    MaybeReceived,
    /// A [`Timeout`](crate::ErrorKind::Timeout) of phase [`Total`](TimeoutPhase::Total).
    TimeoutTotal,
    /// A [`Timeout`](crate::ErrorKind::Timeout) of phase [`Connect`](TimeoutPhase::Connect).
    TimeoutConnect,
}

/// The source of replayed errors.
const REPLAYED: &str = "replayed from the recording";

impl RecordedError {
    /// The error a [`Replay`](crate::Replay) returns for this recording. A
    /// replayed timeout has no clock behind it: its `after` is zero.
    pub fn to_transport_error(self) -> TransportError {
        match self {
            Self::NotSent => TransportError::not_sent(REPLAYED),
            Self::MaybeReceived => TransportError::maybe_received(REPLAYED),
            Self::TimeoutTotal => TransportError::timeout(TimeoutPhase::Total, Duration::ZERO),
            Self::TimeoutConnect => TransportError::timeout(TimeoutPhase::Connect, Duration::ZERO),
        }
    }
}

/// Checks an exchange for values HTTP does not allow; the reason names the
/// field.
pub(super) fn check(exchange: &Exchange) -> Result<(), String> {
    let request = &exchange.request;
    Method::from_bytes(request.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("request.method `{}` is not a method", request.method))?;
    for (name, value) in &request.headers {
        HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("request.headers: `{name}` is not a header name"))?;
        HeaderValue::from_str(value).map_err(|_| {
            format!("request.headers.{name}: the value is not a valid header value")
        })?;
    }
    match &exchange.outcome {
        RecordedOutcome::Response(response) => build_response(response).map(drop),
        RecordedOutcome::Error(_) => Ok(()),
    }
}

/// The response a recording describes.
pub(super) fn build_response(recorded: &RecordedResponse) -> Result<Response<Bytes>, String> {
    let status = StatusCode::from_u16(recorded.status)
        .map_err(|_| format!("response.status {} is not an HTTP status", recorded.status))?;
    let body = match &recorded.body_base64 {
        None => Bytes::from(recorded.body.clone()),
        Some(_) if !recorded.body.is_empty() => {
            return Err("response: give either `body` or `body_base64`, not both".into());
        }
        Some(encoded) => BASE64
            .decode(encoded.trim())
            .map(Bytes::from)
            .map_err(|error| format!("response.body_base64 is not valid base64: {error}"))?,
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    for (name, value) in &recorded.headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("response.headers: `{name}` is not a header name"))?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            format!("response.headers.{name}: the value is not a valid header value")
        })?;
        response.headers_mut().append(header, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Exchange, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn an_exchange_has_exactly_one_outcome() {
        let response =
            parse(r#"{"request": {"method": "GET", "path": "/"}, "response": {"status": 204}}"#)
                .unwrap();
        assert_eq!(
            response.outcome,
            RecordedOutcome::Response(RecordedResponse {
                status: 204,
                ..RecordedResponse::default()
            })
        );
        let error =
            parse(r#"{"request": {"method": "GET", "path": "/"}, "error": "timeout_connect"}"#)
                .unwrap();
        assert_eq!(
            error.outcome,
            RecordedOutcome::Error(RecordedError::TimeoutConnect)
        );

        let both = parse(
            r#"{"request": {"method": "GET", "path": "/"}, "response": {"status": 200}, "error": "not_sent"}"#,
        )
        .unwrap_err();
        assert!(
            both.contains("either `response` or `error`, not both"),
            "{both}"
        );
        let neither = parse(r#"{"request": {"method": "GET", "path": "/"}}"#).unwrap_err();
        assert!(
            neither.contains("needs a `response` or an `error`"),
            "{neither}"
        );
        let unknown = parse(r#"{"request": {"method": "GET", "path": "/"}, "error": "exploded"}"#)
            .unwrap_err();
        assert!(unknown.contains("unknown variant `exploded`"), "{unknown}");
        let extra =
            parse(r#"{"request": {"method": "GET", "path": "/"}, "error": "not_sent", "note": 1}"#)
                .unwrap_err();
        assert!(extra.contains("unknown field `note`"), "{extra}");
    }

    #[test]
    fn exchanges_round_trip_through_json() {
        let exchanges = vec![
            Exchange::response(
                ExpectedRequest {
                    method: "POST".into(),
                    path: "/do/WS/NetoAPI".into(),
                    headers: BTreeMap::from([("netoapi_action".into(), "GetItem".into())]),
                    body_contains: None,
                },
                RecordedResponse {
                    status: 200,
                    body_base64: Some("/+wgVQA=".into()),
                    ..RecordedResponse::default()
                },
            ),
            Exchange::error(
                ExpectedRequest {
                    method: "GET".into(),
                    path: "/".into(),
                    ..ExpectedRequest::default()
                },
                RecordedError::MaybeReceived,
            ),
        ];
        let json = serde_json::to_string(&exchanges).unwrap();
        assert!(json.contains(r#""error":"maybe_received""#), "{json}");
        let back: Vec<Exchange> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, exchanges);
    }

    #[test]
    fn every_recorded_error_replays_its_transport_error() {
        let cases = [
            ("not_sent", true, false),
            ("maybe_received", false, true),
            ("timeout_total", false, true),
            ("timeout_connect", true, false),
        ];
        for (name, retry_safe, unknown) in cases {
            let recorded: RecordedError = serde_json::from_str(&format!("\"{name}\"")).unwrap();
            let error = recorded.to_transport_error();
            assert_eq!(error.is_retry_safe(), retry_safe, "{name}");
            assert_eq!(error.outcome_unknown(), unknown, "{name}");
        }
        assert_eq!(
            RecordedError::TimeoutTotal.to_transport_error(),
            TransportError::timeout(TimeoutPhase::Total, Duration::ZERO)
        );
    }

    #[test]
    fn a_base64_body_is_decoded_and_checked() {
        let recorded = RecordedResponse {
            status: 200,
            body_base64: Some("/+wgVQA=".into()),
            ..RecordedResponse::default()
        };
        assert_eq!(
            build_response(&recorded).unwrap().body().as_ref(),
            b"\xFF\xEC\x20\x55\0"
        );
        let bad = RecordedResponse {
            body_base64: Some("not base64!".into()),
            ..recorded.clone()
        };
        assert!(
            build_response(&bad)
                .unwrap_err()
                .starts_with("response.body_base64 is not valid base64")
        );
        let both = RecordedResponse {
            body: "text".into(),
            ..recorded
        };
        assert_eq!(
            build_response(&both).unwrap_err(),
            "response: give either `body` or `body_base64`, not both"
        );
    }

    #[test]
    fn expected_headers_are_checked_and_secret_ones_redacted_in_debug() {
        let mut request = ExpectedRequest {
            method: "POST".into(),
            path: "/do/WS/NetoAPI".into(),
            headers: BTreeMap::from([
                ("NETOAPI_ACTION".into(), "GetOrder".into()),
                ("NETOAPI_KEY".into(), "k-123-secret".into()),
            ]),
            body_contains: None,
        };
        let debug = format!("{request:?}");
        assert!(debug.contains("GetOrder"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(!debug.contains("k-123-secret"), "{debug}");

        let exchange = Exchange::error(request.clone(), RecordedError::NotSent);
        assert_eq!(check(&exchange), Ok(()));
        request.headers.insert("bad name".into(), "v".into());
        assert_eq!(
            check(&Exchange::error(request.clone(), RecordedError::NotSent)),
            Err("request.headers: `bad name` is not a header name".into())
        );
        request.headers.remove("bad name");
        request.headers.insert("x-line".into(), "a\nb".into());
        assert_eq!(
            check(&Exchange::error(request, RecordedError::NotSent)),
            Err("request.headers.x-line: the value is not a valid header value".into())
        );
    }
}
