//! A multi-step exchange as a sans-IO state machine, in the manner of
//! quinn-proto: the machine says "send this request" or "done", the caller
//! does the IO and feeds each response back. One driver (crmwire's `facade`)
//! runs any such flow over any transport: a token grant, a refresh, a call
//! that renews its token once on `401`, page after page of a list.
//!
//! The machine never sleeps and never reads a clock: the caller passes the
//! time in with every [`poll`](Flow::poll).
//!
//! ```
//! use std::time::Instant;
//! use bytes::Bytes;
//! use wire_core::flow::{Flow, Step};
//!
//! /// Asks twice, then reports the two statuses.
//! struct Twice(Vec<u16>);
//!
//! impl Flow for Twice {
//!     type Output = Vec<u16>;
//!     fn poll(&mut self, _now: Instant) -> Step<Vec<u16>> {
//!         if self.0.len() < 2 {
//!             Step::Send(http::Request::get("https://crm.example.com/ping").body(Bytes::new()).unwrap())
//!         } else {
//!             Step::Done(std::mem::take(&mut self.0))
//!         }
//!     }
//!     fn handle(&mut self, response: http::Response<Bytes>, _now: Instant) {
//!         self.0.push(response.status().as_u16());
//!     }
//! }
//!
//! let mut flow = Twice(Vec::new());
//! let statuses = loop {
//!     match flow.poll(Instant::now()) {
//!         Step::Send(_request) => flow.handle(http::Response::new(Bytes::new()), Instant::now()),
//!         Step::Done(statuses) => break statuses,
//!     }
//! };
//! assert_eq!(statuses, [200, 200]);
//! ```

use std::time::Instant;

use bytes::Bytes;

/// What a [`Flow`] wants next.
// A step lives for one poll and is moved once: boxing the request would
// cost an allocation per send for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Step<T> {
    /// Send this request and [`handle`](Flow::handle) its response.
    Send(http::Request<Bytes>),
    /// The flow is over.
    Done(T),
}

/// A sans-IO multi-step exchange.
///
/// The caller alternates [`poll`](Self::poll) and, after each
/// [`Step::Send`], [`handle`](Self::handle) with the response, until `poll`
/// returns [`Step::Done`]. A flow must reach `Done` after finitely many
/// sends whatever the responses are. When the transport fails, the caller
/// stops and drops the flow.
pub trait Flow {
    /// What the flow produces.
    type Output;

    /// The next step, with the caller's clock reading.
    fn poll(&mut self, now: Instant) -> Step<Self::Output>;

    /// The response to the request of the last [`Step::Send`].
    fn handle(&mut self, response: http::Response<Bytes>, now: Instant);
}
