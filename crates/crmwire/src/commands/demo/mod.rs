//! `crmwire demo`: start an in-process sandbox and show, step by step, what crmwire
//! does against it, through the real `transport` HTTP backend chosen with
//! `--backend`: first the sandbox and transport layer (`sandbox_steps`), then the
//! SecurityTrax flow through the `facade` client (`strax_steps`).
//!
//! Each step is a function in [`STEPS`]; adding one is writing the function and
//! adding one line to the table.

mod sandbox_steps;
mod strax_steps;

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use facade::securitytrax::Client;
use http::{Method, Request, Response};
use sandbox::SandboxHandle;
use serde::Serialize;
use transport::{
    Backend, HttpTransport, Retrying, Transport, TransportBuildError, TransportConfig,
    TransportError,
};

use self::sandbox_steps::{close_fault, echo, health, status_fault};
use self::strax_steps::{
    add_note, availability, create_appointment, customer_status, find_customer, invalid_input,
    lost_answer, refused, set_confirmation,
};
use super::strax::StraxError;
use super::{CommandError, sandbox_config};
use crate::output::{Output, Report};

/// Why the demo stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum DemoError {
    /// The HTTP transport could not be built.
    #[error("cannot build the HTTP transport: {0}")]
    Build(#[from] TransportBuildError),
    /// The SecurityTrax client could not be built.
    #[error("cannot build the SecurityTrax client: {0}")]
    Client(#[source] StraxError),
    /// A SecurityTrax call a step expected to succeed failed.
    #[error("step `{step}`: {source}")]
    Call {
        step: &'static str,
        #[source]
        source: facade::Error,
    },
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

/// What the steps share: the running sandbox, the transport under demonstration and
/// a SecurityTrax client of the sandbox's demo account over that transport.
pub(crate) struct DemoContext {
    sandbox: SandboxHandle,
    transport: HttpTransport,
    strax: Client<Retrying<HttpTransport>>,
}

/// What a step returns: a one-line summary of what it showed.
type StepFuture<'a> = Pin<Box<dyn Future<Output = Result<String, DemoError>> + Send + 'a>>;

/// One demo step.
struct Step {
    name: &'static str,
    run: for<'a> fn(&'a DemoContext) -> StepFuture<'a>,
}

/// The demo, in order.
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
    Step {
        name: "find-customer",
        run: find_customer,
    },
    Step {
        name: "customer-status",
        run: customer_status,
    },
    Step {
        name: "add-note",
        run: add_note,
    },
    Step {
        name: "create-appointment",
        run: create_appointment,
    },
    Step {
        name: "availability",
        run: availability,
    },
    Step {
        name: "set-confirmation",
        run: set_confirmation,
    },
    Step {
        name: "invalid-input",
        run: invalid_input,
    },
    Step {
        name: "refused",
        run: refused,
    },
    Step {
        name: "lost-answer",
        run: lost_answer,
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
/// The demo never reads the config file: it always uses the embedded sandbox.
pub(super) async fn run(output: &Output, backend: Backend) -> Result<(), CommandError> {
    output.notice("using the embedded sandbox (the demo never contacts a configured profile)");
    let sandbox = ::sandbox::start(sandbox_config()).await?;
    output.progress(&format!(
        "started the embedded sandbox at {}",
        sandbox.base_url()
    ));
    let clients = HttpTransport::new(backend, TransportConfig::default())
        .map_err(DemoError::from)
        .and_then(|transport| {
            super::strax::sandbox_client(&sandbox, backend)
                .map(|strax| (transport, strax))
                .map_err(DemoError::Client)
        });
    let (transport, strax) = match clients {
        Ok(clients) => clients,
        Err(err) => {
            sandbox.shutdown().await;
            return Err(err.into());
        }
    };
    output.progress(&format!(
        "sending requests through the `{backend}` transport backend"
    ));
    let context = DemoContext {
        sandbox,
        transport,
        strax,
    };
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
