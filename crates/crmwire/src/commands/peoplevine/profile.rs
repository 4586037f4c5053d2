//! [`PeoplevineProfile`]: a `service = "peoplevine"` profile.

use serde::Deserialize;

use secrecy::SecretString;

use crate::config::{ConfigError, Env, ServiceKind, ServiceProfile, read_secret, require};

/// The API's documented base URL.
const DEFAULT_BASE_URL: &str = "https://api.peoplevine.com";

/// A Peoplevine account: an admin user whose password is in an environment
/// variable (the `password` grant of `POST /api/token`).
///
/// ```toml
/// [profiles.club]
/// service = "peoplevine"
/// username = "club-admin"
/// password_env = "CLUB_PEOPLEVINE_PASSWORD"
/// # base_url = "https://api.peoplevine.com"   (the default)
/// # company_id = "1234"                       (for a user-company token)
/// # region = "uk"                             (sent as the `Region` header)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeoplevineProfile {
    /// The API's base URL.
    #[serde(default = "default_base_url")]
    pub(crate) base_url: String,
    /// The admin user's name.
    pub(crate) username: String,
    /// The variable holding the user's password.
    pub(crate) password_env: String,
    /// The company a user-company token is for (not used yet: commands use
    /// the password grant).
    pub(crate) company_id: Option<String>,
    /// The account's region.
    pub(crate) region: Option<String>,
}

/// A profile's account with its password read from the environment.
pub(crate) struct PeoplevineAccount {
    pub(crate) base_url: String,
    pub(crate) username: String,
    pub(crate) password: SecretString,
    pub(crate) region: Option<String>,
}

impl PeoplevineProfile {
    /// The account, its password read with `env`.
    pub(crate) fn resolve(
        &self,
        profile: &str,
        env: Env<'_>,
    ) -> Result<PeoplevineAccount, ConfigError> {
        Ok(PeoplevineAccount {
            base_url: self.base_url.clone(),
            username: self.username.clone(),
            password: read_secret(profile, "password_env", &self.password_env, env)?,
            region: self.region.clone(),
        })
    }
}

fn default_base_url() -> String {
    DEFAULT_BASE_URL.to_owned()
}

impl ServiceProfile for PeoplevineProfile {
    const SERVICE: ServiceKind = ServiceKind::Peoplevine;

    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn secret_variables(&self) -> Vec<(&'static str, &str)> {
        vec![("password_env", &self.password_env)]
    }

    fn validate(&self, profile: &str) -> Result<(), ConfigError> {
        require(profile, "username", &self.username)?;
        if let Some(company_id) = &self.company_id {
            require(profile, "company_id", company_id)?;
        }
        if let Some(region) = &self.region {
            require(profile, "region", region)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{Config, ConfigError, ProfileSpec};

    #[test]
    fn the_base_url_defaults_to_the_api_and_the_password_is_required() {
        let config = Config::parse(
            Path::new("/c.toml"),
            "[profiles.club]\nservice = \"peoplevine\"\nusername = \"admin\"\npassword_env = \"PV\"\nregion = \"uk\"\n",
        )
        .unwrap();
        let ProfileSpec::Peoplevine(profile) = config.profile("club").unwrap() else {
            panic!("expected a peoplevine profile");
        };
        assert_eq!(profile.base_url, "https://api.peoplevine.com");
        assert_eq!(profile.region.as_deref(), Some("uk"));

        let err = Config::parse(
            Path::new("/c.toml"),
            "[profiles.club]\nservice = \"peoplevine\"\nusername = \"admin\"\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("missing field `password_env`"),
            "{err}"
        );
        let err = Config::parse(
            Path::new("/c.toml"),
            "[profiles.club]\nservice = \"peoplevine\"\nusername = \"admin\"\npassword_env = \"PV\"\nregion = \"\"\n",
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::InvalidField {
                    field: "region",
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
