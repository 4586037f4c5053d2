//! Service text made safe to show: control and bidi characters made visible,
//! and short, printable, redacted excerpts of bodies.
//!
//! A value a service sends may carry `\r\n` (forging a second output line
//! such as `Status: OK`), ANSI escape sequences, or a right-to-left override
//! (U+202E) that makes a terminal show text reversed. Text output passes
//! every such value through [`escape_for_terminal`]; machine-readable output
//! (JSON) keeps values exact, since JSON escapes them itself.
//!
//! ```
//! use wire_core::text::escape_for_terminal;
//!
//! assert_eq!(escape_for_terminal("Smith\r\nStatus: paid"), "Smith\\r\\nStatus: paid");
//! assert_eq!(escape_for_terminal("evil\u{202E}gpj.exe"), "evil\\u{202e}gpj.exe");
//! assert_eq!(escape_for_terminal("Müller"), "Müller");
//! ```

use std::borrow::Cow;

use crate::redact::Redactor;

/// Whether `c` must not reach a terminal raw: C0 and C1 controls (newlines
/// and tabs included), DEL, the Unicode line and paragraph separators, and
/// the bidirectional formatting characters (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069).
#[must_use]
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every [unsafe](is_unsafe_for_terminal) character written as
/// an escape (`\n`, `\r`, `\t`, `\u{1b}`, `\u{202e}`, and a backslash as
/// `\\` only when the text needed escaping anyway); borrowed when nothing
/// needed escaping. The result is one line.
#[must_use]
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if is_unsafe_for_terminal(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A short, printable start of a body for an error message: the caller's
/// secrets removed, then unsafe characters dropped, whitespace collapsed, at
/// most `max_chars` characters (an ellipsis marks a cut), and the text cut
/// before the first `cut_before` marker (any ASCII case) when one is given,
/// since what follows it may hold credentials in a form no redactor knows.
#[must_use]
pub fn excerpt(body: &[u8], max_chars: usize, redactor: &Redactor, cut_before: &[&str]) -> String {
    let head = &body[..body.len().min(4 * max_chars.max(16))];
    let text = String::from_utf8_lossy(head);
    let text = redactor.redact(&text);
    // ASCII lowercasing keeps byte offsets, so `cut` indexes `text` too.
    let lower = text.to_ascii_lowercase();
    let cut = cut_before
        .iter()
        .filter_map(|marker| lower.find(&marker.to_ascii_lowercase()))
        .min();
    let shown = &text[..cut.unwrap_or(text.len())];
    let mut out = String::new();
    let mut chars = 0;
    let mut truncated = head.len() < body.len();
    for word in shown
        .split(|c: char| c.is_whitespace() || is_unsafe_for_terminal(c))
        .filter(|w| !w.is_empty())
    {
        let needed = word.chars().count() + usize::from(!out.is_empty());
        if chars + needed > max_chars {
            let room = max_chars.saturating_sub(chars + usize::from(!out.is_empty()));
            if room > 0 {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.extend(word.chars().take(room));
            }
            truncated = true;
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        chars += needed;
    }
    if cut.is_some() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str("[cut: the rest may hold credentials]");
    } else if truncated {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn forged_lines_and_escape_sequences_are_made_visible() {
        assert_eq!(
            escape_for_terminal("ok\u{1b}[2K\rNote added"),
            "ok\\u{1b}[2K\\rNote added"
        );
        assert_eq!(escape_for_terminal("a\\b\n"), "a\\\\b\\n");
        assert!(matches!(
            escape_for_terminal("plain a\\b"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_for_terminal("x\u{2066}y\u{85}"),
            "x\\u{2066}y\\u{85}"
        );
    }

    #[test]
    fn excerpts_are_short_printable_redacted_and_cut_before_credentials() {
        let redactor = Redactor::new(["hunter2"]);
        let body = b"<error>\r\n  bad   login hunter2 </error><system_request><Password>x";
        assert_eq!(
            excerpt(body, 200, &redactor, &["<system_request"]),
            "<error> bad login [redacted] </error> [cut: the rest may hold credentials]"
        );
        let long = "word ".repeat(100);
        let short = excerpt(long.as_bytes(), 12, &Redactor::none(), &[]);
        assert_eq!(short, "word word wo…");
    }

    proptest! {
        #[test]
        fn escaped_text_is_one_safe_line(text in any::<String>()) {
            let escaped = escape_for_terminal(&text);
            prop_assert!(!escaped.chars().any(is_unsafe_for_terminal));
        }

        #[test]
        fn excerpts_are_bounded_and_safe(body in proptest::collection::vec(any::<u8>(), 0..600), max in 1usize..80) {
            let shown = excerpt(&body, max, &Redactor::none(), &[]);
            prop_assert!(!shown.chars().any(is_unsafe_for_terminal));
            prop_assert!(shown.chars().count() <= max + 1);
        }
    }
}
