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
use strict_xml::{Element, Limits, ReadError, TextOrChild, TextOrElement, XmlReader};

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

    /// The value's first item as a request field takes it (server side):
    /// `None` when the value says "none" (`""`, `null`, `[]`, a list of
    /// those), so that a later occurrence of the field is read instead;
    /// else its first item that is not none, as a [`FieldItem`]. The default
    /// reads [`Value::text`].
    ///
    /// # Errors
    /// The source cannot be read.
    #[doc(hidden)]
    fn field_item(self) -> Result<Option<FieldItem<'de>>, Self::Error> {
        Ok(self.text()?.map(FieldItem::Text))
    }
}

/// The first item of a request field's value (see [`Value::field_item`]).
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldItem<'de> {
    /// An empty object (or empty XML element): the field has no value.
    Empty,
    /// Text, never empty (a number's or a boolean's text included).
    Text(Cow<'de, str>),
    /// Anything else: an object with fields, a non-empty list in a list.
    Other,
}

impl FieldItem<'_> {
    /// The item with its text owned.
    #[must_use]
    pub fn into_owned(self) -> FieldItem<'static> {
        match self {
            Self::Empty => FieldItem::Empty,
            Self::Text(text) => FieldItem::Text(Cow::Owned(text.into_owned())),
            Self::Other => FieldItem::Other,
        }
    }

    /// A [`Node`] value (not none) as an item.
    pub(crate) fn of_node(node: &Node) -> FieldItem<'_> {
        match node {
            Node::Map(entries) if entries.is_empty() => FieldItem::Empty,
            Node::Text(text) => FieldItem::Text(Cow::Borrowed(text)),
            _ => FieldItem::Other,
        }
    }
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

/// The text owned: [`Cow::into_owned`], with the copy built in the caller
/// (`into_owned`'s outlined copy handed the `String` back through memory in
/// pieces, read back whole: a store-forwarding stall per kept text).
#[inline(always)]
#[must_use]
pub(crate) fn owned(text: Cow<'_, str>) -> String {
    match text {
        Cow::Borrowed(text) => {
            let mut owned = String::with_capacity(text.len());
            owned.push_str(text);
            owned
        }
        Cow::Owned(text) => text,
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

// ---------------------------------------------------------------- JSON

/// Reads a JSON document whose top level is an object into `T`.
///
/// # Errors
/// Not JSON, not an object at the top, or too large.
pub fn from_json<T: Record>(bytes: &[u8]) -> Result<T, DocumentError> {
    json_with::<T, false>(bytes)
}

/// As [`from_json`], but every value is parsed, skipped ones included, as
/// [`Node::from_json`] parses it: a document it refuses (an out-of-range
/// number or a bad string in a field nobody reads) is refused here too.
/// For requests read straight into their types where the `Node` path used
/// to read them (server side).
pub(crate) fn from_json_exact<T: Record>(bytes: &[u8]) -> Result<T, DocumentError> {
    json_with::<T, true>(bytes)
}

fn json_with<T: Record, const EXACT: bool>(bytes: &[u8]) -> Result<T, DocumentError> {
    check_size(bytes)?;
    // A document that is UTF-8 throughout (every answer the service sends)
    // is checked once here and read as a `str`: serde_json then takes each
    // string as it is instead of checking its UTF-8 again (most of a
    // string's cost). Any other document is read as bytes, exactly as
    // before: its strings are checked where they are read (a skipped string
    // is not, so such a document may still be read).
    match std::str::from_utf8(bytes) {
        Ok(text) => json_read::<T, EXACT, _>(serde_json::Deserializer::from_str(text)),
        Err(_) => json_read::<T, EXACT, _>(serde_json::Deserializer::from_slice(bytes)),
    }
}

fn json_read<'de, T: Record, const EXACT: bool, R: serde_json::de::Read<'de>>(
    mut deserializer: serde_json::Deserializer<R>,
) -> Result<T, DocumentError> {
    let json = |error: serde_json::Error| DocumentError::Json(error.to_string());
    let record = deserializer
        .deserialize_any(TopVisitor::<T, EXACT>(std::marker::PhantomData))
        .map_err(json)?;
    deserializer.end().map_err(json)?;
    Ok(record)
}

/// Parses a value whatever it is and keeps nothing: what `IgnoredAny` does,
/// but through `deserialize_any`, so strings and numbers are read (and
/// checked) exactly as they are when they are kept.
struct Discard;

impl<'de> DeserializeSeed<'de> for Discard {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Discard {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _v: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _v: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _v: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _v: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _v: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Discard)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<Key<'de>>()?.is_some() {
            map.next_value_seed(Discard)?;
        }
        Ok(())
    }
}

/// Skips the next element of `seq`: `IgnoredAny`, or [`Discard`] when `EXACT`.
fn skip_element<'de, A: SeqAccess<'de>, const EXACT: bool>(seq: &mut A) -> Result<bool, A::Error> {
    if EXACT {
        seq.next_element_seed(Discard).map(|item| item.is_some())
    } else {
        seq.next_element::<IgnoredAny>().map(|item| item.is_some())
    }
}

/// Skips the rest of `map`: `IgnoredAny`, or [`Discard`] when `EXACT`.
fn skip_entries<'de, A: MapAccess<'de>, const EXACT: bool>(map: &mut A) -> Result<usize, A::Error> {
    let mut entries = 0;
    if EXACT {
        while map.next_key::<Key<'de>>()?.is_some() {
            map.next_value_seed(Discard)?;
            entries += 1;
        }
    } else {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
            entries += 1;
        }
    }
    Ok(entries)
}

/// The message of a top level that is not an object.
const NOT_AN_OBJECT: &str = "the top level is not an object";

struct TopVisitor<T, const EXACT: bool>(std::marker::PhantomData<T>);

impl<'de, T: Record, const EXACT: bool> Visitor<'de> for TopVisitor<T, EXACT> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        read_json_map::<T, A, EXACT>(map)
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

fn read_json_map<'de, T: Record, A: MapAccess<'de>, const EXACT: bool>(
    map: A,
) -> Result<T, A::Error> {
    let mut record = T::default();
    read_json_map_into::<T, A, EXACT>(&mut record, map)?;
    Ok(record)
}

/// Reads `map`'s entries into `record`, where it lies.
fn read_json_map_into<'de, T: Record, A: MapAccess<'de>, const EXACT: bool>(
    record: &mut T,
    mut map: A,
) -> Result<(), A::Error> {
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        record.field(&key, JsonValue::<A, EXACT>(&mut map))?;
    }
    Ok(())
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
struct JsonValue<'m, A, const EXACT: bool>(&'m mut A);

impl<'de, A: MapAccess<'de>, const EXACT: bool> Value<'de> for JsonValue<'_, A, EXACT> {
    type Error = A::Error;

    fn text(self) -> Result<Option<Cow<'de, str>>, A::Error> {
        self.0.next_value_seed(Scalar::<EXACT> { in_list: false })
    }

    fn records<T: Record>(self, out: &mut Vec<T>) -> Result<(), A::Error> {
        self.0.next_value_seed(Records::<T, EXACT> {
            out,
            in_list: false,
        })
    }

    fn skip(self) -> Result<(), A::Error> {
        if EXACT {
            self.0.next_value_seed(Discard)
        } else {
            self.0.next_value::<IgnoredAny>().map(|_| ())
        }
    }

    fn field_item(self) -> Result<Option<FieldItem<'de>>, A::Error> {
        self.0
            .next_value_seed(FieldSeed::<EXACT> { in_list: false })
    }
}

/// Reads a value as [`Value::field_item`] gives it, the way the `Node` path
/// reads it: the first item that is not none (`""`, `null`, `[]`) of a list;
/// an empty object as [`FieldItem::Empty`]; an object with entries, or a
/// non-empty list inside a list, as [`FieldItem::Other`].
struct FieldSeed<const EXACT: bool> {
    in_list: bool,
}

impl<'de, const EXACT: bool> DeserializeSeed<'de> for FieldSeed<EXACT> {
    type Value = Option<FieldItem<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, const EXACT: bool> Visitor<'de> for FieldSeed<EXACT> {
    type Value = Option<FieldItem<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        let text = if v { "True" } else { "False" };
        Ok(Some(FieldItem::Text(Cow::Borrowed(text))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(FieldItem::Text(Cow::Owned(v.to_string()))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(FieldItem::Text(Cow::Owned(v.to_string()))))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(f64_text(v))).map(FieldItem::Text))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Borrowed(v)).map(FieldItem::Text))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(v.to_owned())).map(FieldItem::Text))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(v)).map(FieldItem::Text))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if self.in_list {
            // A list in a list: none when empty, else not a single value.
            let mut items = 0usize;
            while skip_element::<A, EXACT>(&mut seq)? {
                items += 1;
            }
            return Ok((items > 0).then_some(FieldItem::Other));
        }
        let mut found = None;
        while found.is_none() {
            match seq.next_element_seed(FieldSeed::<EXACT> { in_list: true })? {
                Some(item) => found = item,
                None => return Ok(None),
            }
        }
        while skip_element::<A, EXACT>(&mut seq)? {}
        Ok(found)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let entries = skip_entries::<A, EXACT>(&mut map)?;
        Ok(Some(if entries == 0 {
            FieldItem::Empty
        } else {
            FieldItem::Other
        }))
    }
}

/// A number's text, as the service would have written it as a string.
fn f64_text(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string())
}

#[inline(always)]
fn non_empty(text: Cow<'_, str>) -> Option<Cow<'_, str>> {
    (!text.is_empty()).then_some(text)
}

/// Reads a value as text: scalars give their text (empty is none); a list
/// (at the top only) its first text item; anything else none.
struct Scalar<const EXACT: bool> {
    in_list: bool,
}

impl<'de, const EXACT: bool> DeserializeSeed<'de> for Scalar<EXACT> {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, const EXACT: bool> Visitor<'de> for Scalar<EXACT> {
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
            while skip_element::<A, EXACT>(&mut seq)? {}
            return Ok(None);
        }
        let mut found = None;
        while let Some(item) = seq.next_element_seed(Scalar::<EXACT> { in_list: true })? {
            if found.is_none() {
                found = item;
            }
        }
        Ok(found)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        skip_entries::<A, EXACT>(&mut map)?;
        Ok(None)
    }
}

/// Reads a value as records (one-or-many) into `out`.
struct Records<'o, T, const EXACT: bool> {
    out: &'o mut Vec<T>,
    in_list: bool,
}

impl<'de, T: Record, const EXACT: bool> DeserializeSeed<'de> for Records<'_, T, EXACT> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<T: Record, const EXACT: bool> Records<'_, T, EXACT> {
    fn text<E>(self, text: &str) -> Result<(), E> {
        if !text.is_empty() {
            self.out.push(T::from_text(Cow::Borrowed(text)));
        }
        Ok(())
    }
}

impl<'de, T: Record, const EXACT: bool> Visitor<'de> for Records<'_, T, EXACT> {
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
            while skip_element::<A, EXACT>(&mut seq)? {
                items += 1;
            }
            if items > 0 {
                self.out.push(T::default());
            }
            return Ok(());
        }
        while seq
            .next_element_seed(Records::<T, EXACT> {
                out: &mut *self.out,
                in_list: true,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        // Read where it will stay (a log is 176 bytes: no copy out of a
        // returned value); on an error the whole document is refused.
        self.out.push(T::default());
        let Some(record) = self.out.last_mut() else {
            unreachable!("just pushed");
        };
        read_json_map_into::<T, A, EXACT>(record, map)
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
    let record = match reader.read_text_or_element()? {
        TextOrElement::Text(_) => T::default(),
        TextOrElement::Element(first) => read_xml_children(&mut reader, first)?,
    };
    reader.finish()?;
    Ok((name, record))
}

/// Reads the children of the element whose first child `first` was just
/// read, up to and including the element's end tag. A child written
/// `<name>text</name>` comes whole from the strict reader (every rule
/// checked), so its value is already read.
fn read_xml_children<'a, T: Record>(
    reader: &mut XmlReader<'a>,
    first: Element<'a>,
) -> Result<T, ReadError> {
    let mut record = T::default();
    read_xml_children_into(&mut record, reader, first)?;
    Ok(record)
}

/// As [`read_xml_children`], into `record` where it lies.
fn read_xml_children_into<'a, T: Record>(
    record: &mut T,
    reader: &mut XmlReader<'a>,
    first: Element<'a>,
) -> Result<(), ReadError> {
    let mut child = Some(first);
    while let Some(element) = child {
        match element {
            Element::Text { name, text } => record.field(name, XmlValue::Text(text))?,
            Element::Start(tag) => record.field(tag.name(), XmlValue::Open(reader))?,
        }
        child = reader.next_element_skipping_text()?;
    }
    Ok(())
}

/// The content of a child element: already read whole (an element holding
/// only text), or still to read after its start tag.
enum XmlValue<'r, 'a> {
    /// The text of an element read whole (empty for an empty element).
    Text(Cow<'a, str>),
    /// The element whose start tag was just read.
    Open(&'r mut XmlReader<'a>),
}

impl<'a> Value<'a> for XmlValue<'_, 'a> {
    type Error = ReadError;

    fn text(self) -> Result<Option<Cow<'a, str>>, ReadError> {
        let reader = match self {
            Self::Text(text) => return Ok(non_empty(text)),
            Self::Open(reader) => reader,
        };
        match reader.read_text_or_child()? {
            TextOrChild::Text(text) => Ok(non_empty(text)),
            TextOrChild::Child(_) => {
                // An element with children is a record, not text.
                reader.skip()?; // the child
                reader.skip()?; // the rest of the element
                Ok(None)
            }
        }
    }

    fn records<T: Record>(self, out: &mut Vec<T>) -> Result<(), ReadError> {
        // In XML each occurrence of an element is one record, an empty
        // element included (`<CustomerLog/>` is a log).
        let record = match self {
            Self::Text(text) if text.is_empty() => T::default(),
            Self::Text(text) => T::from_text(text),
            Self::Open(reader) => match reader.read_text_or_element()? {
                TextOrElement::Text(text) if text.is_empty() => T::default(),
                TextOrElement::Text(text) => T::from_text(text),
                TextOrElement::Element(first) => {
                    // Read where it will stay, as in JSON.
                    out.push(T::default());
                    let Some(record) = out.last_mut() else {
                        unreachable!("just pushed");
                    };
                    return read_xml_children_into(record, reader, first);
                }
            },
        };
        out.push(record);
        Ok(())
    }

    fn skip(self) -> Result<(), ReadError> {
        match self {
            // Read whole: checked already.
            Self::Text(_) => Ok(()),
            Self::Open(reader) => reader.skip(),
        }
    }

    fn field_item(self) -> Result<Option<FieldItem<'a>>, ReadError> {
        // As the `Node` path reads an element: empty is an empty record,
        // text is text, an element with children is not a single value.
        let reader = match self {
            Self::Text(text) if text.is_empty() => return Ok(Some(FieldItem::Empty)),
            Self::Text(text) => return Ok(Some(FieldItem::Text(text))),
            Self::Open(reader) => reader,
        };
        Ok(Some(match reader.read_text_or_child()? {
            TextOrChild::Text(text) if text.is_empty() => FieldItem::Empty,
            TextOrChild::Text(text) => FieldItem::Text(text),
            TextOrChild::Child(_) => {
                reader.skip()?; // the child
                reader.skip()?; // the rest of the element
                FieldItem::Other
            }
        }))
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

    fn field_item(self) -> Result<Option<FieldItem<'n>>, Self::Error> {
        let first = match self.0 {
            Node::List(items) => items.iter().find(|item| !item.is_none()),
            node if node.is_none() => None,
            node => Some(node),
        };
        Ok(first.map(FieldItem::of_node))
    }
}

/// An answer with no fields of its own.
impl Record for () {
    fn field<'de, V: Value<'de>>(&mut self, _key: &str, value: V) -> Result<(), V::Error> {
        value.skip()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Log {
        id: Option<String>,
        notes: Option<String>,
    }

    impl Record for Log {
        fn field<'de, V: Value<'de>>(&mut self, key: &str, value: V) -> Result<(), V::Error> {
            match key {
                "LogID" => first(&mut self.id, value, Cow::into_owned),
                "Notes" => first(&mut self.notes, value, Cow::into_owned),
                _ => value.skip(),
            }
        }
    }

    fn log(id: &str, notes: &str) -> Log {
        Log {
            id: Some(id.to_owned()),
            notes: Some(notes.to_owned()),
        }
    }

    #[test]
    fn json_strings_read_the_same_from_text_and_from_bytes() {
        // UTF-8 throughout (read as text): escapes, non-ASCII, escaped keys.
        let doc = "{\"LogID\": 7, \"Not\\u0065s\": \"caf\\u00e9 \\\"&\\\" \u{e9}\u{1f600}\", \"x\": [\"\u{e9}\"]}";
        assert_eq!(
            from_json::<Log>(doc.as_bytes()).unwrap(),
            log("7", "caf\u{e9} \"&\" \u{e9}\u{1f600}")
        );
        assert_eq!(
            from_json_exact::<Log>(doc.as_bytes()).unwrap(),
            log("7", "caf\u{e9} \"&\" \u{e9}\u{1f600}")
        );
    }

    #[test]
    fn json_with_invalid_utf8_is_read_as_before() {
        // Invalid UTF-8 in a skipped string: not checked, as before (the
        // bytes path); `from_json_exact` parses skipped strings, so refuses it.
        let skipped = b"{\"LogID\": \"7\", \"Other\": \"a\xff\", \"Notes\": \"n\xc3\xa9\"}";
        assert_eq!(from_json::<Log>(skipped).unwrap(), log("7", "n\u{e9}"));
        assert!(from_json_exact::<Log>(skipped).is_err());
        // In a kept string, in a key, or cut in the middle of a character:
        // refused, with serde_json's own message for bytes.
        for doc in [
            &b"{\"LogID\": \"7\", \"Notes\": \"a\xff\"}"[..],
            b"{\"LogID\": \"7\", \"No\xfftes\": \"a\"}",
            b"{\"LogID\": \"7\", \"Notes\": \"a\xc3\"}",
        ] {
            let error = from_json::<Log>(doc).unwrap_err();
            assert!(matches!(error, DocumentError::Json(_)), "{error}");
            assert_eq!(error, from_bytes::<Log, false>(doc).unwrap_err());
        }
    }

    /// The document read as bytes throughout (as before UTF-8 was checked once).
    fn from_bytes<T: Record, const EXACT: bool>(doc: &[u8]) -> Result<T, DocumentError> {
        json_read::<T, EXACT, _>(serde_json::Deserializer::from_slice(doc))
    }

    #[test]
    fn json_reads_the_same_from_text_and_from_bytes() {
        for doc in [
            "{\"LogID\": \"7\", \"Notes\": \"a}",
            "{\"LogID\": \"7\" \"Notes\": 1}",
            "{\"LogID\": \"\u{e9}\\x\"}",
            "{\"LogID\": \"\\ud800\"}",
            "{\"LogID\": \"\\ud83d\\ude00\", \"Notes\": \"\u{e9}\\n\\u0000\"}",
            "{\"LogID\": \"a\tb\"}",
            "{\"LogID\": 1e999}",
            "{\"LogID\": [{}, 2, \"x\"], \"Notes\": null, \"x\": {\"y\": [1.5, true]}}",
            "[1]",
            "\"x\"",
            "",
            "{\"LogID\": 1} x",
        ] {
            let bytes = doc.as_bytes();
            assert_eq!(
                from_json::<Log>(bytes),
                from_bytes::<Log, false>(bytes),
                "{doc}"
            );
            assert_eq!(
                from_json_exact::<Log>(bytes),
                from_bytes::<Log, true>(bytes),
                "{doc}"
            );
        }
    }
}
