//! Chunk-split invariance: the result is the same however the text is cut.

use super::gen;
use super::{one_shot, run, strip_raw};
use crate::tokenize::TokenizerConfig;
use proptest::prelude::*;
use std::string::String;
use std::vec::Vec;

pub(crate) const SEEDS: [(&str, &[u8]); 5] = [
    ("000", include_bytes!("../../../../seeds/000_578c3a6d681ebc7b.txt")),
    ("001", include_bytes!("../../../../seeds/001_c98c762a7310f6b1.txt")),
    ("002", include_bytes!("../../../../seeds/002_42020a276fbfca6a.txt")),
    ("003", include_bytes!("../../../../seeds/003_26c6bf94ee660717.txt")),
    ("004", include_bytes!("../../../../seeds/004_a5e0853e2474a670.txt")),
];

/// The corpus files from `$TEXTMETER_CORPUS` or `../shared/corpus`.
pub(crate) fn corpus() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = std::env::var("TEXTMETER_CORPUS").unwrap_or_else(|_| {
        String::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus"
        ))
    });
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let out: Vec<_> = files
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&p).ok()?))
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

#[test]
fn every_split_point_of_every_seed() {
    let config = TokenizerConfig::default();
    for (name, text) in SEEDS {
        let (whole, stats) = one_shot(text, config, false);
        let whole = strip_raw(whole);
        for at in 0..=text.len() {
            let (toks, s) = run(&[&text[..at], &text[at..]], config, false);
            assert_eq!(strip_raw(toks), whole, "{name} split at {at}");
            assert_eq!(s, stats, "{name} split at {at}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok()
            .and_then(|v| v.parse().ok()).unwrap_or(2000)))]

    #[test]
    fn random_splits_of_mixed_text((text, points) in gen::text_and_splits(40)) {
        let config = TokenizerConfig::default();
        let (whole, stats) = one_shot(&text, config, false);
        let chunks = gen::split_at(&text, &points);
        let (toks, s) = run(&chunks, config, false);
        // Raw spans are reported whenever the token lies in one chunk.
        for (t, w) in toks.iter().zip(&whole) {
            if let Some(raw) = &t.raw {
                prop_assert_eq!(Some(raw), w.raw.as_ref());
            }
        }
        prop_assert_eq!(strip_raw(toks), strip_raw(whole));
        prop_assert_eq!(s, stats);
    }

    /// Counts read between chunks never go down, and a token or a
    /// character cut by a chunk's end is reported as undecided.
    #[test]
    fn counts_between_chunks_only_grow((text, points) in gen::text_and_splits(40)) {
        let mut t = crate::tokenize::Tokenizer::new(TokenizerConfig::default());
        let mut prev = t.stats();
        for chunk in gen::split_at(&text, &points) {
            t.feed(chunk, |_| {});
            let s = t.stats();
            prop_assert!(s.chars >= prev.chars && s.invalid_bytes >= prev.invalid_bytes);
            prop_assert!(s.chars <= s.bytes);
            prev = s;
        }
        // After a space nothing can join what came before.
        if text.last() == Some(&b' ') {
            prop_assert!(!t.has_undecided());
        }
        t.finish(|_| {});
        prop_assert!(!t.has_undecided());
        let s = t.stats();
        prop_assert!(s.chars >= prev.chars && s.invalid_bytes >= prev.invalid_bytes);
    }

    #[test]
    fn small_max_len_splits((text, points) in gen::text_and_splits(30),
                            max in 1usize..12) {
        let config = TokenizerConfig { max_token_len: max, ..Default::default() };
        let whole = one_shot(&text, config, false);
        let slow = one_shot(&text, config, true);
        prop_assert_eq!(&whole, &slow);
        let (toks, _) = run(&gen::split_at(&text, &points), config, false);
        prop_assert_eq!(strip_raw(toks), strip_raw(whole.0));
    }
}

/// Random splits of the corpus, where it exists.
#[test]
fn corpus_random_splits_where_available() {
    let Some(files) = corpus() else {
        std::eprintln!("corpus not found: skipped (set TEXTMETER_CORPUS)");
        return;
    };
    let config = TokenizerConfig::default();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for (name, text) in files {
        let (whole, stats) = one_shot(&text, config, false);
        let whole = strip_raw(whole);
        for round in 0..3 {
            let mut points = Vec::new();
            let mut at = 0usize;
            loop {
                // xorshift: chunk sizes 1..=8192
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                at += 1 + (state % 8192) as usize;
                if at >= text.len() {
                    break;
                }
                points.push(at);
            }
            let (toks, s) = run(&gen::split_at(&text, &points), config, false);
            assert!(strip_raw(toks) == whole, "{name} round {round}");
            assert_eq!(s, stats, "{name} round {round}");
        }
    }
}
