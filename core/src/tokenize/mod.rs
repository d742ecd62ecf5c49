//! Streaming, allocation-free UAX #29 word tokenizer.
//!
//! Bytes go in as chunks of any size, split anywhere — inside a UTF-8
//! sequence, inside a word, between `Russia` and `’s` — and the tokens that
//! come out are the same for every split. A *token* is a UAX #29 word
//! segment that contains at least one alphabetic or numeric character (what
//! unicode-segmentation calls `unicode_words`): `Russia’s`, `130,000`, `U.S`
//! and `can't` are single tokens, `e-mail` is two.
//!
//! ```
//! use textmeter::tokenize::{Tokenizer, TokenizerConfig};
//!
//! let mut tokenizer = Tokenizer::new(TokenizerConfig::default());
//! let mut seen = Vec::new();
//! for chunk in [&b"Russia\xe2\x80"[..], b"\x99s troops, 130,0", b"00 strong."] {
//!     tokenizer.feed(chunk, |t| seen.push(t.to_str().unwrap().to_owned()));
//! }
//! tokenizer.finish(|t| seen.push(t.to_str().unwrap().to_owned()));
//! assert_eq!(seen, ["russia's", "troops", "130,000", "strong"]);
//! ```
//!
//! # How it works
//! One state machine implements the word-boundary rules over code points
//! (`segment.rs`), keeping just enough state to resume at the next chunk: a
//! partial UTF-8 sequence, the last two non-ignored properties, and — for
//! `letter ' ?` and `digit , ?` — a pending decision that the next
//! character resolves. Pure-ASCII stretches take a fast path that scans a
//! whole word or a whole run of separators with one table lookup per byte
//! and hands over to the machine, in an equivalent state, around anything
//! it cannot decide locally (non-ASCII bytes, a joiner at a chunk end).
//! Tests check the fast path against the machine alone on arbitrary input.
//!
//! Invalid UTF-8: each maximal invalid subsequence counts as one U+FFFD
//! character and is a hard break — never part of a token, and combining
//! marks after it do not attach to it.

mod ascii;
mod block;
mod normalize;
mod props;
mod segment;
mod tables;
mod utf8;

#[cfg(test)]
mod tests;

/// Shared fixtures for tests elsewhere in the crate.
#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) use super::tests::SEEDS;
}

use ascii::CLASS;
use normalize::{is_clause_punct, normalize};
use props::{class_of, Class, Prop, ALPHA, EXT_PICT, LOWER_DIFFERS, NUMERIC};
use segment::{
    decide, Decision, Need, Segment, NO_POS, SEG_ALPHA, SEG_CLAUSE,
    SEG_NUMERIC,
};
use utf8::{decode, Decoded};

/// The Unicode version of the Word_Break data the tokenizer implements
/// (alphabetic, numeric and lowercase follow the compiler's `char`
/// methods).
pub const UNICODE_VERSION: (u8, u8, u8) = tables::UNICODE_VERSION;

/// The largest `max_token_len` a tokenizer accepts, in bytes.
pub const MAX_TOKEN_LEN: usize = 255;

/// How tokens are normalised. `Copy`, compared by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenizerConfig {
    /// Lowercase each character with `char::to_lowercase` (default on).
    pub fold_case: bool,
    /// Map U+2019, U+02BC and U+FF07 to `'` (default on).
    pub fold_apostrophes: bool,
    /// Normalised bytes kept per token, 1..=[`MAX_TOKEN_LEN`] (default 64).
    /// Longer tokens are still counted once, keyed by their form truncated
    /// at a character boundary, and reported as truncated.
    pub max_token_len: usize,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        TokenizerConfig {
            fold_case: true,
            fold_apostrophes: true,
            max_token_len: 64,
        }
    }
}

impl TokenizerConfig {
    /// Checks that the configuration is usable.
    ///
    /// ```
    /// use textmeter::tokenize::TokenizerConfig;
    /// let bad = TokenizerConfig { max_token_len: 0, ..Default::default() };
    /// assert!(bad.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_token_len == 0 || self.max_token_len > MAX_TOKEN_LEN {
            return Err(ConfigError { max_token_len: self.max_token_len });
        }
        Ok(())
    }
}

/// A [`TokenizerConfig`] that cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigError {
    max_token_len: usize,
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "max_token_len must be between 1 and {MAX_TOKEN_LEN}, got {}",
            self.max_token_len
        )
    }
}

impl core::error::Error for ConfigError {}

/// Whether a token is a word or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Contains at least one alphabetic character.
    Word,
    /// Contains numeric characters and no alphabetic one.
    Number,
}

/// One token, borrowed from the tokenizer for the duration of a callback.
#[derive(Clone, Copy, Debug)]
pub struct Token<'a> {
    norm: &'a [u8],
    raw: Option<&'a [u8]>,
    full_len: usize,
    kind: TokenKind,
    after_clause_break: bool,
}

impl<'a> Token<'a> {
    /// The normalised bytes: valid UTF-8, at most `max_token_len` bytes.
    #[inline]
    pub fn norm(&self) -> &'a [u8] {
        self.norm
    }

    /// The normalised form as `&str` (it is always valid UTF-8; the check
    /// is the price of `forbid(unsafe_code)`).
    pub fn to_str(&self) -> Result<&'a str, core::str::Utf8Error> {
        core::str::from_utf8(self.norm)
    }

    /// The original bytes of the token, when the whole token lies inside the
    /// chunk being fed (always so for one-shot calls).
    #[inline]
    pub fn raw(&self) -> Option<&'a [u8]> {
        self.raw
    }

    /// Word or number.
    #[inline]
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The length of the whole normalised form, before truncation.
    #[inline]
    pub fn full_len(&self) -> usize {
        self.full_len
    }

    /// True when [`norm`](Self::norm) was cut to `max_token_len`.
    #[inline]
    pub fn is_truncated(&self) -> bool {
        self.full_len > self.norm.len()
    }

    /// True when sentence or clause punctuation (`. ! ? ; :` and their
    /// fullwidth, ideographic, Arabic, Devanagari and Greek counterparts, and
    /// `…`) stands between the previous token and this one.
    #[inline]
    pub fn after_clause_break(&self) -> bool {
        self.after_clause_break
    }
}

/// Byte-level statistics of everything fed so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TextStats {
    /// Bytes fed.
    pub bytes: u64,
    /// Unicode scalar values, each maximal invalid subsequence counting one.
    pub chars: u64,
    /// `\n` bytes (as `wc -l`).
    pub lines: u64,
    /// Bytes in invalid UTF-8 subsequences.
    pub invalid_bytes: u64,
}

/// Where tokens go. Every sink takes tokens one by one; a sink that only
/// counts them may also take the words of a whole ASCII block at once,
/// which lets the fast path count without building each token.
pub(crate) trait Sink {
    /// One token.
    fn token(&mut self, token: &Token<'_>);
    /// The counts to add block totals to, for sinks that only count. The
    /// clause flag is not maintained across blocks counted this way.
    #[inline(always)]
    fn counts(&mut self) -> Option<&mut crate::counts::Counts> {
        None
    }
}

/// Adapts a closure to [`Sink`].
struct Each<'f, F>(&'f mut F);

impl<F: FnMut(&Token<'_>)> Sink for Each<'_, F> {
    #[inline(always)]
    fn token(&mut self, token: &Token<'_>) {
        (self.0)(token)
    }
}

/// A streaming tokenizer: fixed-size state, no allocation.
///
/// Feed chunks with [`feed`](Self::feed) and end the text with
/// [`finish`](Self::finish) (or give the last chunk to
/// [`feed_last`](Self::feed_last)); tokens are handed to a callback as they
/// are decided. A token is reported once the character after it is seen,
/// so tokens can arrive during the next call.
///
/// Its size is at most 680 bytes (two [`MAX_TOKEN_LEN`] buffers for the
/// segment being built and a tentative one after `letter '`, plus a few
/// words): see the `size_of` test.
#[derive(Clone, Debug)]
pub struct Tokenizer {
    config: TokenizerConfig,
    /// The segment being built.
    seg: Segment,
    /// After a pending joiner (`Decision::Maybe`): the joiner and what
    /// attached to it.
    tent: Segment,
    pending: Option<Need>,
    /// Last two non-ignored properties (WB4) and the raw previous one.
    last: Prop,
    last2: Prop,
    last_raw: Prop,
    ri_odd: bool,
    /// Clause punctuation seen since the last token.
    clause: bool,
    carry: [u8; 4],
    carry_len: usize,
    stats: TextStats,
    /// Bytes that did not start a character (continuations, and all but
    /// the first byte of invalid subsequences): chars = bytes - extra.
    extra: u64,
    /// The last run of code points looked up (`run_lo + k` for k <
    /// `run_len` has class `run_class`): consecutive characters of one
    /// script skip the table search.
    run_lo: u32,
    run_len: u32,
    run_class: Class,
    /// The run looked up before that: text that alternates between two
    /// runs (Han and fullwidth punctuation, box drawing and spaces) hits
    /// one of the two.
    prev_run_lo: u32,
    prev_run_len: u32,
    prev_run_class: Class,
    /// The block path stays off before this offset of the current chunk:
    /// it found a non-ASCII byte there that stops it, so trying again
    /// before would classify the same bytes for nothing.
    block_off_until: usize,
    /// Tests only: run the general machine alone (the fast path's oracle),
    /// and with `all_segments`, report every segment as a token.
    #[cfg(test)]
    pub(crate) slow_only: bool,
    #[cfg(test)]
    pub(crate) all_segments: bool,
}

impl Tokenizer {
    /// Creates a tokenizer.
    ///
    /// # Panics
    /// When `config` fails [`TokenizerConfig::validate`]; use
    /// [`try_new`](Self::try_new) for configurations from users.
    pub fn new(config: TokenizerConfig) -> Tokenizer {
        match Self::try_new(config) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    /// Creates a tokenizer, or says why the configuration is unusable.
    pub fn try_new(config: TokenizerConfig) -> Result<Tokenizer, ConfigError> {
        config.validate()?;
        Ok(Tokenizer {
            config,
            seg: Segment::new(),
            tent: Segment::new(),
            pending: None,
            last: Prop::Sot,
            last2: Prop::Sot,
            last_raw: Prop::Sot,
            ri_odd: false,
            clause: false,
            carry: [0; 4],
            carry_len: 0,
            stats: TextStats::default(),
            extra: 0,
            run_lo: 0,
            run_len: 0,
            run_class: Class(0),
            prev_run_lo: 0,
            prev_run_len: 0,
            prev_run_class: Class(0),
            block_off_until: 0,
            #[cfg(test)]
            slow_only: false,
            #[cfg(test)]
            all_segments: false,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &TokenizerConfig {
        &self.config
    }

    /// Whether the text fed so far ends undecided: inside a token the next
    /// chunk may continue (or join, as `can` + `'t`), or inside a UTF-8
    /// sequence. [`finish`](Self::finish) decides it.
    ///
    /// ```
    /// use textmeter::tokenize::{Tokenizer, TokenizerConfig};
    /// let mut t = Tokenizer::new(TokenizerConfig::default());
    /// t.feed(b"one tw", |_| {});
    /// assert!(t.has_undecided());
    /// t.feed(b"o, ", |_| {});
    /// assert!(!t.has_undecided());
    /// ```
    pub fn has_undecided(&self) -> bool {
        self.carry_len != 0
            || self.pending.is_some()
            || self.tent.len != 0
            || self.seg.is_token()
    }

    /// Statistics of the bytes fed since creation or [`reset`](Self::reset).
    /// A character cut by the end of the last chunk is not counted in
    /// `chars` (nor in `invalid_bytes`) until the next chunk or
    /// [`finish`](Self::finish) decides what it is, so `chars` never goes
    /// down as more text comes.
    pub fn stats(&self) -> TextStats {
        let chars = self.stats.bytes - self.extra - self.carry_len as u64;
        TextStats { chars, ..self.stats }
    }

    /// Forgets everything fed, statistics included.
    pub fn reset(&mut self) {
        #[cfg(test)]
        let (slow_only, all_segments) = (self.slow_only, self.all_segments);
        *self = Tokenizer::new(self.config);
        #[cfg(test)]
        {
            self.slow_only = slow_only;
            self.all_segments = all_segments;
        }
    }

    /// Feeds the next chunk of text.
    pub fn feed<F: FnMut(&Token<'_>)>(&mut self, chunk: &[u8], mut sink: F) {
        self.run(chunk, false, &mut Each(&mut sink));
    }

    /// Feeds the last chunk and ends the text, like `feed` then `finish`,
    /// except that the final token keeps its raw span.
    pub fn feed_last<F: FnMut(&Token<'_>)>(
        &mut self,
        chunk: &[u8],
        mut sink: F,
    ) {
        self.run(chunk, true, &mut Each(&mut sink));
    }

    /// Ends the text: reports the token still being built and readies the
    /// tokenizer for the next text (statistics keep accumulating).
    pub fn finish<F: FnMut(&Token<'_>)>(&mut self, mut sink: F) {
        self.run(&[], true, &mut Each(&mut sink));
    }

    /// Feeds a chunk to any [`Sink`]; `last` ends the text.
    pub(crate) fn run<S: Sink>(
        &mut self,
        chunk: &[u8],
        last: bool,
        sink: &mut S,
    ) {
        let n = chunk.len();
        self.stats.bytes += n as u64;
        // Lines are counted a window ahead of the tokenizer, so both passes
        // read the window from cache rather than a large chunk twice from
        // memory (the block path returns at least once per window).
        let mut lines_to = 0;
        let mut i = self.resume_carry(chunk, sink);
        self.block_off_until = 0;
        while i < n {
            if i >= lines_to {
                let end = n.min(i + LINE_WINDOW);
                self.stats.lines +=
                    ascii::count_newlines(&chunk[lines_to..end]);
                lines_to = end;
            }
            let b = chunk[i];
            if b < 0x80 {
                if self.pending.is_none() && self.fast_enabled() {
                    let c = CLASS[usize::from(b)];
                    if self.between_words() {
                        i = if c & ascii::WORDISH != 0 {
                            match self.block_run(chunk, i, sink) {
                                j if j > i => j,
                                _ => self.word_run(chunk, i, sink),
                            }
                        } else {
                            self.separator_run(chunk, i, sink)
                        };
                        continue;
                    }
                    if c & ascii::WORDISH != 0 && self.in_word() {
                        i = self.extend_run(chunk, i);
                        continue;
                    }
                    if ascii::breaks_after_word(b) {
                        // After a word the general machine built (`мир `),
                        // this byte starts a segment whatever came before:
                        // the separator run can take it as between words.
                        i = self.separator_run(chunk, i, sink);
                        continue;
                    }
                }
                let class = Class(tables::DIRECT[usize::from(b)]);
                self.step(chunk, u32::from(b), class, i, sink);
                i += 1;
                continue;
            }
            if self.pending.is_none() && self.fast_enabled() {
                let j =
                    if matches!(self.last, Prop::ALetter | Prop::HebrewLetter)
                    {
                        self.letters2_run(chunk, i)
                    } else if b < 0xe0 {
                        if self.between_words()
                            && letter2_at(chunk, i).is_some()
                        {
                            match self.block_run(chunk, i, sink) {
                                j if j > i => j,
                                _ => self.word_run(chunk, i, sink),
                            }
                        } else {
                            i
                        }
                    } else if b < 0xf0 && IDEOGRAPH_RUNS {
                        self.ideograph_run(chunk, i, sink)
                    } else {
                        i
                    };
                if j > i {
                    i = j;
                    continue;
                }
            }
            match decode(&chunk[i..]) {
                Decoded::Char(cp, len) => {
                    self.extra += len as u64 - 1;
                    let class = self.class_of(cp);
                    if !self.common_step(chunk, cp, class, i, sink) {
                        self.step(chunk, cp, class, i, sink);
                    }
                    i += len;
                }
                Decoded::Invalid(len) => {
                    self.invalid(len, chunk, i, sink);
                    i += len;
                }
                Decoded::Incomplete if last => {
                    self.invalid(n - i, chunk, i, sink);
                    i = n;
                }
                Decoded::Incomplete => {
                    self.carry[..n - i].copy_from_slice(&chunk[i..]);
                    self.carry_len = n - i;
                    i = n;
                }
            }
        }
        self.stats.lines += ascii::count_newlines(&chunk[lines_to..]);
        if last {
            if self.carry_len > 0 {
                // The text ends inside a sequence: one invalid subsequence.
                let len = self.carry_len;
                self.carry_len = 0;
                self.invalid(len, chunk, n, sink);
            }
            self.hard_break(chunk, n, sink);
            self.clause = false;
        }
        // Offsets refer to this chunk only.
        self.seg.start = NO_POS;
        self.tent.start = NO_POS;
    }

    /// Completes a UTF-8 sequence split across chunks; returns where the
    /// rest of `chunk` starts.
    fn resume_carry<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) -> usize {
        let have = self.carry_len;
        if have == 0 {
            return 0;
        }
        let take = (4 - have).min(chunk.len());
        let mut tmp = [0u8; 4];
        tmp[..have].copy_from_slice(&self.carry[..have]);
        tmp[have..have + take].copy_from_slice(&chunk[..take]);
        match decode(&tmp[..have + take]) {
            Decoded::Char(cp, len) => {
                self.carry_len = 0;
                self.extra += len as u64 - 1;
                self.step(chunk, cp, class_of(cp), NO_POS, sink);
                len - have
            }
            Decoded::Invalid(len) => {
                self.carry_len = 0;
                self.invalid(len, chunk, NO_POS, sink);
                len - have
            }
            Decoded::Incomplete => {
                self.carry[have..have + take].copy_from_slice(&chunk[..take]);
                self.carry_len = have + take;
                chunk.len()
            }
        }
    }

    #[inline(always)]
    fn fast_enabled(&self) -> bool {
        #[cfg(test)]
        return !self.slow_only;
        #[cfg(not(test))]
        true
    }

    /// The class of a non-ASCII code point, through the run cache.
    #[inline(always)]
    fn class_of(&mut self, cp: u32) -> Class {
        if cp < tables::DIRECT_LIMIT {
            return Class(tables::DIRECT[cp as usize]);
        }
        if cp.wrapping_sub(self.run_lo) < self.run_len {
            return self.run_class;
        }
        let (class, lo, len) =
            if cp.wrapping_sub(self.prev_run_lo) < self.prev_run_len {
                (self.prev_run_class, self.prev_run_lo, self.prev_run_len)
            } else {
                let (class, lo, hi) = props::run_of(cp);
                (class, lo, hi - lo + 1)
            };
        self.prev_run_lo = self.run_lo;
        self.prev_run_len = self.run_len;
        self.prev_run_class = self.run_class;
        self.run_lo = lo;
        self.run_len = len;
        self.run_class = class;
        class
    }

    /// True when the next ASCII character certainly starts a new segment
    /// (or continues a run of spaces): the fast path may take over.
    #[inline]
    fn between_words(&self) -> bool {
        match self.last {
            Prop::ALetter
            | Prop::HebrewLetter
            | Prop::Numeric
            | Prop::Katakana
            | Prop::ExtendNumLet => false,
            // `ש'` joined by WB7a: WB7 may still join a following letter.
            Prop::SingleQuote => self.last2 != Prop::HebrewLetter,
            _ => true,
        }
    }

    /// True when an ASCII letter, digit or `_` certainly joins the segment.
    #[inline]
    fn in_word(&self) -> bool {
        matches!(
            self.last,
            Prop::ALetter
                | Prop::HebrewLetter
                | Prop::Numeric
                | Prop::ExtendNumLet
        )
    }

    /// Reports the current segment if it is a token, and clears it.
    #[inline]
    fn emit<S: Sink>(
        seg: &mut Segment,
        clause: &mut bool,
        chunk: &[u8],
        end: usize,
        sink: &mut S,
    ) {
        if seg.is_token() {
            let raw = if seg.start == NO_POS || end == NO_POS {
                None
            } else {
                Some(&chunk[seg.start..end])
            };
            sink.token(&Token {
                norm: &seg.buf[..seg.len],
                raw,
                full_len: seg.full,
                kind: kind_of(seg.flags),
                after_clause_break: *clause,
            });
            *clause = false;
        } else if seg.flags & SEG_CLAUSE != 0 {
            *clause = true;
        }
        seg.clear();
    }

    /// Ends the current segment (and a pending joiner) for good: at an
    /// invalid sequence or the end of the text.
    fn hard_break<S: Sink>(&mut self, chunk: &[u8], pos: usize, sink: &mut S) {
        if self.pending.take().is_some() {
            let end = self.tent.start;
            Self::emit(&mut self.seg, &mut self.clause, chunk, end, sink);
            core::mem::swap(&mut self.seg, &mut self.tent);
        }
        Self::emit(&mut self.seg, &mut self.clause, chunk, pos, sink);
        self.last = Prop::Sot;
        self.last2 = Prop::Sot;
        self.last_raw = Prop::Sot;
        self.ri_odd = false;
    }

    fn invalid<S: Sink>(
        &mut self,
        len: usize,
        chunk: &[u8],
        pos: usize,
        sink: &mut S,
    ) {
        self.stats.invalid_bytes += len as u64;
        self.extra += len as u64 - 1;
        self.hard_break(chunk, pos, sink);
    }

    /// The two commonest non-ASCII cases, decided without the full rule
    /// chain: a letter continuing a word (WB5: Cyrillic, Greek, accented
    /// Latin) and a character of property Other that is not pictographic,
    /// which always starts a segment (WB999: each Han ideograph, most
    /// punctuation). Returns false when the general machine must decide.
    #[inline(always)]
    fn common_step<S: Sink>(
        &mut self,
        chunk: &[u8],
        cp: u32,
        class: Class,
        pos: usize,
        sink: &mut S,
    ) -> bool {
        if self.pending.is_some() || !self.fast_enabled() {
            return false;
        }
        let p = class.prop();
        let max = self.config.max_token_len;
        let letter_after_letter = p == Prop::ALetter
            && matches!(self.last, Prop::ALetter | Prop::HebrewLetter);
        // A letter after a space, a line break or an Other character
        // breaks too (no rule joins them; WB3c needs a pictograph), which
        // is how most non-Latin words start.
        let other = !class.has(EXT_PICT)
            && match p {
                Prop::Other => self.last != Prop::Sot,
                Prop::ALetter => matches!(
                    self.last,
                    Prop::Other
                        | Prop::WSegSpace
                        | Prop::Cr
                        | Prop::Lf
                        | Prop::Newline
                ),
                _ => false,
            };
        if !(letter_after_letter || other) {
            return false;
        }
        let (bytes, len) = normalize(cp, class, &self.config);
        let mut flags = if class.has(ALPHA) {
            SEG_ALPHA
        } else if class.has(NUMERIC) {
            SEG_NUMERIC
        } else {
            0
        };
        if other {
            if is_clause_punct(cp) {
                flags |= SEG_CLAUSE;
            }
            Self::emit(&mut self.seg, &mut self.clause, chunk, pos, sink);
            self.seg.start = pos;
        }
        self.seg.push4(bytes, len, flags, max);
        self.last2 = self.last;
        self.last = p;
        self.last_raw = p;
        self.ri_odd = false;
        true
    }

    /// The general machine: one character at `pos` (or [`NO_POS`] when it
    /// began in an earlier chunk).
    #[inline]
    fn step<S: Sink>(
        &mut self,
        chunk: &[u8],
        cp: u32,
        class: Class,
        pos: usize,
        sink: &mut S,
    ) {
        let p = class.prop();
        let max = self.config.max_token_len;
        let (bytes, len) = normalize(cp, class, &self.config);
        let mut flags = 0;
        if class.has(ALPHA) {
            flags |= SEG_ALPHA;
        } else if class.has(NUMERIC) {
            flags |= SEG_NUMERIC;
        }
        if is_clause_punct(cp) {
            flags |= SEG_CLAUSE;
        }
        #[cfg(test)]
        if self.all_segments {
            flags |= SEG_NUMERIC;
        }

        if self.last == Prop::Sot {
            // sot or after a hard break: no rule applies, and WB4 does not
            // absorb Extend/Format/ZWJ here.
            self.seg.clear();
            self.seg.start = pos;
            self.seg.push4(bytes, len, flags, max);
            self.last = p;
            self.last2 = Prop::Sot;
            self.last_raw = p;
            self.ri_odd = p == Prop::RegionalIndicator;
            return;
        }
        let raw = self.last_raw;
        if matches!(p, Prop::Extend | Prop::Format | Prop::Zwj)
            && !matches!(raw, Prop::Cr | Prop::Lf | Prop::Newline)
        {
            // WB4: attach to whatever precedes; `last` stays.
            let target = if self.pending.is_some() {
                &mut self.tent
            } else {
                &mut self.seg
            };
            target.push4(bytes, len, flags, max);
            self.last_raw = p;
            return;
        }
        if let Some(need) = self.pending.take() {
            if need.accepts(p) {
                // WB7 / WB7c / WB11: joiner and character both join.
                self.seg.append(&self.tent, max);
                self.tent.clear();
                self.seg.push4(bytes, len, flags, max);
                self.last2 = self.last;
                self.last = p;
                self.last_raw = p;
                self.ri_odd = false;
                return;
            }
            let end = self.tent.start;
            Self::emit(&mut self.seg, &mut self.clause, chunk, end, sink);
            core::mem::swap(&mut self.seg, &mut self.tent);
        }
        match decide(
            raw,
            self.last,
            self.last2,
            self.ri_odd,
            p,
            class.has(EXT_PICT),
        ) {
            Decision::Join => self.seg.push4(bytes, len, flags, max),
            Decision::Break => {
                Self::emit(&mut self.seg, &mut self.clause, chunk, pos, sink);
                self.seg.start = pos;
                self.seg.push4(bytes, len, flags, max);
            }
            Decision::Maybe(need) => {
                self.pending = Some(need);
                self.tent.clear();
                self.tent.start = pos;
                self.tent.push4(bytes, len, flags, max);
            }
        }
        let ri = Prop::RegionalIndicator;
        self.ri_odd = p == ri && !(self.last == ri && self.ri_odd);
        self.last2 = self.last;
        self.last = p;
        self.last_raw = p;
    }

    /// Fast path: a run of ASCII separators starting at `i`. Returns where
    /// the run ends, with the state as if `step` had seen every byte.
    #[inline(always)]
    fn separator_run<S: Sink>(
        &mut self,
        chunk: &[u8],
        i: usize,
        sink: &mut S,
    ) -> usize {
        // WB3d: a space continues a run of spaces; in any other case the
        // boundary before `i` is a break.
        let spaces_continue = chunk[i] == b' '
            && self.last == Prop::WSegSpace
            && self.last_raw == Prop::WSegSpace;
        if !spaces_continue {
            Self::emit(&mut self.seg, &mut self.clause, chunk, i, sink);
        }
        let mut clauses = 0usize;
        let mut j = i;
        while let Some(&b) = chunk.get(j) {
            let c = CLASS[usize::from(b)];
            if c & (ascii::WORDISH | ascii::NON_ASCII) != 0 {
                break;
            }
            clauses += usize::from(c & ascii::CLAUSE != 0);
            j += 1;
        }
        if j < chunk.len()
            && (CLASS[usize::from(chunk[j])] & ascii::WORDISH != 0
                || letter2_at(chunk, j).is_some()
                || self.other3_at(chunk, j).is_some())
        {
            // A word or a character that never attaches to what precedes
            // (not Extend, Format or ZWJ) follows: every separator segment
            // is final.
            self.seg.clear();
            self.clause |= clauses > 0;
            self.set_boundary();
            return j;
        }
        // A non-ASCII character (maybe an Extend that attaches to the last
        // separator segment) or the chunk end follows: rebuild that last
        // segment so the general machine can continue it.
        let p = j - 1;
        let b = chunk[p];
        let is_clause = CLASS[usize::from(b)] & ascii::CLAUSE != 0;
        self.clause |= clauses > usize::from(is_clause);
        let mut s = p;
        if b == b' ' {
            while s > i && chunk[s - 1] == b' ' {
                s -= 1;
            }
        }
        if !(spaces_continue && s == i) {
            self.seg.clear();
            self.seg.start = s;
        }
        let flags = if is_clause { SEG_CLAUSE } else { 0 };
        let max = self.config.max_token_len;
        for k in s..j {
            self.seg.push(&chunk[k..k + 1], flags, max);
        }
        let prop = Class(tables::DIRECT[usize::from(b)]).prop();
        self.last = prop;
        self.last2 = Prop::Other;
        self.last_raw = prop;
        self.ri_odd = false;
        j
    }

    /// The state after a break the fast path proved: the next character
    /// starts a segment whatever it is, exactly as at the start of a text.
    #[inline]
    fn set_boundary(&mut self) {
        self.last = Prop::Sot;
        self.last2 = Prop::Sot;
        self.last_raw = Prop::Sot;
        self.ri_odd = false;
    }

    /// Fast path: a word of ASCII letters, digits and `_`, two-byte letters
    /// (Latin, Greek, Cyrillic: every character WB5, WB9, WB10 and WB13
    /// join to its neighbours), and `'`, `.`, `:`, `,`, `;` between ASCII
    /// ones where UAX #29 joins, starting at `i`, where a segment certainly
    /// starts and the first character is one of those. The word is decided
    /// and reported here when an ASCII separator ends it; anything else
    /// (another non-ASCII character, a joiner before one, the chunk end)
    /// hands the word so far to the general machine.
    fn word_run<S: Sink>(
        &mut self,
        chunk: &[u8],
        i: usize,
        sink: &mut S,
    ) -> usize {
        Self::emit(&mut self.seg, &mut self.clause, chunk, i, sink);
        let n = chunk.len();
        let mut word = WordAcc::default();
        let mut j = i;
        loop {
            while let Some(&b) = chunk.get(j) {
                let c = CLASS[usize::from(b)];
                if c & ascii::WORDISH != 0 {
                    word.ascii |= c;
                    j += 1;
                } else if c & ascii::NON_ASCII != 0 {
                    let Some((cp, class)) = letter2_at(chunk, j) else {
                        break;
                    };
                    word.classes |= class.0;
                    word.special |= cp == 0x02bc;
                    word.wide += 1;
                    j += 2;
                } else {
                    break;
                }
            }
            if j == n || chunk[j] >= 0x80 {
                // The word may continue in the next chunk, or with a
                // character only the machine judges.
                self.enter_machine(chunk, i, j, word);
                return j;
            }
            let c = CLASS[usize::from(chunk[j])];
            // A two-byte letter is ALetter, as an ASCII letter for WB6/7.
            let prev = match chunk[j - 1] {
                b if b >= 0x80 => ascii::LETTER,
                b => CLASS[usize::from(b)],
            };
            let need = if prev & ascii::LETTER != 0
                && c & ascii::JOINS_LETTERS != 0
            {
                ascii::LETTER
            } else if prev & ascii::DIGIT != 0 && c & ascii::JOINS_DIGITS != 0
            {
                ascii::DIGIT
            } else {
                0
            };
            if need == 0 {
                break; // a separator: the word ends here for certain
            }
            // WB6/7, WB11/12: `a'b`, `3.14` join; decide on the next byte.
            match chunk.get(j + 1) {
                Some(&b2) if CLASS[usize::from(b2)] & need != 0 => {
                    word.ascii |= CLASS[usize::from(b2)];
                    j += 2;
                }
                Some(&b2) if b2 < 0x80 => break,
                _ => {
                    self.enter_machine(chunk, i, j, word);
                    return j;
                }
            }
        }
        self.extra += word.wide as u64;
        let flags = word.flags();
        if flags != 0 {
            let raw = &chunk[i..j];
            let len = raw.len();
            let max = self.config.max_token_len;
            let (norm, full_len) = if word.needs_normalizing(&self.config) {
                self.seg.clear();
                self.push_word(raw, word);
                (&self.seg.buf[..self.seg.len], self.seg.full)
            } else if word.wide == 0 || len <= max {
                (&raw[..len.min(max)], len)
            } else {
                // Keep whole characters only, as `Segment::push4` does.
                let mut keep = max;
                while raw[keep] & 0xc0 == 0x80 {
                    keep -= 1;
                }
                (&raw[..keep], len)
            };
            sink.token(&Token {
                norm,
                raw: Some(raw),
                full_len,
                kind: kind_of(flags),
                after_clause_break: self.clause,
            });
            self.clause = false;
            self.seg.clear();
        }
        self.set_boundary();
        j
    }

    /// Fast path: a run of three-byte characters of Word_Break Other that
    /// are not pictographic — Han ideographs, CJK and fullwidth
    /// punctuation — each a segment of its own (WB999 breaks on both
    /// sides), starting at `i`. A character is reported only once the one
    /// after it is seen not to attach to it (WB4: ASCII or another such
    /// character follows); else it is left to the general machine, as is a
    /// character that lowercases or a token longer than `max_token_len`.
    /// Returns where it stopped (`i` when it took nothing).
    fn ideograph_run<S: Sink>(
        &mut self,
        chunk: &[u8],
        i: usize,
        sink: &mut S,
    ) -> usize {
        if self.config.max_token_len < 3 {
            return i;
        }
        let Some(mut this) = self.other3_at(chunk, i) else {
            return i;
        };
        // A counting sink takes totals: no token is built.
        let counting = sink.counts().is_some();
        let (mut tokens, mut words) = (0u64, 0u64);
        let mut j = i;
        loop {
            if counting && this.1 .0 == HAN_CLASS {
                // Ideographs followed by ideographs: each one a word, known
                // from its bytes alone.
                let from = j;
                while let Some(&[b0, b1, b2]) = chunk.get(j + 3..j + 6) {
                    let han = matches!((b0, b1), (0xe4, 0xb8..=0xbf))
                        || (matches!(b0, 0xe5..=0xe9) && b1 & 0xc0 == 0x80);
                    if !han || b2 & 0xc0 != 0x80 {
                        break;
                    }
                    j += 3;
                }
                if j > from {
                    if from == i {
                        Self::emit(
                            &mut self.seg,
                            &mut self.clause,
                            chunk,
                            i,
                            sink,
                        );
                    }
                    let n = ((j - from) / 3) as u64;
                    tokens += n;
                    words += n;
                }
            }
            let next = j + 3;
            let after = match chunk.get(next) {
                Some(&b) if b < 0x80 => None,
                Some(_) => match self.other3_at(chunk, next) {
                    Some(c) => Some(c),
                    // Any other character that does not attach (`，` is
                    // MidNum, U+00A0 Other) still ends this one's segment.
                    None if self.attaches_at(chunk, next) => break,
                    None => None,
                },
                None => break,
            };
            if j == i {
                Self::emit(&mut self.seg, &mut self.clause, chunk, i, sink);
            }
            let (cp, class) = this;
            let flags = class_flags(class);
            if flags != 0 {
                if counting {
                    tokens += 1;
                    words += u64::from(flags & SEG_ALPHA != 0);
                } else {
                    sink.token(&Token {
                        norm: &chunk[j..next],
                        raw: Some(&chunk[j..next]),
                        full_len: 3,
                        kind: kind_of(flags),
                        after_clause_break: self.clause,
                    });
                    self.clause = false;
                }
            } else if is_clause_punct(cp) {
                self.clause = true;
            }
            j = next;
            match after {
                Some(c) => this = c,
                None => break,
            }
        }
        if j > i {
            self.extra += 2 * ((j - i) / 3) as u64;
            if let (true, Some(counts)) = (tokens > 0, sink.counts()) {
                counts.tokens += tokens;
                counts.words += words;
                counts.numbers += tokens - words;
                counts.max_token_len = counts.max_token_len.max(3);
            }
            self.last2 = if j - i > 3 { Prop::Other } else { self.last };
            self.last = Prop::Other;
            self.last_raw = Prop::Other;
            self.ri_odd = false;
        }
        j
    }

    /// True unless the character at `k` certainly does not attach to the
    /// one before it: WB4 attaches Extend, Format and ZWJ; an invalid or
    /// incomplete sequence counts as attaching, so the machine decides.
    #[inline]
    fn attaches_at(&mut self, chunk: &[u8], k: usize) -> bool {
        match decode(&chunk[k..]) {
            Decoded::Char(cp, _) => matches!(
                self.class_of(cp).prop(),
                Prop::Extend | Prop::Format | Prop::Zwj
            ),
            _ => true,
        }
    }

    /// The three-byte character at `j` if it is one [`ideograph_run`]
    /// takes: Word_Break Other, not pictographic, unchanged by lowercasing.
    ///
    /// [`ideograph_run`]: Self::ideograph_run
    #[inline(always)]
    fn other3_at(&mut self, chunk: &[u8], j: usize) -> Option<(u32, Class)> {
        let &[b0, b1, b2] = chunk.get(j..j + 3)? else {
            return None;
        };
        let w = u32::from_le_bytes([b0, b1, b2, 0]);
        if w & 0x00c0_c0f0 != 0x0080_80e0 {
            return None;
        }
        let cp = ((w & 0x0f) << 12) | ((w >> 2) & 0x0fc0) | ((w >> 16) & 0x3f);
        // CJK Unified Ideographs, most of Chinese text, are one class (a
        // test checks every code point).
        if (0x4e00..=0x9fff).contains(&cp) {
            return Some((cp, Class(HAN_CLASS)));
        }
        // Overlong forms and surrogates are invalid: the decoder's case.
        if cp < 0x800 || (0xd800..0xe000).contains(&cp) {
            return None;
        }
        let class = self.class_of(cp);
        let keep = class.0 & (0x1f | EXT_PICT | LOWER_DIFFERS);
        (keep == Prop::Other as u16).then_some((cp, class))
    }

    /// Fast path for long ASCII stretches: classifies 64 bytes at a time
    /// and reports every word that lies wholly inside the block with bit
    /// arithmetic, no branch per byte. `i` is a word start where a segment
    /// certainly starts. Returns where it stopped (always after a reported
    /// word, at the separator that ended it), or `i` when it reported
    /// nothing and the byte-wise path must take over.
    fn block_run<S: Sink>(
        &mut self,
        chunk: &[u8],
        start: usize,
        sink: &mut S,
    ) -> usize {
        use block::{classify, BlockTotals, BLOCK};
        let mut i = start;
        if i < self.block_off_until {
            return i;
        }
        let Some(first) = chunk.get(i..i + BLOCK) else {
            return i;
        };
        let mut block: &[u8; BLOCK] = first.try_into().unwrap_or(&[0; BLOCK]);
        Self::emit(&mut self.seg, &mut self.clause, chunk, i, sink);
        let max = self.config.max_token_len;
        let fold = self.config.fold_case;
        let mut totals = match sink.counts() {
            Some(counts) if max >= BLOCK => Some(BlockTotals::new(counts)),
            _ => None,
        };
        loop {
            let mut m = classify(block);
            if m.non_ascii != 0 {
                block::add_wide_letters(block, &mut m);
            }
            if totals.is_none() {
                block::add_details(block, &mut m); // tokens need more
            }
            // WB6/7 and WB11/12 inside the block: a joiner between two
            // letters (`can't`, `U.S`) or two digits (`130,000`) is part of
            // the word. A joiner next to a non-ASCII byte may join it to a
            // letter outside ASCII (`Russia'צה`), and non-ASCII bytes need
            // the general machine: stop before both. A word's terminator
            // must have its successor in the block to be judged, hence 63.
            let joined = block::joined(block, &m);
            let word = m.word | joined;
            let stops =
                m.non_ascii | (m.joiner & (m.word << 1) & (m.non_ascii >> 1));
            let limit = stops.trailing_zeros().min(BLOCK as u32 - 1);
            // Terminators (the byte after each word) before the limit; the
            // words they end are exactly the starts before the last one.
            let mut ends = !word & (word << 1) & ((1u64 << limit) - 1);
            if ends == 0 {
                if i == start && stops != 0 {
                    // The first word already runs into a stop; so would
                    // every word starting before the last stop seen.
                    let last_stop = 63 - stops.leading_zeros() as usize;
                    self.block_off_until = i + last_stop;
                }
                break;
            }
            let last_end = 63 - ends.leading_zeros();
            let done = (1u64 << last_end) - 1;
            // Each two-byte letter lies wholly inside a word reported.
            self.extra += u64::from((m.wide & done).count_ones() / 2);
            let mut starts = word & !(word << 1) & done;
            if let Some(totals) = totals.as_mut() {
                block::count_runs(totals, &m, word & done);
                self.clause = false;
                starts = 0;
            }
            let gaps_clause = m.clause & !word;
            let alnum = m.letter | m.digit;
            let mut prev_end = 0u32;
            while starts != 0 {
                let s = starts.trailing_zeros();
                let e = ends.trailing_zeros();
                starts &= starts - 1;
                ends &= ends - 1;
                let run = (1u64 << e) - (1u64 << s);
                self.clause |=
                    gaps_clause & ((1u64 << s) - (1u64 << prev_end)) != 0;
                prev_end = e;
                if alnum & run == 0 {
                    continue; // only underscores: not a token
                }
                let raw = &block[s as usize..e as usize];
                let len = raw.len();
                let keep = len.min(max);
                let norm = if m.wide & run != 0 && (fold || keep < len) {
                    // Two-byte letters: lowercased, and cut at a character
                    // boundary (they are two bytes long either way).
                    self.seg.clear();
                    self.push_word(raw, WordAcc::default());
                    &self.seg.buf[..self.seg.len]
                } else if fold && m.upper & run != 0 {
                    let out = &mut self.seg.buf[..keep];
                    for (o, &b) in out.iter_mut().zip(raw) {
                        *o = b.to_ascii_lowercase();
                    }
                    &self.seg.buf[..keep]
                } else {
                    &raw[..keep]
                };
                sink.token(&Token {
                    norm,
                    raw: Some(raw),
                    full_len: len,
                    kind: if m.letter & run != 0 {
                        TokenKind::Word
                    } else {
                        TokenKind::Number
                    },
                    after_clause_break: self.clause,
                });
                self.clause = false;
            }
            if m.wide != 0 {
                self.seg.clear(); // scratch for two-byte letters
            }
            i += last_end as usize;
            match chunk.get(i..i + BLOCK) {
                Some(next) if stops == 0 && i - start < LINE_WINDOW => {
                    block = next.try_into().unwrap_or(&[0; BLOCK]);
                }
                _ => break,
            }
        }
        if let (Some(totals), Some(counts)) = (totals, sink.counts()) {
            totals.add_to(counts);
        }
        self.set_boundary();
        i
    }

    /// Hands a word the fast path could not finish to the general machine.
    fn enter_machine(
        &mut self,
        chunk: &[u8],
        i: usize,
        j: usize,
        word: WordAcc,
    ) {
        self.seg.clear();
        self.seg.start = i;
        if word.wide == 0 {
            self.push_ascii(&chunk[i..j], word.ascii);
        } else {
            self.push_word(&chunk[i..j], word);
            self.extra += word.wide as u64;
        }
        // Two-byte letters are ALetter; a continuation byte ends one.
        let prop_before = |k: usize| match chunk[k - 1] {
            b if b >= 0x80 => (Prop::ALetter, k - 2),
            b => (Class(tables::DIRECT[usize::from(b)]).prop(), k - 1),
        };
        let (last, at) = prop_before(j);
        self.last = last;
        self.last2 = if at > i { prop_before(at).0 } else { Prop::Sot };
        self.last_raw = last;
        self.ri_odd = false;
    }

    /// Fast path: ASCII letters, digits and `_` continuing a word the
    /// general machine started (`naïve`, `Übersetzung`).
    fn extend_run(&mut self, chunk: &[u8], i: usize) -> usize {
        let mut acc = 0u8;
        let mut j = i;
        while let Some(&b) = chunk.get(j) {
            let c = CLASS[usize::from(b)];
            if c & ascii::WORDISH == 0 {
                break;
            }
            acc |= c;
            j += 1;
        }
        self.push_ascii(&chunk[i..j], acc);
        self.last2 = if j - i >= 2 {
            Class(tables::DIRECT[usize::from(chunk[j - 2])]).prop()
        } else {
            self.last
        };
        self.last = Class(tables::DIRECT[usize::from(chunk[j - 1])]).prop();
        self.last_raw = self.last;
        j
    }

    /// Fast path: two-byte letters (Cyrillic, Greek, accented Latin)
    /// continuing a word, which WB5 always joins. Decoding, the table
    /// lookup and the append are inlined into one loop that stops at the
    /// first byte it does not handle, so the general loop's dispatch is
    /// paid once per word instead of once per letter. Returns where it
    /// stopped (`i` when it took nothing).
    fn letters2_run(&mut self, chunk: &[u8], i: usize) -> usize {
        let max = self.config.max_token_len;
        let lower = if self.config.fold_case { LOWER_DIFFERS } else { 0 };
        // The segment's counters live in registers for the loop.
        let seg = &mut self.seg;
        let (mut len, mut full) = (seg.len, seg.full);
        let mut classes = 0u16;
        let mut j = i;
        while let Some((cp, class)) = letter2_at(chunk, j) {
            let (b0, b1) = (chunk[j], chunk[j + 1]);
            // Unless lowercasing or the U+02BC apostrophe fold applies,
            // the normalised form is the input's own two bytes.
            let (bytes, n) = if class.0 & lower != 0 || cp == 0x02bc {
                normalize(cp, class, &self.config)
            } else {
                ([b0, b1, 0, 0], 2)
            };
            // As `Segment::push4`.
            if len == full && len + n <= max {
                seg.buf[len..len + 4].copy_from_slice(&bytes);
                len += n;
            }
            full += n;
            classes |= class.0;
            j += 2;
        }
        let taken = (j - i) / 2;
        if taken > 0 {
            (seg.len, seg.full) = (len, full);
            seg.flags |= class_flags(Class(classes));
            self.extra += taken as u64;
            if taken >= 2 {
                self.last2 = Prop::ALetter;
            } else {
                self.last2 = self.last;
            }
            self.last = Prop::ALetter;
            self.last_raw = Prop::ALetter;
            self.ri_odd = false;
        }
        j
    }

    /// Appends the normalised form of word bytes [`word_run`] took (ASCII
    /// word bytes and two-byte letters) to the segment, character by
    /// character as the general machine would, and their flags.
    ///
    /// [`word_run`]: Self::word_run
    fn push_word(&mut self, bytes: &[u8], word: WordAcc) {
        let max = self.config.max_token_len;
        let fold = self.config.fold_case;
        let mut k = 0;
        while let Some(&b) = bytes.get(k) {
            if b < 0x80 {
                let b = if fold { b.to_ascii_lowercase() } else { b };
                self.seg.push4([b, 0, 0, 0], 1, 0, max);
                k += 1;
            } else {
                let b1 = bytes.get(k + 1).copied().unwrap_or(0x80);
                let cp = (u32::from(b & 0x1f) << 6) | u32::from(b1 & 0x3f);
                let class = Class(tables::DIRECT[cp as usize]);
                let (out, len) = normalize(cp, class, &self.config);
                self.seg.push4(out, len, 0, max);
                k += 2;
            }
        }
        self.seg.flags |= word.flags();
    }

    /// Appends ASCII word bytes to the segment.
    fn push_ascii(&mut self, bytes: &[u8], acc: u8) {
        let seg = &mut self.seg;
        if seg.len == seg.full {
            let keep = bytes.len().min(self.config.max_token_len - seg.len);
            let out = &mut seg.buf[seg.len..seg.len + keep];
            if self.config.fold_case {
                for (o, &b) in out.iter_mut().zip(bytes) {
                    *o = b.to_ascii_lowercase();
                }
            } else {
                out.copy_from_slice(&bytes[..keep]);
            }
            seg.len += keep;
        }
        seg.full += bytes.len();
        if acc & ascii::LETTER != 0 {
            seg.flags |= SEG_ALPHA;
        } else if acc & ascii::DIGIT != 0 {
            seg.flags |= SEG_NUMERIC;
        }
    }
}

/// Bytes the newline count runs ahead of the tokenizer, and the most the
/// block path takes in one call: a window stays in the L1 cache.
const LINE_WINDOW: usize = 16 * 1024;

/// Whether runs of ideographs take their fast path. Not on bare-metal
/// targets, whose flash budget it would exceed: there the general machine
/// takes them, with the same results (the fast path is tested against
/// it), and firmware seldom meets Chinese text.
const IDEOGRAPH_RUNS: bool = !cfg!(target_os = "none");

/// The class of every code point of CJK Unified Ideographs
/// (U+4E00..=U+9FFF): Word_Break Other, alphabetic.
const HAN_CLASS: u16 = Prop::Other as u16 | ALPHA;

/// What [`Tokenizer::word_run`] learned about the word it scans.
#[derive(Clone, Copy, Default)]
struct WordAcc {
    /// The ASCII classes of its ASCII bytes, OR-ed.
    ascii: u8,
    /// The classes of its two-byte letters, OR-ed.
    classes: u16,
    /// Two-byte letters taken.
    wide: usize,
    /// It contains U+02BC, which the apostrophe fold changes.
    special: bool,
}

impl WordAcc {
    /// The segment flags: whether it is a token, and of which kind.
    #[inline]
    fn flags(&self) -> u8 {
        let mut flags = class_flags(Class(self.classes));
        if self.ascii & ascii::LETTER != 0 {
            flags |= SEG_ALPHA;
        } else if self.ascii & ascii::DIGIT != 0 {
            flags |= SEG_NUMERIC;
        }
        flags
    }

    /// True when the normalised form may differ from the bytes.
    #[inline]
    fn needs_normalizing(&self, config: &TokenizerConfig) -> bool {
        (config.fold_case
            && (self.ascii & ascii::UPPER != 0
                || self.classes & LOWER_DIFFERS != 0))
            || (config.fold_apostrophes && self.special)
    }
}

/// The scalar value and class of the two-byte letter (Word_Break ALetter)
/// at `j`, if there is one.
#[inline(always)]
fn letter2_at(chunk: &[u8], j: usize) -> Option<(u32, Class)> {
    let &[b0, b1] = chunk.get(j..j + 2)? else {
        return None;
    };
    if !(0xc2..=0xdf).contains(&b0) || b1 & 0xc0 != 0x80 {
        return None;
    }
    let cp = (u32::from(b0 & 0x1f) << 6) | u32::from(b1 & 0x3f);
    let class = Class(tables::DIRECT[cp as usize]);
    (class.0 & 0x1f == Prop::ALetter as u16).then_some((cp, class))
}

/// The segment flags of a character: [`SEG_ALPHA`] when alphabetic, else
/// [`SEG_NUMERIC`] when numeric. The tables never set both bits (NUMERIC
/// means numeric and not alphabetic, checked against `char` for every
/// scalar value), so this is one shift, and the flags of several
/// characters are those of their classes OR-ed together.
#[inline(always)]
fn class_flags(class: Class) -> u8 {
    const _: () = assert!(
        ALPHA >> 6 == SEG_ALPHA as u16 && NUMERIC >> 6 == SEG_NUMERIC as u16
    );
    ((class.0 >> 6) as u8) & (SEG_ALPHA | SEG_NUMERIC)
}

/// The kind of a token from its segment flags: a word when any character
/// is alphabetic.
#[inline(always)]
fn kind_of(flags: u8) -> TokenKind {
    if flags & SEG_ALPHA != 0 {
        TokenKind::Word
    } else {
        TokenKind::Number
    }
}

/// Tokenizes a whole text in one call.
///
/// ```
/// use textmeter::tokenize::{for_each_token, TokenizerConfig};
/// let mut n = 0;
/// for_each_token(b"e-mail the U.S. office", &TokenizerConfig::default(), |t| {
///     n += 1;
///     assert!(t.raw().is_some());
/// });
/// assert_eq!(n, 5); // e, mail, the, u.s, office
/// ```
///
/// # Panics
/// When `config` fails [`TokenizerConfig::validate`].
pub fn for_each_token<F: FnMut(&Token<'_>)>(
    text: &[u8],
    config: &TokenizerConfig,
    sink: F,
) {
    Tokenizer::new(*config).feed_last(text, sink);
}
