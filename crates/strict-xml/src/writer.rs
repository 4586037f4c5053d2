//! The escaping writer.
//!
//! Every value is escaped; nothing is written unescaped. Each value is
//! written in one pass over its bytes (see the private `escape` module): the
//! same scan finds characters XML 1.0 forbids, copies the runs that need
//! nothing and escapes the rest, so a value costs one scan, not a check plus
//! an escape. A value with a forbidden character is an error naming the field
//! and the code point, and nothing of it is left in the output. The bytes
//! written are those quick-xml's `Writer` would write, escaping and
//! indentation included (a unit test compares the two).
//!
//! Tags are pushed straight into the output buffer, so writing an element
//! allocates nothing once the buffer has grown.
//!
//! A failed element leaves no trace: when an element's content (or a value
//! of its start tag) is refused, the output, the nesting depth and the
//! line-break state are restored to what they were before the element, so
//! the document written so far stays balanced.
//!
//! # Line ends and tabs
//! XML parsers normalise a literal CR (and CR LF) to LF, and in attribute values
//! also turn TAB, LF and CR into spaces. So that every string survives a round
//! trip unchanged, the writer emits CR in text as `&#13;`, and TAB, LF and CR in
//! attribute values as `&#9;`, `&#10;` and `&#13;`. TAB and LF in text are
//! written literally (parsers keep them).

use std::borrow::Cow;

use crate::chars::first_forbidden_char;
use crate::error::WriteError;
use crate::escape::{Context, escape_into};
use crate::fragment::Layout;

/// The declaration [`XmlWriter::declaration`] writes.
const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
/// The declaration [`XmlWriter::standalone_declaration`] writes.
const STANDALONE_DECLARATION: &str = r#"<?xml version="1.0" standalone="yes"?>"#;

/// Builds one XML document in memory.
///
/// Elements are written with closures, so start and end tags always balance,
/// also when a closure fails.
///
/// ```
/// use strict_xml::XmlWriter;
///
/// let mut writer = XmlWriter::new();
/// writer.declaration();
/// writer.element("root", &[], |w| {
///     w.text_element("attribute", &[("name", "NoteText")], "NoteText", "Fish & chips")
/// })?;
/// assert_eq!(
///     writer.finish(),
///     br#"<?xml version="1.0" encoding="UTF-8"?><root><attribute name="NoteText">Fish &amp; chips</attribute></root>"#
/// );
/// # Ok::<(), strict_xml::WriteError>(())
/// ```
pub struct XmlWriter {
    out: Vec<u8>,
    /// Spaces per nesting level; `None` puts no whitespace between tags.
    indent: Option<usize>,
    depth: usize,
    /// Whether the next tag starts a new line: not at the very start, not
    /// right after text (so text content is never re-indented).
    line_break: bool,
}

/// Where the writer was before an element, to go back there if it fails.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    len: usize,
    depth: usize,
    line_break: bool,
}

/// A point in the document being written, to go back to with
/// [`XmlWriter::rewind_to`] (see [`XmlWriter::checkpoint`]).
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint(Mark);

impl std::fmt::Debug for XmlWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlWriter")
            .field("written_bytes", &self.out.len())
            .finish()
    }
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// A writer that puts no whitespace between tags.
    #[must_use]
    pub fn new() -> Self {
        Self::with_indent(None)
    }

    /// A writer that puts each element on its own line, indented by two spaces.
    /// Text content is never re-indented, so values are unchanged.
    #[must_use]
    pub fn indented() -> Self {
        Self::with_indent(Some(2))
    }

    fn with_indent(indent: Option<usize>) -> Self {
        Self {
            out: Vec::new(),
            indent,
            depth: 0,
            line_break: false,
        }
    }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>`.
    pub fn declaration(&mut self) {
        self.new_line();
        self.out.extend_from_slice(DECLARATION.as_bytes());
        self.line_break = true;
    }

    /// Writes `<?xml version="1.0" standalone="yes"?>`, the declaration some
    /// services ask for word for word (UTF-8 is XML's default encoding).
    pub fn standalone_declaration(&mut self) {
        self.new_line();
        self.out
            .extend_from_slice(STANDALONE_DECLARATION.as_bytes());
        self.line_break = true;
    }

    /// Writes an element with `attributes`, whose content `content` writes.
    ///
    /// If anything fails, nothing of the element stays written.
    ///
    /// # Errors
    /// An invalid name, a forbidden character in an attribute value, or any
    /// error `content` returns.
    pub fn element<F>(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        content: F,
    ) -> Result<(), WriteError>
    where
        F: FnOnce(&mut Self) -> Result<(), WriteError>,
    {
        let mark = self.mark();
        self.start_tag(name, attributes, b">")?;
        self.content_then_end_tag(mark, name, content)
    }

    /// Writes `<name attributes…>text</name>`; `field` names the value in errors.
    /// An empty `text` gives `<name …></name>`. Nothing is written on error.
    ///
    /// # Errors
    /// An invalid name or a character XML 1.0 forbids in `text` or an attribute
    /// value; a forbidden character in `text` is reported first.
    pub fn text_element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        field: &str,
        text: &str,
    ) -> Result<(), WriteError> {
        let written = self.element(name, attributes, |w| w.text(field, text));
        // A bad value is reported before a bad tag (checked only on this error path).
        written.map_err(|err| match first_forbidden_char(text) {
            Some((_, c)) => forbidden(field, u32::from(c)),
            None => err,
        })
    }

    /// Writes text content at the current position; `field` names it in errors.
    /// Nothing is written on error.
    ///
    /// # Errors
    /// A character XML 1.0 forbids in `text`.
    pub fn text(&mut self, field: &str, text: &str) -> Result<(), WriteError> {
        let len = self.out.len();
        if let Err(code_point) = escape_into(&mut self.out, text, Context::Text) {
            self.out.truncate(len);
            return Err(forbidden(field, code_point));
        }
        self.line_break = false;
        Ok(())
    }

    /// Writes `<name attributes…/>`. Nothing is written on error.
    ///
    /// # Errors
    /// An invalid name or a forbidden character in an attribute value.
    pub fn empty_element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
    ) -> Result<(), WriteError> {
        self.start_tag(name, attributes, b"/>")
    }

    /// How many bytes have been written so far (for a caller that sizes
    /// the rest of the document on what it has written).
    #[must_use]
    pub fn written_len(&self) -> usize {
        self.out.len()
    }

    /// Reserves room for at least `additional` more bytes, for a caller
    /// that knows roughly how large the document will be.
    pub fn reserve(&mut self, additional: usize) {
        self.out.reserve(additional);
    }

    /// Where the writer is now, to come back to with
    /// [`XmlWriter::rewind_to`]: for a caller that writes optimistically
    /// and, on finding it should not have, starts again.
    ///
    /// ```
    /// use strict_xml::XmlWriter;
    ///
    /// let mut writer = XmlWriter::indented();
    /// writer.element("r", &[], |w| {
    ///     let before = w.checkpoint();
    ///     w.text_element("a", &[], "a", "draft")?;
    ///     w.rewind_to(before);
    ///     w.text_element("a", &[], "a", "final")
    /// })?;
    /// assert_eq!(writer.finish(), b"<r>\n  <a>final</a>\n</r>");
    /// # Ok::<(), strict_xml::WriteError>(())
    /// ```
    #[must_use]
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.mark())
    }

    /// Drops everything written since `checkpoint`, which must have been
    /// taken in the content being written now (not inside an element that
    /// has been closed since, nor before one still open).
    pub fn rewind_to(&mut self, checkpoint: Checkpoint) {
        self.rewind(checkpoint.0);
    }

    /// The document written so far.
    #[must_use]
    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    /// The document written so far, without consuming the writer.
    #[must_use]
    pub(crate) fn written(&self) -> &[u8] {
        &self.out
    }

    /// Writes `content` inside the start tag just written, then `</name>`;
    /// if `content` fails, goes back to `mark` (taken before the start tag).
    pub(crate) fn content_then_end_tag<F>(
        &mut self,
        mark: Mark,
        name: &str,
        content: F,
    ) -> Result<(), WriteError>
    where
        F: FnOnce(&mut Self) -> Result<(), WriteError>,
    {
        self.depth += 1;
        if let Err(err) = content(self) {
            self.rewind(mark);
            return Err(err);
        }
        self.depth = mark.depth;
        self.new_line();
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
        self.line_break = true;
        Ok(())
    }

    /// Writes `start_tag` (checked and escaped), `text` escaped, and
    /// `end_tag` (`</name>`) on one line: the bytes an element holding only
    /// text takes. Nothing is written on error.
    pub(crate) fn raw_text_element(
        &mut self,
        start_tag: &[u8],
        field: &str,
        text: &str,
        end_tag: &[u8],
    ) -> Result<(), WriteError> {
        let mark = self.mark();
        self.new_line();
        self.out.extend_from_slice(start_tag);
        if let Err(code_point) = escape_into(&mut self.out, text, Context::Text) {
            self.rewind(mark);
            return Err(forbidden(field, code_point));
        }
        self.out.extend_from_slice(end_tag);
        self.line_break = true;
        Ok(())
    }

    /// Writes `open` (`<name attributes…`, checked and escaped) closed as an empty element.
    pub(crate) fn raw_empty_tag(&mut self, open: &[u8]) {
        self.new_line();
        self.out.extend_from_slice(open);
        self.out.extend_from_slice(b"/>");
        self.line_break = true;
    }

    /// Writes bytes already checked and escaped as a whole start tag.
    pub(crate) fn raw_start_tag(&mut self, start_tag: &[u8]) {
        self.new_line();
        self.out.extend_from_slice(start_tag);
        self.line_break = true;
    }

    pub(crate) fn mark(&self) -> Mark {
        Mark {
            len: self.out.len(),
            depth: self.depth,
            line_break: self.line_break,
        }
    }

    fn rewind(&mut self, mark: Mark) {
        self.out.truncate(mark.len);
        self.depth = mark.depth;
        self.line_break = mark.line_break;
    }

    /// Writes `<name attributes…` and `close` (`>` or `/>`), checking names and
    /// values as it goes: a refused tag writes nothing.
    pub(crate) fn start_tag(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        close: &[u8],
    ) -> Result<(), WriteError> {
        check_name(name)?;
        let mark = self.mark();
        self.new_line();
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        for &(key, value) in attributes {
            if let Err(err) = self.attribute(name, key, value) {
                self.rewind(mark);
                return Err(err);
            }
        }
        self.out.extend_from_slice(close);
        self.line_break = true;
        Ok(())
    }

    /// ` key="escaped value"`.
    fn attribute(&mut self, element: &str, key: &str, value: &str) -> Result<(), WriteError> {
        check_name(key)?;
        self.out.push(b' ');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"=\"");
        escape_into(&mut self.out, value, Context::Attribute)
            .map_err(|code_point| forbidden(&format!("{element}/@{key}"), code_point))?;
        self.out.push(b'"');
        Ok(())
    }

    /// In an indented document, a line break and the current indentation
    /// unless the last thing written was text.
    fn new_line(&mut self) {
        if let Some(size) = self.indent
            && self.line_break
        {
            self.out.extend_from_slice(&line_start(self.depth * size));
        }
    }

    /// What [`Self::new_line`] writes before the next tag at the current
    /// depth (nothing, without indentation or right after text), and what
    /// it writes before any tag after that one.
    pub(crate) fn line_starts(&self) -> (Cow<'static, [u8]>, Cow<'static, [u8]>) {
        let line = match self.indent {
            Some(size) => line_start(self.depth * size),
            None => Cow::Borrowed(&[][..]),
        };
        let first = if self.line_break {
            line.clone()
        } else {
            Cow::Borrowed(&[][..])
        };
        (first, line)
    }

    /// The output, for a caller in this crate that keeps the layout
    /// itself (see [`Self::line_starts`]).
    pub(crate) fn out_mut(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }

    /// Records that a tag was just written (the next starts a new line).
    pub(crate) fn tag_written(&mut self) {
        self.line_break = true;
    }

    /// How the next thing written would be laid out.
    pub(crate) fn layout(&self) -> Layout {
        Layout {
            indent: self.indent,
            depth: self.depth,
            line_break: self.line_break,
        }
    }

    /// A new writer laid out as `layout` says.
    pub(crate) fn laid_out(layout: Layout) -> Self {
        Self {
            out: Vec::new(),
            indent: layout.indent,
            depth: layout.depth,
            line_break: layout.line_break,
        }
    }

    /// Records whether the next tag starts a new line.
    pub(crate) fn set_line_break(&mut self, line_break: bool) {
        self.line_break = line_break;
    }
}

/// A line break and 64 spaces: most line starts are a slice of it.
const LINE_START: &[u8; 65] = &{
    let mut line = [b' '; 65];
    line[0] = b'\n';
    line
};

/// A line break and `width` spaces.
fn line_start(width: usize) -> Cow<'static, [u8]> {
    match LINE_START.get(..=width) {
        Some(line) => Cow::Borrowed(line),
        None => {
            let mut line = vec![b' '; width + 1];
            line[0] = b'\n';
            Cow::Owned(line)
        }
    }
}

pub(crate) fn forbidden(field: &str, code_point: u32) -> WriteError {
    WriteError::ForbiddenCharacter {
        field: field.to_owned(),
        code_point,
    }
}

/// Accepts the ASCII subset of XML names (letters, digits, `_ - . :`, not starting
/// with a digit, `-` or `.`) plus any non-ASCII letter; rejects everything else.
fn check_name(name: &str) -> Result<(), WriteError> {
    if let Some((&first, rest)) = name.as_bytes().split_first()
        && (first.is_ascii_alphabetic() || matches!(first, b'_' | b':'))
        && rest
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
    {
        // The all-ASCII names protocols use, accepted without decoding characters.
        return Ok(());
    }
    let mut chars = name.chars();
    let valid_start = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    let valid_rest = chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    if valid_start && valid_rest {
        Ok(())
    } else {
        Err(WriteError::InvalidName {
            name: name.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(
        f: impl FnOnce(&mut XmlWriter) -> Result<(), WriteError>,
    ) -> Result<String, WriteError> {
        let mut w = XmlWriter::new();
        f(&mut w)?;
        Ok(String::from_utf8(w.finish()).expect("utf-8"))
    }

    #[test]
    fn the_standalone_declaration_is_written_word_for_word() {
        let mut w = XmlWriter::indented();
        w.standalone_declaration();
        w.element("leads", &[], |w| w.empty_element("lead", &[]))
            .unwrap();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            "<?xml version=\"1.0\" standalone=\"yes\"?>\n<leads>\n  <lead/>\n</leads>"
        );
    }

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        let out =
            written(|w| w.text_element("a", &[("k", "<'\"&>")], "a", "<&>'\"")).expect("write");
        assert_eq!(
            out,
            r#"<a k="&lt;&apos;&quot;&amp;&gt;">&lt;&amp;&gt;&apos;&quot;</a>"#
        );
    }

    #[test]
    fn writes_cr_as_a_reference_and_keeps_tab_and_lf_literal_in_text() {
        let out = written(|w| w.text_element("a", &[], "a", "x\r\ny\tz")).expect("write");
        assert_eq!(out, "<a>x&#13;\ny\tz</a>");
    }

    #[test]
    fn writes_tab_lf_cr_in_attribute_values_as_references() {
        let out = written(|w| w.empty_element("a", &[("k", "1\t2\n3\r")])).expect("write");
        assert_eq!(out, r#"<a k="1&#9;2&#10;3&#13;"/>"#);
    }

    #[test]
    fn empty_text_gives_start_and_end_tag() {
        let mut w = XmlWriter::indented();
        w.element("r", &[], |w| w.text_element("a", &[], "a", ""))
            .expect("write");
        assert_eq!(
            String::from_utf8(w.finish()).expect("utf-8"),
            "<r>\n  <a></a>\n</r>"
        );
    }

    #[test]
    fn forbidden_character_in_text_names_field_and_code_point() {
        let err =
            written(|w| w.text_element("a", &[], "NoteText", "bell\u{7}")).expect_err("must fail");
        assert_eq!(
            err,
            WriteError::ForbiddenCharacter {
                field: "NoteText".into(),
                code_point: 7
            }
        );
        assert_eq!(
            err.to_string(),
            "field `NoteText` contains the character U+0007, which XML 1.0 forbids"
        );
        let err = written(|w| w.text("Notes", "\u{FFFF}")).expect_err("must fail");
        assert!(matches!(
            err,
            WriteError::ForbiddenCharacter {
                code_point: 0xFFFF,
                ..
            }
        ));
    }

    #[test]
    fn forbidden_character_in_attribute_names_element_and_attribute() {
        let err =
            written(|w| w.empty_element("request", &[("type", "x\u{0}")])).expect_err("must fail");
        assert_eq!(
            err,
            WriteError::ForbiddenCharacter {
                field: "request/@type".into(),
                code_point: 0
            }
        );
    }

    #[test]
    fn rejects_invalid_names() {
        for good in ["a", "_x", ":y", "a1-b.c:d_e", "é", "naïve"] {
            assert_eq!(
                written(|w| w.empty_element(good, &[])),
                Ok(format!("<{good}/>"))
            );
        }
        for bad in ["", "1a", "a b", "a<", "-x", ".x", "aé b", "é<"] {
            let err = written(|w| w.empty_element(bad, &[])).expect_err("must fail");
            assert_eq!(err, WriteError::InvalidName { name: bad.into() });
        }
        let err = written(|w| w.empty_element("a", &[("b c", "")])).expect_err("must fail");
        assert_eq!(err, WriteError::InvalidName { name: "b c".into() });
    }

    /// The bytes quick-xml's own `Writer` gives for the document
    /// `same_document_on_both` writes.
    fn quick_xml_reference(indent: bool) -> Vec<u8> {
        use quick_xml::Writer;
        use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
        let mut w = if indent {
            Writer::new_with_indent(Vec::new(), b' ', 2)
        } else {
            Writer::new(Vec::new())
        };
        let mut write = |event: Event<'_>| w.write_event(event).expect("into a Vec");
        write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        write(Event::Start(BytesStart::new("root")));
        let mut tag = BytesStart::new("request");
        tag.push_attribute(("type", "A&B \"q\"\t1"));
        write(Event::Start(tag));
        let mut tag = BytesStart::new("attribute");
        tag.push_attribute(("name", "NoteText"));
        tag.push_attribute(("x", "<'>"));
        write(Event::Start(tag));
        write(Event::Text(BytesText::new("fish & chips\r\n <x>")));
        write(Event::End(BytesEnd::new("attribute")));
        write(Event::Start(BytesStart::new("empty")));
        write(Event::Text(BytesText::new("")));
        write(Event::End(BytesEnd::new("empty")));
        let mut tag = BytesStart::new("flag");
        tag.push_attribute(("on", "1"));
        write(Event::Empty(tag));
        write(Event::End(BytesEnd::new("request")));
        write(Event::Start(BytesStart::new("mixed")));
        write(Event::Text(BytesText::new("before")));
        write(Event::Empty(BytesStart::new("br")));
        write(Event::Text(BytesText::new("after")));
        write(Event::End(BytesEnd::new("mixed")));
        write(Event::End(BytesEnd::new("root")));
        w.into_inner()
    }

    fn same_document_on_both(w: &mut XmlWriter) -> Result<(), WriteError> {
        w.declaration();
        w.element("root", &[], |w| {
            w.element("request", &[("type", "A&B \"q\"\t1")], |w| {
                w.text_element(
                    "attribute",
                    &[("name", "NoteText"), ("x", "<'>")],
                    "NoteText",
                    "fish & chips\r\n <x>",
                )?;
                w.text_element("empty", &[], "empty", "")?;
                w.empty_element("flag", &[("on", "1")])
            })?;
            w.element("mixed", &[], |w| {
                w.text("mixed", "before")?;
                w.empty_element("br", &[])?;
                w.text("mixed", "after")
            })
        })
    }

    #[test]
    fn writes_the_bytes_quick_xml_writer_would_indented_or_not() {
        for indent in [false, true] {
            let mut w = if indent {
                XmlWriter::indented()
            } else {
                XmlWriter::new()
            };
            same_document_on_both(&mut w).expect("write");
            let ours = String::from_utf8(w.finish()).expect("utf-8");
            let reference = String::from_utf8(quick_xml_reference(indent)).expect("utf-8");
            assert_eq!(ours, reference, "indent: {indent}");
        }
    }

    #[test]
    fn reusing_the_start_tag_buffer_never_leaks_attributes_between_tags() {
        let out = written(|w| {
            w.element("a", &[("long_name", "1"), ("b", "2")], |w| {
                w.empty_element("c", &[("d", "3")])?;
                w.empty_element("e", &[])
            })
        })
        .expect("write");
        assert_eq!(out, r#"<a long_name="1" b="2"><c d="3"/><e/></a>"#);
    }

    #[test]
    fn a_refused_attribute_writes_nothing_of_its_tag() {
        let mut w = XmlWriter::indented();
        w.element("r", &[], |w| {
            assert!(
                w.empty_element("a", &[("ok", "1"), ("bad", "\u{1}")])
                    .is_err()
            );
            Ok(())
        })
        .expect("write");
        assert_eq!(String::from_utf8(w.finish()).expect("utf-8"), "<r>\n</r>");
    }

    #[test]
    fn nothing_of_a_failed_text_element_is_written() {
        let mut w = XmlWriter::new();
        assert!(w.text_element("a", &[], "a", "\u{1}").is_err());
        assert!(w.finish().is_empty());
    }

    #[test]
    fn a_failed_element_closure_leaves_no_tag_written_and_the_depth_unchanged() {
        for (indented, expected) in [
            (false, "<r><ok>1</ok><b/></r>"),
            (true, "<r>\n  <ok>1</ok>\n  <b/>\n</r>"),
        ] {
            let mut w = if indented {
                XmlWriter::indented()
            } else {
                XmlWriter::new()
            };
            w.element("r", &[], |w| {
                w.text_element("ok", &[], "ok", "1")?;
                let err = w
                    .element("a", &[("k", "v")], |w| {
                        w.element("inner", &[], |w| w.text("t", "written"))?;
                        w.text("t", "also written, then refused\u{1}")
                    })
                    .expect_err("refused content");
                assert_eq!(
                    err,
                    WriteError::ForbiddenCharacter {
                        field: "t".into(),
                        code_point: 1
                    }
                );
                w.empty_element("b", &[])
            })
            .expect("write");
            assert_eq!(
                String::from_utf8(w.finish()).expect("utf-8"),
                expected,
                "indented: {indented}"
            );
        }
    }

    #[test]
    fn a_refused_value_is_reported_before_a_refused_tag() {
        let mut w = XmlWriter::new();
        assert_eq!(
            w.text_element("bad name", &[("k", "\u{2}")], "Field", "\u{FFFE}"),
            Err(WriteError::ForbiddenCharacter {
                field: "Field".into(),
                code_point: 0xFFFE
            })
        );
        assert_eq!(
            w.text_element("a", &[("k", "\u{2}")], "Field", "fine"),
            Err(WriteError::ForbiddenCharacter {
                field: "a/@k".into(),
                code_point: 2
            })
        );
        assert_eq!(
            w.text_element("bad name", &[], "Field", "fine"),
            Err(WriteError::InvalidName {
                name: "bad name".into()
            })
        );
        assert!(w.finish().is_empty());
    }

    #[test]
    fn a_refused_text_leaves_earlier_text_in_place() {
        let mut w = XmlWriter::new();
        w.element("r", &[], |w| {
            w.text("r", "kept & ")?;
            assert!(w.text("r", "<dropped>\u{FFFF}").is_err());
            w.text("r", "more")
        })
        .expect("write");
        assert_eq!(
            String::from_utf8(w.finish()).expect("utf-8"),
            "<r>kept &amp; more</r>"
        );
    }
}
