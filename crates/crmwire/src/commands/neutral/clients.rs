//! [`Clients`]: the [`CrmSet`] a neutral command sends through, built from
//! the [`Plan`]: each profile's secrets read from the variables it names (as
//! the service rooms read them), or the sandbox's demo accounts.

use facade::neutral::{Crm, CrmSet, CrmTransport};
use facade::transport::{Backend, TransportConfig};
use facade::{leads, neto, peoplevine};
use sandbox::SandboxHandle;
use wire_core::Redactor;

use super::NeutralError;
use super::plan::{Plan, demo_customer};
use crate::commands::sandbox_config;
use crate::commands::strax::{StraxError, profile_account, sandbox_account};
use crate::commands::{CommandError, SANDBOX_STARTS_EMPTY, neto as neto_room, peoplevine as pv};
use crate::config::{Env, ProfileSpec};
use crate::output::Output;

/// The set, and the sandbox it talks to (if any).
pub(crate) struct Clients {
    pub(crate) set: CrmSet<CrmTransport>,
    sandbox: Option<SandboxHandle>,
}

impl Clients {
    /// Builds every entry of `plan` over `backend`, and tells `output` every
    /// entry's secrets (all of them, merged) so nothing printed can show any.
    /// For the sandbox, starts it and says so on stderr in one line.
    pub(crate) async fn open(
        output: &Output,
        plan: &Plan,
        backend: Backend,
    ) -> Result<Self, CommandError> {
        match plan {
            Plan::Profiles(profiles) => {
                let env: Env<'_> = &|variable| std::env::var(variable);
                let mut builder = CrmSet::builder();
                let mut redactor = Redactor::none();
                for (name, spec) in profiles {
                    let (crm, secrets) = profile_crm(name, spec, backend, env)?;
                    redactor = redactor.merged(&secrets);
                    builder = builder.add(name.clone(), crm);
                }
                output.redact_secrets(redactor);
                let set = builder.build().map_err(build_error("(the set)"))?;
                Ok(Self { set, sandbox: None })
            }
            Plan::Sandbox(services) => {
                output.redact_secrets(Redactor::new([
                    sandbox::securitytrax::DEMO_PASSWORD,
                    sandbox::peoplevine::DEMO_PASSWORD,
                    sandbox::neto::DEMO_API_KEY,
                ]));
                let sandbox = ::sandbox::start(sandbox_config()).await?;
                let built = sandbox_set(&sandbox, services, backend);
                let set = match built {
                    Ok(set) => set,
                    Err(error) => {
                        sandbox.shutdown().await;
                        return Err(error);
                    }
                };
                let customers = services
                    .iter()
                    .filter_map(|service| {
                        demo_customer(service.as_str())
                            .map(|id| format!("{}={id}", service.as_str()))
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                output.notice(&format!(
                    "--sandbox: using the embedded sandbox's demo accounts ({}; demo customers {customers}, the default of --customer); {SANDBOX_STARTS_EMPTY}",
                    plan.names().join(", ")
                ));
                Ok(Self {
                    set,
                    sandbox: Some(sandbox),
                })
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

fn config() -> TransportConfig {
    TransportConfig::default()
}

fn build_error(profile: &str) -> impl FnOnce(facade::Error) -> NeutralError + '_ {
    move |source| NeutralError::Build {
        profile: profile.to_owned(),
        source: Box::new(source),
    }
}

/// The CRM of profile `name`, and the secrets it holds.
fn profile_crm(
    name: &str,
    spec: &ProfileSpec,
    backend: Backend,
    env: Env<'_>,
) -> Result<(Crm<CrmTransport>, Redactor), CommandError> {
    match spec {
        ProfileSpec::SecurityTrax(profile) => {
            let account = profile.resolve(name, env)?;
            let (endpoint, credentials) = profile_account(name, account)?;
            let lead_endpoint =
                leads::Endpoint::new(&profile.base_url, &profile.site).map_err(|source| {
                    StraxError::Endpoint {
                        profile: name.to_owned(),
                        source,
                    }
                })?;
            let redactor = credentials.redactor();
            let crm = Crm::securitytrax_over_http(
                endpoint,
                credentials,
                lead_endpoint,
                backend,
                config(),
            )
            .map_err(build_error(name))?;
            Ok((crm, redactor))
        }
        ProfileSpec::Peoplevine(profile) => {
            let account = profile.resolve(name, env)?;
            let redactor = account.grant.redactor();
            let endpoint = pv::endpoint(name, &account)?;
            let crm = Crm::peoplevine_over_http(endpoint, account.grant, backend, config())
                .map_err(build_error(name))?;
            Ok((crm, redactor))
        }
        ProfileSpec::Neto(_) => {
            let codec = neto_room::codec(name, spec, neto::WireFormat::Json, env)?;
            let redactor = codec.redactor().clone();
            let crm = Crm::neto_over_http(codec, backend, config()).map_err(build_error(name))?;
            Ok((crm, redactor))
        }
    }
}

/// The set of the sandbox's `services`, each with its demo account.
fn sandbox_set(
    sandbox: &SandboxHandle,
    services: &[facade::Service],
    backend: Backend,
) -> Result<CrmSet<CrmTransport>, CommandError> {
    let mut builder = CrmSet::builder();
    for service in services {
        let name = service.as_str();
        let crm = match service {
            facade::Service::SecurityTrax => {
                let (endpoint, credentials) = sandbox_account(sandbox)?;
                let base_url = sandbox
                    .service_url(name)
                    .ok_or(NeutralError::NoSandboxService(name))?;
                let lead_endpoint =
                    leads::Endpoint::new(&base_url, sandbox::securitytrax::DEMO_SITE).map_err(
                        |source| StraxError::Endpoint {
                            profile: "embedded sandbox".to_owned(),
                            source,
                        },
                    )?;
                Crm::securitytrax_over_http(endpoint, credentials, lead_endpoint, backend, config())
            }
            facade::Service::Peoplevine => {
                let base_url = sandbox
                    .service_url(name)
                    .ok_or(NeutralError::NoSandboxService(name))?;
                let endpoint = peoplevine::Endpoint::new(&base_url).map_err(|violations| {
                    NeutralError::Endpoint {
                        profile: "embedded sandbox".to_owned(),
                        detail: violations.to_string(),
                    }
                })?;
                let grant = peoplevine::Grant::Password {
                    username: sandbox::peoplevine::DEMO_USERNAME.into(),
                    password: sandbox::peoplevine::DEMO_PASSWORD.into(),
                };
                Crm::peoplevine_over_http(endpoint, grant, backend, config())
            }
            facade::Service::Neto => {
                let codec = neto_room::sandbox_codec(sandbox, neto::WireFormat::Json)?;
                Crm::neto_over_http(codec, backend, config())
            }
            other => return Err(NeutralError::NoSandboxService(other.as_str()).into()),
        }
        .map_err(build_error(name))?;
        builder = builder.add(name, crm);
    }
    let set = builder.build().map_err(build_error("(the set)"))?;
    Ok(set)
}
