//! What each batch request says about sending it again, and its document.

use super::*;
use crate::{CreateCustomerNote, GetCustomerStatus, NoteType};
use wire_core::Resend;

fn note() -> Operation {
    CreateCustomerNote::new("9710", "s", "t", NoteType::Lead).into()
}

fn read() -> Operation {
    GetCustomerStatus {
        security_trax_unique_id: "1".into(),
    }
    .into()
}

#[test]
fn every_request_says_what_sending_it_again_would_mean() {
    let endpoint = Endpoint::new("https://crm.example.com", "acme").unwrap();
    let credentials = Credentials::new("u", "p", "1");
    let confirmation: Operation = crate::UpdateConfirmationNumber {
        security_trax_unique_id: "9710".into(),
        confirmation_number: "206".into(),
    }
    .into();
    let cases = [
        (vec![read(), read()], Resend::Read),
        (vec![confirmation.clone()], Resend::IdempotentWrite),
        (vec![confirmation, note()], Resend::NeverBlindly),
        (vec![note()], Resend::NeverBlindly),
    ];
    for (operations, expected) in cases {
        let batch = Batch::new(credentials.clone(), operations);
        let request = batch.encode(&endpoint).unwrap();
        assert_eq!(
            Resend::of(&request),
            expected,
            "{:?}",
            batch.request_types()
        );
        let shown = batch.encode_redacted_for_display(&endpoint).unwrap();
        assert_eq!(Resend::of(&shown), expected);
    }
}

#[test]
fn the_writer_refuses_forbidden_characters_when_called_unvalidated() {
    let credentials = Credentials::new("u", "p", "1");
    let bad = CreateCustomerNote::new("1", "s", "bell\u{7}", NoteType::Sales).into();
    assert_eq!(
        write_document(&credentials, &[bad]),
        Err(WriteError::ForbiddenCharacter {
            field: "NoteText".into(),
            code_point: 7
        })
    );
    let err = write_document(&Credentials::new("u", "pass\u{1}word", "1"), &[note()])
        .expect_err("bad password");
    assert_eq!(
        err,
        WriteError::ForbiddenCharacter {
            field: "Password".into(),
            code_point: 1
        }
    );
    assert!(!err.to_string().contains("pass"));
    let encode_error: EncodeError = err.into();
    assert!(
        encode_error
            .to_string()
            .starts_with("cannot write the request document")
    );
}

#[test]
fn picks_the_script_from_the_operations_or_the_override() {
    let credentials = Credentials::new("u", "p", "1");
    assert_eq!(
        Batch::new(credentials.clone(), [note()]).validate(),
        Ok(Script::Poster)
    );
    assert_eq!(
        Batch::new(credentials.clone(), [read()]).validate(),
        Ok(Script::Requester)
    );
    let mixed = Batch::new(credentials.clone(), [read(), note(), read()]);
    let errors = mixed.validate().expect_err("mixed");
    assert_eq!(errors.len(), 1);
    let violation = &errors.as_slice()[0];
    assert_eq!(violation.record, None);
    assert_eq!(violation.field, REQUESTS_FIELD);
    assert_eq!(violation.rule.code(), "mixed_scripts");
    assert_eq!(
        errors.to_string(),
        "1 validation error: field `requests` mixes reads (operations [0, 2], served by the \
         requester script) and writes (operations [1], served by the poster script): split \
         the batch with `split_by_script` or choose a script with `Batch::with_script`"
    );
    assert_eq!(
        mixed.with_script(Script::Requester).validate(),
        Ok(Script::Requester)
    );
}

#[test]
fn splits_by_script_keeping_order_and_positions() {
    let credentials = Credentials::new("u", "p", "1");
    let parts = split_by_script(&credentials, vec![note(), read(), note(), read()]);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].script, Script::Requester);
    assert_eq!(parts[0].positions, vec![1, 3]);
    assert_eq!(parts[1].script, Script::Poster);
    assert_eq!(parts[1].positions, vec![0, 2]);
    assert!(parts.iter().all(|p| p.batch.validate() == Ok(p.script)));
    assert!(split_by_script(&credentials, Vec::new()).is_empty());
}

#[test]
fn a_list_of_one_script_is_one_part_in_order() {
    let credentials = Credentials::new("u", "p", "1");
    for (operations, script) in [
        (vec![note()], Script::Poster),
        (vec![note(), note(), note()], Script::Poster),
        (vec![read()], Script::Requester),
        (vec![read(), read()], Script::Requester),
    ] {
        let count = operations.len();
        let endpoint = Endpoint::securitytrax("acme").unwrap();
        let whole = Batch::new(credentials.clone(), operations.clone())
            .encode(&endpoint)
            .unwrap();
        let parts = split_by_script(&credentials, operations);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].script, script);
        assert_eq!(parts[0].positions, (0..count).collect::<Vec<_>>());
        assert_eq!(parts[0].batch.validate(), Ok(script));
        let part = parts[0].batch.encode(&endpoint).unwrap();
        assert_eq!(part.uri(), whole.uri());
        assert_eq!(part.headers(), whole.headers());
        assert_eq!(part.body(), whole.body());
    }
}

#[test]
fn reports_credentials_and_empty_batches() {
    let batch = Batch::new(Credentials::new(" ", "p\u{0}", "7\u{1}"), []);
    let errors = batch.validate().expect_err("invalid");
    assert_eq!(
        errors.as_slice(),
        &[
            Violation::of_request("Username", Rule::Required),
            Violation::of_request("PartnerID", Rule::ForbiddenCharacter { code_point: 1 }),
            Violation::of_request("Password", Rule::ForbiddenCharacter { code_point: 0 }),
            Violation::of_request(
                REQUESTS_FIELD,
                Rule::Other {
                    code: "empty_batch",
                    message: "holds no operations".into()
                }
            ),
        ]
    );
    assert!(!errors.to_string().contains("p\u{0}"));
}

#[test]
fn an_empty_or_blank_password_is_required() {
    for password in ["", "   ", "\t\r\n"] {
        let batch = Batch::new(Credentials::new("u", password, "1"), [note()]);
        let errors = batch.validate().expect_err("no password");
        assert_eq!(
            errors.as_slice(),
            &[Violation::of_request("Password", Rule::Required)],
            "{password:?}"
        );
        assert_eq!(
            errors.to_string(),
            "1 validation error: field `Password` is required and must not be blank"
        );
        let endpoint = Endpoint::securitytrax("acme").expect("valid");
        assert!(matches!(
            batch.encode(&endpoint),
            Err(EncodeError::Invalid(_))
        ));
        assert!(matches!(
            batch.encode_redacted_for_display(&endpoint),
            Err(EncodeError::Invalid(_))
        ));
    }
}

#[test]
fn the_display_copy_is_the_request_with_the_password_masked() {
    let credentials = Credentials::new("u", "s3cret-pw", "1");
    let batch = Batch::new(credentials, [note()]);
    let endpoint = Endpoint::securitytrax("acme").expect("valid");
    let real = batch.encode(&endpoint).expect("valid");
    let shown = batch.encode_redacted_for_display(&endpoint).expect("valid");
    assert_eq!(shown.method(), real.method());
    assert_eq!(shown.uri(), real.uri());
    assert_eq!(shown.headers(), real.headers());
    let real_body = std::str::from_utf8(real.body()).expect("UTF-8");
    let shown_body = std::str::from_utf8(shown.body()).expect("UTF-8");
    assert!(real_body.contains(">s3cret-pw<"));
    assert_eq!(
        real_body.replace("s3cret-pw", REDACTED_PASSWORD),
        shown_body
    );
    let debug = format!("{shown:?}");
    assert!(
        !debug.contains("s3cret-pw") && debug.contains(REDACTED_PASSWORD),
        "{debug}"
    );
}
