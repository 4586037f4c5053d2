//! `crmwire strax lead …` and `crmwire strax customer post` (also reachable as
//! `crmwire lead …` and `crmwire customer post`): posting records from a file,
//! streaming, in chunks, each chunk recorded in a delivery journal before it is
//! sent and its outcomes after the answer, so that a stopped run can be resumed
//! without sending a record twice or losing one.
//!
//! - `source`: the input, CSV or JSON Lines, one record at a time;
//! - `journal`: the delivery journal (SQLite);
//! - `deliver`: the loop that chunks, records, posts and records again;
//! - `report`: what is printed.
//!
//! The records' fields, validation, document and answer are `strax-leads`'s;
//! nothing here knows a field's rule.

pub(crate) mod args;
pub(crate) mod deliver;
mod error;
pub(crate) mod journal;
mod report;
mod several;
pub(crate) mod source;

use std::io::{IsTerminal, Write};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use facade::ServiceError;
use facade::leads::{LeadClient, RecordOutcome};
use facade::transport::{Backend, HttpTransport, PaceConfig, Paced, RetryConfig, Retrying};
use indicatif::{ProgressBar, ProgressStyle};
use sandbox::SandboxHandle;
use sandbox::securitytrax::DEMO_SITE;
use strax_leads::{Customer, EmergencyContact, Endpoint, Lead, Mode, PostRecord, Violations};

pub(crate) use self::args::{LeadCommand, PostArgs, TopCustomerArgs, TopLeadArgs};
pub(crate) use self::error::LeadError;

use self::deliver::{Options, Poster, TestPause};
use self::journal::{Fingerprint, Journal, Kind, OpenMode, Outcome};
use self::report::{DryRunReport, PostReport, UnknownReport};
use self::source::{BadRecord, Format, Item, Numbered, RecordReader};
use super::StraxError;
use crate::commands::{CommandError, Context, SandboxFlag, Target, sandbox_config, select_target};
use crate::config::{ProfileSpec, ServiceKind};
use crate::output::Output;

/// Runs `lead post` or `lead unknown`.
pub(crate) async fn run(
    output: &Output,
    context: &Context,
    dry_run: bool,
    target: SandboxFlag,
    command: &LeadCommand,
) -> Result<(), CommandError> {
    match command {
        LeadCommand::Post(args) if context.profiles.len() > 1 => {
            several::post::<Lead>(output, context, dry_run, target, args).await
        }
        LeadCommand::Post(args) => post::<Lead>(output, context, dry_run, target, args).await,
        LeadCommand::Unknown(args) => {
            let profile = context.profiles.first().map(String::as_str);
            unknown(
                output,
                args.file.as_deref(),
                args.journal.as_deref(),
                profile,
            )
        }
    }
}

/// Runs `customer post`.
pub(crate) async fn run_customer_post(
    output: &Output,
    context: &Context,
    dry_run: bool,
    target: SandboxFlag,
    args: &PostArgs,
) -> Result<(), CommandError> {
    if context.profiles.len() > 1 {
        return several::post::<Customer>(output, context, dry_run, target, args).await;
    }
    post::<Customer>(output, context, dry_run, target, args).await
}

/// What kind of journal a record type has.
trait Posted: PostRecord {
    const JOURNAL_KIND: Kind;
    /// The operation's name in a report to several profiles.
    const OPERATION: &'static str;
    /// What is posted, plural, for messages.
    const PLURAL: &'static str;
}

impl Posted for Lead {
    const JOURNAL_KIND: Kind = Kind::Lead;
    const OPERATION: &'static str = "post-leads";
    const PLURAL: &'static str = "leads";
}

impl Posted for Customer {
    const JOURNAL_KIND: Kind = Kind::Customer;
    const OPERATION: &'static str = "post-customers";
    const PLURAL: &'static str = "customers";
}

/// Whether `name` is a field of `R` (a customer's emergency contacts are
/// `EmergencyContacts/<n>/<field>`, n from 1 to 100).
fn is_field<R: PostRecord>(name: &str) -> bool {
    if R::field_index(name).is_some() {
        return true;
    }
    if !R::HAS_EMERGENCY_CONTACTS {
        return false;
    }
    let Some(rest) = name.strip_prefix("EmergencyContacts/") else {
        return false;
    };
    let Some((position, field)) = rest.split_once('/') else {
        return false;
    };
    position
        .parse::<usize>()
        .is_ok_and(|position| (1..=100).contains(&position))
        && EmergencyContact::field_index(field).is_some()
}

/// The field holding the sender's own id for an `R`, if it has one.
fn unique_id_field<R: PostRecord>() -> Option<&'static str> {
    R::LABEL_FIELD
        .and_then(|index| R::FIELDS.get(index))
        .map(|field| field.wire_name)
}

/// The record `R` of a line's fields, checked and normalised; each broken
/// rule is a bad record naming the line. Every rule is reported at once: the
/// values a field's type cannot hold (an enum code, an amount) are reported,
/// and the rest of the record is still checked.
fn prepare<R: PostRecord>(record: &Numbered, mode: Mode) -> Result<R, Vec<BadRecord>> {
    let pairs = || {
        record
            .fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str().unwrap_or_default()))
    };
    let unreadable = match R::from_fields(0, pairs()) {
        Ok(parsed) => {
            return parsed
                .normalised(0, mode)
                .map_err(|violations| bad_records(record, &violations, &[]));
        }
        Err(violations) => violations,
    };
    let broken: Vec<&str> = unreadable.iter().map(|v| v.field.as_ref()).collect();
    let mut bad = bad_records(record, &unreadable, &[]);
    let rest = pairs().filter(|(name, _)| !broken.contains(name));
    if let Err(violations) = R::from_fields(0, rest).and_then(|partial| partial.normalised(0, mode))
    {
        bad.extend(bad_records(record, &violations, &broken));
    }
    Err(bad)
}

/// The violations of `record`, but those of the `skip`ped fields.
fn bad_records(record: &Numbered, violations: &Violations, skip: &[&str]) -> Vec<BadRecord> {
    let unique_id = record.unique_id().map(str::to_owned);
    violations
        .iter()
        .filter(|violation| !skip.contains(&violation.field.as_ref()))
        .map(|violation| {
            BadRecord::new(
                record.line,
                unique_id.clone(),
                Some(violation.field.as_ref()),
                &violation.rule,
            )
        })
        .collect()
}

fn mode(args: &PostArgs) -> Mode {
    if args.strict {
        Mode::Strict
    } else {
        Mode::Normalise
    }
}

fn open_input<R: PostRecord>(
    args: &PostArgs,
) -> Result<RecordReader<std::io::BufReader<std::fs::File>>, LeadError> {
    let format = args
        .format
        .or_else(|| Format::of_path(&args.file))
        .ok_or_else(|| LeadError::NoFormat {
            path: args.file.clone(),
        })?;
    let file = std::fs::File::open(&args.file).map_err(|source| LeadError::Open {
        path: args.file.clone(),
        source,
    })?;
    Ok(RecordReader::new(
        std::io::BufReader::with_capacity(64 * 1024, file),
        format,
        is_field::<R>,
    )?)
}

/// A progress spinner on stderr, only when stdout is a terminal and the
/// output is text.
fn progress(output: &Output, kind: Kind) -> ProgressBar {
    if output.is_json() || !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} {{pos}} {}s read · {{msg}} · {{elapsed}}",
        kind.as_str()
    )) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

async fn post<R: Posted>(
    output: &Output,
    context: &Context,
    dry_run: bool,
    target: SandboxFlag,
    args: &PostArgs,
) -> Result<(), CommandError> {
    if dry_run {
        return dry_run_post::<R>(output, args);
    }
    let journal_path = args
        .journal
        .clone()
        .unwrap_or_else(|| journal::default_path(&args.file));
    let stop = Arc::new(AtomicBool::new(false));
    let report = post_to::<R>(
        output,
        context,
        args,
        journal_path,
        || Ok(select_target(context, target, ServiceKind::SecurityTrax)?),
        &stop,
    )
    .await?;
    output.finish(&report);
    finished(report.exit())
}

/// Posts the file to the target `select` gives, recording it in the journal
/// at `journal_path`; the report, not yet printed. `stop` is set by Ctrl-C
/// while posting.
async fn post_to<R: Posted>(
    output: &Output,
    context: &Context,
    args: &PostArgs,
    journal_path: PathBuf,
    select: impl FnOnce() -> Result<Target, CommandError>,
    stop: &Arc<AtomicBool>,
) -> Result<PostReport, CommandError> {
    let fingerprint = Fingerprint::of_file(&args.file).map_err(|source| LeadError::Open {
        path: args.file.clone(),
        source,
    })?;
    let mut reader = open_input::<R>(args)?;
    let mode_open = if args.resume {
        OpenMode::Resume
    } else {
        OpenMode::Fresh
    };
    let (mut journal, journal_path) = if args.no_journal {
        output.notice(
            "--no-journal: the delivery journal is in memory; a stopped run cannot be resumed",
        );
        let journal = Journal::in_memory(R::JOURNAL_KIND, &fingerprint).map_err(LeadError::from)?;
        (journal, PathBuf::from(":memory:"))
    } else {
        let journal = Journal::open(&journal_path, R::JOURNAL_KIND, &fingerprint, mode_open)
            .map_err(LeadError::from)?;
        (journal, journal_path)
    };
    let target = select()?;
    let (endpoint, sandbox) = endpoint(output, &target).await?;
    let result = async {
        let poster = HttpPoster::new(endpoint, mode(args), context.backend, args.posts_per_second)?;
        let bar = progress(output, R::JOURNAL_KIND);
        let options = Options {
            chunk_size: args.chunk_size,
            resend_unknown: args.resend_unknown,
            unique_id_field: unique_id_field::<R>(),
        };
        let watcher = tokio::spawn(stop_on_ctrl_c(stop.clone()));
        let delivered = deliver::deliver(
            &mut reader,
            &mut |record| prepare::<R>(record, mode(args)),
            &poster,
            &mut journal,
            options,
            &bar,
            &mut TestPause::from_env(),
            stop,
        )
        .await;
        watcher.abort();
        let delivered = delivered.map_err(LeadError::from)?;
        bar.finish_and_clear();
        let entries = journal.entries().map_err(LeadError::from)?;
        Ok::<_, CommandError>(PostReport::new(
            R::JOURNAL_KIND,
            &args.file,
            &journal_path,
            delivered,
            entries,
        ))
    }
    .await;
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    result
}

/// The first Ctrl-C sets `stop` (the run ends after the post in flight, which
/// is recorded); a second one ends the process at once (exit 130), which the
/// journal survives like any kill.
async fn stop_on_ctrl_c(stop: Arc<AtomicBool>) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    stop.store(true, Ordering::SeqCst);
    eprintln!(
        "note: Ctrl-C: stopping after the post in flight (Ctrl-C again stops at once; --resume carries on)"
    );
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(130);
    }
}

/// `Ok` for success, else the exit code with the report already printed.
fn finished(exit: crate::exit::Exit) -> Result<(), CommandError> {
    if exit == crate::exit::Exit::Success {
        Ok(())
    } else {
        Err(StraxError::from(LeadError::Reported(exit)).into())
    }
}

/// `--dry-run`: every record checked; in text, each post's document printed
/// as it would be sent; nothing sent, no journal.
fn dry_run_post<R: Posted>(output: &Output, args: &PostArgs) -> Result<(), CommandError> {
    let report = dry_run_report::<R>(output, args)?;
    output.finish(&report);
    output.notice("dry run: nothing was sent");
    finished(report.exit())
}

/// Every record checked and, in text, each post's document printed; the
/// report, not yet printed.
fn dry_run_report<R: Posted>(
    output: &Output,
    args: &PostArgs,
) -> Result<DryRunReport, CommandError> {
    let mut reader = open_input::<R>(args)?;
    let mode = mode(args);
    let mut bad = Vec::new();
    let (mut read, mut would_send, mut chunks) = (0_u64, 0_u64, 0_u64);
    let mut chunk: Vec<R> = Vec::with_capacity(args.chunk_size.get());
    let mut lines: (u64, u64) = (0, 0);
    let stdout = std::io::stdout();
    let print = |chunk: &mut Vec<R>, lines: (u64, u64), number: u64| -> Result<(), LeadError> {
        let document = strax_leads::encode_document(chunk, mode)
            .map_err(|violations| LeadError::Encode(violations.to_string()))?;
        if !output.is_json() {
            let mut out = stdout.lock();
            let written = writeln!(
                out,
                "# post {number}: lines {}-{}, {} {}(s)",
                lines.0,
                lines.1,
                chunk.len(),
                R::JOURNAL_KIND.as_str()
            )
            .and_then(|()| out.write_all(&document))
            .and_then(|()| writeln!(out));
            written.map_err(|source| LeadError::Write { source })?;
        }
        chunk.clear();
        Ok(())
    };
    while let Some(item) = reader.next_item().map_err(LeadError::from)? {
        read += 1;
        let record = match item {
            Item::Bad(record) => {
                bad.push(record);
                continue;
            }
            Item::Record(record) => record,
        };
        match prepare::<R>(&record, mode) {
            Ok(prepared) => {
                if chunk.is_empty() {
                    lines.0 = record.line;
                }
                lines.1 = record.line;
                chunk.push(prepared);
                would_send += 1;
            }
            Err(errors) => bad.extend(errors),
        }
        if chunk.len() == args.chunk_size.get() {
            chunks += 1;
            print(&mut chunk, lines, chunks)?;
        }
    }
    if !chunk.is_empty() {
        chunks += 1;
        print(&mut chunk, lines, chunks)?;
    }
    Ok(DryRunReport::new(&args.file, read, would_send, chunks, bad))
}

/// `lead unknown`: the records of a journal whose outcome is unknown.
fn unknown(
    output: &Output,
    file: Option<&Path>,
    journal: Option<&Path>,
    profile: Option<&str>,
) -> Result<(), CommandError> {
    let path: PathBuf = match (journal, file) {
        (Some(journal), _) => journal.to_owned(),
        (None, Some(file)) => unknown_journal_of(file, profile),
        (None, None) => {
            return Err(StraxError::from(LeadError::NoJournal).into());
        }
    };
    let mut journal = Journal::open_existing(&path).map_err(LeadError::from)?;
    let entries = journal.unknown().map_err(LeadError::from)?;
    let report = UnknownReport::new(&path, entries);
    output.finish(&report);
    finished(report.exit())
}

/// The journal `lead unknown FILE` reads: with a profile, the one a post to
/// several profiles kept for it (`FILE.PROFILE.crmwire-journal`) when it
/// exists; else the one a post to one profile kept (`FILE.crmwire-journal`).
fn unknown_journal_of(file: &Path, profile: Option<&str>) -> PathBuf {
    profile
        .map(|profile| journal::profile_path(file, profile))
        .filter(|path| path.exists())
        .unwrap_or_else(|| journal::default_path(file))
}

/// Where posts go, and the sandbox started for `--sandbox`.
async fn endpoint(
    output: &Output,
    target: &Target,
) -> Result<(Endpoint, Option<SandboxHandle>), CommandError> {
    match target {
        Target::Profile { name, spec } => {
            let ProfileSpec::SecurityTrax(profile) = spec else {
                return Err(StraxError::WrongService {
                    profile: name.clone(),
                    service: spec.service(),
                }
                .into());
            };
            let endpoint = Endpoint::new(&profile.base_url, &profile.site).map_err(|source| {
                StraxError::Endpoint {
                    profile: name.clone(),
                    source,
                }
            })?;
            Ok((endpoint, None))
        }
        Target::Sandbox => {
            let sandbox = ::sandbox::start(sandbox_config()).await?;
            let Some(base_url) = sandbox.service_url("securitytrax") else {
                sandbox.shutdown().await;
                return Err(StraxError::NoSandboxService.into());
            };
            let endpoint = match Endpoint::new(&base_url, DEMO_SITE) {
                Ok(endpoint) => endpoint,
                Err(source) => {
                    sandbox.shutdown().await;
                    return Err(StraxError::Endpoint {
                        profile: "embedded sandbox".to_owned(),
                        source,
                    }
                    .into());
                }
            };
            output.notice(&format!(
                "--sandbox: using the embedded sandbox (SecurityTrax site `{DEMO_SITE}`)"
            ));
            Ok((endpoint, Some(sandbox)))
        }
    }
}

/// Posts chunks with the facade's lead client over HTTP: paced
/// (`--posts-per-second`, a `429`'s `Retry-After` obeyed), resent only when
/// surely not received (a post is tagged never to be resent blindly).
struct HttpPoster {
    client: LeadClient<Retrying<Paced<HttpTransport>>>,
}

impl HttpPoster {
    fn new(
        endpoint: Endpoint,
        mode: Mode,
        backend: Backend,
        posts_per_second: NonZeroU32,
    ) -> Result<Self, StraxError> {
        let http = HttpTransport::new(backend, super::session::transport_config())
            .map_err(|source| StraxError::Transport { backend, source })?;
        let pace = PaceConfig::per_second(posts_per_second);
        let transport = Retrying::new(Paced::new(http, pace), RetryConfig::default());
        Ok(Self {
            client: LeadClient::new(endpoint, transport).with_mode(mode),
        })
    }
}

impl<R: PostRecord> Poster<R> for HttpPoster {
    async fn post(&self, records: &[R]) -> Result<Vec<Outcome>, facade::Error> {
        Ok(self
            .client
            .post_chunk(records)
            .await?
            .into_iter()
            .map(outcome_of)
            .collect())
    }
}

/// One record's outcome, as the journal keeps it: accepted, refused with the
/// service's texts, or unknown (any other failure of a record that was sent).
fn outcome_of(outcome: RecordOutcome) -> Outcome {
    match outcome {
        Ok(accepted) => Outcome::Accepted {
            customer_id: accepted.customer_id,
        },
        Err(facade::Error::Refused {
            service: ServiceError::SecurityTrax(failure),
        }) => Outcome::Rejected {
            texts: failure.texts.into_iter().map(|text| text.text).collect(),
        },
        Err(facade::Error::Unreadable { detail, .. }) => Outcome::Unknown { reason: detail },
        Err(other) => Outcome::Unknown {
            reason: crate::commands::failure::chain(&other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(line: u64, pairs: &[(&str, &str)]) -> Numbered {
        Numbered {
            line,
            fields: pairs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), serde_json::Value::from(*value)))
                .collect(),
        }
    }

    const GOOD: &[(&str, &str)] = &[
        ("source_id", "77"),
        ("fname", "Sue"),
        ("lname", "Stallman"),
        ("city", "Notus"),
        ("state", "id"),
        ("phone1", "(801) 312-7735"),
        ("lead_company_unique_id", "A1"),
    ];

    #[test]
    fn field_names_are_the_records_own() {
        assert!(is_field::<Lead>("lead_company_unique_id"));
        assert!(!is_field::<Lead>("nickname"));
        assert!(!is_field::<Lead>("EmergencyContacts/1/ContactName"));
        assert!(is_field::<Customer>("EmergencyContacts/1/ContactName"));
        assert!(!is_field::<Customer>("EmergencyContacts/0/ContactName"));
        assert!(!is_field::<Customer>("EmergencyContacts/1/Nickname"));
    }

    #[test]
    fn a_record_is_normalised_unless_strict_and_each_broken_rule_names_the_line() {
        let lead: Lead = prepare(&numbered(7, GOOD), Mode::Normalise).unwrap();
        assert_eq!(lead.field("state").as_deref(), Some("ID"));
        assert_eq!(lead.field("phone1").as_deref(), Some("8013127735"));
        let bad = prepare::<Lead>(&numbered(7, GOOD), Mode::Strict).unwrap_err();
        assert_eq!(bad.len(), 1);
        assert_eq!(
            (
                bad[0].line,
                bad[0].unique_id.as_deref(),
                bad[0].field.as_deref(),
                bad[0].rule
            ),
            (7, Some("A1"), Some("phone1"), "digits")
        );
        let mut missing = GOOD.to_vec();
        missing.retain(|(name, _)| *name != "fname");
        missing.push(("lead_home_ownership", "castle"));
        missing.push(("lead_purchase_price", "$3"));
        let bad = prepare::<Lead>(&numbered(9, &missing), Mode::Normalise).unwrap_err();
        let mut fields: Vec<&str> = bad.iter().filter_map(|b| b.field.as_deref()).collect();
        fields.sort_unstable();
        // Values the type cannot hold, and the rules of the rest: each once.
        assert_eq!(
            fields,
            ["fname", "lead_home_ownership", "lead_purchase_price"],
            "{bad:?}"
        );
        assert!(bad.iter().all(|b| b.line == 9));
    }

    #[test]
    fn every_service_outcome_is_kept() {
        use facade::securitytrax::DataText;
        let refused = facade::Error::Refused {
            service: ServiceError::SecurityTrax(facade::StraxFailure::new(
                None,
                vec![
                    DataText {
                        element: "error".into(),
                        text: "Invalid zip".into(),
                    },
                    DataText {
                        element: "message".into(),
                        text: "Try again".into(),
                    },
                ],
            )),
        };
        assert_eq!(
            outcome_of(Err(refused)),
            Outcome::Rejected {
                texts: vec!["Invalid zip".into(), "Try again".into()]
            }
        );
        let unanswered = facade::Error::Unreadable {
            detail: "the answer ended before this record".into(),
            may_have_executed: true,
            source: None,
        };
        assert_eq!(
            outcome_of(Err(unanswered)),
            Outcome::Unknown {
                reason: "the answer ended before this record".into()
            }
        );
        let lost = facade::Error::from(facade::transport::TransportError::maybe_received("reset"));
        assert!(matches!(outcome_of(Err(lost)), Outcome::Unknown { .. }));
    }
}
