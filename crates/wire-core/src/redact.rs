//! One redaction step for every text a service sends.
//!
//! A service may quote the caller's own secret in its answer (an
//! authentication failure repeating the password, an echo of the request, an
//! error body quoting the API key). Before such text is shown, logged or put
//! in an error, it passes through the caller's [`Redactor`], which replaces
//! every occurrence of every secret value, in the forms a service is likely
//! to echo it in: as is, XML-escaped, JSON-escaped and percent-encoded.
//!
//! ```
//! use secrecy::SecretString;
//! use wire_core::Redactor;
//!
//! let redactor = Redactor::new([SecretString::from("p&ss w0rd")]);
//! let text = "bad login p&amp;ss w0rd / p%26ss+w0rd / p&ss w0rd";
//! assert_eq!(redactor.redact(text), "bad login [redacted] / [redacted] / [redacted]");
//! assert!(!format!("{redactor:?}").contains("w0rd"));
//! ```

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

/// What replaces a secret value in service text.
pub const REDACTED: &str = "[redacted]";

/// Removes the caller's secret values from text. Cheap to clone (the values
/// are shared); `Debug` shows only how many values it holds.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every form of every secret, longest first, each once.
    needles: Arc<[SecretString]>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("forms", &self.needles.len())
            .finish()
    }
}

impl Redactor {
    /// A redactor of `secrets` (empty values are ignored). Every non-empty
    /// value is redacted, however short: a one-letter password makes service
    /// text hard to read, never leaks.
    #[must_use]
    pub fn new<I>(secrets: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<SecretString>,
    {
        let mut forms: Vec<String> = Vec::new();
        for secret in secrets {
            let secret: SecretString = secret.into();
            let value = secret.expose_secret();
            if value.is_empty() {
                continue;
            }
            forms.push(value.to_owned());
            forms.push(xml_escaped(value));
            forms.push(json_escaped(value));
            forms.push(percent_encoded(value, true));
            forms.push(percent_encoded(value, false));
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Self {
            needles: forms.into_iter().map(SecretString::from).collect(),
        }
    }

    /// A redactor that removes nothing.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// This redactor plus `other`'s secrets.
    #[must_use]
    pub fn merged(&self, other: &Self) -> Self {
        let mut forms: Vec<String> = self
            .needles
            .iter()
            .chain(other.needles.iter())
            .map(|s| s.expose_secret().to_owned())
            .collect();
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Self {
            needles: forms.into_iter().map(SecretString::from).collect(),
        }
    }

    /// Whether it removes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `text` with every occurrence of every secret form replaced by
    /// [`REDACTED`]; borrowed when nothing was found.
    #[must_use]
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.finds_secret_in(text) {
            return Cow::Borrowed(text);
        }
        // One pass, longest form first at each position, so a marker already
        // written is never searched again.
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        'scan: while let Some(c) = rest.chars().next() {
            for needle in self.needles.iter() {
                let needle = needle.expose_secret();
                if rest.starts_with(needle) {
                    out.push_str(REDACTED);
                    rest = &rest[needle.len()..];
                    continue 'scan;
                }
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        Cow::Owned(out)
    }

    /// [`redact`](Self::redact) in place.
    pub fn redact_in_place(&self, text: &mut String) {
        if let Cow::Owned(redacted) = self.redact(text) {
            *text = redacted;
        }
    }

    /// [`redact`](Self::redact) every string of a JSON value in place, object
    /// keys included; the value stays valid JSON.
    ///
    /// ```
    /// use wire_core::Redactor;
    ///
    /// let mut value = serde_json::json!({"detail": "token abc", "abc": 1});
    /// Redactor::new(["abc"]).redact_json_in_place(&mut value);
    /// assert_eq!(value, serde_json::json!({"detail": "token [redacted]", "[redacted]": 1}));
    /// ```
    pub fn redact_json_in_place(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => self.redact_in_place(text),
            serde_json::Value::Array(items) => {
                for item in items {
                    self.redact_json_in_place(item);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, mut item) in std::mem::take(map) {
                    self.redact_json_in_place(&mut item);
                    map.insert(self.redact(&key).into_owned(), item);
                }
            }
            serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            }
        }
    }

    /// Whether `text` holds any secret form.
    #[must_use]
    pub fn finds_secret_in(&self, text: &str) -> bool {
        self.needles
            .iter()
            .any(|needle| text.contains(needle.expose_secret()))
    }
}

fn xml_escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn json_escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encoding of everything but unreserved characters; `plus_for_space`
/// writes a space as `+` (form encoding).
fn percent_encoded(value: &str, plus_for_space: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' if plus_for_space => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn json_strings_and_keys_are_redacted_and_stay_valid_json() {
        let redactor = Redactor::new(["p\"w"]);
        let mut value = serde_json::json!({
            "message": "bad login p\"w",
            "list": ["x p\"w y", 3],
            "p\"w": true,
        });
        redactor.redact_json_in_place(&mut value);
        assert_eq!(
            value,
            serde_json::json!({
                "message": "bad login [redacted]",
                "list": ["x [redacted] y", 3],
                "[redacted]": true,
            })
        );
    }

    #[test]
    fn every_occurrence_in_every_form_is_removed() {
        let redactor = Redactor::new(["s3cr\"t<", "tok"]);
        let text = "a s3cr\"t< b s3cr&quot;t&lt; c s3cr\\\"t< d s3cr%22t%3C e tok tok";
        let redacted = redactor.redact(text);
        assert_eq!(
            redacted,
            "a [redacted] b [redacted] c [redacted] d [redacted] e [redacted] [redacted]"
        );
    }

    #[test]
    fn text_without_secrets_is_borrowed_and_empty_secrets_are_ignored() {
        let redactor = Redactor::new(["", "pw1"]);
        assert!(matches!(redactor.redact("hello"), Cow::Borrowed("hello")));
        assert!(Redactor::new([""]).is_empty());
        assert!(Redactor::none().redact("anything").eq("anything"));
    }

    #[test]
    fn merged_redactors_remove_both_sets() {
        let merged = Redactor::new(["alpha1"]).merged(&Redactor::new(["beta2"]));
        assert_eq!(merged.redact("alpha1 beta2"), "[redacted] [redacted]");
    }

    proptest! {
        #[test]
        fn no_secret_survives_in_any_text(
            secret in "[^\u{0}]{1,12}",
            before in ".{0,20}",
            after in ".{0,20}",
        ) {
            let redactor = Redactor::new([secret.clone()]);
            let text = format!("{before}{secret}{after}");
            let redacted = redactor.redact(&text);
            // The marker itself may contain a short secret ("e"): look between markers.
            for piece in redacted.split(REDACTED) {
                prop_assert!(!piece.contains(&secret), "{piece:?} of {redacted:?}");
            }
        }
    }
}
