//! Conversions into [`Error`]: the public `From`s a caller's `?` needs
//! (setting up, validating, sending), and the SecurityTrax codec's errors.

use std::sync::Arc;

use strax_xml_protocol::{
    DataText, DecodeError, EncodeError, EndpointError, FailureKind, OperationFailure,
};
use transport::{TransportBuildError, TransportError};
use wire_core::validation::Violations;

use super::{Error, ServiceError, StraxFailure};

impl From<Violations> for Error {
    fn from(violations: Violations) -> Self {
        Self::InvalidInput(violations)
    }
}

impl From<EndpointError> for Error {
    fn from(error: EndpointError) -> Self {
        Self::Setup {
            what: error.to_string(),
            source: Some(Arc::new(error)),
        }
    }
}

impl From<TransportBuildError> for Error {
    fn from(error: TransportBuildError) -> Self {
        Self::Setup {
            what: error.to_string(),
            source: Some(Arc::new(error)),
        }
    }
}

/// A transport failure of a request that may write.
impl From<TransportError> for Error {
    fn from(error: TransportError) -> Self {
        Self::from_transport(error, true)
    }
}

impl Error {
    /// Maps a SecurityTrax encoding failure (nothing was sent).
    pub(crate) fn from_strax_encode(error: EncodeError) -> Self {
        match error {
            EncodeError::Invalid(violations) => Self::InvalidInput(violations),
            other => Self::NotSendable {
                reason: format!("the request document cannot be written: {other}"),
                source: Some(Arc::new(other)),
            },
        }
    }

    /// Maps a SecurityTrax decoding failure of a whole document; `writes`
    /// says whether the document contained writes.
    pub(crate) fn from_strax_decode(error: DecodeError, writes: bool) -> Self {
        match error {
            DecodeError::HttpStatus {
                status,
                body_excerpt,
            } => Self::HttpStatus {
                status,
                service: None,
                body_excerpt,
                may_have_executed: writes && status >= 500,
            },
            DecodeError::AuthenticationFailed { messages, .. } => Self::Authentication {
                service: ServiceError::SecurityTrax(StraxFailure::new(
                    None,
                    messages
                        .into_iter()
                        .map(|text| DataText {
                            element: "message".to_owned(),
                            text,
                        })
                        .collect(),
                )),
            },
            other => Self::Unreadable {
                detail: other.to_string(),
                may_have_executed: writes,
                source: Some(Arc::new(other)),
            },
        }
    }

    /// Maps one SecurityTrax operation without a result: refused by the
    /// service, or its answer unreadable or missing (of unknown outcome for
    /// a write).
    pub(crate) fn from_strax_operation(failure: OperationFailure) -> Self {
        let writes = failure.request_type.script() == strax_xml_protocol::Script::Poster;
        match &failure.kind {
            FailureKind::Refused => Self::Refused {
                service: ServiceError::SecurityTrax(StraxFailure::new(
                    Some(failure.request_type),
                    failure.texts,
                )),
            },
            _ => Self::Unreadable {
                detail: failure.to_string(),
                may_have_executed: writes,
                source: Some(Arc::new(failure)),
            },
        }
    }
}

impl Error {
    /// Maps a Peoplevine failure; `writes` says whether the request may
    /// change the service's data.
    pub(crate) fn from_peoplevine(error: notes_rest::Error, writes: bool) -> Self {
        match error {
            notes_rest::Error::Invalid(violations) => Self::InvalidInput(violations),
            notes_rest::Error::Authentication(error) => Self::Authentication {
                service: ServiceError::Peoplevine(error),
            },
            notes_rest::Error::Service(error) => {
                let status = error.status.as_u16();
                let decoded = error.error.is_some() || error.description.is_some();
                if status < 500 && decoded {
                    Self::Refused {
                        service: ServiceError::Peoplevine(error),
                    }
                } else {
                    Self::HttpStatus {
                        status,
                        body_excerpt: error.excerpt.clone().unwrap_or_default(),
                        service: Some(ServiceError::Peoplevine(error)),
                        may_have_executed: writes && status >= 500,
                    }
                }
            }
            notes_rest::Error::Undecodable {
                status,
                reason,
                excerpt,
            } => Self::Unreadable {
                detail: format!("HTTP {status}, {reason}; body starts: {excerpt}"),
                may_have_executed: writes,
                source: None,
            },
            other => Self::Unreadable {
                detail: other.to_string(),
                may_have_executed: writes,
                source: None,
            },
        }
    }
}
