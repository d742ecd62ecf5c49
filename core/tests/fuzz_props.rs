//! The fuzz targets' invariants as property tests on stable: proptest
//! generates structured inputs (mixed-script text with invalid bytes,
//! lexicon-like lines, n-gram operation streams) in each target's input
//! layout and runs the same checks (`core/fuzz/src/lib.rs`). The case
//! count follows `PROPTEST_CASES` (default 256; CI raises it), half of it
//! for lexicons and an eighth for the heavier n-gram and whole-engine
//! targets.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use proptest::prelude::*;

/// Pieces of text that exercise the tokenizer: words, numbers with
/// separators, apostrophes, clause punctuation, CJK, emoji sequences,
/// combining marks, blanks, NUL, BOM, CR, and invalid sequences.
const PIECES: &[&[u8]] = &[
    b"word",
    b"Russia",
    b"130,000",
    b"3.14",
    b"U.S.",
    b"can't",
    "Russia\u{2019}s".as_bytes(),
    b" ",
    b"  ",
    b"\n",
    b"\r\n",
    b"\t",
    b". ",
    b"! ",
    b"; ",
    b"-",
    b"_",
    "\u{a0}".as_bytes(),
    "Stra\u{df}e".as_bytes(),
    "\u{c4}RGER".as_bytes(),
    "\u{420}\u{43e}\u{441}\u{441}\u{438}\u{44f}".as_bytes(),
    "\u{4e2d}\u{6587}".as_bytes(),
    "\u{30ab}\u{30bf}\u{30ab}\u{30ca}".as_bytes(),
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd}".as_bytes(),
    "e\u{301}".as_bytes(),
    "\u{301}".as_bytes(),
    "\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}".as_bytes(),
    "\u{1f1e9}\u{1f1ea}\u{1f1fa}".as_bytes(),
    "\u{200d}".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{2026}".as_bytes(),
    "\u{3002}".as_bytes(),
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xf0\x9f\x98",
    b"not",
    b"no",
    b"attack",
    b"talks",
    b"troops",
    b"sanctions",
    b"false flag",
    b"de-escalation",
];

fn text(max: usize) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => (0..PIECES.len()).prop_map(|i| PIECES[i].to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..4),
        1 => (1usize..300).prop_map(|n| vec![b'x'; n]),
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

fn cases(div: u32) -> u32 {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256u32);
    (n / div).max(16)
}

fn with(head: &[u8], body: &[u8]) -> Vec<u8> {
    [head, body].concat()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1)))]

    #[test]
    fn tokenize_chunks(op: u8, seed: u8, body in text(40)) {
        checks::tokenize_chunks(&with(&[op, seed], &body));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2)))]

    #[test]
    fn lexicon_parse(
        op: u8,
        lines in proptest::collection::vec(
            "(#! (name|negators|window|factor): [a-z0-9 .*'-]{0,8}|%|[%#!a-c *'\t0-9.:-]{0,14}|[a-c' -]{1,9}\t[a-c]{1,3}(\t-?[0-9]{1,2}(\\.[0-9]{1,4})?)?)",
            0..14),
        body in text(20),
    ) {
        let mut data = vec![op];
        for l in &lines {
            data.extend_from_slice(l.as_bytes());
            data.push(b'\n');
        }
        data.push(0);
        data.extend_from_slice(&body);
        checks::lexicon_parse(&data);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(8)))]

    #[test]
    fn ngram_ops(
        a: u8,
        b: u8,
        ops in proptest::collection::vec(
            prop_oneof![
                // Mostly pushes of the small vocabulary, so grams repeat.
                6 => (0u8..12, 0u8..3, any::<bool>())
                    .prop_map(|(w, k, s)| w << 4 | k << 1 | u8::from(s)),
                1 => any::<u8>(),
            ],
            0..200),
    ) {
        checks::ngram_ops(&with(&[a, b], &ops));
    }

    #[test]
    fn analyzer(
        a: u8,
        b: u8,
        c: u8,
        seed: u8,
        docs: u8,
        body in text(60),
    ) {
        checks::analyzer(&with(&[a, b, c, seed, docs], &body));
    }

    #[test]
    fn deserialize(
        a: u8,
        b: u8,
        c: u8,
        edits in proptest::collection::vec(any::<(u16, u8)>(), 0..=15),
        body in text(40),
    ) {
        let mut data = vec![a, b, c, 0, edits.len() as u8];
        for (at, x) in edits {
            data.extend_from_slice(&at.to_le_bytes());
            data.push(x);
        }
        checks::deserialize(&with(&data, &body));
    }
}
