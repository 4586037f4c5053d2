//! What sending a request again would mean, carried on the request itself.
//!
//! A protocol crate knows whether a request reads, writes idempotently, or
//! writes something that must never be sent twice blindly; the transport
//! that might resend it does not. The encoder tags each request with a
//! [`Resend`] extension, and the one retry policy (crmwire's `transport`)
//! reads the tag, the failure and the status, and decides:
//!
//! ```
//! use wire_core::Resend;
//!
//! let mut request = http::Request::post("https://crm.example.com/notes").body(()).unwrap();
//! // Untagged: judged by its method (a POST may write: never resent blindly).
//! assert_eq!(Resend::of(&request), Resend::NeverBlindly);
//!
//! Resend::Read.tag(&mut request); // e.g. a look-up that happens to be a POST
//! assert_eq!(Resend::of(&request), Resend::Read);
//! assert!(Resend::of(&request).resend_after_possible_receipt());
//! ```

/// What sending a request again would mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resend {
    /// The request only reads: sending it again changes nothing.
    Read,
    /// The request writes, but sending it again leaves the same result
    /// (setting a value, a `PUT` of a whole record).
    IdempotentWrite,
    /// The request writes something each time it is received (a note, a
    /// lead, a log entry): send it again only when it provably never left,
    /// or the service said it refused it unprocessed (`429`).
    NeverBlindly,
}

impl Resend {
    /// The tag on `request`; an untagged request is judged by its method:
    /// `GET`, `HEAD` and `OPTIONS` read, `PUT` and `DELETE` are idempotent
    /// writes, anything else is [`NeverBlindly`](Self::NeverBlindly).
    #[must_use]
    pub fn of<B>(request: &http::Request<B>) -> Self {
        request
            .extensions()
            .get::<Self>()
            .copied()
            .unwrap_or_else(|| Self::of_method(request.method()))
    }

    /// What RFC 9110 says of `method`: safe methods read, `PUT` and `DELETE`
    /// are idempotent, the rest may write each time.
    #[must_use]
    pub fn of_method(method: &http::Method) -> Self {
        match *method {
            http::Method::GET | http::Method::HEAD | http::Method::OPTIONS => Self::Read,
            http::Method::PUT | http::Method::DELETE => Self::IdempotentWrite,
            _ => Self::NeverBlindly,
        }
    }

    /// Puts this tag on `request` (replacing any earlier one).
    pub fn tag<B>(self, request: &mut http::Request<B>) {
        request.extensions_mut().insert(self);
    }

    /// `request` with this tag.
    #[must_use]
    pub fn tagged<B>(self, mut request: http::Request<B>) -> http::Request<B> {
        self.tag(&mut request);
        request
    }

    /// Whether the request may be sent again after a failure that leaves its
    /// receipt unknown (a connection broken after sending, a transient `5xx`):
    /// `true` for reads and idempotent writes.
    #[must_use]
    pub fn resend_after_possible_receipt(self) -> bool {
        matches!(self, Self::Read | Self::IdempotentWrite)
    }

    /// Whether the request changes the service's data.
    #[must_use]
    pub fn writes(self) -> bool {
        !matches!(self, Self::Read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_requests_are_judged_by_their_method() {
        let cases = [
            (http::Method::GET, Resend::Read),
            (http::Method::HEAD, Resend::Read),
            (http::Method::OPTIONS, Resend::Read),
            (http::Method::PUT, Resend::IdempotentWrite),
            (http::Method::DELETE, Resend::IdempotentWrite),
            (http::Method::POST, Resend::NeverBlindly),
            (http::Method::PATCH, Resend::NeverBlindly),
        ];
        for (method, expected) in cases {
            let request = http::Request::builder()
                .method(method.clone())
                .body(())
                .unwrap();
            assert_eq!(Resend::of(&request), expected, "{method}");
        }
    }

    #[test]
    fn a_tag_overrides_the_method() {
        let request = Resend::NeverBlindly.tagged(http::Request::get("/x").body(()).unwrap());
        assert_eq!(Resend::of(&request), Resend::NeverBlindly);
        assert!(!Resend::NeverBlindly.resend_after_possible_receipt());
        assert!(Resend::IdempotentWrite.resend_after_possible_receipt());
        assert!(Resend::IdempotentWrite.writes() && !Resend::Read.writes());
    }
}
