//! One-pass escaping: a single scan over a value's bytes that finds characters
//! XML 1.0 forbids, copies the runs that need nothing, and writes references
//! for the bytes that need escaping, straight into the output buffer.
//!
//! Each byte is classified by a 256-entry table: plain, forbidden (the C0
//! controls other than TAB, LF and CR), `0xEF` (the lead byte of U+FFFE and
//! U+FFFF, the only forbidden characters longer than one byte), or one of the
//! bytes that are escaped. A pre-scan first spots values that need none of
//! this (most of them), which are copied in one piece: eight bytes at a time
//! for short values, by a loop the compiler vectorises for long ones. The
//! output is byte for byte what quick-xml's `escape` (text) and attribute
//! escaping give.

use crate::swar;

/// Where a value is written, which decides what gets escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// Element content: `< > & ' "` and CR are escaped; TAB and LF are kept.
    Text,
    /// An attribute value: as text, plus TAB and LF (which parsers would turn
    /// into spaces).
    Attribute,
}

/// Bytes copied as they are.
const PLAIN: u8 = 0;
/// C0 controls other than TAB, LF and CR.
const FORBIDDEN: u8 = 1;
/// `0xEF`: may start U+FFFE or U+FFFF.
const LEAD_EF: u8 = 2;
/// Classes from `FIRST_ESCAPE` on index `REPLACEMENTS`.
const FIRST_ESCAPE: u8 = 3;

const REPLACEMENTS: [&[u8]; 8] = [
    b"&lt;", b"&gt;", b"&amp;", b"&apos;", b"&quot;", b"&#13;", b"&#9;", b"&#10;",
];

const fn class_table(context: Context) -> [u8; 256] {
    let mut table = [PLAIN; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = FORBIDDEN;
        byte += 1;
    }
    table[b'<' as usize] = FIRST_ESCAPE;
    table[b'>' as usize] = FIRST_ESCAPE + 1;
    table[b'&' as usize] = FIRST_ESCAPE + 2;
    table[b'\'' as usize] = FIRST_ESCAPE + 3;
    table[b'"' as usize] = FIRST_ESCAPE + 4;
    table[b'\r' as usize] = FIRST_ESCAPE + 5;
    match context {
        Context::Text => {
            table[b'\t' as usize] = PLAIN;
            table[b'\n' as usize] = PLAIN;
        }
        Context::Attribute => {
            table[b'\t' as usize] = FIRST_ESCAPE + 6;
            table[b'\n' as usize] = FIRST_ESCAPE + 7;
        }
    }
    table[0xEF] = LEAD_EF;
    table
}

static TEXT_CLASSES: [u8; 256] = class_table(Context::Text);
static ATTRIBUTE_CLASSES: [u8; 256] = class_table(Context::Attribute);

/// Appends `value`, escaped for `context`, to `out`.
///
/// # Errors
/// The code point of the first character XML 1.0 forbids. `out` may then hold
/// part of the value: the caller truncates it back.
#[inline]
pub(crate) fn escape_into(out: &mut Vec<u8>, value: &str, context: Context) -> Result<(), u32> {
    let classes = match context {
        Context::Text => &TEXT_CLASSES,
        Context::Attribute => &ATTRIBUTE_CLASSES,
    };
    let bytes = value.as_bytes();
    // Most values need nothing: a scan that only looks (no copying, no
    // table) finds out, and the value is copied whole (this part is
    // inlined into the writer). Otherwise the table scan starts at the
    // first word that needs a look.
    match first_attention(bytes, classes) {
        None => {
            out.extend_from_slice(bytes);
            Ok(())
        }
        Some(first) => escape_from(out, bytes, first, classes),
    }
}

/// Appends `bytes`, of which those before `first` need nothing, escaped as
/// `classes` says.
#[inline(never)]
fn escape_from(
    out: &mut Vec<u8>,
    bytes: &[u8],
    first: usize,
    classes: &[u8; 256],
) -> Result<(), u32> {
    out.reserve(bytes.len());
    let mut copied = 0;
    let mut at = first;
    while let Some(&byte) = bytes.get(at) {
        match classes[usize::from(byte)] {
            PLAIN => at += 1,
            FORBIDDEN => return Err(u32::from(byte)),
            LEAD_EF => {
                // In UTF-8, 0xEF always leads a three-byte character;
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
                if let Some(&[0xBF, last @ (0xBE | 0xBF)]) = bytes.get(at + 1..at + 3) {
                    return Err(0xFFFE | u32::from(last & 1));
                }
                at += 3;
            }
            escape => {
                out.extend_from_slice(&bytes[copied..at]);
                out.extend_from_slice(REPLACEMENTS[usize::from(escape - FIRST_ESCAPE)]);
                at += 1;
                copied = at;
            }
        }
    }
    out.extend_from_slice(&bytes[copied..]);
    Ok(())
}

/// Whether `word` holds a byte the table may not copy plainly, in either
/// context: a C0 control, `<`, `>`, `&`, `'`, `"` or `0xEF` (a superset).
#[inline]
const fn word_needs_attention(word: u64) -> bool {
    let control = swar::below(word, 0x20);
    // `<` (0x3C) and `>` (0x3E) differ in one bit, as `&` (0x26) and `'` (0x27) do.
    let angle = swar::zero((word ^ swar::splat(b'<')) & swar::splat(0xFD));
    let amp_apos = swar::zero((word ^ swar::splat(b'&')) & swar::splat(0xFE));
    let quote = swar::equal(word, b'"');
    let lead_ef = swar::equal(word, 0xEF);
    control | angle | amp_apos | quote | lead_ef != 0
}

/// Values at least this long are pre-scanned by a loop the compiler
/// vectorises; shorter ones (most field values) a word at a time.
const LONG_VALUE: usize = 64;

/// Where the table scan of `bytes` must start: `None` when no byte needs
/// more than a plain copy, else an offset at or before the first that may.
#[inline]
fn first_attention(bytes: &[u8], classes: &[u8; 256]) -> Option<usize> {
    if bytes.len() >= LONG_VALUE {
        // One scan without early exit, which vectorises; the bytes it flags
        // are a superset of those the table does not copy plainly.
        let attention = bytes.iter().fold(false, |seen, &b| {
            seen | (b < 0x20)
                | (b == b'<')
                | (b == b'>')
                | (b == b'&')
                | (b == b'\'')
                | (b == b'"')
                | (b == 0xEF)
        });
        return attention.then_some(0);
    }
    if bytes.len() < 8 {
        return bytes.iter().position(|&b| classes[usize::from(b)] != PLAIN);
    }
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in words.by_ref() {
        if word_needs_attention(swar::word(chunk)) {
            return Some(at);
        }
        at += 8;
    }
    if words.remainder().is_empty() {
        return None;
    }
    // The last eight bytes, overlapping the words already looked at.
    let last = bytes.len() - 8;
    word_needs_attention(swar::word(&bytes[last..])).then_some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chars::first_forbidden_char;

    fn escaped(value: &str, context: Context) -> Result<String, u32> {
        let mut out = b"prefix:".to_vec();
        escape_into(&mut out, value, context)?;
        Ok(String::from_utf8(out).expect("utf-8")["prefix:".len()..].to_owned())
    }

    #[test]
    fn escapes_markup_and_cr_in_text_and_keeps_tab_and_lf() {
        assert_eq!(
            escaped("a<b>&'\"\r\n\tz", Context::Text),
            Ok("a&lt;b&gt;&amp;&apos;&quot;&#13;\n\tz".to_owned())
        );
        assert_eq!(escaped("", Context::Text), Ok(String::new()));
        assert_eq!(
            escaped("plain é 😀", Context::Text),
            Ok("plain é 😀".into())
        );
    }

    #[test]
    fn escapes_tab_lf_and_cr_in_attribute_values() {
        assert_eq!(
            escaped("1\t2\n3\r<", Context::Attribute),
            Ok("1&#9;2&#10;3&#13;&lt;".to_owned())
        );
    }

    #[test]
    fn reports_forbidden_characters_of_one_and_three_bytes() {
        for context in [Context::Text, Context::Attribute] {
            assert_eq!(escaped("ok\u{0}", context), Err(0));
            assert_eq!(escaped("\u{1F}", context), Err(0x1F));
            assert_eq!(escaped("a&b\u{B}", context), Err(0xB));
            assert_eq!(escaped("x\u{FFFE}", context), Err(0xFFFE));
            assert_eq!(escaped("\u{FFFF}y", context), Err(0xFFFF));
            // Other characters starting with 0xEF pass, whatever follows them.
            assert_eq!(
                escaped("\u{F000}\u{FFFD}\u{FFBE}<", context),
                Ok("\u{F000}\u{FFFD}\u{FFBE}&lt;".to_owned())
            );
            assert_eq!(escaped("\u{EFFF}", context), Ok("\u{EFFF}".to_owned()));
        }
    }

    #[test]
    fn every_special_byte_is_found_wherever_it_stands() {
        for len in 0..80 {
            for at in 0..len {
                for (special, text, attribute) in [
                    ("<", Ok("&lt;"), Ok("&lt;")),
                    (">", Ok("&gt;"), Ok("&gt;")),
                    ("&", Ok("&amp;"), Ok("&amp;")),
                    ("'", Ok("&apos;"), Ok("&apos;")),
                    ("\"", Ok("&quot;"), Ok("&quot;")),
                    ("\r", Ok("&#13;"), Ok("&#13;")),
                    ("\t", Ok("\t"), Ok("&#9;")),
                    ("\n", Ok("\n"), Ok("&#10;")),
                    ("\u{1}", Err(1), Err(1)),
                    ("\u{FFFF}", Err(0xFFFF), Err(0xFFFF)),
                ] {
                    let value = format!("{}{special}{}", "a".repeat(at), "b".repeat(len - at - 1));
                    let expected = |escaped: Result<&str, u32>| {
                        escaped
                            .map(|e| format!("{}{e}{}", "a".repeat(at), "b".repeat(len - at - 1)))
                    };
                    assert_eq!(escaped(&value, Context::Text), expected(text), "{value:?}");
                    assert_eq!(
                        escaped(&value, Context::Attribute),
                        expected(attribute),
                        "{value:?}"
                    );
                }
            }
            let plain = "xé".repeat(len / 3) + &"y".repeat(len % 3);
            assert_eq!(escaped(&plain, Context::Text), Ok(plain.clone()));
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// Strings biased towards bytes the table treats specially.
        fn value() -> impl Strategy<Value = String> {
            let special = prop::sample::select(vec![
                "<", ">", "&", "'", "\"", "\r", "\n", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
                "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "\u{F000}", "\u{EFBF}", "é", "😀", " ",
            ])
            .prop_map(str::to_owned);
            let any = any::<char>().prop_map(String::from);
            prop::collection::vec(prop_oneof![special, any], 0..16).prop_map(|parts| parts.concat())
        }

        /// quick-xml's attribute escaping, through the public `BytesStart` API.
        fn quick_xml_attribute_escape(value: &str) -> String {
            let mut tag = quick_xml::events::BytesStart::new("t");
            tag.push_attribute(("k", value));
            let raw: &str = &tag;
            raw["t k=\"".len()..raw.len() - 1].to_owned()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1024))]

            #[test]
            fn one_pass_agrees_with_check_then_escape(value in value()) {
                let forbidden = first_forbidden_char(&value).map(|(_, c)| u32::from(c));
                let text = escaped(&value, Context::Text);
                let attribute = escaped(&value, Context::Attribute);
                match forbidden {
                    Some(code_point) => {
                        prop_assert_eq!(text, Err(code_point));
                        prop_assert_eq!(attribute, Err(code_point));
                    }
                    None => {
                        prop_assert_eq!(text, Ok(quick_xml::escape::escape(value.as_str()).into_owned()));
                        prop_assert_eq!(attribute, Ok(quick_xml_attribute_escape(&value)));
                    }
                }
            }
        }
    }
}
