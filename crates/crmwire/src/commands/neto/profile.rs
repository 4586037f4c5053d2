//! [`NetoProfile`]: a `service = "neto"` profile.

use serde::Deserialize;

use crate::config::{ConfigError, ServiceKind, ServiceProfile, require};

/// A Neto store and one of its two ways to authenticate: an API user
/// (`username` and `api_key_env`: the `NETOAPI_USERNAME` and `NETOAPI_KEY`
/// headers) or an OAuth add-on's pair (`access_key_env` and `secret_key_env`:
/// `X_ACCESS_KEY` and `X_SECRET_KEY`).
///
/// ```toml
/// [profiles.shop]
/// service = "neto"
/// base_url = "https://shop.example.com"     # the store's domain
/// username = "api-user"
/// api_key_env = "SHOP_NETO_KEY"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NetoProfile {
    /// The store's URL (`https://<store-domain>`).
    pub(crate) base_url: String,
    /// The API user (with `api_key_env`).
    pub(crate) username: Option<String>,
    /// The variable holding the API user's key.
    pub(crate) api_key_env: Option<String>,
    /// The variable holding an OAuth add-on's access key (with `secret_key_env`).
    pub(crate) access_key_env: Option<String>,
    /// The variable holding an OAuth add-on's secret key.
    pub(crate) secret_key_env: Option<String>,
}

/// What a Neto profile must say about authentication.
const AUTH_RULE: &str = "is part of Neto's authentication: give either `username` and \
     `api_key_env`, or `access_key_env` and `secret_key_env`";

impl ServiceProfile for NetoProfile {
    const SERVICE: ServiceKind = ServiceKind::Neto;

    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn secret_variables(&self) -> Vec<(&'static str, &str)> {
        [
            ("api_key_env", self.api_key_env.as_deref()),
            ("access_key_env", self.access_key_env.as_deref()),
            ("secret_key_env", self.secret_key_env.as_deref()),
        ]
        .into_iter()
        .filter_map(|(key, variable)| variable.map(|variable| (key, variable)))
        .collect()
    }

    fn validate(&self, profile: &str) -> Result<(), ConfigError> {
        let invalid = |field: &'static str| ConfigError::InvalidField {
            profile: profile.to_owned(),
            field,
            rule: AUTH_RULE.to_owned(),
        };
        let api_user = (self.username.as_deref(), self.api_key_env.as_deref());
        let oauth = (
            self.access_key_env.as_deref(),
            self.secret_key_env.as_deref(),
        );
        match (api_user, oauth) {
            ((Some(username), Some(_)), (None, None)) => require(profile, "username", username),
            ((None, None), (Some(_), Some(_))) => Ok(()),
            ((Some(_), None), _) => Err(invalid("api_key_env")),
            ((None, Some(_)), _) => Err(invalid("username")),
            ((None, None), (Some(_), None)) => Err(invalid("secret_key_env")),
            _ => Err(invalid("access_key_env")),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{Config, ConfigError};

    fn parse(auth: &str) -> Result<Config, ConfigError> {
        Config::parse(
            Path::new("/c.toml"),
            &format!(
                "[profiles.shop]\nservice = \"neto\"\nbase_url = \"https://shop.example\"\n{auth}"
            ),
        )
    }

    #[test]
    fn either_the_api_user_or_the_oauth_pair() {
        assert!(parse("username = \"u\"\napi_key_env = \"K\"\n").is_ok());
        assert!(parse("access_key_env = \"A\"\nsecret_key_env = \"S\"\n").is_ok());
        for (auth, field) in [
            ("", "access_key_env"),
            ("username = \"u\"\n", "api_key_env"),
            ("api_key_env = \"K\"\n", "username"),
            ("access_key_env = \"A\"\n", "secret_key_env"),
            (
                "username = \"u\"\napi_key_env = \"K\"\naccess_key_env = \"A\"\nsecret_key_env = \"S\"\n",
                "access_key_env",
            ),
        ] {
            let err = parse(auth).unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidField { field: f, .. } if f == field),
                "{auth:?}: {err:?}"
            );
            assert!(err.to_string().contains("either `username`"), "{err}");
        }
    }
}
