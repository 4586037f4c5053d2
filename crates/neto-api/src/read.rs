//! Typed reading: answers decoded straight into the action's structs, from
//! JSON (through serde, no intermediate tree), from XML (streamed from the
//! strict reader's events, no tree) or from a [`Node`].
//!
//! A record type says once, in [`Record::field`], what it does with each of
//! its fields; each source implements [`Value`] with the tolerance the
//! service needs, the same for every source:
//!
//! - [`Value::text`]: a string, number (its text) or boolean (`True` /
//!   `False`); from a list, its first such item; `""`, `null`, an empty
//!   element, a record or anything else is no text.
//! - [`Value::records`]: one-or-many: a list gives its items, a single value
//!   itself, `""`/`null`/`[]` nothing; an object (an element with children,
//!   or an empty element in XML) is read field by field, a text as
//!   [`Record::from_text`].
//! - unknown fields are skipped (in XML still checked by the strict reader:
//!   entities, characters, depth, element count), in any order, and a field
//!   that repeats is offered each time.
//!
//! ```
//! use std::borrow::Cow;
//! use neto_api::read::{self, Record, Value};
//!
//! #[derive(Default)]
//! struct Log {
//!     id: Option<String>,
//! }
//!
//! impl Record for Log {
//!     fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
//!         match key {
//!             "LogID" => read::first(&mut self.id, value, Cow::into_owned),
//!             _ => value.skip(),
//!         }
//!     }
//! }
//!
//! #[derive(Default)]
//! struct Logs(Vec<Log>);
//!
//! impl Record for Logs {
//!     fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
//!         match key {
//!             "CustomerLog" => value.records(&mut self.0),
//!             _ => value.skip(),
//!         }
//!     }
//! }
//!
//! let ids = |logs: Logs| logs.0.into_iter().map(|l| l.id).collect::<Vec<_>>();
//! let json: Logs = read::from_json(br#"{"CustomerLog": [{"LogID": 7}, {"LogID": "8"}], "x": 1}"#)?;
//! assert_eq!(ids(json), [Some("7".to_owned()), Some("8".to_owned())]);
//! let (root, xml): (_, Logs) = read::from_xml(b"<R><CustomerLog><LogID>7</LogID></CustomerLog></R>")?;
//! assert_eq!((root.as_str(), ids(xml)), ("R", vec![Some("7".to_owned())]));
//! let none: Logs = read::from_json(br#"{"CustomerLog": ""}"#)?;
//! assert!(none.0.is_empty());
//! # Ok::<(), neto_api::document::DocumentError>(())
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use strict_xml::{BorrowedStartTag, Limits, ReadError, TextOrChild, XmlReader};

use crate::document::{DocumentError, MAX_DOCUMENT_BYTES, Node};

/// The greatest element depth an XML document may have.
pub(crate) const MAX_XML_DEPTH: usize = 64;

/// One field's value, as a source offers it to [`Record::field`]. Reading it
/// (with one of the three methods) consumes it.
pub trait Value<'de>: Sized {
    /// Why the source cannot be read (syntax, never the meaning of a value).
    type Error;

    /// The value as text, if it is text (see the [module](self) for what counts).
    ///
    /// # Errors
    /// The source cannot be read.
    fn text(self) -> Result<Option<Cow<'de, str>>, Self::Error>;

    /// Every record the value holds (one-or-many), each read by `T`, added to `out`.
    ///
    /// # Errors
    /// The source cannot be read.
    fn records<T: Record>(self, out: &mut Vec<T>) -> Result<(), Self::Error>;

    /// Skips the value.
    ///
    /// # Errors
    /// The source cannot be read.
    fn skip(self) -> Result<(), Self::Error>;
}

/// A type read field by field from an object (or an XML element's children).
pub trait Record: Default {
    /// Reads the field `key`. Every value must be consumed: read it, or
    /// [`Value::skip`] it.
    ///
    /// # Errors
    /// Only the source's own errors: a value that means nothing is kept as
    /// such, for the caller to judge once the whole document is read.
    fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error>;

    /// The record a bare text stands for where records are expected (by
    /// default an empty record).
    fn from_text(text: Cow<'_, str>) -> Self {
        let _ = text;
        Self::default()
    }
}

/// Reads `value` into `slot` through `convert` unless `slot` already holds a
/// value: the first non-empty text of a field that repeats wins.
///
/// # Errors
/// The source cannot be read.
pub fn first<'de, V: Value<'de>, X>(
    slot: &mut Option<X>,
    value: V,
    convert: impl FnOnce(Cow<'de, str>) -> X,
) -> Result<(), V::Error> {
    if slot.is_some() {
        return value.skip();
    }
    if let Some(text) = value.text()? {
        *slot = Some(convert(text));
    }
    Ok(())
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

// ---------------------------------------------------------------- JSON

/// Reads a JSON document whose top level is an object into `T`.
///
/// # Errors
/// Not JSON, not an object at the top, or too large.
pub fn from_json<T: Record>(bytes: &[u8]) -> Result<T, DocumentError> {
    check_size(bytes)?;
    let json = |error: serde_json::Error| DocumentError::Json(error.to_string());
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let record = deserializer
        .deserialize_any(TopVisitor::<T>(std::marker::PhantomData))
        .map_err(json)?;
    deserializer.end().map_err(json)?;
    Ok(record)
}

/// The message of a top level that is not an object.
const NOT_AN_OBJECT: &str = "the top level is not an object";

struct TopVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Record> Visitor<'de> for TopVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        read_json_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<T, A::Error> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }

    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<T, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }

    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<T, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }

    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<T, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }

    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<T, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }

    fn visit_str<E: de::Error>(self, _v: &str) -> Result<T, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
}

fn read_json_map<'de, T: Record, A: MapAccess<'de>>(mut map: A) -> Result<T, A::Error> {
    let mut record = T::default();
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        record.field(&key, JsonValue(&mut map))?;
    }
    Ok(record)
}

/// A key, borrowed from the input unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The value of the current entry of a JSON object.
struct JsonValue<'m, A>(&'m mut A);

impl<'de, A: MapAccess<'de>> Value<'de> for JsonValue<'_, A> {
    type Error = A::Error;

    fn text(self) -> Result<Option<Cow<'de, str>>, A::Error> {
        self.0.next_value_seed(Scalar { in_list: false })
    }

    fn records<T: Record>(self, out: &mut Vec<T>) -> Result<(), A::Error> {
        self.0.next_value_seed(Records {
            out,
            in_list: false,
        })
    }

    fn skip(self) -> Result<(), A::Error> {
        self.0.next_value::<IgnoredAny>().map(|_| ())
    }
}

/// A number's text, as the service would have written it as a string.
fn f64_text(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string())
}

fn non_empty(text: Cow<'_, str>) -> Option<Cow<'_, str>> {
    (!text.is_empty()).then_some(text)
}

/// Reads a value as text: scalars give their text (empty is none); a list
/// (at the top only) its first text item; anything else none.
struct Scalar {
    in_list: bool,
}

impl<'de> DeserializeSeed<'de> for Scalar {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scalar {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(if v { "True" } else { "False" })))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(f64_text(v))))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if self.in_list {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(None);
        }
        let mut found = None;
        while let Some(item) = seq.next_element_seed(Scalar { in_list: true })? {
            if found.is_none() {
                found = item;
            }
        }
        Ok(found)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Reads a value as records (one-or-many) into `out`.
struct Records<'o, T> {
    out: &'o mut Vec<T>,
    in_list: bool,
}

impl<'de, T: Record> DeserializeSeed<'de> for Records<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<T: Record> Records<'_, T> {
    fn text<E>(self, text: &str) -> Result<(), E> {
        if !text.is_empty() {
            self.out.push(T::from_text(Cow::Borrowed(text)));
        }
        Ok(())
    }
}

impl<'de, T: Record> Visitor<'de> for Records<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.text(if v { "True" } else { "False" })
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.text(&v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.text(&v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.text(&f64_text(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.text(v)
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.in_list {
            // A list inside a list: one (empty) record unless it is empty.
            let mut items = 0usize;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                items += 1;
            }
            if items > 0 {
                self.out.push(T::default());
            }
            return Ok(());
        }
        while seq
            .next_element_seed(Records {
                out: &mut *self.out,
                in_list: true,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.out.push(read_json_map(map)?);
        Ok(())
    }
}

// ---------------------------------------------------------------- XML

/// Reads an XML document into `T` (the root element's children are its
/// fields): the root element's name and the record.
///
/// # Errors
/// Anything the strict reader refuses (entities, characters, depth,
/// well-formedness), or too large.
pub fn from_xml<T: Record>(bytes: &[u8]) -> Result<(String, T), DocumentError> {
    check_size(bytes)?;
    let mut reader = XmlReader::with_limits(bytes, Limits::new(MAX_DOCUMENT_BYTES, MAX_XML_DEPTH))?;
    let root = reader.root_borrowed()?;
    let name = root.name().to_owned();
    // The root as a record; a root holding only text is an empty record.
    let record = match reader.read_text_or_child()? {
        TextOrChild::Text(_) => T::default(),
        TextOrChild::Child(first) => read_xml_children(&mut reader, first)?,
    };
    reader.finish()?;
    Ok((name, record))
}

/// Reads the children of the element whose first child `first` was just
/// read, up to and including the element's end tag.
fn read_xml_children<'a, T: Record>(
    reader: &mut XmlReader<'a>,
    first: BorrowedStartTag<'a>,
) -> Result<T, ReadError> {
    let mut record = T::default();
    let mut child = Some(first);
    while let Some(tag) = child {
        record.field(tag.name(), XmlValue { reader })?;
        child = reader.next_child_skipping_text()?;
    }
    Ok(record)
}

/// The content of the element whose start tag was just read.
struct XmlValue<'r, 'a> {
    reader: &'r mut XmlReader<'a>,
}

impl<'a> Value<'a> for XmlValue<'_, 'a> {
    type Error = ReadError;

    fn text(self) -> Result<Option<Cow<'a, str>>, ReadError> {
        match self.reader.read_text_or_child()? {
            TextOrChild::Text(text) => Ok(non_empty(text)),
            TextOrChild::Child(_) => {
                // An element with children is a record, not text.
                self.reader.skip()?; // the child
                self.reader.skip()?; // the rest of the element
                Ok(None)
            }
        }
    }

    fn records<T: Record>(self, out: &mut Vec<T>) -> Result<(), ReadError> {
        // In XML each occurrence of an element is one record, an empty
        // element included (`<CustomerLog/>` is a log).
        let record = match self.reader.read_text_or_child()? {
            TextOrChild::Text(text) if text.is_empty() => T::default(),
            TextOrChild::Text(text) => T::from_text(text),
            TextOrChild::Child(first) => read_xml_children(self.reader, first)?,
        };
        out.push(record);
        Ok(())
    }

    fn skip(self) -> Result<(), ReadError> {
        self.reader.skip()
    }
}

// ---------------------------------------------------------------- Node

/// Reads a [`Node`] (its map entries are the fields) into `T`, with the same
/// tolerance as the wire formats.
#[must_use]
pub fn from_node<T: Record>(node: &Node) -> T {
    read_node_map(node)
}

fn read_node_map<T: Record>(node: &Node) -> T {
    let mut record = T::default();
    for (key, value) in node.entries() {
        let Ok(()) = record.field(key, NodeValue(value));
    }
    record
}

/// One entry's value of a [`Node`] map.
struct NodeValue<'n>(&'n Node);

impl<'n> Value<'n> for NodeValue<'n> {
    type Error = std::convert::Infallible;

    fn text(self) -> Result<Option<Cow<'n, str>>, Self::Error> {
        let text = match self.0 {
            Node::Text(text) => Some(text.as_str()),
            Node::List(items) => items.iter().find_map(|item| match item {
                Node::Text(text) if !text.is_empty() => Some(text.as_str()),
                _ => None,
            }),
            Node::Map(_) => None,
        };
        Ok(text.filter(|t| !t.is_empty()).map(Cow::Borrowed))
    }

    fn records<T: Record>(self, out: &mut Vec<T>) -> Result<(), Self::Error> {
        let one = |node: &Node| match node {
            Node::Map(_) => read_node_map(node),
            Node::Text(text) => T::from_text(Cow::Borrowed(text)),
            Node::List(_) => T::default(),
        };
        match self.0 {
            Node::List(items) => out.extend(items.iter().filter(|i| !i.is_none()).map(one)),
            node if node.is_none() => {}
            node => out.push(one(node)),
        }
        Ok(())
    }

    fn skip(self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// An answer with no fields of its own.
impl Record for () {
    fn field<'de, V: Value<'de>>(&mut self, _key: &str, value: V) -> Result<(), V::Error> {
        value.skip()
    }
}
