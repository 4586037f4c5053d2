//! [`StraxProfile`]: a `service = "securitytrax"` profile.

use secrecy::SecretString;
use serde::Deserialize;

use crate::config::{ConfigError, Env, ServiceKind, ServiceProfile, read_secret, require};

/// A SecurityTrax company's API account; every field is required.
///
/// ```toml
/// [profiles.acme]
/// service = "securitytrax"
/// base_url = "https://secure.securitytrax.com"
/// site = "acme"
/// username = "api-user"
/// partner_id = "1234"
/// password_env = "ACME_STRAX_PASSWORD"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StraxProfile {
    /// The server, e.g. `https://secure.securitytrax.com`.
    pub(crate) base_url: String,
    /// The company's site name (the first path segment).
    pub(crate) site: String,
    /// The API user.
    pub(crate) username: String,
    /// The partner id SecurityTrax gave the integration.
    pub(crate) partner_id: String,
    /// The variable holding the API user's password.
    pub(crate) password_env: String,
}

/// A profile with its password read from the environment.
#[derive(Debug)]
pub(crate) struct StraxAccount {
    pub(crate) base_url: String,
    pub(crate) site: String,
    pub(crate) username: String,
    pub(crate) partner_id: String,
    pub(crate) password: SecretString,
}

impl ServiceProfile for StraxProfile {
    const SERVICE: ServiceKind = ServiceKind::SecurityTrax;

    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn secret_variables(&self) -> Vec<(&'static str, &str)> {
        vec![("password_env", &self.password_env)]
    }

    fn validate(&self, profile: &str) -> Result<(), ConfigError> {
        require(profile, "site", &self.site)?;
        require(profile, "username", &self.username)?;
        require(profile, "partner_id", &self.partner_id)
    }
}

impl StraxProfile {
    /// The account, its password read with `env`.
    pub(crate) fn resolve(&self, profile: &str, env: Env<'_>) -> Result<StraxAccount, ConfigError> {
        Ok(StraxAccount {
            base_url: self.base_url.clone(),
            site: self.site.clone(),
            username: self.username.clone(),
            partner_id: self.partner_id.clone(),
            password: read_secret(profile, "password_env", &self.password_env, env)?,
        })
    }
}
