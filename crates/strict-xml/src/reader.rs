//! The strict pull reader.
//!
//! A zero-copy quick-xml [`Reader`] over `&[u8]`, wrapped in a small pull API:
//! [`XmlReader::root`], [`XmlReader::next_child`], [`XmlReader::read_text`],
//! [`XmlReader::read_tree`], [`XmlReader::skip`] and [`XmlReader::finish`].
//! Text pieces, CDATA sections and entity references inside one element come
//! back joined into one `String`, so decoders never join text themselves.
//!
//! Rules: input size and nesting depth are capped ([`Limits`]); `<!DOCTYPE>`
//! is rejected; only the five predefined entities and numeric character
//! references are resolved, any other entity is rejected; characters XML 1.0
//! forbids are rejected, literal or referenced. Comments, processing
//! instructions, CDATA, a missing declaration and single or double quoted
//! attributes are all accepted. Whitespace-only text between elements is
//! ignored where elements are expected.

use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::chars::{first_forbidden_char, is_xml10_char};
use crate::error::ReadError;
use crate::tree::XmlElement;

/// Caps that bound the work and memory one document can cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_input_bytes: usize,
    max_depth: usize,
}

impl Default for Limits {
    /// 4 MiB of input, 64 levels of nesting.
    fn default() -> Self {
        Self {
            max_input_bytes: 4 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

impl Limits {
    /// Caps of `max_input_bytes` bytes of input and `max_depth` nested elements.
    #[must_use]
    pub const fn new(max_input_bytes: usize, max_depth: usize) -> Self {
        Self {
            max_input_bytes,
            max_depth,
        }
    }

    /// The largest accepted input, in bytes.
    #[must_use]
    pub const fn max_input_bytes(&self) -> usize {
        self.max_input_bytes
    }

    /// The deepest accepted element nesting.
    #[must_use]
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }
}

/// A start tag with its attribute values already resolved and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
    position: u64,
}

impl StartTag {
    /// The element name, as written (prefix included).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of attribute `name`, if present.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// All attributes, in document order.
    #[must_use]
    pub fn attributes(&self) -> &[(String, String)] {
        &self.attributes
    }

    /// Byte offset of the tag in the input.
    #[must_use]
    pub fn position(&self) -> u64 {
        self.position
    }

    pub(crate) fn into_parts(self) -> (String, Vec<(String, String)>) {
        (self.name, self.attributes)
    }
}

/// Strict pull reader over one in-memory document.
///
/// ```
/// use strict_xml::XmlReader;
///
/// let doc = b"<root><a x='1'>fish &amp; <![CDATA[chips]]> &#233;</a></root>";
/// let mut reader = XmlReader::new(doc)?;
/// let root = reader.root()?;
/// assert_eq!(root.name(), "root");
/// let a = reader.next_child()?.expect("a child");
/// assert_eq!(a.attribute("x"), Some("1"));
/// assert_eq!(reader.read_text()?, "fish & chips é");
/// assert!(reader.next_child()?.is_none()); // </root>
/// reader.finish()?;
/// # Ok::<(), strict_xml::ReadError>(())
/// ```
pub struct XmlReader<'a> {
    reader: Reader<&'a [u8]>,
    open: OpenElements,
    limits: Limits,
}

/// The names of the elements currently open, innermost last, kept in one
/// `String` so that opening an element does not allocate.
#[derive(Default)]
struct OpenElements {
    names: String,
    ends: Vec<usize>,
}

impl OpenElements {
    fn push(&mut self, name: &str) {
        self.names.push_str(name);
        self.ends.push(self.names.len());
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.names.truncate(self.ends.last().copied().unwrap_or(0));
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The name of the `index`-th open element, outermost first.
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        Some(&self.names[start..end])
    }

    fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).and_then(|index| self.get(index))
    }
}

impl std::fmt::Debug for OpenElements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries((0..self.len()).filter_map(|index| self.get(index)))
            .finish()
    }
}

impl std::fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.reader.buffer_position())
            .field("open", &self.open)
            .field("limits", &self.limits)
            .finish()
    }
}

impl<'a> XmlReader<'a> {
    /// A reader with the default [`Limits`].
    ///
    /// # Errors
    /// [`ReadError::TooLarge`] when `input` exceeds the size cap.
    pub fn new(input: &'a [u8]) -> Result<Self, ReadError> {
        Self::with_limits(input, Limits::default())
    }

    /// A reader with the given caps.
    ///
    /// # Errors
    /// [`ReadError::TooLarge`] when `input` exceeds `limits.max_input_bytes()`.
    pub fn with_limits(input: &'a [u8], limits: Limits) -> Result<Self, ReadError> {
        if input.len() > limits.max_input_bytes {
            return Err(ReadError::TooLarge {
                size: input.len(),
                limit: limits.max_input_bytes,
            });
        }
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        config.check_comments = true;
        config.allow_dangling_amp = false;
        config.allow_unmatched_ends = false;
        Ok(Self {
            reader,
            open: OpenElements::default(),
            limits,
        })
    }

    /// Reads up to and including the root element's start tag.
    ///
    /// # Errors
    /// [`ReadError::NoRootElement`] for a document without elements, text before
    /// the root, or any well-formedness error.
    pub fn root(&mut self) -> Result<StartTag, ReadError> {
        loop {
            let (event, position) = self.next_event()?;
            match event {
                Event::Start(start) => return self.start_tag(&start, position),
                Event::Text(text) if is_blank(&text) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(ReadError::UnexpectedText {
                        parent: "document".into(),
                        position,
                    });
                }
                Event::Eof => return Err(ReadError::NoRootElement),
                _ => {}
            }
        }
    }

    /// The next child element's start tag inside the current element, or `None`
    /// once the current element's end tag has been read.
    ///
    /// # Errors
    /// [`ReadError::UnexpectedText`] for non-whitespace text, or any
    /// well-formedness error.
    pub fn next_child(&mut self) -> Result<Option<StartTag>, ReadError> {
        loop {
            let (event, position) = self.next_event()?;
            match event {
                Event::Start(start) => return self.start_tag(&start, position).map(Some),
                Event::End(_) | Event::Eof => return Ok(None),
                Event::Text(text) if is_blank(&text) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    let parent = self.current_name();
                    return Err(ReadError::UnexpectedText { parent, position });
                }
                _ => {}
            }
        }
    }

    /// The text content of the element whose start tag was just read, up to and
    /// including its end tag: text, CDATA and references joined into one value,
    /// line ends normalised as XML 1.0 requires.
    ///
    /// # Errors
    /// [`ReadError::UnexpectedElement`] when the element has a child element,
    /// entity and character errors, or any well-formedness error.
    pub fn read_text(&mut self) -> Result<String, ReadError> {
        let mut text = String::new();
        loop {
            let (event, position) = self.next_event()?;
            match event {
                Event::Start(start) => {
                    let parent = self
                        .open
                        .len()
                        .checked_sub(2)
                        .and_then(|i| self.open.get(i))
                        .unwrap_or_default()
                        .to_owned();
                    return Err(ReadError::UnexpectedElement {
                        name: start.name().as_ref().to_owned(),
                        parent,
                        position,
                    });
                }
                Event::End(_) | Event::Eof => return Ok(text),
                other => push_content(&mut text, &other, position)?,
            }
        }
    }

    /// The rest of the element whose start tag `start` was just read, as a tree.
    /// Whitespace-only text in an element that has child elements is dropped.
    ///
    /// # Errors
    /// Entity, character, depth and well-formedness errors.
    pub fn read_tree(&mut self, start: StartTag) -> Result<XmlElement, ReadError> {
        let (name, attributes) = start.into_parts();
        let mut element = XmlElement::new(name);
        element.attributes = attributes;
        loop {
            let (event, position) = self.next_event()?;
            match event {
                Event::Start(child) => {
                    let tag = self.start_tag(&child, position)?;
                    let child = self.read_tree(tag)?;
                    element.children.push(child);
                }
                Event::End(_) | Event::Eof => break,
                other => push_content(&mut element.text, &other, position)?,
            }
        }
        if !element.children.is_empty() && is_blank(&element.text) {
            element.text.clear();
        }
        Ok(element)
    }

    /// Skips the rest of the element whose start tag was just read, still
    /// enforcing every rule (entities, characters, depth, well-formedness).
    ///
    /// # Errors
    /// Entity, character, depth and well-formedness errors.
    pub fn skip(&mut self) -> Result<(), ReadError> {
        let mut depth = 0usize;
        let mut scratch = String::new();
        loop {
            let (event, position) = self.next_event()?;
            match event {
                Event::Start(start) => {
                    self.start_tag(&start, position)?;
                    depth += 1;
                }
                Event::End(_) if depth > 0 => depth -= 1,
                Event::End(_) | Event::Eof => return Ok(()),
                other => {
                    scratch.clear();
                    push_content(&mut scratch, &other, position)?;
                }
            }
        }
    }

    /// Checks that nothing but whitespace, comments and processing
    /// instructions follows the root element. Call it after the root's end tag.
    ///
    /// # Errors
    /// [`ReadError::TrailingContent`] or any well-formedness error.
    pub fn finish(mut self) -> Result<(), ReadError> {
        loop {
            let (event, position) = self.next_event()?;
            match event {
                Event::Eof => return Ok(()),
                Event::Text(text) if is_blank(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(ReadError::TrailingContent { position }),
            }
        }
    }

    fn current_name(&self) -> String {
        self.open.last().unwrap_or("document").to_owned()
    }

    /// Reads one event, keeping the open-element stack, rejecting `<!DOCTYPE>`,
    /// enforcing the depth cap and turning an early end of input into an error.
    fn next_event(&mut self) -> Result<(Event<'a>, u64), ReadError> {
        let position = self.reader.buffer_position();
        let event = self
            .reader
            .read_event()
            .map_err(|err| ReadError::Malformed {
                position: self.reader.error_position(),
                message: err.to_string(),
            })?;
        match &event {
            Event::DocType(_) => return Err(ReadError::DocType { position }),
            Event::Start(start) => {
                if self.open.len() >= self.limits.max_depth {
                    return Err(ReadError::TooDeep {
                        limit: self.limits.max_depth,
                        position,
                    });
                }
                self.open.push(start.name().as_ref());
            }
            Event::End(_) => {
                self.open.pop();
            }
            Event::Eof => {
                if let Some(open) = self.open.last() {
                    return Err(ReadError::UnexpectedEof {
                        open: open.to_owned(),
                    });
                }
            }
            _ => {}
        }
        Ok((event, position))
    }

    fn start_tag(&self, start: &BytesStart<'_>, position: u64) -> Result<StartTag, ReadError> {
        let name = start.name().as_ref().to_owned();
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|err| ReadError::Malformed {
                position,
                message: err.to_string(),
            })?;
            let key = attribute.key.as_ref().to_owned();
            let value = attribute
                .normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_xml_entity)
                .map_err(|err| attribute_error(&err, &attribute.value, position))?;
            check_chars(&value, position)?;
            attributes.push((key, value.into_owned()));
        }
        Ok(StartTag {
            name,
            attributes,
            position,
        })
    }
}

/// Appends the text a content event stands for; ignores comments and the like.
fn push_content(out: &mut String, event: &Event<'_>, position: u64) -> Result<(), ReadError> {
    match event {
        Event::Text(text) => {
            let content = text.xml10_content();
            check_chars(&content, position)?;
            out.push_str(&content);
        }
        Event::CData(cdata) => {
            let content = cdata.xml10_content();
            check_chars(&content, position)?;
            out.push_str(&content);
        }
        Event::GeneralRef(reference) => push_reference(out, reference, position)?,
        _ => {}
    }
    Ok(())
}

fn push_reference(
    out: &mut String,
    reference: &BytesRef<'_>,
    position: u64,
) -> Result<(), ReadError> {
    let name: &str = reference;
    if reference.is_char_ref() {
        match reference.resolve_char_ref() {
            Ok(Some(c)) if is_xml10_char(c) => out.push(c),
            Ok(Some(c)) => {
                return Err(ReadError::ForbiddenCharacter {
                    code_point: u32::from(c),
                    position,
                });
            }
            Ok(None) | Err(_) => {
                return Err(ReadError::InvalidCharacterReference {
                    reference: name.to_owned(),
                    position,
                });
            }
        }
    } else {
        match resolve_xml_entity(name) {
            Some(value) => out.push_str(value),
            None => {
                return Err(ReadError::UnknownEntity {
                    name: name.to_owned(),
                    position,
                });
            }
        }
    }
    Ok(())
}

fn attribute_error(err: &quick_xml::Error, raw: &str, position: u64) -> ReadError {
    use quick_xml::escape::EscapeError;
    match err {
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => {
            ReadError::UnknownEntity {
                name: name.clone(),
                position,
            }
        }
        quick_xml::Error::Escape(EscapeError::InvalidCharRef(_)) => {
            ReadError::InvalidCharacterReference {
                reference: first_bad_char_ref(raw),
                position,
            }
        }
        other => ReadError::Malformed {
            position,
            message: other.to_string(),
        },
    }
}

/// The first `#…` character reference in a raw attribute value that does not
/// name a valid character (used only to word an error).
fn first_bad_char_ref(raw: &str) -> String {
    raw.split('&')
        .skip(1)
        .filter_map(|piece| piece.split_once(';').map(|(reference, _)| reference))
        .find(|reference| {
            BytesRef::new(*reference)
                .resolve_char_ref()
                .map_or(true, |c| c.is_none())
                && reference.starts_with('#')
        })
        .unwrap_or_default()
        .to_owned()
}

fn check_chars(text: &str, position: u64) -> Result<(), ReadError> {
    match first_forbidden_char(text) {
        Some((_, c)) => Err(ReadError::ForbiddenCharacter {
            code_point: u32::from(c),
            position,
        }),
        None => Ok(()),
    }
}

fn is_blank(text: &str) -> bool {
    // XML whitespace is ASCII, so no byte of a multi-byte character matches.
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_elements_keep_names_in_order_through_pushes_and_pops() {
        let mut open = OpenElements::default();
        assert_eq!(open.last(), None);
        open.push("root");
        open.push("responses");
        open.push("é");
        assert_eq!(open.len(), 3);
        assert_eq!(open.get(0), Some("root"));
        assert_eq!(open.get(1), Some("responses"));
        assert_eq!(open.last(), Some("é"));
        assert_eq!(format!("{open:?}"), r#"["root", "responses", "é"]"#);
        open.pop();
        open.push("data");
        assert_eq!(open.get(2), Some("data"));
        open.pop();
        open.pop();
        assert_eq!(open.last(), Some("root"));
        open.pop();
        open.pop();
        assert_eq!((open.len(), open.last(), open.get(0)), (0, None, None));
    }
}
