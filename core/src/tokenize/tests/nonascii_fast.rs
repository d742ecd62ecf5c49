//! The non-ASCII fast paths (two-byte letter runs, a letter starting a
//! word after a space or an Other character, an ASCII separator ending a
//! word the machine built, the two-entry run cache) against the general
//! machine alone, on text dense in exactly the transitions they shortcut,
//! whole and split at every point, and through the counting sink.

use super::{one_shot, run, strip_raw};
use crate::counts::{count, Counts, TokenCounter};
use crate::tokenize::{Tokenizer, TokenizerConfig};
use proptest::prelude::*;
use std::vec::Vec;

/// Pieces around the shortcuts' edges: two-byte letters of every kind
/// (capitals that lowercase, ʼ U+02BC that folds, İ whose lowercase is
/// longer, non-letters and Hebrew in the two-byte range), the joiners
/// and `"` that must not be taken for separators, Han with fullwidth
/// and box-drawing punctuation (alternating runs), emoji and ZWJ, marks,
/// format characters and invalid or truncated sequences.
const PIECES: &[&str] = &[
    "мир",
    "Россия",
    "ё",
    "Ё",
    "αβγ",
    "Ω",
    "é",
    "Ü",
    "ß",
    "İ",
    "ʼ",
    "ǅ",
    "ª",
    "µ",
    "\u{a0}",
    "×",
    "§",
    "ש",
    "צה",
    "״",
    "׳",
    "٣",
    "a",
    "Z",
    "7",
    "_",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{b}",
    "'",
    "\"",
    ".",
    ",",
    ":",
    ";",
    "!",
    "-",
    "(",
    "’",
    "中",
    "国人",
    "，",
    "。",
    "─",
    "│",
    "《",
    "》",
    "：",
    "１",
    "カ",
    "👍",
    "\u{200d}",
    "©",
    "ℹ",
    "🇺",
    "\u{301}",
    "\u{345}",
    "\u{ad}",
    "\u{fe0f}",
    "\u{2060}",
    "\u{2028}",
    "…",
    "Ⱥ",
    "˂",
    "ǈ",
    "Straße",
    "für",
    "\u{3000}",
    "ー",
    "々",
    "〇",
    "①",
    "Ⓐ",
    "\u{e000}",
];

const INVALID: &[&[u8]] =
    &[b"\xd0", b"\xd0\xd0", b"\xc0\xaf", b"\xe4\xb8", b"\x80"];

fn text() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            10 => proptest::sample::select(PIECES)
                .prop_map(|s| s.as_bytes().to_vec()),
            1 => proptest::sample::select(INVALID).prop_map(|b| b.to_vec()),
        ],
        0..30,
    )
    .prop_map(|v| v.concat())
}

/// Counts through the general machine alone.
fn slow_counts(text: &[u8], config: TokenizerConfig) -> Counts {
    let mut t = Tokenizer::new(config);
    t.slow_only = true;
    let mut c = Counts::default();
    t.feed_last(text, |tok| c.add_token(tok));
    c.set_text_stats(t.stats());
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok()
            .and_then(|v| v.parse().ok()).unwrap_or(1000)))]

    #[test]
    fn fast_equals_machine_at_every_split(
        bytes in text(),
        fold_case: bool,
        fold_apostrophes: bool,
        max in prop_oneof![Just(64usize), 1usize..8],
    ) {
        let config = TokenizerConfig {
            fold_case,
            fold_apostrophes,
            max_token_len: max,
        };
        let fast = one_shot(&bytes, config, false);
        let slow = one_shot(&bytes, config, true);
        prop_assert_eq!(&fast, &slow);
        let whole = strip_raw(slow.0);
        for at in 0..=bytes.len() {
            let (toks, stats) =
                run(&[&bytes[..at], &bytes[at..]], config, false);
            prop_assert_eq!(strip_raw(toks), whole.clone(), "split at {}", at);
            prop_assert_eq!(stats, slow.1, "split at {}", at);
        }
        prop_assert_eq!(count(&bytes, &config), slow_counts(&bytes, config));
        let mut c = TokenCounter::new(config);
        bytes.chunks(3).for_each(|chunk| c.update(chunk));
        prop_assert_eq!(c.finish(), slow_counts(&bytes, config));
    }
}

/// Words and separators for texts long enough for the 64-byte block path,
/// with two-byte letters it takes (Latin-1, Latin Extended, Cyrillic, in
/// both cases) next to the pairs it must leave alone (`×`, `İ`, `Ⱥ`,
/// Greek, marks) and the non-ASCII characters that stop a block.
const BLOCK_PIECES: &[&str] = &[
    "мир",
    "Россия",
    "ПУТИН",
    "ёлка",
    "für",
    "Straße",
    "ÄÖÜ",
    "ǅemal",
    "ɐɑ",
    "ӁӂӃ",
    "Ѡѡ",
    "x×y",
    "İstanbul",
    "Ⱥb",
    "αβ",
    "é\u{301}",
    "ab",
    "Ab",
    "12",
    "3,5",
    "x_1",
    "_",
    "can't",
    "U.S",
    "a'б",
    "б'a",
    "б.б",
    "\u{482}",
    " ",
    " ",
    " ",
    ", ",
    ". ",
    "\n",
    "'",
    "«",
    "»",
    "—",
    "’",
    "中",
    "\u{ad}",
];

fn block_text() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        proptest::sample::select(BLOCK_PIECES)
            .prop_map(|s| s.as_bytes().to_vec()),
        0..120,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok()
            .and_then(|v| v.parse().ok()).unwrap_or(500)))]

    /// The block path with two-byte letters against the machine alone:
    /// tokens, raw spans and statistics whole and split, and counts.
    #[test]
    fn block_path_with_two_byte_letters_equals_machine(
        bytes in block_text(),
        fold_case: bool,
        max in prop_oneof![Just(64usize), Just(255usize), 1usize..12],
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 4),
    ) {
        let config = TokenizerConfig {
            fold_case,
            fold_apostrophes: true,
            max_token_len: max,
        };
        let fast = one_shot(&bytes, config, false);
        let slow = one_shot(&bytes, config, true);
        prop_assert_eq!(&fast, &slow);
        let whole = strip_raw(slow.0);
        for cut in &cuts {
            let at = cut.index(bytes.len() + 1);
            let (toks, stats) =
                run(&[&bytes[..at], &bytes[at..]], config, false);
            prop_assert_eq!(strip_raw(toks), whole.clone(), "split at {}", at);
            prop_assert_eq!(stats, slow.1, "split at {}", at);
        }
        prop_assert_eq!(count(&bytes, &config), slow_counts(&bytes, config));
    }
}

/// `ideograph_run` takes the class of U+4E00..=U+9FFF without a lookup.
#[test]
fn han_class_is_the_tables_class() {
    for cp in 0x4e00..=0x9fffu32 {
        assert_eq!(
            crate::tokenize::props::class_of(cp).0,
            crate::tokenize::HAN_CLASS,
            "{cp:#x}"
        );
    }
}

/// Lines are counted in windows ahead of the tokenizer: every byte once,
/// whatever the chunk sizes and however far one fast-path call reaches.
#[test]
fn lines_counted_once_across_windows() {
    let mut text = Vec::new();
    let mut x = 12345u32;
    while text.len() < 200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let piece: &[u8] = match x >> 28 {
            0 => b"\n",
            1 => "мир ".as_bytes(),
            2 => "中文。".as_bytes(),
            3 => b"\n\n",
            _ => b"word and more words ",
        };
        text.extend_from_slice(piece);
        if x % 9 == 0 {
            // Long newline-free stretches keep the block path going.
            text.extend(std::iter::repeat(b'a').take(20_000));
        }
    }
    // One separator run may reach the end of the chunk from inside a
    // window: the newlines after that window are counted at the end.
    text.extend(std::iter::repeat(b'\n').take(50_000));
    let expected = text.iter().filter(|&&b| b == b'\n').count() as u64;
    let config = TokenizerConfig::default();
    assert_eq!(count(&text, &config).lines, expected);
    for size in [1, 7, 4096, 16 * 1024 + 1, 70_000] {
        let mut c = TokenCounter::new(config);
        text.chunks(size).for_each(|chunk| c.update(chunk));
        assert_eq!(c.finish().lines, expected, "chunks of {size}");
    }
}
