//! How a request proves who sends it: an API user and key, or an OAuth add-on's
//! key pair. Secrets are [`SecretString`]s: `Debug` shows `[REDACTED]`.

use secrecy::{ExposeSecret, SecretString};
use wire_core::Redactor;
use wire_core::validation::{Rule, Violation};

/// The header naming the action.
pub const ACTION_HEADER: &str = "NETOAPI_ACTION";
/// The header of the API user's name.
pub const USERNAME_HEADER: &str = "NETOAPI_USERNAME";
/// The header of the API user's secure key (a secret).
pub const KEY_HEADER: &str = "NETOAPI_KEY";
/// The header of an OAuth add-on's access key (a secret).
pub const ACCESS_KEY_HEADER: &str = "X_ACCESS_KEY";
/// The header of an OAuth add-on's secret key (a secret).
pub const SECRET_KEY_HEADER: &str = "X_SECRET_KEY";
/// The headers whose values are secrets.
pub const SECRET_HEADERS: &[&str] = &[KEY_HEADER, ACCESS_KEY_HEADER, SECRET_KEY_HEADER];

/// The credentials of a request.
///
/// ```
/// use neto_api::Credentials;
///
/// let credentials = Credentials::api_key("api-user", "s3cret-key");
/// assert!(!format!("{credentials:?}").contains("s3cret"));
/// assert_eq!(credentials.redactor().redact("bad key s3cret-key"), "bad key [redacted]");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// `NETOAPI_USERNAME` and `NETOAPI_KEY`, generated in the store's control panel.
    ApiKey {
        /// The API user's name.
        username: String,
        /// The secure key.
        key: SecretString,
    },
    /// `X_ACCESS_KEY` and `X_SECRET_KEY`, as OAuth add-ons send them.
    OAuth {
        /// The access key.
        access_key: SecretString,
        /// The secret key.
        secret_key: SecretString,
    },
}

impl Credentials {
    /// An API user and its secure key.
    #[must_use]
    pub fn api_key(username: impl Into<String>, key: impl Into<SecretString>) -> Self {
        Self::ApiKey {
            username: username.into(),
            key: key.into(),
        }
    }

    /// An OAuth add-on's key pair.
    #[must_use]
    pub fn oauth(access_key: impl Into<SecretString>, secret_key: impl Into<SecretString>) -> Self {
        Self::OAuth {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
        }
    }

    /// A redactor of every secret value here.
    #[must_use]
    pub fn redactor(&self) -> Redactor {
        match self {
            Self::ApiKey { key, .. } => Redactor::new([key.clone()]),
            Self::OAuth {
                access_key,
                secret_key,
            } => Redactor::new([access_key.clone(), secret_key.clone()]),
        }
    }

    /// The headers that carry them, as (name, value, secret).
    pub(crate) fn headers(&self) -> Vec<(&'static str, &str, bool)> {
        match self {
            Self::ApiKey { username, key } => vec![
                (USERNAME_HEADER, username.as_str(), false),
                (KEY_HEADER, key.expose_secret(), true),
            ],
            Self::OAuth {
                access_key,
                secret_key,
            } => vec![
                (ACCESS_KEY_HEADER, access_key.expose_secret(), true),
                (SECRET_KEY_HEADER, secret_key.expose_secret(), true),
            ],
        }
    }

    /// What makes them unusable: a blank value, or one a header cannot carry.
    pub(crate) fn violations(&self) -> Vec<Violation> {
        self.headers()
            .into_iter()
            .filter_map(|(name, value, _)| {
                if value.trim().is_empty() {
                    Some(Violation::of_request(name, Rule::Required))
                } else if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                    Some(Violation::of_request(
                        name,
                        Rule::Other {
                            code: "header_value",
                            message: "must be printable ASCII (it travels in an HTTP header)"
                                .into(),
                        },
                    ))
                } else {
                    None
                }
            })
            .collect()
    }
}
