//! The `Host` header of the hyper backend's requests, built once per
//! authority.
//!
//! hyper-util's client writes `Host` itself when a request has none, by
//! formatting the URI's host and port and validating the result as a header
//! value, on every request. A transport talks to one service, so nearly every
//! request names the authority the one before it named: [`HostHeaderCache`]
//! keeps the last value it built and hands out cheap clones of it. The value
//! is the one hyper-util would write (the host, with `:port` unless the port
//! is the scheme's default), so the bytes on the wire do not change.

use std::sync::Mutex;

use http::header::HOST;
use http::{HeaderMap, HeaderValue, Uri};

/// The last authority a `Host` value was built for, and that value.
#[derive(Default)]
pub(crate) struct HostHeaderCache {
    last: Mutex<Option<CachedHost>>,
}

struct CachedHost {
    secure: bool,
    authority: String,
    value: HeaderValue,
}

impl HostHeaderCache {
    /// Sets `Host` in `headers` for a request to `uri`, unless the caller set
    /// one already or the URI has no authority (hyper-util refuses such a
    /// request itself).
    pub(crate) fn fill(&self, headers: &mut HeaderMap, uri: &Uri) {
        if headers.contains_key(HOST) {
            return;
        }
        let Some(authority) = uri.authority() else {
            return;
        };
        let secure = is_secure(uri);
        // Never wait for the cache: a request that finds it busy builds its
        // own value, exactly as hyper-util would.
        let Ok(mut last) = self.last.try_lock() else {
            if let Some(value) = host_value(uri, secure) {
                headers.insert(HOST, value);
            }
            return;
        };
        if let Some(cached) = last.as_ref()
            && cached.secure == secure
            && cached.authority == authority.as_str()
        {
            headers.insert(HOST, cached.value.clone());
            return;
        }
        let Some(value) = host_value(uri, secure) else {
            return;
        };
        headers.insert(HOST, value.clone());
        *last = Some(CachedHost {
            secure,
            authority: authority.as_str().to_owned(),
            value,
        });
    }
}

impl std::fmt::Debug for HostHeaderCache {
    /// Shows whether an authority is cached, never which: a URL's authority
    /// may carry user information.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cached = self.last.try_lock().map(|last| last.is_some()).ok();
        f.debug_struct("HostHeaderCache")
            .field("cached", &cached)
            .finish()
    }
}

/// Whether hyper-util counts `uri`'s scheme as secure (its default port is
/// 443 rather than 80).
fn is_secure(uri: &Uri) -> bool {
    matches!(uri.scheme_str(), Some("https" | "wss"))
}

/// The value hyper-util writes: the host, with `:port` unless the port is
/// the scheme's default. `None` when that is not a valid header value (then
/// hyper-util is left to decide, as without this cache).
fn host_value(uri: &Uri, secure: bool) -> Option<HeaderValue> {
    let host = uri.host()?;
    let port = uri
        .port()
        .filter(|port| !matches!((port.as_u16(), secure), (443, true) | (80, false)));
    match port {
        Some(port) => HeaderValue::try_from(format!("{host}:{port}")).ok(),
        None => HeaderValue::from_str(host).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(cache: &HostHeaderCache, uri: &str) -> Option<HeaderValue> {
        let mut headers = HeaderMap::new();
        cache.fill(&mut headers, &uri.parse().unwrap());
        headers.get(HOST).cloned()
    }

    /// Fills a request to each URI in turn through one cache and checks the
    /// `Host` each gets.
    fn fills_in_turn(requests: &[(&str, &str)]) {
        let cache = HostHeaderCache::default();
        for (uri, host) in requests {
            assert_eq!(filled(&cache, uri).unwrap(), host, "{uri}");
        }
    }

    #[test]
    fn default_ports_are_left_out_and_others_kept() {
        fills_in_turn(&[
            ("https://crm.example.com/api", "crm.example.com"),
            ("https://crm.example.com:443/api", "crm.example.com"),
            ("https://crm.example.com:80/api", "crm.example.com:80"),
            ("http://127.0.0.1:80/x", "127.0.0.1"),
            ("http://127.0.0.1:8080/x", "127.0.0.1:8080"),
            ("http://[::1]:8443/x", "[::1]:8443"),
            ("wss://crm.example.com:443/x", "crm.example.com"),
        ]);
    }

    #[test]
    fn a_repeated_authority_gets_the_cached_value_and_a_new_one_replaces_it() {
        fills_in_turn(&[
            ("http://a.test:81/1", "a.test:81"),
            ("http://a.test:81/2", "a.test:81"),
            ("http://b.test:81/", "b.test:81"),
            ("http://a.test:81/3", "a.test:81"),
        ]);
    }

    #[test]
    fn the_same_authority_under_another_scheme_is_not_confused() {
        fills_in_turn(&[
            ("http://a.test:443/", "a.test:443"),
            ("https://a.test:443/", "a.test"),
            ("https://a.test:80/", "a.test:80"),
            ("http://a.test:80/", "a.test"),
        ]);
    }

    #[test]
    fn a_host_set_by_the_caller_is_kept_and_a_relative_uri_gets_none() {
        let cache = HostHeaderCache::default();
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("virtual.test"));
        cache.fill(&mut headers, &"http://a.test/".parse().unwrap());
        assert_eq!(headers[HOST], "virtual.test");
        assert_eq!(filled(&cache, "/relative"), None);
    }

    #[test]
    fn a_busy_cache_still_fills_the_header() {
        let cache = HostHeaderCache::default();
        let _held = cache.last.lock().unwrap();
        assert_eq!(filled(&cache, "http://a.test:81/").unwrap(), "a.test:81");
    }

    #[test]
    fn debug_never_shows_the_authority() {
        let cache = HostHeaderCache::default();
        filled(&cache, "https://user:secret@a.test/").unwrap();
        let shown = format!("{cache:?}");
        assert!(
            !shown.contains("secret") && !shown.contains("a.test"),
            "{shown}"
        );
    }
}
