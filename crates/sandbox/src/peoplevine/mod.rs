//! The simulated Peoplevine customer-notes REST API, mounted at `/peoplevine`.
//!
//! Clients use `<sandbox base>/peoplevine` as their Peoplevine base URL. Bodies
//! are read and written with [`notes_rest`]'s models; this module adds the
//! accounts, the tokens, the notes kept in memory, the rules and the answers.
//!
//! | request | answer |
//! |---|---|
//! | more than the rate limit (3600 per 15 minutes, [scalable](PeoplevineConfig::rate_limit)) | 429, `Retry-After`, error body |
//! | `POST /api/token`, `grant_type` `password` or `access_token` (user company) | 200 `{access_token, refresh_token, company_id, expires_in}`; wrong credentials 400 `invalid_grant` |
//! | `POST /api/token/refresh` `{access_token, refresh_token}` | 200, a new pair (the old pair no longer works); unknown or expired 401 |
//! | any other call without a valid, unexpired `Authorization: Bearer` | 401 `invalid_token` |
//! | `GET /api/customers/{id}/notes`, `GET /api/customers/notes` | 200 and a `pagination` header; `204` with no body when the page is empty; `page_size` outside 1–50 or `page_number` below 1: 422 with `error_details` |
//! | `POST /api/customers/{id}/notes` | 200, the new note; no `details` nor `subject`, an unknown `status`: 422 |
//! | `GET` / `PATCH /api/customers/notes/{id}` | 200, the note; `PATCH` applies only the fields sent, `null` clears; unknown note 404 |
//! | unknown customer | 404 |
//! | body not JSON | 400 `invalid_request` |
//! | other paths, methods | 404, 405 |
//!
//! Tokens live [`TOKEN_LIFETIME`] on the sandbox's clock ([`Clock::of`](crate::Clock::of)),
//! so a test expires them with a [`ManualClock`](crate::ManualClock) instead of waiting.

mod service;

pub use service::{
    DEMO_COMPANY_ID, DEMO_CUSTOMERS, DEMO_PASSWORD, DEMO_USER_ACCESS_TOKEN,
    DEMO_USER_REFRESH_TOKEN, DEMO_USERNAME, PeoplevineConfig, PeoplevineCounts, PeoplevineService,
    RATE_LIMIT, RATE_WINDOW, REFRESH_LIFETIME, TOKEN_LIFETIME,
};
