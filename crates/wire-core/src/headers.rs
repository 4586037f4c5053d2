//! Which HTTP headers carry secrets: one policy for every crate that shows,
//! records or compares headers (the sandbox's echo, transport's replay).
//!
//! A service declares its own secret headers by name (`NETOAPI_KEY`,
//! `Authorization`); this policy adds the names that *look* secret, so a
//! header nobody declared is still hidden:
//!
//! ```
//! use wire_core::headers::is_secret_header;
//!
//! assert!(is_secret_header("Authorization"));
//! assert!(is_secret_header("NETOAPI_KEY"));
//! assert!(is_secret_header("X-Client-Secret"));
//! assert!(!is_secret_header("content-type"));
//! ```

/// Parts of header names that mark their values as secret (compared without
/// case).
pub const SECRET_NAME_PARTS: [&str; 10] = [
    "auth",
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "cookie",
    "session",
    "signature",
    "credential",
];

/// Whether a header named `name` (any case) may carry a secret: its name
/// contains `auth`, `key`, `token`, `secret`, `password`, `passwd`,
/// `cookie`, `session`, `signature` or `credential`.
#[must_use]
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_NAME_PARTS.iter().any(|part| lower.contains(part))
}

/// Whether `name` is one of `declared` (a service's own secret header
/// names, any case) or [looks secret](is_secret_header).
#[must_use]
pub fn is_secret_header_of(name: &str, declared: &[&str]) -> bool {
    declared.iter().any(|d| d.eq_ignore_ascii_case(name)) || is_secret_header(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_looking_names_are_recognised_in_any_case() {
        for name in [
            "authorization",
            "Proxy-Authorization",
            "NETOAPI_KEY",
            "X_SECRET_KEY",
            "X_ACCESS_KEY",
            "x-api-key",
            "X-Auth-Token",
            "x-password-hint",
            "client-secret",
            "Cookie",
            "Set-Cookie",
            "x-session-id",
            "x-signature",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        for name in [
            "content-type",
            "accept",
            "NETOAPI_ACTION",
            "NETOAPI_USERNAME",
            "region",
        ] {
            assert!(!is_secret_header(name), "{name}");
        }
    }

    #[test]
    fn declared_names_are_secret_whatever_they_look_like() {
        assert!(is_secret_header_of("X-Partner", &["x-partner"]));
        assert!(!is_secret_header_of("X-Partner", &[]));
    }
}
