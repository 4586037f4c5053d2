//! The simulated lead and customer post (`/securitytrax/{site}/leadpostxml.php`).
//!
//! Documents are decoded and answers encoded by [`strax_leads::server`]; this
//! module adds the HTTP checks, assigns customer ids, keeps what arrived, and
//! counts how many times each `lead_company_unique_id` (and each customer's
//! `partner_company_unique_id`) arrived, so that a test can prove
//! exactly-once delivery.
//!
//! | request | answer |
//! |---|---|
//! | `Content-Type` present and not XML, empty body, not well-formed XML, root neither `<leads>` nor `<customers>`, no record | 400, text naming the problem |
//! | more than [`DEFAULT_MAX_RECORDS`] (configurable) records | 400, text naming the limit; nothing is kept or counted |
//! | a record breaking a documented rule | its `<response success="false">` with one `<error>` per rule (`phone1 must be digits only (0-9)`) |
//! | a valid record | its `<response success="true">` with `<fname>`, `<lname>` and a new `<customer_id>` |
//!
//! Every record of an accepted document counts as arrived, valid or not.

use std::collections::BTreeMap;
use std::sync::Mutex;

use bytes::Bytes;
use http::StatusCode;
use strax_leads::server::{Answer, PostedError, decode_posted, encode_answer};
use strax_leads::{Customer, Lead, PostRecord, Violations};

use super::reply::{text, xml};

/// The default cap on records per post: 1,000. The vendor documents none.
pub const DEFAULT_MAX_RECORDS: usize = 1_000;

/// The first customer id the sandbox assigns.
pub const FIRST_CUSTOMER_ID: u64 = 100_001;

/// A record the sandbox accepted, with the customer id it assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted<R> {
    /// The id assigned.
    pub customer_id: String,
    /// The record as received (checked as the vendor documents).
    pub record: R,
}

/// Everything posted so far.
#[derive(Debug, Default)]
pub(crate) struct LeadStore {
    next_id: u64,
    leads: Vec<Posted<Lead>>,
    customers: Vec<Posted<Customer>>,
    lead_arrivals: BTreeMap<String, usize>,
    customer_arrivals: BTreeMap<String, usize>,
    rejected: usize,
}

impl LeadStore {
    pub(crate) fn leads(&self) -> &[Posted<Lead>] {
        &self.leads
    }
    pub(crate) fn customers(&self) -> &[Posted<Customer>] {
        &self.customers
    }
    pub(crate) fn lead_arrivals(&self) -> &BTreeMap<String, usize> {
        &self.lead_arrivals
    }
    pub(crate) fn customer_arrivals(&self) -> &BTreeMap<String, usize> {
        &self.customer_arrivals
    }
    pub(crate) fn rejected(&self) -> usize {
        self.rejected
    }

    fn assign_id(&mut self) -> String {
        let id = FIRST_CUSTOMER_ID + self.next_id;
        self.next_id += 1;
        id.to_string()
    }
}

/// The site of `path` (after `/securitytrax`) when it names the lead post
/// script `{script}.php` of an accepted site.
pub(crate) fn lead_post_site<'p>(path: &'p str, script: &str, sites: &[String]) -> Option<&'p str> {
    let rest = path.strip_prefix('/')?;
    let (site, file) = rest.split_once('/')?;
    let name = file.strip_suffix(".php")?;
    (name == script && sites.iter().any(|s| s == site)).then_some(site)
}

/// Answers one post (the HTTP method and content type already checked).
pub(crate) fn answer_post(
    body: &Bytes,
    max_records: usize,
    store: &Mutex<LeadStore>,
) -> http::Response<Bytes> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return text(
            StatusCode::BAD_REQUEST,
            "the body is empty: expected <leads><lead>...</lead></leads> or <customers>...",
        );
    }
    match decode_posted::<Lead>(body) {
        Ok(leads) => post(
            leads,
            max_records,
            store,
            |s| &mut s.lead_arrivals,
            |s, posted| s.leads.push(posted),
        ),
        Err(PostedError::Root { found, .. }) if found == Customer::LIST_ELEMENT => {
            match decode_posted::<Customer>(body) {
                Ok(customers) => post(
                    customers,
                    max_records,
                    store,
                    |s| &mut s.customer_arrivals,
                    |s, posted| s.customers.push(posted),
                ),
                Err(error) => refused(&error),
            }
        }
        Err(error) => refused(&error),
    }
}

fn refused(error: &PostedError) -> http::Response<Bytes> {
    // The reason goes to the client only: parser messages may quote the document.
    tracing::info!("securitytrax sandbox refused an unreadable lead post");
    text(
        StatusCode::BAD_REQUEST,
        &format!(
            "{error}: expected <leads><lead>...</lead></leads> or <customers><customer>...</customer></customers>"
        ),
    )
}

/// Counts, keeps and answers every record of a readable post.
fn post<R: PostRecord>(
    records: Vec<Result<R, Violations>>,
    max_records: usize,
    store: &Mutex<LeadStore>,
    arrivals: fn(&mut LeadStore) -> &mut BTreeMap<String, usize>,
    keep: fn(&mut LeadStore, Posted<R>),
) -> http::Response<Bytes> {
    if records.is_empty() {
        return text(
            StatusCode::BAD_REQUEST,
            &format!("the post holds no <{}>", R::ELEMENT),
        );
    }
    if records.len() > max_records {
        return text(
            StatusCode::BAD_REQUEST,
            &format!(
                "the post holds {} <{}> elements, more than this sandbox's limit of {max_records}; nothing was kept",
                records.len(),
                R::ELEMENT
            ),
        );
    }
    let mut store = store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut answers = Vec::with_capacity(records.len());
    for record in records {
        match record {
            Ok(record) => {
                if let Some(label) = record.label() {
                    *arrivals(&mut store)
                        .entry(label.trim().to_owned())
                        .or_default() += 1;
                }
                let customer_id = store.assign_id();
                let name = |field| {
                    record
                        .field(field)
                        .map(|v| v.into_owned())
                        .unwrap_or_default()
                };
                answers.push(Answer::accepted(
                    &name("fname"),
                    &name("lname"),
                    &customer_id,
                ));
                keep(
                    &mut store,
                    Posted {
                        customer_id,
                        record,
                    },
                );
            }
            Err(violations) => {
                // Counted too: it arrived. Its label is in the violations' record.
                if let Some(label) = violations
                    .iter()
                    .find_map(|v| v.record.as_ref().and_then(|r| r.label.clone()))
                {
                    *arrivals(&mut store)
                        .entry(label.trim().to_owned())
                        .or_default() += 1;
                }
                store.rejected += 1;
                answers.push(Answer::rejected(&violations));
            }
        }
    }
    drop(store);
    tracing::debug!(records = answers.len(), "securitytrax sandbox lead post");
    xml(Bytes::from(encode_answer(&answers)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lead_script_of_an_accepted_site_is_a_lead_post() {
        let sites = vec!["demo".to_owned()];
        assert_eq!(
            lead_post_site("/demo/leadpostxml.php", "leadpostxml", &sites),
            Some("demo")
        );
        for path in [
            "/acme/leadpostxml.php",
            "/demo/leadpostxml",
            "/demo/informationposter.php",
            "/demo/x/leadpostxml.php",
            "/",
        ] {
            assert_eq!(lead_post_site(path, "leadpostxml", &sites), None, "{path}");
        }
    }
}
