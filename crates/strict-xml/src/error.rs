//! Errors of the strict reader and writer. No quick-xml type appears in them.

/// Why a document could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A value holds a character that XML 1.0 forbids; it is never written.
    #[error("field `{field}` contains the character U+{code_point:04X}, which XML 1.0 forbids")]
    ForbiddenCharacter {
        /// The field (element, attribute or protocol field name) the value belongs to.
        field: String,
        /// The offending character's Unicode code point.
        code_point: u32,
    },
    /// An element or attribute name is not a valid XML name.
    #[error("`{name}` is not a valid XML element or attribute name")]
    InvalidName {
        /// The rejected name.
        name: String,
    },
}

/// Why a document could not be read.
///
/// Positions are byte offsets into the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The input is larger than the configured cap.
    #[error("document is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The configured cap in bytes.
        limit: usize,
    },
    /// The input is not well-formed XML (or not UTF-8).
    #[error("malformed XML at byte {position}: {message}")]
    Malformed {
        /// Byte offset of the problem.
        position: u64,
        /// What the parser found wrong.
        message: String,
    },
    /// The input has a `<!DOCTYPE …>`; document type declarations are never accepted.
    #[error("document type declarations (<!DOCTYPE …>) are not accepted (byte {position})")]
    DocType {
        /// Byte offset of the declaration.
        position: u64,
    },
    /// An entity reference other than the five predefined ones.
    #[error(
        "unknown entity `&{name};` at byte {position}: only &lt; &gt; &amp; &apos; &quot; and numeric character references are accepted"
    )]
    UnknownEntity {
        /// The entity name, without `&` and `;`.
        name: String,
        /// Byte offset of the reference (or of the tag holding the attribute).
        position: u64,
    },
    /// A numeric character reference that is not a number or not a Unicode scalar value.
    #[error("invalid character reference `&{reference};` at byte {position}")]
    InvalidCharacterReference {
        /// The reference, without `&` and `;`.
        reference: String,
        /// Byte offset of the reference (or of the tag holding the attribute).
        position: u64,
    },
    /// A character XML 1.0 forbids, written literally or as a reference.
    #[error("character U+{code_point:04X} near byte {position} is not allowed in XML 1.0")]
    ForbiddenCharacter {
        /// The offending character's Unicode code point.
        code_point: u32,
        /// Byte offset of the text or tag that holds it.
        position: u64,
    },
    /// An element where only text was expected.
    #[error(
        "unexpected element <{name}> inside <{parent}> at byte {position}: only text is expected there"
    )]
    UnexpectedElement {
        /// The element found.
        name: String,
        /// The element it was found in.
        parent: String,
        /// Byte offset of its start tag.
        position: u64,
    },
    /// Text (other than whitespace) where only elements were expected.
    #[error(
        "unexpected text inside <{parent}> at byte {position}: only elements are expected there"
    )]
    UnexpectedText {
        /// The element holding the text.
        parent: String,
        /// Byte offset of the text.
        position: u64,
    },
    /// The input ended inside an element.
    #[error("document ended inside <{open}> before its end tag")]
    UnexpectedEof {
        /// The innermost element left open.
        open: String,
    },
    /// The input holds no element at all.
    #[error("document has no root element")]
    NoRootElement,
    /// An element or text follows the root element.
    #[error("content after the end of the root element at byte {position}")]
    TrailingContent {
        /// Byte offset of the content.
        position: u64,
    },
    /// The document holds more elements than the configured cap.
    #[error("document has more than the limit of {limit} elements (at byte {position})")]
    TooManyElements {
        /// The configured element cap.
        limit: usize,
        /// Byte offset of the first element over the cap.
        position: u64,
    },
    /// Elements nest deeper than the configured cap.
    #[error("elements nest deeper than the limit of {limit} at byte {position}")]
    TooDeep {
        /// The configured nesting cap.
        limit: usize,
        /// Byte offset of the element that went too deep.
        position: u64,
    },
}

impl ReadError {
    /// Hands every text of the error that comes from the document (element
    /// and entity names, the parser's message, which may quote the input) to
    /// `edit`, which may change it in place: for removing secrets a document
    /// quoted before the error is shown.
    pub fn edit_texts(&mut self, mut edit: impl FnMut(&mut String)) {
        match self {
            Self::Malformed { message, .. } => edit(message),
            Self::UnknownEntity { name, .. } => edit(name),
            Self::InvalidCharacterReference { reference, .. } => edit(reference),
            Self::UnexpectedElement { name, parent, .. } => {
                edit(name);
                edit(parent);
            }
            Self::UnexpectedText { parent, .. } => edit(parent),
            Self::UnexpectedEof { open } => edit(open),
            Self::TooLarge { .. }
            | Self::DocType { .. }
            | Self::ForbiddenCharacter { .. }
            | Self::NoRootElement
            | Self::TrailingContent { .. }
            | Self::TooManyElements { .. }
            | Self::TooDeep { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_text_of_an_error_can_be_edited() {
        let mut errors = [
            ReadError::Malformed {
                position: 1,
                message: "found `s3cret`".into(),
            },
            ReadError::UnknownEntity {
                name: "s3cret".into(),
                position: 1,
            },
            ReadError::InvalidCharacterReference {
                reference: "s3cret".into(),
                position: 1,
            },
            ReadError::UnexpectedElement {
                name: "s3cret".into(),
                parent: "s3cret".into(),
                position: 1,
            },
            ReadError::UnexpectedText {
                parent: "s3cret".into(),
                position: 1,
            },
            ReadError::UnexpectedEof {
                open: "s3cret".into(),
            },
        ];
        for error in &mut errors {
            error.edit_texts(|text| *text = text.replace("s3cret", "[x]"));
            let shown = format!("{error} {error:?}");
            assert!(
                !shown.contains("s3cret") && shown.contains("[x]"),
                "{shown}"
            );
        }
    }
}
