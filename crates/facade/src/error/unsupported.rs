//! [`Unsupported`]: a neutral operation the service behind a client does not have.

use std::fmt;

use super::service::Service;
use crate::neutral::Operation;

/// A service-neutral operation asked of a service that has no such thing
/// (a lead posted to Peoplevine, an appointment booked in Neto). Nothing
/// was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unsupported {
    /// The service asked.
    pub service: Service,
    /// The operation it does not have.
    pub operation: Operation,
}

impl Unsupported {
    /// `service` cannot do `operation`.
    #[must_use]
    pub fn new(service: Service, operation: Operation) -> Self {
        Self { service, operation }
    }
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot {} ({} is not supported), nothing was sent",
            self.service,
            self.operation.describe(),
            self.operation
        )
    }
}
