//! The configuration file: named profiles, one per CRM account, each typed by its
//! service.
//!
//! ```toml
//! [profiles.acme]
//! service = "securitytrax"
//! base_url = "https://secure.securitytrax.com"
//! site = "acme"
//! username = "api-user"
//! partner_id = "1234"
//! password_env = "ACME_STRAX_PASSWORD"   # secrets only ever come from the environment
//! ```
//!
//! `service` selects the profile type ([`ProfileSpec`], serde's internally tagged
//! enum); each service's type lives beside its commands
//! (`commands::<service>::profile`) and says which fields it requires. Secrets are
//! never written in the file: a profile names the environment variable that holds
//! each one (`password_env`, `api_key_env`, …), read by [`read_secret`].

use std::collections::BTreeMap;
use std::env::VarError;
use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::commands::neto::NetoProfile;
use crate::commands::peoplevine::PeoplevineProfile;
use crate::commands::strax::StraxProfile;

/// The environment variable that names the config file.
pub(crate) const CONFIG_ENV: &str = "CRMWIRE_CONFIG";
/// The environment variable that names the profile.
pub(crate) const PROFILE_ENV: &str = "CRMWIRE_PROFILE";
/// The profile used when none is named.
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// Keys that would put a secret in the file, and the key to use instead.
const LITERAL_SECRET_KEYS: [(&str, &str); 7] = [
    ("password", "password_env"),
    ("api_key", "api_key_env"),
    ("token", "token_env"),
    ("access_key", "access_key_env"),
    ("secret_key", "secret_key_env"),
    ("access_token", "access_token_env"),
    ("refresh_token", "refresh_token_env"),
];

/// How the process environment is read: [`std::env::var`] in production, a table
/// in tests.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Result<String, VarError>;

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum ConfigError {
    /// A config file named explicitly (`--config` or `$CRMWIRE_CONFIG`) does not exist.
    #[error(
        "config file {} does not exist (it is named by --config or ${CONFIG_ENV}; \
         only the default location may be absent)",
        path.display()
    )]
    NotFound { path: PathBuf },
    /// The file exists but could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not match the profile schema.
    #[error("invalid config file {}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    /// A profile writes a secret in the file.
    #[error(
        "profile `{profile}` in {} sets `{key}` directly; secrets only come from the environment: \
         use `{env_key} = \"VARIABLE_NAME\"` instead",
        path.display()
    )]
    LiteralSecret {
        path: PathBuf,
        profile: String,
        key: &'static str,
        env_key: &'static str,
    },
    /// A profile's field breaks its rule.
    #[error("profile `{profile}`: `{field}` {rule}")]
    InvalidField {
        profile: String,
        field: &'static str,
        rule: String,
    },
    /// The selected profile is not in the file.
    #[error(
        "profile `{profile}` not found in {}; known profiles: {}",
        path.display(),
        known_list(known)
    )]
    ProfileNotFound {
        path: PathBuf,
        profile: String,
        known: Vec<String>,
    },
    /// A service command runs with no profile configured and without `--sandbox`.
    #[error(
        "no profile configured ({reason}); add a `[profiles.{profile}]` with \
         `service = \"{service}\"` to {} (see `crmwire profiles` and the README), \
         or try the embedded sandbox with --sandbox",
        location_hint(path.as_deref())
    )]
    NoProfile {
        reason: String,
        path: Option<PathBuf>,
        profile: String,
        service: ServiceKind,
    },
    /// A secret's environment variable is not set (or empty).
    #[error(
        "profile `{profile}`: environment variable `{variable}` (named by `{key}`) is not set or empty"
    )]
    MissingSecret {
        profile: String,
        key: &'static str,
        variable: String,
    },
    /// A secret's environment variable is set but is not valid UTF-8.
    #[error(
        "profile `{profile}`: environment variable `{variable}` (named by `{key}`) is not valid UTF-8"
    )]
    SecretNotUnicode {
        profile: String,
        key: &'static str,
        variable: String,
    },
    /// A single-service command was given more than one `--profile`.
    #[error("`crmwire {command} …` takes one --profile; got {count}")]
    OneProfile { command: &'static str, count: usize },
    /// A service-neutral command was given no profile and no `--sandbox`.
    #[error(
        "no profile named: `crmwire {command} …` sends to each profile named with \
         --profile NAME (repeat it for more; configure them in {}, see `crmwire profiles` \
         and the README), or try the embedded sandbox with --sandbox",
        location_hint(path.as_deref())
    )]
    NoProfiles {
        command: &'static str,
        path: Option<PathBuf>,
    },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "(none)".to_owned()
    } else {
        known.join(", ")
    }
}

fn location_hint(path: Option<&Path>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => format!("a config file named by --config or ${CONFIG_ENV}"),
    }
}

/// The CRM a profile talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ServiceKind {
    /// SecurityTrax (legacy XML and lead posts).
    SecurityTrax,
    /// Peoplevine customer notes (REST, JSON).
    Peoplevine,
    /// Neto by Maropost.
    Neto,
}

impl ServiceKind {
    /// The name used in the config file and as the sandbox mount point.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::SecurityTrax => "securitytrax",
            Self::Peoplevine => "peoplevine",
            Self::Neto => "neto",
        }
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What every service's profile type tells the shared code.
pub(crate) trait ServiceProfile {
    /// The service it is for.
    const SERVICE: ServiceKind;

    /// The service's base URL, as written.
    fn base_url(&self) -> &str;

    /// Every secret the profile names: (key, environment variable).
    fn secret_variables(&self) -> Vec<(&'static str, &str)>;

    /// The rules serde cannot express (blank values, choices between fields).
    /// The base URL and the variable names are checked by the shared code.
    fn validate(&self, profile: &str) -> Result<(), ConfigError>;
}

/// A profile as written in the file (secrets by variable name only), typed by its
/// `service`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "service")]
pub(crate) enum ProfileSpec {
    /// `service = "securitytrax"`.
    #[serde(rename = "securitytrax")]
    SecurityTrax(StraxProfile),
    /// `service = "peoplevine"`: used by `crmwire peoplevine` (`pv`).
    #[serde(rename = "peoplevine")]
    Peoplevine(PeoplevineProfile),
    /// `service = "neto"`: used by `crmwire neto`.
    #[serde(rename = "neto")]
    Neto(NetoProfile),
}

impl ProfileSpec {
    /// The service the profile is for.
    pub(crate) fn service(&self) -> ServiceKind {
        match self {
            Self::SecurityTrax(_) => StraxProfile::SERVICE,
            Self::Peoplevine(_) => PeoplevineProfile::SERVICE,
            Self::Neto(_) => NetoProfile::SERVICE,
        }
    }

    /// The service's base URL, as written.
    pub(crate) fn base_url(&self) -> &str {
        self.as_service().base_url()
    }

    fn secret_variables(&self) -> Vec<(&'static str, &str)> {
        self.as_service().secret_variables()
    }

    fn as_service(&self) -> &dyn DynProfile {
        match self {
            Self::SecurityTrax(profile) => profile,
            Self::Peoplevine(profile) => profile,
            Self::Neto(profile) => profile,
        }
    }

    /// Checks the rules serde cannot express.
    fn validate(&self, profile: &str) -> Result<(), ConfigError> {
        parse_base_url(profile, self.base_url())?;
        for (key, variable) in self.secret_variables() {
            let valid = !variable.is_empty()
                && variable
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid {
                return Err(ConfigError::InvalidField {
                    profile: profile.to_owned(),
                    field: key,
                    rule: "must name an environment variable (ASCII letters, digits and `_`)"
                        .to_owned(),
                });
            }
        }
        self.as_service().validate_dyn(profile)
    }

    /// Reads every secret the profile names with `env`, to say whether the profile
    /// is ready; the values are dropped at once.
    pub(crate) fn check_secrets(&self, profile: &str, env: Env<'_>) -> Result<(), ConfigError> {
        for (key, variable) in self.secret_variables() {
            read_secret(profile, key, variable, env)?;
        }
        Ok(())
    }
}

/// [`ServiceProfile`] without its constant, so the variants can be used alike.
trait DynProfile {
    fn base_url(&self) -> &str;
    fn secret_variables(&self) -> Vec<(&'static str, &str)>;
    fn validate_dyn(&self, profile: &str) -> Result<(), ConfigError>;
}

impl<P: ServiceProfile> DynProfile for P {
    fn base_url(&self) -> &str {
        ServiceProfile::base_url(self)
    }

    fn secret_variables(&self) -> Vec<(&'static str, &str)> {
        ServiceProfile::secret_variables(self)
    }

    fn validate_dyn(&self, profile: &str) -> Result<(), ConfigError> {
        ServiceProfile::validate(self, profile)
    }
}

/// Reads the secret `key` of `profile` from the environment variable `variable`:
/// unset, empty and non-UTF-8 values are errors naming the variable (never the
/// value).
pub(crate) fn read_secret(
    profile: &str,
    key: &'static str,
    variable: &str,
    env: Env<'_>,
) -> Result<SecretString, ConfigError> {
    match env(variable) {
        Ok(value) if !value.is_empty() => Ok(SecretString::from(value)),
        Ok(_) | Err(VarError::NotPresent) => Err(ConfigError::MissingSecret {
            profile: profile.to_owned(),
            key,
            variable: variable.to_owned(),
        }),
        Err(VarError::NotUnicode(_)) => Err(ConfigError::SecretNotUnicode {
            profile: profile.to_owned(),
            key,
            variable: variable.to_owned(),
        }),
    }
}

/// `value` of the required `field`, or an error when it is blank.
pub(crate) fn require(profile: &str, field: &'static str, value: &str) -> Result<(), ConfigError> {
    if value.trim().is_empty() {
        Err(ConfigError::InvalidField {
            profile: profile.to_owned(),
            field,
            rule: "must not be blank".to_owned(),
        })
    } else {
        Ok(())
    }
}

/// The profile's base URL: `https://` or `http://` with a host.
pub(crate) fn parse_base_url(profile: &str, base_url: &str) -> Result<http::Uri, ConfigError> {
    let invalid = |rule: String| ConfigError::InvalidField {
        profile: profile.to_owned(),
        field: "base_url",
        rule,
    };
    let uri: http::Uri = base_url
        .parse()
        .map_err(|_| invalid(format!("`{base_url}` is not a valid URL")))?;
    match uri.scheme_str() {
        Some("https" | "http") => {}
        _ => {
            return Err(invalid(format!(
                "`{base_url}` must start with https:// or http://"
            )));
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid(format!("`{base_url}` has no host")));
    }
    Ok(uri)
}

/// The file's top level.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, toml::Value>,
}

/// A parsed, validated configuration file.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    path: PathBuf,
    profiles: BTreeMap<String, ProfileSpec>,
}

/// Where the config file is looked for, and whether it must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConfigLocation {
    /// Named with `--config` or `$CRMWIRE_CONFIG`: it must exist.
    Explicit(PathBuf),
    /// The default location: it may be absent.
    Default(PathBuf),
    /// Neither named nor derivable (`$XDG_CONFIG_HOME` and `$HOME` unusable).
    Unknown,
}

impl ConfigLocation {
    /// The location from `--config`/`$CRMWIRE_CONFIG` (already merged by clap into
    /// `explicit`), else the default path derived from `env`.
    pub(crate) fn find(explicit: Option<PathBuf>, env: impl Fn(&str) -> Option<String>) -> Self {
        match explicit {
            Some(path) => Self::Explicit(path),
            None => default_config_path(env).map_or(Self::Unknown, Self::Default),
        }
    }

    /// The file's path, when there is one.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Self::Explicit(path) | Self::Default(path) => Some(path),
            Self::Unknown => None,
        }
    }

    /// Reads the file: `Ok(None)` when the default location has no file (or there is
    /// no location), an error when an explicitly named file is missing.
    pub(crate) fn load(&self) -> Result<Option<Config>, ConfigError> {
        match self {
            Self::Explicit(path) => match Config::load(path)? {
                Some(config) => Ok(Some(config)),
                None => Err(ConfigError::NotFound { path: path.clone() }),
            },
            Self::Default(path) => Config::load(path),
            Self::Unknown => Ok(None),
        }
    }
}

/// Where the config file is by default: `$XDG_CONFIG_HOME/crmwire/config.toml`, else
/// `$HOME/.config/crmwire/config.toml`; `None` when neither variable is usable.
pub(crate) fn default_config_path(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let usable = |name: &str| env(name).filter(|v| !v.is_empty() && Path::new(v).is_absolute());
    if let Some(xdg) = usable("XDG_CONFIG_HOME") {
        return Some(Path::new(&xdg).join("crmwire").join("config.toml"));
    }
    usable("HOME").map(|home| {
        Path::new(&home)
            .join(".config")
            .join("crmwire")
            .join("config.toml")
    })
}

impl Config {
    /// Reads `path`; `Ok(None)` when there is no file there.
    pub(crate) fn load(path: &Path) -> Result<Option<Self>, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(path, &text).map(Some),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Parses and validates the text of the file at `path`.
    pub(crate) fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let parse_error = |message: String| ConfigError::Parse {
            path: path.to_owned(),
            message: message.trim_end().to_owned(),
        };
        let table: toml::Table =
            toml::from_str(text).map_err(|err: toml::de::Error| parse_error(err.to_string()))?;
        refuse_literal_secrets(path, &table)?;
        let file: ConfigFile =
            toml::from_str(text).map_err(|err: toml::de::Error| parse_error(err.to_string()))?;
        let mut profiles = BTreeMap::new();
        // One profile at a time, so an error names the profile it is in (serde's
        // messages for a tagged enum carry no position).
        for (name, value) in file.profiles {
            let spec = ProfileSpec::deserialize(value)
                .map_err(|err| parse_error(format!("profile `{name}`: {err}")))?;
            spec.validate(&name)?;
            profiles.insert(name, spec);
        }
        Ok(Self {
            path: path.to_owned(),
            profiles,
        })
    }

    /// Where the file was read from.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The profiles, by name.
    pub(crate) fn profiles(&self) -> &BTreeMap<String, ProfileSpec> {
        &self.profiles
    }

    /// The profile called `name`, or an error listing the known ones.
    pub(crate) fn profile(&self, name: &str) -> Result<&ProfileSpec, ConfigError> {
        self.profiles
            .get(name)
            .ok_or_else(|| ConfigError::ProfileNotFound {
                path: self.path.clone(),
                profile: name.to_owned(),
                known: self.profiles.keys().cloned().collect(),
            })
    }
}

/// Refuses `password`, `api_key`, `token`, `access_key`, `secret_key`,
/// `access_token` and `refresh_token` in any profile, before the typed parse
/// (which would only say "unknown field").
fn refuse_literal_secrets(path: &Path, table: &toml::Table) -> Result<(), ConfigError> {
    let Some(toml::Value::Table(profiles)) = table.get("profiles") else {
        return Ok(());
    };
    for (profile, value) in profiles {
        let toml::Value::Table(fields) = value else {
            continue;
        };
        for (key, env_key) in LITERAL_SECRET_KEYS {
            if fields.contains_key(key) {
                return Err(ConfigError::LiteralSecret {
                    path: path.to_owned(),
                    profile: profile.clone(),
                    key,
                    env_key,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    const GOOD: &str = r#"
[profiles.acme]
service = "securitytrax"
base_url = "https://secure.securitytrax.com"
site = "acme"
username = "api-user"
partner_id = "1234"
password_env = "ACME_STRAX_PASSWORD"

[profiles.shop]
service = "neto"
base_url = "https://shop.example.com"
username = "neto-user"
api_key_env = "SHOP_NETO_KEY"

[profiles.club]
service = "peoplevine"
username = "club-admin"
password_env = "CLUB_PASSWORD"
"#;

    fn path() -> &'static Path {
        Path::new("/test/config.toml")
    }

    /// An environment holding `pairs`.
    fn env_of(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Result<String, VarError> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
                .ok_or(VarError::NotPresent)
        }
    }

    fn strax(config: &Config, name: &str) -> StraxProfile {
        match config.profile(name).unwrap() {
            ProfileSpec::SecurityTrax(profile) => profile.clone(),
            other => panic!("expected a securitytrax profile, got {other:?}"),
        }
    }

    #[test]
    fn a_good_file_parses_into_profiles_typed_by_service() {
        let config = Config::parse(path(), GOOD).unwrap();
        let names: Vec<&str> = config.profiles().keys().map(String::as_str).collect();
        assert_eq!(names, ["acme", "club", "shop"]);
        let acme = config.profile("acme").unwrap();
        assert_eq!(acme.service(), ServiceKind::SecurityTrax);
        assert_eq!(acme.base_url(), "https://secure.securitytrax.com");
        assert_eq!(
            acme.secret_variables(),
            [("password_env", "ACME_STRAX_PASSWORD")]
        );
        assert_eq!(config.profile("shop").unwrap().service(), ServiceKind::Neto);
        let club = config.profile("club").unwrap();
        assert_eq!(club.service(), ServiceKind::Peoplevine);
        assert_eq!(club.base_url(), "https://api.peoplevine.com");
    }

    #[test]
    fn an_empty_file_has_no_profiles() {
        assert!(Config::parse(path(), "").unwrap().profiles().is_empty());
    }

    #[test]
    fn secrets_are_read_from_the_named_variables_and_redacted_in_debug() {
        let config = Config::parse(path(), GOOD).unwrap();
        let acme = strax(&config, "acme");
        let resolved = acme
            .resolve(
                "acme",
                &env_of(&[("ACME_STRAX_PASSWORD", "hunter2-secret")]),
            )
            .unwrap();
        assert_eq!(resolved.password.expose_secret(), "hunter2-secret");
        let debug = format!("{resolved:?}");
        assert!(!debug.contains("hunter2-secret"), "{debug}");
        assert!(
            config
                .profile("acme")
                .unwrap()
                .check_secrets("acme", &env_of(&[("ACME_STRAX_PASSWORD", "x")]))
                .is_ok()
        );
    }

    #[test]
    fn a_missing_secret_variable_is_named_in_the_error() {
        let config = Config::parse(path(), GOOD).unwrap();
        let acme = config.profile("acme").unwrap();
        for env in [env_of(&[]), env_of(&[("ACME_STRAX_PASSWORD", "")])] {
            let err = acme.check_secrets("acme", &env).unwrap_err();
            assert!(
                matches!(err, ConfigError::MissingSecret { ref variable, .. } if variable == "ACME_STRAX_PASSWORD")
            );
            let message = err.to_string();
            assert!(message.contains("`ACME_STRAX_PASSWORD`"), "{message}");
            assert!(message.contains("password_env"), "{message}");
        }
    }

    #[test]
    fn a_secret_variable_that_is_not_utf8_is_reported_as_such() {
        let not_unicode = |_: &str| Err(VarError::NotUnicode("\u{fffd}".into()));
        let err =
            read_secret("acme", "password_env", "ACME_STRAX_PASSWORD", &not_unicode).unwrap_err();
        assert!(
            matches!(err, ConfigError::SecretNotUnicode { .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "profile `acme`: environment variable `ACME_STRAX_PASSWORD` (named by `password_env`) is not valid UTF-8"
        );
    }

    #[test]
    fn an_unknown_key_is_refused_naming_it_and_its_profile() {
        let text = GOOD.replace("site = \"acme\"", "site = \"acme\"\nsitee = \"typo\"");
        let err = Config::parse(path(), &text).unwrap_err();
        assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains("sitee") && message.contains("profile `acme`"),
            "{message}"
        );

        let err = Config::parse(path(), "[profile.acme]\nservice = \"neto\"\n").unwrap_err();
        assert!(err.to_string().contains("profile"), "{err}");
    }

    #[test]
    fn a_missing_or_unknown_service_is_refused() {
        let err =
            Config::parse(path(), "[profiles.a]\nbase_url = \"https://x.example\"\n").unwrap_err();
        assert!(err.to_string().contains("`service`"), "{err}");
        let err = Config::parse(
            path(),
            "[profiles.a]\nservice = \"salesforce\"\nbase_url = \"https://x.example\"\n",
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("salesforce") && message.contains("securitytrax"),
            "{message}"
        );
    }

    #[test]
    fn invalid_toml_is_a_parse_error_naming_the_file() {
        let err = Config::parse(path(), "[profiles.acme\n").unwrap_err();
        assert!(matches!(err, ConfigError::Parse { .. }));
        assert!(err.to_string().contains("/test/config.toml"), "{err}");
    }

    #[test]
    fn a_literal_secret_is_refused_pointing_to_the_env_key() {
        for (key, env_key) in LITERAL_SECRET_KEYS {
            let text = format!(
                "{GOOD}\n[profiles.bad]\nservice = \"neto\"\nbase_url = \"https://x.example\"\n{key} = \"s3cr3t\"\n"
            );
            let err = Config::parse(path(), &text).unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, ConfigError::LiteralSecret { ref profile, .. } if profile == "bad"),
                "{err:?}"
            );
            assert!(message.contains(&format!("`{env_key} = ")), "{message}");
            assert!(!message.contains("s3cr3t"), "{message}");
        }
    }

    #[test]
    fn a_missing_profile_lists_the_known_ones() {
        let config = Config::parse(path(), GOOD).unwrap();
        let err = config.profile("default").unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `default` not found in /test/config.toml; known profiles: acme, club, shop"
        );
        let empty = Config::parse(path(), "").unwrap();
        assert!(
            empty
                .profile("x")
                .unwrap_err()
                .to_string()
                .ends_with("known profiles: (none)")
        );
    }

    #[test]
    fn invalid_fields_are_named_with_their_rule() {
        let cases = [
            (
                "https://secure.securitytrax.com",
                "ftp://secure.securitytrax.com",
                "base_url",
                "https://",
            ),
            (
                "https://secure.securitytrax.com",
                "not a url",
                "base_url",
                "not a valid URL",
            ),
            (
                "\"ACME_STRAX_PASSWORD\"",
                "\"ACME-PASSWORD\"",
                "password_env",
                "environment variable",
            ),
        ];
        for (from, to, field, rule) in cases {
            let text = GOOD.replacen(from, to, 1);
            let err = Config::parse(path(), &text).unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidField { field: f, .. } if f == field),
                "{from} → {to}: {err:?}"
            );
            assert!(err.to_string().contains(rule), "{err}");
        }
        for field in ["site", "username", "partner_id", "password_env"] {
            let line = GOOD
                .lines()
                .find(|line| line.starts_with(&format!("{field} = ")))
                .unwrap();
            // Missing: serde names the field and the profile.
            let err = Config::parse(path(), &GOOD.replacen(line, "", 1)).unwrap_err();
            assert!(matches!(err, ConfigError::Parse { .. }), "{field}: {err:?}");
            let message = err.to_string();
            assert!(
                message.contains(&format!("missing field `{field}`"))
                    && message.contains("profile `acme`"),
                "{message}"
            );
            if field == "password_env" {
                continue;
            }
            // Blank: the profile's own check.
            let text = GOOD.replacen(line, &format!("{field} = \" \""), 1);
            let err = Config::parse(path(), &text).unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidField { field: f, .. } if f == field),
                "{field}: {err:?}"
            );
            assert!(err.to_string().contains("must not be blank"), "{err}");
        }
    }

    #[test]
    fn load_treats_a_missing_file_as_no_config_and_reports_unreadable_ones() {
        let missing =
            std::env::temp_dir().join(format!("crmwire-missing-{}.toml", std::process::id()));
        assert!(Config::load(&missing).unwrap().is_none());
        // A directory cannot be read as a file.
        let err = Config::load(&std::env::temp_dir()).unwrap_err();
        assert!(matches!(err, ConfigError::Read { .. }), "{err:?}");
    }

    #[test]
    fn load_reads_a_real_file() {
        let file =
            std::env::temp_dir().join(format!("crmwire-config-test-{}.toml", std::process::id()));
        std::fs::write(&file, GOOD).unwrap();
        let loaded = Config::load(&file);
        std::fs::remove_file(&file).unwrap();
        let config = loaded.unwrap().unwrap();
        assert_eq!(config.path(), file);
        assert_eq!(config.profiles().len(), 3);
    }

    #[test]
    fn an_explicit_location_must_exist_and_the_default_one_may_not() {
        let home_env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let missing =
            std::env::temp_dir().join(format!("crmwire-absent-{}.toml", std::process::id()));
        let explicit = ConfigLocation::find(Some(missing.clone()), home_env(&[("HOME", "/h")]));
        assert_eq!(explicit, ConfigLocation::Explicit(missing.clone()));
        let err = explicit.load().unwrap_err();
        assert!(matches!(err, ConfigError::NotFound { .. }), "{err:?}");
        assert!(
            err.to_string()
                .contains(&format!("{} does not exist", missing.display())),
            "{err}"
        );

        let default = ConfigLocation::find(None, home_env(&[("HOME", "/nonexistent-home")]));
        assert_eq!(
            default,
            ConfigLocation::Default(PathBuf::from(
                "/nonexistent-home/.config/crmwire/config.toml"
            ))
        );
        assert!(default.load().unwrap().is_none());
        let unknown = ConfigLocation::find(None, home_env(&[]));
        assert_eq!(unknown, ConfigLocation::Unknown);
        assert_eq!(unknown.path(), None);
        assert!(unknown.load().unwrap().is_none());
    }

    #[test]
    fn default_path_prefers_xdg_then_home() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            default_config_path(env(&[("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/u")])),
            Some(PathBuf::from("/xdg/crmwire/config.toml"))
        );
        assert_eq!(
            default_config_path(env(&[("XDG_CONFIG_HOME", ""), ("HOME", "/home/u")])),
            Some(PathBuf::from("/home/u/.config/crmwire/config.toml"))
        );
        assert_eq!(
            default_config_path(env(&[("XDG_CONFIG_HOME", "relative"), ("HOME", "/home/u")])),
            Some(PathBuf::from("/home/u/.config/crmwire/config.toml"))
        );
        assert_eq!(default_config_path(env(&[])), None);
    }
}
