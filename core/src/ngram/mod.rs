//! Bounded-memory n-gram frequencies: exact while they fit, Space-Saving
//! heavy hitters once they do not, mergeable across processes.
//!
//! [`NgramSet`] counts the n-grams for every `n` in a range `lo..=hi`
//! (within 1..=8) of a token stream: feed it each token's normalised bytes
//! and [`crate::hash::token_hash`] with [`NgramSet::push`] and call
//! [`NgramSet::end_document`] at document boundaries (grams never span
//! them; they do span the caller's chunks). It holds one window and one
//! [`NgramTable`] per `n`; a table is also usable alone.
//!
//! ```
//! use textmeter::hash::token_hash;
//! use textmeter::ngram::{Entry, NgramConfig, NgramSet};
//!
//! let cfg = NgramConfig::new(1, 2).with_capacity(64);
//! let mut mem = vec![0u8; cfg.bytes_needed()]; // or a static array
//! let mut set = NgramSet::new(&mut mem[..], cfg)?;
//! for tok in "to be or not to be".split(' ') {
//!     set.push(tok.as_bytes(), token_hash(tok.as_bytes()));
//! }
//! set.end_document();
//! let bigrams = set.table(2).unwrap();
//! let mut top = [Entry::default(); 1];
//! bigrams.top_into(&mut top);
//! assert_eq!(top[0].gram().unwrap().to_string(), "to be");
//! assert_eq!(top[0].count(), 2);
//! assert!(set.is_exact());
//! assert_eq!(set.types().unwrap().types(), 4);
//! # Ok::<(), textmeter::ngram::Error>(())
//! ```
//!
//! # Storage
//!
//! All state lives in a caller's byte arena (`&mut [u8]`, or an owned
//! `[u8; N]` through the same generic types), sized by
//! [`NgramConfig::bytes_needed`] / [`TableConfig::bytes_needed`], which are
//! `const fn` so static arrays can be sized at compile time. Core is
//! `forbid(unsafe_code)` and cannot view bytes as typed slices, so entries
//! are explicit little-endian records read with `from_le_bytes` (a plain
//! load after the bounds check); the layout is in [`NgramTable`]'s source
//! module docs and doubles as the basis of the serialisation.
//!
//! Per table: `(1.5 × capacity + 1) × 32` bytes of slots (hash, count,
//! error, pool offset, position), `24 × capacity` bytes of Space-Saving
//! order (positions and buckets, or the heap while merging) and a gram
//! byte pool (default `capacity × (12 + 12 n)` plus two maximal grams;
//! a gram takes 8 bytes of record header plus 1 + len bytes per token, and
//! the default leaves half as much again spare, see
//! [`TableConfig::default_pool_bytes`]). So **1 M entries cost 72 MB of
//! slots and order plus their pool**: 96 MB for unigrams, 108 MB for
//! bigrams and 120 MB for trigrams with the default pools. The window
//! takes `hi × 256` bytes, the optional HyperLogLog `2^p` bytes (4 KiB by
//! default).
//!
//! # Performance
//!
//! Measured 2026-12-07 12:25 UTC with the criterion groups of `benches/`
//! (thread CPU time, medians of 10, one core of a 2-core AMD EPYC VM),
//! tokenize, counts and 1..=3-grams through an
//! [`crate::analyzer::Analyzer`] on the 8.35 MB corpus (`../shared/corpus`
//! and the seeds; 1.54 M distinct grams): exact tables 291.5 ms =
//! 28.7 MB/s (179.7 MB arena, 116.9 MB per 1 M distinct grams); 65,536
//! entries per `n`, evicting on most bigrams and trigrams, 400.6 ms =
//! 20.9 MB/s; 1,024 entries 325.3 ms = 25.7 MB/s; a std `HashMap` counter
//! in the same run 1.73 s = 4.8 MB/s. A table small enough for the caches
//! takes only 19 % less time than the default one, and exact tables,
//! which miss the caches on nearly every probe but never evict, are the
//! fastest: the time goes to the instructions of evictions more than to
//! cache misses. The floor under any exact counter on that machine
//! (`ngrams/hash-floor`: gram hashes alone in prefetched tables, no
//! bytes) is 74.1 ms = 112.7 MB/s.
//!
//! Evictions dominate a table that keeps overflowing: each one deletes the
//! victim's slot (backward shift), stores the newcomer's bytes in the
//! victim's pool record or appends them (so the pool is compacted now and
//! then) and moves two entries between Space-Saving buckets. Cache misses
//! on tables far larger than the caches come next: the slot of each gram,
//! its bytes when the hash matches, and on eviction the victim's slot. An
//! analyzer stages tokens ([`NgramConfig::with_lookahead`]) and prefetches
//! all of these a few tokens ahead (without it the CLI takes 20 % longer),
//! and Space-Saving evictions are O(1) (see the table module); `LC_ALL=C
//! wc -w` still runs about 10 times faster than the whole CLI on this
//! input.
//!
//! # Hashes
//!
//! A token's hash is [`crate::hash::token_hash`] (XXH3-64, fixed seed). A
//! gram's hash is [`gram_hash`] of its tokens' hashes: the newest token's
//! hash, folded with each older one by `acc ← fmix64(acc × φ ⊕ h)`
//! (`φ = 0x9E3779B97F4A7C15`, `fmix64` the MurmurHash3 finaliser). It is
//! order-sensitive, identical on every platform and run, and a unigram's
//! hash is its token's hash. Lookups compare 64-bit hashes first and gram
//! bytes only on a hash match.
//!
//! A fixed hash lets anyone search for tokens whose hashes would share a
//! slot and make lookups walk long runs of them. A table can place grams
//! by a *placement seed* as well ([`NgramSet::set_placement_seed`]), which
//! changes where entries sit and nothing else: counts, errors, evictions,
//! `top` and merges are the same for every seed. The CLI, C and Python
//! seed every analyzer with `process_placement_seed()` (feature `std`);
//! 10,000 colliding words in 10.5 MB took 6.75 s unseeded and take 0.17 s
//! seeded (ordinary words: 0.15 s).
//!
//! # Exact, then Space-Saving
//!
//! While the distinct grams fit the capacity every count is exact and
//! [`NgramTable::is_exact`] is true. After that a new gram evicts an entry
//! of minimum count `m` (Metwally et al., 2005) and enters with
//! `count = m + 1`, `error = m`. Each table keeps a *floor* ([`NgramTable::
//! max_error`]): an upper bound of the true count of any gram not in the
//! table, 0 while exact. Invariants, for every entry:
//! `count - error <= true <= count`, `error <= floor <= count`, and
//! `floor <= total / capacity`; so any gram whose true count exceeds
//! `total / capacity` is present. [`NgramTable::total`] is always exact.
//!
//! # Merge
//!
//! [`NgramTable::merge`] / [`NgramSet::merge`] combine summaries built
//! with the same configuration (in any processes: hashes are
//! deterministic). With floors `fa`, `fb`: a gram in both gets the sum of
//! counts and of errors; a gram in only one side gets the other side's
//! floor added to count and error (its true count there is in `0..=floor`);
//! then the `capacity` largest counts are kept, and the new floor is the
//! largest of `fa + fb` and the counts dropped. Ties at the minimum go by
//! hash (`order_key`) here; when a push evicts, by the order of the
//! table's Space-Saving buckets, which are built from the contents alone
//! and are written out by serialisation. So what a table does next never
//! depends on its memory layout: a deserialised copy behaves exactly like
//! the original. This is the
//! mergeable-summaries rule for Space-Saving (Agarwal et al., 2012).
//!
//! *Bound.* Write `Φ = Σ counts + (capacity − len) × floor`. A push adds
//! exactly 1 to `Φ`, and a merge gives `Φ ≤ Φa + Φb`, so `Φ ≤ total`
//! always. Every entry is `≥ floor`, hence `capacity × floor ≤ Φ ≤ total`:
//! after any sequence of pushes and merges `floor ≤ total / capacity`, and
//! `count − error ≤ true ≤ count` holds entry by entry because both bounds
//! add. *Exactness.* If both sides are exact (`fa = fb = 0`) and the union
//! fits, every gram gets exactly `count_a + count_b` and nothing is
//! dropped, so `merge(count(a), count(b)) == count(a ++ b)` whenever `a`
//! ends at a document boundary (tested).
//!
//! # Gram bytes
//!
//! Gram bytes are kept once per entry in a pool with compaction (see
//! [`NgramTable`]). If a gram's bytes cannot be stored (pool exhausted)
//! the gram is still counted, keyed by its hash alone, and reported:
//! [`Entry::gram`] is `None` and [`NgramTable::missing_bytes`] counts it.
//!
//! # Serialisation
//!
//! [`NgramTable::serialize_into`] writes a versioned little-endian format
//! (magic `TMNG`, version 2, configuration, totals, then the entries); see
//! the `serial` module source. Deserialised tables merge like any other.

mod bytes;
mod error;
mod merge;
mod parts;
mod serial;
mod sort;
mod table;
mod window;

pub use bytes::MAX_TOKEN_LEN;
pub use error::{Error, ErrorKind};
pub use parts::{DistinctPart, TablePart, TableParts};
pub use table::{
    Entries, Entry, Gram, GramTokens, NgramTable, TableConfig, MAX_CAPACITY,
    MAX_POOL_BYTES,
};

use crate::distinct;
use crate::hash::token_hash;
use bytes::short_copy;
use table::TableCore;
use window::{back, GramKey, RING_SLOT};

/// The largest `n`.
pub const MAX_N: usize = 8;

const SET_MAGIC: &[u8; 4] = b"TMNS";
const SET_VERSION: u16 = 1;
/// magic, version, lo, hi, precision, lookahead, 2 zero bytes,
/// 8 capacities (u32),
/// 8 pool sizes (u64; `u64::MAX` = default).
const SET_HEADER: usize = 12 + 4 * MAX_N + 8 * MAX_N;

/// A random placement seed, drawn once per process (the same for every
/// table of the process, so that merging a table into an empty one stays
/// a copy: see [`NgramTable::set_placement_seed`]). Never 0. The CLI and
/// the Python package seed every analyzer with it.
///
/// ```
/// let s = textmeter::ngram::process_placement_seed();
/// assert_ne!(s, 0);
/// assert_eq!(s, textmeter::ngram::process_placement_seed());
/// ```
#[cfg(feature = "std")]
pub fn process_placement_seed() -> u32 {
    use std::hash::{BuildHasher, RandomState};
    static SEED: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| {
        // std's hasher keys are random per process (and per thread).
        let h = RandomState::new().hash_one(std::process::id());
        ((h ^ h >> 32) as u32).max(1)
    })
}

/// Default capacity of each table, in entries.
pub const DEFAULT_CAPACITY: u32 = 1 << 16;

/// Default number of tokens an analyzer stages ahead of their table
/// lookups ([`NgramConfig::with_lookahead`]).
pub const DEFAULT_LOOKAHEAD: u8 = 8;

/// The largest lookahead.
pub const MAX_LOOKAHEAD: u8 = 16;

/// Ring slots the window can need: `hi` tokens plus the lookahead.
const RING_MAX: usize = MAX_N + MAX_LOOKAHEAD as usize;

/// Default HyperLogLog precision of [`NgramSet`] (4 KiB of registers).
pub const DEFAULT_DISTINCT_PRECISION: u8 = 12;

const PHI: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline(always)]
const fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Folds the hash of an older token into a gram hash.
#[inline(always)]
pub(crate) const fn combine(acc: u64, older: u64) -> u64 {
    fmix64(acc.wrapping_mul(PHI) ^ older)
}

/// The gram hashes of a ring slot: kept (hosted targets), so borrowed
/// rather than copied, or folded when asked for.
#[cfg(not(target_os = "none"))]
type Grams<'a> = &'a [u64; MAX_N];
#[cfg(target_os = "none")]
type Grams<'a> = [u64; MAX_N];

/// Writes the hashes of the grams ending at slot `pos` of the ring of
/// token hashes (`ring_len` slots), for `n` in `1..=upto`, to `out[n - 1]`;
/// the older tokens must be in the ring.
#[inline(always)]
fn fold_grams(
    hashes: &[u64; RING_MAX],
    ring_len: usize,
    pos: usize,
    upto: usize,
    out: &mut [u64; MAX_N],
) {
    let mut g = hashes[pos];
    for n in 1..=upto {
        if n > 1 {
            g = combine(g, hashes[back(pos, n - 1, ring_len)]);
        }
        out[n - 1] = g;
    }
}

/// The hash of a gram given its tokens' hashes (oldest first): the last
/// hash folded with each earlier one, from newest to oldest, by
/// `acc ← fmix64(acc × 0x9E3779B97F4A7C15 ⊕ h)`. A single token's gram
/// hash is its token hash; the empty gram's is 0.
///
/// ```
/// use textmeter::hash::token_hash;
/// use textmeter::ngram::gram_hash;
/// let (a, b) = (token_hash(b"new"), token_hash(b"york"));
/// assert_eq!(gram_hash(&[a]), a);
/// assert_ne!(gram_hash(&[a, b]), gram_hash(&[b, a]));
/// ```
pub const fn gram_hash(token_hashes: &[u64]) -> u64 {
    let n = token_hashes.len();
    if n == 0 {
        return 0;
    }
    let mut acc = token_hashes[n - 1];
    let mut i = n - 1;
    while i > 0 {
        i -= 1;
        acc = combine(acc, token_hashes[i]);
    }
    acc
}

pub(crate) fn gram_hash_tokens(tokens: &[&[u8]]) -> u64 {
    let Some((last, rest)) = tokens.split_last() else {
        return 0;
    };
    let mut acc = token_hash(last);
    for t in rest.iter().rev() {
        acc = combine(acc, token_hash(t));
    }
    acc
}

/// Configuration of an [`NgramSet`]: the range `lo..=hi`, capacity and
/// pool size per `n`, and the HyperLogLog precision for distinct types.
///
/// ```
/// use textmeter::ngram::NgramConfig;
/// const CFG: NgramConfig =
///     NgramConfig::new(1, 3).with_capacity(1000).with_capacity_for(3, 5000);
/// const BYTES: usize = CFG.bytes_needed();
/// static_assertions_free_check(BYTES);
/// fn static_assertions_free_check(b: usize) { assert!(b > 5000 * 32); }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NgramConfig {
    lo: u8,
    hi: u8,
    capacity: [u32; MAX_N],
    pool: [u64; MAX_N],
    precision: u8,
    lookahead: u8,
}

impl Default for NgramConfig {
    /// 1..=3-grams, [`DEFAULT_CAPACITY`] entries each, default pools,
    /// HyperLogLog precision 12.
    fn default() -> Self {
        Self::new(1, 3)
    }
}

impl NgramConfig {
    /// `lo..=hi`-grams, [`DEFAULT_CAPACITY`] entries each, default pools,
    /// HyperLogLog precision [`DEFAULT_DISTINCT_PRECISION`]. Validated by
    /// [`NgramConfig::try_bytes_needed`] and [`NgramSet::new`].
    ///
    /// ```
    /// let cfg = textmeter::ngram::NgramConfig::new(2, 4);
    /// assert_eq!((cfg.lo(), cfg.hi()), (2, 4));
    /// ```
    pub const fn new(lo: u8, hi: u8) -> Self {
        NgramConfig {
            lo,
            hi,
            capacity: [DEFAULT_CAPACITY; MAX_N],
            pool: [u64::MAX; MAX_N],
            precision: DEFAULT_DISTINCT_PRECISION,
            lookahead: DEFAULT_LOOKAHEAD,
        }
    }

    /// Sets the capacity (entries) of every table.
    ///
    /// ```
    /// let cfg = textmeter::ngram::NgramConfig::new(1, 2).with_capacity(10);
    /// assert_eq!(cfg.table(2).capacity(), 10);
    /// ```
    pub const fn with_capacity(mut self, capacity: u32) -> Self {
        self.capacity = [capacity; MAX_N];
        self
    }

    /// Sets the capacity of the `n`-gram table (ignored for `n` outside
    /// 1..=8).
    ///
    /// ```
    /// let cfg = textmeter::ngram::NgramConfig::new(1, 2)
    ///     .with_capacity_for(2, 10);
    /// assert_eq!(cfg.table(2).capacity(), 10);
    /// ```
    pub const fn with_capacity_for(mut self, n: u8, capacity: u32) -> Self {
        if n >= 1 && n as usize <= MAX_N {
            self.capacity[n as usize - 1] = capacity;
        }
        self
    }

    /// Sets the gram byte pool of the `n`-gram table (see
    /// [`TableConfig::with_pool_bytes`]; ignored for `n` outside 1..=8).
    ///
    /// ```
    /// let cfg = textmeter::ngram::NgramConfig::new(1, 2)
    ///     .with_pool_bytes_for(1, 100);
    /// assert_eq!(cfg.table(1).pool_bytes(), 100);
    /// ```
    pub const fn with_pool_bytes_for(mut self, n: u8, bytes: u64) -> Self {
        if n >= 1 && n as usize <= MAX_N {
            self.pool[n as usize - 1] = bytes;
        }
        self
    }

    /// Sets the HyperLogLog precision `p` (4..=16, `2^p` bytes) used for
    /// distinct types once the unigram table is no longer exact; 0 turns it
    /// off.
    ///
    /// ```
    /// let cfg = textmeter::ngram::NgramConfig::new(1, 1)
    ///     .with_distinct_precision(0);
    /// assert_eq!(cfg.distinct_precision(), 0);
    /// ```
    pub const fn with_distinct_precision(mut self, p: u8) -> Self {
        self.precision = p;
        self
    }

    /// Sets how many tokens (0..=16) an [`crate::analyzer::Analyzer`]
    /// stages before counting their n-grams. Staging changes no result:
    /// it lets the tables' cache misses for several tokens overlap (the
    /// home slots of staged grams are prefetched), which is most of the
    /// cost once tables outgrow the caches. Each staged token takes a
    /// 256-byte ring slot; firmware with little RAM may prefer 0.
    /// [`NgramSet::push`] never stages.
    ///
    /// ```
    /// let cfg = textmeter::ngram::NgramConfig::new(1, 3).with_lookahead(0);
    /// assert_eq!(cfg.lookahead(), 0);
    /// ```
    pub const fn with_lookahead(mut self, tokens: u8) -> Self {
        self.lookahead = tokens;
        self
    }

    /// Tokens staged ahead of their lookups ([`DEFAULT_LOOKAHEAD`] unless
    /// set).
    ///
    /// ```
    /// assert_eq!(textmeter::ngram::NgramConfig::default().lookahead(), 8);
    /// ```
    pub const fn lookahead(&self) -> u8 {
        self.lookahead
    }

    /// The smallest `n`.
    ///
    /// ```
    /// assert_eq!(textmeter::ngram::NgramConfig::default().lo(), 1);
    /// ```
    pub const fn lo(&self) -> u8 {
        self.lo
    }

    /// The largest `n`.
    ///
    /// ```
    /// assert_eq!(textmeter::ngram::NgramConfig::default().hi(), 3);
    /// ```
    pub const fn hi(&self) -> u8 {
        self.hi
    }

    /// The HyperLogLog precision (0: off).
    ///
    /// ```
    /// assert_eq!(textmeter::ngram::NgramConfig::default().distinct_precision(), 12);
    /// ```
    pub const fn distinct_precision(&self) -> u8 {
        self.precision
    }

    /// The configuration of the `n`-gram table.
    ///
    /// # Panics
    /// If `n` is not in 1..=8.
    ///
    /// ```
    /// let cfg = textmeter::ngram::NgramConfig::new(1, 3);
    /// assert_eq!(cfg.table(3).n(), 3);
    /// ```
    pub const fn table(&self, n: u8) -> TableConfig {
        let i = n as usize - 1;
        let t = TableConfig::new(n, self.capacity[i]);
        if self.pool[i] == u64::MAX {
            t
        } else {
            t.with_pool_bytes(self.pool[i])
        }
    }

    /// Window ring slots: `hi` tokens plus the staged ones.
    const fn ring_len(&self) -> usize {
        self.hi as usize + self.lookahead as usize
    }

    const fn ring_bytes(&self) -> usize {
        self.ring_len() * RING_SLOT
    }

    /// Checks the configuration and returns the arena bytes it needs.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] if `lo..=hi` is empty or outside 1..=8,
    /// the precision is not 0 or 4..=16, or a table is invalid.
    ///
    /// ```
    /// use textmeter::ngram::NgramConfig;
    /// assert!(NgramConfig::new(0, 2).try_bytes_needed().is_err());
    /// assert!(NgramConfig::new(1, 9).try_bytes_needed().is_err());
    /// assert!(NgramConfig::new(1, 8).try_bytes_needed().is_ok());
    /// ```
    pub const fn try_bytes_needed(&self) -> Result<usize, Error> {
        if self.lo == 0 || self.lo > self.hi || self.hi as usize > MAX_N {
            return Err(Error::config(
                "range must satisfy 1 <= lo <= hi <= 8",
            ));
        }
        if self.precision != 0 && (self.precision < 4 || self.precision > 16) {
            return Err(Error::config("precision must be 0 or in 4..=16"));
        }
        if self.lookahead > MAX_LOOKAHEAD {
            return Err(Error::config("lookahead above 16 tokens"));
        }
        let mut total = self.ring_bytes() as u64;
        let mut n = self.lo;
        while n <= self.hi {
            match self.table(n).try_bytes_needed() {
                Ok(b) => total += b as u64,
                Err(e) => return Err(e),
            }
            n += 1;
        }
        if self.precision != 0 {
            total += 1 << self.precision;
        }
        if total > usize::MAX as u64 {
            return Err(Error::config("size does not fit in usize"));
        }
        Ok(total as usize)
    }

    /// The arena bytes this configuration needs.
    ///
    /// # Panics
    /// If the configuration is invalid (see
    /// [`NgramConfig::try_bytes_needed`]).
    ///
    /// ```
    /// use textmeter::ngram::NgramConfig;
    /// const N: usize = NgramConfig::new(1, 1)
    ///     .with_capacity(10)
    ///     .with_distinct_precision(0)
    ///     .bytes_needed();
    /// // ring (1 + 8 lookahead slots), slots, order, pool
    /// assert_eq!(N, 9 * 256 + 16 * 32 + 10 * 24 + 10 * 24 + 2 * 264);
    /// ```
    pub const fn bytes_needed(&self) -> usize {
        match self.try_bytes_needed() {
            Ok(n) => n,
            Err(_) => panic!("invalid n-gram configuration"),
        }
    }
}

/// Distinct token types: exact while the unigram table is exact, otherwise
/// a HyperLogLog estimate; returned by [`NgramSet::types`].
///
/// ```
/// # use textmeter::ngram::{NgramConfig, NgramSet};
/// # use textmeter::hash::token_hash;
/// let cfg = NgramConfig::new(1, 1).with_capacity(2);
/// let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
/// for t in [&b"a"[..], b"b", b"c", b"a"] {
///     set.push(t, token_hash(t));
/// }
/// let types = set.types().unwrap();
/// assert!(!types.types_exact());
/// assert_eq!(types.types(), 3); // the HLL is exact for tiny sets
/// assert!(types.relative_std_error() < 0.02);
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Types {
    types: u64,
    exact: bool,
    std_error: f64,
}

impl Types {
    /// The number (or estimate) of distinct token types.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(1, 1).with_capacity(8);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert_eq!(set.types().unwrap().types(), 0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn types(&self) -> u64 {
        self.types
    }

    /// Whether [`Types::types`] is exact.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(1, 1).with_capacity(8);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert!(set.types().unwrap().types_exact());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn types_exact(&self) -> bool {
        self.exact
    }

    /// Relative standard error of the estimate (0 when exact; `1.04 /
    /// sqrt(2^p)` for the HyperLogLog).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(1, 1).with_capacity(8);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert_eq!(set.types().unwrap().relative_std_error(), 0.0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn relative_std_error(&self) -> f64 {
        self.std_error
    }
}

/// Counts of `lo..=hi`-grams over a token stream, in caller storage `A`
/// (`&mut [u8]` or an owned `[u8; N]` / `Vec<u8>`). See the
/// [module docs](self).
///
/// ```
/// use textmeter::hash::token_hash;
/// use textmeter::ngram::{NgramConfig, NgramSet};
/// const CFG: NgramConfig = NgramConfig::new(2, 2).with_capacity(32);
/// let mut set = NgramSet::new([0u8; CFG.bytes_needed()], CFG)?;
/// for t in [&b"a"[..], b"b", b"c"] {
///     set.push(t, token_hash(t));
/// }
/// assert_eq!(set.total(2), 2);
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct NgramSet<A> {
    config: NgramConfig,
    tables: [TableCore; MAX_N],
    /// Arena offset of each table's region (index `n - 1`).
    offsets: [usize; MAX_N],
    hll_offset: usize,
    /// Token hashes by ring slot.
    hashes: [u64; RING_MAX],
    /// The hashes of the grams ending at each ring slot's token (index
    /// `n - 1`), computed once when the token is written: staging reads
    /// them twice (its two prefetches) and counting once, where each used
    /// to fold them again. Not on targets without an OS, where the 1.5 KiB
    /// would not fit in RAM.
    #[cfg(not(target_os = "none"))]
    grams: [[u64; MAX_N]; RING_MAX],
    /// Window buffer offset of each ring slot's encoded token.
    starts: [u16; RING_MAX],
    /// Window buffer bytes in use (the next token goes here).
    tail: usize,
    /// Ring slot of the newest token (staged or counted).
    newest: usize,
    /// Tokens of the current document counted so far (at most `hi`).
    seen: usize,
    /// Tokens in the ring whose grams are not counted yet (at most the
    /// lookahead; 0 whenever a public method returns).
    staged: usize,
    arena: A,
}

impl<A: AsRef<[u8]>> NgramSet<A> {
    /// The configuration.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert_eq!(set.config(), cfg);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn config(&self) -> NgramConfig {
        self.config
    }

    fn has(&self, n: usize) -> bool {
        n >= self.config.lo as usize && n <= self.config.hi as usize
    }

    /// A read-only view of the `n`-gram table, `None` if `n` is outside
    /// `lo..=hi`.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(2, 3).with_capacity(8);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert!(set.table(1).is_none());
    /// assert_eq!(set.table(3).unwrap().n(), 3);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn table(&self, n: usize) -> Option<NgramTable<&[u8]>> {
        if !self.has(n) {
            return None;
        }
        let core = self.tables[n - 1];
        let start = self.offsets[n - 1];
        let arena = &self.arena.as_ref()[start..start + core.bytes()];
        Some(NgramTable { core, arena })
    }

    /// Number of `n`-grams counted (exact); 0 outside `lo..=hi`.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(1, 3).with_capacity(8);
    /// let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// for t in [&b"a"[..], b"b"] {
    ///     set.push(t, token_hash(t));
    /// }
    /// assert_eq!((set.total(1), set.total(2), set.total(3)), (2, 1, 0));
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn total(&self, n: usize) -> u64 {
        if self.has(n) {
            self.tables[n - 1].total
        } else {
            0
        }
    }

    /// Whether every table is exact.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(1, 3).with_capacity(8);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert!(set.is_exact());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn is_exact(&self) -> bool {
        let (lo, hi) = (self.config.lo as usize, self.config.hi as usize);
        self.tables[lo - 1..hi].iter().all(|t| t.floor == 0)
    }

    /// Bytes needed by [`NgramSet::serialize_into`].
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert!(set.serialized_len() > 0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn serialized_len(&self) -> usize {
        let mut len = SET_HEADER;
        for n in self.config.lo as usize..=self.config.hi as usize {
            len += 4 + self.table(n).map_or(0, |t| t.serialized_len());
        }
        len + self.hll_len()
    }

    fn hll_len(&self) -> usize {
        if self.config.precision == 0 {
            0
        } else {
            1 << self.config.precision
        }
    }

    /// Writes the whole set (configuration, every table in the format of
    /// [`NgramTable::serialize_into`], HyperLogLog registers; magic
    /// `TMNS`, version 1, little-endian) and returns its length. The
    /// current document's window is not saved.
    ///
    /// # Errors
    /// [`ErrorKind::BufferTooSmall`] if `out` is shorter than
    /// [`NgramSet::serialized_len`].
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// set.push(b"x", token_hash(b"x"));
    /// let mut buf = vec![0u8; set.serialized_len()];
    /// set.serialize_into(&mut buf)?;
    /// let back = NgramSet::deserialize(&buf, vec![0u8; cfg.bytes_needed()])?;
    /// assert_eq!(back.config(), cfg);
    /// assert_eq!(back.total(1), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn serialize_into(&self, out: &mut [u8]) -> Result<usize, Error> {
        let need = self.serialized_len();
        if out.len() < need {
            return Err(Error::buffer(need, out.len()));
        }
        let c = &self.config;
        out[..4].copy_from_slice(SET_MAGIC);
        out[4..6].copy_from_slice(&SET_VERSION.to_le_bytes());
        out[6] = c.lo;
        out[7] = c.hi;
        out[8] = c.precision;
        out[9] = c.lookahead;
        out[10..12].fill(0);
        for n in 0..MAX_N {
            let cap = c.capacity[n].to_le_bytes();
            out[12 + 4 * n..16 + 4 * n].copy_from_slice(&cap);
            let pool = c.pool[n].to_le_bytes();
            out[44 + 8 * n..52 + 8 * n].copy_from_slice(&pool);
        }
        let mut w = SET_HEADER;
        for n in c.lo as usize..=c.hi as usize {
            let t = self.table(n).expect("n in range");
            let len = t.serialize_into(&mut out[w + 4..])?;
            out[w..w + 4].copy_from_slice(&(len as u32).to_le_bytes());
            w += 4 + len;
        }
        let h = self.hll_len();
        out[w..w + h].copy_from_slice(
            &self.arena.as_ref()[self.hll_offset..self.hll_offset + h],
        );
        Ok(w + h)
    }

    /// Distinct token types: the unigram table's length while it is exact,
    /// else the HyperLogLog estimate; `None` when neither is configured
    /// (`lo > 1` and precision 0).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::new(2, 2).with_distinct_precision(0);
    /// let set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// assert!(set.types().is_none());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn types(&self) -> Option<Types> {
        if self.config.lo == 1 && self.tables[0].floor == 0 {
            return Some(Types {
                types: self.tables[0].len as u64,
                exact: true,
                std_error: 0.0,
            });
        }
        let p = self.config.precision;
        if p == 0 {
            return None;
        }
        let regs =
            &self.arena.as_ref()[self.hll_offset..self.hll_offset + (1 << p)];
        Some(Types {
            types: distinct::estimate_count(regs),
            exact: false,
            std_error: distinct::relative_std_error(p),
        })
    }
}

impl<A: AsRef<[u8]> + AsMut<[u8]>> NgramSet<A> {
    /// A new, empty set in `arena` (needs [`NgramConfig::bytes_needed`]
    /// bytes; extra bytes are unused).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] or [`ErrorKind::ArenaTooSmall`].
    ///
    /// ```
    /// use textmeter::ngram::{NgramConfig, NgramSet};
    /// let cfg = NgramConfig::default();
    /// let mut mem = vec![0u8; cfg.bytes_needed()];
    /// let set = NgramSet::new(&mut mem[..], cfg)?;
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn new(mut arena: A, config: NgramConfig) -> Result<Self, Error> {
        let need = config.try_bytes_needed()?;
        let mem = arena.as_mut();
        if mem.len() < need {
            return Err(Error::arena(need, mem.len()));
        }
        let mut tables = [TableCore::new(&TableConfig::new(1, 0))?.0; MAX_N];
        let mut offsets = [0; MAX_N];
        let mut off = config.ring_bytes();
        for n in config.lo..=config.hi {
            let (core, bytes) = TableCore::new(&config.table(n))?;
            tables[n as usize - 1] = core;
            offsets[n as usize - 1] = off;
            mem[off..off + core.nslots as usize * table::SLOT].fill(0);
            off += bytes;
        }
        if config.precision != 0 {
            mem[off..off + (1 << config.precision)].fill(0);
        }
        Ok(NgramSet {
            config,
            tables,
            offsets,
            hll_offset: off,
            hashes: [0; RING_MAX],
            #[cfg(not(target_os = "none"))]
            grams: [[0; MAX_N]; RING_MAX],
            starts: [0; RING_MAX],
            tail: 0,
            newest: 0,
            seen: 0,
            staged: 0,
            arena,
        })
    }

    /// Counts the n-grams ending at this token: `norm` is its normalised
    /// bytes (truncated to [`MAX_TOKEN_LEN`] for storage) and `hash` its
    /// [`crate::hash::token_hash`] (the analyzer computes it once for all
    /// consumers).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// set.push(b"hello", token_hash(b"hello"));
    /// assert_eq!(set.total(1), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    #[inline]
    pub fn push(&mut self, norm: &[u8], hash: u64) {
        self.write_token(norm, hash);
        self.count_oldest(true);
    }

    /// Like [`NgramSet::push`], but counts the token's grams only after
    /// up to `lookahead` more tokens, prefetching their home slots now.
    /// The caller must end with [`NgramSet::count_staged`] (or
    /// [`NgramSet::end_document`]) before anything reads the set.
    #[inline]
    pub(crate) fn stage(&mut self, norm: &[u8], hash: u64) {
        self.write_token(norm, hash);
        if self.staged > self.config.lookahead as usize {
            // Its slots were prefetched when it was staged, unless it was
            // staged just now.
            self.count_oldest(self.config.lookahead == 0);
        }
        let hi = self.config.hi as usize;
        let lo = self.config.lo as usize;
        let avail = (self.seen + self.staged).min(hi);
        if avail < lo {
            return;
        }
        let ring_len = self.config.ring_len();
        let mem = self.arena.as_ref();
        let pos = self.newest;
        let gs = self.grams_at(pos, avail);
        for n in lo..=avail {
            let start = self.offsets[n - 1];
            self.tables[n - 1].prefetch(&mem[start..], gs[n - 1]);
        }
        // Halfway through the queue the home slots have arrived: where one
        // holds the gram, start loading its bytes, which the lookup
        // compares.
        let mid = self.config.lookahead as usize / 2;
        if mid == 0 || self.staged <= mid {
            return;
        }
        let pos = back(pos, mid, ring_len);
        let avail = (self.seen + self.staged - mid).min(hi);
        let gs = self.grams_at(pos, avail);
        for n in lo..=avail {
            let start = self.offsets[n - 1];
            self.tables[n - 1].prefetch_bytes(&mem[start..], gs[n - 1]);
        }
    }

    /// The hashes of the grams ending at ring slot `pos`, for `n` in
    /// `1..=upto` (index `n - 1`); the older tokens must be in the ring.
    #[inline(always)]
    fn gram_hashes(&self, pos: usize, upto: usize) -> [u64; MAX_N] {
        let mut gs = [0u64; MAX_N];
        fold_grams(&self.hashes, self.config.ring_len(), pos, upto, &mut gs);
        gs
    }

    /// The hashes of the grams ending at ring slot `pos`, for `n` in
    /// `1..=upto`, which are those the token had when it was written
    /// (`upto` is the same then: the tokens of its document before it,
    /// at most `hi - 1`, plus one).
    #[inline(always)]
    fn grams_at(&self, pos: usize, upto: usize) -> Grams<'_> {
        #[cfg(not(target_os = "none"))]
        {
            let _ = upto;
            &self.grams[pos]
        }
        #[cfg(target_os = "none")]
        {
            self.gram_hashes(pos, upto)
        }
    }

    /// The hash of the `n`-gram ending at the newest token, when the
    /// window holds `n` tokens of the current document and their gram
    /// hashes are kept (hosted targets, `n <= hi`): the signature takes
    /// its 3-gram hashes from here instead of folding them again.
    #[inline(always)]
    pub(crate) fn newest_gram_hash(&self, n: usize) -> Option<u64> {
        #[cfg(not(target_os = "none"))]
        {
            let avail = (self.seen + self.staged).min(self.config.hi as usize);
            (n <= avail).then(|| self.grams[self.newest][n - 1])
        }
        #[cfg(target_os = "none")]
        {
            let _ = n;
            None
        }
    }

    /// Counts the grams of every staged token.
    #[inline]
    pub(crate) fn count_staged(&mut self) {
        // Only `stage` leaves tokens staged, and it prefetched them.
        while self.staged > 0 {
            self.count_oldest(false);
        }
    }

    /// Puts a token into the window ring (staged, not counted yet).
    #[inline]
    fn write_token(&mut self, norm: &[u8], hash: u64) {
        let norm = &norm[..norm.len().min(MAX_TOKEN_LEN)];
        let ring_len = self.config.ring_len();
        let pos =
            if self.newest + 1 >= ring_len { 0 } else { self.newest + 1 };
        let need = 1 + norm.len();
        if self.tail + need > ring_len * RING_SLOT {
            self.shift_window(pos);
        }
        self.newest = pos;
        self.hashes[pos] = hash;
        self.staged += 1;
        #[cfg(not(target_os = "none"))]
        {
            // In place: entries past `avail` keep stale values, which
            // nothing reads.
            let avail = (self.seen + self.staged).min(self.config.hi as usize);
            let out = &mut self.grams[pos];
            fold_grams(&self.hashes, ring_len, pos, avail, out);
        }
        let at = self.tail;
        self.starts[pos] = at as u16;
        self.tail = at + need;
        let buf = &mut self.arena.as_mut()[..ring_len * RING_SLOT];
        buf[at] = norm.len() as u8;
        short_copy(&mut buf[at + 1..at + need], norm);
    }

    /// Moves the tokens the window still needs before the token going into
    /// ring slot `pos` (the staged ones and up to `hi - 1` counted ones
    /// before them: at most `ring_len - 1` tokens of at most 256 bytes) to
    /// the front of the buffer, leaving room for one more.
    #[cold]
    fn shift_window(&mut self, pos: usize) {
        let ring_len = self.config.ring_len();
        let hi = self.config.hi as usize;
        let keep = self.staged + self.seen.min(hi - 1);
        if keep == 0 {
            self.tail = 0;
            return;
        }
        let from = self.starts[back(pos, keep, ring_len)] as usize;
        let buf = &mut self.arena.as_mut()[..ring_len * RING_SLOT];
        buf.copy_within(from..self.tail, 0);
        for k in 1..=keep {
            self.starts[back(pos, k, ring_len)] -= from as u16;
        }
        self.tail -= from;
    }

    /// Counts the n-grams ending at the oldest staged token; `touch`: load
    /// their home slots first, since nothing prefetched them.
    #[inline]
    fn count_oldest(&mut self, touch: bool) {
        let hi = self.config.hi as usize;
        let lo = self.config.lo as usize;
        let ring_len = self.config.ring_len();
        let pos = back(self.newest, self.staged - 1, ring_len);
        self.staged -= 1;
        if self.seen < hi {
            self.seen += 1;
        }
        let hash = self.hashes[pos];
        let seen = self.seen;
        // A copy: the lookups below borrow the arena mutably.
        #[cfg(not(target_os = "none"))]
        let gs = *self.grams_at(pos, seen);
        #[cfg(target_os = "none")]
        let gs = self.grams_at(pos, seen);
        debug_assert_eq!(gs[..seen], self.gram_hashes(pos, seen)[..seen]);
        let mem = self.arena.as_mut();
        let (ring, rest) = mem.split_at_mut(ring_len * RING_SLOT);
        let ring = &*ring;
        if self.config.precision != 0 {
            let o = self.hll_offset - ring_len * RING_SLOT;
            let p = self.config.precision;
            distinct::insert(&mut rest[o..o + (1 << p)], p, hash);
        }
        // Without prefetching: first all gram hashes, then one load of
        // each gram's home slot, then the lookups, so that the loads of
        // the different tables' slots miss the cache in parallel instead
        // of one after another.
        // The grams ending here are suffixes of the window buffer up to
        // this token's end.
        let at = self.starts[pos] as usize;
        let end = at + 1 + ring[at] as usize;
        let base = ring_len * RING_SLOT;
        if touch && seen > lo {
            for n in lo..=seen {
                let start = self.offsets[n - 1] - base;
                self.tables[n - 1].touch(&rest[start..], gs[n - 1]);
            }
        }
        for n in lo..=seen {
            let first = self.starts[back(pos, n - 1, ring_len)] as usize;
            let key = GramKey { enc: &ring[first..end] };
            let core = &mut self.tables[n - 1];
            let start = self.offsets[n - 1] - base;
            let end = start + core.bytes();
            core.view_mut(&mut rest[start..end]).add(gs[n - 1], &key);
        }
    }

    /// Ends the current document: the next token starts a new window, so
    /// no gram spans the boundary.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(2, 2).with_capacity(8);
    /// let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// set.push(b"a", token_hash(b"a"));
    /// set.end_document();
    /// set.push(b"b", token_hash(b"b"));
    /// assert_eq!(set.total(2), 0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn end_document(&mut self) {
        self.count_staged();
        self.seen = 0;
    }

    /// Merges `other` (same configuration) into `self` table by table (see
    /// the [module docs](self)) and the HyperLogLog registers by maximum.
    /// Ends `self`'s current document.
    ///
    /// # Errors
    /// [`ErrorKind::ConfigMismatch`] if the configurations differ.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let mut a = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// let mut b = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// a.push(b"x", token_hash(b"x"));
    /// b.push(b"x", token_hash(b"x"));
    /// a.merge(&b)?;
    /// assert_eq!(a.table(1).unwrap().get(&[b"x"]).unwrap().count(), 2);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn merge<B: AsRef<[u8]>>(
        &mut self,
        other: &NgramSet<B>,
    ) -> Result<(), Error> {
        if self.config != other.config {
            return Err(Error::mismatch("n-gram configurations differ"));
        }
        let (mut distinct, tables) = self.split_mut();
        for mut table in tables {
            table.merge(other)?;
        }
        distinct.merge(other)
    }

    /// Reads a set written by [`NgramSet::serialize_into`] into `arena`
    /// (which needs the configuration's [`NgramConfig::bytes_needed`]).
    ///
    /// # Errors
    /// [`ErrorKind::Corrupt`] for bytes that are not a valid serialised set,
    /// [`ErrorKind::ArenaTooSmall`] for a short arena.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramSet, ErrorKind};
    /// let err = NgramSet::deserialize(b"TMNS", vec![0u8; 16]).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Corrupt);
    /// ```
    pub fn deserialize(bytes: &[u8], arena: A) -> Result<Self, Error> {
        if bytes.len() < SET_HEADER || &bytes[..4] != SET_MAGIC {
            return Err(Error::corrupt("bad magic"));
        }
        if bytes[4..6] != SET_VERSION.to_le_bytes() {
            return Err(Error::corrupt("unknown version"));
        }
        let mut cfg = NgramConfig::new(bytes[6], bytes[7])
            .with_distinct_precision(bytes[8])
            .with_lookahead(bytes[9]);
        for n in 0..MAX_N {
            let cap = u32::from_le_bytes(
                bytes[12 + 4 * n..16 + 4 * n].try_into().unwrap(),
            );
            let pool = u64::from_le_bytes(
                bytes[44 + 8 * n..52 + 8 * n].try_into().unwrap(),
            );
            cfg.capacity[n] = cap;
            cfg.pool[n] = pool;
        }
        if cfg.try_bytes_needed().is_err() {
            return Err(Error::corrupt("bad configuration"));
        }
        let mut set = NgramSet::new(arena, cfg)?;
        let mut r = SET_HEADER;
        for n in cfg.lo as usize..=cfg.hi as usize {
            let Some(len) = bytes.get(r..r + 4) else {
                return Err(Error::corrupt("truncated"));
            };
            let len = u32::from_le_bytes(len.try_into().unwrap()) as usize;
            let Some(src) = bytes.get(r + 4..r + 4 + len) else {
                return Err(Error::corrupt("truncated"));
            };
            let start = set.offsets[n - 1];
            let end = start + set.tables[n - 1].bytes();
            let core =
                serial::table_from(src, &mut set.arena.as_mut()[start..end])?;
            if core.config() != set.tables[n - 1].config() {
                return Err(Error::corrupt("table configuration differs"));
            }
            set.tables[n - 1] = core;
            r += 4 + len;
        }
        let h = set.hll_len();
        if bytes.len() != r + h {
            return Err(Error::corrupt("bad length"));
        }
        let o = set.hll_offset;
        set.arena.as_mut()[o..o + h].copy_from_slice(&bytes[r..]);
        Ok(set)
    }

    /// Places the grams of every table by `seed` as well as their hash
    /// (see [`NgramTable::set_placement_seed`]: results are the same for
    /// every seed, lookups in text built to collide are not slow with
    /// one its author does not know). Every table must be empty.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] if a table holds an entry.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// set.set_placement_seed(42)?;
    /// set.push(b"x", token_hash(b"x"));
    /// assert_eq!(set.table(1).unwrap().placement_seed(), 42);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn set_placement_seed(&mut self, seed: u32) -> Result<(), Error> {
        // Nothing is staged between public calls (see `staged`).
        debug_assert_eq!(self.staged, 0);
        for n in self.config.lo as usize..=self.config.hi as usize {
            if self.tables[n - 1].len != 0 {
                return Err(Error::config(
                    "placement seed set on a table in use",
                ));
            }
        }
        // All empty (checked above, so that no table changes on an
        // error): only where they will place entries changes.
        for n in self.config.lo as usize..=self.config.hi as usize {
            self.tables[n - 1].place_by(seed);
        }
        Ok(())
    }

    /// Forgets everything (the configuration stays).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// set.push(b"x", token_hash(b"x"));
    /// set.clear();
    /// assert_eq!(set.total(1), 0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn clear(&mut self) {
        self.seen = 0;
        self.staged = 0;
        for n in self.config.lo as usize..=self.config.hi as usize {
            let core = &mut self.tables[n - 1];
            let start = self.offsets[n - 1];
            let end = start + core.bytes();
            core.view_mut(&mut self.arena.as_mut()[start..end]).clear();
        }
        let p = self.config.precision;
        if p != 0 {
            let o = self.hll_offset;
            self.arena.as_mut()[o..o + (1 << p)].fill(0);
        }
    }
}

// For `Analyzer::copy_into` (analyzer/serial.rs): the whole state, the
// current document's window included, moved to another arena.
impl<A: AsRef<[u8]>> NgramSet<A> {
    /// A copy of this set in `arena`, which must hold at least the
    /// configuration's [`NgramConfig::bytes_needed`] bytes.
    pub(crate) fn copy_into<'b>(
        &self,
        arena: &'b mut [u8],
    ) -> NgramSet<&'b mut [u8]> {
        // What holds state, not the whole arena: a copy costs what the
        // tables hold, not what their capacity reserves (a Python
        // `report()` of two words at capacity 2^22 copied 1.3 GB).
        let from = self.arena.as_ref();
        let mut copy = |r: core::ops::Range<usize>| {
            arena[r.clone()].copy_from_slice(&from[r]);
        };
        copy(0..self.config.ring_len() * RING_SLOT);
        for n in self.config.lo as usize..=self.config.hi as usize {
            let start = self.offsets[n - 1];
            for r in self.tables[n - 1].state_ranges() {
                copy(start + r.start..start + r.end);
            }
        }
        let p = self.config.precision;
        if p != 0 {
            copy(self.hll_offset..self.hll_offset + (1 << p));
        }
        NgramSet {
            config: self.config,
            tables: self.tables,
            offsets: self.offsets,
            hll_offset: self.hll_offset,
            hashes: self.hashes,
            #[cfg(not(target_os = "none"))]
            grams: self.grams,
            starts: self.starts,
            tail: self.tail,
            newest: self.newest,
            seen: self.seen,
            staged: self.staged,
            arena,
        }
    }
}

#[cfg(test)]
mod tests;
