//! Elements whose tags are checked and escaped once and then written many
//! times: the fast path for documents that repeat the same element (a
//! protocol's `<attribute name="NoteText">…</attribute>`).

use crate::error::WriteError;
use crate::escape::{Context, escape_into};
use crate::writer::{XmlWriter, forbidden};

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

/// Elements written one after another in the same content (a record's
/// fields, in a fixed order), each with the line start the writer's layout
/// puts before it (line break and indentation) kept together with its
/// start tag. Writing one is then a copy of that line, the escaped text and
/// the end tag: the same bytes as [`XmlWriter::prepared_text_element`] and
/// [`XmlWriter::prepared_empty_element`], with fewer steps per value.
///
/// ```
/// use strict_xml::{PreparedElement, PreparedSiblings, XmlWriter};
///
/// let mut fields = PreparedSiblings::new(vec![
///     PreparedElement::new("fname", &[])?,
///     PreparedElement::new("campaign_id", &[])?,
/// ]);
/// let mut writer = XmlWriter::indented();
/// writer.element("lead", &[], |w| {
///     let mut siblings = w.prepared_siblings(&mut fields);
///     siblings.text(0, "fname", "Sue & Al")?;
///     siblings.empty(1);
///     Ok(())
/// })?;
/// assert_eq!(
///     writer.finish(),
///     b"<lead>\n  <fname>Sue &amp; Al</fname>\n  <campaign_id/>\n</lead>"
/// );
/// # Ok::<(), strict_xml::WriteError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedSiblings {
    elements: Vec<PreparedElement>,
    /// The line start `lines` were made with.
    line: Vec<u8>,
    /// Per element: the line start and start tag, the line start and the
    /// empty element.
    lines: Vec<(Vec<u8>, Vec<u8>)>,
}

impl PreparedSiblings {
    /// `elements`, to be written by their position in this list.
    #[must_use]
    pub fn new(elements: Vec<PreparedElement>) -> Self {
        let mut siblings = Self {
            elements,
            line: Vec::new(),
            lines: Vec::new(),
        };
        siblings.lay_out(&[]);
        siblings
    }

    /// The elements, in the order given.
    #[must_use]
    pub fn elements(&self) -> &[PreparedElement] {
        &self.elements
    }

    /// Makes the lines start with `line`, unless they already do.
    fn lay_out(&mut self, line: &[u8]) {
        if self.line == line && self.lines.len() == self.elements.len() {
            return;
        }
        line.clone_into(&mut self.line);
        self.lines = self
            .elements
            .iter()
            .map(|element| {
                let open = [line, &element.start_tag].concat();
                let start = &element.start_tag[..element.start_tag.len() - 1];
                let empty = [line, start, b"/>"].concat();
                (open, empty)
            })
            .collect();
    }
}

/// Writes [`PreparedSiblings`] at the position of the writer it came from
/// ([`XmlWriter::prepared_siblings`]), in any order and as often as needed.
#[derive(Debug)]
pub struct SiblingWriter<'a> {
    writer: &'a mut XmlWriter,
    siblings: &'a PreparedSiblings,
    /// How much of the line start the next element leaves out: all of it
    /// right after text (as the writer does), none after a tag.
    skip: usize,
}

impl XmlWriter {
    /// A writer of `siblings` at the current position: each element is
    /// written as [`XmlWriter::prepared_text_element`] or
    /// [`XmlWriter::prepared_empty_element`] would write it here. The lines
    /// are prepared again only when the layout differs from last time.
    pub fn prepared_siblings<'a>(
        &'a mut self,
        siblings: &'a mut PreparedSiblings,
    ) -> SiblingWriter<'a> {
        let (first, line) = self.line_starts();
        siblings.lay_out(&line);
        SiblingWriter {
            skip: line.len() - first.len(),
            writer: self,
            siblings,
        }
    }
}

impl SiblingWriter<'_> {
    /// Writes element number `index` holding `text` (`field` names it in
    /// errors). Nothing is written on error.
    ///
    /// # Errors
    /// A character XML 1.0 forbids in `text`.
    ///
    /// # Panics
    /// If there is no element number `index`.
    #[inline]
    pub fn text(&mut self, index: usize, field: &str, text: &str) -> Result<(), WriteError> {
        let (open, _) = &self.siblings.lines[index];
        let end_tag = &self.siblings.elements[index].end_tag;
        let out = self.writer.out_mut();
        let len = out.len();
        out.extend_from_slice(&open[self.skip..]);
        if let Err(code_point) = escape_into(out, text, Context::Text) {
            out.truncate(len);
            return Err(forbidden(field, code_point));
        }
        out.extend_from_slice(end_tag);
        self.written();
        Ok(())
    }

    /// Writes element number `index` empty.
    ///
    /// # Panics
    /// If there is no element number `index`.
    #[inline]
    pub fn empty(&mut self, index: usize) {
        let (_, empty) = &self.siblings.lines[index];
        self.writer.out_mut().extend_from_slice(&empty[self.skip..]);
        self.written();
    }

    #[inline]
    fn written(&mut self) {
        self.skip = 0;
        self.writer.tag_written();
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
    fn siblings_are_written_as_the_prepared_methods_write_them() {
        let elements = vec![
            PreparedElement::new("city", &[("a", "<'>")]).unwrap(),
            PreparedElement::new("zip", &[]).unwrap(),
        ];
        let mut siblings = PreparedSiblings::new(elements.clone());
        let values = ["Notus", "", "Fish & <chips>", "é \"quoted\" 'x'"];
        for indented in [false, true] {
            let (prepared, plain) = both(
                indented,
                |w| {
                    w.element("lead", &[], |w| {
                        let mut s = w.prepared_siblings(&mut siblings);
                        s.empty(1);
                        for value in values {
                            s.text(0, "city", value)?;
                            s.empty(0);
                            s.text(1, "zip", value)?;
                        }
                        w.element("inner", &[], |w| {
                            w.text("t", "text first")?;
                            let mut s = w.prepared_siblings(&mut siblings);
                            s.text(0, "city", "deeper")?;
                            s.empty(1);
                            w.element("deepest", &[], |w| {
                                w.prepared_siblings(&mut siblings).empty(1);
                                w.text("t", "last")
                            })
                        })
                    })
                },
                |w| {
                    w.element("lead", &[], |w| {
                        w.prepared_empty_element(&elements[1]);
                        for value in values {
                            w.prepared_text_element(&elements[0], "city", value)?;
                            w.prepared_empty_element(&elements[0]);
                            w.prepared_text_element(&elements[1], "zip", value)?;
                        }
                        w.element("inner", &[], |w| {
                            w.text("t", "text first")?;
                            w.prepared_text_element(&elements[0], "city", "deeper")?;
                            w.prepared_empty_element(&elements[1]);
                            w.element("deepest", &[], |w| {
                                w.prepared_empty_element(&elements[1]);
                                w.text("t", "last")
                            })
                        })
                    })
                },
            );
            assert_eq!(prepared, plain, "indented: {indented}");
        }
        assert_eq!(siblings.elements(), &elements[..]);
    }

    #[test]
    fn a_refused_sibling_leaves_nothing_and_the_layout_intact() {
        let mut siblings = PreparedSiblings::new(vec![PreparedElement::new("city", &[]).unwrap()]);
        for indented in [false, true] {
            let (prepared, plain) = both(
                indented,
                |w| {
                    w.element("lead", &[], |w| {
                        let mut s = w.prepared_siblings(&mut siblings);
                        let refused = s.text(0, "city", "bad \u{FFFE}");
                        assert!(matches!(
                            refused,
                            Err(WriteError::ForbiddenCharacter { ref field, code_point: 0xFFFE }) if field == "city"
                        ));
                        s.text(0, "city", "a")?;
                        assert!(s.text(0, "city", "\u{1}").is_err());
                        s.text(0, "city", "b")
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
