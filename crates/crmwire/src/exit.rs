//! The process exit codes, one per thing a script must do differently.

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
}

impl Exit {
    /// The worse of two ends, for a command with several outcomes: outcome
    /// unknown (4) over not sent (3) over invalid (2) over failed (1) over
    /// success (0), so the code says the most urgent thing to do.
    pub(crate) fn worst(self, other: Self) -> Self {
        if other.code() > self.code() {
            other
        } else {
            self
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
    fn the_worst_end_wins_whatever_the_order() {
        let all = [
            Exit::Success,
            Exit::Failed,
            Exit::Invalid,
            Exit::NotSent,
            Exit::OutcomeUnknown,
        ];
        for (i, a) in all.into_iter().enumerate() {
            for (j, b) in all.into_iter().enumerate() {
                assert_eq!(a.worst(b), all[i.max(j)], "{a:?} {b:?}");
            }
        }
    }
}
