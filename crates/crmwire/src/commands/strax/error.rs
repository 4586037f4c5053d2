//! [`StraxError`]: why a `crmwire strax` (or `crmwire wire … strax`) command
//! failed: the shared [`RoomError`] of the SecurityTrax room, whose own
//! failures are those of lead and customer posting ([`LeadError`]).

use facade::securitytrax::EndpointError;

use super::lead::LeadError;
use crate::commands::room_error::{OwnFailure, Room, RoomError};
use crate::config::ServiceKind;
use crate::exit::Exit;

/// Why a `crmwire strax` command failed.
pub(crate) type StraxError = RoomError<StraxRoom>;

/// The SecurityTrax room, as [`RoomError`] names it.
#[derive(Debug)]
pub(crate) struct StraxRoom;

impl Room for StraxRoom {
    const COMMAND: &'static str = "strax";
    const SERVICE: ServiceKind = ServiceKind::SecurityTrax;
    const NAME: &'static str = "SecurityTrax";
    type EndpointError = EndpointError;
    type Own = LeadError;
}

impl OwnFailure for LeadError {
    fn exit(&self) -> Exit {
        LeadError::exit(self)
    }

    fn kind(&self) -> &'static str {
        LeadError::kind(self)
    }
}

impl From<LeadError> for StraxError {
    fn from(error: LeadError) -> Self {
        Self::Own(error)
    }
}
