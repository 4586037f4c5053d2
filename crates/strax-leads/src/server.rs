//! The service's side, for simulators (crmwire's sandbox): reading a posted
//! document and writing the answer.
//!
//! ```
//! use strax_leads::server::{Answer, decode_posted, encode_answer};
//! use strax_leads::{Lead, Mode, PostOutcome, Redactor, decode_response_body, encode_document};
//!
//! let lead = Lead { source_id: Some("77".into()), fname: Some("Sue".into()), lname: Some("Doe".into()),
//!     city: Some("Notus".into()), state: Some("ID".into()), phone1: Some("8013127735".into()), ..Lead::default() };
//! let posted = decode_posted::<Lead>(&encode_document(&[lead.clone()], Mode::Strict)?).expect("a lead document");
//! assert_eq!(posted[0].as_ref().ok(), Some(&lead));
//!
//! let answer = encode_answer(&[Answer::accepted("Sue", "Doe", "1003")]);
//! assert_eq!(
//!     decode_response_body(&answer, 1, &Redactor::none()),
//!     [PostOutcome::Accepted { customer_id: Some("1003".into()) }]
//! );
//! # Ok::<(), strax_leads::Violations>(())
//! ```

use strax_xml_protocol::envelope::is_echo;
use strict_xml::{ReadError, TextOrTree, XmlReader, XmlWriter};
use wire_core::validation::{Violation, Violations};

use crate::field::PostRecord;
use crate::normalise::Mode;

/// Why a posted document cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PostedError {
    /// Not acceptable XML.
    #[error("the document is not acceptable XML: {0}")]
    Xml(#[from] ReadError),
    /// The root element is not the list expected (`<leads>`, `<customers>`).
    #[error("the root element is <{found}>, expected <{expected}>")]
    Root {
        /// The root found.
        found: String,
        /// The root expected.
        expected: &'static str,
    },
}

/// Every record of a posted document, in order: the record checked as the
/// vendor documents it ([`Mode::Strict`]: digits must be digits), or every
/// rule it breaks, all at once ([`PostRecord::from_fields_checked`]). Elements other than records in the list are skipped; an
/// element a record does not document is an `unknown_field`
/// violation; a field given twice a `duplicate` one. A field left out
/// is unset.
///
/// # Errors
/// [`PostedError`] when the document is not XML or not a list of `R`.
pub fn decode_posted<R: PostRecord>(
    body: &[u8],
) -> Result<Vec<Result<R, Violations>>, PostedError> {
    let mut reader = XmlReader::new(body)?;
    let root = reader.root_borrowed()?;
    if root.name() != R::LIST_ELEMENT {
        return Err(PostedError::Root {
            found: root.name().to_owned(),
            expected: R::LIST_ELEMENT,
        });
    }
    let mut records = Vec::new();
    while let Some(child) = reader.next_child_borrowed()? {
        if child.name() != R::ELEMENT {
            reader.skip()?;
            continue;
        }
        let index = records.len();
        let fields = read_fields::<R>(&mut reader)?;
        records.push(R::from_fields_checked(index, fields, Mode::Strict));
    }
    reader.finish()?;
    Ok(records)
}

/// The (name, text) pairs of the record element just opened; emergency
/// contacts flattened to `EmergencyContacts/<n>/<field>`, any other nested
/// element named by its path so that it is reported as unknown.
fn read_fields<R: PostRecord>(
    reader: &mut XmlReader<'_>,
) -> Result<Vec<(String, String)>, ReadError> {
    let mut fields = Vec::new();
    while let Some(field) = reader.next_child_skipping_text()? {
        if is_echo(field.name()) {
            reader.skip()?;
            continue;
        }
        let name = field.name().to_owned();
        match reader.read_text_or_tree(&field)? {
            TextOrTree::Text(text) => fields.push((name, text.into_owned())),
            TextOrTree::Tree(tree) => {
                let contacts =
                    R::HAS_EMERGENCY_CONTACTS && name == crate::EmergencyContact::LIST_ELEMENT;
                if contacts {
                    let items = tree
                        .children
                        .iter()
                        .filter(|c| c.name == crate::EmergencyContact::ELEMENT);
                    for (position, item) in items.enumerate() {
                        for part in &item.children {
                            fields.push((
                                format!("{name}/{}/{}", position + 1, part.name),
                                part.text.clone(),
                            ));
                        }
                    }
                } else {
                    fields.push((name, tree.text));
                }
            }
        }
    }
    Ok(fields)
}

/// The service's answer to one record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// Taken: the record's names are echoed with its new customer id.
    Accepted {
        /// Echoed `<fname>`.
        fname: String,
        /// Echoed `<lname>`.
        lname: String,
        /// The id assigned.
        customer_id: String,
    },
    /// Refused, with one `<error>` per text.
    Rejected {
        /// The error texts.
        errors: Vec<String>,
    },
}

impl Answer {
    /// [`Answer::Accepted`].
    #[must_use]
    pub fn accepted(fname: &str, lname: &str, customer_id: &str) -> Self {
        Self::Accepted {
            fname: fname.to_owned(),
            lname: lname.to_owned(),
            customer_id: customer_id.to_owned(),
        }
    }

    /// [`Answer::Rejected`] listing every violation as the service words it
    /// (`phone1: must be digits only (0-9)`, without the record's position).
    #[must_use]
    pub fn rejected(violations: &Violations) -> Self {
        Self::Rejected {
            errors: violations.iter().map(error_text).collect(),
        }
    }
}

/// A violation as an error text: the field and the rule.
#[must_use]
pub fn error_text(violation: &Violation) -> String {
    format!("{} {}", violation.field, violation.rule)
}

/// The answer document: `<root><responses>`, one `<response success="…">`
/// per record in order. Characters XML 1.0 forbids in an echoed name or an
/// error text are replaced by U+FFFD (an answer is always written).
#[must_use]
pub fn encode_answer(answers: &[Answer]) -> Vec<u8> {
    let clean = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if strict_xml::is_xml10_char(c) {
                    c
                } else {
                    '\u{FFFD}'
                }
            })
            .collect()
    };
    let mut writer = XmlWriter::indented();
    writer
        .element("root", &[], |w| {
            w.element("responses", &[], |w| {
                for answer in answers {
                    match answer {
                        Answer::Accepted {
                            fname,
                            lname,
                            customer_id,
                        } => w.element("response", &[("success", "true")], |w| {
                            w.element("data", &[], |w| {
                                w.text_element("fname", &[], "fname", &clean(fname))?;
                                w.text_element("lname", &[], "lname", &clean(lname))?;
                                w.text_element(
                                    "customer_id",
                                    &[],
                                    "customer_id",
                                    &clean(customer_id),
                                )
                            })
                        })?,
                        Answer::Rejected { errors } => {
                            w.element("response", &[("success", "false")], |w| {
                                w.element("data", &[], |w| {
                                    errors.iter().try_for_each(|e| {
                                        w.text_element("error", &[], "error", &clean(e))
                                    })
                                })
                            })?;
                        }
                    }
                }
                Ok(())
            })
        })
        // Every value was cleaned and every name is fixed: nothing can fail.
        .unwrap_or_default();
    let mut out = br#"<?xml version="1.0"?>"#.to_vec();
    out.push(b'\n');
    out.extend(writer.finish());
    out
}
