//! The normalised form of one character: `char::to_lowercase` and the
//! apostrophe variants U+2019, U+02BC and U+FF07 mapped to `'`.

use super::props::{lowercase_of, Class, LOWER_DIFFERS};
use super::TokenizerConfig;

/// Clause punctuation beyond ASCII: ideographic and fullwidth stops, the
/// ellipsis, Arabic, Devanagari and Greek question marks and stops.
#[inline]
pub(crate) fn is_clause_punct(cp: u32) -> bool {
    matches!(
        cp,
        0x21 | 0x2e
            | 0x3a
            | 0x3b
            | 0x3f
            | 0x037e
            | 0x061f
            | 0x06d4
            | 0x0964
            | 0x0965
            | 0x2026
            | 0x3002
            | 0xff01
            | 0xff0e
            | 0xff1a
            | 0xff1b
            | 0xff1f
            | 0xff61
    )
}

/// Encodes a scalar value as UTF-8 into the front of four bytes.
#[inline(always)]
pub(crate) fn encode(cp: u32) -> ([u8; 4], usize) {
    if cp < 0x80 {
        ([cp as u8, 0, 0, 0], 1)
    } else if cp < 0x800 {
        ([0xc0 | (cp >> 6) as u8, 0x80 | (cp & 0x3f) as u8, 0, 0], 2)
    } else if cp < 0x10000 {
        (
            [
                0xe0 | (cp >> 12) as u8,
                0x80 | ((cp >> 6) & 0x3f) as u8,
                0x80 | (cp & 0x3f) as u8,
                0,
            ],
            3,
        )
    } else {
        (
            [
                0xf0 | (cp >> 18) as u8,
                0x80 | ((cp >> 12) & 0x3f) as u8,
                0x80 | ((cp >> 6) & 0x3f) as u8,
                0x80 | (cp & 0x3f) as u8,
            ],
            4,
        )
    }
}

/// The normalised UTF-8 of `cp`: up to four bytes and their count.
#[inline(always)]
pub(crate) fn normalize(
    cp: u32,
    class: Class,
    config: &TokenizerConfig,
) -> ([u8; 4], usize) {
    if config.fold_apostrophes && matches!(cp, 0x2019 | 0x02bc | 0xff07) {
        return ([b'\'', 0, 0, 0], 1);
    }
    if config.fold_case && class.has(LOWER_DIFFERS) {
        if cp == 0x130 {
            // LATIN CAPITAL LETTER I WITH DOT ABOVE lowercases to two
            // characters: i + U+0307 COMBINING DOT ABOVE.
            return ([b'i', 0xcc, 0x87, 0], 3);
        }
        return encode(lowercase_of(cp));
    }
    encode(cp)
}
