//! The UAX #29 word-boundary rules and the buffer a segment grows in.

use super::props::Prop;

/// What a boundary between the current segment and the next character is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// No break: the character joins the segment.
    Join,
    /// Break: the character starts a new segment.
    Break,
    /// Undecided until the next character that is not Extend/Format/ZWJ:
    /// it joins only if that character is of the kind named (WB6/WB7,
    /// WB7b/WB7c, WB11/WB12).
    Maybe(Need),
}

/// The kind of character that resolves a pending [`Decision::Maybe`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// ALetter or Hebrew_Letter (WB6/WB7).
    Letter,
    /// Hebrew_Letter (WB7b/WB7c).
    Hebrew,
    /// Numeric (WB11/WB12).
    Number,
}

impl Need {
    #[inline]
    pub(crate) fn accepts(self, p: Prop) -> bool {
        match self {
            Need::Letter => is_ahletter(p),
            Need::Hebrew => p == Prop::HebrewLetter,
            Need::Number => p == Prop::Numeric,
        }
    }
}

#[inline]
fn is_ahletter(p: Prop) -> bool {
    matches!(p, Prop::ALetter | Prop::HebrewLetter)
}

#[inline]
fn joins_letters(p: Prop) -> bool {
    matches!(p, Prop::MidLetter | Prop::MidNumLet | Prop::SingleQuote)
}

#[inline]
fn joins_digits(p: Prop) -> bool {
    matches!(p, Prop::MidNum | Prop::MidNumLet | Prop::SingleQuote)
}

/// Applies rules WB3–WB999 to the boundary before a character of property
/// `p` that WB4 does not absorb.
///
/// `raw` is the property of the character immediately before (WB3–WB3d look
/// at adjacent characters); `last` and `last2` are the last two characters
/// of the text with Extend/Format/ZWJ skipped (WB4), which the remaining
/// rules look at. `ri_odd` says an odd number of regional indicators ends
/// the text so far (WB15/WB16).
#[inline(always)]
pub(crate) fn decide(
    raw: Prop,
    last: Prop,
    last2: Prop,
    ri_odd: bool,
    p: Prop,
    ext_pict: bool,
) -> Decision {
    use Decision::{Break, Join, Maybe};
    use Prop::*;
    if raw == Cr && p == Lf {
        return Join; // WB3
    }
    if matches!(raw, Cr | Lf | Newline) || matches!(p, Cr | Lf | Newline) {
        return Break; // WB3a, WB3b
    }
    if raw == Zwj && ext_pict {
        return Join; // WB3c
    }
    if raw == WSegSpace && p == WSegSpace {
        return Join; // WB3d
    }
    if matches!(p, Extend | Format | Zwj) {
        return Join; // WB4 (callers normally absorb these before asking)
    }
    if is_ahletter(last) {
        if is_ahletter(p) {
            return Join; // WB5
        }
        if last == HebrewLetter && p == SingleQuote {
            return Join; // WB7a (WB6 cannot break, so it never overrides)
        }
        if joins_letters(p) {
            return Maybe(Need::Letter); // WB6
        }
        if last == HebrewLetter && p == DoubleQuote {
            return Maybe(Need::Hebrew); // WB7b
        }
        if matches!(p, Numeric | ExtendNumLet) {
            return Join; // WB9, WB13a
        }
        return Break;
    }
    if is_ahletter(p) && is_ahletter(last2) && joins_letters(last) {
        return Join; // WB7 (reached after WB7a joined the quote)
    }
    if last2 == HebrewLetter && last == DoubleQuote && p == HebrewLetter {
        return Join; // WB7c
    }
    if last == Numeric {
        if matches!(p, Numeric | ALetter | HebrewLetter | ExtendNumLet) {
            return Join; // WB8, WB10, WB13a
        }
        if joins_digits(p) {
            return Maybe(Need::Number); // WB12
        }
        return Break;
    }
    if last2 == Numeric && joins_digits(last) && p == Numeric {
        return Join; // WB11
    }
    if last == Katakana && matches!(p, Katakana | ExtendNumLet) {
        return Join; // WB13, WB13a
    }
    if last == ExtendNumLet
        && matches!(
            p,
            ALetter | HebrewLetter | Numeric | Katakana | ExtendNumLet
        )
    {
        return Join; // WB13a, WB13b
    }
    if last == RegionalIndicator && p == RegionalIndicator && ri_odd {
        return Join; // WB15, WB16
    }
    Break // WB999
}

/// Marks an unknown position (the segment began in an earlier chunk).
pub(crate) const NO_POS: usize = usize::MAX;

/// Segment flag: contains an alphabetic character.
pub(crate) const SEG_ALPHA: u8 = 1;
/// Segment flag: contains a numeric, non-alphabetic character.
pub(crate) const SEG_NUMERIC: u8 = 1 << 1;
/// Segment flag: contains clause punctuation.
pub(crate) const SEG_CLAUSE: u8 = 1 << 2;

/// The normalised bytes of a segment being built, truncated at a character
/// boundary once they exceed the configured maximum.
#[derive(Clone, Debug)]
pub(crate) struct Segment {
    /// Three bytes of slack let a character be stored with one 4-byte
    /// copy.
    pub(crate) buf: [u8; super::MAX_TOKEN_LEN + 3],
    pub(crate) len: usize,
    /// Normalised length without truncation.
    pub(crate) full: usize,
    pub(crate) flags: u8,
    /// Offset of the first byte in the current chunk, or [`NO_POS`].
    pub(crate) start: usize,
}

impl Segment {
    pub(crate) const fn new() -> Segment {
        Segment {
            buf: [0; super::MAX_TOKEN_LEN + 3],
            len: 0,
            full: 0,
            flags: 0,
            start: NO_POS,
        }
    }

    #[inline]
    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.full = 0;
        self.flags = 0;
        self.start = NO_POS;
    }

    #[inline]
    pub(crate) fn is_token(&self) -> bool {
        self.flags & (SEG_ALPHA | SEG_NUMERIC) != 0
    }

    /// Appends one character's normalised bytes.
    #[inline]
    pub(crate) fn push(&mut self, bytes: &[u8], flags: u8, max: usize) {
        // Once a character did not fit, nothing more is kept: the stored
        // form stays a prefix of the full normalised form.
        if self.len == self.full && self.len + bytes.len() <= max {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
        self.full += bytes.len();
        self.flags |= flags;
    }

    /// Appends one character's normalised bytes, given as the first `n`
    /// of four.
    #[inline(always)]
    pub(crate) fn push4(
        &mut self,
        bytes: [u8; 4],
        n: usize,
        flags: u8,
        max: usize,
    ) {
        if self.len == self.full && self.len + n <= max {
            self.buf[self.len..self.len + 4].copy_from_slice(&bytes);
            self.len += n;
        }
        self.full += n;
        self.flags |= flags;
    }

    /// Appends another segment (whose bytes are whole characters).
    pub(crate) fn append(&mut self, other: &Segment, max: usize) {
        if self.len == self.full {
            let room = max - self.len;
            let mut take = other.len.min(room);
            // Cut at a character boundary (never before a continuation
            // byte).
            while take < other.len
                && take > 0
                && other.buf[take] & 0xc0 == 0x80
            {
                take -= 1;
            }
            self.buf[self.len..self.len + take]
                .copy_from_slice(&other.buf[..take]);
            self.len += take;
        }
        self.full += other.full;
        self.flags |= other.flags;
    }
}
