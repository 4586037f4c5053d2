//! Request documents in the plain shape clients write (crmwire's own writer
//! among them), read in one pass over their bytes instead of event by event.
//!
//! The shape, byte for byte (`…` a value, blank a run of spaces, tabs, CRs
//! and LFs, possibly empty):
//!
//! ```text
//! [<?xml version="1.0" encoding="UTF-8"?>] blank <root> blank <requests> blank
//!   ( <request type="…"> blank ( <attribute name="…">text</attribute> blank )* </request> blank )*
//! </requests> blank </root> blank
//! ```
//!
//! Attribute values hold printable ASCII other than `"`, `&`, `<` and `>`.
//! Texts hold no markup: printable ASCII, TAB, LF, the five predefined entity
//! references (resolved) and any non-ASCII character XML 1.0 allows. The
//! whole document is valid UTF-8, within the reader's size, depth and element
//! caps, and holds no more operations than the caller accepts.
//!
//! Such a document is well-formed and passes every rule the strict reader
//! enforces, and the reader would hand out exactly these names, values and
//! texts. Anything else (another declaration, a comment, CDATA, a character
//! reference, a CR inside a text, a control character, another attribute or
//! quote, an empty-element tag, a stray element, text between elements, an
//! error of any kind) is left to the reader: [`decode`] then returns `None`
//! and the reader decodes (or refuses) the document as before. So this path
//! only ever gives what the reader gives, and refuses nothing itself.

use std::borrow::Cow;

use strict_xml::{Limits, first_forbidden_char, resolve_predefined_entities as resolve};

use super::{DecodedRequest, ReadRequests, RequestDecodeError};
use crate::Credentials;

/// The declaration crmwire's writer puts first.
const DECLARATION: &[u8; 38] = br#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// The depth of an `<attribute>` (root, requests, request, attribute).
const DEPTH: usize = 4;

/// The request document `body` decoded, when it has the plain shape (see the
/// module); `None`, with nothing decided, otherwise.
pub(super) fn decode(
    body: &[u8],
    max_operations: usize,
    accounts: &[Credentials],
) -> Option<Result<DecodedRequest, RequestDecodeError>> {
    // The reader's caps (it is built with the default ones).
    let limits = Limits::default();
    if body.len() > limits.max_input_bytes() || limits.max_depth() < DEPTH {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let mut cursor = Cursor { text, at: 0 };
    cursor.eat(DECLARATION);
    cursor.blank();
    cursor.expect(b"<root>")?;
    cursor.blank();
    cursor.expect(b"<requests>")?;
    // `<root>` and `<requests>`.
    let mut elements = 2usize;
    let mut read = ReadRequests::new();
    let mut position = 0usize;
    loop {
        cursor.blank();
        if cursor.eat(b"</requests>") {
            break;
        }
        // The authentication comes on top of the operations: one more is
        // left to the reader, which refuses the document.
        if position > max_operations {
            return None;
        }
        cursor.expect(b"<request type=\"")?;
        let request_type = cursor.attribute_value()?;
        cursor.expect(b"\">")?;
        elements += 1;
        read.request(Cow::Borrowed(request_type), |mut into| {
            loop {
                cursor.blank();
                if cursor.eat(b"</request>") {
                    return Ok::<(), NotPlain>(());
                }
                cursor.expect(b"<attribute name=\"").ok_or(NotPlain)?;
                let name = cursor.attribute_value().ok_or(NotPlain)?;
                cursor.expect(b"\">").ok_or(NotPlain)?;
                let value = cursor.text().ok_or(NotPlain)?;
                cursor.expect(b"</attribute>").ok_or(NotPlain)?;
                elements += 1;
                into.field(Cow::Borrowed(name), value);
            }
        })
        .ok()?;
        position += 1;
    }
    cursor.blank();
    cursor.expect(b"</root>")?;
    cursor.blank();
    if cursor.at != text.len() || elements > limits.max_elements() {
        return None;
    }
    Some(read.into_decoded(accounts))
}

/// The document is not in the plain shape.
struct NotPlain;

/// A place in the document, always at a character boundary.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn rest(&self) -> &'a [u8] {
        self.text.as_bytes().get(self.at..).unwrap_or_default()
    }

    /// Moves past `literal` (ASCII) if the document continues with it.
    #[inline(always)]
    fn eat<const N: usize>(&mut self, literal: &[u8; N]) -> bool {
        let found = self.rest().get(..N) == Some(&literal[..]);
        if found {
            self.at += N;
        }
        found
    }

    #[inline(always)]
    fn expect<const N: usize>(&mut self, literal: &[u8; N]) -> Option<()> {
        self.eat(literal).then_some(())
    }

    /// Moves past spaces, tabs, CRs and LFs.
    #[inline(always)]
    fn blank(&mut self) {
        let rest = self.rest();
        self.at += rest
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(rest.len());
    }

    /// An attribute value up to (not including) its closing `"`: printable
    /// ASCII other than `&`, `<` and `>`, which needs no normalising.
    #[inline(always)]
    fn attribute_value(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let len = rest
            .iter()
            .position(|&b| !ATTRIBUTE_VALUE[usize::from(b)])?;
        if rest[len] != b'"' {
            return None;
        }
        let value = self.text.get(self.at..self.at + len)?;
        self.at += len;
        Some(value)
    }

    /// A text up to (not including) the next `<`, as the reader gives it:
    /// borrowed, or with its entity references resolved.
    #[inline(always)]
    fn text(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.rest();
        let mut reference = false;
        let mut non_ascii = false;
        let mut len = 0;
        loop {
            // Most bytes are plain: skipped in a tight loop.
            while TEXT[usize::from(*rest.get(len)?)] == PLAIN {
                len += 1;
            }
            match TEXT[usize::from(rest[len])] {
                END => break,
                REFERENCE => reference = true,
                NON_ASCII => non_ascii = true,
                _ => return None,
            }
            len += 1;
        }
        let raw = self.text.get(self.at..self.at + len)?;
        if non_ascii && first_forbidden_char(raw).is_some() {
            return None;
        }
        let text = if reference {
            Cow::Owned(resolve(raw)?)
        } else {
            Cow::Borrowed(raw)
        };
        self.at += len;
        Some(text)
    }
}

/// The bytes an attribute value may hold on this path: printable ASCII
/// other than `"`, `&`, `<` and `>`.
const ATTRIBUTE_VALUE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b' '..=b'~') && !matches!(b as u8, b'"' | b'&' | b'<' | b'>');
        b += 1;
    }
    table
};

/// The classes of bytes in a text.
const PLAIN: u8 = 0;
const END: u8 = 1;
const REFERENCE: u8 = 2;
const NON_ASCII: u8 = 3;
const REFUSED: u8 = 4;

/// Each byte's class in a text: printable ASCII, TAB and LF are plain; `<`
/// ends the text; `&` starts a reference; bytes of 0x80 and above belong to
/// non-ASCII characters; every other control byte (CR, which the reader
/// normalises, included) and DEL are left to the reader.
const TEXT: [u8; 256] = {
    let mut table = [REFUSED; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'<' => END,
            b'&' => REFERENCE,
            b'\t' | b'\n' | b' '..=b'~' => PLAIN,
            0x80..=0xFF => NON_ASCII,
            _ => REFUSED,
        };
        b += 1;
    }
    table
};
