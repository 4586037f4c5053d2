//! Which characters XML 1.0 allows.
//!
//! XML 1.0 `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
//! Surrogates cannot occur in a Rust `str`, so the forbidden characters left are
//! the C0 controls other than TAB, LF and CR, and U+FFFE / U+FFFF.

use crate::swar;

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
    // Every forbidden character is either one byte (a C0 control) or the
    // three-byte U+FFFE / U+FFFF, whose UTF-8 starts with 0xEF. Scanning bytes
    // for those two cases and checking characters only there gives the same
    // answer as checking every character, at a fraction of the cost.
    let bytes = text.as_bytes();
    // Common case first: no byte below 0x20 and no 0xEF at all.
    if !has_control_or_ef(bytes) {
        return None;
    }
    let mut from = 0;
    while let Some(found) = bytes[from..]
        .iter()
        .position(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF)
    {
        let at = from + found;
        let c = text[at..].chars().next()?;
        if !is_xml10_char(c) {
            return Some((at, c));
        }
        from = at + c.len_utf8();
    }
    None
}

/// Whether `bytes` holds a byte below 0x20 (a C0 control, TAB, LF and CR
/// included) or 0xEF (the lead byte of U+FFFE and U+FFFF, among others): the
/// only bytes that can start a character XML 1.0 forbids, or a line end to
/// normalise.
///
/// Eight bytes at a time (the texts of a document are mostly short, too
/// short for the compiler's vectorised loop to start): a word has a byte
/// below 0x20 exactly when `(w - 0x20…20) & !w & 0x80…80` is not zero, and a
/// byte 0xEF exactly when the same test for "below 1" holds for `w ^ 0xEF…EF`
/// (the classic "has a byte less than n" test, exact as a yes/no for n ≤ 128).
#[inline(always)]
pub(crate) fn has_control_or_ef(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    let mut seen = 0u64;
    for chunk in &mut words {
        let w = swar::word(chunk);
        seen |= swar::below(w, 0x20) | swar::equal(w, 0xEF);
    }
    seen != 0
        || words
            .remainder()
            .iter()
            .fold(false, |seen, &b| seen | (b < 0x20) | (b == 0xEF))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scan_agrees_with_the_byte_scan() {
        let by_byte = |bytes: &[u8]| bytes.iter().any(|&b| b < 0x20 || b == 0xEF);
        // Every byte value at every position of inputs of 0 to 24 bytes,
        // on backgrounds just above and below the edges.
        for len in 0..=24 {
            for background in [b'a', b' ', 0x21, 0x7F, 0x80, 0xEE, 0xF0, 0xFF] {
                let mut bytes = vec![background; len];
                assert_eq!(has_control_or_ef(&bytes), by_byte(&bytes), "{bytes:?}");
                for at in 0..len {
                    for b in 0..=255u8 {
                        bytes[at] = b;
                        assert_eq!(has_control_or_ef(&bytes), by_byte(&bytes), "{bytes:?}");
                    }
                    bytes[at] = background;
                }
            }
        }
        // Two marked bytes (borrows between bytes must not cross over).
        for a in [0x00, 0x1F, 0x20, 0x21, 0xEE, 0xEF, 0xF0, 0xFF] {
            for b in [0x00, 0x1F, 0x20, 0x21, 0xEE, 0xEF, 0xF0, 0xFF] {
                for at in 0..7 {
                    let mut bytes = [b'x'; 8];
                    bytes[at] = a;
                    bytes[at + 1] = b;
                    assert_eq!(has_control_or_ef(&bytes), by_byte(&bytes), "{bytes:?}");
                }
            }
        }
    }

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
        // Allowed characters whose UTF-8 starts with 0xEF are skipped over.
        assert_eq!(
            first_forbidden_char("\u{F000}\u{FFFD}x\u{FFFE}"),
            Some((7, '\u{FFFE}'))
        );
        assert_eq!(
            first_forbidden_char("a\u{FFFD}\u{FFFF}"),
            Some((4, '\u{FFFF}'))
        );
        assert_eq!(first_forbidden_char("\u{EFFF}\u{F8FF}\t\r\n"), None);
    }

    #[test]
    fn byte_scan_agrees_with_checking_every_character() {
        let samples = [
            "",
            "plain",
            "tab\tlf\ncr\r",
            "\u{1F}",
            "é\u{0}",
            "\u{E000}\u{FFFF}",
            "\u{FFFC}\u{FFFD}",
            "\u{10FFFF}\u{7}",
            "\u{EF}\u{BF}",
            "日本\u{FFFE}語",
        ];
        for text in samples {
            let expected = text.char_indices().find(|&(_, c)| !is_xml10_char(c));
            assert_eq!(first_forbidden_char(text), expected, "{text:?}");
        }
    }
}
