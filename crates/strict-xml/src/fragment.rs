//! [`Fragment`]: content written once and then written again as it is, at
//! the same place of documents laid out the same way (a protocol's
//! authentication block, the same in every request of a client).

use zeroize::Zeroize;

use crate::error::WriteError;
use crate::writer::XmlWriter;

/// Content an [`XmlWriter`] wrote (so checked and escaped like any other),
/// kept to be written again by [`XmlWriter::write_fragment`] at a position
/// laid out the same way: the same indentation, nesting depth and line-break
/// state as where it was made ([`XmlWriter::fragment`]). Writing it is one
/// copy, and gives the bytes writing the same content there would give.
///
/// A fragment may hold a secret (a password in an authentication block):
/// `Debug` shows its length only, and its bytes are zeroed when it is
/// dropped.
///
/// ```
/// use strict_xml::XmlWriter;
///
/// let mut writer = XmlWriter::indented();
/// writer.element("requests", &[], |w| {
///     let login = w.fragment(|w| w.text_element("login", &[], "login", "Sue & Al"))?;
///     w.write_fragment(&login);
///     w.text_element("note", &[], "note", "hello")
/// })?;
/// assert_eq!(
///     writer.finish(),
///     b"<requests>\n  <login>Sue &amp; Al</login>\n  <note>hello</note>\n</requests>"
/// );
/// # Ok::<(), strict_xml::WriteError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Fragment {
    bytes: Vec<u8>,
    /// Where it was made: the indentation, the depth and the line-break state.
    before: Layout,
    /// The line-break state after it.
    line_break_after: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) indent: Option<usize>,
    pub(crate) depth: usize,
    pub(crate) line_break: bool,
}

impl Fragment {
    /// The bytes the fragment writes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl std::fmt::Debug for Fragment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fragment")
            .field("bytes", &self.bytes.len())
            .field("depth", &self.before.depth)
            .finish_non_exhaustive()
    }
}

impl Drop for Fragment {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl XmlWriter {
    /// The content `content` writes, written by a new writer laid out as this
    /// one is now (indentation, depth, line-break state), kept as a
    /// [`Fragment`]. Nothing is written to this writer.
    ///
    /// # Errors
    /// Any error `content` returns.
    pub fn fragment<F>(&self, content: F) -> Result<Fragment, WriteError>
    where
        F: FnOnce(&mut Self) -> Result<(), WriteError>,
    {
        let before = self.layout();
        let mut writer = Self::laid_out(before);
        content(&mut writer)?;
        let after = writer.layout();
        debug_assert_eq!(after.depth, before.depth, "closures balance every element");
        Ok(Fragment {
            bytes: writer.finish(),
            before,
            line_break_after: after.line_break,
        })
    }

    /// Whether `fragment` can be written here: this writer is laid out as the
    /// one it was made with was.
    #[must_use]
    pub fn fits(&self, fragment: &Fragment) -> bool {
        self.layout() == fragment.before
    }

    /// Writes `fragment`: the bytes its content would write here.
    ///
    /// # Panics
    /// When this writer is not laid out as the one `fragment` was made with
    /// (see [`XmlWriter::fits`]).
    pub fn write_fragment(&mut self, fragment: &Fragment) {
        assert!(
            self.fits(fragment),
            "a fragment is written where it was made (same indentation, depth and line-break state)"
        );
        self.out_mut().extend_from_slice(&fragment.bytes);
        self.set_line_break(fragment.line_break_after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(w: &mut XmlWriter) -> Result<(), WriteError> {
        w.element("auth", &[("type", "a\"b")], |w| {
            w.text_element("user", &[], "user", "Sue & Al")?;
            w.text_element("pass", &[], "pass", "p<w>d\r")
        })
    }

    fn ending_in_text(w: &mut XmlWriter) -> Result<(), WriteError> {
        content(w)?;
        w.text("tail", "text after")
    }

    fn document(indented: bool, fragment: bool) -> Vec<u8> {
        let mut writer = if indented {
            XmlWriter::indented()
        } else {
            XmlWriter::new()
        };
        writer.declaration();
        writer
            .element("root", &[], |w| {
                w.element("requests", &[], |w| {
                    if fragment {
                        let made = w.fragment(content)?;
                        w.write_fragment(&made);
                        w.write_fragment(&made);
                        let made = w.fragment(ending_in_text)?;
                        w.write_fragment(&made);
                        assert!(!w.fits(&made), "right after text");
                    } else {
                        content(w)?;
                        content(w)?;
                        ending_in_text(w)?;
                    }
                    w.text_element("last", &[], "last", "x")
                })
            })
            .unwrap();
        writer.finish()
    }

    #[test]
    fn a_fragment_writes_the_bytes_its_content_writes() {
        for indented in [false, true] {
            assert_eq!(document(indented, true), document(indented, false));
        }
    }

    #[test]
    fn a_fragment_fits_only_where_it_was_made() {
        let mut writer = XmlWriter::indented();
        let top = writer
            .fragment(|w| w.text_element("a", &[], "a", "1"))
            .unwrap();
        assert!(writer.fits(&top));
        writer
            .element("r", &[], |w| {
                assert!(!w.fits(&top));
                Ok(())
            })
            .unwrap();
        // After a tag the next starts a new line: not the place it was made.
        assert!(!writer.fits(&top));
        assert!(!XmlWriter::new().fits(&top));
    }

    #[test]
    #[should_panic(expected = "where it was made")]
    fn writing_a_fragment_elsewhere_panics() {
        let mut writer = XmlWriter::indented();
        let top = writer
            .fragment(|w| w.text_element("a", &[], "a", "1"))
            .unwrap();
        writer
            .element("r", &[], |w| {
                w.write_fragment(&top);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_refused_content_makes_no_fragment_and_debug_hides_the_bytes() {
        let writer = XmlWriter::indented();
        let error = writer
            .fragment(|w| w.text_element("p", &[], "Password", "a\u{1}"))
            .unwrap_err();
        assert!(matches!(error, WriteError::ForbiddenCharacter { .. }));
        let secret = writer
            .fragment(|w| w.text_element("p", &[], "Password", "hunter2"))
            .unwrap();
        let shown = format!("{secret:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(secret.as_bytes(), b"<p>hunter2</p>");
    }
}
