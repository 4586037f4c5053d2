//! [`BatchBuilder`]: several operations in one call, each result read back
//! with its own type through a [`Slot`] from [`BatchResults`].

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use strax_xml_protocol::{
    CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, GetCustomerStatus,
    GetSecurityTraxUniqueId, IdType, Operation, OperationOutcome, UpdateConfirmationNumber,
};
use tracing::Instrument;
use transport::Transport;

use super::call::{Call, output_of};
use super::client::Client;
use super::exchange::Scope;
use super::prepared::PreparedRequest;
use super::trace;
use crate::Error;

/// Tells batches apart, so a [`Slot`] is read only from its own batch's results.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(0);

/// Several operations sent together, built with [`Client::batch`].
///
/// [`push`](Self::push) adds an operation and gives a [`Slot`] to read its
/// result with its own type ([`Call::Output`]) from the [`BatchResults`] that
/// [`send`](Self::send) returns. Each operation's result stands alone: `Ok`
/// with its output, or `Err` for that operation only: refused by the service
/// (`success="false"`, with its texts: [`Error::Refused`]), or its answer
/// unreadable or missing while the rest of the document was answered
/// ([`Error::Unreadable`]; for a write, check the CRM before resending it).
/// [`BatchResults::outcomes`] has the protocol's untyped outcomes, in the
/// order added.
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
/// use facade::securitytrax::{
///     Client, CreateCustomerNote, Credentials, Endpoint, GetSecurityTraxUniqueId, IdType, NoteType,
///     OperationSuccess,
/// };
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
/// let mut batch = client.batch();
/// let note = batch.push(CreateCustomerNote::new("9710", "Call back", "Tuesday morning", NoteType::Sales));
/// let found = batch.push(GetSecurityTraxUniqueId {
///     id_type: IdType::AccountNumber,
///     id: "A-1001".into(),
/// });
/// let results = batch.send().await.unwrap();
/// results.get(&note).unwrap(); // `()`: the note was created
/// let id: String = results.get(&found).unwrap();
/// assert_eq!(id, "2237");
/// // The same results, untyped, in the order added.
/// assert_eq!(results.outcomes()[0], Ok(OperationSuccess::NoteCreated));
/// # });
/// ```
#[must_use = "a batch does nothing until it is sent"]
pub struct BatchBuilder<'a, T> {
    client: &'a Client<T>,
    operations: Vec<Operation>,
    id: u64,
}

/// Where one operation's result will be in its batch's [`BatchResults`],
/// typed by the operation ([`BatchBuilder::push`]).
#[must_use = "a slot is how the operation's result is read"]
pub struct Slot<C> {
    batch: u64,
    index: usize,
    operation: PhantomData<fn() -> C>,
}

impl<C> Slot<C> {
    /// The operation's position in its batch, from 0.
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<C> std::fmt::Debug for Slot<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slot")
            .field("operation", &std::any::type_name::<C>())
            .field("index", &self.index)
            .finish()
    }
}

/// The results of a sent batch: one outcome per operation, in the order
/// added, each read with its own type through its [`Slot`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResults {
    batch: u64,
    outcomes: Vec<OperationOutcome>,
}

impl BatchResults {
    /// The result of the operation at `slot`, with that operation's own type.
    ///
    /// # Errors
    /// The operation's own failure: [`Error::Refused`] with the service's
    /// texts, or [`Error::Unreadable`] when its answer was missing or could
    /// not be read ([`Error::outcome_unknown`] for a write).
    ///
    /// # Panics
    /// If `slot` comes from another batch.
    pub fn get<C: Call>(&self, slot: &Slot<C>) -> Result<C::Output, Error> {
        assert_eq!(
            slot.batch, self.batch,
            "a batch's results are read with the slots of that batch"
        );
        output_of::<C>(self.outcomes[slot.index].clone())
    }

    /// The protocol's untyped outcomes, one per operation in the order added.
    pub fn outcomes(&self) -> &[OperationOutcome] {
        &self.outcomes
    }

    /// The untyped outcomes, taken.
    #[must_use]
    pub fn into_outcomes(self) -> Vec<OperationOutcome> {
        self.outcomes
    }
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
            id: NEXT_BATCH.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Adds `operation` and returns where its result will be, typed by it.
    pub fn push<C: Call>(&mut self, operation: C) -> Slot<C> {
        let index = self.operations.len();
        self.operations.push(operation.into());
        Slot {
            batch: self.id,
            index,
            operation: PhantomData,
        }
    }

    /// Adds any operation (its result is read from
    /// [`BatchResults::outcomes`]; [`push`](Self::push) gives a typed slot).
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

    /// Sends the batch; one result per operation, in the order added.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] (nothing sent), or the failure of a whole
    /// document; see the type's documentation.
    pub async fn send(self) -> Result<BatchResults, Error> {
        let span = trace::batch_span(self.operations.len());
        let outcomes = self
            .client
            .exchange()
            .run(self.operations, Scope::Batch)
            .instrument(span)
            .await?;
        Ok(BatchResults {
            batch: self.id,
            outcomes,
        })
    }
}
