//! The mounted service: routing, rate limit, authentication, validation, the
//! actions, and read access to what it stored.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use neto_api::server::{
    Auth, Incoming, IncomingAction, Reply, answer_format, decode_request, encode_error,
    encode_reply, violation_messages,
};
use neto_api::{
    Action, ActionName, AddCustomerLog, AddedLogs, CustomerLogs, Customers, EncodeError,
    GetCustomer, Message, NetoDateTime, UpdateCustomerLog, WireFormat,
};
use secrecy::ExposeSecret;

use super::config::NetoConfig;
use super::store::{Store, StoredLog};
use crate::{Clock, RateWindow, Service};

/// What an answer says when the credentials are missing or wrong.
pub const AUTHENTICATION_FAILED: &str = "Authentication failed";

/// The simulated Neto by Maropost API, mounted at `/neto`.
///
/// Each configured store answers at `/neto/{store}/do/WS/NetoAPI`, in XML or
/// in JSON as the request's `Accept` asks. State lives in memory; keep an
/// `Arc` of the service to read it back in a test.
#[derive(Debug)]
pub struct NetoService {
    config: NetoConfig,
    rates: HashMap<String, RateWindow>,
    store: Mutex<Store>,
}

impl NetoService {
    /// The path segment the service is mounted at.
    pub const NAME: &'static str = "neto";

    /// A service set up by `config`.
    #[must_use]
    pub fn new(config: NetoConfig) -> Self {
        let rates = config
            .stores
            .iter()
            .map(|store| {
                (
                    store.clone(),
                    RateWindow::new(config.rate_limit, config.rate_window),
                )
            })
            .collect();
        Self {
            config,
            rates,
            store: Mutex::new(Store::default()),
        }
    }

    /// A service set up by [`NetoConfig::demo`].
    #[must_use]
    pub fn demo() -> Self {
        Self::new(NetoConfig::demo())
    }

    /// The set-up it was built with.
    #[must_use]
    pub fn config(&self) -> &NetoConfig {
        &self.config
    }

    /// Every log of `store`, by `LogID`.
    #[must_use]
    pub fn logs(&self, store: &str) -> Vec<StoredLog> {
        self.lock().logs(store)
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // Every change is a single insert or a field-by-field set of one log.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn respond(&self, path: &str, request: &Request<Bytes>) -> Response<Bytes> {
        let format = answer_format(request.headers());
        let Some(store) = path
            .strip_prefix('/')
            .and_then(|rest| rest.strip_suffix(neto_api::API_PATH))
            .filter(|store| self.config.stores.iter().any(|s| s == store))
        else {
            return text(
                StatusCode::NOT_FOUND,
                &format!(
                    "no Neto API here: expected /neto/<store>{} for one of the stores [{}]",
                    neto_api::API_PATH,
                    self.config.stores.join(", ")
                ),
            );
        };
        if request.method() != Method::POST {
            let mut response = text(
                StatusCode::METHOD_NOT_ALLOWED,
                &format!(
                    "method {} is not allowed: the Neto API takes POST",
                    request.method()
                ),
            );
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
        let clock = Clock::of(request);
        let now = now(&clock);
        if let Some(rate) = self.rates.get(store)
            && let Err(wait) = rate.admit(clock.now())
        {
            let message = format!(
                "Too many requests: at most {} per {} s",
                rate.limit(),
                rate.window().as_secs_f64()
            );
            let mut response = error(format, None, &message, now);
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            return response;
        }
        let incoming = match decode_request(request) {
            Ok(incoming) => incoming,
            Err(problem) => {
                tracing::info!("neto sandbox refused an unreadable request");
                return error(
                    format,
                    neto_api::action_of(request),
                    &problem.to_string(),
                    now,
                );
            }
        };
        let name = incoming.action.name();
        if !self.authenticated(&incoming.auth) {
            tracing::info!(
                action = name.as_str(),
                "neto sandbox refused the credentials"
            );
            return error(format, Some(name), AUTHENTICATION_FAILED, now);
        }
        if let Some(violations) = &incoming.violations {
            let messages = violation_messages(violations);
            return respond_with(
                format,
                encode_error(format, Some(name), &messages, Some(now)),
            );
        }
        self.execute(store, incoming, now)
    }

    fn authenticated(&self, auth: &Auth) -> bool {
        match auth {
            Auth::ApiKey { username, key } => self
                .config
                .api_users
                .iter()
                .any(|(u, k)| u == username && k.expose_secret() == key.expose_secret()),
            Auth::OAuth {
                access_key,
                secret_key,
            } => self.config.oauth.iter().any(|(a, s)| {
                a.expose_secret() == access_key.expose_secret()
                    && s.expose_secret() == secret_key.expose_secret()
            }),
            _ => false,
        }
    }

    fn known_customer(&self, username: &str) -> bool {
        self.config
            .customers
            .iter()
            .any(|c| c.eq_ignore_ascii_case(username))
    }

    fn execute(&self, store: &str, incoming: Incoming, now: NetoDateTime) -> Response<Bytes> {
        let format = incoming.answer_format;
        match incoming.action {
            IncomingAction::AddCustomerLog(add) => {
                if add.logs.len() > self.config.max_logs {
                    return self.too_many(format, ActionName::AddCustomerLog, now);
                }
                let unknown: Vec<Message> = add
                    .logs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, log)| {
                        let username = log.username.as_deref()?;
                        (!self.known_customer(username)).then(|| {
                            Message::new("Invalid Username")
                                .severity("Error")
                                .described(format!("log {i}: no customer has this username"))
                        })
                    })
                    .collect();
                if !unknown.is_empty() {
                    return respond_with(
                        format,
                        encode_error(
                            format,
                            Some(ActionName::AddCustomerLog),
                            &unknown,
                            Some(now),
                        ),
                    );
                }
                let warnings: Vec<Message> = add
                    .logs
                    .iter()
                    .enumerate()
                    .filter(|(_, log)| log.username.is_none())
                    .map(|(i, _)| {
                        Message::new(format!(
                            "log {i} has no Username: it is not linked to a customer"
                        ))
                        .severity("Warning")
                    })
                    .collect();
                let mut state = self.lock();
                let ids = add
                    .logs
                    .into_iter()
                    .map(|log| state.add(store, log, now))
                    .collect();
                drop(state);
                reply::<AddCustomerLog>(format, AddedLogs::new(ids), warnings, now)
            }
            IncomingAction::UpdateCustomerLog(update) => {
                if update.logs.len() > self.config.max_logs {
                    return self.too_many(format, ActionName::UpdateCustomerLog, now);
                }
                let mut state = self.lock();
                let missing: Vec<Message> = update
                    .logs
                    .iter()
                    .enumerate()
                    .filter(|(_, log)| !state.exists(store, &log.log_id))
                    .map(|(i, log)| {
                        Message::new("Invalid LogID")
                            .severity("Error")
                            .described(format!("log {i}: there is no log {}", log.log_id))
                    })
                    .collect();
                if !missing.is_empty() {
                    drop(state);
                    return respond_with(
                        format,
                        encode_error(
                            format,
                            Some(ActionName::UpdateCustomerLog),
                            &missing,
                            Some(now),
                        ),
                    );
                }
                for log in &update.logs {
                    state.update(store, log);
                }
                drop(state);
                reply::<UpdateCustomerLog>(format, (), Vec::new(), now)
            }
            IncomingAction::GetCustomer(get) => {
                let state = self.lock();
                let customers = get
                    .usernames
                    .iter()
                    .filter(|username| self.known_customer(username))
                    .map(|username| {
                        CustomerLogs::new(username.clone(), state.logs_of(store, username))
                    })
                    .collect();
                drop(state);
                reply::<GetCustomer>(format, Customers::new(customers), Vec::new(), now)
            }
            other => error(format, Some(other.name()), "action not simulated", now),
        }
    }

    fn too_many(
        &self,
        format: WireFormat,
        action: ActionName,
        now: NetoDateTime,
    ) -> Response<Bytes> {
        error(
            format,
            Some(action),
            &format!(
                "Too many logs in one request: at most {}",
                self.config.max_logs
            ),
            now,
        )
    }
}

fn now(clock: &Clock) -> NetoDateTime {
    let since = clock
        .system_time()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = i64::try_from(since.as_secs()).unwrap_or(0);
    jiff::Timestamp::from_second(seconds)
        .map(NetoDateTime::from_timestamp)
        .unwrap_or_else(|_| NetoDateTime::from_timestamp(jiff::Timestamp::UNIX_EPOCH))
}

fn reply<A: Action>(
    format: WireFormat,
    output: A::Output,
    warnings: Vec<Message>,
    now: NetoDateTime,
) -> Response<Bytes> {
    let reply = if warnings.is_empty() {
        Reply::success(output)
    } else {
        Reply::warning(output, warnings)
    };
    respond_with(format, encode_reply::<A>(format, &reply, Some(now)))
}

fn error(
    format: WireFormat,
    action: Option<ActionName>,
    message: &str,
    now: NetoDateTime,
) -> Response<Bytes> {
    let messages = [Message::new(message).severity("Error")];
    respond_with(format, encode_error(format, action, &messages, Some(now)))
}

fn document(format: WireFormat, body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    let content_type = match format {
        WireFormat::Json => "application/json; charset=utf-8",
        _ => "application/xml; charset=utf-8",
    };
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// 200 with the written answer, or 500 when it could not be written.
fn respond_with(format: WireFormat, written: Result<Bytes, EncodeError>) -> Response<Bytes> {
    match written {
        Ok(body) => document(format, body),
        Err(error) => {
            tracing::error!(error = %error, "neto sandbox could not write its answer");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("the sandbox could not write the answer: {error}"),
            )
        }
    }
}

fn text(status: StatusCode, message: &str) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(format!("{message}\n")));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

impl Service for NetoService {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn handle(&self, path: &str, request: Request<Bytes>) -> Response<Bytes> {
        self.respond(path, &request)
    }

    fn secret_headers(&self) -> &'static [&'static str] {
        neto_api::SECRET_HEADERS
    }
}
