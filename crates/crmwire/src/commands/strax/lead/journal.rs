//! The delivery journal of `lead post` and `customer post`: an SQLite database
//! (compiled in, WAL, `synchronous = FULL`) beside the input file, so that a run
//! stopped in any way (Ctrl-C, `kill -9`, a crash, a lost connection) can be
//! resumed without sending a record twice and without losing one.
//!
//! # What it holds
//! - the input file's [`Fingerprint`] (SHA-256 of its bytes) and the kind of
//!   record (`lead` or `customer`): a journal refuses another file, or the same
//!   file changed, since its records are known by line number;
//! - one row per chunk sent, and one row per record in a chunk: its line, its
//!   unique id (`lead_company_unique_id`, a customer's
//!   `partner_company_unique_id`) when given, and what became of it. The ids
//!   are indexed: a later line repeating one is refused before sending
//!   ([`Journal::earlier_line_of`]), across `--resume` too, with nothing per
//!   id held in memory.
//!
//! # The protocol, one transaction per step
//! 1. [`Journal::record_chunk`] before the chunk is sent: its records are now
//!    [`State::Sent`].
//! 2. After the answer, [`Journal::record_outcomes`]: each record becomes
//!    [`State::Accepted`], [`State::Rejected`] or [`State::Unknown`] (the answer
//!    had no word on it); or, when the request surely never left,
//!    [`Journal::release_chunk`] forgets the chunk and its records can be sent
//!    again.
//!
//! A run stopped between 1 and 2 leaves records in [`State::Sent`]: the service
//! may have them. Like [`State::Unknown`] they are **outcome unknown**: listed by
//! [`Journal::unknown`], never sent again unless the user asks
//! ([`Journal::record_chunk`] accepts them again only then, and counts the sends).
//!
//! The journal holds no field values but the caller's own unique ids, the
//! service's customer ids and its refusal texts: no personal data.
//!
//! One process at a time: the journal is opened in SQLite's exclusive locking
//! mode, so a second run on the same journal is refused ([`JournalError::InUse`]).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The schema's version, in SQLite's `user_version`.
const SCHEMA_VERSION: i64 = 1;

/// The default journal of an input file: `<file>.crmwire-journal` beside it.
pub(crate) fn default_path(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".crmwire-journal");
    PathBuf::from(name)
}

/// The journal of `input` for profile `profile` when one run posts to
/// several: `FILE.PROFILE.crmwire-journal`, beside the input. A character of
/// the name other than a letter, digit, `-` or `_` is written `%XX` (its
/// UTF-8 bytes), so two profiles never share a journal and a name cannot
/// point elsewhere.
pub(crate) fn profile_path(input: &Path, profile: &str) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".");
    let mut escaped = String::with_capacity(profile.len());
    for byte in profile.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    name.push(escaped);
    name.push(".crmwire-journal");
    PathBuf::from(name)
}

/// What kind of record a journal delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Leads (`<leads>`).
    Lead,
    /// Customers (`<customers>`).
    Customer,
}

impl Kind {
    /// `lead` or `customer`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Customer => "customer",
        }
    }
}

/// The SHA-256 of an input file's bytes, written `sha256:<hex>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint(String);

impl Fingerprint {
    /// The fingerprint of the file at `path`, read in blocks (memory stays flat).
    pub(crate) fn of_file(path: &Path) -> std::io::Result<Self> {
        Self::of_reader(std::fs::File::open(path)?)
    }

    /// The fingerprint of everything `reader` gives.
    pub(crate) fn of_reader(mut reader: impl Read) -> std::io::Result<Self> {
        let mut hasher = Sha256::new();
        let mut buffer = vec![0_u8; 64 * 1024];
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            hasher.update(&buffer[..n]);
        }
        let digest = hasher.finalize();
        let mut text = String::with_capacity(7 + 64);
        text.push_str("sha256:");
        for byte in digest.iter() {
            text.push_str(&format!("{byte:02x}"));
        }
        Ok(Self(text))
    }

    /// `sha256:<hex>`.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// A record of the input, as the journal knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordRef {
    /// The line it starts on.
    pub(crate) line: u64,
    /// Its unique id (`lead_company_unique_id`, `partner_company_unique_id`), when given.
    pub(crate) unique_id: Option<String>,
}

/// What the service said about one record of a chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Accepted, with the customer id it was given (`None`: the answer named
    /// none, the record exists all the same).
    Accepted {
        /// The new customer's id.
        customer_id: Option<String>,
    },
    /// Refused, with every text the service gave.
    Rejected {
        /// The service's texts, as it sent them.
        texts: Vec<String>,
    },
    /// The answer did not say (too few answers, an unreadable one, or the
    /// request's own outcome is unknown).
    Unknown {
        /// Why it is not known.
        reason: String,
    },
}

/// What the journal knows of one record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub(crate) enum State {
    /// In a chunk that was (about to be) sent, with no outcome recorded: the
    /// service may or may not have it.
    Sent,
    /// Accepted.
    Accepted {
        /// The new customer's id, when the answer named it.
        customer_id: Option<String>,
    },
    /// Refused by the service.
    Rejected {
        /// The service's texts.
        texts: Vec<String>,
    },
    /// Answered without a word on this record, or the request's own outcome is
    /// unknown.
    Unknown {
        /// Why.
        reason: String,
    },
}

impl State {
    /// Whether the service may have the record without crmwire knowing what
    /// became of it.
    pub(crate) fn is_unknown(&self) -> bool {
        matches!(self, Self::Sent | Self::Unknown { .. })
    }
}

/// One record in the journal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Entry {
    /// Its line in the input.
    pub(crate) line: u64,
    /// Its unique id (`lead_company_unique_id`, `partner_company_unique_id`), when given.
    pub(crate) unique_id: Option<String>,
    /// The chunk it was last sent in.
    pub(crate) chunk: i64,
    /// How many times it was sent (more than once only with `--resend-unknown`).
    pub(crate) sends: u32,
    /// What became of it.
    #[serde(flatten)]
    pub(crate) state: State,
}

/// A chunk's number in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChunkId(i64);

/// How a journal is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenMode {
    /// A new run: a journal that already holds chunks is refused (resume it,
    /// or name another).
    Fresh,
    /// `--resume`: carry on from what the journal holds (a missing journal is
    /// a fresh start).
    Resume,
}

/// Why the journal cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum JournalError {
    /// SQLite failed.
    #[error("delivery journal {}: {source}", path.display())]
    Sqlite {
        /// The journal.
        path: PathBuf,
        /// What failed.
        #[source]
        source: rusqlite::Error,
    },
    /// The input file is not the one the journal was started with.
    #[error(
        "delivery journal {}: the input file changed since the journal was started ({recorded}, now {now}); records are known by line, so it cannot be resumed with this file (restore the original file, or name a new journal with --journal)",
        path.display()
    )]
    Changed {
        /// The journal.
        path: PathBuf,
        /// The fingerprint it holds.
        recorded: String,
        /// The file's fingerprint now.
        now: String,
    },
    /// The journal belongs to another kind of post.
    #[error("delivery journal {} is for `{recorded} post`, not `{asked} post`", path.display())]
    OtherKind {
        /// The journal.
        path: PathBuf,
        /// Its kind.
        recorded: String,
        /// The kind asked for.
        asked: &'static str,
    },
    /// A fresh run found a journal with chunks in it.
    #[error(
        "delivery journal {} already holds {chunks} sent chunk(s) of this file: add --resume to carry on without sending anything twice (or name another journal with --journal)",
        path.display()
    )]
    Exists {
        /// The journal.
        path: PathBuf,
        /// How many chunks it holds.
        chunks: i64,
    },
    /// Another process has the journal open.
    #[error("delivery journal {} is in use by another crmwire run", path.display())]
    InUse {
        /// The journal.
        path: PathBuf,
    },
    /// There is no journal where one was expected.
    #[error("no delivery journal at {}", path.display())]
    NotFound {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The file is not a crmwire delivery journal (or of a newer crmwire).
    #[error("{} is not a delivery journal of this crmwire version", path.display())]
    NotAJournal {
        /// The file.
        path: PathBuf,
    },
    /// A record was given to a chunk while its outcome is known (a bug).
    #[error(
        "delivery journal {}: line {line} already has a known outcome; it is not sent again",
        path.display()
    )]
    AlreadyKnown {
        /// The journal.
        path: PathBuf,
        /// The record's line.
        line: u64,
    },
}

impl JournalError {
    /// Whether the user's input or options are to blame (exit 2), rather than
    /// crmwire or the machine.
    pub(crate) fn is_usage(&self) -> bool {
        matches!(
            self,
            Self::Changed { .. }
                | Self::OtherKind { .. }
                | Self::Exists { .. }
                | Self::InUse { .. }
                | Self::NotFound { .. }
                | Self::NotAJournal { .. }
        )
    }
}

/// An open delivery journal.
#[derive(Debug)]
pub(crate) struct Journal {
    connection: Connection,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates) the journal at `path` for `kind` records of the input
    /// whose fingerprint is `fingerprint`, and locks it for this process.
    pub(crate) fn open(
        path: &Path,
        kind: Kind,
        fingerprint: &Fingerprint,
        mode: OpenMode,
    ) -> Result<Self, JournalError> {
        let connection = Connection::open(path).map_err(|source| sqlite(path, source))?;
        let mut journal = Self {
            connection,
            path: path.to_owned(),
        };
        journal.configure()?;
        journal.check_or_start(kind, fingerprint)?;
        if mode == OpenMode::Fresh {
            let chunks = journal.chunk_count()?;
            if chunks > 0 {
                return Err(JournalError::Exists {
                    path: path.to_owned(),
                    chunks,
                });
            }
        }
        Ok(journal)
    }

    /// A journal in memory, for measuring what the durable journal costs
    /// (`--no-journal`, for benchmarks only): the same statements and
    /// transactions, nothing on disk, so nothing survives a stop.
    pub(crate) fn in_memory(kind: Kind, fingerprint: &Fingerprint) -> Result<Self, JournalError> {
        let path = PathBuf::from(":memory:");
        let connection = Connection::open_in_memory().map_err(|source| sqlite(&path, source))?;
        let mut journal = Self { connection, path };
        journal.check_or_start(kind, fingerprint)?;
        Ok(journal)
    }

    /// Opens an existing journal to read it (`lead unknown`), whatever its input.
    pub(crate) fn open_existing(path: &Path) -> Result<Self, JournalError> {
        if !path.exists() {
            return Err(JournalError::NotFound {
                path: path.to_owned(),
            });
        }
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| sqlite(path, source))?;
        let mut journal = Self {
            connection,
            path: path.to_owned(),
        };
        journal.configure()?;
        let version: i64 = journal
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|source| journal.error(source))?;
        if version != SCHEMA_VERSION {
            return Err(JournalError::NotAJournal {
                path: path.to_owned(),
            });
        }
        Ok(journal)
    }

    fn error(&self, source: rusqlite::Error) -> JournalError {
        sqlite(&self.path, source)
    }

    /// WAL, full durability, and this process alone.
    fn configure(&mut self) -> Result<(), JournalError> {
        let path = self.path.clone();
        let classify = |source: rusqlite::Error| match source.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                JournalError::InUse { path: path.clone() }
            }
            Some(ErrorCode::NotADatabase) => JournalError::NotAJournal { path: path.clone() },
            _ => sqlite(&path, source),
        };
        // Another run holding the journal is reported at once, not waited for.
        self.connection
            .busy_timeout(std::time::Duration::from_millis(200))
            .map_err(&classify)?;
        self.connection
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE;")
            .map_err(&classify)?;
        let mode: String = self
            .connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(&classify)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JournalError::NotAJournal { path });
        }
        self.connection
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(&classify)?;
        // Takes the exclusive lock now, so a second run is refused at once.
        self.connection
            .execute_batch("BEGIN EXCLUSIVE; COMMIT;")
            .map_err(&classify)?;
        Ok(())
    }

    /// Creates the schema in an empty journal and records the input; checks
    /// them in an existing one.
    fn check_or_start(
        &mut self,
        kind: Kind,
        fingerprint: &Fingerprint,
    ) -> Result<(), JournalError> {
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction()
            .map_err(|source| sqlite(&path, source))?;
        let version: i64 = transaction
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|source| sqlite(&path, source))?;
        if version == 0 {
            let tables: i64 = transaction
                .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
                .map_err(|source| sqlite(&path, source))?;
            if tables > 0 {
                return Err(JournalError::NotAJournal { path });
            }
            transaction
                .execute_batch(
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
                     CREATE TABLE chunks (
                         id INTEGER PRIMARY KEY,
                         state TEXT NOT NULL CHECK (state IN ('sent', 'answered', 'not_sent')),
                         recorded_at INTEGER NOT NULL,
                         answered_at INTEGER
                     ) STRICT;
                     CREATE TABLE records (
                         line INTEGER PRIMARY KEY,
                         unique_id TEXT,
                         chunk INTEGER NOT NULL REFERENCES chunks (id),
                         sends INTEGER NOT NULL DEFAULT 1,
                         state TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'rejected', 'unknown')),
                         customer_id TEXT,
                         texts TEXT,
                         reason TEXT
                     ) STRICT;
                     CREATE INDEX records_by_chunk ON records (chunk);
                     CREATE INDEX records_by_unique_id ON records (unique_id);
                     PRAGMA user_version = 1;",
                )
                .map_err(|source| sqlite(&path, source))?;
            transaction
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('kind', ?1), ('fingerprint', ?2), ('created_at', ?3)",
                    params![kind.as_str(), fingerprint.as_str(), now().to_string()],
                )
                .map_err(|source| sqlite(&path, source))?;
        } else if version != SCHEMA_VERSION {
            return Err(JournalError::NotAJournal { path });
        } else {
            let meta = |key: &str| -> Result<String, JournalError> {
                transaction
                    .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                        row.get(0)
                    })
                    .optional()
                    .map_err(|source| sqlite(&path, source))?
                    .ok_or_else(|| JournalError::NotAJournal { path: path.clone() })
            };
            let recorded_kind = meta("kind")?;
            if recorded_kind != kind.as_str() {
                return Err(JournalError::OtherKind {
                    path,
                    recorded: recorded_kind,
                    asked: kind.as_str(),
                });
            }
            let recorded = meta("fingerprint")?;
            if recorded != fingerprint.as_str() {
                return Err(JournalError::Changed {
                    path,
                    recorded,
                    now: fingerprint.as_str().to_owned(),
                });
            }
            // Journals started before repeated ids were looked up lack the index.
            transaction
                .execute_batch(
                    "CREATE INDEX IF NOT EXISTS records_by_unique_id ON records (unique_id);",
                )
                .map_err(|source| sqlite(&path, source))?;
        }
        transaction.commit().map_err(|source| sqlite(&path, source))
    }

    /// How many chunks were recorded as sent (released ones not counted).
    pub(crate) fn chunk_count(&mut self) -> Result<i64, JournalError> {
        self.connection
            .query_row(
                "SELECT count(*) FROM chunks WHERE state != 'not_sent'",
                [],
                |row| row.get(0),
            )
            .map_err(|source| self.error(source))
    }

    /// What the journal knows of the record at `line`, `None` if it was never
    /// sent.
    pub(crate) fn state(&mut self, line: u64) -> Result<Option<State>, JournalError> {
        let path = self.path.clone();
        let mut statement = self
            .connection
            .prepare_cached("SELECT state, customer_id, texts, reason FROM records WHERE line = ?1")
            .map_err(|source| sqlite(&path, source))?;
        statement
            .query_row([line_value(line)], |row| {
                state_of(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)
            })
            .optional()
            .map_err(|source| sqlite(&path, source))
    }

    /// The first line before `line` whose record was sent with `unique_id`
    /// (an indexed look-up: nothing per id is held in memory), `None` if no
    /// earlier line was.
    pub(crate) fn earlier_line_of(
        &mut self,
        unique_id: &str,
        line: u64,
    ) -> Result<Option<u64>, JournalError> {
        let path = self.path.clone();
        let mut statement = self
            .connection
            .prepare_cached("SELECT min(line) FROM records WHERE unique_id = ?1 AND line < ?2")
            .map_err(|source| sqlite(&path, source))?;
        let first: Option<i64> = statement
            .query_row(params![unique_id, line_value(line)], |row| row.get(0))
            .map_err(|source| sqlite(&path, source))?;
        Ok(first.and_then(|first| u64::try_from(first).ok()))
    }

    /// Records a chunk of `records` as sent, in one transaction, **before** it
    /// is sent. A record already in the journal is accepted only while its
    /// outcome is unknown (the user asked to send it again); its sends are
    /// counted.
    pub(crate) fn record_chunk(&mut self, records: &[RecordRef]) -> Result<ChunkId, JournalError> {
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction()
            .map_err(|source| sqlite(&path, source))?;
        transaction
            .execute(
                "INSERT INTO chunks (state, recorded_at) VALUES ('sent', ?1)",
                [now()],
            )
            .map_err(|source| sqlite(&path, source))?;
        let chunk = transaction.last_insert_rowid();
        {
            let mut insert = transaction
                .prepare_cached(
                    "INSERT INTO records (line, unique_id, chunk, state) VALUES (?1, ?2, ?3, 'sent')
                     ON CONFLICT (line) DO UPDATE SET
                         chunk = excluded.chunk, unique_id = excluded.unique_id,
                         sends = sends + 1, state = 'sent',
                         customer_id = NULL, texts = NULL, reason = NULL
                     WHERE state IN ('sent', 'unknown')",
                )
                .map_err(|source| sqlite(&path, source))?;
            for record in records {
                let changed = insert
                    .execute(params![line_value(record.line), record.unique_id, chunk])
                    .map_err(|source| sqlite(&path, source))?;
                if changed == 0 {
                    return Err(JournalError::AlreadyKnown {
                        path,
                        line: record.line,
                    });
                }
            }
        }
        transaction
            .commit()
            .map_err(|source| sqlite(&path, source))?;
        Ok(ChunkId(chunk))
    }

    /// Records the answer to `chunk`, in one transaction: each `(line,
    /// outcome)`; a record of the chunk without one becomes
    /// [`State::Unknown`].
    pub(crate) fn record_outcomes(
        &mut self,
        chunk: ChunkId,
        outcomes: &[(u64, Outcome)],
    ) -> Result<(), JournalError> {
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction()
            .map_err(|source| sqlite(&path, source))?;
        {
            let mut update = transaction
                .prepare_cached(
                    "UPDATE records SET state = ?1, customer_id = ?2, texts = ?3, reason = ?4
                     WHERE line = ?5 AND chunk = ?6",
                )
                .map_err(|source| sqlite(&path, source))?;
            for (line, outcome) in outcomes {
                let (state, customer_id, texts, reason) = match outcome {
                    Outcome::Accepted { customer_id } => {
                        ("accepted", customer_id.clone(), None, None)
                    }
                    Outcome::Rejected { texts } => (
                        "rejected",
                        None,
                        Some(serde_json::to_string(texts).unwrap_or_else(|_| "[]".to_owned())),
                        None,
                    ),
                    Outcome::Unknown { reason } => ("unknown", None, None, Some(reason.clone())),
                };
                update
                    .execute(params![
                        state,
                        customer_id,
                        texts,
                        reason,
                        line_value(*line),
                        chunk.0
                    ])
                    .map_err(|source| sqlite(&path, source))?;
            }
        }
        transaction
            .execute(
                "UPDATE records SET state = 'unknown', reason = 'the answer did not mention it'
                 WHERE chunk = ?1 AND state = 'sent'",
                [chunk.0],
            )
            .map_err(|source| sqlite(&path, source))?;
        transaction
            .execute(
                "UPDATE chunks SET state = 'answered', answered_at = ?1 WHERE id = ?2",
                params![now(), chunk.0],
            )
            .map_err(|source| sqlite(&path, source))?;
        transaction.commit().map_err(|source| sqlite(&path, source))
    }

    /// Forgets `chunk`, in one transaction, when its request surely never left:
    /// its records can be sent again (a record sent before, in an earlier
    /// chunk, goes back to outcome unknown).
    pub(crate) fn release_chunk(&mut self, chunk: ChunkId) -> Result<(), JournalError> {
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction()
            .map_err(|source| sqlite(&path, source))?;
        transaction
            .execute(
                "DELETE FROM records WHERE chunk = ?1 AND sends = 1",
                [chunk.0],
            )
            .map_err(|source| sqlite(&path, source))?;
        transaction
            .execute(
                "UPDATE records SET sends = sends - 1, state = 'unknown',
                     reason = 'sent before; sending it again failed before it left'
                 WHERE chunk = ?1",
                [chunk.0],
            )
            .map_err(|source| sqlite(&path, source))?;
        transaction
            .execute(
                "UPDATE chunks SET state = 'not_sent', answered_at = ?1 WHERE id = ?2",
                params![now(), chunk.0],
            )
            .map_err(|source| sqlite(&path, source))?;
        transaction.commit().map_err(|source| sqlite(&path, source))
    }

    /// Every record whose outcome is unknown, by line.
    pub(crate) fn unknown(&mut self) -> Result<Vec<Entry>, JournalError> {
        self.entries_where("WHERE state IN ('sent', 'unknown')")
    }

    /// Every record in the journal, by line.
    pub(crate) fn entries(&mut self) -> Result<Vec<Entry>, JournalError> {
        self.entries_where("")
    }

    fn entries_where(&mut self, filter: &str) -> Result<Vec<Entry>, JournalError> {
        let path = self.path.clone();
        let mut statement = self
            .connection
            .prepare(&format!(
                "SELECT line, unique_id, chunk, sends, state, customer_id, texts, reason
                 FROM records {filter} ORDER BY line"
            ))
            .map_err(|source| sqlite(&path, source))?;
        let rows = statement
            .query_map([], |row| {
                let line: i64 = row.get(0)?;
                Ok(Entry {
                    line: u64::try_from(line).unwrap_or_default(),
                    unique_id: row.get(1)?,
                    chunk: row.get(2)?,
                    sends: row.get(3)?,
                    state: state_of(row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?)?,
                })
            })
            .map_err(|source| sqlite(&path, source))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|source| sqlite(&path, source))
    }
}

fn sqlite(path: &Path, source: rusqlite::Error) -> JournalError {
    JournalError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

/// A line number as SQLite's integer (lines never reach `i64::MAX`).
fn line_value(line: u64) -> i64 {
    i64::try_from(line).unwrap_or(i64::MAX)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(0))
}

fn state_of(
    state: String,
    customer_id: Option<String>,
    texts: Option<String>,
    reason: Option<String>,
) -> rusqlite::Result<State> {
    Ok(match state.as_str() {
        "sent" => State::Sent,
        "accepted" => State::Accepted { customer_id },
        "rejected" => State::Rejected {
            texts: texts
                .and_then(|texts| serde_json::from_str(&texts).ok())
                .unwrap_or_default(),
        },
        _ => State::Unknown {
            reason: reason.unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of its own per test, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(label: &str) -> Self {
            let path = crate::commands::temp_path(&format!("journal-{label}")).with_extension("d");
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }

        fn journal(&self) -> PathBuf {
            self.0.join("leads.csv.crmwire-journal")
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn fingerprint(text: &str) -> Fingerprint {
        Fingerprint::of_reader(text.as_bytes()).unwrap()
    }

    fn refs(lines: &[u64]) -> Vec<RecordRef> {
        lines
            .iter()
            .map(|line| RecordRef {
                line: *line,
                unique_id: Some(format!("L{line}")),
            })
            .collect()
    }

    fn accepted(id: &str) -> Outcome {
        Outcome::Accepted {
            customer_id: Some(id.to_owned()),
        }
    }

    fn open(path: &Path, input: &str, mode: OpenMode) -> Result<Journal, JournalError> {
        Journal::open(path, Kind::Lead, &fingerprint(input), mode)
    }

    #[test]
    fn the_default_journal_sits_beside_the_input() {
        assert_eq!(
            default_path(Path::new("/data/leads.csv")),
            PathBuf::from("/data/leads.csv.crmwire-journal")
        );
    }

    #[test]
    fn a_profile_s_journal_has_its_name_escaped() {
        assert_eq!(
            profile_path(Path::new("/data/leads.csv"), "acme-2_x"),
            PathBuf::from("/data/leads.csv.acme-2_x.crmwire-journal")
        );
        assert_eq!(
            profile_path(Path::new("leads.csv"), "../a b"),
            PathBuf::from("leads.csv.%2E%2E%2Fa%20b.crmwire-journal")
        );
    }

    #[test]
    fn the_fingerprint_is_the_sha256_of_the_bytes() {
        assert_eq!(
            fingerprint("abc").as_str(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(fingerprint("abc"), fingerprint("abd"));
    }

    #[test]
    fn a_chunk_goes_from_sent_to_its_outcomes() {
        let scratch = Scratch::new("outcomes");
        let mut journal = open(&scratch.journal(), "input", OpenMode::Fresh).unwrap();
        assert_eq!(journal.state(2).unwrap(), None);
        let chunk = journal.record_chunk(&refs(&[2, 3, 5])).unwrap();
        assert_eq!(journal.state(2).unwrap(), Some(State::Sent));
        journal
            .record_outcomes(
                chunk,
                &[
                    (2, accepted("1001")),
                    (
                        3,
                        Outcome::Rejected {
                            texts: vec!["Invalid state".into(), "Bad \"zip\"".into()],
                        },
                    ),
                ],
            )
            .unwrap();
        assert_eq!(journal.state(2).unwrap(), Some(accepted_state("1001")));
        assert_eq!(
            journal.state(3).unwrap(),
            Some(State::Rejected {
                texts: vec!["Invalid state".into(), "Bad \"zip\"".into()]
            })
        );
        // Line 5 had no answer: unknown, never assumed failed or accepted.
        let five = journal.state(5).unwrap().unwrap();
        assert!(five.is_unknown(), "{five:?}");
        let unknown = journal.unknown().unwrap();
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].line, 5);
        assert_eq!(unknown[0].unique_id.as_deref(), Some("L5"));
        assert_eq!(journal.entries().unwrap().len(), 3);
        assert_eq!(journal.chunk_count().unwrap(), 1);
    }

    fn accepted_state(id: &str) -> State {
        State::Accepted {
            customer_id: Some(id.to_owned()),
        }
    }

    #[test]
    fn a_crash_after_recording_a_chunk_leaves_it_outcome_unknown_on_reopen() {
        let scratch = Scratch::new("crash-before-answer");
        let path = scratch.journal();
        {
            let mut journal = open(&path, "input", OpenMode::Fresh).unwrap();
            let first = journal.record_chunk(&refs(&[2, 3])).unwrap();
            journal
                .record_outcomes(first, &[(2, accepted("1")), (3, accepted("2"))])
                .unwrap();
            journal.record_chunk(&refs(&[4, 5])).unwrap();
            // Dropped here without an answer: the process died mid-request.
        }
        let mut journal = open(&path, "input", OpenMode::Resume).unwrap();
        assert_eq!(journal.state(2).unwrap(), Some(accepted_state("1")));
        assert_eq!(journal.state(4).unwrap(), Some(State::Sent));
        let unknown: Vec<u64> = journal.unknown().unwrap().iter().map(|e| e.line).collect();
        assert_eq!(unknown, [4, 5]);
        // Never sent again unless asked: a known outcome is refused outright…
        let err = journal.record_chunk(&refs(&[3])).unwrap_err();
        assert!(
            matches!(err, JournalError::AlreadyKnown { line: 3, .. }),
            "{err}"
        );
        // …and the refused chunk left nothing behind.
        assert_eq!(journal.state(3).unwrap(), Some(accepted_state("2")));
        // An unknown one may be sent again when the user asks; the sends are counted.
        let again = journal.record_chunk(&refs(&[4])).unwrap();
        journal
            .record_outcomes(again, &[(4, accepted("9"))])
            .unwrap();
        let four = journal
            .entries()
            .unwrap()
            .into_iter()
            .find(|entry| entry.line == 4)
            .unwrap();
        assert_eq!((four.sends, four.state), (2, accepted_state("9")));
        // Line 5 stays in its old chunk, still unknown.
        assert_eq!(journal.state(5).unwrap(), Some(State::Sent));
    }

    #[test]
    fn an_earlier_line_with_the_same_unique_id_is_found_by_the_index() {
        let scratch = Scratch::new("earlier-line");
        let path = scratch.journal();
        {
            let mut journal = open(&path, "input", OpenMode::Fresh).unwrap();
            journal
                .record_chunk(&[
                    RecordRef {
                        line: 2,
                        unique_id: Some("A".into()),
                    },
                    RecordRef {
                        line: 3,
                        unique_id: None,
                    },
                ])
                .unwrap();
        }
        let mut journal = open(&path, "input", OpenMode::Resume).unwrap();
        assert_eq!(journal.earlier_line_of("A", 9).unwrap(), Some(2));
        // A line is not a repeat of itself, nor of a later line.
        assert_eq!(journal.earlier_line_of("A", 2).unwrap(), None);
        assert_eq!(journal.earlier_line_of("B", 9).unwrap(), None);
        let plan: String = journal
            .connection
            .query_row(
                "EXPLAIN QUERY PLAN SELECT min(line) FROM records WHERE unique_id = 'A' AND line < 9",
                [],
                |row| row.get(3),
            )
            .unwrap();
        assert!(plan.contains("records_by_unique_id"), "{plan}");
    }

    #[test]
    fn a_crash_inside_a_transaction_leaves_nothing_of_it() {
        let scratch = Scratch::new("crash-in-transaction");
        let path = scratch.journal();
        {
            let mut journal = open(&path, "input", OpenMode::Fresh).unwrap();
            journal.record_chunk(&refs(&[2, 3])).unwrap();
            // An outcome transaction begun but never committed (the process
            // died between its statements).
            let transaction = journal.connection.transaction().unwrap();
            transaction
                .execute(
                    "UPDATE records SET state = 'accepted', customer_id = '1' WHERE line = 2",
                    [],
                )
                .unwrap();
            std::mem::forget(transaction);
            // The connection is dropped with the transaction open; SQLite rolls it back.
        }
        let mut journal = open(&path, "input", OpenMode::Resume).unwrap();
        assert_eq!(journal.state(2).unwrap(), Some(State::Sent));
        assert_eq!(journal.state(3).unwrap(), Some(State::Sent));
    }

    #[test]
    fn a_chunk_that_never_left_is_forgotten() {
        let scratch = Scratch::new("release");
        let mut journal = open(&scratch.journal(), "input", OpenMode::Fresh).unwrap();
        let first = journal.record_chunk(&refs(&[2])).unwrap();
        journal
            .record_outcomes(
                first,
                &[(
                    2,
                    Outcome::Unknown {
                        reason: "timed out".into(),
                    },
                )],
            )
            .unwrap();
        let chunk = journal.record_chunk(&refs(&[2, 3])).unwrap();
        journal.release_chunk(chunk).unwrap();
        // Line 3 was only in the released chunk: free to send.
        assert_eq!(journal.state(3).unwrap(), None);
        // Line 2 was sent once before: still unknown, one send.
        let two = journal.unknown().unwrap();
        assert_eq!(two.len(), 1);
        assert_eq!((two[0].line, two[0].sends), (2, 1));
        assert_eq!(journal.chunk_count().unwrap(), 1);
    }

    #[test]
    fn a_changed_input_file_is_refused() {
        let scratch = Scratch::new("changed");
        let path = scratch.journal();
        drop(open(&path, "first version", OpenMode::Fresh).unwrap());
        let err = open(&path, "second version", OpenMode::Resume).unwrap_err();
        assert!(matches!(err, JournalError::Changed { .. }), "{err}");
        assert!(err.is_usage());
        assert!(err.to_string().contains("the input file changed"), "{err}");
        // The original file is still accepted.
        assert!(open(&path, "first version", OpenMode::Resume).is_ok());
    }

    #[test]
    fn a_journal_of_the_other_kind_is_refused() {
        let scratch = Scratch::new("kind");
        let path = scratch.journal();
        drop(open(&path, "input", OpenMode::Fresh).unwrap());
        let err = Journal::open(
            &path,
            Kind::Customer,
            &fingerprint("input"),
            OpenMode::Resume,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "delivery journal {} is for `lead post`, not `customer post`",
                path.display()
            )
        );
    }

    #[test]
    fn a_fresh_run_refuses_a_journal_with_chunks_but_not_an_empty_one() {
        let scratch = Scratch::new("fresh");
        let path = scratch.journal();
        drop(open(&path, "input", OpenMode::Fresh).unwrap());
        // Opened, nothing sent: a fresh run may use it.
        let mut journal = open(&path, "input", OpenMode::Fresh).unwrap();
        journal.record_chunk(&refs(&[2])).unwrap();
        drop(journal);
        let err = open(&path, "input", OpenMode::Fresh).unwrap_err();
        assert!(
            matches!(err, JournalError::Exists { chunks: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("--resume"), "{err}");
    }

    #[test]
    fn a_second_process_is_refused_while_the_first_holds_the_journal() {
        let scratch = Scratch::new("in-use");
        let path = scratch.journal();
        let _first = open(&path, "input", OpenMode::Fresh).unwrap();
        let err = open(&path, "input", OpenMode::Resume).unwrap_err();
        assert!(matches!(err, JournalError::InUse { .. }), "{err:?}");
    }

    #[test]
    fn an_in_memory_journal_works_like_the_durable_one_and_leaves_no_file() {
        let mut journal = Journal::in_memory(Kind::Lead, &fingerprint("input")).unwrap();
        let chunk = journal.record_chunk(&refs(&[2])).unwrap();
        journal
            .record_outcomes(chunk, &[(2, accepted("1"))])
            .unwrap();
        assert_eq!(journal.state(2).unwrap(), Some(accepted_state("1")));
        assert!(!Path::new(":memory:").exists());
    }

    #[test]
    fn another_file_is_not_a_journal() {
        let scratch = Scratch::new("not-a-journal");
        let path = scratch.journal();
        std::fs::write(&path, "fname,lname\nSue,Stallman\n").unwrap();
        let err = open(&path, "input", OpenMode::Resume).unwrap_err();
        assert!(matches!(err, JournalError::NotAJournal { .. }), "{err:?}");
        let missing = scratch.0.join("missing");
        let err = Journal::open_existing(&missing).unwrap_err();
        assert!(matches!(err, JournalError::NotFound { .. }), "{err:?}");
    }

    #[test]
    fn an_existing_journal_opens_for_reading_whatever_its_input() {
        let scratch = Scratch::new("existing");
        let path = scratch.journal();
        {
            let mut journal = open(&path, "input", OpenMode::Fresh).unwrap();
            journal.record_chunk(&refs(&[7])).unwrap();
        }
        let mut journal = Journal::open_existing(&path).unwrap();
        let unknown = journal.unknown().unwrap();
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].state, State::Sent);
    }
}
