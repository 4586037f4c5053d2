//! The two wire formats, chosen by the caller.

use std::fmt;
use std::str::FromStr;

/// The wire format of a request and its answer.
///
/// ```
/// use neto_api::WireFormat;
///
/// assert_eq!("json".parse::<WireFormat>(), Ok(WireFormat::Json));
/// assert_eq!(WireFormat::Xml.content_type(), "application/xml");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WireFormat {
    /// XML documents (the service's default).
    #[default]
    Xml,
    /// JSON documents (`Accept: application/json`).
    Json,
}

impl WireFormat {
    /// The media type of a body in this format (sent as `Content-Type` and `Accept`).
    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xml => "application/xml",
            Self::Json => "application/json",
        }
    }

    /// `xml` or `json`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Xml => "xml",
            Self::Json => "json",
        }
    }

    /// The format a media type names (`application/json`, `text/json`,
    /// `…+json` → JSON; `…xml` → XML), parameters ignored.
    #[must_use]
    pub fn from_media_type(value: &str) -> Option<Self> {
        let essence = value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence.ends_with("/json") || essence.ends_with("+json") {
            Some(Self::Json)
        } else if essence.ends_with("/xml") || essence.ends_with("+xml") {
            Some(Self::Xml)
        } else {
            None
        }
    }

    /// The format a body looks like: `{` JSON, `<` XML (after whitespace and a BOM).
    #[must_use]
    pub fn sniff(body: &[u8]) -> Option<Self> {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Some(Self::Json),
            Some(b'<') => Some(Self::Xml),
            _ => None,
        }
    }
}

impl fmt::Display for WireFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is neither `xml` nor `json`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown wire format `{0}`: expected xml or json")]
pub struct UnknownFormat(String);

impl FromStr for WireFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "xml" => Ok(Self::Xml),
            "json" => Ok(Self::Json),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_and_bodies_name_their_format() {
        assert_eq!(
            WireFormat::from_media_type("application/json; charset=utf-8"),
            Some(WireFormat::Json)
        );
        assert_eq!(
            WireFormat::from_media_type("text/xml"),
            Some(WireFormat::Xml)
        );
        assert_eq!(WireFormat::from_media_type("text/plain"), None);
        assert_eq!(
            WireFormat::sniff(b"\xEF\xBB\xBF  {}"),
            Some(WireFormat::Json)
        );
        assert_eq!(WireFormat::sniff(b"\n<?xml"), Some(WireFormat::Xml));
        assert_eq!(WireFormat::sniff(b"oops"), None);
    }
}
