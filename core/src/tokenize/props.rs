//! Per-code-point facts the word breaker needs, looked up in the generated
//! [`tables`](super::tables).
//!
//! One `u16` per code point packs the Word_Break value (UAX #29), the
//! Extended_Pictographic flag, whether `char::is_alphabetic` /
//! `char::is_numeric` hold, and whether `char::to_lowercase` changes it.
//! Code points below `DIRECT_LIMIT` (Latin, Greek, Cyrillic, Hebrew, Arabic)
//! are a direct index; the rest is a binary search over runs of equal values
//! (about 2,800 runs, 11 KiB), which keeps the tables small enough for
//! firmware.

use super::tables::{DIRECT, DIRECT_LIMIT, LOWER, RUNS};

/// Word_Break property values (UAX #29, table 3), plus `Sot`, the state
/// before the first character of a text or after a hard break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Prop {
    Other = 0,
    Cr,
    Lf,
    Newline,
    Extend,
    Zwj,
    RegionalIndicator,
    Format,
    Katakana,
    HebrewLetter,
    ALetter,
    SingleQuote,
    DoubleQuote,
    MidNumLet,
    MidLetter,
    MidNum,
    Numeric,
    ExtendNumLet,
    WSegSpace,
    Sot,
}

const PROP_BY_INDEX: [Prop; 20] = [
    Prop::Other,
    Prop::Cr,
    Prop::Lf,
    Prop::Newline,
    Prop::Extend,
    Prop::Zwj,
    Prop::RegionalIndicator,
    Prop::Format,
    Prop::Katakana,
    Prop::HebrewLetter,
    Prop::ALetter,
    Prop::SingleQuote,
    Prop::DoubleQuote,
    Prop::MidNumLet,
    Prop::MidLetter,
    Prop::MidNum,
    Prop::Numeric,
    Prop::ExtendNumLet,
    Prop::WSegSpace,
    Prop::Sot,
];

/// Extended_Pictographic (emoji-data.txt).
pub(crate) const EXT_PICT: u16 = 1 << 5;
/// `char::is_alphabetic`.
pub(crate) const ALPHA: u16 = 1 << 6;
/// `char::is_numeric` and not alphabetic.
pub(crate) const NUMERIC: u16 = 1 << 7;
/// `char::to_lowercase` differs from the char itself.
pub(crate) const LOWER_DIFFERS: u16 = 1 << 8;

/// The packed facts about one code point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Class(pub(crate) u16);

impl Class {
    #[inline]
    pub(crate) fn prop(self) -> Prop {
        PROP_BY_INDEX[usize::from(self.0 & 0x1f)]
    }

    #[inline]
    pub(crate) fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
}

/// Looks up the class of a Unicode scalar value.
#[inline]
pub(crate) fn class_of(cp: u32) -> Class {
    if cp < DIRECT_LIMIT {
        return Class(DIRECT[cp as usize]);
    }
    // RUNS is sorted by start; the run containing cp is the last one whose
    // start is <= cp. `cp << 11 | 0x7ff` sorts after every entry with that
    // start, so partition_point counts exactly the runs starting at or
    // before cp (there is always one: the first run starts at DIRECT_LIMIT).
    let key = (cp << 11) | 0x7ff;
    let idx = RUNS.partition_point(|&e| e <= key);
    Class((RUNS[idx - 1] & 0x7ff) as u16)
}

/// The class of `cp >= DIRECT_LIMIT` and the range `lo..=hi` of code points
/// that share it, so callers can cache the run (text in one script stays in
/// one run: a whole CJK block is one).
#[inline]
pub(crate) fn run_of(cp: u32) -> (Class, u32, u32) {
    let key = (cp << 11) | 0x7ff;
    let idx = RUNS.partition_point(|&e| e <= key);
    let entry = RUNS[idx - 1];
    let hi = RUNS.get(idx).map_or(0x10ffff, |&next| (next >> 11) - 1);
    (Class((entry & 0x7ff) as u16), entry >> 11, hi)
}

/// `char::to_lowercase` for the code points whose lowercase is one char.
/// U+0130 (the only one with a two-char lowercase) is handled by the caller.
#[inline]
pub(crate) fn lowercase_of(cp: u32) -> u32 {
    let idx = LOWER.partition_point(|&(start, ..)| start <= cp);
    if idx == 0 {
        return cp;
    }
    let (start, len, stride, delta) = LOWER[idx - 1];
    let off = cp - start;
    let stride = u32::from(stride);
    if off % stride == 0 && off / stride < u32::from(len) {
        cp.wrapping_add_signed(delta)
    } else {
        cp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed tables must agree with the compiler's own Unicode data
    /// for every scalar value; a toolchain with newer data fails here and
    /// `scripts/regen-tables` fixes it.
    #[test]
    fn tables_match_char_methods_for_every_scalar_value() {
        for cp in 0..=0x10ffffu32 {
            let Some(c) = char::from_u32(cp) else { continue };
            let class = class_of(cp);
            assert_eq!(class.has(ALPHA), c.is_alphabetic(), "{cp:#x}");
            assert_eq!(
                class.has(NUMERIC),
                !c.is_alphabetic() && c.is_numeric(),
                "{cp:#x}"
            );
            let mut lower = c.to_lowercase();
            let first = lower.next().unwrap();
            let single = lower.next().is_none();
            assert_eq!(
                class.has(LOWER_DIFFERS),
                first != c || !single,
                "{cp:#x}"
            );
            if single {
                assert_eq!(lowercase_of(cp), first as u32, "{cp:#x}");
            }
        }
    }

    #[test]
    fn runs_cover_their_code_points() {
        for cp in (0x800..=0x10ffffu32).step_by(97) {
            let (class, lo, hi) = run_of(cp);
            assert!(lo <= cp && cp <= hi, "{cp:#x}");
            assert_eq!(class, class_of(cp));
            assert_eq!(class_of(lo), class);
            assert_eq!(class_of(hi), class);
        }
    }

    #[test]
    fn spot_checks() {
        assert_eq!(class_of('a' as u32).prop(), Prop::ALetter);
        assert_eq!(class_of('\'' as u32).prop(), Prop::SingleQuote);
        assert_eq!(class_of(0x2019).prop(), Prop::MidNumLet);
        assert_eq!(class_of(0x30a2).prop(), Prop::Katakana);
        assert_eq!(class_of(0x1f1e6).prop(), Prop::RegionalIndicator);
        assert!(class_of(0x1f600).has(EXT_PICT));
        assert_eq!(class_of(0x200d).prop(), Prop::Zwj);
        assert_eq!(class_of(0x10ffff).prop(), Prop::Other);
        assert!(class_of(0x4e00).has(ALPHA));
    }
}
