//! Reading a response body under a size limit, chunk by chunk.

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, Method, StatusCode, header};

use crate::TransportError;

/// Accumulates response body chunks and fails as soon as the total passes the
/// limit, so a backend stops reading (and buffering) at that point.
///
/// A body that arrives in one chunk (the usual case for a small answer) is
/// kept as that chunk, not copied; only a second chunk starts a buffer.
#[derive(Debug)]
pub(crate) struct CappedBody {
    limit: usize,
    status: StatusCode,
    /// Capacity to reserve when a buffer is needed: the announced length.
    capacity: usize,
    first: Option<Bytes>,
    buffer: BytesMut,
    len: usize,
}

impl CappedBody {
    /// Starts the body of a `status` response to a `method` request under
    /// `limit` bytes, refusing at once when the response announces a
    /// `Content-Length` above it and a body can follow at all.
    ///
    /// No body follows a response to `HEAD` nor a `1xx`, `204` or `304`
    /// response (RFC 9110 §6.4.1): their `Content-Length` describes a body
    /// that is never sent, so it is not checked.
    pub(crate) fn new(
        limit: usize,
        method: &Method,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Result<Self, TransportError> {
        let announced = if can_have_body(method, status) {
            headers
                .get(header::CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok())
        } else {
            None
        };
        if let Some(length) = announced
            && length > limit as u64
        {
            return Err(TransportError::body_too_large(limit, status.as_u16()));
        }
        let capacity = announced.map_or(0, |length| length as usize);
        Ok(Self {
            limit,
            status,
            capacity,
            first: None,
            buffer: BytesMut::new(),
            len: 0,
        })
    }

    /// Adds a chunk, failing when the body would exceed the limit.
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<(), TransportError> {
        if chunk.len() > self.limit - self.len {
            return Err(TransportError::body_too_large(
                self.limit,
                self.status.as_u16(),
            ));
        }
        if chunk.is_empty() {
            return Ok(());
        }
        self.len += chunk.len();
        if self.len == chunk.len() {
            self.first = Some(chunk);
            return Ok(());
        }
        if let Some(first) = self.first.take() {
            self.buffer.reserve(self.capacity.max(self.len));
            self.buffer.extend_from_slice(&first);
        }
        self.buffer.extend_from_slice(&chunk);
        Ok(())
    }

    /// The body read so far.
    pub(crate) fn finish(self) -> Bytes {
        match self.first {
            Some(only) => only,
            None => self.buffer.freeze(),
        }
    }
}

/// Whether a body can follow a `status` response to a `method` request.
fn can_have_body(method: &Method, status: StatusCode) -> bool {
    *method != Method::HEAD
        && !status.is_informational()
        && status != StatusCode::NO_CONTENT
        && status != StatusCode::NOT_MODIFIED
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_length(length: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, length.parse().unwrap());
        headers
    }

    fn get(limit: usize, headers: &HeaderMap) -> Result<CappedBody, TransportError> {
        CappedBody::new(limit, &Method::GET, StatusCode::OK, headers)
    }

    #[test]
    fn announced_length_over_the_limit_is_refused_at_once_with_the_status() {
        assert_eq!(
            CappedBody::new(10, &Method::POST, StatusCode::CREATED, &with_length("11"))
                .unwrap_err(),
            TransportError::body_too_large(10, 201)
        );
        assert!(get(10, &with_length("10")).is_ok());
    }

    #[test]
    fn no_length_is_checked_where_no_body_can_follow() {
        let large = with_length("1000000");
        assert!(CappedBody::new(10, &Method::HEAD, StatusCode::OK, &large).is_ok());
        for status in [
            StatusCode::CONTINUE,
            StatusCode::SWITCHING_PROTOCOLS,
            StatusCode::NO_CONTENT,
            StatusCode::NOT_MODIFIED,
        ] {
            let body = CappedBody::new(10, &Method::GET, status, &large);
            assert!(body.is_ok(), "{status}");
            // No capacity is reserved for the body that never comes.
            assert_eq!(body.unwrap().capacity, 0, "{status}");
        }
        // Any other status still has its announced length checked.
        assert!(CappedBody::new(10, &Method::GET, StatusCode::RESET_CONTENT, &large).is_err());
        assert!(CappedBody::new(10, &Method::DELETE, StatusCode::ACCEPTED, &large).is_err());
    }

    #[test]
    fn body_exactly_at_the_limit_is_accepted() {
        let mut body = get(6, &HeaderMap::new()).unwrap();
        body.push(Bytes::from_static(b"abc")).unwrap();
        body.push(Bytes::from_static(b"def")).unwrap();
        body.push(Bytes::new()).unwrap();
        assert_eq!(body.finish(), "abcdef");
    }

    #[test]
    fn a_body_in_one_chunk_is_kept_without_a_copy() {
        let chunk = Bytes::from(b"<answer/>".to_vec());
        let mut body = get(100, &with_length("9")).unwrap();
        body.push(chunk.clone()).unwrap();
        body.push(Bytes::new()).unwrap();
        let finished = body.finish();
        assert_eq!(finished, chunk);
        assert_eq!(
            finished.as_ptr(),
            chunk.as_ptr(),
            "the chunk itself, not a copy"
        );
    }

    #[test]
    fn one_byte_over_the_limit_fails_with_the_status() {
        let mut body =
            CappedBody::new(6, &Method::POST, StatusCode::BAD_REQUEST, &HeaderMap::new()).unwrap();
        body.push(Bytes::from_static(b"abcd")).unwrap();
        assert_eq!(
            body.push(Bytes::from_static(b"efg")).unwrap_err(),
            TransportError::body_too_large(6, 400)
        );
    }

    #[test]
    fn unparsable_length_is_left_to_the_streaming_check() {
        let mut body = get(2, &with_length("lots")).unwrap();
        assert!(body.push(Bytes::from_static(b"abc")).is_err());
    }

    proptest! {
        #[test]
        fn accepts_exactly_the_bodies_within_the_limit(
            chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 0..10),
            limit in 0usize..120,
        ) {
            let mut body = get(limit, &HeaderMap::new()).unwrap();
            let total: usize = chunks.iter().map(Vec::len).sum();
            let result = chunks
                .iter()
                .try_for_each(|chunk| body.push(Bytes::copy_from_slice(chunk)));
            prop_assert_eq!(result.is_ok(), total <= limit);
            if result.is_ok() {
                prop_assert_eq!(body.finish().to_vec(), chunks.concat());
            }
        }
    }
}
