//! Byte classes for the ASCII fast path.
//!
//! Pure-ASCII stretches never touch the Unicode tables: one lookup in a
//! 256-entry table says whether a byte continues a word, may join two words
//! (`' . : , ;` — UAX #29 rules WB6/7 and WB11/12 look one character
//! ahead of them), ends a clause, or leaves ASCII.

/// `A-Z a-z` (Word_Break ALetter, alphabetic).
pub(crate) const LETTER: u8 = 1;
/// `0-9` (Numeric).
pub(crate) const DIGIT: u8 = 1 << 1;
/// `A-Z`: lowercasing changes it.
pub(crate) const UPPER: u8 = 1 << 2;
/// `_` (ExtendNumLet): joins letters and digits on both sides (WB13a/b).
pub(crate) const UNDERSCORE: u8 = 1 << 3;
/// `' . :` may join two letters (WB6/WB7).
pub(crate) const JOINS_LETTERS: u8 = 1 << 4;
/// `' . , ;` may join two digits (WB11/WB12).
pub(crate) const JOINS_DIGITS: u8 = 1 << 5;
/// `. ! ? ; :` end a clause (the lexicon's negation window stops there).
pub(crate) const CLAUSE: u8 = 1 << 6;
/// Bytes `0x80..=0xff`: leave the fast path.
pub(crate) const NON_ASCII: u8 = 1 << 7;

/// Bytes that continue a word run.
pub(crate) const WORDISH: u8 = LETTER | DIGIT | UNDERSCORE;

/// True for the ASCII bytes before which every character breaks: spaces,
/// controls, line breaks and punctuation other than the joiners and `"`
/// (which WB6/7, WB7b/c and WB11/12 may join to what precedes). No ASCII
/// character is pictographic, so WB3c never applies; the only exceptions
/// left, WB3 (CR LF) and WB3d (spaces), follow a separator, never a
/// word.
#[inline(always)]
pub(crate) fn breaks_after_word(b: u8) -> bool {
    let c = CLASS[usize::from(b)];
    c & (WORDISH | JOINS_LETTERS | JOINS_DIGITS | NON_ASCII) == 0 && b != b'"'
}

const fn class(b: u8) -> u8 {
    match b {
        b'A'..=b'Z' => LETTER | UPPER,
        b'a'..=b'z' => LETTER,
        b'0'..=b'9' => DIGIT,
        b'_' => UNDERSCORE,
        b'\'' => JOINS_LETTERS | JOINS_DIGITS,
        b'.' => JOINS_LETTERS | JOINS_DIGITS | CLAUSE,
        b':' => JOINS_LETTERS | CLAUSE,
        b',' => JOINS_DIGITS,
        b';' => JOINS_DIGITS | CLAUSE,
        b'!' | b'?' => CLAUSE,
        0x80..=0xff => NON_ASCII,
        _ => 0,
    }
}

const fn build() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = class(i as u8);
        i += 1;
    }
    t
}

/// Counts the `\n` bytes of `bytes`.
///
/// memchr without its `std` feature has no runtime CPU detection, so its
/// count runs on SSE2 at about 0.7 instructions a byte. Summing byte-wide
/// flags in 32 lanes for at most 255 rounds before widening is plain safe
/// code that LLVM vectorises to a compare and a subtract per vector, half
/// the instructions, on every target.
pub(crate) fn count_newlines(bytes: &[u8]) -> u64 {
    const LANES: usize = 32;
    let mut total = 0u64;
    let mut blocks = bytes.chunks_exact(LANES);
    loop {
        let mut acc = [0u8; LANES];
        let mut rounds = 0;
        for block in blocks.by_ref().take(usize::from(u8::MAX)) {
            for (a, &b) in acc.iter_mut().zip(block) {
                *a += u8::from(b == b'\n');
            }
            rounds += 1;
        }
        total += acc.iter().map(|&a| u64::from(a)).sum::<u64>();
        if rounds < usize::from(u8::MAX) {
            break;
        }
    }
    let rest = blocks.remainder();
    total + rest.iter().filter(|&&b| b == b'\n').count() as u64
}

/// The class of every byte value.
pub(crate) static CLASS: [u8; 256] = build();

#[cfg(test)]
mod tests {
    use super::super::props::{class_of, Prop, ALPHA, EXT_PICT, NUMERIC};
    use super::*;

    proptest::proptest! {
        #[test]
        fn newline_count_equals_naive(
            bytes in proptest::collection::vec(
                proptest::sample::select(std::vec![b'\n', b'a', 0x8a]),
                0..20_000,
            ),
        ) {
            let naive = bytes.iter().filter(|&&b| b == b'\n').count();
            proptest::prop_assert_eq!(count_newlines(&bytes), naive as u64);
        }
    }

    #[test]
    fn newline_count_does_not_overflow_lanes() {
        // 255 rounds of all-newline blocks fill every lane to the brim.
        for len in [0, 1, 31, 32, 33, 255 * 32, 255 * 32 + 1, 70_000] {
            let bytes = std::vec![b'\n'; len];
            assert_eq!(count_newlines(&bytes), len as u64, "{len}");
        }
    }

    /// The hand-written ASCII classes must say what the Unicode tables say.
    #[test]
    fn agrees_with_unicode_tables() {
        for b in 0u8..0x80 {
            let c = CLASS[usize::from(b)];
            let u = class_of(u32::from(b));
            assert_eq!(c & LETTER != 0, u.prop() == Prop::ALetter, "{b}");
            assert_eq!(c & LETTER != 0, u.has(ALPHA), "{b}");
            assert_eq!(c & DIGIT != 0, u.prop() == Prop::Numeric, "{b}");
            assert_eq!(c & DIGIT != 0, u.has(NUMERIC), "{b}");
            assert_eq!(c & UPPER != 0, b.is_ascii_uppercase(), "{b}");
            assert_eq!(c & UNDERSCORE != 0, u.prop() == Prop::ExtendNumLet);
            let joins_letters = matches!(
                u.prop(),
                Prop::MidLetter | Prop::MidNumLet | Prop::SingleQuote
            );
            let joins_digits = matches!(
                u.prop(),
                Prop::MidNum | Prop::MidNumLet | Prop::SingleQuote
            );
            assert_eq!(c & JOINS_LETTERS != 0, joins_letters, "{b}");
            assert_eq!(c & JOINS_DIGITS != 0, joins_digits, "{b}");
            let breaks = matches!(
                u.prop(),
                Prop::Other
                    | Prop::WSegSpace
                    | Prop::Cr
                    | Prop::Lf
                    | Prop::Newline
            ) && !u.has(EXT_PICT);
            assert_eq!(breaks_after_word(b), breaks, "{b}");
        }
    }
}
