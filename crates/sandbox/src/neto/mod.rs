//! The simulated Neto by Maropost API (customer logs), mounted at `/neto`.
//!
//! Clients use `<sandbox base>/neto/<store>` as the store's address, so they
//! post to `/neto/<store>/do/WS/NetoAPI`. Requests are read and answers
//! written by [`neto_api::server`], in XML or JSON as the request's `Accept`
//! asks (`application/json` → JSON, anything else → XML); the body may be
//! either, by its `Content-Type` or its look. This module adds the HTTP
//! checks, the accounts, the rate limit, the in-memory logs and the answers.
//!
//! | request | answer |
//! |---|---|
//! | unknown store or path | 404, text |
//! | not `POST` | 405, `Allow: POST` |
//! | over [`DEFAULT_RATE_LIMIT`] (500) per [`DEFAULT_RATE_WINDOW`] (a minute) for the store ([configurable](NetoConfig::rate_limit)) | 429 with `Retry-After`, an `Ack=Error` document |
//! | unknown or missing `NETOAPI_ACTION`, unreadable body | 200, `Ack=Error` naming the problem |
//! | missing or wrong credentials (`NETOAPI_USERNAME` + `NETOAPI_KEY`, or `X_ACCESS_KEY` + `X_SECRET_KEY`) | 200, `Ack=Error` [`AUTHENTICATION_FAILED`] |
//! | a field rule broken (the rules `neto-api` checks before sending), no log, more than [`DEFAULT_MAX_LOGS`] logs | 200, `Ack=Error`, one message per broken rule naming the log and field; nothing stored |
//! | `AddCustomerLog` naming a `Username` no customer has | 200, `Ack=Error`; nothing stored |
//! | `AddCustomerLog` with a log without `Username` | 200, `Ack=Warning` with the new `LogID`s and one warning per such log |
//! | `UpdateCustomerLog` naming a `LogID` that does not exist in the store | 200, `Ack=Error`; nothing updated |
//! | `GetCustomer` (`OutputSelector` `CustomerLog`) | 200, `Ack=Success`, the known customers among those asked with their logs |
//! | valid `AddCustomerLog` / `UpdateCustomerLog` | 200, `Ack=Success` (with the new `LogID`s) |
//!
//! Every answer carries `CurrentTime` from the sandbox's clock.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use sandbox::SandboxConfig;
//! use sandbox::neto::{DEMO_STORE, NetoService};
//!
//! let neto = Arc::new(NetoService::demo());
//! let sandbox = sandbox::start(SandboxConfig::new().service(neto.clone())).await?;
//! let store_url = format!("{}/{DEMO_STORE}", sandbox.service_url("neto").unwrap());
//! // Point a Neto client at neto_api::Endpoint::under(&store_url), then read back:
//! assert!(neto.logs(DEMO_STORE).is_empty());
//! # assert!(store_url.ends_with("/neto/demo"));
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod config;
mod service;
mod store;

pub use config::{
    DEFAULT_MAX_LOGS, DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW, DEMO_ACCESS_KEY, DEMO_API_KEY,
    DEMO_API_USERNAME, DEMO_CUSTOMERS, DEMO_SECRET_KEY, DEMO_STORE, NetoConfig,
};
pub use service::{AUTHENTICATION_FAILED, NetoService};
pub use store::StoredLog;
