//! The direct route: a successful answer's result read straight from the
//! reader's events, without building a tree.

use std::borrow::Cow;

use strict_xml::{BorrowedStartTag, ReadError, TextOrTree, XmlReader};

use super::fields::{customer_field, non_blank_text};
use super::tree::flatten;
use crate::envelope::{data_texts, drop_echoes, is_echo, read_data_tree};
use crate::generated::{Customer, RequestType};
use crate::outcome::{Availability, OperationSuccess, read_availability};

/// The result of a successful answer of type `request_type`, read straight
/// from the rest of its `<response>` (an availability answer, whose texts are
/// all kept, still through a tree);
/// `Err` with the missing element's name when the answer lacks it. Decodes
/// what [`success`] decodes from the answer's tree.
pub(super) fn read_success(
    reader: &mut XmlReader<'_>,
    request_type: RequestType,
) -> Result<Result<OperationSuccess, &'static str>, ReadError> {
    Ok(Ok(match request_type {
        RequestType::CreateCustomerNote => {
            reader.skip()?;
            OperationSuccess::NoteCreated
        }
        RequestType::CreateTechSchedule => OperationSuccess::AppointmentCreated {
            confirmation_status_name: first_data_child_text(reader, "ConfirmationStatusName")?,
        },
        RequestType::UpdateConfirmationNumber => OperationSuccess::ConfirmationNumberUpdated {
            message: first_data_child_text(reader, "message")?,
        },
        RequestType::GetSecurityTraxUniqueId => {
            match first_data_child_text(reader, "SecurityTraxUniqueID")? {
                // An id: surrounding whitespace is not part of it.
                Some(id) => OperationSuccess::SecurityTraxUniqueId(id.trim().to_owned()),
                None => return Ok(Err("SecurityTraxUniqueID")),
            }
        }
        RequestType::GetCustomerStatus => match read_first_customer(reader)? {
            Some(customer) => OperationSuccess::CustomerStatus(customer),
            None => return Ok(Err(Customer::ELEMENT)),
        },
        RequestType::GetAppointmentAvailability => {
            let data = read_data_tree(reader)?;
            let data = data_texts(&data);
            OperationSuccess::Availability(Availability {
                available: read_availability(&data),
                data,
            })
        }
    }))
}

/// Walks the data children of the `<response>` whose start tag was just read
/// (the children of each `<data>`, and any other part itself; echoes left
/// out) and hands each to `visit`, which must read or skip it. Text in
/// `<data>` is checked and dropped.
fn for_each_data_child<'a>(
    reader: &mut XmlReader<'a>,
    mut visit: impl FnMut(&mut XmlReader<'a>, &BorrowedStartTag<'a>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    while let Some(part) = reader.next_child_borrowed()? {
        if is_echo(part.name()) {
            reader.skip()?;
        } else if part.name() == "data" {
            while let Some(child) = reader.next_child_skipping_text()? {
                if is_echo(child.name()) {
                    reader.skip()?;
                } else {
                    visit(reader, &child)?;
                }
            }
        } else {
            visit(reader, &part)?;
        }
    }
    Ok(())
}

/// The text of the first data child called `name`, exactly as sent; `None`
/// when there is none or it is blank (as [`child_text`] on the tree).
fn first_data_child_text(
    reader: &mut XmlReader<'_>,
    name: &str,
) -> Result<Option<String>, ReadError> {
    let mut found = None;
    for_each_data_child(reader, |reader, child| {
        if found.is_none() && child.name() == name {
            let text = match reader.read_text_or_tree(child)? {
                TextOrTree::Text(text) => text,
                TextOrTree::Tree(tree) => Cow::Owned(tree.text),
            };
            found = Some(non_blank_text(text));
            Ok(())
        } else {
            reader.skip()
        }
    })?;
    Ok(found.flatten())
}

/// The first data child `<Customer>`, decoded field by field (as [`customer`]
/// decodes its tree).
fn read_first_customer(reader: &mut XmlReader<'_>) -> Result<Option<Box<Customer>>, ReadError> {
    let mut found = None;
    for_each_data_child(reader, |reader, child| {
        if found.is_none() && child.name() == Customer::ELEMENT {
            found = Some(read_customer_fields(reader)?);
            Ok(())
        } else {
            reader.skip()
        }
    })?;
    Ok(found)
}

/// The fields of the `<Customer>` whose start tag was just read (boxed from
/// the start: the record is large).
fn read_customer_fields(reader: &mut XmlReader<'_>) -> Result<Box<Customer>, ReadError> {
    let mut customer = Box::<Customer>::default();
    while let Some(field) = reader.next_child_skipping_text()? {
        if is_echo(field.name()) {
            reader.skip()?;
            continue;
        }
        match reader.read_text_or_tree(&field)? {
            TextOrTree::Text(text) => customer_field(&mut customer, field.name(), text),
            TextOrTree::Tree(mut tree) => {
                drop_echoes(&mut tree);
                if tree.children.is_empty() {
                    customer_field(&mut customer, &tree.name, Cow::Owned(tree.text));
                } else {
                    let path = tree.name.clone();
                    flatten(&path, tree, &mut customer.extra_fields);
                }
            }
        }
    }
    Ok(customer)
}
