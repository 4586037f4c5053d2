//! A batch: one `GetSystemAuthentication` then N operations in one document.

use bytes::Bytes;
use secrecy::ExposeSecret;
use std::sync::LazyLock;

use strict_xml::{PreparedElement, WriteError, XmlWriter};

use crate::credentials::Credentials;
use crate::decode::{DecodeError, decode_checked, decode_redacted};
use crate::endpoint::{Endpoint, Script};
use crate::generated::{AUTHENTICATION_REQUEST_TYPE, RequestType};
use crate::operation::Operation;
use crate::outcome::OperationOutcome;
use crate::validate::operation_violations;
use wire_core::Resend;
use wire_core::validation::{Rule, Violation, Violations};

/// The `Content-Type` of every request.
pub const REQUEST_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// The field a violation of the batch as a whole (no operations, reads and
/// writes mixed) names: the document's `<requests>`.
pub const REQUESTS_FIELD: &str = "requests";

/// What replaces the password in [`Batch::encode_redacted_for_display`].
pub const REDACTED_PASSWORD: &str = "********";

/// Why a batch could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The batch breaks rules; every broken rule is listed.
    #[error("invalid batch: {0}")]
    Invalid(#[from] Violations),
    /// The XML writer refused a value (not reachable after validation).
    #[error("cannot write the request document: {0}")]
    Xml(#[from] WriteError),
}

/// Credentials plus operations, posted as one document to one script.
///
/// ```
/// use strax_xml_protocol::{Batch, CreateCustomerNote, Credentials, Endpoint, NoteType};
///
/// let note = CreateCustomerNote::new("9710", "Yard sign", "Wants a new yard sign", NoteType::Sales);
/// let batch = Batch::new(Credentials::new("user", "secret", "77"), [note.into()]);
/// let request = batch.encode(&Endpoint::securitytrax("acme")?)?;
/// assert_eq!(request.method(), http::Method::POST);
/// assert_eq!(request.uri(), "https://secure.securitytrax.com/acme/informationposter.php");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Batch {
    credentials: Credentials,
    operations: Vec<Operation>,
    script: Option<Script>,
}

/// One per-script part of [`split_by_script`].
#[derive(Debug, Clone)]
pub struct ScriptBatch {
    /// The script the part goes to (also set on `batch`).
    pub script: Script,
    /// The part.
    pub batch: Batch,
    /// For each operation of `batch`, its position in the list that was split.
    pub positions: Vec<usize>,
}

/// Splits `operations` into one batch per script (reads first, then writes),
/// keeping their order within each batch.
#[must_use]
pub fn split_by_script(credentials: &Credentials, operations: Vec<Operation>) -> Vec<ScriptBatch> {
    let mut parts = Vec::new();
    for script in [Script::Requester, Script::Poster] {
        let (positions, ops): (Vec<usize>, Vec<Operation>) = operations
            .iter()
            .enumerate()
            .filter(|(_, op)| op.script() == script)
            .map(|(i, op)| (i, op.clone()))
            .unzip();
        if !ops.is_empty() {
            let batch = Batch::new(credentials.clone(), ops).with_script(script);
            parts.push(ScriptBatch {
                script,
                batch,
                positions,
            });
        }
    }
    parts
}

impl Batch {
    /// A batch of `operations` authenticated with `credentials`.
    #[must_use]
    pub fn new(credentials: Credentials, operations: impl IntoIterator<Item = Operation>) -> Self {
        Self {
            credentials,
            operations: operations.into_iter().collect(),
            script: None,
        }
    }

    /// Posts the batch to `script` whatever its operations are (overrides the
    /// per-operation choice; allows mixing reads and writes).
    #[must_use]
    pub fn with_script(mut self, script: Script) -> Self {
        self.script = Some(script);
        self
    }

    /// The credentials.
    #[must_use]
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The operations, in order.
    #[must_use]
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The request types, in order (what [`Batch::decode_response`] checks responses against).
    #[must_use]
    pub fn request_types(&self) -> Vec<RequestType> {
        self.operations
            .iter()
            .map(Operation::request_type)
            .collect()
    }

    /// Checks every rule and returns the script to post to.
    ///
    /// # Errors
    /// Every broken rule: each invalid field of each operation (all operations are
    /// checked), invalid credentials, an empty batch, mixed reads and writes
    /// without [`Batch::with_script`]. An operation's violations name record
    /// kind `operation`, its position in the batch and its request type's
    /// wire name; the others belong to the request as a whole (field
    /// `Username`, `Password`, `PartnerID`, or [`REQUESTS_FIELD`]).
    pub fn validate(&self) -> Result<Script, Violations> {
        let mut errors = Vec::new();
        let password = self.credentials.password().expose_secret();
        for (field, value) in [
            ("Username", self.credentials.username()),
            ("PartnerID", self.credentials.partner_id()),
            ("Password", password),
        ] {
            if value.trim().is_empty() {
                errors.push(Violation::of_request(field, Rule::Required));
            } else if let Some((_, c)) = strict_xml::first_forbidden_char(value) {
                let rule = Rule::ForbiddenCharacter {
                    code_point: u32::from(c),
                };
                errors.push(Violation::of_request(field, rule));
            }
        }
        if self.operations.is_empty() {
            errors.push(Violation::of_request(
                REQUESTS_FIELD,
                Rule::Other {
                    code: "empty_batch",
                    message: "holds no operations".into(),
                },
            ));
        }
        for (index, operation) in self.operations.iter().enumerate() {
            errors.extend(operation_violations(
                index,
                operation.request_type(),
                operation.check(),
            ));
        }
        let (reads, writes): (Vec<usize>, Vec<usize>) = (0..self.operations.len())
            .partition(|&i| self.operations[i].script() == Script::Requester);
        let by_operations = if writes.is_empty() && !reads.is_empty() {
            Script::Requester
        } else {
            Script::Poster
        };
        if self.script.is_none() && !reads.is_empty() && !writes.is_empty() {
            errors.push(Violation::of_request(
                REQUESTS_FIELD,
                Rule::Other {
                    code: "mixed_scripts",
                    message: format!(
                        "mixes reads (operations {reads:?}, served by the requester script) and \
                         writes (operations {writes:?}, served by the poster script): split the \
                         batch with `split_by_script` or choose a script with `Batch::with_script`"
                    )
                    .into(),
                },
            ));
        }
        Violations::check(errors).map(|()| self.script.unwrap_or(by_operations))
    }

    /// The request document, after validation.
    ///
    /// **The document holds the password in clear text**: send it, never print
    /// or log it.
    ///
    /// # Errors
    /// [`EncodeError::Invalid`] with every broken rule.
    pub fn to_xml(&self) -> Result<Vec<u8>, EncodeError> {
        self.validated_document().map(|(_, document)| document)
    }

    /// The script and the request document, every rule checked and each value
    /// scanned once. On the fast path, every rule but "no character XML 1.0
    /// forbids" is checked on the typed values ([`Batch::quick_script`]), and
    /// the writer refuses such characters in the same pass that escapes each
    /// value. If anything is refused, or the fast check is in doubt, the full
    /// [`Batch::validate`] runs and reports every broken rule, exactly as it
    /// does on its own.
    fn validated_document(&self) -> Result<(Script, Vec<u8>), EncodeError> {
        if let Some(script) = self.quick_script() {
            return match write_document(&self.credentials, &self.operations) {
                Ok(document) => Ok((script, document)),
                Err(write_error) => Err(match self.validate() {
                    Err(errors) => errors.into(),
                    Ok(_) => write_error.into(),
                }),
            };
        }
        let script = self.validate()?;
        Ok((script, write_document(&self.credentials, &self.operations)?))
    }

    /// The script [`Batch::validate`] would return, when every rule but "no
    /// character XML 1.0 forbids" certainly holds; `None` when one is broken
    /// or in doubt (the full validation then decides).
    fn quick_script(&self) -> Option<Script> {
        let credentials = [
            self.credentials.username(),
            self.credentials.partner_id(),
            self.credentials.password().expose_secret(),
        ];
        let (first, rest) = self.operations.split_first()?;
        if credentials.iter().any(|value| value.trim().is_empty())
            || !self.operations.iter().all(Operation::passes_quick_checks)
        {
            return None;
        }
        let by_operations = first.script();
        let mixed = rest
            .iter()
            .any(|operation| operation.script() != by_operations);
        match self.script {
            Some(script) => Some(script),
            None if mixed => None,
            None => Some(by_operations),
        }
    }

    /// The HTTP request: `POST` of the document to the batch's script at `endpoint`,
    /// `Content-Type: text/xml; charset=utf-8`.
    ///
    /// # Secrets
    /// **The body holds the password in clear text, and `http::Request`'s
    /// `Debug` prints the body**: never print, log or `{:?}` the returned
    /// request. To show a user what would be sent (a dry run), use
    /// [`Batch::encode_redacted_for_display`].
    ///
    /// # Errors
    /// [`EncodeError::Invalid`] with every broken rule.
    pub fn encode(&self, endpoint: &Endpoint) -> Result<http::Request<Bytes>, EncodeError> {
        let (script, document) = self.validated_document()?;
        Ok(post(endpoint, script, &self.operations, document))
    }

    /// The same request as [`Batch::encode`], byte for byte, except that the
    /// password is replaced by [`REDACTED_PASSWORD`]: safe to print (for a
    /// dry run). Never send it: it would fail authentication.
    ///
    /// ```
    /// use strax_xml_protocol::{Batch, CreateCustomerNote, Credentials, Endpoint, NoteType, REDACTED_PASSWORD};
    ///
    /// let note = CreateCustomerNote::new("9710", "Yard sign", "Wants a new yard sign", NoteType::Sales);
    /// let batch = Batch::new(Credentials::new("user", "hunter2", "77"), [note.into()]);
    /// let endpoint = Endpoint::securitytrax("acme")?;
    /// let shown = batch.encode_redacted_for_display(&endpoint)?;
    /// let printable = format!("{shown:?}");
    /// assert!(!printable.contains("hunter2"));
    /// let real = batch.encode(&endpoint)?;
    /// assert_eq!(
    ///     std::str::from_utf8(real.body())?.replace("hunter2", REDACTED_PASSWORD),
    ///     std::str::from_utf8(shown.body())?
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Batch::encode`]: the real credentials are validated.
    pub fn encode_redacted_for_display(
        &self,
        endpoint: &Endpoint,
    ) -> Result<http::Request<Bytes>, EncodeError> {
        let script = self.validate()?;
        let masked = Credentials::new(
            self.credentials.username(),
            REDACTED_PASSWORD,
            self.credentials.partner_id(),
        );
        build_request(endpoint, script, &masked, &self.operations)
    }

    /// Decodes the response to this batch: one outcome per operation, in order.
    ///
    /// # Errors
    /// Every text the service sent is redacted with the credentials'
    /// [`redactor`](Credentials::redactor) first: a password the service
    /// quotes back (in a message, a customer field, a body excerpt) reads
    /// `[redacted]`. An answer about another record than the one asked about
    /// (a customer status whose `<ID>` or `<SecurityTraxUniqueID>` is not the
    /// customer asked about) is not believed: it is an
    /// [`Undecodable`](crate::FailureKind::Undecodable) failure of its
    /// operation, without the other record's texts.
    ///
    /// # Errors
    /// See [`decode_response`](crate::decode_response).
    pub fn decode_response(
        &self,
        response: &http::Response<Bytes>,
    ) -> Result<Vec<OperationOutcome>, DecodeError> {
        decode_redacted(&self.operations, &self.credentials.redactor(), response)
    }

    /// Decodes a response document to this batch (the body of a 2xx
    /// response), its texts redacted as [`Batch::decode_response`] does.
    ///
    /// # Errors
    /// See [`decode_response_body`](crate::decode_response_body).
    pub fn decode_response_body(&self, body: &[u8]) -> Result<Vec<OperationOutcome>, DecodeError> {
        decode_checked(&self.operations, &self.credentials.redactor(), body)
    }
}

/// The `POST` of the document for `credentials` and `operations` to `script`
/// at `endpoint`, without validating.
fn build_request(
    endpoint: &Endpoint,
    script: Script,
    credentials: &Credentials,
    operations: &[Operation],
) -> Result<http::Request<Bytes>, EncodeError> {
    let body = write_document(credentials, operations)?;
    Ok(post(endpoint, script, operations, body))
}

/// The `POST` of `document` (holding `operations`) to `script` at
/// `endpoint`, tagged with what sending it again would mean.
fn post(
    endpoint: &Endpoint,
    script: Script,
    operations: &[Operation],
    document: Vec<u8>,
) -> http::Request<Bytes> {
    let request = http::Request::builder()
        .method(http::Method::POST)
        .uri(endpoint.url(script))
        .header(http::header::CONTENT_TYPE, REQUEST_CONTENT_TYPE)
        .body(Bytes::from(document))
        .expect("method, URI and header are valid by construction");
    resend_of(script, operations).tagged(request)
}

/// What sending a document to `script` again would mean: the requester
/// script only reads; setting a confirmation number is idempotent; anything
/// else (notes, appointments) writes anew each time it is received, since
/// SecurityTrax documents no idempotency.
pub(crate) fn resend_of(script: Script, operations: &[Operation]) -> Resend {
    match script {
        Script::Requester => Resend::Read,
        _ if !operations.is_empty()
            && operations
                .iter()
                .all(|op| op.request_type() == RequestType::UpdateConfirmationNumber) =>
        {
            Resend::IdempotentWrite
        }
        _ => Resend::NeverBlindly,
    }
}

/// The start tags the request document repeats, checked and escaped once.
struct PreparedTags {
    /// `<request type="GetSystemAuthentication">`.
    authentication: PreparedElement,
    /// `<attribute name="Username">`, `…"Password">`, `…"PartnerID">`.
    credentials: [PreparedElement; 3],
    /// `<request type="…">` per request type, in [`RequestType::ALL`] order.
    requests: Vec<PreparedElement>,
    /// `<attribute name="…">` per field of each request type's table, in
    /// [`RequestType::ALL`] order.
    fields: Vec<Vec<PreparedElement>>,
}

impl PreparedTags {
    fn new() -> Result<Self, WriteError> {
        let request = |request_type| PreparedElement::new("request", &[("type", request_type)]);
        let attribute = |name| PreparedElement::new("attribute", &[("name", name)]);
        Ok(Self {
            authentication: request(AUTHENTICATION_REQUEST_TYPE)?,
            credentials: [
                attribute("Username")?,
                attribute("Password")?,
                attribute("PartnerID")?,
            ],
            requests: RequestType::ALL
                .iter()
                .map(|request_type| request(request_type.wire_name()))
                .collect::<Result<_, _>>()?,
            fields: RequestType::ALL
                .iter()
                .map(|request_type| {
                    request_type
                        .fields()
                        .iter()
                        .map(|spec| attribute(spec.wire_name))
                        .collect::<Result<_, _>>()
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Built on first use; the names and values are constants of the protocol.
static PREPARED_TAGS: LazyLock<PreparedTags> = LazyLock::new(|| {
    PreparedTags::new().expect("the protocol's element names and wire names are valid XML")
});

/// Writes `<root><requests>…</requests></root>` without validating (the
/// writer still refuses characters XML 1.0 forbids, naming the field).
pub(crate) fn write_document(
    credentials: &Credentials,
    operations: &[Operation],
) -> Result<Vec<u8>, WriteError> {
    let tags = &*PREPARED_TAGS;
    let [username, password, partner_id] = &tags.credentials;
    let mut writer = XmlWriter::indented();
    writer.declaration();
    writer.element("root", &[], |w| {
        w.element("requests", &[], |w| {
            w.prepared_element(&tags.authentication, |w| {
                w.prepared_text_element(username, "Username", credentials.username())?;
                // A write error names the field and code point only, never the value.
                w.prepared_text_element(
                    password,
                    "Password",
                    credentials.password().expose_secret(),
                )?;
                w.prepared_text_element(partner_id, "PartnerID", credentials.partner_id())
            })?;
            for operation in operations {
                let request_type = operation.request_type();
                let at = RequestType::ALL
                    .iter()
                    .position(|known| *known == request_type)
                    .expect("RequestType::ALL lists every request type");
                let fields = &tags.fields[at];
                w.prepared_element(&tags.requests[at], |w| {
                    operation.try_for_each_wire_field(|index, name, value| {
                        w.prepared_text_element(&fields[index], name, value)
                    })
                })?;
            }
            Ok(())
        })
    })?;
    Ok(writer.finish())
}

#[cfg(test)]
mod fast_path_tests {
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
        let schedule = (text(), time(), time(), prop::option::of(text())).prop_map(
            |(id, start, end, notes)| {
                let mut schedule = CreateTechSchedule::new(id, start, end, ServiceType::Install);
                schedule.notes = notes;
                Operation::from(schedule)
            },
        );
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CreateCustomerNote, GetCustomerStatus, NoteType};

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
}
