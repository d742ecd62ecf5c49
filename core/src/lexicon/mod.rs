//! Stance lexicons: parse AFINN, LIWC `.dic` or native TSV dictionaries
//! into caller memory and score text with them on the same tokens the
//! counts and n-grams see.
//!
//! # Overview
//!
//! 1. [`Lexicon::bytes_needed`] says how many bytes a lexicon text needs;
//!    [`Lexicon::parse_into`] compiles it into a `&mut [u8]` of that size
//!    (nothing is allocated; see [`BuiltinLexicon`] for the shipped
//!    `news-stance` lexicon).
//! 2. A [`Matcher`] is fed the normalised token stream with
//!    [`Matcher::push`] (the analyzer hands it each token's bytes and its
//!    [`token_hash`](crate::hash::token_hash)) and [`Matcher::finish`] at the
//!    end of a document; [`Lexicon::score_text`] does all of that for one
//!    text.
//! 3. [`Matcher::scores`] reports per category `hits`, `negated`, `score`,
//!    `per_1k` and `hits_per_1k` ([`CategoryScore`]).
//!
//! ```
//! use textmeter::lexicon::{Lexicon, ParseOptions};
//!
//! let text = b"#! name: demo\ntalks\tdeescalation\nattack\tescalation\t-1\n";
//! let opts = ParseOptions::default();
//! let mut mem = [0u8; 1024];
//! assert!(Lexicon::bytes_needed(text, &opts)? <= mem.len());
//! let lex = Lexicon::parse_into(text, &opts, &mut mem)?;
//!
//! let m = lex.score_text(b"There will be no attack. Talks go on.");
//! let s = m.scores();
//! let esc = s.get(b"escalation").unwrap();
//! assert_eq!((esc.hits(), esc.negated(), esc.score()), (1, 1, 1.0));
//! assert_eq!(s.get(b"deescalation").unwrap().score(), 1.0);
//! # Ok::<(), textmeter::lexicon::LexiconError>(())
//! ```
//!
//! # Formats
//!
//! [`Format::Auto`] (the default) picks one with [`detect_format`].
//!
//! - **Native TSV**: `term<TAB>category[<TAB>weight]`; the weight is a
//!   decimal with up to three fractional digits and defaults to 1. Lines
//!   whose first non-blank byte is `#` are comments, except directives
//!   `#! key: value`: `name` (the lexicon's name), `negators` (a
//!   whitespace-separated list of single-token words; `*n't` stands for
//!   any token ending in `n't`), `window` (an integer; 0 turns negation
//!   off) and `factor` (a decimal; 0 turns negation off). A term listed
//!   again in the same category takes the later weight; in another
//!   category it scores in both.
//! - **AFINN**: `term<TAB>integer`; one category named after the lexicon
//!   (`afinn`).
//! - **LIWC `.dic`**: a block between two `%` lines of `id<TAB>category`,
//!   then `term<TAB>id<TAB>id…` (weight 1 in each category). LIWC 2007's
//!   conditional categories are understood: `(ids)then/else` puts the
//!   term in category `then` when the token right before it was a hit in
//!   one of the categories `ids`, in `else` (optional) otherwise, so
//!   `like  (02 134)125/464` is affect in `I like` and a filler in `was
//!   like`. A category listed twice for a term counts once (listed twice
//!   as a conditional `then`, or twice as an `else`, the later condition
//!   holds).
//!
//! In every format lines end at LF, CRLF or a lone CR, and a UTF-8 byte
//! order mark is skipped.
//!
//! Terms are tokenised with the [`ParseOptions::tokenizer`] configuration,
//! exactly like text: `de-escalate` is the two-token term `de escalate`,
//! `don’t` equals `don't` and case does not matter as far as lowercasing
//! each character does it (`char::to_lowercase`: a term `σας` does not
//! match `ΣΑΣ`, which lowercases to `σασ`, and `İ` lowercases to `i̇`,
//! not `i`). A term has 1 to
//! [`MAX_TERM_TOKENS`] tokens; a trailing `*` makes the last token a prefix
//! (`negotiat*` matches `negotiate`, `negotiations`, and `negotiat`
//! itself) of at most [`MAX_WILDCARD_LEN`] bytes.
//!
//! # Matching
//!
//! At each token the longest term (in tokens) that starts there wins, and
//! matching resumes after it, so hits never overlap. Among terms of the
//! same length an exact last token beats a wildcard and a longer wildcard
//! prefix beats a shorter one. A term never spans clause punctuation
//! (`. ! ? ; :`, as reported by the tokenizer). Terms are found by hashing
//! (a trie whose edges are keyed by token hash), so the cost per token does
//! not grow with the lexicon. Tokens are identified by their 64-bit
//! [`token_hash`](crate::hash::token_hash); a collision between two
//! different tokens (odds about 2⁻⁶⁴ per pair) would make them match alike.
//!
//! # Negation
//!
//! A token is a *negator* if it is in the lexicon's negator list (default:
//! `not no never none nobody nothing neither nor without cannot` and any
//! token ending in `n't`, so `don’t` counts once apostrophes are folded).
//! A hit is *negated* when its first token comes 1 to `window` tokens
//! (default 3) after a negator with no clause punctuation in between: `not
//! a big attack` negates `attack` (3 tokens after), `not in a big attack`
//! does not (4), `no. attack` does not (the window ends at `.`). A negated
//! hit is counted in `negated` and its weight is multiplied by the factor
//! (default −1). A token that belongs to a hit is scored like any other and
//! does not act as a negator, so `no doubt` is a booster and does not negate
//! what follows; a negator that is not part of a hit is not scored.
//!
//! # Scores
//!
//! Weights and scores are integers in thousandths (see
//! [`CategoryScore::score_milli`]); an effective weight is `weight × factor
//! / 1000`, rounded toward zero. `score`, `per_1k` and `hits_per_1k` are
//! each one IEEE division of two exact integers, so they are bit-identical
//! on every platform.

mod builtin;
mod error;
mod fuzz;
mod matcher;
mod parse;
mod score;
mod table;
use crate::tokenize;

#[cfg(test)]
mod prop;
#[cfg(test)]
mod tests;

use core::fmt;

pub use builtin::{BuiltinLexicon, BUILTIN_BYTES, NEWS_STANCE_TSV};
pub use error::{LexiconError, LexiconErrorKind};
pub use fuzz::fuzz_parse_and_score;
pub use matcher::Matcher;
pub use parse::{detect_format, Format, ParseOptions};
pub use score::{CategoryScore, CategoryScores, Scores};

use parse::Meta;
use table::{rd32, CAT, SLOT};

/// Most tokens in one term.
pub const MAX_TERM_TOKENS: usize = 8;
/// Most categories in one lexicon.
pub const MAX_CATEGORIES: usize = 128;
/// Longest lexicon or category name, in bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Longest wildcard prefix, in bytes of the normalised token.
pub const MAX_WILDCARD_LEN: usize = 63;

/// A compiled lexicon: immutable, `Copy`, borrowing the caller's memory.
///
/// ```
/// use textmeter::lexicon::{Format, Lexicon, ParseOptions};
///
/// let dic = b"%\n1\tposemo\n2\tnegemo\n%\nhappy\t1\nhurt*\t2\n";
/// let opts = ParseOptions::default();
/// let mut mem = [0u8; 1024];
/// let lex = Lexicon::parse_into(dic, &opts, &mut mem)?;
/// assert_eq!(lex.format(), Format::LiwcDic);
/// assert_eq!(lex.category_count(), 2);
/// assert_eq!(lex.category_name(1), Some(&b"negemo"[..]));
/// assert_eq!(lex.term_count(), 2);
/// # Ok::<(), textmeter::lexicon::LexiconError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Lexicon<'l> {
    mem: &'l [u8],
    meta: Meta,
}

impl fmt::Debug for Lexicon<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lexicon")
            .field("name", &bstr(self.name()))
            .field("format", &self.meta.format)
            .field("terms", &self.meta.terms)
            .field("categories", &self.meta.ncats)
            .field("bytes", &self.mem.len())
            .finish()
    }
}

struct Bstr<'a>(&'a [u8]);
impl fmt::Debug for Bstr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match core::str::from_utf8(self.0) {
            Ok(s) => fmt::Debug::fmt(s, f),
            Err(_) => fmt::Debug::fmt(self.0, f),
        }
    }
}
fn bstr(b: &[u8]) -> Bstr<'_> {
    Bstr(b)
}

impl<'l> Lexicon<'l> {
    /// How many bytes of memory [`parse_into`](Self::parse_into) needs for
    /// `text`, or the first error in `text`.
    ///
    /// ```
    /// use textmeter::lexicon::{Lexicon, ParseOptions};
    ///
    /// let n = Lexicon::bytes_needed(b"talks\tcalm\n", &ParseOptions::default())?;
    /// assert!(n > 0);
    /// # Ok::<(), textmeter::lexicon::LexiconError>(())
    /// ```
    pub fn bytes_needed(
        text: &[u8],
        options: &ParseOptions,
    ) -> Result<usize, LexiconError> {
        parse::bytes_needed(text, options)
    }

    /// Parses `text` into `mem` (which must hold at least
    /// [`bytes_needed`](Self::bytes_needed) bytes; extra bytes are left
    /// untouched). Never panics, whatever the bytes.
    ///
    /// ```
    /// use textmeter::lexicon::{Lexicon, LexiconErrorKind, ParseOptions};
    ///
    /// let opts = ParseOptions::default();
    /// let mut small = [0u8; 8];
    /// let err = Lexicon::parse_into(b"talks\tcalm\n", &opts, &mut small)
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), LexiconErrorKind::OutOfMemory);
    /// ```
    pub fn parse_into(
        text: &[u8],
        options: &ParseOptions,
        mem: &'l mut [u8],
    ) -> Result<Lexicon<'l>, LexiconError> {
        let meta = parse::compile(text, options, mem)?;
        let mem: &'l [u8] = mem;
        Ok(Lexicon { mem: &mem[..meta.lay.total], meta })
    }

    /// The format the text was parsed as (never [`Format::Auto`]).
    pub fn format(&self) -> Format {
        self.meta.format
    }

    /// The lexicon's name (`#! name:`, or `lexicon`, `afinn`, `liwc`).
    ///
    /// ```
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// assert_eq!(lex.lexicon().name(), b"news-stance");
    /// ```
    pub fn name(&self) -> &'l [u8] {
        let at = self.meta.lay.names_off;
        &self.mem[at..at + self.meta.name_len]
    }

    /// The tokenizer configuration the terms were normalised with.
    pub fn tokenizer_config(&self) -> tokenize::TokenizerConfig {
        self.meta.tokenizer
    }

    /// Number of distinct terms.
    pub fn term_count(&self) -> usize {
        self.meta.terms
    }

    /// Number of categories; category indices are `0..category_count()` in
    /// order of first appearance (TSV) or header order (LIWC).
    pub fn category_count(&self) -> usize {
        self.meta.ncats
    }

    /// The name of category `index`.
    ///
    /// ```
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// assert_eq!(lex.lexicon().category_name(0), Some(&b"escalation"[..]));
    /// ```
    pub fn category_name(&self, index: usize) -> Option<&'l [u8]> {
        if index >= self.meta.ncats {
            return None;
        }
        let e = self.meta.lay.cats_off + index * CAT;
        let off = self.meta.lay.names_off + rd32(self.mem, e) as usize;
        Some(&self.mem[off..off + rd32(self.mem, e + 4) as usize])
    }

    /// The index of the category called `name`.
    ///
    /// ```
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// assert_eq!(lex.lexicon().category_index(b"hedge"), Some(2));
    /// ```
    pub fn category_index(&self, name: &[u8]) -> Option<usize> {
        (0..self.meta.ncats).find(|&i| self.category_name(i) == Some(name))
    }

    /// The negation window in tokens (0: negation is off).
    pub fn negation_window(&self) -> u32 {
        self.meta.window
    }

    /// The negation factor in thousandths (−1000 by default; 0: negation is
    /// off).
    pub fn negation_factor_milli(&self) -> i32 {
        self.meta.factor_milli
    }

    /// Whether a normalised token (with its
    /// [`token_hash`](crate::hash::token_hash)) is a negator.
    ///
    /// ```
    /// use textmeter::hash::token_hash;
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// let lex = lex.lexicon();
    /// assert!(lex.is_negator(b"never", token_hash(b"never")));
    /// assert!(lex.is_negator(b"don't", token_hash(b"don't")));
    /// assert!(!lex.is_negator(b"talks", token_hash(b"talks")));
    /// ```
    #[inline]
    pub fn is_negator(&self, norm: &[u8], hash: u64) -> bool {
        self.nt_negator(norm)
            || self.maybe_root(norm, hash)
                && table::find(self.table(), hash)
                    .is_ok_and(|n| n.word & table::NEGATOR != 0)
    }

    /// Scores one whole text: tokenises it with
    /// [`tokenizer_config`](Self::tokenizer_config), feeds a new
    /// [`Matcher`] and finishes it.
    ///
    /// ```
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// let m = lex.lexicon().score_text("Talks didn’t fail.");
    /// assert_eq!(m.scores().tokens(), 3);
    /// ```
    pub fn score_text<B: ?Sized + AsRef<[u8]>>(
        &self,
        text: &B,
    ) -> Matcher<'l> {
        let mut m = Matcher::new(*self);
        m.push_text(text.as_ref());
        m.finish();
        m
    }

    pub(crate) fn table(&self) -> &'l [u8] {
        &self.mem[..self.meta.lay.slot_cap * SLOT]
    }

    /// The start filter's bytes.
    pub(crate) fn filter(&self) -> &'l [u8] {
        let l = &self.meta.lay;
        &self.mem[l.filter_off..l.filter_off + l.filter_bits / 8]
    }

    pub(crate) fn postings(&self) -> &'l [u8] {
        let l = &self.meta.lay;
        &self.mem[l.postings_off..l.neg_off]
    }

    /// The conditions of LIWC conditional categories (empty without).
    pub(crate) fn conds(&self) -> &'l [u8] {
        let l = &self.meta.lay;
        &self.mem[l.conds_off..l.total]
    }

    /// Whether `norm` is a negator by the `*n't` rule.
    #[inline]
    pub(crate) fn nt_negator(&self, norm: &[u8]) -> bool {
        // Both spellings end in `t`: one compare rejects most tokens.
        self.meta.nt_suffix
            && norm.last() == Some(&b't')
            && (norm.ends_with(b"n't")
                || norm.ends_with("n\u{2019}t".as_bytes()))
    }

    /// Whether the start filter may hold `key` (the key of an exact node
    /// below the root or a wildcard prefix key; roots and negators are
    /// tested with [`maybe_root`](Self::maybe_root)): false proves it is
    /// absent.
    #[cfg(test)]
    pub(crate) fn maybe_key(&self, key: u64) -> bool {
        table::filter_test(
            self.filter(),
            self.meta.lay.filter_bits / 64 - 1,
            key,
        )
    }

    /// Whether the start filter may hold root token `norm` (with its
    /// hash): false proves it is no term's first token and no negator.
    #[inline]
    pub(crate) fn maybe_root(&self, norm: &[u8], hash: u64) -> bool {
        table::filter_test_root(
            self.filter(),
            self.meta.lay.filter_bits / 64 - 1,
            table::root_word_key(norm, hash),
            hash,
        )
    }

    pub(crate) fn from_parts(mem: &'l [u8], meta: Meta) -> Self {
        Lexicon { mem, meta }
    }

    pub(crate) fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The compiled bytes (what [`Matcher::merge`] compares), for the
    /// analyzer's serialisation to fingerprint.
    pub(crate) fn compiled(&self) -> &'l [u8] {
        self.mem
    }
}
