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

/// Writes the normalised UTF-8 of `cp` into `out`, returning its length.
#[inline]
pub(crate) fn normalize(
    cp: u32,
    class: Class,
    config: &TokenizerConfig,
    out: &mut [u8; 4],
) -> usize {
    if config.fold_apostrophes && matches!(cp, 0x2019 | 0x02bc | 0xff07) {
        out[0] = b'\'';
        return 1;
    }
    let mapped = if config.fold_case && class.has(LOWER_DIFFERS) {
        if cp == 0x130 {
            // LATIN CAPITAL LETTER I WITH DOT ABOVE lowercases to two
            // characters: i + U+0307 COMBINING DOT ABOVE.
            out[..3].copy_from_slice("i\u{307}".as_bytes());
            return 3;
        }
        lowercase_of(cp)
    } else {
        cp
    };
    match char::from_u32(mapped) {
        Some(c) => c.encode_utf8(out).len(),
        // Unreachable with consistent tables; U+FFFD keeps output valid.
        None => char::REPLACEMENT_CHARACTER.encode_utf8(out).len(),
    }
}
