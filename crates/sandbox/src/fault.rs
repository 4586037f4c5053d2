//! Faults the sandbox can inject, and the `x-sandbox-fault` directive grammar.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The request header that selects faults per request.
///
/// Its value is `directive(;directive)*`; see [`Fault`] for the directives.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// The longest `delay=` or `stall-body=` the grammar accepts, in milliseconds (five minutes).
pub const MAX_FAULT_DELAY_MS: u64 = 300_000;

/// The directive names the grammar knows, in the order the docs list them.
const KNOWN_DIRECTIVES: &str = "delay, status, retry-after, close, close-after-processing, truncate, garbage, oversize, stall-body";

/// One misbehaviour the sandbox can show instead of (or on top of) its normal answer.
///
/// Each variant has a directive form for the [`FAULT_HEADER`] header and the control
/// endpoint; [`Display`](fmt::Display) writes it and [`FromStr`] reads it back:
///
/// | variant | directive | effect |
/// |---|---|---|
/// | `Delay(d)` | `delay=<ms>` | wait, then answer normally |
/// | `Status { .. }` | `status=<code>[;retry-after=<value>]` | that status with a short JSON error body |
/// | `CloseBeforeResponse` | `close` | read the request, close the connection without a response |
/// | `CloseAfterProcessing` | `close-after-processing` | let the service act on the request, then close without a response |
/// | `TruncatedBody` | `truncate` | Content-Length of the full body, half of it, then close |
/// | `GarbageBody` | `garbage` | 200 with bytes that are neither XML nor JSON |
/// | `OversizedBody(n)` | `oversize=<n>` | 200 with a streamed body of `n` bytes |
/// | `StallBody(d)` | `stall-body=<ms>` | headers at once, the body after the delay |
///
/// Faults that replace the answer (`Status`, `CloseBeforeResponse`, `GarbageBody`,
/// `OversizedBody`) do not call the mounted service; faults that shape the normal
/// answer (`Delay`, `TruncatedBody`, `StallBody`) do, and so does
/// `CloseAfterProcessing`, which then drops the answer: the server did the work but
/// the client never learns it (an "outcome unknown" write that must not be resent blindly).
///
/// ```
/// use std::time::Duration;
/// use sandbox::Fault;
///
/// let fault = Fault::Status { status: 429, retry_after: Some("1".to_owned()) };
/// assert_eq!(fault.to_string(), "status=429;retry-after=1");
/// assert_eq!("status=429;retry-after=1".parse::<Fault>(), Ok(fault));
/// assert_eq!("delay=250".parse::<Fault>(), Ok(Fault::Delay(Duration::from_millis(250))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Answer this status with a short JSON error body, optionally with `Retry-After`.
    Status {
        /// The HTTP status code (200..=599 when parsed from a directive).
        status: u16,
        /// The value of the `Retry-After` header, if one is wanted.
        retry_after: Option<String>,
    },
    /// Read the whole request, then close the connection without writing a response.
    CloseBeforeResponse,
    /// Let the mounted service handle the request (its state changes), then close the
    /// connection without writing its response.
    CloseAfterProcessing,
    /// Send a Content-Length for the full normal body, write half of it, then close.
    TruncatedBody,
    /// Answer 200 with a body that is neither XML nor JSON.
    GarbageBody,
    /// Answer 200 with a streamed body of this many bytes.
    OversizedBody(usize),
    /// Send the normal status and headers at once, and the body after this delay.
    StallBody(Duration),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Delay(delay) => write!(f, "delay={}", delay.as_millis()),
            Self::Status {
                status,
                retry_after,
            } => {
                write!(f, "status={status}")?;
                if let Some(value) = retry_after {
                    write!(f, ";retry-after={value}")?;
                }
                Ok(())
            }
            Self::CloseBeforeResponse => f.write_str("close"),
            Self::CloseAfterProcessing => f.write_str("close-after-processing"),
            Self::TruncatedBody => f.write_str("truncate"),
            Self::GarbageBody => f.write_str("garbage"),
            Self::OversizedBody(bytes) => write!(f, "oversize={bytes}"),
            Self::StallBody(delay) => write!(f, "stall-body={}", delay.as_millis()),
        }
    }
}

impl FromStr for Fault {
    type Err = FaultDirectiveError;

    /// Parses exactly one fault (`status=<code>;retry-after=<value>` counts as one).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let plan = FaultPlan::parse(text)?;
        match (plan.delay, plan.outcome) {
            (Some(delay), None) => Ok(Self::Delay(delay)),
            (None, Some(outcome)) => Ok(outcome),
            (Some(delay), Some(outcome)) => Err(FaultDirectiveError::NotASingleFault {
                first: Self::Delay(delay).to_string(),
                second: outcome.to_string(),
            }),
            // `parse` rejects an empty list, so one of the two is always set.
            (None, None) => Err(FaultDirectiveError::Empty),
        }
    }
}

/// Why a fault directive list (the `x-sandbox-fault` header or a control request) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FaultDirectiveError {
    /// The list, or one directive between `;`, is empty.
    #[error("empty fault directive: expected `directive(;directive)*`")]
    Empty,
    /// The directive name is not one the sandbox knows.
    #[error("unknown fault directive `{name}` (known: {KNOWN_DIRECTIVES})")]
    UnknownDirective {
        /// The name as written.
        name: String,
    },
    /// The directive needs `=<value>` and has none.
    #[error("fault directive `{directive}` needs a value (`{directive}=...`)")]
    MissingValue {
        /// The directive name.
        directive: &'static str,
    },
    /// The directive takes no value and has one.
    #[error("fault directive `{directive}` takes no value")]
    UnexpectedValue {
        /// The directive name.
        directive: &'static str,
    },
    /// The directive's value breaks its rule.
    #[error("fault directive `{directive}` has invalid value `{value}`: {rule}")]
    InvalidValue {
        /// The directive name.
        directive: &'static str,
        /// The value as written.
        value: String,
        /// The rule the value breaks.
        rule: &'static str,
    },
    /// `retry-after` was given without `status`.
    #[error("fault directive `retry-after` only applies together with `status=<code>`")]
    RetryAfterWithoutStatus,
    /// Two directives that each decide the answer, or the same directive twice.
    #[error(
        "fault directives `{first}` and `{second}` conflict: give at most one delay and one answer-shaping directive"
    )]
    Conflicting {
        /// The directive seen first.
        first: String,
        /// The directive that conflicts with it.
        second: String,
    },
    /// [`Fault::from_str`] was given a delay plus another fault.
    #[error("`{first};{second}` is two faults, expected one")]
    NotASingleFault {
        /// The first fault.
        first: String,
        /// The second fault.
        second: String,
    },
}

/// A parsed directive list: an optional delay, then at most one answer-shaping fault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FaultPlan {
    /// Waited before anything else happens.
    pub(crate) delay: Option<Duration>,
    /// Decides or shapes the answer; never `Fault::Delay`.
    pub(crate) outcome: Option<Fault>,
}

impl FaultPlan {
    /// The plan for one fault.
    pub(crate) fn single(fault: Fault) -> Self {
        match fault {
            Fault::Delay(delay) => Self {
                delay: Some(delay),
                outcome: None,
            },
            other => Self {
                delay: None,
                outcome: Some(other),
            },
        }
    }

    /// Parses `directive(;directive)*`.
    pub(crate) fn parse(text: &str) -> Result<Self, FaultDirectiveError> {
        let mut plan = Self::default();
        let mut retry_after: Option<String> = None;
        if text.trim().is_empty() {
            return Err(FaultDirectiveError::Empty);
        }
        for raw in text.split(';') {
            let raw = raw.trim();
            if raw.is_empty() {
                return Err(FaultDirectiveError::Empty);
            }
            let (name, value) = match raw.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim())),
                None => (raw, None),
            };
            match name {
                "delay" => {
                    let delay = parse_millis("delay", value)?;
                    if let Some(first) = plan.delay {
                        return Err(FaultDirectiveError::Conflicting {
                            first: Fault::Delay(first).to_string(),
                            second: raw.to_owned(),
                        });
                    }
                    plan.delay = Some(delay);
                }
                "retry-after" => {
                    let value = required_value("retry-after", value)?;
                    let valid = !value.is_empty()
                        && value.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
                    if !valid {
                        return Err(FaultDirectiveError::InvalidValue {
                            directive: "retry-after",
                            value: value.to_owned(),
                            rule: "must be non-empty visible ASCII",
                        });
                    }
                    if retry_after.is_some() {
                        return Err(FaultDirectiveError::Conflicting {
                            first: "retry-after".to_owned(),
                            second: raw.to_owned(),
                        });
                    }
                    retry_after = Some(value.to_owned());
                }
                _ => {
                    let outcome = parse_outcome(name, value)?;
                    if let Some(first) = &plan.outcome {
                        return Err(FaultDirectiveError::Conflicting {
                            first: first.to_string(),
                            second: raw.to_owned(),
                        });
                    }
                    plan.outcome = Some(outcome);
                }
            }
        }
        if let Some(value) = retry_after {
            match &mut plan.outcome {
                Some(Fault::Status { retry_after, .. }) => *retry_after = Some(value),
                _ => return Err(FaultDirectiveError::RetryAfterWithoutStatus),
            }
        }
        Ok(plan)
    }

    /// This plan applied before `later`: delays add up, and this plan's answer wins.
    pub(crate) fn then(self, later: Self) -> Self {
        let delay = match (self.delay, later.delay) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
        Self {
            delay,
            outcome: self.outcome.or(later.outcome),
        }
    }
}

impl fmt::Display for FaultPlan {
    /// The directive list this plan was parsed from, in canonical form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let delay = self.delay.map(Fault::Delay);
        let mut first = true;
        for fault in delay.iter().chain(self.outcome.iter()) {
            if !first {
                f.write_str(";")?;
            }
            first = false;
            write!(f, "{fault}")?;
        }
        Ok(())
    }
}

/// Parses the directives that decide or shape the answer.
fn parse_outcome(name: &str, value: Option<&str>) -> Result<Fault, FaultDirectiveError> {
    match name {
        "status" => {
            let text = required_value("status", value)?;
            let status = text
                .parse::<u16>()
                .ok()
                .filter(|code| (200..=599).contains(code))
                .ok_or_else(|| FaultDirectiveError::InvalidValue {
                    directive: "status",
                    value: text.to_owned(),
                    rule: "must be an HTTP status code from 200 to 599",
                })?;
            Ok(Fault::Status {
                status,
                retry_after: None,
            })
        }
        "close" => no_value("close", value).map(|()| Fault::CloseBeforeResponse),
        "close-after-processing" => {
            no_value("close-after-processing", value).map(|()| Fault::CloseAfterProcessing)
        }
        "truncate" => no_value("truncate", value).map(|()| Fault::TruncatedBody),
        "garbage" => no_value("garbage", value).map(|()| Fault::GarbageBody),
        "oversize" => {
            let text = required_value("oversize", value)?;
            let bytes = text
                .parse::<usize>()
                .map_err(|_| FaultDirectiveError::InvalidValue {
                    directive: "oversize",
                    value: text.to_owned(),
                    rule: "must be a whole number of bytes",
                })?;
            Ok(Fault::OversizedBody(bytes))
        }
        "stall-body" => parse_millis("stall-body", value).map(Fault::StallBody),
        other => Err(FaultDirectiveError::UnknownDirective {
            name: other.to_owned(),
        }),
    }
}

fn required_value<'a>(
    directive: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, FaultDirectiveError> {
    value.ok_or(FaultDirectiveError::MissingValue { directive })
}

fn no_value(directive: &'static str, value: Option<&str>) -> Result<(), FaultDirectiveError> {
    match value {
        None => Ok(()),
        Some(_) => Err(FaultDirectiveError::UnexpectedValue { directive }),
    }
}

fn parse_millis(
    directive: &'static str,
    value: Option<&str>,
) -> Result<Duration, FaultDirectiveError> {
    let text = required_value(directive, value)?;
    text.parse::<u64>()
        .ok()
        .filter(|ms| *ms <= MAX_FAULT_DELAY_MS)
        .map(Duration::from_millis)
        .ok_or_else(|| FaultDirectiveError::InvalidValue {
            directive,
            value: text.to_owned(),
            rule: "must be a whole number of milliseconds from 0 to 300000",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<FaultPlan, FaultDirectiveError> {
        FaultPlan::parse(text)
    }

    #[test]
    fn every_directive_parses() {
        let cases = [
            (
                "delay=5",
                FaultPlan::single(Fault::Delay(Duration::from_millis(5))),
            ),
            (
                "status=503",
                FaultPlan::single(Fault::Status {
                    status: 503,
                    retry_after: None,
                }),
            ),
            ("close", FaultPlan::single(Fault::CloseBeforeResponse)),
            (
                "close-after-processing",
                FaultPlan::single(Fault::CloseAfterProcessing),
            ),
            ("truncate", FaultPlan::single(Fault::TruncatedBody)),
            ("garbage", FaultPlan::single(Fault::GarbageBody)),
            (
                "oversize=1024",
                FaultPlan::single(Fault::OversizedBody(1024)),
            ),
            (
                "stall-body=20",
                FaultPlan::single(Fault::StallBody(Duration::from_millis(20))),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn delay_and_status_with_retry_after_combine_in_any_order() {
        let expected = FaultPlan {
            delay: Some(Duration::from_millis(10)),
            outcome: Some(Fault::Status {
                status: 429,
                retry_after: Some("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
            }),
        };
        assert_eq!(
            parse("retry-after=Wed, 21 Oct 2015 07:28:00 GMT; delay=10 ;status=429"),
            Ok(expected)
        );
    }

    #[test]
    fn unknown_directive_is_named() {
        let err = parse("status=500;explode").unwrap_err();
        assert_eq!(
            err,
            FaultDirectiveError::UnknownDirective {
                name: "explode".to_owned()
            }
        );
        assert!(err.to_string().contains("`explode`"), "{err}");
    }

    #[test]
    fn malformed_lists_are_refused_with_the_rule() {
        let cases: [(&str, FaultDirectiveError); 14] = [
            ("", FaultDirectiveError::Empty),
            ("close;", FaultDirectiveError::Empty),
            (
                "delay",
                FaultDirectiveError::MissingValue { directive: "delay" },
            ),
            (
                "close=1",
                FaultDirectiveError::UnexpectedValue { directive: "close" },
            ),
            (
                "close-after-processing=1",
                FaultDirectiveError::UnexpectedValue {
                    directive: "close-after-processing",
                },
            ),
            (
                "close;close-after-processing",
                FaultDirectiveError::Conflicting {
                    first: "close".to_owned(),
                    second: "close-after-processing".to_owned(),
                },
            ),
            (
                "delay=soon",
                FaultDirectiveError::InvalidValue {
                    directive: "delay",
                    value: "soon".to_owned(),
                    rule: "must be a whole number of milliseconds from 0 to 300000",
                },
            ),
            (
                "stall-body=300001",
                FaultDirectiveError::InvalidValue {
                    directive: "stall-body",
                    value: "300001".to_owned(),
                    rule: "must be a whole number of milliseconds from 0 to 300000",
                },
            ),
            (
                "status=99",
                FaultDirectiveError::InvalidValue {
                    directive: "status",
                    value: "99".to_owned(),
                    rule: "must be an HTTP status code from 200 to 599",
                },
            ),
            (
                "oversize=-1",
                FaultDirectiveError::InvalidValue {
                    directive: "oversize",
                    value: "-1".to_owned(),
                    rule: "must be a whole number of bytes",
                },
            ),
            (
                "status=500;retry-after=",
                FaultDirectiveError::InvalidValue {
                    directive: "retry-after",
                    value: String::new(),
                    rule: "must be non-empty visible ASCII",
                },
            ),
            (
                "retry-after=1",
                FaultDirectiveError::RetryAfterWithoutStatus,
            ),
            (
                "close;garbage",
                FaultDirectiveError::Conflicting {
                    first: "close".to_owned(),
                    second: "garbage".to_owned(),
                },
            ),
            (
                "delay=1;delay=2",
                FaultDirectiveError::Conflicting {
                    first: "delay=1".to_owned(),
                    second: "delay=2".to_owned(),
                },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Err(expected), "{text:?}");
        }
        assert_eq!(
            parse("status=500;retry-after=1;retry-after=2"),
            Err(FaultDirectiveError::Conflicting {
                first: "retry-after".to_owned(),
                second: "retry-after=2".to_owned()
            })
        );
    }

    #[test]
    fn display_round_trips_through_from_str() {
        let faults = [
            Fault::Delay(Duration::from_millis(1500)),
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            Fault::Status {
                status: 429,
                retry_after: Some("7".to_owned()),
            },
            Fault::CloseBeforeResponse,
            Fault::CloseAfterProcessing,
            Fault::TruncatedBody,
            Fault::GarbageBody,
            Fault::OversizedBody(9_000_000),
            Fault::StallBody(Duration::ZERO),
        ];
        for fault in faults {
            assert_eq!(fault.to_string().parse::<Fault>(), Ok(fault.clone()));
        }
    }

    #[test]
    fn plan_display_is_canonical() {
        let plan = FaultPlan::parse(" status=429 ; delay=5;retry-after=2").unwrap();
        assert_eq!(plan.to_string(), "delay=5;status=429;retry-after=2");
    }

    #[test]
    fn from_str_refuses_two_faults() {
        assert_eq!(
            "delay=1;close".parse::<Fault>(),
            Err(FaultDirectiveError::NotASingleFault {
                first: "delay=1".to_owned(),
                second: "close".to_owned()
            })
        );
    }

    #[test]
    fn earlier_plan_wins_the_answer_and_delays_add_up() {
        let queued = FaultPlan::parse("delay=10;status=500").unwrap();
        let header = FaultPlan::parse("delay=5;garbage").unwrap();
        assert_eq!(
            queued.then(header),
            FaultPlan {
                delay: Some(Duration::from_millis(15)),
                outcome: Some(Fault::Status {
                    status: 500,
                    retry_after: None
                }),
            }
        );
        let only_delay = FaultPlan::parse("delay=10").unwrap();
        let header = FaultPlan::parse("close").unwrap();
        assert_eq!(
            only_delay.then(header),
            FaultPlan {
                delay: Some(Duration::from_millis(10)),
                outcome: Some(Fault::CloseBeforeResponse),
            }
        );
    }
}
