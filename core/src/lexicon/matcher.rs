//! Streaming leftmost-longest matching with negation.

use super::score::{Scores, Tally};
use super::table::{
    child_key, cond_mask, filter_bits, filter_test, find, first8, prefix4_key,
    prefix8_key, rd32, rd64, Node, CAT_INDEX, COND, COND_ELSE, COND_ID_MASK,
    COND_SHIFT, EXACT_KIDS, ID_MASK, NEGATOR, POSTING, WILD_KIDS,
};
use super::tokenize::for_each_token;
use super::{Lexicon, MAX_CATEGORIES, MAX_TERM_TOKENS};
use crate::counts::{capped_add, capped_add_signed};
use crate::hash::token_hash;

/// Bytes of each pending token kept for wildcard prefixes: the longest
/// prefix plus one byte to see whether the prefix ends on a char boundary.
const HEAD: usize = super::MAX_WILDCARD_LEN + 1;

/// `push`'s reject test looks up the token's hash (some term starts with
/// an exact token or a negator is listed) ...
const FAST_EXACT: u8 = 1;
/// ... tests wildcard prefixes of 1 to 3 bytes one by one ...
const FAST_SHORT: u8 = 2;
/// ... and looks for `n't` (negation is on and `*n't` is a negator).
const FAST_NT: u8 = 4;

/// `may_matter`'s reasons: the token's hash may be a root node ...
const MAY_EXACT: u8 = 1;
/// ... some root wildcard of 4 bytes or more may be a prefix of it ...
const MAY_WILD: u8 = 2;
/// ... it may end in `n't` ...
const MAY_NT: u8 = 4;
/// ... some wildcard of 1 to 3 bytes may be a prefix of it.
const MAY_SHORT: u8 = 8;

/// A token that may still start or continue a term.
#[derive(Clone, Copy, Debug)]
struct Pending {
    hash: u64,
    /// The root probe made when the token arrived (posting head + 1 and
    /// flag word; 0 and 0 when absent), so that `drain` never repeats it.
    root_postings: u32,
    root_word: u32,
    len: usize,
    head: [u8; HEAD],
    brk: bool,
    negator: bool,
}

const EMPTY: Pending = Pending {
    hash: 0,
    root_postings: 0,
    root_word: 0,
    len: 0,
    head: [0; HEAD],
    brk: false,
    negator: false,
};

/// Scores a token stream with a [`Lexicon`]; fixed-size state (about 4 KiB),
/// so a document of any length is scored in constant memory.
///
/// Feed it every token of a document with [`push`](Self::push), in order
/// and across chunk boundaries, then call [`finish`](Self::finish). Scores
/// add up over documents until [`reset`](Self::reset).
///
/// ```
/// use textmeter::hash::token_hash;
/// use textmeter::lexicon::{BuiltinLexicon, Matcher};
///
/// let builtin = BuiltinLexicon::new();
/// let mut m = Matcher::new(builtin.lexicon());
/// for (tok, brk) in [("troops", false), ("will", false), ("pull", false),
///                    ("back", false)] {
///     m.push(tok.as_bytes(), token_hash(tok.as_bytes()), brk);
/// }
/// m.finish();
/// let s = m.scores();
/// assert_eq!(s.get(b"escalation").unwrap().hits(), 1);
/// assert_eq!(s.get(b"deescalation").unwrap().hits(), 1);
/// assert_eq!(s.tokens(), 4);
/// ```
#[derive(Clone, Debug)]
pub struct Matcher<'l> {
    lex: Lexicon<'l>,
    ring: [Pending; MAX_TERM_TOKENS],
    start: usize,
    len: usize,
    pos: u64,
    /// One past the last position a hit is negated at (the last
    /// negator's position + window + 1); 0 when no negator is in reach.
    neg_until: u64,
    /// For LIWC conditional categories (kept only when the lexicon has
    /// some): the categories of the last hit, and the position after its
    /// last token (0: none), so a hit starting there follows it. (Two
    /// words, not a `u128`: the C API's storage is 8-byte aligned.)
    last_cats: [u64; 2],
    last_end: u64,
    negation: bool,
    /// The lexicon's start filter and its word mask, copied out so that
    /// `push`'s reject test reads nothing else.
    filter: &'l [u8],
    /// The lexicon's postings, copied out for `hit`.
    postings: &'l [u8],
    filter_mask: usize,
    /// Shortest root wildcard prefix of 4 bytes or more (`usize::MAX`:
    /// none).
    min_wild4: usize,
    /// Which tests `push`'s reject test makes (`FAST_*`).
    fast: u8,
    /// Bytes of a held-back token the wildcards can look at.
    head_len: usize,
    tallies: [Tally; MAX_CATEGORIES],
    /// Tests only: skip `push`'s filtered fast path (its oracle).
    #[cfg(test)]
    general_only: bool,
    /// Tests only: let every key pass the start filter (its oracle).
    #[cfg(test)]
    no_filter: bool,
}

impl<'l> Matcher<'l> {
    /// A matcher with empty scores.
    pub fn new(lexicon: Lexicon<'l>) -> Self {
        let m = lexicon.meta();
        let root_wild = m.root_flags & WILD_KIDS != 0;
        let long = m.wild_lens & !7;
        let mut fast = 0;
        if m.root_flags & EXACT_KIDS != 0 {
            fast |= FAST_EXACT;
        }
        if root_wild && m.wild_lens & 7 != 0 {
            fast |= FAST_SHORT;
        }
        let mut matcher = Matcher {
            lex: lexicon,
            ring: [EMPTY; MAX_TERM_TOKENS],
            start: 0,
            len: 0,
            pos: 0,
            neg_until: 0,
            last_cats: [0; 2],
            last_end: 0,
            negation: false,
            filter: lexicon.filter(),
            postings: lexicon.postings(),
            filter_mask: m.lay.filter_bits / 64 - 1,
            min_wild4: if root_wild && long != 0 {
                long.trailing_zeros() as usize + 1
            } else {
                usize::MAX
            },
            fast,
            // The longest prefix plus the byte after it (char boundary).
            head_len: (65 - m.wild_lens.leading_zeros() as usize).min(HEAD),
            tallies: [Tally::default(); MAX_CATEGORIES],
            #[cfg(test)]
            general_only: false,
            #[cfg(test)]
            no_filter: false,
        };
        matcher.set_negation(true);
        matcher
    }

    /// The lexicon this matcher scores with.
    pub fn lexicon(&self) -> Lexicon<'l> {
        self.lex
    }

    /// Takes the next token: its normalised bytes, its
    /// [`token_hash`](crate::hash::token_hash) and whether clause
    /// punctuation came between the previous token and this one.
    ///
    /// A term that may still grow is held back (at most
    /// [`MAX_TERM_TOKENS`] − 1 tokens) until a later token or
    /// [`finish`](Self::finish) decides it.
    // Always inline on a host: called from a tokenizer's callback, the
    // compiler would keep it out of line, and the call (with the matcher's
    // fields reloaded) costs as much as the fast path itself. Without an
    // OS (a microcontroller) flash is the budget: the compiler decides.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    pub fn push(&mut self, norm: &[u8], hash: u64, after_clause_break: bool) {
        // Most tokens are no term's first token, no wildcard's prefix and
        // no negator: with nothing held back they only move the position,
        // and proving that takes one filter word and no table probe. The
        // test runs before the ring is looked at (it is branch-free), so
        // one branch sends every other token to the general path.
        let why = self.may_matter(norm, hash);
        if (self.len | usize::from(why)) == 0 {
            self.skip(after_clause_break);
            return;
        }
        self.push_general(norm, hash, after_clause_break, why);
    }

    /// Moves past a token that can be nothing, with nothing held back.
    #[inline(always)]
    fn skip(&mut self, after_clause_break: bool) {
        // A clause break only matters with a negation window in reach
        // (positions only grow, so a window behind them needs no reset):
        // that branch is nearly never taken, while clause breaks are too
        // frequent and irregular to predict. (A branch-free mask of
        // `neg_until` compiles to a branch on the break.)
        if self.neg_until > self.pos && after_clause_break {
            self.neg_until = 0;
        }
        self.pos += 1;
    }

    /// Why a token could start a hit or be a negator (`MAY_*`); 0 is proof
    /// that it is neither (the filters only have false positives). Token
    /// lengths are as irregular as the tokens, so every test runs, without
    /// a branch, and `push` branches once on the result.
    #[inline(always)]
    fn may_matter(&self, norm: &[u8], hash: u64) -> u8 {
        #[cfg(test)]
        if self.general_only {
            return MAY_EXACT | MAY_WILD | MAY_NT | MAY_SHORT;
        }
        let n = norm.len();
        // One filter word answers both the exact test (the hash's bits)
        // and the test for wildcard prefixes of 4 bytes or more (the bits
        // of the first four bytes' key): a root's bits are in the word of
        // its first four bytes (the hash's own word under four bytes; the
        // four bytes are then read from zeros and the length test rejects
        // them).
        let four: &[u8] = if n >= 4 { norm } else { &[0; 4] };
        let key4 = prefix4_key(u64::from(rd32(four, 0)), 4);
        // The word is `root_word_key(norm, hash)`'s, selected here from
        // `key4` without a second load of the first four bytes.
        let word = self.filter_word(if n >= 4 { key4 } else { hash });
        let (_, bits) = filter_bits(hash, self.filter_mask);
        let exact = (self.fast & FAST_EXACT != 0) & (word & bits == bits);
        let (_, bits) = filter_bits(key4, self.filter_mask);
        let wild = (n >= self.min_wild4) & (word & bits == bits);
        // `n't`, or the last bytes of `n’t` (U+2019 ends in 0x99): the
        // last two bytes are enough to send the rare others on to the
        // exact test.
        let mut nt = false;
        if self.fast & FAST_NT != 0 {
            let t: &[u8] = if n >= 2 { &norm[n - 2..] } else { &[0; 2] };
            let w = u16::from(t[0]) | u16::from(t[1]) << 8;
            nt = (w == u16::from_le_bytes(*b"'t")) | (w == 0x7499);
        }
        // Prefixes of 1 to 3 bytes are rare in real lexicons (a branch
        // that always goes the same way), but a lexicon that has them
        // tests them on every token: a filter test per listed length,
        // inline. Lengths past a shorter token's end are tested too, on
        // its zero padding, which no prefix has (a false positive at
        // worst).
        let mut why =
            u8::from(exact) | u8::from(wild) << 1 | u8::from(nt) << 2;
        if self.fast & FAST_SHORT != 0 {
            let x = first8(&norm[..n.min(3)]);
            let lens = self.short_lens(x, self.lex.meta().wild_lens & 7);
            why |= u8::from(lens != 0) << 3;
        }
        why
    }

    /// Decides a lone held-back token whose node has only exact children
    /// when the next token cannot be one of them (the start filter says
    /// so, or clause punctuation comes between), so that the next token
    /// takes the fast path instead of the ring. `drain` would decide the
    /// same, only later and at a higher cost: this is the usual fate of
    /// `in`, `of` or `it` when some term starts with them.
    #[inline(always)]
    fn try_decide_lone(&mut self, hash: u64, after_clause_break: bool) {
        let word = self.ring[self.start].root_word;
        if word & WILD_KIDS != 0 {
            return;
        }
        let key = child_key(word & ID_MASK, false, hash);
        if after_clause_break || !self.maybe(key) {
            self.decide_lone();
        }
    }

    /// Settles the lone held-back token as `drain` would with no child
    /// of its node following: its own hit, if any, or none.
    // Inlined into the general path on a host (the call cost as much as
    // the decision); see `push` for microcontrollers.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline(never))]
    fn decide_lone(&mut self) {
        let p = &self.ring[self.start];
        let mut postings = p.root_postings;
        if postings == 0 && self.lex.meta().root_flags & WILD_KIDS != 0 {
            postings = self.wildcard(0, &p.head, p.len);
        }
        // `settle(1, postings)`, without its loop.
        self.retire_oldest(postings, true);
    }

    /// The general path of [`push`](Self::push).
    #[inline(never)]
    fn push_general(
        &mut self,
        norm: &[u8],
        hash: u64,
        after_clause_break: bool,
        why: u8,
    ) {
        #[cfg(test)]
        let general_only = self.general_only;
        #[cfg(not(test))]
        let general_only = false;
        if self.len == 1 && !general_only {
            self.try_decide_lone(hash, after_clause_break);
            if self.len == 0 && why == 0 {
                self.skip(after_clause_break);
                return;
            }
        }
        // One root probe per token, whatever happens next: it says whether
        // the token scores alone, may start a longer term or is a negator,
        // and the ring keeps it for `drain`.
        let flags = self.lex.meta().root_flags;
        let (mut postings, mut word) = (0, 0);
        // `may_matter` made the root's filter tests already.
        if flags & EXACT_KIDS != 0 && why & MAY_EXACT != 0 {
            if let Ok(n) = find(self.lex.table(), hash) {
                (postings, word) = (n.postings, n.word);
            }
        }
        // Fast path: nothing is held back and the token cannot start a
        // longer term, so it is decided here without touching the ring.
        if self.len == 0 && word & (EXACT_KIDS | WILD_KIDS) == 0 {
            if postings == 0 && flags & WILD_KIDS != 0 {
                postings = self.root_wildcard(norm, why);
            }
            let negator = self.negation
                && postings == 0
                && (word & NEGATOR != 0
                    || why & MAY_NT != 0 && self.lex.nt_negator(norm));
            self.retire(after_clause_break, negator, postings);
            return;
        }
        let negator = self.negation
            && (word & NEGATOR != 0
                || why & MAY_NT != 0 && self.lex.nt_negator(norm));
        // The wildcards only read the head of a token some prefix fits in
        // (`prefix_lens`): that of `in` or `of` is not copied (the copy is
        // a call, even of no bytes).
        let head = self.len_mask(norm.len()) != 0;
        let idx = (self.start + self.len) % MAX_TERM_TOKENS;
        let p = &mut self.ring[idx];
        p.hash = hash;
        p.root_postings = postings;
        p.root_word = word;
        p.len = norm.len();
        p.brk = after_clause_break;
        p.negator = negator;
        if head {
            let n = norm.len().min(self.head_len);
            p.head[..n].copy_from_slice(&norm[..n]);
        }
        self.len += 1;
        // A first token reaches the ring only when its node has children,
        // and then `drain` waits for the next token: nothing to do yet.
        if self.len > 1 {
            self.drain(false);
        }
    }

    /// Tokenises `text` as one whole piece with the lexicon's
    /// [`tokenizer_config`](Lexicon::tokenizer_config) and pushes every
    /// token; does not [`finish`](Self::finish). For a stream split into
    /// chunks, drive a `Tokenizer` and call [`push`](Self::push) instead.
    ///
    /// ```
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// let mut m = textmeter::lexicon::Matcher::new(lex.lexicon());
    /// m.push_text(b"Diplomacy, not threats.");
    /// m.finish();
    /// assert_eq!(m.scores().get(b"escalation").unwrap().negated(), 1);
    /// ```
    pub fn push_text(&mut self, text: &[u8]) {
        let cfg = self.lex.tokenizer_config();
        for_each_token(text, &cfg, |t| {
            self.push(t.norm(), token_hash(t.norm()), t.after_clause_break());
        });
    }

    /// Whether tokens are held back because the next one may complete a
    /// term (their hits are decided by the next token or
    /// [`finish`](Self::finish)).
    pub fn holds_back(&self) -> bool {
        self.len != 0
    }

    /// Ends the document: decides the held-back tokens and forgets the
    /// negation state, so the next token starts a new document. Scores are
    /// kept.
    pub fn finish(&mut self) {
        self.drain(true);
        self.neg_until = 0;
        self.last_end = 0;
        self.last_cats = [0; 2];
    }

    /// Clears the scores and the token count (and any held-back tokens).
    pub fn reset(&mut self) {
        *self = Matcher::new(self.lex);
    }

    /// Tokens pushed since [`new`](Self::new) or [`reset`](Self::reset).
    pub fn tokens(&self) -> u64 {
        self.pos + self.len as u64
    }

    /// Per-category results so far, with [`tokens`](Self::tokens) as the
    /// token count (call [`finish`](Self::finish) first for final scores).
    pub fn scores(&self) -> Scores<'_, 'l> {
        let n = self.lex.category_count();
        Scores::new(self.lex, &self.tallies[..n], self.tokens())
    }

    /// The start-filter word of `key` (every bit set without a filter).
    #[inline(always)]
    fn filter_word(&self, key: u64) -> u64 {
        #[cfg(test)]
        if self.no_filter {
            return u64::MAX;
        }
        let (word, _) = filter_bits(key, self.filter_mask);
        rd64(self.filter, word * 8)
    }

    /// Whether the lexicon's start filter may hold `key`.
    #[inline(always)]
    fn maybe(&self, key: u64) -> bool {
        #[cfg(test)]
        if self.no_filter {
            return true;
        }
        filter_test(self.filter, self.filter_mask, key)
    }

    /// The postings of the longest wildcard child of node `parent` (0: the
    /// root) that is a prefix of a token, or 0. `head` holds at least the
    /// first `min(len, HEAD)` bytes of the token, which has `len` bytes.
    // Inlined everywhere on a host; see `push` for microcontrollers.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    fn wildcard(&self, parent: u32, head: &[u8], len: usize) -> u32 {
        // Most tokens have no length worth trying: no call for them.
        let mask = self.prefix_lens(head, len);
        if mask == 0 {
            return 0;
        }
        self.wildcard_lens(parent, head, len, mask)
    }

    /// [`wildcard`](Self::wildcard) at the root for a token `push` has
    /// tested already (`why`): its filter tests are not made again.
    #[inline(always)]
    fn root_wildcard(&self, norm: &[u8], why: u8) -> u32 {
        // Without an OS (a microcontroller) flash is the budget: one path.
        if cfg!(target_os = "none") || why & MAY_SHORT != 0 {
            // Rare: short prefixes take the whole test again.
            return self.wildcard(0, norm, norm.len());
        }
        if why & MAY_WILD == 0 {
            return 0;
        }
        // The first four bytes passed: every length from 4 up to the
        // token's is worth the prefix8 test (no short ones are listed).
        let len = norm.len();
        let mask = self.len_mask(len) & !7;
        if mask == 0 {
            return 0;
        }
        self.wildcard_lens(0, norm, len, mask)
    }

    /// [`wildcard`](Self::wildcard) over the prefix lengths in `mask`.
    #[inline(never)]
    fn wildcard_lens(
        &self,
        parent: u32,
        head: &[u8],
        len: usize,
        mut mask: u64,
    ) -> u32 {
        let x = first8(&head[..len.min(8)]);
        while mask != 0 {
            let l = 64 - mask.leading_zeros() as usize;
            mask &= !(1 << (l - 1));
            // A prefix must end on a char boundary of the token.
            if l < len && head[l] & 0xc0 == 0x80 {
                continue;
            }
            // Hashing the prefix and probing cost far more than this test.
            let k8 = prefix8_key(x, l);
            if !self.maybe(k8) {
                continue;
            }
            let h = if l < 8 { k8 } else { token_hash(&head[..l]) };
            let key = child_key(parent, true, h);
            if let Ok(n) = find(self.lex.table(), key) {
                if n.postings != 0 {
                    return n.postings;
                }
            }
        }
        0
    }

    /// The wildcard prefix lengths (bit `len - 1`) worth trying on a token
    /// of `len` bytes whose first bytes are `head`.
    // Inlined everywhere on a host; see `push` for microcontrollers.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline)]
    fn prefix_lens(&self, head: &[u8], len: usize) -> u64 {
        let mut mask = self.len_mask(len);
        // Every prefix of 4 bytes or more shares one key, its first four
        // bytes (which `head` has: the token has at least 4).
        if mask & !7 != 0
            && !self.maybe(prefix4_key(u64::from(rd32(head, 0)), 4))
        {
            mask &= 7;
        }
        if mask & 7 != 0 {
            let x = first8(&head[..len.min(3)]);
            mask = mask & !7 | self.short_lens(x, mask & 7);
        }
        mask
    }

    /// The wildcard prefix lengths of the lexicon (bit `len - 1`) that a
    /// token of `len` bytes can have.
    #[inline(always)]
    fn len_mask(&self, len: usize) -> u64 {
        let lens = self.lex.meta().wild_lens;
        if len < 64 {
            lens & ((1 << len) - 1)
        } else {
            lens
        }
    }

    /// Of the prefix lengths 1 to 3 in `mask`, those the start filter may
    /// hold for a token whose first bytes are `x` (little-endian): one key
    /// each.
    // Inlined on a host; see `push` for microcontrollers.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    #[cfg_attr(target_os = "none", inline(never))]
    fn short_lens(&self, x: u64, mask: u64) -> u64 {
        let mut out = 0;
        for c in 1..=3 {
            let bit = 1 << (c - 1);
            if mask & bit != 0 && self.maybe(prefix4_key(x, c)) {
                out |= bit;
            }
        }
        out
    }

    fn drain(&mut self, end: bool) {
        let table = self.lex.table();
        while self.len > 0 {
            let mut flags = self.lex.meta().root_flags;
            let mut id = 0u32;
            let mut best = (0usize, 0u32);
            let mut i = 0;
            while flags & (EXACT_KIDS | WILD_KIDS) != 0 {
                if i == self.len {
                    if end {
                        break;
                    }
                    return;
                }
                let p = &self.ring[(self.start + i) % MAX_TERM_TOKENS];
                if i > 0 && p.brk {
                    break;
                }
                let mut next = None;
                let mut exact = false;
                if flags & EXACT_KIDS != 0 {
                    let found = if i == 0 {
                        // `push` probed the root already.
                        (p.root_word != 0).then_some(Node {
                            index: 0,
                            postings: p.root_postings,
                            word: p.root_word,
                        })
                    } else {
                        let key = child_key(id, false, p.hash);
                        if self.maybe(key) {
                            find(table, key).ok()
                        } else {
                            None
                        }
                    };
                    if let Some(n) = found {
                        if n.postings != 0 {
                            best = (i + 1, n.postings);
                            exact = true;
                        }
                        next = Some(n);
                    }
                }
                if !exact && flags & WILD_KIDS != 0 {
                    let w = self.wildcard(id, &p.head, p.len);
                    if w != 0 {
                        best = (i + 1, w);
                    }
                }
                match next {
                    Some(n) => {
                        flags = n.word;
                        id = n.id();
                        i += 1;
                    }
                    None => break,
                }
            }
            self.settle(best.0, best.1);
        }
    }

    /// Retires the first `len` pending tokens (at least one); when
    /// `postings` is not 0 they form a hit.
    fn settle(&mut self, len: usize, postings: u32) {
        for j in 0..len.max(1) {
            self.retire_oldest(postings, j == 0);
        }
    }

    /// Retires the oldest held-back token of a settled match whose
    /// postings are `postings`: the `first` token scores them, and no
    /// token of a scoring match counts as a negator.
    #[inline(always)]
    fn retire_oldest(&mut self, postings: u32, first: bool) {
        // A later token of a hit: the hit now ends after it.
        if !first && postings != 0 && self.last_end == self.pos {
            self.last_end += 1;
        }
        let p = &self.ring[self.start];
        let (brk, negator) = (p.brk, postings == 0 && p.negator);
        self.retire(brk, negator, if first { postings } else { 0 });
        self.start = (self.start + 1) % MAX_TERM_TOKENS;
        self.len -= 1;
    }

    /// Retires one token that was decided without entering the ring.
    #[inline]
    fn retire(&mut self, brk: bool, negator: bool, postings: u32) {
        if brk {
            self.neg_until = 0;
        }
        if postings != 0 {
            // `set_negation(false)` may come while a negator is held back.
            self.hit(postings, self.negation && self.pos < self.neg_until);
        } else if negator {
            self.neg_until = self.pos + u64::from(self.lex.meta().window) + 1;
        }
        self.pos += 1;
    }

    fn hit(&mut self, mut p: u32, negated: bool) {
        let posts = self.postings;
        let factor = i64::from(self.lex.meta().factor_milli);
        let conds = self.lex.conds();
        // The categories of the token before this term, if it was a hit's.
        let before = if self.last_end == self.pos {
            u128::from(self.last_cats[0]) | u128::from(self.last_cats[1]) << 64
        } else {
            0
        };
        let mut cats = 0u128;
        while p != 0 {
            let at = (p as usize - 1) * POSTING;
            let w = i64::from(rd32(posts, at + 4) as i32);
            let field = rd32(posts, at + 8);
            p = rd32(posts, at);
            if field & COND != 0 {
                let id = field >> COND_SHIFT & COND_ID_MASK;
                let holds = before & cond_mask(conds, id) != 0;
                if holds == (field & COND_ELSE != 0) {
                    continue;
                }
            }
            let cat = field & CAT_INDEX;
            cats |= 1 << cat;
            let t = &mut self.tallies[cat as usize];
            t.hits += 1;
            // Stopping at COUNT_LIMIT: weights and the factor may each be
            // ±10^6, so a few thousand negated hits would overflow a plain
            // sum, and a state with a score beyond the limit is refused.
            let delta = if negated { w * factor / 1000 } else { w };
            t.negated += u64::from(negated);
            t.score_milli = capped_add_signed(t.score_milli, delta);
        }
        if !conds.is_empty() {
            self.last_cats = [cats as u64, (cats >> 64) as u64];
            self.last_end = self.pos + 1;
        }
    }
}

// Kept apart from the matching code above: the analyzer needs these two
// knobs, and they touch no hot path.
impl Matcher<'_> {
    /// Turns negation on or off for this matcher (on by default when the
    /// lexicon's window and factor are not 0; turning it on has no effect
    /// when they are). Negators then neither negate hits nor are tracked.
    ///
    /// ```
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// let mut m = textmeter::lexicon::Matcher::new(lex.lexicon());
    /// m.set_negation(false);
    /// m.push_text(b"Diplomacy, not threats.");
    /// m.finish();
    /// assert_eq!(m.scores().get(b"escalation").unwrap().negated(), 0);
    /// ```
    pub fn set_negation(&mut self, on: bool) {
        let meta = self.lex.meta();
        self.negation = on && meta.window > 0 && meta.factor_milli != 0;
        self.fast &= !FAST_NT;
        if self.negation && meta.nt_suffix {
            self.fast |= FAST_NT;
        }
        if !self.negation {
            self.neg_until = 0;
        }
    }

    /// Whether negation is in effect (see
    /// [`set_negation`](Self::set_negation)).
    pub fn negation(&self) -> bool {
        self.negation
    }

    /// Adds the scores and token count of `other`, which must score with
    /// the same lexicon (compared byte for byte, so a lexicon compiled in
    /// another process merges too). Merge at document boundaries: call
    /// [`finish`](Self::finish) on both first (tokens `other` still holds
    /// back are not included). Returns `false`, and changes nothing, when
    /// the lexicons differ.
    ///
    /// ```
    /// # let lex = textmeter::lexicon::BuiltinLexicon::new();
    /// let mut a = lex.lexicon().score_text("They attack.");
    /// let b = lex.lexicon().score_text("They attack again.");
    /// assert!(a.merge(&b));
    /// assert_eq!(a.scores().get(b"escalation").unwrap().hits(), 2);
    /// assert_eq!(a.tokens(), 5);
    /// ```
    pub fn merge(&mut self, other: &Matcher<'_>) -> bool {
        if self.lex.mem != other.lex.mem {
            return false;
        }
        let n = self.lex.category_count();
        for (t, o) in self.tallies[..n].iter_mut().zip(&other.tallies[..n]) {
            t.hits = capped_add(t.hits, o.hits);
            t.negated = capped_add(t.negated, o.negated);
            t.score_milli = capped_add_signed(t.score_milli, o.score_milli);
        }
        self.pos = capped_add(self.pos, other.pos);
        true
    }
}

// For the analyzer's serialisation (`analyzer/serial.rs`): the tallies and
// token count are the whole state of a matcher at a document boundary.
impl Matcher<'_> {
    /// Category `index`'s (hits, negated, score in thousandths).
    pub(crate) fn tally(&self, index: usize) -> (u64, u64, i64) {
        let t = &self.tallies[index];
        (t.hits, t.negated, t.score_milli)
    }

    /// Sets the token count of a matcher holding nothing back (a new
    /// one, or one just finished).
    pub(crate) fn set_tokens(&mut self, tokens: u64) {
        debug_assert_eq!(self.len, 0);
        self.pos = tokens;
    }

    /// Sets category `index`'s tallies (see [`tally`](Self::tally)).
    pub(crate) fn set_tally(&mut self, index: usize, t: (u64, u64, i64)) {
        let dst = &mut self.tallies[index];
        (dst.hits, dst.negated, dst.score_milli) = t;
    }
}

#[cfg(test)]
mod fast_path_tests {
    //! `push`'s reject test and the start filter (exact keys, prefix keys,
    //! the `*n't` check) only ever let a token skip work that would have
    //! found nothing: scores with them agree with scores from the general
    //! path alone with every filter test passing.

    use std::string::String;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::super::table::{first8, prefix4_key, prefix8_key};
    use super::super::{Lexicon, ParseOptions};
    use super::Matcher;
    use crate::hash::token_hash;
    use crate::tokenize::{for_each_token, TokenizerConfig};

    /// Words that exercise folding (case, non-ASCII, apostrophe variants)
    /// and prefixes: shared first bytes, first four and first eight bytes
    /// with different continuations, short words for 1..=3-byte prefixes.
    const WORDS: &[&str] = &[
        "a",
        "Ab",
        "abc",
        "ÉA",
        "éa",
        "ße",
        "İx",
        "don’t",
        "DON'T",
        "wonʼt",
        "not",
        "No",
        "never",
        "x",
        "xyz",
        "Ωμέγα",
        "ωμ",
        "中文",
        "文",
        "can＇t",
        "de",
        "escalate",
        "u.s",
        "130,000",
        "a_b",
        "NOT",
        "negotiations",
        "negotiator",
        "negative",
        "nego",
        "withdrawal",
        "withdrawn",
        "within",
        "t",
        "n't",
        "’t",
    ];

    /// How a run is driven: the normal path, the general path only, or
    /// the general path with every filter test passing (the oracle).
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Normal,
        GeneralOnly,
        NoFilter,
    }

    fn run<'l>(lex: Lexicon<'l>, text: &str, mode: Mode) -> Matcher<'l> {
        let mut m = Matcher::new(lex);
        m.general_only = mode != Mode::Normal;
        m.no_filter = mode == Mode::NoFilter;
        let cfg = lex.tokenizer_config();
        for_each_token(text.as_bytes(), &cfg, |t| {
            let h = token_hash(t.norm());
            m.push(t.norm(), h, t.after_clause_break());
        });
        m.finish();
        m
    }

    /// A wildcard on the whole last word, or on its first `cut` chars.
    fn wildcard(term: &str, cut: usize) -> String {
        let last = term.rfind(' ').map_or(0, |i| i + 1);
        let at = term[last..]
            .char_indices()
            .map(|(i, _)| last + i)
            .nth(cut)
            .unwrap_or(term.len());
        let mut t = String::from(&term[..at]);
        t.push('*');
        t
    }

    proptest! {
        #[test]
        fn filters_agree_with_unfiltered_general_path(
            terms in proptest::collection::vec(
                (proptest::collection::vec(0..WORDS.len(), 1..4),
                 0..12u8, 0..3u8, -3..4i32),
                0..12),
            negators in proptest::collection::vec(0..WORDS.len(), 0..3),
            nt in any::<bool>(),
            fold_apostrophes in any::<bool>(),
            window in 0..4u8,
            text in proptest::collection::vec(
                (0..WORDS.len(), 0..4u8), 0..48),
        ) {
            let mut lex_text = String::from("#! name: t\n");
            lex_text += &std::format!("#! window: {window}\n");
            let mut list: Vec<&str> =
                negators.iter().map(|&i| WORDS[i]).collect();
            if nt {
                list.push("*n't");
            }
            lex_text += &std::format!("#! negators: {}\n", list.join(" "));
            let mut wild_terms = Vec::new();
            for (toks, kind, cat, w) in &terms {
                let words: Vec<&str> = toks.iter().map(|&i| WORDS[i]).collect();
                let mut term = words.join(" ");
                // Kinds 0..=3: exact; 4: the whole last word is a prefix;
                // 5..=11: its first 1 to 7 chars.
                if *kind >= 4 {
                    term = wildcard(&term, if *kind == 4 {
                        usize::MAX
                    } else {
                        usize::from(*kind - 4)
                    });
                    wild_terms.push(term.clone());
                }
                lex_text += &std::format!("{term}\tc{cat}\t{w}\n");
            }
            let opts = ParseOptions {
                tokenizer: TokenizerConfig {
                    fold_apostrophes,
                    ..TokenizerConfig::default()
                },
                ..ParseOptions::default()
            };
            let Ok(n) = Lexicon::bytes_needed(lex_text.as_bytes(), &opts) else {
                return Ok(()); // e.g. a term of separators only
            };
            let mut mem = std::vec![0u8; n];
            let lex =
                Lexicon::parse_into(lex_text.as_bytes(), &opts, &mut mem)
                    .unwrap();
            let seps = [" ", ". ", ", ", "; "];
            let mut s = String::new();
            for &(i, sep) in &text {
                s += WORDS[i];
                s += seps[usize::from(sep)];
            }
            let oracle = run(lex, &s, Mode::NoFilter);
            for mode in [Mode::Normal, Mode::GeneralOnly] {
                let m = run(lex, &s, mode);
                prop_assert_eq!(m.tokens(), oracle.tokens());
                for (a, b) in m.scores().iter().zip(oracle.scores().iter()) {
                    prop_assert_eq!(a, b);
                }
            }
            // No false negatives, key by key: every exact root in the
            // table, and both prefix keys of every wildcard prefix.
            for_each_token(s.as_bytes(), &lex.tokenizer_config(), |t| {
                let h = token_hash(t.norm());
                let is_root = super::find(lex.table(), h).is_ok();
                assert!(!is_root || lex.maybe_root(t.norm(), h), "{:?}", t.norm());
            });
            for term in &wild_terms {
                let body = term.trim_end_matches('*');
                let mut last = Vec::new();
                for_each_token(body.as_bytes(), &lex.tokenizer_config(), |t| {
                    last = t.norm().to_vec();
                });
                if last.is_empty() {
                    continue;
                }
                let x = first8(&last[..last.len().min(8)]);
                prop_assert!(lex.maybe_key(prefix4_key(x, last.len())));
                prop_assert!(lex.maybe_key(prefix8_key(x, last.len())));
            }
        }
    }
}
