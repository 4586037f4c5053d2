//! Errors from starting the sandbox.

use std::net::SocketAddr;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The listening socket could not be bound.
    #[error("sandbox could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A service's name cannot be a path segment the sandbox routes on.
    #[error("service name `{name}` is invalid: {rule}")]
    InvalidServiceName {
        /// The name as the service gave it.
        name: String,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// Two services asked for the same name.
    #[error("two services are named `{name}`; each service needs its own first path segment")]
    DuplicateService {
        /// The shared name.
        name: String,
    },
}
