//! Which characters XML 1.0 allows.
//!
//! XML 1.0 `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
//! Surrogates cannot occur in a Rust `str`, so the forbidden characters left are
//! the C0 controls other than TAB, LF and CR, and U+FFFE / U+FFFF.

/// Whether XML 1.0 allows `c` anywhere in a document (as a literal or a reference).
///
/// ```
/// assert!(strict_xml::is_xml10_char('\t'));
/// assert!(strict_xml::is_xml10_char('é'));
/// assert!(!strict_xml::is_xml10_char('\u{1}'));
/// assert!(!strict_xml::is_xml10_char('\u{FFFF}'));
/// ```
#[must_use]
pub fn is_xml10_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `text` that XML 1.0 forbids, with its byte offset in `text`.
///
/// ```
/// assert_eq!(strict_xml::first_forbidden_char("ok"), None);
/// assert_eq!(strict_xml::first_forbidden_char("a\u{0}b"), Some((1, '\u{0}')));
/// ```
#[must_use]
pub fn first_forbidden_char(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| !is_xml10_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_whitespace_controls_and_ordinary_text() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            'a',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFD}',
            '\u{10000}',
            '\u{10FFFF}',
        ] {
            assert!(is_xml10_char(c), "{c:?} should be allowed");
        }
    }

    #[test]
    fn forbids_other_c0_controls_and_non_characters() {
        for c in [
            '\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}',
        ] {
            assert!(!is_xml10_char(c), "{c:?} should be forbidden");
        }
    }

    #[test]
    fn reports_the_byte_offset_of_the_first_forbidden_char() {
        assert_eq!(first_forbidden_char("é\u{B}\u{C}"), Some((2, '\u{B}')));
    }
}
