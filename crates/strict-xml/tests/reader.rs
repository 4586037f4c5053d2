//! Behaviour of the strict reader: what it accepts and what it rejects.

use strict_xml::{Limits, ReadError, XmlReader};

fn only_text(doc: &str) -> Result<String, ReadError> {
    let mut reader = XmlReader::new(doc.as_bytes())?;
    reader.root()?;
    let text = reader.read_text()?;
    reader.finish()?;
    Ok(text)
}

#[test]
fn resolves_predefined_and_numeric_references_and_joins_cdata() {
    // `&#X41;` (capital X) is not an XML character reference.
    assert_eq!(
        only_text("<a>&#X41;</a>"),
        Err(ReadError::InvalidCharacterReference {
            reference: "#X41".into(),
            position: 3
        })
    );
    assert_eq!(
        only_text("<a>&lt;&gt;&amp;&apos;&quot; &#233;&#xE9;<![CDATA[<&]]>x<!-- c -->y</a>")
            .expect("valid"),
        "<>&'\" éé<&xy"
    );
}

#[test]
fn accepts_no_declaration_single_quotes_pis_and_comments() {
    let doc = "<!-- before --><?pi data?><root a='1' b=\"2\"><x/></root><!-- after -->";
    let mut reader = XmlReader::new(doc.as_bytes()).expect("size");
    let root = reader.root().expect("root");
    assert_eq!(root.attribute("a"), Some("1"));
    assert_eq!(root.attribute("b"), Some("2"));
    let x = reader.next_child().expect("child").expect("x");
    assert_eq!(x.name(), "x");
    assert_eq!(reader.read_text().expect("empty"), "");
    assert!(reader.next_child().expect("end").is_none());
    reader.finish().expect("only misc after root");
}

#[test]
fn normalises_literal_line_ends_but_keeps_referenced_cr() {
    assert_eq!(
        only_text("<a>1\r\n2\r3&#13;4</a>").expect("valid"),
        "1\n2\n3\r4"
    );
    let mut reader = XmlReader::new(b"<a v='x&#9;y&#10;z&#13;\tw'/>").expect("size");
    assert_eq!(
        reader.root().expect("root").attribute("v"),
        Some("x\ty\nz\r w")
    );
}

#[test]
fn rejects_doctype() {
    let err = only_text("<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'boom'>]><a>&e;</a>")
        .expect_err("doctype");
    assert!(
        matches!(err, ReadError::DocType { position: 21 }),
        "{err:?}"
    );
}

#[test]
fn rejects_unknown_entities_in_text_and_attributes() {
    let err = only_text("<a>x &nbsp; y</a>").expect_err("entity");
    assert_eq!(
        err,
        ReadError::UnknownEntity {
            name: "nbsp".into(),
            position: 5
        }
    );
    assert!(err.to_string().contains("&nbsp;"));
    let err = XmlReader::new(b"<a v='&ent;'/>")
        .expect("size")
        .root()
        .expect_err("entity");
    assert!(
        matches!(err, ReadError::UnknownEntity { ref name, .. } if name == "ent"),
        "{err:?}"
    );
}

#[test]
fn rejects_invalid_and_forbidden_character_references() {
    for (doc, expected) in [
        ("<a>&#xD800;</a>", "#xD800"),
        ("<a>&#0;</a>", "#0"),
        ("<a>&#12z;</a>", "#12z"),
        ("<a>&#99999999;</a>", "#99999999"),
    ] {
        assert_eq!(
            only_text(doc),
            Err(ReadError::InvalidCharacterReference {
                reference: expected.into(),
                position: 3
            }),
            "{doc}"
        );
    }
    assert!(matches!(
        only_text("<a>&#1;</a>").expect_err("forbidden"),
        ReadError::ForbiddenCharacter { code_point: 1, .. }
    ));
    assert!(matches!(
        XmlReader::new(b"<a v='&#x1F;'/>")
            .expect("size")
            .root()
            .expect_err("forbidden"),
        ReadError::ForbiddenCharacter {
            code_point: 0x1F,
            ..
        }
    ));
    let err = XmlReader::new(b"<a v='&#xD800;'/>")
        .expect("size")
        .root()
        .expect_err("invalid");
    assert_eq!(
        err,
        ReadError::InvalidCharacterReference {
            reference: "#xD800".into(),
            position: 0
        }
    );
}

#[test]
fn rejects_literal_forbidden_characters() {
    assert!(matches!(
        only_text("<a>x\u{1}</a>").expect_err("control"),
        ReadError::ForbiddenCharacter { code_point: 1, .. }
    ));
    assert!(matches!(
        only_text("<a><![CDATA[\u{B}]]></a>").expect_err("control in cdata"),
        ReadError::ForbiddenCharacter {
            code_point: 0xB,
            ..
        }
    ));
}

#[test]
fn caps_input_size_and_depth() {
    let err = XmlReader::with_limits(b"<a></a>", Limits::new(3, 8)).expect_err("size");
    assert_eq!(err, ReadError::TooLarge { size: 7, limit: 3 });
    let mut reader =
        XmlReader::with_limits(b"<a><b><c/></b></a>", Limits::new(100, 2)).expect("size");
    let root = reader.root().expect("root");
    let err = reader.read_tree(root).expect_err("depth");
    assert_eq!(
        err,
        ReadError::TooDeep {
            limit: 2,
            position: 6
        }
    );
}

#[test]
fn reports_structure_errors() {
    assert_eq!(
        XmlReader::new(b"  <!-- x -->").expect("size").root(),
        Err(ReadError::NoRootElement)
    );
    assert!(matches!(
        XmlReader::new(b"hello<a/>").expect("size").root(),
        Err(ReadError::UnexpectedText { .. })
    ));
    let mut reader = XmlReader::new(b"<a><b>t</b>stray</a>").expect("size");
    reader.root().expect("root");
    reader.next_child().expect("b").expect("b");
    assert_eq!(reader.read_text().expect("t"), "t");
    assert_eq!(
        reader.next_child(),
        Err(ReadError::UnexpectedText {
            parent: "a".into(),
            position: 11
        })
    );
    let mut reader = XmlReader::new(b"<a><b><c/></b></a>").expect("size");
    reader.root().expect("root");
    reader.next_child().expect("b").expect("b");
    assert_eq!(
        reader.read_text(),
        Err(ReadError::UnexpectedElement {
            name: "c".into(),
            parent: "b".into(),
            position: 6
        })
    );
    let mut reader = XmlReader::new(b"<a><b>").expect("size");
    reader.root().expect("root");
    reader.next_child().expect("b").expect("b");
    assert_eq!(
        reader.read_text(),
        Err(ReadError::UnexpectedEof { open: "b".into() })
    );
    let mut reader = XmlReader::new(b"<a/><b/>").expect("size");
    reader.root().expect("root");
    assert!(reader.next_child().expect("end").is_none());
    assert_eq!(
        reader.finish(),
        Err(ReadError::TrailingContent { position: 4 })
    );
    let mut reader = XmlReader::new(b"<a></b>").expect("size");
    reader.root().expect("root");
    assert!(matches!(
        reader.next_child(),
        Err(ReadError::Malformed { .. })
    ));
    assert!(matches!(
        XmlReader::new(b"<a x='1' x='2'/>").expect("size").root(),
        Err(ReadError::Malformed { .. })
    ));
}

#[test]
fn rejects_invalid_utf8_text() {
    let mut reader = XmlReader::new(b"<a>\xff\xfe</a>").expect("size");
    let result = reader.root().and_then(|_| reader.read_text());
    assert!(
        matches!(result, Err(ReadError::Malformed { .. })),
        "{result:?}"
    );
}

#[test]
fn skip_and_read_tree_enforce_the_same_rules() {
    let mut reader = XmlReader::new(b"<r><x><y>&bad;</y></x></r>").expect("size");
    reader.root().expect("root");
    reader.next_child().expect("x").expect("x");
    assert!(matches!(
        reader.skip(),
        Err(ReadError::UnknownEntity { .. })
    ));

    let mut reader = XmlReader::new(b"<r><x><y>1</y><y/></x><z>2</z></r>").expect("size");
    reader.root().expect("root");
    reader.next_child().expect("x").expect("x");
    reader.skip().expect("skip x");
    let z = reader.next_child().expect("z").expect("z");
    assert_eq!(z.name(), "z");
    let tree = reader.read_tree(z).expect("tree");
    assert_eq!(tree.text, "2");

    let mut reader =
        XmlReader::new(b"<data>\n  <m k='v'>a &amp; b</m>\n  <e/>\n</data>").expect("size");
    let root = reader.root().expect("root");
    let tree = reader.read_tree(root).expect("tree");
    assert_eq!(tree.text, "");
    assert_eq!(tree.children.len(), 2);
    assert_eq!(tree.child("m").map(|m| m.text.as_str()), Some("a & b"));
    assert_eq!(tree.child("m").and_then(|m| m.attribute("k")), Some("v"));
    assert_eq!(tree.texts(), vec![("m", "a & b")]);
}

#[test]
fn caps_the_number_of_elements_so_a_tree_cannot_outgrow_the_input_cap() {
    // 4 MiB of `<a/>` under the default limits: a million elements, which
    // used to become a tree of some 235 MB.
    let mut doc = String::from("<data>");
    while doc.len() + "<a/></data>".len() <= Limits::default().max_input_bytes() {
        doc.push_str("<a/>");
    }
    doc.push_str("</data>");
    let mut reader = XmlReader::new(doc.as_bytes()).expect("within the size cap");
    let root = reader.root().expect("root");
    let err = reader.read_tree(root).expect_err("too many elements");
    // The root is element 1; element 100,001 is the 100,000th `<a/>`.
    assert_eq!(
        err,
        ReadError::TooManyElements {
            limit: 100_000,
            position: 6 + 4 * 99_999
        }
    );
    assert_eq!(
        err.to_string(),
        "document has more than the limit of 100000 elements (at byte 400002)"
    );
}

#[test]
fn the_element_cap_counts_every_element_of_the_document_whatever_reads_it() {
    let limits = Limits::new(1024, 8).with_max_elements(3);
    let read_all = |doc: &[u8]| -> Result<(), ReadError> {
        let mut reader = XmlReader::with_limits(doc, limits)?;
        reader.root_borrowed()?;
        while reader.next_child_borrowed()?.is_some() {
            reader.skip()?;
        }
        reader.finish()
    };
    assert_eq!(
        read_all(b"<r><a/><b><c/></b></r>").map_err(|e| e.to_string()),
        Err("document has more than the limit of 3 elements (at byte 10)".into())
    );
    assert_eq!(read_all(b"<r><a/><b/></r>"), Ok(()));
    // Exactly at the cap is accepted by every reading method.
    let mut reader = XmlReader::with_limits(b"<r><a>1</a><b>2</b></r>", limits).expect("size");
    let root = reader.root().expect("root");
    assert_eq!(
        reader
            .read_tree(root)
            .expect("three elements")
            .children
            .len(),
        2
    );
}

#[test]
fn rejects_a_literal_less_than_sign_in_attribute_values() {
    for doc in [&b"<root a='<'/>"[..], b"<root b='1' a=\"x<y\"></root>"] {
        let err = XmlReader::new(doc)
            .expect("size")
            .root()
            .expect_err("literal <");
        assert!(
            matches!(&err, ReadError::Malformed { position: 0, message } if message.contains("attribute `a`") && message.contains("literal `<`")),
            "{err:?}"
        );
        assert_eq!(XmlReader::new(doc).expect("size").root_borrowed(), Err(err));
    }
    // Nested tags are checked too, also when they are only skipped.
    let mut reader = XmlReader::new(b"<r><x><y k='<'/></x></r>").expect("size");
    reader.root().expect("root");
    reader.next_child().expect("x").expect("x");
    assert!(matches!(
        reader.skip(),
        Err(ReadError::Malformed { position: 6, .. })
    ));
    // `&lt;` and a literal `>` are fine.
    let mut reader = XmlReader::new(b"<root a='&lt;&gt;>'/>").expect("size");
    assert_eq!(reader.root().expect("root").attribute("a"), Some("<>>"));
}

#[test]
fn depth_is_capped_whatever_the_caller_asks_for() {
    assert_eq!(Limits::new(10, usize::MAX).max_depth(), Limits::MAX_DEPTH);
    assert_eq!(Limits::new(10, 257).max_depth(), 256);
    assert_eq!(Limits::new(10, 256).max_depth(), 256);
    assert_eq!(Limits::new(10, 3).max_depth(), 3);
    // 100,000 nested elements used to recurse 100,000 times in `read_tree`
    // (a stack overflow); now reading stops at the depth cap.
    let depth = 100_000;
    let doc = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let limits = Limits::new(doc.len(), usize::MAX).with_max_elements(depth);
    let mut reader = XmlReader::with_limits(doc.as_bytes(), limits).expect("size");
    let root = reader.root().expect("root");
    assert_eq!(
        reader.read_tree(root),
        Err(ReadError::TooDeep {
            limit: 256,
            position: 3 * 256
        })
    );
    // Just under the cap, a tree that deep is built (and dropped) fine.
    let doc = format!("{}{}", "<a>".repeat(256), "</a>".repeat(256));
    let mut reader = XmlReader::with_limits(doc.as_bytes(), limits).expect("size");
    let root = reader.root().expect("root");
    let mut tree = reader.read_tree(root).expect("256 levels");
    let mut levels = 1;
    while let Some(child) = tree.children.pop() {
        tree = child;
        levels += 1;
    }
    assert_eq!(levels, 256);
}

#[test]
fn duplicate_attributes_are_refused_in_short_and_long_tags_alike() {
    let padding = format!("p='{}'", "x".repeat(300));
    for (doc, message) in [
        (
            "<a x='1' y='2' x='3'/>".to_owned(),
            "position 14: duplicated attribute, previous declaration at position 2",
        ),
        (
            format!("<a x='1' {padding} x='3'/>"),
            "position 313: duplicated attribute, previous declaration at position 2",
        ),
    ] {
        let err = XmlReader::new(doc.as_bytes())
            .expect("size")
            .root_borrowed()
            .expect_err("duplicate");
        assert_eq!(
            err,
            ReadError::Malformed {
                position: 0,
                message: message.into()
            },
            "{doc}"
        );
    }
    // Many distinct attributes are fine either way.
    let many: String = (0..60).map(|i| format!(" a{i}='{i}'")).collect();
    let doc = format!("<a{many}/>");
    let root = XmlReader::new(doc.as_bytes())
        .expect("size")
        .root()
        .expect("distinct");
    assert_eq!(root.attributes().len(), 60);
    assert_eq!(root.attribute("a59"), Some("59"));
}

#[test]
fn only_xml_whitespace_may_follow_a_tag_name() {
    // XML's whitespace is space, tab, CR and LF; a no-break space (or any other
    // Unicode space) in a tag is not whitespace but a malformed attribute.
    for doc in ["<a \u{a0}>t</a>", "<a \u{2003}/>", "<a\t\u{a0}>t</a>"] {
        assert!(only_text(doc).is_err(), "{doc:?} was accepted");
    }
    for doc in ["<a >t</a>", "<a \t\r\n>t</a>"] {
        assert!(only_text(doc).is_ok(), "{doc:?} was refused");
    }
}
