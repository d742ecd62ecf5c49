//! The one engine every interface drives: tokens, counts, n-grams, a
//! document signature and lexicon scores, in one pass and one arena.
//!
//! The CLI, the C library, the Python module and firmware all feed bytes
//! to an [`Analyzer`] and read the same accessors, so they print the same
//! numbers. Per token the analyzer computes
//! [`token_hash`] once and hands it to every
//! consumer:
//!
//! ```text
//! chunk ─► Tokenizer ─► Token ─┬─► Counts
//!                               ├─► NgramSet   (lo..=hi-grams, HyperLogLog)
//!                               ├─► Signature  (bottom-k MinHash, 3-grams)
//!                               └─► Matcher    (lexicon scores, negation)
//! ```
//!
//! ```
//! use textmeter::analyzer::{Analyzer, AnalyzerConfig};
//! use textmeter::lexicon::BuiltinLexicon;
//!
//! const CONFIG: AnalyzerConfig =
//!     AnalyzerConfig::new().with_ngram_capacity(1024);
//! let mut arena = vec![0u8; CONFIG.bytes_needed()]; // or a static array
//! let builtin = BuiltinLexicon::new();
//! let mut a = Analyzer::new(CONFIG, &mut arena, Some(builtin.lexicon()))?;
//! // Chunks may split anything, even a UTF-8 sequence.
//! a.update(b"They will not attack, Moscow sa");
//! a.update(b"id. Talks resume.");
//! a.finish(); // ends the document
//!
//! assert_eq!(a.counts().tokens, 8);
//! assert_eq!(a.ngrams().total(2), 7);
//! assert_eq!(a.types().unwrap().types(), 8);
//! let esc = a.scores().unwrap().get(b"escalation").unwrap();
//! assert_eq!((esc.hits(), esc.negated()), (1, 1));
//! assert_eq!(a.signature().unwrap().len(), 6); // 3-grams
//! # Ok::<(), textmeter::analyzer::AnalyzerError>(())
//! ```
//!
//! # Documents
//!
//! [`Analyzer::finish`] ends a document: no n-gram, signature 3-gram or
//! lexicon term spans it, and the next byte starts a new one. Results
//! accumulate over documents until [`Analyzer::reset`]; to report
//! documents one by one, use one analyzer per document (or `reset`
//! between them) and [`Analyzer::merge`] them into a total.
//!
//! # Memory
//!
//! Everything that grows with the configuration lives in one caller arena
//! of [`AnalyzerConfig::bytes_needed`] bytes (a `const fn`, so firmware can
//! size a static array), split into the n-gram set (which holds the
//! HyperLogLog) followed by the signature. The rest — tokenizer, counts,
//! lexicon matcher — is a fixed-size struct of about 6 KiB (7.5 KiB on a
//! host, which also keeps the staged grams' hashes). With the
//! defaults (1..=3-grams, 65,536 entries per `n`, k = 128) the arena is
//! about 21.2 MB; every count stays exact while each table holds at most
//! 65,536 distinct grams, and becomes a Space-Saving estimate beyond (see
//! [`crate::ngram`]).
//!
//! # Merging
//!
//! [`Analyzer::merge`] ends both sides' documents conceptually and adds
//! part by part: counts add, n-gram tables merge (exact while they fit),
//! HyperLogLog registers take the maximum, signatures keep the `k`
//! smallest hashes, lexicon tallies add. Merging two analyzers that each
//! saw whole documents gives exactly what one analyzer gives on the same
//! documents while the n-gram tables stay exact. Once they are not,
//! Space-Saving merges are not associative: to get the same numbers on
//! every run, merge in a fixed order (the CLI merges per-document
//! analyzers in path order). [`Analyzer::split_mut`] borrows a total as
//! independent parts — one per n-gram table and the rest — that take the
//! same merges in the same order, each on its own thread if need be.
//!
//! # Serialisation
//!
//! [`Analyzer::serialize_into`] writes the results at a document boundary
//! (counts, n-gram set, signature, lexicon tallies, configuration) in a
//! versioned little-endian format, `TMAZ` v1; [`Analyzer::deserialize`]
//! restores them into another arena, in any process, ready to merge or
//! to carry on. The lexicon is referenced by a fingerprint, not stored.

mod parts;
mod serial;
#[cfg(test)]
mod tests;

use core::fmt;

use parts::check_mergeable;
pub use parts::{AnalyzerParts, AnalyzerRest, AnalyzerTable, AnalyzerTables};

use crate::counts::{capped_add, Counts};
use crate::hash::token_hash;
use crate::lexicon::{Lexicon, Matcher, Scores};
use crate::ngram::{self, NgramConfig, NgramSet, Types};
use crate::signature::Signature;
use crate::tokenize::{
    TextStats, Token, Tokenizer, TokenizerConfig, MAX_TOKEN_LEN,
};

/// Default number of signature hashes (`k`); 0 turns signatures off.
pub const DEFAULT_SIGNATURE_K: usize = crate::signature::DEFAULT_K;

/// Configuration of an [`Analyzer`]: `Copy`, built with `const fn`
/// setters so it can size a static arena.
///
/// ```
/// use textmeter::analyzer::AnalyzerConfig;
/// use textmeter::ngram::NgramConfig;
///
/// const CFG: AnalyzerConfig = AnalyzerConfig::new()
///     .with_ngrams(NgramConfig::new(1, 2).with_capacity(4096))
///     .with_signature_k(64)
///     .with_negation(false)
///     .with_fold_case(false);
/// static_arena_size(CFG.bytes_needed());
/// fn static_arena_size(n: usize) { assert!(n > 4096 * 32); }
/// assert!(!CFG.negation());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnalyzerConfig {
    tokenizer: TokenizerConfig,
    ngrams: NgramConfig,
    signature_k: usize,
    negation: bool,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl AnalyzerConfig {
    /// The defaults: the default [`TokenizerConfig`] (case and apostrophes
    /// folded, tokens kept up to 64 bytes), 1..=3-grams with
    /// [`ngram::DEFAULT_CAPACITY`] (65,536) entries per `n` and HyperLogLog
    /// precision 12, signatures of [`DEFAULT_SIGNATURE_K`] (128) hashes,
    /// lexicon negation on.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// let c = AnalyzerConfig::new();
    /// assert_eq!((c.ngrams().lo(), c.ngrams().hi()), (1, 3));
    /// assert_eq!(c.signature_k(), 128);
    /// assert!(c.negation() && c.tokenizer().fold_case);
    /// ```
    pub const fn new() -> Self {
        AnalyzerConfig {
            tokenizer: TokenizerConfig {
                fold_case: true,
                fold_apostrophes: true,
                max_token_len: 64,
            },
            ngrams: NgramConfig::new(1, 3),
            signature_k: DEFAULT_SIGNATURE_K,
            negation: true,
        }
    }

    /// Sets the tokenizer configuration (a lexicon given to the analyzer
    /// must have been compiled with the same one).
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// # use textmeter::tokenize::TokenizerConfig;
    /// let t = TokenizerConfig { max_token_len: 32, ..Default::default() };
    /// assert_eq!(AnalyzerConfig::new().with_tokenizer(t).tokenizer(), t);
    /// ```
    pub const fn with_tokenizer(mut self, tokenizer: TokenizerConfig) -> Self {
        self.tokenizer = tokenizer;
        self
    }

    /// Sets whether tokens are lowercased (the tokenizer's `fold_case`).
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// let c = AnalyzerConfig::new().with_fold_case(false);
    /// assert!(!c.tokenizer().fold_case);
    /// ```
    pub const fn with_fold_case(mut self, fold: bool) -> Self {
        self.tokenizer.fold_case = fold;
        self
    }

    /// Sets the n-gram range, capacities and HyperLogLog precision.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// # use textmeter::ngram::NgramConfig;
    /// let c = AnalyzerConfig::new().with_ngrams(NgramConfig::new(2, 2));
    /// assert_eq!(c.ngrams().lo(), 2);
    /// ```
    pub const fn with_ngrams(mut self, ngrams: NgramConfig) -> Self {
        self.ngrams = ngrams;
        self
    }

    /// Sets the capacity (entries) of every n-gram table; a shortcut for
    /// [`NgramConfig::with_capacity`].
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// let c = AnalyzerConfig::new().with_ngram_capacity(100);
    /// assert_eq!(c.ngrams().table(3).capacity(), 100);
    /// ```
    pub const fn with_ngram_capacity(mut self, capacity: u32) -> Self {
        self.ngrams = self.ngrams.with_capacity(capacity);
        self
    }

    /// Sets the number of signature hashes; 0 turns signatures off.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// assert_eq!(AnalyzerConfig::new().with_signature_k(0).signature_k(), 0);
    /// ```
    pub const fn with_signature_k(mut self, k: usize) -> Self {
        self.signature_k = k;
        self
    }

    /// Sets whether lexicon negation applies (it also needs a lexicon
    /// whose window and factor are not 0; see
    /// [`Matcher::set_negation`]).
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// assert!(!AnalyzerConfig::new().with_negation(false).negation());
    /// ```
    pub const fn with_negation(mut self, on: bool) -> Self {
        self.negation = on;
        self
    }

    /// The tokenizer configuration.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// assert_eq!(AnalyzerConfig::new().tokenizer().max_token_len, 64);
    /// ```
    pub const fn tokenizer(&self) -> TokenizerConfig {
        self.tokenizer
    }

    /// The n-gram configuration.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// assert_eq!(AnalyzerConfig::new().ngrams().hi(), 3);
    /// ```
    pub const fn ngrams(&self) -> NgramConfig {
        self.ngrams
    }

    /// The number of signature hashes (0: off).
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// assert_eq!(AnalyzerConfig::new().signature_k(), 128);
    /// ```
    pub const fn signature_k(&self) -> usize {
        self.signature_k
    }

    /// Whether lexicon negation is asked for.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// assert!(AnalyzerConfig::new().negation());
    /// ```
    pub const fn negation(&self) -> bool {
        self.negation
    }

    /// Checks the configuration and returns the arena bytes it needs.
    ///
    /// # Errors
    /// [`AnalyzerErrorKind::InvalidConfig`] when `max_token_len` is not in
    /// 1..=255, or the n-gram configuration is invalid.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// # use textmeter::ngram::NgramConfig;
    /// let bad = AnalyzerConfig::new().with_ngrams(NgramConfig::new(0, 3));
    /// assert!(bad.try_bytes_needed().is_err());
    /// assert!(AnalyzerConfig::new().try_bytes_needed().is_ok());
    /// ```
    pub const fn try_bytes_needed(&self) -> Result<usize, AnalyzerError> {
        let t = self.tokenizer.max_token_len;
        if t == 0 || t > MAX_TOKEN_LEN {
            return Err(AnalyzerError::config("max_token_len out of range"));
        }
        let ngrams = match self.ngrams.try_bytes_needed() {
            Ok(n) => n,
            Err(e) => return Err(AnalyzerError::ngram(e)),
        };
        let sig = Signature::bytes_needed(self.signature_k);
        match ngrams.checked_add(sig) {
            Some(n) => Ok(n),
            None => Err(AnalyzerError::config("arena size overflows usize")),
        }
    }

    /// The arena bytes this configuration needs: the n-gram set's
    /// [`NgramConfig::bytes_needed`] plus `8 k` for the signature.
    ///
    /// # Panics
    /// When the configuration is invalid (see
    /// [`try_bytes_needed`](Self::try_bytes_needed)); in a `const` this is
    /// a compile-time error.
    ///
    /// ```
    /// # use textmeter::analyzer::AnalyzerConfig;
    /// # use textmeter::ngram::NgramConfig;
    /// const C: AnalyzerConfig = AnalyzerConfig::new()
    ///     .with_ngrams(NgramConfig::new(1, 1).with_capacity(10))
    ///     .with_signature_k(2);
    /// static ARENA_LEN: usize = C.bytes_needed();
    /// assert_eq!(ARENA_LEN, C.ngrams().bytes_needed() + 16);
    /// ```
    pub const fn bytes_needed(&self) -> usize {
        match self.try_bytes_needed() {
            Ok(n) => n,
            Err(_) => panic!("invalid analyzer configuration"),
        }
    }
}

/// What went wrong; returned by [`AnalyzerError::kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AnalyzerErrorKind {
    /// The configuration is invalid.
    InvalidConfig,
    /// The arena is smaller than [`AnalyzerConfig::bytes_needed`].
    ArenaTooSmall,
    /// The lexicon was compiled with another tokenizer configuration, so
    /// its terms would not match the analyzer's tokens.
    LexiconMismatch,
    /// [`Analyzer::merge`] of analyzers with different configurations or
    /// lexicons.
    ConfigMismatch,
    /// [`Analyzer::deserialize`] was given bytes that are not a valid
    /// serialised analyzer state.
    Corrupt,
    /// [`Analyzer::serialize_into`] was given a buffer shorter than
    /// [`Analyzer::serialized_len`].
    BufferTooSmall,
    /// [`Analyzer::merge`] of an analyzer that still holds undecided text
    /// ([`Analyzer::has_undecided`]): what it holds would be left out.
    Unfinished,
}

/// An error from [`Analyzer`] or [`AnalyzerConfig`].
///
/// ```
/// use textmeter::analyzer::{Analyzer, AnalyzerConfig, AnalyzerErrorKind};
/// let mut small = [0u8; 100];
/// let err = Analyzer::new(AnalyzerConfig::new(), &mut small, None)
///     .unwrap_err();
/// assert_eq!(err.kind(), AnalyzerErrorKind::ArenaTooSmall);
/// assert_eq!(err.given(), 100);
/// assert_eq!(err.needed(), AnalyzerConfig::new().bytes_needed());
/// assert!(err.to_string().starts_with("arena too small: "));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AnalyzerError {
    kind: AnalyzerErrorKind,
    what: &'static str,
    needed: usize,
    given: usize,
    ngram: Option<ngram::Error>,
}

impl AnalyzerError {
    const fn new(kind: AnalyzerErrorKind, what: &'static str) -> Self {
        AnalyzerError { kind, what, needed: 0, given: 0, ngram: None }
    }

    pub(crate) const fn config(what: &'static str) -> Self {
        Self::new(AnalyzerErrorKind::InvalidConfig, what)
    }

    pub(crate) const fn ngram(e: ngram::Error) -> Self {
        let mut err = Self::new(AnalyzerErrorKind::InvalidConfig, "");
        err.ngram = Some(e);
        err
    }

    pub(crate) const fn arena(needed: usize, given: usize) -> Self {
        let mut err = Self::new(AnalyzerErrorKind::ArenaTooSmall, "");
        err.needed = needed;
        err.given = given;
        err
    }

    pub(crate) const fn mismatch(what: &'static str) -> Self {
        Self::new(AnalyzerErrorKind::ConfigMismatch, what)
    }

    pub(crate) const fn unfinished() -> Self {
        Self::new(
            AnalyzerErrorKind::Unfinished,
            "the other analyzer holds undecided text",
        )
    }

    /// The kind of failure.
    ///
    /// ```
    /// # use textmeter::analyzer::{AnalyzerConfig, AnalyzerErrorKind};
    /// # use textmeter::ngram::NgramConfig;
    /// let c = AnalyzerConfig::new().with_ngrams(NgramConfig::new(3, 1));
    /// let e = c.try_bytes_needed().unwrap_err();
    /// assert_eq!(e.kind(), AnalyzerErrorKind::InvalidConfig);
    /// ```
    pub const fn kind(&self) -> AnalyzerErrorKind {
        self.kind
    }

    /// Bytes needed ([`AnalyzerErrorKind::ArenaTooSmall`]; else 0).
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let e = Analyzer::new(AnalyzerConfig::new(), &mut [], None)
    ///     .unwrap_err();
    /// assert!(e.needed() > 0);
    /// ```
    pub const fn needed(&self) -> usize {
        self.needed
    }

    /// Bytes given ([`AnalyzerErrorKind::ArenaTooSmall`]; else 0).
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let e = Analyzer::new(AnalyzerConfig::new(), &mut [0; 7], None)
    ///     .unwrap_err();
    /// assert_eq!(e.given(), 7);
    /// ```
    pub const fn given(&self) -> usize {
        self.given
    }
}

impl fmt::Display for AnalyzerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AnalyzerErrorKind::InvalidConfig => match self.ngram {
                Some(e) => write!(f, "{e}"),
                None => write!(f, "invalid configuration: {}", self.what),
            },
            AnalyzerErrorKind::ArenaTooSmall => write!(
                f,
                "arena too small: {} bytes needed, {} given",
                self.needed, self.given
            ),
            AnalyzerErrorKind::LexiconMismatch => f.write_str(
                "lexicon was compiled with another tokenizer configuration",
            ),
            AnalyzerErrorKind::ConfigMismatch => {
                write!(f, "cannot merge: {}", self.what)
            }
            AnalyzerErrorKind::Corrupt => match self.ngram {
                Some(e) => {
                    write!(f, "corrupt analyzer state: {}: {e}", self.what)
                }
                None => write!(f, "corrupt analyzer state: {}", self.what),
            },
            AnalyzerErrorKind::BufferTooSmall => write!(
                f,
                "buffer too small: {} bytes needed, {} given",
                self.needed, self.given
            ),
            AnalyzerErrorKind::Unfinished => write!(
                f,
                "cannot merge: {} (finish its document first)",
                self.what
            ),
        }
    }
}

impl core::error::Error for AnalyzerError {}

/// Streaming text statistics over one caller arena: see the
/// [module docs](self).
///
/// `'a` is the arena, `'l` the lexicon's compiled memory.
#[derive(Debug)]
pub struct Analyzer<'a, 'l> {
    config: AnalyzerConfig,
    tokenizer: Tokenizer,
    /// Token fields, plus the byte fields of merged analyzers (this
    /// analyzer's own come from the tokenizer's statistics).
    counts: Counts,
    ngrams: NgramSet<&'a mut [u8]>,
    signature: Option<Signature<&'a mut [u8]>>,
    matcher: Option<Matcher<'l>>,
}

/// The per-token work, on the fields `update` and `finish` split out of
/// the analyzer (the tokenizer holds the other mutable borrow).
#[inline]
fn sink(
    counts: &mut Counts,
    ngrams: &mut NgramSet<&mut [u8]>,
    signature: &mut Option<Signature<&mut [u8]>>,
    matcher: &mut Option<Matcher<'_>>,
    token: &Token<'_>,
) {
    let norm = token.norm();
    let hash = token_hash(norm);
    counts.add_token(token);
    // Counted a few tokens later (the set prefetches their slots now);
    // `update` and `finish` count what is still staged before returning.
    ngrams.stage(norm, hash);
    if let Some(s) = signature {
        s.push_known(hash, ngrams.newest_gram_hash(3));
    }
    if let Some(m) = matcher {
        m.push(norm, hash, token.after_clause_break());
    }
}

impl<'a, 'l> Analyzer<'a, 'l> {
    /// An empty analyzer whose tables live in `arena` (at least
    /// [`AnalyzerConfig::bytes_needed`] bytes; extra bytes are unused),
    /// scoring with `lexicon` if one is given.
    ///
    /// # Errors
    /// [`AnalyzerErrorKind::InvalidConfig`],
    /// [`AnalyzerErrorKind::ArenaTooSmall`] (with the bytes needed and
    /// given), or [`AnalyzerErrorKind::LexiconMismatch`] when the lexicon
    /// was compiled with another [`TokenizerConfig`].
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig, AnalyzerErrorKind};
    /// # use textmeter::lexicon::BuiltinLexicon;
    /// let builtin = BuiltinLexicon::new(); // compiled with fold_case on
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(8).with_fold_case(false);
    /// let mut mem = vec![0u8; cfg.bytes_needed()];
    /// let err = Analyzer::new(cfg, &mut mem, Some(builtin.lexicon())).unwrap_err();
    /// assert_eq!(err.kind(), AnalyzerErrorKind::LexiconMismatch);
    /// ```
    pub fn new(
        config: AnalyzerConfig,
        arena: &'a mut [u8],
        lexicon: Option<Lexicon<'l>>,
    ) -> Result<Self, AnalyzerError> {
        let need = config.try_bytes_needed()?;
        if arena.len() < need {
            return Err(AnalyzerError::arena(need, arena.len()));
        }
        if let Some(lex) = &lexicon {
            if lex.tokenizer_config() != config.tokenizer {
                return Err(AnalyzerError::new(
                    AnalyzerErrorKind::LexiconMismatch,
                    "",
                ));
            }
        }
        let tokenizer = match Tokenizer::try_new(config.tokenizer) {
            Ok(t) => t,
            Err(_) => {
                return Err(AnalyzerError::config(
                    "max_token_len out of range",
                ))
            }
        };
        let (set_mem, rest) = arena.split_at_mut(config.ngrams.bytes_needed());
        let ngrams = NgramSet::new(set_mem, config.ngrams)
            .map_err(AnalyzerError::ngram)?;
        let signature = match config.signature_k {
            0 => None,
            k => {
                let (sig_mem, _) =
                    rest.split_at_mut(Signature::bytes_needed(k));
                Some(
                    Signature::new(sig_mem, k)
                        .map_err(AnalyzerError::ngram)?,
                )
            }
        };
        let matcher = lexicon.map(|lex| {
            let mut m = Matcher::new(lex);
            m.set_negation(config.negation);
            m
        });
        Ok(Analyzer {
            config,
            tokenizer,
            counts: Counts::default(),
            ngrams,
            signature,
            matcher,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// The lexicon scoring this analyzer's tokens, if any.
    pub fn lexicon(&self) -> Option<Lexicon<'l>> {
        self.matcher.as_ref().map(Matcher::lexicon)
    }

    /// Feeds the next chunk of the current document (any size, split
    /// anywhere).
    pub fn update(&mut self, chunk: &[u8]) {
        let Analyzer { tokenizer, counts, ngrams, signature, matcher, .. } =
            self;
        tokenizer.feed(chunk, |t| sink(counts, ngrams, signature, matcher, t));
        ngrams.count_staged();
    }

    /// Ends the current document: flushes the tokenizer, and starts new
    /// n-gram, signature and lexicon windows. Results are kept.
    pub fn finish(&mut self) {
        let Analyzer { tokenizer, counts, ngrams, signature, matcher, .. } =
            self;
        tokenizer.finish(|t| sink(counts, ngrams, signature, matcher, t));
        ngrams.end_document();
        if let Some(s) = signature {
            s.end_document();
        }
        if let Some(m) = matcher {
            m.finish();
        }
    }

    /// [`new`](Self::new), with the n-grams placed by
    /// [`process_placement_seed`](crate::ngram::process_placement_seed),
    /// as the CLI, the C library and the Python package make every
    /// analyzer: text built to collide in the tables is not slow to count,
    /// and the results are those of `new`.
    ///
    /// # Errors
    /// Those of [`new`](Self::new).
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    /// let mut mem = vec![0; cfg.bytes_needed()];
    /// let a = Analyzer::new_seeded(cfg, &mut mem, None)?;
    /// let seed = a.ngrams().table(1).unwrap().placement_seed();
    /// assert_eq!(seed, textmeter::ngram::process_placement_seed());
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn new_seeded(
        config: AnalyzerConfig,
        arena: &'a mut [u8],
        lexicon: Option<Lexicon<'l>>,
    ) -> Result<Self, AnalyzerError> {
        let mut a = Analyzer::new(config, arena, lexicon)?;
        a.set_placement_seed(crate::ngram::process_placement_seed())?;
        Ok(a)
    }

    /// Places n-grams in the tables by `seed` as well as their hash, so
    /// that text built to collide in them (the hash seed is fixed and
    /// documented) is not slow to count: see
    /// [`NgramTable::set_placement_seed`](crate::ngram::NgramTable::set_placement_seed).
    /// Results are the same for every seed. Call it before the first
    /// update; [`reset`](Self::reset) keeps it.
    ///
    /// # Errors
    /// [`AnalyzerErrorKind::InvalidConfig`] once a table holds an entry.
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    /// let (mut m1, mut m2) = (vec![0; cfg.bytes_needed()], vec![0; cfg.bytes_needed()]);
    /// let mut a = Analyzer::new(cfg, &mut m1, None)?;
    /// let mut b = Analyzer::new(cfg, &mut m2, None)?;
    /// b.set_placement_seed(0x5eed)?;
    /// for x in [&mut a, &mut b] {
    ///     x.update(b"peace talks, peace now");
    ///     x.finish();
    /// }
    /// let top = |x: &Analyzer| x.ngrams().table(1).unwrap().entries()
    ///     .map(|e| (e.hash(), e.count())).max();
    /// assert_eq!(top(&a), top(&b));
    /// assert!(b.set_placement_seed(1).is_err());
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    pub fn set_placement_seed(
        &mut self,
        seed: u32,
    ) -> Result<(), AnalyzerError> {
        self.ngrams.set_placement_seed(seed).map_err(AnalyzerError::ngram)
    }

    /// Forgets everything (the configuration, arena and lexicon stay).
    pub fn reset(&mut self) {
        self.tokenizer.reset();
        self.counts = Counts::default();
        self.ngrams.clear();
        if let Some(s) = &mut self.signature {
            s.clear();
        }
        if let Some(m) = &mut self.matcher {
            m.reset();
            m.set_negation(self.config.negation);
        }
    }

    /// Adds `other`'s results to this analyzer's, part by part (see the
    /// [module docs](self#merging)). Ends this analyzer's current
    /// document first, as [`finish`](Self::finish) does.
    ///
    /// # Errors
    /// [`AnalyzerErrorKind::ConfigMismatch`] when the configurations or
    /// lexicons differ; [`AnalyzerErrorKind::Unfinished`] when `other`
    /// [holds undecided text](Self::has_undecided) (call its `finish`
    /// first: what it holds would be left out). `self` is then unchanged.
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    /// let (mut m1, mut m2) = (vec![0; cfg.bytes_needed()], vec![0; cfg.bytes_needed()]);
    /// let mut a = Analyzer::new(cfg, &mut m1, None)?;
    /// let mut b = Analyzer::new(cfg, &mut m2, None)?;
    /// a.update(b"peace talks");
    /// b.update(b"peace now");
    /// b.finish();
    /// a.merge(&b)?;
    /// assert_eq!(a.counts().tokens, 4);
    /// assert_eq!(a.counts().bytes, 20);
    /// assert_eq!(a.ngrams().total(2), 2); // no bigram spans documents
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    pub fn merge(
        &mut self,
        other: &Analyzer<'_, '_>,
    ) -> Result<(), AnalyzerError> {
        // Checked once, before any part changes.
        check_mergeable(self.config, self.matcher.as_ref(), other)?;
        let parts = self.split_mut();
        for mut table in parts.tables {
            table.merge(other)?;
        }
        let mut rest = parts.rest;
        rest.merge_checked(other)
    }

    /// Whether this analyzer holds text whose tokens or terms are not
    /// decided yet: a token or character the next chunk may continue (the
    /// text ends inside a word or a UTF-8 sequence), or tokens the lexicon
    /// holds back because the next one may complete a term. Its counts,
    /// n-grams and scores do not include them until more text or
    /// [`finish`](Self::finish) decides them, so [`merge`](Self::merge)
    /// refuses it.
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    /// let mut mem = vec![0; cfg.bytes_needed()];
    /// let mut a = Analyzer::new(cfg, &mut mem, None)?;
    /// a.update(b"peace tal");
    /// assert!(a.has_undecided()); // `tal` may go on
    /// a.update(b"ks ");
    /// assert!(!a.has_undecided());
    /// a.update(b"\xe2\x80");
    /// assert!(a.has_undecided()); // a character cut in two
    /// a.finish();
    /// assert!(!a.has_undecided());
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    pub fn has_undecided(&self) -> bool {
        self.tokenizer.has_undecided()
            || self.matcher.as_ref().is_some_and(Matcher::holds_back)
    }

    /// Counts over everything fed (all documents, merged ones included).
    /// `bytes` and `lines` include the bytes of a token not yet decided;
    /// the token fields count it after the next chunk or
    /// [`finish`](Self::finish), and `chars` and `invalid_bytes` a
    /// character cut by the last chunk's end (so no field goes down as
    /// more text comes).
    pub fn counts(&self) -> Counts {
        let mut c = self.counts;
        let s: TextStats = self.tokenizer.stats();
        // Merged counts may stand at the limit: the text this analyzer
        // read itself stops there too, as a merge would (a saved state
        // above it is refused).
        c.bytes = capped_add(c.bytes, s.bytes);
        c.chars = capped_add(c.chars, s.chars);
        c.lines = capped_add(c.lines, s.lines);
        c.invalid_bytes = capped_add(c.invalid_bytes, s.invalid_bytes);
        c
    }

    /// The n-gram tables (and HyperLogLog): see [`NgramSet`].
    pub fn ngrams(&self) -> &NgramSet<&'a mut [u8]> {
        &self.ngrams
    }

    /// The bottom-k MinHash signature over the token 3-grams; `None` when
    /// the configuration's `k` is 0.
    pub fn signature(&self) -> Option<&Signature<&'a mut [u8]>> {
        self.signature.as_ref()
    }

    /// Estimated Jaccard similarity of the two analyzers' 3-gram sets
    /// ([`Signature::jaccard`]); `None` when either has no signature.
    pub fn similarity(&self, other: &Analyzer<'_, '_>) -> Option<f64> {
        Some(self.signature.as_ref()?.jaccard(other.signature.as_ref()?))
    }

    /// Lexicon scores (call [`finish`](Self::finish) first for final
    /// ones); `None` without a lexicon. Rates are per token counted.
    pub fn scores(&self) -> Option<Scores<'_, 'l>> {
        self.matcher.as_ref().map(Matcher::scores)
    }

    /// Distinct token types: exact from the unigram table while it is
    /// exact, else the HyperLogLog estimate (see [`NgramSet::types`]);
    /// `None` when the n-gram range starts above 1 and the HyperLogLog is
    /// off.
    pub fn types(&self) -> Option<Types> {
        self.ngrams.types()
    }
}
