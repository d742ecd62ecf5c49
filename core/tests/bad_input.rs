//! Adversarial inputs through the whole engine, one test each (the
//! README's "Bad input" table): what the counts are, that nothing panics,
//! and that memory stays within the configured bound — the analyzer's
//! arena is fixed up front and a counting allocator checks that streaming
//! allocates nothing at all.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Instant;

use textmeter::analyzer::{Analyzer, AnalyzerConfig};
use textmeter::counts::{count, Counts};
use textmeter::lexicon::{BuiltinLexicon, Lexicon, ParseOptions};
use textmeter::ngram::NgramConfig;
use textmeter::tokenize::{for_each_token, TokenizerConfig};

/// Counts this thread's allocations (tests run on several threads).
struct CountingAlloc;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn allocations() -> u64 {
    ALLOCS.with(Cell::get)
}

/// Small tables (exact on short texts), the default tokenizer.
const CFG: AnalyzerConfig = AnalyzerConfig::new().with_ngram_capacity(512);

/// Runs `feed` on a fresh analyzer (with the built-in lexicon), asserts
/// that feeding allocated nothing, and returns the counts.
fn analyze(
    cfg: AnalyzerConfig,
    feed: impl FnOnce(&mut Analyzer<'_, '_>),
    check: impl FnOnce(&Analyzer<'_, '_>),
) -> Counts {
    let lex = BuiltinLexicon::new();
    let lexicon =
        (cfg.tokenizer() == TokenizerConfig::default()).then(|| lex.lexicon());
    let mut arena = vec![0u8; cfg.bytes_needed()];
    let mut a = Analyzer::new(cfg, &mut arena, lexicon).unwrap();
    let before = allocations();
    feed(&mut a);
    a.finish();
    assert_eq!(allocations(), before, "the analyzer allocated");
    check(&a);
    let c = a.counts();
    assert_eq!(c.tokens, c.words + c.numbers);
    if let Some(s) = a.scores() {
        assert_eq!(s.tokens(), c.tokens);
    }
    c
}

fn whole(cfg: AnalyzerConfig, text: &[u8]) -> Counts {
    analyze(cfg, |a| a.update(text), |_| {})
}

/// Normalised tokens of a text.
fn tokens(text: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, &TokenizerConfig::default(), |t| {
        out.push(t.to_str().unwrap().to_owned())
    });
    out
}

/// Every byte fed alone gives the same counts as the whole text.
fn bytewise_equals_whole(text: &[u8]) -> Counts {
    let c = whole(CFG, text);
    let b = analyze(
        CFG,
        |a| {
            for i in 0..text.len() {
                a.update(&text[i..i + 1]);
            }
        },
        |_| {},
    );
    assert_eq!(b, c);
    c
}

#[test]
fn empty_input() {
    let c = analyze(
        CFG,
        |a| a.update(b""),
        |a| {
            for n in 1..=3 {
                let t = a.ngrams().table(n).unwrap();
                assert_eq!((t.total(), t.len()), (0, 0));
                assert!(t.is_exact());
            }
            let types = a.types().unwrap();
            assert_eq!((types.types(), types.types_exact()), (0, true));
            assert!(a.signature().unwrap().is_empty());
            let s = a.scores().unwrap();
            assert!(s.iter().all(|c| c.hits() == 0 && c.per_1k() == 0.0));
        },
    );
    assert_eq!(c, Counts::default());
    assert_eq!(count(b"", &TokenizerConfig::default()), Counts::default());
}

#[test]
fn only_whitespace() {
    // ASCII blanks, NEL, NBSP, en quad, ideographic space, LS, PS.
    let text = " \t\r\n\x0b\x0c\n\u{85}\u{a0}\u{2000}\u{3000}\u{2028}\u{2029}";
    let c = bytewise_equals_whole(text.as_bytes());
    assert_eq!(c.tokens, 0);
    assert_eq!(c.bytes, text.len() as u64);
    assert_eq!(c.chars, text.chars().count() as u64);
    assert_eq!((c.lines, c.invalid_bytes), (2, 0));
}

/// About 64 KiB of `pattern` repeated (whole repetitions).
fn chunk_of(pattern: &[u8]) -> Vec<u8> {
    let whole = (64 << 10) / pattern.len() * pattern.len();
    pattern.iter().copied().cycle().take(whole).collect()
}

/// Streams `len` bytes of the pattern `buf` repeats, in chunks of `buf`
/// (never the whole input in memory).
fn stream(a: &mut Analyzer<'_, '_>, buf: &[u8], len: usize) {
    let mut left = len;
    while left > 0 {
        let n = left.min(buf.len());
        a.update(&buf[..n]);
        left -= n;
    }
}

/// Input sizes of the two big tests: full size with optimisations
/// (`cargo test --release`, which CI runs), `full / div` in unoptimised
/// test builds, where the engine runs 20 to 50 times slower.
const fn big(full: usize, div: usize) -> usize {
    if cfg!(debug_assertions) {
        full / div
    } else {
        full
    }
}

#[test]
fn one_huge_token_without_separator() {
    let len = big(100 << 20, 10);
    let buf = chunk_of(b"abcdefghij");
    let t0 = Instant::now();
    let c = analyze(
        CFG,
        |a| stream(a, &buf, len),
        |a| {
            let t = a.ngrams().table(1).unwrap();
            assert_eq!((t.total(), t.len()), (1, 1));
            let e = t.entries().next().unwrap();
            // Kept in truncated form: `max_token_len` (64) bytes.
            let gram = e.gram().unwrap().tokens().next().unwrap();
            assert_eq!(gram, &b"abcdefghij".repeat(7)[..64]);
            assert_eq!(a.ngrams().total(2), 0);
        },
    );
    eprintln!("{len} bytes, one token: {:?}", t0.elapsed());
    assert_eq!((c.tokens, c.words, c.truncated_tokens), (1, 1, 1));
    assert_eq!(c.max_token_len, len as u64);
    assert_eq!((c.bytes, c.chars, c.lines), (len as u64, len as u64, 0));
}

#[test]
fn ten_million_one_letter_tokens() {
    // 26 letters in a period-27 pattern: 26 types, 27 distinct bigrams
    // and trigrams; capacity 8 makes bigrams and trigrams Space-Saving.
    let pattern: Vec<u8> = (0..27u8)
        .flat_map(|i| {
            [b'a' + (i * 7) % 26, if i % 9 == 8 { b'\n' } else { b' ' }]
        })
        .collect();
    let tokens = big(10_000_000, 50);
    let len = tokens / 27 * pattern.len();
    let tokens = (len / 2) as u64;
    let cfg = AnalyzerConfig::new().with_ngrams(
        NgramConfig::new(1, 3).with_capacity(8).with_capacity_for(1, 32),
    );
    let buf = chunk_of(&pattern);
    let t0 = Instant::now();
    let c = analyze(
        cfg,
        |a| stream(a, &buf, len),
        |a| {
            let types = a.types().unwrap();
            assert_eq!((types.types(), types.types_exact()), (26, true));
            for n in 1..=3u64 {
                let t = a.ngrams().table(n as usize).unwrap();
                assert_eq!(t.total(), tokens + 1 - n);
                assert_eq!(t.is_exact(), n == 1);
                assert!(t.len() <= t.capacity());
                // Space-Saving bound: floor <= total / capacity.
                assert!(t.max_error() * t.capacity() as u64 <= t.total());
                for e in t.entries() {
                    assert!(e.error() <= t.max_error());
                }
            }
        },
    );
    eprintln!("{tokens} one-letter tokens: {:?}", t0.elapsed());
    assert_eq!((c.tokens, c.words, c.numbers), (tokens, tokens, 0));
    assert_eq!(c.lines, (len / pattern.len() * 3) as u64);
    assert_eq!((c.max_token_len, c.truncated_tokens), (1, 0));
}

#[test]
fn all_256_byte_values() {
    let text: Vec<u8> = (0..=255u8).collect();
    let c = bytewise_equals_whole(&text);
    // Every byte >= 0x80 is invalid on its own; each counts as a char.
    assert_eq!((c.bytes, c.chars, c.invalid_bytes), (256, 256, 128));
    assert_eq!(c.lines, 1);
    assert_eq!(
        tokens(&text),
        [
            "0123456789",
            "abcdefghijklmnopqrstuvwxyz",
            "abcdefghijklmnopqrstuvwxyz"
        ]
    );
    assert_eq!(c.chars, String::from_utf8_lossy(&text).chars().count() as u64);
}

#[test]
fn lone_surrogates_in_cesu_8() {
    // U+D83D U+DE00 (😀 in CESU-8) and a lone U+DFFF between words.
    let text = b"smile\xed\xa0\xbd\xed\xb8\x80face \xed\xbf\xbf end";
    let c = bytewise_equals_whole(text);
    // ED is a valid lead, but A0..BF may not follow it: each of the
    // nine bytes is its own invalid subsequence (as from_utf8_lossy).
    assert_eq!((c.invalid_bytes, c.chars), (9, 9 + 14));
    assert_eq!(tokens(text), ["smile", "face", "end"]);
    let lossy = String::from_utf8_lossy(text);
    assert_eq!(lossy.matches('\u{fffd}').count(), 9);
}

#[test]
fn overlong_encodings() {
    // "/" as 2, 3 and 4 bytes, "A" as C1 81: never decoded, never
    // a token, and they break words apart.
    let text = b"a\xc0\xafb \xe0\x80\xaf \xf0\x80\x80\xaf x\xc1\x81y";
    let c = bytewise_equals_whole(text);
    assert_eq!(c.invalid_bytes, 2 + 3 + 4 + 2);
    assert_eq!(c.chars, String::from_utf8_lossy(text).chars().count() as u64);
    assert_eq!(tokens(text), ["a", "b", "x", "y"]);
}

#[test]
fn nul_bytes() {
    let text = b"\0a\0\0b c\0";
    let c = bytewise_equals_whole(text);
    // NUL is a valid character (a control): it separates tokens.
    assert_eq!((c.chars, c.invalid_bytes, c.tokens), (8, 0, 3));
    assert_eq!(tokens(text), ["a", "b", "c"]);
}

#[test]
fn byte_order_mark() {
    let with = b"\xef\xbb\xbfHello world\n";
    let c = bytewise_equals_whole(with);
    let without = whole(CFG, b"Hello world\n");
    // The BOM is one char and no token; the tokens are the same.
    assert_eq!(tokens(with), ["hello", "world"]);
    assert_eq!((c.bytes, c.chars), (without.bytes + 3, without.chars + 1));
    assert_eq!(
        Counts { bytes: 0, chars: 0, ..c },
        Counts { bytes: 0, chars: 0, ..without }
    );
}

#[test]
fn crlf_line_ends() {
    let crlf = b"No attack.\r\nTalks go on.\r\n\r\nEnd";
    let lf = b"No attack.\nTalks go on.\n\nEnd";
    let c = bytewise_equals_whole(crlf);
    let l = whole(CFG, lf);
    assert_eq!((c.lines, c.tokens), (3, 6));
    assert_eq!(tokens(crlf), tokens(lf));
    let d = (crlf.len() - lf.len()) as u64;
    assert_eq!((c.bytes, c.chars), (l.bytes + d, l.chars + d));
    let scores = |t: &[u8]| {
        let lex = BuiltinLexicon::new();
        let m = lex.lexicon().score_text(t);
        let s = m.scores();
        s.iter().map(|c| (c.hits(), c.negated())).collect::<Vec<_>>()
    };
    assert_eq!(scores(crlf), scores(lf));
}

#[test]
fn lexicon_with_100k_terms() {
    let mut text = String::from("#! name: big\n");
    for i in 0..100_000 {
        let cat = ["up", "down", "flat"][i % 3];
        text += &format!("term{i:05} w{}\t{cat}\t{}\n", i % 7, i % 5);
    }
    let opts = ParseOptions::default();
    let t0 = Instant::now();
    let need = Lexicon::bytes_needed(text.as_bytes(), &opts).unwrap();
    let mut mem = vec![0u8; need];
    let lex = Lexicon::parse_into(text.as_bytes(), &opts, &mut mem).unwrap();
    eprintln!("100k terms: {need} bytes, parsed in {:?}", t0.elapsed());
    assert_eq!((lex.term_count(), lex.category_count()), (100_000, 3));
    assert!(need < 100_000 * 128, "{need} bytes");
    let cfg = CFG;
    let mut arena = vec![0u8; cfg.bytes_needed()];
    let mut a = Analyzer::new(cfg, &mut arena, Some(lex)).unwrap();
    let before = allocations();
    a.update(b"term00003 w3. term00004 w4 term99999 w4 term00010 w0");
    a.finish();
    assert_eq!(allocations(), before);
    let s = a.scores().unwrap();
    // 3 -> up (weight 3), 4 -> down (4), 99999 -> up (4); term 10 is
    // `term00010 w3`, so `term00010 w0` is no hit.
    let get = |c: &[u8]| {
        let c = s.get(c).unwrap();
        (c.hits(), c.score_milli())
    };
    assert_eq!(
        (get(b"up"), get(b"down"), get(b"flat")),
        ((2, 7000), (1, 4000), (0, 0))
    );
}

#[test]
fn capacity_zero() {
    let cfg = AnalyzerConfig::new().with_ngram_capacity(0);
    let text = b"to be or not to be";
    let c = analyze(
        cfg,
        |a| a.update(text),
        |a| {
            for n in 1..=3 {
                let t = a.ngrams().table(n).unwrap();
                assert_eq!(t.total(), 7 - n as u64);
                assert_eq!(t.len(), 0);
                assert!(!t.is_exact());
                assert_eq!(t.max_error(), t.total());
            }
            // Types come from the HyperLogLog.
            let types = a.types().unwrap();
            assert_eq!((types.types(), types.types_exact()), (4, false));
        },
    );
    assert_eq!(c.tokens, 6);
    // An n-gram configuration needs no table memory beyond the window
    // and the HyperLogLog.
    assert!(cfg.bytes_needed() < 16 << 10, "{}", cfg.bytes_needed());
}

#[test]
fn eight_grams_of_max_length_tokens() {
    let tok = TokenizerConfig { max_token_len: 255, ..Default::default() };
    for capacity in [2, 64] {
        let cfg = AnalyzerConfig::new()
            .with_tokenizer(tok)
            .with_ngrams(NgramConfig::new(1, 8).with_capacity(capacity));
        // 20 tokens of 255 letters (and one of 300: truncated to 255).
        let mut text = Vec::new();
        for i in 0..20u8 {
            text.extend_from_slice(&[b'a' + i % 5; 255]);
            text.push(b' ');
        }
        text.extend([b'z'; 300]);
        let c = analyze(
            cfg,
            |a| {
                for ch in text.chunks(97) {
                    a.update(ch);
                }
            },
            |a| {
                let t = a.ngrams().table(8).unwrap();
                assert_eq!(t.total(), 21 - 7);
                let mut max = 0;
                let mut stored = 0;
                for e in t.entries() {
                    max = max.max(e.count());
                    let Some(g) = e.gram() else { continue };
                    stored += 1;
                    assert_eq!(g.len(), 8);
                    assert!(g.tokens().all(|t| t.len() == 255));
                }
                assert_eq!(t.missing_bytes(), t.len() - stored);
                // Period 5: the 8-gram starting at i repeats at i + 5.
                assert_eq!(t.is_exact(), capacity == 64);
                if capacity == 64 {
                    // Exact counts; the default pool (sized for 7-byte
                    // tokens and half as much again, plus two maximal
                    // grams: 11,024 bytes) holds the bytes of 5 of the 6
                    // maximal 8-grams (2,056 bytes each): 1 is reported
                    // missing.
                    assert_eq!((t.len(), max, t.missing_bytes()), (6, 3, 1));
                } else {
                    // Two maximal grams always fit.
                    assert_eq!((t.len(), t.missing_bytes()), (2, 0));
                }
            },
        );
        assert_eq!((c.tokens, c.truncated_tokens), (21, 1));
        assert_eq!(c.max_token_len, 300);
    }
}

/// Bad input never panics: the same invariants on a mix of all of the
/// above, fed whole and byte by byte.
#[test]
fn mixed_bad_input_is_split_invariant() {
    let mut text = Vec::new();
    text.extend(b"\xef\xbb\xbf");
    text.extend(0..=255u8);
    text.extend(b"\r\n\0\xed\xa0\x80\xc0\xaf");
    text.extend([b'q'; 700]);
    text.extend("Straße, Россия, 中文, 👩‍👩‍👧 🇩🇪".as_bytes());
    let c = bytewise_equals_whole(&text);
    assert_eq!(c.truncated_tokens, 1);
    assert_eq!(c.chars, String::from_utf8_lossy(&text).chars().count() as u64);
}
