//! The documents' pairwise similarity: estimated Jaccard similarity of
//! their word 3-gram sets, from their MinHash signatures (core's
//! [`jaccard_of_hashes`], what `Signature::jaccard` computes).
//!
//! There are n² pairs, so nothing here holds them all: rows of the matrix
//! are computed a block at a time on the worker threads and handed out in
//! order (the JSON writer prints them as they come), and the human report
//! keeps only the most alike pairs. Until 2026-12-07 the CLI built the
//! whole matrix first: 20,000 documents of 420 bytes took 5.4 GB of memory
//! with `--json` and printed a 2.4 GB table without.
//!
//! Most pairs of documents share no hash at all, and their estimate is 0
//! exactly (`jaccard_of_hashes` counts the hashes both lists hold among
//! the `k` smallest of their union). So each row only visits the documents
//! that share a hash with its own, found in an index from hash to the
//! documents whose signature holds it; every other cell is 0, or 1 where
//! both signatures are empty (documents without a 3-gram: the estimate of
//! two empty sets).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use textmeter::signature::jaccard_of_hashes;

/// Cells per block of rows (8 MiB of `f64`s): memory stays bounded
/// whatever the number of documents, and a block is large enough to keep
/// the threads busy.
const BLOCK_CELLS: usize = 1 << 20;

/// The signatures of the documents, indexed for the pairs that matter.
pub struct Similarity<'s> {
    sigs: &'s [&'s [u64]],
    k: usize,
    /// (hash, document) for every hash of every signature, by hash.
    postings: Vec<(u64, u32)>,
}

/// One pair of documents and its estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub estimate: f64,
}

impl<'s> Similarity<'s> {
    /// Indexes `sigs` (ascending hash lists, as the reports hold them) for
    /// the estimate over the `k` smallest hashes of each pair's union.
    pub fn new(sigs: &'s [&'s [u64]], k: usize) -> Self {
        assert!(sigs.len() <= u32::MAX as usize, "too many documents");
        let mut postings: Vec<(u64, u32)> = sigs
            .iter()
            .enumerate()
            .flat_map(|(d, s)| s.iter().map(move |&h| (h, d as u32)))
            .collect();
        postings.sort_unstable();
        Similarity { sigs, k: k.max(1), postings }
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.sigs.len()
    }

    /// Whether document `i` has a word 3-gram (two documents without one
    /// have the estimate 1: nothing tells them apart).
    pub fn has_grams(&self, i: usize) -> bool {
        !self.sigs[i].is_empty()
    }

    /// The estimate for documents `a` and `b` (in either order).
    fn estimate(&self, a: usize, b: usize) -> f64 {
        let (a, b) = (a.min(b), a.max(b));
        jaccard_of_hashes(self.sigs[a], self.sigs[b], self.k)
    }

    /// The documents `j >= from` that share a hash with document `i`, each
    /// once, with how many hashes they share, into `scratch.found`.
    fn sharing(&self, i: usize, from: usize, scratch: &mut Scratch) {
        let mark = i as u32 + 1;
        scratch.found.clear();
        for &h in self.sigs[i] {
            let at = self.postings.partition_point(|&p| p < (h, from as u32));
            for &(x, j) in &self.postings[at..] {
                if x != h {
                    break;
                }
                let j = j as usize;
                if scratch.stamp[j] == mark {
                    scratch.shared[j] += 1;
                } else {
                    scratch.stamp[j] = mark;
                    scratch.shared[j] = 1;
                    scratch.found.push(j as u32);
                }
            }
        }
    }

    /// Row `i` of the matrix into `row` (one cell per document).
    fn row_into(&self, i: usize, row: &mut [f64], scratch: &mut Scratch) {
        if self.sigs[i].is_empty() {
            for (cell, s) in row.iter_mut().zip(self.sigs) {
                *cell = if s.is_empty() { 1.0 } else { 0.0 };
            }
            return;
        }
        row.fill(0.0);
        self.sharing(i, 0, scratch);
        for &j in &scratch.found {
            row[j as usize] = self.estimate(i, j as usize);
        }
    }

    /// Hands the rows of the matrix to `visit` in order, computed a block
    /// at a time on up to `jobs` threads; stops at `visit`'s first error.
    pub fn rows<E>(
        &self,
        jobs: usize,
        mut visit: impl FnMut(&[f64]) -> Result<(), E>,
    ) -> Result<(), E> {
        let n = self.len();
        if n == 0 {
            return Ok(());
        }
        let per_block = (BLOCK_CELLS / n).clamp(1, n);
        let jobs = jobs.clamp(1, per_block);
        let mut block = vec![0.0; per_block * n];
        let mut scratch: Vec<Scratch> =
            (0..jobs).map(|_| Scratch::new(n)).collect();
        for first in (0..n).step_by(per_block) {
            let rows = per_block.min(n - first);
            let cells = &mut block[..rows * n];
            if jobs == 1 {
                for (r, row) in cells.chunks_mut(n).enumerate() {
                    self.row_into(first + r, row, &mut scratch[0]);
                }
            } else {
                // Rows dealt round robin: rows differ in cost (a document
                // sharing much text with many others costs more).
                let mut dealt: Vec<Vec<(usize, &mut [f64])>> =
                    (0..jobs).map(|_| Vec::new()).collect();
                for (r, row) in cells.chunks_mut(n).enumerate() {
                    dealt[r % jobs].push((first + r, row));
                }
                let batches: Vec<_> = dealt
                    .into_iter()
                    .zip(&mut scratch)
                    .map(|b| Mutex::new(Some(b)))
                    .collect();
                on_threads(jobs, || {
                    for batch in &batches {
                        let taken = batch.lock().expect("no panics").take();
                        if let Some((rows, scratch)) = taken {
                            for (i, row) in rows {
                                self.row_into(i, row, scratch);
                            }
                        }
                    }
                });
            }
            for row in cells.chunks(n) {
                visit(row)?;
            }
        }
        Ok(())
    }

    /// The `count` most alike pairs of documents whose signatures are not
    /// both empty, by estimate (descending), then by documents; pairs
    /// estimated at 0 are left out. Computed on up to `jobs` threads, each
    /// keeping only its own best `count`.
    ///
    /// A pair sharing `s` hashes has an estimate of at most
    /// `s / min(k, longer list)` (at most `s` shared among the hashes
    /// taken, and the union has at least as many hashes as either list),
    /// so once `count` pairs are kept, a pair whose bound is below the
    /// worst of them is passed over without walking its lists: with many
    /// short documents that share common 3-grams, most pairs are (20,000
    /// documents of 420 bytes: 10.8 -> 1.7 s for the human report).
    pub fn most_alike(&self, count: usize, jobs: usize) -> Vec<Pair> {
        let n = self.len();
        let jobs = jobs.clamp(1, n.max(1));
        let best_of = |t: usize| -> Vec<Pair> {
            let mut scratch = Scratch::new(n);
            let mut best: Vec<Pair> = Vec::new();
            let mut worst = 0.0;
            for i in (t..n).step_by(jobs) {
                self.sharing(i, i + 1, &mut scratch);
                for &j in &scratch.found {
                    let j = j as usize;
                    let longer = self.sigs[i].len().max(self.sigs[j].len());
                    let bound =
                        scratch.shared[j] as f64 / longer.min(self.k) as f64;
                    if best.len() == count && bound < worst {
                        continue;
                    }
                    let estimate = self.estimate(i, j);
                    if estimate > 0.0 {
                        let p = Pair { a: i, b: j, estimate };
                        worst = keep(&mut best, p, count);
                    }
                }
            }
            best
        };
        let mut best = if jobs == 1 {
            best_of(0)
        } else {
            let next = AtomicUsize::new(0);
            let found: Vec<Mutex<Vec<Pair>>> =
                (0..jobs).map(|_| Mutex::new(Vec::new())).collect();
            on_threads(jobs, || loop {
                let t = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = found.get(t) else { break };
                *slot.lock().expect("no panics") = best_of(t);
            });
            found
                .into_iter()
                .flat_map(|f| f.into_inner().expect("no panics"))
                .collect()
        };
        best.sort_by(order);
        best.truncate(count);
        best
    }
}

/// Runs `work` on this thread and on up to `jobs - 1` more, and returns
/// once every run has ended. `work` must share out what there is to do
/// among however many run it: a thread that cannot be started (a process
/// or address-space limit) is simply one run fewer.
fn on_threads(jobs: usize, work: impl Fn() + Sync) {
    thread::scope(|s| {
        for _ in 1..jobs {
            if thread::Builder::new().spawn_scoped(s, &work).is_err() {
                break;
            }
        }
        work();
    });
}

/// The order of [`Similarity::most_alike`]: larger estimates first, then
/// the pair with the smaller documents.
fn order(x: &Pair, y: &Pair) -> core::cmp::Ordering {
    y.estimate.total_cmp(&x.estimate).then((x.a, x.b).cmp(&(y.a, y.b)))
}

/// Adds `p` to `best` (at most `count` pairs, unsorted) if it is among the
/// `count` best so far; returns the worst estimate kept (0 while fewer
/// than `count` are).
fn keep(best: &mut Vec<Pair>, p: Pair, count: usize) -> f64 {
    // `count` is small (a report's worth of lines): scans for the worst
    // cost less than keeping a heap ordered.
    let worst = |best: &[Pair]| {
        (0..best.len()).max_by(|&a, &b| order(&best[a], &best[b]))
    };
    if best.len() < count {
        best.push(p);
    } else if let Some(w) = worst(best) {
        if order(&p, &best[w]).is_lt() {
            best[w] = p;
        }
    }
    match worst(best) {
        Some(w) if best.len() == count => best[w].estimate,
        _ => 0.0,
    }
}

/// A thread's scratch for [`Similarity::sharing`]: per document, the row
/// that last found it (`i + 1`) and how many hashes it shares with that
/// row's document; and the documents found for the current row.
struct Scratch {
    stamp: Vec<u32>,
    shared: Vec<u32>,
    found: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch { stamp: vec![0; n], shared: vec![0; n], found: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ascending hash lists that overlap by varying amounts, like the
    /// signatures of documents that share text, with a few empty ones
    /// (documents without a 3-gram).
    fn signatures(n: usize) -> Vec<Vec<u64>> {
        (0..n)
            .map(|d| {
                if d % 37 == 5 {
                    return Vec::new();
                }
                let mut s: Vec<u64> = (0..40 + d % 90)
                    .map(|i| ((i * 7 + d * (i % 3)) as u64) * 1_000_003)
                    .chain(
                        (0..d % 5).map(|i| (d * 100 + i) as u64 + (1 << 40)),
                    )
                    .collect();
                s.sort_unstable();
                s.dedup();
                s
            })
            .collect()
    }

    fn matrix(sim: &Similarity<'_>, jobs: usize) -> Vec<Vec<f64>> {
        let mut m = Vec::new();
        sim.rows(jobs, |r| {
            m.push(r.to_vec());
            Ok::<(), ()>(())
        })
        .unwrap();
        m
    }

    #[test]
    fn rows_are_every_pairs_estimate_on_any_number_of_threads() {
        let sigs = signatures(150);
        let refs: Vec<&[u64]> = sigs.iter().map(Vec::as_slice).collect();
        let sim = Similarity::new(&refs, 64);
        let one = matrix(&sim, 1);
        assert_eq!(one.len(), 150);
        for (i, row) in one.iter().enumerate() {
            assert_eq!(row.len(), 150);
            assert_eq!(row[i], 1.0);
            for (j, &s) in row.iter().enumerate() {
                // The full computation, pair by pair, as the CLI did
                // before the index: every cell, shared hash or not.
                let (a, b) = (i.min(j), i.max(j));
                assert_eq!(s, jaccard_of_hashes(refs[a], refs[b], 64));
                assert_eq!(s.to_bits(), one[j][i].to_bits());
            }
        }
        assert!(one.iter().flatten().any(|&s| s > 0.0 && s < 1.0));
        assert!(one.iter().flatten().any(|&s| s == 0.0));
        for jobs in [2, 3, 7, 200] {
            assert_eq!(matrix(&sim, jobs), one, "jobs {jobs}");
        }
        assert!(matrix(&Similarity::new(&[], 64), 4).is_empty());
    }

    #[test]
    fn rows_come_in_blocks_when_the_matrix_is_large() {
        // 1,100 documents: more cells than one block holds.
        let sigs = signatures(1100);
        let refs: Vec<&[u64]> = sigs.iter().map(Vec::as_slice).collect();
        assert!(refs.len() * refs.len() > BLOCK_CELLS);
        let sim = Similarity::new(&refs, 128);
        let mut seen = 0;
        sim.rows(2, |r| {
            let i = seen;
            for j in (0..r.len()).step_by(13) {
                let (a, b) = (i.min(j), i.max(j));
                assert_eq!(r[j], jaccard_of_hashes(refs[a], refs[b], 128));
            }
            seen += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(seen, 1100);
        // An error stops the rows at once.
        let mut calls = 0;
        let r = sim.rows(2, |_| {
            calls += 1;
            if calls == 3 {
                Err("full")
            } else {
                Ok(())
            }
        });
        assert_eq!((r, calls), (Err("full"), 3));
    }

    #[test]
    fn most_alike_are_the_largest_estimates_of_the_matrix() {
        let sigs = signatures(150);
        let refs: Vec<&[u64]> = sigs.iter().map(Vec::as_slice).collect();
        let sim = Similarity::new(&refs, 64);
        let m = matrix(&sim, 1);
        let mut all: Vec<Pair> = Vec::new();
        for (a, row) in m.iter().enumerate() {
            for (b, &estimate) in row.iter().enumerate().skip(a + 1) {
                let both_empty = refs[a].is_empty() && refs[b].is_empty();
                if estimate > 0.0 && !both_empty {
                    all.push(Pair { a, b, estimate });
                }
            }
        }
        all.sort_by(order);
        for count in [0, 1, 10, 50] {
            for jobs in [1, 2, 5] {
                assert_eq!(
                    sim.most_alike(count, jobs),
                    all[..count],
                    "count {count} jobs {jobs}"
                );
            }
        }
        assert_eq!(sim.most_alike(all.len() + 10, 3), all);
    }
}
