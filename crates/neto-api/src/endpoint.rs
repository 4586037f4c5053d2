//! Where a store's API answers: `https://<store-domain>/do/WS/NetoAPI`.

use std::fmt;

/// The path of the API below a store's address.
pub const API_PATH: &str = "/do/WS/NetoAPI";

/// A store's API address.
///
/// ```
/// use neto_api::Endpoint;
///
/// let store = Endpoint::for_store("www.example-store.com.au")?;
/// assert_eq!(store.url(), "https://www.example-store.com.au/do/WS/NetoAPI");
/// // A simulator or a proxy: any base URL, the API path appended.
/// let local = Endpoint::under("http://127.0.0.1:8080/neto/demo")?;
/// assert_eq!(local.url(), "http://127.0.0.1:8080/neto/demo/do/WS/NetoAPI");
/// # Ok::<(), neto_api::EndpointError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    uri: http::Uri,
}

/// An address that cannot be a store's API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a usable Neto store address: {reason}")]
pub struct EndpointError {
    reason: &'static str,
}

impl Endpoint {
    /// The API of the store served at `domain` (a host name, optionally with a
    /// port), over HTTPS.
    ///
    /// # Errors
    /// A domain with a scheme, a path, a query or characters a host cannot have.
    pub fn for_store(domain: &str) -> Result<Self, EndpointError> {
        if domain.is_empty() || domain.contains(['/', '?', '#', '@', ' ']) || domain.contains("://")
        {
            return Err(EndpointError {
                reason: "a store domain is a host name such as www.example.com.au",
            });
        }
        Self::parse(&format!("https://{domain}{API_PATH}"))
    }

    /// The API below `base_url` (`http` or `https`, no query): the base URL
    /// followed by `/do/WS/NetoAPI`.
    ///
    /// # Errors
    /// Not an absolute `http`/`https` URL, or one with a query or fragment.
    pub fn under(base_url: &str) -> Result<Self, EndpointError> {
        if base_url.contains(['?', '#']) {
            return Err(EndpointError {
                reason: "the base URL must not have a query or fragment",
            });
        }
        Self::parse(&format!("{}{API_PATH}", base_url.trim_end_matches('/')))
    }

    fn parse(url: &str) -> Result<Self, EndpointError> {
        let uri: http::Uri = url.parse().map_err(|_| EndpointError {
            reason: "not a valid URL",
        })?;
        match uri.scheme_str() {
            Some("http" | "https") if uri.host().is_some_and(|h| !h.is_empty()) => Ok(Self { uri }),
            _ => Err(EndpointError {
                reason: "an absolute http:// or https:// URL with a host is needed",
            }),
        }
    }

    /// The full URL requests are posted to.
    #[must_use]
    pub fn url(&self) -> String {
        self.uri.to_string()
    }

    /// The URL as an [`http::Uri`].
    #[must_use]
    pub fn uri(&self) -> &http::Uri {
        &self.uri
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.uri, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_with_more_than_a_host_are_refused() {
        for domain in [
            "",
            "https://x.com",
            "x.com/path",
            "x.com?q=1",
            "u@x.com",
            "a b",
        ] {
            assert!(Endpoint::for_store(domain).is_err(), "{domain}");
        }
        assert!(Endpoint::under("ftp://x.com").is_err());
        assert!(Endpoint::under("x.com").is_err());
        assert!(Endpoint::under("https://x.com/?a=1").is_err());
        assert_eq!(
            Endpoint::under("https://x.com/").unwrap().url(),
            "https://x.com/do/WS/NetoAPI"
        );
    }
}
