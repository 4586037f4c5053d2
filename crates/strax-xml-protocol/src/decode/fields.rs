//! Field texts as both routes keep them: blank is none, documented customer
//! fields by name, the rest kept as undocumented fields.

use std::borrow::Cow;

use crate::generated::Customer;

/// Files one leaf field: the first non-blank occurrence of a documented
/// field, else an undocumented one.
pub(super) fn customer_field(customer: &mut Customer, name: &str, text: Cow<'_, str>) {
    match customer.field_mut(name) {
        Some(slot) if slot.is_none() => *slot = non_blank_text(text),
        _ => customer
            .extra_fields
            .push((name.to_owned(), text.into_owned())),
    }
}

/// `Some(text)` unless it is empty or only whitespace (copied only then).
pub(super) fn non_blank_text(text: Cow<'_, str>) -> Option<String> {
    if is_blank(&text) {
        None
    } else {
        Some(text.into_owned())
    }
}

/// `text.trim()`, returning at once when both ends are ASCII and not
/// whitespace (attribute values almost always are).
pub(super) fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let clean = |b: &u8| b.is_ascii() && !char::from(*b).is_whitespace();
    if bytes.first().is_some_and(clean) && bytes.last().is_some_and(clean) {
        text
    } else {
        text.trim()
    }
}

/// Whether `text` is empty or only whitespace (`str::trim` leaves nothing).
/// A first byte that is ASCII and not whitespace (most values) decides at
/// once, without scanning the rest.
pub(super) fn is_blank(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(&first) if first.is_ascii() && !char::from(first).is_whitespace() => false,
        Some(_) => text.trim().is_empty(),
    }
}

/// `Some(text)` unless it is empty or only whitespace.
pub(super) fn non_blank(text: String) -> Option<String> {
    if is_blank(&text) { None } else { Some(text) }
}
