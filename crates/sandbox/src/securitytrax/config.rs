//! What the simulated SecurityTrax service accepts: sites, accounts, scripts and
//! the customers it starts with.

use secrecy::SecretString;
use strax_xml_protocol::{Credentials, Customer, DEFAULT_POSTER_SCRIPT, DEFAULT_REQUESTER_SCRIPT};

/// The default cap on operations per request document (the authentication not
/// counted): 100. A document with more is refused as a whole, answered with one
/// failed `GetSystemAuthentication` response that names the limit, and none of
/// its operations runs. The vendor documents no limit; this one keeps a hostile
/// document from costing the sandbox an answer of tens of megabytes.
pub const DEFAULT_MAX_OPERATIONS: usize = 100;

/// A customer the simulated service knows from the start.
///
/// The record is what `AllAccess-GetCustomerStatusBySecurityTraxUniqueID` answers;
/// the account number is what `AllAccess-GetSecurityTraxUniqueID` with
/// `IDType=AccountNumber` looks up (the `<Customer>` record has no element for it).
/// `Debug` hides the personal fields, as [`Customer`]'s does.
///
/// ```
/// use sandbox::securitytrax::SeededCustomer;
/// use strax_xml_protocol::Customer;
///
/// let customer = SeededCustomer::new("4242", Customer::default()).with_account_number("A-4242");
/// assert_eq!(customer.record().security_trax_unique_id.as_deref(), Some("4242"));
/// assert_eq!(customer.account_number(), Some("A-4242"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededCustomer {
    record: Customer,
    account_number: Option<String>,
}

impl SeededCustomer {
    /// A customer whose `SecurityTraxUniqueID` is `security_trax_unique_id` (it
    /// overrides whatever `record` holds there); without an account number.
    #[must_use]
    pub fn new(security_trax_unique_id: impl Into<String>, mut record: Customer) -> Self {
        record.security_trax_unique_id = Some(security_trax_unique_id.into());
        Self {
            record,
            account_number: None,
        }
    }

    /// Gives the customer an account number.
    #[must_use]
    pub fn with_account_number(mut self, account_number: impl Into<String>) -> Self {
        self.account_number = Some(account_number.into());
        self
    }

    /// The customer's `SecurityTraxUniqueID`.
    #[must_use]
    pub fn security_trax_unique_id(&self) -> &str {
        self.record
            .security_trax_unique_id
            .as_deref()
            .unwrap_or_default()
    }

    /// The `<Customer>` record.
    #[must_use]
    pub fn record(&self) -> &Customer {
        &self.record
    }

    /// The account number, if the customer has one.
    #[must_use]
    pub fn account_number(&self) -> Option<&str> {
        self.account_number.as_deref()
    }
}

/// How the simulated SecurityTrax service is set up; build it with the chained setters
/// or start from [`SecurityTraxConfig::demo`].
///
/// Every account may use every accepted site, and all sites share one set of
/// customers. `Debug` never shows a password.
///
/// ```
/// use sandbox::securitytrax::{SecurityTraxConfig, SeededCustomer};
/// use secrecy::SecretString;
/// use strax_xml_protocol::Customer;
///
/// let config = SecurityTraxConfig::new()
///     .site("acme")
///     .account("api-user", SecretString::from("s3cret"), "77")
///     .customer(SeededCustomer::new("100", Customer::default()))
///     .echo_system_request(false);
/// assert_eq!(config.sites(), ["acme"]);
/// assert!(!format!("{config:?}").contains("s3cret"));
/// ```
#[derive(Debug, Clone)]
pub struct SecurityTraxConfig {
    pub(crate) sites: Vec<String>,
    pub(crate) accounts: Vec<Credentials>,
    pub(crate) customers: Vec<SeededCustomer>,
    pub(crate) echo_system_request: bool,
    pub(crate) requester_script: String,
    pub(crate) poster_script: String,
    pub(crate) max_operations: usize,
    pub(crate) lead_script: String,
    pub(crate) max_records: usize,
}

impl SecurityTraxConfig {
    /// No sites, accounts or customers; the vendor's script names
    /// (`informationrequester`, `informationposter`); `<system_request>` echoed;
    /// at most [`DEFAULT_MAX_OPERATIONS`] operations per document.
    #[must_use]
    pub fn new() -> Self {
        Self {
            sites: Vec::new(),
            accounts: Vec::new(),
            customers: Vec::new(),
            echo_system_request: true,
            requester_script: DEFAULT_REQUESTER_SCRIPT.to_owned(),
            poster_script: DEFAULT_POSTER_SCRIPT.to_owned(),
            max_operations: DEFAULT_MAX_OPERATIONS,
            lead_script: strax_leads::DEFAULT_SCRIPT.to_owned(),
            max_records: super::leads::DEFAULT_MAX_RECORDS,
        }
    }

    /// Accepts documents posted to `/securitytrax/{site}/...`.
    #[must_use]
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.sites.push(site.into());
        self
    }

    /// Accepts these credentials in `GetSystemAuthentication`.
    #[must_use]
    pub fn account(
        mut self,
        username: impl Into<String>,
        password: SecretString,
        partner_id: impl Into<String>,
    ) -> Self {
        self.accounts
            .push(Credentials::with_secret(username, password, partner_id));
        self
    }

    /// Adds a customer; a later customer with the same `SecurityTraxUniqueID`
    /// replaces an earlier one.
    #[must_use]
    pub fn customer(mut self, customer: SeededCustomer) -> Self {
        self.customers.push(customer);
        self
    }

    /// Whether every `<response>` carries a `<system_request>` echo of the
    /// authentication request, password included, as the real service's answers do.
    #[must_use]
    pub fn echo_system_request(mut self, echo: bool) -> Self {
        self.echo_system_request = echo;
        self
    }

    /// Serves reads at `{requester}.php` and writes at `{poster}.php` instead of the
    /// vendor's script names.
    #[must_use]
    pub fn scripts(mut self, requester: impl Into<String>, poster: impl Into<String>) -> Self {
        self.requester_script = requester.into();
        self.poster_script = poster.into();
        self
    }

    /// Refuses documents holding more than `max` operations (the authentication
    /// not counted) instead of [`DEFAULT_MAX_OPERATIONS`].
    #[must_use]
    pub fn max_operations(mut self, max: usize) -> Self {
        self.max_operations = max;
        self
    }

    /// Serves lead and customer posts at `{script}.php` instead of the vendor's
    /// `leadpostxml.php`.
    #[must_use]
    pub fn lead_script(mut self, script: impl Into<String>) -> Self {
        self.lead_script = script.into();
        self
    }

    /// Refuses lead and customer posts holding more than `max` records
    /// instead of [`DEFAULT_MAX_RECORDS`](super::DEFAULT_MAX_RECORDS).
    #[must_use]
    pub fn max_records(mut self, max: usize) -> Self {
        self.max_records = max;
        self
    }

    /// The accepted site names.
    #[must_use]
    pub fn sites(&self) -> &[String] {
        &self.sites
    }

    /// The seeded customers.
    #[must_use]
    pub fn customers(&self) -> &[SeededCustomer] {
        &self.customers
    }
}

impl Default for SecurityTraxConfig {
    fn default() -> Self {
        Self::new()
    }
}
