//! The request decoder decodes each `<request>` as it reads it; it must give
//! exactly what collecting every request first and decoding them after gave
//! (the decoder before), for any document: the same operations, the same
//! credentials and the same error, whichever comes first.

use proptest::prelude::*;
use secrecy::ExposeSecret;

use super::*;
use crate::{
    Batch, CreateCustomerNote, CreateTechSchedule, GetCustomerStatus, NoteType, Script,
    ServiceType, TicketType,
};

/// A `<request>` as collected: its type and its fields.
type Collected = (String, Vec<(String, String)>);

/// The decoder before: every request collected, then decoded.
fn reference(body: &[u8], max_operations: usize) -> Result<DecodedRequest, RequestDecodeError> {
    let mut reader = XmlReader::new(body)?;
    let root = reader.root_borrowed()?;
    if root.name() != "root" {
        return Err(RequestDecodeError::UnexpectedRoot {
            found: root.name().to_owned(),
        });
    }
    let mut requests = None;
    while let Some(child) = reader.next_child_borrowed()? {
        if child.name() == "requests" && requests.is_none() {
            requests = Some(collect_requests(&mut reader, max_operations)?);
        } else {
            reader.skip()?;
        }
    }
    reader.finish()?;
    let requests = requests.ok_or(RequestDecodeError::MissingRequests)?;
    let mut requests = requests.into_iter();
    let auth = match requests.next() {
        Some(auth) if auth.0 == AUTHENTICATION_REQUEST_TYPE => auth,
        other => {
            return Err(RequestDecodeError::MissingAuthentication {
                found: other.map(|r| r.0),
            });
        }
    };
    let credential = |field: &'static str| {
        auth.1
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.clone())
            .ok_or(RequestDecodeError::MissingCredential { field })
    };
    let credentials = Credentials::new(
        credential("Username")?,
        credential("Password")?,
        credential("PartnerID")?,
    );
    let operations = requests
        .enumerate()
        .map(|(operation_index, (request_type, fields))| {
            let result = match RequestType::from_wire_name(&request_type) {
                None => Err(RequestRejection::UnknownRequestType(request_type.clone())),
                Some(known) => {
                    let borrowed: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.as_str()))
                        .collect();
                    Operation::from_wire(known, &borrowed).map_err(|problems| {
                        RequestRejection::Invalid(
                            operation_violations_of(operation_index, known, problems)
                                .expect("from_wire fails only with at least one problem"),
                        )
                    })
                }
            };
            RequestedOperation {
                request_type,
                result,
            }
        })
        .collect();
    Ok(DecodedRequest {
        credentials,
        operations,
    })
}

fn collect_requests(
    reader: &mut XmlReader<'_>,
    max_operations: usize,
) -> Result<Vec<Collected>, RequestDecodeError> {
    let mut requests = Vec::new();
    while let Some(child) = reader.next_child_borrowed()? {
        if requests.len() > max_operations {
            return Err(RequestDecodeError::TooManyOperations {
                limit: max_operations,
            });
        }
        if child.name() != "request" {
            let stray = format!("<{}>", child.name());
            reader.skip()?;
            requests.push((stray, Vec::new()));
            continue;
        }
        let position = requests.len();
        let missing = |attribute| RequestDecodeError::MissingXmlAttribute {
            position,
            attribute,
        };
        let request_type = child.attribute("type").ok_or(missing("type"))?.into_owned();
        let mut fields = Vec::new();
        while let Some(field) = reader.next_child_borrowed()? {
            if field.name() != "attribute" {
                let stray = format!("<{}>", field.name());
                reader.skip()?;
                fields.push((stray, String::new()));
                continue;
            }
            let name = field.attribute("name").ok_or(missing("name"))?.into_owned();
            fields.push((name, reader.read_text()?));
        }
        requests.push((request_type, fields));
    }
    Ok(requests)
}

/// What a decode gave, comparable (the password exposed: test values only).
type Seen = Result<((String, String, String), Vec<RequestedOperation>), RequestDecodeError>;

fn seen(decoded: Result<DecodedRequest, RequestDecodeError>) -> Seen {
    decoded.map(|decoded| {
        let c = &decoded.credentials;
        (
            (
                c.username().to_owned(),
                c.password().expose_secret().to_owned(),
                c.partner_id().to_owned(),
            ),
            decoded.operations,
        )
    })
}

fn check(body: &[u8], max_operations: usize) -> Seen {
    let expected = seen(reference(body, max_operations));
    let got = seen(decode_request_limited(body, max_operations));
    assert_eq!(
        got,
        expected,
        "max {max_operations}: {}",
        String::from_utf8_lossy(body)
    );
    got
}

fn value() -> impl Strategy<Value = &'static str> {
    let fine = prop::sample::select(vec![
        "",
        "9710",
        "1",
        "Yard sign",
        " ",
        "a &amp; b",
        "&#233;t&#xE9;",
        "a<![CDATA[<b>]]>c",
        "line\r\nend",
    ]);
    let refused = prop::sample::select(vec!["x\u{1}y", "&#1;", "&bogus;", "<b/>", "\u{FFFF}"]);
    prop_oneof![12 => fine, 1 => refused]
}

fn field_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Username",
        "Password",
        "PartnerID",
        "SecurityTraxUniqueID",
        "NoteSubject",
        "NoteText",
        "NoteTypeID",
        "TicketTypeID",
        "UserID",
        "Bogus",
        "",
        "User&#110;ame",
    ])
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => (field_name(), value()).prop_map(|(n, v)| format!("<attribute name=\"{n}\">{v}</attribute>")),
        2 => field_name().prop_map(|n| format!("<attribute name='{n}'/>")),
        1 => value().prop_map(|v| format!("<attribute>{v}</attribute>")),
        2 => value().prop_map(|v| format!("<other>{v}</other>")),
        1 => Just("text between fields".to_owned()),
    ]
}

fn request() -> impl Strategy<Value = String> {
    let request_type = prop::sample::select(vec![
        "GetSystemAuthentication",
        "GetSystemAuthentication",
        "CreateCustomerNoteBySecurityTraxUniqueID",
        "AllAccess-GetCustomerStatusBySecurityTraxUniqueID",
        "UpdateConfirmationNumberBySecurityTraxUniqueID",
        "Unknown",
        "",
    ]);
    let fields = || prop::collection::vec(field(), 0..6).prop_map(|f| f.join("\n  "));
    prop_oneof![
        8 => (request_type, fields())
            .prop_map(|(t, f)| format!("<request type=\"{t}\">\n  {f}\n</request>")),
        1 => fields().prop_map(|f| format!("<request>{f}</request>")),
        1 => Just("<stray>x</stray>".to_owned()),
        1 => Just("<stray/>".to_owned()),
    ]
}

/// The authentication request most documents start with.
const AUTH: &str = "<request type=\"GetSystemAuthentication\"><attribute name=\"Username\">u</attribute><attribute name=\"Password\">p&amp;w</attribute><attribute name=\"PartnerID\">77</attribute></request>";

fn document() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::sample::select(vec!["root", "root", "root", "other"]),
        prop::option::of(Just("<before>x</before>")),
        any::<bool>(),
        prop::collection::vec(request(), 0..5),
        prop::option::of(Just("<requests><request type=\"X\"/></requests>")),
        prop_oneof![3 => Just(None), 1 => (0.0..1.0f64).prop_map(Some)],
    )
        .prop_map(|(declaration, root, before, auth, requests, second, cut)| {
            let mut doc = String::new();
            if declaration {
                doc.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            }
            doc.push_str(&format!("<{root}>\n"));
            doc.push_str(before.unwrap_or_default());
            doc.push_str("<requests>\n");
            if auth {
                doc.push_str(AUTH);
            }
            doc.push_str(&requests.join("\n"));
            doc.push_str("\n</requests>");
            doc.push_str(second.unwrap_or_default());
            doc.push_str(&format!("</{root}>\n"));
            let mut bytes = doc.into_bytes();
            if let Some(cut) = cut {
                // A document cut short somewhere (an XML error, found
                // after whatever came before it).
                let at = (bytes.len() as f64 * cut) as usize;
                bytes.truncate(at);
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn decoding_as_read_gives_what_collecting_first_gave(
        body in document(),
        max_operations in prop::sample::select(vec![0usize, 1, 2, 3, usize::MAX]),
    ) {
        let _ = check(&body, max_operations);
    }
}

#[test]
fn tricky_documents_decode_as_before() {
    let wrap = |requests: &str| format!("<root><requests>{requests}</requests></root>");
    let note = "<request type=\"CreateCustomerNoteBySecurityTraxUniqueID\"><attribute name=\"SecurityTraxUniqueID\">9710</attribute><attribute name=\"NoteSubject\">s</attribute><attribute name=\"NoteText\">t</attribute><attribute name=\"NoteTypeID\">1</attribute></request>";
    let documents = [
        wrap(&format!("{AUTH}{note}{note}")),
        // Not the authentication first, then an XML error: the XML error.
        format!("<root><requests>{note}<request type=\"x\"><a></b></request></requests></root>"),
        // Not the authentication first, then a request without its type.
        wrap(&format!("{note}<request/>")),
        // A credential twice: the first one counts; one missing.
        wrap(
            "<request type=\"GetSystemAuthentication\"><attribute name=\"Username\">a</attribute><attribute name=\"Username\">b</attribute><attribute name=\"PartnerID\">7</attribute></request>",
        ),
        // Fields named as in the table, out of it, twice, and stray.
        wrap(&format!(
            "{AUTH}<request type=\"CreateCustomerNoteBySecurityTraxUniqueID\"><attribute name=\"NoteText\">t</attribute><attribute name=\"NoteText\">u</attribute><attribute name=\"Extra\">e</attribute><noteText>x</noteText></request>"
        )),
        // A stray element first, and among the operations.
        wrap(&format!("<stray/>{AUTH}")),
        wrap(&format!("{AUTH}<stray>x</stray>{note}")),
        wrap(""),
        "<root/>".to_owned(),
        "<other/>".to_owned(),
    ];
    for document in &documents {
        for max_operations in [0, 1, 2, usize::MAX] {
            let _ = check(document.as_bytes(), max_operations);
        }
    }
    assert!(check(documents[0].as_bytes(), usize::MAX).is_ok());
}

/// Documents as crmwire's writer sends them: the plain shape.
fn written() -> Vec<Vec<u8>> {
    let note = |text: &str| {
        Operation::from(CreateCustomerNote {
            ticket_type: Some(TicketType::Closed),
            user_id: Some("1024".into()),
            partner_company_unique_id: Some("991234".into()),
            ..CreateCustomerNote::new("9710", "Yard sign", text, NoteType::Sales)
        })
    };
    let start = jiff::civil::date(2026, 3, 1).at(7, 30, 0, 0);
    let schedule = Operation::from(CreateTechSchedule::new(
        "9710",
        start,
        start + jiff::Span::new().hours(2),
        ServiceType::RipOut,
    ));
    let status = Operation::from(GetCustomerStatus {
        security_trax_unique_id: "2237".into(),
    });
    let batches = [
        (
            Credentials::new("demo", "demo-password", "1001"),
            vec![note("Wants a new yard sign by the side gate")],
        ),
        (
            Credentials::new("Sue & Al", "p<a\"s's>w", "77"),
            vec![
                note("Fish & chips <hot> \"now\" 'please'\tnext\nline é 😀 \u{FFFD}"),
                schedule,
                status.clone(),
            ],
        ),
        (Credentials::new("u", "p", "1"), vec![status]),
    ];
    batches
        .into_iter()
        .map(|(credentials, operations)| {
            Batch::new(credentials, operations)
                .with_script(Script::Poster)
                .to_xml()
                .expect("valid batch")
        })
        .collect()
}

#[test]
fn documents_as_crmwire_writes_them_take_the_plain_path_and_decode_as_before() {
    for document in written() {
        let text = String::from_utf8_lossy(&document);
        let plain = plain::decode(&document, usize::MAX, &[]).expect("the plain shape");
        assert_eq!(
            seen(plain),
            seen(reference(&document, usize::MAX)),
            "{text}"
        );
        assert!(check(&document, usize::MAX).is_ok(), "{text}");
        // Over the operation limit: left to the reader, which refuses it.
        let operations = text.matches("<request ").count() - 1;
        assert!(plain::decode(&document, operations - 1, &[]).is_none());
        assert!(matches!(
            check(&document, operations - 1),
            Err(RequestDecodeError::TooManyOperations { .. })
        ));
    }
}

#[test]
fn the_plain_path_leaves_every_other_shape_to_the_reader() {
    let base = String::from_utf8(written().remove(0)).expect("UTF-8");
    let swaps: [(&str, &str); 22] = [
        ("UTF-8", "utf-8"),
        ("<?xml", " <?xml"),
        ("<root>", "<root >"),
        ("<requests>", "<requests/><requests>"),
        ("<request type=\"Get", "<request  type=\"Get"),
        ("<request type=\"Get", "<request type='Get"),
        (
            "\">\n      <attribute name=\"Username\"",
            "\" x=\"1\">\n      <attribute name=\"Username\"",
        ),
        (
            "<attribute name=\"Username\">demo</attribute>",
            "<attribute name=\"Username\"/>",
        ),
        ("demo</attribute>", "de&#109;o</attribute>"),
        ("demo</attribute>", "de&bogus;mo</attribute>"),
        ("demo</attribute>", "de\rmo</attribute>"),
        ("demo</attribute>", "de\u{1}mo</attribute>"),
        ("demo</attribute>", "de\u{7F}mo</attribute>"),
        ("demo</attribute>", "de\u{FFFE}mo</attribute>"),
        ("demo</attribute>", "de<!--c-->mo</attribute>"),
        ("demo</attribute>", "<![CDATA[demo]]></attribute>"),
        ("demo</attribute>", "demo</attribute >"),
        ("demo</attribute>", "demo</Attribute>"),
        ("</requests>", "x</requests>"),
        ("</root>", "</root><!--c-->"),
        ("name=\"Username\"", "name=\"User\tname\""),
        ("name=\"Username\"", "name=\"User&amp;name\""),
    ];
    for (from, to) in swaps {
        assert!(base.contains(from), "{from}");
        let document = base.replacen(from, to, 1);
        assert!(
            plain::decode(document.as_bytes(), usize::MAX, &[]).is_none(),
            "{document}"
        );
        let _ = check(document.as_bytes(), usize::MAX);
    }
    // Blank runs of every kind, and no declaration, stay plain.
    let spaced = base.replace(">\n", ">\r\n\t ").replacen(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "",
        1,
    );
    assert!(plain::decode(spaced.as_bytes(), usize::MAX, &[]).is_some());
    assert!(check(spaced.as_bytes(), usize::MAX).is_ok());
}

/// What is put into a written document at a random place.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<",
        ">",
        "&",
        "\"",
        "'",
        ";",
        "/",
        "=",
        "!",
        "?",
        "#",
        " ",
        "\t",
        "\r",
        "\n",
        "\u{1}",
        "\u{7F}",
        "\u{85}",
        "é",
        "\u{FFFE}",
        "\u{FFFF}",
        "\u{FFFD}",
        "a",
        "&amp;",
        "&lt;",
        "&#65;",
        "&#1;",
        "&bogus;",
        "&amp",
        "]]>",
        "<!--c-->",
        "<![CDATA[x]]>",
        "<?pi?>",
        "<a/>",
        "</a>",
        "<a>",
        "</attribute>",
        "</request>",
        "<request type=\"X\">",
        "<attribute name=\"NoteText\">",
        "<!DOCTYPE r>",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8192))]

    /// Written documents with bytes put in, taken out or replaced anywhere:
    /// the plain path gives what the reader gives, or leaves the document
    /// to it.
    #[test]
    fn a_damaged_written_document_decodes_as_before(
        which in 0usize..3,
        edits in prop::collection::vec((0.0..1.0f64, 0usize..3, piece(), 1usize..4), 1..3),
        max_operations in prop::sample::select(vec![0usize, 1, 2, usize::MAX]),
    ) {
        let mut document = written().swap_remove(which);
        for (at, kind, piece, cut) in edits {
            let at = (document.len() as f64 * at) as usize;
            match kind {
                0 => {
                    document.splice(at..at, piece.bytes());
                }
                1 => {
                    let end = (at + cut).min(document.len());
                    document.drain(at..end);
                }
                _ => {
                    let end = (at + cut).min(document.len());
                    document.splice(at..end, piece.bytes());
                }
            }
        }
        if let Some(plain) = plain::decode(&document, max_operations, &[]) {
            prop_assert_eq!(seen(plain), seen(reference(&document, max_operations)));
        }
        let _ = check(&document, max_operations);
    }
}

#[test]
fn known_accounts_are_shared_and_decode_to_the_same_values() {
    let accounts = [
        Credentials::new("other", "demo-password", "1001"),
        Credentials::new("demo", "demo-password", "1001"),
        Credentials::new("Sue & Al", "p<a\"s's>w", "77"),
    ];
    for document in written() {
        let plain = seen(decode_request_limited(&document, usize::MAX));
        let decoded = decode_request_for_accounts(&document, usize::MAX, &accounts).unwrap();
        let shared = accounts
            .iter()
            .find(|account| account.shares_values_with(&decoded.credentials));
        assert_eq!(seen(Ok(decoded.clone())), plain);
        // Shared exactly when the values are an account's.
        let (username, password, partner_id) = &plain.as_ref().unwrap().0;
        let expected = accounts.iter().find(|a| {
            a.username() == username
                && a.password().expose_secret() == password
                && a.partner_id() == partner_id
        });
        assert_eq!(
            shared.map(Credentials::username),
            expected.map(Credentials::username)
        );
        // And through the reader (a comment keeps it off the plain path).
        let text = String::from_utf8(document.clone()).unwrap();
        let commented = text.replacen("<root>", "<root><!--c-->", 1);
        let decoded =
            decode_request_for_accounts(commented.as_bytes(), usize::MAX, &accounts).unwrap();
        assert_eq!(seen(Ok(decoded.clone())), plain);
        assert_eq!(
            accounts
                .iter()
                .find(|account| account.shares_values_with(&decoded.credentials))
                .map(Credentials::username),
            expected.map(Credentials::username)
        );
    }
    // A prefix or an extension of an account's password is not the account.
    let near = Credentials::new("demo", "demo-passwor", "1001");
    let status = Operation::from(GetCustomerStatus {
        security_trax_unique_id: "2237".into(),
    });
    let document = Batch::new(near, vec![status]).to_xml().unwrap();
    let decoded = decode_request_for_accounts(&document, 1, &accounts).unwrap();
    assert!(
        !accounts
            .iter()
            .any(|a| a.shares_values_with(&decoded.credentials))
    );
    assert!(!accounts.iter().any(|a| a.matches(&decoded.credentials)));
}
