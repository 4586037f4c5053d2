//! [`Pacing`]: each CRM's own pace, at its vendor's limit.

use bytes::Bytes;
use http::{Request, Response};
use transport::{PaceConfig, Paced, Transport, TransportError};

use crate::Service;

/// The pace that keeps one client under `service`'s documented rate limit:
/// Neto 500 requests per minute ([`crate::neto::pace_under`]), Peoplevine
/// 3600 per 15 minutes ([`crate::peoplevine::pace`]); `None` for
/// SecurityTrax, which documents no limit.
#[must_use]
pub fn vendor_pace(service: Service) -> Option<PaceConfig> {
    match service {
        Service::SecurityTrax => None,
        Service::Peoplevine => Some(crate::peoplevine::pace()),
        Service::Neto => Some(crate::neto::pace_under(
            crate::neto::RATE_LIMIT,
            crate::neto::RATE_WINDOW,
        )),
    }
}

/// A transport paced by its own [`Paced`], or not paced at all: one type
/// for the entries of a [`CrmSet`](super::CrmSet) whose vendors have a
/// limit and those whose vendors have none.
///
/// Each value has its own pace: two entries never share one, so one CRM's
/// limit never slows another.
#[derive(Debug)]
pub struct Pacing<T> {
    sender: Sender<T>,
    pace: Option<PaceConfig>,
}

#[derive(Debug)]
enum Sender<T> {
    Paced(Paced<T>),
    Unpaced(T),
}

impl<T: Transport> Pacing<T> {
    /// `inner` paced by `pace`, or not paced when `pace` is `None`.
    pub fn new(inner: T, pace: Option<PaceConfig>) -> Self {
        let sender = match &pace {
            Some(pace) => Sender::Paced(Paced::new(inner, *pace)),
            None => Sender::Unpaced(inner),
        };
        Self { sender, pace }
    }

    /// `inner` paced at `service`'s limit ([`vendor_pace`]).
    pub fn for_service(inner: T, service: Service) -> Self {
        Self::new(inner, vendor_pace(service))
    }
}

impl<T> Pacing<T> {
    /// The pace, `None` when not paced.
    pub fn pace(&self) -> Option<PaceConfig> {
        self.pace
    }
}

impl<T: Transport> Transport for Pacing<T> {
    async fn send(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        match &self.sender {
            Sender::Paced(paced) => paced.send(request).await,
            Sender::Unpaced(inner) => inner.send(request).await,
        }
    }
}
