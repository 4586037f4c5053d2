//! Reading a response body under a size limit, chunk by chunk.

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, header};

use crate::TransportError;

/// Accumulates response body chunks and fails as soon as the total passes the
/// limit, so a backend stops reading (and buffering) at that point.
#[derive(Debug)]
pub(crate) struct CappedBody {
    limit: usize,
    buffer: BytesMut,
}

impl CappedBody {
    /// Starts a body under `limit` bytes, refusing at once when the response
    /// announces a `Content-Length` above it.
    pub(crate) fn new(limit: usize, headers: &HeaderMap) -> Result<Self, TransportError> {
        let announced = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        if let Some(length) = announced
            && length > limit as u64
        {
            return Err(TransportError::BodyTooLarge { limit });
        }
        let capacity = announced.map_or(0, |length| length as usize);
        Ok(Self {
            limit,
            buffer: BytesMut::with_capacity(capacity),
        })
    }

    /// Adds a chunk, failing when the body would exceed the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), TransportError> {
        if chunk.len() > self.limit - self.buffer.len() {
            return Err(TransportError::BodyTooLarge { limit: self.limit });
        }
        self.buffer.extend_from_slice(chunk);
        Ok(())
    }

    /// The body read so far.
    pub(crate) fn finish(self) -> Bytes {
        self.buffer.freeze()
    }
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

    #[test]
    fn announced_length_over_the_limit_is_refused_at_once() {
        assert_eq!(
            CappedBody::new(10, &with_length("11")).unwrap_err(),
            TransportError::BodyTooLarge { limit: 10 }
        );
        assert!(CappedBody::new(10, &with_length("10")).is_ok());
    }

    #[test]
    fn body_exactly_at_the_limit_is_accepted() {
        let mut body = CappedBody::new(6, &HeaderMap::new()).unwrap();
        body.push(b"abc").unwrap();
        body.push(b"def").unwrap();
        body.push(b"").unwrap();
        assert_eq!(body.finish(), "abcdef");
    }

    #[test]
    fn one_byte_over_the_limit_fails() {
        let mut body = CappedBody::new(6, &HeaderMap::new()).unwrap();
        body.push(b"abcd").unwrap();
        assert_eq!(
            body.push(b"efg").unwrap_err(),
            TransportError::BodyTooLarge { limit: 6 }
        );
    }

    #[test]
    fn unparsable_length_is_left_to_the_streaming_check() {
        let mut body = CappedBody::new(2, &with_length("lots")).unwrap();
        assert!(body.push(b"abc").is_err());
    }

    proptest! {
        #[test]
        fn accepts_exactly_the_bodies_within_the_limit(
            chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 0..10),
            limit in 0usize..120,
        ) {
            let mut body = CappedBody::new(limit, &HeaderMap::new()).unwrap();
            let total: usize = chunks.iter().map(Vec::len).sum();
            let result = chunks.iter().try_for_each(|chunk| body.push(chunk));
            prop_assert_eq!(result.is_ok(), total <= limit);
            if result.is_ok() {
                prop_assert_eq!(body.finish().to_vec(), chunks.concat());
            }
        }
    }
}
