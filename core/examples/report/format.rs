//! The report format, shared word for word by the host example
//! (`core/examples/report/main.rs`) and the Cortex-M firmware
//! (`examples/cortex-m`, which includes this file with `#[path]`), so the
//! two outputs can differ only if the numbers do.
//!
//! Everything here is `core` only: it runs on both sides unchanged.

use core::fmt::{self, Write};

use textmeter::counts::Counts;
use textmeter::hash::token_hash;
use textmeter::tokenize::{TextStats, Token};

/// The first line of every report; bump the number when the format changes.
pub const HEADER: &str = "textmeter-report 1";

/// What one text yields: core's counts, plus a digest that pins the exact
/// token sequence (equal counts could still hide different tokens).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Core's counts, including the byte-level statistics.
    pub counts: Counts,
    /// Tokens that follow sentence or clause punctuation.
    pub clause_starts: u64,
    /// An order-dependent fold of every token's [`token_hash`]: two runs
    /// agree on it only if they produced the same tokens in the same order.
    pub token_digest: u64,
}

impl Report {
    /// Accounts for one token.
    pub fn add_token(&mut self, token: &Token<'_>) {
        self.counts.add_token(token);
        self.clause_starts += u64::from(token.after_clause_break());
        // Rotate before mixing so the fold depends on the order of tokens,
        // then multiply by the 64-bit golden ratio to spread the bits.
        self.token_digest = (self.token_digest.rotate_left(5)
            ^ token_hash(token.norm()))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    /// Takes the byte-level fields from the tokenizer once the text ended.
    pub fn set_text_stats(&mut self, stats: TextStats) {
        self.counts.set_text_stats(stats);
    }

    /// Writes the report: one `name value` pair a line, in a fixed order.
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
        writeln!(w, "token_digest {:016x}", self.token_digest)
    }
}
