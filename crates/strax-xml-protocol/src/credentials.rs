//! The credentials of `GetSystemAuthentication`.

use std::sync::{Arc, OnceLock};

use secrecy::{ExposeSecret, SecretString};
use strict_xml::{Fragment, KnownElement, WriteError};

/// A partner's credentials. `Debug` never shows the password.
///
/// Cloning is cheap (the values are shared, never changed), and a clone
/// shares what was built from them on first use: the password's redactor
/// and the authentication block of the request document.
///
/// ```
/// use strax_xml_protocol::Credentials;
/// let credentials = Credentials::new("api-user", "hunter2", "77");
/// assert!(!format!("{credentials:?}").contains("hunter2"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

struct Inner {
    username: String,
    password: SecretString,
    partner_id: String,
    /// The password's redactor, built on first use and kept: the values
    /// above never change.
    redactor: OnceLock<wire_core::Redactor>,
    /// The `<request type="GetSystemAuthentication">` element as the request
    /// writer lays it out, written on first use and kept (it holds the
    /// password: never shown, zeroed when dropped).
    authentication: OnceLock<Fragment>,
    /// The first long element the answers' reader accepted in what it
    /// skipped (the echo of this authentication that every answer carries),
    /// for later answers' readers to recognise instead of scanning it again.
    /// It may hold the password: never shown, zeroed when dropped.
    known_element: OnceLock<KnownElement>,
}

impl Credentials {
    /// Credentials from a username, password and the partner id SecurityTrax assigned.
    #[must_use]
    pub fn new(
        username: impl Into<String>,
        password: impl Into<String>,
        partner_id: impl Into<String>,
    ) -> Self {
        Self::with_secret(username, SecretString::from(password.into()), partner_id)
    }

    /// Credentials with a password already held as a secret.
    #[must_use]
    pub fn with_secret(
        username: impl Into<String>,
        password: SecretString,
        partner_id: impl Into<String>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                username: username.into(),
                password,
                partner_id: partner_id.into(),
                redactor: OnceLock::new(),
                authentication: OnceLock::new(),
                known_element: OnceLock::new(),
            }),
        }
    }

    /// The `Username`.
    #[must_use]
    pub fn username(&self) -> &str {
        &self.inner.username
    }

    /// The `Password`, as a secret.
    #[must_use]
    pub fn password(&self) -> &SecretString {
        &self.inner.password
    }

    /// The `PartnerID`.
    #[must_use]
    pub fn partner_id(&self) -> &str {
        &self.inner.partner_id
    }

    /// The redactor of the secret among the credentials (the password; the
    /// username and partner id are not secret), for every text the service
    /// sends back.
    ///
    /// ```
    /// use strax_xml_protocol::Credentials;
    /// let redactor = Credentials::new("api-user", "hunter2", "77").redactor();
    /// assert_eq!(redactor.redact("bad password hunter2 for api-user"), "bad password [redacted] for api-user");
    /// ```
    #[must_use]
    pub fn redactor(&self) -> wire_core::Redactor {
        self.inner
            .redactor
            .get_or_init(|| wire_core::Redactor::new([self.inner.password.clone()]))
            .clone()
    }

    /// The authentication block `write` makes from these credentials, made
    /// on first use and kept (a failure is not kept: it is made again).
    pub(crate) fn authentication_block(
        &self,
        write: impl FnOnce(&Self) -> Result<Fragment, WriteError>,
    ) -> Result<&Fragment, WriteError> {
        if let Some(block) = self.inner.authentication.get() {
            return Ok(block);
        }
        let block = write(self)?;
        Ok(self.inner.authentication.get_or_init(|| block))
    }

    /// The element answers to these credentials repeat (see
    /// [`Inner::known_element`]), once one answer has been read.
    pub(crate) fn known_element(&self) -> Option<&KnownElement> {
        self.inner.known_element.get()
    }

    /// Keeps `known` as the element answers repeat, unless one is kept
    /// already (the first is never replaced: credentials never change).
    pub(crate) fn learn_element(&self, known: KnownElement) {
        let _ = self.inner.known_element.set(known);
    }

    /// Whether `other` has the same username, password and partner id (for
    /// servers and fakes checking a request).
    ///
    /// The comparison takes the same time whichever byte differs (it reveals
    /// at most the length of the longer value), and all three parts are
    /// always compared.
    #[must_use]
    pub fn matches(&self, other: &Credentials) -> bool {
        // A clone shares the values: equal without comparing them.
        Arc::ptr_eq(&self.inner, &other.inner)
            || self.matches_parts(
                other.username(),
                other.password().expose_secret(),
                other.partner_id(),
            )
    }

    /// [`Credentials::matches`] against the three values, not yet credentials.
    pub(crate) fn matches_parts(&self, username: &str, password: &str, partner_id: &str) -> bool {
        let username = constant_time_eq(self.username().as_bytes(), username.as_bytes());
        let partner_id = constant_time_eq(self.partner_id().as_bytes(), partner_id.as_bytes());
        let password = constant_time_eq(
            self.password().expose_secret().as_bytes(),
            password.as_bytes(),
        );
        username & partner_id & password
    }

    /// Whether `other` is a clone of these credentials (shares their values).
    #[cfg(test)]
    pub(crate) fn shares_values_with(&self, other: &Credentials) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

/// Whether `a` and `b` are equal, looking at every byte of the longer one
/// whatever the first difference is (no early exit on a mismatch).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut difference = a.len() ^ b.len();
    for index in 0..a.len().max(b.len()) {
        let left = a.get(index).copied().unwrap_or(0);
        let right = b.get(index).copied().unwrap_or(0);
        difference |= usize::from(left ^ right);
    }
    std::hint::black_box(difference) == 0
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username())
            .field("password", &"[redacted]")
            .field("partner_id", &self.partner_id())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_password() {
        let credentials = Credentials::new("u", "p@ss-very-secret", "9");
        let debug = format!("{credentials:?} {credentials:#?}");
        assert!(!debug.contains("p@ss-very-secret"), "{debug}");
        assert!(debug.contains("[redacted]"));
        assert_eq!(credentials.password().expose_secret(), "p@ss-very-secret");
    }

    #[test]
    fn matches_compares_all_three_parts() {
        let a = Credentials::new("u", "p", "1");
        assert!(a.matches(&Credentials::new("u", "p", "1")));
        assert!(!a.matches(&Credentials::new("u", "q", "1")));
        assert!(!a.matches(&Credentials::new("v", "p", "1")));
        assert!(!a.matches(&Credentials::new("u", "p", "2")));
    }

    #[test]
    fn the_constant_time_comparison_is_an_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"hunter2", b"hunter2"));
        assert!(!constant_time_eq(b"hunter2", b"hunter3"));
        assert!(!constant_time_eq(b"hunter2", b"Hunter2"));
        // A prefix, or the same bytes padded with NUL, is not equal.
        assert!(!constant_time_eq(b"hunter", b"hunter2"));
        assert!(!constant_time_eq(b"hunter2\0", b"hunter2"));
        assert!(!constant_time_eq(b"", b"\0"));
        let a = Credentials::new("u", "p\u{e9}", "1");
        assert!(a.matches(&Credentials::new("u", "p\u{e9}", "1")));
        assert!(!a.matches(&Credentials::new("u", "p", "1")));
    }
}
