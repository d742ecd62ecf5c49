//! Distinct counts with HyperLogLog (Flajolet et al., 2007).
//!
//! `2^p` one-byte registers (p in 4..=16; 4 KiB at the default p = 12) in
//! caller storage. The register index is the top `p` bits of a 64-bit hash
//! (use [`crate::hash::token_hash`]; hashes are already uniform, so no
//! re-hashing) and the rank is one plus the number of leading zeros of the
//! remaining bits. The estimate is the raw HyperLogLog estimate, switching
//! to linear counting `m ln(m / zeros)` below `2.5 m`; with 64-bit hashes no
//! large-range correction is needed. Relative standard error
//! `1.04 / sqrt(m)` (1.6 % at p = 12). Merging takes register maxima, so
//! estimates from different processes combine exactly as if one sketch had
//! seen both streams.

use crate::ngram::Error;

/// Smallest precision.
pub const MIN_PRECISION: u8 = 4;
/// Largest precision.
pub const MAX_PRECISION: u8 = 16;

#[inline]
pub(crate) fn insert(regs: &mut [u8], p: u8, hash: u64) {
    let idx = (hash >> (64 - p as u32)) as usize;
    let w = (hash << p) | (1 << (p - 1));
    let rank = w.leading_zeros() as u8 + 1;
    if regs[idx] < rank {
        regs[idx] = rank;
    }
}

/// Natural logarithm for `x >= 1` without libm: exponent × ln 2 plus
/// `2 atanh((m - 1) / (m + 1))` for the mantissa `m` in [1, 2).
fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let mut term = t;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..24 {
        sum += term / k;
        term *= t2;
        k += 2.0;
    }
    2.0 * sum + e as f64 * core::f64::consts::LN_2
}

pub(crate) fn estimate(regs: &[u8]) -> f64 {
    let m = regs.len() as f64;
    let mut sum = 0.0;
    let mut zeros = 0usize;
    for &r in regs {
        // 2^-r, exactly, from the exponent bits.
        sum += f64::from_bits((1023 - r as u64) << 52);
        zeros += usize::from(r == 0);
    }
    let alpha = match regs.len() {
        16 => 0.673,
        32 => 0.697,
        64 => 0.709,
        _ => 0.7213 / (1.0 + 1.079 / m),
    };
    let raw = alpha * m * m / sum;
    if raw <= 2.5 * m && zeros > 0 {
        m * ln(m / zeros as f64)
    } else {
        raw
    }
}

pub(crate) fn estimate_count(regs: &[u8]) -> u64 {
    (estimate(regs) + 0.5) as u64
}

pub(crate) fn relative_std_error(p: u8) -> f64 {
    let root = (1u64 << (p / 2)) as f64;
    let root =
        if p % 2 == 1 { root * core::f64::consts::SQRT_2 } else { root };
    1.04 / root
}

pub(crate) fn merge_registers(dst: &mut [u8], src: &[u8]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        if *d < s {
            *d = s;
        }
    }
}

/// A HyperLogLog distinct counter over caller storage `A` (`&mut [u8]`,
/// `[u8; N]`, …) of [`HyperLogLog::bytes_needed`] bytes.
///
/// ```
/// use textmeter::distinct::HyperLogLog;
/// use textmeter::hash::token_hash;
/// let mut hll = HyperLogLog::new([0u8; 4096], 12)?;
/// for i in 0..10_000u32 {
///     hll.insert_hash(token_hash(&i.to_le_bytes()));
/// }
/// let est = hll.estimate();
/// assert!((est - 10_000.0).abs() < 10_000.0 * 4.0 * hll.relative_std_error());
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct HyperLogLog<A> {
    p: u8,
    arena: A,
}

impl HyperLogLog<()> {
    /// Bytes of registers for precision `p` (`2^p`).
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::InvalidConfig`] unless `p` is in 4..=16.
    ///
    /// ```
    /// use textmeter::distinct::HyperLogLog;
    /// assert_eq!(HyperLogLog::bytes_needed(12), Ok(4096));
    /// ```
    pub const fn bytes_needed(p: u8) -> Result<usize, Error> {
        if p < MIN_PRECISION || p > MAX_PRECISION {
            return Err(Error::config("precision must be in 4..=16"));
        }
        Ok(1 << p)
    }
}

impl<A: AsRef<[u8]>> HyperLogLog<A> {
    /// The estimated number of distinct hashes inserted.
    ///
    /// ```
    /// use textmeter::distinct::HyperLogLog;
    /// let hll = HyperLogLog::new([0u8; 16], 4)?;
    /// assert_eq!(hll.estimate(), 0.0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn estimate(&self) -> f64 {
        estimate(self.regs())
    }

    /// The precision `p`.
    ///
    /// ```
    /// use textmeter::distinct::HyperLogLog;
    /// assert_eq!(HyperLogLog::new([0u8; 16], 4)?.precision(), 4);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn precision(&self) -> u8 {
        self.p
    }

    /// `1.04 / sqrt(2^p)`, the relative standard error of the estimate.
    ///
    /// ```
    /// use textmeter::distinct::HyperLogLog;
    /// let hll = HyperLogLog::new([0u8; 4096], 12)?;
    /// assert!((hll.relative_std_error() - 0.01625).abs() < 1e-6);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn relative_std_error(&self) -> f64 {
        relative_std_error(self.p)
    }

    fn regs(&self) -> &[u8] {
        &self.arena.as_ref()[..1 << self.p]
    }
}

impl<A: AsRef<[u8]> + AsMut<[u8]>> HyperLogLog<A> {
    /// An empty sketch of precision `p` in `arena` (zeroed here).
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::InvalidConfig`] for `p` outside 4..=16,
    /// [`crate::ngram::ErrorKind::ArenaTooSmall`] for a short arena.
    ///
    /// ```
    /// use textmeter::distinct::HyperLogLog;
    /// assert!(HyperLogLog::new([0u8; 8], 4).is_err());
    /// ```
    pub fn new(mut arena: A, p: u8) -> Result<Self, Error> {
        let need = HyperLogLog::bytes_needed(p)?;
        let mem = arena.as_mut();
        if mem.len() < need {
            return Err(Error::arena(need, mem.len()));
        }
        mem[..need].fill(0);
        Ok(HyperLogLog { p, arena })
    }

    /// Adds a 64-bit hash (e.g. [`crate::hash::token_hash`]).
    ///
    /// ```
    /// use textmeter::distinct::HyperLogLog;
    /// let mut hll = HyperLogLog::new([0u8; 16], 4)?;
    /// hll.insert_hash(42);
    /// hll.insert_hash(42);
    /// assert_eq!(hll.estimate().round(), 1.0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn insert_hash(&mut self, hash: u64) {
        let p = self.p;
        insert(&mut self.arena.as_mut()[..1 << p], p, hash);
    }

    /// Merges `other` (same precision) by register maxima.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::ConfigMismatch`] if precisions differ.
    ///
    /// ```
    /// use textmeter::distinct::HyperLogLog;
    /// let mut a = HyperLogLog::new([0u8; 16], 4)?;
    /// let mut b = HyperLogLog::new([0u8; 16], 4)?;
    /// a.insert_hash(1 << 60);
    /// b.insert_hash(3 << 60);
    /// a.merge(&b)?;
    /// assert_eq!(a.estimate().round(), 2.0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn merge<B: AsRef<[u8]>>(
        &mut self,
        other: &HyperLogLog<B>,
    ) -> Result<(), Error> {
        if self.p != other.p {
            return Err(Error::mismatch("precisions differ"));
        }
        let p = self.p;
        merge_registers(&mut self.arena.as_mut()[..1 << p], other.regs());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::token_hash;

    #[test]
    fn ln_matches_std() {
        for x in [1.0, 1.5, 2.0, 3.7, 100.0, 4096.0, 1e9] {
            assert!((ln(x) - std::primitive::f64::ln(x)).abs() < 1e-12, "{x}");
        }
    }

    #[test]
    fn estimates_within_four_sigma() {
        let mut hll = HyperLogLog::new([0u8; 4096], 12).unwrap();
        let mut next = 0u64;
        for target in [10u64, 1000, 5000, 20_000, 200_000] {
            while next < target {
                hll.insert_hash(token_hash(&next.to_le_bytes()));
                next += 1;
            }
            let est = hll.estimate();
            let err = (est - target as f64).abs() / target as f64;
            assert!(err < 4.0 * hll.relative_std_error(), "{target}: {est}");
        }
    }

    #[test]
    fn merge_equals_union() {
        let mut a = HyperLogLog::new([0u8; 1024], 10).unwrap();
        let mut b = HyperLogLog::new([0u8; 1024], 10).unwrap();
        let mut u = HyperLogLog::new([0u8; 1024], 10).unwrap();
        for i in 0..3000u32 {
            let h = token_hash(&i.to_le_bytes());
            if i % 3 == 0 {
                a.insert_hash(h)
            } else {
                b.insert_hash(h)
            }
            u.insert_hash(h);
        }
        a.merge(&b).unwrap();
        assert_eq!(a.estimate(), u.estimate());
        let c = HyperLogLog::new([0u8; 16], 4).unwrap();
        assert!(a.merge(&c).is_err());
    }
}
