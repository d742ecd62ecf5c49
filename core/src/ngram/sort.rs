//! In-place sorting of items kept in byte buffers, for the tables'
//! Space-Saving positions and a merge's offers: core has neither
//! allocation nor (at this crate's minimum Rust version) a safe typed view
//! of the bytes, so a sort sees its items through [`Items`].

/// Items `0..len()` that can be compared by key and swapped.
pub(crate) trait Items {
    /// What the items are sorted by, ascending.
    type Key: Ord;
    /// How many items there are.
    fn len(&self) -> usize;
    /// The key of item `k`.
    fn key(&self, k: usize) -> Self::Key;
    /// Swaps items `a` and `b`.
    fn swap(&mut self, a: usize, b: usize);
}

/// Sorts `items` by ascending key: quicksort with a median-of-three
/// pivot, insertion sort for short runs, and heapsort for a range whose
/// partitions keep coming out lopsided, so O(n log n) in any case.
pub(crate) fn sort<I: Items>(items: &mut I) {
    let n = items.len();
    if n > 1 {
        let depth = 2 * (usize::BITS - n.leading_zeros()) as usize;
        quicksort(items, 0, n - 1, depth);
    }
}

/// Sorts items `lo..=hi`; `depth` partitions left before heapsort.
pub(crate) fn quicksort<I: Items>(
    items: &mut I,
    mut lo: usize,
    mut hi: usize,
    mut depth: usize,
) {
    while hi - lo >= 16 {
        if depth == 0 {
            heapsort(items, lo, hi);
            return;
        }
        depth -= 1;
        // The median of the first, middle and last items, left in the
        // middle, is the pivot (Hoare's partition with the middle pivot
        // splits `lo..=hi` into two non-empty parts).
        let mid = lo + (hi - lo) / 2;
        if items.key(mid) < items.key(lo) {
            items.swap(mid, lo);
        }
        if items.key(hi) < items.key(mid) {
            items.swap(hi, mid);
            if items.key(mid) < items.key(lo) {
                items.swap(mid, lo);
            }
        }
        let pivot = items.key(mid);
        let (mut i, mut j) = (lo, hi);
        let cut = loop {
            while items.key(i) < pivot {
                i += 1;
            }
            while items.key(j) > pivot {
                j -= 1;
            }
            if i >= j {
                break j;
            }
            items.swap(i, j);
            i += 1;
            j -= 1;
        };
        // Recurse into the smaller part, loop on the larger: the stack
        // stays O(log n) deep.
        if cut - lo < hi - cut {
            quicksort(items, lo, cut, depth);
            lo = cut + 1;
        } else {
            quicksort(items, cut + 1, hi, depth);
            hi = cut;
        }
    }
    for k in lo + 1..=hi {
        let key = items.key(k);
        let mut j = k;
        while j > lo && items.key(j - 1) > key {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Heapsort of items `lo..=hi`: the fallback of [`quicksort`], never
/// quadratic.
pub(crate) fn heapsort<I: Items>(items: &mut I, lo: usize, hi: usize) {
    let n = hi + 1 - lo;
    let sift = |items: &mut I, mut k: usize, end: usize| loop {
        let mut c = 2 * k + 1;
        if c >= end {
            break;
        }
        if c + 1 < end && items.key(lo + c + 1) > items.key(lo + c) {
            c += 1;
        }
        if items.key(lo + k) >= items.key(lo + c) {
            break;
        }
        items.swap(lo + k, lo + c);
        k = c;
    };
    for k in (0..n / 2).rev() {
        sift(items, k, n);
    }
    for end in (1..n).rev() {
        items.swap(lo, lo + end);
        sift(items, 0, end);
    }
}
