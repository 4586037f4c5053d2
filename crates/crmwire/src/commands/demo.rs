//! `crmwire demo`: start an in-process sandbox and show, step by step, what crmwire
//! does against it, through the real `transport` HTTP backend.
//!
//! Each step is a function in [`STEPS`]; adding one is writing the function and
//! adding one line to the table.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use http::{Method, Request, Response};
use sandbox::{FAULT_HEADER, Fault, SandboxHandle};
use serde::Serialize;
use transport::{
    Backend, HttpTransport, Transport, TransportBuildError, TransportConfig, TransportError,
};

use super::{CommandError, Target, sandbox_config};
use crate::output::{Output, Report};

/// Why the demo stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum DemoError {
    /// The HTTP transport could not be built.
    #[error("cannot build the HTTP transport: {0}")]
    Build(#[from] TransportBuildError),
    /// A request a step expected to be answered failed.
    #[error("step `{step}`: {source}")]
    Transport {
        step: &'static str,
        #[source]
        source: TransportError,
    },
    /// A step saw something other than what it demonstrates.
    #[error("step `{step}`: expected {expected}, got {got}")]
    Unexpected {
        step: &'static str,
        expected: String,
        got: String,
    },
}

/// What the steps share: the running sandbox and the transport under demonstration.
pub(crate) struct DemoContext {
    sandbox: SandboxHandle,
    transport: HttpTransport,
}

/// What a step returns: a one-line summary of what it showed.
type StepFuture<'a> = Pin<Box<dyn Future<Output = Result<String, DemoError>> + Send + 'a>>;

/// One demo step.
struct Step {
    name: &'static str,
    run: for<'a> fn(&'a DemoContext) -> StepFuture<'a>,
}

/// The demo, in order. Later steps (SecurityTrax notes, leads, ...) are added here.
const STEPS: &[Step] = &[
    Step {
        name: "health",
        run: health,
    },
    Step {
        name: "echo",
        run: echo,
    },
    Step {
        name: "status-fault",
        run: status_fault,
    },
    Step {
        name: "close-fault",
        run: close_fault,
    },
];

/// One finished step, as reported.
#[derive(Debug, Serialize)]
struct StepOutcome {
    name: &'static str,
    summary: String,
}

/// The demo's result.
#[derive(Debug, Serialize)]
struct DemoReport {
    sandbox: String,
    backend: &'static str,
    steps: Vec<StepOutcome>,
}

impl Report for DemoReport {
    fn human(&self) -> String {
        format!(
            "demo finished: {} steps against the embedded sandbox at {}",
            self.steps.len(),
            self.sandbox
        )
    }
}

/// Runs every step; stops at the first failure. The sandbox is shut down either way.
pub(super) async fn run(output: &Output, target: &Target) -> Result<(), CommandError> {
    match target {
        Target::Sandbox { reason } => {
            output.notice(&format!("{reason}; using the embedded sandbox"));
        }
        Target::Profile { name, spec } => output.notice(&format!(
            "the demo always runs against the embedded sandbox; profile `{name}` ({} at {}) is not contacted",
            spec.service, spec.base_url
        )),
    }
    let sandbox = ::sandbox::start(sandbox_config()).await?;
    output.progress(&format!(
        "started the embedded sandbox at {}",
        sandbox.base_url()
    ));
    let backend = Backend::default();
    let transport = match HttpTransport::new(backend, TransportConfig::default()) {
        Ok(transport) => transport,
        Err(err) => {
            sandbox.shutdown().await;
            return Err(DemoError::from(err).into());
        }
    };
    output.progress(&format!(
        "sending requests through the `{backend}` transport backend"
    ));
    let context = DemoContext { sandbox, transport };
    let mut report = DemoReport {
        sandbox: context.sandbox.base_url(),
        backend: backend.name(),
        steps: Vec::with_capacity(STEPS.len()),
    };
    let mut failure = None;
    for step in STEPS {
        match (step.run)(&context).await {
            Ok(summary) => {
                output.progress(&format!("[{}] {summary}", step.name));
                report.steps.push(StepOutcome {
                    name: step.name,
                    summary,
                });
            }
            Err(err) => {
                failure = Some(err);
                break;
            }
        }
    }
    context.sandbox.shutdown().await;
    if let Some(err) = failure {
        return Err(err.into());
    }
    output.finish(&report);
    Ok(())
}

impl DemoContext {
    /// A request to a sandbox path.
    fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &'static str,
    ) -> Request<Bytes> {
        let mut builder = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.sandbox.base_url()));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder
            .body(Bytes::from_static(body.as_bytes()))
            .expect("demo requests are built from valid constants")
    }

    /// Sends a request that must be answered.
    async fn send(
        &self,
        step: &'static str,
        request: Request<Bytes>,
    ) -> Result<Response<Bytes>, DemoError> {
        self.transport
            .send(request)
            .await
            .map_err(|source| DemoError::Transport { step, source })
    }
}

/// Fails the step unless `ok`.
fn expect(
    step: &'static str,
    ok: bool,
    expected: &str,
    got: impl FnOnce() -> String,
) -> Result<(), DemoError> {
    if ok {
        Ok(())
    } else {
        Err(DemoError::Unexpected {
            step,
            expected: expected.to_owned(),
            got: got(),
        })
    }
}

/// `GET /__sandbox/health` answers 200 `ok`.
fn health(context: &DemoContext) -> StepFuture<'_> {
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
fn echo(context: &DemoContext) -> StepFuture<'_> {
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
fn status_fault(context: &DemoContext) -> StepFuture<'_> {
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
fn close_fault(context: &DemoContext) -> StepFuture<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expect_passes_or_names_the_step_and_both_sides() {
        assert!(expect("s", true, "x", || unreachable!("not evaluated")).is_ok());
        let err = expect("echo", false, "200", || "503".to_owned()).unwrap_err();
        assert_eq!(err.to_string(), "step `echo`: expected 200, got 503");
    }

    #[test]
    fn step_names_are_unique() {
        let mut names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), STEPS.len());
    }
}
