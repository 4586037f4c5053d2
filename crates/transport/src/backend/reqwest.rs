//! The reqwest backend.

use std::future::Future;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response, Uri};
use reqwest::Url;

use crate::body::CappedBody;
use crate::classify::{Failure, Stage, classify, describe_chain};
use crate::{Transport, TransportBuildError, TransportConfig, TransportError, pipeline, tls};

/// A [`Transport`] over a pooled `reqwest::Client`.
///
/// Built with [`new`](Self::new), the client uses rustls (ring provider,
/// `webpki-roots`), no proxy, no redirects (a `3xx` is returned as is) and no
/// automatic retries. Built with [`from_client`](Self::from_client), it
/// drives a client of your own.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    config: TransportConfig,
    last_url: Arc<UrlCache>,
}

/// The last request URI and its parsed `Url`: crmwire clients send most of
/// their requests to one endpoint, and reqwest wants a `Url`, which it would
/// otherwise parse again from the URI's text on every request.
#[derive(Default)]
struct UrlCache(Mutex<Option<(Uri, Url)>>);

impl std::fmt::Debug for UrlCache {
    /// Never the URL: its query may carry credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlCache")
    }
}

impl UrlCache {
    /// `uri` as a `Url`, from the cache when it holds the same URI.
    fn url(&self, uri: &Uri) -> Result<Url, Box<dyn std::error::Error + Send + Sync>> {
        // Never wait for the cache: a busy one just means parsing once more.
        if let Ok(cached) = self.0.try_lock()
            && let Some((last, url)) = cached.as_ref()
            && last == uri
        {
            return Ok(url.clone());
        }
        let url = Url::parse(&uri.to_string())?;
        if let Ok(mut cached) = self.0.try_lock() {
            *cached = Some((uri.clone(), url.clone()));
        }
        Ok(url)
    }
}

impl ReqwestTransport {
    /// Builds the client for `config`. Building needs no runtime; sending
    /// must happen within a tokio runtime.
    ///
    /// ```
    /// let transport = transport::ReqwestTransport::new(transport::TransportConfig::default())?;
    /// # drop(transport);
    /// # Ok::<(), transport::TransportBuildError>(())
    /// ```
    pub fn new(config: TransportConfig) -> Result<Self, TransportBuildError> {
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config()?)
            .connect_timeout(config.connect_timeout())
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .no_proxy()
            .build()
            .map_err(|error| TransportBuildError::Client {
                detail: describe_chain(&error.without_url()),
            })?;
        Ok(Self::from_client(client, config))
    }

    /// Drives `client`, a `reqwest::Client` of your own (sharing its
    /// connection pool with the rest of your program).
    ///
    /// Your client's own settings then apply: its TLS roots and backend,
    /// **redirect policy** (reqwest follows up to 10 redirects by default;
    /// use `redirect::Policy::none()` to keep crmwire's "a `3xx` is
    /// returned" rule), **proxy** settings (reqwest reads the `*_PROXY`
    /// environment variables by default), its connect timeout and its
    /// automatic retries. The connect timeout of `config` is not applied
    /// (set it on your client); everything else of `config` still is: the
    /// total timeout, the body cap, the plain-`http://` rule and the default
    /// User-Agent, as is the classification of failures into
    /// [`TransportError`]s.
    ///
    /// crmwire builds reqwest with rustls but without choosing a crypto
    /// provider for it: install one before building your client (as below,
    /// ring), or hand it a preconfigured TLS backend.
    ///
    /// ```
    /// use std::time::Duration;
    /// use transport::{ReqwestTransport, TransportConfig};
    ///
    /// let _ = rustls::crypto::ring::default_provider().install_default();
    /// let client = reqwest::Client::builder()
    ///     .connect_timeout(Duration::from_secs(5))
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let transport = ReqwestTransport::from_client(client, TransportConfig::default());
    /// # drop(transport);
    /// ```
    pub fn from_client(client: reqwest::Client, config: TransportConfig) -> Self {
        Self {
            client,
            config,
            last_url: Arc::default(),
        }
    }

    /// The configuration this transport was built with.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    /// The reqwest client this transport drives.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    async fn exchange(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let connect_timeout = self.config.connect_timeout();
        let (parts, body) = request.into_parts();
        let url = self.last_url.url(&parts.uri).map_err(|error| {
            // The URL parser's errors name the rule broken, never the URL.
            TransportError::invalid_request("the request URI is not a valid URL").with_source(error)
        })?;
        let mut outgoing = reqwest::Request::new(parts.method.clone(), url);
        *outgoing.headers_mut() = parts.headers;
        *outgoing.version_mut() = parts.version;
        *outgoing.body_mut() = Some(body.into());
        let mut response = self
            .client
            .execute(outgoing)
            .await
            .map_err(|error| classify(failure(error, Stage::Exchanging), connect_timeout))?;
        let mut body = CappedBody::new(
            self.config.body_limit(),
            &parts.method,
            response.status(),
            response.headers(),
        )?;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| classify(failure(error, Stage::ReadingBody), connect_timeout))?
        {
            body.push(chunk)?;
        }
        let mut head = Response::new(());
        *head.status_mut() = response.status();
        *head.version_mut() = response.version();
        *head.headers_mut() = std::mem::take(response.headers_mut());
        let (parts, ()) = head.into_parts();
        Ok(Response::from_parts(parts, body.finish()))
    }
}

/// Reduces a reqwest error (URL removed, here and so in every error of the
/// source chain) to a [`Failure`]; `stage` is where the caller was when it
/// happened, refined by what reqwest reports.
fn failure(error: reqwest::Error, stage: Stage) -> Failure {
    let error = error.without_url();
    let stage = if error.is_builder() {
        Stage::Refused
    } else if error.is_connect() {
        Stage::Connecting
    } else {
        stage
    };
    Failure {
        stage,
        timed_out: error.is_timeout(),
        source: Box::new(error),
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        pipeline::run(&self.config, request, |request| self.exchange(request))
    }
}

crate::transport::forward_transport_for_ref! {
    impl for ReqwestTransport;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_of_a_repeated_uri_comes_from_the_cache() {
        let cache = UrlCache::default();
        let first: Uri = "https://crm.example.com/a?x=1".parse().unwrap();
        let second: Uri = "https://crm.example.com/b".parse().unwrap();
        assert_eq!(
            cache.url(&first).unwrap().as_str(),
            "https://crm.example.com/a?x=1"
        );
        assert_eq!(
            cache.0.lock().unwrap().as_ref().map(|(uri, _)| uri.clone()),
            Some(first.clone())
        );
        assert_eq!(
            cache.url(&first).unwrap().as_str(),
            "https://crm.example.com/a?x=1"
        );
        // Another URI replaces the entry and gets its own URL.
        assert_eq!(
            cache.url(&second).unwrap().as_str(),
            "https://crm.example.com/b"
        );
        assert_eq!(
            cache.0.lock().unwrap().as_ref().map(|(uri, _)| uri.clone()),
            Some(second)
        );
    }
}
