//! Tests of the neutral vocabulary.

use super::{NoteKind, Operation};
use crate::{Error, Fate, Service, Unsupported};

#[test]
fn operations_and_kinds_round_trip_through_their_names() {
    for operation in Operation::ALL {
        assert_eq!(Operation::from_name(operation.as_str()), Some(operation));
    }
    assert_eq!(Operation::from_name("delete_everything"), None);
    for kind in NoteKind::ALL {
        assert_eq!(NoteKind::from_name(kind.as_str()), Some(kind));
    }
    assert_eq!(NoteKind::from_name(" Sales "), Some(NoteKind::Sales));
    assert_eq!(NoteKind::from_name("billing"), None);
}

#[test]
fn an_unsupported_operation_is_rejected_and_names_service_and_operation() {
    let error = Error::Unsupported(Unsupported::new(Service::Peoplevine, Operation::PostLeads));
    assert_eq!(error.fate(), Fate::Rejected);
    assert!(!error.is_retry_safe());
    assert!(!error.outcome_unknown());
    assert_eq!(error.kind(), "unsupported");
    assert_eq!(
        error.to_string(),
        "Peoplevine cannot post leads (post_leads is not supported), nothing was sent"
    );
    assert_eq!(
        error.unsupported().map(|u| (u.service, u.operation)),
        Some((Service::Peoplevine, Operation::PostLeads))
    );
    assert!(error.service_error().is_none());
}
