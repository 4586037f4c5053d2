//! The one driver of sans-IO flows: runs any [`Flow`] over any [`Transport`].

use std::time::Instant;

use transport::{Transport, TransportError};
use wire_core::flow::{Flow, Step};

/// Where a flow's clock readings come from: [`Instant::now`] unless a test
/// gives another (a sandbox's manual clock).
pub type ClockFn = std::sync::Arc<dyn Fn() -> Instant + Send + Sync>;

/// The real clock.
#[must_use]
pub fn real_clock() -> ClockFn {
    std::sync::Arc::new(Instant::now)
}

/// Runs `flow` to its end: sends each request it asks for through
/// `transport` and hands back the answer, reading `clock` for every step.
///
/// A flow ends after finitely many sends whatever the answers (its own
/// promise); the driver adds no loop of its own.
///
/// # Errors
/// The transport's error for the request that failed; the flow is left
/// where it was (drop it, or reset it as its type allows).
///
/// ```
/// use std::time::Instant;
/// use bytes::Bytes;
/// use facade::flow::{drive, real_clock};
/// use wire_core::flow::{Flow, Step};
///
/// struct Once(Option<u16>);
/// impl Flow for Once {
///     type Output = u16;
///     fn poll(&mut self, _now: Instant) -> Step<u16> {
///         match self.0 {
///             None => Step::Send(http::Request::new(Bytes::new())),
///             Some(status) => Step::Done(status),
///         }
///     }
///     fn handle(&mut self, response: http::Response<Bytes>, _now: Instant) {
///         self.0 = Some(response.status().as_u16());
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let transport = |_request: http::Request<Bytes>| async { Ok(http::Response::new(Bytes::new())) };
/// assert_eq!(drive(&transport, &mut Once(None), &real_clock()).await.unwrap(), 200);
/// # });
/// ```
pub async fn drive<F, T>(
    transport: &T,
    flow: &mut F,
    clock: &ClockFn,
) -> Result<F::Output, TransportError>
where
    F: Flow,
    T: Transport,
{
    loop {
        match flow.poll(clock()) {
            Step::Done(output) => return Ok(output),
            Step::Send(request) => {
                let response = transport.send(request).await?;
                flow.handle(response, clock());
            }
        }
    }
}
