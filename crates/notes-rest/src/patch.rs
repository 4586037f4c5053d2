//! Three-state fields of a `PATCH` body.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field of a `PATCH` body: left as it is, cleared (`null`), or set.
///
/// A field left [`Unchanged`](Self::Unchanged) is not sent at all; [`Null`](Self::Null)
/// sends `"field": null`; [`Value`](Self::Value) sends the value.
///
/// ```
/// use notes_rest::{NoteUpdate, Patch};
///
/// let mut update = NoteUpdate::default();
/// update.subject = Patch::Value("Renewal".into());
/// update.reminder = Patch::Null;
/// assert_eq!(
///     serde_json::to_string(&update).unwrap(),
///     r#"{"reminder":null,"subject":"Renewal"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Not sent: the service keeps the field as it is.
    #[default]
    Unchanged,
    /// Sent as `null`: the service clears the field.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out of the body.
    #[must_use]
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Self::Unchanged)
    }

    /// The value, when one is set.
    #[must_use]
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Unchanged | Self::Null => None,
        }
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `Some` sets the value, `None` clears it.
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Never reached through `skip_serializing_if`; `null` keeps a bare
            // `Patch` serialisable.
            Self::Unchanged | Self::Null => serializer.serialize_none(),
            Self::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// A field present with `null` is [`Patch::Null`]; an absent field is
    /// [`Patch::Unchanged`] through `#[serde(default)]`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}
