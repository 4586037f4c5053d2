//! [`CrmSet`]: many CRMs side by side, by name.

use std::collections::HashMap;

use super::Crm;
use crate::Error;

/// Many CRMs side by side, each by its name: each with its own credentials,
/// its own transport and its own pace at its vendor's limit (see
/// [`Pacing`](super::Pacing)), so that one process serves many customers'
/// CRMs at once and one entry's limit never slows another. Entries are kept
/// in the order they were added.
///
/// ```no_run
/// use facade::neutral::{AddCustomerNote, Crm, CrmSet, CustomerNotes, CustomerRef, NoteKind};
/// use facade::transport::{Backend, TransportConfig};
/// use facade::{neto, peoplevine};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let set = CrmSet::builder()
///     .add("shop", Crm::neto_over_http(
///         neto::Codec::new(
///             neto::Endpoint::for_store("www.example-store.com.au")?,
///             neto::Credentials::api_key("api-user", std::env::var("NETO_KEY")?),
///             neto::WireFormat::Json,
///         ),
///         Backend::Reqwest,
///         TransportConfig::default(),
///     )?)
///     .add("club", Crm::peoplevine_over_http(
///         peoplevine::Endpoint::default(),
///         peoplevine::Grant::Password { username: "ops".into(), password: std::env::var("PV_PASSWORD")?.into() },
///         Backend::Reqwest,
///         TransportConfig::default(),
///     )?)
///     .build()?;
/// for (name, crm) in set.iter() {
///     let customer = if name == "shop" { "jo.citizen" } else { "501" };
///     let note = AddCustomerNote::new(CustomerRef::new(customer), "Visit", "Came by the shop", NoteKind::Sales);
///     println!("{name}: {:?}", crm.add_note(note).await.map(|added| added.note_id));
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct CrmSet<T> {
    entries: Vec<(String, Crm<T>)>,
}

impl<T> CrmSet<T> {
    /// An empty builder.
    #[must_use]
    pub fn builder() -> CrmSetBuilder<T> {
        CrmSetBuilder {
            entries: Vec::new(),
        }
    }

    /// The CRM named `name`.
    pub fn get(&self, name: &str) -> Option<&Crm<T>> {
        self.entries
            .iter()
            .find(|(entry, _)| entry == name)
            .map(|(_, crm)| crm)
    }

    /// The names, in the order added.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(name, _)| name.as_str())
    }

    /// Every entry, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Crm<T>)> {
        self.entries.iter().map(|(name, crm)| (name.as_str(), crm))
    }

    /// How many CRMs it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Builds a [`CrmSet`]: [`add`](Self::add) each CRM under its name, then
/// [`build`](Self::build).
#[derive(Debug)]
pub struct CrmSetBuilder<T> {
    entries: Vec<(String, Crm<T>)>,
}

impl<T> CrmSetBuilder<T> {
    /// Adds `crm` under `name`.
    #[must_use]
    pub fn add(mut self, name: impl Into<String>, crm: Crm<T>) -> Self {
        self.entries.push((name.into(), crm));
        self
    }

    /// The set.
    ///
    /// # Errors
    /// [`Error::Setup`] when a name is empty or given twice.
    pub fn build(self) -> Result<CrmSet<T>, Error> {
        let mut seen = HashMap::new();
        for (name, _) in &self.entries {
            if name.trim().is_empty() {
                return Err(setup("a CRM of the set has an empty name".to_owned()));
            }
            if seen.insert(name.as_str(), ()).is_some() {
                return Err(setup(format!("the CRM name `{name}` is given twice")));
            }
        }
        Ok(CrmSet {
            entries: self.entries,
        })
    }
}

fn setup(what: String) -> Error {
    Error::Setup { what, source: None }
}
