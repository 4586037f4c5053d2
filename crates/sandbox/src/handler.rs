//! One request: read it, count it, apply faults, route it.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;

use crate::body::SandboxBody;
use crate::builtin;
use crate::fault::{FAULT_HEADER, Fault, FaultPlan};
use crate::state::Shared;

/// The path prefix of the sandbox's own routes.
pub(crate) const BUILTIN_PREFIX: &str = "/__sandbox";

/// The control endpoint; faults never apply to it, so a client can always clear them.
pub(crate) const FAULTS_PATH: &str = "/__sandbox/faults";

/// The body of a `garbage` answer: binary noise that no XML or JSON parser accepts.
const GARBAGE: &[u8] = b"\x00\xff\xfeGARBAGE\x01<<{{not xml, not json}}>>\x7f\x00";

/// Why the handler ends the connection instead of answering; hyper then closes it
/// without writing a response.
#[derive(Debug)]
pub(crate) enum NoResponse {
    /// The `close` fault.
    CloseFault,
    /// The `close-after-processing` fault: the service answered, the answer is dropped.
    CloseAfterProcessingFault,
    /// The client went away (or broke framing) while the body was being read.
    RequestUnreadable,
}

impl fmt::Display for NoResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CloseFault => f.write_str("connection closed on purpose (close fault)"),
            Self::CloseAfterProcessingFault => f.write_str(
                "connection closed on purpose after the service acted (close-after-processing fault)",
            ),
            Self::RequestUnreadable => f.write_str("request body could not be read"),
        }
    }
}

impl std::error::Error for NoResponse {}

/// `read`'s output, or `Err` when it is not ready within `deadline`. A body
/// that has already arrived whole (most requests: it came with the head)
/// is taken at once, without arming a timer.
async fn read_body_within<F: Future>(
    deadline: Duration,
    mut read: Pin<&mut F>,
) -> Result<F::Output, tokio::time::error::Elapsed> {
    if let Poll::Ready(output) = read.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        return Ok(output);
    }
    // Not ready: polled again under the deadline, which registers the real waker.
    tokio::time::timeout(deadline, read).await
}

/// Handles one request from hyper.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<SandboxBody>, NoResponse> {
    let (parts, body) = request.into_parts();
    let max = shared.max_request_body;
    let declared_len = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_len.is_some_and(|len| len > max as u64) {
        return Ok(too_large(max));
    }
    let deadline = shared.body_read_timeout;
    let collect = std::pin::pin!(Limited::new(body, max).collect());
    let body = match read_body_within(deadline, collect).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => {
            return Ok(too_large(max));
        }
        Ok(Err(_)) => return Err(NoResponse::RequestUnreadable),
        Err(_elapsed) => {
            tracing::info!(path = %parts.uri.path(), "sandbox request body stalled past its deadline");
            return Ok(body_timeout(deadline));
        }
    };
    let mut request = Request::from_parts(parts, body);
    // Services read the sandbox's time from the request: `Clock::of(&request)`,
    // which reads the real clock when the request carries none (saving an
    // allocation per request when the clock is the real one).
    if shared.clock.is_manual() {
        request.extensions_mut().insert(shared.clock.clone());
    }
    let path = request.uri().path();
    shared.record_request(path);
    tracing::debug!(method = %request.method(), path = %path, "sandbox request");

    if path == FAULTS_PATH {
        return Ok(builtin::faults_control(&shared, &request));
    }
    let header_plan = match header_faults(&request) {
        Ok(plan) => plan,
        Err(message) => return Ok(json_error(StatusCode::BAD_REQUEST, &message)),
    };
    let queued_plan = shared.take_fault(path).unwrap_or_default();
    let plan = queued_plan.then(header_plan);

    if let Some(delay) = plan.delay {
        tokio::time::sleep(delay).await;
    }
    let Some(outcome) = plan.outcome else {
        return Ok(route(&shared, request));
    };
    match outcome {
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            Ok(route(&shared, request))
        }
        Fault::Status {
            status,
            retry_after,
        } => Ok(status_fault(status, retry_after.as_deref())),
        Fault::CloseBeforeResponse => Err(NoResponse::CloseFault),
        Fault::CloseAfterProcessing => {
            drop(route(&shared, request));
            Err(NoResponse::CloseAfterProcessingFault)
        }
        Fault::GarbageBody => Ok(Response::builder()
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(SandboxBody::full(Bytes::from_static(GARBAGE)))
            .unwrap_or_else(|_| internal_error())),
        Fault::OversizedBody(len) => Ok(Response::builder()
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(SandboxBody::filler(len as u64))
            .unwrap_or_else(|_| internal_error())),
        Fault::TruncatedBody => Ok(route(&shared, request).map(SandboxBody::truncated)),
        Fault::StallBody(delay) => Ok(route(&shared, request).map(|body| body.stalled(delay))),
    }
}

/// The faults the request asks for in its `x-sandbox-fault` header, or the 400 message.
fn header_faults(request: &Request<Bytes>) -> Result<FaultPlan, String> {
    // The first value of the header, as `HeaderMap::get` gives it, found by
    // comparing the few names a request carries rather than hashing this one.
    let Some(value) = request
        .headers()
        .iter()
        .find_map(|(name, value)| (name.as_str() == FAULT_HEADER).then_some(value))
    else {
        return Ok(FaultPlan::default());
    };
    let text = value
        .to_str()
        .map_err(|_| format!("bad {FAULT_HEADER} header: the value must be visible ASCII"))?;
    FaultPlan::parse(text).map_err(|err| format!("bad {FAULT_HEADER} header: {err}"))
}

/// The normal answer: built-in routes, then mounted services, else 404.
fn route(shared: &Shared, request: Request<Bytes>) -> Response<SandboxBody> {
    let path = request.uri().path();
    if path == BUILTIN_PREFIX || path.starts_with("/__sandbox/") {
        return builtin::route(shared, request);
    }
    let rest = path.strip_prefix('/').unwrap_or(path);
    let (segment, tail) = match rest.find('/') {
        Some(index) => (&rest[..index], &rest[index..]),
        None => (rest, "/"),
    };
    let Some(service) = shared.service(segment) else {
        let mounted = shared.service_names().join(", ");
        let message = format!(
            "no route for {path}: built-in routes are under {BUILTIN_PREFIX}/, services under /{{name}}/ (mounted: [{mounted}])"
        );
        return json_error(StatusCode::NOT_FOUND, &message);
    };
    let tail = tail.to_owned();
    let name = service.name();
    match catch_unwind(AssertUnwindSafe(|| service.handle(&tail, request))) {
        Ok(response) => response.map(SandboxBody::full),
        Err(_) => {
            tracing::error!(service = name, "sandbox service panicked");
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("sandbox service `{name}` panicked while handling the request"),
            )
        }
    }
}

/// The `status=<code>` answer.
fn status_fault(status: u16, retry_after: Option<&str>) -> Response<SandboxBody> {
    let Some(code) = StatusCode::from_u16(status)
        .ok()
        .filter(|_| (200..=599).contains(&status))
    else {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("injected fault has invalid status {status}: must be from 200 to 599"),
        );
    };
    let mut response = json_response(
        code,
        &serde_json::json!({
            "error": format!("sandbox fault: status {status}"),
            "status": status,
        }),
    );
    if let Some(value) = retry_after {
        match HeaderValue::from_str(value) {
            Ok(value) => {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            Err(_) => {
                return json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "injected fault has an invalid retry_after: not a valid header value",
                );
            }
        }
    }
    response
}

/// 413 for a request body over the cap.
fn too_large(max: usize) -> Response<SandboxBody> {
    json_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("request body is larger than the sandbox limit of {max} bytes"),
    )
}

/// 408 for a request body that did not arrive in time; the connection is closed
/// after it (the rest of the body may still be on its way).
fn body_timeout(deadline: Duration) -> Response<SandboxBody> {
    let mut response = json_error(
        StatusCode::REQUEST_TIMEOUT,
        &format!(
            "the request body did not arrive within the sandbox's body read timeout of {} ms",
            deadline.as_millis()
        ),
    );
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A JSON body `{"error": message}` with this status.
pub(crate) fn json_error(status: StatusCode, message: &str) -> Response<SandboxBody> {
    json_response(status, &serde_json::json!({ "error": message }))
}

/// A JSON response.
pub(crate) fn json_response(
    status: StatusCode,
    value: &serde_json::Value,
) -> Response<SandboxBody> {
    let body = serde_json::to_vec(value).unwrap_or_default();
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "application/json")
        .body(SandboxBody::full(body))
        .unwrap_or_else(|_| internal_error())
}

/// The answer when a response cannot even be built (never expected).
fn internal_error() -> Response<SandboxBody> {
    let mut response = Response::new(SandboxBody::empty());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_that_arrives_after_the_first_look_is_still_read() {
        let (send, receive) = tokio::sync::oneshot::channel::<u8>();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            send.send(7).ok();
        });
        // The first poll (with a waker that wakes nothing) finds nothing; the
        // second, under the deadline, must register the real waker.
        let read = std::pin::pin!(receive);
        let got = read_body_within(Duration::from_secs(5), read).await;
        assert_eq!(got.expect("within the deadline").expect("sent"), 7);
    }

    #[tokio::test]
    async fn a_body_that_never_arrives_ends_at_the_deadline() {
        let read = std::pin::pin!(std::future::pending::<()>());
        assert!(
            read_body_within(Duration::from_millis(30), read)
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn a_body_already_here_is_taken_at_once() {
        let read = std::pin::pin!(async { 5 });
        assert_eq!(read_body_within(Duration::ZERO, read).await.ok(), Some(5));
    }
}
