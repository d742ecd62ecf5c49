//! Read-only views of a [`Matcher`](super::Matcher)'s results.

use core::iter::FusedIterator;

use super::Lexicon;

/// Running totals of one category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) hits: u64,
    pub(crate) negated: u64,
    pub(crate) score_milli: i64,
}

/// Per-category results, borrowed from a [`Matcher`](super::Matcher).
///
/// ```
/// # let lex = textmeter::lexicon::BuiltinLexicon::new();
/// let m = lex.lexicon().score_text("Troops massed; talks stalled.");
/// let s = m.scores();
/// for c in s.iter() {
///     println!("{:?}: {} hits, score {}", c.name(), c.hits(), c.score());
/// }
/// assert_eq!(s.len(), 5);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Scores<'a, 'l> {
    lex: Lexicon<'l>,
    tallies: &'a [Tally],
    tokens: u64,
}

impl<'a, 'l> Scores<'a, 'l> {
    pub(crate) fn new(
        lex: Lexicon<'l>,
        tallies: &'a [Tally],
        tokens: u64,
    ) -> Self {
        Scores { lex, tallies, tokens }
    }

    /// The same scores with another token count for `per_1k` and
    /// `hits_per_1k` (for example the analyzer's document count).
    pub fn with_tokens(self, tokens: u64) -> Self {
        Scores { tokens, ..self }
    }

    /// The token count the rates divide by.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Number of categories.
    pub fn len(&self) -> usize {
        self.tallies.len()
    }

    /// Whether the lexicon has no category.
    pub fn is_empty(&self) -> bool {
        self.tallies.is_empty()
    }

    /// The results of category `index`.
    pub fn category(&self, index: usize) -> Option<CategoryScore<'l>> {
        let t = self.tallies.get(index)?;
        Some(CategoryScore {
            name: self.lex.category_name(index)?,
            index,
            hits: t.hits,
            negated: t.negated,
            score_milli: t.score_milli,
            tokens: self.tokens,
        })
    }

    /// The results of the category called `name`.
    pub fn get(&self, name: &[u8]) -> Option<CategoryScore<'l>> {
        self.category(self.lex.category_index(name)?)
    }

    /// Every category, in index order.
    pub fn iter(&self) -> CategoryScores<'a, 'l> {
        CategoryScores { scores: *self, next: 0 }
    }
}

impl<'a, 'l> IntoIterator for Scores<'a, 'l> {
    type Item = CategoryScore<'l>;
    type IntoIter = CategoryScores<'a, 'l>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over [`CategoryScore`]s, from [`Scores::iter`].
#[derive(Clone, Debug)]
pub struct CategoryScores<'a, 'l> {
    scores: Scores<'a, 'l>,
    next: usize,
}

impl<'l> Iterator for CategoryScores<'_, 'l> {
    type Item = CategoryScore<'l>;
    fn next(&mut self) -> Option<Self::Item> {
        let c = self.scores.category(self.next)?;
        self.next += 1;
        Some(c)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.scores.len().saturating_sub(self.next);
        (n, Some(n))
    }
}

impl ExactSizeIterator for CategoryScores<'_, '_> {}
impl FusedIterator for CategoryScores<'_, '_> {}

/// The results of one category.
///
/// ```
/// # let lex = textmeter::lexicon::BuiltinLexicon::new();
/// let m = lex.lexicon().score_text("They did not attack the border.");
/// let esc = m.scores().get(b"escalation").unwrap();
/// assert_eq!((esc.hits(), esc.negated()), (1, 1));
/// assert_eq!(esc.score_milli(), 1000); // -1 x factor -1
/// assert_eq!(esc.per_1k(), 1000.0 / 6.0);
/// assert_eq!(esc.hits_per_1k(), 1000.0 / 6.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CategoryScore<'l> {
    name: &'l [u8],
    index: usize,
    hits: u64,
    negated: u64,
    score_milli: i64,
    tokens: u64,
}

impl<'l> CategoryScore<'l> {
    /// The category's name.
    pub fn name(&self) -> &'l [u8] {
        self.name
    }

    /// The category's index in the lexicon.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Matched terms in this category (negated ones included).
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// How many of the hits were negated.
    pub fn negated(&self) -> u64 {
        self.negated
    }

    /// Sum of effective weights in thousandths: exact, and what to compare.
    /// Exact up to ±[`COUNT_LIMIT`](crate::counts::COUNT_LIMIT) (2^62),
    /// where it stops (weights and the negation factor may each be ±10^6,
    /// so about 4,600 negated hits at both extremes reach it).
    pub fn score_milli(&self) -> i64 {
        self.score_milli
    }

    /// Sum of effective weights.
    pub fn score(&self) -> f64 {
        self.score_milli as f64 / 1000.0
    }

    /// `score × 1000 / tokens` (0 when there are no tokens).
    pub fn per_1k(&self) -> f64 {
        if self.tokens == 0 {
            return 0.0;
        }
        self.score_milli as f64 / self.tokens as f64
    }

    /// `hits × 1000 / tokens` (0 when there are no tokens).
    pub fn hits_per_1k(&self) -> f64 {
        if self.tokens == 0 {
            return 0.0;
        }
        self.hits.saturating_mul(1000) as f64 / self.tokens as f64
    }
}
