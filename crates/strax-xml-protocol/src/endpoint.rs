//! Where a batch is posted: base URL, site name and script.

use std::sync::Arc;

/// The default base URL of SecurityTrax.
pub const DEFAULT_BASE_URL: &str = "https://secure.securitytrax.com";
/// The documented read script (`informationrequester.php`).
pub const DEFAULT_REQUESTER_SCRIPT: &str = "informationrequester";
/// The likely write script (`informationposter.php`; the vendor's page truncates the name).
pub const DEFAULT_POSTER_SCRIPT: &str = "informationposter";

/// Which of the two scripts serves a request: reads go to the requester, writes
/// to the poster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// The read script (`informationrequester` by default).
    Requester,
    /// The write script (`informationposter` by default).
    Poster,
}

/// Why an [`Endpoint`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The base URL is not an absolute `http`/`https` URL without query or fragment.
    #[error("base URL `{url}` must be an absolute http or https URL without query or fragment")]
    BaseUrl {
        /// The rejected URL, cut before any `?` or `#` (a query may hold a token).
        url: String,
    },
    /// The base URL carries credentials (`https://user:password@host`). The
    /// URL is not repeated in the error, since it holds a secret; pass the
    /// credentials as [`Credentials`](crate::Credentials) instead.
    #[error("base URL must not contain credentials (user:password@ before the host)")]
    CredentialsInBaseUrl,
    /// A site name or script name is empty or holds characters other than
    /// ASCII letters, digits, `-`, `_` and `.`.
    #[error("{what} `{value}` must be non-empty ASCII letters, digits, `-`, `_` or `.`")]
    PathSegment {
        /// `site name` or `script name`.
        what: &'static str,
        /// The rejected value.
        value: String,
    },
}

/// A company's SecurityTrax endpoint: `<base>/<site_name>/<script>.php`.
///
/// The base URL may carry a path prefix (a reverse proxy, or the embedded sandbox,
/// which serves SecurityTrax under `/securitytrax`).
///
/// ```
/// use strax_xml_protocol::{Endpoint, Script};
///
/// let endpoint = Endpoint::securitytrax("acme")?;
/// assert_eq!(endpoint.url(Script::Requester).to_string(),
///            "https://secure.securitytrax.com/acme/informationrequester.php");
/// let staging = Endpoint::new("http://127.0.0.1:8080", "acme")?.with_poster_script("poster2")?;
/// assert_eq!(staging.url(Script::Poster).to_string(), "http://127.0.0.1:8080/acme/poster2.php");
/// let sandbox = Endpoint::new("http://127.0.0.1:8080/securitytrax/", "demo")?;
/// assert_eq!(sandbox.url(Script::Requester).to_string(),
///            "http://127.0.0.1:8080/securitytrax/demo/informationrequester.php");
/// # Ok::<(), strax_xml_protocol::EndpointError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    base_url: String,
    site_name: String,
    requester_script: String,
    poster_script: String,
    /// The URLs of the two scripts, built from the fields above whenever one
    /// of them is set (every call posts to one: built once, cloned cheaply).
    urls: Arc<ScriptUrls>,
}

/// The requester's and the poster's URL.
#[derive(PartialEq, Eq)]
struct ScriptUrls {
    requester: http::Uri,
    poster: http::Uri,
}

impl ScriptUrls {
    fn new(base_url: &str, site_name: &str, requester: &str, poster: &str) -> Arc<Self> {
        Arc::new(Self {
            requester: script_url(base_url, site_name, requester),
            poster: script_url(base_url, site_name, poster),
        })
    }
}

impl std::fmt::Debug for Endpoint {
    /// The four parts (the URLs are made of them).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("base_url", &self.base_url)
            .field("site_name", &self.site_name)
            .field("requester_script", &self.requester_script)
            .field("poster_script", &self.poster_script)
            .finish()
    }
}

impl Endpoint {
    /// The endpoint of `site_name` at the public SecurityTrax host.
    ///
    /// # Errors
    /// [`EndpointError::PathSegment`] for an unusable site name.
    pub fn securitytrax(site_name: &str) -> Result<Self, EndpointError> {
        Self::new(DEFAULT_BASE_URL, site_name)
    }

    /// The endpoint of `site_name` at `base_url` (e.g. a staging copy or a sandbox;
    /// a path prefix is kept, trailing slashes are not), with the default script names.
    ///
    /// A base URL with user information (`https://user:password@host`) is
    /// refused, without repeating it: the endpoint appears in `Debug` output,
    /// request URIs and errors, where a password must never be.
    ///
    /// # Errors
    /// [`EndpointError`] for an unusable base URL or site name.
    pub fn new(base_url: &str, site_name: &str) -> Result<Self, EndpointError> {
        if has_user_info(base_url) {
            return Err(EndpointError::CredentialsInBaseUrl);
        }
        let base = base_url.trim_end_matches('/');
        let rejected = || EndpointError::BaseUrl {
            url: without_query_or_fragment(base_url),
        };
        let uri: http::Uri = base.parse().map_err(|_| rejected())?;
        let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
        let path_ok = uri.query().is_none()
            && uri
                .path()
                .split('/')
                .all(|segment| segment != "." && segment != "..");
        if !scheme_ok || uri.authority().is_none() || !path_ok || base.contains('#') {
            return Err(rejected());
        }
        let base_url = base.to_owned();
        let site_name = segment("site name", site_name)?;
        Ok(Self {
            urls: ScriptUrls::new(
                &base_url,
                &site_name,
                DEFAULT_REQUESTER_SCRIPT,
                DEFAULT_POSTER_SCRIPT,
            ),
            base_url,
            site_name,
            requester_script: DEFAULT_REQUESTER_SCRIPT.to_owned(),
            poster_script: DEFAULT_POSTER_SCRIPT.to_owned(),
        })
    }

    /// Uses `script` (without `.php`) for reads.
    ///
    /// # Errors
    /// [`EndpointError::PathSegment`] for an unusable name.
    pub fn with_requester_script(mut self, script: &str) -> Result<Self, EndpointError> {
        self.requester_script = segment("script name", script)?;
        self.urls = self.script_urls();
        Ok(self)
    }

    /// Uses `script` (without `.php`) for writes.
    ///
    /// # Errors
    /// [`EndpointError::PathSegment`] for an unusable name.
    pub fn with_poster_script(mut self, script: &str) -> Result<Self, EndpointError> {
        self.poster_script = segment("script name", script)?;
        self.urls = self.script_urls();
        Ok(self)
    }

    /// The URL a batch for `script` is posted to.
    #[must_use]
    pub fn url(&self, script: Script) -> http::Uri {
        match script {
            Script::Requester => self.urls.requester.clone(),
            Script::Poster => self.urls.poster.clone(),
        }
    }

    fn script_urls(&self) -> Arc<ScriptUrls> {
        ScriptUrls::new(
            &self.base_url,
            &self.site_name,
            &self.requester_script,
            &self.poster_script,
        )
    }
}

/// `<base_url>/<site_name>/<script>.php`.
fn script_url(base_url: &str, site_name: &str, script: &str) -> http::Uri {
    format!("{base_url}/{site_name}/{script}.php")
        .parse()
        .expect("base URL and segments were validated")
}

/// Whether the authority part of `url` (after `scheme://`, up to the first
/// `/`, `?` or `#`) holds an `@`, i.e. user information. Checked on the raw
/// text, before parsing, so that no error ever repeats such a URL.
fn has_user_info(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|authority| authority.contains('@'))
}

/// `url` cut before its query or fragment, with a marker when something was cut.
fn without_query_or_fragment(url: &str) -> String {
    match url.find(['?', '#']) {
        Some(cut) => format!("{}[…]", &url[..cut]),
        None => url.to_owned(),
    }
}

fn segment(what: &'static str, value: &str) -> Result<String, EndpointError> {
    let ok = !value.is_empty()
        && value != "."
        && value != ".."
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(EndpointError::PathSegment {
            what,
            value: value.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_urls_per_script() {
        let endpoint = Endpoint::new("https://example.test/", "site_1").expect("valid");
        assert_eq!(
            endpoint.url(Script::Requester),
            "https://example.test/site_1/informationrequester.php"
        );
        assert_eq!(
            endpoint.url(Script::Poster),
            "https://example.test/site_1/informationposter.php"
        );
        let endpoint = endpoint.with_requester_script("reader").expect("valid");
        assert_eq!(
            endpoint.url(Script::Requester),
            "https://example.test/site_1/reader.php"
        );
    }

    #[test]
    fn rejects_bad_base_urls() {
        for url in [
            "",
            "secure.securitytrax.com",
            "ftp://x.test",
            "https://x.test/path?q=1",
            "https://x.test/a/../b",
            "https://x.test?q=1",
            "https://x.test#f",
            "not a url",
        ] {
            assert_eq!(
                Endpoint::new(url, "site"),
                Err(EndpointError::BaseUrl {
                    url: without_query_or_fragment(url)
                }),
                "{url}"
            );
        }
    }

    #[test]
    fn a_rejected_base_url_is_not_repeated_past_its_query() {
        let error = Endpoint::new("https://x.test/st?token=s3cret", "site").unwrap_err();
        assert_eq!(
            error.to_string(),
            "base URL `https://x.test/st[…]` must be an absolute http or https URL without query \
             or fragment"
        );
        assert!(!format!("{error:?}").contains("s3cret"));
    }

    #[test]
    fn refuses_credentials_in_the_base_url_without_repeating_them() {
        for url in [
            "https://user:s3cret@host.test",
            "https://user:s3cret@host.test/prefix",
            "http://s3cret@127.0.0.1:8080/",
            "user:s3cret@host.test",
            "https://user:s3cret@host with space",
        ] {
            let error = Endpoint::new(url, "site").expect_err(url);
            assert_eq!(error, EndpointError::CredentialsInBaseUrl, "{url}");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("s3cret"), "{shown}");
            assert_eq!(
                error.to_string(),
                "base URL must not contain credentials (user:password@ before the host)"
            );
        }
        // An `@` in the path is not user information.
        assert!(Endpoint::new("https://host.test/team@acme", "site").is_ok());
    }

    #[test]
    fn keeps_a_base_path_prefix() {
        let endpoint = Endpoint::new("http://127.0.0.1:9/securitytrax//", "demo").expect("valid");
        assert_eq!(
            endpoint.url(Script::Poster),
            "http://127.0.0.1:9/securitytrax/demo/informationposter.php"
        );
    }

    #[test]
    fn rejects_bad_site_and_script_names() {
        for name in ["", "a/b", "..", "a b", "a?b", "é"] {
            assert_eq!(
                Endpoint::securitytrax(name),
                Err(EndpointError::PathSegment {
                    what: "site name",
                    value: name.to_owned()
                })
            );
        }
        let endpoint = Endpoint::securitytrax("acme").expect("valid");
        let err = endpoint
            .clone()
            .with_poster_script("x/y")
            .expect_err("slash");
        assert_eq!(
            err.to_string(),
            "script name `x/y` must be non-empty ASCII letters, digits, `-`, `_` or `.`"
        );
        assert!(endpoint.with_requester_script("").is_err());
    }
}
