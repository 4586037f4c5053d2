//! The simulated SecurityTrax legacy XML API (`informationrequester.php` /
//! `informationposter.php`), mounted at `/securitytrax`.
//!
//! Clients use `<sandbox base>/securitytrax` as their SecurityTrax base URL and post
//! documents to `/securitytrax/{site}/{script}.php`. Request documents are decoded and
//! response documents encoded by [`strax_xml_protocol::server`]; this module adds the
//! HTTP checks, the accounts, the in-memory state and the answers.
//!
//! | request | answer |
//! |---|---|
//! | not `POST` | 405, `Allow: POST` |
//! | unknown site, script or path shape | 404, text |
//! | `Content-Type` present and not XML, empty body, not well-formed XML, no `<root><requests>` | 400, text naming the problem |
//! | first request not `GetSystemAuthentication`, or a credential field missing | 200, one failed authentication `<response>` |
//! | more than [`DEFAULT_MAX_OPERATIONS`] (100, [configurable](SecurityTraxConfig::max_operations)) operations | 200, one failed authentication `<response>` naming the limit; nothing runs |
//! | wrong credentials | 200, failed authentication, then every operation `success="false"` [`NOT_AUTHENTICATED`] |
//! | unknown request type, invalid field, unknown customer | that operation `success="false"`, a `<message>` naming the field and rule |
//! | a read posted to the poster script, or a write to the requester script | that operation `success="false"`, naming the script that serves it (sandbox behaviour: the vendor does not document it) |
//! | valid operation | the documented success answer |
//!
//! Lead and customer posts go to `/securitytrax/{site}/leadpostxml.php` (see
//! the [`leads`] module for their answers); what arrived is read back with
//! [`SecurityTraxService::posted_leads`] and
//! [`SecurityTraxService::lead_arrivals`], on the handle with
//! [`SandboxHandle::lead_arrivals`](crate::SandboxHandle::lead_arrivals), or over
//! HTTP at `GET /__sandbox/services/securitytrax/lead-arrivals`.
//!
//! Each document runs under one read-write lock: its operations execute in order,
//! and no other document's writes interleave (a document that writes holds it
//! exclusively; one that only reads the seeded customers, which never change,
//! needs none).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use sandbox::SandboxConfig;
//! use sandbox::securitytrax::{DEMO_SITE, SecurityTraxService};
//!
//! let securitytrax = Arc::new(SecurityTraxService::demo());
//! let sandbox = sandbox::start(SandboxConfig::new().service(securitytrax.clone())).await?;
//! let base_url = sandbox.service_url("securitytrax").unwrap(); // http://127.0.0.1:PORT/securitytrax
//! // Point a SecurityTrax client at `base_url`, site `DEMO_SITE`, then read back:
//! assert!(securitytrax.notes("9710").is_empty());
//! # assert!(base_url.ends_with("/securitytrax") && DEMO_SITE == "demo");
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod config;
mod demo;
mod document;
pub mod leads;
mod records;
mod reply;
mod route;
mod service;
mod store;

pub use config::{DEFAULT_MAX_OPERATIONS, SecurityTraxConfig, SeededCustomer};
pub use demo::{DEMO_PARTNER_ID, DEMO_PASSWORD, DEMO_SITE, DEMO_USERNAME};
pub use document::{AUTHENTICATION_FAILED, NOT_AUTHENTICATED};
pub use leads::{DEFAULT_MAX_RECORDS, FIRST_CUSTOMER_ID, Posted};
pub use records::{NOT_CONFIRMED, StoredAppointment, StoredNote};
pub use service::SecurityTraxService;
