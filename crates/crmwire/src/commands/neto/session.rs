//! [`Session`]: the Neto client a command uses, built from the selected
//! profile or, with `--sandbox`, against the embedded sandbox's demo store.

use facade::neto::{Client, Codec, Credentials, Endpoint, PacedHttp, WireFormat};
use facade::transport::{Backend, TransportConfig};
use sandbox::SandboxHandle;
use sandbox::neto::{DEMO_API_KEY, DEMO_API_USERNAME, DEMO_CUSTOMERS, DEMO_STORE};
use secrecy::SecretString;

use super::error::NetoError;
use crate::commands::{CommandError, SANDBOX_STARTS_EMPTY, Target, sandbox_config};
use crate::config::{Env, ProfileSpec, read_secret};
use crate::output::Output;

/// A Neto client, and the in-process sandbox it talks to (if any).
pub(crate) struct Session {
    pub(crate) client: Client<PacedHttp>,
    sandbox: Option<SandboxHandle>,
}

impl Session {
    /// Builds the client for `target` in `format` over `backend`, and tells
    /// `output` the secrets so nothing printed can show them.
    pub(crate) async fn open(
        output: &Output,
        target: &Target,
        backend: Backend,
        format: WireFormat,
    ) -> Result<Self, CommandError> {
        let codec = match target {
            Target::Profile { name, spec } => codec(name, spec, format, &|v| std::env::var(v))?,
            Target::Sandbox => {
                let sandbox = ::sandbox::start(sandbox_config()).await?;
                let codec = match sandbox_codec(&sandbox, format) {
                    Ok(codec) => codec,
                    Err(error) => {
                        sandbox.shutdown().await;
                        return Err(error.into());
                    }
                };
                output.redact_secrets(codec.redactor().clone());
                output.notice(&format!(
                    "--sandbox: using the embedded sandbox (Neto demo store `{DEMO_STORE}`, API user \
                     `{DEMO_API_USERNAME}`; demo customer usernames {}); {SANDBOX_STARTS_EMPTY}",
                    DEMO_CUSTOMERS.join(", "),
                ));
                let client = match http_client(codec, backend) {
                    Ok(client) => client,
                    Err(error) => {
                        sandbox.shutdown().await;
                        return Err(error.into());
                    }
                };
                return Ok(Self {
                    client,
                    sandbox: Some(sandbox),
                });
            }
        };
        output.redact_secrets(codec.redactor().clone());
        Ok(Self {
            client: http_client(codec, backend)?,
            sandbox: None,
        })
    }

    /// Stops the sandbox, if one was started.
    pub(crate) async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// The codec of profile `name`: its store and credentials, secrets read with `env`.
pub(crate) fn codec(
    name: &str,
    spec: &ProfileSpec,
    format: WireFormat,
    env: Env<'_>,
) -> Result<Codec, CommandError> {
    let ProfileSpec::Neto(profile) = spec else {
        return Err(NetoError::WrongService {
            profile: name.to_owned(),
            service: spec.service(),
        }
        .into());
    };
    let endpoint = Endpoint::under(&profile.base_url).map_err(|source| NetoError::Endpoint {
        profile: name.to_owned(),
        source,
    })?;
    let credentials = match (&profile.username, &profile.api_key_env) {
        (Some(username), Some(key_env)) => {
            let key: SecretString = read_secret(name, "api_key_env", key_env, env)?;
            Credentials::api_key(username.clone(), key)
        }
        _ => {
            let access = profile.access_key_env.as_deref().unwrap_or_default();
            let secret = profile.secret_key_env.as_deref().unwrap_or_default();
            Credentials::oauth(
                read_secret(name, "access_key_env", access, env)?,
                read_secret(name, "secret_key_env", secret, env)?,
            )
        }
    };
    Ok(Codec::new(endpoint, credentials, format))
}

/// The codec of the sandbox's demo store and API user.
pub(crate) fn sandbox_codec(
    sandbox: &SandboxHandle,
    format: WireFormat,
) -> Result<Codec, NetoError> {
    let base = sandbox
        .service_url("neto")
        .ok_or(NetoError::NoSandboxService)?;
    let endpoint =
        Endpoint::under(&format!("{base}/{DEMO_STORE}")).map_err(|source| NetoError::Endpoint {
            profile: "embedded sandbox".to_owned(),
            source,
        })?;
    Ok(Codec::new(
        endpoint,
        Credentials::api_key(DEMO_API_USERNAME, DEMO_API_KEY),
        format,
    ))
}

/// A client paced under Neto's limit, with the default transport settings.
fn http_client(codec: Codec, backend: Backend) -> Result<Client<PacedHttp>, NetoError> {
    Client::over_http(codec, backend, transport_config())
        .map_err(|source| NetoError::Transport { backend, source })
}

/// How every Neto command's transport is configured.
pub(crate) fn transport_config() -> TransportConfig {
    TransportConfig::default()
}
