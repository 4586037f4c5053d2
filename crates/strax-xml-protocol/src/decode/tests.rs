//! The decoder's unit tests: both routes agree, and the texts kept.
use strict_xml::{XmlElement, XmlReader};

use super::fields::{is_blank, trim};
use super::tree::customer;
use super::*;
use crate::envelope::drop_echoes;
use crate::outcome::DataText;

/// Decodes `body` both ways and checks they agree.
fn both_routes(sent: &[RequestType], body: &str) -> Result<Vec<OperationOutcome>, DecodeError> {
    let none = Redactor::none();
    let direct = decode_body(sent, body.as_bytes(), Route::Direct, &none, None);
    let trees = decode_body(sent, body.as_bytes(), Route::Trees, &none, None);
    assert_eq!(direct, trees, "{body}");
    direct
}

const AUTH: &str = "<response type='GetSystemAuthentication' success='true'><data><message>ok</message></data></response>";

fn document(responses: &[&str]) -> String {
    format!(
        "<root><responses>{AUTH}{}</responses></root>",
        responses.concat()
    )
}

#[test]
fn direct_decoding_agrees_with_decoding_trees() {
    use RequestType::{
        CreateCustomerNote as Note, CreateTechSchedule as Schedule,
        GetAppointmentAvailability as Availability, GetCustomerStatus as Status,
        GetSecurityTraxUniqueId as Id, UpdateConfirmationNumber as Confirm,
    };
    let status = "type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'";
    let schedule = "type=' CreateTechScheduleBySecurityTraxUniqueID ' success='TRUE'";
    let id = "type='AllAccess-GetSecurityTraxUniqueID' success='true'";
    let confirm = "type='UpdateConfirmationNumberBySecurityTraxUniqueID' success='true'";
    let cases: Vec<(Vec<RequestType>, Vec<String>)> = vec![
        // Mixed text, echoes at every depth, nested and repeated fields, a
        // blank first occurrence, a later `<data>`, an extra part.
        (vec![Status], vec![format!(
            "<response {status}><System_Request><x>pw</x></System_Request>\
             <data>lead &amp; text<Customer>stray<FirstName> Pat </FirstName>\
             <Zip>  </Zip><system_request>pw</system_request><Zip>62701</Zip>\
             <FirstName>Second</FirstName><Phones><Phone>1</Phone><system_request/>\
             <Work><Phone>2</Phone></Work><Fax/></Phones><Address1>1 Main<Unit>4B</Unit></Address1>\
             <Email><system_request>x</system_request></Email><Loyalty> Gold </Loyalty></Customer>\
             <Customer><FirstName>Ignored</FirstName></Customer></data><data>t</data></response>"
        )]),
        // A `<Customer>` straight in the response, and one missing.
        (vec![Status, Status], vec![
            format!("<response {status}><Customer><ID>7</ID></Customer></response>"),
            format!("<response {status}><data><message>none</message><Other>x<y/></Other></data>\
                     <system_request>pw</system_request></response>"),
        ]),
        // First matching child wins even when blank; trees in place of text.
        (vec![Schedule, Schedule, Schedule, Confirm, Confirm], vec![
            format!("<response {schedule}><data><ConfirmationStatusName> </ConfirmationStatusName>\
                     <ConfirmationStatusName>Later</ConfirmationStatusName></data></response>"),
            format!("<response {schedule}><data>x</data><ConfirmationStatusName>Not <b/>Confirmed\
                     </ConfirmationStatusName></response>"),
            format!("<response {schedule}><data/></response>"),
            format!("<response {confirm}><data><message>Set &#233;</message></data></response>"),
            format!("<response {confirm}><data><message><![CDATA[a]]>b</message></data></response>"),
        ]),
        // Ids: trimmed, missing, blank.
        (vec![Id, Id, Id], vec![
            format!("<response {id}><data><SecurityTraxUniqueID> 42 </SecurityTraxUniqueID></data></response>"),
            format!("<response {id}><data><message>no such phone</message></data></response>"),
            format!("<response {id}><data><SecurityTraxUniqueID>\n</SecurityTraxUniqueID></data></response>"),
        ]),
        // Refusals, mismatches, availability, notes, and missing answers.
        (vec![Note, Note, Availability, Note, Note, Status], vec![
            "<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'><data>x<y>z</y></data></response>".to_owned(),
            "<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='false'><data><error>bad</error></data></response>".to_owned(),
            "<response type='GetIfAppointmentAvailableByLocationInfo' success='true'><data><Available>yes</Available></data></response>".to_owned(),
            "<response type='Other' success='true'><data><message>m</message></data></response>".to_owned(),
            "<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='maybe'/>".to_owned(),
        ]),
    ];
    for (sent, responses) in cases {
        let responses: Vec<&str> = responses.iter().map(String::as_str).collect();
        let outcomes = both_routes(&sent, &document(&responses)).expect("decodes");
        assert_eq!(outcomes.len(), sent.len());
    }
    // Errors come out the same too, whichever comes first.
    let status_response =
        format!("<response {status}><data><Customer><A>&bad;</A></Customer></data></response>");
    let empty_customer = format!("<response {status}><data><Customer/></data></response>");
    for body in [
        document(&[&status_response]),
        document(&[&format!("<response {status}>text</response>")]),
        document(&[empty_customer.as_str(); 3]),
        "<root><responses/></root>".to_owned(),
    ] {
        assert!(both_routes(&[Status], &body).is_err(), "{body}");
    }
}

#[test]
fn blank_means_what_trim_leaves_empty() {
    for text in [
        "",
        " ",
        "\t\r\n",
        "\u{0B}\u{0C}",
        "\u{a0}",
        " \u{3000}\u{2028}",
        "x",
        " x",
        "\u{a0}x",
        "é",
        "\u{1C}",
        "0",
        "\u{85}",
        "x ",
        "x\u{a0}",
        " true ",
        "true",
        "\u{2003}true",
    ] {
        assert_eq!(is_blank(text), text.trim().is_empty(), "{text:?}");
        assert_eq!(trim(text), text.trim(), "{text:?}");
    }
}

#[test]
fn a_success_without_its_element_keeps_every_text_of_the_answer() {
    let body = document(&[
        "<response type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'>\
         <data>Not found<message>No customer</message><system_request>pw</system_request></data></response>",
    ]);
    let outcomes = both_routes(&[RequestType::GetCustomerStatus], &body).expect("decodes");
    let failure = outcomes[0].clone().expect_err("undecodable");
    assert_eq!(
        failure,
        OperationFailure::undecodable(
            RequestType::GetCustomerStatus,
            "success=\"true\" without <Customer>",
            vec![
                DataText {
                    element: "data".into(),
                    text: "Not found".into()
                },
                DataText {
                    element: "message".into(),
                    text: "No customer".into()
                },
            ]
        )
    );
}

#[test]
fn customer_fields_are_kept_exactly_first_wins_and_extras_are_kept_in_order() {
    let record = XmlElement::new("Customer")
        .with_child(XmlElement::with_text("FirstName", "  Pat\n"))
        .with_child(XmlElement::with_text("City", "Springfield"))
        .with_child(XmlElement::with_text("Zip", "   "))
        .with_child(XmlElement::with_text("Zip", "62701"))
        .with_child(XmlElement::with_text("FirstName", "Second"))
        .with_child(XmlElement::with_text("LoyaltyTier", " Gold "));
    let customer = customer(record);
    assert_eq!(customer.first_name.as_deref(), Some("  Pat\n"));
    assert_eq!(customer.city.as_deref(), Some("Springfield"));
    assert_eq!(customer.zip.as_deref(), Some("62701"));
    assert_eq!(
        customer.extra_fields,
        vec![
            ("FirstName".to_owned(), "Second".to_owned()),
            ("LoyaltyTier".to_owned(), " Gold ".to_owned())
        ]
    );
}

#[test]
fn nested_customer_fields_are_flattened_by_path() {
    let phones = XmlElement::new("Phones")
        .with_child(XmlElement::with_text("Phone", "5555550100"))
        .with_child(XmlElement::with_text("Phone", "5555550101"))
        .with_child(
            XmlElement::new("Work").with_child(XmlElement::with_text("Phone", "5555550102")),
        )
        .with_child(XmlElement::new("Fax"));
    let mut mixed = XmlElement::with_text("Address1", "1 Main St");
    mixed.children.push(XmlElement::with_text("Unit", "4B"));
    let record = XmlElement::new("Customer")
        .with_child(phones)
        .with_child(mixed);
    let customer = customer(record);
    assert_eq!(customer.address1, None);
    let pairs: Vec<(&str, &str)> = customer
        .extra_fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Phones/Phone", "5555550100"),
            ("Phones/Phone", "5555550101"),
            ("Phones/Work/Phone", "5555550102"),
            ("Phones/Fax", ""),
            ("Address1", "1 Main St"),
            ("Address1/Unit", "4B"),
        ]
    );
}

#[test]
fn echoes_are_dropped_at_every_depth() {
    let echo = || {
        XmlElement::new("System_Request").with_child(
            XmlElement::new("request").with_child(XmlElement::with_text("attribute", "hunter2")),
        )
    };
    let mut data = XmlElement::new("data")
        .with_child(XmlElement::with_text("message", "ok"))
        .with_child(echo())
        .with_child(XmlElement::new("details").with_child(echo()));
    drop_echoes(&mut data);
    assert_eq!(
        data_texts(&data),
        vec![DataText {
            element: "message".into(),
            text: "ok".into()
        }]
    );
    assert!(!format!("{data:?}").contains("hunter2"));
}

#[test]
fn excerpts_are_bounded_and_printable() {
    let none = Redactor::none();
    let body = b"<html>\r\n<b>Error</b>\x07 <i>Fatal</i>";
    assert_eq!(excerpt(body, &none), "<html> <b>Error</b> <i>Fatal</i>");
    let long = "x".repeat(1000);
    let cut = excerpt(long.as_bytes(), &none);
    assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
    assert!(cut.ends_with('…'));
    assert_eq!(excerpt(b"", &none), "");
}

#[test]
fn excerpts_are_redacted_then_cut_before_anything_that_may_be_a_credential() {
    const CUT_MARK: &str = "[cut: the rest may hold credentials]";
    let redactor = Redactor::new(["hunter2"]);
    assert_eq!(
        excerpt(b"<b>Error</b> login hunter2 refused", &redactor),
        "<b>Error</b> login [redacted] refused"
    );
    for (body, shown) in [
        (
            "<b>Error</b> <attribute name='Password'>hunter2</attribute>",
            "<b>Error</b> <attribute name='",
        ),
        (
            "<attribute name=\"Password\"><![CDATA[hunter2]]></attribute>",
            "<attribute name=\"",
        ),
        (
            "<attribute name='password'>hunter2</attribute>",
            "<attribute name='",
        ),
        ("<Password>hunter2</Password>", "<"),
        ("Username=u&Password=hunter2&PartnerID=1", "Username=u&"),
        ("PASSWORD: hunter2", ""),
        (
            "<err>x</err><system_request><request><attribute name='Username'>hunter2</attribute>",
            "<err>x</err>",
        ),
        ("<err>x</err><SYSTEM_REQUEST>hunter2", "<err>x</err>"),
    ] {
        // Cut before the marker even when the secret is not known.
        let excerpt = excerpt(body.as_bytes(), &Redactor::none());
        assert!(!excerpt.contains("hunter2"), "{body}: {excerpt}");
        let expected = if shown.is_empty() {
            CUT_MARK.to_owned()
        } else {
            format!("{shown} {CUT_MARK}")
        };
        assert_eq!(excerpt, expected, "{body}");
    }
}

#[test]
fn answers_read_with_the_learned_echo_decode_as_answers_read_without_it() {
    use crate::{CreateCustomerNote, NoteType};
    let echo = "<system_request>\n        <request type=\"GetSystemAuthentication\">\n          \
                <attribute name=\"Username\">demo</attribute>\n          \
                <attribute name=\"Password\">hunter2-secret</attribute>\n        \
                </request>\n      </system_request>";
    let answer = |auth_data: &str, echo: &str, note: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root>\n  <responses>\n    \
             <response type=\"GetSystemAuthentication\" success=\"true\">\n      {auth_data}\n      \
             {echo}\n    </response>\n    {note}\n  </responses>\n</root>"
        )
    };
    let note = |echo: &str| {
        format!(
            "<response type=\"CreateCustomerNoteBySecurityTraxUniqueID\" success=\"true\">\n      \
             <data>\n      </data>\n      {echo}\n    </response>"
        )
    };
    let data = "<data>\n        <message>Authenticated To System</message>\n      </data>";
    let nested = "<data><a><b><c><d><e/></d></c></b></a></data>";
    let answers = [
        answer(data, echo, &note(echo)),
        answer(data, echo, &note(echo)),
        answer("<data/>", echo, &note(echo)),
        // The echo changed, broken, or with what the rules refuse.
        answer(data, &echo.replace("demo", "other"), &note(echo)),
        answer(
            data,
            &echo.replace("</request>", "</requests>"),
            &note(echo),
        ),
        answer(data, &echo.replace("demo<", "demo &bogus;<"), &note(echo)),
        answer(data, &echo.replace("demo<", "demo\u{1}<"), &note(echo)),
        answer(data, echo, &note(&echo.replace("demo<", "demo<!--c--><"))),
        answer(nested, echo, &note(echo)),
        answer(data, echo, &note(echo)).replace("</root>", "</root>x"),
        answer(data, echo, &note(echo)),
    ];
    let operations: Vec<Operation> =
        vec![CreateCustomerNote::new("9710", "s", "t", NoteType::Lead).into()];
    let redactor = Redactor::new([secrecy::SecretString::from("hunter2-secret".to_owned())]);
    let credentials = Credentials::new("demo", "hunter2-secret", "1001");
    for answer in &answers {
        let learning = decode_checked(
            &operations,
            &redactor,
            answer.as_bytes(),
            Some(&credentials),
        );
        let plain = decode_checked(&operations, &redactor, answer.as_bytes(), None);
        assert_eq!(learning, plain, "{answer}");
        // The first answer read taught the echo, which answers then repeat.
        assert_eq!(
            credentials
                .known_element()
                .map(strict_xml::KnownElement::len),
            Some(echo.len())
        );
    }
    // Nothing of it shows.
    let shown = format!("{credentials:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("system_request"),
        "{shown}"
    );
    // Under tight caps, with the echo known, the caps still apply exactly.
    for max_elements in 1..30 {
        let limits = strict_xml::Limits::default().with_max_elements(max_elements);
        let read = |known: Option<&strict_xml::KnownElement>| {
            let body = answers[0].as_bytes();
            let mut reader = match XmlReader::with_limits(body, limits) {
                Ok(reader) => reader,
                Err(error) => return format!("{error:?}"),
            };
            if let Some(known) = known {
                reader.recognise(known);
            }
            let mut walk = || -> Result<u64, strict_xml::ReadError> {
                reader.root_borrowed()?;
                while reader.next_child_borrowed()?.is_some() {
                    while reader.next_child_borrowed()?.is_some() {
                        reader.skip()?;
                    }
                }
                Ok(reader.position())
            };
            format!("{:?}", walk())
        };
        assert_eq!(
            read(credentials.known_element()),
            read(None),
            "{max_elements}"
        );
    }
}
