//! The escaping writer.
//!
//! Every value goes through quick-xml's escaping constructors
//! ([`BytesText::new`], [`BytesStart::push_attribute`]); nothing is written
//! unescaped. Before escaping, each value is checked for characters XML 1.0
//! forbids: such a value is an error naming the field and the code point.
//!
//! # Line ends and tabs
//! XML parsers normalise a literal CR (and CR LF) to LF, and in attribute values
//! also turn TAB, LF and CR into spaces. So that every string survives a round
//! trip unchanged, the writer emits CR in text as `&#13;`, and TAB, LF and CR in
//! attribute values as `&#9;`, `&#10;` and `&#13;`. TAB and LF in text are
//! written literally (parsers keep them).

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::chars::first_forbidden_char;
use crate::error::WriteError;

/// Builds one XML document in memory.
///
/// Elements are written with closures, so start and end tags always balance.
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
    inner: Writer<Vec<u8>>,
}

impl std::fmt::Debug for XmlWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlWriter")
            .field("written_bytes", &self.inner.get_ref().len())
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
        Self {
            inner: Writer::new(Vec::new()),
        }
    }

    /// A writer that puts each element on its own line, indented by two spaces.
    /// Text content is never re-indented, so values are unchanged.
    #[must_use]
    pub fn indented() -> Self {
        Self {
            inner: Writer::new_with_indent(Vec::new(), b' ', 2),
        }
    }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>`.
    pub fn declaration(&mut self) {
        let decl = BytesDecl::new("1.0", Some("UTF-8"), None);
        self.write(Event::Decl(decl));
    }

    /// Writes an element with `attributes`, whose content `content` writes.
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
        let start = start_tag(name, attributes)?;
        self.write(Event::Start(start));
        content(self)?;
        self.write(Event::End(BytesEnd::new(name)));
        Ok(())
    }

    /// Writes `<name attributes…>text</name>`; `field` names the value in errors.
    /// An empty `text` gives `<name …></name>`.
    ///
    /// # Errors
    /// An invalid name or a character XML 1.0 forbids in `text` or an attribute value.
    pub fn text_element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        field: &str,
        text: &str,
    ) -> Result<(), WriteError> {
        check_value(field, text)?;
        self.element(name, attributes, |w| {
            w.write(Event::Text(BytesText::new(text)));
            Ok(())
        })
    }

    /// Writes text content at the current position; `field` names it in errors.
    ///
    /// # Errors
    /// A character XML 1.0 forbids in `text`.
    pub fn text(&mut self, field: &str, text: &str) -> Result<(), WriteError> {
        check_value(field, text)?;
        self.write(Event::Text(BytesText::new(text)));
        Ok(())
    }

    /// Writes `<name attributes…/>`.
    ///
    /// # Errors
    /// An invalid name or a forbidden character in an attribute value.
    pub fn empty_element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
    ) -> Result<(), WriteError> {
        let start = start_tag(name, attributes)?;
        self.write(Event::Empty(start));
        Ok(())
    }

    /// The document written so far.
    #[must_use]
    pub fn finish(self) -> Vec<u8> {
        self.inner.into_inner()
    }

    fn write(&mut self, event: Event<'_>) {
        // Writing into a Vec<u8> only fails when memory runs out, which aborts anyway.
        self.inner
            .write_event(event)
            .expect("writing XML into a Vec<u8> cannot fail");
    }
}

fn start_tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> Result<BytesStart<'a>, WriteError> {
    check_name(name)?;
    let mut start = BytesStart::new(name);
    for &(key, value) in attributes {
        check_name(key)?;
        check_value(&format!("{name}/@{key}"), value)?;
        start.push_attribute((key, value));
    }
    Ok(start)
}

fn check_value(field: &str, value: &str) -> Result<(), WriteError> {
    match first_forbidden_char(value) {
        Some((_, c)) => Err(WriteError::ForbiddenCharacter {
            field: field.to_owned(),
            code_point: u32::from(c),
        }),
        None => Ok(()),
    }
}

/// Accepts the ASCII subset of XML names (letters, digits, `_ - . :`, not starting
/// with a digit, `-` or `.`) plus any non-ASCII letter; rejects everything else.
fn check_name(name: &str) -> Result<(), WriteError> {
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
        for bad in ["", "1a", "a b", "a<", "-x"] {
            let err = written(|w| w.empty_element(bad, &[])).expect_err("must fail");
            assert_eq!(err, WriteError::InvalidName { name: bad.into() });
        }
        let err = written(|w| w.empty_element("a", &[("b c", "")])).expect_err("must fail");
        assert_eq!(err, WriteError::InvalidName { name: "b c".into() });
    }

    #[test]
    fn nothing_of_a_failed_text_element_is_written() {
        let mut w = XmlWriter::new();
        assert!(w.text_element("a", &[], "a", "\u{1}").is_err());
        assert!(w.finish().is_empty());
    }
}
