//! The delivery loop: records read one at a time, checked, gathered into
//! chunks; each chunk recorded in the journal, posted, and its outcomes
//! recorded. Generic over the record type and the poster, so the loop is tested
//! with a fake service.
//!
//! What is never done: send a record whose outcome the journal knows; send a
//! record whose outcome is unknown unless `resend_unknown`; send a record whose
//! unique id an earlier line of the file was sent with (it is a bad record,
//! `<field> repeats line N`, found by the journal's index, not held in memory);
//! send a chunk that
//! is not recorded first. When a post fails as a whole, the loop stops: a
//! request that surely never left releases its chunk (its records are sent on
//! `--resume`); one whose outcome is unknown marks its records unknown.

use std::future::Future;
use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::ProgressBar;
use wire_core::validation::Rule;

use super::journal::{Journal, JournalError, Outcome, RecordRef};
use super::source::{BadRecord, Item, Numbered, RecordReader, SourceError};

/// Posts one chunk of records as one document.
pub(crate) trait Poster<R> {
    /// One outcome per record of `records`, in order, or the error that
    /// failed the post as a whole.
    fn post(&self, records: &[R]) -> impl Future<Output = Result<Vec<Outcome>, facade::Error>>;
}

/// How records are delivered.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Records per post.
    pub(crate) chunk_size: NonZeroUsize,
    /// Send again the records whose outcome is unknown (the user said so).
    pub(crate) resend_unknown: bool,
    /// The field holding the sender's own id for a record
    /// (`lead_company_unique_id`, `partner_company_unique_id`): a later line
    /// repeating an id is never sent. `None`: no such field.
    pub(crate) unique_id_field: Option<&'static str>,
}

/// A post that failed as a whole and stopped the run.
#[derive(Debug)]
pub(crate) struct Stopped {
    /// The first line of the chunk whose post failed.
    pub(crate) line: u64,
    /// How many records that chunk held.
    pub(crate) records: usize,
    /// Whether that chunk's records are now outcome unknown (else they were
    /// released and are sent on `--resume`).
    pub(crate) outcome_unknown: bool,
    /// Why.
    pub(crate) error: facade::Error,
}

/// What one run did (the outcomes themselves are in the journal).
#[derive(Debug, Default)]
pub(crate) struct Delivered {
    /// Records read (bad ones included).
    pub(crate) read: u64,
    /// Records that cannot be sent, with why.
    pub(crate) bad: Vec<BadRecord>,
    /// Records posted by this run.
    pub(crate) sent: u64,
    /// Chunks posted by this run.
    pub(crate) chunks: u64,
    /// Records skipped because an earlier run knows their outcome.
    pub(crate) already_known: u64,
    /// Records skipped because an earlier run left their outcome unknown.
    pub(crate) left_unknown: u64,
    /// The post that stopped the run, if one did.
    pub(crate) stopped: Option<Stopped>,
    /// Whether the user stopped the run (Ctrl-C) between two posts.
    pub(crate) interrupted: bool,
}

/// Why delivery could not go on (nothing about the service: see [`Stopped`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum DeliveryError {
    /// The input could not be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// Where the loop can be paused, for the tests that kill crmwire at each
/// point (`CRMWIRE_TEST_PAUSE_AT`, see [`TestPause`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Point {
    /// After the n-th record is read, before it joins a chunk.
    Read,
    /// After the n-th chunk is recorded in the journal, before it is sent.
    BeforeSend,
    /// Just before the n-th chunk's request goes out: announced, never paused
    /// (a test kills crmwire while the request is in flight).
    Sending,
    /// After the n-th chunk's answer came, before its outcomes are recorded.
    AfterAnswer,
}

impl Point {
    fn name(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::BeforeSend => "before-send",
            Self::Sending => "sending",
            Self::AfterAnswer => "after-answer",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [
            Self::Read,
            Self::BeforeSend,
            Self::Sending,
            Self::AfterAnswer,
        ]
        .into_iter()
        .find(|point| point.name() == name)
    }
}

/// **For tests only.** `CRMWIRE_TEST_PAUSE_AT=<point>:<n>` (points: `read`,
/// `before-send`, `sending`, `after-answer`) makes crmwire write
/// `test-pause: <point> <n>` to stderr when it reaches the n-th occurrence of
/// that point, and then wait forever (`sending` only announces and goes on),
/// so a test can kill it exactly there. Unset, nothing happens.
#[derive(Debug, Default)]
pub(crate) struct TestPause {
    at: Option<(Point, u64)>,
    counts: [u64; 4],
}

/// The variable [`TestPause`] reads.
pub(crate) const TEST_PAUSE_ENV: &str = "CRMWIRE_TEST_PAUSE_AT";

impl TestPause {
    /// From `CRMWIRE_TEST_PAUSE_AT` (unset or unreadable: never pauses).
    pub(crate) fn from_env() -> Self {
        Self::parse(std::env::var(TEST_PAUSE_ENV).ok().as_deref())
    }

    fn parse(value: Option<&str>) -> Self {
        let at = value.and_then(|value| {
            let (point, n) = value.split_once(':')?;
            Some((Point::parse(point)?, n.parse().ok()?))
        });
        Self { at, counts: [0; 4] }
    }

    /// Counts one occurrence of `point`; pauses there when asked to.
    fn reached(&mut self, point: Point) {
        let Some((wanted, n)) = self.at else {
            return;
        };
        let count = &mut self.counts[point as usize];
        *count += 1;
        if point != wanted || *count != n {
            return;
        }
        let mut stderr = std::io::stderr();
        let _ = writeln!(stderr, "test-pause: {} {n}", point.name());
        let _ = stderr.flush();
        if point == Point::Sending {
            return;
        }
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// Delivers every record of `reader`: `prepare` checks one (its errors make it
/// a bad record), `poster` posts each chunk, `journal` records each step. When
/// `stop` is set (Ctrl-C), the run ends before the next record or post: a post
/// in flight finishes and is recorded, the records not yet sent stay for
/// `--resume`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn deliver<I: Read, R, P: Poster<R>>(
    reader: &mut RecordReader<I>,
    prepare: &mut dyn FnMut(&Numbered) -> Result<R, Vec<BadRecord>>,
    poster: &P,
    journal: &mut Journal,
    options: Options,
    progress: &ProgressBar,
    pause: &mut TestPause,
    stop: &AtomicBool,
) -> Result<Delivered, DeliveryError> {
    let mut delivered = Delivered::default();
    let mut ids: Vec<RecordRef> = Vec::with_capacity(options.chunk_size.get());
    let mut records: Vec<R> = Vec::with_capacity(options.chunk_size.get());
    let resuming = journal.chunk_count()? > 0;
    loop {
        if stop.load(Ordering::SeqCst) {
            delivered.interrupted = true;
            return Ok(delivered);
        }
        let Some(item) = reader.next_item()? else {
            break;
        };
        delivered.read += 1;
        progress.inc(1);
        pause.reached(Point::Read);
        let record = match item {
            Item::Bad(bad) => {
                delivered.bad.push(bad);
                continue;
            }
            Item::Record(record) => record,
        };
        if resuming {
            match journal.state(record.line)? {
                None => {}
                Some(state) if state.is_unknown() && options.resend_unknown => {}
                Some(state) if state.is_unknown() => {
                    delivered.left_unknown += 1;
                    continue;
                }
                Some(_) => {
                    delivered.already_known += 1;
                    continue;
                }
            }
        }
        let unique_id = options
            .unique_id_field
            .and_then(|field| record.unique_id_in(field))
            .map(str::to_owned);
        let repeated = repeated(journal, &ids, &record, unique_id.as_deref(), options)?;
        match (prepare(&record), repeated) {
            (Ok(prepared), None) => {
                ids.push(RecordRef {
                    line: record.line,
                    unique_id,
                });
                records.push(prepared);
            }
            (Ok(_), Some(repeated)) => {
                delivered.bad.push(repeated);
                continue;
            }
            (Err(bad), repeated) => {
                delivered.bad.extend(bad);
                delivered.bad.extend(repeated);
                continue;
            }
        }
        if records.len() == options.chunk_size.get() {
            send_chunk(
                &mut ids,
                &mut records,
                poster,
                journal,
                pause,
                &mut delivered,
            )
            .await?;
            progress.set_message(message(&delivered));
            if delivered.stopped.is_some() {
                return Ok(delivered);
            }
        }
    }
    if !records.is_empty() && !stop.load(Ordering::SeqCst) {
        send_chunk(
            &mut ids,
            &mut records,
            poster,
            journal,
            pause,
            &mut delivered,
        )
        .await?;
        progress.set_message(message(&delivered));
    }
    Ok(delivered)
}

/// The bad record `record` is when its unique id is one an earlier line was
/// sent with (in the journal) or is about to be sent with (in the chunk being
/// gathered, at most a chunk's size).
fn repeated(
    journal: &mut Journal,
    pending: &[RecordRef],
    record: &Numbered,
    unique_id: Option<&str>,
    options: Options,
) -> Result<Option<BadRecord>, JournalError> {
    let (Some(field), Some(unique_id)) = (options.unique_id_field, unique_id) else {
        return Ok(None);
    };
    let earlier = match journal.earlier_line_of(unique_id, record.line)? {
        Some(line) => Some(line),
        None => pending
            .iter()
            .find(|sent| sent.unique_id.as_deref() == Some(unique_id))
            .map(|sent| sent.line),
    };
    Ok(earlier.map(|line| {
        BadRecord::new(
            record.line,
            Some(unique_id.to_owned()),
            Some(field),
            &Rule::Other {
                code: "repeated_unique_id",
                message: format!("repeats line {line}").into(),
            },
        )
    }))
}

fn message(delivered: &Delivered) -> String {
    format!(
        "{} sent in {} chunk(s), {} not sendable",
        delivered.sent,
        delivered.chunks,
        delivered.bad.len()
    )
}

async fn send_chunk<R, P: Poster<R>>(
    ids: &mut Vec<RecordRef>,
    records: &mut Vec<R>,
    poster: &P,
    journal: &mut Journal,
    pause: &mut TestPause,
    delivered: &mut Delivered,
) -> Result<(), DeliveryError> {
    let chunk = journal.record_chunk(ids)?;
    pause.reached(Point::BeforeSend);
    pause.reached(Point::Sending);
    let answer = poster.post(records).await;
    pause.reached(Point::AfterAnswer);
    let first_line = ids.first().map_or(0, |id| id.line);
    delivered.chunks += 1;
    delivered.sent += ids.len() as u64;
    match answer {
        Ok(outcomes) => {
            let pairs: Vec<(u64, Outcome)> = ids.iter().map(|id| id.line).zip(outcomes).collect();
            journal.record_outcomes(chunk, &pairs)?;
        }
        Err(error) if error.outcome_unknown() => {
            let reason = crate::commands::failure::chain(&error);
            let pairs: Vec<(u64, Outcome)> = ids
                .iter()
                .map(|id| {
                    (
                        id.line,
                        Outcome::Unknown {
                            reason: reason.clone(),
                        },
                    )
                })
                .collect();
            journal.record_outcomes(chunk, &pairs)?;
            delivered.stopped = Some(Stopped {
                line: first_line,
                records: ids.len(),
                outcome_unknown: true,
                error,
            });
        }
        Err(error) => {
            journal.release_chunk(chunk)?;
            delivered.chunks -= 1;
            delivered.sent -= ids.len() as u64;
            delivered.stopped = Some(Stopped {
                line: first_line,
                records: ids.len(),
                outcome_unknown: false,
                error,
            });
        }
    }
    ids.clear();
    records.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::path::PathBuf;

    use facade::transport::TransportError;

    use super::*;
    use crate::commands::strax::lead::journal::{Fingerprint, Kind, OpenMode, State};

    fn is_settled(state: &State) -> bool {
        !state.is_unknown()
    }
    use crate::commands::strax::lead::source::Format;

    /// A fake service: accepts every record whose `fname` is not `Reject`,
    /// answers only the first `answer_at_most` records of a post, fails the
    /// posts whose numbers (from 1) are in `fail`, and logs every line posted.
    struct Fake {
        posted: RefCell<Vec<Vec<String>>>,
        fail: Vec<(usize, fn() -> facade::Error)>,
        answer_at_most: usize,
    }

    impl Fake {
        fn new() -> Self {
            Self {
                posted: RefCell::new(Vec::new()),
                fail: Vec::new(),
                answer_at_most: usize::MAX,
            }
        }

        fn all_posted(&self) -> Vec<String> {
            self.posted.borrow().iter().flatten().cloned().collect()
        }
    }

    impl Poster<String> for Fake {
        async fn post(&self, records: &[String]) -> Result<Vec<Outcome>, facade::Error> {
            let number = {
                let mut posted = self.posted.borrow_mut();
                posted.push(records.to_vec());
                posted.len()
            };
            if let Some((_, error)) = self.fail.iter().find(|(n, _)| *n == number) {
                return Err(error());
            }
            Ok(records
                .iter()
                .take(self.answer_at_most)
                .map(|name| {
                    if name == "Reject" {
                        Outcome::Rejected {
                            texts: vec!["Invalid fname".into()],
                        }
                    } else {
                        Outcome::Accepted {
                            customer_id: Some(format!("c-{name}")),
                        }
                    }
                })
                .collect())
        }
    }

    /// A record is its `fname`; a blank one is refused.
    fn prepare(record: &Numbered) -> Result<String, Vec<BadRecord>> {
        match record.fields.get("fname").and_then(|v| v.as_str()) {
            Some(name) if !name.is_empty() => Ok(name.to_owned()),
            _ => Err(vec![BadRecord::new(
                record.line,
                record.unique_id().map(str::to_owned),
                Some("fname"),
                &Rule::Required,
            )]),
        }
    }

    struct Setup {
        dir: PathBuf,
        input: String,
        stop: AtomicBool,
    }

    impl Setup {
        fn new(label: &str, names: &[&str]) -> Self {
            let dir = crate::commands::temp_path(&format!("deliver-{label}")).with_extension("d");
            std::fs::create_dir_all(&dir).unwrap();
            let mut input = String::from("fname,lead_company_unique_id\n");
            for (n, name) in names.iter().enumerate() {
                input.push_str(&format!("{name},L{n}\n"));
            }
            Self {
                dir,
                input,
                stop: AtomicBool::new(false),
            }
        }

        fn journal(&self, mode: OpenMode) -> Journal {
            Journal::open(
                &self.dir.join("journal"),
                Kind::Lead,
                &Fingerprint::of_reader(self.input.as_bytes()).unwrap(),
                mode,
            )
            .unwrap()
        }

        async fn run(
            &self,
            fake: &Fake,
            mode: OpenMode,
            options: Options,
        ) -> (Delivered, Vec<(u64, State)>) {
            let mut journal = self.journal(mode);
            let mut reader = RecordReader::new(self.input.as_bytes(), Format::Csv, |name| {
                matches!(name, "fname" | "lead_company_unique_id")
            })
            .unwrap();
            let delivered = deliver(
                &mut reader,
                &mut prepare,
                fake,
                &mut journal,
                options,
                &ProgressBar::hidden(),
                &mut TestPause::default(),
                &self.stop,
            )
            .await
            .unwrap();
            let states = journal
                .entries()
                .unwrap()
                .into_iter()
                .map(|entry| (entry.line, entry.state))
                .collect();
            (delivered, states)
        }
    }

    impl Drop for Setup {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn options(chunk: usize) -> Options {
        Options {
            chunk_size: NonZeroUsize::new(chunk).unwrap(),
            resend_unknown: false,
            unique_id_field: Some("lead_company_unique_id"),
        }
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    fn accepted(name: &str) -> State {
        State::Accepted {
            customer_id: Some(format!("c-{name}")),
        }
    }

    #[test]
    fn records_go_in_chunks_and_bad_ones_stay_behind() {
        let setup = Setup::new("chunks", &["Ann", "", "Bob", "Reject", "Cy"]);
        let fake = Fake::new();
        let (delivered, states) = block_on(setup.run(&fake, OpenMode::Fresh, options(2)));
        assert_eq!(
            *fake.posted.borrow(),
            [vec!["Ann", "Bob"], vec!["Reject", "Cy"]]
        );
        assert_eq!(
            (delivered.read, delivered.sent, delivered.chunks),
            (5, 4, 2)
        );
        assert_eq!(delivered.bad.len(), 1);
        assert_eq!(delivered.bad[0].line, 3);
        assert_eq!(delivered.bad[0].unique_id.as_deref(), Some("L1"));
        assert_eq!(
            states,
            [
                (2, accepted("Ann")),
                (4, accepted("Bob")),
                (
                    5,
                    State::Rejected {
                        texts: vec!["Invalid fname".into()]
                    }
                ),
                (6, accepted("Cy")),
            ]
        );
    }

    #[test]
    fn a_short_answer_leaves_the_unanswered_records_unknown() {
        let setup = Setup::new("short", &["Ann", "Bob", "Cy"]);
        let mut fake = Fake::new();
        fake.answer_at_most = 1;
        let (_, states) = block_on(setup.run(&fake, OpenMode::Fresh, options(3)));
        assert_eq!(states[0], (2, accepted("Ann")));
        assert!(
            states[1].1.is_unknown() && states[2].1.is_unknown(),
            "{states:?}"
        );
    }

    #[test]
    fn a_post_that_never_left_stops_the_run_and_resume_sends_it_once() {
        let setup = Setup::new("not-sent", &["Ann", "Bob", "Cy", "Dee", "Eve"]);
        let mut fake = Fake::new();
        fake.fail = vec![(2, || {
            facade::Error::from(TransportError::not_sent("connection refused"))
        })];
        let (delivered, states) = block_on(setup.run(&fake, OpenMode::Fresh, options(2)));
        let stopped = delivered.stopped.expect("stopped");
        assert_eq!((stopped.line, stopped.records), (4, 2));
        assert!(!stopped.outcome_unknown);
        assert_eq!((delivered.sent, delivered.chunks), (2, 1));
        assert_eq!(
            states.len(),
            2,
            "the released chunk is forgotten: {states:?}"
        );
        assert_eq!(fake.all_posted(), ["Ann", "Bob", "Cy", "Dee"]);

        let fake = Fake::new();
        let (delivered, states) = block_on(setup.run(&fake, OpenMode::Resume, options(2)));
        assert!(delivered.stopped.is_none());
        assert_eq!(fake.all_posted(), ["Cy", "Dee", "Eve"]);
        assert_eq!(delivered.already_known, 2);
        assert_eq!(states.len(), 5);
        assert!(states.iter().all(|(_, state)| is_settled(state)));
    }

    #[test]
    fn an_unknown_outcome_stops_the_run_and_is_never_resent_unless_asked() {
        let setup = Setup::new("unknown", &["Ann", "Bob", "Cy", "Dee", "Eve"]);
        let mut fake = Fake::new();
        fake.fail = vec![(2, || {
            facade::Error::from(TransportError::maybe_received("connection reset"))
        })];
        let (delivered, states) = block_on(setup.run(&fake, OpenMode::Fresh, options(2)));
        assert!(delivered.stopped.as_ref().unwrap().outcome_unknown);
        let unknown: Vec<u64> = states
            .iter()
            .filter(|(_, state)| state.is_unknown())
            .map(|(line, _)| *line)
            .collect();
        assert_eq!(unknown, [4, 5]);

        // Resumed: the unknown ones stay behind, the rest goes.
        let fake = Fake::new();
        let (delivered, _) = block_on(setup.run(&fake, OpenMode::Resume, options(2)));
        assert_eq!(fake.all_posted(), ["Eve"]);
        assert_eq!((delivered.already_known, delivered.left_unknown), (2, 2));

        // Resumed with resend_unknown: only the unknown ones go, once.
        let fake = Fake::new();
        let (delivered, states) = block_on(setup.run(
            &fake,
            OpenMode::Resume,
            Options {
                resend_unknown: true,
                ..options(2)
            },
        ));
        assert_eq!(fake.all_posted(), ["Cy", "Dee"]);
        assert_eq!(delivered.already_known, 3);
        assert!(states.iter().all(|(_, state)| is_settled(state)));
    }

    #[test]
    fn a_fresh_run_on_a_used_journal_is_refused_before_anything_is_sent() {
        let setup = Setup::new("fresh-again", &["Ann"]);
        let fake = Fake::new();
        block_on(setup.run(&fake, OpenMode::Fresh, options(2)));
        let err = Journal::open(
            &setup.dir.join("journal"),
            Kind::Lead,
            &Fingerprint::of_reader(setup.input.as_bytes()).unwrap(),
            OpenMode::Fresh,
        )
        .unwrap_err();
        assert!(matches!(err, JournalError::Exists { .. }), "{err}");
    }

    #[test]
    fn a_stop_ends_the_run_between_posts_and_resume_sends_the_rest_once() {
        let setup = Setup::new("stop", &["Ann", "Bob", "Cy"]);
        /// Asks to stop while its first post is in flight.
        struct Stopping<'a>(&'a Fake, &'a AtomicBool);
        impl Poster<String> for Stopping<'_> {
            async fn post(&self, records: &[String]) -> Result<Vec<Outcome>, facade::Error> {
                self.1.store(true, Ordering::SeqCst);
                self.0.post(records).await
            }
        }
        let fake = Fake::new();
        let (delivered, states) = block_on(async {
            let mut journal = setup.journal(OpenMode::Fresh);
            let mut reader = RecordReader::new(setup.input.as_bytes(), Format::Csv, |name| {
                matches!(name, "fname" | "lead_company_unique_id")
            })
            .unwrap();
            let delivered = deliver(
                &mut reader,
                &mut prepare,
                &Stopping(&fake, &setup.stop),
                &mut journal,
                options(2),
                &ProgressBar::hidden(),
                &mut TestPause::default(),
                &setup.stop,
            )
            .await
            .unwrap();
            (delivered, journal.entries().unwrap())
        });
        assert!(delivered.interrupted);
        // The post in flight finished and was recorded; nothing more was sent.
        assert_eq!(fake.all_posted(), ["Ann", "Bob"]);
        assert_eq!(states.len(), 2);
        assert!(states.iter().all(|entry| !entry.state.is_unknown()));

        setup.stop.store(false, Ordering::SeqCst);
        let fake = Fake::new();
        let (delivered, _) = block_on(setup.run(&fake, OpenMode::Resume, options(2)));
        assert!(!delivered.interrupted);
        assert_eq!(fake.all_posted(), ["Cy"]);
    }

    /// Line, rule and message of each bad record.
    fn bad_lines(delivered: &Delivered) -> Vec<(u64, &str, &str)> {
        delivered
            .bad
            .iter()
            .map(|bad| (bad.line, bad.rule, bad.message.as_str()))
            .collect()
    }

    const REPEATS_LINE_2: &str = "field `lead_company_unique_id` repeats line 2";

    #[test]
    fn a_repeated_unique_id_is_never_sent_whether_its_first_line_is_pending_or_sent() {
        let mut setup = Setup::new("repeated", &[]);
        // Lines 2-7: A, B, A again (its first line still gathering), C, A
        // again (its first line sent), E.
        setup.input =
            "fname,lead_company_unique_id\nAnn,A\nBob,B\nAnn2,A\nCy,C\nAnn3,A\nEve,E\n".to_owned();
        let fake = Fake::new();
        let (delivered, states) = block_on(setup.run(&fake, OpenMode::Fresh, options(3)));
        assert_eq!(fake.all_posted(), ["Ann", "Bob", "Cy", "Eve"]);
        assert_eq!(
            bad_lines(&delivered),
            [
                (4, "repeated_unique_id", REPEATS_LINE_2),
                (6, "repeated_unique_id", REPEATS_LINE_2)
            ]
        );
        assert_eq!(
            delivered.bad[0].field.as_deref(),
            Some("lead_company_unique_id")
        );
        assert_eq!(delivered.bad[0].unique_id.as_deref(), Some("A"));
        let lines: Vec<u64> = states.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 3, 5, 7]);
    }

    #[test]
    fn a_repeated_unique_id_stays_unsent_across_resume_and_a_resent_line_is_not_its_own_repeat() {
        let mut setup = Setup::new("repeated-resume", &[]);
        setup.input =
            "fname,lead_company_unique_id\nAnn,A\nBob,B\nAnn2,A\nCy,C\nAnn3,A\nEve,E\n".to_owned();
        // The second post never leaves: the run stops, its chunk is released.
        let mut fake = Fake::new();
        fake.fail = vec![(2, || {
            facade::Error::from(TransportError::not_sent("connection refused"))
        })];
        let (delivered, _) = block_on(setup.run(&fake, OpenMode::Fresh, options(2)));
        assert!(delivered.stopped.is_some());
        assert_eq!(fake.all_posted(), ["Ann", "Bob", "Cy", "Eve"]);
        assert_eq!(
            bad_lines(&delivered)[0],
            (4, "repeated_unique_id", REPEATS_LINE_2)
        );

        // Resumed: line 2 is known (not a repeat of itself); lines 4 and 6
        // repeat it, found in the journal; the released records go once.
        let fake = Fake::new();
        let (delivered, states) = block_on(setup.run(&fake, OpenMode::Resume, options(2)));
        assert_eq!(fake.all_posted(), ["Cy", "Eve"]);
        assert_eq!(delivered.already_known, 2);
        assert_eq!(
            bad_lines(&delivered),
            [
                (4, "repeated_unique_id", REPEATS_LINE_2),
                (6, "repeated_unique_id", REPEATS_LINE_2)
            ]
        );
        assert_eq!(states.len(), 4);

        // A line whose outcome is unknown, sent again on request, is not a
        // repeat of itself.
        let setup = Setup::new("repeated-resend", &["Ann", "Bob"]);
        let mut fake = Fake::new();
        fake.fail = vec![(1, || {
            facade::Error::from(TransportError::maybe_received("connection reset"))
        })];
        block_on(setup.run(&fake, OpenMode::Fresh, options(2)));
        let fake = Fake::new();
        let (delivered, states) = block_on(setup.run(
            &fake,
            OpenMode::Resume,
            Options {
                resend_unknown: true,
                ..options(2)
            },
        ));
        assert_eq!(fake.all_posted(), ["Ann", "Bob"]);
        assert!(delivered.bad.is_empty(), "{:?}", delivered.bad);
        assert!(states.iter().all(|(_, state)| is_settled(state)));
    }

    #[test]
    fn the_test_pause_reads_its_variable() {
        let pause = TestPause::parse(Some("before-send:3"));
        assert_eq!(pause.at, Some((Point::BeforeSend, 3)));
        assert_eq!(TestPause::parse(Some("nowhere:1")).at, None);
        assert_eq!(TestPause::parse(Some("read")).at, None);
        assert_eq!(TestPause::parse(None).at, None);
        // Counting a point that is not the one asked for never pauses.
        let mut pause = TestPause::parse(Some("after-answer:1"));
        pause.reached(Point::Read);
        pause.reached(Point::BeforeSend);
        assert_eq!(pause.counts[Point::Read as usize], 1);
    }
}
