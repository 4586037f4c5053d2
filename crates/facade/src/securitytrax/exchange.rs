//! Running operations: validate everything, split by script, encode, send
//! with the retry policy, decode, and put the outcomes back in order.

use std::time::Duration;

use bytes::Bytes;
use http::Request;
use strax_xml_protocol::{
    Batch, Credentials, Endpoint, Operation, OperationOutcome, Script, ScriptBatch, split_by_script,
};
use tracing::Instrument;
use transport::{RequestTimeout, Transport};

use super::prepared::PreparedRequest;
use super::trace;
use crate::Error;
use crate::RetryConfig;
use crate::retry::{RequestKind, send_with_retries};

/// Everything a client needs to send operations.
pub(crate) struct Exchange<'a, T> {
    pub(crate) endpoint: &'a Endpoint,
    pub(crate) credentials: &'a Credentials,
    pub(crate) transport: &'a T,
    pub(crate) retry: &'a RetryConfig,
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
    /// Checks every operation (all errors at once) and splits them into one
    /// batch per script, reads first.
    fn plan(&self, operations: Vec<Operation>) -> Result<Vec<ScriptBatch>, Error> {
        // The script override only silences the "mixed reads and writes"
        // rule, which the split below takes care of.
        Batch::new(self.credentials.clone(), operations.clone())
            .with_script(Script::Poster)
            .validate()
            .map_err(Error::InvalidInput)?;
        Ok(split_by_script(self.credentials, operations))
    }

    fn encode(&self, batch: &Batch) -> Result<Request<Bytes>, Error> {
        let request = batch.encode(self.endpoint).map_err(Error::from_encode)?;
        Ok(self.with_timeout(request))
    }

    /// `batch`'s request with the password masked, for display.
    fn encode_redacted(&self, batch: &Batch) -> Result<Request<Bytes>, Error> {
        let request = batch
            .encode_redacted_for_display(self.endpoint)
            .map_err(Error::from_encode)?;
        Ok(self.with_timeout(request))
    }

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
        self.plan(operations)?
            .into_iter()
            .map(|part| {
                let request = self.encode(&part.batch)?;
                let redacted = self.encode_redacted(&part.batch)?;
                Ok(PreparedRequest::new(
                    part.script,
                    part.batch.request_types(),
                    request,
                    redacted,
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
        let documents = self
            .plan(operations)?
            .into_iter()
            .map(|part| {
                let request = self.encode(&part.batch)?;
                Ok(Document { part, request })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let mut outcomes = Vec::new();
        for Document { part, request } in documents {
            let span = trace::document_span(part.script, part.positions.len());
            let decoded = self.send_document(&part, request).instrument(span).await?;
            for ((position, operation), outcome) in part
                .positions
                .iter()
                .zip(part.batch.operations())
                .zip(decoded)
            {
                match scope {
                    Scope::Single => trace::record_outcome(&outcome),
                    Scope::Batch => {
                        trace::operation_span(operation)
                            .in_scope(|| trace::record_outcome(&outcome));
                    }
                }
                outcomes.push((*position, outcome));
            }
        }
        outcomes.sort_by_key(|(position, _)| *position);
        Ok(outcomes.into_iter().map(|(_, outcome)| outcome).collect())
    }

    async fn send_document(
        &self,
        part: &ScriptBatch,
        request: Request<Bytes>,
    ) -> Result<Vec<OperationOutcome>, Error> {
        let (kind, writes) = match part.script {
            Script::Requester => (RequestKind::Read, false),
            Script::Poster => (RequestKind::Write, true),
        };
        let sent = send_with_retries(self.transport, request, kind, self.retry).await;
        let response = sent
            .result
            .map_err(|error| Error::from_transport(error, sent.attempts, writes))?;
        part.batch
            .decode_response(&response)
            .map_err(|error| Error::from_decode(error, writes))
    }
}
