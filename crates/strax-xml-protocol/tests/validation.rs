//! Validation before encoding: every error, naming operation index, wire field and rule.

use jiff::civil::date;
use strax_xml_protocol::{
    Batch, CreateCustomerNote, CreateTechSchedule, Credentials, EncodeError, Endpoint,
    GetAppointmentAvailability, GetCustomerStatus, GetSecurityTraxUniqueId, IdType, NoteType,
    OPERATION_RECORD, Operation, RequestType, Rule, Script, ServiceType, UpdateConfirmationNumber,
};

fn credentials() -> Credentials {
    Credentials::new("user", "secret", "77")
}

/// (operation index, field, rule) of every violation, each checked to name
/// its operation's record: kind `operation`, labelled with its request type.
fn field_errors(batch: &Batch) -> Vec<(usize, String, Rule)> {
    let errors = batch.validate().expect_err("invalid");
    errors
        .iter()
        .map(|violation| {
            let record = violation.record.as_ref().expect("an operation's violation");
            assert_eq!(record.kind, OPERATION_RECORD);
            let request_type = batch.operations()[record.index].request_type();
            assert_eq!(record.label.as_deref(), Some(request_type.wire_name()));
            (
                record.index,
                violation.field.to_string(),
                violation.rule.clone(),
            )
        })
        .collect()
}

fn date_time() -> Rule {
    Rule::Format {
        expected:
            "a local date and time written MM/DD/YYYY H:MM (24 h, whole minutes, years 1000-9999)"
                .into(),
    }
}

#[test]
fn a_bad_operation_is_reported_and_all_others_are_still_checked() {
    let good = CreateCustomerNote::new("9710", "s", "t", NoteType::Sales);
    let mut bad_ids = good.clone();
    bad_ids.security_trax_unique_id = "97-10".into();
    bad_ids.user_id = Some("12a".into());
    let mut blank = good.clone();
    blank.note_subject = String::new();
    blank.note_text = "bell \u{7}".into();
    let batch = Batch::new(credentials(), [good.into(), bad_ids.into(), blank.into()]);
    assert_eq!(
        field_errors(&batch),
        vec![
            (1, "SecurityTraxUniqueID".into(), Rule::Digits),
            (1, "UserID".into(), Rule::Digits),
            (2, "NoteSubject".into(), Rule::Required),
            (
                2,
                "NoteText".into(),
                Rule::ForbiddenCharacter { code_point: 7 }
            ),
        ]
    );
    let message = batch.validate().expect_err("invalid").to_string();
    assert!(message.starts_with("4 validation errors: operation 1 (CreateCustomerNoteBySecurityTraxUniqueID): field `SecurityTraxUniqueID` must be digits only"), "{message}");
    assert!(
        message.contains(
            "field `NoteText` contains the character U+0007, which the wire format forbids"
        ),
        "{message}"
    );
}

#[test]
fn appointments_need_end_after_start_and_whole_minutes() {
    let start = date(2014, 1, 23).at(9, 0, 0, 0);
    let backwards = CreateTechSchedule::new(
        "1",
        start,
        date(2014, 1, 23).at(7, 30, 0, 0),
        ServiceType::Service,
    );
    let equal = CreateTechSchedule::new("1", start, start, ServiceType::RipOut);
    let seconds = CreateTechSchedule::new(
        "1",
        date(2014, 1, 23).at(7, 30, 15, 0),
        start,
        ServiceType::Install,
    );
    let batch = Batch::new(
        credentials(),
        [backwards.into(), equal.into(), seconds.into()],
    );
    assert_eq!(
        field_errors(&batch),
        vec![
            (
                0,
                "EndTime".into(),
                Rule::After {
                    other: "StartTime".into()
                }
            ),
            (
                1,
                "EndTime".into(),
                Rule::After {
                    other: "StartTime".into()
                }
            ),
            (2, "StartTime".into(), date_time()),
        ]
    );
}

#[test]
fn availability_needs_a_location_part_and_decimal_coordinates() {
    let start = date(2014, 2, 14).at(13, 0, 0, 0);
    let end = date(2014, 2, 14).at(15, 0, 0, 0);
    let nowhere = GetAppointmentAvailability::new(start, end);
    let mut bad_coordinates = GetAppointmentAvailability::new(start, end);
    bad_coordinates.latitude = Some("39,79".into());
    bad_coordinates.longitude = Some("-89.6440".into());
    let mut city = GetAppointmentAvailability::new(start, end);
    city.city = Some("Springfield".into());
    let batch = Batch::new(
        credentials(),
        [nowhere.into(), bad_coordinates.into(), city.into()],
    );
    let errors = field_errors(&batch);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, 0);
    assert_eq!(errors[0].1, "City");
    assert_eq!(
        errors[0].2.to_string(),
        "or one of City, State, Zip, Address, Latitude, Longitude must be given"
    );
    assert_eq!(
        errors[1],
        (
            1,
            "Latitude".into(),
            Rule::Format {
                expected: "a decimal number such as -89.6440".into()
            }
        )
    );
    assert_eq!(
        errors[1].2.to_string(),
        "must be a decimal number such as -89.6440"
    );
}

#[test]
fn look_ups_check_their_fields() {
    let ops: Vec<Operation> = vec![
        GetCustomerStatus {
            security_trax_unique_id: String::new(),
        }
        .into(),
        GetSecurityTraxUniqueId {
            id_type: IdType::PhoneNumber,
            id: " ".into(),
        }
        .into(),
        UpdateConfirmationNumber {
            security_trax_unique_id: "12".into(),
            confirmation_number: String::new(),
        }
        .into(),
    ];
    let batch = Batch::new(credentials(), ops).with_script(Script::Requester);
    assert_eq!(
        field_errors(&batch),
        vec![
            (0, "SecurityTraxUniqueID".into(), Rule::Required),
            (1, "ID".into(), Rule::Required),
            (2, "ConfirmationNumber".into(), Rule::Required),
        ]
    );
}

#[test]
fn encode_refuses_invalid_batches_and_builds_the_request_for_valid_ones() {
    let endpoint = Endpoint::new("http://127.0.0.1:9", "acme").expect("endpoint");
    let empty = Batch::new(credentials(), []);
    let err = empty.encode(&endpoint).expect_err("empty");
    let EncodeError::Invalid(errors) = &err else {
        panic!("expected validation errors, got {err:?}");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors.as_slice()[0].record, None);
    assert_eq!(errors.as_slice()[0].rule.code(), "empty_batch");
    assert_eq!(
        err.to_string(),
        "invalid batch: 1 validation error: field `requests` holds no operations"
    );

    let read = GetCustomerStatus {
        security_trax_unique_id: "2237".into(),
    };
    let request = Batch::new(credentials(), [read.into()])
        .encode(&endpoint)
        .expect("valid");
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri(),
        "http://127.0.0.1:9/acme/informationrequester.php"
    );
    assert_eq!(
        request.headers()[http::header::CONTENT_TYPE],
        "text/xml; charset=utf-8"
    );
    let body = std::str::from_utf8(request.body()).expect("utf-8");
    assert!(
        body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root>\n  <requests>"),
        "{body}"
    );
    assert!(body.contains(r#"<request type="AllAccess-GetCustomerStatusBySecurityTraxUniqueID">"#));

    let note = CreateCustomerNote::new(
        "1",
        "a & b",
        "<tag> \"q\" 'a' ]]> \r\n\tend",
        NoteType::Technician,
    );
    let request = Batch::new(credentials(), [note.into()])
        .encode(&endpoint)
        .expect("valid");
    assert_eq!(
        request.uri(),
        "http://127.0.0.1:9/acme/informationposter.php"
    );
    let body = std::str::from_utf8(request.body()).expect("utf-8");
    assert!(body.contains(">a &amp; b<"), "{body}");
    assert!(
        body.contains(">&lt;tag&gt; &quot;q&quot; &apos;a&apos; ]]&gt; &#13;\n\tend<"),
        "{body}"
    );
}

#[test]
fn request_types_know_their_scripts_and_fields() {
    assert_eq!(RequestType::ALL.len(), 6);
    for request_type in RequestType::ALL {
        assert_eq!(
            RequestType::from_wire_name(request_type.wire_name()),
            Some(request_type)
        );
        assert!(!request_type.fields().is_empty());
    }
    assert_eq!(RequestType::CreateCustomerNote.script(), Script::Poster);
    assert_eq!(
        RequestType::GetSecurityTraxUniqueId.script(),
        Script::Requester
    );
    assert_eq!(RequestType::from_wire_name("GetSystemAuthentication"), None);
    assert_eq!(NoteType::from_code("3"), Some(NoteType::Lead));
    assert_eq!(strax_xml_protocol::TicketType::Closed.code(), "2");
    assert_eq!(IdType::from_code("Fax"), None);
}
