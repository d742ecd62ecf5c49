//! The one hash every part of textmeter agrees on.
//!
//! Token keys are hashed with XXH3-64 (a published, portable algorithm) over
//! the token's *normalised* bytes with the fixed seed [`HASH_SEED`]. The value
//! is therefore identical on every platform, in every process and from every
//! binding, which is what lets n-gram summaries built on different machines
//! merge exactly and lets golden files pin results.

/// The fixed seed of [`token_hash`]: the ASCII bytes `textmetr` read as a
/// big-endian integer. Changing it changes every serialised summary, so it
/// never changes within a serialisation format version.
pub const HASH_SEED: u64 = 0x7465_7874_6d65_7472;

/// Hashes a token's normalised bytes with XXH3-64 and [`HASH_SEED`].
///
/// ```
/// let a = textmeter::hash::token_hash(b"russia");
/// assert_eq!(a, textmeter::hash::token_hash(b"russia"));
/// assert_ne!(a, textmeter::hash::token_hash(b"ukraine"));
/// ```
#[inline]
pub fn token_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(bytes, HASH_SEED)
}
