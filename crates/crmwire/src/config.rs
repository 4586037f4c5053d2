//! The configuration file: named profiles, one per CRM account.
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
//! Secrets are never written in the file: a profile names the environment variable
//! that holds each one (`password_env`, `api_key_env`, `token_env`), and
//! [`ProfileSpec::resolve`] reads them into [`SecretString`]s.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// The environment variable that names the config file.
pub(crate) const CONFIG_ENV: &str = "CRMWIRE_CONFIG";
/// The environment variable that names the profile.
pub(crate) const PROFILE_ENV: &str = "CRMWIRE_PROFILE";
/// The profile used when none is named.
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// Keys that would put a secret in the file, and the key to use instead.
const LITERAL_SECRET_KEYS: [(&str, &str); 3] = [
    ("password", "password_env"),
    ("api_key", "api_key_env"),
    ("token", "token_env"),
];

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
    /// A secret's environment variable is not set (or empty).
    #[error(
        "profile `{profile}`: environment variable `{variable}` (named by `{key}`) is not set or empty"
    )]
    MissingSecret {
        profile: String,
        key: &'static str,
        variable: String,
    },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "(none)".to_owned()
    } else {
        known.join(", ")
    }
}

/// The CRM a profile talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
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

/// A profile as written in the file (secrets by variable name only).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProfileSpec {
    pub(crate) service: ServiceKind,
    pub(crate) base_url: String,
    pub(crate) site: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) partner_id: Option<String>,
    pub(crate) password_env: Option<String>,
    pub(crate) api_key_env: Option<String>,
    pub(crate) token_env: Option<String>,
}

/// The file's top level.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, ProfileSpec>,
}

/// A parsed, validated configuration file.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    path: PathBuf,
    profiles: BTreeMap<String, ProfileSpec>,
}

/// A profile with its secrets read from the environment.
#[derive(Debug)]
#[allow(dead_code)] // `api_key` and `token` are read by the Neto and Peoplevine commands to come.
pub(crate) struct Profile {
    pub(crate) name: String,
    pub(crate) service: ServiceKind,
    pub(crate) base_url: http::Uri,
    pub(crate) site: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) partner_id: Option<String>,
    pub(crate) password: Option<SecretString>,
    pub(crate) api_key: Option<SecretString>,
    pub(crate) token: Option<SecretString>,
}

/// Where the config file is looked for, and whether it must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConfigLocation {
    /// Named with `--config` or `$CRMWIRE_CONFIG`: it must exist.
    Explicit(PathBuf),
    /// The default location: it may be absent (then commands use the sandbox).
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
        let parse_error = |err: toml::de::Error| ConfigError::Parse {
            path: path.to_owned(),
            message: err.to_string().trim_end().to_owned(),
        };
        let table: toml::Table = toml::from_str(text).map_err(parse_error)?;
        refuse_literal_secrets(path, &table)?;
        let file: ConfigFile = toml::from_str(text).map_err(parse_error)?;
        for (name, spec) in &file.profiles {
            spec.validate(name)?;
        }
        Ok(Self {
            path: path.to_owned(),
            profiles: file.profiles,
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

/// Refuses `password`, `api_key` and `token` in any profile, before the typed parse
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

impl ProfileSpec {
    /// Checks the rules serde cannot express.
    fn validate(&self, profile: &str) -> Result<(), ConfigError> {
        let invalid = |field: &'static str, rule: &str| ConfigError::InvalidField {
            profile: profile.to_owned(),
            field,
            rule: rule.to_owned(),
        };
        self.parsed_base_url()
            .map_err(|rule| invalid("base_url", &rule))?;
        for (field, value) in self.secret_vars() {
            if let Some(variable) = value {
                let valid = !variable.is_empty()
                    && variable
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !valid {
                    return Err(invalid(
                        field,
                        "must name an environment variable (ASCII letters, digits and `_`)",
                    ));
                }
            }
        }
        if self.service == ServiceKind::SecurityTrax {
            let plain = [
                ("site", self.site.as_deref()),
                ("username", self.username.as_deref()),
                ("partner_id", self.partner_id.as_deref()),
            ];
            for (field, value) in plain {
                if value.is_none_or(|v| v.trim().is_empty()) {
                    return Err(invalid(field, "is required for service `securitytrax`"));
                }
            }
        }
        let required: &[&'static str] = match self.service {
            ServiceKind::SecurityTrax => &["password_env"],
            ServiceKind::Neto => &["api_key_env"],
            ServiceKind::Peoplevine => &[],
        };
        for field in required {
            let present = self
                .secret_vars()
                .iter()
                .any(|(name, value)| name == field && value.is_some());
            if !present {
                return Err(invalid(
                    field,
                    &format!("is required for service `{}`", self.service),
                ));
            }
        }
        if self.service == ServiceKind::Peoplevine
            && self.password_env.is_none()
            && self.token_env.is_none()
        {
            return Err(invalid(
                "token_env",
                "or `password_env` is required for service `peoplevine`",
            ));
        }
        Ok(())
    }

    /// The base URL, or the rule it breaks.
    fn parsed_base_url(&self) -> Result<http::Uri, String> {
        let uri: http::Uri = self
            .base_url
            .parse()
            .map_err(|_| format!("`{}` is not a valid URL", self.base_url))?;
        match uri.scheme_str() {
            Some("https" | "http") => {}
            _ => {
                return Err(format!(
                    "`{}` must start with https:// or http://",
                    self.base_url
                ));
            }
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(format!("`{}` has no host", self.base_url));
        }
        Ok(uri)
    }

    /// The `*_env` fields, by key.
    fn secret_vars(&self) -> [(&'static str, Option<&String>); 3] {
        [
            ("password_env", self.password_env.as_ref()),
            ("api_key_env", self.api_key_env.as_ref()),
            ("token_env", self.token_env.as_ref()),
        ]
    }

    /// Reads the profile's secrets with `env` (the process environment in production).
    pub(crate) fn resolve(
        &self,
        profile: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Profile, ConfigError> {
        let read = |key: &'static str,
                    variable: Option<&String>|
         -> Result<Option<SecretString>, ConfigError> {
            let Some(variable) = variable else {
                return Ok(None);
            };
            match env(variable) {
                Some(value) if !value.is_empty() => Ok(Some(SecretString::from(value))),
                _ => Err(ConfigError::MissingSecret {
                    profile: profile.to_owned(),
                    key,
                    variable: variable.clone(),
                }),
            }
        };
        let base_url = self
            .parsed_base_url()
            .map_err(|rule| ConfigError::InvalidField {
                profile: profile.to_owned(),
                field: "base_url",
                rule,
            })?;
        Ok(Profile {
            name: profile.to_owned(),
            service: self.service,
            base_url,
            site: self.site.clone(),
            username: self.username.clone(),
            partner_id: self.partner_id.clone(),
            password: read("password_env", self.password_env.as_ref())?,
            api_key: read("api_key_env", self.api_key_env.as_ref())?,
            token: read("token_env", self.token_env.as_ref())?,
        })
    }
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
base_url = "https://api.peoplevine.com"
token_env = "CLUB_TOKEN"
"#;

    fn path() -> &'static Path {
        Path::new("/test/config.toml")
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn a_good_file_parses_into_typed_profiles() {
        let config = Config::parse(path(), GOOD).unwrap();
        let names: Vec<&str> = config.profiles().keys().map(String::as_str).collect();
        assert_eq!(names, ["acme", "club", "shop"]);
        let acme = config.profile("acme").unwrap();
        assert_eq!(acme.service, ServiceKind::SecurityTrax);
        assert_eq!(acme.site.as_deref(), Some("acme"));
        assert_eq!(acme.partner_id.as_deref(), Some("1234"));
        assert_eq!(acme.password_env.as_deref(), Some("ACME_STRAX_PASSWORD"));
        assert_eq!(config.profile("shop").unwrap().service, ServiceKind::Neto);
    }

    #[test]
    fn an_empty_file_has_no_profiles() {
        assert!(Config::parse(path(), "").unwrap().profiles().is_empty());
    }

    #[test]
    fn secrets_are_read_from_the_named_variables_and_redacted_in_debug() {
        let config = Config::parse(path(), GOOD).unwrap();
        let profile = config
            .profile("acme")
            .unwrap()
            .resolve("acme", env_of(&[("ACME_STRAX_PASSWORD", "hunter2-secret")]))
            .unwrap();
        assert_eq!(
            profile.password.as_ref().map(|p| p.expose_secret()),
            Some("hunter2-secret")
        );
        assert_eq!(profile.base_url.host(), Some("secure.securitytrax.com"));
        assert!(profile.api_key.is_none());
        let debug = format!("{profile:?}");
        assert!(!debug.contains("hunter2-secret"), "{debug}");
    }

    #[test]
    fn a_missing_secret_variable_is_named_in_the_error() {
        let config = Config::parse(path(), GOOD).unwrap();
        for env in [env_of(&[]), env_of(&[("ACME_STRAX_PASSWORD", "")])] {
            let err = config
                .profile("acme")
                .unwrap()
                .resolve("acme", env)
                .unwrap_err();
            assert!(
                matches!(err, ConfigError::MissingSecret { ref variable, .. } if variable == "ACME_STRAX_PASSWORD")
            );
            let message = err.to_string();
            assert!(message.contains("`ACME_STRAX_PASSWORD`"), "{message}");
            assert!(message.contains("password_env"), "{message}");
        }
    }

    #[test]
    fn an_unknown_key_is_refused_naming_it() {
        let text = GOOD.replace("site = \"acme\"", "site = \"acme\"\nsitee = \"typo\"");
        let err = Config::parse(path(), &text).unwrap_err();
        assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
        assert!(err.to_string().contains("sitee"), "{err}");

        let err = Config::parse(path(), "[profile.acme]\nservice = \"neto\"\n").unwrap_err();
        assert!(err.to_string().contains("profile"), "{err}");
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
            (
                "password_env = \"ACME_STRAX_PASSWORD\"",
                "",
                "password_env",
                "required for service `securitytrax`",
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
        for field in ["site", "username", "partner_id"] {
            let line = GOOD
                .lines()
                .find(|line| line.starts_with(&format!("{field} = ")))
                .unwrap();
            for replacement in ["", &format!("{field} = \" \"")] {
                let text = GOOD.replacen(line, replacement, 1);
                let err = Config::parse(path(), &text).unwrap_err();
                assert!(
                    matches!(err, ConfigError::InvalidField { field: f, .. } if f == field),
                    "{field}: {err:?}"
                );
                assert!(
                    err.to_string()
                        .contains("is required for service `securitytrax`"),
                    "{err}"
                );
            }
        }
        let neto = "[profiles.n]\nservice = \"neto\"\nbase_url = \"https://n.example\"\n";
        assert!(
            Config::parse(path(), neto)
                .unwrap_err()
                .to_string()
                .contains("`api_key_env` is required")
        );
        let pv = "[profiles.p]\nservice = \"peoplevine\"\nbase_url = \"https://p.example\"\n";
        assert!(
            Config::parse(path(), pv)
                .unwrap_err()
                .to_string()
                .contains("`token_env` or `password_env`")
        );
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
        let missing =
            std::env::temp_dir().join(format!("crmwire-absent-{}.toml", std::process::id()));
        let explicit = ConfigLocation::find(Some(missing.clone()), env_of(&[("HOME", "/h")]));
        assert_eq!(explicit, ConfigLocation::Explicit(missing.clone()));
        let err = explicit.load().unwrap_err();
        assert!(matches!(err, ConfigError::NotFound { .. }), "{err:?}");
        assert!(
            err.to_string()
                .contains(&format!("{} does not exist", missing.display())),
            "{err}"
        );

        let default = ConfigLocation::find(None, env_of(&[("HOME", "/nonexistent-home")]));
        assert_eq!(
            default,
            ConfigLocation::Default(PathBuf::from(
                "/nonexistent-home/.config/crmwire/config.toml"
            ))
        );
        assert!(default.load().unwrap().is_none());
        let unknown = ConfigLocation::find(None, env_of(&[]));
        assert_eq!(unknown, ConfigLocation::Unknown);
        assert!(unknown.load().unwrap().is_none());
    }

    #[test]
    fn default_path_prefers_xdg_then_home() {
        assert_eq!(
            default_config_path(env_of(&[("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/u")])),
            Some(PathBuf::from("/xdg/crmwire/config.toml"))
        );
        assert_eq!(
            default_config_path(env_of(&[("XDG_CONFIG_HOME", ""), ("HOME", "/home/u")])),
            Some(PathBuf::from("/home/u/.config/crmwire/config.toml"))
        );
        assert_eq!(
            default_config_path(env_of(&[
                ("XDG_CONFIG_HOME", "relative"),
                ("HOME", "/home/u")
            ])),
            Some(PathBuf::from("/home/u/.config/crmwire/config.toml"))
        );
        assert_eq!(default_config_path(env_of(&[])), None);
    }
}
