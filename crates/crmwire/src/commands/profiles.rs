//! `crmwire profiles`: the configured profiles and whether their secrets are set.

use serde::Serialize;

use super::CommandError;
use crate::config::{ConfigLocation, ServiceKind};
use crate::output::{Output, Report, safe};

/// One profile, without secret values.
#[derive(Debug, Serialize)]
struct ProfileSummary {
    name: String,
    service: ServiceKind,
    base_url: String,
    selected: bool,
    /// `"ready"`, or why the profile cannot be used (e.g. a secret variable is unset).
    status: String,
}

/// The profiles of the config file.
#[derive(Debug, Serialize)]
struct ProfilesReport {
    config: Option<String>,
    profiles: Vec<ProfileSummary>,
}

impl Report for ProfilesReport {
    fn human(&self) -> String {
        let mut text = match &self.config {
            Some(path) => format!("profiles in {}:", safe(path)),
            None => "no config file".to_owned(),
        };
        if self.profiles.is_empty() {
            text.push_str("\n  (none)");
        }
        for profile in &self.profiles {
            let marker = if profile.selected { '*' } else { ' ' };
            text.push_str(&format!(
                "\n{marker} {} ({} at {}): {}",
                safe(&profile.name),
                profile.service,
                safe(&profile.base_url),
                safe(&profile.status)
            ));
        }
        text
    }
}

/// Lists the profiles; secrets are read from the process environment to check they are set.
pub(super) fn run(
    output: &Output,
    location: &ConfigLocation,
    selected: &[String],
) -> Result<(), CommandError> {
    let default = [crate::config::DEFAULT_PROFILE.to_owned()];
    let selected = if selected.is_empty() {
        &default[..]
    } else {
        selected
    };
    let Some(config) = location.load()? else {
        output.notice(
            "no profile configured: service commands need one, or --sandbox for the embedded sandbox",
        );
        output.finish(&ProfilesReport {
            config: None,
            profiles: Vec::new(),
        });
        return Ok(());
    };
    let profiles = config
        .profiles()
        .iter()
        .map(|(name, spec)| ProfileSummary {
            name: name.clone(),
            service: spec.service(),
            base_url: spec.base_url().to_owned(),
            selected: selected.contains(name),
            status: match spec.check_secrets(name, &|variable| std::env::var(variable)) {
                Ok(_) => "ready".to_owned(),
                Err(err) => err.to_string(),
            },
        })
        .collect();
    output.finish(&ProfilesReport {
        config: Some(config.path().display().to_string()),
        profiles,
    });
    Ok(())
}
