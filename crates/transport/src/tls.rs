//! The one TLS client configuration both backends use: rustls with the ring
//! provider and the Mozilla root store from `webpki-roots`.

use std::sync::Arc;

use rustls::ClientConfig;

use crate::TransportBuildError;

/// Builds the rustls client configuration shared by the reqwest and hyper
/// backends: ring crypto (never aws-lc), safe default protocol versions
/// (TLS 1.2 and 1.3), `webpki-roots` trust anchors, no client certificate.
pub(crate) fn client_config() -> Result<ClientConfig, TransportBuildError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| TransportBuildError::Tls {
            detail: error.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_ring_and_the_webpki_roots() {
        let config = client_config().unwrap();
        let ring = rustls::crypto::ring::default_provider();
        assert_eq!(
            config.crypto_provider().cipher_suites.len(),
            ring.cipher_suites.len()
        );
        assert!(!webpki_roots::TLS_SERVER_ROOTS.is_empty());
    }
}
