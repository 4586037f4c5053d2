//! Whole text elements: a child written `<name>text</name>` handed out in
//! one step (start tag, text and end tag), for decoders whose records are
//! mostly such fields.
//!
//! The fast path reads the bytes itself instead of taking three events from
//! quick-xml, and takes only a shape it can check completely: a start tag
//! that is a bare name (ASCII letters, digits, `_`, `-`, `.`, `:`; no
//! attribute section, no whitespace), text without markup, and the matching
//! end tag written `</name>`. The text may hold the five predefined entity
//! references (resolved), TAB, LF and any other character XML 1.0 allows
//! (checked, UTF-8 validated). Anything else — a character reference, an
//! unknown entity, a CR (which needs normalising), a forbidden character, a
//! comment, CDATA, a child element, an end tag that differs in any byte,
//! invalid UTF-8, the depth or element cap reached — is left to the event
//! path, untouched, which reads it (or refuses it) exactly as before. So the
//! fast path only ever hands out what the event path would have handed out,
//! and refuses nothing itself.
//!
//! It is taken only where the last event read was markup (every method
//! stops right after a tag's `>`), reading ahead of quick-xml's next event
//! through its `stream()`, which keeps quick-xml's position with its input.
//! As with every method of the reader, an error ends the reading: what the
//! reader gives after it has returned an error is unspecified (the document
//! is refused already).

use std::borrow::Cow;
use std::io::BufRead as _;

use super::{BorrowedStartTag, ReadError, TextOrChild, XmlReader};
use crate::chars::first_forbidden_char;
use crate::entities::resolve_predefined_entities as resolve;
use crate::swar;

/// A child element, as [`XmlReader::next_element_skipping_text`] and
/// [`XmlReader::read_text_or_element`] hand it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element<'a> {
    /// A child that holds only text, read whole (start tag, text, end tag):
    /// `text` is what [`XmlReader::read_text_borrowed`] would have given
    /// after its start tag (borrowed unless a reference was resolved). Only
    /// the simple shape comes this way (a start tag that is a bare ASCII
    /// name, text without markup, control characters other than TAB and LF,
    /// or references other than the five predefined entities, and the end tag
    /// written `</name>`); any other child, text-only or not, comes as
    /// [`Element::Start`].
    Text {
        /// The element's name.
        name: &'a str,
        /// Its text, empty for `<name></name>`.
        text: Cow<'a, str>,
    },
    /// A child whose start tag was just read: read (or skip) its content as
    /// after [`XmlReader::next_child_skipping_text`].
    Start(BorrowedStartTag<'a>),
}

impl Element<'_> {
    /// The element's name, as written (prefix included).
    #[must_use]
    #[inline]
    pub fn name(&self) -> &str {
        match self {
            Self::Text { name, .. } => name,
            Self::Start(tag) => tag.name(),
        }
    }
}

/// What an element read with [`XmlReader::read_text_or_element`] holds first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextOrElement<'a> {
    /// The element holds only text (as [`TextOrChild::Text`]); its end tag
    /// has been read.
    Text(Cow<'a, str>),
    /// The element's first child (as [`TextOrChild::Child`], or read whole):
    /// any text before it was checked and dropped. Read the remaining
    /// children with [`XmlReader::next_element_skipping_text`].
    Element(Element<'a>),
}

impl<'a> XmlReader<'a> {
    /// As [`XmlReader::next_child_skipping_text`], but a child written
    /// `<name>text</name>` may come whole, as [`Element::Text`] (see there
    /// for which shapes do), instead of as its start tag.
    /// Every rule applies as on the event path: the same documents are
    /// read, with the same texts, and the same documents refused.
    ///
    /// ```
    /// use strict_xml::{Element, XmlReader};
    ///
    /// let mut reader = XmlReader::new(b"<r>\n <a>x &amp; y</a>\n <b k='1'>z</b>\n</r>")?;
    /// reader.root_borrowed()?;
    /// let Some(Element::Text { name, text }) = reader.next_element_skipping_text()? else { panic!() };
    /// assert_eq!((name, text.as_ref()), ("a", "x & y"));
    /// // An attribute: the start tag comes alone, as `next_child_skipping_text` gives it.
    /// let Some(Element::Start(b)) = reader.next_element_skipping_text()? else { panic!() };
    /// assert_eq!((b.name(), reader.read_text_borrowed()?.as_ref()), ("b", "z"));
    /// assert!(reader.next_element_skipping_text()?.is_none()); // </r>
    /// reader.finish()?;
    /// # Ok::<(), strict_xml::ReadError>(())
    /// ```
    ///
    /// # Errors
    /// As [`XmlReader::next_child_skipping_text`].
    #[inline]
    pub fn next_element_skipping_text(&mut self) -> Result<Option<Element<'a>>, ReadError> {
        if let Some(element) = self.whole_text_element() {
            return Ok(Some(element));
        }
        Ok(self.next_child_skipping_text()?.map(Element::Start))
    }

    /// As [`XmlReader::read_text_or_child`], but a first child written
    /// `<name>text</name>` may come whole, as [`Element::Text`].
    ///
    /// ```
    /// use strict_xml::{Element, TextOrElement, XmlReader};
    ///
    /// let mut reader = XmlReader::new(b"<r><a>text</a><b><c>1</c></b></r>")?;
    /// reader.root_borrowed()?;
    /// let TextOrElement::Element(Element::Text { name: "a", text }) = reader.read_text_or_element()? else { panic!() };
    /// assert_eq!(text, "text");
    /// let Some(Element::Start(b)) = reader.next_element_skipping_text()? else { panic!() };
    /// assert_eq!(b.name(), "b");
    /// let TextOrElement::Element(c) = reader.read_text_or_element()? else { panic!() };
    /// assert_eq!(c, Element::Text { name: "c", text: "1".into() });
    /// assert!(reader.next_element_skipping_text()?.is_none()); // </b>
    /// # Ok::<(), strict_xml::ReadError>(())
    /// ```
    ///
    /// # Errors
    /// As [`XmlReader::read_text_or_child`].
    #[inline]
    pub fn read_text_or_element(&mut self) -> Result<TextOrElement<'a>, ReadError> {
        if let Some(element) = self.whole_text_element() {
            return Ok(TextOrElement::Element(element));
        }
        Ok(match self.read_text_or_child()? {
            TextOrChild::Text(text) => TextOrElement::Text(text),
            TextOrChild::Child(child) => TextOrElement::Element(Element::Start(child)),
        })
    }

    /// The next child read whole, when the input holds (after whitespace)
    /// one of the simple shapes the fast path checks completely; `None`,
    /// with nothing consumed, otherwise.
    #[inline]
    fn whole_text_element(&mut self) -> Option<Element<'a>> {
        // An empty-element tag's end tag is still to come.
        if self.pending_end {
            return None;
        }
        let input = self.open.input;
        let rest: &'a [u8] = self.reader.get_ref();
        // Only where the last event read was markup (every method that
        // hands out a tag or finishes an element stops right after its
        // `>`): quick-xml is then between events, looking for text or
        // markup, and bytes taken from its input before its next event
        // are as if that event had been read.
        let read = input.len().checked_sub(rest.len())?;
        if read == 0 || input.get(read - 1) != Some(&b'>') {
            return None;
        }
        let lead = rest.iter().position(|&b| !is_space(b))?;
        let (name, text, len) = scan(rest.get(lead..)?)?;
        // The caps, as entering the element would check them (reaching one
        // is left to the event path, which reports it).
        if self.open.len() >= self.limits.max_depth() || self.elements >= self.limits.max_elements()
        {
            return None;
        }
        self.elements += 1;
        // Advances quick-xml's input and its position together.
        self.reader.stream().consume(lead + len);
        Some(Element::Text { name, text })
    }
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The bytes a name may hold on the fast path, as a table (one load a byte).
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':');
        b += 1;
    }
    table
};

#[inline]
fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[usize::from(b)]
}

/// `<name>text</name>` at the start of `bytes`, in the shape the fast path
/// takes: the name, the text (references resolved) and the length of the
/// whole element in bytes. `None` for any other shape.
#[inline]
fn scan(bytes: &[u8]) -> Option<(&str, Cow<'_, str>, usize)> {
    let (&b'<', after) = bytes.split_first()? else {
        return None;
    };
    let name_len = after.iter().position(|&b| !is_name_byte(b))?;
    if name_len == 0 || after.get(name_len) != Some(&b'>') {
        return None;
    }
    let text_start = name_len + 1;
    let (text_len, seen) = scan_text(after.get(text_start..)?)?;
    let text_end = text_start + text_len;
    // `</name>`, byte for byte.
    let end = after.get(text_end..text_end + name_len + 3)?;
    if end[0] != b'<'
        || end[1] != b'/'
        || end[2..2 + name_len] != after[..name_len]
        || end[2 + name_len] != b'>'
    {
        return None;
    }
    // One UTF-8 check for the name, its `>` and the text.
    let head = std::str::from_utf8(&after[..text_end]).ok()?;
    let name = head.get(..name_len)?;
    let raw = head.get(text_start..)?;
    if seen.non_ascii && first_forbidden_char(raw).is_some() {
        return None;
    }
    let text = if seen.reference {
        Cow::Owned(resolve(raw)?)
    } else {
        Cow::Borrowed(raw)
    };
    // `<`, the text up to `</`, `</`, the name and `>`.
    Some((name, text, 1 + text_end + name_len + 3))
}

/// What the text scan met besides plain ASCII.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    reference: bool,
    non_ascii: bool,
}

/// The length of the text at the start of `bytes` (up to the next `<`), if
/// it only holds bytes the fast path can take: printable ASCII, TAB, LF,
/// `&` (a reference, resolved later) and non-ASCII bytes (UTF-8 and
/// forbidden characters checked later). `None` at any other control byte
/// (CR included) or without a `<`.
#[inline(always)]
fn scan_text(bytes: &[u8]) -> Option<(usize, Seen)> {
    let mut seen = Seen::default();
    let mut at = 0;
    loop {
        let found = at + first_special(bytes.get(at..)?)?;
        match bytes[found] {
            b'<' => return Some((found, seen)),
            b'&' => seen.reference = true,
            b'\t' | b'\n' => {}
            b if b >= 0x80 => seen.non_ascii = true,
            _ => return None,
        }
        at = found + 1;
    }
}

/// The offset of the first byte of `bytes` that is `<`, `&`, below 0x20 or
/// 0x80 and above. Eight bytes at a time: in each word, a byte equal to `c`
/// is one where `w ^ c` has a zero byte, found (with a byte below `n`) by the
/// classic `(x - n…n) & !x & 0x80…80` test, whose lowest flagged byte is
/// exact (a borrow only carries upwards from a byte that matches); bytes of
/// 0x80 and above carry their own top bit.
#[inline]
fn first_special(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut words {
        let w = swar::word(chunk);
        let flagged =
            swar::equal(w, b'<') | swar::equal(w, b'&') | swar::below(w, 0x20) | swar::non_ascii(w);
        if flagged != 0 {
            return Some(base + (flagged.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| is_special(b))
        .map(|i| base + i)
}

#[inline]
fn is_special(b: u8) -> bool {
    b == b'<' || b == b'&' || !(0x20..0x80).contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scan_finds_the_first_special_byte() {
        let by_byte = |bytes: &[u8]| bytes.iter().position(|&b| is_special(b));
        // Every byte value at every position of inputs of 0 to 24 bytes, on
        // backgrounds near the edges of each class.
        for len in 0..=24 {
            for background in [b'a', b' ', b'%', b'\'', b';', b'=', 0x21, 0x7F] {
                let mut bytes = vec![background; len];
                assert_eq!(first_special(&bytes), by_byte(&bytes), "{bytes:?}");
                for at in 0..len {
                    for b in 0..=255u8 {
                        bytes[at] = b;
                        assert_eq!(first_special(&bytes), by_byte(&bytes), "{bytes:?}");
                    }
                    bytes[at] = background;
                }
            }
        }
        // Two marked bytes: borrows from one must not move the other.
        let marks = [
            0x00, 0x01, 0x1F, 0x20, b'%', b'&', b'\'', b';', b'<', b'=', 0x7F, 0x80, 0xFF,
        ];
        for a in marks {
            for b in marks {
                for at in 0..15 {
                    let mut bytes = [b'x'; 16];
                    bytes[at] = a;
                    bytes[at + 1] = b;
                    assert_eq!(first_special(&bytes), by_byte(&bytes), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn the_name_table_holds_exactly_the_name_bytes() {
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':');
            assert_eq!(is_name_byte(b), expected, "{b:#x}");
        }
    }

    #[test]
    fn scans_only_the_shapes_it_checks_completely() {
        let taken: [(&str, &str, &str); 9] = [
            ("<a>x</a>", "a", "x"),
            ("<a></a>", "a", ""),
            ("<LogID>1000</LogID><b>", "LogID", "1000"),
            ("<n:a-1.x_y>t</n:a-1.x_y>", "n:a-1.x_y", "t"),
            ("<a>x &amp; y &lt;&gt;&apos;&quot;</a>", "a", "x & y <>'\""),
            ("<a>tab\there\nline</a>", "a", "tab\there\nline"),
            ("<a>é 😀 \u{FFFD} > ]]></a>", "a", "é 😀 \u{FFFD} > ]]>"),
            ("<a>&amp;</a>", "a", "&"),
            ("<a>&amp;&amp;x</a>", "a", "&&x"),
        ];
        for (doc, name, text) in taken {
            let (n, t, len) = scan(doc.as_bytes()).expect(doc);
            assert_eq!((n, t.as_ref()), (name, text), "{doc}");
            assert_eq!(
                &doc[len..],
                doc.split_once(&format!("</{name}>")).unwrap().1
            );
            assert_eq!(
                matches!(t, Cow::Borrowed(_)),
                !doc.contains('&'),
                "{doc}: borrowed unless resolved"
            );
        }
        let left: [&[u8]; 30] = [
            b"<a x='1'>x</a>",
            b"<a >x</a>",
            b"<a\n>x</a>",
            b"<a/>",
            b"<a>x</a >",
            b"<a>x</b>",
            b"<a>x</ab>",
            b"<ab>x</a>",
            b"<a>x</A>",
            b"<a>x<b/></a>",
            b"<a>x<!--c--></a>",
            b"<a><![CDATA[x]]></a>",
            b"<a>x",
            b"<a>x</a",
            b"<a>x</",
            b"<a",
            b"<>x</>",
            b"</a>",
            b"<!--c-->",
            b"<?pi?>",
            b"<a>x\ry</a>",
            b"<a>x\x01y</a>",
            b"<a>x\x00</a>",
            b"<a>\xEF\xBF\xBE</a>",
            b"<a>\xEF\xBF\xBF</a>",
            b"<a>\xFF</a>",
            b"<a>\xC3</a>",
            b"<a>&#233;</a>",
            b"<a>&foo;</a>",
            b"<a>x & y</a>",
        ];
        for doc in left {
            assert!(scan(doc).is_none(), "{}", String::from_utf8_lossy(doc));
        }
        for doc in [
            "<é>x</é>",
            "<a>&amp</a>",
            "<a>&;</a>",
            "<a>&AMP;</a>",
            "<a>&#x41;</a>",
        ] {
            assert!(scan(doc.as_bytes()).is_none(), "{doc}");
        }
    }
}
