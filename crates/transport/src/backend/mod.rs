//! The HTTP backends and their run-time choice.

#[cfg(feature = "hyper")]
mod deadline_connector;
#[cfg(feature = "hyper")]
mod host_header;
#[cfg(feature = "hyper")]
pub(crate) mod hyper;
#[cfg(feature = "reqwest")]
pub(crate) mod reqwest;
mod select;

pub use select::{Backend, HttpTransport, UnknownBackend};
