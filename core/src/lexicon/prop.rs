//! Property tests: arbitrary bytes never panic, and the matcher agrees with
//! a naive oracle that scans every term at every position.

use std::collections::BTreeMap;
use std::string::String;
use std::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::hash::token_hash;

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        fuzz_parse_and_score(&data);
    }

    #[test]
    fn lexicon_like_bytes_never_panic(
        op in any::<u8>(),
        lines in proptest::collection::vec(
            "[%#! a-c*\t0-9.:\\-]{0,12}", 0..12),
        text in "[a-c !.n't]{0,40}",
    ) {
        let mut data = std::vec![op];
        for l in &lines {
            data.extend_from_slice(l.as_bytes());
            data.push(b'\n');
        }
        data.push(0);
        data.extend_from_slice(text.as_bytes());
        fuzz_parse_and_score(&data);
    }

    #[test]
    fn matcher_agrees_with_oracle(
        terms in proptest::collection::vec(
            (proptest::collection::vec(0..VOCAB.len(), 1..4),
             any::<bool>(), 0..3u8, -3..4i32),
            0..12),
        text in proptest::collection::vec((0..VOCAB.len(), any::<bool>()), 0..40),
    ) {
        let mut lex_text = String::new();
        for (toks, wild, cat, w) in &terms {
            let words: Vec<&str> = toks.iter().map(|&i| VOCAB[i]).collect();
            lex_text += &words.join(" ");
            if *wild {
                lex_text.push('*');
            }
            lex_text += &std::format!("\tc{cat}\t{w}\n");
        }
        // Fix the category order so indices agree with the oracle's.
        let header = "#! name: t\n";
        let full = std::format!("{header}{}", lex_text);
        let mut mem = std::vec![0u8; 1 << 14];
        let opts = ParseOptions::default();
        let lex = Lexicon::parse_into(full.as_bytes(), &opts, &mut mem).unwrap();
        let mut m = Matcher::new(lex);
        for &(i, brk) in &text {
            let t = VOCAB[i].as_bytes();
            m.push(t, token_hash(t), brk);
        }
        m.finish();
        let want = naive(&terms, &text);
        for c in m.scores().iter() {
            let name = String::from_utf8(c.name().to_vec()).unwrap();
            let w = want.get(&name).copied().unwrap_or_default();
            prop_assert_eq!((c.hits(), c.negated(), c.score_milli()), w, "{}", name);
        }
    }
}

const VOCAB: &[&str] =
    &["a", "ab", "abc", "b", "ba", "not", "no", "don't", "x", "é", "éa"];

type Term = (Vec<usize>, bool, u8, i32);
/// Rank of a candidate (length, exact last token, prefix length) and its
/// weights by category.
type Best<'a> = Option<((usize, bool, usize), &'a BTreeMap<u8, i32>)>;

/// Leftmost-longest by brute force over every term.
fn naive(
    terms: &[Term],
    text: &[(usize, bool)],
) -> BTreeMap<String, (u64, u64, i64)> {
    // (tokens, wild) -> category -> weight (the later line wins).
    let mut dict: BTreeMap<(Vec<usize>, bool), BTreeMap<u8, i32>> =
        BTreeMap::new();
    for (toks, wild, cat, w) in terms {
        dict.entry((toks.clone(), *wild)).or_default().insert(*cat, *w);
    }
    let tok = |i: usize| VOCAB[text[i].0];
    let mut out: BTreeMap<String, (u64, u64, i64)> = BTreeMap::new();
    let mut last_neg: Option<usize> = None;
    let mut pos = 0;
    while pos < text.len() {
        // Rank: (length, exact last token, prefix length).
        let mut best: Best<'_> = None;
        for ((toks, wild), cats) in &dict {
            let n = toks.len();
            if pos + n > text.len() {
                continue;
            }
            let ok = (0..n).all(|j| {
                let t = tok(pos + j);
                let term = VOCAB[toks[j]];
                let tok_ok = if *wild && j + 1 == n {
                    t.starts_with(term)
                } else {
                    t == term
                };
                tok_ok && (j == 0 || !text[pos + j].1)
            });
            if !ok {
                continue;
            }
            let rank = (n, !*wild, VOCAB[toks[n - 1]].len());
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, cats));
            }
        }
        let len = best.as_ref().map_or(1, |(r, _)| r.0);
        for j in 0..len {
            let p = pos + j;
            if text[p].1 {
                last_neg = None;
            }
            if j == 0 {
                if let Some((_, cats)) = &best {
                    let negated = last_neg.is_some_and(|q| p - q <= 3);
                    for (cat, w) in *cats {
                        let e = out.entry(std::format!("c{cat}")).or_default();
                        e.0 += 1;
                        if negated {
                            e.1 += 1;
                            e.2 -= i64::from(*w) * 1000;
                        } else {
                            e.2 += i64::from(*w) * 1000;
                        }
                    }
                }
            }
            let t = tok(p);
            let negator = ["not", "no"].contains(&t) || t.ends_with("n't");
            if best.is_none() && negator {
                last_neg = Some(p);
            }
        }
        pos += len;
    }
    out
}
