//! Elements whose tags are checked and escaped once and then written many
//! times: the fast path for documents that repeat the same element (a
//! protocol's `<attribute name="NoteText">…</attribute>`).

use crate::error::WriteError;
use crate::writer::XmlWriter;

/// An element name with its attributes, checked (names valid, no character
/// XML 1.0 forbids) and escaped once. Writing it copies the ready start tag,
/// so only the content is checked and escaped on each use.
///
/// ```
/// use strict_xml::{PreparedElement, XmlWriter};
///
/// let note_text = PreparedElement::new("attribute", &[("name", "NoteText")])?;
/// let mut writer = XmlWriter::new();
/// writer.element("request", &[], |w| {
///     w.prepared_text_element(&note_text, "NoteText", "Fish & chips")?;
///     w.prepared_text_element(&note_text, "NoteText", "Peas")
/// })?;
/// assert_eq!(
///     writer.finish(),
///     br#"<request><attribute name="NoteText">Fish &amp; chips</attribute><attribute name="NoteText">Peas</attribute></request>"#
/// );
/// # Ok::<(), strict_xml::WriteError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedElement {
    name: String,
    /// `<name attributes…>`, escaped.
    start_tag: Vec<u8>,
    /// `</name>`.
    end_tag: Vec<u8>,
}

impl PreparedElement {
    /// Checks and escapes `<name attributes…>` once.
    ///
    /// # Errors
    /// An invalid name, or a character XML 1.0 forbids in an attribute value
    /// (named `name/@key`), exactly as [`XmlWriter::element`] reports them.
    pub fn new(name: &str, attributes: &[(&str, &str)]) -> Result<Self, WriteError> {
        let mut writer = XmlWriter::new();
        writer.start_tag(name, attributes, b">")?;
        Ok(Self {
            name: name.to_owned(),
            start_tag: writer.written().to_vec(),
            end_tag: format!("</{name}>").into_bytes(),
        })
    }

    /// The element name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl XmlWriter {
    /// Writes `element`, whose content `content` writes: the same bytes as
    /// [`XmlWriter::element`] with the element's name and attributes. If
    /// `content` fails, nothing of the element stays written.
    ///
    /// # Errors
    /// Any error `content` returns.
    pub fn prepared_element<F>(
        &mut self,
        element: &PreparedElement,
        content: F,
    ) -> Result<(), WriteError>
    where
        F: FnOnce(&mut Self) -> Result<(), WriteError>,
    {
        let mark = self.mark();
        self.raw_start_tag(&element.start_tag);
        self.content_then_end_tag(mark, &element.name, content)
    }

    /// Writes `element` empty (`<name attributes…/>`): the same bytes as
    /// [`XmlWriter::empty_element`] with the element's name and attributes.
    pub fn prepared_empty_element(&mut self, element: &PreparedElement) {
        let open = &element.start_tag[..element.start_tag.len() - 1];
        self.raw_empty_tag(open);
    }

    /// Writes `element` holding `text` (`field` names it in errors): the same
    /// bytes as [`XmlWriter::text_element`]. Nothing is written on error.
    ///
    /// # Errors
    /// A character XML 1.0 forbids in `text`.
    pub fn prepared_text_element(
        &mut self,
        element: &PreparedElement,
        field: &str,
        text: &str,
    ) -> Result<(), WriteError> {
        // The bytes `prepared_element(element, |w| w.text(field, text))`
        // writes, in one pass: the text keeps the end tag on its line.
        self.raw_text_element(&element.start_tag, field, text, &element.end_tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prepared_empty_element_is_written_as_empty_element_writes_it() {
        let element = PreparedElement::new("campaign_id", &[("a", "<'>")]).unwrap();
        for indented in [false, true] {
            let (prepared, plain) = both(
                indented,
                |w| {
                    w.element("lead", &[], |w| {
                        w.prepared_empty_element(&element);
                        w.prepared_empty_element(&element);
                        w.text("t", "x")?;
                        w.prepared_empty_element(&element);
                        Ok(())
                    })
                },
                |w| {
                    w.element("lead", &[], |w| {
                        w.empty_element("campaign_id", &[("a", "<'>")])?;
                        w.empty_element("campaign_id", &[("a", "<'>")])?;
                        w.text("t", "x")?;
                        w.empty_element("campaign_id", &[("a", "<'>")])
                    })
                },
            );
            assert_eq!(prepared, plain);
        }
    }

    #[test]
    fn a_prepared_text_element_is_written_as_text_element_writes_it() {
        let element = PreparedElement::new("city", &[("a", "<'>")]).unwrap();
        let values = ["Notus", "", "Fish & <chips>", "é \"quoted\" 'x'"];
        for indented in [false, true] {
            let (prepared, plain) = both(
                indented,
                |w| {
                    w.element("lead", &[], |w| {
                        for value in values {
                            w.prepared_text_element(&element, "city", value)?;
                            w.prepared_empty_element(&element);
                        }
                        w.element("inner", &[], |w| {
                            w.prepared_text_element(&element, "city", "deeper")
                        })
                    })
                },
                |w| {
                    w.element("lead", &[], |w| {
                        for value in values {
                            w.text_element("city", &[("a", "<'>")], "city", value)?;
                            w.empty_element("city", &[("a", "<'>")])?;
                        }
                        w.element("inner", &[], |w| {
                            w.text_element("city", &[("a", "<'>")], "city", "deeper")
                        })
                    })
                },
            );
            assert_eq!(prepared, plain);
        }
    }

    #[test]
    fn a_refused_prepared_text_element_leaves_nothing_and_the_layout_intact() {
        let element = PreparedElement::new("city", &[]).unwrap();
        for indented in [false, true] {
            let (prepared, plain) = both(
                indented,
                |w| {
                    w.element("lead", &[], |w| {
                        w.prepared_text_element(&element, "city", "a")?;
                        let refused = w.prepared_text_element(&element, "city", "bad \u{1}");
                        assert!(matches!(
                            refused,
                            Err(WriteError::ForbiddenCharacter { ref field, code_point: 1 }) if field == "city"
                        ));
                        w.prepared_text_element(&element, "city", "b")
                    })
                },
                |w| {
                    w.element("lead", &[], |w| {
                        w.text_element("city", &[], "city", "a")?;
                        w.text_element("city", &[], "city", "b")
                    })
                },
            );
            assert_eq!(prepared, plain);
        }
    }

    fn both(
        indented: bool,
        prepared: impl FnOnce(&mut XmlWriter) -> Result<(), WriteError>,
        plain: impl FnOnce(&mut XmlWriter) -> Result<(), WriteError>,
    ) -> (String, String) {
        let new = || {
            if indented {
                XmlWriter::indented()
            } else {
                XmlWriter::new()
            }
        };
        let (mut a, mut b) = (new(), new());
        prepared(&mut a).expect("prepared");
        plain(&mut b).expect("plain");
        let text = |w: XmlWriter| String::from_utf8(w.finish()).expect("utf-8");
        (text(a), text(b))
    }

    #[test]
    fn writes_the_same_bytes_as_the_checking_methods() {
        let request = PreparedElement::new("request", &[("type", "A&B\t\"q\"")]).expect("valid");
        let field = PreparedElement::new("attribute", &[("name", "NoteText")]).expect("valid");
        let empty = PreparedElement::new("empty", &[]).expect("valid");
        assert_eq!(request.name(), "request");
        for indented in [false, true] {
            let (prepared, plain) = both(
                indented,
                |w| {
                    w.declaration();
                    w.element("root", &[], |w| {
                        w.prepared_element(&request, |w| {
                            w.prepared_text_element(&field, "NoteText", "a\r\n<b> & 'c'")?;
                            w.prepared_text_element(&empty, "empty", "")?;
                            w.prepared_element(&empty, |w| w.empty_element("x", &[]))
                        })
                    })
                },
                |w| {
                    w.declaration();
                    w.element("root", &[], |w| {
                        w.element("request", &[("type", "A&B\t\"q\"")], |w| {
                            w.text_element(
                                "attribute",
                                &[("name", "NoteText")],
                                "NoteText",
                                "a\r\n<b> & 'c'",
                            )?;
                            w.text_element("empty", &[], "empty", "")?;
                            w.element("empty", &[], |w| w.empty_element("x", &[]))
                        })
                    })
                },
            );
            assert_eq!(prepared, plain, "indented: {indented}");
        }
    }

    #[test]
    fn refuses_what_the_checking_methods_refuse() {
        assert_eq!(
            PreparedElement::new("a b", &[]),
            Err(WriteError::InvalidName { name: "a b".into() })
        );
        assert_eq!(
            PreparedElement::new("a", &[("k", "\u{FFFF}")]),
            Err(WriteError::ForbiddenCharacter {
                field: "a/@k".into(),
                code_point: 0xFFFF
            })
        );
    }

    #[test]
    fn a_refused_text_or_content_leaves_nothing_of_the_element() {
        let field = PreparedElement::new("attribute", &[("name", "Notes")]).expect("valid");
        let mut w = XmlWriter::indented();
        w.element("r", &[], |w| {
            assert_eq!(
                w.prepared_text_element(&field, "Notes", "bell\u{7}"),
                Err(WriteError::ForbiddenCharacter {
                    field: "Notes".into(),
                    code_point: 7
                })
            );
            assert!(
                w.prepared_element(&field, |w| {
                    w.text("Notes", "ok")?;
                    w.empty_element("1bad", &[])
                })
                .is_err()
            );
            w.prepared_text_element(&field, "Notes", "kept")
        })
        .expect("write");
        assert_eq!(
            String::from_utf8(w.finish()).expect("utf-8"),
            "<r>\n  <attribute name=\"Notes\">kept</attribute>\n</r>"
        );
    }
}
