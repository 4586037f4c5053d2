//! The subcommands, and what they share: where to send requests and the errors.

mod demo;
mod profiles;
mod sandbox;

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::config::{self, Config, ConfigError, ProfileSpec};
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
}

/// Runs the chosen subcommand.
pub(crate) async fn run(cli: Cli) -> Result<(), CommandError> {
    let output = Output::new(cli.json);
    let config_path = cli
        .config
        .clone()
        .or_else(|| config::default_config_path(|name| std::env::var(name).ok()));
    match cli.command {
        Command::Sandbox(args) => sandbox::run(&output, &args).await,
        Command::Demo => {
            let target = select_target(config_path.as_deref(), &cli.profile)?;
            demo::run(&output, &target).await
        }
        Command::Profiles => profiles::run(&output, config_path.as_deref(), &cli.profile),
    }
}

/// The sandbox every command starts: the services mounted here are the ones
/// `crmwire sandbox` and `crmwire demo` simulate.
pub(crate) fn sandbox_config() -> ::sandbox::SandboxConfig {
    ::sandbox::SandboxConfig::new()
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
/// the embedded sandbox.
pub(crate) fn select_target(
    config_path: Option<&Path>,
    profile: &str,
) -> Result<Target, ConfigError> {
    let Some(path) = config_path else {
        return Ok(Target::Sandbox {
            reason:
                "no config file location ($CRMWIRE_CONFIG, $XDG_CONFIG_HOME and $HOME are unset)"
                    .to_owned(),
        });
    };
    let Some(config) = Config::load(path)? else {
        return Ok(Target::Sandbox {
            reason: format!("no config file at {}", path.display()),
        });
    };
    if config.profiles().is_empty() {
        return Ok(Target::Sandbox {
            reason: format!("{} has no profiles", path.display()),
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
    fn no_location_or_no_file_or_no_profiles_means_the_sandbox() {
        assert!(matches!(
            select_target(None, "default"),
            Ok(Target::Sandbox { .. })
        ));

        let missing = temp_path("missing");
        let Ok(Target::Sandbox { reason }) = select_target(Some(&missing), "default") else {
            panic!("expected the sandbox");
        };
        assert!(reason.contains("no config file at"), "{reason}");

        let empty = temp_path("empty");
        std::fs::write(&empty, "# nothing yet\n").unwrap();
        let target = select_target(Some(&empty), "default");
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
        let found = select_target(Some(&path), "acme");
        let missing = select_target(Some(&path), "default");
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(found, Ok(Target::Profile { ref name, .. }) if name == "acme"));
        let err = missing.unwrap_err();
        assert!(err.to_string().contains("known profiles: acme"), "{err}");
    }
}
