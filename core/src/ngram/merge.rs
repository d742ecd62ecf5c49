//! Merging two tables: exact union while it fits, otherwise the
//! mergeable-summaries rule for Space-Saving (see the module docs of
//! [`crate::ngram`] for the bound and its proof sketch).

use super::bytes::{rd64, EncodedKey};
use super::table::{
    enc_at, find, order_key, slots_for, Entry, Order, TabMut, TabRef, SLOT,
};

/// How many entries of the other table a merge's lookups run ahead.
const AHEAD: usize = 8;

impl TabMut<'_> {
    /// `self ← merge(self, b)`; both have the same `n` and capacity.
    ///
    /// 1. every entry x of `self` gets `count_b(x)`/`error_b(x)` added, or
    ///    `floor_b` to both when x is not in `b` (its true count in b is at
    ///    most `floor_b`, and at least 0);
    /// 2. every entry of `b` not in `self` is a candidate with
    ///    `count_b + floor_a`, `error_b + floor_a`: inserted while there is
    ///    room; otherwise it replaces the minimum only if strictly larger
    ///    in the heap order (count, then hash:
    ///    [`order_key`]), and the floor rises to the
    ///    count that was dropped or evicted. So the entries kept are the
    ///    `capacity` largest by (count, hash), whatever the slot orders;
    /// 3. `floor = max(floor, floor_a + floor_b)`, totals add.
    ///
    /// The strict comparison in step 2 also makes an entry of `b` that
    /// matched an already evicted entry of `self` harmless: its candidate
    /// count `count_b + floor_a` is at most the evicted merged count, which
    /// is at most the current minimum, so it is dropped.
    pub(crate) fn merge_from(&mut self, b: &TabRef<'_>) {
        #[cfg(test)]
        let copy = !tests::NO_COPY.with(|f| f.get());
        #[cfg(not(test))]
        let copy = true;
        if copy && self.can_copy(b) {
            self.copy_of(b);
            return;
        }
        let fa = self.c.floor;
        let fb = b.c.floor;
        if self.c.cap > 0 {
            #[cfg(test)]
            let fb_zero = fb == 0 && !tests::FULL_STEP1.with(|f| f.get());
            #[cfg(not(test))]
            let fb_zero = fb == 0;
            if fb_zero {
                // An entry of `self` that `b` lacks gains nothing: only
                // `b`'s entries need a visit (a small document merged
                // into a large total costs its own size).
                self.raise_shared(b);
            } else {
                self.raise_all(b, fb);
            }
            self.presize_for(b);
            let mut ahead = self.look_ahead(b);
            for entry in b.entries() {
                if let Some(h) = ahead.next() {
                    self.c.prefetch(self.slots, h);
                }
                let (hash, key) = (entry.hash(), key_of(&entry));
                let i = match find(
                    self.c.nslots,
                    self.slots,
                    self.pool,
                    hash,
                    &key,
                ) {
                    Ok(_) => continue,
                    Err(i) => i,
                };
                let c = entry.count().saturating_add(fa);
                let e = entry.error().saturating_add(fa);
                // Ties at the minimum go by hash, as in the heap, so the
                // result does not depend on either table's slot order.
                if self.c.len < self.c.cap
                    || order_key(c, hash) > self.min_key()
                {
                    self.insert_new(i, hash, &key, c, e);
                } else if c > self.c.floor {
                    self.c.floor = c;
                }
            }
        }
        self.c.floor = self.c.floor.max(fa.saturating_add(fb));
        self.c.total = self.c.total.saturating_add(b.c.total);
    }

    /// Step 1 for every entry of `self`.
    fn raise_all(&mut self, b: &TabRef<'_>, fb: u64) {
        for i in 0..self.c.nslots as usize {
            let o = i * SLOT;
            if rd64(self.slots, o + 8) == 0 {
                continue;
            }
            let hash = rd64(self.slots, o);
            let key = EncodedKey { enc: enc_at(self.slots, self.pool, o) };
            let (c, e) = match find(b.c.nslots, b.slots, b.pool, hash, &key) {
                Ok(j) => (b.count(j), rd64(b.slots, j * SLOT + 16)),
                Err(_) => (fb, fb),
            };
            self.add_counts(i, c, e);
        }
        // Counts changed under the heap: rebuild lazily when needed.
        self.c.order = Order::Unordered;
    }

    /// Step 1 when `b` is exact (its floor is 0): the entries both hold.
    fn raise_shared(&mut self, b: &TabRef<'_>) {
        let mut ahead = self.look_ahead(b);
        for entry in b.entries() {
            if let Some(h) = ahead.next() {
                self.c.prefetch(self.slots, h);
            }
            let (hash, key) = (entry.hash(), key_of(&entry));
            if let Ok(i) =
                find(self.c.nslots, self.slots, self.pool, hash, &key)
            {
                self.raise_counts(i, entry.count(), entry.error());
            }
        }
    }

    /// Grows the table to its size after the merge before inserting
    /// anything. `b`'s entries arrive in its slot order, which is hash
    /// order, so a table that grew on the way would take them into its
    /// first slots only, at many times its overall load: probe runs of
    /// hundreds of slots (a 60,000-entry merge took 480 ms, not 14).
    fn presize_for(&mut self, b: &TabRef<'_>) {
        let (len, max) = (self.c.len, self.c.max_slots);
        if len >= self.c.cap
            || slots_for(len.saturating_add(b.c.len).min(self.c.cap), max)
                == self.c.nslots
        {
            return;
        }
        // Into an empty table every entry of `b` is new: no need to count.
        let new = if len == 0 { b.c.len } else { self.absent_from(b) };
        let want = slots_for(len.saturating_add(new).min(self.c.cap), max);
        if want > self.c.nslots {
            self.grow(want);
        }
    }

    /// The hashes of `b`'s entries, [`AHEAD`] of them already prefetched
    /// in this table: a loop over `b.entries()` prefetches the next one
    /// per entry, so each lookup finds its home slot in cache. (Merging
    /// many small documents into a large total spent 15 % of its time
    /// waiting for them.)
    fn look_ahead<'b>(
        &self,
        b: &TabRef<'b>,
    ) -> impl Iterator<Item = u64> + 'b {
        let mut ahead = b.hashes();
        for h in ahead.by_ref().take(AHEAD) {
            self.c.prefetch(self.slots, h);
        }
        ahead
    }

    /// How many entries of `b` this table lacks.
    fn absent_from(&self, b: &TabRef<'_>) -> u32 {
        let mut absent = 0;
        let mut ahead = self.look_ahead(b);
        for entry in b.entries() {
            if let Some(h) = ahead.next() {
                self.c.prefetch(self.slots, h);
            }
            let (hash, key) = (entry.hash(), key_of(&entry));
            let found = find(self.c.nslots, self.slots, self.pool, hash, &key);
            absent += u32::from(found.is_err());
        }
        absent
    }
}

/// The lookup key of an entry of another table: its encoded gram (or its
/// hash alone when its bytes are missing).
fn key_of<'t>(entry: &Entry<'t>) -> EncodedKey<'t> {
    EncodedKey { enc: entry.gram().map(|g| g.encoded()) }
}

#[cfg(test)]
pub(super) mod tests {
    use std::format;
    use std::vec;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::super::table::{NgramTable, TableConfig, GROWS};

    std::thread_local! {
        /// Makes `merge_from` visit every entry of `self` in step 1, as
        /// it must when `b` is approximate: the oracle of the exact-`b`
        /// path.
        pub(crate) static FULL_STEP1: core::cell::Cell<bool> =
            const { core::cell::Cell::new(false) };
        /// Makes `merge_from` insert a table's entries into an empty one
        /// one by one instead of copying it: the copy's oracle.
        pub(crate) static NO_COPY: core::cell::Cell<bool> =
            const { core::cell::Cell::new(false) };
    }

    pub(crate) fn serialized<A: AsRef<[u8]>>(t: &NgramTable<A>) -> Vec<u8> {
        let mut out = vec![0u8; t.serialized_len()];
        t.serialize_into(&mut out).unwrap();
        out
    }

    proptest! {
        /// Merging documents one by one into a total (which fills, keeps
        /// a heap and evicts) gives the same bytes whether step 1 visits
        /// only the entries of an exact document or every entry of the
        /// total.
        #[test]
        fn exact_b_step_one_matches_full_scan(
            docs in proptest::collection::vec(
                proptest::collection::vec(0u16..120, 0..60), 1..12),
            cap in 1u32..150,
        ) {
            let cfg = TableConfig::new(1, cap);
            let mut totals = [false, true].map(|full| {
                FULL_STEP1.with(|f| f.set(full));
                let mut total =
                    NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg)
                        .unwrap();
                for d in &docs {
                    // Documents of the total's configuration (merge needs
                    // it); some overflow and are approximate.
                    let mut t = NgramTable::new(
                        vec![0u8; cfg.bytes_needed()], cfg).unwrap();
                    for w in d {
                        t.insert(&[format!("w{w}").as_bytes()]).unwrap();
                    }
                    total.merge(&t).unwrap();
                }
                FULL_STEP1.with(|f| f.set(false));
                total
            });
            let full = totals[1].clone();
            prop_assert_eq!(serialized(&totals[0]), serialized(&full));
            // And both go on the same way.
            for t in &mut totals {
                t.insert(&[b"w1"]).unwrap();
            }
            prop_assert_eq!(serialized(&totals[0]), serialized(&totals[1]));
        }
    }

    proptest! {
        /// Merging a table into an empty one copies it (and compacts the
        /// records of one that evicted); the result serialises as
        /// inserting its entries one by one does, and both go on alike
        /// through evictions, a tight pool (grams without bytes,
        /// compaction) and further merges.
        #[test]
        fn copy_into_empty_matches_inserting(
            words in proptest::collection::vec(0u16..300, 0..200),
            more in proptest::collection::vec(0u16..600, 0..400),
            cap in 1u32..120,
            pool in 0u64..3000,
        ) {
            let cfg = TableConfig::new(2, cap).with_pool_bytes(pool);
            let fresh = || {
                NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap()
            };
            let mut doc = fresh();
            for w in words.windows(2) {
                let (a, b) = (format!("w{}", w[0]), format!("v{}", w[1]));
                doc.insert(&[a.as_bytes(), b.as_bytes()]).unwrap();
            }
            let mut later = fresh();
            for w in more.windows(2) {
                let (a, b) = (format!("w{}", w[0]), format!("x{}", w[1]));
                later.insert(&[a.as_bytes(), b.as_bytes()]).unwrap();
            }
            let mut totals = [false, true].map(|no_copy| {
                NO_COPY.with(|f| f.set(no_copy));
                let mut total = fresh();
                total.merge(&doc).unwrap();
                NO_COPY.with(|f| f.set(false));
                total
            });
            prop_assert_eq!(serialized(&totals[0]), serialized(&totals[1]));
            prop_assert_eq!(totals[0].missing_bytes(), totals[1].missing_bytes());
            for t in &mut totals {
                for w in more.windows(2) {
                    let (a, b) = (format!("w{}", w[1]), format!("y{}", w[0]));
                    t.insert(&[a.as_bytes(), b.as_bytes()]).unwrap();
                }
            }
            prop_assert_eq!(serialized(&totals[0]), serialized(&totals[1]));
            prop_assert_eq!(totals[0].missing_bytes(), totals[1].missing_bytes());
            for t in &mut totals {
                t.merge(&later).unwrap();
            }
            prop_assert_eq!(serialized(&totals[0]), serialized(&totals[1]));
        }
    }

    /// A merge inserts entries in hash order; into a table that grew as
    /// they came, they would pile up in its first slots, at many times
    /// its load (a 60,000-entry merge took 480 ms instead of 14). The
    /// table takes its final size first: one rehash at most.
    #[test]
    fn merge_sizes_the_table_once() {
        let cfg = TableConfig::new(1, 65_536);
        let fresh =
            || NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        let mut src = fresh();
        for i in 0..40_000u32 {
            src.insert(&[format!("w{i}").as_bytes()]).unwrap();
        }
        for before in [0u32, 1, 300, 5_000] {
            let mut dst = fresh();
            for i in 0..before {
                dst.insert(&[format!("x{i}").as_bytes()]).unwrap();
            }
            let grows = GROWS.with(|g| g.get());
            dst.merge(&src).unwrap();
            // Into an empty table the other is copied: no rehash.
            let want = usize::from(before > 0);
            assert_eq!(GROWS.with(|g| g.get()) - grows, want, "{before}");
            assert_eq!(dst.len(), 40_000 + before as usize);
            // Merging again adds no entry: no rehash at all.
            let grows = GROWS.with(|g| g.get());
            dst.merge(&src).unwrap();
            assert_eq!(GROWS.with(|g| g.get()), grows, "{before}");
        }
    }
}
