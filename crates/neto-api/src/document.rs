//! One tree for what a Neto document says, whichever wire format carries it.
//!
//! Requests and answers are written from the same [`Node`] in both formats,
//! and requests are read into it (server side), so every action is described
//! once and both formats agree by construction. Answers are read without a
//! tree, straight into the typed structs ([`crate::read`]), with the same
//! tolerance. Reading is tolerant the way the service
//! needs: a field that can repeat may be a list, a single value or `""` (none)
//! ([`Node::all`]), numbers may be JSON numbers or text ([`Node::text`]), and
//! the order of fields and unknown fields do not matter.
//!
//! ```
//! use neto_api::document::Node;
//!
//! let one = Node::from_json(br#"{"CustomerLog": {"LogID": 7}}"#)?;
//! let many = Node::from_json(br#"{"CustomerLog": [{"LogID": "7"}, {"LogID": "8"}]}"#)?;
//! let none = Node::from_json(br#"{"CustomerLog": ""}"#)?;
//! assert_eq!(one.all("CustomerLog")[0].text("LogID"), Some("7"));
//! assert_eq!(many.all("CustomerLog").len(), 2);
//! assert!(none.all("CustomerLog").is_empty());
//!
//! let (root, xml) = Node::from_xml(b"<AddCustomerLog><CustomerLog><LogID>7</LogID></CustomerLog></AddCustomerLog>")?;
//! assert_eq!(root, "AddCustomerLog");
//! assert_eq!(xml.all("CustomerLog")[0].text("LogID"), Some("7"));
//! # Ok::<(), neto_api::document::DocumentError>(())
//! ```

use std::fmt::Write as _;

use strict_xml::{Limits, XmlElement, XmlReader, XmlWriter};

/// The largest document read (either format): 4 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// A Neto document tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A value (numbers and booleans read from JSON become their text).
    Text(String),
    /// Named fields in order; a name may repeat (XML's repeated elements).
    Map(Vec<(String, Node)>),
    /// A list: a JSON array, or in XML the field's element repeated.
    List(Vec<Node>),
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// Not well-formed XML, or XML that strict reading refuses.
    #[error("not a readable XML document: {0}")]
    Xml(#[from] strict_xml::ReadError),
    /// Not JSON, or JSON whose top level is not an object.
    #[error("not a readable JSON document: {0}")]
    Json(String),
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    #[error("the document is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

impl Default for Node {
    fn default() -> Self {
        Self::Map(Vec::new())
    }
}

impl Node {
    /// An empty map.
    #[must_use]
    pub fn map() -> Self {
        Self::Map(Vec::new())
    }

    /// A text value.
    #[must_use]
    pub fn text_value(value: impl Into<String>) -> Self {
        Self::Text(value.into())
    }

    /// Adds `key: value` to a map (nothing for other nodes).
    pub fn push(&mut self, key: impl Into<String>, value: Node) {
        if let Self::Map(entries) = self {
            entries.push((key.into(), value));
        }
    }

    /// Adds `key: value` when `value` is `Some`.
    pub fn push_text(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.push(key, Self::Text(value.to_owned()));
        }
    }

    /// This map with `key: value` added.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: Node) -> Self {
        self.push(key, value);
        self
    }

    /// The text of a text node.
    #[must_use]
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The entries of a map (none for other nodes).
    #[must_use]
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Self::Map(entries) => entries,
            _ => &[],
        }
    }

    /// Every value of `key`, one-or-many tolerant: a list gives its items, a
    /// single value itself, a repeated key each value, and `""` (or an empty
    /// element) nothing.
    #[must_use]
    pub fn all(&self, key: &str) -> Vec<&Node> {
        self.values_of(key).collect()
    }

    /// The first value of `key`, as [`all`](Self::all) finds them.
    #[must_use]
    pub fn first(&self, key: &str) -> Option<&Node> {
        self.values_of(key).next()
    }

    /// The text of the first value of `key` that is text (empty text counts
    /// as absent).
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        self.values_of(key).find_map(Self::as_text)
    }

    /// The values [`Node::all`] gives, in the same order, without collecting
    /// them (no allocation for the lookups of a single field).
    fn values_of<'n>(&'n self, key: &str) -> impl Iterator<Item = &'n Node> {
        self.entries()
            .iter()
            .filter(move |(name, _)| name == key)
            .flat_map(|(_, value)| match value {
                Self::List(items) => items.as_slice(),
                value => std::slice::from_ref(value),
            })
            .filter(|value| !value.is_none())
    }

    /// Whether the node says "none": empty text, `null`, or an empty list.
    #[must_use]
    pub fn is_none(&self) -> bool {
        match self {
            Self::Text(text) => text.is_empty(),
            Self::List(items) => items.is_empty(),
            Self::Map(_) => false,
        }
    }

    /// Reads a JSON document whose top level is an object.
    ///
    /// # Errors
    /// Not JSON, not an object at the top, or too large.
    pub fn from_json(bytes: &[u8]) -> Result<Self, DocumentError> {
        check_size(bytes)?;
        // Straight into the tree: no intermediate `serde_json::Value`.
        let JsonNode(node) = serde_json::from_slice(bytes)
            .map_err(|error| DocumentError::Json(error.to_string()))?;
        match node {
            Node::Map(_) => Ok(node),
            _ => Err(DocumentError::Json(
                "the top level is not an object".to_owned(),
            )),
        }
    }

    /// Reads an XML document: its root element's name and content.
    ///
    /// # Errors
    /// Anything the strict reader refuses, or too large.
    pub fn from_xml(bytes: &[u8]) -> Result<(String, Self), DocumentError> {
        check_size(bytes)?;
        let mut reader = XmlReader::with_limits(bytes, Limits::new(MAX_DOCUMENT_BYTES, 64))?;
        let root = reader.root()?;
        let tree = reader.read_tree(root)?;
        reader.finish()?;
        let name = tree.name.clone();
        Ok((name, from_element(tree)))
    }

    /// Writes the node as compact JSON (a map as an object, a list as an array).
    #[must_use]
    pub fn to_json(&self) -> Vec<u8> {
        // Room for a small document (most requests and answers) at once.
        let mut out = String::with_capacity(512);
        write_json(&mut out, self);
        out.into_bytes()
    }

    /// Writes the node as an XML document under `root`, with the declaration.
    ///
    /// # Errors
    /// A character XML 1.0 forbids, or a name that is not an XML name.
    pub fn to_xml(&self, root: &str) -> Result<Vec<u8>, strict_xml::WriteError> {
        let mut writer = XmlWriter::new();
        writer.declaration();
        write_xml(&mut writer, root, self)?;
        Ok(writer.finish())
    }
}

fn check_size(bytes: &[u8]) -> Result<(), DocumentError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge {
            size: bytes.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    Ok(())
}

/// A [`Node`] read from JSON: objects are maps (in document order), arrays
/// lists, strings text, numbers and booleans their text, `null` empty text.
struct JsonNode(Node);

impl<'de> serde::Deserialize<'de> for JsonNode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(JsonNode)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Text(if v { "True" } else { "False" }.to_owned()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Text(
            serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string()),
        ))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Text(String::new()))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Text(String::new()))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(JsonNode(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some((key, JsonNode(value))) = map.next_entry::<String, JsonNode>()? {
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// An element with children is a map; one with text is text; an empty one is
/// an empty map, which reads as no text and as one (empty) record: in XML,
/// `<CustomerLog/>` is a log, while JSON says "none" with `""`.
fn from_element(element: XmlElement) -> Node {
    if element.children.is_empty() && element.text.is_empty() {
        Node::Map(Vec::new())
    } else if element.children.is_empty() {
        Node::Text(element.text)
    } else {
        Node::Map(
            element
                .children
                .into_iter()
                .map(|child| (child.name.clone(), from_element(child)))
                .collect(),
        )
    }
}

/// Whether the eight bytes of `word` hold one that [`write_json_string`]
/// must look at: below 0x20, `"`, `\\` or 0xE2. A byte below `n` shows as a
/// high bit of `(w - n…n) & !w & 0x80…80`, a byte equal to `b` as one of the
/// same test for "below 1" on `w ^ b…b` (exact as a yes/no for n ≤ 128).
#[inline]
fn needs_escape_check(word: &[u8]) -> bool {
    const fn repeat(b: u8) -> u64 {
        u64::from_ne_bytes([b; 8])
    }
    let mut chunk = [0u8; 8];
    chunk.copy_from_slice(word);
    let w = u64::from_ne_bytes(chunk);
    let below = |x: u64, n: u8| x.wrapping_sub(repeat(n)) & !x;
    let found = below(w, 0x20)
        | below(w ^ repeat(b'"'), 1)
        | below(w ^ repeat(b'\\'), 1)
        | below(w ^ repeat(0xE2), 1);
    found & repeat(0x80) != 0
}

pub(crate) fn write_json_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    // Runs of characters that need no escape are copied in one piece; only
    // `"`, `\\`, control characters and the line and paragraph separators
    // (UTF-8 `E2 80 A8` / `E2 80 A9`) are written one by one.
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight plain bytes at a time while there are eight left.
        if let Some(word) = bytes.get(i..i + 8)
            && !needs_escape_check(word)
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        if b >= 0x20 && b != b'"' && b != b'\\' && b != 0xE2 {
            i += 1;
            continue;
        }
        // `i` is at a character boundary: the byte is ASCII or 0xE2, which
        // only ever leads a character (never continues one).
        let c = text[i..].chars().next().unwrap_or_default();
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if u32::from(c) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => "",
            c => {
                // Another character led by 0xE2: copied with its run.
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&text[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push_str(escape);
        }
        i += c.len_utf8();
        run = i;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

fn write_json(out: &mut String, node: &Node) {
    match node {
        Node::Text(text) => write_json_string(out, text),
        Node::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item);
            }
            out.push(']');
        }
        Node::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, key);
                out.push(':');
                write_json(out, value);
            }
            out.push('}');
        }
    }
}

fn write_xml(
    writer: &mut XmlWriter,
    name: &str,
    node: &Node,
) -> Result<(), strict_xml::WriteError> {
    match node {
        Node::Text(text) => writer.text_element(name, &[], name, text),
        Node::List(items) => items
            .iter()
            .try_for_each(|item| write_xml(writer, name, item)),
        Node::Map(entries) => writer.element(name, &[], |w| {
            entries
                .iter()
                .try_for_each(|(key, value)| write_xml(w, key, value))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character escaping `write_json_string` replaced.
    fn escaped_by_char(text: &str) -> String {
        let mut out = String::from('"');
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if u32::from(c) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    proptest::proptest! {
        #[test]
        fn json_escaping_agrees_with_the_character_loop(text in "(\\PC|[\"\\\\\u{0}-\u{1f}\u{2028}\u{2029}\u{2000}-\u{20ff}])*") {
            let mut out = String::new();
            write_json_string(&mut out, &text);
            proptest::prop_assert_eq!(out, escaped_by_char(&text));
        }
    }

    #[test]
    fn the_word_check_finds_every_byte_that_needs_a_look() {
        let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\' || b == 0xE2;
        for background in [b'a', b' ', b'!', b'#', b'[', b']', 0x7F, 0xE1, 0xE3, 0xFF] {
            let mut word = [background; 8];
            assert!(!needs_escape_check(&word));
            for at in 0..8 {
                for b in 0..=255u8 {
                    word[at] = b;
                    assert_eq!(needs_escape_check(&word), special(b), "{word:?}");
                }
                word[at] = background;
            }
        }
    }

    #[test]
    fn json_strings_are_escaped_as_character_by_character() {
        let samples = [
            "",
            "plain",
            "\"quoted\" \\ back",
            "tab\tlf\ncr\r\u{0}\u{1f}\u{7f}",
            "\u{2028}line\u{2029}para\u{2027}\u{202a}",
            "€ is E2 82 AC, … is E2 80 A6, ✓ is E2 9C 93",
            "日本語 é ü 😀",
            "\u{2028}",
            "end\\",
            "\"",
        ];
        for text in samples {
            let mut out = String::new();
            write_json_string(&mut out, text);
            assert_eq!(out, escaped_by_char(text), "{text:?}");
            let back: String = serde_json::from_str(&out).expect("valid JSON");
            assert_eq!(back, text);
        }
    }

    #[test]
    fn a_list_is_an_array_in_json_and_repeated_elements_in_xml() {
        let node = Node::map().with(
            "CustomerLog",
            Node::List(vec![
                Node::map().with("LogID", Node::text_value("1")),
                Node::map().with("LogID", Node::text_value("2")),
            ]),
        );
        assert_eq!(
            String::from_utf8(node.to_json()).unwrap(),
            r#"{"CustomerLog":[{"LogID":"1"},{"LogID":"2"}]}"#
        );
        let xml = String::from_utf8(node.to_xml("R").unwrap()).unwrap();
        assert!(xml.ends_with(
            "<R><CustomerLog><LogID>1</LogID></CustomerLog><CustomerLog><LogID>2</LogID></CustomerLog></R>"
        ), "{xml}");
        let (_, back) = Node::from_xml(xml.as_bytes()).unwrap();
        let json_back = Node::from_json(&node.to_json()).unwrap();
        for read in [&back, &json_back] {
            let ids: Vec<_> = read
                .all("CustomerLog")
                .iter()
                .map(|l| l.text("LogID"))
                .collect();
            assert_eq!(ids, [Some("1"), Some("2")]);
        }
    }

    #[test]
    fn json_strings_survive_control_characters_and_quotes() {
        let text = "a\"b\\c\u{1}\n\u{2028}é";
        let node = Node::map().with("v", Node::text_value(text));
        let read = Node::from_json(&node.to_json()).unwrap();
        assert_eq!(read.text("v"), Some(text));
    }

    #[test]
    fn numbers_booleans_and_null_read_as_text_or_none() {
        let read = Node::from_json(br#"{"a": 12, "b": true, "c": null, "d": []}"#).unwrap();
        assert_eq!(read.text("a"), Some("12"));
        assert_eq!(read.text("b"), Some("True"));
        assert!(read.all("c").is_empty() && read.all("d").is_empty());
    }

    #[test]
    fn a_top_level_that_is_not_an_object_is_refused() {
        assert!(matches!(
            Node::from_json(b"[1]"),
            Err(DocumentError::Json(_))
        ));
        assert!(matches!(
            Node::from_json(b"nope"),
            Err(DocumentError::Json(_))
        ));
        assert!(matches!(
            Node::from_xml(b"<!DOCTYPE x><x/>"),
            Err(DocumentError::Xml(_))
        ));
    }
}
