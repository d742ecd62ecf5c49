//! A set borrowed as independent parts, one per table plus the distinct
//! registers, so that merging many sets can run one part per thread.
//!
//! The tables of different `n` never read each other, and a merge of one
//! table is the same whichever thread makes it, so merging set after set
//! through the parts — each part taking the sets in the same order — gives
//! exactly what [`NgramSet::merge`] gives in that order, while part `n = 1`
//! of one set can merge at the same time as part `n = 3` of the previous
//! one.

use super::table::{check_mergeable, TableCore};
use super::{Error, NgramConfig, NgramSet, MAX_N};
use crate::distinct;

/// One `n`'s table of a set, borrowed apart from the rest (see
/// [`NgramSet::split_mut`]).
#[derive(Debug)]
pub struct TablePart<'s> {
    config: NgramConfig,
    core: &'s mut TableCore,
    mem: &'s mut [u8],
}

impl TablePart<'_> {
    /// The `n` of this table.
    pub fn n(&self) -> usize {
        self.core.n as usize
    }

    /// Merges `other`'s `n`-gram table into this one, as
    /// [`NgramSet::merge`] does for every table. `other` should be at a
    /// document boundary (its staged grams are not included).
    ///
    /// # Errors
    /// [`super::ErrorKind::ConfigMismatch`] if the sets' configurations
    /// differ; the table is then unchanged.
    pub fn merge<B: AsRef<[u8]>>(
        &mut self,
        other: &NgramSet<B>,
    ) -> Result<(), Error> {
        if self.config != other.config {
            return Err(Error::mismatch("n-gram configurations differ"));
        }
        let b = other.table(self.n()).expect("same configuration");
        check_mergeable(self.core, &b.core)?;
        self.core.view_mut(self.mem).merge_from(&b.tab());
        Ok(())
    }
}

/// The HyperLogLog registers of a set (its distinct-type estimate),
/// borrowed apart from the tables (see [`NgramSet::split_mut`]).
#[derive(Debug)]
pub struct DistinctPart<'s> {
    config: NgramConfig,
    registers: &'s mut [u8],
}

impl DistinctPart<'_> {
    /// Takes the maximum of each register with `other`'s, as
    /// [`NgramSet::merge`] does.
    ///
    /// # Errors
    /// [`super::ErrorKind::ConfigMismatch`] if the sets' configurations
    /// differ; the registers are then unchanged.
    pub fn merge<B: AsRef<[u8]>>(
        &mut self,
        other: &NgramSet<B>,
    ) -> Result<(), Error> {
        if self.config != other.config {
            return Err(Error::mismatch("n-gram configurations differ"));
        }
        let o = other.hll_offset;
        let src = &other.arena.as_ref()[o..o + self.registers.len()];
        distinct::merge_registers(self.registers, src);
        Ok(())
    }
}

/// The tables of a set as [`TablePart`]s, `lo` to `hi`.
#[derive(Debug)]
pub struct TableParts<'s> {
    config: NgramConfig,
    cores: core::slice::IterMut<'s, TableCore>,
    offsets: [usize; MAX_N],
    /// The arena from `base` on, not yet handed out.
    rest: &'s mut [u8],
    base: usize,
    next: usize,
}

impl<'s> Iterator for TableParts<'s> {
    type Item = TablePart<'s>;

    fn next(&mut self) -> Option<TablePart<'s>> {
        let core = self.cores.next()?;
        let start = self.offsets[self.next - 1] - self.base;
        let len = core.bytes();
        let rest = core::mem::take(&mut self.rest);
        let (mem, rest) = rest[start..].split_at_mut(len);
        self.rest = rest;
        self.base += start + len;
        self.next += 1;
        Some(TablePart { config: self.config, core, mem })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.cores.size_hint()
    }
}

impl ExactSizeIterator for TableParts<'_> {}

impl<A: AsRef<[u8]> + AsMut<[u8]>> NgramSet<A> {
    /// Borrows the set as independent parts: the distinct registers and
    /// one [`TablePart`] per `n`. Merging sets through every part, each
    /// part taking the sets in the same order, gives what
    /// [`NgramSet::merge`] gives in that order, but the parts may work on
    /// different threads. Ends the current document first.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramConfig, NgramSet};
    /// # use textmeter::hash::token_hash;
    /// let cfg = NgramConfig::new(1, 2).with_capacity(8);
    /// let mut total = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// let mut doc = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg)?;
    /// doc.push(b"peace", token_hash(b"peace"));
    /// doc.push(b"talks", token_hash(b"talks"));
    /// let (mut distinct, tables) = total.split_mut();
    /// let doc = &doc;
    /// std::thread::scope(|s| {
    ///     for mut t in tables {
    ///         s.spawn(move || t.merge(doc).unwrap());
    ///     }
    ///     distinct.merge(doc).unwrap();
    /// });
    /// assert_eq!((total.total(1), total.total(2)), (2, 1));
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn split_mut(&mut self) -> (DistinctPart<'_>, TableParts<'_>) {
        self.end_document();
        let (lo, hi) = (self.config.lo as usize, self.config.hi as usize);
        let registers = match self.config.precision {
            0 => 0,
            p => 1 << p,
        };
        let o = self.hll_offset;
        let (tables, hll) = self.arena.as_mut().split_at_mut(o);
        let distinct = DistinctPart {
            config: self.config,
            registers: &mut hll[..registers],
        };
        let parts = TableParts {
            config: self.config,
            cores: self.tables[lo - 1..hi].iter_mut(),
            offsets: self.offsets,
            rest: tables,
            base: 0,
            next: lo,
        };
        (distinct, parts)
    }
}
