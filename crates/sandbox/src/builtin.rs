//! The sandbox's own routes under `/__sandbox/`.

use std::collections::BTreeMap;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use serde::Deserialize;
use wire_core::headers::is_secret_header_of;

use crate::body::SandboxBody;
use crate::fault::FaultPlan;
use crate::handler::{json_error, json_response};
use crate::state::Shared;

/// What replaces the value of a secret header in the echo.
pub(crate) const REDACTED: &str = "<redacted>";

/// Routes a request under `/__sandbox/` (other than the fault control endpoint).
pub(crate) fn route(shared: &Shared, request: Request<Bytes>) -> Response<SandboxBody> {
    let path = request.uri().path();
    match path {
        "/__sandbox/health" => health(request.method()),
        "/__sandbox/echo" => echo(&request, shared.secret_headers()),
        _ => {
            if let Some(count) = path.strip_prefix("/__sandbox/bytes/") {
                return bytes(count);
            }
            if let Some(rest) = path.strip_prefix("/__sandbox/services/") {
                return service_control(shared, request.method(), rest);
            }
            json_error(
                StatusCode::NOT_FOUND,
                &format!(
                    "no sandbox route {path}: known are /__sandbox/health, /__sandbox/echo, /__sandbox/bytes/<n>, /__sandbox/faults, /__sandbox/services/<service>/<view>"
                ),
            )
        }
    }
}

/// `GET /__sandbox/health` → 200 `ok`.
fn health(method: &Method) -> Response<SandboxBody> {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed(method, "GET, HEAD");
    }
    Response::builder()
        .header(CONTENT_TYPE, "text/plain")
        .body(SandboxBody::full("ok"))
        .unwrap_or_else(|_| json_error(StatusCode::INTERNAL_SERVER_ERROR, "response build"))
}

/// `ANY /__sandbox/echo` → the request as JSON, secrets redacted: the headers the
/// mounted services declare secret (`declared`) and every name that looks secret.
fn echo(request: &Request<Bytes>, declared: &[&str]) -> Response<SandboxBody> {
    let mut headers: BTreeMap<&str, String> = BTreeMap::new();
    for (name, value) in request.headers() {
        let name = name.as_str();
        let shown = if is_secret_header_of(name, declared) {
            REDACTED.to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        headers
            .entry(name)
            .and_modify(|existing| {
                if existing != REDACTED {
                    existing.push_str(", ");
                    existing.push_str(&shown);
                }
            })
            .or_insert(shown);
    }
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "method": request.method().as_str(),
            "path": request.uri().path(),
            "query": request.uri().query().unwrap_or(""),
            "headers": headers,
            "body": String::from_utf8_lossy(request.body()),
        }),
    )
}

/// `GET /__sandbox/services/<service>/<view>` → the service's JSON view of its state.
fn service_control(shared: &Shared, method: &Method, rest: &str) -> Response<SandboxBody> {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed(method, "GET, HEAD");
    }
    let (name, what) = rest.split_once('/').unwrap_or((rest, ""));
    let Some(service) = shared.service(name) else {
        return json_error(
            StatusCode::NOT_FOUND,
            &format!(
                "no service `{name}` is mounted (mounted: {})",
                shared.service_names().join(", ")
            ),
        );
    };
    match service.control(what) {
        Some(view) => json_response(StatusCode::OK, &view),
        None => json_error(
            StatusCode::NOT_FOUND,
            &format!(
                "service `{name}` has no view `{what}` (known: {})",
                service.control_names().join(", ")
            ),
        ),
    }
}

/// `ANY /__sandbox/bytes/<n>` → `n` bytes of `x`, streamed, Content-Length set.
fn bytes(count: &str) -> Response<SandboxBody> {
    let Ok(len) = count.parse::<u64>() else {
        return json_error(
            StatusCode::BAD_REQUEST,
            &format!("/__sandbox/bytes/<n>: `{count}` is not a whole number of bytes"),
        );
    };
    Response::builder()
        .header(CONTENT_TYPE, "application/octet-stream")
        .body(SandboxBody::filler(len))
        .unwrap_or_else(|_| json_error(StatusCode::INTERNAL_SERVER_ERROR, "response build"))
}

/// The JSON a client posts to queue a fault.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRequest {
    path_prefix: String,
    fault: String,
    #[serde(default = "one")]
    times: usize,
}

fn one() -> usize {
    1
}

/// `POST /__sandbox/faults` queues a fault; `DELETE /__sandbox/faults` clears them all.
pub(crate) fn faults_control(shared: &Shared, request: &Request<Bytes>) -> Response<SandboxBody> {
    match *request.method() {
        Method::POST => queue_fault(shared, request.body()),
        Method::DELETE => {
            shared.clear_faults();
            let mut response = Response::new(SandboxBody::empty());
            *response.status_mut() = StatusCode::NO_CONTENT;
            response
        }
        ref other => method_not_allowed(other, "POST, DELETE"),
    }
}

fn queue_fault(shared: &Shared, body: &Bytes) -> Response<SandboxBody> {
    let wanted: FaultRequest = match serde_json::from_slice(body) {
        Ok(wanted) => wanted,
        Err(err) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "invalid fault request (expected {{\"path_prefix\": \"/...\", \"fault\": \"...\", \"times\": n}}): {err}"
                ),
            );
        }
    };
    if !wanted.path_prefix.starts_with('/') {
        return json_error(StatusCode::BAD_REQUEST, "`path_prefix` must start with `/`");
    }
    if wanted.times == 0 {
        return json_error(StatusCode::BAD_REQUEST, "`times` must be at least 1");
    }
    let plan = match FaultPlan::parse(&wanted.fault) {
        Ok(plan) => plan,
        Err(err) => {
            return json_error(StatusCode::BAD_REQUEST, &format!("invalid `fault`: {err}"));
        }
    };
    let canonical = plan.to_string();
    shared.queue_fault(&wanted.path_prefix, plan, wanted.times);
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "path_prefix": wanted.path_prefix,
            "fault": canonical,
            "times": wanted.times,
        }),
    )
}

fn method_not_allowed(method: &Method, allow: &'static str) -> Response<SandboxBody> {
    let mut response = json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("method {method} is not allowed here (allowed: {allow})"),
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}
