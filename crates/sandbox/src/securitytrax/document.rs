//! Answering one decoded request document: the authentication, then every
//! operation in order, one `<response>` each.

use std::sync::{PoisonError, RwLock};
use std::time::SystemTime;

use strax_xml_protocol::server::{RequestRejection, RequestedOperation};
use strax_xml_protocol::{Credentials, RequestType, Script};

use super::config::SecurityTraxConfig;
use super::route::script_file;
use super::store::{Access, Customers, Executed, Needs, Store, execute};

/// The `type` of the authentication request, which must come first and only once.
const AUTHENTICATION_REQUEST: &str = "GetSystemAuthentication";

/// The message of a refused `GetSystemAuthentication` (it does not say which part was wrong).
pub const AUTHENTICATION_FAILED: &str = "Invalid Username, Password or PartnerID";

/// The message of every operation that follows a refused authentication.
pub const NOT_AUTHENTICATED: &str = "not executed: not authenticated";

/// One `<response>` to write, in document order.
#[derive(Debug)]
pub(crate) enum Reply<'c> {
    /// The authentication succeeded.
    Authenticated,
    /// The authentication failed with this message.
    AuthenticationFailed(&'static str),
    /// An operation ran.
    Executed(Executed<'c>),
    /// An operation was refused or failed: `success="false"` with these messages.
    Failure {
        /// The `type` as sent.
        request_type: String,
        /// One `<message>` each.
        messages: Vec<String>,
    },
}

impl Reply<'_> {
    fn failure<I, S>(request_type: &str, messages: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::Failure {
            request_type: request_type.to_owned(),
            messages: messages.into_iter().map(Into::into).collect(),
        }
    }
}

/// One reply per request of the document, the authentication first, and the
/// index in `config.accounts` of the account the credentials matched.
///
/// The document runs under one lock on `store`, taken as the operations need
/// it (none for documents that only read seeded customers, shared for
/// availability reads, exclusive for writes), so a document is executed as a
/// whole and no other document's writes interleave. The lock is released
/// before anything is written. `now` stamps what it stores.
pub(crate) fn answer<'c>(
    credentials: &Credentials,
    operations: Vec<RequestedOperation>,
    script: Script,
    config: &SecurityTraxConfig,
    customers: &'c Customers,
    store: &RwLock<Store>,
    now: SystemTime,
) -> (Vec<Reply<'c>>, Option<usize>) {
    let account = config
        .accounts
        .iter()
        .position(|account| account.matches(credentials));
    let mut replies = Vec::with_capacity(operations.len() + 1);
    if account.is_none() {
        tracing::info!(
            username = credentials.username(),
            partner_id = credentials.partner_id(),
            "securitytrax sandbox refused the authentication"
        );
        replies.push(Reply::AuthenticationFailed(AUTHENTICATION_FAILED));
        replies.extend(
            operations
                .iter()
                .map(|requested| Reply::failure(&requested.request_type, [NOT_AUTHENTICATED])),
        );
        return (replies, None);
    }
    replies.push(Reply::Authenticated);
    let needs = operations
        .iter()
        .filter_map(|requested| requested.result.as_ref().ok())
        .map(Needs::of)
        .max()
        .unwrap_or(Needs::Nothing);
    let read_guard;
    let mut write_guard;
    let mut access = match needs {
        Needs::Nothing => Access::None,
        Needs::Read => {
            read_guard = store.read().unwrap_or_else(PoisonError::into_inner);
            Access::Read(&read_guard)
        }
        Needs::Write => {
            write_guard = store.write().unwrap_or_else(PoisonError::into_inner);
            Access::Write(&mut write_guard)
        }
    };
    for requested in operations {
        let reply = answer_operation(requested, script, config, customers, &mut access, now);
        if tracing::enabled!(tracing::Level::DEBUG) {
            let (request_type, success) = match &reply {
                Reply::Executed(Executed::Success(success)) => {
                    (success.request_type().wire_name(), true)
                }
                Reply::Executed(Executed::Customer(_)) => {
                    (RequestType::GetCustomerStatus.wire_name(), true)
                }
                Reply::Failure { request_type, .. } => (request_type.as_str(), false),
                Reply::Authenticated | Reply::AuthenticationFailed(_) => {
                    (AUTHENTICATION_REQUEST, false)
                }
            };
            tracing::debug!(
                request_type,
                success,
                "securitytrax sandbox answered an operation"
            );
        }
        replies.push(reply);
    }
    (replies, account)
}

fn answer_operation<'c>(
    requested: RequestedOperation,
    script: Script,
    config: &SecurityTraxConfig,
    customers: &'c Customers,
    access: &mut Access<'_>,
    now: SystemTime,
) -> Reply<'c> {
    let request_type = requested.request_type;
    let operation = match requested.result {
        Ok(operation) => operation,
        Err(RequestRejection::UnknownRequestType(name)) if name == AUTHENTICATION_REQUEST => {
            return Reply::failure(
                &request_type,
                [format!(
                    "{AUTHENTICATION_REQUEST} is only allowed as the first request"
                )],
            );
        }
        Err(RequestRejection::UnknownRequestType(name)) => {
            let known: Vec<&str> = RequestType::ALL.iter().map(|t| t.wire_name()).collect();
            return Reply::failure(
                &request_type,
                [format!(
                    "unknown request type `{name}`: known are {}",
                    known.join(", ")
                )],
            );
        }
        Err(RequestRejection::Invalid(errors)) => {
            return Reply::failure(&request_type, errors.iter().map(ToString::to_string));
        }
        Err(other) => return Reply::failure(&request_type, [other.to_string()]),
    };
    let serving = operation.script();
    if serving != script {
        let kind = match serving {
            Script::Requester => "a read",
            Script::Poster => "a write",
        };
        return Reply::failure(
            &request_type,
            [format!(
                "{request_type} is {kind} served by {}, not by {}: post it there",
                script_file(serving, config),
                script_file(script, config)
            )],
        );
    }
    match execute(operation, customers, access, now) {
        Ok(executed) => Reply::Executed(executed),
        Err(message) => Reply::failure(&request_type, [message]),
    }
}
