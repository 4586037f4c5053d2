//! Start tags as the reader hands them out: owned ([`StartTag`]) or borrowed
//! from the input ([`BorrowedStartTag`]), plus the one place where attribute
//! values are checked and resolved.

use std::borrow::Cow;

use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::BytesStart;
use quick_xml::events::attributes::{AttrError, Attribute};
use quick_xml::{Error as QuickXmlError, XmlVersion};

use crate::chars::first_forbidden_char;
use crate::error::ReadError;
use crate::reader::scan::{AttributeSpans, scan_attributes};

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

/// A start tag that borrows its name and attributes from the input: reading
/// it allocates nothing. Its attributes were checked when it was read (syntax,
/// duplicates, entities, characters), so looking one up cannot fail.
///
/// ```
/// use strict_xml::XmlReader;
///
/// let mut reader = XmlReader::new(b"<root><item id='7' note='a &amp; b'>x</item></root>")?;
/// reader.root_borrowed()?;
/// let item = reader.next_child_borrowed()?.expect("an item");
/// assert_eq!(item.name(), "item");
/// assert_eq!(item.attribute("id").as_deref(), Some("7"));
/// assert_eq!(item.attribute("note").as_deref(), Some("a & b"));
/// assert_eq!(item.attribute("missing"), None);
/// # Ok::<(), strict_xml::ReadError>(())
/// ```
#[derive(Clone)]
pub struct BorrowedStartTag<'a> {
    tag: BytesStart<'a>,
    position: u64,
    /// Where the attributes are in `tag`, when the check noted them all.
    spans: AttributeSpans,
}

// The noted places are a cache of what the tag says: shown and compared
// as before, by the tag and its position alone.
impl std::fmt::Debug for BorrowedStartTag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BorrowedStartTag")
            .field("tag", &self.tag)
            .field("position", &self.position)
            .finish()
    }
}

impl PartialEq for BorrowedStartTag<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.tag == other.tag && self.position == other.position
    }
}

impl Eq for BorrowedStartTag<'_> {}

impl<'a> BorrowedStartTag<'a> {
    /// Checks every attribute of `tag`; the tag is only handed out if they all pass.
    #[inline(always)]
    pub(crate) fn checked(tag: BytesStart<'a>, position: u64) -> Result<Self, ReadError> {
        // Most tags have no attribute section at all: nothing to walk, and
        // no call made for it.
        if tag.attributes_raw().is_empty() {
            return Ok(Self {
                tag,
                position,
                spans: AttributeSpans::none(),
            });
        }
        let spans = check_and_note_attributes(&tag, position)?;
        Ok(Self {
            tag,
            position,
            spans,
        })
    }

    /// A tag whose attributes the quick scan checked and noted as `spans`.
    #[inline(always)]
    pub(crate) fn noted(tag: BytesStart<'a>, position: u64, spans: AttributeSpans) -> Self {
        Self {
            tag,
            position,
            spans,
        }
    }

    /// The element name, as written (prefix included).
    #[must_use]
    #[inline]
    pub fn name(&self) -> &str {
        let name_len = self.tag.name().as_ref().len();
        &self.tag[..name_len]
    }

    /// The value of attribute `name`, resolved and normalised, if present.
    /// Borrowed from the input unless it holds references or line ends.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<Cow<'_, str>> {
        // Noted when the tag was checked: no second parse.
        if let Some(spans) = self.spans.all() {
            let raw: &str = &self.tag;
            return spans
                .iter()
                .find(|span| span.key(raw) == name)
                .map(|span| span.value(raw));
        }
        self.attributes()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// All attributes in document order, values resolved and normalised.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, Cow<'_, str>)> {
        let raw: &str = &self.tag;
        let (noted, parsed) = match self.spans.all() {
            Some(spans) => (
                Some(
                    spans
                        .iter()
                        .map(move |span| (span.key(raw), span.value(raw))),
                ),
                None,
            ),
            None => {
                let mut attributes = self.tag.attributes();
                // Already checked for duplicates when the tag was read.
                attributes.with_checks(false);
                // Every attribute passed `for_each_attribute` when the tag
                // was read, so neither the syntax nor the value can fail here.
                let parsed = attributes.filter_map(|attribute| {
                    let attribute = attribute.ok()?;
                    let value = resolved_value(&attribute).ok()?;
                    Some((attribute.key.into_inner(), value))
                });
                (None, Some(parsed))
            }
        };
        noted
            .into_iter()
            .flatten()
            .chain(parsed.into_iter().flatten())
    }

    /// Byte offset of the tag in the input.
    #[must_use]
    pub fn position(&self) -> u64 {
        self.position
    }

    /// An owned copy of the tag.
    #[must_use]
    pub fn to_owned_tag(&self) -> StartTag {
        let mut attributes = Vec::new();
        for (key, value) in self.attributes() {
            attributes.push((key.to_owned(), value.into_owned()));
        }
        StartTag {
            name: self.name().to_owned(),
            attributes,
            position: self.position,
        }
    }
}

/// Attribute sections up to this long are checked for duplicate names
/// against a small array on the stack (at most `SHORT_SECTION / 4` names, as
/// the shortest attribute is ` a=""`); longer ones by quick-xml's own
/// (allocating, hashing) check, so no tag costs quadratic time.
const SHORT_SECTION: usize = 256;

/// Checks every attribute of `tag`: by the quick scan, which also notes where
/// each attribute is, when the section has the plain shape it takes;
/// otherwise by [`for_each_attribute`], which words any error (and nothing
/// is noted).
#[inline(never)]
fn check_and_note_attributes(
    tag: &BytesStart<'_>,
    position: u64,
) -> Result<AttributeSpans, ReadError> {
    let raw: &str = tag;
    let name_len = raw.len() - tag.attributes_raw().len();
    let mut spans = AttributeSpans::none();
    if scan_attributes(raw.as_bytes(), name_len, Some(&mut spans)) == Some(raw.len()) {
        return Ok(spans);
    }
    for_each_attribute(tag, position, |_, _| {})?;
    Ok(AttributeSpans::unknown())
}

/// Walks the attributes of `tag`, enforcing every rule, and hands each
/// (key, resolved value) to `visit`.
fn for_each_attribute(
    tag: &BytesStart<'_>,
    position: u64,
    mut visit: impl FnMut(&str, Cow<'_, str>),
) -> Result<(), ReadError> {
    let section = tag.attributes_raw();
    // Most tags have no attribute section at all: no scan for those.
    if section.is_empty()
        || section
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .is_empty()
    {
        return Ok(());
    }
    let short = section.len() <= SHORT_SECTION;
    let mut attributes = tag.attributes();
    attributes.with_checks(!short);
    let mut seen = [""; SHORT_SECTION / 4];
    let mut seen_count = 0;
    for attribute in attributes {
        let attribute = attribute.map_err(|err| malformed(position, &err))?;
        let key = attribute.key.into_inner();
        if short {
            if let Some(previous) = seen[..seen_count].iter().find(|seen| **seen == key) {
                let raw: &str = tag;
                let offset =
                    |name: &str| (name.as_ptr() as usize).wrapping_sub(raw.as_ptr() as usize);
                let err = AttrError::Duplicated(offset(key), offset(previous));
                return Err(malformed(position, &err));
            }
            if let Some(slot) = seen.get_mut(seen_count) {
                *slot = key;
                seen_count += 1;
            }
        }
        let raw = attribute.value.as_bytes();
        if raw.contains(&b'<') {
            return Err(ReadError::Malformed {
                position,
                message: format!(
                    "the value of attribute `{key}` contains a literal `<`, which XML forbids \
                     (it must be written `&lt;`)"
                ),
            });
        }
        // Plain values (the common case) are used as they are: nothing to
        // resolve or normalise, and no byte that could start a forbidden
        // character. A fold without early exit, so the scan vectorises.
        let plain = !raw.iter().fold(false, |seen, &b| {
            seen | (b < 0x20) | (b == b'&') | (b == 0xEF)
        });
        let value = if plain {
            attribute.value.clone()
        } else {
            let value = attribute
                .normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_xml_entity)
                .map_err(|err| attribute_error(&err, &attribute.value, position))?;
            if let Some((_, c)) = first_forbidden_char(&value) {
                return Err(ReadError::ForbiddenCharacter {
                    code_point: u32::from(c),
                    position,
                });
            }
            value
        };
        visit(key, value);
    }
    Ok(())
}

fn malformed(position: u64, err: &impl std::fmt::Display) -> ReadError {
    ReadError::Malformed {
        position,
        message: err.to_string(),
    }
}

/// The value with references resolved and TAB, LF and CR normalised to
/// spaces; the raw value itself (no work) when it has no `&` and no control
/// character.
#[inline]
fn resolved_value<'v>(attribute: &Attribute<'v>) -> Result<Cow<'v, str>, QuickXmlError> {
    // A fold without early exit, so the scan vectorises.
    let plain = !attribute
        .value
        .as_bytes()
        .iter()
        .fold(false, |seen, &b| seen | (b == b'&') | (b < 0x20));
    if plain {
        return Ok(attribute.value.clone());
    }
    attribute.normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_xml_entity)
}

fn attribute_error(err: &QuickXmlError, raw: &str, position: u64) -> ReadError {
    use quick_xml::escape::EscapeError;
    match err {
        QuickXmlError::Escape(EscapeError::UnrecognizedEntity(_, name)) => {
            ReadError::UnknownEntity {
                name: name.clone(),
                position,
            }
        }
        QuickXmlError::Escape(EscapeError::InvalidCharRef(_)) => {
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
            quick_xml::events::BytesRef::new(*reference)
                .resolve_char_ref()
                .map_or(true, |c| c.is_none())
                && reference.starts_with('#')
        })
        .unwrap_or_default()
        .to_owned()
}

/// Checks `tag` and copies it into an owned [`StartTag`] in one walk.
pub(crate) fn owned_start_tag(tag: &BytesStart<'_>, position: u64) -> Result<StartTag, ReadError> {
    let mut attributes = Vec::new();
    for_each_attribute(tag, position, |key, value| {
        attributes.push((key.to_owned(), value.into_owned()));
    })?;
    Ok(StartTag {
        name: tag.name().as_ref().to_owned(),
        attributes,
        position,
    })
}
