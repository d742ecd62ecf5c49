//! Merging two tables: exact union while it fits, otherwise the
//! mergeable-summaries rule for Space-Saving (see the module docs of
//! [`crate::ngram`] for the bound and its proof sketch).

use super::bytes::{rd32, rd64, wr32, EncodedKey};
use super::sort;
use super::table::{
    enc_at, free_slot, order_key, slots_for, Entry, Order, TabMut, TabRef,
    REC, SLOT,
};
use crate::counts::capped_add;

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
            let absent = if fb_zero {
                // An entry of `self` that `b` lacks gains nothing: only
                // `b`'s entries need a visit (a small document merged
                // into a large total costs its own size).
                self.look_up(b, true)
            } else {
                self.raise_all(b, fb);
                self.look_up(b, false)
            };
            self.presize_for(absent);
            self.offer(b, absent, fa);
        }
        self.c.floor = self.c.floor.max(capped_add(fa, fb));
        self.c.total = capped_add(self.c.total, b.c.total);
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
            let (c, e) = match b.find(hash, &key) {
                Ok(j) => (b.count(j), rd64(b.slots, j * SLOT + 16)),
                Err(_) => (fb, fb),
            };
            self.add_counts(i, c, e);
        }
        // Counts changed under the heap: rebuild lazily when needed.
        self.c.order = Order::Unordered;
    }

    /// Looks every entry of `b` up, once: raises the ones this table
    /// holds when `raise` (step 1 when `b` is exact), and lists the
    /// others for step 2 (their slots in `b`, in slot order, from
    /// [`absent_at`](Self::absent_at)); returns how many it listed. Step 2
    /// and the presizing then need no lookup of their own (they were two
    /// more over every entry of `b`: a third of a merge's instructions).
    fn look_up(&mut self, b: &TabRef<'_>, raise: bool) -> usize {
        let list = self.absent_at();
        let mut absent = 0;
        let mut ahead = self.look_ahead(b);
        for s in b.used() {
            if let Some(h) = ahead.next() {
                self.c.prefetch(self.slots, h);
            }
            let entry = b.entry(s);
            let (hash, key) = (entry.hash(), key_of(&entry));
            match self.find(hash, &key) {
                Ok(i) if raise => {
                    self.raise_counts(i, entry.count(), entry.error())
                }
                Ok(_) => {}
                Err(_) => {
                    wr32(self.order, list + 4 * absent, s as u32);
                    absent += 1;
                }
            }
        }
        if absent > 0 && self.c.order == Order::Buckets {
            // The list overwrote the last bucket nodes; step 2 drops the
            // buckets anyway (an insertion does, or the heap replaces them).
            self.c.order = Order::Unordered;
        }
        absent
    }

    /// Step 2 for the `absent` entries of `b` that [`look_up`](Self::look_up)
    /// listed. Each stays absent until it is offered (`b`'s entries are
    /// distinct), so its free slot is found by a probe for an empty slot,
    /// and only if it enters. An entry that was present at step 1 but
    /// evicted since is not offered: its candidate count `count_b +
    /// floor_a` is at most its evicted merged count, so it would be
    /// dropped, and the floor is at least that count already.
    fn offer(&mut self, b: &TabRef<'_>, absent: usize, fa: u64) {
        let list = self.absent_at();
        // Largest first, in an order of the contents alone, whenever the
        // order can matter: which entries keep their gram bytes once the
        // pool runs out must not depend on `b`'s slot order (its
        // placement seed), and the heaviest should keep them. It matters
        // when this merge evicts (an entry offered early and evicted late
        // leaves its record behind, which changes when a later append
        // finds the pool full) or cannot append every record. Otherwise
        // the order changes nothing a reader sees, and there is no sort.
        let evicts = self.c.len as usize + absent > self.c.cap as usize;
        // `b`'s live records bound what its absent entries need; only
        // past that bound are their records read (a pass of cache misses
        // over a large `b`).
        let free = u64::from(self.c.pool_len - self.c.used);
        let short = !evicts
            && u64::from(b.c.live) > free
            && (0..absent)
                .map(|t| {
                    let s = rd32(self.order, list + 4 * t) as usize;
                    enc_at(b.slots, b.pool, s * SLOT)
                        .map_or(0, |e| (REC + e.len()) as u64)
                })
                .sum::<u64>()
                > free;
        if evicts || short {
            let list = &mut self.order[list..list + 4 * absent];
            sort::sort(&mut Offers { list, b });
        }
        let hash_at = |order: &[u8], t: usize| {
            let s = rd32(order, list + 4 * t) as usize;
            rd64(b.slots, s * SLOT)
        };
        for t in 0..absent.min(AHEAD) {
            self.c.prefetch(self.slots, hash_at(self.order, t));
        }
        for t in 0..absent {
            if t + AHEAD < absent {
                self.c.prefetch(self.slots, hash_at(self.order, t + AHEAD));
            }
            let entry = b.entry(rd32(self.order, list + 4 * t) as usize);
            let hash = entry.hash();
            let c = capped_add(entry.count(), fa);
            let e = capped_add(entry.error(), fa);
            // Ties at the minimum go by hash, as in the heap, so the
            // result does not depend on either table's slot order.
            if self.c.len < self.c.cap || order_key(c, hash) > self.min_key() {
                let i =
                    free_slot(self.c.nslots, self.c.salt, self.slots, hash);
                self.insert_new(i, hash, &key_of(&entry), c, e);
                if self.c.order == Order::Heap {
                    self.prefetch_victim();
                }
            } else if c > self.c.floor {
                self.c.floor = c;
            }
        }
    }

    /// Where [`look_up`](Self::look_up) lists the entries step 2 offers
    /// (`u32` each, at most one per entry of capacity): the last 4 B per
    /// entry of the order region, which neither the heap (16 B per entry
    /// from at most byte 63, see [`build_heap`](Self::build_heap)) nor the
    /// scratch of a rehash ([`grow`](Self::grow)) reaches.
    fn absent_at(&self) -> usize {
        self.order.len() - 4 * self.c.cap as usize
    }

    /// Grows the table to its size after the merge, with `new` more
    /// entries, before inserting anything. `b`'s entries arrive in its
    /// slot order, which is hash order, so a table that grew on the way
    /// would take them into its first slots only, at many times its
    /// overall load: probe runs of hundreds of slots (a 60,000-entry merge
    /// took 480 ms, not 14).
    fn presize_for(&mut self, new: usize) {
        let len = (self.c.len as usize + new).min(self.c.cap as usize);
        let want = slots_for(len as u32, self.c.max_slots);
        if want > self.c.nslots {
            self.grow(want);
        }
    }

    /// The hashes of `b`'s entries, [`AHEAD`] of them already prefetched
    /// in this table: a loop over `b.used()` prefetches the next one
    /// per entry, so each lookup finds its home slot in cache. (Merging
    /// many small documents into a large total spent 15 % of its time
    /// waiting for them.)
    fn look_ahead<'b>(
        &self,
        b: &TabRef<'b>,
    ) -> impl Iterator<Item = u64> + 'b {
        let slots = b.slots;
        let mut ahead = b.used().map(move |s| rd64(slots, s * SLOT));
        for h in ahead.by_ref().take(AHEAD) {
            self.c.prefetch(self.slots, h);
        }
        ahead
    }
}

/// The slots of `b` a merge offers (`u32` each, in `list`), as
/// [`sort::Items`] by descending [`order_key`] of their entries (distinct
/// unless two grams share a 64-bit hash, which then keep no particular
/// order between them). A key is read from `b` at each comparison: a
/// quicksort reads one entry per comparison, where a heapsort read two or
/// three and added 10 % to merging 1,020 small documents.
struct Offers<'l, 'b, 't> {
    list: &'l mut [u8],
    b: &'b TabRef<'t>,
}

impl sort::Items for Offers<'_, '_, '_> {
    type Key = core::cmp::Reverse<(u64, u64)>;
    fn len(&self) -> usize {
        self.list.len() / 4
    }
    #[inline(always)]
    fn key(&self, t: usize) -> Self::Key {
        let s = rd32(self.list, 4 * t) as usize;
        let b = self.b;
        core::cmp::Reverse(order_key(b.count(s), rd64(b.slots, s * SLOT)))
    }
    #[inline(always)]
    fn swap(&mut self, x: usize, y: usize) {
        let (vx, vy) = (rd32(self.list, 4 * x), rd32(self.list, 4 * y));
        wr32(self.list, 4 * x, vy);
        wr32(self.list, 4 * y, vx);
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

    use super::super::table::{order_key, NgramTable, TableConfig, GROWS};

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

    /// A table as its entries (hash, count, error), by hash, and its
    /// floor.
    type Model = (Vec<(u64, u64, u64)>, u64);

    fn model<A: AsRef<[u8]>>(t: &NgramTable<A>) -> Model {
        let mut v: Vec<_> =
            t.entries().map(|e| (e.hash(), e.count(), e.error())).collect();
        v.sort_unstable();
        (v, t.core.floor)
    }

    /// `merge(a, b)` as the rule of `merge_from` defines it: every entry
    /// of either table with its merged counts, the `capacity` largest by
    /// [`order_key`] kept, the floor at least the largest count dropped.
    fn by_the_rule<A: AsRef<[u8]>>(
        a: &NgramTable<A>,
        b: &NgramTable<A>,
    ) -> Model {
        let ((ea, fa), (eb, fb)) = (model(a), model(b));
        let in_b = |h: u64| eb.iter().find(|x| x.0 == h);
        let mut all: Vec<_> = ea
            .iter()
            .map(|&(h, c, e)| match in_b(h) {
                Some(&(_, cb, eb)) => (h, c + cb, e + eb),
                None => (h, c + fb, e + fb),
            })
            .collect();
        for &(h, c, e) in &eb {
            if !ea.iter().any(|x| x.0 == h) {
                all.push((h, c + fa, e + fa));
            }
        }
        all.sort_unstable_by_key(|&(h, c, _)| {
            core::cmp::Reverse(order_key(c, h))
        });
        let dropped = all.split_off(all.len().min(a.capacity()));
        let floor = dropped.first().map_or(0, |x| x.1).max(fa + fb);
        all.sort_unstable();
        (all, floor)
    }

    proptest! {
        /// Every merge of documents into a total that fills and evicts
        /// gives what the rule says (exact documents, whose shared entries
        /// are raised in the same pass that lists the others, and
        /// approximate ones); in particular an entry raised and then
        /// evicted by the document's other entries does not come back.
        #[test]
        fn merge_follows_the_rule(
            docs in proptest::collection::vec(
                proptest::collection::vec(0u16..150, 0..80), 1..10),
            cap in 1u32..120,
        ) {
            let cfg = TableConfig::new(1, cap);
            let fresh =
                || NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
            let mut total = fresh();
            for d in &docs {
                let mut t = fresh();
                for w in d {
                    t.insert(&[format!("w{w}").as_bytes()]).unwrap();
                }
                let want = by_the_rule(&total, &t);
                total.merge(&t).unwrap();
                prop_assert_eq!(model(&total), want);
            }
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
