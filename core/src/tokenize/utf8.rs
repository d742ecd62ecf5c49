//! UTF-8 decoding with the "maximal subpart" rule for invalid input.
//!
//! Each maximal invalid subsequence (Unicode §3.9, U+FFFD substitution of
//! maximal subparts — the rule `String::from_utf8_lossy` follows) is reported
//! as one unit, so `invalid_bytes` and `chars` agree with what a lossy decode
//! would show.

/// The result of decoding at one position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decoded {
    /// A scalar value and its encoded length.
    Char(u32, usize),
    /// A maximal invalid subsequence of this many bytes.
    Invalid(usize),
    /// The input ends inside a sequence that is valid so far.
    Incomplete,
}

/// The valid range of the second byte after lead byte `b0`, and the total
/// sequence length; `None` for bytes that can never start a sequence.
#[inline]
fn lead(b0: u8) -> Option<(u8, u8, usize)> {
    Some(match b0 {
        0xc2..=0xdf => (0x80, 0xbf, 2),
        0xe0 => (0xa0, 0xbf, 3),
        0xe1..=0xec | 0xee..=0xef => (0x80, 0xbf, 3),
        0xed => (0x80, 0x9f, 3),
        0xf0 => (0x90, 0xbf, 4),
        0xf1..=0xf3 => (0x80, 0xbf, 4),
        0xf4 => (0x80, 0x8f, 4),
        _ => return None,
    })
}

/// Decodes the non-ASCII sequence starting at `bytes[0]`.
#[inline(always)]
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let b0 = bytes[0];
    if b0 < 0x80 {
        return Decoded::Char(u32::from(b0), 1);
    }
    let Some((lo, hi, len)) = lead(b0) else {
        return Decoded::Invalid(1);
    };
    let mut cp = u32::from(b0) & (0x7f >> len);
    for k in 1..len {
        let Some(&b) = bytes.get(k) else {
            return Decoded::Incomplete;
        };
        let (min, max) = if k == 1 { (lo, hi) } else { (0x80, 0xbf) };
        if b < min || b > max {
            return Decoded::Invalid(k);
        }
        cp = (cp << 6) | u32::from(b & 0x3f);
    }
    Decoded::Char(cp, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// Splits like `Utf8Chunks` (the std implementation of the same rule).
    fn units(mut bytes: &[u8]) -> Vec<Result<char, usize>> {
        let mut out = Vec::new();
        while !bytes.is_empty() {
            let n = match decode(bytes) {
                Decoded::Char(cp, n) => {
                    out.push(Ok(char::from_u32(cp).unwrap()));
                    n
                }
                Decoded::Invalid(n) => {
                    out.push(Err(n));
                    n
                }
                Decoded::Incomplete => {
                    out.push(Err(bytes.len()));
                    bytes.len()
                }
            };
            bytes = &bytes[n..];
        }
        out
    }

    fn reference(bytes: &[u8]) -> Vec<Result<char, usize>> {
        let mut out = Vec::new();
        for chunk in bytes.utf8_chunks() {
            out.extend(chunk.valid().chars().map(Ok));
            if !chunk.invalid().is_empty() {
                out.push(Err(chunk.invalid().len()));
            }
        }
        out
    }

    #[test]
    fn agrees_with_std_on_edge_sequences() {
        let cases: &[&[u8]] = &[
            b"\xc0\x80",
            b"\xe0\x80\x80",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
            b"\xf0\x9f\x98",
            b"\xe2\x82",
            b"\xff\xfe",
            b"a\xe2\x82\xacb",
            b"\xf0\x9f\x98\x80",
            b"\xef\xbb\xbfx",
        ];
        for case in cases {
            assert_eq!(units(case), reference(case), "{case:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_std(bytes in proptest::collection::vec(
            proptest::prelude::any::<u8>(), 0..64)) {
            proptest::prop_assert_eq!(units(&bytes), reference(&bytes));
        }
    }
}
