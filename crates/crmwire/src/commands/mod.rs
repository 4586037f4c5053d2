//! The subcommands, and what they share: where to send requests and the errors.

mod demo;
mod profiles;
mod sandbox;
pub(crate) mod strax;

use crate::cli::{Cli, Command};
use crate::config::{ConfigError, ConfigLocation, ProfileSpec};
use crate::exit::Exit;
use crate::output::Output;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum CommandError {
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The embedded sandbox could not start.
    #[error("embedded sandbox: {0}")]
    Sandbox(#[from] ::sandbox::SandboxError),
    /// A demo step failed.
    #[error("demo: {0}")]
    Demo(#[from] demo::DemoError),
    /// Waiting for Ctrl-C failed.
    #[error("cannot wait for Ctrl-C: {0}")]
    Signal(#[source] std::io::Error),
    /// A SecurityTrax command failed.
    #[error(transparent)]
    Strax(#[from] strax::StraxError),
}

impl CommandError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::Config(_) => Exit::Invalid,
            Self::Strax(error) => error.exit(),
            Self::Sandbox(_) | Self::Demo(_) | Self::Signal(_) => Exit::Failed,
        }
    }

    /// A short, stable name for `--json` error documents.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Config(_) => "config",
            Self::Sandbox(_) => "sandbox",
            Self::Demo(_) => "demo",
            Self::Signal(_) => "signal",
            Self::Strax(error) => error.kind(),
        }
    }

    /// Whether running the same command again cannot act twice and may succeed.
    pub(crate) fn retry_safe(&self) -> bool {
        matches!(self, Self::Strax(error) if error.retry_safe())
    }
}

/// Runs the chosen subcommand.
pub(crate) async fn run(cli: Cli, output: &Output) -> Result<(), CommandError> {
    let location = ConfigLocation::find(cli.config.clone(), |name| std::env::var(name).ok());
    let backend = transport::Backend::from(cli.backend);
    match cli.command {
        Command::Sandbox(args) => sandbox::run(output, &args).await,
        Command::Demo => {
            let target = select_target(&location, &cli.profile)?;
            demo::run(output, &target, backend).await
        }
        Command::Profiles => profiles::run(output, &location, &cli.profile),
        Command::Strax(args) => {
            let target = select_target(&location, &cli.profile)?;
            strax::run(output, &target, backend, &args).await
        }
    }
}

/// The sandbox every command starts: the services mounted here are the ones
/// `crmwire sandbox`, `crmwire demo` and the service commands simulate (every
/// service the sandbox has, each with its demo data).
pub(crate) fn sandbox_config() -> ::sandbox::SandboxConfig {
    ::sandbox::SandboxConfig::with_all_services()
}

/// Where a command sends its requests.
#[derive(Debug)]
pub(crate) enum Target {
    /// No profile is configured: the embedded sandbox, and why.
    Sandbox { reason: String },
    /// The selected profile of the config file.
    Profile { name: String, spec: ProfileSpec },
}

/// Chooses the target: the named profile when the config file has profiles, else
/// the embedded sandbox. A config file named explicitly must exist.
pub(crate) fn select_target(
    location: &ConfigLocation,
    profile: &str,
) -> Result<Target, ConfigError> {
    let Some(config) = location.load()? else {
        let reason = match location {
            ConfigLocation::Default(path) | ConfigLocation::Explicit(path) => {
                format!("no config file at {}", path.display())
            }
            ConfigLocation::Unknown => {
                "no config file location ($CRMWIRE_CONFIG, $XDG_CONFIG_HOME and $HOME are unset)"
                    .to_owned()
            }
        };
        return Ok(Target::Sandbox { reason });
    };
    if config.profiles().is_empty() {
        return Ok(Target::Sandbox {
            reason: format!("{} has no profiles", config.path().display()),
        });
    }
    let spec = config.profile(profile)?.clone();
    Ok(Target::Profile {
        name: profile.to_owned(),
        spec,
    })
}

/// A temporary path for tests, unique per process and call.
#[cfg(test)]
pub(crate) fn temp_path(label: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!("crmwire-{label}-{}-{n}.toml", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_location_or_no_default_file_or_no_profiles_means_the_sandbox() {
        assert!(matches!(
            select_target(&ConfigLocation::Unknown, "default"),
            Ok(Target::Sandbox { .. })
        ));

        let missing = temp_path("missing");
        let Ok(Target::Sandbox { reason }) =
            select_target(&ConfigLocation::Default(missing), "default")
        else {
            panic!("expected the sandbox");
        };
        assert!(reason.contains("no config file at"), "{reason}");

        let empty = temp_path("empty");
        std::fs::write(&empty, "# nothing yet\n").unwrap();
        let target = select_target(&ConfigLocation::Explicit(empty.clone()), "default");
        std::fs::remove_file(&empty).unwrap();
        let Ok(Target::Sandbox { reason }) = target else {
            panic!("expected the sandbox");
        };
        assert!(reason.contains("has no profiles"), "{reason}");
    }

    #[test]
    fn a_configured_profile_is_selected_and_a_wrong_name_is_an_error() {
        let path = temp_path("profiles");
        std::fs::write(
            &path,
            "[profiles.acme]\nservice = \"neto\"\nbase_url = \"https://acme.example\"\napi_key_env = \"ACME_KEY\"\n",
        )
        .unwrap();
        let location = ConfigLocation::Explicit(path.clone());
        let found = select_target(&location, "acme");
        let missing = select_target(&location, "default");
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(found, Ok(Target::Profile { ref name, .. }) if name == "acme"));
        let err = missing.unwrap_err();
        assert!(err.to_string().contains("known profiles: acme"), "{err}");
    }

    #[test]
    fn an_explicit_config_file_that_does_not_exist_is_an_error_naming_it() {
        let missing = temp_path("explicit-missing");
        let err = select_target(&ConfigLocation::Explicit(missing.clone()), "default").unwrap_err();
        assert!(matches!(err, ConfigError::NotFound { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains(&missing.display().to_string()),
            "{message}"
        );
        assert!(message.contains("does not exist"), "{message}");
        assert_eq!(CommandError::from(err).exit(), Exit::Invalid);
    }

    #[test]
    fn errors_have_exit_codes_and_kinds() {
        let strax = CommandError::from(strax::StraxError::InvalidFields(vec!["x".into()]));
        assert_eq!(strax.exit(), Exit::Invalid);
        assert_eq!(strax.kind(), "invalid_input");
        assert!(!strax.retry_safe());
        let signal = CommandError::Signal(std::io::Error::other("no signals"));
        assert_eq!(signal.exit(), Exit::Failed);
        assert_eq!(signal.kind(), "signal");
    }
}
