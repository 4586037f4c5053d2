//! Serde for the records: a map from documented field names to wire texts.
//!
//! Values are read as text, exactly: a CSV field `02134` stays `02134`
//! (never a number), and JSON values must be strings or `null`. An empty
//! text or `null` leaves a field unset. A customer's emergency contacts are
//! a list of maps under `EmergencyContacts` (JSON), or columns named
//! `EmergencyContacts/<n>/<field>` (CSV). Unknown names and texts a field's
//! type cannot hold are errors listing every field and rule.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::field::PostRecord;
use crate::generated::{Customer, EmergencyContact, Lead};

/// Writes every documented field (unset ones as `null`), then a customer's
/// emergency contacts as a list.
fn serialize_record<R: PostRecord, S: Serializer>(
    record: &R,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let len = R::FIELDS.len() + usize::from(R::HAS_EMERGENCY_CONTACTS);
    let mut map = serializer.serialize_map(Some(len))?;
    for (index, spec) in R::FIELDS.iter().enumerate() {
        map.serialize_entry(spec.wire_name, &record.field_at(index))?;
    }
    if R::HAS_EMERGENCY_CONTACTS {
        map.serialize_entry(EmergencyContact::LIST_ELEMENT, record.emergency_contacts())?;
    }
    map.end()
}

/// A value read as text; `None`/`null`/empty is the empty text.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a text value or null (write numbers and booleans in quotes: \"27.50\", \"true\")",
        )
    }

    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(String::new()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(String::new()))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
        Ok(Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Text, E> {
        Ok(Text(text))
    }
}

/// The (name, text) pairs of one map.
struct Pairs(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of field names to texts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let Text(text) = map.next_value()?;
                    pairs.push((name, text));
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor)
    }
}

/// A list of emergency contacts, each a map.
struct Contacts(Vec<Pairs>);

impl<'de> Deserialize<'de> for Contacts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContactsVisitor;
        impl<'de> Visitor<'de> for ContactsVisitor {
            type Value = Contacts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of emergency contacts")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Contacts, A::Error> {
                let mut contacts = Vec::new();
                while let Some(contact) = seq.next_element::<Pairs>()? {
                    contacts.push(contact);
                }
                Ok(Contacts(contacts))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Contacts, E> {
                Ok(Contacts(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Contacts, E> {
                Ok(Contacts(Vec::new()))
            }
        }
        deserializer.deserialize_any(ContactsVisitor)
    }
}

struct RecordVisitor<R>(PhantomData<R>);

impl<'de, R: PostRecord> Visitor<'de> for RecordVisitor<R> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} as a map of its documented field names to texts",
            R::KIND
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<R, A::Error> {
        let mut pairs = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            if R::HAS_EMERGENCY_CONTACTS && name == EmergencyContact::LIST_ELEMENT {
                let Contacts(contacts) = map.next_value()?;
                for (position, Pairs(contact)) in contacts.into_iter().enumerate() {
                    for (field, text) in contact {
                        pairs.push((format!("{name}/{}/{field}", position + 1), text));
                    }
                }
            } else {
                let Text(text) = map.next_value()?;
                pairs.push((name, text));
            }
        }
        R::from_fields(0, pairs).map_err(|violations| {
            let list: Vec<String> = violations
                .iter()
                .map(|v| format!("field `{}` {}", v.field, v.rule))
                .collect();
            de::Error::custom(list.join("; "))
        })
    }
}

macro_rules! serde_by_field_names {
    ($($record:ty),*) => {$(
        impl Serialize for $record {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_record(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $record {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map(RecordVisitor::<$record>(PhantomData))
            }
        }
    )*};
}

serde_by_field_names!(Lead, Customer, EmergencyContact);
