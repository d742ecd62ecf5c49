//! Criterion benchmarks for textmeter (issue #8).
//!
//! One group per operation, each with `Throughput::Bytes` and a naive
//! baseline row measured in the same run, so speed-ups are ratios of rows.
//! Rows are `BenchmarkId::new(impl, input)`; inputs come from
//! [`textmeter_bench::inputs`] (seeds always; the corpus inputs when a
//! corpus is found).
//!
//! Short local run (about 30 s per group on a quiet core):
//! ```text
//! TEXTMETER_BENCH_INPUTS=seeds,english,non-ascii \
//! cargo bench -p textmeter-bench --bench textmeter -- \
//!     --warm-up-time 1 --measurement-time 3 --sample-size 10 tokenize/
//! ```

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{
    criterion_main, BatchSize, Bencher, BenchmarkId, Criterion, Throughput,
};
use textmeter::analyzer::{Analyzer, AnalyzerConfig, DEFAULT_SIGNATURE_K};
use textmeter::counts::{count, Counts};
use textmeter::hash::token_hash;
use textmeter::lexicon::{
    BuiltinLexicon, Lexicon, Matcher, ParseOptions, MAX_WILDCARD_LEN,
    NEWS_STANCE_TSV,
};
use textmeter::ngram::{gram_hash, NgramConfig, NgramSet, MAX_CAPACITY};
use textmeter::tokenize::{for_each_token, Tokenizer, TokenizerConfig};
use textmeter_bench::hash_floor::HashFloor;
use textmeter_bench::{inputs, Input};
use unicode_segmentation::UnicodeSegmentation;

/// Whether [`now`] reads wall time (`TEXTMETER_BENCH_CLOCK=wall`) rather
/// than the thread's CPU time.
fn wall_clock() -> bool {
    static WALL: OnceLock<bool> = OnceLock::new();
    *WALL.get_or_init(|| {
        !cfg!(unix)
            || std::env::var("TEXTMETER_BENCH_CLOCK")
                .is_ok_and(|v| v == "wall")
    })
}

/// The calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`).
#[cfg(unix)]
#[allow(unsafe_code)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the call.
    let r =
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(r, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    unreachable!("wall_clock() is always true off unix")
}

/// The benches' clock reading: thread CPU time by default, so that the
/// other processes of a shared machine (which deschedule this one) do not
/// count; wall time since the first reading with
/// `TEXTMETER_BENCH_CLOCK=wall`. Cache and memory-bandwidth interference
/// from those processes still shows in either.
fn now() -> Duration {
    static START: OnceLock<Instant> = OnceLock::new();
    if wall_clock() {
        START.get_or_init(Instant::now).elapsed()
    } else {
        thread_cpu_time()
    }
}

/// The criterion measurement reading [`now`]; values are durations, shown
/// like criterion's own wall time.
struct Clock {
    wall: WallTime,
}

impl Measurement for Clock {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        now()
    }

    fn end(&self, start: Duration) -> Duration {
        now().saturating_sub(start)
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// The criterion configuration of every group.
fn config() -> Criterion<Clock> {
    eprintln!(
        "note: clock: {}",
        if wall_clock() { "wall time" } else { "thread CPU time" }
    );
    Criterion::default().with_measurement(Clock { wall: WallTime })
}

/// The inputs that are valid UTF-8, with their `&str` view for the rows
/// that need one.
///
/// NOTE: the `str` rows get their UTF-8 validation for free (it is done
/// here, outside the timed loop), while textmeter validates as it goes;
/// this favours the baselines, so ratios are conservative.
///
/// Loaded once for all groups (the corpus is read from disk).
/// `TEXTMETER_BENCH_INPUTS=seeds,english` keeps only the inputs named
/// (the setup of the large inputs takes a while even when a filter
/// skips their rows).
fn utf8_inputs() -> &'static [(Input, String)] {
    static INPUTS: OnceLock<Vec<(Input, String)>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let only = std::env::var("TEXTMETER_BENCH_INPUTS").ok();
        inputs()
            .into_iter()
            .filter(|input| match only.as_deref() {
                None => true,
                Some(o) => o.split(',').any(|n| n == input.name),
            })
            .map(|input| {
                let s = String::from_utf8(input.text.clone())
                    .unwrap_or_else(|_| panic!("{}: not UTF-8", input.name));
                (input, s)
            })
            .collect()
    })
}

/// Tokenizer alone (no-op sink) vs unicode-segmentation's `unicode_words`
/// (same UAX #29 rules, the baseline) vs naive `split_whitespace`.
fn tokenize(c: &mut Criterion<Clock>) {
    let config = TokenizerConfig::default();
    let mut group = c.benchmark_group("tokenize");
    for (input, text) in utf8_inputs() {
        group.throughput(Throughput::Bytes(input.text.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("textmeter", input.name),
            &input.text,
            |b, bytes| {
                b.iter(|| {
                    for_each_token(black_box(bytes), &config, |t| {
                        black_box(t);
                    })
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("unicode-segmentation", input.name),
            text,
            |b, s| b.iter(|| black_box(s).unicode_words().count()),
        );
        group.bench_with_input(
            BenchmarkId::new("split-whitespace", input.name),
            text,
            |b, s| b.iter(|| black_box(s).split_whitespace().count()),
        );
    }
    group.finish();
}

/// Naive std equivalent of [`count`]: chars, lines, and tokens split at
/// non-alphanumeric characters, classified as words or numbers.
fn naive_counts(s: &str) -> [u64; 5] {
    let chars = s.chars().count() as u64;
    let lines = s.bytes().filter(|&b| b == b'\n').count() as u64;
    let (mut words, mut numbers) = (0, 0);
    for token in s.split(|c: char| !c.is_alphanumeric()) {
        if token.chars().any(char::is_alphabetic) {
            words += 1;
        } else if !token.is_empty() {
            numbers += 1;
        }
    }
    [s.len() as u64, chars, lines, words, numbers]
}

/// `textmeter::counts::count` vs [`naive_counts`].
fn counts(c: &mut Criterion<Clock>) {
    let config = TokenizerConfig::default();
    let mut group = c.benchmark_group("counts");
    for (input, text) in utf8_inputs() {
        group.throughput(Throughput::Bytes(input.text.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("textmeter", input.name),
            &input.text,
            |b, bytes| b.iter(|| count(black_box(bytes), &config)),
        );
        group.bench_with_input(
            BenchmarkId::new("naive-std", input.name),
            text,
            |b, s| b.iter(|| naive_counts(black_box(s))),
        );
    }
    group.finish();
}

// ---------------------------------------------------------------------
// Shared helpers of the n-gram, lexicon, pipeline and merge groups.
// ---------------------------------------------------------------------

/// The n-gram range every group counts.
const LO: u8 = 1;
/// The largest `n` counted.
const HI: u8 = 3;

/// Per-table capacity small enough that Space-Saving evicts on almost
/// every new bigram and trigram of every input but the seeds.
const EVICTING_CAPACITY: u32 = 1024;

/// Naive tokens: split at non-alphanumeric characters, lowercased, one
/// `String` each (what a straightforward std program does).
fn naive_tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Naive 1..=3-gram counter: a std `HashMap` keyed by token slices.
fn naive_ngrams(tokens: &[String]) -> [HashMap<&[String], u64>; 3] {
    let mut maps: [HashMap<&[String], u64>; 3] = Default::default();
    for (n, map) in (1..=3).zip(maps.iter_mut()) {
        for gram in tokens.windows(n) {
            *map.entry(gram).or_insert(0) += 1;
        }
    }
    maps
}

/// The number of distinct `n`-grams of `text` for `n` in `LO..=HI`, under
/// the analyzer's default tokenizer (64-bit gram hashes; a collision
/// would undercount by one, hence the slack in [`exact_config`]).
fn distinct_grams(text: &[u8]) -> [usize; HI as usize] {
    let config = AnalyzerConfig::new().tokenizer();
    let mut sets: [HashSet<u64>; HI as usize] = Default::default();
    let mut last: Vec<u64> = Vec::new();
    for_each_token(text, &config, |t| {
        last.push(token_hash(t.norm()));
        if last.len() > HI as usize {
            last.remove(0);
        }
        for (n, set) in (1..=last.len()).zip(sets.iter_mut()) {
            set.insert(gram_hash(&last[last.len() - n..]));
        }
    });
    sets.map(|s| s.len())
}

/// An n-gram configuration whose tables hold every distinct gram of
/// `text`, so every count stays exact (checked after each run).
fn exact_config(text: &[u8]) -> NgramConfig {
    let distinct = distinct_grams(text);
    let mut cfg = NgramConfig::new(LO, HI);
    for (n, d) in (LO..=HI).zip(distinct) {
        let cap = (d + d / 64 + 16).min(MAX_CAPACITY as usize) as u32;
        cfg = cfg.with_capacity_for(n, cap);
    }
    cfg
}

/// Arena bytes per 1 M distinct n-grams (issue #3), printed once per
/// input when the exact configuration is built.
fn report_arena(name: &str, distinct: &[usize], cfg: &NgramConfig) {
    let distinct: usize = distinct.iter().sum();
    let bytes = cfg.bytes_needed();
    eprintln!(
        "note: {name}: exact 1..=3-gram arena {:.1} MB for {distinct} \
         distinct grams: {:.1} MB per 1 M distinct n-grams",
        bytes as f64 / 1e6,
        bytes as f64 / distinct.max(1) as f64,
    );
}

/// Times `run` on an analyzer that is reset (untimed) before each
/// iteration, so zeroing a large arena is not counted.
fn time_reset(
    b: &mut Bencher<'_, Clock>,
    a: &mut Analyzer<'_, '_>,
    text: &[u8],
    mut check: impl FnMut(&Analyzer<'_, '_>),
) {
    b.iter_custom(|iters| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            a.reset();
            let start = now();
            a.update(black_box(text));
            a.finish();
            total += now().saturating_sub(start);
            check(a);
        }
        total
    });
}

/// An analyzer configuration: the given n-grams, the default tokenizer
/// and negation, signatures off unless `signature`.
fn analyzer_config(ngrams: NgramConfig, signature: bool) -> AnalyzerConfig {
    let k = if signature { DEFAULT_SIGNATURE_K } else { 0 };
    AnalyzerConfig::new().with_ngrams(ngrams).with_signature_k(k)
}

/// Tokenize + counts + 1..=3-grams (the analyzer with no lexicon and no
/// signature): exact tables, Space-Saving tables that keep evicting, and
/// the CLI's default capacity (65,536 per `n`), vs a std `HashMap`
/// counter over naive tokens, and vs the floor under any exact counter
/// (gram hashes alone in prefetched tables: [`HashFloor`]).
fn ngrams(c: &mut Criterion<Clock>) {
    let mut group = c.benchmark_group("ngrams");
    for (input, text) in utf8_inputs() {
        let bytes = &input.text[..];
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let distinct = distinct_grams(bytes);
        let exact = exact_config(bytes);
        report_arena(input.name, &distinct, &exact);
        let rows = [
            ("textmeter-exact", exact),
            (
                "textmeter-evicting-1024",
                NgramConfig::new(LO, HI).with_capacity(EVICTING_CAPACITY),
            ),
            ("textmeter-default-65536", NgramConfig::new(LO, HI)),
        ];
        for (name, ngrams) in rows {
            let config = analyzer_config(ngrams, false);
            let mut arena = vec![0u8; config.bytes_needed()];
            let mut a = Analyzer::new(config, &mut arena, None).unwrap();
            let want_exact = name == "textmeter-exact";
            group.bench_function(BenchmarkId::new(name, input.name), |b| {
                time_reset(b, &mut a, bytes, |a| {
                    if want_exact {
                        assert!(a.ngrams().is_exact(), "{name}: not exact");
                    }
                })
            });
        }
        let mut floor = HashFloor::new(distinct);
        let tokenizer = AnalyzerConfig::new().tokenizer();
        group.bench_function(
            BenchmarkId::new("hash-floor", input.name),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        floor.clear();
                        let start = now();
                        let stored = floor.count(black_box(bytes), &tokenizer);
                        total += now().saturating_sub(start);
                        assert_eq!(stored, distinct, "hash-floor lost a gram");
                    }
                    total
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("hashmap-std", input.name),
            text,
            |b, s| {
                b.iter(|| {
                    let tokens = naive_tokens(black_box(s));
                    let maps = naive_ngrams(&tokens);
                    maps.iter().map(HashMap::len).sum::<usize>()
                })
            },
        );
    }
    group.finish();
}

/// The built-in lexicon's single-token, non-wildcard terms with their
/// weights (in thousandths), for the naive baseline.
fn builtin_words() -> HashMap<String, i64> {
    let text = std::str::from_utf8(NEWS_STANCE_TSV).unwrap();
    let mut words = HashMap::new();
    for line in text.lines() {
        let mut fields = line.split('\t');
        let (Some(term), Some(_category)) = (fields.next(), fields.next())
        else {
            continue;
        };
        if term.starts_with('#') || term.contains([' ', '*', '-']) {
            continue;
        }
        let weight = fields.next().map_or(1.0, |w| w.parse().unwrap_or(1.0));
        words.insert(term.to_lowercase(), (weight * 1000.0) as i64);
    }
    words
}

/// A generated 5,000-term native-TSV lexicon drawn from the vocabulary of
/// every input (so it hits on every script): evenly spaced distinct
/// tokens in byte order, 8 categories, one term in 10 a two-token term
/// and one in 20 a wildcard prefix.
fn generated_lexicon() -> &'static [u8] {
    static TEXT: OnceLock<Vec<u8>> = OnceLock::new();
    TEXT.get_or_init(|| {
        let config = AnalyzerConfig::new().tokenizer();
        let mut vocab: HashSet<Vec<u8>> = HashSet::new();
        for (input, _) in utf8_inputs() {
            for_each_token(&input.text, &config, |t| {
                if t.norm().len() >= 3 {
                    vocab.insert(t.norm().to_vec());
                }
            });
        }
        // Without the corpus (a fresh clone: seeds only) the text has too
        // few words: fill up with made-up ones, so the lexicon still has
        // 5,000 terms (its size is what this group measures).
        let want = 5000;
        let mut i = 0u32;
        while vocab.len() < want + want / 10 {
            let mut w = b"zq".to_vec();
            let mut n = i;
            loop {
                w.push(b'a' + (n % 26) as u8);
                n /= 26;
                if n == 0 {
                    break;
                }
            }
            vocab.insert(w);
            i += 1;
        }
        let mut vocab: Vec<Vec<u8>> = vocab.into_iter().collect();
        vocab.sort();
        let step = (vocab.len() / want).max(1);
        let mut out = b"#! name: generated-5000\n".to_vec();
        for (i, term) in vocab.iter().step_by(step).take(want).enumerate() {
            out.extend_from_slice(term);
            if i % 10 == 3 {
                out.push(b' ');
                out.extend_from_slice(&vocab[(i * 7919) % vocab.len()]);
            } else if i % 20 == 7 && term.len() <= MAX_WILDCARD_LEN {
                out.push(b'*');
            }
            let weight = (i % 7) as i32 - 3;
            out.extend_from_slice(
                format!("\tcat{}\t{weight}\n", i % 8).as_bytes(),
            );
        }
        out
    })
}

/// Tokenize + counts + token hash + lexicon matching, as the analyzer
/// drives the matcher (issue #4: at most 40 % over tokenize + counts).
fn score(text: &[u8], config: &TokenizerConfig, lex: Lexicon<'_>) -> i64 {
    let mut counts = Counts::default();
    let mut m = Matcher::new(lex);
    Tokenizer::new(*config).feed_last(text, |t| {
        counts.add_token(t);
        let norm = t.norm();
        m.push(norm, token_hash(norm), t.after_clause_break());
    });
    m.finish();
    let s = m.scores();
    s.iter().map(|c| c.score_milli()).sum::<i64>() + counts.tokens as i64
}

/// What the analyzer does per token before any consumer: normalised
/// tokens (which `count` does not build), counts and the token hash.
fn counts_hash(text: &[u8], config: &TokenizerConfig) -> u64 {
    let mut counts = Counts::default();
    let mut h = 0;
    Tokenizer::new(*config).feed_last(text, |t| {
        counts.add_token(t);
        h ^= token_hash(t.norm());
    });
    h ^ counts.tokens
}

/// Rows: `count` alone (the reference of issue #4); normalised tokens,
/// counts and token hash (what the matcher's input costs); that plus the
/// built-in lexicon; that plus a generated 5,000-term lexicon; vs naive
/// tokens looked up in a `HashMap` of the built-in's single-word terms.
fn lexicon(c: &mut Criterion<Clock>) {
    let config = AnalyzerConfig::new().tokenizer();
    let builtin = BuiltinLexicon::new();
    let gen_text = generated_lexicon();
    let opts = ParseOptions::default();
    let mut gen_mem =
        vec![0u8; Lexicon::bytes_needed(gen_text, &opts).unwrap()];
    let generated =
        Lexicon::parse_into(gen_text, &opts, &mut gen_mem).unwrap();
    // Terms that differ only in a wildcard could coincide; allow a few.
    assert!(generated.term_count() > 4900, "{}", generated.term_count());
    let words = builtin_words();
    let mut group = c.benchmark_group("lexicon");
    for (input, text) in utf8_inputs() {
        let bytes = &input.text[..];
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(
            BenchmarkId::new("counts-only", input.name),
            |b| b.iter(|| count(black_box(bytes), &config)),
        );
        group.bench_function(
            BenchmarkId::new("counts+norm+hash", input.name),
            |b| b.iter(|| counts_hash(black_box(bytes), &config)),
        );
        for (name, lex) in [
            ("textmeter-builtin", builtin.lexicon()),
            ("textmeter-generated-5000", generated),
        ] {
            group.bench_function(BenchmarkId::new(name, input.name), |b| {
                b.iter(|| score(black_box(bytes), &config, lex))
            });
        }
        group.bench_with_input(
            BenchmarkId::new("hashmap-std", input.name),
            text,
            |b, s| {
                b.iter(|| {
                    naive_tokens(black_box(s))
                        .iter()
                        .filter_map(|t| words.get(t))
                        .sum::<i64>()
                })
            },
        );
    }
    group.finish();
}

/// The full pipeline (the CLI's work for one file, minus reading and
/// printing): counts, 1..=3-grams, signature and the built-in lexicon.
/// Rows: the CLI's defaults (65,536 entries per `n`), exact tables, and
/// the naive std equivalent of counts + n-grams + lexicon.
fn pipeline(c: &mut Criterion<Clock>) {
    let builtin = BuiltinLexicon::new();
    let words = builtin_words();
    let mut group = c.benchmark_group("pipeline");
    for (input, text) in utf8_inputs() {
        let bytes = &input.text[..];
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let rows = [
            ("textmeter-default", AnalyzerConfig::new()),
            ("textmeter-exact", analyzer_config(exact_config(bytes), true)),
        ];
        for (name, config) in rows {
            let mut arena = vec![0u8; config.bytes_needed()];
            let lex = Some(builtin.lexicon());
            let mut a = Analyzer::new(config, &mut arena, lex).unwrap();
            group.bench_function(BenchmarkId::new(name, input.name), |b| {
                time_reset(b, &mut a, bytes, |_| {})
            });
        }
        group.bench_with_input(
            BenchmarkId::new("hashmap-std", input.name),
            text,
            |b, s| {
                b.iter(|| {
                    let counts = naive_counts(black_box(s));
                    let tokens = naive_tokens(s);
                    let maps = naive_ngrams(&tokens);
                    let score: i64 =
                        tokens.iter().filter_map(|t| words.get(t)).sum();
                    (
                        counts,
                        maps.iter().map(HashMap::len).sum::<usize>(),
                        score,
                    )
                })
            },
        );
    }
    group.finish();
}

/// 1..=3-gram counters of one text, as an n-gram set.
fn ngram_set(text: &[u8], config: NgramConfig) -> NgramSet<Vec<u8>> {
    let mut set = NgramSet::new(vec![0u8; config.bytes_needed()], config)
        .expect("valid configuration");
    let tokenizer = AnalyzerConfig::new().tokenizer();
    for_each_token(text, &tokenizer, |t| {
        set.push(t.norm(), token_hash(t.norm()));
    });
    set.end_document();
    set
}

/// Naive joined-bytes n-gram counter of one text, for the merge baseline.
fn naive_map(text: &str) -> HashMap<Vec<String>, u64> {
    let tokens = naive_tokens(text);
    let mut map = HashMap::new();
    for (n, m) in naive_ngrams(&tokens).into_iter().enumerate() {
        debug_assert!(n < 3);
        for (gram, count) in m {
            *map.entry(gram.to_vec()).or_insert(0) += count;
        }
    }
    map
}

/// Merge of two large 1..=3-gram counters, the two halves of the input
/// (split at a line break): exact tables sized for the union, the
/// default 65,536-entry tables (Space-Saving merge), vs two std
/// `HashMap`s. The copy of the left side each merge consumes is made
/// outside the timed part. Throughput is the input's bytes (both halves).
fn merge(c: &mut Criterion<Clock>) {
    let mut group = c.benchmark_group("merge");
    for (input, text) in utf8_inputs() {
        let bytes = &input.text[..];
        let half = &bytes[..bytes.len() / 2];
        let mid = half.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let (left, right) = (&text[..mid], &text[mid..]);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let rows = [
            ("textmeter-exact", exact_config(bytes)),
            ("textmeter-default-65536", NgramConfig::new(LO, HI)),
        ];
        for (name, config) in rows {
            let a = ngram_set(left.as_bytes(), config);
            let b_set = ngram_set(right.as_bytes(), config);
            group.bench_function(BenchmarkId::new(name, input.name), |b| {
                b.iter_batched_ref(
                    || a.clone(),
                    |a| a.merge(black_box(&b_set)).unwrap(),
                    BatchSize::PerIteration,
                )
            });
            if name == "textmeter-exact" {
                let mut m = a.clone();
                m.merge(&b_set).unwrap();
                assert!(m.is_exact(), "merge of exact tables is not exact");
            }
        }
        let a = naive_map(left);
        let b_map = naive_map(right);
        group.bench_function(
            BenchmarkId::new("hashmap-std", input.name),
            |b| {
                b.iter_batched_ref(
                    || a.clone(),
                    |a| {
                        for (gram, count) in black_box(&b_map) {
                            *a.entry(gram.clone()).or_insert(0) += count;
                        }
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    group.finish();
}

/// The benchmark list. `criterion_group!` defines an undocumented public
/// function, hence the module and its `allow`.
#[allow(missing_docs)]
mod group {
    use super::config;
    use super::{counts, lexicon, merge, ngrams, pipeline, tokenize};
    criterion::criterion_group! {
        name = benches;
        config = config();
        targets = tokenize, counts, ngrams, lexicon, pipeline, merge
    }
}

criterion_main!(group::benches);
