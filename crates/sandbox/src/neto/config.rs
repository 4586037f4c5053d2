//! What the simulated Neto service accepts: stores, API users, OAuth pairs,
//! the customers it knows, and its limits.

use std::time::Duration;

use secrecy::SecretString;

/// The documented rate limit: 500 requests per minute per store.
pub const DEFAULT_RATE_LIMIT: u32 = 500;
/// The rate window: one minute.
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(60);
/// The most logs one request may carry (the vendor documents no limit; this
/// one keeps a hostile request from costing the sandbox unbounded memory).
pub const DEFAULT_MAX_LOGS: usize = 100;

/// The demo store: requests go to `/neto/demo/do/WS/NetoAPI`.
pub const DEMO_STORE: &str = "demo";
/// The demo API user.
pub const DEMO_API_USERNAME: &str = "demo-api";
/// The demo API user's key. A published, fictional value: never a real secret.
pub const DEMO_API_KEY: &str = "demo-neto-key";
/// The demo OAuth access key (fictional).
pub const DEMO_ACCESS_KEY: &str = "demo-access-key";
/// The demo OAuth secret key (fictional).
pub const DEMO_SECRET_KEY: &str = "demo-secret-key";
/// The usernames of the demo customers.
pub const DEMO_CUSTOMERS: &[&str] = &["jo.citizen", "sam.buyer", "alex.trader"];

/// The simulated Neto service's set-up.
///
/// ```
/// use std::time::Duration;
/// use sandbox::neto::NetoConfig;
///
/// // A test that wants to see the rate limit without waiting a minute:
/// let config = NetoConfig::demo().rate_limit(5, Duration::from_millis(200));
/// assert_eq!(config.stores(), ["demo"]);
/// ```
#[derive(Debug, Clone)]
pub struct NetoConfig {
    pub(crate) stores: Vec<String>,
    pub(crate) api_users: Vec<(String, SecretString)>,
    pub(crate) oauth: Vec<(SecretString, SecretString)>,
    pub(crate) customers: Vec<String>,
    pub(crate) rate_limit: u32,
    pub(crate) rate_window: Duration,
    pub(crate) max_logs: usize,
}

impl Default for NetoConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl NetoConfig {
    /// No store, no user, no customer; the documented rate limit.
    #[must_use]
    pub fn new() -> Self {
        Self {
            stores: Vec::new(),
            api_users: Vec::new(),
            oauth: Vec::new(),
            customers: Vec::new(),
            rate_limit: DEFAULT_RATE_LIMIT,
            rate_window: DEFAULT_RATE_WINDOW,
            max_logs: DEFAULT_MAX_LOGS,
        }
    }

    /// Store `demo`, API user `demo-api` / `demo-neto-key`, the OAuth pair
    /// `demo-access-key` / `demo-secret-key`, and the customers
    /// [`DEMO_CUSTOMERS`].
    #[must_use]
    pub fn demo() -> Self {
        let mut config = Self::new()
            .store(DEMO_STORE)
            .api_user(DEMO_API_USERNAME, DEMO_API_KEY)
            .oauth_pair(DEMO_ACCESS_KEY, DEMO_SECRET_KEY);
        for customer in DEMO_CUSTOMERS {
            config = config.customer(*customer);
        }
        config
    }

    /// Serves the store `name` at `/neto/{name}/do/WS/NetoAPI`.
    #[must_use]
    pub fn store(mut self, name: impl Into<String>) -> Self {
        self.stores.push(name.into());
        self
    }

    /// Accepts `NETOAPI_USERNAME` `username` with `NETOAPI_KEY` `key`.
    #[must_use]
    pub fn api_user(mut self, username: impl Into<String>, key: impl Into<SecretString>) -> Self {
        self.api_users.push((username.into(), key.into()));
        self
    }

    /// Accepts the pair `X_ACCESS_KEY` / `X_SECRET_KEY`.
    #[must_use]
    pub fn oauth_pair(
        mut self,
        access: impl Into<SecretString>,
        secret: impl Into<SecretString>,
    ) -> Self {
        self.oauth.push((access.into(), secret.into()));
        self
    }

    /// A customer the service knows, by username.
    #[must_use]
    pub fn customer(mut self, username: impl Into<String>) -> Self {
        self.customers.push(username.into());
        self
    }

    /// At most `limit` requests per `window` per store, then `429` (tests
    /// scale the window down).
    #[must_use]
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.rate_limit = limit;
        self.rate_window = window;
        self
    }

    /// At most `max` logs per request.
    #[must_use]
    pub fn max_logs(mut self, max: usize) -> Self {
        self.max_logs = max;
        self
    }

    /// The stores served.
    #[must_use]
    pub fn stores(&self) -> Vec<&str> {
        self.stores.iter().map(String::as_str).collect()
    }
}
