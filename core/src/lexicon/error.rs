//! The one error type of lexicon parsing.

use core::fmt;

/// What went wrong while parsing a lexicon; see [`LexiconError::kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LexiconErrorKind {
    /// The text is not UTF-8 (lexicons are read as UTF-8; a Latin-1 or
    /// UTF-16 file would otherwise split its terms at every byte it cannot
    /// decode, and match nothing, silently). The line is the first with a
    /// byte that is not.
    NotUtf8,
    /// A line has a term but no tab before its category (or weight).
    MissingTab,
    /// A line has more tab-separated fields than its format allows.
    TooManyFields,
    /// A weight, window or factor is not a number in range.
    BadWeight,
    /// A LIWC term names a category id the `%` header did not declare,
    /// a category id is not a number, or a conditional category is not
    /// `(ids)then` or `(ids)then/else`.
    UnknownCategory,
    /// A category name is empty or longer than
    /// [`MAX_NAME_LEN`](super::MAX_NAME_LEN) bytes.
    BadCategoryName,
    /// More than [`MAX_CATEGORIES`](super::MAX_CATEGORIES) categories.
    TooManyCategories,
    /// A term tokenises to no token at all (for example `--` or `*`).
    EmptyTerm,
    /// A term tokenises to more than
    /// [`MAX_TERM_TOKENS`](super::MAX_TERM_TOKENS) tokens.
    TooManyTokens,
    /// A wildcard prefix is longer than
    /// [`MAX_WILDCARD_LEN`](super::MAX_WILDCARD_LEN) bytes.
    WildcardTooLong,
    /// A `#!` directive is unknown or malformed, or its value is (a
    /// `window` that is not a whole number of tokens in 0..=1000; a bad
    /// `factor` is [`BadWeight`](Self::BadWeight), as it is one).
    BadDirective,
    /// A LIWC `.dic` header block (`%` … `%`) is malformed or unclosed.
    BadHeader,
    /// With the format detected ([`Format::Auto`](super::Format::Auto)),
    /// a native TSV line's category is a number: most likely an AFINN
    /// file with a line that is not `term<TAB>number` (a header such as
    /// `word<TAB>score`, or a typo), which as TSV would make every weight
    /// a category of its own. The error's line is that odd line, the
    /// first that is not `term<TAB>number`, and its message names the
    /// line with the numeric category. Name the format to read the file
    /// anyway.
    NumericCategory,
    /// [`ParseOptions::tokenizer`](super::ParseOptions::tokenizer) fails
    /// [`TokenizerConfig::validate`](crate::tokenize::TokenizerConfig::validate).
    BadTokenizerConfig,
    /// The caller's memory is smaller than
    /// [`Lexicon::bytes_needed`](super::Lexicon::bytes_needed) reports.
    OutOfMemory,
}

impl LexiconErrorKind {
    fn message(self) -> &'static str {
        match self {
            LexiconErrorKind::NotUtf8 => {
                "not UTF-8 (lexicons are read as UTF-8)"
            }
            LexiconErrorKind::MissingTab => {
                "missing tab between term and category"
            }
            LexiconErrorKind::TooManyFields => "too many tab-separated fields",
            LexiconErrorKind::BadWeight => "bad weight",
            LexiconErrorKind::UnknownCategory => "unknown category id",
            LexiconErrorKind::BadCategoryName => "bad category name",
            LexiconErrorKind::TooManyCategories => "too many categories",
            LexiconErrorKind::EmptyTerm => "term with no token",
            LexiconErrorKind::TooManyTokens => "too many tokens in term",
            LexiconErrorKind::WildcardTooLong => "wildcard prefix too long",
            LexiconErrorKind::BadDirective => {
                "bad directive (#! name: TEXT, negators: WORDS, window: \
                 0..1000 or factor: NUMBER)"
            }
            LexiconErrorKind::BadHeader => "bad dic header",
            LexiconErrorKind::NumericCategory => {
                "category is a number (read as native TSV: is it AFINN, with \
                 a line that is not term<TAB>number?)"
            }
            LexiconErrorKind::BadTokenizerConfig => "bad tokenizer config",
            LexiconErrorKind::OutOfMemory => "out of memory",
        }
    }
}

/// A lexicon could not be parsed: what is wrong ([`kind`](Self::kind)) and
/// where ([`line`](Self::line)).
///
/// ```
/// use textmeter::lexicon::{Lexicon, LexiconErrorKind, ParseOptions};
///
/// let text = b"# a comment\ntalks\tdeescalation\nattack escalation\n";
/// let err = Lexicon::bytes_needed(text, &ParseOptions::default())
///     .unwrap_err();
/// assert_eq!(err.kind(), LexiconErrorKind::MissingTab);
/// assert_eq!(err.line(), Some(3));
/// assert_eq!(
///     err.to_string(),
///     "line 3: missing tab between term and category"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LexiconError {
    kind: LexiconErrorKind,
    line: usize,
    /// For `NumericCategory`: the line whose category is a number.
    numeric_line: usize,
    needed: usize,
    capacity: usize,
}

impl LexiconError {
    pub(crate) fn at(kind: LexiconErrorKind, line: usize) -> Self {
        LexiconError { kind, line, numeric_line: 0, needed: 0, capacity: 0 }
    }

    /// `NumericCategory`: line `numeric`'s category is a number, and line
    /// `odd` (the first that is not `term<TAB>number`) made the format
    /// native TSV. `odd` is the line at fault: most such files are AFINN
    /// with one bad line.
    pub(crate) fn numeric_category(odd: usize, numeric: usize) -> Self {
        LexiconError {
            numeric_line: numeric,
            ..Self::at(LexiconErrorKind::NumericCategory, odd)
        }
    }

    pub(crate) fn out_of_memory(needed: usize, capacity: usize) -> Self {
        LexiconError {
            kind: LexiconErrorKind::OutOfMemory,
            line: 0,
            numeric_line: 0,
            needed,
            capacity,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> LexiconErrorKind {
        self.kind
    }

    /// The 1-based line of the lexicon text at fault, or `None` when the
    /// error is not about one line (out of memory).
    pub fn line(&self) -> Option<usize> {
        if self.line == 0 {
            None
        } else {
            Some(self.line)
        }
    }

    /// For [`LexiconErrorKind::NumericCategory`]: the line whose category
    /// is a number ([`line`](Self::line) is the line that is not
    /// `term<TAB>number`); otherwise `None`.
    ///
    /// ```
    /// use textmeter::lexicon::{Lexicon, ParseOptions};
    /// let text = b"good\t3\nugly\tx\n";
    /// let err = Lexicon::bytes_needed(text, &ParseOptions::default())
    ///     .unwrap_err();
    /// assert_eq!((err.line(), err.numeric_line()), (Some(2), Some(1)));
    /// ```
    pub fn numeric_line(&self) -> Option<usize> {
        if self.numeric_line == 0 {
            None
        } else {
            Some(self.numeric_line)
        }
    }

    /// For [`LexiconErrorKind::OutOfMemory`]: the bytes needed and the
    /// bytes given, otherwise `(0, 0)`.
    pub fn memory(&self) -> (usize, usize) {
        (self.needed, self.capacity)
    }
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == LexiconErrorKind::OutOfMemory {
            return write!(
                f,
                "out of memory: lexicon needs {} bytes, buffer has {}",
                self.needed, self.capacity
            );
        }
        if self.line != 0 {
            write!(f, "line {}: ", self.line)?;
        }
        if self.kind == LexiconErrorKind::NumericCategory
            && self.numeric_line != self.line
        {
            // At most 127 bytes with two 10-digit lines (C's message).
            return write!(
                f,
                "not term<TAB>number like line {} (an AFINN file?); to read \
                 it as native TSV, name the format",
                self.numeric_line
            );
        }
        f.write_str(self.kind.message())
    }
}

impl core::error::Error for LexiconError {}
