//! The process exit codes, one per thing a script must do differently.

use facade::transport::TimeoutPhase;

/// How a command ended. The numbers are documented in `--help` and the README, and
/// scripts rely on them: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 0: done (a dry run included).
    Success,
    /// 1: the service refused or failed the operation, or crmwire itself failed.
    Failed,
    /// 2: invalid input, usage or configuration; nothing was sent.
    Invalid,
    /// 3: the request was not sent; nothing happened at the CRM, safe to run again.
    NotSent,
    /// 4: the request may have been received and acted on; check before running again.
    OutcomeUnknown,
}

impl Exit {
    /// The process exit code.
    pub(crate) fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Failed => 1,
            Self::Invalid => 2,
            Self::NotSent => 3,
            Self::OutcomeUnknown => 4,
        }
    }

    /// What a failed SecurityTrax call means for the user.
    pub(crate) fn of_call(error: &facade::Error) -> Self {
        if error.outcome_unknown() {
            return Self::OutcomeUnknown;
        }
        match error {
            // A refused request (plain http to a remote host, a bad URL) fails the
            // same way every time: it is a configuration problem, not a retry.
            facade::Error::InvalidInput(_)
            | facade::Error::Encode { .. }
            | facade::Error::RequestRefused { .. } => Self::Invalid,
            facade::Error::NotSent { .. } => Self::NotSent,
            facade::Error::Timeout {
                phase: TimeoutPhase::Connect,
                ..
            } => Self::NotSent,
            _ => Self::Failed,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        Self::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use facade::securitytrax::{OperationFailure, RequestType};

    use super::*;

    #[test]
    fn codes_are_the_documented_ones() {
        let codes: Vec<u8> = [
            Exit::Success,
            Exit::Failed,
            Exit::Invalid,
            Exit::NotSent,
            Exit::OutcomeUnknown,
        ]
        .into_iter()
        .map(Exit::code)
        .collect();
        assert_eq!(codes, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn call_errors_map_by_what_is_known_about_the_request() {
        let cases = [
            (
                facade::Error::NotSent {
                    detail: "connection refused".into(),
                    attempts: 3,
                },
                Exit::NotSent,
            ),
            (
                facade::Error::RequestRefused {
                    reason: "plain http".into(),
                },
                Exit::Invalid,
            ),
            (
                facade::Error::Timeout {
                    phase: TimeoutPhase::Connect,
                    after: Duration::from_secs(1),
                },
                Exit::NotSent,
            ),
            (
                facade::Error::Timeout {
                    phase: TimeoutPhase::Total,
                    after: Duration::from_secs(1),
                },
                Exit::OutcomeUnknown,
            ),
            (
                facade::Error::OutcomeUnknown {
                    detail: "closed".into(),
                },
                Exit::OutcomeUnknown,
            ),
            (
                facade::Error::HttpStatus {
                    status: 502,
                    body_excerpt: String::new(),
                    may_have_executed: true,
                },
                Exit::OutcomeUnknown,
            ),
            (
                facade::Error::HttpStatus {
                    status: 404,
                    body_excerpt: String::new(),
                    may_have_executed: false,
                },
                Exit::Failed,
            ),
            (
                facade::Error::Protocol {
                    detail: "not XML".into(),
                    may_have_executed: false,
                },
                Exit::Failed,
            ),
            (
                facade::Error::AuthenticationFailed {
                    messages: vec!["Invalid".into()],
                },
                Exit::Failed,
            ),
            (
                facade::Error::OperationFailed(OperationFailure::refused(
                    RequestType::CreateCustomerNote,
                    Vec::new(),
                )),
                Exit::Failed,
            ),
            (
                facade::Error::Encode {
                    detail: "field".into(),
                },
                Exit::Invalid,
            ),
        ];
        for (error, exit) in cases {
            assert_eq!(Exit::of_call(&error), exit, "{error}");
        }
    }
}
