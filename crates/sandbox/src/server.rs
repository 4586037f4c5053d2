//! Binding, the accept loop, graceful shutdown, and the handle a caller keeps.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::error::SandboxError;
use crate::fault::{Fault, FaultPlan};
use crate::handler;
use crate::state::Shared;

/// How long the accept loop backs off after a failed `accept` (e.g. too many open files).
const ACCEPT_ERROR_BACKOFF: Duration = Duration::from_millis(50);

/// Binds `config.addr` and spawns the server on the current tokio runtime.
///
/// The server runs until [`SandboxHandle::shutdown`] is awaited or the handle is dropped
/// (dropping stops accepting at once and finishes in the background).
///
/// # Errors
/// [`SandboxError::Bind`] when the address cannot be bound, and
/// [`SandboxError::InvalidServiceName`] / [`SandboxError::DuplicateService`] when the
/// mounted services cannot be routed.
///
/// # Panics
/// When called outside a tokio runtime.
pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
    let shared = Arc::new(Shared::new(
        &config.services,
        config.max_request_body,
        config.body_read_timeout,
        config.clock.clone(),
    )?);
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| SandboxError::Bind {
            addr: config.addr,
            source,
        })?;
    let local_addr = listener.local_addr().map_err(|source| SandboxError::Bind {
        addr: config.addr,
        source,
    })?;
    let (stop_tx, stop_rx) = oneshot::channel();
    let task = tokio::spawn(accept_loop(
        listener,
        Arc::clone(&shared),
        stop_rx,
        config.shutdown_timeout,
        config.header_read_timeout,
    ));
    tracing::info!(%local_addr, "sandbox listening");
    Ok(SandboxHandle {
        local_addr,
        shared,
        stop: stop_tx,
        task,
    })
}

/// Starts the sandbox and serves until `shutdown` completes, then shuts down gracefully.
///
/// For a foreground server (the `crmwire sandbox` command). To learn the bound address
/// first, use [`start`] and then [`SandboxHandle::run_until`].
///
/// # Errors
/// As [`start`].
pub async fn serve_until(
    config: SandboxConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), SandboxError> {
    let handle = start(config).await?;
    handle.run_until(shutdown).await;
    Ok(())
}

/// A running sandbox. Dropping it stops the server in the background; await
/// [`SandboxHandle::shutdown`] to wait until it has stopped.
pub struct SandboxHandle {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// The address the server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The base URL of a mounted service (`{base_url}/{name}`), or `None` when no
    /// service of that name is mounted.
    pub fn service_url(&self, name: &str) -> Option<String> {
        self.shared
            .service(name)
            .map(|service| format!("{}/{}", self.base_url(), service.name()))
    }

    /// The clock the sandbox and its services read (see [`SandboxConfig::clock`]).
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// The names of the mounted services, sorted.
    pub fn service_names(&self) -> Vec<&'static str> {
        self.shared.service_names()
    }

    /// The next `times` requests whose path starts with `path_prefix` get `fault`.
    ///
    /// Queued faults apply before the `x-sandbox-fault` header's: delays add up and a
    /// queued answer-shaping fault wins over the header's. When several queued faults
    /// match a request, the oldest one is used. `times == 0` queues nothing.
    /// The control endpoint `/__sandbox/faults` itself is never faulted.
    pub fn inject_fault(&self, path_prefix: &str, fault: Fault, times: usize) {
        self.shared
            .queue_fault(path_prefix, FaultPlan::single(fault), times);
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// How many requests whose path starts with `path_prefix` were fully read (body
    /// included, within the size cap), whatever was answered afterwards.
    ///
    /// The log remembers the first 10,000 distinct paths one by one, so a
    /// long-running sandbox hit with ever-new paths stays bounded; requests to
    /// paths beyond those are still counted, but only under the prefixes `""`
    /// and `"/"`.
    pub fn requests_received(&self, path_prefix: &str) -> usize {
        self.shared.requests_received(path_prefix)
    }

    /// The JSON view `what` of the mounted service `service` (the same as
    /// `GET /__sandbox/services/{service}/{what}`), or `None` when there is no
    /// such service or view.
    pub fn control(&self, service: &str, what: &str) -> Option<serde_json::Value> {
        self.shared.service(service)?.control(what)
    }

    /// How many times each `lead_company_unique_id` arrived at the mounted
    /// SecurityTrax service's lead post, accepted or not (empty when none is
    /// mounted). With [`SandboxHandle::customer_arrivals`], what a test reads
    /// to prove that each record arrived exactly once.
    pub fn lead_arrivals(&self) -> std::collections::BTreeMap<String, usize> {
        self.arrivals("lead-arrivals")
    }

    /// How many times each `partner_company_unique_id` arrived at the mounted
    /// SecurityTrax service's customer post.
    pub fn customer_arrivals(&self) -> std::collections::BTreeMap<String, usize> {
        self.arrivals("customer-arrivals")
    }

    fn arrivals(&self, what: &str) -> std::collections::BTreeMap<String, usize> {
        self.control(crate::SecurityTraxService::NAME, what)
            .and_then(|view| serde_json::from_value(view).ok())
            .unwrap_or_default()
    }

    /// Stops accepting connections, lets in-flight requests finish within the
    /// configured shutdown timeout, then cuts whatever is left.
    pub async fn shutdown(self) {
        // The loop also stops if this send fails: the receiver is only gone when the loop is.
        let _ = self.stop.send(());
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "sandbox server task failed");
        }
    }

    /// Serves until `signal` completes, then shuts down like [`SandboxHandle::shutdown`].
    pub async fn run_until(self, signal: impl Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }
}

impl fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("local_addr", &self.local_addr)
            .field("services", &self.shared.service_names())
            .finish_non_exhaustive()
    }
}

/// Accepts connections until told to stop, then shuts down gracefully within `grace`.
async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
    grace: Duration,
    header_read_timeout: Duration,
) {
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // A send or a dropped handle: both mean stop.
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let shared = Arc::clone(&shared);
                    let service = service_fn(move |request| {
                        handler::handle(Arc::clone(&shared), request)
                    });
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_read_timeout)
                        .serve_connection(TokioIo::new(stream), service);
                    let connection = graceful.watch(connection);
                    connections.spawn(async move {
                        if let Err(err) = connection.await {
                            tracing::debug!(%peer, error = %err, "sandbox connection ended with an error");
                        }
                    });
                }
                Err(err) => {
                    tracing::warn!(error = %err, "sandbox accept failed");
                    tokio::time::sleep(ACCEPT_ERROR_BACKOFF).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            remaining = connections.len(),
            "sandbox shutdown timed out; cutting the remaining connections"
        );
        connections.abort_all();
    }
    while connections.join_next().await.is_some() {}
    tracing::info!("sandbox stopped");
}
