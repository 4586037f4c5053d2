//! The response body type: whole, streamed, stalled or deliberately truncated.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// Size of each chunk of a streamed (`bytes/<n>`, `oversize`) body.
const CHUNK_LEN: usize = 16 * 1024;

/// The source of every streamed chunk: no allocation per chunk.
static FILLER: [u8; CHUNK_LEN] = [b'x'; CHUNK_LEN];

/// How long a truncated body waits after its partial write before aborting, so that
/// hyper flushes the partial bytes to the socket before it drops the connection.
const TRUNCATE_FLUSH_PAUSE: Duration = Duration::from_millis(20);

/// The error a truncated body ends with; hyper closes the connection on it.
#[derive(Debug)]
pub(crate) struct BodyAborted;

impl fmt::Display for BodyAborted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sandbox aborted the response body on purpose (truncate fault)")
    }
}

impl std::error::Error for BodyAborted {}

/// The length a truncated body declares when the normal body is too short to cut in half.
const TRUNCATE_MIN_DECLARED: u64 = 64;

/// A response body the sandbox writes.
pub(crate) struct SandboxBody {
    kind: Kind,
}

enum Kind {
    /// The whole body at once.
    Full(Option<Bytes>),
    /// `remaining` bytes of `x`, streamed in chunks.
    Filler { remaining: u64 },
    /// The inner body, released only after the sleep.
    Stalled {
        sleep: Pin<Box<Sleep>>,
        slept: bool,
        inner: Box<SandboxBody>,
    },
    /// Declares `declared` bytes, passes `allowed` bytes of the inner body, pauses, errors.
    Truncated {
        inner: Box<SandboxBody>,
        declared: u64,
        allowed: u64,
        pause: Option<Pin<Box<Sleep>>>,
        finished: bool,
    },
}

impl SandboxBody {
    /// A body written at once.
    pub(crate) fn full(bytes: impl Into<Bytes>) -> Self {
        Self {
            kind: Kind::Full(Some(bytes.into())),
        }
    }

    /// An empty body.
    pub(crate) fn empty() -> Self {
        Self::full(Bytes::new())
    }

    /// `len` bytes of ASCII `x`, streamed without allocating them.
    pub(crate) fn filler(len: u64) -> Self {
        Self {
            kind: Kind::Filler { remaining: len },
        }
    }

    /// The exact length of the body still to be written.
    fn exact_len(&self) -> u64 {
        self.size_hint()
            .exact()
            .unwrap_or_else(|| self.size_hint().lower())
    }

    /// This body, released only after `delay`. A non-empty body's length is
    /// announced at once; an empty body announces none (it goes out chunked),
    /// so that even its end, the empty last chunk, comes only after the delay.
    pub(crate) fn stalled(self, delay: Duration) -> Self {
        Self {
            kind: Kind::Stalled {
                sleep: Box::pin(tokio::time::sleep(delay)),
                slept: false,
                inner: Box::new(self),
            },
        }
    }

    /// Announces this body's full length, writes the first half of it, then aborts.
    ///
    /// A body shorter than two bytes cannot be cut observably, so it is replaced by
    /// [`TRUNCATE_MIN_DECLARED`] bytes of filler first.
    pub(crate) fn truncated(self) -> Self {
        let mut inner = self;
        let mut declared = inner.exact_len();
        if declared < 2 {
            inner = Self::filler(TRUNCATE_MIN_DECLARED);
            declared = TRUNCATE_MIN_DECLARED;
        }
        Self {
            kind: Kind::Truncated {
                inner: Box::new(inner),
                declared,
                allowed: declared / 2,
                pause: None,
                finished: false,
            },
        }
    }
}

impl Body for SandboxBody {
    type Data = Bytes;
    type Error = BodyAborted;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        match &mut this.kind {
            Kind::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Kind::Filler { remaining } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                let len = usize::try_from(*remaining).map_or(CHUNK_LEN, |r| r.min(CHUNK_LEN));
                *remaining -= len as u64;
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(&FILLER[..len])))))
            }
            Kind::Stalled {
                sleep,
                slept,
                inner,
            } => {
                if !*slept {
                    ready!(sleep.as_mut().poll(cx));
                    *slept = true;
                }
                Pin::new(inner.as_mut()).poll_frame(cx)
            }
            Kind::Truncated {
                inner,
                allowed,
                pause,
                finished,
                ..
            } => {
                if *finished {
                    return Poll::Ready(None);
                }
                if *allowed > 0 {
                    if let Some(Ok(frame)) = ready!(Pin::new(inner.as_mut()).poll_frame(cx))
                        && let Ok(mut data) = frame.into_data()
                    {
                        let keep =
                            usize::try_from(*allowed).map_or(data.len(), |a| a.min(data.len()));
                        data.truncate(keep);
                        *allowed -= keep as u64;
                        return Poll::Ready(Some(Ok(Frame::data(data))));
                    }
                    // The inner body ended early or sent a non-data frame: abort now.
                    *allowed = 0;
                }
                let sleep =
                    pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(TRUNCATE_FLUSH_PAUSE)));
                ready!(sleep.as_mut().poll(cx));
                *finished = true;
                Poll::Ready(Some(Err(BodyAborted)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Full(bytes) => bytes.as_ref().is_none_or(Bytes::is_empty),
            Kind::Filler { remaining } => *remaining == 0,
            // Never ended before the delay, even when the inner body is empty.
            Kind::Stalled { slept, inner, .. } => *slept && inner.is_end_stream(),
            Kind::Truncated { finished, .. } => *finished,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::Filler { remaining } => SizeHint::with_exact(*remaining),
            Kind::Stalled { inner, .. } => {
                let hint = inner.size_hint();
                // `Content-Length: 0` would let the client finish at the head.
                if hint.exact() == Some(0) {
                    SizeHint::new()
                } else {
                    hint
                }
            }
            Kind::Truncated { declared, .. } => SizeHint::with_exact(*declared),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn filler_streams_exactly_the_requested_length_in_chunks() {
        let mut body = SandboxBody::filler(CHUNK_LEN as u64 * 2 + 5);
        assert_eq!(body.size_hint().exact(), Some(CHUNK_LEN as u64 * 2 + 5));
        let mut chunks = Vec::new();
        while let Some(frame) = body.frame().await {
            chunks.push(frame.unwrap().into_data().unwrap());
        }
        let lens: Vec<usize> = chunks.iter().map(Bytes::len).collect();
        assert_eq!(lens, [CHUNK_LEN, CHUNK_LEN, 5]);
        assert!(chunks.iter().all(|c| c.iter().all(|b| *b == b'x')));
        assert!(body.is_end_stream());
    }

    #[tokio::test]
    async fn truncated_body_declares_full_length_yields_half_then_errors() {
        let mut body = SandboxBody::full(Bytes::from_static(b"0123456789")).truncated();
        assert_eq!(body.size_hint().exact(), Some(10));
        let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(&first[..], b"01234");
        assert!(body.frame().await.unwrap().is_err());
        assert!(body.is_end_stream());
    }

    #[tokio::test]
    async fn truncated_streamed_body_stops_at_half() {
        let total = CHUNK_LEN as u64 * 3;
        let mut body = SandboxBody::filler(total).truncated();
        assert_eq!(body.size_hint().exact(), Some(total));
        let mut written = 0u64;
        loop {
            match body.frame().await {
                Some(Ok(frame)) => written += frame.into_data().unwrap().len() as u64,
                Some(Err(_)) => break,
                None => panic!("a truncated body must end with an error"),
            }
        }
        assert_eq!(written, total / 2);
    }

    #[tokio::test]
    async fn truncating_an_empty_body_uses_filler_so_the_cut_is_visible() {
        let mut body = SandboxBody::empty().truncated();
        assert_eq!(body.size_hint().exact(), Some(TRUNCATE_MIN_DECLARED));
        let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(first.len() as u64, TRUNCATE_MIN_DECLARED / 2);
        assert!(body.frame().await.unwrap().is_err());
    }

    #[tokio::test]
    async fn stalled_body_waits_then_passes_the_inner_body() {
        let started = tokio::time::Instant::now();
        let mut body = SandboxBody::full("late").stalled(Duration::from_millis(50));
        assert_eq!(body.size_hint().exact(), Some(4));
        let data = body.frame().await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(&data[..], b"late");
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert!(body.frame().await.is_none());
    }

    #[tokio::test]
    async fn stalled_empty_body_ends_only_after_the_delay() {
        let started = tokio::time::Instant::now();
        let body = SandboxBody::empty().stalled(Duration::from_millis(50));
        assert!(!body.is_end_stream());
        assert_eq!(body.size_hint().exact(), None);
        let collected = body.collect().await.unwrap().to_bytes();
        assert!(collected.is_empty());
        assert!(started.elapsed() >= Duration::from_millis(50));
    }

    /// Serves one response with `body` over an in-memory connection and
    /// returns the raw bytes the client read and when the head and the end of
    /// the response arrived.
    async fn serve_raw(body: SandboxBody) -> (String, Duration, Duration) {
        use hyper::server::conn::http1;
        use hyper_util::rt::TokioIo;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let (mut client, server) = tokio::io::duplex(64 * 1024);
        let body = std::sync::Mutex::new(Some(body));
        let service = hyper::service::service_fn(move |_request| {
            let body = body
                .lock()
                .unwrap()
                .take()
                .unwrap_or_else(SandboxBody::empty);
            async move { Ok::<_, std::convert::Infallible>(http::Response::new(body)) }
        });
        let connection = tokio::spawn(
            http1::Builder::new()
                .keep_alive(false)
                .serve_connection(TokioIo::new(server), service),
        );
        let started = tokio::time::Instant::now();
        client
            .write_all(b"GET / HTTP/1.1\r\nhost: sandbox\r\n\r\n")
            .await
            .unwrap();
        let mut raw = Vec::new();
        let mut head_at = None;
        let mut buffer = [0u8; 1024];
        loop {
            let read = tokio::time::timeout(Duration::from_secs(5), client.read(&mut buffer))
                .await
                .expect("the server answers within 5 s")
                .unwrap();
            if read == 0 {
                break;
            }
            raw.extend_from_slice(&buffer[..read]);
            if head_at.is_none() && raw.windows(4).any(|w| w == b"\r\n\r\n") {
                head_at = Some(started.elapsed());
            }
        }
        connection.await.unwrap().unwrap();
        let ended_at = started.elapsed();
        (
            String::from_utf8(raw).unwrap(),
            head_at.expect("a response head"),
            ended_at,
        )
    }

    #[tokio::test]
    async fn stalled_empty_body_holds_the_end_of_the_response_on_the_wire() {
        let (raw, head_at, ended_at) =
            serve_raw(SandboxBody::empty().stalled(Duration::from_millis(300))).await;
        let lower = raw.to_ascii_lowercase();
        assert!(lower.contains("transfer-encoding: chunked"), "{raw}");
        assert!(!lower.contains("content-length"), "{raw}");
        assert!(raw.ends_with("\r\n\r\n0\r\n\r\n"), "{raw:?}");
        assert!(head_at < Duration::from_millis(300), "{head_at:?}");
        assert!(ended_at >= Duration::from_millis(300), "{ended_at:?}");
    }

    #[tokio::test]
    async fn stalled_body_announces_its_length_with_the_head() {
        let (raw, head_at, ended_at) =
            serve_raw(SandboxBody::full("late").stalled(Duration::from_millis(300))).await;
        assert!(
            raw.to_ascii_lowercase().contains("content-length: 4"),
            "{raw}"
        );
        assert!(raw.ends_with("\r\n\r\nlate"), "{raw:?}");
        assert!(head_at < Duration::from_millis(300), "{head_at:?}");
        assert!(ended_at >= Duration::from_millis(300), "{ended_at:?}");
    }
}
