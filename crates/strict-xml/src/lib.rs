#![doc = include_str!("../README.md")]
//!
//! # The parts
//!
//! Sans-IO: it works on byte slices and returns values.
//!
//! - [`XmlWriter`] writes documents with escaping always on, and refuses
//!   characters XML 1.0 forbids ([`WriteError::ForbiddenCharacter`]).
//! - [`XmlReader`] reads one in-memory document with a size, depth and
//!   element-count cap ([`Limits`]), rejects `<!DOCTYPE>` and unknown
//!   entities, resolves the predefined and numeric references, and offers a
//!   small pull API whose text values come back already joined and resolved,
//!   owned or (`*_borrowed`) borrowed from the input when nothing needed
//!   resolving.
//! - [`PreparedElement`] is a start tag checked and escaped once, for
//!   documents that write the same element many times.
//! - [`XmlElement`] is a tiny owned tree for parts a decoder wants whole.
//!
//! Any string without forbidden characters survives write → read unchanged
//! (CR, TAB and LF included; see the [`writer`] module for how).

mod chars;
mod entities;
mod error;
mod escape;
mod fragment;
mod limits;
mod prepared;
pub mod reader;
mod swar;
mod tag;
mod tree;
pub mod writer;

pub use chars::{first_forbidden_char, is_xml10_char};
pub use entities::resolve_predefined_entities;
pub use error::{ReadError, WriteError};
pub use fragment::Fragment;
pub use prepared::{PreparedElement, PreparedSiblings, SiblingWriter};
pub use reader::{
    BorrowedStartTag, Element, KnownElement, Limits, StartTag, TextOrChild, TextOrElement,
    TextOrTree, XmlReader,
};
pub use tree::XmlElement;
pub use writer::{Checkpoint, XmlWriter};
