//! Document signatures: bottom-k MinHash over word 3-grams.
//!
//! A [`Signature`] keeps the `k` smallest distinct [`crate::ngram::
//! gram_hash`]es of the document's token 3-grams (k = [`DEFAULT_K`] = 128
//! by default), sorted, as little-endian `u64` in caller storage (`8 k`
//! bytes). Two signatures estimate the Jaccard similarity of the documents'
//! 3-gram sets (Broder, 1997; Cohen & Kaplan, 2007): take the `k` smallest
//! hashes of the union of both signatures; the fraction of them present in
//! both signatures estimates `|A ∩ B| / |A ∪ B|` (exact when their union
//! has at most `k` grams), with standard error about `sqrt(J (1 − J) / k)`.
//!
//! Signatures merge (the `k` smallest of the union), so a document split
//! across processes yields the same signature as one pass, provided the
//! split falls where no 3-gram spans it.
//!
//! An insertion is O(1) once the signature is full and the hash is not
//! below its maximum (the common case); otherwise a binary search and a
//! shift of at most `k` values.

use crate::ngram::{gram_hash, Error};

/// Default number of hashes kept.
pub const DEFAULT_K: usize = 128;

/// A bottom-k MinHash signature in caller storage `A` (`[u8; 8 * k]`,
/// `&mut [u8]`, …).
///
/// ```
/// use textmeter::hash::token_hash;
/// use textmeter::signature::Signature;
/// let mut a = Signature::new([0u8; 8 * 128], 128)?;
/// let mut b = Signature::new([0u8; 8 * 128], 128)?;
/// for t in "the cat sat on the mat".split(' ') {
///     a.push(token_hash(t.as_bytes()));
/// }
/// for t in "the cat sat on the hat".split(' ') {
///     b.push(token_hash(t.as_bytes()));
/// }
/// // 3-grams: 4 each, 3 shared, union 5.
/// assert_eq!(a.jaccard(&b), 3.0 / 5.0);
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Signature<A> {
    k: usize,
    len: usize,
    prev: [u64; 2],
    seen: u8,
    arena: A,
}

impl Signature<()> {
    /// Bytes needed for `k` hashes (`8 k`).
    ///
    /// ```
    /// assert_eq!(textmeter::signature::Signature::bytes_needed(128), 1024);
    /// ```
    pub const fn bytes_needed(k: usize) -> usize {
        k.saturating_mul(8)
    }
}

#[inline]
fn at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap())
}

impl<A: AsRef<[u8]>> Signature<A> {
    /// The number of hashes kept at most.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// assert_eq!(Signature::new([0u8; 64], 8)?.k(), 8);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn k(&self) -> usize {
        self.k
    }

    /// The number of hashes held (`min(k, distinct 3-grams)`).
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let s = Signature::new([0u8; 64], 8)?;
    /// assert_eq!(s.len(), 0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no hash is held (fewer than 3 tokens so far).
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// assert!(Signature::new([0u8; 64], 8)?.is_empty());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The hashes held, ascending.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let mut s = Signature::new([0u8; 64], 8)?;
    /// s.insert_hash(5);
    /// s.insert_hash(2);
    /// assert_eq!(s.hashes().collect::<Vec<_>>(), [2, 5]);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn hashes(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        let b = self.arena.as_ref();
        (0..self.len).map(move |i| at(b, i))
    }

    /// Estimated Jaccard similarity of the two documents' 3-gram sets (see
    /// the [module docs](self)); `k` is the smaller of both. Two empty
    /// signatures give 1.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let mut a = Signature::new([0u8; 64], 8)?;
    /// let mut b = Signature::new([0u8; 64], 8)?;
    /// a.insert_hash(1);
    /// b.insert_hash(2);
    /// assert_eq!(a.jaccard(&b), 0.0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn jaccard<B: AsRef<[u8]>>(&self, other: &Signature<B>) -> f64 {
        let (a, b) = (self.arena.as_ref(), other.arena.as_ref());
        bottom_k_jaccard(
            |i| at(a, i),
            self.len,
            |j| at(b, j),
            other.len,
            self.k.min(other.k),
        )
    }
}

/// [`Signature::jaccard`] of two signatures given by their hashes
/// (ascending and distinct, as [`Signature::hashes`] lists them) and the
/// smaller of their `k`s: for a caller that keeps hash lists, such as a
/// similarity matrix over many documents, without rebuilding signatures.
///
/// ```
/// use textmeter::signature::jaccard_of_hashes;
/// assert_eq!(jaccard_of_hashes(&[1, 2, 3], &[2, 3, 4], 128), 0.5);
/// // Over the 2 smallest of the union, {1, 2}: only 2 is in both.
/// assert_eq!(jaccard_of_hashes(&[1, 2, 3], &[2, 3, 4], 2), 0.5);
/// assert_eq!(jaccard_of_hashes(&[], &[], 128), 1.0);
/// ```
pub fn jaccard_of_hashes(a: &[u64], b: &[u64], k: usize) -> f64 {
    bottom_k_jaccard(|i| a[i], a.len(), |j| b[j], b.len(), k)
}

/// Walks the `k` smallest hashes of the union of two ascending lists and
/// returns the fraction found in both (1 for two empty lists).
#[inline(always)]
fn bottom_k_jaccard(
    a: impl Fn(usize) -> u64,
    la: usize,
    b: impl Fn(usize) -> u64,
    lb: usize,
    k: usize,
) -> f64 {
    let (mut i, mut j, mut taken, mut both) = (0, 0, 0usize, 0usize);
    // Both lists have hashes left: one step takes the smaller (or the
    // shared one), without a branch on which.
    while taken < k && i < la && j < lb {
        let (x, y) = (a(i), b(j));
        both += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
        taken += 1;
    }
    // One list is done: the other's rest fills up to `k`.
    taken += (k - taken.min(k)).min(la - i + lb - j);
    if taken == 0 {
        1.0
    } else {
        both as f64 / taken as f64
    }
}

impl<A: AsRef<[u8]> + AsMut<[u8]>> Signature<A> {
    /// An empty signature keeping `k` hashes in `arena`.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::InvalidConfig`] for `k == 0`,
    /// [`crate::ngram::ErrorKind::ArenaTooSmall`] if the arena is shorter
    /// than `8 k` bytes.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// assert!(Signature::new([0u8; 8], 2).is_err());
    /// assert!(Signature::new([0u8; 8], 0).is_err());
    /// ```
    pub fn new(arena: A, k: usize) -> Result<Self, Error> {
        if k == 0 {
            return Err(Error::config("k must be positive"));
        }
        let need = Signature::bytes_needed(k);
        if arena.as_ref().len() < need {
            return Err(Error::arena(need, arena.as_ref().len()));
        }
        Ok(Signature { k, len: 0, prev: [0; 2], seen: 0, arena })
    }

    /// Feeds the next token's hash ([`crate::hash::token_hash`] of its
    /// normalised bytes); from the third token of a document on, the
    /// 3-gram ending here is inserted.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let mut s = Signature::new([0u8; 64], 8)?;
    /// s.push(1);
    /// s.push(2);
    /// assert!(s.is_empty());
    /// s.push(3);
    /// assert_eq!(s.len(), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn push(&mut self, token_hash: u64) {
        self.push_known(token_hash, None);
    }

    /// [`Signature::push`], given the hash of the 3-gram ending here when
    /// the caller already has it (the analyzer's n-gram window does).
    #[inline]
    pub(crate) fn push_known(&mut self, token_hash: u64, gram: Option<u64>) {
        if self.seen >= 2 {
            let fold = || gram_hash(&[self.prev[0], self.prev[1], token_hash]);
            debug_assert!(gram.map_or(true, |g| g == fold()));
            self.insert_hash(gram.unwrap_or_else(fold));
        } else {
            self.seen += 1;
        }
        self.prev = [self.prev[1], token_hash];
    }

    /// Ends the document: no 3-gram spans the boundary.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let mut s = Signature::new([0u8; 64], 8)?;
    /// s.push(1);
    /// s.push(2);
    /// s.end_document();
    /// s.push(3);
    /// assert!(s.is_empty());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn end_document(&mut self) {
        self.seen = 0;
    }

    /// Inserts a hash directly (e.g. a 3-gram hash computed elsewhere).
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let mut s = Signature::new([0u8; 16], 2)?;
    /// for h in [9, 3, 7, 3] {
    ///     s.insert_hash(h);
    /// }
    /// assert_eq!(s.hashes().collect::<Vec<_>>(), [3, 7]);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    #[inline]
    pub fn insert_hash(&mut self, h: u64) {
        let (k, len) = (self.k, self.len);
        // Once full, nearly every hash is above the maximum: that test is
        // inlined into each token's push, the insertion is a call.
        if len == k && h >= at(self.arena.as_mut(), k - 1) {
            return;
        }
        self.insert_below(h);
    }

    /// [`Signature::insert_hash`] of a hash the signature may take.
    #[inline(never)]
    fn insert_below(&mut self, h: u64) {
        let (k, len) = (self.k, self.len);
        let b = self.arena.as_mut();
        // Binary search for the insertion point.
        let (mut lo, mut hi) = (0, len);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if at(b, mid) < h {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo < len && at(b, lo) == h {
            return;
        }
        let end = if len == k { k - 1 } else { len };
        b.copy_within(lo * 8..end * 8, lo * 8 + 8);
        b[lo * 8..lo * 8 + 8].copy_from_slice(&h.to_le_bytes());
        if len < k {
            self.len += 1;
        }
    }

    /// Merges `other` into `self`: the `k` smallest hashes of both.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let mut a = Signature::new([0u8; 16], 2)?;
    /// let mut b = Signature::new([0u8; 16], 2)?;
    /// a.insert_hash(4);
    /// b.insert_hash(1);
    /// b.insert_hash(9);
    /// a.merge(&b);
    /// assert_eq!(a.hashes().collect::<Vec<_>>(), [1, 4]);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn merge<B: AsRef<[u8]>>(&mut self, other: &Signature<B>) {
        let b = other.arena.as_ref();
        for i in 0..other.len {
            self.insert_hash(at(b, i));
        }
    }

    /// Forgets all hashes and the current document.
    ///
    /// ```
    /// # use textmeter::signature::Signature;
    /// let mut s = Signature::new([0u8; 16], 2)?;
    /// s.insert_hash(4);
    /// s.clear();
    /// assert!(s.is_empty());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn clear(&mut self) {
        self.len = 0;
        self.seen = 0;
    }
}

// For `Analyzer::copy_into` (analyzer/serial.rs).
impl<A: AsRef<[u8]>> Signature<A> {
    /// A copy of this signature, the current document's last two tokens
    /// included, in `arena` (at least `8 k` bytes).
    pub(crate) fn copy_into<'b>(
        &self,
        arena: &'b mut [u8],
    ) -> Signature<&'b mut [u8]> {
        let n = Signature::bytes_needed(self.k);
        arena[..n].copy_from_slice(&self.arena.as_ref()[..n]);
        Signature {
            k: self.k,
            len: self.len,
            prev: self.prev,
            seen: self.seen,
            arena,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::token_hash;
    use std::collections::HashSet;
    use std::string::String;
    use std::vec::Vec;

    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect()
    }

    fn trigram_set(ws: &[String]) -> HashSet<[String; 3]> {
        ws.windows(3)
            .map(|w| [w[0].clone(), w[1].clone(), w[2].clone()])
            .collect()
    }

    fn sig(ws: &[String], k: usize) -> Signature<Vec<u8>> {
        let mut s = Signature::new(std::vec![0u8; 8 * k], k).unwrap();
        for w in ws {
            s.push(token_hash(w.as_bytes()));
        }
        s
    }

    fn seeds() -> Vec<Vec<String>> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| words(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }

    #[test]
    fn jaccard_within_005_on_seeds() {
        let docs = seeds();
        assert_eq!(docs.len(), 5);
        // Also pairs with real overlap: halves of seeds spliced together.
        let mut all = docs.clone();
        for i in 0..docs.len() {
            let j = (i + 1) % docs.len();
            let mut d = docs[i][..docs[i].len() / 2].to_vec();
            d.extend_from_slice(&docs[j][..docs[j].len() / 2]);
            all.push(d);
            let mut e = docs[i].clone();
            e.extend_from_slice(&docs[j][docs[j].len() / 3..]);
            all.push(e);
        }
        for a in 0..all.len() {
            for b in a..all.len() {
                let (sa, sb) = (trigram_set(&all[a]), trigram_set(&all[b]));
                let exact = sa.intersection(&sb).count() as f64
                    / sa.union(&sb).count() as f64;
                let est =
                    sig(&all[a], DEFAULT_K).jaccard(&sig(&all[b], DEFAULT_K));
                // The issue's bound holds for the seeds themselves; spliced
                // pairs (J up to 0.6) get three standard errors.
                let sigma = (exact * (1.0 - exact) / DEFAULT_K as f64).sqrt();
                let tol = if b < docs.len() {
                    0.05
                } else {
                    (3.0 * sigma).max(0.05)
                };
                assert!(
                    (est - exact).abs() <= tol,
                    "{a} {b}: {est} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn merge_equals_one_pass() {
        let docs = seeds();
        let whole = sig(&docs[3], 64);
        let mid = docs[3].len() / 2;
        // Split so that the halves overlap by two tokens: every 3-gram is
        // seen by exactly one side or both.
        let mut a = sig(&docs[3][..mid], 64);
        let b = sig(&docs[3][mid - 2..], 64);
        a.merge(&b);
        assert!(a.hashes().eq(whole.hashes()));
    }

    #[test]
    fn small_k_and_duplicates() {
        let mut s = Signature::new([0u8; 8], 1).unwrap();
        for h in [5, 5, 3, 9, 3] {
            s.insert_hash(h);
        }
        assert_eq!(s.hashes().collect::<Vec<_>>(), [3]);
        let e = Signature::new([0u8; 8], 1).unwrap();
        assert_eq!(e.jaccard(&Signature::new([0u8; 8], 1).unwrap()), 1.0);
    }

    proptest::proptest! {
        /// The merge walk against sets: the `k` smallest of the union,
        /// and how many of them both lists hold; and a signature's
        /// `jaccard` agrees with the slice form on its own hashes.
        #[test]
        fn jaccard_matches_sets(
            a in proptest::collection::btree_set(0u64..400, 0..150),
            b in proptest::collection::btree_set(0u64..400, 0..150),
            k in 1usize..200,
        ) {
            let (a, b): (Vec<u64>, Vec<u64>) =
                (a.into_iter().collect(), b.into_iter().collect());
            let mut union: Vec<u64> = a.iter().chain(&b).copied().collect();
            union.sort_unstable();
            union.dedup();
            union.truncate(k);
            let both =
                union.iter().filter(|h| a.contains(h) && b.contains(h)).count();
            let want = if union.is_empty() {
                1.0
            } else {
                both as f64 / union.len() as f64
            };
            proptest::prop_assert_eq!(jaccard_of_hashes(&a, &b, k), want);
            proptest::prop_assert_eq!(jaccard_of_hashes(&b, &a, k), want);
            let build = |hs: &[u64]| {
                let mut s = Signature::new(std::vec![0u8; 8 * k], k).unwrap();
                hs.iter().for_each(|&h| s.insert_hash(h));
                s
            };
            let (sa, sb) = (build(&a), build(&b));
            let (ha, hb): (Vec<u64>, Vec<u64>) =
                (sa.hashes().collect(), sb.hashes().collect());
            proptest::prop_assert_eq!(
                sa.jaccard(&sb),
                jaccard_of_hashes(&ha, &hb, k)
            );
        }
    }
}
