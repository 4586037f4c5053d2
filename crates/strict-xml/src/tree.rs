//! A small owned element tree, for the parts of a document a decoder wants
//! whole (e.g. a response's `<data>`), and for writing such parts back.

use crate::error::WriteError;
use crate::writer::XmlWriter;

/// One element with its attributes, its (joined) text and its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlElement {
    /// Element name.
    pub name: String,
    /// Attributes in document order, values resolved.
    pub attributes: Vec<(String, String)>,
    /// The element's own text (entities resolved, pieces joined). Empty when
    /// the element has child elements and only whitespace between them.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<XmlElement>,
}

impl XmlElement {
    /// An element with no attributes, text or children.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// An element holding only `text`.
    #[must_use]
    pub fn with_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            ..Self::default()
        }
    }

    /// Adds a child element (builder style).
    #[must_use]
    pub fn with_child(mut self, child: XmlElement) -> Self {
        self.children.push(child);
        self
    }

    /// The value of attribute `name`, if present.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first child element called `name`.
    #[must_use]
    pub fn child(&self, name: &str) -> Option<&XmlElement> {
        self.children.iter().find(|child| child.name == name)
    }

    /// Every non-empty text in this subtree, depth first, each with the name of
    /// the element holding it.
    ///
    /// ```
    /// use strict_xml::XmlElement;
    /// let data = XmlElement::new("data")
    ///     .with_child(XmlElement::with_text("message", "Bad ID"))
    ///     .with_child(XmlElement::new("errors").with_child(XmlElement::with_text("error", "No customer")));
    /// assert_eq!(
    ///     data.texts(),
    ///     vec![("message", "Bad ID"), ("error", "No customer")]
    /// );
    /// ```
    #[must_use]
    pub fn texts(&self) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        self.collect_texts(&mut out);
        out
    }

    fn collect_texts<'s>(&'s self, out: &mut Vec<(&'s str, &'s str)>) {
        if !self.text.trim().is_empty() {
            out.push((self.name.as_str(), self.text.as_str()));
        }
        for child in &self.children {
            child.collect_texts(out);
        }
    }
}

impl XmlWriter {
    /// Writes `element` and its subtree: the element's text first, then its children.
    ///
    /// # Errors
    /// Invalid names or characters XML 1.0 forbids, naming the element.
    pub fn write_tree(&mut self, element: &XmlElement) -> Result<(), WriteError> {
        let attributes: Vec<(&str, &str)> = element
            .attributes
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        if element.children.is_empty() {
            return self.text_element(&element.name, &attributes, &element.name, &element.text);
        }
        self.element(&element.name, &attributes, |w| {
            if !element.text.is_empty() {
                w.text(&element.name, &element.text)?;
            }
            element
                .children
                .iter()
                .try_for_each(|child| w.write_tree(child))
        })
    }
}
