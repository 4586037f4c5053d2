//! `crmwire demo`: a tour of everything crmwire does, against an in-process
//! sandbox, through the `facade` typed clients over real HTTP on loopback.
//!
//! The tour drives every operation of every service (SecurityTrax XML API and
//! lead posting, Peoplevine notes, Neto customer logs in XML and JSON), each step
//! over one of the two `transport` backends (the one chosen with `--backend`,
//! and the other one for a second pass), then shows what failure looks like:
//! invalid input, a refusal, a lost answer, and Neto's rate limit honoured.
//! Each step's outcome is checked: a step that does not do what the tour says it
//! does stops the demo with an error.
//!
//! Each step is a function in [`STEPS`]; adding one is writing the function and
//! adding one line to the table.

mod lead_steps;
mod loopback;
mod neto_steps;
mod neutral_steps;
mod peoplevine_steps;
mod strax_steps;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use facade::leads::LeadClient;
use facade::neto::{Codec, WireFormat};
use facade::peoplevine::Grant;
use facade::transport::{PaceConfig, Paced, RetryConfig, Retrying};
use sandbox::neto::NetoConfig;
use sandbox::{NetoService, PeoplevineService, SandboxConfig, SandboxHandle, SecurityTraxService};
use serde::Serialize;
use transport::{Backend, TransportBuildError};
use wire_core::Redactor;

use self::loopback::{Exchange, Loopback, on_backend};
use super::CommandError;
use crate::output::{Output, Report};

/// Why the demo stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum DemoError {
    /// The HTTP transports could not be built.
    #[error("cannot build the HTTP transport: {0}")]
    Build(#[from] TransportBuildError),
    /// A client of the sandbox could not be set up.
    #[error("cannot set up the {service} client: {reason}")]
    Setup {
        service: &'static str,
        reason: String,
    },
    /// A call a step expected to succeed failed.
    #[error("step `{step}`: {source}")]
    Call {
        step: &'static str,
        #[source]
        source: facade::Error,
    },
    /// A step saw something other than what it demonstrates.
    #[error("step `{step}`: expected {expected}, got {got}")]
    Unexpected {
        step: &'static str,
        expected: String,
        got: String,
    },
}

/// Neto's limit in the demo's sandbox: its documented 500 requests per minute
/// scaled down, so that pacing visibly waits within a few seconds.
pub(super) const NETO_LIMIT: u32 = 10;
/// The window of [`NETO_LIMIT`].
pub(super) const NETO_WINDOW: Duration = Duration::from_millis(500);

/// The SecurityTrax client of the demo.
type StraxClient = facade::securitytrax::Client<Retrying<Loopback>>;
/// The Neto clients' transport: one pacer for the store, shared by the XML and
/// JSON clients (as one pacer per store would be in any program).
type NetoTransport = Arc<Retrying<Paced<Loopback>>>;

/// What the steps share: the running sandbox, the transport that records every
/// exchange, and a client of each service's demo account over it.
pub(crate) struct DemoContext {
    sandbox: SandboxHandle,
    loopback: Loopback,
    strax: StraxClient,
    leads: LeadClient<Retrying<Loopback>>,
    peoplevine: facade::peoplevine::Client<Retrying<Loopback>>,
    neto_xml: facade::neto::Client<NetoTransport>,
    neto_json: facade::neto::Client<NetoTransport>,
    neto_pace: PaceConfig,
    memo: Mutex<Memo>,
}

/// What a step leaves for the steps after it.
#[derive(Debug, Default)]
struct Memo {
    /// The Peoplevine note added.
    peoplevine_note: Option<i64>,
    /// The Neto log added in XML.
    neto_xml_log: Option<u64>,
    /// The Neto log added in JSON.
    neto_json_log: Option<u64>,
}

/// What a step returns: what it did, what came back, and, for a failure the
/// tour shows, how it failed.
#[derive(Debug)]
pub(super) struct Shown {
    did: String,
    answer: String,
    demonstrates: Option<&'static str>,
    failure: Option<ShownFailure>,
}

impl Shown {
    /// A step that worked.
    pub(super) fn done(did: impl Into<String>, answer: impl Into<String>) -> Self {
        Self {
            did: did.into(),
            answer: answer.into(),
            demonstrates: None,
            failure: None,
        }
    }

    /// This step demonstrates `what` (`rate_limit`, …).
    pub(super) fn demonstrating(mut self, what: &'static str) -> Self {
        self.demonstrates = Some(what);
        self
    }

    /// A step that failed the way it demonstrates.
    pub(super) fn failed(
        did: impl Into<String>,
        demonstrates: &'static str,
        failure: ShownFailure,
    ) -> Self {
        Self {
            did: did.into(),
            answer: failure.message.clone(),
            demonstrates: Some(demonstrates),
            failure: Some(failure),
        }
    }
}

/// How a call failed, as a CLI call failing the same way would report it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ShownFailure {
    /// The request's fate (`rejected`, `not_sent`, `unknown`, `answered`).
    fate: &'static str,
    /// The exit code the CLI would end with.
    exit_code: u8,
    /// The `--json` error kind.
    kind: &'static str,
    /// The error message.
    message: String,
}

impl ShownFailure {
    /// `error`'s fate and kind, with the CLI's `exit_code` and `message`.
    pub(super) fn of(error: &facade::Error, exit_code: u8, message: String) -> Self {
        Self {
            fate: error.fate().as_str(),
            exit_code,
            kind: crate::commands::failure::kind_of(error),
            message,
        }
    }
}

/// What a step's future gives.
type StepFuture<'a> = Pin<Box<dyn Future<Output = Result<Shown, DemoError>> + Send + 'a>>;

/// Which backend a step sends through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    /// The one chosen with `--backend`.
    Chosen,
    /// The other one.
    Other,
}

impl Over {
    fn backend(self, chosen: Backend) -> Backend {
        match (self, chosen) {
            (Self::Chosen, chosen) => chosen,
            (Self::Other, Backend::Hyper) => Backend::Reqwest,
            (Self::Other, _) => Backend::Hyper,
        }
    }
}

/// One demo step.
struct Step {
    name: &'static str,
    service: &'static str,
    over: Over,
    run: for<'a> fn(&'a DemoContext) -> StepFuture<'a>,
}

const STRAX: &str = "SecurityTrax XML API";
const LEADS: &str = "SecurityTrax lead posting";
const PEOPLEVINE: &str = "Peoplevine notes";
const NETO_XML: &str = "Neto customer logs (XML)";
const NETO_JSON: &str = "Neto customer logs (JSON)";
const NEUTRAL: &str = "all three, through facade::neutral";

/// The tour, in order.
const STEPS: &[Step] = &[
    Step {
        name: "strax-find-customer",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::find_customer,
    },
    Step {
        name: "strax-customer-status",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::customer_status,
    },
    Step {
        name: "strax-add-note",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::add_note,
    },
    Step {
        name: "strax-book-appointment",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::create_appointment,
    },
    Step {
        name: "strax-availability",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::availability,
    },
    Step {
        name: "strax-set-confirmation",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::set_confirmation,
    },
    Step {
        name: "strax-second-pass",
        service: STRAX,
        over: Over::Other,
        run: strax_steps::second_pass,
    },
    Step {
        name: "lead-post",
        service: LEADS,
        over: Over::Other,
        run: lead_steps::post_leads,
    },
    Step {
        name: "customer-post",
        service: LEADS,
        over: Over::Chosen,
        run: lead_steps::post_customer,
    },
    Step {
        name: "peoplevine-add-note",
        service: PEOPLEVINE,
        over: Over::Chosen,
        run: peoplevine_steps::add_note,
    },
    Step {
        name: "peoplevine-update-note",
        service: PEOPLEVINE,
        over: Over::Chosen,
        run: peoplevine_steps::update_note,
    },
    Step {
        name: "peoplevine-list-notes",
        service: PEOPLEVINE,
        over: Over::Other,
        run: peoplevine_steps::list_notes,
    },
    Step {
        name: "neto-xml-add-log",
        service: NETO_XML,
        over: Over::Chosen,
        run: neto_steps::xml_add,
    },
    Step {
        name: "neto-xml-update-log",
        service: NETO_XML,
        over: Over::Chosen,
        run: neto_steps::xml_update,
    },
    Step {
        name: "neto-xml-list-logs",
        service: NETO_XML,
        over: Over::Chosen,
        run: neto_steps::xml_list,
    },
    Step {
        name: "neto-json-add-log",
        service: NETO_JSON,
        over: Over::Other,
        run: neto_steps::json_add,
    },
    Step {
        name: "neto-json-update-log",
        service: NETO_JSON,
        over: Over::Other,
        run: neto_steps::json_update,
    },
    Step {
        name: "neto-json-list-logs",
        service: NETO_JSON,
        over: Over::Other,
        run: neto_steps::json_list,
    },
    Step {
        name: "invalid-input",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::invalid_input,
    },
    Step {
        name: "refused",
        service: STRAX,
        over: Over::Chosen,
        run: strax_steps::refused,
    },
    Step {
        name: "lost-answer",
        service: STRAX,
        over: Over::Other,
        run: strax_steps::lost_answer,
    },
    Step {
        name: "rate-limit",
        service: NETO_JSON,
        over: Over::Chosen,
        run: neto_steps::rate_limit,
    },
    Step {
        name: "neutral-note",
        service: NEUTRAL,
        over: Over::Chosen,
        run: neutral_steps::same_note_everywhere,
    },
];

/// One finished step, as reported.
#[derive(Debug, Serialize)]
struct StepOutcome {
    name: &'static str,
    service: &'static str,
    backend: &'static str,
    /// What the step did.
    did: String,
    /// Every HTTP exchange it made, in order.
    sent: Vec<Exchange>,
    /// What came back.
    answer: String,
    /// How long the step took, in milliseconds.
    ms: u64,
    /// What the step demonstrates, beside a plain call (`invalid_input`,
    /// `refused`, `lost_answer`, `rate_limit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    demonstrates: Option<&'static str>,
    /// For a failure the tour shows: its fate, exit code, kind and message.
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<ShownFailure>,
}

impl StepOutcome {
    /// The step's lines of text (each escaped when printed).
    fn lines(&self, number: usize) -> Vec<String> {
        let mut lines = vec![format!(
            "[{}] {number}. {} over {}, {} ms",
            self.name, self.service, self.backend, self.ms
        )];
        lines.push(format!("    did:    {}", self.did));
        if self.sent.is_empty() {
            lines.push("    sent:   nothing".to_owned());
        }
        for run in runs(&self.sent) {
            let exchange = &run[0];
            let mut sent = if run.len() == 1 {
                format!(
                    "    sent:   {} {} ({} bytes)",
                    exchange.method, exchange.path, exchange.sent_bytes
                )
            } else {
                let at: Vec<String> = run.iter().map(|e| format!("+{}", e.at_ms)).collect();
                format!(
                    "    sent:   {} times, at {} ms: {} {} ({} bytes)",
                    run.len(),
                    at.join(", "),
                    exchange.method,
                    exchange.path,
                    exchange.sent_bytes
                )
            };
            if !exchange.excerpt.is_empty() {
                sent.push_str(": ");
                sent.push_str(&exchange.excerpt);
            }
            lines.push(sent);
            let each = if run.len() == 1 { "" } else { " each" };
            let slowest = run.iter().map(|e| e.ms).max().unwrap_or_default();
            let took = if run.len() == 1 {
                format!(" in {slowest} ms")
            } else {
                format!(", the slowest in {slowest} ms")
            };
            lines.push(match (&exchange.status, &exchange.error) {
                (Some(status), _) => format!(
                    "      got:  {status} ({} bytes){each}{took}",
                    exchange.received_bytes
                ),
                (None, Some(error)) => {
                    format!("      got:  no answer ({error}), after {slowest} ms")
                }
                (None, None) => format!("      got:  no answer, after {slowest} ms"),
            });
        }
        match &self.failure {
            Some(failure) => lines.push(format!(
                "    failed as expected: fate {}, exit code {} ({}): {}",
                failure.fate, failure.exit_code, failure.kind, failure.message
            )),
            None => lines.push(format!("    answer: {}", self.answer)),
        }
        lines
    }
}

/// `exchanges` in runs of the same request with the same answer, for showing
/// a repeated call once.
fn runs(exchanges: &[Exchange]) -> Vec<&[Exchange]> {
    let same = |a: &Exchange, b: &Exchange| {
        (
            &a.method,
            &a.path,
            &a.excerpt,
            a.sent_bytes,
            a.status,
            a.received_bytes,
            &a.error,
        ) == (
            &b.method,
            &b.path,
            &b.excerpt,
            b.sent_bytes,
            b.status,
            b.received_bytes,
            &b.error,
        )
    };
    exchanges.chunk_by(|a, b| same(a, b)).collect()
}

/// The demo's result.
#[derive(Debug, Serialize)]
struct DemoReport {
    sandbox: String,
    /// The backend chosen with `--backend`.
    backend: &'static str,
    /// The backend of the second passes.
    other_backend: &'static str,
    steps: Vec<StepOutcome>,
    /// How long the whole tour took, in milliseconds.
    ms: u64,
}

impl Report for DemoReport {
    fn human(&self) -> String {
        format!(
            "demo finished: {} steps against the embedded sandbox at {}, over {} and {}, in {} ms",
            self.steps.len(),
            self.sandbox,
            self.backend,
            self.other_backend,
            self.ms
        )
    }
}

/// The secrets of every demo account: never printed.
fn demo_redactor() -> Redactor {
    Redactor::new([
        sandbox::securitytrax::DEMO_PASSWORD,
        sandbox::peoplevine::DEMO_PASSWORD,
        sandbox::peoplevine::DEMO_USER_ACCESS_TOKEN,
        sandbox::peoplevine::DEMO_USER_REFRESH_TOKEN,
        sandbox::neto::DEMO_API_KEY,
        sandbox::neto::DEMO_ACCESS_KEY,
        sandbox::neto::DEMO_SECRET_KEY,
    ])
}

/// The demo's sandbox: every service with its demo data (as
/// [`super::sandbox_config`]), Neto's rate limit scaled down to
/// [`NETO_LIMIT`] per [`NETO_WINDOW`].
fn demo_sandbox() -> SandboxConfig {
    SandboxConfig::new()
        .service(Arc::new(SecurityTraxService::demo()))
        .service(Arc::new(PeoplevineService::demo()))
        .service(Arc::new(NetoService::new(
            NetoConfig::demo().rate_limit(NETO_LIMIT, NETO_WINDOW),
        )))
}

impl DemoContext {
    /// A client of each demo account of `sandbox`, all over one [`Loopback`].
    fn clients(sandbox: &SandboxHandle) -> Result<Parts, DemoError> {
        let setup =
            |service: &'static str| move |reason: String| DemoError::Setup { service, reason };
        let loopback = Loopback::new(demo_redactor())?;
        let retrying = || Retrying::new(loopback.clone(), RetryConfig::default());

        let (endpoint, credentials) = super::strax::sandbox_account(sandbox)
            .map_err(|error| setup("SecurityTrax")(error.to_string()))?;
        let strax = facade::securitytrax::Client::new(endpoint, credentials, retrying());

        let base = sandbox
            .service_url("securitytrax")
            .ok_or_else(|| setup("lead posting")("no SecurityTrax service".into()))?;
        let lead_endpoint = facade::leads::Endpoint::new(&base, sandbox::securitytrax::DEMO_SITE)
            .map_err(|error| setup("lead posting")(error.to_string()))?;
        let leads = LeadClient::new(lead_endpoint, retrying()).with_redactor(demo_redactor());

        let base = sandbox
            .service_url("peoplevine")
            .ok_or_else(|| setup("Peoplevine")("no Peoplevine service".into()))?;
        let endpoint = facade::peoplevine::Endpoint::new(&base)
            .map_err(|violations| setup("Peoplevine")(violations.to_string()))?;
        let grant = Grant::Password {
            username: sandbox::peoplevine::DEMO_USERNAME.into(),
            password: sandbox::peoplevine::DEMO_PASSWORD.into(),
        };
        let peoplevine = facade::peoplevine::Client::new(endpoint, grant, retrying());

        let neto_pace = facade::neto::pace_under(NETO_LIMIT, NETO_WINDOW);
        let neto: NetoTransport = Arc::new(Retrying::new(
            Paced::new(loopback.clone(), neto_pace),
            RetryConfig::default(),
        ));
        let codec = |format: WireFormat| -> Result<Codec, DemoError> {
            super::neto::sandbox_codec(sandbox, format)
                .map_err(|error| setup("Neto")(error.to_string()))
        };
        let neto_xml = facade::neto::Client::new(codec(WireFormat::Xml)?, Arc::clone(&neto));
        let neto_json = facade::neto::Client::new(codec(WireFormat::Json)?, neto);
        Ok(Parts {
            loopback,
            strax,
            leads,
            peoplevine,
            neto_xml,
            neto_json,
            neto_pace,
        })
    }

    fn from_parts(sandbox: SandboxHandle, parts: Parts) -> Self {
        Self {
            sandbox,
            loopback: parts.loopback,
            strax: parts.strax,
            leads: parts.leads,
            peoplevine: parts.peoplevine,
            neto_xml: parts.neto_xml,
            neto_json: parts.neto_json,
            neto_pace: parts.neto_pace,
            memo: Mutex::new(Memo::default()),
        }
    }

    /// What earlier steps left.
    fn memo(&self) -> MutexGuard<'_, Memo> {
        self.memo.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The clients, before the context owns the sandbox.
struct Parts {
    loopback: Loopback,
    strax: StraxClient,
    leads: LeadClient<Retrying<Loopback>>,
    peoplevine: facade::peoplevine::Client<Retrying<Loopback>>,
    neto_xml: facade::neto::Client<NetoTransport>,
    neto_json: facade::neto::Client<NetoTransport>,
    neto_pace: PaceConfig,
}

/// Runs every step; stops at the first step whose outcome is not the one the tour
/// expects. The sandbox is shut down either way. The demo never reads the config
/// file: it always uses the embedded sandbox.
pub(super) async fn run(output: &Output, chosen: Backend) -> Result<(), CommandError> {
    output.notice("using the embedded sandbox (the demo never contacts a configured profile)");
    output.redact_secrets(demo_redactor());
    let started = Instant::now();
    let sandbox = ::sandbox::start(demo_sandbox()).await?;
    output.progress(&format!(
        "started the embedded sandbox at {}",
        sandbox.base_url()
    ));
    let context = match DemoContext::clients(&sandbox) {
        Ok(parts) => DemoContext::from_parts(sandbox, parts),
        Err(error) => {
            sandbox.shutdown().await;
            return Err(error.into());
        }
    };
    let other = Over::Other.backend(chosen);
    output.progress(&format!(
        "each step says which HTTP backend carried it: `{chosen}` (chosen with --backend) or `{other}` (the second pass)"
    ));
    let mut report = DemoReport {
        sandbox: context.sandbox.base_url(),
        backend: chosen.name(),
        other_backend: other.name(),
        steps: Vec::with_capacity(STEPS.len()),
        ms: 0,
    };
    let mut failure = None;
    for (index, step) in STEPS.iter().enumerate() {
        match run_step(&context, step, chosen).await {
            Ok(outcome) => {
                for line in outcome.lines(index + 1) {
                    output.progress(&line);
                }
                report.steps.push(outcome);
            }
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    context.sandbox.shutdown().await;
    if let Some(error) = failure {
        return Err(error.into());
    }
    report.ms = millis(started.elapsed());
    output.finish(&report);
    Ok(())
}

/// Runs `step` over its backend and checks that every exchange went over it.
async fn run_step(
    context: &DemoContext,
    step: &Step,
    chosen: Backend,
) -> Result<StepOutcome, DemoError> {
    let backend = step.over.backend(chosen);
    let mark = context.loopback.mark();
    let start = Instant::now();
    let shown = on_backend(backend, (step.run)(context)).await?;
    let ms = millis(start.elapsed());
    let mut sent = context.loopback.since(mark);
    for exchange in &mut sent {
        exchange.at_ms = exchange
            .started
            .map_or(0, |at| millis(at.saturating_duration_since(start)));
    }
    if let Some(stray) = sent.iter().find(|e| e.backend != backend.name()) {
        return Err(DemoError::Unexpected {
            step: step.name,
            expected: format!("every request over {backend}"),
            got: format!("{} {} over {}", stray.method, stray.path, stray.backend),
        });
    }
    Ok(StepOutcome {
        name: step.name,
        service: step.service,
        backend: backend.name(),
        did: shown.did,
        sent,
        answer: shown.answer,
        ms,
        demonstrates: shown.demonstrates,
        failure: shown.failure,
    })
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
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

/// Maps a failed call to the step's error.
fn failed(step: &'static str) -> impl FnOnce(facade::Error) -> DemoError {
    move |source| DemoError::Call { step, source }
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

    #[test]
    fn the_demo_sandbox_mounts_every_service_the_cli_sandbox_has() {
        let names = |config: SandboxConfig| {
            let shown = format!("{config:?}");
            let start = shown.find("services: [").expect("the services are shown") + 11;
            let end = start + shown[start..].find(']').expect("the list ends");
            let mut names: Vec<String> = shown[start..end]
                .split(',')
                .map(|name| name.trim().to_owned())
                .collect();
            names.sort_unstable();
            names
        };
        assert_eq!(names(demo_sandbox()), names(super::super::sandbox_config()));
    }

    /// The step of the tour named `name`.
    fn step_named(name: &str) -> &'static Step {
        STEPS.iter().find(|s| s.name == name).expect("a step")
    }

    #[tokio::test]
    async fn a_step_that_does_not_end_as_the_tour_expects_fails_naming_it() {
        let sandbox = ::sandbox::start(demo_sandbox()).await.unwrap();
        let parts = DemoContext::clients(&sandbox).unwrap();
        let context = DemoContext::from_parts(sandbox, parts);
        // A call that should work, answered 500.
        context.sandbox.inject_fault(
            "/securitytrax/",
            sandbox::Fault::Status {
                status: 500,
                retry_after: None,
            },
            1,
        );
        let error = run_step(&context, step_named("strax-find-customer"), Backend::Hyper)
            .await
            .unwrap_err();
        assert!(matches!(error, DemoError::Call { .. }), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with("step `strax-find-customer`: "),
            "{error}"
        );
        // A refusal the tour shows, answered with garbage instead.
        context.sandbox.inject_fault(
            "/securitytrax/demo/informationposter.php",
            sandbox::Fault::GarbageBody,
            1,
        );
        let error = run_step(&context, step_named("refused"), Backend::Reqwest)
            .await
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("step `refused`: expected the service refusing the operation, got "),
            "{error}"
        );
        assert_eq!(CommandError::from(error).exit(), crate::exit::Exit::Failed);
        // Without the fault the same steps pass, over the backend they name.
        let found = run_step(&context, step_named("strax-find-customer"), Backend::Hyper)
            .await
            .unwrap();
        assert_eq!(found.backend, "hyper");
        assert_eq!(found.sent.len(), 1);
        context.sandbox.shutdown().await;
    }

    #[test]
    fn the_other_backend_is_the_one_not_chosen() {
        for chosen in Backend::ALL {
            assert_eq!(Over::Chosen.backend(chosen), chosen);
            assert_ne!(Over::Other.backend(chosen), chosen);
        }
    }
}
