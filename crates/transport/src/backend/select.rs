//! Choosing a backend at run time (`--backend reqwest|hyper`).

use std::fmt;
use std::str::FromStr;

use bytes::Bytes;
use http::{Request, Response};

use crate::{Transport, TransportBuildError, TransportConfig, TransportError};

/// The HTTP stacks this crate can drive. Both names always parse; building
/// one whose cargo feature is off fails with
/// [`TransportBuildError::BackendNotCompiled`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Backend {
    /// reqwest (cargo feature `reqwest`, on by default).
    #[default]
    Reqwest,
    /// hyper-util's pooled client (cargo feature `hyper`).
    Hyper,
}

impl Backend {
    /// Every backend, compiled in or not.
    pub const ALL: [Backend; 2] = [Backend::Reqwest, Backend::Hyper];

    /// The backend's name as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Reqwest => "reqwest",
            Self::Hyper => "hyper",
        }
    }

    /// Whether this build contains the backend.
    pub fn is_available(self) -> bool {
        match self {
            Self::Reqwest => cfg!(feature = "reqwest"),
            Self::Hyper => cfg!(feature = "hyper"),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A backend name that is neither `reqwest` nor `hyper`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown HTTP backend `{0}` (expected `reqwest` or `hyper`)")]
pub struct UnknownBackend(pub String);

impl FromStr for Backend {
    type Err = UnknownBackend;

    /// ```
    /// use transport::Backend;
    /// assert_eq!("hyper".parse::<Backend>().unwrap(), Backend::Hyper);
    /// assert!("curl".parse::<Backend>().is_err());
    /// ```
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|backend| backend.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownBackend(name.to_owned()))
    }
}

/// An HTTP backend chosen at run time.
///
/// ```
/// use transport::{Backend, HttpTransport, TransportConfig};
///
/// # if !Backend::Reqwest.is_available() { return Ok(()); }
/// let transport = HttpTransport::new(Backend::default(), TransportConfig::default())?;
/// assert_eq!(transport.backend(), Backend::Reqwest);
/// # Ok::<(), transport::TransportBuildError>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum HttpTransport {
    /// The reqwest backend.
    #[cfg(feature = "reqwest")]
    Reqwest(crate::ReqwestTransport),
    /// The hyper backend.
    #[cfg(feature = "hyper")]
    Hyper(crate::HyperTransport),
}

impl HttpTransport {
    /// Builds `backend` with `config`.
    pub fn new(backend: Backend, config: TransportConfig) -> Result<Self, TransportBuildError> {
        match backend {
            #[cfg(feature = "reqwest")]
            Backend::Reqwest => crate::ReqwestTransport::new(config).map(Self::Reqwest),
            #[cfg(feature = "hyper")]
            Backend::Hyper => crate::HyperTransport::new(config).map(Self::Hyper),
            #[allow(unreachable_patterns)]
            other => {
                drop(config);
                Err(TransportBuildError::BackendNotCompiled {
                    backend: other.name(),
                })
            }
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match *self {
            #[cfg(feature = "reqwest")]
            Self::Reqwest(_) => Backend::Reqwest,
            #[cfg(feature = "hyper")]
            Self::Hyper(_) => Backend::Hyper,
        }
    }
}

impl Transport for HttpTransport {
    #[allow(unused_variables)]
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        match *self {
            #[cfg(feature = "reqwest")]
            Self::Reqwest(ref transport) => transport.send(request).await,
            #[cfg(feature = "hyper")]
            Self::Hyper(ref transport) => transport.send(request).await,
        }
    }
}

crate::transport::forward_transport_for_ref! {
    impl for HttpTransport;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for backend in Backend::ALL {
            assert_eq!(backend.name().parse::<Backend>().unwrap(), backend);
            assert_eq!(backend.to_string(), backend.name());
        }
        assert_eq!(" Hyper ".parse::<Backend>().unwrap(), Backend::Hyper);
        let error = "curl".parse::<Backend>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown HTTP backend `curl` (expected `reqwest` or `hyper`)"
        );
    }

    #[test]
    fn every_available_backend_builds_and_the_others_say_why_not() {
        for backend in Backend::ALL {
            match HttpTransport::new(backend, TransportConfig::default()) {
                Ok(transport) => {
                    assert!(backend.is_available());
                    assert_eq!(transport.backend(), backend);
                }
                Err(error) => {
                    assert!(!backend.is_available());
                    assert_eq!(
                        error,
                        TransportBuildError::BackendNotCompiled {
                            backend: backend.name()
                        }
                    );
                }
            }
        }
    }
}
