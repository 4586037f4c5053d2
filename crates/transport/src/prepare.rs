//! Checks and defaults applied to every request before any IO.

use std::net::IpAddr;

use bytes::Bytes;
use http::{Request, header};

use crate::{TransportConfig, TransportError};

/// Refuses requests that must not be sent and sets the default User-Agent.
///
/// Rules: the URI is absolute with scheme `https` or `http` and a host;
/// `http` is allowed only to loopback hosts unless the configuration allows
/// plain HTTP everywhere.
pub(crate) fn prepare(
    mut request: Request<Bytes>,
    config: &TransportConfig,
) -> Result<Request<Bytes>, TransportError> {
    let uri = request.uri();
    let host = uri.host().ok_or_else(|| {
        TransportError::invalid_request("the request URI must be absolute with a host")
    })?;
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if config.plain_http_allowed() || is_loopback(host) => {}
        Some("http") => {
            return Err(TransportError::invalid_request(format!(
                "plain http:// to non-loopback host `{host}` is refused (use https, or allow plain HTTP in the transport config)"
            )));
        }
        Some(other) => {
            return Err(TransportError::invalid_request(format!(
                "URI scheme `{other}` is not supported (use https)"
            )));
        }
        None => {
            return Err(TransportError::invalid_request(
                "the request URI has no scheme",
            ));
        }
    }
    if !request.headers().contains_key(header::USER_AGENT) {
        request
            .headers_mut()
            .insert(header::USER_AGENT, config.user_agent().clone());
    }
    Ok(request)
}

/// `localhost`, `127.0.0.0/8` or `::1` (as `http::Uri::host` spells them:
/// IPv6 in brackets).
pub(crate) fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str) -> Request<Bytes> {
        Request::builder().uri(uri).body(Bytes::new()).unwrap()
    }

    fn reason(result: Result<Request<Bytes>, TransportError>) -> String {
        match result {
            Err(error) => match error.kind() {
                crate::ErrorKind::InvalidRequest { reason } => reason.clone(),
                other => panic!("expected InvalidRequest, got {other:?}"),
            },
            Ok(_) => panic!("expected InvalidRequest, got a request"),
        }
    }

    #[test]
    fn plain_http_is_allowed_to_loopback_only() {
        let config = TransportConfig::default();
        for uri in [
            "http://127.0.0.1:8080/x",
            "http://127.9.9.9/x",
            "http://localhost/x",
            "http://LOCALHOST:1/x",
            "http://[::1]:80/x",
            "https://example.com/x",
        ] {
            assert!(prepare(request(uri), &config).is_ok(), "{uri}");
        }
        for uri in [
            "http://example.com/x?key=secret",
            "http://128.0.0.1/x",
            "http://[::2]/x",
            "http://localhost.example.com/x",
        ] {
            let reason = reason(prepare(request(uri), &config));
            assert!(reason.contains("plain http://"), "{reason}");
            assert!(!reason.contains("secret"), "{reason}");
        }
    }

    #[test]
    fn plain_http_can_be_allowed_everywhere() {
        let config = TransportConfig::default().with_allow_plain_http(true);
        assert!(prepare(request("http://example.com/"), &config).is_ok());
    }

    #[test]
    fn relative_and_foreign_uris_are_refused() {
        let config = TransportConfig::default();
        assert!(reason(prepare(request("/just/a/path"), &config)).contains("absolute"));
        assert!(reason(prepare(request("ftp://example.com/f"), &config)).contains("`ftp`"));
    }

    #[test]
    fn user_agent_is_set_only_when_missing() {
        let config = TransportConfig::default();
        let sent = prepare(request("https://example.com/"), &config).unwrap();
        assert_eq!(
            sent.headers()[header::USER_AGENT],
            concat!("crmwire/", env!("CARGO_PKG_VERSION"))
        );
        let mut own = request("https://example.com/");
        own.headers_mut()
            .insert(header::USER_AGENT, "mine/1".parse().unwrap());
        let sent = prepare(own, &config).unwrap();
        assert_eq!(sent.headers()[header::USER_AGENT], "mine/1");
    }
}
