//! The encoder's fast path (rules on typed values, characters in the
//! writer) must give exactly what validating first and writing after
//! gives, for valid and invalid batches alike.

use jiff::civil::{DateTime, date};
use proptest::prelude::*;

use super::*;
use crate::{
    CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, GetCustomerStatus,
    NoteType, ServiceType, UpdateConfirmationNumber,
};

/// Validate, then write: what `encode` did before the fast path.
fn reference(batch: &Batch) -> Result<(Script, Vec<u8>), EncodeError> {
    let script = batch.validate()?;
    Ok((
        script,
        write_document(&batch.credentials, &batch.operations)?,
    ))
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "9710",
        "t",
        "",
        " ",
        "\t",
        "12a",
        "\u{1}",
        "a\u{B}",
        "\u{B}",
        "x\u{FFFF}",
        "fish & <chips>",
        "-89.6440",
        "1",
    ])
    .prop_map(str::to_owned)
}

fn time() -> impl Strategy<Value = DateTime> {
    prop::sample::select(vec![
        date(2026, 3, 1).at(7, 30, 0, 0),
        date(2026, 3, 1).at(8, 30, 0, 0),
        date(2026, 3, 1).at(8, 30, 15, 0),
        date(999, 12, 31).at(23, 0, 0, 0),
    ])
}

fn operation() -> impl Strategy<Value = Operation> {
    let note = (text(), text(), text(), prop::option::of(text())).prop_map(
        |(id, subject, body, partner)| {
            let mut note = CreateCustomerNote::new(id, subject, body, NoteType::Lead);
            note.partner_company_unique_id = partner;
            Operation::from(note)
        },
    );
    let schedule =
        (text(), time(), time(), prop::option::of(text())).prop_map(|(id, start, end, notes)| {
            let mut schedule = CreateTechSchedule::new(id, start, end, ServiceType::Install);
            schedule.notes = notes;
            Operation::from(schedule)
        });
    let availability = (
        time(),
        time(),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(start, end, city, latitude)| {
            let mut query = GetAppointmentAvailability::new(start, end);
            query.city = city;
            query.latitude = latitude;
            Operation::from(query)
        });
    let status = text().prop_map(|id| {
        Operation::from(GetCustomerStatus {
            security_trax_unique_id: id,
        })
    });
    let confirm = (text(), text()).prop_map(|(id, number)| {
        Operation::from(UpdateConfirmationNumber {
            security_trax_unique_id: id,
            confirmation_number: number,
        })
    });
    prop_oneof![note, schedule, availability, status, confirm]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn the_fast_path_gives_what_validating_then_writing_gives(
        (username, password, partner) in (text(), text(), text()),
        operations in prop::collection::vec(operation(), 0..4),
        script in prop::option::of(prop::sample::select(vec![Script::Poster, Script::Requester])),
    ) {
        let mut batch = Batch::new(Credentials::new(username, password, partner), operations);
        if let Some(script) = script {
            batch = batch.with_script(script);
        }
        prop_assert_eq!(batch.validated_document(), reference(&batch));
    }
}

#[test]
fn the_fast_path_is_taken_for_valid_batches_and_refuses_broken_ones() {
    let valid = Batch::new(
        Credentials::new("u", "p", "7"),
        [CreateCustomerNote::new("1", "s", "t", NoteType::Sales).into()],
    );
    assert_eq!(valid.quick_script(), Some(Script::Poster));
    let forbidden = Batch::new(
        Credentials::new("u", "p", "7"),
        [CreateCustomerNote::new("1", "s", "bell\u{7}", NoteType::Sales).into()],
    );
    // Characters are left to the writer: the quick check passes, and the
    // full validation names the field once the writer refuses it.
    assert_eq!(forbidden.quick_script(), Some(Script::Poster));
    let errors = match forbidden.to_xml() {
        Err(EncodeError::Invalid(errors)) => errors,
        other => panic!("expected validation errors, got {other:?}"),
    };
    assert_eq!(
        errors.as_slice(),
        &[Violation::new(
            crate::validate::operation_record(0, RequestType::CreateCustomerNote),
            "NoteText",
            Rule::ForbiddenCharacter { code_point: 7 },
        )]
    );
    let late = date(2026, 3, 1).at(9, 0, 0, 0);
    let early = date(2026, 3, 1).at(8, 0, 0, 0);
    for broken in [
        Batch::new(Credentials::new(" ", "p", "7"), valid.operations().to_vec()),
        Batch::new(Credentials::new("u", "p", "7"), []),
        Batch::new(
            Credentials::new("u", "p", "7"),
            [CreateTechSchedule::new("1", late, early, ServiceType::Install).into()],
        ),
        Batch::new(
            Credentials::new("u", "p", "7"),
            [GetAppointmentAvailability::new(early, late).into()],
        ),
        Batch::new(
            Credentials::new("u", "p", "7"),
            [
                valid.operations()[0].clone(),
                GetCustomerStatus {
                    security_trax_unique_id: "1".into(),
                }
                .into(),
            ],
        ),
    ] {
        assert_eq!(broken.quick_script(), None, "{broken:?}");
        assert!(broken.validate().is_err(), "{broken:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Batches longer than the writer's sample (its room reserved after 16
    /// operations), checked as they are written: a broken, doubtful or
    /// unwritable operation anywhere gives what validating first gives.
    #[test]
    fn long_batches_checked_while_written_give_what_validating_then_writing_gives(
        valid in prop::collection::vec(
            (text(), text()).prop_map(|(id, number)| {
                Operation::from(UpdateConfirmationNumber {
                    security_trax_unique_id: format!("1{}", id.len()),
                    confirmation_number: format!("n{number:?}"),
                })
            }),
            15..40,
        ),
        odd in operation(),
        at in 0_usize..40,
    ) {
        let mut operations = valid;
        let at = at.min(operations.len());
        operations.insert(at, odd);
        let batch = Batch::new(Credentials::new("u", "p", "7"), operations)
            .with_script(Script::Poster);
        prop_assert_eq!(batch.validated_document(), reference(&batch));
    }
}
