//! Caps that bound the work and memory one document can cost.

/// Caps that bound the work and memory one document can cost: input size,
/// element nesting depth and number of elements.
///
/// ```
/// use strict_xml::Limits;
///
/// let limits = Limits::new(1024 * 1024, 32).with_max_elements(5_000);
/// assert_eq!(limits.max_input_bytes(), 1024 * 1024);
/// assert_eq!(limits.max_depth(), 32);
/// assert_eq!(limits.max_elements(), 5_000);
/// // Depth is capped so that no caller can ask for unbounded nesting.
/// assert_eq!(Limits::new(1024, usize::MAX).max_depth(), Limits::MAX_DEPTH);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_input_bytes: usize,
    max_depth: usize,
    max_elements: usize,
}

impl Default for Limits {
    /// 4 MiB of input, 64 levels of nesting, 100,000 elements.
    fn default() -> Self {
        Self {
            max_input_bytes: 4 * 1024 * 1024,
            max_depth: 64,
            max_elements: Self::DEFAULT_MAX_ELEMENTS,
        }
    }
}

impl Limits {
    /// The deepest nesting any [`Limits`] accepts: larger requests are lowered
    /// to it, so trees stay shallow enough to build, compare and drop without
    /// exhausting the stack.
    pub const MAX_DEPTH: usize = 256;

    /// The default cap on the number of elements in one document.
    pub const DEFAULT_MAX_ELEMENTS: usize = 100_000;

    /// Caps of `max_input_bytes` bytes of input and `max_depth` nested elements
    /// (at most [`Limits::MAX_DEPTH`]), and the default element cap
    /// ([`Limits::DEFAULT_MAX_ELEMENTS`]).
    #[must_use]
    pub const fn new(max_input_bytes: usize, max_depth: usize) -> Self {
        Self {
            max_input_bytes,
            max_depth: if max_depth > Self::MAX_DEPTH {
                Self::MAX_DEPTH
            } else {
                max_depth
            },
            max_elements: Self::DEFAULT_MAX_ELEMENTS,
        }
    }

    /// The same caps with at most `max_elements` elements per document.
    #[must_use]
    pub const fn with_max_elements(mut self, max_elements: usize) -> Self {
        self.max_elements = max_elements;
        self
    }

    /// The largest accepted input, in bytes.
    #[must_use]
    pub const fn max_input_bytes(&self) -> usize {
        self.max_input_bytes
    }

    /// The deepest accepted element nesting.
    #[must_use]
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The most elements accepted in one document (the root included).
    #[must_use]
    pub const fn max_elements(&self) -> usize {
        self.max_elements
    }
}
