//! [`Session`]: the Peoplevine client a command uses, built from the selected
//! profile or, with `--sandbox`, against the embedded sandbox's demo account.

use facade::peoplevine::{Client, Endpoint, Grant};
use facade::transport::{Backend, HttpTransport, Paced, Retrying, TransportConfig};
use sandbox::SandboxHandle;
use sandbox::peoplevine::{DEMO_CUSTOMERS, DEMO_PASSWORD, DEMO_USERNAME};
use wire_core::Redactor;
use wire_core::validation::Violations;

use super::PvError;
use super::error::EndpointProblems;
use super::profile::PeoplevineAccount;
use crate::commands::failure;
use crate::commands::{CommandError, SANDBOX_STARTS_EMPTY, Target, sandbox_config};
use crate::config::ProfileSpec;
use crate::output::Output;

/// The client every command uses.
pub(crate) type PvClient = Client<Retrying<Paced<HttpTransport>>>;

/// A Peoplevine client, and the in-process sandbox it talks to (if any).
pub(crate) struct Session {
    pub(crate) client: PvClient,
    sandbox: Option<SandboxHandle>,
}

impl Session {
    /// Builds the client for `target` over `backend`, and tells `output` the
    /// grant's secrets so nothing printed can show them.
    pub(crate) async fn open(
        output: &Output,
        target: &Target,
        backend: Backend,
    ) -> Result<Self, CommandError> {
        let (endpoint, grant, sandbox) = target_account(output, target).await?;
        match Client::over_http(endpoint, grant, backend, TransportConfig::default()) {
            Ok(client) => Ok(Self { client, sandbox }),
            Err(source) => {
                if let Some(sandbox) = sandbox {
                    sandbox.shutdown().await;
                }
                Err(PvError::Transport { backend, source }.into())
            }
        }
    }

    /// Stops the sandbox, if one was started.
    pub(crate) async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// The endpoint and grant of `target`, and the sandbox started for it.
pub(crate) async fn target_account(
    output: &Output,
    target: &Target,
) -> Result<(Endpoint, Grant, Option<SandboxHandle>), CommandError> {
    match target {
        Target::Profile { name, spec } => {
            let ProfileSpec::Peoplevine(profile) = spec else {
                return Err(PvError::WrongService {
                    profile: name.clone(),
                    service: spec.service(),
                }
                .into());
            };
            let account = profile.resolve(name, &|variable| std::env::var(variable))?;
            output.redact_secrets(account.grant.redactor());
            let endpoint = endpoint(name, &account)?;
            Ok((endpoint, account.grant, None))
        }
        Target::Sandbox => {
            output.redact_secrets(Redactor::new([DEMO_PASSWORD]));
            let sandbox = ::sandbox::start(sandbox_config()).await?;
            let Some(base_url) = sandbox.service_url("peoplevine") else {
                sandbox.shutdown().await;
                return Err(PvError::NoSandboxService.into());
            };
            let endpoint = Endpoint::new(&base_url).map_err(|violations| PvError::Endpoint {
                profile: "embedded sandbox".into(),
                source: EndpointProblems(problems(&violations)),
            })?;
            output.notice(&sandbox_note());
            let grant = Grant::Password {
                username: DEMO_USERNAME.into(),
                password: DEMO_PASSWORD.into(),
            };
            Ok((endpoint, grant, Some(sandbox)))
        }
    }
}

/// What `--sandbox` uses and holds, so a first command works.
fn sandbox_note() -> String {
    let customers = DEMO_CUSTOMERS.map(|id| id.to_string()).join(", ");
    let first = DEMO_CUSTOMERS[0];
    format!(
        "--sandbox: using the embedded sandbox (Peoplevine demo account: user `{DEMO_USERNAME}`; \
         demo customers {customers}, such as `--customer {first}`); {SANDBOX_STARTS_EMPTY}"
    )
}

fn problems(violations: &Violations) -> Vec<failure::Problem> {
    failure::describe(violations, &|_, field| match field {
        "region" => Some("region"),
        "base_url" => Some("base_url"),
        _ => None,
    })
}

/// The endpoint of profile `profile`'s account: its base URL and region.
pub(crate) fn endpoint(profile: &str, account: &PeoplevineAccount) -> Result<Endpoint, PvError> {
    let error = |violations: Violations| PvError::Endpoint {
        profile: profile.to_owned(),
        source: EndpointProblems(problems(&violations)),
    };
    let endpoint = Endpoint::new(&account.base_url).map_err(error)?;
    match &account.region {
        Some(region) => endpoint.with_region(region).map_err(error),
        None => Ok(endpoint),
    }
}
