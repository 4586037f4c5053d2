//! Running operations: split by script, encode each document (which
//! validates it, once, and tags it with what resending it would mean), send
//! it through the transport, decode, and put the outcomes back in order.

use std::time::Duration;

use bytes::Bytes;
use http::Request;
use strax_xml_protocol::{
    Batch, Credentials, EncodeError, Endpoint, Operation, OperationOutcome, ScriptBatch,
    split_by_script,
};
use tracing::Instrument;
use transport::{RequestTimeout, Transport};
use wire_core::Resend;
use wire_core::validation::Violations;

use super::prepared::PreparedRequest;
use super::trace;
use crate::Error;

/// Everything a client needs to send operations.
pub(crate) struct Exchange<'a, T> {
    pub(crate) endpoint: &'a Endpoint,
    pub(crate) credentials: &'a Credentials,
    pub(crate) transport: &'a T,
    pub(crate) request_timeout: Option<Duration>,
}

/// How per-operation outcomes are traced.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// One operation, already inside its own span.
    Single,
    /// A batch: each outcome gets its operation's span.
    Batch,
}

/// One document ready to send.
struct Document {
    part: ScriptBatch,
    request: Request<Bytes>,
}

impl<T: Transport> Exchange<'_, T> {
    /// Splits `operations` into one batch per script (reads first) and
    /// encodes each, which validates every operation exactly once. Every
    /// broken rule of every operation is reported together, each naming the
    /// operation's position in `operations`; nothing is returned (and so
    /// nothing sent) unless all are valid.
    fn documents(
        &self,
        operations: Vec<Operation>,
        encode: impl Fn(&Batch, &Endpoint) -> Result<Request<Bytes>, EncodeError>,
    ) -> Result<Vec<Document>, Error> {
        if operations.is_empty() {
            // The protocol's own rule and message for an empty batch.
            let empty = Batch::new(self.credentials.clone(), Vec::new());
            return Err(Error::from_strax_encode(
                empty
                    .encode(self.endpoint)
                    .expect_err("an empty batch is invalid"),
            ));
        }
        let mut invalid: Option<Violations> = None;
        let parts = split_by_script(self.credentials, operations);
        let mut documents = Vec::with_capacity(parts.len());
        for part in parts {
            match encode(&part.batch, self.endpoint) {
                Ok(request) => documents.push(Document {
                    request: self.with_timeout(request),
                    part,
                }),
                Err(EncodeError::Invalid(violations)) => {
                    let violations = at_batch_positions(violations, &part.positions);
                    match &mut invalid {
                        Some(all) => merge(all, violations),
                        None => invalid = Some(violations),
                    }
                }
                Err(other) => return Err(Error::from_strax_encode(other)),
            }
        }
        match invalid {
            Some(violations) => Err(Error::InvalidInput(violations)),
            None => Ok(documents),
        }
    }

    /// `request` (already tagged by the protocol with what resending it
    /// would mean) with the client's per-request timeout.
    fn with_timeout(&self, mut request: Request<Bytes>) -> Request<Bytes> {
        if let Some(timeout) = self.request_timeout {
            request.extensions_mut().insert(RequestTimeout(timeout));
        }
        request
    }

    /// The requests `operations` would be sent as, built without sending.
    pub(crate) fn prepare(
        &self,
        operations: Vec<Operation>,
    ) -> Result<Vec<PreparedRequest>, Error> {
        self.documents(operations, Batch::encode)?
            .into_iter()
            .map(|Document { part, request }| {
                let redacted = part
                    .batch
                    .encode_redacted_for_display(self.endpoint)
                    .map_err(Error::from_strax_encode)?;
                Ok(PreparedRequest::new(
                    part.script,
                    part.batch.request_types(),
                    request,
                    self.with_timeout(redacted),
                ))
            })
            .collect()
    }

    /// Sends `operations` and returns one outcome per operation, in order.
    ///
    /// Nothing is sent unless every operation is valid and every document
    /// encodes. Documents go out reads first; the first document that fails
    /// as a whole ends the call with its error (later documents are not
    /// sent).
    pub(crate) async fn run(
        &self,
        operations: Vec<Operation>,
        scope: Scope,
    ) -> Result<Vec<OperationOutcome>, Error> {
        let result = self.run_documents(operations, scope).await;
        if let Err(error) = &result {
            tracing::info!(error = error.kind(), "securitytrax call failed");
        }
        result
    }

    async fn run_documents(
        &self,
        operations: Vec<Operation>,
        scope: Scope,
    ) -> Result<Vec<OperationOutcome>, Error> {
        let documents = self.documents(operations, Batch::encode)?;
        // One document holds every operation in the caller's order: its
        // outcomes are the answer as they are.
        let single = documents.len() == 1;
        let mut outcomes = Vec::new();
        for Document { part, request } in documents {
            let span = trace::document_span(part.script, part.positions.len());
            let decoded = self.send_document(&part, request).instrument(span).await?;
            for (operation, outcome) in part.batch.operations().iter().zip(&decoded) {
                match scope {
                    Scope::Single => trace::record_outcome(outcome),
                    Scope::Batch => {
                        trace::operation_span(operation)
                            .in_scope(|| trace::record_outcome(outcome));
                    }
                }
            }
            if single {
                debug_assert!(part.positions.iter().copied().eq(0..part.positions.len()));
                return Ok(decoded);
            }
            outcomes.extend(part.positions.iter().copied().zip(decoded));
        }
        outcomes.sort_by_key(|(position, _)| *position);
        Ok(outcomes.into_iter().map(|(_, outcome)| outcome).collect())
    }

    async fn send_document(
        &self,
        part: &ScriptBatch,
        request: Request<Bytes>,
    ) -> Result<Vec<OperationOutcome>, Error> {
        let writes = Resend::of(&request).writes();
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|error| Error::from_transport(error, writes))?;
        part.batch
            .decode_response(&response)
            .map_err(|error| Error::from_strax_decode(error, writes))
    }
}

/// `violations` of a batch made of the operations at `positions` of the
/// caller's list, renumbered to those positions.
fn at_batch_positions(violations: Violations, positions: &[usize]) -> Violations {
    let renumbered = violations
        .into_iter()
        .map(|mut violation| {
            if let Some(record) = &mut violation.record
                && let Some(position) = positions.get(record.index)
            {
                record.index = *position;
            }
            violation
        })
        .collect();
    Violations::from_vec(renumbered).expect("renumbering keeps every violation")
}

/// Adds `more` to `all`, except the request-level violations (credentials)
/// `all` already has: every document reports them.
fn merge(all: &mut Violations, more: Violations) {
    let new: Vec<_> = more
        .into_iter()
        .filter(|violation| violation.record.is_some() || !all.as_slice().contains(violation))
        .collect();
    if let Some(new) = Violations::from_vec(new) {
        all.extend(new);
    }
}
