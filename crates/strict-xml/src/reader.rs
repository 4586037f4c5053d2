//! The strict pull reader.
//!
//! A zero-copy quick-xml [`Reader`] over `&[u8]`, wrapped in a small pull API:
//! [`XmlReader::root`], [`XmlReader::next_child`], [`XmlReader::read_text`],
//! [`XmlReader::read_tree`], [`XmlReader::skip`] and [`XmlReader::finish`].
//! Text pieces, CDATA sections and entity references inside one element come
//! back joined into one `String`, so decoders never join text themselves.
//!
//! The borrowing variants [`XmlReader::root_borrowed`],
//! [`XmlReader::next_child_borrowed`] and [`XmlReader::read_text_borrowed`]
//! apply exactly the same rules but hand out tags and text that borrow from
//! the input, so a decoder that reads straight into its own types allocates
//! only for the values it keeps (and for text that needs resolving).
//!
//! Rules: input size, nesting depth and element count are capped ([`Limits`]); `<!DOCTYPE>`
//! is rejected; only the five predefined entities and numeric character
//! references are resolved, any other entity is rejected; characters XML 1.0
//! forbids are rejected, literal or referenced. Comments, processing
//! instructions, CDATA, a missing declaration and single or double quoted
//! attributes are all accepted. Whitespace-only text between elements is
//! ignored where elements are expected.

pub(crate) mod scan;

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesCData, BytesEnd, BytesRef, BytesStart, BytesText, Event};

use crate::chars::{first_forbidden_char, has_control_or_ef, is_xml10_char};
use crate::error::ReadError;
pub use crate::limits::Limits;
use crate::tag::owned_start_tag;
pub use crate::tag::{BorrowedStartTag, StartTag};
use crate::tree::XmlElement;
use scan::AttributeSpans;

mod text_element;
pub use text_element::{Element, TextOrElement};

/// The content of an element read with [`XmlReader::read_text_or_tree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextOrTree<'a> {
    /// The element holds only text (borrowed when nothing needed resolving).
    Text(Cow<'a, str>),
    /// The element has child elements: all of it, as a tree.
    Tree(XmlElement),
}

/// What an element read with [`XmlReader::read_text_or_child`] holds first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextOrChild<'a> {
    /// The element holds only text (borrowed when nothing needed resolving,
    /// empty for an empty element); its end tag has been read.
    Text(Cow<'a, str>),
    /// The element's first child element, whose start tag was just read. Any
    /// text before it was checked and dropped; read (or skip) the child, then
    /// the remaining children with [`XmlReader::next_child_skipping_text`].
    Child(BorrowedStartTag<'a>),
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
    open: OpenElements<'a>,
    limits: Limits,
    /// Start tags read so far (for [`Limits::max_elements`]).
    elements: usize,
    /// An empty-element tag (`<a/>`) was just handed out as a start tag: its
    /// end tag comes next (see [`XmlReader::read_raw`]).
    pending_end: bool,
    /// The last event read ended with a tag's `>` (or a reference's `;`), so
    /// quick-xml reads text where the unread input starts: the quick scans
    /// may then move past input themselves. False before the first event,
    /// after a text event (quick-xml then stands at the `<` or `&` that
    /// ended it) and after an error.
    at_text_state: bool,
    /// The last long element the quick scan accepted inside skipped
    /// content: met again byte for byte (the echo each answer of some
    /// services carries), it is not scanned again (see [`scan::Remembered`]).
    remembered: Option<scan::Remembered<'a>>,
    /// An element accepted by another reader's scan, given to
    /// [`XmlReader::recognise`].
    given: Option<scan::Remembered<'a>>,
}

/// An element that a reader's quick scan accepted inside content it skipped
/// (see [`XmlReader::learned_element`]), kept so that later readers take a
/// byte-for-byte repeat of it as a whole (see [`XmlReader::recognise`]):
/// the echo of the request some services put in every answer, say.
///
/// It holds a copy of the element's bytes, which may carry secrets (an echo
/// of credentials): its `Debug` shows the length only, and the bytes are
/// zeroed when it is dropped. What it vouches for is only ever what a scan
/// found; it cannot be built from other bytes.
pub struct KnownElement {
    bytes: Box<[u8]>,
    elements: usize,
    depth: usize,
}

impl KnownElement {
    /// The longest element [`XmlReader::learned_element`] copies out (16 KiB).
    pub const MAX_BYTES: usize = 16 * 1024;

    /// The element's length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false (a remembered element is never empty); for symmetry
    /// with [`Self::len`].
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl std::fmt::Debug for KnownElement {
    /// The length only: the bytes may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnownElement")
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

impl Drop for KnownElement {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes[..]);
    }
}

/// The elements currently open, innermost last, each kept as the byte range
/// of its name in the input: opening an element copies no name (quick-xml
/// already keeps the names to check end tags against; these are only read to
/// word an error).
struct OpenElements<'a> {
    input: &'a [u8],
    names: Vec<(usize, usize)>,
}

impl<'a> OpenElements<'a> {
    fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            names: Vec::new(),
        }
    }

    /// Opens an element whose name `name` borrows from the input (as every
    /// name a reader over a byte slice hands out does).
    #[inline]
    fn push(&mut self, name: &[u8]) {
        let start = (name.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
        self.names.push((start, start.wrapping_add(name.len())));
    }

    #[inline]
    fn pop(&mut self) {
        self.names.pop();
    }

    #[inline]
    fn len(&self) -> usize {
        self.names.len()
    }

    /// The name of the `index`-th open element, outermost first.
    fn get(&self, index: usize) -> Option<&'a str> {
        let &(start, end) = self.names.get(index)?;
        std::str::from_utf8(self.input.get(start..end)?).ok()
    }

    fn last(&self) -> Option<&'a str> {
        self.len().checked_sub(1).and_then(|index| self.get(index))
    }

    /// The innermost open element's name, as bytes of the input.
    #[inline]
    fn last_bytes(&self) -> Option<&'a [u8]> {
        let &(start, end) = self.names.last()?;
        self.input.get(start..end)
    }
}

impl std::fmt::Debug for OpenElements<'_> {
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
        if input.len() > limits.max_input_bytes() {
            return Err(ReadError::TooLarge {
                size: input.len(),
                limit: limits.max_input_bytes(),
            });
        }
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        // `<a/>` is expanded into a start and an end tag by `read_raw`,
        // without the copy of the name quick-xml's own expansion allocates.
        config.expand_empty_elements = false;
        // End names are checked by `read_raw` against the reader's own open
        // elements (with quick-xml's words for the errors), so that start
        // tags read by the quick scan need no entry in quick-xml's stack.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.check_comments = true;
        config.allow_dangling_amp = false;
        Ok(Self {
            reader,
            open: OpenElements::new(input),
            limits,
            elements: 0,
            pending_end: false,
            at_text_state: false,
            remembered: None,
            given: None,
        })
    }

    /// Reads up to and including the root element's start tag.
    ///
    /// # Errors
    /// [`ReadError::NoRootElement`] for a document without elements, text before
    /// the root, or any well-formedness error.
    pub fn root(&mut self) -> Result<StartTag, ReadError> {
        let (start, position) = self.root_event()?;
        owned_start_tag(&start, position)
    }

    /// As [`XmlReader::root`], but the tag borrows from the input.
    ///
    /// # Errors
    /// As [`XmlReader::root`].
    pub fn root_borrowed(&mut self) -> Result<BorrowedStartTag<'a>, ReadError> {
        loop {
            if let Some(root) = self.plain_root()? {
                return Ok(root);
            }
            if let Some((start, position)) = self.root_step()? {
                return BorrowedStartTag::checked(start, position);
            }
        }
    }

    /// The root's start tag read by the quick scans once quick-xml has read
    /// its first event (a declaration, say: its first state, which removes a
    /// byte order mark, is then behind it) and reads text next: blank text,
    /// then a tag as [`scan::plain_start_tag`] takes it. What the events give
    /// there, the caps enforced as for any start tag; `None` (and nothing
    /// read) otherwise.
    #[inline]
    fn plain_root(&mut self) -> Result<Option<BorrowedStartTag<'a>>, ReadError> {
        if self.elements != 0 || self.pending_end || !self.at_text_state {
            return Ok(None);
        }
        let rest: &'a [u8] = self.reader.get_ref();
        self.take_plain_start_tag(scan::blank_end(rest, 0))
    }

    /// The start tag `at` bytes ahead (past blank text), when it has the plain
    /// shape ([`scan::plain_start_tag`]): read, the depth and element caps
    /// enforced, its attributes' places noted. `None` (and nothing read)
    /// otherwise.
    #[inline(always)]
    fn take_plain_start_tag(
        &mut self,
        at: usize,
    ) -> Result<Option<BorrowedStartTag<'a>>, ReadError> {
        let rest: &'a [u8] = self.reader.get_ref();
        let mut spans = AttributeSpans::none();
        let Some(tag) = rest
            .get(at..)
            .and_then(|tag| scan::plain_start_tag(tag, &mut spans))
        else {
            return Ok(None);
        };
        self.reader.stream().consume(at);
        let position = self.reader.buffer_position();
        self.reader.stream().consume(tag.len);
        self.pending_end = tag.empty;
        let start = BytesStart::from_content(tag.content, tag.name_len);
        self.enter(&start, position)?;
        Ok(Some(BorrowedStartTag::noted(start, position, spans)))
    }

    /// The next child element's start tag inside the current element, or `None`
    /// once the current element's end tag has been read.
    ///
    /// # Errors
    /// [`ReadError::UnexpectedText`] for non-whitespace text, or any
    /// well-formedness error.
    pub fn next_child(&mut self) -> Result<Option<StartTag>, ReadError> {
        match self.next_child_event()? {
            Some((start, position)) => owned_start_tag(&start, position).map(Some),
            None => Ok(None),
        }
    }

    /// As [`XmlReader::next_child`], but the tag borrows its name and
    /// attributes from the input, so reading it allocates nothing.
    ///
    /// # Errors
    /// As [`XmlReader::next_child`].
    #[inline]
    pub fn next_child_borrowed(&mut self) -> Result<Option<BorrowedStartTag<'a>>, ReadError> {
        self.skip_blank_before_tag();
        if let Some(tag) = self.plain_start_tag()? {
            return Ok(Some(tag));
        }
        match self.next_child_event()? {
            Some((start, position)) => BorrowedStartTag::checked(start, position).map(Some),
            None => Ok(None),
        }
    }

    /// As [`XmlReader::next_child_borrowed`], but text between the child
    /// elements is checked (entities, characters) and dropped instead of
    /// being an error: for mixed content whose own text the caller does not
    /// need.
    ///
    /// ```
    /// use strict_xml::XmlReader;
    ///
    /// let mut reader = XmlReader::new(b"<r>note &amp; <a/> more</r>")?;
    /// reader.root_borrowed()?;
    /// assert_eq!(reader.next_child_skipping_text()?.map(|a| a.name().to_owned()), Some("a".into()));
    /// reader.skip()?;
    /// assert!(reader.next_child_skipping_text()?.is_none());
    /// # Ok::<(), strict_xml::ReadError>(())
    /// ```
    ///
    /// # Errors
    /// Entity, character, depth, element-count and well-formedness errors.
    pub fn next_child_skipping_text(&mut self) -> Result<Option<BorrowedStartTag<'a>>, ReadError> {
        loop {
            self.skip_blank_before_tag();
            if let Some(tag) = self.plain_start_tag()? {
                return Ok(Some(tag));
            }
            let (event, position) = self.read_raw()?;
            match event {
                Event::Start(start) => {
                    self.enter(&start, position)?;
                    return BorrowedStartTag::checked(start, position).map(Some);
                }
                Event::End(_) => {
                    self.open.pop();
                    return Ok(None);
                }
                // Whitespace (most text here) needs no check: it is dropped.
                Event::Text(piece) if is_blank(&piece) => {}
                Event::Text(piece) => {
                    content(piece, position)?;
                }
                Event::CData(piece) => {
                    content(piece, position)?;
                }
                Event::GeneralRef(reference) => {
                    resolve_reference(&reference, position)?;
                }
                Event::Eof => {
                    self.end_of_input()?;
                    return Ok(None);
                }
                Event::DocType(_) => return Err(ReadError::DocType { position }),
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
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
        self.read_text_borrowed().map(Cow::into_owned)
    }

    /// As [`XmlReader::read_text`], but the text is borrowed from the input
    /// when it can be: when it is one piece of text (or one CDATA section)
    /// without references or carriage returns. Otherwise it is joined and
    /// resolved into an owned `String`, exactly as `read_text` does.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use strict_xml::XmlReader;
    ///
    /// let mut reader = XmlReader::new(b"<r><a>plain</a><b>x &amp; y</b></r>")?;
    /// reader.root_borrowed()?;
    /// reader.next_child_borrowed()?.expect("a");
    /// assert!(matches!(reader.read_text_borrowed()?, Cow::Borrowed("plain")));
    /// reader.next_child_borrowed()?.expect("b");
    /// assert_eq!(reader.read_text_borrowed()?, "x & y");
    /// # Ok::<(), strict_xml::ReadError>(())
    /// ```
    ///
    /// # Errors
    /// As [`XmlReader::read_text`].
    #[inline]
    pub fn read_text_borrowed(&mut self) -> Result<Cow<'a, str>, ReadError> {
        let mut text = self.plain_text_before_end_tag();
        loop {
            let (event, position) = self.read_raw()?;
            match event {
                Event::Text(piece) => append(&mut text, content(piece, position)?),
                Event::End(_) => {
                    self.open.pop();
                    return Ok(text);
                }
                Event::GeneralRef(reference) => {
                    resolve_reference(&reference, position)?.push_onto(self.owned(&mut text));
                }
                Event::CData(piece) => {
                    append(&mut text, content(piece, position)?);
                }
                Event::Start(start) => {
                    self.enter(&start, position)?;
                    return Err(self.unexpected_element(&start, position));
                }
                Event::Eof => {
                    self.end_of_input()?;
                    return Ok(text);
                }
                Event::DocType(_) => return Err(ReadError::DocType { position }),
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }

    /// The rest of the element whose start tag `start` was just read, as a tree.
    /// Whitespace-only text in an element that has child elements is dropped.
    ///
    /// The tree is built without recursion, and its size is bounded by
    /// [`Limits::max_elements`] and [`Limits::max_depth`].
    ///
    /// # Errors
    /// Entity, character, depth, element-count and well-formedness errors.
    pub fn read_tree(&mut self, start: StartTag) -> Result<XmlElement, ReadError> {
        self.continue_tree(element_from(start), Vec::new())
    }

    /// The content of the element whose start tag `start` was just read: its
    /// text, borrowed as [`XmlReader::read_text_borrowed`] gives it, or, as
    /// soon as a child element turns up, the whole element as the tree
    /// [`XmlReader::read_tree`] gives. For decoders that expect text but must
    /// keep whatever structure a server sends instead.
    ///
    /// ```
    /// use strict_xml::{TextOrTree, XmlReader};
    ///
    /// let mut reader = XmlReader::new(b"<r><a>text</a><b>x<c>1</c></b></r>")?;
    /// reader.root_borrowed()?;
    /// let a = reader.next_child_borrowed()?.expect("a");
    /// assert_eq!(reader.read_text_or_tree(&a)?, TextOrTree::Text("text".into()));
    /// let b = reader.next_child_borrowed()?.expect("b");
    /// let TextOrTree::Tree(tree) = reader.read_text_or_tree(&b)? else { panic!("a tree") };
    /// assert_eq!((tree.name.as_str(), tree.text.as_str()), ("b", "x"));
    /// assert_eq!(tree.child("c").map(|c| c.text.as_str()), Some("1"));
    /// # Ok::<(), strict_xml::ReadError>(())
    /// ```
    ///
    /// # Errors
    /// Entity, character, depth, element-count and well-formedness errors.
    pub fn read_text_or_tree(
        &mut self,
        start: &BorrowedStartTag<'_>,
    ) -> Result<TextOrTree<'a>, ReadError> {
        let (text, child) = self.text_then_child()?;
        let Some(child) = child else {
            return Ok(TextOrTree::Text(text));
        };
        let child = element_from(child.to_owned_tag());
        let mut parent = element_from(start.to_owned_tag());
        parent.text = text.into_owned();
        self.continue_tree(child, vec![parent])
            .map(TextOrTree::Tree)
    }

    /// The content of the element whose start tag was just read, streamed: its
    /// text up to its end tag, or, as soon as a child element turns up, that
    /// child's start tag (the text before it is checked and dropped). For
    /// decoders that take an element as text or as a record of children,
    /// whichever it turns out to be, without building a tree.
    ///
    /// ```
    /// use strict_xml::{TextOrChild, XmlReader};
    ///
    /// let mut reader = XmlReader::new(b"<r><a>text</a><b> x <c>1</c> y <d/></b></r>")?;
    /// reader.root_borrowed()?;
    /// reader.next_child_borrowed()?.expect("a");
    /// assert_eq!(reader.read_text_or_child()?, TextOrChild::Text("text".into()));
    /// reader.next_child_borrowed()?.expect("b");
    /// let TextOrChild::Child(c) = reader.read_text_or_child()? else { panic!("a child") };
    /// assert_eq!(c.name(), "c");
    /// assert_eq!(reader.read_text_borrowed()?, "1");
    /// assert_eq!(reader.next_child_skipping_text()?.map(|d| d.name().to_owned()), Some("d".into()));
    /// reader.skip()?;
    /// assert!(reader.next_child_skipping_text()?.is_none()); // </b>
    /// # Ok::<(), strict_xml::ReadError>(())
    /// ```
    ///
    /// # Errors
    /// Entity, character, depth, element-count and well-formedness errors.
    #[inline(always)]
    pub fn read_text_or_child(&mut self) -> Result<TextOrChild<'a>, ReadError> {
        Ok(match self.text_then_child()? {
            (text, None) => TextOrChild::Text(text),
            // The text before a child is checked and dropped.
            (_, Some(child)) => TextOrChild::Child(child),
        })
    }

    /// The text of the element whose start tag was just read, up to its end
    /// tag (consumed, `None`) or up to its first child element (whose start
    /// tag is read and checked, `Some`).
    #[inline(always)]
    fn text_then_child(
        &mut self,
    ) -> Result<(Cow<'a, str>, Option<BorrowedStartTag<'a>>), ReadError> {
        let mut text = self.plain_text_before_end_tag();
        loop {
            let (event, position) = self.read_raw()?;
            match event {
                Event::Text(piece) => append(&mut text, content(piece, position)?),
                Event::End(_) => {
                    self.open.pop();
                    return Ok((text, None));
                }
                Event::GeneralRef(reference) => {
                    resolve_reference(&reference, position)?.push_onto(self.owned(&mut text));
                }
                Event::CData(piece) => {
                    append(&mut text, content(piece, position)?);
                }
                Event::Start(start) => {
                    self.enter(&start, position)?;
                    let child = BorrowedStartTag::checked(start, position)?;
                    return Ok((text, Some(child)));
                }
                Event::Eof => {
                    self.end_of_input()?;
                    return Ok((text, None));
                }
                Event::DocType(_) => return Err(ReadError::DocType { position }),
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }

    /// `text` as an owned `String` to append to, with room for the rest of
    /// the current run of text (up to the next `<`), so that a value with
    /// references grows once rather than piece by piece.
    #[inline]
    fn owned<'t>(&self, text: &'t mut Cow<'a, str>) -> &'t mut String {
        if let Cow::Borrowed(borrowed) = *text {
            let from = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
            let rest = self
                .open
                .input
                .get(from..)
                .and_then(|rest| rest.iter().position(|&b| b == b'<'))
                .unwrap_or(0);
            let mut owned = String::with_capacity(borrowed.len() + rest + 4);
            owned.push_str(borrowed);
            *text = Cow::Owned(owned);
        }
        text.to_mut()
    }

    /// Byte offset just past what has been read so far (after an element's
    /// end tag: the end of that element), e.g. to cut an element out of the
    /// input and read it again.
    #[must_use]
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    /// Reads the rest of `current` (whose open ancestors inside the tree
    /// being built are `ancestors`, outermost first) and returns the
    /// outermost element once it ends. No recursion.
    fn continue_tree(
        &mut self,
        mut current: XmlElement,
        mut ancestors: Vec<XmlElement>,
    ) -> Result<XmlElement, ReadError> {
        loop {
            let (event, position) = self.next_event()?;
            match event {
                Event::Start(child) => {
                    let child = element_from(owned_start_tag(&child, position)?);
                    ancestors.push(std::mem::replace(&mut current, child));
                }
                Event::End(_) | Event::Eof => {
                    if !current.children.is_empty() && is_blank(&current.text) {
                        current.text.clear();
                    }
                    let Some(parent) = ancestors.pop() else {
                        return Ok(current);
                    };
                    let finished = std::mem::replace(&mut current, parent);
                    current.children.push(finished);
                }
                other => push_content(&mut current.text, &other, position)?,
            }
        }
    }

    /// Skips the rest of the element whose start tag was just read, still
    /// enforcing every rule (entities, characters, depth, element count,
    /// well-formedness). Allocates nothing unless text needs line-end
    /// normalisation.
    ///
    /// Content in the plain shape most documents have (elements, attributes
    /// and text, no comments, CDATA or processing instructions) is checked
    /// by one scan over its bytes rather than event by event; anything else,
    /// and every error, goes through the events as before.
    ///
    /// # Errors
    /// Entity, character, depth, element-count and well-formedness errors.
    pub fn skip(&mut self) -> Result<(), ReadError> {
        if !self.pending_end && self.at_text_state {
            self.skip_plain_content();
        }
        self.skip_events()
    }

    /// Moves past the content of the current element, up to (not including)
    /// its end tag, when [`scan::scan_content`] vouches that reading it event
    /// by event would pass every rule and end there; otherwise does nothing.
    /// The end tag is left for the event reader, which checks its name
    /// against the start tag's.
    #[inline]
    fn skip_plain_content(&mut self) {
        let rest: &'a [u8] = self.reader.get_ref();
        let depth_room = self.limits.max_depth().saturating_sub(self.open.len());
        let element_room = self.limits.max_elements().saturating_sub(self.elements);
        if let Some(scanned) = scan::scan_content(
            rest,
            depth_room,
            element_room,
            &mut self.remembered,
            self.given,
        ) {
            self.elements += scanned.elements;
            self.reader.stream().consume(scanned.end);
        }
    }

    /// Lets [`Self::skip`] take an element that repeats `known` byte for
    /// byte, where it stands between the children of the skipped element,
    /// as a whole instead of scanning it again: the scan that accepted
    /// `known` read nothing but its bytes, so they get the same verdict (the
    /// depth and element caps still checked against what it needed).
    pub fn recognise(&mut self, known: &'a KnownElement) {
        self.given = Some(scan::Remembered {
            bytes: &known.bytes,
            elements: known.elements,
            depth: known.depth,
        });
    }

    /// A copy of the last long element (64 bytes or more) this reader's
    /// [`Self::skip`] accepted between the children of a skipped element,
    /// for later readers to [`Self::recognise`]; `None` when there is none,
    /// or when it is longer than [`KnownElement::MAX_BYTES`] (a copy kept for
    /// long must stay small, whatever a server sends).
    #[must_use]
    pub fn learned_element(&self) -> Option<KnownElement> {
        self.remembered
            .filter(|remembered| remembered.bytes.len() <= KnownElement::MAX_BYTES)
            .map(|remembered| KnownElement {
                bytes: remembered.bytes.into(),
                elements: remembered.elements,
                depth: remembered.depth,
            })
    }

    /// The text of the current element read without its text event, when it
    /// is one plain piece right before an end tag
    /// ([`scan::plain_text_before_end_tag`]): the same borrowed text that
    /// event would give. The end tag is left for the event reader. Empty
    /// (and nothing read) otherwise.
    #[inline(always)]
    fn plain_text_before_end_tag(&mut self) -> Cow<'a, str> {
        if self.pending_end || !self.at_text_state || self.elements == 0 {
            return Cow::Borrowed("");
        }
        let rest: &'a [u8] = self.reader.get_ref();
        match scan::plain_text_before_end_tag(rest) {
            Some(text) => {
                self.reader.stream().consume(text.len());
                Cow::Borrowed(text)
            }
            None => Cow::Borrowed(""),
        }
    }

    /// A start tag in the plain shape ([`scan::plain_start_tag`]) read by
    /// the quick scan instead of quick-xml's event, its attributes checked
    /// and their places noted; the depth and element caps enforced as for
    /// any start tag. `None` (and nothing read) for anything else. End tags
    /// are checked against the reader's own open elements (`read_raw`), so
    /// quick-xml need not see this one.
    #[inline(always)]
    fn plain_start_tag(&mut self) -> Result<Option<BorrowedStartTag<'a>>, ReadError> {
        if self.pending_end || !self.at_text_state || self.elements == 0 {
            return Ok(None);
        }
        self.take_plain_start_tag(0)
    }

    /// The end tag of the innermost open element, read by the quick scan
    /// instead of quick-xml's event when it is plain (`</name>`, space
    /// allowed before `>`) and its name matches; `None` (and nothing read)
    /// otherwise, a mismatch included: the event path words that error.
    #[inline(always)]
    fn plain_end_tag(&mut self) -> Option<BytesEnd<'a>> {
        if !self.at_text_state {
            return None;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let (name, len) = scan::plain_end_tag(rest)?;
        if self.open.last_bytes() != Some(name) {
            return None;
        }
        let name = std::str::from_utf8(name).ok()?;
        self.reader.stream().consume(len);
        Some(BytesEnd::new(name))
    }

    /// Moves past whitespace that runs up to a tag, which the caller would
    /// read as a blank text event and drop: the same, without the event.
    /// Only inside the root (before it quick-xml may still strip a byte
    /// order mark), where quick-xml reads text next (`at_text_state`) and
    /// only before a tag; anything else is left to the events.
    #[inline(always)]
    fn skip_blank_before_tag(&mut self) {
        #[cfg(test)]
        if scan::tests::full_checks_only() {
            return;
        }
        if self.pending_end || !self.at_text_state || self.elements == 0 {
            return;
        }
        let rest: &'a [u8] = self.reader.get_ref();
        let blank = rest
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(rest.len());
        if blank > 0 && rest.get(blank) == Some(&b'<') {
            self.reader.stream().consume(blank);
        }
    }

    /// [`Self::skip`] event by event.
    fn skip_events(&mut self) -> Result<(), ReadError> {
        let mut depth = 0usize;
        loop {
            let (event, position) = self.read_raw()?;
            match event {
                Event::Start(start) => {
                    self.enter(&start, position)?;
                    BorrowedStartTag::checked(start, position)?;
                    depth += 1;
                }
                Event::End(_) => {
                    self.open.pop();
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                // Whitespace (most text here) needs no check: it is dropped.
                Event::Text(piece) if is_blank(&piece) => {}
                Event::Text(piece) => {
                    content(piece, position)?;
                }
                Event::CData(piece) => {
                    content(piece, position)?;
                }
                Event::GeneralRef(reference) => {
                    resolve_reference(&reference, position)?;
                }
                Event::Eof => return self.end_of_input(),
                Event::DocType(_) => return Err(ReadError::DocType { position }),
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }

    /// Checks that nothing but whitespace, comments and processing
    /// instructions follows the root element. Call it after the root's end tag.
    ///
    /// # Errors
    /// [`ReadError::TrailingContent`] or any well-formedness error.
    pub fn finish(mut self) -> Result<(), ReadError> {
        // Nothing but whitespace after the root's end tag: the blank text
        // and the end of input the events would give, without them.
        if self.at_text_state && !self.pending_end && self.open.len() == 0 && self.elements != 0 {
            #[cfg(test)]
            let quick = !scan::tests::full_checks_only();
            #[cfg(not(test))]
            let quick = true;
            let rest: &'a [u8] = self.reader.get_ref();
            if quick
                && rest
                    .iter()
                    .all(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            {
                return Ok(());
            }
        }
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

    fn root_event(&mut self) -> Result<(BytesStart<'a>, u64), ReadError> {
        loop {
            if let Some(root) = self.root_step()? {
                return Ok(root);
            }
        }
    }

    /// One event before the root: its start tag, or `None` for what may
    /// come before it.
    fn root_step(&mut self) -> Result<Option<(BytesStart<'a>, u64)>, ReadError> {
        let (event, position) = self.next_event()?;
        match event {
            Event::Start(start) => Ok(Some((start, position))),
            Event::Text(text) if is_blank(&text) => Ok(None),
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                Err(ReadError::UnexpectedText {
                    parent: "document".into(),
                    position,
                })
            }
            Event::Eof => Err(ReadError::NoRootElement),
            _ => Ok(None),
        }
    }

    #[inline(always)]
    fn next_child_event(&mut self) -> Result<Option<(BytesStart<'a>, u64)>, ReadError> {
        loop {
            self.skip_blank_before_tag();
            let (event, position) = self.read_raw()?;
            match event {
                Event::Start(start) => {
                    self.enter(&start, position)?;
                    return Ok(Some((start, position)));
                }
                Event::End(_) => {
                    self.open.pop();
                    return Ok(None);
                }
                Event::Text(text) if is_blank(&text) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    let parent = self.open.last().unwrap_or("document").to_owned();
                    return Err(ReadError::UnexpectedText { parent, position });
                }
                Event::Eof => {
                    self.end_of_input()?;
                    return Ok(None);
                }
                Event::DocType(_) => return Err(ReadError::DocType { position }),
                Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }

    /// The error for a child element where only text is expected; `start` is
    /// already on the open-element stack, so its parent is the one below it.
    fn unexpected_element(&self, start: &BytesStart<'_>, position: u64) -> ReadError {
        let parent = self
            .open
            .len()
            .checked_sub(2)
            .and_then(|i| self.open.get(i))
            .unwrap_or_default()
            .to_owned();
        ReadError::UnexpectedElement {
            name: start.name().as_ref().to_owned(),
            parent,
            position,
        }
    }

    /// Reads one event, keeping the open-element stack, rejecting `<!DOCTYPE>`,
    /// enforcing the depth and element caps and turning an early end of input
    /// into an error.
    ///
    /// The hot paths (`next_child_event`, `read_text_borrowed`, `skip`) call
    /// [`Self::read_raw`] and do this bookkeeping in their own single `match`,
    /// so each event is dispatched once rather than once per layer.
    fn next_event(&mut self) -> Result<(Event<'a>, u64), ReadError> {
        let (event, position) = self.read_raw()?;
        match &event {
            Event::DocType(_) => return Err(ReadError::DocType { position }),
            Event::Start(start) => self.enter(start, position)?,
            Event::End(_) => self.open.pop(),
            Event::Eof => self.end_of_input()?,
            _ => {}
        }
        Ok((event, position))
    }

    /// Reads one event with its position, without any bookkeeping.
    ///
    /// An empty-element tag `<a/>` comes out as a start tag (at the tag's
    /// position) followed by an end tag (at the position just past the tag),
    /// exactly as quick-xml's `expand_empty_elements` gives them, but without
    /// allocating a copy of the name for the end tag. So `Event::Empty` never
    /// reaches the callers.
    #[inline(always)]
    fn read_raw(&mut self) -> Result<(Event<'a>, u64), ReadError> {
        let position = self.reader.buffer_position();
        if self.pending_end {
            self.pending_end = false;
            return Ok((Event::End(BytesEnd::new("")), position));
        }
        if let Some(end) = self.plain_end_tag() {
            return Ok((Event::End(end), position));
        }
        match self.reader.read_event() {
            Ok(Event::Empty(start)) => {
                self.pending_end = true;
                self.at_text_state = true;
                Ok((Event::Start(start), position))
            }
            Ok(Event::End(end)) => {
                self.at_text_state = true;
                self.check_end_name(&end, position)?;
                Ok((Event::End(end), position))
            }
            Ok(event) => {
                self.at_text_state = !matches!(event, Event::Text(_));
                Ok((event, position))
            }
            Err(err) => {
                self.at_text_state = false;
                Err(ReadError::Malformed {
                    position: self.reader.error_position(),
                    message: err.to_string(),
                })
            }
        }
    }

    /// The end tag `end` (read at `position`) must close the innermost open
    /// element: the check quick-xml's `check_end_names` made, with its words.
    #[inline(always)]
    fn check_end_name(&mut self, end: &BytesEnd<'_>, position: u64) -> Result<(), ReadError> {
        let found = end.name();
        let found: &str = found.as_ref();
        if self.open.last_bytes() == Some(found.as_bytes()) {
            return Ok(());
        }
        Err(self.end_name_error(found, position))
    }

    #[cold]
    #[inline(never)]
    fn end_name_error(&mut self, found: &str, position: u64) -> ReadError {
        use quick_xml::errors::{Error, IllFormedError};
        self.at_text_state = false;
        let err = match self.open.last() {
            Some(expected) => IllFormedError::MismatchedEndTag {
                expected: expected.to_owned(),
                found: found.to_owned(),
            },
            None => IllFormedError::UnmatchedEndTag(found.to_owned()),
        };
        ReadError::Malformed {
            position,
            message: Error::IllFormed(err).to_string(),
        }
    }

    /// Enforces the depth and element caps for a start tag, then opens it.
    /// On an error the element is still opened (as quick-xml's own stack
    /// of names did), so that end tags read after an error are checked as
    /// before.
    #[inline(always)]
    fn enter(&mut self, start: &BytesStart<'_>, position: u64) -> Result<(), ReadError> {
        if self.open.len() >= self.limits.max_depth() || self.elements >= self.limits.max_elements()
        {
            return Err(self.refuse_element(start, position));
        }
        self.elements += 1;
        self.open.push(start.name().as_ref().as_bytes());
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn refuse_element(&mut self, start: &BytesStart<'_>, position: u64) -> ReadError {
        let err = if self.open.len() >= self.limits.max_depth() {
            ReadError::TooDeep {
                limit: self.limits.max_depth(),
                position,
            }
        } else {
            ReadError::TooManyElements {
                limit: self.limits.max_elements(),
                position,
            }
        };
        self.open.push(start.name().as_ref().as_bytes());
        err
    }

    /// The end of the input is only acceptable once every element is closed.
    fn end_of_input(&self) -> Result<(), ReadError> {
        match self.open.last() {
            Some(open) => Err(ReadError::UnexpectedEof {
                open: open.to_owned(),
            }),
            None => Ok(()),
        }
    }
}

fn element_from(start: StartTag) -> XmlElement {
    let (name, attributes) = start.into_parts();
    XmlElement {
        name,
        attributes,
        ..XmlElement::default()
    }
}

/// `text` with `piece` appended; stays borrowed while it is a single piece.
#[inline]
fn append<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else if !piece.is_empty() {
        text.to_mut().push_str(&piece);
    }
}

/// A text or CDATA piece as content: line ends normalised, checked for
/// characters XML 1.0 forbids. One scan decides whether there is anything to
/// do: a piece without control characters (CR included) and without 0xEF is
/// already its own content, borrowed as it is.
#[inline(always)]
fn content<'a, P: Piece<'a>>(piece: P, position: u64) -> Result<Cow<'a, str>, ReadError> {
    if !has_control_or_ef(piece.raw().as_bytes()) {
        return Ok(piece.into_raw());
    }
    checked(piece.normalised(), position)
}

/// Text and CDATA events, which [`content`] handles alike.
trait Piece<'a> {
    fn raw(&self) -> &str;
    fn into_raw(self) -> Cow<'a, str>;
    fn normalised(&self) -> Cow<'a, str>;
}

impl<'a> Piece<'a> for BytesText<'a> {
    fn raw(&self) -> &str {
        self
    }
    fn into_raw(self) -> Cow<'a, str> {
        self.into_inner()
    }
    fn normalised(&self) -> Cow<'a, str> {
        self.xml10_content()
    }
}

impl<'a> Piece<'a> for BytesCData<'a> {
    fn raw(&self) -> &str {
        self
    }
    fn into_raw(self) -> Cow<'a, str> {
        self.into_inner()
    }
    fn normalised(&self) -> Cow<'a, str> {
        self.xml10_content()
    }
}

/// `text`, once checked for characters XML 1.0 forbids.
#[inline]
fn checked(text: Cow<'_, str>, position: u64) -> Result<Cow<'_, str>, ReadError> {
    check_chars(&text, position)?;
    Ok(text)
}

/// Appends the text a content event stands for; ignores comments and the like.
fn push_content(out: &mut String, event: &Event<'_>, position: u64) -> Result<(), ReadError> {
    match event {
        Event::Text(text) => out.push_str(&checked(text.xml10_content(), position)?),
        Event::CData(cdata) => out.push_str(&checked(cdata.xml10_content(), position)?),
        Event::GeneralRef(reference) => resolve_reference(reference, position)?.push_onto(out),
        _ => {}
    }
    Ok(())
}

/// What a reference stands for.
enum Resolved {
    /// A character reference.
    Char(char),
    /// One of the five predefined entities.
    Entity(&'static str),
}

impl Resolved {
    fn push_onto(self, out: &mut String) {
        match self {
            Self::Char(c) => out.push(c),
            Self::Entity(text) => out.push_str(text),
        }
    }
}

fn resolve_reference(reference: &BytesRef<'_>, position: u64) -> Result<Resolved, ReadError> {
    let name: &str = reference;
    if reference.is_char_ref() {
        match reference.resolve_char_ref() {
            Ok(Some(c)) if is_xml10_char(c) => Ok(Resolved::Char(c)),
            Ok(Some(c)) => Err(ReadError::ForbiddenCharacter {
                code_point: u32::from(c),
                position,
            }),
            Ok(None) | Err(_) => Err(ReadError::InvalidCharacterReference {
                reference: name.to_owned(),
                position,
            }),
        }
    } else {
        resolve_xml_entity(name)
            .map(Resolved::Entity)
            .ok_or_else(|| ReadError::UnknownEntity {
                name: name.to_owned(),
                position,
            })
    }
}

#[inline]
fn check_chars(text: &str, position: u64) -> Result<(), ReadError> {
    match first_forbidden_char(text) {
        Some((_, c)) => Err(ReadError::ForbiddenCharacter {
            code_point: u32::from(c),
            position,
        }),
        None => Ok(()),
    }
}

#[inline]
fn is_blank(text: &str) -> bool {
    // XML whitespace is ASCII, so no byte of a multi-byte character matches.
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = text.as_bytes();
    match bytes.split_first() {
        None => true,
        // Text that is not blank almost always says so at its first byte.
        Some((&first, _)) if !is_space(first) => false,
        // Whitespace between elements: a fold without early exit, so the
        // scan is branch-free (and vectorises on long runs).
        Some((_, rest)) => rest.iter().fold(true, |all, &b| all & is_space(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything the pull API reports on `doc` (positions left out, since
    /// `<a/>` and `<a></a>` differ in length).
    fn walk(doc: &str, limits: Limits) -> Vec<String> {
        let mut log = Vec::new();
        let mut reader = XmlReader::with_limits(doc.as_bytes(), limits).expect("size");
        let root = match reader.root_borrowed() {
            Ok(root) => root.name().to_owned(),
            Err(err) => return vec![format!("{err:?}")],
        };
        log.push(root);
        let read = || -> Result<(), ReadError> {
            while let Some(child) = reader.next_child_borrowed()? {
                log.push(format!("<{}>", child.name()));
                match child.name() {
                    "t" => log.push(format!("{:?}", reader.read_text_borrowed()?)),
                    "s" => reader.skip()?,
                    "m" => {
                        while let Some(inner) = reader.next_child_skipping_text()? {
                            log.push(format!("m/{}", inner.name()));
                            reader.skip()?;
                        }
                    }
                    "w" => log.push(format!("{:?}", reader.read_tree(child.to_owned_tag())?)),
                    _ => log.push(format!("{:?}", reader.read_text_or_tree(&child)?)),
                }
            }
            reader.finish()
        };
        if let Err(err) = read() {
            let message = format!("{err:?}");
            // Positions differ between the two spellings; the kind must not.
            log.push(
                message
                    .split(" position")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
        log
    }

    #[test]
    fn empty_element_tags_read_as_start_and_end_tags() {
        let docs = [
            "<r/>",
            "<r><t/><s/><m/><w/><o/></r>",
            "<r><t a='1'/><s><x/><y/></s><m>x<a/><b/></m><w><v/></w><o>k<p/></o></r>",
            "<r><o><q><z/></q></o></r>",
            "<r><t><b/></t></r>",
            "<r><s><x/></s><t>ok</t><o/></r>",
        ];
        for doc in docs {
            // Expand every `<name .../>` into `<name ...></name>`.
            let mut long = String::new();
            let mut rest = doc;
            while let Some(end) = rest.find("/>") {
                let open = rest[..end].rfind('<').expect("a tag");
                let name: String = rest[open + 1..end]
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                long.push_str(&rest[..end]);
                long.push_str(&format!("></{name}>"));
                rest = &rest[end + 2..];
            }
            long.push_str(rest);
            assert!(!long.contains("/>"), "{long}");
            for limits in [
                Limits::default(),
                Limits::new(1024, 3),
                Limits::new(1024, 64).with_max_elements(4),
            ] {
                assert_eq!(walk(doc, limits), walk(&long, limits), "{doc} vs {long}");
            }
        }
    }

    #[test]
    fn the_position_after_an_empty_element_is_just_past_it() {
        let doc = b"<r><a x='1'/><b/></r>";
        let mut reader = XmlReader::new(doc).expect("size");
        reader.root_borrowed().expect("root");
        let a = reader.next_child_borrowed().expect("ok").expect("a");
        assert_eq!(a.position(), 3);
        assert_eq!(reader.read_text().expect("text"), "");
        assert_eq!(reader.position(), 13);
        reader.next_child_borrowed().expect("ok").expect("b");
        reader.skip().expect("skip");
        assert_eq!(reader.position(), 17);
        assert!(reader.next_child_borrowed().expect("ok").is_none());
        reader.finish().expect("finish");
    }

    #[test]
    fn open_elements_keep_names_in_order_through_pushes_and_pops() {
        let input = "<root><responses><é><data>".as_bytes();
        let text = std::str::from_utf8(input).expect("utf-8");
        let name = |n: &str| &input[text.find(n).expect("in the input")..][..n.len()];
        let mut open = OpenElements::new(input);
        assert_eq!(open.last(), None);
        open.push(name("root"));
        open.push(name("responses"));
        open.push(name("é"));
        assert_eq!(open.len(), 3);
        assert_eq!(open.get(0), Some("root"));
        assert_eq!(open.get(1), Some("responses"));
        assert_eq!(open.last(), Some("é"));
        assert_eq!(format!("{open:?}"), r#"["root", "responses", "é"]"#);
        open.pop();
        open.push(name("data"));
        assert_eq!(open.get(2), Some("data"));
        open.pop();
        open.pop();
        assert_eq!(open.last(), Some("root"));
        open.pop();
        open.pop();
        assert_eq!((open.len(), open.last(), open.get(0)), (0, None, None));
    }

    #[test]
    fn text_with_references_reads_the_same_through_every_method() {
        let cases = [
            ("<t>&amp;</t>", "&"),
            ("<t>a &amp; b</t>", "a & b"),
            ("<t>&lt;&#233;&gt;x&#x1F600;</t>", "<é>x\u{1F600}"),
            (
                "<t>fish &amp; <![CDATA[chips & <peas>]]> &#233;</t>",
                "fish & chips & <peas> é",
            ),
            ("<t>tail&amp;</t>", "tail&"),
        ];
        for (doc, expected) in cases {
            let wrapped = format!("<r>{doc}</r>");
            let mut reader = XmlReader::new(wrapped.as_bytes()).expect("size");
            reader.root_borrowed().expect("root");
            reader.next_child_borrowed().expect("ok").expect("t");
            assert_eq!(
                reader.read_text_borrowed().expect("text"),
                expected,
                "{doc}"
            );
            let mut reader = XmlReader::new(wrapped.as_bytes()).expect("size");
            reader.root_borrowed().expect("root");
            reader.next_child_borrowed().expect("ok").expect("t");
            assert_eq!(
                reader.read_text_or_child().expect("text"),
                TextOrChild::Text(expected.into()),
                "{doc}"
            );
            let mut reader = XmlReader::new(wrapped.as_bytes()).expect("size");
            reader.root_borrowed().expect("root");
            let t = reader.next_child_borrowed().expect("ok").expect("t");
            assert_eq!(
                reader.read_text_or_tree(&t).expect("text"),
                TextOrTree::Text(expected.into()),
                "{doc}"
            );
        }
    }

    /// Reads the root, then each child's tag (name, every attribute, the
    /// values of `x` and `y`) and skips it: with the quick scans (`quick`)
    /// or event by event with the full checks only. Logs every result,
    /// position and element count.
    fn skip_walk(doc: &[u8], limits: Limits, quick: bool) -> Vec<String> {
        if quick {
            skip_walk_with(doc, limits, true, None)
        } else {
            scan::tests::with_full_checks_only(|| skip_walk_with(doc, limits, false, None))
        }
    }

    fn skip_walk_with(
        doc: &[u8],
        limits: Limits,
        quick: bool,
        known: Option<&KnownElement>,
    ) -> Vec<String> {
        let mut log = Vec::new();
        let mut reader = match XmlReader::with_limits(doc, limits) {
            Ok(reader) => reader,
            Err(err) => return vec![format!("{err:?}")],
        };
        if let Some(known) = known {
            reader.recognise(known);
        }
        let mut read = || -> Result<(), ReadError> {
            if quick {
                let root = reader.root_borrowed()?;
                log.push(format!("{:?}", root.to_owned_tag()));
            } else {
                log.push(format!("{:?}", reader.root()?));
            }
            loop {
                let child = if quick {
                    reader.next_child_borrowed()?.map(|tag| {
                        let value = |name| tag.attribute(name).map(Cow::into_owned);
                        (tag.to_owned_tag(), value("x"), value("y"))
                    })
                } else {
                    reader.next_child()?.map(|tag| {
                        let value = |name| tag.attribute(name).map(str::to_owned);
                        let (x, y) = (value("x"), value("y"));
                        (tag, x, y)
                    })
                };
                let Some(child) = child else {
                    return Ok(());
                };
                log.push(format!("{child:?}"));
                if quick {
                    reader.skip()?;
                } else {
                    reader.skip_events()?;
                }
                log.push(format!("at {} with {}", reader.position(), reader.elements));
            }
        };
        let result = read();
        log.push(format!("{result:?}"));
        if result.is_ok() {
            log.push(format!("{:?}", reader.finish()));
        }
        log
    }

    const SKIP_LIMITS: [Limits; 3] = [
        Limits::new(4096, 64),
        Limits::new(4096, 3),
        Limits::new(4096, 64).with_max_elements(5),
    ];

    #[test]
    fn skipping_with_the_quick_scan_agrees_with_reading_every_event() {
        let contents = [
            "",
            "\n  <a x='1' y=\"2\">text &amp; &#233; é</a>\n  <b/><c><d y='&lt;'/></c >\n",
            "<a x='1'><b><c><d/></c></b></a>",
            "<a/><a/><a/><a/><a/><a/>",
            "<a x='1' x='2'/>",
            "<a x='<'/>",
            "<a x='&bogus;'/>",
            "<a x='&#1;'/>",
            "<a x='\u{FFFF}'/>",
            "<a x='\u{1}'/>",
            "<a x='1'y='2'/>",
            "<a x = '1'/>",
            "<a x=1/>",
            "<a x='1/>",
            "<a></b>",
            "<a>",
            "</a>",
            "<!-- c --><a/>",
            "<![CDATA[x]]>",
            "<?pi?>",
            "<!DOCTYPE a>",
            "&bogus;",
            "&#0;",
            "&#xD800;",
            "& amp;",
            "&amp",
            "\u{1}",
            "\u{FFFE}",
            "\r\n",
            "< a/>",
            "<a></ a>",
            "text > more ]]> end",
            "<a x='\t\r\n&amp;&#x20;'/>",
            "<é ü='ö'>ß</é>",
            "  \n <a/>  \t <b x='1'>  </b>  ",
            " &amp; <a/>",
            "  text <a/>",
            "  <!-- c -->  <a/>",
            "  <?pi?>",
            " \u{FEFF}<a/>",
        ];
        for content in contents {
            for doc in [
                format!("<r><s x='1'>{content}</s><t y='2'/><s>{content}</s></r>"),
                format!("\n<r>\n <s x='1'>{content}</s>\n <t y='2'/> {content} <s/>\n</r>\n"),
            ] {
                for limits in SKIP_LIMITS {
                    assert_eq!(
                        skip_walk(doc.as_bytes(), limits, true),
                        skip_walk(doc.as_bytes(), limits, false),
                        "{doc:?} {limits:?}"
                    );
                }
            }
        }
        // Bytes that are not UTF-8, inside the skipped element.
        for bad in [
            &b"\xC3("[..],
            b"<a x='\xFF'/>",
            b"<a\xC3/>",
            b"\xEF\xBF\xBF",
        ] {
            let mut doc = b"<r><s>".to_vec();
            doc.extend_from_slice(bad);
            doc.extend_from_slice(b"</s></r>");
            assert_eq!(
                skip_walk(&doc, Limits::default(), true),
                skip_walk(&doc, Limits::default(), false),
                "{doc:?}"
            );
        }
    }

    #[test]
    fn the_prolog_and_the_end_read_the_same_with_and_without_the_scans() {
        let prologs = [
            "",
            "\n \t\r\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<?xml version='1.0'?>  ",
            "<?xml\tversion='1.0'\n?>",
            "<?xml?>",
            "<?xml ?>",
            "<?xml-stylesheet href='a'?>",
            "<?xmlversion='1.0'?>",
            "<?xml version='1.0' x='?'?>",
            "<?xml version='1.0' x='?>'?>",
            "<?xml version='é'?>",
            "<?xml version='\u{1}'?>",
            "<?xml version='1.0'>",
            "<?xml version='1.0'",
            "<?pi?>",
            "<!--c-->",
            "<!DOCTYPE r>",
            "\u{FEFF}",
            "\u{FEFF}<?xml version='1.0'?>",
            "<?xml version='1.0'?>\u{FEFF}",
            "text",
            " &amp; ",
            "<?xml version='1.0'?><?xml version='1.0'?>",
        ];
        let roots = [
            "<r><s x='1'>t</s></r>",
            "<r x='1' y=\"2\"><s/></r>",
            "<r/>",
            "<r >\u{FEFF}<s/></r>",
            "<r>\u{FEFF}</r>",
            "<r x='1' x='2'></r>",
            "<r x='<'></r>",
            "<r></q>",
            "<r>",
        ];
        let ends = [
            "",
            "\n",
            " \t\r\n ",
            "<!--c-->",
            "\n<?pi?>\n",
            "x",
            "<r/>",
            "\u{FEFF}",
            "&amp;",
        ];
        let limits = [
            Limits::default(),
            Limits::new(4096, 0),
            Limits::new(4096, 1),
            Limits::default().with_max_elements(1),
            Limits::new(20, 64),
        ];
        for prolog in prologs {
            for root in roots {
                for end in ends {
                    let doc = format!("{prolog}{root}{end}");
                    for limits in limits {
                        assert_eq!(
                            skip_walk(doc.as_bytes(), limits, true),
                            skip_walk(doc.as_bytes(), limits, false),
                            "{doc:?} {limits:?}"
                        );
                    }
                }
            }
        }
        // Bytes that are not UTF-8 in the declaration.
        let doc = b"<?xml version='\xFF'?><r/>";
        assert_eq!(
            skip_walk(doc, Limits::default(), true),
            skip_walk(doc, Limits::default(), false)
        );
    }

    #[test]
    fn repeated_content_is_skipped_as_the_scan_skips_it_under_any_caps() {
        // The same content skipped again, at the same depth and deeper, with
        // other content between and after other elements counted, under
        // every depth and element cap small enough to cut into it.
        let contents = [
            "\n  <a x='1'>t</a>\n  <b><c/></b>\n",
            "<a><b><c/></b></a>",
            "text &amp; more",
            "<a/><a/><a/>",
            "<a x='1' x='2'/>",
            "<!--c--><a/>",
        ];
        // With children long enough to be remembered (one with children
        // of its own, so that what it needs of the caps counts), and not.
        let long = format!("<p>{}</p>", "text ".repeat(13));
        let nested = format!("<q x='1'><b><c/></b><d>{}</d></q>", "more ".repeat(8));
        assert!(long.len() >= scan::REMEMBERED_BYTES && nested.len() >= scan::REMEMBERED_BYTES);
        let padded = contents.map(|content| format!("\n  {long}{content}\n  {nested}\n"));
        for content in contents
            .iter()
            .copied()
            .chain(padded.iter().map(String::as_str))
            .chain([long.as_str(), nested.as_str()])
        {
            for doc in [
                format!("<r><s>{content}</s><s>{content}</s><s>{content}</s></r>"),
                format!("<r><s>{content}</s><u><s>{content}</s></u><s>{content}</s></r>"),
                format!("<r><u><u><s>{content}</s></u><s>{content}</s></u><s>{content}</s></r>"),
                format!("<r><s>{content}</s><s>{content}<x/></s><s>{content}</s></r>"),
                format!("<r><s>{content}</s><s>{content}</s >x<s>{content}</s></r>"),
            ] {
                for depth in 1..7 {
                    for elements in 1..40 {
                        let limits = Limits::new(4096, depth).with_max_elements(elements);
                        assert_eq!(
                            skip_walk(doc.as_bytes(), limits, true),
                            skip_walk(doc.as_bytes(), limits, false),
                            "{doc:?} {limits:?}"
                        );
                        // Learned from the whole document (no caps), recognised
                        // in it again under these caps.
                        let known = learned(doc.as_bytes());
                        assert_eq!(
                            skip_walk_with(doc.as_bytes(), limits, true, known.as_ref()),
                            skip_walk(doc.as_bytes(), limits, false),
                            "{doc:?} {limits:?} {known:?}"
                        );
                        assert_eq!(
                            nested_skip_walk(doc.as_bytes(), limits, true),
                            scan::tests::with_full_checks_only(|| {
                                nested_skip_walk(doc.as_bytes(), limits, false)
                            }),
                            "{doc:?} {limits:?}"
                        );
                    }
                }
            }
        }
    }

    /// What a reader that skips every child of the root learns.
    fn learned(doc: &[u8]) -> Option<KnownElement> {
        let mut reader = XmlReader::new(doc).ok()?;
        reader.root_borrowed().ok()?;
        while reader.next_child_borrowed().ok()?.is_some() {
            reader.skip().ok()?;
        }
        reader.learned_element()
    }

    #[test]
    fn a_known_element_is_learned_once_recognised_and_never_shown() {
        let long = format!("<p x='1'>{}</p>", "text ".repeat(13));
        let doc = format!("<r><s>\n  {long}\n</s><s>{long}</s></r>");
        let known = learned(doc.as_bytes()).expect("a long element");
        assert_eq!(known.len(), long.len());
        assert!(!known.is_empty());
        assert_eq!(
            format!("{known:?}"),
            format!("KnownElement {{ len: {}, .. }}", long.len())
        );
        // Recognised in another document: nothing new is learned there.
        let other = format!("<r><s>{long}</s><s>{long}</s></r>");
        let mut reader = XmlReader::new(other.as_bytes()).expect("size");
        reader.recognise(&known);
        reader.root_borrowed().expect("root");
        while reader.next_child_borrowed().expect("child").is_some() {
            reader.skip().expect("skip");
        }
        assert!(reader.learned_element().is_none());
        // A document without it: its own long element is learned.
        let q = format!("<q>{}</q>", "more ".repeat(14));
        let own = format!("<r><s>{q}</s></r>");
        let mut reader = XmlReader::new(own.as_bytes()).expect("size");
        reader.recognise(&known);
        reader.root_borrowed().expect("root");
        while reader.next_child_borrowed().expect("child").is_some() {
            reader.skip().expect("skip");
        }
        assert_eq!(reader.learned_element().map(|k| k.len()), Some(q.len()));
    }

    #[test]
    fn an_element_longer_than_the_cap_is_never_copied_out() {
        let element = |len: usize| format!("<p>{}</p>", "x".repeat(len - 7));
        let at_cap = element(KnownElement::MAX_BYTES);
        assert_eq!(at_cap.len(), KnownElement::MAX_BYTES);
        let doc = format!("<r><s>{at_cap}</s></r>");
        assert_eq!(learned(doc.as_bytes()).map(|k| k.len()), Some(at_cap.len()));
        let over = element(KnownElement::MAX_BYTES + 1);
        let doc = format!("<r><s>{over}</s></r>");
        assert!(learned(doc.as_bytes()).is_none());
    }

    /// Reads the root and walks into every `<u>` (at any depth), skipping
    /// every other element: the same content skipped at several depths.
    /// Logs every tag, result, position and element count.
    fn nested_skip_walk(doc: &[u8], limits: Limits, quick: bool) -> Vec<String> {
        fn walk(
            reader: &mut XmlReader<'_>,
            log: &mut Vec<String>,
            quick: bool,
        ) -> Result<(), ReadError> {
            while let Some(child) = reader.next_child_borrowed()? {
                log.push(format!("{:?}", child.to_owned_tag()));
                if child.name() == "u" {
                    walk(reader, log, quick)?;
                } else if quick {
                    reader.skip()?;
                } else {
                    reader.skip_events()?;
                }
                log.push(format!("at {} with {}", reader.position(), reader.elements));
            }
            Ok(())
        }
        let mut log = Vec::new();
        let mut reader = match XmlReader::with_limits(doc, limits) {
            Ok(reader) => reader,
            Err(err) => return vec![format!("{err:?}")],
        };
        let result = reader
            .root_borrowed()
            .and_then(|_| walk(&mut reader, &mut log, quick));
        log.push(format!("{result:?}"));
        log
    }

    /// Reads each child of the root as text: `<a>` with `read_text_borrowed`,
    /// others with `read_text_or_child` (a child found is skipped with the
    /// rest of its parent). Logs every result and position.
    fn text_walk(doc: &[u8], quick: bool) -> Vec<String> {
        let walk = || {
            let mut log = Vec::new();
            let mut reader = match XmlReader::new(doc) {
                Ok(reader) => reader,
                Err(err) => return vec![format!("{err:?}")],
            };
            let mut read = || -> Result<(), ReadError> {
                reader.root_borrowed()?;
                while let Some(child) = reader.next_child_borrowed()? {
                    if child.name() == "a" {
                        log.push(format!("{:?}", reader.read_text_borrowed()?));
                    } else {
                        log.push(format!("{:?}", reader.read_text_or_child()?));
                        if reader.open.len() > 2 {
                            reader.skip()?;
                            while reader.next_child_skipping_text()?.is_some() {
                                reader.skip()?;
                            }
                        }
                    }
                    log.push(format!("at {}", reader.position()));
                }
                Ok(())
            };
            let result = read();
            log.push(format!("{result:?}"));
            log
        };
        if quick {
            walk()
        } else {
            scan::tests::with_full_checks_only(walk)
        }
    }

    #[test]
    fn reading_plain_text_without_its_event_agrees_with_reading_every_event() {
        for text in [
            "",
            "demo",
            "é ok",
            "a &amp; b",
            "a\rb",
            "a\tb",
            "\u{1}",
            "\u{FFFF}",
            "x<c/>y",
            "x<![CDATA[y]]>",
            "x<!--c-->y",
            "<c>1</c>",
            "x</b>",
            "x</a >",
        ] {
            let doc = format!("<r><a>{text}</a><b>{text}</b>\n<a>{text}</a></r>");
            assert_eq!(
                text_walk(doc.as_bytes(), true),
                text_walk(doc.as_bytes(), false),
                "{doc:?}"
            );
        }
        let doc = b"<r><a>\xC3(</a></r>";
        assert_eq!(text_walk(doc, true), text_walk(doc, false));
    }

    #[test]
    fn reading_on_after_an_error_is_the_same_with_and_without_the_scans() {
        let run = |doc: &[u8]| {
            let mut reader = XmlReader::new(doc).expect("size");
            let mut log = vec![format!("{:?}", reader.root_borrowed())];
            for step in 0..8 {
                log.push(match step % 4 {
                    0 => format!("{:?}", reader.next_child_borrowed()),
                    1 => format!("{:?}", reader.skip()),
                    2 => format!("{:?}", reader.read_text_borrowed()),
                    _ => format!("{:?}", reader.read_text_or_child()),
                });
                log.push(format!("at {}", reader.position()));
            }
            log
        };
        for doc in [
            "<r>x&amp;<a>t</a> <b/></r>",
            "<r>x<a>t</a> <b/></r>",
            "<r>  x &amp; y </r>",
            "<r><a>\u{1}</a>  <b>t</b>  <c>1</c></r>",
            "<r><a x='<'>t</a>  <b>t</b>  <c>1</c></r>",
            "<r><a></b>  <b>t</b></r>",
        ] {
            assert_eq!(
                run(doc.as_bytes()),
                scan::tests::with_full_checks_only(|| run(doc.as_bytes())),
                "{doc:?}"
            );
        }
    }

    fn skip_piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "<a>",
            "</a>",
            "</a >",
            "<b x='1'>",
            "<b x=\"v\" y='w'>",
            "<b y='&amp;&#9;\t' x='&#233;'>",
            "</b>",
            "<c/>",
            "<c x='1' />",
            "<c x='1' x='2'/>",
            "<c k='<'/>",
            "<c x='1'y='2'/>",
            "<c x='&#xFFFE;'/>",
            "&amp;",
            "&#233;",
            "&#xD800;",
            "&foo;",
            "<![CDATA[x]]>",
            "<!DOCTYPE a>",
            "<?pi?>",
            "<!--c-->",
            "text",
            "\n  ",
            "\r",
            "\u{1}",
            "<",
            "&",
            "'",
            ">",
            "é",
            "\u{FFFF}",
            // Elements long enough for the scan to remember (and meet again).
            "<p x='1'>a plain text long enough for the quick scan to remember</p>",
            "<q><p>nested, and long enough to be remembered by the scan</p><c/></q>",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(1024))]

        #[test]
        fn quick_and_event_skipping_agree_on_any_content(
            parts in proptest::collection::vec(skip_piece(), 0..24),
            limits in 0..SKIP_LIMITS.len(),
        ) {
            let content = parts.concat();
            let doc = format!("<r>\n <s>{content}</s> <t x='1'>{content}</t>{content}</r>");
            let limits = SKIP_LIMITS[limits];
            proptest::prop_assert_eq!(
                skip_walk(doc.as_bytes(), limits, true),
                skip_walk(doc.as_bytes(), limits, false)
            );
        }

        #[test]
        fn quick_and_event_text_reading_agree_on_any_content(
            parts in proptest::collection::vec(skip_piece(), 0..12),
        ) {
            let content = parts.concat();
            let doc = format!("<r><a>{content}</a><b>{content}</b></r>");
            proptest::prop_assert_eq!(
                text_walk(doc.as_bytes(), true),
                text_walk(doc.as_bytes(), false)
            );
        }
    }

    #[test]
    fn errors_name_the_open_elements_from_the_input() {
        let cases: [(&str, &str); 5] = [
            ("<r><a>text<b/></a></r>", "parent: \"a\""),
            ("<r>text</r>", "parent: \"r\""),
            ("<r><é x='1'><ü>", "open: \"ü\""),
            ("<r><a\n/>", "open: \"r\""),
            ("<r><c>x", "open: \"c\""),
        ];
        for (doc, expected) in cases {
            let mut reader = XmlReader::new(doc.as_bytes()).expect("size");
            reader.root_borrowed().expect("root");
            let err = (|| -> Result<(), ReadError> {
                while let Some(child) = reader.next_child_borrowed()? {
                    match child.name() {
                        "a" => {
                            reader.read_text_borrowed()?;
                        }
                        _ => {
                            reader.read_text_or_child()?;
                        }
                    }
                }
                reader.finish()
            })()
            .expect_err(doc);
            assert!(format!("{err:?}").contains(expected), "{doc}: {err:?}");
        }
    }
}
