//! Merging two tables: exact union while it fits, otherwise the
//! mergeable-summaries rule for Space-Saving (see the module docs of
//! [`crate::ngram`] for the bound and its proof sketch).

use super::bytes::{rd64, EncodedKey};
use super::table::{enc_at, find, order_key, Order, TabMut, TabRef, SLOT};

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
        let fa = self.c.floor;
        let fb = b.c.floor;
        if self.c.cap > 0 {
            for i in 0..self.c.nslots as usize {
                let o = i * SLOT;
                if rd64(self.slots, o + 8) == 0 {
                    continue;
                }
                let hash = rd64(self.slots, o);
                let key = EncodedKey { enc: enc_at(self.slots, self.pool, o) };
                let (c, e) =
                    match find(b.c.nslots, b.slots, b.pool, hash, &key) {
                        Ok(j) => (b.count(j), rd64(b.slots, j * SLOT + 16)),
                        Err(_) => (fb, fb),
                    };
                self.add_counts(i, c, e);
            }
            // Counts changed under the heap: rebuild lazily when needed.
            self.c.order = Order::Unordered;
            for j in 0..b.c.nslots as usize {
                let o = j * SLOT;
                let cb = rd64(b.slots, o + 8);
                if cb == 0 {
                    continue;
                }
                let hash = rd64(b.slots, o);
                let eb = rd64(b.slots, o + 16);
                let key = EncodedKey { enc: enc_at(b.slots, b.pool, o) };
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
                let c = cb.saturating_add(fa);
                let e = eb.saturating_add(fa);
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
}
