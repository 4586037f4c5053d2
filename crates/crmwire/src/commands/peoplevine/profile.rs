//! [`PeoplevineProfile`]: a `service = "peoplevine"` profile.

use facade::peoplevine::Grant;
use serde::Deserialize;

use crate::config::{ConfigError, Env, ServiceKind, ServiceProfile, read_secret, require};

/// The API's documented base URL.
const DEFAULT_BASE_URL: &str = "https://api.peoplevine.com";

/// What a Peoplevine profile must say about its token grant.
const GRANT_RULE: &str = "is part of Peoplevine's token grant: give either `username` and \
     `password_env` (the password grant), or `access_token_env`, `refresh_token_env` and \
     `company_id` (the user-company grant), not both";

/// A Peoplevine account and one of the two grants of `POST /api/token`: an
/// admin user whose password is in an environment variable (the `password`
/// grant), or a user's own access and refresh tokens, each in an environment
/// variable, exchanged for a token acting for `company_id` (the user-company
/// grant, `grant_type=access_token`).
///
/// ```toml
/// [profiles.club]
/// service = "peoplevine"
/// username = "club-admin"
/// password_env = "CLUB_PEOPLEVINE_PASSWORD"
/// # base_url = "https://api.peoplevine.com"   (the default)
/// # region = "uk"                             (sent as the `Region` header)
///
/// [profiles.club-company]
/// service = "peoplevine"
/// access_token_env = "CLUB_PEOPLEVINE_ACCESS_TOKEN"
/// refresh_token_env = "CLUB_PEOPLEVINE_REFRESH_TOKEN"
/// company_id = "1234"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeoplevineProfile {
    /// The API's base URL.
    #[serde(default = "default_base_url")]
    pub(crate) base_url: String,
    /// The admin user's name (password grant).
    pub(crate) username: Option<String>,
    /// The variable holding the user's password (password grant).
    pub(crate) password_env: Option<String>,
    /// The variable holding the user's own access token (user-company grant).
    pub(crate) access_token_env: Option<String>,
    /// The variable holding the user's own refresh token (user-company grant).
    pub(crate) refresh_token_env: Option<String>,
    /// The company the user-company token acts for: its number.
    pub(crate) company_id: Option<String>,
    /// The account's region.
    pub(crate) region: Option<String>,
}

/// A profile's account with its grant's secrets read from the environment.
pub(crate) struct PeoplevineAccount {
    pub(crate) base_url: String,
    pub(crate) grant: Grant,
    pub(crate) region: Option<String>,
}

/// The grant a profile names, its fields checked.
enum GrantSpec<'a> {
    Password {
        username: &'a str,
        password_env: &'a str,
    },
    UserCompany {
        access_token_env: &'a str,
        refresh_token_env: &'a str,
        company_id: i64,
    },
}

impl PeoplevineProfile {
    /// The account, its grant's secrets read with `env`.
    pub(crate) fn resolve(
        &self,
        profile: &str,
        env: Env<'_>,
    ) -> Result<PeoplevineAccount, ConfigError> {
        let grant = match self.grant(profile)? {
            GrantSpec::Password {
                username,
                password_env,
            } => Grant::Password {
                username: username.to_owned(),
                password: read_secret(profile, "password_env", password_env, env)?,
            },
            GrantSpec::UserCompany {
                access_token_env,
                refresh_token_env,
                company_id,
            } => Grant::UserCompany {
                access_token: read_secret(profile, "access_token_env", access_token_env, env)?,
                refresh_token: read_secret(profile, "refresh_token_env", refresh_token_env, env)?,
                company_id,
            },
        };
        Ok(PeoplevineAccount {
            base_url: self.base_url.clone(),
            grant,
            region: self.region.clone(),
        })
    }

    /// Exactly one complete grant, or an error naming a field of the rule.
    fn grant(&self, profile: &str) -> Result<GrantSpec<'_>, ConfigError> {
        let invalid = |field: &'static str| ConfigError::InvalidField {
            profile: profile.to_owned(),
            field,
            rule: GRANT_RULE.to_owned(),
        };
        let password = (self.username.as_deref(), self.password_env.as_deref());
        let user_company = (
            self.access_token_env.as_deref(),
            self.refresh_token_env.as_deref(),
            self.company_id.as_deref(),
        );
        match (password, user_company) {
            ((Some(username), Some(password_env)), (None, None, None)) => {
                require(profile, "username", username)?;
                Ok(GrantSpec::Password {
                    username,
                    password_env,
                })
            }
            ((None, None), (Some(access_token_env), Some(refresh_token_env), Some(company_id))) => {
                Ok(GrantSpec::UserCompany {
                    access_token_env,
                    refresh_token_env,
                    company_id: parse_company_id(profile, company_id)?,
                })
            }
            ((username, password_env), (access, refresh, company)) => {
                let user_company = [
                    ("access_token_env", access.is_some()),
                    ("refresh_token_env", refresh.is_some()),
                    ("company_id", company.is_some()),
                ];
                let password = [
                    ("username", username.is_some()),
                    ("password_env", password_env.is_some()),
                ];
                let given =
                    |fields: &[(&'static str, bool)]| fields.iter().any(|(_, given)| *given);
                let missing = |fields: &[(&'static str, bool)]| {
                    fields
                        .iter()
                        .find(|(_, given)| !*given)
                        .map(|(field, _)| *field)
                };
                let field = if given(&user_company) && given(&password) {
                    // Both grants: the first field of the second one.
                    user_company
                        .iter()
                        .find(|(_, given)| *given)
                        .map(|(field, _)| *field)
                } else if given(&user_company) {
                    missing(&user_company)
                } else {
                    missing(&password)
                };
                Err(invalid(field.unwrap_or("password_env")))
            }
        }
    }
}

/// `company_id` as the number the grant sends: digits, not zero.
fn parse_company_id(profile: &str, company_id: &str) -> Result<i64, ConfigError> {
    company_id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0 && company_id.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ConfigError::InvalidField {
            profile: profile.to_owned(),
            field: "company_id",
            rule: "must be the company's number (digits, such as \"1234\")".to_owned(),
        })
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
        [
            ("password_env", self.password_env.as_deref()),
            ("access_token_env", self.access_token_env.as_deref()),
            ("refresh_token_env", self.refresh_token_env.as_deref()),
        ]
        .into_iter()
        .filter_map(|(key, variable)| variable.map(|variable| (key, variable)))
        .collect()
    }

    fn validate(&self, profile: &str) -> Result<(), ConfigError> {
        self.grant(profile)?;
        if let Some(region) = &self.region {
            require(profile, "region", region)?;
        }
        Ok(())
    }
}
#[cfg(test)]
mod tests {
    use std::path::Path;

    use facade::peoplevine::Grant;
    use secrecy::ExposeSecret;

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
            matches!(
                err,
                ConfigError::InvalidField {
                    field: "password_env",
                    ..
                }
            ),
            "{err:?}"
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

    fn parse(grant: &str) -> Result<Config, ConfigError> {
        Config::parse(
            Path::new("/c.toml"),
            &format!("[profiles.club]\nservice = \"peoplevine\"\n{grant}"),
        )
    }

    const PASSWORD: &str = "username = \"admin\"\npassword_env = \"PV\"\n";
    const USER_COMPANY: &str = "access_token_env = \"PV_ACCESS\"\nrefresh_token_env = \"PV_REFRESH\"\ncompany_id = \"42\"\n";

    #[test]
    fn the_user_company_grant_reads_both_tokens_from_the_environment() {
        let config = parse(USER_COMPANY).unwrap();
        let ProfileSpec::Peoplevine(profile) = config.profile("club").unwrap() else {
            panic!("expected a peoplevine profile");
        };
        let env = |variable: &str| match variable {
            "PV_ACCESS" => Ok("the-access".to_owned()),
            "PV_REFRESH" => Ok("the-refresh".to_owned()),
            _ => Err(std::env::VarError::NotPresent),
        };
        let account = profile.resolve("club", &env).unwrap();
        let Grant::UserCompany {
            access_token,
            refresh_token,
            company_id,
        } = &account.grant
        else {
            panic!("expected the user-company grant: {:?}", account.grant);
        };
        assert_eq!(access_token.expose_secret(), "the-access");
        assert_eq!(refresh_token.expose_secret(), "the-refresh");
        assert_eq!(*company_id, 42);

        let missing = |variable: &str| match variable {
            "PV_ACCESS" => Ok("the-access".to_owned()),
            _ => Err(std::env::VarError::NotPresent),
        };
        let err = profile.resolve("club", &missing).err().unwrap();
        assert!(
            matches!(err, ConfigError::MissingSecret { key: "refresh_token_env", ref variable, .. } if variable == "PV_REFRESH"),
            "{err:?}"
        );
    }

    #[test]
    fn exactly_one_complete_grant() {
        assert!(parse(PASSWORD).is_ok());
        assert!(parse(USER_COMPANY).is_ok());
        let both = format!("{PASSWORD}{USER_COMPANY}");
        for (grant, field) in [
            ("", "username"),
            (both.as_str(), "access_token_env"),
            (
                "username = \"admin\"\npassword_env = \"PV\"\ncompany_id = \"42\"\n",
                "company_id",
            ),
            ("username = \"admin\"\n", "password_env"),
            ("password_env = \"PV\"\n", "username"),
            (
                "refresh_token_env = \"R\"\ncompany_id = \"42\"\n",
                "access_token_env",
            ),
            (
                "access_token_env = \"A\"\ncompany_id = \"42\"\n",
                "refresh_token_env",
            ),
            (
                "access_token_env = \"A\"\nrefresh_token_env = \"R\"\n",
                "company_id",
            ),
        ] {
            let err = parse(grant).unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidField { field: f, ref profile, .. } if f == field && profile == "club"),
                "{grant:?}: {err:?}"
            );
            let message = err.to_string();
            assert!(message.starts_with("profile `club`: "), "{message}");
            assert!(
                message.contains("either `username` and `password_env`"),
                "{message}"
            );
            assert!(message.contains("not both"), "{message}");
        }
        for company_id in ["", "abc", "0", "-4", "+4", "99999999999999999999"] {
            let err = parse(&format!(
                "access_token_env = \"A\"\nrefresh_token_env = \"R\"\ncompany_id = \"{company_id}\"\n"
            ))
            .unwrap_err();
            assert!(
                matches!(
                    err,
                    ConfigError::InvalidField {
                        field: "company_id",
                        ..
                    }
                ),
                "{company_id:?}: {err:?}"
            );
        }
    }

    #[test]
    fn literal_tokens_are_refused_pointing_to_their_env_keys() {
        for (key, env_key) in [
            ("access_token", "access_token_env"),
            ("refresh_token", "refresh_token_env"),
        ] {
            let err = parse(&format!("{key} = \"tok-s3cr3t\"\ncompany_id = \"42\"\n")).unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, ConfigError::LiteralSecret { key: k, .. } if k == key),
                "{err:?}"
            );
            assert!(message.contains(&format!("`{env_key} = ")), "{message}");
            assert!(!message.contains("tok-s3cr3t"), "{message}");
        }
    }
}
