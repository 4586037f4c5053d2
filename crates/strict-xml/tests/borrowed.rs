//! The borrowing pull API: same rules and values as the owned one, borrowed
//! from the input when nothing needed resolving.

use std::borrow::Cow;

use proptest::prelude::*;
use strict_xml::{ReadError, XmlReader};

fn borrowed_text(doc: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    let mut reader = XmlReader::new(doc)?;
    reader.root_borrowed()?;
    reader.read_text_borrowed()
}

#[test]
fn plain_text_and_single_cdata_are_borrowed_from_the_input() {
    for (doc, expected) in [
        (&b"<a>plain text</a>"[..], "plain text"),
        (b"<a><![CDATA[<raw & stuff>]]></a>", "<raw & stuff>"),
        (b"<a>tab\tand\nlf</a>", "tab\tand\nlf"),
        (b"<a><!-- c -->x<?pi?></a>", "x"),
        (b"<a></a>", ""),
        (b"<a/>", ""),
    ] {
        let text = borrowed_text(doc).expect("valid");
        assert!(matches!(text, Cow::Borrowed(_)), "{doc:?} gave {text:?}");
        assert_eq!(text, expected);
    }
}

#[test]
fn text_that_needs_resolving_is_joined_and_owned() {
    for (doc, expected) in [
        (&b"<a>x &amp; y</a>"[..], "x & y"),
        (b"<a>&#233;</a>", "é"),
        (b"<a>1\r\n2</a>", "1\n2"),
        (b"<a>a<![CDATA[b]]>c</a>", "abc"),
        (b"<a>a<!-- c -->b</a>", "ab"),
    ] {
        let text = borrowed_text(doc).expect("valid");
        assert!(matches!(text, Cow::Owned(_)), "{doc:?} gave {text:?}");
        assert_eq!(text, expected);
    }
}

#[test]
fn borrowed_text_enforces_the_same_rules() {
    assert_eq!(
        borrowed_text(b"<a>x &nbsp;</a>"),
        Err(ReadError::UnknownEntity {
            name: "nbsp".into(),
            position: 5
        })
    );
    assert!(matches!(
        borrowed_text("<a>\u{1}</a>".as_bytes()),
        Err(ReadError::ForbiddenCharacter { code_point: 1, .. })
    ));
    assert!(matches!(
        borrowed_text(b"<a>&#1;</a>"),
        Err(ReadError::ForbiddenCharacter { code_point: 1, .. })
    ));
    assert_eq!(
        borrowed_text(b"<a>x<b/></a>"),
        Err(ReadError::UnexpectedElement {
            name: "b".into(),
            parent: "a".into(),
            position: 4
        })
    );
}

#[test]
fn borrowed_tags_resolve_attributes_and_match_the_owned_tags() {
    let doc = b"<r><item id='7' note=\"a &amp; b\" ws='x&#9;y\tz'>v</item><empty/></r>";
    let mut owned = XmlReader::new(doc).expect("size");
    let mut borrowed = XmlReader::new(doc).expect("size");
    assert_eq!(
        borrowed.root_borrowed().expect("root").to_owned_tag(),
        owned.root().expect("root")
    );
    let item = borrowed.next_child_borrowed().expect("item").expect("item");
    assert_eq!(item.name(), "item");
    assert_eq!(item.position(), 3);
    assert!(matches!(item.attribute("id"), Some(Cow::Borrowed("7"))));
    assert_eq!(item.attribute("note").as_deref(), Some("a & b"));
    assert_eq!(item.attribute("ws").as_deref(), Some("x\ty z"));
    assert_eq!(item.attribute("nope"), None);
    let keys: Vec<&str> = item.attributes().map(|(key, _)| key).collect();
    assert_eq!(keys, ["id", "note", "ws"]);
    assert_eq!(
        item.to_owned_tag(),
        owned.next_child().expect("item").expect("item")
    );
    assert_eq!(borrowed.read_text_borrowed().expect("v"), "v");
    assert_eq!(owned.read_text().expect("v"), "v");
    let empty = borrowed
        .next_child_borrowed()
        .expect("empty")
        .expect("empty");
    assert_eq!(empty.name(), "empty");
    assert_eq!(empty.attributes().count(), 0);
    borrowed.skip().expect("skip");
    assert!(borrowed.next_child_borrowed().expect("end").is_none());
    borrowed.finish().expect("finish");
}

#[test]
fn borrowed_tags_are_checked_when_read_not_when_looked_up() {
    for (doc, expected) in [
        (&b"<a v='&ent;'/>"[..], "UnknownEntity"),
        (b"<a v='&#xD800;'/>", "InvalidCharacterReference"),
        (b"<a v='&#1;'/>", "ForbiddenCharacter"),
        (b"<a x='1' x='2'/>", "Malformed"),
        (b"<a x=1/>", "Malformed"),
    ] {
        let err = XmlReader::new(doc)
            .expect("size")
            .root_borrowed()
            .expect_err("bad attribute");
        assert!(format!("{err:?}").starts_with(expected), "{doc:?}: {err:?}");
        assert_eq!(
            XmlReader::new(doc).expect("size").root().expect_err("same"),
            err
        );
    }
}

/// One step of walking a document: what the reader returned.
#[derive(Debug, PartialEq)]
enum Step {
    Tag(String, Vec<(String, String)>),
    Text(String),
    End,
    Error(ReadError),
}

/// Reads the root and, for each child, its tag and text (or skips it when the
/// text read fails), logging every result; stops at the first error.
fn walk(doc: &[u8], borrowed: bool) -> Vec<Step> {
    let mut log = Vec::new();
    let mut reader = match XmlReader::new(doc) {
        Ok(reader) => reader,
        Err(err) => return vec![Step::Error(err)],
    };
    let tag = |log: &mut Vec<Step>, tag: strict_xml::StartTag| {
        log.push(Step::Tag(tag.name().to_owned(), tag.attributes().to_vec()));
    };
    let root = if borrowed {
        reader.root_borrowed().map(|t| t.to_owned_tag())
    } else {
        reader.root()
    };
    match root {
        Ok(root) => tag(&mut log, root),
        Err(err) => {
            log.push(Step::Error(err));
            return log;
        }
    }
    for _ in 0..64 {
        let child = if borrowed {
            reader
                .next_child_borrowed()
                .map(|t| t.map(|t| t.to_owned_tag()))
        } else {
            reader.next_child()
        };
        match child {
            Ok(Some(child)) => tag(&mut log, child),
            Ok(None) => {
                log.push(Step::End);
                log.push(match reader.finish() {
                    Ok(()) => Step::End,
                    Err(err) => Step::Error(err),
                });
                return log;
            }
            Err(err) => {
                log.push(Step::Error(err));
                return log;
            }
        }
        let text = if borrowed {
            reader.read_text_borrowed().map(Cow::into_owned)
        } else {
            reader.read_text()
        };
        match text {
            Ok(text) => log.push(Step::Text(text)),
            Err(err) => {
                log.push(Step::Error(err));
                return log;
            }
        }
    }
    log
}

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<a>",
        "</a>",
        "<b x='1'>",
        "<b x='&amp;&#9;\t'>",
        "</b>",
        "<c/>",
        "<c k='<'/>",
        "&amp;",
        "&#233;",
        "&#xD800;",
        "&foo;",
        "<![CDATA[x]]>",
        "<![CDATA[&amp;]]>",
        "<!DOCTYPE a>",
        "<?pi?>",
        "<!--c-->",
        "text",
        " ",
        "\r\n",
        "\r",
        "\u{1}",
        "<",
        "&",
        "'",
        "\"",
        "]]>",
        "é",
        "\u{FFFF}",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn borrowed_and_owned_reading_agree_on_any_input(parts in prop::collection::vec(piece(), 0..30)) {
        let doc = format!("<r>{}</r>", parts.concat());
        prop_assert_eq!(walk(doc.as_bytes(), true), walk(doc.as_bytes(), false));
    }

    #[test]
    fn borrowed_and_owned_reading_agree_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        prop_assert_eq!(walk(&bytes, true), walk(&bytes, false));
    }
}

#[test]
fn text_or_tree_gives_text_until_a_child_element_turns_up() {
    use strict_xml::{TextOrTree, XmlElement};
    let doc = b"<r><a>x &amp; y</a><b k='v'> lead <c>1</c> tail <d/></b><e>\n <f/>\n</e><g/></r>";
    let mut reader = XmlReader::new(doc).expect("size");
    reader.root_borrowed().expect("root");
    let mut contents = Vec::new();
    while let Some(tag) = reader.next_child_borrowed().expect("child") {
        contents.push(reader.read_text_or_tree(&tag).expect("content"));
    }
    reader.finish().expect("finish");
    let mut b = XmlElement::with_text("b", " lead  tail ")
        .with_child(XmlElement::with_text("c", "1"))
        .with_child(XmlElement::new("d"));
    b.attributes.push(("k".into(), "v".into()));
    assert_eq!(
        contents,
        vec![
            TextOrTree::Text("x & y".into()),
            TextOrTree::Tree(b),
            // Whitespace around child elements is dropped, as `read_tree` does.
            TextOrTree::Tree(XmlElement::new("e").with_child(XmlElement::new("f"))),
            TextOrTree::Text("".into()),
        ]
    );
    // The tree is exactly what `read_tree` reads.
    let mut reader = XmlReader::new(doc).expect("size");
    reader.root().expect("root");
    reader.next_child().expect("a").expect("a");
    reader.read_text().expect("a");
    let b_tag = reader.next_child().expect("b").expect("b");
    assert_eq!(
        Some(reader.read_tree(b_tag).expect("b")),
        match &contents[1] {
            TextOrTree::Tree(tree) => Some(tree.clone()),
            TextOrTree::Text(_) => None,
        }
    );
}

#[test]
fn text_or_tree_enforces_the_same_rules_in_text_and_in_the_tree() {
    for doc in [&b"<r><a>&bad;</a></r>"[..], b"<r><a>x<b>&bad;</b></a></r>"] {
        let mut reader = XmlReader::new(doc).expect("size");
        reader.root_borrowed().expect("root");
        let a = reader.next_child_borrowed().expect("a").expect("a");
        assert!(
            matches!(reader.read_text_or_tree(&a), Err(ReadError::UnknownEntity { ref name, .. }) if name == "bad"),
            "{doc:?}"
        );
    }
    let mut reader = XmlReader::with_limits(
        b"<r><a>x<b><c/></b></a></r>",
        strict_xml::Limits::new(100, 3),
    )
    .expect("size");
    reader.root_borrowed().expect("root");
    let a = reader.next_child_borrowed().expect("a").expect("a");
    assert_eq!(
        reader.read_text_or_tree(&a),
        Err(ReadError::TooDeep {
            limit: 3,
            position: 10
        })
    );
}

#[test]
fn position_is_the_end_of_what_was_read() {
    let doc = b"<r><a>1</a><b/></r>";
    let mut reader = XmlReader::new(doc).expect("size");
    reader.root_borrowed().expect("root");
    let a = reader.next_child_borrowed().expect("a").expect("a");
    let start = usize::try_from(a.position()).expect("small");
    reader.read_text_borrowed().expect("1");
    let end = usize::try_from(reader.position()).expect("small");
    assert_eq!(&doc[start..end], b"<a>1</a>");
}

#[test]
fn next_child_skipping_text_checks_and_drops_text_between_children() {
    let mut reader =
        XmlReader::new(b"<r>a &amp; <x/>b<![CDATA[c]]>&#233;<y>1</y>\n</r>").expect("size");
    reader.root_borrowed().expect("root");
    let mut names = Vec::new();
    while let Some(child) = reader.next_child_skipping_text().expect("child") {
        names.push(child.name().to_owned());
        reader.skip().expect("skip");
    }
    assert_eq!(names, ["x", "y"]);
    reader.finish().expect("finish");
    for (doc, expected) in [
        (&b"<r>&nbsp;<x/></r>"[..], "UnknownEntity"),
        (b"<r>&#1;</r>", "ForbiddenCharacter"),
        (b"<r><![CDATA[\x01]]></r>", "ForbiddenCharacter"),
        (b"<r>x", "UnexpectedEof"),
    ] {
        let mut reader = XmlReader::new(doc).expect("size");
        reader.root_borrowed().expect("root");
        let err = reader.next_child_skipping_text().expect_err("bad text");
        assert!(format!("{err:?}").starts_with(expected), "{doc:?}: {err:?}");
    }
}

fn text_or_child(doc: &[u8]) -> Result<strict_xml::TextOrChild<'_>, ReadError> {
    let mut reader = XmlReader::new(doc)?;
    reader.root_borrowed()?;
    reader.read_text_or_child()
}

#[test]
fn text_or_child_gives_the_text_or_the_first_child_with_the_same_rules() {
    use strict_xml::TextOrChild;

    assert!(matches!(
        text_or_child(b"<a>plain</a>"),
        Ok(TextOrChild::Text(Cow::Borrowed("plain")))
    ));
    assert!(matches!(text_or_child(b"<a/>"), Ok(TextOrChild::Text(t)) if t.is_empty()));
    assert_eq!(
        text_or_child(b"<a>x &amp; <![CDATA[y]]></a>").map(|c| match c {
            TextOrChild::Text(t) => t.into_owned(),
            TextOrChild::Child(_) => String::new(),
        }),
        Ok("x & y".to_owned())
    );
    assert!(matches!(
        text_or_child(b"<a> before <b/></a>"),
        Ok(TextOrChild::Child(b)) if b.name() == "b"
    ));
    // The text before a child is dropped, but checked all the same.
    assert!(matches!(
        text_or_child("<a>\u{1}<b/></a>".as_bytes()),
        Err(ReadError::ForbiddenCharacter { code_point: 1, .. })
    ));
    assert!(matches!(
        text_or_child(b"<a>&nbsp;<b/></a>"),
        Err(ReadError::UnknownEntity { .. })
    ));
    assert!(matches!(
        text_or_child(b"<a><b x='1' x='2'/></a>"),
        Err(ReadError::Malformed { .. })
    ));
    let limits = strict_xml::Limits::new(1024, 1);
    let mut reader = XmlReader::with_limits(b"<a><b/></a>", limits).expect("small");
    reader.root_borrowed().expect("root");
    assert!(matches!(
        reader.read_text_or_child(),
        Err(ReadError::TooDeep { limit: 1, .. })
    ));
}
