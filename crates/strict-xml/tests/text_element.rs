//! Whole text elements (`next_element_skipping_text`, `read_text_or_element`)
//! against the event path they shortcut: on any document, both read the
//! same elements with the same texts, and refuse the same documents with the
//! same errors at the same positions.

use proptest::prelude::*;
use strict_xml::{Element, Limits, ReadError, TextOrChild, TextOrElement, XmlReader};

/// Every element, text and error the event path reports on `doc`.
fn by_events(doc: &[u8], limits: Limits) -> Vec<String> {
    let mut log = Vec::new();
    let result = (|| -> Result<(), ReadError> {
        let mut reader = XmlReader::with_limits(doc, limits)?;
        log.push(format!("root {}", reader.root_borrowed()?.name()));
        match reader.read_text_or_child()? {
            TextOrChild::Text(text) => log.push(format!("text {text:?}")),
            TextOrChild::Child(first) => {
                let first = first.name().to_owned();
                events_children(&mut reader, first, &mut log)?;
            }
        }
        log.push(format!("at {}", reader.position()));
        reader.finish()
    })();
    log.push(format!("{result:?}"));
    log
}

fn events_children(
    reader: &mut XmlReader<'_>,
    first: String,
    log: &mut Vec<String>,
) -> Result<(), ReadError> {
    let mut child = Some(first);
    while let Some(name) = child {
        log.push(format!("<{name}>"));
        match reader.read_text_or_child()? {
            TextOrChild::Text(text) => log.push(format!("text {text:?}")),
            TextOrChild::Child(first) => {
                let first = first.name().to_owned();
                events_children(reader, first, log)?;
            }
        }
        log.push(format!("at {}", reader.position()));
        child = reader
            .next_child_skipping_text()?
            .map(|tag| tag.name().to_owned());
    }
    log.push("end".into());
    Ok(())
}

/// The same, read with the whole-element methods; also counts the elements
/// that came whole.
fn by_elements(doc: &[u8], limits: Limits, whole: &mut usize) -> Vec<String> {
    let mut log = Vec::new();
    let result = (|| -> Result<(), ReadError> {
        let mut reader = XmlReader::with_limits(doc, limits)?;
        log.push(format!("root {}", reader.root_borrowed()?.name()));
        match reader.read_text_or_element()? {
            TextOrElement::Text(text) => log.push(format!("text {text:?}")),
            TextOrElement::Element(first) => {
                let first = owned(first, whole);
                elements_children(&mut reader, first, &mut log, whole)?;
            }
        }
        log.push(format!("at {}", reader.position()));
        reader.finish()
    })();
    log.push(format!("{result:?}"));
    log
}

/// An element's name, and its text when it came whole.
fn owned(element: Element<'_>, whole: &mut usize) -> (String, Option<String>) {
    match element {
        Element::Text { name, text } => {
            *whole += 1;
            (name.to_owned(), Some(text.into_owned()))
        }
        Element::Start(tag) => (tag.name().to_owned(), None),
    }
}

fn elements_children(
    reader: &mut XmlReader<'_>,
    first: (String, Option<String>),
    log: &mut Vec<String>,
    whole: &mut usize,
) -> Result<(), ReadError> {
    let mut child = Some(first);
    while let Some((name, text)) = child {
        log.push(format!("<{name}>"));
        match text {
            Some(text) => log.push(format!("text {text:?}")),
            None => match reader.read_text_or_element()? {
                TextOrElement::Text(text) => log.push(format!("text {text:?}")),
                TextOrElement::Element(first) => {
                    let first = owned(first, whole);
                    elements_children(reader, first, log, whole)?;
                }
            },
        }
        log.push(format!("at {}", reader.position()));
        child = reader
            .next_element_skipping_text()?
            .map(|element| owned(element, whole));
    }
    log.push("end".into());
    Ok(())
}

const LIMITS: [Limits; 4] = [
    Limits::new(4096, 64),
    Limits::new(4096, 2),
    Limits::new(4096, 3),
    Limits::new(4096, 64).with_max_elements(4),
];

fn same_both_ways(doc: &[u8]) -> usize {
    let mut whole = 0;
    for limits in LIMITS {
        let events = by_events(doc, limits);
        let elements = by_elements(doc, limits, &mut whole);
        assert_eq!(events, elements, "{}", String::from_utf8_lossy(doc));
    }
    whole
}

#[test]
fn simple_text_elements_come_whole_and_read_the_same() {
    let docs = [
        "<r><a>x</a><b></b><c>1 &amp; 2 &lt;3&gt; &apos;&quot;</c></r>",
        "<r>\n  <a>é 😀 tab\there\nline</a>\n  <b>x</b>\n</r>",
        "<r><log><id>1</id><n>x &amp; y</n></log><log><id>2</id></log></r>",
        "<?xml version=\"1.0\"?>\n<r><a>x</a></r>\n<!-- after -->",
        "\u{FEFF}<r><a>x</a></r>",
        "<r><a>1</a><a>2</a><a>3</a><a>4</a><a>5</a></r>",
        "<r><p><q><s>deep</s></q></p></r>",
    ];
    for doc in docs {
        assert!(
            same_both_ways(doc.as_bytes()) > 0,
            "{doc}: the fast path was taken"
        );
    }
}

#[test]
fn other_shapes_fall_back_to_the_event_path() {
    let docs = [
        "<r><a k='1'>x</a><b >x</b><c>x</c ><d/><e>x<f/></e></r>",
        "<r><a>x<!--c-->y</a><b><![CDATA[x]]></b><c>&#233;</c><d>x\r\ny</d></r>",
        "<r>text<a>x</a></r>",
        "<r><a>x</a>text<b>y</b></r>",
        "<r><é>x</é><a:b>y</a:b></r>",
        "<r/>",
        "<r><a/><b>x</b></r>",
    ];
    for doc in docs {
        same_both_ways(doc.as_bytes());
    }
}

#[test]
fn hostile_documents_are_refused_the_same_way() {
    let docs: [&[u8]; 22] = [
        b"<r><a>x\x01</a></r>",
        b"<r><a>x\x00</a></r>",
        b"<r><a>\xEF\xBF\xBE</a></r>",
        b"<r><a>\xEF\xBF\xBF</a></r>",
        b"<r><a>&#1;</a></r>",
        b"<r><a>&#xFFFE;</a></r>",
        b"<r><a>&foo;</a></r>",
        b"<r><a>&amp</a></r>",
        b"<r><a>x & y</a></r>",
        b"<r><a>\xFF</a></r>",
        b"<r><a>\xC3</a></r>",
        b"<r><\xC3>x</\xC3></r>",
        b"<r><a>x</b></r>",
        b"<r><a>x</a",
        b"<r><a>x</a>",
        b"<r><a>x",
        b"<r><a>x</a></r><b>y</b>",
        b"<r><a>x</a></r>trailing",
        b"<!DOCTYPE r><r><a>x</a></r>",
        b"<r><!DOCTYPE r><a>x</a></r>",
        b"<r><p><q><s>x</s><t>y</t></q></p></r>",
        b"<r><a>1</a><a>2</a><a>3</a><a>4</a></r>",
    ];
    for doc in docs {
        same_both_ways(doc);
        // And the default caps refuse each of them, but the last two.
        let mut whole = 0;
        let log = by_elements(doc, Limits::default(), &mut whole);
        let refused = log.last().is_some_and(|last| last.starts_with("Err"));
        let deep_or_many = doc.starts_with(b"<r><p>") || doc.starts_with(b"<r><a>1<");
        assert_eq!(
            refused,
            !deep_or_many,
            "{}: {log:?}",
            String::from_utf8_lossy(doc)
        );
    }
}

#[test]
fn the_caps_still_apply_to_elements_read_whole() {
    let doc = b"<r><a>1</a><a>2</a><a>3</a></r>";
    let mut reader =
        XmlReader::with_limits(doc, Limits::new(1024, 8).with_max_elements(3)).expect("size");
    reader.root_borrowed().expect("root");
    assert!(matches!(
        reader.read_text_or_element(),
        Ok(TextOrElement::Element(Element::Text { .. }))
    ));
    assert!(matches!(
        reader.next_element_skipping_text(),
        Ok(Some(Element::Text { .. }))
    ));
    assert!(matches!(
        reader.next_element_skipping_text(),
        Err(ReadError::TooManyElements {
            limit: 3,
            position: 19
        })
    ));
    let doc = b"<r><p><a>1</a></p></r>";
    let mut reader = XmlReader::with_limits(doc, Limits::new(1024, 2)).expect("size");
    reader.root_borrowed().expect("root");
    assert!(matches!(
        reader.read_text_or_element(),
        Ok(TextOrElement::Element(Element::Start(_)))
    ));
    assert!(matches!(
        reader.read_text_or_element(),
        Err(ReadError::TooDeep {
            limit: 2,
            position: 6
        })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_near_document_reads_the_same_both_ways(parts in prop::collection::vec(prop::sample::select(vec![
        "<a>", "</a>", "<b>", "</b>", "<a>x</a>", "<b>y &amp; z</b>", "<a></a>", "<b/>", "<a k='1'>", "<b >",
        "</a >", "&amp;", "&lt;", "&#233;", "&#1;", "&foo;", "&", "<!--c-->", "<![CDATA[x]]>", "<?pi?>",
        "<!DOCTYPE a>", "text", "é", " ", "\n", "\t", "\r\n", "\u{1}", "\u{FFFE}", "<", ">", "]]>", "</",
        "<a>1</a><b>2</b>", "<c><d>3</d></c>", "<a>x</b>",
    ]), 0..24)) {
        let doc = format!("<r>{}</r>", parts.concat());
        same_both_ways(doc.as_bytes());
    }

    #[test]
    fn any_bytes_in_a_text_element_read_the_same_both_ways(
        text in prop::collection::vec(any::<u8>(), 0..24),
        name in prop::sample::select(vec!["a", "LogID", "x:y", "a-b.c_1"]),
    ) {
        let mut doc = format!("<r><{name}>").into_bytes();
        doc.extend_from_slice(&text);
        doc.extend_from_slice(format!("</{name}><z>1</z></r>").as_bytes());
        same_both_ways(&doc);
    }
}
