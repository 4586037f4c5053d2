//! [`Session`]: the SecurityTrax client a command uses, built from the selected
//! profile or, when none is configured, against the embedded sandbox's demo account.

use facade::securitytrax::{Client, Credentials, Endpoint};
use facade::transport::{Backend, HttpTransport, TransportConfig};
use sandbox::SandboxHandle;
use sandbox::securitytrax::{DEMO_PARTNER_ID, DEMO_PASSWORD, DEMO_SITE, DEMO_USERNAME};
use secrecy::SecretString;

use super::error::StraxError;
use crate::commands::{CommandError, Target, sandbox_config};
use crate::config::{ConfigError, ProfileSpec, ServiceKind};
use crate::output::Output;

/// A SecurityTrax client, and the in-process sandbox it talks to (if any).
pub(crate) struct Session {
    pub(crate) client: Client<HttpTransport>,
    sandbox: Option<SandboxHandle>,
}

impl Session {
    /// Builds the client for `target` over `backend`. For the sandbox, starts it and
    /// says so on stderr in one line.
    pub(crate) async fn open(
        output: &Output,
        target: &Target,
        backend: Backend,
    ) -> Result<Self, CommandError> {
        match target {
            Target::Profile { name, spec } => Ok(Self {
                client: profile_client(name, spec, backend)?,
                sandbox: None,
            }),
            Target::Sandbox { reason } => {
                let sandbox = ::sandbox::start(sandbox_config()).await?;
                let client = match sandbox_client(&sandbox, backend) {
                    Ok(client) => client,
                    Err(err) => {
                        sandbox.shutdown().await;
                        return Err(err.into());
                    }
                };
                output.notice(&format!(
                    "{reason}; using the embedded sandbox (SecurityTrax demo account: site `{DEMO_SITE}`, user `{DEMO_USERNAME}`)"
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

/// A client of the sandbox's SecurityTrax service with the demo account.
pub(crate) fn sandbox_client(
    sandbox: &SandboxHandle,
    backend: Backend,
) -> Result<Client<HttpTransport>, StraxError> {
    let base_url = sandbox
        .service_url("securitytrax")
        .ok_or(StraxError::NoSandboxService)?;
    let endpoint = Endpoint::new(&base_url, DEMO_SITE).map_err(|source| StraxError::Endpoint {
        profile: "embedded sandbox".to_owned(),
        source,
    })?;
    let credentials = Credentials::new(DEMO_USERNAME, DEMO_PASSWORD, DEMO_PARTNER_ID);
    http_client(endpoint, credentials, backend)
}

/// A client of the profile's SecurityTrax site, its password read from the
/// environment variable the profile names.
fn profile_client(
    name: &str,
    spec: &ProfileSpec,
    backend: Backend,
) -> Result<Client<HttpTransport>, CommandError> {
    if spec.service != ServiceKind::SecurityTrax {
        return Err(StraxError::WrongService {
            profile: name.to_owned(),
            service: spec.service,
        }
        .into());
    }
    let profile = spec.resolve(name, |variable| std::env::var(variable).ok())?;
    let required = |field: &'static str, value: Option<String>| {
        value
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ConfigError::InvalidField {
                profile: name.to_owned(),
                field,
                rule: "is required for service `securitytrax`".to_owned(),
            })
    };
    let site = required("site", profile.site)?;
    let username = required("username", profile.username)?;
    let partner_id = required("partner_id", profile.partner_id)?;
    let password: SecretString = profile.password.ok_or_else(|| ConfigError::InvalidField {
        profile: name.to_owned(),
        field: "password_env",
        rule: "is required for service `securitytrax`".to_owned(),
    })?;
    let endpoint = Endpoint::new(&spec.base_url, &site).map_err(|source| StraxError::Endpoint {
        profile: name.to_owned(),
        source,
    })?;
    let credentials = Credentials::with_secret(username, password, partner_id);
    Ok(http_client(endpoint, credentials, backend)?)
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
) -> Result<Client<HttpTransport>, StraxError> {
    Client::over_http(endpoint, credentials, backend, transport_config())
        .map_err(|source| StraxError::Transport { backend, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(service: ServiceKind, base_url: &str) -> ProfileSpec {
        ProfileSpec {
            service,
            base_url: base_url.to_owned(),
            site: Some("acme".into()),
            username: Some("api-user".into()),
            partner_id: Some("77".into()),
            password_env: Some("PATH".into()),
            api_key_env: None,
            token_env: None,
        }
    }

    fn error_of(result: Result<Client<HttpTransport>, CommandError>) -> CommandError {
        match result {
            Ok(client) => panic!("expected an error, got {client:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn a_profile_of_another_service_is_refused() {
        let err = error_of(profile_client(
            "shop",
            &spec(ServiceKind::Neto, "https://shop.example"),
            Backend::Reqwest,
        ));
        assert!(
            matches!(err, CommandError::Strax(StraxError::WrongService { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn a_profile_builds_the_endpoint_from_base_url_and_site() {
        // `PATH` is set in any test environment; its value stands in for a password.
        let client = profile_client(
            "acme",
            &spec(ServiceKind::SecurityTrax, "https://crm.example.com/prefix"),
            Backend::Reqwest,
        )
        .unwrap();
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
        let mut bad = spec(ServiceKind::SecurityTrax, "https://crm.example.com");
        bad.site = Some("a/b".into());
        let err = error_of(profile_client("acme", &bad, Backend::Reqwest));
        assert!(
            matches!(err, CommandError::Strax(StraxError::Endpoint { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("site name `a/b`"), "{err}");
    }

    #[test]
    fn a_missing_secret_variable_is_a_config_error() {
        let mut unset = spec(ServiceKind::SecurityTrax, "https://crm.example.com");
        unset.password_env = Some("CRMWIRE_TEST_SURELY_UNSET_PASSWORD".into());
        let err = error_of(profile_client("acme", &unset, Backend::Reqwest));
        assert!(
            matches!(err, CommandError::Config(ConfigError::MissingSecret { .. })),
            "{err:?}"
        );
    }
}
