use super::*;
use crate::lexicon::BuiltinLexicon;
use crate::ngram::Entry;
use crate::tokenize::tests_support::SEEDS;
use std::vec;
use std::vec::Vec;

const SMALL: AnalyzerConfig = AnalyzerConfig::new().with_ngram_capacity(4096);

/// One table: total, exact, every (hash, count, error), sorted.
type Table = (u64, bool, Vec<(u64, u64, u64)>);

/// Everything observable about an analyzer, owned and comparable.
#[derive(Debug, PartialEq)]
struct Snapshot {
    counts: Counts,
    types: Option<(u64, bool)>,
    /// Per n: total, exact, every (hash, count, error), sorted.
    tables: Vec<Table>,
    signature: Vec<u64>,
    /// Per category: hits, negated, score in thousandths; token count.
    scores: Vec<(u64, u64, i64)>,
    score_tokens: u64,
}

fn snapshot(a: &Analyzer<'_, '_>) -> Snapshot {
    let cfg = a.config().ngrams();
    let tables = (cfg.lo()..=cfg.hi())
        .map(|n| {
            let t = a.ngrams().table(n as usize).unwrap();
            let mut e: Vec<_> = t
                .entries()
                .map(|e| (e.hash(), e.count(), e.error()))
                .collect();
            e.sort_unstable();
            (t.total(), t.is_exact(), e)
        })
        .collect();
    let (scores, score_tokens) = match a.scores() {
        Some(s) => (
            s.iter()
                .map(|c| (c.hits(), c.negated(), c.score_milli()))
                .collect(),
            s.tokens(),
        ),
        None => (Vec::new(), 0),
    };
    Snapshot {
        counts: a.counts(),
        types: a.types().map(|t| (t.types(), t.types_exact())),
        tables,
        signature: a.signature().map_or(Vec::new(), |s| s.hashes().collect()),
        scores,
        score_tokens,
    }
}

/// A tiny deterministic generator for split points.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn one_shot(cfg: AnalyzerConfig, docs: &[&[u8]]) -> Snapshot {
    let lex = BuiltinLexicon::new();
    let mut mem = vec![0u8; cfg.bytes_needed()];
    let mut a = Analyzer::new(cfg, &mut mem, Some(lex.lexicon())).unwrap();
    for d in docs {
        a.update(d);
        a.finish();
    }
    snapshot(&a)
}

#[test]
fn chunked_equals_one_shot_for_random_splits() {
    let lex = BuiltinLexicon::new();
    let mut mem = vec![0u8; SMALL.bytes_needed()];
    let mut rng = Lcg(42);
    for (name, text) in SEEDS {
        let whole = one_shot(SMALL, &[text]);
        assert!(whole.counts.tokens > 100, "{name}");
        let mut a =
            Analyzer::new(SMALL, &mut mem, Some(lex.lexicon())).unwrap();
        for round in 0..20 {
            a.reset();
            let mut rest = text;
            while !rest.is_empty() {
                // Mostly small pieces, sometimes big ones.
                let max = if rng.below(4) == 0 { 4096 } else { 12 };
                let at = (1 + rng.below(max)).min(rest.len());
                a.update(&rest[..at]);
                rest = &rest[at..];
            }
            a.finish();
            assert_eq!(snapshot(&a), whole, "{name} round {round}");
        }
    }
}

#[test]
fn merge_equals_two_documents_in_one_analyzer() {
    let lex = BuiltinLexicon::new();
    for i in 0..SEEDS.len() {
        let (x, y) = (SEEDS[i].1, SEEDS[(i + 1) % SEEDS.len()].1);
        let together = one_shot(SMALL, &[x, y]);
        let (mut m1, mut m2) =
            (vec![0u8; SMALL.bytes_needed()], vec![0u8; SMALL.bytes_needed()]);
        let mut a =
            Analyzer::new(SMALL, &mut m1, Some(lex.lexicon())).unwrap();
        let mut b =
            Analyzer::new(SMALL, &mut m2, Some(lex.lexicon())).unwrap();
        // `a` is left mid-document: merge ends it.
        a.update(x);
        b.update(y);
        b.finish();
        a.merge(&b).unwrap();
        assert_eq!(snapshot(&a), together, "seeds {i} and {}", i + 1);
    }
}

#[test]
fn merge_of_all_seeds_in_any_order_is_exact_while_tables_fit() {
    let docs: Vec<&[u8]> = SEEDS.iter().map(|s| s.1).collect();
    let together = one_shot(SMALL, &docs);
    assert!(together.tables.iter().all(|t| t.1), "tables exact");
    let lex = BuiltinLexicon::new();
    let mut mems: Vec<Vec<u8>> =
        (0..6).map(|_| vec![0u8; SMALL.bytes_needed()]).collect();
    let (total_mem, doc_mems) = mems.split_first_mut().unwrap();
    let mut total =
        Analyzer::new(SMALL, total_mem, Some(lex.lexicon())).unwrap();
    let mut parts: Vec<Analyzer<'_, '_>> = doc_mems
        .iter_mut()
        .zip(&docs)
        .map(|(m, d)| {
            let mut a = Analyzer::new(SMALL, m, Some(lex.lexicon())).unwrap();
            a.update(d);
            a.finish();
            a
        })
        .collect();
    parts.reverse();
    for p in &parts {
        total.merge(p).unwrap();
    }
    assert_eq!(snapshot(&total), together);
}

#[test]
fn arena_too_small_is_an_error_never_a_panic() {
    for cfg in [SMALL, SMALL.with_signature_k(0), AnalyzerConfig::new()] {
        let need = cfg.bytes_needed();
        for len in [0, 1, need / 2, need - 8, need - 1] {
            let mut mem = vec![0u8; len];
            let e = Analyzer::new(cfg, &mut mem, None).unwrap_err();
            assert_eq!(e.kind(), AnalyzerErrorKind::ArenaTooSmall);
            assert_eq!((e.needed(), e.given()), (need, len));
            assert_eq!(
                std::format!("{e}"),
                std::format!(
                    "arena too small: {need} bytes needed, {len} given"
                )
            );
        }
        let mut mem = vec![0u8; need];
        assert!(Analyzer::new(cfg, &mut mem, None).is_ok());
    }
}

#[test]
fn invalid_configurations_are_errors() {
    let bad_tok = SMALL.with_tokenizer(TokenizerConfig {
        max_token_len: 0,
        ..TokenizerConfig::default()
    });
    let bad_ngram = SMALL.with_ngrams(NgramConfig::new(2, 1));
    for cfg in [bad_tok, bad_ngram] {
        let e = cfg.try_bytes_needed().unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::InvalidConfig);
        let mut mem = vec![0u8; 1 << 16];
        let e = Analyzer::new(cfg, &mut mem, None).unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::InvalidConfig);
        assert!(std::format!("{e}").starts_with("invalid "));
    }
}

#[test]
fn merge_mismatches_are_errors_and_change_nothing() {
    let lex = BuiltinLexicon::new();
    let other_tsv = b"#! name: other\nattack\tescalation\n";
    let mut lex_mem = [0u8; 4096];
    let other_lex = Lexicon::parse_into(
        other_tsv,
        &crate::lexicon::ParseOptions::default(),
        &mut lex_mem,
    )
    .unwrap();
    let k0 = SMALL.with_signature_k(0);
    let mut m = [(); 4].map(|_| vec![0u8; SMALL.bytes_needed()]);
    let [m0, m1, m2, m3] = &mut m;
    let mut a = Analyzer::new(SMALL, m0, Some(lex.lexicon())).unwrap();
    a.update(SEEDS[0].1);
    a.finish();
    let before = snapshot(&a);
    let b = Analyzer::new(k0, m1, Some(lex.lexicon())).unwrap();
    let c = Analyzer::new(SMALL, m2, Some(other_lex)).unwrap();
    let d = Analyzer::new(SMALL, m3, None).unwrap();
    for other in [&b, &c, &d] {
        let e = a.merge(other).unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::ConfigMismatch);
        assert_eq!(snapshot(&a), before);
    }
}

/// An analyzer still holding undecided text (a cut word, a cut
/// character, a term the next token may complete) is refused by every
/// merge, which changes nothing; once finished it merges. It was merged
/// without what it held, silently.
#[test]
fn merging_an_unfinished_analyzer_is_refused() {
    let lex = BuiltinLexicon::new();
    let mut m = [(); 2].map(|_| vec![0u8; SMALL.bytes_needed()]);
    let [m0, m1] = &mut m;
    let mut a = Analyzer::new(SMALL, m0, Some(lex.lexicon())).unwrap();
    a.update(SEEDS[0].1);
    a.finish();
    let before = snapshot(&a);
    let mut b = Analyzer::new(SMALL, m1, Some(lex.lexicon())).unwrap();
    for chunk in
        [&b"one two thr"[..], b"ee \xf0\x9f", b"\x99\x82 troops will pull"]
    {
        b.update(chunk);
        assert!(b.has_undecided(), "{chunk:?}");
        let e = a.merge(&b).unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::Unfinished);
        assert_eq!(
            std::format!("{e}"),
            "cannot merge: the other analyzer holds undecided text \
             (finish its document first)"
        );
        {
            let mut table = a.split_mut().tables.next().unwrap();
            assert_eq!(
                table.merge(&b).unwrap_err().kind(),
                AnalyzerErrorKind::Unfinished
            );
        }
        assert_eq!(snapshot(&a), before);
    }
    b.finish();
    assert!(!b.has_undecided());
    a.merge(&b).unwrap();
    assert_eq!(a.counts().tokens, before.counts.tokens + 6);
}

#[test]
fn reset_equals_a_fresh_analyzer() {
    let lex = BuiltinLexicon::new();
    let cfg = SMALL.with_negation(false);
    let mut mem = vec![0u8; cfg.bytes_needed()];
    let mut a = Analyzer::new(cfg, &mut mem, Some(lex.lexicon())).unwrap();
    a.update(SEEDS[1].1);
    a.reset();
    a.update(SEEDS[2].1);
    a.finish();
    assert_eq!(snapshot(&a), one_shot(cfg, &[SEEDS[2].1]));
}

#[test]
fn negation_switch_reaches_the_matcher() {
    let text = b"They did not attack. Talks go on.";
    let on = one_shot(SMALL, &[text]);
    let off = one_shot(SMALL.with_negation(false), &[text]);
    let esc = 0; // the built-in lexicon's first category
    assert_eq!(on.scores[esc], (1, 1, 1000));
    assert_eq!(off.scores[esc], (1, 0, -1000));
}

#[test]
fn small_capacities_degrade_to_estimates_with_bounds() {
    let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    let docs: Vec<&[u8]> = SEEDS.iter().map(|s| s.1).collect();
    let s = one_shot(cfg, &docs);
    let exact = one_shot(SMALL, &docs);
    assert_eq!(s.counts, exact.counts);
    assert_eq!(s.signature, exact.signature);
    assert_eq!(s.scores, exact.scores);
    let (types, types_exact) = s.types.unwrap();
    assert!(!types_exact);
    let truth = exact.types.unwrap().0 as f64;
    assert!((types as f64 - truth).abs() / truth < 0.1);
    for (t, e) in s.tables.iter().zip(&exact.tables) {
        assert_eq!(t.0, e.0, "totals stay exact");
        assert!(!t.1);
    }
}

/// Pins the numbers of the seeds (update with care: the CLI's golden JSON
/// depends on the same values).
#[test]
fn seeds_produce_stable_numbers() {
    let lex = BuiltinLexicon::new();
    let mut mem = vec![0u8; SMALL.bytes_needed()];
    let mut a = Analyzer::new(SMALL, &mut mem, Some(lex.lexicon())).unwrap();
    let mut out = std::string::String::new();
    for (name, text) in SEEDS {
        a.reset();
        a.update(text);
        a.finish();
        let c = a.counts();
        let mut top = [Entry::default(); 1];
        let bigrams = a.ngrams().table(2).unwrap();
        bigrams.top_into(&mut top);
        let s = a.scores().unwrap();
        let sig = a.signature().unwrap().hashes().next().unwrap();
        out += &std::format!(
            "{name} tokens={} words={} numbers={} types={} lines={} \
             top2=\"{}\"x{} esc={}/{} sig0={sig:016x}\n",
            c.tokens,
            c.words,
            c.numbers,
            a.types().unwrap().types(),
            c.lines,
            top[0].gram().unwrap(),
            top[0].count(),
            s.category(0).unwrap().hits(),
            s.category(0).unwrap().score_milli(),
        );
    }
    assert_eq!(out, EXPECTED_SEEDS);
}

const EXPECTED_SEEDS: &str = "\
000 tokens=674 words=668 numbers=6 types=329 lines=19 top2=\"it is\"x4 esc=20/-18000 sig0=00c11f12d8eb5e3d
001 tokens=751 words=741 numbers=10 types=353 lines=22 top2=\"on february\"x5 esc=19/-17000 sig0=001a083102885231
002 tokens=391 words=386 numbers=5 types=206 lines=40 top2=\"on monday\"x5 esc=10/-10000 sig0=00f3112d7c8ece4c
003 tokens=1413 words=1395 numbers=18 types=559 lines=47 top2=\"of a\"x7 esc=67/-63000 sig0=0033fcb6f4860970
004 tokens=398 words=392 numbers=6 types=233 lines=30 top2=\"in a\"x3 esc=6/-6000 sig0=02e50816ae8c66b3
";

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Analyzer<'static, 'static>>();
    check::<AnalyzerConfig>();
    check::<AnalyzerError>();
    check::<AnalyzerRest<'static, 'static, 'static>>();
    check::<AnalyzerTable<'static>>();
}

/// Staging tokens ahead of their n-gram lookups changes no result: every
/// lookahead gives what counting each token at once (lookahead 0) gives,
/// with tables small enough to evict constantly and chunks split anywhere.
#[test]
fn lookahead_changes_nothing() {
    let docs: Vec<&[u8]> = SEEDS.iter().map(|s| s.1).collect();
    let base = AnalyzerConfig::new().with_ngram_capacity(24);
    let with = |k: u8| base.with_ngrams(base.ngrams().with_lookahead(k));
    let want = one_shot(with(0), &docs);
    for k in [1u8, 2, 3, 8, 16] {
        assert_eq!(one_shot(with(k), &docs), want, "lookahead {k}");
        // Tiny chunks: staging spans many `update` calls' worth of text.
        let lex = BuiltinLexicon::new();
        let cfg = with(k);
        let mut mem = vec![0u8; cfg.bytes_needed()];
        let mut a = Analyzer::new(cfg, &mut mem, Some(lex.lexicon())).unwrap();
        let mut rng = Lcg(u64::from(k));
        for d in &docs {
            let mut rest = *d;
            while !rest.is_empty() {
                let n = 1 + rng.below(40).min(rest.len() - 1);
                a.update(&rest[..n]);
                rest = &rest[n..];
            }
            a.finish();
        }
        assert_eq!(snapshot(&a), want, "lookahead {k}, chunked");
    }
    assert!(!want.tables[2].1, "the trigram table never evicted");
}

/// Merging documents into a total through its parts, one thread per
/// n-gram table and the rest on another, each part taking the documents in
/// order, gives exactly the total of `merge` in that order — also once the
/// tables are approximate, where the order matters.
#[test]
fn split_merges_equal_merges_in_order() {
    let lex = BuiltinLexicon::new();
    let docs: Vec<&[u8]> =
        SEEDS.iter().flat_map(|s| s.1.chunks(s.1.len() / 3 + 1)).collect();
    for cap in [40, 4096] {
        let cfg = AnalyzerConfig::new()
            .with_ngrams(NgramConfig::new(1, 4).with_capacity(cap));
        let mut mems: Vec<Vec<u8>> = (0..docs.len() + 2)
            .map(|_| vec![0u8; cfg.bytes_needed()])
            .collect();
        let (totals, doc_mems) = mems.split_at_mut(2);
        let [m0, m1] = totals else { unreachable!() };
        let analyzed: Vec<Analyzer<'_, '_>> = doc_mems
            .iter_mut()
            .zip(&docs)
            .map(|(m, d)| {
                let mut a =
                    Analyzer::new(cfg, m, Some(lex.lexicon())).unwrap();
                a.update(d);
                a.finish();
                a
            })
            .collect();
        let mut want = Analyzer::new(cfg, m0, Some(lex.lexicon())).unwrap();
        let mut got = Analyzer::new(cfg, m1, Some(lex.lexicon())).unwrap();
        for a in &analyzed {
            want.merge(a).unwrap();
        }
        let parts = got.split_mut();
        assert_eq!(parts.tables.len(), 4);
        let (mut rest, analyzed) = (parts.rest, &analyzed);
        std::thread::scope(|s| {
            for mut t in parts.tables {
                s.spawn(move || {
                    for a in analyzed {
                        t.merge(a).unwrap();
                    }
                });
            }
            for a in analyzed {
                rest.merge(a).unwrap();
            }
        });
        let exact = cap == 4096;
        assert_eq!(want.ngrams().is_exact(), exact, "capacity {cap}");
        assert_eq!(snapshot(&got), snapshot(&want), "capacity {cap}");
        let bytes = |a: &Analyzer<'_, '_>| {
            let mut out = vec![0u8; a.serialized_len()];
            a.serialize_into(&mut out).unwrap();
            out
        };
        assert_eq!(bytes(&got), bytes(&want), "capacity {cap}");
    }
}

/// A part given an analyzer of another configuration or lexicon says so
/// and changes nothing.
#[test]
fn split_merge_mismatches_are_errors_and_change_nothing() {
    let lex = BuiltinLexicon::new();
    let k0 = SMALL.with_signature_k(0);
    let mut m = [(); 3].map(|_| vec![0u8; SMALL.bytes_needed()]);
    let [m0, m1, m2] = &mut m;
    let mut a = Analyzer::new(SMALL, m0, Some(lex.lexicon())).unwrap();
    a.update(SEEDS[0].1);
    let other_config = Analyzer::new(k0, m1, Some(lex.lexicon())).unwrap();
    let no_lexicon = Analyzer::new(SMALL, m2, None).unwrap();
    a.finish();
    let before = snapshot(&a);
    let parts = a.split_mut();
    let mut rest = parts.rest;
    for other in [&other_config, &no_lexicon] {
        let e = rest.merge(other).unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::ConfigMismatch);
    }
    for mut t in parts.tables {
        let e = t.merge(&other_config).unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::ConfigMismatch);
    }
    assert_eq!(snapshot(&a), before);
}
