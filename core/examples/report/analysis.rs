//! The analysis and its report, shared word for word by the host example
//! (`core/examples/report/main.rs`) and the Cortex-M firmware
//! (`examples/cortex-m`, which includes this file with `#[path]`): one
//! configuration, one way to feed the engines, one output format, so the
//! two outputs can differ only if the numbers do.
//!
//! Everything here is `core` only and allocation-free: the caller provides
//! the n-gram arena ([`NGRAM_BYTES`]) and the lexicon matcher, from a
//! `static` on the firmware and from the heap on the host.

use core::fmt::{self, Write};

use textmeter::counts::Counts;
use textmeter::hash::token_hash;
use textmeter::lexicon::Matcher;
use textmeter::ngram::{self, Entry, NgramConfig, NgramSet};
use textmeter::tokenize::{TextStats, Token};

/// The first line of every report; bump the number when the format changes.
pub const HEADER: &str = "textmeter-report 2";

/// 1..=3-gram counters sized for the firmware's 48 KiB RAM budget:
/// capacities 56, 32 and 20 entries (exact up to that many distinct grams,
/// Space-Saving heavy hitters beyond: see `examples/cortex-m/README.md` for
/// what that means for a 674-token article), a 256-byte HyperLogLog for
/// distinct words, and no lookahead: tables this small live in cache (a
/// microcontroller has none to miss), so staging tokens would only cost
/// 2 KiB of ring. The gram pools are tighter than the default: a quarter
/// spare instead of a half (see `tight_pool`).
pub const NGRAMS: NgramConfig = NgramConfig::new(1, 3)
    .with_capacity_for(1, 56)
    .with_capacity_for(2, 32)
    .with_capacity_for(3, 20)
    .with_pool_bytes_for(1, tight_pool(1, 56))
    .with_pool_bytes_for(2, tight_pool(2, 32))
    .with_pool_bytes_for(3, tight_pool(3, 20))
    .with_distinct_precision(8)
    .with_lookahead(0);

/// A gram pool for `capacity` `n`-grams of 7-byte tokens plus a quarter
/// (`8 + 8 n` bytes each) and two maximal grams. The default's spare half
/// saves compactions of big evicting tables; on 108 entries it would cost
/// 1,152 bytes of the firmware's last 1.6 KiB of RAM and save nothing
/// measurable.
const fn tight_pool(n: u64, capacity: u64) -> u64 {
    capacity * (8 + 8 * n) + 2 * (8 + 256 * n)
}

/// Bytes of the n-gram arena [`NGRAMS`] needs (known at compile time, so it
/// can size a `static`).
pub const NGRAM_BYTES: usize = NGRAMS.bytes_needed();

/// How many of the most frequent grams the report lists per `n`.
pub const TOP: usize = 5;

/// The state of one analysis: counts, n-grams and lexicon scores of one
/// text, fed token by token.
pub struct Analysis<'a, 'l> {
    counts: Counts,
    clause_starts: u64,
    token_digest: u64,
    ngrams: NgramSet<&'a mut [u8]>,
    matcher: &'a mut Matcher<'l>,
}

impl<'a, 'l> Analysis<'a, 'l> {
    /// Starts an analysis in `arena` (at least [`NGRAM_BYTES`] bytes) with
    /// a fresh `matcher`.
    pub fn new(
        arena: &'a mut [u8],
        matcher: &'a mut Matcher<'l>,
    ) -> Result<Self, ngram::Error> {
        Ok(Analysis {
            counts: Counts::default(),
            clause_starts: 0,
            token_digest: 0,
            ngrams: NgramSet::new(arena, NGRAMS)?,
            matcher,
        })
    }

    /// Accounts for one token.
    pub fn add_token(&mut self, token: &Token<'_>) {
        let norm = token.norm();
        let hash = token_hash(norm);
        self.counts.add_token(token);
        self.clause_starts += u64::from(token.after_clause_break());
        // An order-dependent fold of every token's hash, so that equal
        // digests mean the same tokens in the same order: rotate before
        // mixing, then multiply by the 64-bit golden ratio.
        self.token_digest = (self.token_digest.rotate_left(5) ^ hash)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.ngrams.push(norm, hash);
        self.matcher.push(norm, hash, token.after_clause_break());
    }

    /// Ends the text; `stats` are the tokenizer's.
    pub fn finish(&mut self, stats: TextStats) {
        self.counts.set_text_stats(stats);
        self.ngrams.end_document();
        self.matcher.finish();
    }

    /// Writes the report: one `name value…` record a line, in a fixed
    /// order, integers only (no float formatting on the firmware).
    pub fn write_to<W: Write>(&self, w: &mut W) -> fmt::Result {
        let c = &self.counts;
        writeln!(w, "{HEADER}")?;
        let fields = [
            ("bytes", c.bytes),
            ("chars", c.chars),
            ("lines", c.lines),
            ("tokens", c.tokens),
            ("words", c.words),
            ("numbers", c.numbers),
            ("invalid_bytes", c.invalid_bytes),
            ("truncated_tokens", c.truncated_tokens),
            ("max_token_len", c.max_token_len),
            ("clause_starts", self.clause_starts),
        ];
        for (name, value) in fields {
            writeln!(w, "{name} {value}")?;
        }
        writeln!(w, "token_digest {:016x}", self.token_digest)?;

        if let Some(types) = self.ngrams.types() {
            let how = if types.types_exact() { "exact" } else { "estimate" };
            writeln!(w, "types {} {how}", types.types())?;
        }
        for n in usize::from(NGRAMS.lo())..=usize::from(NGRAMS.hi()) {
            let Some(table) = self.ngrams.table(n) else { continue };
            writeln!(
                w,
                "ngram{n} total {} distinct_kept {} capacity {} exact {} \
                 max_error {}",
                table.total(),
                table.len(),
                table.capacity(),
                table.is_exact(),
                table.max_error(),
            )?;
            let mut top = [Entry::default(); TOP];
            let k = table.top_into(&mut top);
            for (rank, e) in top[..k].iter().enumerate() {
                write!(
                    w,
                    "ngram{n} top{} count {} error {} gram ",
                    rank + 1,
                    e.count(),
                    e.error()
                )?;
                match e.gram() {
                    Some(g) => writeln!(w, "{g}")?,
                    None => writeln!(w, "#{:016x}", e.hash())?,
                }
            }
        }

        let scores = self.matcher.scores();
        let lexicon = self.matcher.lexicon();
        writeln!(w, "lexicon {}", Utf8Lossy(lexicon.name()))?;
        writeln!(w, "lexicon_tokens {}", scores.tokens())?;
        for cat in scores.iter() {
            writeln!(
                w,
                "category {} hits {} negated {} score_milli {}",
                Utf8Lossy(cat.name()),
                cat.hits(),
                cat.negated(),
                cat.score_milli(),
            )?;
        }
        Ok(())
    }
}

/// Bytes shown as UTF-8, each invalid sequence as U+FFFD.
struct Utf8Lossy<'b>(&'b [u8]);

impl fmt::Display for Utf8Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_char('\u{FFFD}')?;
            }
        }
        Ok(())
    }
}
