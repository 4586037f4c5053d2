//! Answering one decoded request document: the authentication, then every
//! operation in order, one `<response>` each.

use std::time::SystemTime;

use strax_xml_protocol::server::{
    DecodedRequest, RequestRejection, RequestedOperation, ResponseEntry,
};
use strax_xml_protocol::{RequestType, Script};

use super::config::SecurityTraxConfig;
use super::route::script_file;
use super::store::Store;

/// The `type` of the authentication request, which must come first and only once.
const AUTHENTICATION_REQUEST: &str = "GetSystemAuthentication";

/// The message of a refused `GetSystemAuthentication` (it does not say which part was wrong).
pub const AUTHENTICATION_FAILED: &str = "Invalid Username, Password or PartnerID";

/// The message of every operation that follows a refused authentication.
pub const NOT_AUTHENTICATED: &str = "not executed: not authenticated";

/// One `<response>` per request of `request`, the authentication first.
///
/// Runs under the store's lock, so a document is executed as a whole; `now`
/// stamps what it stores.
pub(crate) fn answer(
    request: DecodedRequest,
    script: Script,
    config: &SecurityTraxConfig,
    store: &mut Store,
    now: SystemTime,
) -> Vec<ResponseEntry> {
    let authenticated = config
        .accounts
        .iter()
        .any(|account| account.matches(&request.credentials));
    let mut entries = Vec::with_capacity(request.operations.len() + 1);
    if authenticated {
        entries.push(ResponseEntry::authenticated());
    } else {
        tracing::info!(
            username = request.credentials.username(),
            partner_id = request.credentials.partner_id(),
            "securitytrax sandbox refused the authentication"
        );
        entries.push(ResponseEntry::authentication_failed(AUTHENTICATION_FAILED));
    }
    for requested in request.operations {
        let entry = if authenticated {
            answer_operation(requested, script, config, store, now)
        } else {
            ResponseEntry::failure(&requested.request_type, [NOT_AUTHENTICATED])
        };
        tracing::debug!(
            request_type = %entry.request_type,
            success = entry.success,
            "securitytrax sandbox answered an operation"
        );
        entries.push(entry);
    }
    entries
}

fn answer_operation(
    requested: RequestedOperation,
    script: Script,
    config: &SecurityTraxConfig,
    store: &mut Store,
    now: SystemTime,
) -> ResponseEntry {
    let request_type = requested.request_type;
    let operation = match requested.result {
        Ok(operation) => operation,
        Err(RequestRejection::UnknownRequestType(name)) if name == AUTHENTICATION_REQUEST => {
            return ResponseEntry::failure(
                &request_type,
                [format!(
                    "{AUTHENTICATION_REQUEST} is only allowed as the first request"
                )],
            );
        }
        Err(RequestRejection::UnknownRequestType(name)) => {
            let known: Vec<&str> = RequestType::ALL.iter().map(|t| t.wire_name()).collect();
            return ResponseEntry::failure(
                &request_type,
                [format!(
                    "unknown request type `{name}`: known are {}",
                    known.join(", ")
                )],
            );
        }
        Err(RequestRejection::Invalid(errors)) => {
            return ResponseEntry::failure(&request_type, errors.iter().map(ToString::to_string));
        }
        Err(other) => return ResponseEntry::failure(&request_type, [other.to_string()]),
    };
    let serving = operation.script();
    if serving != script {
        let kind = match serving {
            Script::Requester => "a read",
            Script::Poster => "a write",
        };
        return ResponseEntry::failure(
            &request_type,
            [format!(
                "{request_type} is {kind} served by {}, not by {}: post it there",
                script_file(serving, config),
                script_file(script, config)
            )],
        );
    }
    match store.execute(operation, now) {
        Ok(success) => ResponseEntry::success(&success),
        Err(message) => ResponseEntry::failure(&request_type, [message]),
    }
}
