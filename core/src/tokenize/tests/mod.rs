//! Tokenizer tests: named cases, UAX #29 conformance, the fast path against
//! the general machine, unicode-segmentation as an independent reference,
//! and chunk-split invariance.

mod cases;
mod conformance;
mod differential;
mod gen;
mod nonascii_fast;
mod splits;

pub(crate) use splits::SEEDS;

use super::{TextStats, TokenKind, Tokenizer, TokenizerConfig};
use std::string::String;
use std::vec::Vec;

/// Everything observable about one token, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tok {
    pub norm: String,
    pub raw: Option<String>,
    pub full_len: usize,
    pub kind: TokenKind,
    pub clause: bool,
}

/// Tokenizes `text` fed in the given chunks (the last one via `feed_last`
/// when `one_shot`, else all via `feed` then `finish`).
pub(crate) fn run(
    chunks: &[&[u8]],
    config: TokenizerConfig,
    slow_only: bool,
) -> (Vec<Tok>, TextStats) {
    let mut t = Tokenizer::new(config);
    t.slow_only = slow_only;
    let mut out = Vec::new();
    {
        let mut sink = |tok: &super::Token<'_>| {
            out.push(Tok {
                norm: String::from(tok.to_str().expect("norm is UTF-8")),
                raw: tok.raw().map(|r| {
                    String::from(core::str::from_utf8(r).expect("raw UTF-8"))
                }),
                full_len: tok.full_len(),
                kind: tok.kind(),
                clause: tok.after_clause_break(),
            })
        };
        for c in chunks {
            t.feed(c, &mut sink);
        }
        t.finish(&mut sink);
    }
    (out, t.stats())
}

/// One-shot tokenization (raw spans always present).
pub(crate) fn one_shot(
    text: &[u8],
    config: TokenizerConfig,
    slow_only: bool,
) -> (Vec<Tok>, TextStats) {
    let mut t = Tokenizer::new(config);
    t.slow_only = slow_only;
    let mut out = Vec::new();
    t.feed_last(text, |tok| {
        out.push(Tok {
            norm: String::from(tok.to_str().expect("norm is UTF-8")),
            raw: tok
                .raw()
                .map(|r| String::from(core::str::from_utf8(r).expect("raw"))),
            full_len: tok.full_len(),
            kind: tok.kind(),
            clause: tok.after_clause_break(),
        })
    });
    (out, t.stats())
}

/// Tokens without raw spans (which depend on chunking).
pub(crate) fn strip_raw(mut toks: Vec<Tok>) -> Vec<Tok> {
    for t in &mut toks {
        t.raw = None;
    }
    toks
}

pub(crate) fn norms(text: &str) -> Vec<String> {
    one_shot(text.as_bytes(), TokenizerConfig::default(), false)
        .0
        .into_iter()
        .map(|t| t.norm)
        .collect()
}

#[test]
fn size_of_state() {
    // Documented on `Tokenizer`; a change here is a change to the docs.
    let size = core::mem::size_of::<Tokenizer>();
    assert!(size <= 680, "Tokenizer is {size} bytes");
}

#[test]
fn tokenizer_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Tokenizer>();
    check::<TokenizerConfig>();
}
