//! The tree route: a successful answer's result read from its data tree
//! (the reference the direct route is tested against, and the way back
//! for answers that lack their result element).

use std::borrow::Cow;

use strict_xml::XmlElement;

use super::fields::{customer_field, non_blank};
use crate::envelope::data_texts;
use crate::generated::{Customer, RequestType};
use crate::outcome::{Availability, OperationSuccess, read_availability};

/// The result of a `success="true"` response, or the missing element's name
/// (with the data, for the failure's texts).
pub(super) fn success(
    request_type: RequestType,
    mut data: XmlElement,
) -> Result<OperationSuccess, (&'static str, XmlElement)> {
    Ok(match request_type {
        RequestType::CreateCustomerNote => OperationSuccess::NoteCreated,
        RequestType::CreateTechSchedule => OperationSuccess::AppointmentCreated {
            confirmation_status_name: child_text(&data, "ConfirmationStatusName"),
        },
        RequestType::GetAppointmentAvailability => {
            let data = data_texts(&data);
            OperationSuccess::Availability(Availability {
                available: read_availability(&data),
                data,
            })
        }
        RequestType::GetCustomerStatus => {
            let Some(at) = data
                .children
                .iter()
                .position(|child| child.name == Customer::ELEMENT)
            else {
                return Err((Customer::ELEMENT, data));
            };
            let record = data.children.swap_remove(at);
            OperationSuccess::CustomerStatus(Box::new(customer(record)))
        }
        RequestType::GetSecurityTraxUniqueId => {
            // An id: surrounding whitespace is not part of it.
            match child_text(&data, "SecurityTraxUniqueID") {
                Some(id) => OperationSuccess::SecurityTraxUniqueId(id.trim().to_owned()),
                None => return Err(("SecurityTraxUniqueID", data)),
            }
        }
        RequestType::UpdateConfirmationNumber => OperationSuccess::ConfirmationNumberUpdated {
            message: child_text(&data, "message"),
        },
    })
}

/// The text of `data`'s first `<name>`, exactly as sent; `None` when absent or blank.
pub(super) fn child_text(data: &XmlElement, name: &str) -> Option<String> {
    data.child(name)
        .and_then(|child| non_blank(child.text.clone()))
}

/// Documented fields (first non-blank occurrence, exactly as sent; blank →
/// `None`) and undocumented ones, in order. An element with child elements is
/// flattened: each descendant becomes an undocumented field named by its path
/// (`Phones/Phone`), and the element's own non-blank text one named by its name.
pub(super) fn customer(record: XmlElement) -> Customer {
    let mut customer = Customer::default();
    for field in record.children {
        if !field.children.is_empty() {
            let path = field.name.clone();
            flatten(&path, field, &mut customer.extra_fields);
            continue;
        }
        customer_field(&mut customer, &field.name, Cow::Owned(field.text));
    }
    customer
}

/// Appends `element` (found at `path`) and its descendants as (path, text) pairs.
pub(super) fn flatten(path: &str, element: XmlElement, out: &mut Vec<(String, String)>) {
    if !element.text.trim().is_empty() {
        out.push((path.to_owned(), element.text));
    }
    for child in element.children {
        let child_path = format!("{path}/{}", child.name);
        if child.children.is_empty() {
            out.push((child_path, child.text));
        } else {
            flatten(&child_path, child, out);
        }
    }
}
