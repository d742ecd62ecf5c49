//! Unicode's own word-boundary conformance file, every case.
//!
//! `testdata/unicode/WordBreakTest.txt` is the Unicode 15.0 file, the
//! version of our Word_Break tables (`tables.rs`), so every case must pass;
//! no exceptions are listed.

use super::super::{tables::UNICODE_VERSION, Tokenizer, TokenizerConfig};
use std::string::String;
use std::vec::Vec;

const FILE: &str =
    include_str!("../../../../testdata/unicode/WordBreakTest.txt");

/// Each case: the text and its segments.
fn cases() -> Vec<(usize, String, Vec<String>)> {
    let mut out = Vec::new();
    for (no, line) in FILE.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut segments: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut current = String::new();
        for field in line.split_whitespace() {
            match field {
                "÷" => {
                    if !current.is_empty() {
                        segments.push(core::mem::take(&mut current));
                    }
                }
                "×" => {}
                hex => {
                    let cp = u32::from_str_radix(hex, 16).expect("hex");
                    let c = char::from_u32(cp).expect("scalar value");
                    current.push(c);
                    text.push(c);
                }
            }
        }
        out.push((no + 1, text, segments));
    }
    out
}

#[test]
fn tables_are_the_file_version() {
    assert!(FILE.starts_with("# WordBreakTest-15.0.0.txt"));
    assert_eq!(UNICODE_VERSION, (15, 0, 0));
}

#[test]
fn every_boundary_of_every_case() {
    let cases = cases();
    assert!(cases.len() > 1800, "only {} cases parsed", cases.len());
    let mut failures = Vec::new();
    for (line, text, expected) in &cases {
        let mut t = Tokenizer::new(TokenizerConfig::default());
        t.slow_only = true;
        t.all_segments = true;
        let mut got = Vec::new();
        t.feed_last(text.as_bytes(), |tok| {
            got.push(String::from_utf8(tok.raw().unwrap().to_vec()).unwrap())
        });
        if &got != expected {
            failures.push(std::format!(
                "line {line}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), {
        failures.truncate(20);
        failures.join("\n")
    });
}

/// The fast path (on by default) yields exactly the segments that contain a
/// letter or digit, chunked one byte at a time too.
#[test]
fn tokens_of_every_case_with_fast_path_and_byte_chunks() {
    for (line, text, segments) in cases() {
        let expected: Vec<String> = segments
            .into_iter()
            .filter(|s| s.chars().any(char::is_alphanumeric))
            .collect();
        let (toks, _) = super::one_shot(
            text.as_bytes(),
            TokenizerConfig::default(),
            false,
        );
        let got: Vec<String> =
            toks.into_iter().map(|t| t.raw.unwrap()).collect();
        assert_eq!(got, expected, "line {line}");
        let bytes: Vec<&[u8]> = text.as_bytes().chunks(1).collect();
        let (split, _) = super::run(&bytes, TokenizerConfig::default(), false);
        let config = TokenizerConfig::default();
        let whole = super::one_shot(text.as_bytes(), config, false).0;
        assert_eq!(super::strip_raw(split), super::strip_raw(whole));
    }
}
