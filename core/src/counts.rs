//! Token counts: the numbers `wc` would give, and the ones it cannot.
//!
//! ```
//! use textmeter::counts::{count, TokenCounter};
//! use textmeter::tokenize::TokenizerConfig;
//!
//! let text = "Russia’s 130,000 troops.\n".as_bytes();
//! let whole = count(text, &TokenizerConfig::default());
//! assert_eq!((whole.tokens, whole.words, whole.numbers), (3, 2, 1));
//! assert_eq!((whole.lines, whole.chars, whole.bytes), (1, 25, 27));
//!
//! let mut streaming = TokenCounter::new(TokenizerConfig::default());
//! for chunk in text.chunks(5) {
//!     streaming.update(chunk);
//! }
//! assert_eq!(streaming.finish(), whole);
//! ```

use crate::tokenize::{
    Sink, TextStats, Token, TokenKind, Tokenizer, TokenizerConfig,
};

/// The most any counter reaches by merging, and any lexicon score (in
/// thousandths, either sign) at all: 2^62.
///
/// No text comes near it (it is 4 EiB), but a saved state read back can
/// claim anything. Merges stop adding at this limit (never going below
/// what either side held), and readers refuse states claiming a count
/// above twice it (2^63: the room between is for text counted after
/// merges reached the limit) or a score beyond it, so that counting more
/// text after any sequence of reads and merges cannot overflow a `u64`
/// (or an `i64` score), and what it makes reads back. A merge that
/// reaches the limit keeps `words + numbers == tokens` (a report merged
/// with itself 70 times did not, and its state was refused). The bounds
/// of approximate n-gram counts (`floor ≤ total / capacity`) hold while
/// totals stay below it.
pub const COUNT_LIMIT: u64 = 1 << 62;

/// The largest count a saved state may claim: `2 × COUNT_LIMIT`.
pub(crate) const STATE_LIMIT: u64 = 2 * COUNT_LIMIT;

/// `a + b`, but not above [`COUNT_LIMIT`] unless `a` or `b` already is.
#[inline]
pub(crate) fn capped_add(a: u64, b: u64) -> u64 {
    a.saturating_add(b).min(COUNT_LIMIT.max(a).max(b))
}

/// [`capped_add`] for signed sums (lexicon scores): the limit holds for
/// either sign.
#[inline]
pub(crate) fn capped_add_signed(a: i64, b: i64) -> i64 {
    let bound = COUNT_LIMIT.max(a.unsigned_abs()).max(b.unsigned_abs());
    let bound = i64::try_from(bound).unwrap_or(i64::MAX);
    a.saturating_add(b).clamp(-bound, bound)
}

/// Counts over a text. All fields add up under [`merge`](Counts::merge)
/// (up to [`COUNT_LIMIT`]) except `max_token_len`, which takes the
/// maximum; `words + numbers == tokens` holds at the limit too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counts {
    /// Bytes of input.
    pub bytes: u64,
    /// Unicode scalar values; each maximal invalid UTF-8 subsequence is one.
    pub chars: u64,
    /// `\n` bytes, as `wc -l` counts them.
    pub lines: u64,
    /// Tokens: word segments with a letter or digit.
    pub tokens: u64,
    /// Tokens with at least one alphabetic character.
    pub words: u64,
    /// Tokens with digits and no alphabetic character.
    pub numbers: u64,
    /// Bytes in invalid UTF-8 subsequences.
    pub invalid_bytes: u64,
    /// Tokens longer than `max_token_len`, kept in truncated form.
    pub truncated_tokens: u64,
    /// The longest token's normalised length in bytes, before truncation.
    pub max_token_len: u64,
}

impl Counts {
    /// Counts one token.
    #[inline]
    pub fn add_token(&mut self, token: &Token<'_>) {
        self.tokens += 1;
        match token.kind() {
            TokenKind::Word => self.words += 1,
            TokenKind::Number => self.numbers += 1,
        }
        self.truncated_tokens += u64::from(token.is_truncated());
        self.max_token_len = self.max_token_len.max(token.full_len() as u64);
    }

    /// Sets the byte-level fields from a tokenizer's statistics.
    pub fn set_text_stats(&mut self, stats: TextStats) {
        self.bytes = stats.bytes;
        self.chars = stats.chars;
        self.lines = stats.lines;
        self.invalid_bytes = stats.invalid_bytes;
    }

    /// Adds the counts of another text (for example another document or a
    /// part counted on another thread).
    pub fn merge(&mut self, other: &Counts) {
        let add = capped_add;
        self.bytes = add(self.bytes, other.bytes);
        self.chars = add(self.chars, other.chars);
        self.lines = add(self.lines, other.lines);
        let words = u128::from(self.words) + u128::from(other.words);
        let numbers = u128::from(self.numbers) + u128::from(other.numbers);
        self.tokens = add(self.tokens, other.tokens);
        self.words = add(self.words, other.words);
        self.numbers = add(self.numbers, other.numbers);
        // Each of the three stops at the limit on its own, which would
        // break `words + numbers == tokens` (a saved state is checked for
        // it): where the sum went past the tokens, the tokens are split
        // between words and numbers in the proportion of their sums.
        if words + numbers > u128::from(self.tokens) {
            let t = u128::from(self.tokens);
            // At most `t`, so it fits.
            self.numbers = (t * numbers / (words + numbers)) as u64;
            self.words = self.tokens - self.numbers;
        }
        self.invalid_bytes = add(self.invalid_bytes, other.invalid_bytes);
        self.truncated_tokens =
            add(self.truncated_tokens, other.truncated_tokens);
        self.max_token_len = self.max_token_len.max(other.max_token_len);
    }
}

/// Counts tokens, and takes whole ASCII blocks at once.
struct CountingSink<'c>(&'c mut Counts);

impl Sink for CountingSink<'_> {
    #[inline(always)]
    fn token(&mut self, token: &Token<'_>) {
        self.0.add_token(token);
    }

    #[inline(always)]
    fn counts(&mut self) -> Option<&mut Counts> {
        Some(self.0)
    }
}

/// Streaming counts: a [`Tokenizer`] and a [`Counts`].
#[derive(Clone, Debug)]
pub struct TokenCounter {
    tokenizer: Tokenizer,
    counts: Counts,
}

impl TokenCounter {
    /// Creates a counter.
    ///
    /// # Panics
    /// When `config` fails [`TokenizerConfig::validate`].
    pub fn new(config: TokenizerConfig) -> TokenCounter {
        TokenCounter {
            tokenizer: Tokenizer::new(config),
            counts: Counts::default(),
        }
    }

    /// Counts the next chunk.
    pub fn update(&mut self, chunk: &[u8]) {
        self.tokenizer.run(chunk, false, &mut CountingSink(&mut self.counts));
    }

    /// Ends the text and returns its counts; the counter starts afresh.
    pub fn finish(&mut self) -> Counts {
        self.tokenizer.run(&[], true, &mut CountingSink(&mut self.counts));
        self.counts.set_text_stats(self.tokenizer.stats());
        let out = self.counts;
        self.tokenizer.reset();
        self.counts = Counts::default();
        out
    }
}

/// Counts a whole text in one call.
///
/// # Panics
/// When `config` fails [`TokenizerConfig::validate`].
pub fn count(text: &[u8], config: &TokenizerConfig) -> Counts {
    let mut tokenizer = Tokenizer::new(*config);
    let mut counts = Counts::default();
    tokenizer.run(text, true, &mut CountingSink(&mut counts));
    counts.set_text_stats(tokenizer.stats());
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tests_support::SEEDS;

    /// Doubling by merges reaches the limit unevenly (tokens and words
    /// stop there, numbers do not yet): the split stays consistent.
    #[test]
    fn merges_at_the_limit_keep_words_plus_numbers_equal_to_tokens() {
        let mut c = count(
            b"They said 42 times: no attack.",
            &TokenizerConfig::default(),
        );
        assert_eq!((c.words, c.numbers), (5, 1));
        let mut saw_limit = false;
        for _ in 0..70 {
            let copy = c;
            c.merge(&copy);
            assert_eq!(c.words + c.numbers, c.tokens);
            assert!(c.tokens <= COUNT_LIMIT);
            saw_limit |= c.tokens == COUNT_LIMIT;
        }
        assert!(saw_limit && c.numbers > 0 && c.words > c.numbers);
        assert_eq!(c.words / c.numbers, 5, "the proportion stays");
        // Below the limit nothing is rebalanced.
        let mut odd = Counts { tokens: 5, ..Counts::default() };
        odd.merge(&Counts { words: 1, ..Counts::default() });
        assert_eq!((odd.tokens, odd.words, odd.numbers), (5, 1, 0));
    }

    #[test]
    fn streaming_equals_one_shot_on_seeds_for_many_chunk_sizes() {
        let config = TokenizerConfig::default();
        for (name, text) in SEEDS {
            let whole = count(text, &config);
            for size in [1, 2, 3, 7, 64, 4096] {
                let mut c = TokenCounter::new(config);
                text.chunks(size).for_each(|chunk| c.update(chunk));
                assert_eq!(c.finish(), whole, "{name} chunks of {size}");
            }
        }
    }

    /// Counts token by token, without the block counting path.
    fn one_by_one(text: &[u8], config: &TokenizerConfig) -> Counts {
        let mut tokenizer = Tokenizer::new(*config);
        let mut counts = Counts::default();
        tokenizer.feed_last(text, |t| counts.add_token(t));
        counts.set_text_stats(tokenizer.stats());
        counts
    }

    #[test]
    fn block_counting_equals_one_by_one_on_seeds() {
        let config = TokenizerConfig::default();
        for (name, text) in SEEDS {
            assert_eq!(
                count(text, &config),
                one_by_one(text, &config),
                "{name}"
            );
        }
        let long = std::format!("{} x_1 {}", "a".repeat(70), "7".repeat(40));
        let text = long.repeat(5);
        assert_eq!(
            count(text.as_bytes(), &config),
            one_by_one(text.as_bytes(), &config)
        );
    }

    proptest::proptest! {
        #[test]
        fn block_counting_equals_one_by_one(
            text in "[ab_17 .,'\n:;!?AZé]{0,400}",
            max in 1usize..100,
        ) {
            let config = TokenizerConfig { max_token_len: max, ..Default::default() };
            proptest::prop_assert_eq!(
                count(text.as_bytes(), &config),
                one_by_one(text.as_bytes(), &config)
            );
        }
    }

    #[test]
    fn merge_of_halves_split_at_a_line_equals_whole() {
        let config = TokenizerConfig::default();
        let (_, text) = SEEDS[3];
        let mid = text.iter().position(|&b| b == b'\n').unwrap() + 1;
        let mut a = count(&text[..mid], &config);
        a.merge(&count(&text[mid..], &config));
        assert_eq!(a, count(text, &config));
    }

    #[test]
    fn adversarial_inputs() {
        let config = TokenizerConfig::default();
        assert_eq!(count(b"", &config), Counts::default());
        let all: std::vec::Vec<u8> = (0..=255u8).collect();
        let c = count(&all, &config);
        assert_eq!(c.bytes, 256);
        assert_eq!(c.invalid_bytes, 128);
        // 128 ASCII + 128 invalid bytes, each its own subsequence.
        assert_eq!(c.chars, 256);
        // CESU-8 surrogate, overlong, NUL, BOM, CRLF. A BOM inside text is
        // Format, which WB4 attaches to `z`, so `z\u{feff}w` is one token.
        let c = count(b"\xed\xa0\x80x\xc0\xafy\0z\xef\xbb\xbfw\r\n", &config);
        assert_eq!((c.tokens, c.invalid_bytes, c.lines), (3, 5, 1));
    }
}
