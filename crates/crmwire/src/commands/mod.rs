//! The subcommands, and what they share: where to send requests and the errors.
//!
//! Each service has a room, `commands/<service>/`, that owns its clap arguments,
//! its profile type, its run and its report; adding a service is adding its room
//! and one line to [`Command`] and to [`run`]. What every
//! service shares is here: [`Target`] (a profile, or the embedded sandbox when
//! `--sandbox` asks for it) and [`failure`] (exit codes, `--json` error kinds and
//! invalid input, the same for every service).

mod demo;
pub(crate) mod failure;
pub(crate) mod neto;
pub(crate) mod neutral;
pub(crate) mod peoplevine;
mod profiles;
pub(crate) mod room_error;
mod sandbox;
pub(crate) mod strax;
pub(crate) mod wire;

use clap::Args;
use transport::Backend;

use crate::cli::{Cli, Command};
use crate::config::{ConfigError, ConfigLocation, DEFAULT_PROFILE, ProfileSpec, ServiceKind};
use crate::exit::Exit;
use crate::output::Output;

use self::failure::Problem;

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
    /// A Peoplevine command failed.
    #[error(transparent)]
    Peoplevine(#[from] peoplevine::PvError),
    /// A Neto command failed.
    #[error(transparent)]
    Neto(#[from] neto::NetoError),
    /// A service-neutral command failed.
    #[error(transparent)]
    Neutral(#[from] neutral::NeutralError),
}

impl CommandError {
    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Self::Config(_) => Exit::Invalid,
            Self::Strax(error) => error.exit(),
            Self::Peoplevine(error) => error.exit(),
            Self::Neto(error) => error.exit(),
            Self::Neutral(error) => error.exit(),
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
            Self::Peoplevine(error) => error.kind(),
            Self::Neto(error) => error.kind(),
            Self::Neutral(error) => error.kind(),
        }
    }

    /// Whether running the same command again cannot act twice and may succeed.
    pub(crate) fn retry_safe(&self) -> bool {
        match self {
            Self::Strax(error) => error.retry_safe(),
            Self::Peoplevine(error) => error.retry_safe(),
            Self::Neto(error) => error.retry_safe(),
            _ => false,
        }
    }

    /// The request's fate, when a service call failed: `rejected`, `not_sent`,
    /// `unknown` or `answered`.
    pub(crate) fn fate(&self) -> Option<&'static str> {
        match self {
            Self::Strax(error) => error.fate(),
            Self::Peoplevine(error) => error.fate(),
            Self::Neto(error) => error.fate(),
            _ => None,
        }
    }

    /// Whether the command printed its report and only its exit code remains.
    pub(crate) fn is_reported(&self) -> bool {
        match self {
            Self::Strax(strax::StraxError::Own(error)) => error.is_reported(),
            Self::Neutral(error) => error.is_reported(),
            _ => false,
        }
    }

    /// The broken rules, when the input is invalid.
    pub(crate) fn problems(&self) -> Option<&[Problem]> {
        match self {
            Self::Strax(error) => error.problems(),
            Self::Peoplevine(error) => error.problems(),
            Self::Neto(error) => error.problems(),
            Self::Neutral(error) => error.problems(),
            _ => None,
        }
    }
}

/// What every service command is given.
#[derive(Debug)]
pub(crate) struct Context {
    /// Where the config file is.
    pub(crate) location: ConfigLocation,
    /// The profiles named with `--profile` (or `$CRMWIRE_PROFILE`), in order;
    /// empty when none was named.
    pub(crate) profiles: Vec<String>,
    /// Whether `profiles` is `$CRMWIRE_PROFILE`'s default rather than what
    /// the command line named.
    pub(crate) profiles_from_env: bool,
    /// The HTTP stack.
    pub(crate) backend: Backend,
}

impl Context {
    /// The one profile of a single-service command: the one named, else
    /// `default`.
    pub(crate) fn profile(&self) -> &str {
        self.profiles
            .first()
            .map_or(DEFAULT_PROFILE, String::as_str)
    }

    /// Refuses more than one `--profile` for `crmwire <command> …`, which
    /// talks to one service.
    fn one_profile(&self, command: &'static str) -> Result<(), ConfigError> {
        if self.profiles.len() > 1 {
            return Err(ConfigError::OneProfile {
                command,
                count: self.profiles.len(),
            });
        }
        Ok(())
    }
}

/// The name of a single-service command, for the one-profile rule; `None`
/// for the commands that take no profile or several.
fn single_service(command: &Command) -> Option<&'static str> {
    match command {
        Command::Wire(_) => Some("wire"),
        Command::Strax(_) => Some("strax"),
        Command::Peoplevine(_) => Some("peoplevine"),
        Command::Neto(_) => Some("neto"),
        // `lead post` posts the same file to every named profile.
        Command::Lead(args) => match args.command {
            strax::lead::LeadCommand::Post(_) => None,
            strax::lead::LeadCommand::Unknown(_) => Some("lead"),
        },
        // `customer post` too.
        Command::Customer(_)
        | Command::Sandbox(_)
        | Command::Demo
        | Command::Profiles
        | Command::Note(_)
        | Command::Appointment(_)
        | Command::Followup(_) => None,
    }
}

/// Runs the chosen subcommand.
pub(crate) async fn run(cli: Cli, output: &Output) -> Result<(), CommandError> {
    let context = Context {
        location: ConfigLocation::find(cli.config.clone(), |name| std::env::var(name).ok()),
        profiles: cli.profile.clone(),
        profiles_from_env: cli.profile_from_env,
        backend: Backend::from(cli.backend),
    };
    if let Some(command) = single_service(&cli.command) {
        context.one_profile(command)?;
    }
    match cli.command {
        Command::Sandbox(args) => sandbox::run(output, &args).await,
        Command::Demo => demo::run(output, context.backend).await,
        Command::Profiles => profiles::run(output, &context.location, &context.profiles),
        Command::Note(args) => neutral::run_note(output, &context, &args).await,
        Command::Appointment(args) => neutral::run_appointment(output, &context, &args).await,
        Command::Followup(args) => neutral::run_followup(output, &context, &args).await,
        Command::Wire(args) => wire::run(output, &context, &args).await,
        Command::Strax(args) => strax::run(output, &context, &args).await,
        Command::Peoplevine(args) => peoplevine::run(output, &context, &args).await,
        Command::Neto(args) => neto::run(output, &context, &args).await,
        Command::Lead(args) => {
            strax::lead::run(output, &context, args.dry_run, args.target, &args.command).await
        }
        Command::Customer(args) => match &args.command {
            strax::lead::args::TopCustomerCommand::Post(post) => {
                strax::lead::run_customer_post(output, &context, args.dry_run, args.target, post)
                    .await
            }
        },
    }
}

/// The sandbox every command starts: the services mounted here are the ones
/// `crmwire sandbox`, `crmwire demo` and `--sandbox` simulate (every service the
/// sandbox has, each with its demo data).
pub(crate) fn sandbox_config() -> ::sandbox::SandboxConfig {
    ::sandbox::SandboxConfig::with_all_services()
}

/// The end of a service's `--sandbox` note: what the embedded sandbox keeps.
pub(crate) const SANDBOX_STARTS_EMPTY: &str = "the embedded sandbox starts empty for each \
     command: to keep what you add between commands, run `crmwire sandbox` and point a \
     profile at it";

/// `--sandbox`, on every service command.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct SandboxFlag {
    /// Send to the embedded sandbox (started in-process on 127.0.0.1, with its demo
    /// account) instead of the selected profile.
    #[arg(long, global = true)]
    pub(crate) sandbox: bool,
}

/// Where a command sends its requests.
#[derive(Debug)]
pub(crate) enum Target {
    /// The embedded sandbox (`--sandbox`).
    Sandbox,
    /// The selected profile of the config file.
    Profile { name: String, spec: ProfileSpec },
}

/// Chooses the target of a `service` command: the embedded sandbox when `sandbox`
/// asks for it, else the selected profile. No config file, or one without
/// profiles, is an error that says how to configure one or to try `--sandbox`:
/// a command never falls back to the simulator by itself. A config file named
/// explicitly must exist.
pub(crate) fn select_target(
    context: &Context,
    sandbox: SandboxFlag,
    service: ServiceKind,
) -> Result<Target, ConfigError> {
    if sandbox.sandbox {
        return Ok(Target::Sandbox);
    }
    let location = &context.location;
    let no_profile = |reason: String| ConfigError::NoProfile {
        reason,
        path: location.path().map(std::path::Path::to_path_buf),
        profile: context.profile().to_owned(),
        service,
    };
    let Some(config) = location.load()? else {
        return Err(no_profile(match location.path() {
            Some(path) => format!("no config file at {}", path.display()),
            None => {
                "no config file location: $CRMWIRE_CONFIG, $XDG_CONFIG_HOME and $HOME are unset"
                    .to_owned()
            }
        }));
    };
    if config.profiles().is_empty() {
        return Err(no_profile(format!(
            "{} has no profiles",
            config.path().display()
        )));
    }
    let spec = config.profile(context.profile())?.clone();
    Ok(Target::Profile {
        name: context.profile().to_owned(),
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

    fn context(location: ConfigLocation, profile: &str) -> Context {
        Context {
            location,
            profiles: vec![profile.to_owned()],
            profiles_from_env: false,
            backend: Backend::Reqwest,
        }
    }

    #[test]
    fn single_service_commands_take_one_profile_and_default_to_default() {
        let mut two = context(ConfigLocation::Unknown, "a");
        two.profiles.push("b".to_owned());
        let err = two.one_profile("strax").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`crmwire strax …` takes one --profile; got 2"
        );
        assert_eq!(CommandError::from(err).exit(), Exit::Invalid);
        assert_eq!(two.profile(), "a");
        let none = Context {
            location: ConfigLocation::Unknown,
            profiles: Vec::new(),
            profiles_from_env: false,
            backend: Backend::Reqwest,
        };
        assert!(none.one_profile("neto").is_ok());
        assert_eq!(none.profile(), "default");
    }

    const ASKED: SandboxFlag = SandboxFlag { sandbox: true };
    const NOT_ASKED: SandboxFlag = SandboxFlag { sandbox: false };

    #[test]
    fn the_sandbox_only_when_asked() {
        let missing = temp_path("asked");
        let target = select_target(
            &context(ConfigLocation::Explicit(missing), "default"),
            ASKED,
            ServiceKind::SecurityTrax,
        );
        assert!(matches!(target, Ok(Target::Sandbox)), "{target:?}");
    }

    #[test]
    fn no_location_or_no_default_file_or_no_profiles_is_an_error_pointing_to_both_ways() {
        let err = select_target(
            &context(ConfigLocation::Unknown, "default"),
            NOT_ASKED,
            ServiceKind::SecurityTrax,
        )
        .unwrap_err();
        assert!(matches!(err, ConfigError::NoProfile { .. }), "{err:?}");
        assert!(err.to_string().contains("--sandbox"), "{err}");

        let missing = temp_path("missing");
        let err = select_target(
            &context(ConfigLocation::Default(missing.clone()), "acme"),
            NOT_ASKED,
            ServiceKind::SecurityTrax,
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("no config file at"), "{message}");
        assert!(
            message.contains(&format!(
                "add a `[profiles.acme]` with `service = \"securitytrax\"` to {}",
                missing.display()
            )),
            "{message}"
        );
        assert!(
            message.ends_with("or try the embedded sandbox with --sandbox"),
            "{message}"
        );
        assert_eq!(CommandError::from(err).exit(), Exit::Invalid);

        let empty = temp_path("empty");
        std::fs::write(&empty, "# nothing yet\n").unwrap();
        let target = select_target(
            &context(ConfigLocation::Explicit(empty.clone()), "default"),
            NOT_ASKED,
            ServiceKind::SecurityTrax,
        );
        std::fs::remove_file(&empty).unwrap();
        let err = target.unwrap_err();
        assert!(err.to_string().contains("has no profiles"), "{err}");
    }

    #[test]
    fn a_configured_profile_is_selected_and_a_wrong_name_is_an_error() {
        let path = temp_path("profiles");
        std::fs::write(
            &path,
            "[profiles.acme]\nservice = \"neto\"\nbase_url = \"https://acme.example\"\nusername = \"u\"\napi_key_env = \"ACME_KEY\"\n",
        )
        .unwrap();
        let location = ConfigLocation::Explicit(path.clone());
        let found = select_target(
            &context(location.clone(), "acme"),
            NOT_ASKED,
            ServiceKind::Neto,
        );
        let missing = select_target(&context(location, "default"), NOT_ASKED, ServiceKind::Neto);
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(found, Ok(Target::Profile { ref name, .. }) if name == "acme"));
        let err = missing.unwrap_err();
        assert!(err.to_string().contains("known profiles: acme"), "{err}");
    }

    #[test]
    fn an_explicit_config_file_that_does_not_exist_is_an_error_naming_it() {
        let missing = temp_path("explicit-missing");
        let err = select_target(
            &context(ConfigLocation::Explicit(missing.clone()), "default"),
            NOT_ASKED,
            ServiceKind::SecurityTrax,
        )
        .unwrap_err();
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
        let signal = CommandError::Signal(std::io::Error::other("no signals"));
        assert_eq!(signal.exit(), Exit::Failed);
        assert_eq!(signal.kind(), "signal");
        assert!(!signal.retry_safe());
        assert!(signal.problems().is_none());
    }
}
