//! Little-endian field access and the gram byte encoding.
//!
//! Every table lives in a caller's `&mut [u8]`; without `unsafe` there is no
//! way to view it as typed slices, so fields are read and written at byte
//! offsets with `from_le_bytes` / `to_le_bytes`. Each accessor compiles to a
//! bounds check and a plain (unaligned) load or store.

/// The largest normalised token, in bytes; longer tokens are truncated.
pub const MAX_TOKEN_LEN: usize = 255;

#[inline(always)]
pub(crate) fn rd64(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap())
}

#[inline(always)]
pub(crate) fn wr64(b: &mut [u8], o: usize, v: u64) {
    b[o..o + 8].copy_from_slice(&v.to_le_bytes());
}

#[inline(always)]
pub(crate) fn rd32(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap())
}

#[inline(always)]
pub(crate) fn wr32(b: &mut [u8], o: usize, v: u32) {
    b[o..o + 4].copy_from_slice(&v.to_le_bytes());
}

#[inline(always)]
pub(crate) fn rd16(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes(b[o..o + 2].try_into().unwrap())
}

#[inline(always)]
pub(crate) fn wr16(b: &mut [u8], o: usize, v: u16) {
    b[o..o + 2].copy_from_slice(&v.to_le_bytes());
}

#[inline(always)]
pub(crate) fn rd128(b: &[u8], o: usize) -> u128 {
    u128::from_le_bytes(b[o..o + 16].try_into().unwrap())
}

#[inline(always)]
pub(crate) fn wr128(b: &mut [u8], o: usize, v: u128) {
    b[o..o + 16].copy_from_slice(&v.to_le_bytes());
}

/// `a == b` for the short strings grams are: up to 32 bytes as two
/// overlapping loads per side instead of a call to `memcmp` (a lookup that
/// finds its gram compares the bytes once, several million times on a
/// large input). Plain `==` on targets without an OS, where flash is
/// scarce.
#[inline(always)]
pub(crate) fn short_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if cfg!(target_os = "none") || n != b.len() || n > 32 {
        return a == b;
    }
    if n >= 16 {
        rd128(a, 0) == rd128(b, 0) && rd128(a, n - 16) == rd128(b, n - 16)
    } else if n >= 8 {
        rd64(a, 0) == rd64(b, 0) && rd64(a, n - 8) == rd64(b, n - 8)
    } else if n >= 4 {
        rd32(a, 0) == rd32(b, 0) && rd32(a, n - 4) == rd32(b, n - 4)
    } else {
        a == b
    }
}

/// `out.copy_from_slice(src)` for short grams and tokens, without a call
/// to `memcpy` for 1 to 32 bytes (see [`short_eq`]).
#[inline(always)]
pub(crate) fn short_copy(out: &mut [u8], src: &[u8]) {
    let n = src.len();
    if cfg!(target_os = "none") || n != out.len() || !(1..=32).contains(&n) {
        out.copy_from_slice(src);
    } else if n < 4 {
        // First, middle and last byte: all of 1 to 3.
        out[0] = src[0];
        out[n / 2] = src[n / 2];
        out[n - 1] = src[n - 1];
    } else if n >= 16 {
        let (x, y) = (rd128(src, 0), rd128(src, n - 16));
        wr128(out, 0, x);
        wr128(out, n - 16, y);
    } else if n >= 8 {
        let (x, y) = (rd64(src, 0), rd64(src, n - 8));
        wr64(out, 0, x);
        wr64(out, n - 8, y);
    } else {
        let (x, y) = (rd32(src, 0), rd32(src, n - 4));
        wr32(out, 0, x);
        wr32(out, n - 4, y);
    }
}

/// Something that names a gram's bytes: the caller's token slices, the
/// n-gram window, or a gram already stored (encoded) in another table.
///
/// The encoding is the tokens in order, each as one length byte followed by
/// its bytes.
pub(crate) trait Key {
    /// Encoded length in bytes, or `None` when the bytes are unknown (the
    /// gram was stored without bytes); such keys match on hash alone.
    fn encoded_len(&self) -> Option<usize>;
    /// Whether `enc` (an encoded gram) names the same gram.
    fn matches(&self, enc: &[u8]) -> bool;
    /// Writes the encoding; `out.len() == self.encoded_len()`.
    fn write(&self, out: &mut [u8]);
}

/// Token slices given by a caller (truncated to [`MAX_TOKEN_LEN`]).
pub(crate) struct SliceKey<'a> {
    pub tokens: &'a [&'a [u8]],
}

#[inline]
fn trunc(t: &[u8]) -> &[u8] {
    &t[..t.len().min(MAX_TOKEN_LEN)]
}

impl Key for SliceKey<'_> {
    fn encoded_len(&self) -> Option<usize> {
        Some(self.tokens.iter().map(|t| 1 + trunc(t).len()).sum())
    }

    fn matches(&self, enc: &[u8]) -> bool {
        let mut p = 0;
        for t in self.tokens {
            let t = trunc(t);
            if enc.get(p) != Some(&(t.len() as u8)) {
                return false;
            }
            if enc.get(p + 1..p + 1 + t.len()) != Some(t) {
                return false;
            }
            p += 1 + t.len();
        }
        p == enc.len()
    }

    fn write(&self, out: &mut [u8]) {
        let mut p = 0;
        for t in self.tokens {
            let t = trunc(t);
            out[p] = t.len() as u8;
            out[p + 1..p + 1 + t.len()].copy_from_slice(t);
            p += 1 + t.len();
        }
    }
}

/// A gram already encoded (or unknown, `None`).
pub(crate) struct EncodedKey<'a> {
    pub enc: Option<&'a [u8]>,
}

impl Key for EncodedKey<'_> {
    fn encoded_len(&self) -> Option<usize> {
        self.enc.map(<[u8]>::len)
    }

    fn matches(&self, enc: &[u8]) -> bool {
        match self.enc {
            Some(e) => e == enc,
            None => true,
        }
    }

    fn write(&self, out: &mut [u8]) {
        if let Some(e) = self.enc {
            out.copy_from_slice(e);
        }
    }
}
