//! Property-test text: ASCII, Latin-1, Cyrillic, Han, Hebrew, Katakana,
//! emoji with ZWJ sequences and modifiers, regional indicators, combining
//! marks (some alphabetic), format characters, line breaks and invalid
//! UTF-8, in random order.

use proptest::prelude::*;
use std::vec::Vec;

const PIECES: &[&str] = &[
    "a",
    "Z",
    "word",
    "Russia",
    "x",
    "7",
    "42",
    "130",
    "_",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{b}",
    "\u{85}",
    "\u{2028}",
    "'",
    "’",
    "ʼ",
    "＇",
    ".",
    ",",
    ":",
    ";",
    "!",
    "?",
    "\"",
    "-",
    "(",
    "é",
    "Ü",
    "ß",
    "İ",
    "ñ",
    "Россия",
    "ё",
    "中",
    "国人",
    "。",
    "ש",
    "צה",
    "״",
    "׳",
    "カ",
    "タカナ",
    "ー",
    "゛",
    "👍",
    "🏽",
    "\u{200d}",
    "👨",
    "🛑",
    "©",
    "🇺",
    "🇦",
    "\u{301}",
    "\u{345}",
    "\u{93e}",
    "क",
    "\u{ad}",
    "\u{200b}",
    "\u{fe0f}",
    "\u{20e3}",
    "\u{2060}",
    "１",
    "٣",
    "\u{66b}",
    "…",
    "\u{3000}",
    "\u{a0}",
    "ℹ",
    "Ⓜ",
    "\u{e0061}",
];

const INVALID: &[&[u8]] = &[
    b"\xff",
    b"\x80",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x00",
];

/// One piece: mostly valid text, sometimes invalid bytes.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        12 => proptest::sample::select(PIECES)
            .prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::sample::select(INVALID).prop_map(|b| b.to_vec()),
        1 => any::<char>().prop_map(|c| {
            let mut b = [0u8; 4];
            c.encode_utf8(&mut b).as_bytes().to_vec()
        }),
    ]
}

/// Mixed text of up to `max` pieces.
pub(crate) fn text(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(piece(), 0..max).prop_map(|v| v.concat())
}

/// Text plus sorted split points into it.
pub(crate) fn text_and_splits(
    max: usize,
) -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    text(max).prop_flat_map(|t| {
        let len = t.len();
        (Just(t), proptest::collection::vec(0..=len, 0..8)).prop_map(
            |(t, mut s)| {
                s.sort_unstable();
                (t, s)
            },
        )
    })
}

/// Splits `text` at `points`.
pub(crate) fn split_at<'a>(text: &'a [u8], points: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut prev = 0;
    for &p in points {
        out.push(&text[prev..p]);
        prev = p;
    }
    out.push(&text[prev..]);
    out
}
