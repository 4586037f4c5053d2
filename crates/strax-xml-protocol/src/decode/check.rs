//! Answers checked against the question: an answer that names another
//! record than the one asked about is not believed.
//!
//! Of the documented answers, only a customer status names its record (its
//! `<ID>` and `<SecurityTraxUniqueID>`); the others carry nothing the request
//! can be checked against (a confirmation status name, a unique id found by
//! phone or account number, a free-text message, availability texts).

use crate::operation::Operation;
use crate::outcome::{OperationFailure, OperationOutcome, OperationSuccess};

/// Replaces a success that contradicts `operation` with an undecodable
/// failure (without the answer's texts: they describe another record).
pub(super) fn against_request(operation: &Operation, outcome: &mut OperationOutcome) {
    let Ok(success) = outcome else {
        return;
    };
    if let Some(reason) = contradiction(operation, success) {
        *outcome = Err(OperationFailure::undecodable(
            operation.request_type(),
            reason,
            Vec::new(),
        ));
    }
}

/// What in `success` contradicts `operation`, if anything.
fn contradiction(operation: &Operation, success: &OperationSuccess) -> Option<String> {
    let (Operation::GetCustomerStatus(asked), OperationSuccess::CustomerStatus(customer)) =
        (operation, success)
    else {
        return None;
    };
    let asked = asked.security_trax_unique_id.as_str();
    [
        ("ID", customer.id.as_deref()),
        (
            "SecurityTraxUniqueID",
            customer.security_trax_unique_id.as_deref(),
        ),
    ]
    .into_iter()
    .find_map(|(element, answered)| {
        answered
            .filter(|answered| !same_id(asked, answered))
            .map(|_| {
                format!(
                    "the <Customer> is another customer's: its <{element}> is not {asked}, the \
                     SecurityTraxUniqueID asked about"
                )
            })
    })
}

/// Whether two ids name the same record: compared without surrounding
/// whitespace, and digits without leading zeros.
fn same_id(asked: &str, answered: &str) -> bool {
    let (asked, answered) = (asked.trim(), answered.trim());
    let digits = |id: &str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    if digits(asked) && digits(answered) {
        let significant = |id: &'_ str| -> String {
            let rest = id.trim_start_matches('0');
            if rest.is_empty() {
                "0".to_owned()
            } else {
                rest.to_owned()
            }
        };
        significant(asked) == significant(answered)
    } else {
        asked == answered
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Customer, GetCustomerStatus, RequestType};

    fn status(id: &str) -> Operation {
        GetCustomerStatus {
            security_trax_unique_id: id.into(),
        }
        .into()
    }

    fn record(id: Option<&str>, unique_id: Option<&str>) -> OperationOutcome {
        let customer = Customer {
            id: id.map(str::to_owned),
            security_trax_unique_id: unique_id.map(str::to_owned),
            ..Customer::default()
        };
        Ok(OperationSuccess::CustomerStatus(Box::new(customer)))
    }

    #[test]
    fn a_customer_is_believed_only_when_it_is_the_one_asked_about() {
        for (id, unique_id) in [
            (Some("9710"), Some("9710")),
            (Some(" 9710 "), None),
            (None, Some("09710")),
            (None, None),
        ] {
            let mut outcome = record(id, unique_id);
            against_request(&status("9710"), &mut outcome);
            assert!(outcome.is_ok(), "{id:?} {unique_id:?}");
        }
        for (id, unique_id, element) in [
            (Some("1"), None, "ID"),
            (Some("1"), Some("9710"), "ID"),
            (Some("9710"), Some("97100"), "SecurityTraxUniqueID"),
            (Some("abc"), None, "ID"),
        ] {
            let mut outcome = record(id, unique_id);
            against_request(&status("9710"), &mut outcome);
            let failure = outcome.expect_err("contradicts");
            assert_eq!(failure.request_type, RequestType::GetCustomerStatus);
            assert!(failure.outcome_unknown() && failure.texts.is_empty());
            assert!(
                failure.to_string().contains(&format!(
                    "its <{element}> is not 9710, the SecurityTraxUniqueID asked about"
                )),
                "{failure}"
            );
        }
    }

    #[test]
    fn answers_without_a_record_are_left_alone() {
        let mut outcome = Ok(OperationSuccess::NoteCreated);
        against_request(&status("1"), &mut outcome);
        assert_eq!(outcome, Ok(OperationSuccess::NoteCreated));
    }
}
