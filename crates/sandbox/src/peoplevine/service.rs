//! The Peoplevine service: state and answers.

// Helpers return the early answer as their error: one per request, moved once.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use notes_rest::{
    NewNote, Note, NoteReferenceType, NoteStatus, NoteUpdate, Pagination, Patch, Timestamp,
};
use serde::Deserialize;

use crate::{Clock, RateWindow, Service};

/// The demo staff user (password grant).
pub const DEMO_USERNAME: &str = "demo@peoplevine.example";
/// The demo user's password (made up).
pub const DEMO_PASSWORD: &str = "demo-password";
/// The demo user's own access token (user-company grant; made up).
pub const DEMO_USER_ACCESS_TOKEN: &str = "demo-user-access-token";
/// The demo user's own refresh token (user-company grant; made up).
pub const DEMO_USER_REFRESH_TOKEN: &str = "demo-user-refresh-token";
/// The demo business.
pub const DEMO_COMPANY_ID: i64 = 42;
/// The demo customers.
pub const DEMO_CUSTOMERS: [i64; 3] = [501, 502, 503];
/// How long an access token lives.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// How long a refresh token lives (the vendor says 24 hours or 7 days).
pub const REFRESH_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// The documented rate limit: requests per [`RATE_WINDOW`].
pub const RATE_LIMIT: u32 = 3600;
/// The documented rate window.
pub const RATE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The accounts, customers and limits of a [`PeoplevineService`].
#[derive(Debug, Clone)]
pub struct PeoplevineConfig {
    username: String,
    password: String,
    user_access_token: String,
    user_refresh_token: String,
    company_id: i64,
    customers: BTreeSet<i64>,
    token_lifetime: Duration,
    rate_limit: u32,
    rate_window: Duration,
}

impl PeoplevineConfig {
    /// The demo account and customers, the documented lifetimes and limit.
    #[must_use]
    pub fn demo() -> Self {
        Self {
            username: DEMO_USERNAME.into(),
            password: DEMO_PASSWORD.into(),
            user_access_token: DEMO_USER_ACCESS_TOKEN.into(),
            user_refresh_token: DEMO_USER_REFRESH_TOKEN.into(),
            company_id: DEMO_COMPANY_ID,
            customers: DEMO_CUSTOMERS.into_iter().collect(),
            token_lifetime: TOKEN_LIFETIME,
            rate_limit: RATE_LIMIT,
            rate_window: RATE_WINDOW,
        }
    }

    /// At most `limit` requests per `window` (scale both down for tests).
    #[must_use]
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.rate_limit = limit;
        self.rate_window = window;
        self
    }

    /// Access tokens live this long.
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// These customers exist (instead of the demo ones).
    #[must_use]
    pub fn customers(mut self, ids: impl IntoIterator<Item = i64>) -> Self {
        self.customers = ids.into_iter().collect();
        self
    }
}

/// How many requests of each kind the service answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PeoplevineCounts {
    /// Every request, refused or not.
    pub requests: u64,
    /// Tokens granted by `POST /api/token`.
    pub grants: u64,
    /// Tokens renewed by `POST /api/token/refresh`.
    pub refreshes: u64,
    /// `401` answers.
    pub unauthorized: u64,
    /// `429` answers.
    pub rate_limited: u64,
}

struct AccessToken {
    expires: Instant,
}

struct RefreshToken {
    expires: Instant,
    access: String,
}

#[derive(Default)]
struct State {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    notes: BTreeMap<i64, Note>,
    next_token: u64,
    counts: PeoplevineCounts,
}

/// The simulated Peoplevine API. Mount it with
/// `SandboxConfig::new().service(Arc::new(PeoplevineService::demo()))`; keep
/// the `Arc` to read its notes and counts back.
pub struct PeoplevineService {
    config: PeoplevineConfig,
    rate: RateWindow,
    state: Mutex<State>,
}

impl std::fmt::Debug for PeoplevineService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeoplevineService")
            .field("company_id", &self.config.company_id)
            .field("customers", &self.config.customers)
            .finish_non_exhaustive()
    }
}

type Answer = Response<Bytes>;

impl PeoplevineService {
    /// The path segment it is mounted at.
    pub const NAME: &'static str = "peoplevine";

    /// A service with `config`, no notes yet.
    #[must_use]
    pub fn new(config: PeoplevineConfig) -> Self {
        Self {
            rate: RateWindow::new(config.rate_limit, config.rate_window),
            config,
            state: Mutex::new(State::default()),
        }
    }

    /// [`PeoplevineConfig::demo`].
    #[must_use]
    pub fn demo() -> Self {
        Self::new(PeoplevineConfig::demo())
    }

    /// The counts so far.
    #[must_use]
    pub fn counts(&self) -> PeoplevineCounts {
        self.state().counts
    }

    /// The notes of `customer_id`, oldest first.
    #[must_use]
    pub fn notes(&self, customer_id: i64) -> Vec<Note> {
        self.state()
            .notes
            .values()
            .filter(|note| note.customer_id == Some(customer_id))
            .cloned()
            .collect()
    }

    /// Adds a note directly (test set-up), as if created now; returns its id.
    pub fn seed_note(&self, customer_id: i64, subject: &str, clock: &Clock) -> i64 {
        let mut state = self.state();
        let id = state.notes.keys().next_back().map_or(1, |last| last + 1);
        let note = self.new_note(id, customer_id, NewNote::default(), clock);
        let mut note = note;
        note.subject = Some(subject.to_owned());
        state.notes.insert(id, note);
        id
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn new_note(&self, id: i64, customer_id: i64, new: NewNote, clock: &Clock) -> Note {
        let created =
            jiff::Timestamp::try_from(clock.system_time()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let mut note = Note::default();
        note.id = Some(id);
        note.customer_id = Some(customer_id);
        note.company_id = Some(self.config.company_id);
        note.user_id = Some(7);
        note.created_on = Timestamp::from_time(created);
        note.reference_type = new.reference_type.unwrap_or(NoteReferenceType::Customer);
        note.reference_id = Some(new.reference_id.unwrap_or(customer_id));
        note.status = new
            .status
            .as_deref()
            .map_or(NoteStatus::Open, NoteStatus::from_wire);
        note.kind = new.kind;
        note.details = new.details;
        note.reminder = new.reminder;
        note.subject = new.subject;
        note.confidential = new.confidential.unwrap_or(false);
        note.priority = new.priority.unwrap_or(false);
        note.tags = new.tags;
        note
    }

    fn respond(&self, path: &str, request: &Request<Bytes>) -> Answer {
        let clock = Clock::of(request);
        let now = clock.now();
        self.state().counts.requests += 1;
        if let Err(left) = self.rate.admit(now) {
            self.state().counts.rate_limited += 1;
            let mut answer = error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limit_exceeded",
                &format!(
                    "At most {} requests per {} seconds.",
                    self.rate.limit(),
                    self.rate.window().as_secs()
                ),
                None,
            );
            let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            answer
                .headers_mut()
                .insert(http::header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            return answer;
        }
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let method = request.method();
        let answer = match segments.as_slice() {
            ["api", "token"] => only(method, &Method::POST, || self.grant(request, now)),
            ["api", "token", "refresh"] => {
                only(method, &Method::POST, || self.refresh(request, now))
            }
            ["api", "customers", "notes"] => only(method, &Method::GET, || {
                self.authorized(request, now, || self.list(request, None))
            }),
            ["api", "customers", "notes", id] => match *method {
                Method::GET => self.authorized(request, now, || self.get(id)),
                Method::PATCH => self.authorized(request, now, || self.update(id, request)),
                _ => not_allowed("GET, PATCH"),
            },
            ["api", "customers", id, "notes"] => match *method {
                Method::GET => self.authorized(request, now, || match self.customer(id) {
                    Ok(customer) => self.list(request, Some(customer)),
                    Err(answer) => answer,
                }),
                Method::POST => self.authorized(request, now, || self.create(id, request, &clock)),
                _ => not_allowed("GET, POST"),
            },
            _ => error(
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("No route {path}."),
                None,
            ),
        };
        if answer.status() == StatusCode::UNAUTHORIZED {
            self.state().counts.unauthorized += 1;
        }
        answer
    }

    fn issue(&self, state: &mut State, now: Instant) -> serde_json::Value {
        state.next_token += 1;
        let n = state.next_token;
        let access = format!("sandbox-access-{n}");
        let refresh = format!("sandbox-refresh-{n}");
        state.access.insert(
            access.clone(),
            AccessToken {
                expires: now + self.config.token_lifetime,
            },
        );
        state.refresh.insert(
            refresh.clone(),
            RefreshToken {
                expires: now + REFRESH_LIFETIME,
                access: access.clone(),
            },
        );
        serde_json::json!({
            "access_token": access,
            "refresh_token": refresh,
            "company_id": self.config.company_id,
            "expires_in": self.config.token_lifetime.as_secs(),
        })
    }

    fn grant(&self, request: &Request<Bytes>, now: Instant) -> Answer {
        #[derive(Deserialize)]
        struct Grant {
            grant_type: String,
            #[serde(default)]
            username: Option<String>,
            #[serde(default)]
            password: Option<String>,
            #[serde(default)]
            access_token: Option<String>,
            #[serde(default)]
            refresh_token: Option<String>,
            #[serde(default)]
            company_id: Option<i64>,
        }
        let grant: Grant = match json_body(request) {
            Ok(grant) => grant,
            Err(answer) => return answer,
        };
        let config = &self.config;
        let accepted = match grant.grant_type.as_str() {
            "password" => {
                grant.username.as_deref() == Some(config.username.as_str())
                    && grant.password.as_deref() == Some(config.password.as_str())
            }
            "access_token" => {
                grant.access_token.as_deref() == Some(config.user_access_token.as_str())
                    && grant.refresh_token.as_deref() == Some(config.user_refresh_token.as_str())
                    && grant.company_id == Some(config.company_id)
            }
            other => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    &format!("grant_type must be password or access_token, not {other:?}."),
                    None,
                );
            }
        };
        if !accepted {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The credentials are not valid.",
                None,
            );
        }
        let mut state = self.state();
        state.counts.grants += 1;
        let body = self.issue(&mut state, now);
        json(StatusCode::OK, &body)
    }

    fn refresh(&self, request: &Request<Bytes>, now: Instant) -> Answer {
        #[derive(Deserialize)]
        struct Refresh {
            access_token: String,
            refresh_token: String,
        }
        let refresh: Refresh = match json_body(request) {
            Ok(refresh) => refresh,
            Err(answer) => return answer,
        };
        let mut state = self.state();
        let valid = state
            .refresh
            .get(&refresh.refresh_token)
            .is_some_and(|known| known.access == refresh.access_token && now < known.expires);
        if !valid {
            return error(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "The refresh token is not valid or expired.",
                None,
            );
        }
        state.refresh.remove(&refresh.refresh_token);
        state.access.remove(&refresh.access_token);
        state.counts.refreshes += 1;
        let body = self.issue(&mut state, now);
        json(StatusCode::OK, &body)
    }

    fn authorized(
        &self,
        request: &Request<Bytes>,
        now: Instant,
        then: impl FnOnce() -> Answer,
    ) -> Answer {
        let token = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        let valid = token.is_some_and(|token| {
            let mut state = self.state();
            match state.access.get(token) {
                Some(known) if now < known.expires => true,
                Some(_) => {
                    // Expired: forget it; its refresh token stays usable.
                    state.access.remove(token);
                    false
                }
                None => false,
            }
        });
        if valid {
            then()
        } else {
            error(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "The access token is missing, not valid or expired.",
                None,
            )
        }
    }

    fn customer(&self, id: &str) -> Result<i64, Answer> {
        id.parse::<i64>()
            .ok()
            .filter(|id| self.config.customers.contains(id))
            .ok_or_else(|| {
                error(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "No customer with this id.",
                    None,
                )
            })
    }

    fn list(&self, request: &Request<Bytes>, customer: Option<i64>) -> Answer {
        let (page_number, page_size) = match page_query(request.uri().query().unwrap_or("")) {
            Ok(page) => page,
            Err(answer) => return answer,
        };
        let state = self.state();
        let matching: Vec<&Note> = state
            .notes
            .values()
            .filter(|note| customer.is_none_or(|id| note.customer_id == Some(id)))
            .collect();
        let total = matching.len() as i64;
        let total_pages = (total + page_size - 1) / page_size;
        let start =
            usize::try_from((page_number - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
        let page: Vec<&Note> = matching
            .into_iter()
            .skip(start)
            .take(usize::try_from(page_size).unwrap_or(50))
            .collect();
        let mut pagination = Pagination::default();
        pagination.page_number = page_number;
        pagination.page_size = page_size;
        pagination.total_pages = total_pages;
        pagination.total_count = total;
        pagination.has_previous_page = page_number > 1;
        pagination.has_next_page = page_number < total_pages;
        let header = serde_json::to_string(&pagination).unwrap_or_default();
        let mut answer = if page.is_empty() {
            let mut answer = Response::new(Bytes::new());
            *answer.status_mut() = StatusCode::NO_CONTENT;
            answer
        } else {
            json(
                StatusCode::OK,
                &serde_json::to_value(&page).unwrap_or_default(),
            )
        };
        if let Ok(value) = HeaderValue::from_str(&header) {
            answer
                .headers_mut()
                .insert(notes_rest::PAGINATION_HEADER, value);
        }
        answer
    }

    fn get(&self, id: &str) -> Answer {
        let state = self.state();
        match id.parse::<i64>().ok().and_then(|id| state.notes.get(&id)) {
            Some(note) => json(
                StatusCode::OK,
                &serde_json::to_value(note).unwrap_or_default(),
            ),
            None => no_note(),
        }
    }

    fn create(&self, customer: &str, request: &Request<Bytes>, clock: &Clock) -> Answer {
        let customer = match self.customer(customer) {
            Ok(customer) => customer,
            Err(answer) => return answer,
        };
        let new: NewNote = match json_body(request) {
            Ok(new) => new,
            Err(answer) => return answer,
        };
        let mut details = serde_json::Map::new();
        let blank = |text: &Option<String>| text.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&new.details) && blank(&new.subject) {
            details.insert(
                "details".into(),
                serde_json::json!(["details or subject is required"]),
            );
        }
        if let Some(status) = &new.status
            && !NoteStatus::from_wire(status).is_documented()
        {
            details.insert(
                "status".into(),
                serde_json::json!(["must be open or closed"]),
            );
        }
        if new
            .reference_type
            .as_ref()
            .is_some_and(|r| !r.is_documented())
        {
            details.insert(
                "reference_type".into(),
                serde_json::json!(["is not a known reference type"]),
            );
        }
        if !details.is_empty() {
            return invalid(details);
        }
        let mut state = self.state();
        let id = state.notes.keys().next_back().map_or(1, |last| last + 1);
        let note = self.new_note(id, customer, new, clock);
        let body = serde_json::to_value(&note).unwrap_or_default();
        state.notes.insert(id, note);
        json(StatusCode::OK, &body)
    }

    fn update(&self, id: &str, request: &Request<Bytes>) -> Answer {
        let update: NoteUpdate = match json_body(request) {
            Ok(update) => update,
            Err(answer) => return answer,
        };
        let mut state = self.state();
        let Some(note) = id.parse::<i64>().ok().and_then(|id| state.notes.get(&id)) else {
            return no_note();
        };
        let mut note = note.clone();
        let mut details = serde_json::Map::new();
        let mut fail = |field: &str, rule: &str| {
            details.insert(field.into(), serde_json::json!([rule]));
        };
        apply_text(&mut note.kind, update.kind);
        apply_text(&mut note.reminder, update.reminder);
        apply_text(&mut note.subject, update.subject);
        apply_text(&mut note.details, update.details);
        match update.tags {
            Patch::Unchanged => {}
            Patch::Null => note.tags = None,
            Patch::Value(tags) => note.tags = Some(tags),
        }
        match update.status {
            Patch::Unchanged => {}
            Patch::Null => fail("status", "cannot be null"),
            Patch::Value(status) => match NoteStatus::from_wire(&status) {
                status if status.is_documented() => note.status = status,
                _ => fail("status", "must be open or closed"),
            },
        }
        match update.reference_type {
            Patch::Unchanged => {}
            Patch::Null => fail("reference_type", "cannot be null"),
            Patch::Value(text) => match NoteReferenceType::from_wire(&text) {
                value if value.is_documented() => note.reference_type = value,
                _ => fail("reference_type", "is not a known reference type"),
            },
        }
        for (field, patch, target) in [
            ("confidential", update.confidential, &mut note.confidential),
            ("priority", update.priority, &mut note.priority),
        ] {
            match patch {
                Patch::Unchanged => {}
                Patch::Null => fail(field, "cannot be null"),
                Patch::Value(text) => match text.as_str() {
                    "true" => *target = true,
                    "false" => *target = false,
                    _ => fail(field, "must be true or false"),
                },
            }
        }
        match update.reference_id {
            Patch::Unchanged => {}
            Patch::Null => note.reference_id = None,
            Patch::Value(text) => match text.parse::<i64>() {
                Ok(value) => note.reference_id = Some(value),
                Err(_) => fail("reference_id", "must be a whole number"),
            },
        }
        match update.customer_id {
            Patch::Unchanged => {}
            Patch::Null => fail("customer_id", "cannot be null"),
            Patch::Value(text) => match text
                .parse::<i64>()
                .ok()
                .filter(|id| self.config.customers.contains(id))
            {
                Some(value) => note.customer_id = Some(value),
                None => fail("customer_id", "must be the id of a customer"),
            },
        }
        if !details.is_empty() {
            return invalid(details);
        }
        let body = serde_json::to_value(&note).unwrap_or_default();
        if let Some(id) = note.id {
            state.notes.insert(id, note);
        }
        json(StatusCode::OK, &body)
    }
}

fn apply_text(target: &mut Option<String>, patch: Patch<String>) {
    match patch {
        Patch::Unchanged => {}
        Patch::Null => *target = None,
        Patch::Value(value) => *target = Some(value),
    }
}

/// `page_number` (default 1) and `page_size` (default 50) from a query.
fn page_query(query: &str) -> Result<(i64, i64), Answer> {
    let mut page_number = 1i64;
    let mut page_size = 50i64;
    let mut details = serde_json::Map::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let target = match name {
            "page_number" => &mut page_number,
            "page_size" => &mut page_size,
            _ => continue,
        };
        match value.parse::<i64>() {
            Ok(value) => *target = value,
            Err(_) => {
                details.insert(name.into(), serde_json::json!(["must be a whole number"]));
            }
        }
    }
    if page_number < 1 {
        details.insert(
            "page_number".into(),
            serde_json::json!(["must be 1 or more"]),
        );
    }
    if !(1..=50).contains(&page_size) {
        details.insert(
            "page_size".into(),
            serde_json::json!(["must be between 1 and 50"]),
        );
    }
    if details.is_empty() {
        Ok((page_number, page_size))
    } else {
        Err(invalid(details))
    }
}

fn json_body<T: serde::de::DeserializeOwned>(request: &Request<Bytes>) -> Result<T, Answer> {
    serde_json::from_slice(request.body()).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("The body is not the expected JSON: {e}."),
            None,
        )
    })
}

fn only(method: &Method, allowed: &Method, then: impl FnOnce() -> Answer) -> Answer {
    if method == allowed {
        then()
    } else {
        not_allowed(allowed.as_str())
    }
}

fn not_allowed(allow: &str) -> Answer {
    let mut answer = error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        &format!("Use {allow}."),
        None,
    );
    answer.headers_mut().insert(
        http::header::ALLOW,
        HeaderValue::from_str(allow).unwrap_or(HeaderValue::from_static("GET")),
    );
    answer
}

fn no_note() -> Answer {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "No note with this id.",
        None,
    )
}

fn invalid(details: serde_json::Map<String, serde_json::Value>) -> Answer {
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        "One or more fields are invalid.",
        Some(serde_json::Value::Object(details)),
    )
}

fn error(
    status: StatusCode,
    code: &str,
    description: &str,
    details: Option<serde_json::Value>,
) -> Answer {
    json(
        status,
        &serde_json::json!({
            "error": code,
            "error_description": description,
            "error_details": details,
        }),
    )
}

fn json(status: StatusCode, value: &serde_json::Value) -> Answer {
    let mut answer = Response::new(Bytes::from(serde_json::to_vec(value).unwrap_or_default()));
    *answer.status_mut() = status;
    answer.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    answer
}

impl Service for PeoplevineService {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn handle(&self, path: &str, request: Request<Bytes>) -> Response<Bytes> {
        self.respond(path, &request)
    }
}
