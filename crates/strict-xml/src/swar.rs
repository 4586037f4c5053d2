//! Eight bytes at a time: the word tests strict-xml's short scanners share
//! (the forbidden-character check, the escape's pre-scan, the whole text
//! element's scan). Texts in a document are mostly too short for the
//! compiler's vectorised loops to start; a word at a time is what pays.
//!
//! Each test returns a mask with the high bit of a byte set where the test
//! holds. The lowest flagged byte is always exact (a borrow only carries
//! upwards, from a byte that matched); bytes above it may be flagged
//! falsely. So a mask answers "is there such a byte" exactly, and for a word
//! read with `u64::from_le_bytes`, `trailing_zeros() / 8` is the offset of
//! the first one.

/// `0x01` in every byte of a word.
pub(crate) const ONES: u64 = u64::from_ne_bytes([1; 8]);
/// The high bit of every byte of a word.
pub(crate) const HIGHS: u64 = ONES * 0x80;

/// `byte` in every byte of a word.
#[inline(always)]
pub(crate) const fn splat(byte: u8) -> u64 {
    ONES * byte as u64
}

/// The bytes of `word` below `n` (`n` at most 0x80; bytes of 0x80 and above
/// are never flagged).
#[inline(always)]
pub(crate) const fn below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(splat(n)) & !word & HIGHS
}

/// The bytes of `word` that are zero.
#[inline(always)]
pub(crate) const fn zero(word: u64) -> u64 {
    below(word, 1)
}

/// The bytes of `word` equal to `byte`.
#[inline(always)]
pub(crate) const fn equal(word: u64, byte: u8) -> u64 {
    zero(word ^ splat(byte))
}

/// The bytes of `word` of 0x80 and above (exact for every byte).
#[inline(always)]
pub(crate) const fn non_ascii(word: u64) -> u64 {
    word & HIGHS
}

/// `chunk`, exactly eight bytes as `chunks_exact(8)` hands them out, as a
/// little-endian word.
#[inline(always)]
pub(crate) fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(chunk);
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The offset of the first flagged byte, as the scanners read it.
    fn first(mask: u64) -> Option<usize> {
        (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize)
    }

    #[test]
    fn the_first_flagged_byte_is_exact_for_any_two_marked_bytes() {
        let marks = [
            0x00, 0x01, 0x1F, 0x20, 0x21, b'&', b'<', 0x7F, 0x80, 0xEF, 0xFF,
        ];
        for a in marks {
            for b in marks {
                for at in 0..7 {
                    let mut bytes = [b'x'; 8];
                    bytes[at] = a;
                    bytes[at + 1] = b;
                    let word = word(&bytes);
                    let position = |test: &dyn Fn(u8) -> bool| bytes.iter().position(|&b| test(b));
                    assert_eq!(
                        first(below(word, 0x20)),
                        position(&|b| b < 0x20),
                        "{bytes:?}"
                    );
                    assert_eq!(first(zero(word)), position(&|b| b == 0), "{bytes:?}");
                    assert_eq!(
                        first(equal(word, b'<')),
                        position(&|b| b == b'<'),
                        "{bytes:?}"
                    );
                    assert_eq!(
                        first(equal(word, 0xEF)),
                        position(&|b| b == 0xEF),
                        "{bytes:?}"
                    );
                    assert_eq!(
                        first(non_ascii(word)),
                        position(&|b| b >= 0x80),
                        "{bytes:?}"
                    );
                }
            }
        }
    }
}
