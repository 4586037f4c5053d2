//! [`BatchBuilder`]: several operations in one call.

use strax_xml_protocol::{
    CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, GetCustomerStatus,
    GetSecurityTraxUniqueId, IdType, Operation, OperationOutcome, UpdateConfirmationNumber,
};
use tracing::Instrument;
use transport::Transport;

use super::client::Client;
use super::exchange::Scope;
use super::prepared::PreparedRequest;
use super::trace;
use crate::Error;

/// Several operations sent together, built with [`Client::batch`].
///
/// [`send`](Self::send) returns one outcome per operation, in the order they
/// were added: `Ok` with the operation's result, or `Err` for that operation
/// alone: refused by the service (`success="false"`, with its texts), or its
/// answer unreadable or missing while the rest of the document was answered
/// ([`OperationFailure::outcome_unknown`](strax_xml_protocol::OperationFailure::outcome_unknown):
/// check the CRM before resending such a write).
///
/// # One document per script
/// SecurityTrax serves reads (availability, customer status, unique-id
/// look-up) from its requester script and writes (notes, appointments,
/// confirmation numbers) from its poster script. A batch that holds both is
/// **split into two documents**, each authenticated on its own: the reads
/// are sent first, then the writes. So:
///
/// - nothing is sent unless every operation is valid
///   ([`Error::InvalidInput`] lists every broken rule, by position);
/// - when the reads' document fails as a whole (transport failure, bad
///   credentials, …), the writes are not sent;
/// - when the writes' document fails as a whole, that is the batch's error
///   (the reads' results, which changed nothing, are dropped) and the
///   error says whether the writes may have been executed
///   ([`Error::outcome_unknown`]).
///
/// Each document is tagged with what resending it would mean (the reads'
/// document: a read; the writes': never resent blindly), and the
/// transport's retry policy, if the client's transport has one, decides
/// (see [retries](crate#retries)).
///
/// ```
/// use bytes::Bytes;
/// use facade::securitytrax::{Client, CreateCustomerNote, Credentials, Endpoint, NoteType, OperationSuccess};
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// // Answers the reads' document, then the writes' document.
/// let fake = |request: http::Request<Bytes>| async move {
///     let auth = r#"<response type="GetSystemAuthentication" success="true"><data><message>Authenticated To System</message></data></response>"#;
///     let body = if request.uri().path().ends_with("informationrequester.php") {
///         format!(r#"<root><responses>{auth}<response type="AllAccess-GetSecurityTraxUniqueID" success="true"><data><SecurityTraxUniqueID>2237</SecurityTraxUniqueID></data></response></responses></root>"#)
///     } else {
///         format!(r#"<root><responses>{auth}<response type="CreateCustomerNoteBySecurityTraxUniqueID" success="true"><data/></response></responses></root>"#)
///     };
///     Ok(http::Response::new(Bytes::from(body)))
/// };
/// let client = Client::new(
///     Endpoint::new("https://crm.example.com", "acme").unwrap(),
///     Credentials::new("api-user", "secret", "77"),
///     fake,
/// );
/// let outcomes = client
///     .batch()
///     .add_note(CreateCustomerNote::new("9710", "Call back", "Tuesday morning", NoteType::Sales))
///     .find_unique_id(facade::securitytrax::IdType::AccountNumber, "A-1001")
///     .send()
///     .await
///     .unwrap();
/// assert_eq!(outcomes[0], Ok(OperationSuccess::NoteCreated));
/// assert_eq!(outcomes[1], Ok(OperationSuccess::SecurityTraxUniqueId("2237".into())));
/// # });
/// ```
#[must_use = "a batch does nothing until it is sent"]
pub struct BatchBuilder<'a, T> {
    client: &'a Client<T>,
    operations: Vec<Operation>,
}

impl<T> std::fmt::Debug for BatchBuilder<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchBuilder")
            .field("client", self.client)
            .field("operations", &self.operations)
            .finish()
    }
}

impl<'a, T: Transport> BatchBuilder<'a, T> {
    pub(crate) fn new(client: &'a Client<T>) -> Self {
        Self {
            client,
            operations: Vec::new(),
        }
    }

    /// Adds any operation.
    pub fn operation(mut self, operation: impl Into<Operation>) -> Self {
        self.operations.push(operation.into());
        self
    }

    /// Adds a `CreateCustomerNoteBySecurityTraxUniqueID` (a write).
    pub fn add_note(self, note: CreateCustomerNote) -> Self {
        self.operation(note)
    }

    /// Adds a `CreateTechScheduleBySecurityTraxUniqueID` (a write).
    pub fn create_appointment(self, appointment: CreateTechSchedule) -> Self {
        self.operation(appointment)
    }

    /// Adds a `GetIfAppointmentAvailableByLocationInfo` (a read).
    pub fn appointment_availability(self, query: GetAppointmentAvailability) -> Self {
        self.operation(query)
    }

    /// Adds an `AllAccess-GetCustomerStatusBySecurityTraxUniqueID` (a read).
    pub fn customer_status(self, security_trax_unique_id: impl Into<String>) -> Self {
        self.operation(GetCustomerStatus {
            security_trax_unique_id: security_trax_unique_id.into(),
        })
    }

    /// Adds an `AllAccess-GetSecurityTraxUniqueID` (a read).
    pub fn find_unique_id(self, id_type: IdType, id: impl Into<String>) -> Self {
        self.operation(GetSecurityTraxUniqueId {
            id_type,
            id: id.into(),
        })
    }

    /// Adds an `UpdateConfirmationNumberBySecurityTraxUniqueID` (a write).
    pub fn update_confirmation_number(
        self,
        security_trax_unique_id: impl Into<String>,
        confirmation_number: impl Into<String>,
    ) -> Self {
        self.operation(UpdateConfirmationNumber {
            security_trax_unique_id: security_trax_unique_id.into(),
            confirmation_number: confirmation_number.into(),
        })
    }

    /// The operations added so far, in order.
    #[must_use]
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The exact requests the batch would be sent as (one per script, reads
    /// first), built without sending anything.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] with every broken rule.
    pub fn prepare(&self) -> Result<Vec<PreparedRequest>, Error> {
        self.client.exchange().prepare(self.operations.clone())
    }

    /// Sends the batch; one outcome per operation, in the order added.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] (nothing sent), or the failure of a whole
    /// document; see the type's documentation.
    pub async fn send(self) -> Result<Vec<OperationOutcome>, Error> {
        let span = trace::batch_span(self.operations.len());
        self.client
            .exchange()
            .run(self.operations, Scope::Batch)
            .instrument(span)
            .await
    }
}
