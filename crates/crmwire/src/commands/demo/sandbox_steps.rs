//! Demo steps that show the sandbox and the `transport` layer: the built-in routes
//! and injected faults, with raw HTTP requests.

use http::Method;
use sandbox::{FAULT_HEADER, Fault};
use transport::Transport;

use super::{DemoContext, DemoError, StepFuture, expect};

/// `GET /__sandbox/health` answers 200 `ok`.
pub(super) fn health(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "health";
        let response = context
            .send(
                STEP,
                context.request(Method::GET, "/__sandbox/health", &[], ""),
            )
            .await?;
        expect(
            STEP,
            response.status() == 200 && response.body() == "ok",
            "200 `ok`",
            || {
                format!(
                    "{} {:?}",
                    response.status(),
                    String::from_utf8_lossy(response.body())
                )
            },
        )?;
        Ok("GET /__sandbox/health answered 200 `ok`".to_owned())
    })
}

/// The echo route shows what arrived, with the API key redacted.
pub(super) fn echo(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "echo";
        const BODY: &str = r#"{"note":"hello from crmwire demo"}"#;
        let request = context.request(
            Method::POST,
            "/__sandbox/echo?demo=1",
            &[
                ("content-type", "application/json"),
                ("x-api-key", "demo-key-not-a-secret"),
            ],
            BODY,
        );
        let response = context.send(STEP, request).await?;
        let echoed: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or_default();
        expect(
            STEP,
            response.status() == 200 && echoed["body"] == BODY && echoed["query"] == "demo=1",
            "200 with the request body and query echoed",
            || format!("{} {echoed}", response.status()),
        )?;
        expect(
            STEP,
            echoed["headers"]["x-api-key"] == "<redacted>",
            "x-api-key redacted in the echo",
            || echoed["headers"]["x-api-key"].to_string(),
        )?;
        Ok("POST /__sandbox/echo: the sandbox received the JSON body and query, and redacted x-api-key".to_owned())
    })
}

/// An injected 503 is an answer for the caller to interpret, not a transport error.
pub(super) fn status_fault(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "status-fault";
        context.sandbox.inject_fault(
            "/__sandbox/echo",
            Fault::Status {
                status: 503,
                retry_after: Some("1".to_owned()),
            },
            1,
        );
        let response = context
            .send(
                STEP,
                context.request(Method::GET, "/__sandbox/echo", &[], ""),
            )
            .await?;
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        expect(
            STEP,
            response.status() == 503 && retry_after == "1",
            "503 with Retry-After: 1",
            || format!("{} with Retry-After `{retry_after}`", response.status()),
        )?;
        Ok("a queued 503 fault came back as an answer (status 503, Retry-After: 1), not as a transport error".to_owned())
    })
}

/// A connection closed before the response is an error whose outcome is unknown,
/// and the request reached the sandbox exactly once (no blind resend).
pub(super) fn close_fault(context: &DemoContext) -> StepFuture<'_> {
    Box::pin(async move {
        const STEP: &str = "close-fault";
        let before = context.sandbox.requests_received("/__sandbox/echo");
        let request = context.request(
            Method::POST,
            "/__sandbox/echo",
            &[(FAULT_HEADER, "close")],
            "{}",
        );
        let result = context.transport.send(request).await;
        let received = context.sandbox.requests_received("/__sandbox/echo") - before;
        let err = match result {
            Err(err) => err,
            Ok(response) => {
                return Err(DemoError::Unexpected {
                    step: STEP,
                    expected: "a transport error".to_owned(),
                    got: format!("an answer with status {}", response.status()),
                });
            }
        };
        expect(
            STEP,
            received == 1,
            "the request received exactly once",
            || format!("received {received} times"),
        )?;
        let fate = if err.outcome_unknown() {
            "outcome unknown, so it must not be resent blindly"
        } else if err.is_retry_safe() {
            "classified as never sent"
        } else {
            "not retryable"
        };
        Ok(format!(
            "`{FAULT_HEADER}: close` dropped the connection: transport error ({fate}); the sandbox received the request once"
        ))
    })
}
