//! [`PvError`]: why a `crmwire peoplevine` (or `crmwire wire … peoplevine`)
//! command failed: the shared [`RoomError`] of the Peoplevine room, whose
//! endpoint errors are broken rules ([`EndpointProblems`]).

use std::fmt;

use wire_core::validation::{Record, Violations};

use crate::commands::failure::{self, Problem};
use crate::commands::room_error::{Room, RoomError};
use crate::config::ServiceKind;

/// Why a `crmwire peoplevine` command failed.
pub(crate) type PvError = RoomError<PeoplevineRoom>;

/// The Peoplevine room, as [`RoomError`] names it.
#[derive(Debug)]
pub(crate) struct PeoplevineRoom;

impl Room for PeoplevineRoom {
    const COMMAND: &'static str = "peoplevine";
    const SERVICE: ServiceKind = ServiceKind::Peoplevine;
    const NAME: &'static str = "Peoplevine";
    type EndpointError = EndpointProblems;
    type Own = std::convert::Infallible;

    fn endpoint_problems(error: &EndpointProblems) -> Option<&[Problem]> {
        Some(&error.0)
    }
}

/// Why a profile's base URL or region cannot make a Peoplevine endpoint:
/// one problem per broken rule.
#[derive(Debug)]
pub(crate) struct EndpointProblems(pub(crate) Vec<Problem>);

impl fmt::Display for EndpointProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&failure::joined(&self.0))
    }
}

impl std::error::Error for EndpointProblems {}

impl From<facade::Error> for PvError {
    fn from(error: facade::Error) -> Self {
        match error.violations() {
            Some(violations) => Self::invalid(violations),
            None => Self::Call(error),
        }
    }
}

/// The command-line option that sets a Peoplevine field.
fn option_of(_record: Option<&Record>, field: &str) -> Option<&'static str> {
    Some(match field {
        "page_number" => "--page",
        "page_size" => "--page-size",
        "subject" => "--subject",
        "details" => "--details",
        "type" => "--type",
        "status" => "--status",
        "reminder" => "--reminder",
        "reference_type" => "--reference-type",
        "reference_id" => "--reference-id",
        "customer_id" => "--customer",
        "confidential" => "--confidential",
        "priority" => "--priority",
        "tags" => "--tag",
        "clear" => "--clear",
        "region" => "region",
        "base_url" => "base_url",
        _ => return None,
    })
}

impl PvError {
    /// Invalid input, each broken rule named by its option.
    pub(crate) fn invalid(violations: &Violations) -> Self {
        Self::InvalidInput(failure::describe(violations, &option_of))
    }
}
