//! The one error type of the n-gram, distinct-count and signature modules.

use core::fmt;

/// What went wrong; returned by [`Error::kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The configuration is invalid (range, capacity, sizes).
    InvalidConfig,
    /// The caller's arena is smaller than `bytes_needed`.
    ArenaTooSmall,
    /// An output buffer is too small for the result.
    BufferTooSmall,
    /// Two summaries with different configurations were merged.
    ConfigMismatch,
    /// A gram with the wrong number of tokens was given to a table.
    WrongArity,
    /// Serialised bytes are truncated, corrupt or of another version.
    Corrupt,
}

/// An error from [`crate::ngram`], [`crate::distinct`] or
/// [`crate::signature`].
///
/// Capacity errors ([`ErrorKind::ArenaTooSmall`],
/// [`ErrorKind::BufferTooSmall`]) carry the bytes needed and the bytes
/// available, in the spirit of `CapacityError { needed, capacity }`.
///
/// ```
/// use textmeter::ngram::{ErrorKind, NgramConfig, NgramSet};
/// let cfg = NgramConfig::new(1, 2).with_capacity(16);
/// let mut small = [0u8; 8];
/// let err = NgramSet::new(&mut small[..], cfg).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::ArenaTooSmall);
/// assert_eq!(err.capacity(), 8);
/// assert!(err.needed() > 8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    what: &'static str,
    needed: usize,
    capacity: usize,
}

impl Error {
    pub(crate) const fn config(what: &'static str) -> Self {
        Error { kind: ErrorKind::InvalidConfig, what, needed: 0, capacity: 0 }
    }

    pub(crate) const fn arena(needed: usize, capacity: usize) -> Self {
        Error { kind: ErrorKind::ArenaTooSmall, what: "", needed, capacity }
    }

    pub(crate) const fn buffer(needed: usize, capacity: usize) -> Self {
        Error { kind: ErrorKind::BufferTooSmall, what: "", needed, capacity }
    }

    pub(crate) const fn mismatch(what: &'static str) -> Self {
        Error { kind: ErrorKind::ConfigMismatch, what, needed: 0, capacity: 0 }
    }

    pub(crate) const fn arity(needed: usize, capacity: usize) -> Self {
        Error { kind: ErrorKind::WrongArity, what: "", needed, capacity }
    }

    pub(crate) const fn corrupt(what: &'static str) -> Self {
        Error { kind: ErrorKind::Corrupt, what, needed: 0, capacity: 0 }
    }

    /// The kind of failure.
    ///
    /// ```
    /// use textmeter::ngram::{ErrorKind, NgramConfig};
    /// let err = NgramConfig::new(3, 2).try_bytes_needed().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    /// ```
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Bytes (or, for [`ErrorKind::WrongArity`], tokens) that were needed;
    /// 0 for the other kinds.
    ///
    /// ```
    /// use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 4))
    ///     .unwrap();
    /// assert_eq!(t.insert(&[b"a"]).unwrap_err().needed(), 2);
    /// ```
    pub const fn needed(&self) -> usize {
        self.needed
    }

    /// Bytes (or tokens) that were available; 0 for the other kinds.
    ///
    /// ```
    /// use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 4))
    ///     .unwrap();
    /// assert_eq!(t.insert(&[b"a"]).unwrap_err().capacity(), 1);
    /// ```
    pub const fn capacity(&self) -> usize {
        self.capacity
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::InvalidConfig => {
                write!(f, "invalid n-gram configuration: {}", self.what)
            }
            ErrorKind::ArenaTooSmall => write!(
                f,
                "arena too small: needed {} bytes, capacity {} bytes",
                self.needed, self.capacity
            ),
            ErrorKind::BufferTooSmall => write!(
                f,
                "buffer too small: needed {} bytes, capacity {} bytes",
                self.needed, self.capacity
            ),
            ErrorKind::ConfigMismatch => {
                write!(f, "configurations differ: {}", self.what)
            }
            ErrorKind::WrongArity => write!(
                f,
                "wrong number of tokens: needed {}, got {}",
                self.needed, self.capacity
            ),
            ErrorKind::Corrupt => {
                write!(f, "corrupt serialised summary: {}", self.what)
            }
        }
    }
}

impl core::error::Error for Error {}
