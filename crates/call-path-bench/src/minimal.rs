//! The minimal hyper server: the baseline the sandbox is compared with, and
//! the recorder that captures what a client puts on the wire.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

/// One request as the server received it (headers as sent, body read in full).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// Path and query.
    pub path: String,
    /// Every header as sent.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

/// What the server answers and where.
struct Behaviour {
    /// `POST` to this path (any path when `None`) gets `answer`; anything else 404.
    route: Option<String>,
    content_type: Option<HeaderValue>,
    answer: Bytes,
    /// How many requests to keep in `recorded` (0: none, and no lock taken).
    record: usize,
    recorded: Mutex<Vec<RecordedRequest>>,
    answered: AtomicUsize,
}

/// A minimal hyper 1 HTTP/1.1 server: hyper's connection builder with its
/// defaults and one `service_fn` that reads the whole request body and answers
/// `POST <route>` with a fixed body (200), anything else with 404. No timers,
/// no routing table, no state beyond a counter.
pub struct MinimalServer {
    local_addr: SocketAddr,
    behaviour: Arc<Behaviour>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for MinimalServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MinimalServer")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl MinimalServer {
    /// Binds `addr` on the current tokio runtime and answers `POST route`
    /// (every path when `route` is `None`) with `answer`, with `content_type`
    /// when given; keeps the first `record` requests for
    /// [`recorded`](Self::recorded).
    ///
    /// # Errors
    /// When `addr` cannot be bound.
    pub async fn start(
        addr: SocketAddr,
        route: Option<String>,
        content_type: Option<HeaderValue>,
        answer: Bytes,
        record: usize,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let behaviour = Arc::new(Behaviour {
            route,
            content_type,
            answer,
            record,
            recorded: Mutex::new(Vec::new()),
            answered: AtomicUsize::new(0),
        });
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&behaviour), stopped));
        Ok(Self {
            local_addr,
            behaviour,
            stop: Some(stop),
            task,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// How many requests got the 200 answer.
    pub fn answered(&self) -> usize {
        self.behaviour.answered.load(Ordering::Relaxed)
    }

    /// The first requests received (as many as asked at start).
    pub fn recorded(&self) -> Vec<RecordedRequest> {
        self.behaviour
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Stops accepting and drops every open connection.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

async fn accept_loop(
    listener: TcpListener,
    behaviour: Arc<Behaviour>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let behaviour = Arc::clone(&behaviour);
                let service = service_fn(move |request| answer(Arc::clone(&behaviour), request));
                connections.spawn(async move {
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

async fn answer(
    behaviour: Arc<Behaviour>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let Ok(body) = body
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
    else {
        return Ok(status_only(StatusCode::BAD_REQUEST));
    };
    if behaviour.record > 0 {
        let mut recorded = behaviour
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if recorded.len() < behaviour.record {
            recorded.push(RecordedRequest {
                method: parts.method.clone(),
                path: parts
                    .uri
                    .path_and_query()
                    .map_or_else(|| parts.uri.path().to_owned(), ToString::to_string),
                headers: parts.headers.clone(),
                body,
            });
        }
    }
    let on_route = behaviour
        .route
        .as_deref()
        .is_none_or(|route| parts.uri.path() == route);
    if parts.method != Method::POST || !on_route {
        return Ok(status_only(StatusCode::NOT_FOUND));
    }
    behaviour.answered.fetch_add(1, Ordering::Relaxed);
    let mut response = Response::new(Full::new(behaviour.answer.clone()));
    if let Some(content_type) = &behaviour.content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    Ok(response)
}

fn status_only(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}
