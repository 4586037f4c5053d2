//! [`Crm`]: one value over any service, doing every neutral operation.

use std::fmt;

use transport::{Backend, HttpTransport, RetryConfig, Retrying, Transport, TransportConfig};

use super::{
    AddCustomerNote, AppointmentBooked, AppointmentBooking, BookAppointment, Capabilities,
    CustomerNote, CustomerNotes, FollowUpLogged, FollowUpLogging, LeadPosting, LeadsPosted,
    ListNotes, LogFollowUp, NewLead, NoteAdded, NoteListing, Operation, Pacing,
};
use crate::{Error, Service, Unsupported, leads, neto, peoplevine, securitytrax};

/// The transport of a [`Crm`] built over HTTP: its own connection pool,
/// paced at its vendor's limit ([`Pacing::for_service`]), retried by the one
/// policy ([`Retrying`], which never resends a write blindly).
pub type CrmTransport = Retrying<Pacing<HttpTransport>>;

/// One CRM, whichever service is behind it: every neutral operation, sent
/// to the service when it has that operation, else
/// [`Error::Unsupported`] before anything is sent. Ask first with
/// [`Capabilities::supports`].
///
/// A SecurityTrax CRM holds both of its clients: the XML API (notes,
/// appointments) and the lead post.
///
/// ```no_run
/// use facade::neutral::{AddCustomerNote, Capabilities, Crm, CustomerNotes, CustomerRef, NoteKind, Operation};
/// use facade::neto::{Codec, Credentials, Endpoint, WireFormat};
/// use facade::transport::{Backend, TransportConfig};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let codec = Codec::new(
///     Endpoint::for_store("www.example-store.com.au")?,
///     Credentials::api_key("api-user", std::env::var("NETO_KEY")?),
///     WireFormat::Json,
/// );
/// let crm = Crm::neto_over_http(codec, Backend::Reqwest, TransportConfig::default())?;
/// assert!(!crm.supports(Operation::BookAppointment));
/// let note = AddCustomerNote::new(CustomerRef::new("jo.citizen"), "Call", "Asked for a quote", NoteKind::Sales);
/// let added = crm.add_note(note).await?;
/// println!("log {:?}", added.note_id);
/// # Ok(())
/// # }
/// ```
pub struct Crm<T> {
    inner: Inner<T>,
}

enum Inner<T> {
    SecurityTrax {
        // Boxed: the XML client is several times the size of the others.
        xml: Box<securitytrax::Client<T>>,
        leads: leads::LeadClient<T>,
    },
    Peoplevine(peoplevine::Client<T>),
    Neto(neto::Client<T>),
}

impl<T> fmt::Debug for Crm<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::SecurityTrax { xml, leads } => f
                .debug_struct("Crm::SecurityTrax")
                .field("xml", xml)
                .field("leads", leads)
                .finish(),
            Inner::Peoplevine(client) => f.debug_tuple("Crm::Peoplevine").field(client).finish(),
            Inner::Neto(client) => f.debug_tuple("Crm::Neto").field(client).finish(),
        }
    }
}

impl<T> Crm<T> {
    /// A SecurityTrax CRM: notes and appointments through `xml`, leads
    /// through `leads`. Leads are posted with `leads`' source id, or, when
    /// it has none, the partner id of `xml`'s credentials.
    pub fn securitytrax(xml: securitytrax::Client<T>, leads: leads::LeadClient<T>) -> Self
    where
        T: Transport,
    {
        let leads = match leads.source_id() {
            Some(_) => leads,
            None => {
                let partner_id = xml.credentials().partner_id().to_owned();
                leads.with_source_id(partner_id)
            }
        };
        Self {
            inner: Inner::SecurityTrax {
                xml: Box::new(xml),
                leads,
            },
        }
    }

    /// A Peoplevine CRM.
    pub fn peoplevine(client: peoplevine::Client<T>) -> Self {
        Self {
            inner: Inner::Peoplevine(client),
        }
    }

    /// A Neto CRM.
    pub fn neto(client: neto::Client<T>) -> Self {
        Self {
            inner: Inner::Neto(client),
        }
    }

    /// The SecurityTrax clients (XML API, lead post), for a SecurityTrax CRM.
    pub fn as_securitytrax(&self) -> Option<(&securitytrax::Client<T>, &leads::LeadClient<T>)> {
        match &self.inner {
            Inner::SecurityTrax { xml, leads } => Some((&**xml, leads)),
            _ => None,
        }
    }

    /// The Peoplevine client, for a Peoplevine CRM.
    pub fn as_peoplevine(&self) -> Option<&peoplevine::Client<T>> {
        match &self.inner {
            Inner::Peoplevine(client) => Some(client),
            _ => None,
        }
    }

    /// The Neto client, for a Neto CRM.
    pub fn as_neto(&self) -> Option<&neto::Client<T>> {
        match &self.inner {
            Inner::Neto(client) => Some(client),
            _ => None,
        }
    }

    fn unsupported(&self, operation: Operation) -> Error {
        Error::Unsupported(Unsupported::new(self.service(), operation))
    }
}

fn http(
    service: Service,
    backend: Backend,
    config: TransportConfig,
) -> Result<CrmTransport, transport::TransportBuildError> {
    Ok(Retrying::new(
        Pacing::for_service(HttpTransport::new(backend, config)?, service),
        RetryConfig::default(),
    ))
}

impl Crm<CrmTransport> {
    /// A SecurityTrax CRM over the HTTP `backend`: one transport for the
    /// XML API, one for the lead post (unpaced: SecurityTrax documents no
    /// limit), both under the default retry policy.
    ///
    /// # Errors
    /// [`Error::Setup`] when the backend is not compiled in or cannot be built.
    pub fn securitytrax_over_http(
        endpoint: securitytrax::Endpoint,
        credentials: securitytrax::Credentials,
        lead_endpoint: leads::Endpoint,
        backend: Backend,
        config: TransportConfig,
    ) -> Result<Self, Error> {
        let redactor = credentials.redactor();
        let xml = securitytrax::Client::new(
            endpoint,
            credentials,
            http(Service::SecurityTrax, backend, config.clone()).map_err(setup)?,
        );
        let leads = leads::LeadClient::new(
            lead_endpoint,
            http(Service::SecurityTrax, backend, config).map_err(setup)?,
        )
        .with_redactor(redactor);
        Ok(Self::securitytrax(xml, leads))
    }

    /// A Peoplevine CRM over the HTTP `backend`, paced under Peoplevine's
    /// limit ([`peoplevine::pace`]).
    ///
    /// # Errors
    /// [`Error::Setup`] when the backend is not compiled in or cannot be built.
    pub fn peoplevine_over_http(
        endpoint: peoplevine::Endpoint,
        grant: peoplevine::Grant,
        backend: Backend,
        config: TransportConfig,
    ) -> Result<Self, Error> {
        Ok(Self::peoplevine(peoplevine::Client::new(
            endpoint,
            grant,
            http(Service::Peoplevine, backend, config).map_err(setup)?,
        )))
    }

    /// A Neto CRM over the HTTP `backend`, paced under Neto's 500 requests
    /// per minute ([`neto::pace_under`]).
    ///
    /// # Errors
    /// [`Error::Setup`] when the backend is not compiled in or cannot be built.
    pub fn neto_over_http(
        codec: neto::Codec,
        backend: Backend,
        config: TransportConfig,
    ) -> Result<Self, Error> {
        Ok(Self::neto(neto::Client::new(
            codec,
            http(Service::Neto, backend, config).map_err(setup)?,
        )))
    }
}

fn setup(error: transport::TransportBuildError) -> Error {
    Error::Setup {
        what: error.to_string(),
        source: Some(std::sync::Arc::new(error)),
    }
}

impl<T> Capabilities for Crm<T> {
    fn service(&self) -> Service {
        match &self.inner {
            Inner::SecurityTrax { .. } => Service::SecurityTrax,
            Inner::Peoplevine(_) => Service::Peoplevine,
            Inner::Neto(_) => Service::Neto,
        }
    }

    fn operations(&self) -> &'static [Operation] {
        match &self.inner {
            Inner::SecurityTrax { .. } => &[
                Operation::AddNote,
                Operation::PostLeads,
                Operation::BookAppointment,
            ],
            Inner::Peoplevine(client) => client.operations(),
            Inner::Neto(client) => client.operations(),
        }
    }
}

impl<T: Transport + 'static> CustomerNotes for Crm<T> {
    async fn add_note(&self, note: AddCustomerNote) -> Result<NoteAdded, Error> {
        match &self.inner {
            Inner::SecurityTrax { xml, .. } => xml.add_note(note).await,
            Inner::Peoplevine(client) => client.add_note(note).await,
            Inner::Neto(client) => client.add_note(note).await,
        }
    }
}

impl<T: Transport + 'static> NoteListing for Crm<T> {
    async fn list_notes(&self, request: ListNotes) -> Result<Vec<CustomerNote>, Error> {
        match &self.inner {
            Inner::SecurityTrax { .. } => Err(self.unsupported(Operation::ListNotes)),
            Inner::Peoplevine(client) => client.list_notes(request).await,
            Inner::Neto(client) => client.list_notes(request).await,
        }
    }
}

impl<T: Transport + 'static> LeadPosting for Crm<T> {
    async fn post_leads(&self, leads: Vec<NewLead>) -> Result<LeadsPosted, Error> {
        match &self.inner {
            Inner::SecurityTrax { leads: client, .. } => client.post_leads(leads).await,
            Inner::Peoplevine(_) | Inner::Neto(_) => Err(self.unsupported(Operation::PostLeads)),
        }
    }
}

impl<T: Transport + 'static> AppointmentBooking for Crm<T> {
    async fn book_appointment(
        &self,
        appointment: BookAppointment,
    ) -> Result<AppointmentBooked, Error> {
        match &self.inner {
            Inner::SecurityTrax { xml, .. } => xml.book_appointment(appointment).await,
            Inner::Peoplevine(_) | Inner::Neto(_) => {
                Err(self.unsupported(Operation::BookAppointment))
            }
        }
    }
}

impl<T: Transport + 'static> FollowUpLogging for Crm<T> {
    async fn log_follow_up(&self, follow_up: LogFollowUp) -> Result<FollowUpLogged, Error> {
        match &self.inner {
            Inner::Neto(client) => client.log_follow_up(follow_up).await,
            Inner::SecurityTrax { .. } | Inner::Peoplevine(_) => {
                Err(self.unsupported(Operation::LogFollowUp))
            }
        }
    }
}
