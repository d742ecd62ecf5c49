//! The shipped `news-stance` lexicon.

use super::parse::{compile, Meta, ParseOptions};
use super::Lexicon;

/// The text of the built-in `news-stance` lexicon (native TSV), embedded
/// from `core/data/news-stance.tsv`.
pub const NEWS_STANCE_TSV: &[u8] =
    include_bytes!("../../data/news-stance.tsv");

/// Bytes the compiled [`NEWS_STANCE_TSV`] needs with the default options
/// (a test keeps this equal to
/// [`Lexicon::bytes_needed`](super::Lexicon::bytes_needed)).
pub const BUILTIN_BYTES: usize = 20432;

/// The built-in `news-stance` lexicon compiled into an inline buffer of
/// [`BUILTIN_BYTES`].
///
/// Categories: `escalation` (−1), `deescalation` (+1), `hedge`, `booster`
/// and `attribution` (+1); see the comments in [`NEWS_STANCE_TSV`] for what
/// each measures.
///
/// ```
/// use textmeter::lexicon::BuiltinLexicon;
///
/// let builtin = BuiltinLexicon::new();
/// let lex = builtin.lexicon();
/// assert_eq!(lex.name(), b"news-stance");
/// let m = lex.score_text("Moscow said it would pull back its troops.");
/// assert_eq!(m.scores().get(b"deescalation").unwrap().hits(), 1);
/// ```
#[derive(Clone)]
pub struct BuiltinLexicon {
    mem: [u8; BUILTIN_BYTES],
    meta: Meta,
}

impl core::fmt::Debug for BuiltinLexicon {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("BuiltinLexicon").field(&self.lexicon()).finish()
    }
}

impl Default for BuiltinLexicon {
    fn default() -> Self {
        Self::new()
    }
}

impl BuiltinLexicon {
    /// Compiles the embedded text (a few microseconds).
    ///
    /// # Panics
    ///
    /// Never in a released crate: the test `builtin_parses` parses the
    /// embedded text with the same options and checks [`BUILTIN_BYTES`].
    pub fn new() -> Self {
        let mut mem = [0u8; BUILTIN_BYTES];
        let meta =
            match compile(NEWS_STANCE_TSV, &ParseOptions::default(), &mut mem)
            {
                Ok(m) => m,
                Err(e) => panic!("built-in lexicon does not parse: {e}"),
            };
        BuiltinLexicon { mem, meta }
    }

    /// The compiled lexicon.
    pub fn lexicon(&self) -> Lexicon<'_> {
        Lexicon::from_parts(&self.mem[..self.meta.lay.total], self.meta)
    }
}
