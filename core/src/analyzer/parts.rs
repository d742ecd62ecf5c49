//! An analyzer borrowed as independent parts for merging on several
//! threads: one part per n-gram table, and one for everything else.
//!
//! A total that many per-document analyzers merge into is a sequence of
//! merges in a fixed order (Space-Saving merges are not associative). Each
//! part of the total only reads and writes its own state, so the parts can
//! each take the documents in that order on their own: part `n = 3` can
//! merge document 7 while part `n = 1` merges document 8, and the total is
//! exactly that of [`Analyzer::merge`] in the same order.

use super::{Analyzer, AnalyzerConfig, AnalyzerError};
use crate::counts::Counts;
use crate::lexicon::Matcher;
use crate::ngram::{DistinctPart, TablePart, TableParts};
use crate::signature::Signature;

/// An analyzer borrowed as parts, from [`Analyzer::split_mut`]: `rest`
/// and one [`AnalyzerTable`] per `n` in `tables`.
#[derive(Debug)]
pub struct AnalyzerParts<'p, 'a, 'l> {
    /// Counts, distinct-type registers, signature and lexicon tallies.
    pub rest: AnalyzerRest<'p, 'a, 'l>,
    /// One part per n-gram table, `lo` to `hi`.
    pub tables: AnalyzerTables<'p>,
}

/// Everything of an analyzer but its n-gram tables (see
/// [`Analyzer::split_mut`]).
#[derive(Debug)]
pub struct AnalyzerRest<'p, 'a, 'l> {
    config: AnalyzerConfig,
    counts: &'p mut Counts,
    distinct: DistinctPart<'p>,
    signature: Option<&'p mut Signature<&'a mut [u8]>>,
    matcher: Option<&'p mut Matcher<'l>>,
}

impl AnalyzerRest<'_, '_, '_> {
    /// Adds `other`'s counts, distinct registers, signature and lexicon
    /// tallies, as [`Analyzer::merge`] does.
    ///
    /// # Errors
    /// [`super::AnalyzerErrorKind::ConfigMismatch`] when the
    /// configurations or lexicons differ; nothing changes then.
    pub fn merge(
        &mut self,
        other: &Analyzer<'_, '_>,
    ) -> Result<(), AnalyzerError> {
        check_mergeable(self.config, self.matcher.as_deref(), other)?;
        self.merge_checked(other)
    }

    /// [`merge`](Self::merge) once [`check_mergeable`] has passed:
    /// [`Analyzer::merge`] checks before any part changes, and the
    /// lexicon check builds a matcher, so it is not run twice.
    pub(super) fn merge_checked(
        &mut self,
        other: &Analyzer<'_, '_>,
    ) -> Result<(), AnalyzerError> {
        self.distinct.merge(&other.ngrams).map_err(|_| {
            AnalyzerError::mismatch("n-gram configurations differ")
        })?;
        if let (Some(a), Some(b)) = (&mut self.signature, &other.signature) {
            a.merge(b);
        }
        if let (Some(a), Some(b)) = (&mut self.matcher, &other.matcher) {
            a.merge(b);
        }
        self.counts.merge(&other.counts());
        Ok(())
    }
}

/// One n-gram table of an analyzer (see [`Analyzer::split_mut`]).
#[derive(Debug)]
pub struct AnalyzerTable<'p> {
    config: AnalyzerConfig,
    table: TablePart<'p>,
}

impl AnalyzerTable<'_> {
    /// The `n` of this table.
    pub fn n(&self) -> usize {
        self.table.n()
    }

    /// Merges `other`'s `n`-gram table into this one, as
    /// [`Analyzer::merge`] does.
    ///
    /// # Errors
    /// [`super::AnalyzerErrorKind::ConfigMismatch`] when the
    /// configurations differ, [`super::AnalyzerErrorKind::Unfinished`]
    /// when `other` holds undecided text; the table is then unchanged.
    pub fn merge(
        &mut self,
        other: &Analyzer<'_, '_>,
    ) -> Result<(), AnalyzerError> {
        if self.config != other.config {
            return Err(AnalyzerError::mismatch("configurations differ"));
        }
        if other.has_undecided() {
            return Err(AnalyzerError::unfinished());
        }
        self.table.merge(&other.ngrams).map_err(|_| {
            AnalyzerError::mismatch("n-gram configurations differ")
        })
    }
}

/// The n-gram tables of an analyzer as [`AnalyzerTable`]s, `lo` to `hi`.
#[derive(Debug)]
pub struct AnalyzerTables<'p> {
    config: AnalyzerConfig,
    tables: TableParts<'p>,
}

impl<'p> Iterator for AnalyzerTables<'p> {
    type Item = AnalyzerTable<'p>;

    fn next(&mut self) -> Option<AnalyzerTable<'p>> {
        let table = self.tables.next()?;
        Some(AnalyzerTable { config: self.config, table })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.tables.size_hint()
    }
}

impl ExactSizeIterator for AnalyzerTables<'_> {}

impl<'a, 'l> Analyzer<'a, 'l> {
    /// Borrows the analyzer as independent parts for merging other
    /// analyzers into it on several threads. Merging analyzers through
    /// every part, each part taking them in the same order, gives exactly
    /// what [`Analyzer::merge`] gives in that order. Ends the current
    /// document first, as [`finish`](Self::finish) does.
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    /// let (mut m1, mut m2) = (vec![0; cfg.bytes_needed()], vec![0; cfg.bytes_needed()]);
    /// let mut total = Analyzer::new(cfg, &mut m1, None)?;
    /// let mut doc = Analyzer::new(cfg, &mut m2, None)?;
    /// doc.update(b"peace talks resume");
    /// doc.finish();
    /// let parts = total.split_mut();
    /// let (mut rest, doc) = (parts.rest, &doc);
    /// std::thread::scope(|s| {
    ///     for mut table in parts.tables {
    ///         s.spawn(move || table.merge(doc));
    ///     }
    ///     rest.merge(doc)
    /// })?;
    /// assert_eq!(total.counts().tokens, 3);
    /// assert_eq!(total.ngrams().total(3), 1);
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    pub fn split_mut(&mut self) -> AnalyzerParts<'_, 'a, 'l> {
        self.finish();
        let config = self.config;
        let (distinct, tables) = self.ngrams.split_mut();
        AnalyzerParts {
            rest: AnalyzerRest {
                config,
                counts: &mut self.counts,
                distinct,
                signature: self.signature.as_mut(),
                matcher: self.matcher.as_mut(),
            },
            tables: AnalyzerTables { config, tables },
        }
    }
}

/// Whether `other` can merge into an analyzer with `config` and `matcher`:
/// the same configuration and lexicon. The lexicons are compared through
/// a fresh matcher (a few KiB), so a mismatch is found before anything
/// changes.
pub(super) fn check_mergeable(
    config: AnalyzerConfig,
    matcher: Option<&Matcher<'_>>,
    other: &Analyzer<'_, '_>,
) -> Result<(), AnalyzerError> {
    if config != other.config {
        return Err(AnalyzerError::mismatch("configurations differ"));
    }
    if other.has_undecided() {
        return Err(AnalyzerError::unfinished());
    }
    let same_lexicon = match (matcher, &other.matcher) {
        (None, None) => true,
        (Some(a), Some(b)) => Matcher::new(a.lexicon()).merge(b),
        _ => false,
    };
    if same_lexicon {
        Ok(())
    } else {
        Err(AnalyzerError::mismatch("lexicons differ"))
    }
}
