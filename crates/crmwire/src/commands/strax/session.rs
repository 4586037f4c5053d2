//! [`Session`]: the SecurityTrax client a command uses, built from the selected
//! profile or, with `--sandbox`, against the embedded sandbox's demo account.

use facade::securitytrax::{Client, Credentials, Endpoint};
use facade::transport::{Backend, HttpTransport, Retrying, TransportConfig};
use sandbox::SandboxHandle;
use sandbox::securitytrax::{DEMO_PARTNER_ID, DEMO_PASSWORD, DEMO_SITE, DEMO_USERNAME};
use secrecy::SecretString;
use wire_core::Redactor;

use super::error::StraxError;
use super::profile::StraxAccount;
use crate::commands::{CommandError, Target, sandbox_config};
use crate::config::{Env, ProfileSpec};
use crate::output::Output;

/// A SecurityTrax client, and the in-process sandbox it talks to (if any).
pub(crate) struct Session {
    pub(crate) client: Client<Retrying<HttpTransport>>,
    sandbox: Option<SandboxHandle>,
}

impl Session {
    /// Builds the client for `target` over `backend`, and tells `output` the
    /// password so nothing printed can show it. For the sandbox, starts it and says
    /// so on stderr in one line.
    pub(crate) async fn open(
        output: &Output,
        target: &Target,
        backend: Backend,
    ) -> Result<Self, CommandError> {
        match target {
            Target::Profile { name, spec } => {
                let account = account(name, spec, &|variable| std::env::var(variable))?;
                output.redact_secrets(Redactor::new([account.password.clone()]));
                Ok(Self {
                    client: profile_client(name, account, backend)?,
                    sandbox: None,
                })
            }
            Target::Sandbox => {
                output.redact_secrets(Redactor::new([DEMO_PASSWORD]));
                let sandbox = ::sandbox::start(sandbox_config()).await?;
                let client = match sandbox_client(&sandbox, backend) {
                    Ok(client) => client,
                    Err(err) => {
                        sandbox.shutdown().await;
                        return Err(err.into());
                    }
                };
                output.notice(&format!(
                    "--sandbox: using the embedded sandbox (SecurityTrax demo account: site `{DEMO_SITE}`, user `{DEMO_USERNAME}`)"
                ));
                Ok(Self {
                    client,
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

/// The SecurityTrax account of profile `name`, its password read with `env`.
pub(crate) fn account(
    name: &str,
    spec: &ProfileSpec,
    env: Env<'_>,
) -> Result<StraxAccount, CommandError> {
    match spec {
        ProfileSpec::SecurityTrax(profile) => Ok(profile.resolve(name, env)?),
        other => Err(StraxError::WrongService {
            profile: name.to_owned(),
            service: other.service(),
        }
        .into()),
    }
}

/// A client of the sandbox's SecurityTrax service with the demo account.
pub(crate) fn sandbox_client(
    sandbox: &SandboxHandle,
    backend: Backend,
) -> Result<Client<Retrying<HttpTransport>>, StraxError> {
    let (endpoint, credentials) = sandbox_account(sandbox)?;
    http_client(endpoint, credentials, backend)
}

/// The sandbox's SecurityTrax endpoint and demo account.
pub(crate) fn sandbox_account(
    sandbox: &SandboxHandle,
) -> Result<(Endpoint, Credentials), StraxError> {
    let base_url = sandbox
        .service_url("securitytrax")
        .ok_or(StraxError::NoSandboxService)?;
    let endpoint = Endpoint::new(&base_url, DEMO_SITE).map_err(|source| StraxError::Endpoint {
        profile: "embedded sandbox".to_owned(),
        source,
    })?;
    let credentials = Credentials::new(DEMO_USERNAME, DEMO_PASSWORD, DEMO_PARTNER_ID);
    Ok((endpoint, credentials))
}

/// The endpoint and credentials of a profile's account.
pub(crate) fn profile_account(
    name: &str,
    account: StraxAccount,
) -> Result<(Endpoint, Credentials), StraxError> {
    let endpoint =
        Endpoint::new(&account.base_url, &account.site).map_err(|source| StraxError::Endpoint {
            profile: name.to_owned(),
            source,
        })?;
    let password: SecretString = account.password;
    let credentials = Credentials::with_secret(account.username, password, account.partner_id);
    Ok((endpoint, credentials))
}

/// A client of the profile's SecurityTrax site.
fn profile_client(
    name: &str,
    account: StraxAccount,
    backend: Backend,
) -> Result<Client<Retrying<HttpTransport>>, StraxError> {
    let (endpoint, credentials) = profile_account(name, account)?;
    http_client(endpoint, credentials, backend)
}

/// How every SecurityTrax command's transport is configured (the defaults:
/// `http://` only to loopback, the `crmwire/<version>` User-Agent).
pub(crate) fn transport_config() -> TransportConfig {
    TransportConfig::default()
}

fn http_client(
    endpoint: Endpoint,
    credentials: Credentials,
    backend: Backend,
) -> Result<Client<Retrying<HttpTransport>>, StraxError> {
    Client::over_http(endpoint, credentials, backend, transport_config())
        .map_err(|source| StraxError::Transport { backend, source })
}

#[cfg(test)]
mod tests {
    use std::env::VarError;

    use super::*;
    use crate::commands::neto::NetoProfile;
    use crate::commands::strax::StraxProfile;
    use crate::config::ConfigError;

    fn spec(base_url: &str) -> StraxProfile {
        StraxProfile {
            base_url: base_url.to_owned(),
            site: "acme".into(),
            username: "api-user".into(),
            partner_id: "77".into(),
            password_env: "ACME_PASSWORD".into(),
        }
    }

    fn with_password(name: &str) -> Result<String, VarError> {
        if name == "ACME_PASSWORD" {
            Ok("hunter2-secret".to_owned())
        } else {
            Err(VarError::NotPresent)
        }
    }

    fn client_of(profile: StraxProfile) -> Result<Client<Retrying<HttpTransport>>, CommandError> {
        let account = account("acme", &ProfileSpec::SecurityTrax(profile), &with_password)?;
        Ok(profile_client("acme", account, Backend::Reqwest)?)
    }

    #[test]
    fn a_profile_of_another_service_is_refused() {
        let neto = ProfileSpec::Neto(NetoProfile {
            base_url: "https://shop.example".into(),
            username: Some("u".into()),
            api_key_env: Some("K".into()),
            access_key_env: None,
            secret_key_env: None,
        });
        let err = account("shop", &neto, &with_password).unwrap_err();
        assert!(
            matches!(err, CommandError::Strax(StraxError::WrongService { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn a_profile_builds_the_endpoint_from_base_url_and_site() {
        let client = client_of(spec("https://crm.example.com/prefix")).unwrap();
        assert_eq!(
            client
                .endpoint()
                .url(facade::securitytrax::protocol::Script::Poster),
            "https://crm.example.com/prefix/acme/informationposter.php"
        );
        assert_eq!(client.credentials().username(), "api-user");
        assert_eq!(client.credentials().partner_id(), "77");
    }

    #[test]
    fn a_site_that_is_not_a_path_segment_is_an_endpoint_error() {
        let mut bad = spec("https://crm.example.com");
        bad.site = "a/b".into();
        let err = client_of(bad).unwrap_err();
        assert!(
            matches!(err, CommandError::Strax(StraxError::Endpoint { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("site name `a/b`"), "{err}");
    }

    #[test]
    fn a_missing_secret_variable_is_a_config_error() {
        let mut unset = spec("https://crm.example.com");
        unset.password_env = "CRMWIRE_TEST_SURELY_UNSET_PASSWORD".into();
        let err = client_of(unset).unwrap_err();
        assert!(
            matches!(err, CommandError::Config(ConfigError::MissingSecret { .. })),
            "{err:?}"
        );
    }
}
