//! `crmwire lead post FILE --profile A --profile B …` (and `customer post`):
//! the same file posted
//! to each named profile, one after the other (each at its own pacing), each
//! with its own delivery journal beside the input
//! ([`journal::profile_path`]), so resuming and exactly-once hold per
//! profile. A profile whose service cannot post them gets an `unsupported`
//! outcome and nothing is sent to it; the others still run. The report has
//! one outcome per profile, and the exit code is the worst of them
//! ([`Exit::worst`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::{LeadError, Posted, dry_run_report, finished, journal, post_to};
use crate::commands::strax::StraxError;
use crate::commands::{CommandError, Context, SandboxFlag, Target, select_target};
use crate::config::{ProfileSpec, ServiceKind};
use crate::exit::Exit;
use crate::output::{Output, Report, safe};

/// The `--json` document: `{"operation": "post-leads" | "post-customers", "dry_run",
/// "exit_code", "outcomes": [{"profile", "service", "exit_code", "report" |
/// "kind" + "message"}]}`.
#[derive(Debug, Serialize)]
struct SeveralReport {
    operation: &'static str,
    dry_run: bool,
    exit_code: u8,
    outcomes: Vec<ProfileOutcome>,
    /// The dry run's one validation, in text.
    #[serde(skip)]
    checked: Option<String>,
}

/// What became of the file at one profile.
#[derive(Debug, Serialize)]
struct ProfileOutcome {
    profile: String,
    service: &'static str,
    exit_code: u8,
    /// The profile's own report, as `lead post` prints it for one profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<serde_json::Value>,
    /// What went wrong instead of a report: a short, stable name
    /// (`unsupported`, `journal`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    /// What went wrong, in one sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// The text form of the report or the message.
    #[serde(skip)]
    text: String,
    #[serde(skip)]
    end: Exit,
}

impl ProfileOutcome {
    fn reported(profile: &str, service: ServiceKind, report: &impl Report, end: Exit) -> Self {
        Self {
            profile: profile.to_owned(),
            service: service.name(),
            exit_code: end.code(),
            report: serde_json::to_value(report).ok(),
            kind: None,
            message: None,
            text: report.human(),
            end,
        }
    }

    fn problem(
        profile: &str,
        service: ServiceKind,
        kind: &'static str,
        message: String,
        end: Exit,
    ) -> Self {
        Self {
            profile: profile.to_owned(),
            service: service.name(),
            exit_code: end.code(),
            report: None,
            kind: Some(kind),
            text: format!("{kind}: {}", safe(&message)),
            message: Some(message),
            end,
        }
    }

    fn unsupported(profile: &str, service: ServiceKind, plural: &str) -> Self {
        Self::problem(
            profile,
            service,
            "unsupported",
            format!("{service} cannot post {plural}; nothing was sent"),
            Exit::Failed,
        )
    }
}

impl SeveralReport {
    fn new(
        operation: &'static str,
        dry_run: bool,
        outcomes: Vec<ProfileOutcome>,
        checked: Option<String>,
    ) -> Self {
        let end = outcomes
            .iter()
            .fold(Exit::Success, |worst, outcome| worst.worst(outcome.end));
        Self {
            operation,
            dry_run,
            exit_code: end.code(),
            outcomes,
            checked,
        }
    }

    fn exit(&self) -> Exit {
        self.outcomes
            .iter()
            .fold(Exit::Success, |worst, outcome| worst.worst(outcome.end))
    }
}

impl Report for SeveralReport {
    fn human(&self) -> String {
        let mut text = String::new();
        if let Some(checked) = &self.checked {
            text.push_str(checked);
            text.push('\n');
        }
        for outcome in &self.outcomes {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!(
                "== profile {} ({}) ==\n",
                safe(&outcome.profile),
                outcome.service
            ));
            text.push_str(outcome.text.trim_end());
            text.push('\n');
        }
        text.trim_end().to_owned()
    }
}

/// `lead post FILE` (or `customer post FILE`) with several `--profile`s.
pub(super) async fn post<R: Posted>(
    output: &Output,
    context: &Context,
    dry_run: bool,
    sandbox: SandboxFlag,
    args: &super::PostArgs,
) -> Result<(), CommandError> {
    let named = &context.profiles;
    if sandbox.sandbox {
        return Err(StraxError::from(LeadError::SandboxWithProfiles).into());
    }
    if args.journal.is_some() {
        return Err(StraxError::from(LeadError::JournalWithProfiles(named.len())).into());
    }
    if let Some((_, twice)) = named
        .iter()
        .enumerate()
        .find(|(i, name)| named[..*i].contains(name))
    {
        return Err(StraxError::from(LeadError::ProfileTwice(twice.clone())).into());
    }
    // Every profile is looked up before anything is sent.
    let mut profiles = Vec::with_capacity(named.len());
    for name in named {
        let one = Context {
            location: context.location.clone(),
            profiles: vec![name.clone()],
            profiles_from_env: context.profiles_from_env,
            backend: context.backend,
        };
        let target = select_target(
            &one,
            SandboxFlag { sandbox: false },
            ServiceKind::SecurityTrax,
        )?;
        let Target::Profile { spec, .. } = &target else {
            unreachable!("no --sandbox: a profile is selected");
        };
        let service = spec.service();
        profiles.push((name.as_str(), service, target));
    }
    let report = if dry_run {
        let checked = dry_run_report::<R>(output, args)?;
        let outcomes = profiles
            .iter()
            .map(|(name, service, target)| match target {
                Target::Profile {
                    spec: ProfileSpec::SecurityTrax(_),
                    ..
                } => {
                    let mut outcome =
                        ProfileOutcome::reported(name, *service, &checked, checked.exit());
                    outcome.text = "would be sent the checked records above".to_owned();
                    outcome
                }
                _ => ProfileOutcome::unsupported(name, *service, R::PLURAL),
            })
            .collect();
        SeveralReport::new(R::OPERATION, true, outcomes, Some(checked.human()))
    } else {
        let stop = Arc::new(AtomicBool::new(false));
        let mut outcomes = Vec::with_capacity(profiles.len());
        for (name, service, target) in profiles {
            if !matches!(
                target,
                Target::Profile {
                    spec: ProfileSpec::SecurityTrax(_),
                    ..
                }
            ) {
                outcomes.push(ProfileOutcome::unsupported(name, service, R::PLURAL));
                continue;
            }
            if stop.load(Ordering::SeqCst) {
                outcomes.push(ProfileOutcome::problem(
                    name,
                    service,
                    "not_sent",
                    "not started: stopped by Ctrl-C (run again with --resume)".to_owned(),
                    Exit::NotSent,
                ));
                continue;
            }
            let journal_path = journal::profile_path(&args.file, name);
            let posted =
                post_to::<R>(output, context, args, journal_path, || Ok(target), &stop).await;
            outcomes.push(match posted {
                Ok(report) => ProfileOutcome::reported(name, service, &report, report.exit()),
                Err(error) => ProfileOutcome::problem(
                    name,
                    service,
                    error.kind(),
                    error.to_string(),
                    error.exit(),
                ),
            });
        }
        SeveralReport::new(R::OPERATION, false, outcomes, None)
    };
    output.finish(&report);
    if dry_run {
        output.notice("dry run: nothing was sent");
    }
    finished(report.exit())
}
