//! Resolving the five predefined entity references, for the quick paths that
//! read plain text without quick-xml's events.

/// `raw` with every reference resolved, when each is one of the five
/// entities XML predefines (`&amp;`, `&lt;`, `&gt;`, `&apos;`, `&quot;`);
/// `None` when any other reference (a character reference such as `&#233;`,
/// an unknown entity, a `&` without its `;`) is present, for the full
/// reader to resolve or refuse.
///
/// ```
/// use strict_xml::resolve_predefined_entities;
///
/// assert_eq!(
///     resolve_predefined_entities("Smith &amp; Sons &lt;HQ&gt;").as_deref(),
///     Some("Smith & Sons <HQ>")
/// );
/// assert_eq!(resolve_predefined_entities("caf&#233;"), None);
/// assert_eq!(resolve_predefined_entities("a & b"), None);
/// ```
#[must_use]
pub fn resolve_predefined_entities(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';')?;
        out.push(match &after[..semi] {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "apos" => '\'',
            "quot" => '"',
            _ => return None,
        });
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::resolve_predefined_entities as resolve;

    #[test]
    fn the_five_resolve_and_anything_else_is_left_to_the_reader() {
        assert_eq!(resolve("").as_deref(), Some(""));
        assert_eq!(resolve("plain").as_deref(), Some("plain"));
        assert_eq!(
            resolve("&amp;&lt;&gt;&apos;&quot;").as_deref(),
            Some("&<>'\"")
        );
        assert_eq!(resolve("x&amp;lt;y").as_deref(), Some("x&lt;y"));
        for other in ["&#38;", "&#x26;", "&nbsp;", "&amp", "&;", "& amp;", "&AMP;"] {
            assert_eq!(resolve(other), None, "{other}");
        }
    }
}
