//! [`NetoError`]: why a `crmwire neto` (or `crmwire wire … neto`) command
//! failed: the shared [`RoomError`] of the Neto room.

use crate::commands::room_error::{Room, RoomError};
use crate::config::ServiceKind;

/// Why a `crmwire neto` command failed.
pub(crate) type NetoError = RoomError<NetoRoom>;

/// The Neto room, as [`RoomError`] names it.
#[derive(Debug)]
pub(crate) struct NetoRoom;

impl Room for NetoRoom {
    const COMMAND: &'static str = "neto";
    const SERVICE: ServiceKind = ServiceKind::Neto;
    const NAME: &'static str = "Neto";
    type EndpointError = neto_api::EndpointError;
    type Own = std::convert::Infallible;
}
