//! The fast path against the general machine, and both against
//! unicode-segmentation's `unicode_words` (an independent implementation).

use super::gen;
use super::{one_shot, Tok};
use crate::tokenize::props::{class_of, Prop, EXT_PICT};
use crate::tokenize::tables::ASSIGNED;
use crate::tokenize::TokenizerConfig;
use proptest::prelude::*;
use std::string::String;
use std::vec::Vec;
use unicode_segmentation::UnicodeSegmentation;

/// unicode-segmentation's tokens, with each maximal invalid subsequence
/// replaced by a line feed: our hard break behaves exactly like one (breaks
/// on both sides, combining marks after it do not attach).
pub(crate) fn reference(bytes: &[u8]) -> Vec<String> {
    let mut text = String::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push('\n');
        }
    }
    text.unicode_words().map(String::from).collect()
}

/// Our normalisation, written independently: per-char lowercase, then
/// apostrophes, then truncation at a char boundary.
fn normalise(raw: &str, max: usize) -> (String, usize) {
    let mut full = String::new();
    for c in raw.chars() {
        for l in c.to_lowercase() {
            full.push(match l {
                '\u{2019}' | '\u{2bc}' | '\u{ff07}' => '\'',
                other => other,
            });
        }
    }
    let len = full.len();
    let mut cut = max.min(len);
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    full.truncate(cut);
    (full, len)
}

/// Characters whose Word_Break value changed between Unicode 15.0 (our
/// tables, and the conformance file) and 17.0 (unicode-segmentation 1.13);
/// found by comparing both on every 15.0 code point in eleven contexts:
/// - U+0600..U+0605, U+06DD, U+070F, U+0890..U+0891, U+08E2, U+110BD,
///   U+110CD: prepended concatenation marks, Format in 15.0, Numeric since
///   16.0;
/// - U+19DA NEW TAI LUE THAM DIGIT ONE: Other in 15.0, Numeric since 16.0;
/// - U+FE10, U+FE14 vertical comma and semicolon: Other in 15.0, MidNum
///   since 16.0;
/// - U+00B8 CEDILLA: Other in 15.0, MidLetter since 16.0.
const CHANGED_SINCE_15: &[(u32, u32)] = &[
    (0xb8, 0xb8),
    (0x600, 0x605),
    (0x6dd, 0x6dd),
    (0x70f, 0x70f),
    (0x890, 0x891),
    (0x8e2, 0x8e2),
    (0x19da, 0x19da),
    (0xfe10, 0xfe10),
    (0xfe14, 0xfe14),
    (0x110bd, 0x110bd),
    (0x110cd, 0x110cd),
];

/// True when both Unicode versions must agree on `bytes`: every character
/// was assigned in 15.0 and none changed its Word_Break value since.
fn versions_agree(bytes: &[u8]) -> bool {
    let in_ranges = |ranges: &[(u32, u32)], cp: u32| {
        let i = ranges.partition_point(|r| r.0 <= cp);
        i > 0 && cp <= ranges[i - 1].1
    };
    String::from_utf8_lossy(bytes).chars().all(|c| {
        let cp = c as u32;
        c == char::REPLACEMENT_CHARACTER
            || (in_ranges(&ASSIGNED, cp) && !in_ranges(CHANGED_SINCE_15, cp))
    })
}

/// True when unicode-segmentation is known to deviate from UAX #29 on
/// `bytes`. Its WB3c handling (`ZWJ × Extended_Pictographic`) wins over
/// the other rules around it, so, checked by hand against the rules:
/// - `a'‍👨`: WB6 needs a letter after `'` (WB4 skips the ZWJ, 👨 is no
///   letter), so `a` ÷ `'‍👨`; it returns one segment `a'‍👨`;
/// - `‍ℹé`: ℹ (U+2139) and Ⓜ (U+24C2) are ALetter, so WB5 joins é; it
///   breaks before é.
fn reference_deviates(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len()).any(|i| {
        let next = class_of(chars[i] as u32);
        if chars[i - 1] != '\u{200d}' || !next.has(EXT_PICT) {
            return false;
        }
        let before = chars[..i - 1]
            .iter()
            .rev()
            .map(|&c| class_of(c as u32).prop())
            .find(|p| !matches!(p, Prop::Extend | Prop::Format | Prop::Zwj));
        next.prop() == Prop::ALetter
            || matches!(
                before,
                Some(
                    Prop::MidLetter
                        | Prop::MidNumLet
                        | Prop::MidNum
                        | Prop::SingleQuote
                        | Prop::DoubleQuote
                )
            )
    })
}

fn raws(toks: &[Tok]) -> Vec<String> {
    toks.iter().map(|t| t.raw.clone().expect("one-shot raw")).collect()
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let config = TokenizerConfig::default();
    let fast = one_shot(bytes, config, false);
    let slow = one_shot(bytes, config, true);
    prop_assert_eq!(&fast, &slow, "fast path differs from the machine");
    if versions_agree(bytes) && !reference_deviates(bytes) {
        prop_assert_eq!(raws(&fast.0), reference(bytes));
    }
    for t in &fast.0 {
        let (norm, full) = normalise(t.raw.as_ref().unwrap(), 64);
        prop_assert_eq!(&t.norm, &norm);
        prop_assert_eq!(t.full_len, full);
    }
    let lossy = String::from_utf8_lossy(bytes);
    prop_assert_eq!(fast.1.chars, lossy.chars().count() as u64);
    prop_assert_eq!(fast.1.bytes, bytes.len() as u64);
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    prop_assert_eq!(fast.1.lines, newlines as u64);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok()
            .and_then(|v| v.parse().ok()).unwrap_or(2000)))]

    #[test]
    fn mixed_scripts_match_reference(bytes in gen::text(40)) {
        check(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_match_reference(
        bytes in proptest::collection::vec(any::<u8>(), 0..64)
    ) {
        check(&bytes)?;
    }
}

#[test]
fn seeds_match_reference() {
    for (name, text) in super::splits::SEEDS {
        let ours = raws(&one_shot(text, TokenizerConfig::default(), false).0);
        assert_eq!(ours, reference(text), "{name}");
        check(text).unwrap();
    }
}

/// The whole corpus beside the project, where it exists (a user's clone
/// does not have it; CI on this project's machines does).
#[test]
fn corpus_matches_reference_where_available() {
    let Some(files) = super::splits::corpus() else {
        std::eprintln!("corpus not found: skipped (set TEXTMETER_CORPUS)");
        return;
    };
    for (name, text) in files {
        let ours = raws(&one_shot(&text, TokenizerConfig::default(), false).0);
        let theirs = reference(&text);
        if ours != theirs {
            let at = ours.iter().zip(&theirs).position(|(a, b)| a != b);
            panic!("{name}: first difference at token {at:?}");
        }
        std::eprintln!("{name}: {} tokens identical", ours.len());
    }
}
