//! The response envelope SecurityTrax's XML scripts share:
//! `<root><responses><response success="…"><data>…</data></response>…</responses></root>`,
//! with `<system_request>` echoes of the request (which may hold the
//! password) anywhere inside. The legacy API's decoder and the lead post's
//! (crate `strax-leads`) both read their answers with these pieces.

use strict_xml::{ReadError, XmlElement, XmlReader};

use crate::outcome::DataText;

/// Whether `name` is the echo of a request (`<system_request>`, any ASCII
/// case), which may hold the password: never read, never shown.
#[must_use]
pub fn is_echo(name: &str) -> bool {
    name.eq_ignore_ascii_case("system_request")
}

/// Removes every `<system_request>` echo below `element`, at any depth.
pub fn drop_echoes(element: &mut XmlElement) {
    element.children.retain(|child| !is_echo(&child.name));
    for child in &mut element.children {
        drop_echoes(child);
    }
}

/// The value of a `success` attribute: `true` or `false` in any ASCII case,
/// surrounding whitespace ignored; `None` for anything else.
#[must_use]
pub fn success_flag(value: &str) -> Option<bool> {
    let flag = value.trim();
    if flag.eq_ignore_ascii_case("true") {
        Some(true)
    } else if flag.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The data of the `<response>` whose start tag `reader` has just read, as
/// one `<data>` tree: the children of every `<data>` (its own text, when not
/// blank, as a child called `data`) and any other child of the response,
/// every echo dropped unread.
///
/// # Errors
/// What the strict reader refuses.
pub fn read_data_tree(reader: &mut XmlReader<'_>) -> Result<XmlElement, ReadError> {
    let mut data = XmlElement::new("data");
    while let Some(part) = reader.next_child_borrowed()? {
        if is_echo(part.name()) {
            // Skipped unread: it echoes the request, password included.
            reader.skip()?;
            continue;
        }
        let tree = reader.read_tree(part.to_owned_tag())?;
        if tree.name == "data" {
            if !tree.text.trim().is_empty() {
                data.children.push(XmlElement::with_text("data", tree.text));
            }
            data.children.extend(tree.children);
        } else {
            data.children.push(tree);
        }
    }
    drop_echoes(&mut data);
    Ok(data)
}

/// Every non-blank text of `data`, exactly as sent, with the name of the
/// element holding it.
#[must_use]
pub fn data_texts(data: &XmlElement) -> Vec<DataText> {
    data.texts()
        .into_iter()
        .map(|(element, text)| DataText {
            element: element.to_owned(),
            text: text.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_flags_are_true_or_false_in_any_case() {
        for (value, flag) in [
            ("true", Some(true)),
            (" TRUE ", Some(true)),
            ("False", Some(false)),
            ("1", None),
            ("", None),
            ("yes", None),
        ] {
            assert_eq!(success_flag(value), flag, "{value}");
        }
    }

    #[test]
    fn the_data_tree_joins_every_data_and_drops_echoes() {
        let body = b"<response success='false'><data>Bad<error>one</error></data>\
            <system_request>pw</system_request><data><err>two</err></data><extra>three</extra></response>";
        let mut reader = XmlReader::new(body).unwrap();
        reader.root().unwrap();
        let data = read_data_tree(&mut reader).unwrap();
        let texts: Vec<(String, String)> = data_texts(&data)
            .into_iter()
            .map(|t| (t.element, t.text))
            .collect();
        assert_eq!(
            texts,
            [
                ("data".to_owned(), "Bad".to_owned()),
                ("error".to_owned(), "one".to_owned()),
                ("err".to_owned(), "two".to_owned()),
                ("extra".to_owned(), "three".to_owned()),
            ]
        );
    }
}
