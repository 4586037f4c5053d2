#![doc = include_str!("../README.md")]
//!
//! # The flow of one post
//! ```text
//! [Lead] ──encode_request──▶ http::Request<Bytes> ──your HTTP stack──▶
//! http::Response<Bytes> ──decode_response──▶ Vec<PostOutcome> (one per lead, in order)
//! ```
//!
//! ```
//! use bytes::Bytes;
//! use strax_leads::{Endpoint, Lead, Mode, PostOutcome, PostRecord, Redactor, decode_response, encode_request};
//!
//! // From (documented field name, text) pairs, as a CSV row with a header gives them…
//! let sue = Lead::from_fields(0, [
//!     ("source_id", "77"), ("fname", "Sue"), ("lname", "Stallman"), ("city", "Notus"),
//!     ("state", "id"), ("phone1", "+1 (801) 312-7735"), ("lead_purchase_price", "27.5"),
//!     ("lead_company_unique_id", "00001A321"),
//! ])?;
//! // …or from a JSON object with the same names.
//! let mike: Lead = serde_json::from_str(r#"{"source_id": "77", "fname": "Mike", "lname": "Smith",
//!     "city": "Parma", "state": "ID", "phone1": "8013677735", "lead_type_id": "2"}"#)?;
//!
//! let request = encode_request(&Endpoint::securitytrax("acme")?, &[sue, mike], Mode::Normalise)?;
//! let body = std::str::from_utf8(request.body())?;
//! assert!(body.starts_with(r#"<?xml version="1.0" standalone="yes"?>"#));
//! assert!(body.contains("<state>ID</state>") && body.contains("<phone1>8013127735</phone1>"));
//! assert!(body.contains("<lead_purchase_price>27.50</lead_purchase_price>"));
//! assert!(body.contains("<campaign_id/>")); // every field present, unset ones empty
//!
//! // …send `request` with any HTTP client, then:
//! let answer = http::Response::new(Bytes::from_static(br#"<?xml version="1.0"?>
//! <root><responses>
//!   <response success="true"><data><fname>Sue</fname><lname>Stallman</lname><customer_id>1003</customer_id></data></response>
//! </responses></root>"#));
//! let outcomes = decode_response(&answer, 2, &Redactor::none());
//! assert_eq!(outcomes[0], PostOutcome::Accepted { customer_id: Some("1003".into()) });
//! assert!(outcomes[1].is_unknown()); // no response for Mike: it may or may not exist
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Validation and normalisation
//! [`PostRecord::normalised`] (which [`encode_document`] and
//! [`encode_request`] call on every record) checks every field and returns
//! the record as it is sent; normalising twice changes nothing. Each error
//! is a [`Violation`] naming the record (its index and, when given, its
//! `lead_company_unique_id` or `partner_company_unique_id`), the field and the
//! [`Rule`]:
//!
//! | field | rule |
//! |---|---|
//! | `source_id`, `fname`, `lname`, `city`, `state`, `phone1` | required, not blank (`EmergencyContact`: `ContactName`, `PhoneNumber`) |
//! | `state` | a two-letter US state or territory code ([`US_STATE_CODES`]), upper-cased |
//! | `zip`, `phone1`–`phone4`, digit fields | digits only; in [`Mode::Normalise`] spaces, dashes and dots (phones: also parentheses and a leading `+1`) are removed, in [`Mode::Strict`] refused |
//! | `contact_time` | at most 50 characters |
//! | `lead_home_ownership` | `own`, `rent`, `lease` or `other` ([`HomeOwnership`]) |
//! | `lead_type_id` | `2` (Pending) or `3` (Queue) ([`LeadType`]; the names are accepted too) |
//! | `lead_purchase_price`, `mrr`, `activation_fee`, `customer_purchase_price` | an exact [`Amount`] written `XX.YY` (`27.5` → `27.50`; `$`, a sign or three decimals refused) |
//! | `service_*` | `true` or `false` |
//! | `birthdate` | a date written `YYYY-MM-DD` |
//! | every field | no character XML 1.0 forbids |
//!
//! # What an outcome means
//! [`decode_response`] always returns exactly one [`PostOutcome`] per record
//! sent, in order: [`PostOutcome::Accepted`] with the new `customer_id`,
//! [`PostOutcome::Rejected`] with every text of the response's `<data>`
//! (whatever the elements are called), or [`PostOutcome::Unknown`] when the
//! answer says nothing reliable about the record (it ended early, could not
//! be read, held more responses than records, or came with a non-2xx
//! status). Unknown is never "failed": the record may exist. A post is never
//! resent blindly: [`encode_request`] tags it [`Resend::NeverBlindly`].
//!
//! # Secrets and personal data
//! - `Debug` of the records shows names, addresses, phones, email and
//!   comments as `[personal]`, and `ssn`, `beacon_score`,
//!   `credit_tracking_number`, `abort_code` and `birthdate` as `[redacted]`.
//!   The document and the request hold every value in clear text (they are
//!   what is sent): never log them.
//! - Violations never hold values, only the record's position and label,
//!   the field and the rule.
//! - Every text of an answer passes through the caller's [`Redactor`];
//!   `<system_request>` echoes are dropped unread.
//!
//! This crate is **sans-IO**: it never depends on tokio or any async runtime,
//! reqwest, hyper, sockets, or crmwire's `transport` crate (`cargo xtask tidy`
//! enforces this), so it can be driven by any HTTP stack.

mod amount;
mod decode;
mod encode;
mod field;
mod generated;
mod normalise;
mod serde_impl;
pub mod server;

pub use amount::{Amount, AmountError};
pub use decode::{ErrorText, PostOutcome, decode_response, decode_response_body};
pub use encode::{DEFAULT_SCRIPT, Endpoint, REQUEST_CONTENT_TYPE, encode_document, encode_request};
pub use field::{FieldKind, FieldSpec, PostRecord, Privacy};
pub use generated::{Customer, EmergencyContact, HomeOwnership, Lead, LeadType};
pub use normalise::{Mode, US_STATE_CODES, normalise_all};
pub use strax_xml_protocol::EndpointError;
pub use wire_core::validation::{Record, Rule, Violation, Violations};
pub use wire_core::{Redactor, Resend};

/// The README's example, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
