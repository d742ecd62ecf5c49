//! The checks behind textmeter's fuzz targets, one function per target.
//!
//! Each takes arbitrary bytes: the first few pick options, the rest is
//! text (or operations). It returns normally when every invariant holds
//! and panics otherwise. The cargo-fuzz targets in `fuzz_targets/` call
//! these functions; `core/tests/fuzz_regressions.rs` compiles this file on
//! stable and replays the committed seeds and regression inputs, and
//! `core/tests/fuzz_props.rs` drives it with proptest.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use textmeter::analyzer::{Analyzer, AnalyzerConfig};
use textmeter::counts::{count, Counts, TokenCounter};
use textmeter::hash::token_hash;
use textmeter::lexicon::{
    detect_format, fuzz_parse_and_score, Format, Lexicon, LexiconErrorKind,
    Matcher, ParseOptions, NEWS_STANCE_TSV,
};
use textmeter::ngram::{
    gram_hash, Entry, NgramConfig, NgramSet, NgramTable, MAX_N,
};
use textmeter::tokenize::{
    for_each_token, TextStats, TokenKind, Tokenizer, TokenizerConfig,
    MAX_TOKEN_LEN,
};

/// Chunk boundaries drawn from a seed byte: the low two bits pick the
/// chunk sizes (1 byte; 1..=7; 0..=16, with empty chunks; 1..=4096), the
/// rest seed a xorshift generator.
pub struct Splits {
    state: u64,
    mode: u8,
}

impl Splits {
    /// Splits for a seed byte.
    pub fn new(seed: u8) -> Self {
        let state = 0x9E37_79B9_7F4A_7C15 ^ (u64::from(seed) << 17 | 1);
        Splits { state, mode: seed & 3 }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// The next chunk length (0 only in mode 2).
    pub fn len(&mut self) -> usize {
        let r = self.next() as usize;
        match self.mode {
            0 => 1,
            1 => 1 + r % 7,
            2 => r % 17,
            _ => 1 + r % 4096,
        }
    }

    /// `text` cut into chunks.
    pub fn chunks<'t>(&mut self, mut text: &'t [u8]) -> Vec<&'t [u8]> {
        let mut out = Vec::new();
        while !text.is_empty() {
            let at = self.len().min(text.len());
            out.push(&text[..at]);
            text = &text[at..];
        }
        if self.mode == 2 {
            out.push(&[]);
        }
        out
    }
}

/// A token, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tok {
    /// Normalised bytes.
    pub norm: Vec<u8>,
    /// Original bytes, when reported.
    pub raw: Option<Vec<u8>>,
    /// Normalised length before truncation.
    pub full_len: usize,
    /// Word or number.
    pub word: bool,
    /// After clause punctuation.
    pub clause: bool,
}

fn tok(t: &textmeter::tokenize::Token<'_>) -> Tok {
    Tok {
        norm: t.norm().to_vec(),
        raw: t.raw().map(<[u8]>::to_vec),
        full_len: t.full_len(),
        word: t.kind() == TokenKind::Word,
        clause: t.after_clause_break(),
    }
}

/// A tokenizer configuration from one option byte: bit 0 folds case, bit
/// 1 folds apostrophes, bits 2–4 pick `max_token_len` from 64, 1, 2, 3,
/// 4, 7, 16, 255.
pub fn tokenizer_config(op: u8) -> TokenizerConfig {
    const LENS: [usize; 8] = [64, 1, 2, 3, 4, 7, 16, MAX_TOKEN_LEN];
    TokenizerConfig {
        fold_case: op & 1 == 0,
        fold_apostrophes: op & 2 == 0,
        max_token_len: LENS[usize::from(op >> 2) & 7],
    }
}

/// One-shot tokens and statistics (`feed_last`, raw spans present).
pub fn tokens_one_shot(
    text: &[u8],
    config: TokenizerConfig,
) -> (Vec<Tok>, TextStats) {
    let mut t = Tokenizer::new(config);
    let mut out = Vec::new();
    t.feed_last(text, |x| out.push(tok(x)));
    (out, t.stats())
}

/// Tokens and statistics of `chunks` fed one by one, then `finish`.
pub fn tokens_chunked(
    chunks: &[&[u8]],
    config: TokenizerConfig,
) -> (Vec<Tok>, TextStats) {
    let mut t = Tokenizer::new(config);
    let mut out = Vec::new();
    for c in chunks {
        t.feed(c, |x| out.push(tok(x)));
    }
    t.finish(|x| out.push(tok(x)));
    (out, t.stats())
}

/// `chars` and `invalid_bytes` the way `String::from_utf8_lossy` sees
/// them: each maximal invalid subsequence is one replacement character.
pub fn lossy_stats(text: &[u8]) -> TextStats {
    let mut s = TextStats {
        bytes: text.len() as u64,
        lines: text.iter().filter(|&&b| b == b'\n').count() as u64,
        ..TextStats::default()
    };
    for chunk in text.utf8_chunks() {
        s.chars += chunk.valid().chars().count() as u64;
        if !chunk.invalid().is_empty() {
            s.chars += 1;
            s.invalid_bytes += chunk.invalid().len() as u64;
        }
    }
    s
}

/// The counts a list of tokens and statistics imply.
pub fn counts_of(toks: &[Tok], stats: TextStats) -> Counts {
    let mut c = Counts::default();
    c.set_text_stats(stats);
    for t in toks {
        c.tokens += 1;
        if t.word {
            c.words += 1;
        } else {
            c.numbers += 1;
        }
        c.truncated_tokens += u64::from(t.full_len > t.norm.len());
        c.max_token_len = c.max_token_len.max(t.full_len as u64);
    }
    c
}

fn without_raw(toks: &[Tok]) -> Vec<Tok> {
    toks.iter().map(|t| Tok { raw: None, ..t.clone() }).collect()
}

/// Target `tokenize_chunks`: byte 0 is the [`tokenizer_config`], byte 1
/// the [`Splits`] seed, the rest the text.
///
/// Checks: chunked tokens and statistics equal one-shot ones (raw spans,
/// where the chunked run reports them, too); `for_each_token` and the
/// counting fast paths (`count`, `TokenCounter`) agree; every token is
/// valid UTF-8 of 1..=`max_token_len` bytes, truncated exactly when its
/// full length is larger, and cut at a character boundary; `chars`,
/// `invalid_bytes` and `lines` agree with `from_utf8_lossy`.
pub fn tokenize_chunks(data: &[u8]) {
    let [op, seed, text @ ..] = data else { return };
    let config = tokenizer_config(*op);
    let (whole, stats) = tokens_one_shot(text, config);
    assert_eq!(stats, lossy_stats(text), "text statistics");
    let max = config.max_token_len;
    for t in &whole {
        let s = core::str::from_utf8(&t.norm).expect("norm is UTF-8");
        assert!(t.norm.len() <= max, "{t:?}");
        assert!(t.full_len >= t.norm.len() && t.full_len > 0, "{t:?}");
        // Truncation at a char boundary leaves nothing when the first
        // char is longer than `max_token_len` (1..=3).
        assert!(!t.norm.is_empty() || max < 4, "{t:?}");
        if t.full_len > t.norm.len() {
            // Cut at a char boundary: the next char did not fit.
            assert!(t.norm.len() + 4 > max, "truncated too early: {t:?}");
        }
        let raw = t.raw.as_deref().expect("one-shot tokens have raw");
        // The kind is the original's: folding may map an alphabetic
        // character (U+02BC) to `'`, and truncation may cut one off.
        let raw = core::str::from_utf8(raw).expect("raw is UTF-8");
        let alpha = raw.chars().any(char::is_alphabetic);
        assert_eq!(t.word, alpha, "kind of {t:?}");
        assert!(!s.is_empty() || t.full_len > 0);
    }
    let chunks = Splits::new(*seed).chunks(text);
    let (parts, part_stats) = tokens_chunked(&chunks, config);
    assert_eq!(part_stats, stats, "statistics of chunked input");
    assert_eq!(parts.len(), whole.len(), "token count of chunked input");
    for (p, w) in parts.iter().zip(&whole) {
        if p.raw.is_some() {
            assert_eq!(p.raw, w.raw, "raw span");
        }
    }
    assert_eq!(without_raw(&parts), without_raw(&whole), "chunked tokens");

    let mut each = Vec::new();
    for_each_token(text, &config, |t| each.push(tok(t)));
    assert_eq!(each, whole, "for_each_token");

    let want = counts_of(&whole, stats);
    assert_eq!(count(text, &config), want, "count()");
    let mut counter = TokenCounter::new(config);
    for c in &chunks {
        counter.update(c);
    }
    assert_eq!(counter.finish(), want, "TokenCounter over chunks");
}

/// Target `lexicon_parse`: byte 0 picks the format (bits 0–1: auto, TSV,
/// AFINN, LIWC) and memory slack as in
/// [`textmeter::lexicon::fuzz_parse_and_score`] (which this runs first),
/// bits 2–4 the tokenizer's `max_token_len` and bit 5 case folding; the
/// rest is a lexicon text, a NUL byte, and a text to score.
///
/// Checks, beyond `fuzz_parse_and_score`'s: `Auto` behaves exactly like
/// the format `detect_format` names, except that it refuses a TSV
/// category that is a number (`NumericCategory`, where the named format
/// takes it); errors carry a line within the text
/// (or none, only for memory errors); parsing into larger memory gives the
/// same lexicon and leaves the extra bytes untouched; a matcher fed the
/// text's tokens chunk by chunk scores like `score_text`.
pub fn lexicon_parse(data: &[u8]) {
    fuzz_parse_and_score(data);
    let Some((&op, rest)) = data.split_first() else { return };
    let (lex_text, text) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b""[..]),
    };
    let format = [Format::Auto, Format::Tsv, Format::Afinn, Format::LiwcDic]
        [usize::from(op & 3)];
    let mut tokenizer = tokenizer_config(op & 0x1c);
    tokenizer.fold_case = op & 0x20 == 0;
    let opts = ParseOptions { format, tokenizer };
    let need = Lexicon::bytes_needed(lex_text, &opts);
    if format == Format::Auto {
        let detected = detect_format(lex_text);
        assert_ne!(detected, Format::Auto);
        let explicit = ParseOptions { format: detected, ..opts };
        let named = Lexicon::bytes_needed(lex_text, &explicit);
        match need {
            Err(e) if e.kind() == LexiconErrorKind::NumericCategory => {
                assert_eq!(detected, Format::Tsv);
                // The error names the numeric line and the first line
                // that is not `term<TAB>number` (why the format is TSV).
                let numeric = e.numeric_line().expect("names its line");
                assert!(e.line().is_some(), "{e}");
                // Named, TSV takes the lines before the numeric one just
                // the same.
                if let Err(n) = named {
                    let at = n.line().map_or(true, |l| l >= numeric);
                    assert!(at, "{n} vs {e}");
                }
            }
            _ => assert_eq!(need, named, "Auto differs from {detected:?}"),
        }
    }
    let n = match need {
        Ok(n) => n,
        Err(e) => {
            // Lines end at LF, CRLF or a lone CR.
            let lone_cr = lex_text
                .iter()
                .enumerate()
                .filter(|&(i, &b)| {
                    b == b'\r' && lex_text.get(i + 1) != Some(&b'\n')
                })
                .count();
            let lines = lex_text.split(|&b| b == b'\n').count() + lone_cr;
            let line = e.line().expect("syntax errors have a line");
            assert!(line >= 1 && line <= lines, "{e} in {lines} lines");
            return;
        }
    };
    if n > 1 << 20 {
        return;
    }
    let mut exact = vec![0u8; n];
    let lex = match Lexicon::parse_into(lex_text, &opts, &mut exact) {
        Ok(l) => l,
        Err(e) => panic!("bytes_needed = {n} but parse failed: {e}"),
    };
    if n > 0 {
        let mut short = vec![0u8; n - 1];
        let e = Lexicon::parse_into(lex_text, &opts, &mut short)
            .expect_err("parsed into fewer bytes than needed");
        assert_eq!(e.line(), None);
        assert_eq!(e.memory(), (n, n - 1));
    }
    let mut roomy = vec![0xA5u8; n + 64];
    let big = Lexicon::parse_into(lex_text, &opts, &mut roomy)
        .expect("parse into more memory");
    assert_eq!(big.term_count(), lex.term_count());
    assert_eq!(big.category_count(), lex.category_count());
    assert_eq!(big.name(), lex.name());
    assert_eq!(big.format(), lex.format());
    assert_eq!(big.negation_window(), lex.negation_window());
    assert_eq!(big.negation_factor_milli(), lex.negation_factor_milli());
    assert_eq!(big.tokenizer_config(), tokenizer);
    for i in 0..lex.category_count() {
        let name = lex.category_name(i).expect("category in range");
        assert_eq!(big.category_name(i), Some(name));
        assert_eq!(lex.category_index(name), Some(i));
    }
    assert_eq!(lex.category_name(lex.category_count()), None);
    assert!(roomy[n..].iter().all(|&b| b == 0xA5), "wrote past need");

    let want = scores_of(&lex.score_text(text));
    let mut m = Matcher::new(lex);
    let mut t = Tokenizer::new(tokenizer);
    let mut push = |x: &textmeter::tokenize::Token<'_>| {
        m.push(x.norm(), token_hash(x.norm()), x.after_clause_break())
    };
    for c in Splits::new(op).chunks(text) {
        t.feed(c, &mut push);
    }
    t.finish(&mut push);
    m.finish();
    assert_eq!(scores_of(&m), want, "chunked scoring");
    for (hits, negated, _) in &want.0 {
        assert!(negated <= hits);
    }
}

/// Per category (hits, negated, score in thousandths), and tokens.
type ScoreList = (Vec<(u64, u64, i64)>, u64);

fn scores_of(m: &Matcher<'_>) -> ScoreList {
    let s = m.scores();
    let list = s.iter().map(|c| (c.hits(), c.negated(), c.score_milli()));
    (list.collect(), s.tokens())
}

/// Tokens for [`ngram_ops`]: short, repeated, non-ASCII, empty, and
/// longer than an n-gram table stores (255 bytes).
const VOCAB: [&[u8]; 16] = [
    b"a",
    b"b",
    b"the",
    b"of",
    b"\xc3\xa9",
    b"\xe4\xb8\xad\xe6\x96\x87",
    b"",
    b"ab",
    b"ba",
    b"x",
    b"don't",
    b"0",
    &[b'L'; 255],
    &[b'M'; 256],
    &[b'N'; 300],
    b"a b",
];

/// The true counts of each n for one set: gram (its tokens' full bytes)
/// to count, and the current document's tokens.
#[derive(Clone, Default)]
struct Truth {
    grams: [HashMap<Vec<Vec<u8>>, u64>; MAX_N],
    window: Vec<Vec<u8>>,
}

impl Truth {
    fn push(&mut self, lo: usize, hi: usize, token: &[u8]) {
        self.window.push(token.to_vec());
        if self.window.len() > hi {
            self.window.remove(0);
        }
        let w = self.window.len();
        for n in lo..=hi.min(w) {
            let gram = self.window[w - n..].to_vec();
            *self.grams[n - 1].entry(gram).or_default() += 1;
        }
    }

    fn merge(&mut self, other: &Truth) {
        self.window.clear();
        for (mine, theirs) in self.grams.iter_mut().zip(&other.grams) {
            for (g, c) in theirs {
                *mine.entry(g.clone()).or_default() += c;
            }
        }
    }
}

fn hash_of(gram: &[Vec<u8>]) -> u64 {
    let hashes: Vec<u64> = gram.iter().map(|t| token_hash(t)).collect();
    gram_hash(&hashes)
}

fn stored(token: &[u8]) -> &[u8] {
    &token[..token.len().min(MAX_TOKEN_LEN)]
}

/// Checks one set against the truth: totals exact; entry by entry
/// `count - error <= true <= count` and `error <= floor <= count`;
/// `capacity * floor <= total`; every gram truer than the floor present;
/// everything exact (entries equal the truth) while the floor is 0; gram
/// bytes as pushed (truncated to 255) where stored, `missing_bytes`
/// otherwise; `get` finds what `entries` lists; `top_into` is sorted.
fn check_set<A: AsRef<[u8]>>(set: &NgramSet<A>, truth: &Truth) {
    let cfg = set.config();
    for n in cfg.lo() as usize..=cfg.hi() as usize {
        let t = set.table(n).expect("n in range");
        let want = &truth.grams[n - 1];
        let by_hash: HashMap<u64, (&Vec<Vec<u8>>, u64)> =
            want.iter().map(|(g, &c)| (hash_of(g), (g, c))).collect();
        let total: u64 = want.values().sum();
        assert_eq!(t.total(), total, "total of {n}-grams");
        assert_eq!(set.total(n), total);
        let floor = t.max_error();
        assert_eq!(t.is_exact(), floor == 0);
        assert!(t.len() <= t.capacity());
        assert!(t.capacity() as u64 * floor <= total, "floor too high");
        let mut seen = HashMap::new();
        let mut missing = 0;
        for e in t.entries() {
            assert!(seen.insert(e.hash(), e.count()).is_none(), "dup");
            let truth = by_hash.get(&e.hash());
            let true_count = truth.map_or(0, |t| t.1);
            assert!(e.error() <= floor && floor <= e.count(), "{e:?}");
            assert!(e.count() - e.error() <= true_count, "{e:?}");
            assert!(true_count <= e.count(), "{e:?} true {true_count}");
            assert_eq!(e.lower_bound(), e.count() - e.error());
            match e.gram() {
                Some(g) => {
                    let toks: Vec<&[u8]> = g.tokens().collect();
                    assert_eq!(toks.len(), n);
                    if let Some((gram, _)) = truth {
                        let want: Vec<&[u8]> =
                            gram.iter().map(|t| stored(t)).collect();
                        assert_eq!(toks, want, "gram bytes");
                    }
                }
                None => missing += 1,
            }
        }
        assert_eq!(t.missing_bytes(), missing, "missing_bytes");
        for (g, &c) in want {
            if c > floor {
                assert!(seen.contains_key(&hash_of(g)), "lost {g:?}");
            }
            if floor == 0 {
                assert_eq!(seen.get(&hash_of(g)), Some(&c), "exact {g:?}");
            }
            if g.iter().all(|t| t.len() <= MAX_TOKEN_LEN) {
                let toks: Vec<&[u8]> = g.iter().map(Vec::as_slice).collect();
                let got = t.get(&toks).map(|e| e.count());
                assert_eq!(got, seen.get(&hash_of(g)).copied(), "get");
            }
        }
        if floor == 0 {
            assert_eq!(t.len(), want.len(), "exact table length");
        }
        let mut top = vec![Entry::default(); 4];
        let k = t.top_into(&mut top);
        assert_eq!(k, t.len().min(4));
        for w in top[..k].windows(2) {
            assert!(w[0].count() >= w[1].count(), "top order");
        }
        if let Some(last) = top[..k].last() {
            let below = seen.values().filter(|&&c| c > last.count()).count();
            assert!(below < k, "top misses a larger count");
        }
    }
    if cfg.lo() == 1 && set.table(1).is_some_and(|t| t.is_exact()) {
        let types = set.types().expect("unigrams give types");
        assert!(types.types_exact());
        assert_eq!(types.types(), truth.grams[0].len() as u64);
    }
}

/// An n-gram configuration from two option bytes: `lo` and `hi` within
/// 1..=8; a capacity of 0, 1, 2, 3, 5, 8, 16 or 64; the gram pool default
/// or 0, 16 or 600 bytes; HyperLogLog precision 0, 4 or 12.
pub fn ngram_config(a: u8, b: u8) -> NgramConfig {
    const CAPS: [u32; 8] = [0, 1, 2, 3, 5, 8, 16, 64];
    let lo = 1 + (a & 7);
    let hi = (lo + ((a >> 3) & 7)).min(MAX_N as u8);
    let mut cfg = NgramConfig::new(lo, hi)
        .with_capacity(CAPS[usize::from(b & 7)])
        .with_distinct_precision([0, 4, 12, 12][usize::from(a >> 6)]);
    let pool = [None, Some(0), Some(16), Some(600)][usize::from(b >> 3) & 3];
    if let Some(p) = pool {
        for n in lo..=hi {
            cfg = cfg.with_pool_bytes_for(n, p);
        }
    }
    cfg
}

/// Target `ngram_ops`: bytes 0–1 are the [`ngram_config`] of two sets, A
/// and B (bits 7 and 6 of byte 1 also give A and B a placement seed each,
/// which must change no result); every further byte is an operation on
/// one of them (bit 0), with the kind in bits 1–3 and an argument in bits
/// 4–7:
///
/// - 0–2: push `VOCAB[arg]`;
/// - 3: push the next `arg * 16 + 1` bytes as one token;
/// - 4: end the document;
/// - 5: merge the other set into this one;
/// - 6: serialise, then deserialise into a fresh arena (also checks that
///   every truncated copy of the bytes is rejected without a panic);
/// - 7: clear (arg 0), else check the invariants now.
///
/// The invariants ([`check_set`]'s) are checked against exact counts kept
/// on the side after every merge and deserialisation, and at the end.
pub fn ngram_ops(data: &[u8]) {
    let [a, b, ops @ ..] = data else { return };
    let cfg = ngram_config(*a, *b);
    let Ok(need) = cfg.try_bytes_needed() else { return };
    let (lo, hi) = (cfg.lo() as usize, cfg.hi() as usize);
    let mut sets = [0, 1].map(|_| {
        NgramSet::new(vec![0u8; need], cfg).expect("valid configuration")
    });
    // Bits 6 and 7 of `b` give A and B placement seeds (different ones):
    // results must not change.
    for (i, bit) in [(0, 0x80), (1, 0x40)] {
        if b & bit != 0 {
            let seed = u32::from(*a) << 8 | u32::from(*b) | i;
            sets[i as usize].set_placement_seed(seed).expect("empty set");
        }
    }
    let mut truth = [Truth::default(), Truth::default()];
    let mut i = 0;
    while i < ops.len() {
        let op = ops[i];
        i += 1;
        let (me, other) = (usize::from(op & 1), usize::from(!op & 1));
        let arg = usize::from(op >> 4);
        match (op >> 1) & 7 {
            0..=2 => {
                let t = VOCAB[arg];
                sets[me].push(t, token_hash(t));
                truth[me].push(lo, hi, t);
            }
            3 => {
                let len = (arg * 16 + 1).min(ops.len() - i);
                let t = &ops[i..i + len];
                i += len;
                sets[me].push(t, token_hash(t));
                truth[me].push(lo, hi, t);
            }
            4 => {
                sets[me].end_document();
                truth[me].window.clear();
            }
            5 => {
                let [x, y] = &mut sets;
                let (dst, src) = if me == 0 { (x, &*y) } else { (y, &*x) };
                dst.merge(src).expect("same configuration");
                let src_truth = truth[other].clone();
                truth[me].merge(&src_truth);
                check_set(&sets[me], &truth[me]);
            }
            6 => {
                let mut buf = vec![0u8; sets[me].serialized_len()];
                let len = sets[me].serialize_into(&mut buf).expect("fits");
                assert_eq!(len, buf.len());
                if len > 0 {
                    let mut short = vec![0u8; len - 1];
                    assert!(sets[me].serialize_into(&mut short).is_err());
                }
                let step = 1 + len / 64;
                for cut in (0..len).step_by(step) {
                    let arena = vec![0u8; need];
                    assert!(
                        NgramSet::deserialize(&buf[..cut], arena).is_err(),
                        "truncated set accepted at {cut}"
                    );
                }
                let back = NgramSet::deserialize(&buf, vec![0u8; need])
                    .expect("round trip");
                assert_eq!(back.config(), cfg);
                let mut again = vec![0u8; back.serialized_len()];
                back.serialize_into(&mut again).expect("fits");
                assert_eq!(again, buf, "serialisation is stable");
                sets[me] = back;
                truth[me].window.clear();
                check_set(&sets[me], &truth[me]);
            }
            _ if arg == 0 => {
                sets[me].clear();
                truth[me] = Truth::default();
            }
            _ => check_set(&sets[me], &truth[me]),
        }
    }
    for (s, t) in sets.iter().zip(&truth) {
        check_set(s, t);
    }
}

/// One n-gram table, observable: total, exact, (hash, count, error)
/// sorted.
type TableView = (u64, bool, Vec<(u64, u64, u64)>);

/// Everything observable about an analyzer, owned and comparable.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    /// Counts.
    pub counts: Counts,
    /// Distinct types and whether exact.
    pub types: Option<(u64, bool)>,
    /// Per n.
    pub tables: Vec<TableView>,
    /// Signature hashes.
    pub signature: Vec<u64>,
    /// Lexicon scores.
    pub scores: Option<ScoreList>,
}

/// A snapshot of an analyzer.
pub fn snapshot(a: &Analyzer<'_, '_>) -> Snapshot {
    let cfg = a.config().ngrams();
    let tables = (cfg.lo()..=cfg.hi())
        .map(|n| {
            let t = a.ngrams().table(usize::from(n)).expect("n in range");
            let mut e: Vec<_> = t
                .entries()
                .map(|e| (e.hash(), e.count(), e.error()))
                .collect();
            e.sort_unstable();
            (t.total(), t.is_exact(), e)
        })
        .collect();
    let scores = a.scores().map(|s| {
        let list = s.iter().map(|c| (c.hits(), c.negated(), c.score_milli()));
        (list.collect(), s.tokens())
    });
    Snapshot {
        counts: a.counts(),
        types: a.types().map(|t| (t.types(), t.types_exact())),
        tables,
        signature: a.signature().map_or(Vec::new(), |s| s.hashes().collect()),
        scores,
    }
}

/// The built-in lexicon text compiled for a tokenizer configuration, once
/// per configuration (leaked: a handful per process).
pub fn news_stance(config: TokenizerConfig) -> Lexicon<'static> {
    static CACHE: OnceLock<Mutex<HashMap<TokenizerConfig, Lexicon<'static>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    *cache.entry(config).or_insert_with(|| {
        let opts = ParseOptions { format: Format::Tsv, tokenizer: config };
        let n = Lexicon::bytes_needed(NEWS_STANCE_TSV, &opts)
            .expect("built-in lexicon parses");
        let mem: &'static mut [u8] = vec![0u8; n].leak();
        Lexicon::parse_into(NEWS_STANCE_TSV, &opts, mem)
            .expect("built-in lexicon parses")
    })
}

/// An analyzer configuration (and whether to use a lexicon) from three
/// option bytes: byte 0 is the [`tokenizer_config`] (bits 0–4), negation
/// off (bit 5), no lexicon (bit 6); byte 1 the n-gram range and
/// precision and byte 2 the capacity and pool, as in [`ngram_config`];
/// bits 5–6 of byte 2 the signature size (128, 0, 1, 7).
pub fn analyzer_config(a: u8, b: u8, c: u8) -> (AnalyzerConfig, bool) {
    let cfg = AnalyzerConfig::new()
        .with_tokenizer(tokenizer_config(a))
        .with_negation(a & 0x20 == 0)
        .with_ngrams(ngram_config(b, c & 0x1f))
        .with_signature_k([128, 0, 1, 7][usize::from(c >> 5) & 3]);
    (cfg, a & 0x40 == 0)
}

/// Target `analyzer`: bytes 0–2 are the [`analyzer_config`], byte 3 the
/// [`Splits`] seed, byte 4 the number of documents (1 + bits 0–1; they
/// cut the text at points drawn from the same generator), the rest text.
///
/// Checks: documents fed in chunks give the same [`snapshot`] as fed
/// whole (with a placement seed when bit 7 of byte 2 is set), and so does
/// a copy made mid-document into memory full of garbage;
/// per-document analyzers merged in order equal one analyzer over all
/// documents while its tables are exact, and agree on counts,
/// totals, signature and scores always; merging into an analyzer left
/// mid-document ends that document first; `reset` equals a fresh
/// analyzer; counts add up (`tokens = words + numbers`, n-gram totals
/// from per-document token counts, lexicon tokens = tokens).
pub fn analyzer(data: &[u8]) {
    let [a, b, c, seed, ndocs, text @ ..] = data else { return };
    let (cfg, with_lexicon) = analyzer_config(*a, *b, *c);
    let Ok(need) = cfg.try_bytes_needed() else { return };
    let lexicon = with_lexicon.then(|| news_stance(cfg.tokenizer()));
    let mut splits = Splits::new(*seed);
    let mut docs = Vec::new();
    let mut rest = text;
    for _ in 0..*ndocs & 3 {
        let at = (splits.next() as usize) % (rest.len() + 1);
        docs.push(&rest[..at]);
        rest = &rest[at..];
    }
    docs.push(rest);

    let mut mem = vec![0u8; need];
    let mut whole_a = Analyzer::new(cfg, &mut mem, lexicon).expect("new");
    for d in &docs {
        whole_a.update(d);
        whole_a.finish();
    }
    let whole = snapshot(&whole_a);

    // The chunked run is placed by a seed when bit 7 of byte 2 is set:
    // the results must be the same.
    let mut mem2 = vec![0u8; need];
    let mut chunked = Analyzer::new(cfg, &mut mem2, lexicon).expect("new");
    if c & 0x80 != 0 {
        let seed = u32::from_le_bytes([*a, *b, *c, *seed]);
        chunked.set_placement_seed(seed).expect("empty analyzer");
    }
    for d in &docs {
        for ch in splits.chunks(d) {
            chunked.update(ch);
        }
        chunked.finish();
    }
    assert_eq!(snapshot(&chunked), whole, "chunked analysis");
    chunked.reset();
    for d in &docs {
        chunked.update(d);
        chunked.finish();
    }
    assert_eq!(snapshot(&chunked), whole, "after reset");

    // A copy made mid-document, into memory full of garbage (a copy
    // takes only the parts that hold state), carries on as the original.
    chunked.reset();
    let cut = (splits.next() as usize) % (docs[0].len() + 1);
    chunked.update(&docs[0][..cut]);
    let mut garbage = vec![0xA5u8; need];
    let mut copied = chunked.copy_into(&mut garbage).expect("sized");
    copied.update(&docs[0][cut..]);
    copied.finish();
    for d in &docs[1..] {
        copied.update(d);
        copied.finish();
    }
    assert_eq!(snapshot(&copied), whole, "copied at {cut}");
    // Gram bytes too (which the snapshot leaves out), unless the seeds
    // differ (a saved state records its table's).
    if c & 0x80 == 0 {
        let mut saved = vec![0u8; whole_a.serialized_len()];
        whole_a.serialize_into(&mut saved).expect("sized");
        let mut again = vec![0u8; copied.serialized_len()];
        copied.serialize_into(&mut again).expect("sized");
        assert!(saved == again, "copied at {cut}: saved states differ");
    }

    let c = whole.counts;
    assert_eq!(c.tokens, c.words + c.numbers);
    assert_eq!(c.bytes, text.len() as u64);
    assert!(c.truncated_tokens <= c.tokens);
    if let Some((_, tokens)) = &whole.scores {
        assert_eq!(*tokens, c.tokens, "lexicon tokens");
    }
    assert!(whole.signature.len() <= cfg.signature_k());

    // One analyzer per document, merged in order into `total` (whose
    // first document is left unfinished: merge ends it).
    let mut mem3 = vec![0u8; need];
    let mut total = Analyzer::new(cfg, &mut mem3, lexicon).expect("new");
    total.update(docs[0]);
    let mut doc_mem = vec![0u8; need];
    let mut per_doc_tokens = vec![count(docs[0], &cfg.tokenizer()).tokens];
    for d in &docs[1..] {
        doc_mem.fill(0);
        let mut one = Analyzer::new(cfg, &mut doc_mem, lexicon).expect("new");
        one.update(d);
        one.finish();
        per_doc_tokens.push(one.counts().tokens);
        total.merge(&one).expect("same configuration");
    }
    total.finish(); // ends a lone first document; else a no-op
    let merged = snapshot(&total);
    assert_eq!(merged.counts, whole.counts, "merged counts");
    assert_eq!(merged.signature, whole.signature, "merged signature");
    assert_eq!(merged.scores, whole.scores, "merged scores");
    let cfg_n = cfg.ngrams();
    for (i, n) in (cfg_n.lo()..=cfg_n.hi()).enumerate() {
        let want: u64 = per_doc_tokens
            .iter()
            .map(|&t| t.saturating_sub(u64::from(n) - 1))
            .sum();
        assert_eq!(whole.tables[i].0, want, "total of {n}-grams");
        assert_eq!(merged.tables[i].0, want, "merged total of {n}-grams");
    }
    if whole.tables.iter().all(|t| t.1) {
        assert_eq!(merged, whole, "exact merge");
    }
}

/// Target `deserialize`: saved states read back from arbitrary bytes, as
/// the Python package does with the state a pickled report carries.
/// Bytes 0–2 are an [`analyzer_config`], byte 3's bit 0 picks the input:
///
/// - 0: byte 4 is a number of edits (bits 0–3), followed by that many
///   3-byte edits (position `u16` LE, modulo the state's length, and a
///   byte to XOR there), then text: the text is analysed, its state
///   saved, the edits applied, and the result read back. Fuzzing then
///   explores states that are valid but for a few bytes;
/// - 1: the rest is the state itself.
///
/// The same bytes are also read as a bare n-gram set and, from their
/// n-gram part's offset on, as a bare table. Each reader must return an
/// error or a state that works: saved again it reads back to the same
/// bytes, every entry has `1 <= count` and `error <= count` and keeps its
/// gram's hash, the counts agree (`tokens = words + numbers`, no gram
/// total above the tokens, the lexicon saw every token, `negated <=
/// hits <= tokens`), and it takes more text, a merge and a reset without
/// a panic. Unedited states must read back at all.
pub fn deserialize(data: &[u8]) {
    let [a, b, c, mode, rest @ ..] = data else { return };
    let (cfg, with_lexicon) = analyzer_config(*a, *b, *c);
    let Ok(need) = cfg.try_bytes_needed() else { return };
    let lexicon = with_lexicon.then(|| news_stance(cfg.tokenizer()));
    let state = if mode & 1 == 0 {
        let [edits, rest @ ..] = rest else { return };
        let n_edits = usize::from(edits & 15);
        if rest.len() < 3 * n_edits {
            return;
        }
        let (edits, text) = rest.split_at(3 * n_edits);
        let mut mem = vec![0u8; need];
        let mut an = Analyzer::new(cfg, &mut mem, lexicon).expect("new");
        an.update(text);
        an.finish();
        let mut state = vec![0u8; an.serialized_len()];
        an.serialize_into(&mut state).expect("fits");
        let mut mem2 = vec![0u8; need];
        let back = Analyzer::deserialize(cfg, &mut mem2, lexicon, &state)
            .expect("an unedited state reads back");
        assert_eq!(snapshot(&back), snapshot(&an), "read back");
        let len = state.len();
        for e in edits.chunks_exact(3) {
            let at = usize::from(u16::from_le_bytes([e[0], e[1]]));
            state[at % len] ^= e[2];
        }
        state
    } else {
        rest.to_vec()
    };

    let mut mem = vec![0u8; need];
    if let Ok(mut an) = Analyzer::deserialize(cfg, &mut mem, lexicon, &state) {
        let mut again = vec![0u8; an.serialized_len()];
        an.serialize_into(&mut again).expect("fits");
        let mut mem2 = vec![0u8; need];
        let back = Analyzer::deserialize(cfg, &mut mem2, lexicon, &again)
            .expect("a saved state reads back");
        let snap = snapshot(&an);
        assert_eq!(snapshot(&back), snap, "read back twice");
        check_entries(an.ngrams());
        let tokens = snap.counts.tokens;
        assert_eq!(tokens, snap.counts.words + snap.counts.numbers);
        assert!(snap.tables.iter().all(|t| t.0 <= tokens), "gram total");
        if let Some((list, lex_tokens)) = &snap.scores {
            assert_eq!(*lex_tokens, tokens, "lexicon tokens");
            for &(hits, negated, _) in list {
                assert!(negated <= hits && hits <= tokens, "tallies");
            }
        }
        let mut other_mem = vec![0u8; need];
        let mut other =
            Analyzer::new(cfg, &mut other_mem, lexicon).expect("new");
        other.update(b"Troops may pull back, not attack. Troops may.");
        other.finish();
        an.update(b"Diplomacy, not threats: troops may pull back.");
        an.finish();
        an.merge(&other).expect("same configuration");
        other.merge(&an).expect("same configuration");
        let _ = snapshot(&an);
        check_entries(an.ngrams());
        an.reset();
    }

    // The n-gram part of a state starts after its header (24 bytes), its
    // counts (72) and the part's length (8): read the bytes as a bare set
    // both whole and from there, and the set's first table from there on.
    let cfg_n = cfg.ngrams();
    let set_need = cfg_n.bytes_needed();
    for from in [0, 104] {
        let Some(bytes) = state.get(from..) else { continue };
        if let Ok(mut set) = NgramSet::deserialize(bytes, vec![0u8; set_need])
        {
            let mut again = vec![0u8; set.serialized_len()];
            set.serialize_into(&mut again).expect("fits");
            let back = NgramSet::deserialize(&again, vec![0u8; set_need])
                .expect("a saved set reads back");
            let mut twice = vec![0u8; back.serialized_len()];
            back.serialize_into(&mut twice).expect("fits");
            assert_eq!(twice, again, "set read back twice");
            check_entries(&set);
            for t in VOCAB {
                set.push(t, token_hash(t));
            }
            set.end_document();
            let copy = NgramSet::deserialize(&again, vec![0u8; set_need])
                .expect("a saved set reads back");
            set.merge(&copy).expect("same configuration");
            check_entries(&set);
        }
        // A set's tables follow its header (magic, version, options, and
        // per n a capacity and a pool size) and their own length.
        if let Some(t) = bytes.get(SET_TABLES_AT + 4..) {
            table_round_trip(t);
        }
    }
}

/// Where a serialised set's first table length is: magic (4), version (2),
/// lo, hi, precision, lookahead, 2 zero bytes, 8 capacities (u32) and 8
/// pool sizes (u64).
const SET_TABLES_AT: usize = 12 + 4 * MAX_N + 8 * MAX_N;

/// Reads `bytes` as a bare table; if that works, saves it again and
/// checks the copy reads back the same, then counts into it and merges.
fn table_round_trip(bytes: &[u8]) {
    let arena = vec![0u8; 1 << 16];
    let Ok(mut t) = NgramTable::deserialize(bytes, arena) else { return };
    let mut again = vec![0u8; t.serialized_len()];
    t.serialize_into(&mut again).expect("fits");
    let back = NgramTable::deserialize(&again, vec![0u8; 1 << 16])
        .expect("a saved table reads back");
    let mut twice = vec![0u8; back.serialized_len()];
    back.serialize_into(&mut twice).expect("fits");
    assert_eq!(twice, again, "table read back twice");
    check_table(&t);
    t.merge(&back).expect("same configuration");
    check_table(&t);
}

/// Every entry of every table of `set`: see [`check_table`].
fn check_entries<A: AsRef<[u8]>>(set: &NgramSet<A>) {
    let cfg = set.config();
    for n in cfg.lo()..=cfg.hi() {
        check_table(&set.table(usize::from(n)).expect("n in range"));
    }
}

/// Every entry of `t`: `1 <= count`, `error <= count`, and, where the
/// gram's bytes are kept (and no token may have been cut), its hash is
/// theirs.
fn check_table<A: AsRef<[u8]>>(t: &NgramTable<A>) {
    for e in t.entries() {
        assert!(e.count() >= 1, "count 0");
        assert!(e.error() <= e.count(), "error above count");
        if let Some(g) = e.gram() {
            let toks: Vec<Vec<u8>> = g.tokens().map(<[u8]>::to_vec).collect();
            assert_eq!(toks.len(), t.n(), "gram length");
            // A token of the maximal length may have been cut, and its
            // gram hashed whole.
            if toks.iter().all(|t| t.len() < MAX_TOKEN_LEN) {
                assert_eq!(hash_of(&toks), e.hash(), "hash of the gram");
            }
        }
    }
}
