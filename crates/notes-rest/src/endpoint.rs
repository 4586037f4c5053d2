//! Where requests go, and the requests of the five note endpoints.

use bytes::Bytes;
use http::{HeaderValue, Request};
use serde::Serialize;
use wire_core::validation::{Rule, Violation, Violations};

use crate::Operation;
use crate::models::{NewNote, NoteUpdate};

/// The base URL of Peoplevine's API.
pub const DEFAULT_BASE_URL: &str = "https://api.peoplevine.com";

/// The largest page the service returns (third-party code says larger is a `422`).
pub const MAX_PAGE_SIZE: u32 = 50;

/// The header some accounts need to reach their region (`uk`).
pub const REGION_HEADER: &str = "region";

/// The service's address and region: builds every request.
///
/// ```
/// use notes_rest::{Endpoint, PageRequest};
///
/// let endpoint = Endpoint::default().with_region("uk").unwrap();
/// let request = endpoint.list_customer_notes(501, PageRequest::new(2, 25).unwrap());
/// assert_eq!(
///     request.uri(),
///     "https://api.peoplevine.com/api/customers/501/notes?page_number=2&page_size=25"
/// );
/// assert_eq!(request.headers()["region"], "uk");
/// assert_eq!(wire_core::Resend::of(&request), wire_core::Resend::Read);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Without a trailing `/`.
    base: String,
    region: Option<HeaderValue>,
}

impl Default for Endpoint {
    fn default() -> Self {
        Self {
            base: DEFAULT_BASE_URL.to_owned(),
            region: None,
        }
    }
}

impl Endpoint {
    /// An endpoint at `base_url`: `http` or `https`, a host, an optional port
    /// and path prefix, no query or fragment.
    ///
    /// # Errors
    /// A `base_url` [`Rule::Format`] violation otherwise.
    pub fn new(base_url: &str) -> Result<Self, Violations> {
        let invalid = || {
            Violations::one(Violation::of_request(
                "base_url",
                Rule::Format {
                    expected: "an http:// or https:// address without query or fragment".into(),
                },
            ))
        };
        let uri: http::Uri = base_url.parse().map_err(|_| invalid())?;
        let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
        if !scheme_ok
            || uri.host().is_none_or(str::is_empty)
            || uri.query().is_some()
            || base_url.contains('#')
        {
            return Err(invalid());
        }
        Ok(Self {
            base: base_url.trim_end_matches('/').to_owned(),
            region: None,
        })
    }

    /// The same endpoint, sending `Region: region` with every request.
    ///
    /// # Errors
    /// A `region` violation when the value is empty or not a header value.
    pub fn with_region(mut self, region: &str) -> Result<Self, Violations> {
        let value = HeaderValue::from_str(region.trim())
            .ok()
            .filter(|value| !value.is_empty())
            .ok_or_else(|| {
                Violations::one(Violation::of_request(
                    "region",
                    Rule::Format {
                        expected: "a region name such as `uk`".into(),
                    },
                ))
            })?;
        self.region = Some(value);
        Ok(self)
    }

    /// The base URL, without a trailing `/`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The `Region` header value, when one is set.
    #[must_use]
    pub fn region(&self) -> Option<&str> {
        self.region.as_ref().and_then(|value| value.to_str().ok())
    }

    /// `GET /api/customers/{customer_id}/notes`: one page of a customer's notes.
    #[must_use]
    pub fn list_customer_notes(&self, customer_id: i64, page: PageRequest) -> Request<Bytes> {
        let path = format!("/api/customers/{}/notes", segment(&customer_id.to_string()));
        self.build(Operation::ListCustomerNotes, &path, Some(page), None)
    }

    /// `GET /api/customers/notes`: one page of every note.
    #[must_use]
    pub fn list_notes(&self, page: PageRequest) -> Request<Bytes> {
        self.build(
            Operation::ListNotes,
            "/api/customers/notes",
            Some(page),
            None,
        )
    }

    /// `POST /api/customers/{customer_id}/notes`: adds a note.
    #[must_use]
    pub fn create_customer_note(&self, customer_id: i64, note: &NewNote) -> Request<Bytes> {
        let path = format!("/api/customers/{}/notes", segment(&customer_id.to_string()));
        self.build(Operation::CreateCustomerNote, &path, None, Some(json(note)))
    }

    /// `GET /api/customers/notes/{note_id}`: one note.
    #[must_use]
    pub fn get_customer_note(&self, note_id: i64) -> Request<Bytes> {
        let path = format!("/api/customers/notes/{}", segment(&note_id.to_string()));
        self.build(Operation::GetCustomerNote, &path, None, None)
    }

    /// `PATCH /api/customers/notes/{note_id}`: changes the fields `update` does
    /// not leave unchanged.
    #[must_use]
    pub fn update_customer_note(&self, note_id: i64, update: &NoteUpdate) -> Request<Bytes> {
        let path = format!("/api/customers/notes/{}", segment(&note_id.to_string()));
        self.build(
            Operation::UpdateCustomerNote,
            &path,
            None,
            Some(json(update)),
        )
    }

    /// A request of `operation` to `path` (already encoded), tagged with what
    /// resending it would mean; `Region` when set; JSON when there is a body.
    pub(crate) fn build(
        &self,
        operation: Operation,
        path: &str,
        page: Option<PageRequest>,
        body: Option<Bytes>,
    ) -> Request<Bytes> {
        let mut uri = format!("{}{path}", self.base);
        if let Some(page) = page {
            uri.push_str(&format!(
                "?page_number={}&page_size={}",
                page.page_number, page.page_size
            ));
        }
        let mut request = Request::new(body.clone().unwrap_or_default());
        *request.method_mut() = operation.method();
        // The base was checked in `new`, the path is encoded: this parses.
        *request.uri_mut() = uri.parse().unwrap_or_else(|_| http::Uri::from_static("/"));
        let headers = request.headers_mut();
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        if body.is_some() {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        if let Some(region) = &self.region {
            headers.insert(REGION_HEADER, region.clone());
        }
        operation.resend().tag(&mut request);
        request.extensions_mut().insert(operation);
        request
    }
}

fn json<T: Serialize>(value: &T) -> Bytes {
    // The models serialise to JSON without fail (string keys, no non-finite floats).
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

/// `text` percent-encoded as one path segment: everything but unreserved
/// characters is encoded, so no value can add a segment, a query or a fragment.
#[must_use]
pub fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    if out == "." || out == ".." {
        return out.replace('.', "%2E");
    }
    out
}

/// Which page of a list to ask for: `page_number` from 1, `page_size` 1–50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    page_number: u32,
    page_size: u32,
}

impl Default for PageRequest {
    /// The first page of 50.
    fn default() -> Self {
        Self {
            page_number: 1,
            page_size: MAX_PAGE_SIZE,
        }
    }
}

impl PageRequest {
    /// Page `page_number` of pages of `page_size` notes.
    ///
    /// # Errors
    /// [`Rule::Range`] violations of `page_number` (from 1) and `page_size`
    /// (1–50), checked before anything is sent.
    pub fn new(page_number: u32, page_size: u32) -> Result<Self, Violations> {
        let mut violations = Vec::new();
        if page_number < 1 {
            violations.push(Violation::of_request(
                "page_number",
                Rule::Range {
                    min: 1,
                    max: i64::from(u32::MAX),
                },
            ));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            violations.push(Violation::of_request(
                "page_size",
                Rule::Range {
                    min: 1,
                    max: i64::from(MAX_PAGE_SIZE),
                },
            ));
        }
        Violations::check(violations)?;
        Ok(Self {
            page_number,
            page_size,
        })
    }

    /// The page number, from 1.
    #[must_use]
    pub fn page_number(self) -> u32 {
        self.page_number
    }

    /// The page size, 1–50.
    #[must_use]
    pub fn page_size(self) -> u32 {
        self.page_size
    }

    /// The same size, page `page_number`; `None` past `u32::MAX` or below 1.
    #[must_use]
    pub fn at(self, page_number: u32) -> Option<Self> {
        (page_number >= 1).then_some(Self {
            page_number,
            page_size: self.page_size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_escape_their_place() {
        assert_eq!(segment("501"), "501");
        assert_eq!(
            segment("1/../../admin?x=1#f"),
            "1%2F..%2F..%2Fadmin%3Fx%3D1%23f"
        );
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(segment("-7"), "-7");
    }

    #[test]
    fn page_sizes_outside_1_to_50_are_refused_before_sending() {
        for (number, size, fields) in [
            (0, 10, vec!["page_number"]),
            (1, 0, vec!["page_size"]),
            (1, 51, vec!["page_size"]),
            (0, 51, vec!["page_number", "page_size"]),
        ] {
            let errors = PageRequest::new(number, size).unwrap_err();
            let got: Vec<&str> = errors.iter().map(|v| v.field.as_ref()).collect();
            assert_eq!(got, fields);
        }
        assert!(PageRequest::new(1, 1).is_ok() && PageRequest::new(9, 50).is_ok());
    }

    #[test]
    fn base_urls_are_checked_and_prefixes_kept() {
        let endpoint = Endpoint::new("http://127.0.0.1:8080/pv/").unwrap();
        assert_eq!(
            endpoint.get_customer_note(7).uri(),
            "http://127.0.0.1:8080/pv/api/customers/notes/7"
        );
        for bad in [
            "ftp://x",
            "not a url",
            "https://x/?q=1",
            "/relative",
            "https://x/#f",
        ] {
            assert!(Endpoint::new(bad).is_err(), "{bad}");
        }
        assert!(Endpoint::default().with_region(" ").is_err());
        assert!(Endpoint::default().with_region("u\nk").is_err());
    }

    #[test]
    fn each_request_carries_its_method_resend_tag_and_body() {
        let endpoint = Endpoint::default();
        let update = NoteUpdate {
            subject: crate::Patch::Value("s".into()),
            ..NoteUpdate::default()
        };
        let cases = [
            (
                endpoint.list_notes(PageRequest::default()),
                "GET",
                wire_core::Resend::Read,
                "",
            ),
            (
                endpoint.create_customer_note(1, &NewNote::default()),
                "POST",
                wire_core::Resend::NeverBlindly,
                "{}",
            ),
            (
                endpoint.get_customer_note(1),
                "GET",
                wire_core::Resend::Read,
                "",
            ),
            (
                endpoint.update_customer_note(1, &update),
                "PATCH",
                wire_core::Resend::IdempotentWrite,
                r#"{"subject":"s"}"#,
            ),
        ];
        for (request, method, resend, body) in cases {
            assert_eq!(request.method(), method);
            assert_eq!(wire_core::Resend::of(&request), resend);
            assert_eq!(request.body(), body.as_bytes());
            assert_eq!(
                request.headers().contains_key("content-type"),
                !body.is_empty()
            );
            assert!(!request.headers().contains_key("region"));
        }
    }
}
