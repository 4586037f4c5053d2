//! Tokens as a sans-IO state machine: grant, refresh before expiry, renew
//! once after a `401`, never loop.

use std::fmt;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use wire_core::Redactor;
use wire_core::flow::{Flow, Step};

use crate::Operation;
use crate::decode::{body, check_status};
use crate::endpoint::Endpoint;
use crate::error::{Error, ServiceError};

/// How long an access token lives when the answer does not say.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// A token is renewed when less than this is left of its life.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(2 * 60);

/// How to get a token from `POST /api/token`.
#[derive(Clone)]
#[non_exhaustive]
pub enum Grant {
    /// `grant_type=password`: a staff user's login.
    Password {
        /// The user name.
        username: String,
        /// The password.
        password: SecretString,
    },
    /// `grant_type=access_token`, the "user company" token: a user's own
    /// tokens exchanged for a token acting for `company_id`.
    UserCompany {
        /// The user's access token.
        access_token: SecretString,
        /// The user's refresh token.
        refresh_token: SecretString,
        /// The business to act for.
        company_id: i64,
    },
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Password { username, .. } => f
                .debug_struct("Password")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
            Self::UserCompany { company_id, .. } => f
                .debug_struct("UserCompany")
                .field("access_token", &"[redacted]")
                .field("refresh_token", &"[redacted]")
                .field("company_id", company_id)
                .finish(),
        }
    }
}

impl Grant {
    /// A redactor of the grant's secrets.
    #[must_use]
    pub fn redactor(&self) -> Redactor {
        match self {
            Self::Password { password, .. } => Redactor::new([password.clone()]),
            Self::UserCompany {
                access_token,
                refresh_token,
                ..
            } => Redactor::new([access_token.clone(), refresh_token.clone()]),
        }
    }

    /// `POST /api/token` with this grant.
    #[must_use]
    pub fn request(&self, endpoint: &Endpoint) -> Request<Bytes> {
        let body = match self {
            Self::Password { username, password } => serde_json::json!({
                "grant_type": "password",
                "username": username,
                "password": password.expose_secret(),
            }),
            Self::UserCompany {
                access_token,
                refresh_token,
                company_id,
            } => serde_json::json!({
                "grant_type": "access_token",
                "access_token": access_token.expose_secret(),
                "refresh_token": refresh_token.expose_secret(),
                "company_id": company_id,
            }),
        };
        endpoint.build(
            Operation::CreateToken,
            "/api/token",
            None,
            Some(Bytes::from(body.to_string())),
        )
    }
}

/// `POST /api/token/refresh` for a token and its refresh token.
#[must_use]
pub fn refresh_request(
    endpoint: &Endpoint,
    access: &SecretString,
    refresh: &SecretString,
) -> Request<Bytes> {
    let body = serde_json::json!({
        "access_token": access.expose_secret(),
        "refresh_token": refresh.expose_secret(),
    });
    endpoint.build(
        Operation::RefreshToken,
        "/api/token/refresh",
        None,
        Some(Bytes::from(body.to_string())),
    )
}

/// The answer to either token call.
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenGrant {
    /// The access token (a JWT).
    pub access_token: SecretString,
    /// The refresh token, when one came.
    pub refresh_token: Option<SecretString>,
    /// The business the token acts for.
    pub company_id: Option<i64>,
    /// Seconds the token lives, when the service said.
    pub expires_in: Option<u64>,
}

impl PartialEq for TokenGrant {
    fn eq(&self, other: &Self) -> bool {
        self.access_token.expose_secret() == other.access_token.expose_secret()
            && self.refresh_token.as_ref().map(ExposeSecret::expose_secret)
                == other
                    .refresh_token
                    .as_ref()
                    .map(ExposeSecret::expose_secret)
            && self.company_id == other.company_id
            && self.expires_in == other.expires_in
    }
}

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("access_token", &"[redacted]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("company_id", &self.company_id)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl TokenGrant {
    /// Decodes a token answer.
    ///
    /// # Errors
    /// [`Error::Authentication`] for `400`, `401` and `403` (the credentials
    /// were refused), the error answer for other statuses, and
    /// [`Error::Undecodable`] for a body without an access token.
    pub fn decode(response: &Response<Bytes>, redactor: &Redactor) -> Result<Self, Error> {
        if matches!(
            response.status(),
            StatusCode::BAD_REQUEST | StatusCode::FORBIDDEN
        ) {
            let error = ServiceError::from_response(response, redactor);
            return Err(Error::Authentication(Box::new(error)));
        }
        check_status(response, redactor)?;
        #[derive(Deserialize)]
        struct Wire {
            access_token: String,
            #[serde(default)]
            refresh_token: Option<String>,
            #[serde(default)]
            company_id: Option<i64>,
            #[serde(default)]
            expires_in: Option<u64>,
        }
        // The body holds the new token: the excerpt of an undecodable one is
        // cut before `access_token`.
        let wire: Wire = body(response, redactor)?;
        if wire.access_token.is_empty() {
            return Err(Error::Undecodable {
                status: response.status(),
                reason: "empty access_token".into(),
                excerpt: String::new(),
            });
        }
        Ok(Self {
            access_token: wire.access_token.into(),
            refresh_token: wire.refresh_token.filter(|t| !t.is_empty()).map(Into::into),
            company_id: wire.company_id,
            expires_in: wire.expires_in,
        })
    }
}

/// A token to put on a call: `Authorization: Bearer …`. Its generation tells
/// [`Auth::invalidate`] whether a `401` concerns the token still held.
#[derive(Clone)]
pub struct Bearer {
    token: SecretString,
    generation: u64,
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bearer")
            .field("token", &"[redacted]")
            .field("generation", &self.generation)
            .finish()
    }
}

impl Bearer {
    /// Sets `Authorization: Bearer <token>` on `request`, marked sensitive.
    pub fn authorize<B>(&self, request: &mut Request<B>) {
        if let Ok(mut value) =
            HeaderValue::from_str(&format!("Bearer {}", self.token.expose_secret()))
        {
            value.set_sensitive(true);
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, value);
        }
    }

    /// Which token this is: 1 for the first one obtained, then one more per
    /// grant or refresh.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The token, for a transport that must see it.
    #[must_use]
    pub fn secret(&self) -> &SecretString {
        &self.token
    }
}

struct Held {
    access: SecretString,
    refresh: Option<SecretString>,
    expires_at: Instant,
    /// [`REFRESH_MARGIN`], or a quarter of a shorter life.
    margin: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Grant,
    Refresh,
}

/// The token machine: a [`Flow`] whose output is a valid [`Bearer`].
///
/// Polled with the caller's clock reading, it answers at once with the held
/// token while more than [`REFRESH_MARGIN`] of its life is left; otherwise it
/// asks to send `POST /api/token/refresh` (when it holds a refresh token) or
/// `POST /api/token`. In one round it refreshes at most once and grants at
/// most once, then gives up with [`Error::Authentication`]: it never loops.
///
/// ```
/// use std::time::{Duration, Instant};
/// use bytes::Bytes;
/// use notes_rest::{Auth, Endpoint, Grant};
/// use wire_core::flow::{Flow, Step};
///
/// let mut auth = Auth::new(Endpoint::default(), Grant::Password {
///     username: "ops".into(),
///     password: "pw".into(),
/// });
/// let start = Instant::now();
/// let Step::Send(grant) = auth.poll(start) else { panic!() };
/// assert_eq!(grant.uri().path(), "/api/token");
/// auth.handle(
///     http::Response::new(Bytes::from_static(br#"{"access_token":"a1","refresh_token":"r1"}"#)),
///     start,
/// );
/// let Step::Done(Ok(bearer)) = auth.poll(start) else { panic!() };
/// assert_eq!(bearer.generation(), 1);
/// // 29 minutes later: inside the margin, so it refreshes.
/// let Step::Send(refresh) = auth.poll(start + Duration::from_secs(29 * 60)) else { panic!() };
/// assert_eq!(refresh.uri().path(), "/api/token/refresh");
/// ```
pub struct Auth {
    endpoint: Endpoint,
    grant: Grant,
    grant_redactor: Redactor,
    held: Option<Held>,
    generation: u64,
    stale: bool,
    pending: Option<Pending>,
    refreshed: bool,
    granted: bool,
    failure: Option<Error>,
    grants: u64,
    refreshes: u64,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("endpoint", &self.endpoint)
            .field("grant", &self.grant)
            .field("generation", &self.generation)
            .field("holds_token", &self.held.is_some())
            .finish_non_exhaustive()
    }
}

impl Auth {
    /// A machine that gets its tokens with `grant` from `endpoint`.
    #[must_use]
    pub fn new(endpoint: Endpoint, grant: Grant) -> Self {
        Self {
            endpoint,
            grant_redactor: grant.redactor(),
            grant,
            held: None,
            generation: 0,
            stale: false,
            pending: None,
            refreshed: false,
            granted: false,
            failure: None,
            grants: 0,
            refreshes: 0,
        }
    }

    /// The endpoint the machine was made with.
    #[must_use]
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The held token, when more than [`REFRESH_MARGIN`] of its life is left
    /// at `now` and no `401` marked it stale.
    #[must_use]
    pub fn bearer(&self, now: Instant) -> Option<Bearer> {
        let held = self.held.as_ref()?;
        let fresh = !self.stale && now + held.margin < held.expires_at;
        fresh.then(|| Bearer {
            token: held.access.clone(),
            generation: self.generation,
        })
    }

    /// After a `401` to a call that carried `bearer`: when it is still the
    /// held token, the next poll renews it. A `401` to an older token (another
    /// task already renewed it) changes nothing.
    pub fn invalidate(&mut self, bearer: &Bearer) {
        if bearer.generation == self.generation {
            self.stale = true;
        }
    }

    /// A redactor of every secret the machine knows: the grant's and the
    /// tokens held.
    #[must_use]
    pub fn redactor(&self) -> Redactor {
        match &self.held {
            None => self.grant_redactor.clone(),
            Some(held) => {
                let mut tokens = vec![held.access.clone()];
                tokens.extend(held.refresh.clone());
                self.grant_redactor.merged(&Redactor::new(tokens))
            }
        }
    }

    /// Forgets a round the caller could not finish (the transport failed
    /// while a token request was out): the next poll starts a new round.
    pub fn abort_round(&mut self) {
        self.end_round();
    }

    /// How many grants and refreshes were sent so far.
    #[must_use]
    pub fn counts(&self) -> (u64, u64) {
        (self.grants, self.refreshes)
    }

    fn end_round(&mut self) {
        self.refreshed = false;
        self.granted = false;
        self.pending = None;
    }
}

impl Flow for Auth {
    type Output = Result<Bearer, Error>;

    fn poll(&mut self, now: Instant) -> Step<Self::Output> {
        if let Some(error) = self.failure.take() {
            self.end_round();
            return Step::Done(Err(error));
        }
        if let Some(bearer) = self.bearer(now) {
            self.end_round();
            return Step::Done(Ok(bearer));
        }
        if let Some(held) = &self.held
            && let Some(refresh) = &held.refresh
            && !self.refreshed
        {
            let request = refresh_request(&self.endpoint, &held.access, refresh);
            self.refreshed = true;
            self.refreshes += 1;
            self.pending = Some(Pending::Refresh);
            return Step::Send(request);
        }
        if !self.granted {
            self.granted = true;
            self.grants += 1;
            self.pending = Some(Pending::Grant);
            return Step::Send(self.grant.request(&self.endpoint));
        }
        self.end_round();
        Step::Done(Err(Error::Authentication(Box::new(
            ServiceError::with_status(StatusCode::UNAUTHORIZED),
        ))))
    }

    fn handle(&mut self, response: Response<Bytes>, now: Instant) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let redactor = self.redactor();
        match TokenGrant::decode(&response, &redactor) {
            Ok(grant) => {
                let lifetime = grant
                    .expires_in
                    .map_or(TOKEN_LIFETIME, Duration::from_secs)
                    .min(TOKEN_LIFETIME);
                self.held = Some(Held {
                    access: grant.access_token,
                    refresh: grant.refresh_token,
                    expires_at: now + lifetime,
                    margin: REFRESH_MARGIN.min(lifetime / 4),
                });
                self.generation += 1;
                self.stale = false;
                // A usable token ends the round: its renewal starts a new one.
                // A token dead on arrival does not, so the round still ends
                // after one refresh and one grant.
                if self.bearer(now).is_some() {
                    self.refreshed = false;
                    self.granted = false;
                }
            }
            // A refused refresh: drop the token, the next poll grants anew.
            Err(Error::Authentication(_)) if pending == Pending::Refresh => {
                self.held = None;
            }
            Err(error) => self.failure = Some(error),
        }
    }
}
