//! A batch: one `GetSystemAuthentication` then N operations in one document.

use bytes::Bytes;
use secrecy::ExposeSecret;
use strict_xml::WriteError;

use crate::credentials::Credentials;
use crate::decode::{DecodeError, decode_checked, decode_redacted};
use crate::endpoint::{Endpoint, Script};
use crate::generated::RequestType;
use crate::operation::Operation;
use crate::outcome::OperationOutcome;
use crate::validate::operation_violations;
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
    // Most calls send operations of one script (a single operation always
    // does): one part, in order, the list kept as it is.
    if let Some(script) = operations.first().map(Operation::script)
        && operations
            .iter()
            .all(|operation| operation.script() == script)
    {
        return vec![ScriptBatch {
            script,
            positions: (0..operations.len()).collect(),
            batch: Batch {
                credentials: credentials.clone(),
                operations,
                script: Some(script),
            },
        }];
    }
    // Each operation moves into its part: nothing is copied.
    let (mut reads, mut writes) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for (position, operation) in operations.into_iter().enumerate() {
        let (positions, ops) = match operation.script() {
            Script::Requester => &mut reads,
            Script::Poster => &mut writes,
        };
        positions.push(position);
        ops.push(operation);
    }
    [(Script::Requester, reads), (Script::Poster, writes)]
        .into_iter()
        .filter(|(_, (positions, _))| !positions.is_empty())
        .map(|(script, (positions, ops))| ScriptBatch {
            script,
            batch: Batch::new(credentials.clone(), ops).with_script(script),
            positions,
        })
        .collect()
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
            if crate::validate::is_blank(value) {
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
    /// visited once. On the fast path, the batch's own rules are checked
    /// first ([`Batch::quick_batch_script`]), each operation's rules but "no
    /// character XML 1.0 forbids" as it is written
    /// ([`write_checked_document`]), and the writer refuses such characters
    /// in the same pass that escapes each value. If anything is refused, or
    /// a fast check is in doubt, the full [`Batch::validate`] runs and
    /// reports every broken rule, exactly as it does on its own.
    fn validated_document(&self) -> Result<(Script, Vec<u8>), EncodeError> {
        if let Some(script) = self.quick_batch_script() {
            return match write_checked_document(&self.credentials, &self.operations) {
                Ok(document) => Ok((script, document)),
                Err(Refusal::InDoubt) => self.validate_then_write(),
                Err(Refusal::Write(write_error)) => Err(match self.validate() {
                    Err(errors) => errors.into(),
                    Ok(_) => write_error.into(),
                }),
            };
        }
        self.validate_then_write()
    }

    /// [`Batch::validate`], then the document.
    fn validate_then_write(&self) -> Result<(Script, Vec<u8>), EncodeError> {
        let script = self.validate()?;
        Ok((script, write_document(&self.credentials, &self.operations)?))
    }

    /// The script [`Batch::validate`] would return, when every rule but "no
    /// character XML 1.0 forbids" certainly holds; `None` when one is broken
    /// or in doubt (the full validation then decides). What the fast path
    /// checks, in two parts: this one and the operations'.
    #[cfg(test)]
    fn quick_script(&self) -> Option<Script> {
        self.quick_batch_script()
            .filter(|_| self.operations.iter().all(Operation::passes_quick_checks))
    }

    /// The script [`Batch::validate`] would return, when the batch's own
    /// rules certainly hold (credentials given, operations there, reads and
    /// writes not mixed without a script) and its operations' rules hold
    /// too; `None` when one of its own is broken or in doubt.
    fn quick_batch_script(&self) -> Option<Script> {
        let credentials = [
            self.credentials.username(),
            self.credentials.partner_id(),
            self.credentials.password().expose_secret(),
        ];
        let (first, rest) = self.operations.split_first()?;
        if credentials
            .iter()
            .any(|value| crate::validate::is_blank(value))
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
        decode_redacted(
            &self.operations,
            &self.credentials.redactor(),
            response,
            Some(&self.credentials),
        )
    }

    /// Decodes a response document to this batch (the body of a 2xx
    /// response), its texts redacted as [`Batch::decode_response`] does.
    ///
    /// # Errors
    /// See [`decode_response_body`](crate::decode_response_body).
    pub fn decode_response_body(&self, body: &[u8]) -> Result<Vec<OperationOutcome>, DecodeError> {
        decode_checked(
            &self.operations,
            &self.credentials.redactor(),
            body,
            Some(&self.credentials),
        )
    }
}

mod write;

use write::{Refusal, build_request, post, write_checked_document, write_document};

#[cfg(test)]
mod fast_path_tests;
#[cfg(test)]
mod tests;
