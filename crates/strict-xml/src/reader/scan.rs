//! Quick scans for the plain shape most markup has, beside the event reader.
//!
//! Both scans here only ever *accept* input that the full, event-by-event
//! checks accept too, with the same effect; anything they are not sure of
//! (comments, CDATA, processing instructions, unusual names or spacing, a
//! control character, a reference they cannot resolve, too many attributes or
//! too deep a nesting, an error of any kind) makes them give up (`None`), and
//! the caller then runs the full checks, which accept or word the error
//! exactly as before. So no rule is weakened: they only decide the common
//! case with less work.
//!
//! - [`scan_attributes`] checks the attribute section of a start tag (syntax,
//!   duplicate names, no `<` in a value, references, forbidden characters)
//!   and notes where each attribute's name and value are, so that looking an
//!   attribute up later needs no second parse.
//! - [`scan_content`] checks the content of an element up to its end tag
//!   (well-formedness, end names, references, forbidden characters, UTF-8,
//!   depth and element caps) without producing events, for
//!   [`XmlReader::skip`](super::XmlReader::skip).

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::BytesRef;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::QName;

use crate::chars::{first_forbidden_char, is_xml10_char};
use crate::swar;

/// How many attributes of one tag have their places noted (a tag with more is
/// still checked by the scan, but looked up through quick-xml's iterator).
pub(crate) const NOTED_ATTRIBUTES: usize = 4;

/// The most attributes one tag may have for the scan to check it (duplicates
/// are found by comparing every pair: bounded work). Longer tags go through
/// the full check.
const MAX_SCANNED_ATTRIBUTES: usize = 16;

/// The deepest nesting [`scan_content`] follows inside the skipped element
/// (its open names live on the stack); deeper content goes through the full
/// checks.
const MAX_SCANNED_DEPTH: usize = 32;

/// Where one attribute is in a tag: byte ranges of its name and raw value
/// (between the quotes), relative to the tag's content (the text between `<`
/// and `>`), and whether the raw value is its own value (no reference to
/// resolve, no line end or tab to normalise).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AttributeSpan {
    key: (u16, u16),
    value: (u16, u16),
    plain: bool,
}

impl AttributeSpan {
    /// The name, from `tag` (the tag's content the span was noted in).
    #[inline]
    pub(crate) fn key<'t>(&self, tag: &'t str) -> &'t str {
        tag.get(usize::from(self.key.0)..usize::from(self.key.1))
            .unwrap_or_default()
    }

    /// The value, resolved and normalised, from `tag`.
    #[inline]
    pub(crate) fn value<'t>(&self, tag: &'t str) -> Cow<'t, str> {
        let raw = tag
            .get(usize::from(self.value.0)..usize::from(self.value.1))
            .unwrap_or_default();
        if self.plain {
            return Cow::Borrowed(raw);
        }
        // Checked when the span was noted, so resolving cannot fail.
        resolve_value(self.key(tag), raw).unwrap_or(Cow::Borrowed(raw))
    }
}

/// The places of a tag's attributes, when the scan noted all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AttributeSpans {
    spans: [AttributeSpan; NOTED_ATTRIBUTES],
    /// How many of `spans` are used, or [`Self::UNKNOWN`].
    len: u8,
}

impl AttributeSpans {
    const UNKNOWN: u8 = u8::MAX;

    /// Nothing noted: look attributes up by parsing the tag.
    pub(crate) const fn unknown() -> Self {
        Self {
            spans: [AttributeSpan {
                key: (0, 0),
                value: (0, 0),
                plain: true,
            }; NOTED_ATTRIBUTES],
            len: Self::UNKNOWN,
        }
    }

    /// No attributes at all.
    pub(crate) const fn none() -> Self {
        let mut spans = Self::unknown();
        spans.len = 0;
        spans
    }

    /// Every attribute of the tag, in document order, if all were noted.
    #[inline]
    pub(crate) fn all(&self) -> Option<&[AttributeSpan]> {
        self.spans.get(..usize::from(self.len))
    }

    fn push(&mut self, span: AttributeSpan) {
        match self.spans.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = span;
                self.len += 1;
            }
            None => self.len = Self::UNKNOWN,
        }
    }
}

/// Byte classes, one table lookup per byte.
const NAME: u8 = 1;
const SPACE: u8 = 2;
/// Text bytes that need no look: neither markup (`<`), a reference (`&`), a
/// control character other than TAB, LF and CR, nor a non-ASCII byte.
const TEXT: u8 = 4;
/// Attribute value bytes that need no look: neither a quote, `<`, `&`, a
/// control character (TAB, LF and CR included: they are normalised), nor
/// 0xEF (which could start U+FFFE or U+FFFF).
const VALUE: u8 = 8;
/// Text bytes that a content check takes as they are: neither markup, a
/// reference, a control character (TAB, LF and CR included: CR is
/// normalised), nor 0xEF.
const CONTENT: u8 = 16;

/// The class bits of each byte. Names as the scans accept them (a subset of
/// what the full checks take): ASCII letters and digits, `_`, `:`, `.`, `-`,
/// and the bytes of non-ASCII characters (their UTF-8 is checked elsewhere)
/// except 0xEF.
const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let byte = b as u8;
        let mut class = 0;
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'_' | b':' | b'.' | b'-')
            || (byte >= 0x80 && byte != 0xEF)
        {
            class |= NAME;
        }
        if matches!(byte, b' ' | b'\t' | b'\r' | b'\n') {
            class |= SPACE;
        }
        if (byte >= 0x20 && byte < 0x80 && byte != b'<' && byte != b'&')
            || matches!(byte, b'\t' | b'\n' | b'\r')
        {
            class |= TEXT;
        }
        if byte >= 0x20 && byte != 0xEF && !matches!(byte, b'"' | b'\'' | b'<' | b'&') {
            class |= VALUE;
        }
        if byte >= 0x20 && byte != 0xEF && !matches!(byte, b'<' | b'&') {
            class |= CONTENT;
        }
        table[b] = class;
        b += 1;
    }
    table
};

/// The first position at or after `from` whose byte is not of `class` (the
/// end of `bytes` if none).
#[inline(always)]
fn run_end(bytes: &[u8], from: usize, class: u8) -> usize {
    bytes.get(from..).map_or(from, |rest| {
        from + rest
            .iter()
            .position(|&b| CLASSES[usize::from(b)] & class == 0)
            .unwrap_or(rest.len())
    })
}

/// As [`run_end`] for a `class` whose bytes `stops` never flags in a word
/// except where it may end (every byte outside `class` flagged; the lowest
/// flag exact, as every [`swar`] test gives it): eight bytes at a time, then
/// byte by byte from the first flagged one (stepping over flagged bytes of
/// `class`, such as a line end in text) and in the last few bytes.
#[inline(always)]
fn run_end_by_words(bytes: &[u8], from: usize, class: u8, stops: fn(u64) -> u64) -> usize {
    let mut at = from;
    loop {
        while let Some(chunk) = bytes.get(at..at + 8) {
            let flagged = stops(swar::word(chunk));
            if flagged != 0 {
                at += (flagged.trailing_zeros() / 8) as usize;
                break;
            }
            at += 8;
        }
        match bytes.get(at) {
            Some(&b) if CLASSES[usize::from(b)] & class != 0 => at += 1,
            _ => return at,
        }
    }
}

/// Flags every byte outside [`TEXT`] and [`CONTENT`] (and TAB, LF, CR and
/// the non-ASCII bytes, which one of them takes).
#[inline(always)]
fn text_stops(word: u64) -> u64 {
    swar::below(word, 0x20)
        | swar::equal(word, b'<')
        | swar::equal(word, b'&')
        | swar::non_ascii(word)
}

/// Flags every byte outside [`VALUE`] (and the non-ASCII bytes).
#[inline(always)]
fn value_stops(word: u64) -> u64 {
    text_stops(word) | swar::equal(word, b'"') | swar::equal(word, b'\'')
}

/// The end of the whitespace (TAB, LF, CR, space) starting at `bytes[from]`.
#[inline]
pub(crate) fn blank_end(bytes: &[u8], from: usize) -> usize {
    skip_spaces(bytes, from)
}

/// The end of the name starting at `bytes[from]` (empty when none starts there).
#[inline(always)]
fn name_end(bytes: &[u8], from: usize) -> usize {
    run_end(bytes, from, NAME)
}

#[inline(always)]
fn skip_spaces(bytes: &[u8], from: usize) -> usize {
    run_end(bytes, from, SPACE)
}

/// Checks the attributes in `bytes[from..]` (the part of a start tag after
/// its name) in the form `(S+ Name '=' Quote Value Quote)* S*`, stopping at
/// the first `>` or `/` outside a value, or at the end of `bytes`; returns
/// where it stopped. Names of [`NAME`] bytes, at most
/// [`MAX_SCANNED_ATTRIBUTES`], no two alike; values without `<`, whose
/// references resolve and whose characters XML 1.0 allows (checked exactly
/// as the full check does). With `spans`, notes each attribute's place.
///
/// `None` when the section is not in that form or breaks a rule: the full
/// check then decides.
#[inline(always)]
pub(crate) fn scan_attributes(
    bytes: &[u8],
    from: usize,
    mut spans: Option<&mut AttributeSpans>,
) -> Option<usize> {
    #[cfg(test)]
    if tests::full_checks_only() {
        return None;
    }
    // Names seen so far, as ranges relative to `from`.
    let mut keys = [(0u16, 0u16); MAX_SCANNED_ATTRIBUTES];
    let mut count = 0;
    let mut at = from;
    loop {
        let key_start = skip_spaces(bytes, at);
        match bytes.get(key_start) {
            None | Some(b'>' | b'/') => return Some(key_start),
            // Attributes are separated from the name and each other by space.
            Some(_) if key_start == at => return None,
            Some(_) => {}
        }
        let key_end = name_end(bytes, key_start);
        let quote = *bytes.get(key_end + 1)?;
        if key_end == key_start
            || bytes.get(key_end) != Some(&b'=')
            || !matches!(quote, b'"' | b'\'')
        {
            return None;
        }
        let key = bytes.get(key_start..key_end)?;
        let section = bytes.get(from..)?;
        if keys[..count]
            .iter()
            .any(|&(start, end)| section.get(usize::from(start)..usize::from(end)) == Some(key))
        {
            return None;
        }
        let relative = |at: usize| u16::try_from(at - from).ok();
        *keys.get_mut(count)? = (relative(key_start)?, relative(key_end)?);
        count += 1;
        let value_start = key_end + 2;
        // The value up to its closing quote: `<` refuses, `&`, a control
        // character or 0xEF needs the full value check.
        let mut value_end = value_start;
        let mut special = false;
        loop {
            value_end = run_end_by_words(bytes, value_end, VALUE, value_stops);
            match *bytes.get(value_end)? {
                b if b == quote => break,
                b'<' => return None,
                b'"' | b'\'' => {}
                _ => special = true,
            }
            value_end += 1;
        }
        let value = bytes.get(value_start..value_end)?;
        if special {
            let key = std::str::from_utf8(key).ok()?;
            let raw = std::str::from_utf8(value).ok()?;
            let resolved = resolve_value(key, raw).ok()?;
            if first_forbidden_char(&resolved).is_some() {
                return None;
            }
        }
        if let Some(spans) = spans.as_deref_mut() {
            let offset = |at: usize| u16::try_from(at).ok();
            match (
                offset(key_start),
                offset(key_end),
                offset(value_start),
                offset(value_end),
            ) {
                (Some(k0), Some(k1), Some(v0), Some(v1)) => spans.push(AttributeSpan {
                    key: (k0, k1),
                    value: (v0, v1),
                    plain: !special,
                }),
                _ => spans.len = AttributeSpans::UNKNOWN,
            }
        }
        at = value_end + 1;
    }
}

/// The value of an attribute written `raw` (between its quotes), references
/// resolved and TAB, LF and CR normalised to spaces, as the full check and
/// [`BorrowedStartTag::attribute`](super::BorrowedStartTag::attribute) give it.
fn resolve_value<'v>(key: &'v str, raw: &'v str) -> Result<Cow<'v, str>, quick_xml::Error> {
    let attribute = Attribute {
        key: QName(key),
        value: Cow::Borrowed(raw),
    };
    attribute.normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_xml_entity)
}

/// Whether the reference `name` (between `&` and `;`) resolves, to one of
/// the five predefined entities or to a character XML 1.0 allows: what the
/// full checks require of a reference in text.
fn reference_resolves(name: &str) -> bool {
    let reference = BytesRef::new(name);
    if reference.is_char_ref() {
        matches!(reference.resolve_char_ref(), Ok(Some(c)) if is_xml10_char(c))
    } else {
        resolve_xml_entity(name).is_some()
    }
}

/// The text at the start of `rest` when an end tag (`</`) follows it
/// directly and the text is its own content: not empty, valid UTF-8, no
/// reference, no control character (TAB, LF and CR included), no 0xEF. That
/// is the one text event the reader would read there, borrowed as it is.
pub(crate) fn plain_text_before_end_tag(rest: &[u8]) -> Option<&str> {
    #[cfg(test)]
    if tests::full_checks_only() {
        return None;
    }
    let end = run_end_by_words(rest, 0, CONTENT, text_stops);
    if end == 0 || rest.get(end..end + 2) != Some(b"</") {
        return None;
    }
    std::str::from_utf8(rest.get(..end)?).ok()
}

/// A start or empty-element tag found by [`plain_start_tag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PlainStartTag<'a> {
    /// The text between `<` and `>` (or `/>`), as quick-xml's start event holds it.
    pub(crate) content: &'a str,
    /// The length of the name at the start of `content`.
    pub(crate) name_len: usize,
    /// An empty-element tag (`<a/>`).
    pub(crate) empty: bool,
    /// Bytes the tag takes in the input.
    pub(crate) len: usize,
}

/// The start or empty-element tag at the start of `rest`, when it has the
/// plain shape: `<`, a name of [`NAME`] bytes, attributes as
/// [`scan_attributes`] takes them (their places noted in `spans`, relative
/// to `content`), then `>` or `/>`, all valid UTF-8. The same tag quick-xml
/// would read there, with every rule the full attribute check enforces.
pub(crate) fn plain_start_tag<'a>(
    rest: &'a [u8],
    spans: &mut AttributeSpans,
) -> Option<PlainStartTag<'a>> {
    #[cfg(test)]
    if tests::full_checks_only() {
        return None;
    }
    let tag = rest.strip_prefix(b"<")?;
    let name_len = name_end(tag, 0);
    if name_len == 0 {
        return None;
    }
    let stop = scan_attributes(tag, name_len, Some(spans))?;
    let (empty, len) = match (tag.get(stop), tag.get(stop + 1)) {
        (Some(b'>'), _) => (false, stop + 2),
        (Some(b'/'), Some(b'>')) => (true, stop + 3),
        _ => return None,
    };
    let content = std::str::from_utf8(tag.get(..stop)?).ok()?;
    Some(PlainStartTag {
        content,
        name_len,
        empty,
        len,
    })
}

/// The end tag at the start of `rest` when it is plain: `</`, a name of
/// [`NAME`] bytes, optional space, `>`. Its name and the bytes it takes.
pub(crate) fn plain_end_tag(rest: &[u8]) -> Option<(&[u8], usize)> {
    #[cfg(test)]
    if tests::full_checks_only() {
        return None;
    }
    let tag = rest.strip_prefix(b"</")?;
    let name_len = name_end(tag, 0);
    let close = skip_spaces(tag, name_len);
    if name_len == 0 || tag.get(close) != Some(&b'>') {
        return None;
    }
    Some((tag.get(..name_len)?, close + 3))
}

/// An element [`scan_content`] accepted: its bytes (from its `<` to the `>`
/// of its end tag) and what it counted there. Met again byte for byte where
/// the scan stands between the children of the skipped element, it is the
/// same element with the same verdict: the scan reads nothing but those
/// bytes, the running element count and the depth (the same: between
/// children), so it is taken as a whole when the rooms allow what it needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Remembered<'a> {
    pub(crate) bytes: &'a [u8],
    /// Start tags in it, its own included: the element room it needs.
    pub(crate) elements: usize,
    /// The most elements open at once in it, itself included: the depth
    /// room it needs.
    pub(crate) depth: usize,
}

/// The shortest element [`scan_content`] remembers: a shorter one costs
/// about as little to scan again as to compare, and would push a longer one
/// out.
pub(crate) const REMEMBERED_BYTES: usize = 64;

/// What [`scan_content`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scanned {
    /// Offset of the `<` of the end tag that closes the element.
    pub(crate) end: usize,
    /// Start tags inside the element (empty-element tags included).
    pub(crate) elements: usize,
}

/// Checks `rest`, the input just after an element's start tag (or anywhere
/// inside that element, where the reader stands between events), up to the
/// end tag that closes the element, which is not read.
///
/// Accepted: text without control characters other than TAB, LF and CR and
/// without 0xEF; references that resolve; start, empty-element and end tags
/// with names and attributes as [`scan_attributes`] takes them, end names
/// matching; valid UTF-8 throughout; at most `depth_room` elements open at
/// once inside the element (and [`MAX_SCANNED_DEPTH`]) and fewer than
/// `element_room` start tags. `None` for anything else (comments, CDATA,
/// processing instructions, a DOCTYPE, the end of the input, ...).
///
/// A child of the element that repeats `remembered` or `given` byte for
/// byte is taken as a whole (see [`Remembered`]); once the content is
/// accepted, its last child of [`REMEMBERED_BYTES`] or more (scanned or
/// taken as `remembered`) becomes `remembered`. `given` (one accepted by
/// an earlier scan, elsewhere) stays as it is.
pub(crate) fn scan_content<'a>(
    rest: &'a [u8],
    depth_room: usize,
    element_room: usize,
    remembered: &mut Option<Remembered<'a>>,
    given: Option<Remembered<'a>>,
) -> Option<Scanned> {
    #[cfg(test)]
    if tests::full_checks_only() {
        return None;
    }
    let mut open = [(0usize, 0usize); MAX_SCANNED_DEPTH];
    let mut depth = 0usize;
    let mut elements = 0usize;
    let mut at = 0usize;
    // The child being scanned: where it starts, the element count before
    // it, the most elements open at once in it; and the last long child.
    let mut child = (0usize, 0usize, 0usize);
    let mut last_long = None;
    loop {
        at = run_end_by_words(rest, at, TEXT, text_stops);
        if depth == 0 && rest.get(at) == Some(&b'<') {
            let fits = |known: &Remembered<'_>| {
                known.depth <= depth_room
                    && elements + known.elements <= element_room
                    && rest.get(at..at + known.bytes.len()) == Some(known.bytes)
            };
            if let Some(known) = remembered.filter(fits) {
                elements += known.elements;
                at += known.bytes.len();
                // Still the element to remember (not one scanned before it).
                last_long = Some(known);
                continue;
            }
            if let Some(known) = given.filter(fits) {
                elements += known.elements;
                at += known.bytes.len();
                continue;
            }
        }
        match *rest.get(at)? {
            b'<' => match *rest.get(at + 1)? {
                b'/' => {
                    let name_start = at + 2;
                    let name_end = name_end(rest, name_start);
                    let close = skip_spaces(rest, name_end);
                    if name_end == name_start || rest.get(close) != Some(&b'>') {
                        return None;
                    }
                    let Some(inner) = depth.checked_sub(1) else {
                        // The element's own end tag: the reader checks it.
                        std::str::from_utf8(rest.get(..at)?).ok()?;
                        if last_long.is_some() {
                            *remembered = last_long;
                        }
                        return Some(Scanned { end: at, elements });
                    };
                    let (start, end) = *open.get(inner)?;
                    if rest.get(start..end) != rest.get(name_start..name_end) {
                        return None;
                    }
                    depth = inner;
                    at = close + 1;
                    if depth == 0 {
                        last_long = remember(rest, child, at, elements).or(last_long);
                    }
                }
                b'!' | b'?' => return None,
                _ => {
                    let name_start = at + 1;
                    let name_end = name_end(rest, name_start);
                    if name_end == name_start || depth >= depth_room || elements >= element_room {
                        return None;
                    }
                    let stop = scan_attributes(rest, name_end, None)?;
                    if depth == 0 {
                        child = (at, elements, 0);
                    }
                    elements += 1;
                    child.2 = child.2.max(depth + 1);
                    match (rest.get(stop), rest.get(stop + 1)) {
                        (Some(b'>'), _) => {
                            *open.get_mut(depth)? = (name_start, name_end);
                            depth += 1;
                            at = stop + 1;
                        }
                        (Some(b'/'), Some(b'>')) => {
                            at = stop + 2;
                            if depth == 0 {
                                last_long = remember(rest, child, at, elements).or(last_long);
                            }
                        }
                        _ => return None,
                    }
                }
            },
            b'&' => {
                let name_start = at + 1;
                let len = rest
                    .get(name_start..)?
                    .iter()
                    .take(32)
                    .position(|&b| matches!(b, b';' | b'&' | b'<'))?;
                let semicolon = name_start + len;
                if rest.get(semicolon) != Some(&b';') {
                    return None;
                }
                let name = std::str::from_utf8(rest.get(name_start..semicolon)?).ok()?;
                if !reference_resolves(name) {
                    return None;
                }
                at = semicolon + 1;
            }
            // A non-ASCII character (UTF-8 checked at the end) other than
            // one starting with 0xEF.
            b if b >= 0x80 && b != 0xEF => at += 1,
            _ => return None,
        }
    }
}

/// The child `(start, elements before it, depth)` of `rest` that ends at
/// `end`, with `elements` counted through it, when long enough to remember.
#[inline]
fn remember(
    rest: &[u8],
    (start, before, depth): (usize, usize, usize),
    end: usize,
    elements: usize,
) -> Option<Remembered<'_>> {
    let bytes = rest.get(start..end)?;
    (bytes.len() >= REMEMBERED_BYTES).then_some(Remembered {
        bytes,
        elements: elements - before,
        depth,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static FULL_CHECKS_ONLY: Cell<bool> = const { Cell::new(false) };
    }

    /// Whether the scans are turned off on this thread (see [`with_full_checks_only`]).
    pub(crate) fn full_checks_only() -> bool {
        FULL_CHECKS_ONLY.with(Cell::get)
    }

    /// Runs `f` with both scans giving up at once, so that every check is
    /// the full one: what the scans are compared against.
    pub(crate) fn with_full_checks_only<T>(f: impl FnOnce() -> T) -> T {
        FULL_CHECKS_ONLY.with(|flag| flag.set(true));
        let result = f();
        FULL_CHECKS_ONLY.with(|flag| flag.set(false));
        result
    }

    #[test]
    fn runs_found_by_words_end_where_runs_found_byte_by_byte_end() {
        let marks = [
            b'a', b' ', b'\t', b'\n', b'\r', 0x00, 0x01, 0x1F, b'<', b'&', b'"', b'\'', b'>', 0x7F,
            0x80, 0xC3, 0xEF, 0xFF,
        ];
        type Stops = fn(u64) -> u64;
        let classes: [(u8, Stops); 3] = [
            (TEXT, text_stops),
            (CONTENT, text_stops),
            (VALUE, value_stops),
        ];
        for len in 0..20 {
            for at in 0..len.max(1) {
                for mark in marks {
                    for second in [b'x', b'\n', mark] {
                        let mut bytes = vec![b'x'; len];
                        if let Some(byte) = bytes.get_mut(at) {
                            *byte = mark;
                        }
                        if let Some(byte) = bytes.get_mut(at + 3) {
                            *byte = second;
                        }
                        for (class, stops) in classes {
                            for from in 0..=len.min(2) {
                                assert_eq!(
                                    run_end_by_words(&bytes, from, class, stops),
                                    run_end(&bytes, from, class),
                                    "{bytes:?} from {from}, class {class}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    fn attrs(section: &str) -> Option<(usize, Vec<(String, String)>)> {
        let mut spans = AttributeSpans::none();
        let stop = scan_attributes(section.as_bytes(), 0, Some(&mut spans))?;
        let noted = spans
            .all()
            .expect("noted")
            .iter()
            .map(|span| {
                (
                    span.key(section).to_owned(),
                    span.value(section).into_owned(),
                )
            })
            .collect();
        Some((stop, noted))
    }

    #[test]
    fn plain_attribute_sections_are_noted() {
        assert_eq!(attrs(""), Some((0, vec![])));
        assert_eq!(attrs("  \n"), Some((3, vec![])));
        assert_eq!(
            attrs(r#" type="A" success='true'"#),
            Some((
                24,
                vec![
                    ("type".into(), "A".into()),
                    ("success".into(), "true".into())
                ]
            ))
        );
        let section = " a='x &amp; &#233;\ty' b=\"q'\" />";
        assert_eq!(
            attrs(section),
            Some((
                section.find('/').expect("slash"),
                vec![("a".into(), "x & é y".into()), ("b".into(), "q'".into())]
            ))
        );
        assert_eq!(attrs(" a='>' >").map(|(stop, _)| stop), Some(7));
    }

    #[test]
    fn anything_unusual_in_a_section_is_left_to_the_full_check() {
        for section in [
            " a='1' a='2'",
            " a='<'",
            " a='&bogus;'",
            " a='&#0;'",
            " a='&#xFFFE;'",
            " a='\u{1}'",
            " a='\u{FFFF}'",
            " a=1",
            " a = '1'",
            " a",
            " a='1'b='2'",
            " a='1",
            " 'a'='1'",
            " a\u{FFFE}='1'",
            "a='1'",
        ] {
            assert_eq!(
                scan_attributes(section.as_bytes(), 0, None),
                None,
                "{section:?}"
            );
        }
        let many: String = (0..=MAX_SCANNED_ATTRIBUTES)
            .map(|i| format!(" a{i}='1'"))
            .collect();
        assert_eq!(scan_attributes(many.as_bytes(), 0, None), None);
    }

    #[test]
    fn more_attributes_than_noted_are_checked_but_not_noted() {
        let section: String = (0..=NOTED_ATTRIBUTES)
            .map(|i| format!(" a{i}='1'"))
            .collect();
        let mut spans = AttributeSpans::none();
        assert_eq!(
            scan_attributes(section.as_bytes(), 0, Some(&mut spans)),
            Some(section.len())
        );
        assert_eq!(spans.all(), None);
    }

    #[test]
    fn plain_start_tags_are_read_with_their_attributes_noted() {
        let mut spans = AttributeSpans::none();
        let tag = plain_start_tag(b"<attribute name=\"Username\">demo</attribute>", &mut spans)
            .expect("plain");
        assert_eq!(
            (tag.content, tag.name_len, tag.empty, tag.len),
            ("attribute name=\"Username\"", 9, false, 27)
        );
        let noted = spans.all().expect("noted");
        assert_eq!(noted.len(), 1);
        assert_eq!(
            (noted[0].key(tag.content), noted[0].value(tag.content)),
            ("name", Cow::Borrowed("Username"))
        );
        let mut spans = AttributeSpans::none();
        let tag = plain_start_tag(b"<data />\n", &mut spans).expect("plain");
        assert_eq!(
            (tag.content, tag.name_len, tag.empty, tag.len),
            ("data ", 4, true, 8)
        );
        assert_eq!(spans.all().map(<[_]>::len), Some(0));
        for rest in [
            &b"<a"[..],
            b"<a x='1'",
            b"</a>",
            b"<!-- c -->",
            b"<?pi?>",
            b"< a>",
            b"<a/ >",
            b"<a/b>",
            b"<a x='1' x='2'>",
            b"<a x='<'>",
            b"<a\xC3(>",
            b"text<a>",
        ] {
            assert_eq!(
                plain_start_tag(rest, &mut AttributeSpans::none()),
                None,
                "{rest:?}"
            );
        }
    }

    #[test]
    fn plain_end_tags_give_their_name_and_length() {
        assert_eq!(plain_end_tag(b"</a>x"), Some((&b"a"[..], 4)));
        assert_eq!(plain_end_tag(b"</data \n>"), Some((&b"data"[..], 9)));
        for rest in [&b"</>"[..], b"</a", b"</ a>", b"</a x>", b"<a>", b"</a/>"] {
            assert_eq!(plain_end_tag(rest), None, "{rest:?}");
        }
    }

    #[test]
    fn plain_text_is_taken_only_right_before_an_end_tag() {
        assert_eq!(plain_text_before_end_tag(b"demo</a>"), Some("demo"));
        assert_eq!(
            plain_text_before_end_tag("é ok</a>".as_bytes()),
            Some("é ok")
        );
        for rest in [
            &b"</a>"[..],
            b"demo",
            b"demo<b/></a>",
            b"a &amp; b</a>",
            b"a\rb</a>",
            b"a\tb</a>",
            b"a\x01b</a>",
            b"\xEF\xBF\xBF</a>",
            b"\xC3(</a>",
            b"demo<!-- c --></a>",
        ] {
            assert_eq!(plain_text_before_end_tag(rest), None, "{rest:?}");
        }
    }

    fn content(rest: &str) -> Option<Scanned> {
        scan_content(rest.as_bytes(), 64, 1000, &mut None, None)
    }

    #[test]
    fn plain_content_is_scanned_to_its_end_tag() {
        let rest = "\n  <a x='1'>t &amp; é</a><b/><c><d y=\"2\"/></c >\n</e>tail";
        assert_eq!(
            content(rest),
            Some(Scanned {
                end: rest.find("</e>").expect("end"),
                elements: 4
            })
        );
        assert_eq!(
            content("</e>"),
            Some(Scanned {
                end: 0,
                elements: 0
            })
        );
    }

    #[test]
    fn anything_unusual_in_content_is_left_to_the_full_checks() {
        for rest in [
            "<a></b></e>",
            "<a>",
            "text",
            "<!-- c --></e>",
            "<![CDATA[x]]></e>",
            "<?pi?></e>",
            "<!DOCTYPE x></e>",
            "&bogus;</e>",
            "&#1;</e>",
            "& </e>",
            "\u{1}</e>",
            "\u{FFFE}</e>",
            "<a x='1' x='2'/></e>",
            "< a/></e>",
            "</ e>",
        ] {
            assert_eq!(content(rest), None, "{rest:?}");
        }
        // Invalid UTF-8.
        assert_eq!(scan_content(b"\xC3(</e>", 64, 1000, &mut None, None), None);
        // Depth and element rooms.
        assert_eq!(
            scan_content(b"<a><b/></a></e>", 1, 1000, &mut None, None),
            None
        );
        assert!(scan_content(b"<a><b/></a></e>", 2, 1000, &mut None, None).is_some());
        assert_eq!(scan_content(b"<a/><b/></e>", 64, 1, &mut None, None), None);
        assert!(scan_content(b"<a/><b/></e>", 64, 2, &mut None, None).is_some());
    }
}
