//! Property tests: round trips and robustness on arbitrary input.

use proptest::prelude::*;
use strict_xml::{XmlElement, XmlReader, XmlWriter, is_xml10_char};

/// Any string of characters XML 1.0 allows, biased towards markup and line ends.
fn xml_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "&", "<", ">", "'", "\"", "]]>", "\r", "\n", "\t", "\r\n", "&amp;", "&#13;", " ", "é", "😀",
    ])
    .prop_map(str::to_owned);
    let any = any::<char>()
        .prop_filter("XML 1.0 char", |c| is_xml10_char(*c))
        .prop_map(String::from);
    prop::collection::vec(prop_oneof![special, any], 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_and_attribute_values_survive_write_then_read(text in xml_text(), attr in xml_text()) {
        let mut writer = XmlWriter::indented();
        writer.declaration();
        writer.element("root", &[], |w| w.text_element("v", &[("a", &attr)], "v", &text)).expect("allowed chars");
        let doc = writer.finish();
        let mut reader = XmlReader::new(&doc).expect("size");
        reader.root().expect("root");
        let v = reader.next_child().expect("child").expect("v");
        prop_assert_eq!(v.attribute("a"), Some(attr.as_str()));
        prop_assert_eq!(reader.read_text().expect("text"), text);
        prop_assert!(reader.next_child().expect("end").is_none());
        reader.finish().expect("finish");
    }

    #[test]
    fn trees_survive_write_then_read(texts in prop::collection::vec(xml_text(), 1..5)) {
        let mut tree = XmlElement::new("data");
        for (i, text) in texts.iter().enumerate() {
            tree = tree.with_child(XmlElement::with_text(format!("e{i}"), text.clone()));
        }
        let mut writer = XmlWriter::new();
        writer.write_tree(&tree).expect("write");
        let doc = writer.finish();
        let mut reader = XmlReader::new(&doc).expect("size");
        let root = reader.root().expect("root");
        prop_assert_eq!(reader.read_tree(root).expect("read"), tree);
    }

    #[test]
    fn strings_with_a_forbidden_char_are_refused(prefix in xml_text(), bad in prop::sample::select(vec!['\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'])) {
        let value = format!("{prefix}{bad}");
        let mut writer = XmlWriter::new();
        let err = writer.text_element("v", &[], "Field", &value).expect_err("forbidden");
        prop_assert_eq!(err, strict_xml::WriteError::ForbiddenCharacter { field: "Field".into(), code_point: u32::from(bad) });
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        walk(&bytes);
    }

    #[test]
    fn never_panics_on_xml_like_noise(parts in prop::collection::vec(prop::sample::select(vec![
        "<a>", "</a>", "<b x='1'>", "</b>", "<c/>", "&amp;", "&#233;", "&#xD800;", "&foo;", "<![CDATA[x]]>",
        "<!DOCTYPE a>", "<?pi?>", "<!--c-->", "text", " ", "\r\n", "\u{1}", "<", "&", "'", "\"", "]]>",
    ]), 0..40)) {
        walk(parts.concat().as_bytes());
    }
}

/// Reads a whole document through the pull API, whatever it holds.
fn walk(bytes: &[u8]) {
    let Ok(mut reader) = XmlReader::new(bytes) else {
        return;
    };
    let Ok(root) = reader.root() else { return };
    if reader.read_tree(root).is_ok() {
        let _ = reader.finish();
    }
}
