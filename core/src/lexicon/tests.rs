//! Hand-checked cases for the lexicon engine.

use super::*;
use crate::hash::token_hash;
use std::string::ToString;

#[test]
fn builtin_parses() {
    let n = Lexicon::bytes_needed(NEWS_STANCE_TSV, &ParseOptions::default())
        .unwrap();
    assert_eq!(n, BUILTIN_BYTES);
    let b = BuiltinLexicon::new();
    let lex = b.lexicon();
    assert_eq!(lex.name(), b"news-stance");
    assert_eq!(lex.format(), Format::Tsv);
    let names: [&[u8]; 5] =
        [b"escalation", b"deescalation", b"hedge", b"booster", b"attribution"];
    assert_eq!(lex.category_count(), names.len());
    for (i, n) in names.iter().enumerate() {
        assert_eq!(lex.category_name(i), Some(*n));
    }
    assert_eq!(lex.negation_window(), 3);
    assert_eq!(lex.negation_factor_milli(), -1000);
}

#[test]
fn builtin_has_enough_terms() {
    // Count term lines per category straight from the text.
    let mut counts = [0usize; 5];
    let (mut multi, mut wild) = (0, 0);
    for line in NEWS_STANCE_TSV.split(|&b| b == b'\n') {
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let mut f = line.split(|&b| b == b'\t');
        let term = f.next().unwrap();
        let cat = f.next().unwrap();
        let lex = BuiltinLexicon::new();
        let i = lex.lexicon().category_index(cat).unwrap();
        counts[i] += 1;
        multi += usize::from(term.contains(&b' '));
        wild += usize::from(term.ends_with(b"*"));
    }
    assert!(counts[0] >= 40 && counts[1] >= 40, "{counts:?}");
    assert!(counts[2..].iter().all(|&c| c >= 25), "{counts:?}");
    assert!(multi >= 10 && wild >= 10);
}

/// Scores `text` with the built-in lexicon: (hits, negated, score_milli)
/// of the named category.
fn builtin(text: &str, cat: &str) -> (u64, u64, i64) {
    let b = BuiltinLexicon::new();
    let m = b.lexicon().score_text(text);
    let c = m.scores().get(cat.as_bytes()).unwrap();
    (c.hits(), c.negated(), c.score_milli())
}

/// Compiles a small lexicon into a fresh buffer and scores a text.
fn with_lexicon(lexicon: &str, text: &str, cat: &str) -> (u64, u64, i64) {
    let mut mem = [0u8; 4096];
    let lex = Lexicon::parse_into(
        lexicon.as_bytes(),
        &ParseOptions::default(),
        &mut mem,
    )
    .unwrap();
    let m = lex.score_text(text);
    let c = m.scores().get(cat.as_bytes()).unwrap();
    (c.hits(), c.negated(), c.score_milli())
}

macro_rules! case {
    ($name:ident, $text:expr, $cat:expr, $want:expr) => {
        #[test]
        fn $name() {
            assert_eq!(builtin($text, $cat), $want, "{:?}", $text);
        }
    };
}

// Plain hits and weights.
case!(hit_single, "Troops massed.", "escalation", (1, 0, -1000));
case!(hit_two, "An attack and an invasion.", "escalation", (2, 0, -2000));
case!(hit_deesc, "Talks resumed.", "deescalation", (1, 0, 1000));
case!(hit_case_folded, "DIPLOMACY", "deescalation", (1, 0, 1000));
// Multi-word and wildcard precedence.
case!(multi_word, "They will step back now.", "deescalation", (1, 0, 1000));
case!(multi_word_hyphen, "A de-escalation.", "deescalation", (1, 0, 1000));
case!(multi_beats_parts, "Reducing the tensions.", "escalation", (0, 0, 0));
case!(
    multi_beats_parts2,
    "Reducing the tensions.",
    "deescalation",
    (1, 0, 1000)
);
case!(multi_prefix_only, "Reducing the risk.", "deescalation", (0, 0, 0));
case!(
    wildcard_hits,
    "Negotiations, negotiators.",
    "deescalation",
    (2, 0, 2000)
);
case!(exact_beats_wildcard, "Reportedly.", "hedge", (1, 0, 1000));
case!(exact_beats_wildcard2, "Reportedly.", "attribution", (0, 0, 0));
case!(wildcard_other, "Reporters asked.", "attribution", (2, 0, 2000));
case!(no_doubt_booster, "No doubt.", "booster", (1, 0, 1000));
case!(no_doubt_not_hedge, "No doubt.", "hedge", (0, 0, 0));
case!(doubt_hedge, "I doubt it.", "hedge", (1, 0, 1000));
case!(term_stops_at_clause, "Step. Back.", "deescalation", (0, 0, 0));
case!(wildcard_not_infix, "Unattackable.", "escalation", (0, 0, 0));
// Negation.
case!(neg_adjacent, "No attack.", "escalation", (1, 1, 1000));
case!(neg_window_edge, "Not a big attack.", "escalation", (1, 1, 1000));
case!(neg_outside_window, "Not in a big attack.", "escalation", (1, 0, -1000));
case!(neg_stopped_by_period, "Not now. Attack.", "escalation", (1, 0, -1000));
case!(neg_stopped_by_semicolon, "never; attack", "escalation", (1, 0, -1000));
case!(neg_stopped_by_colon, "never: attack", "escalation", (1, 0, -1000));
case!(neg_not_by_comma, "Never, attack", "escalation", (1, 1, 1000));
case!(neg_curly_nt, "They don\u{2019}t attack.", "escalation", (1, 1, 1000));
case!(neg_straight_nt, "They won't attack.", "escalation", (1, 1, 1000));
case!(neg_cannot, "We cannot invade.", "escalation", (1, 1, 1000));
case!(neg_without, "Talks without threats.", "escalation", (1, 1, 1000));
case!(
    neg_multiword_hit,
    "Not stepping, no step back.",
    "deescalation",
    (1, 1, -1000)
);
case!(neg_before_not_after, "Attack, not.", "escalation", (1, 0, -1000));
case!(
    neg_hit_in_hit_no_negate,
    "Without doubt troops came.",
    "escalation",
    (1, 0, -1000)
);
case!(
    neg_one_negator_two_hits,
    "No troops, no tanks.",
    "escalation",
    (2, 2, 2000)
);
case!(
    neg_window_counts_hit_start,
    "No troops tanks war.",
    "escalation",
    (3, 3, 3000)
);
case!(
    neg_window_ends,
    "Not one, two or three troops.",
    "escalation",
    (1, 0, -1000)
);

#[test]
fn negation_across_documents_is_forgotten() {
    let b = BuiltinLexicon::new();
    let mut m = Matcher::new(b.lexicon());
    m.push_text(b"They said no");
    m.finish();
    m.push_text(b"attack");
    m.finish();
    let e = m.scores().get(b"escalation").unwrap();
    assert_eq!((e.hits(), e.negated()), (1, 0));
}

#[test]
fn factor_and_window_directives() {
    let lex = "#! window: 1\n#! factor: -0.5\nattack\tesc\t-2\n";
    assert_eq!(with_lexicon(lex, "no attack", "esc"), (1, 1, 1000));
    assert_eq!(with_lexicon(lex, "no big attack", "esc"), (1, 0, -2000));
    let off = "#! factor: 0\nattack\tesc\t-2\n";
    assert_eq!(with_lexicon(off, "no attack", "esc"), (1, 0, -2000));
    let off = "#! window: 0\nattack\tesc\t-2\n";
    assert_eq!(with_lexicon(off, "no attack", "esc"), (1, 0, -2000));
}

#[test]
fn extreme_weights_saturate_instead_of_overflowing() {
    // 10^6 × a factor of 10^6 is 10^15 thousandths per negated hit, so
    // 10,000 hits pass `COUNT_LIMIT` (2^62, 4,612 hits; and `i64::MAX`):
    // the score stops there, so that its state reads back.
    let limit = crate::counts::COUNT_LIMIT as i64;
    let lex = "#! factor: 1000000\nattack\tesc\t1000000\n";
    let text = "no attack. ".repeat(10_000);
    assert_eq!(with_lexicon(lex, &text, "esc"), (10_000, 10_000, limit));
    let lex = "#! factor: 1000000\nattack\tesc\t-1000000\n";
    assert_eq!(with_lexicon(lex, &text, "esc"), (10_000, 10_000, -limit));
}

#[test]
fn negator_directive_replaces_defaults() {
    let lex = "#! negators: hardly\nattack\tesc\n";
    assert_eq!(with_lexicon(lex, "hardly an attack", "esc"), (1, 1, -1000));
    assert_eq!(with_lexicon(lex, "not an attack", "esc"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "don't attack", "esc"), (1, 0, 1000));
}

#[test]
fn longer_wildcard_prefix_wins() {
    let lex = "neg*\ta\nnegotiat*\tb\nnegotiation\tc\n";
    assert_eq!(with_lexicon(lex, "negotiators", "b"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "negotiators", "a"), (0, 0, 0));
    assert_eq!(with_lexicon(lex, "negative", "a"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "negotiation", "c"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "negotiation", "b"), (0, 0, 0));
}

#[test]
fn longest_term_wins_and_no_overlap() {
    let lex = "a b\tx\nb c\ty\na b c d\tz\nc\tw\n";
    // "a b c d" matches in full; nothing else.
    assert_eq!(with_lexicon(lex, "a b c d", "z"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "a b c d", "y"), (0, 0, 0));
    // "a b c e": longest at "a" is "a b"; then "c" alone.
    assert_eq!(with_lexicon(lex, "a b c e", "x"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "a b c e", "w"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "a b c e", "y"), (0, 0, 0));
    // Pending tokens are decided by finish().
    assert_eq!(with_lexicon(lex, "a b c", "x"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "a b c", "w"), (1, 0, 1000));
}

#[test]
fn multi_word_wildcard() {
    let lex = "pull* back\tx\ntroop withdraw*\ty\n";
    // The wildcard is only on the last token: `pull*` is a plain token.
    assert_eq!(with_lexicon(lex, "pulled back", "x"), (0, 0, 0));
    assert_eq!(with_lexicon(lex, "troop withdrawals", "y"), (1, 0, 1000));
}

#[test]
fn eight_token_terms() {
    let lex = "a b c d e f g h\tx\n";
    assert_eq!(with_lexicon(lex, "z a b c d e f g h a", "x"), (1, 0, 1000));
    let too_long = "a b c d e f g h i\tx\n";
    let e =
        Lexicon::bytes_needed(too_long.as_bytes(), &ParseOptions::default())
            .unwrap_err();
    assert_eq!(e.kind(), LexiconErrorKind::TooManyTokens);
    assert_eq!(e.to_string(), "line 1: too many tokens in term");
}

#[test]
fn same_term_two_categories() {
    let lex = "attack\tx\nattack\ty\t2\nattack\ty\t3\n";
    assert_eq!(with_lexicon(lex, "attack", "x"), (1, 0, 1000));
    assert_eq!(with_lexicon(lex, "attack", "y"), (1, 0, 3000));
}

#[test]
fn weights_parse() {
    assert_eq!(parse::parse_milli(b"1"), Some(1000));
    assert_eq!(parse::parse_milli(b" -0.25 "), Some(-250));
    assert_eq!(parse::parse_milli(b"+.5"), Some(500));
    assert_eq!(parse::parse_milli(b"3."), Some(3000));
    assert_eq!(parse::parse_milli(b"1000000"), Some(1_000_000_000));
    for bad in [&b""[..], b"-", b".", b"1.2345", b"1e3", b"1,5", b"10000001"] {
        assert_eq!(parse::parse_milli(bad), None, "{bad:?}");
    }
}

fn err(text: &str) -> (LexiconErrorKind, Option<usize>) {
    let e = Lexicon::bytes_needed(text.as_bytes(), &ParseOptions::default())
        .unwrap_err();
    (e.kind(), e.line())
}

#[test]
fn errors_name_line_and_kind() {
    use LexiconErrorKind as K;
    assert_eq!(err("a\tb\nbad line\n"), (K::MissingTab, Some(2)));
    assert_eq!(err("a\tb\tx\n"), (K::BadWeight, Some(1)));
    assert_eq!(err("a\tb\t1\t2\n"), (K::TooManyFields, Some(1)));
    assert_eq!(err("a\tb\tc\td\n"), (K::TooManyFields, Some(1)));
    assert_eq!(err("--\tb\n"), (K::EmptyTerm, Some(1)));
    assert_eq!(err("*\tb\n"), (K::EmptyTerm, Some(1)));
    assert_eq!(err("a\t\n"), (K::BadCategoryName, Some(1)));
    assert_eq!(err("#! colour: red\n"), (K::BadDirective, Some(1)));
    assert_eq!(err("#! window: -1\n"), (K::BadDirective, Some(1)));
    assert_eq!(err("#! window: abc\n"), (K::BadDirective, Some(1)));
    assert_eq!(err("#! window: 1.5\n"), (K::BadDirective, Some(1)));
    assert_eq!(err("#! factor: abc\n"), (K::BadWeight, Some(1)));
    assert_eq!(err("a\tb\n#! negators: not -\n"), (K::BadDirective, Some(2)));
    assert_eq!(err("#! negators: a-b\n"), (K::BadDirective, Some(1)));
    let long = "x".repeat(64) + "*\tc\n";
    assert_eq!(err(&long), (K::WildcardTooLong, Some(1)));
    let e = Lexicon::bytes_needed(b"a\tb\tzz\n", &ParseOptions::default())
        .unwrap_err();
    assert_eq!(e.to_string(), "line 1: bad weight");
}

/// A lexicon that is not UTF-8 is refused at its first undecodable line,
/// in every format: a Latin-1 `glück` would otherwise be the two-token
/// term `gl ck` and match nothing, silently.
#[test]
fn text_that_is_not_utf8_is_refused_with_its_line() {
    use LexiconErrorKind as K;
    let cases: [(&[u8], Format, usize); 5] = [
        (b"peace\tpos\ngl\xfcck\tpos\n", Format::Auto, 2),
        (b"peace\t1\ngl\xfcck\t1\n", Format::Afinn, 2),
        (b"%\n1\tpos\n%\nhappy\t1\ngl\xfcck*\t1\n", Format::LiwcDic, 5),
        // UTF-16 with its byte order mark: the first line.
        (b"\xff\xfep\x00\t\x001\x00\n\x00", Format::Auto, 1),
        // A sequence cut by the end of the text.
        (b"a\tb\n\n\nc\xe2\x80", Format::Tsv, 4),
    ];
    for (text, format, line) in cases {
        let opts = ParseOptions { format, ..ParseOptions::default() };
        let e = Lexicon::bytes_needed(text, &opts).unwrap_err();
        assert_eq!((e.kind(), e.line()), (K::NotUtf8, Some(line)), "{text:?}");
        let mut mem = [0u8; 4096];
        let e = Lexicon::parse_into(text, &opts, &mut mem).unwrap_err();
        assert_eq!(e.kind(), K::NotUtf8);
    }
    let e =
        Lexicon::bytes_needed(b"gl\xfcck\tpos\n", &ParseOptions::default())
            .unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1: not UTF-8 (lexicons are read as UTF-8)"
    );
    // UTF-8, with a byte order mark, still parses.
    let ok = "\u{feff}glück\tpos\n".as_bytes();
    assert!(Lexicon::bytes_needed(ok, &ParseOptions::default()).is_ok());
}

#[test]
fn liwc_dic() {
    let dic = "%\n1\tposemo\n2\tnegemo\n%\nhappy\t1\nbitter*\t2 1\n";
    assert_eq!(detect_format(dic.as_bytes()), Format::LiwcDic);
    assert_eq!(with_lexicon(dic, "happy bitterness", "posemo"), (2, 0, 2000));
    assert_eq!(with_lexicon(dic, "not bitter", "negemo"), (1, 1, -1000));
    use LexiconErrorKind as K;
    assert_eq!(
        err("%\n1\tposemo\n%\nhappy\t3\n"),
        (K::UnknownCategory, Some(4))
    );
    assert_eq!(err("%\n1\tposemo\n"), (K::BadHeader, Some(1)));
    assert_eq!(err("%\nx\tposemo\n%\n"), (K::BadHeader, Some(2)));
    // An id without a name is a bad header line, not a term.
    assert_eq!(err("%\n1\n%\n"), (K::BadHeader, Some(2)));
    assert_eq!(err("%\n1\tposemo\n%\nhappy\n"), (K::MissingTab, Some(4)));
}

/// LIWC 2007's conditional categories: `(ids)then/else` applies `then`
/// when the token before the term is in one of `ids` (by the lexicon's
/// own hits), `else` otherwise.
const LIWC_LIKE: &str = "%\n1\tfunct\n2\tpronoun\n125\taffect\n\
    126\tposemo\n134\tdiscrep\n253\ttime\n464\tfiller\n%\n\
    i\t1\t2\nwould\t134\nyou know\t2\n\
    like\t(02 134)125/464\t(02 134)126\t(02 134)126\t253\n";

#[test]
fn liwc_conditional_categories_follow_the_token_before() {
    let all = |text: &str| {
        ["affect", "posemo", "filler", "time"]
            .map(|c| with_lexicon(LIWC_LIKE, text, c).0)
    };
    // After a pronoun, a discrepancy word, or a multi-word hit ending in
    // a pronoun category: affect and posemo (listed twice, counted once).
    assert_eq!(all("I like it"), [1, 1, 0, 1]);
    assert_eq!(all("we would like tea"), [1, 1, 0, 1]);
    assert_eq!(all("you know like"), [1, 1, 0, 1]);
    // Otherwise a filler; the unconditional category either way.
    assert_eq!(all("it was like cold"), [0, 0, 1, 1]);
    assert_eq!(all("like"), [0, 0, 1, 1]);
    // Only the token right before counts, and not across a document.
    assert_eq!(all("I really like"), [0, 0, 1, 1]);
    let mut mem = [0u8; 4096];
    let opts = ParseOptions::default();
    let lex =
        Lexicon::parse_into(LIWC_LIKE.as_bytes(), &opts, &mut mem).unwrap();
    let mut m = Matcher::new(lex);
    m.push_text(b"I");
    m.finish();
    m.push_text(b"like");
    m.finish();
    let s = m.scores();
    assert_eq!(s.get(b"filler").unwrap().hits(), 1);
    assert_eq!(s.get(b"affect").unwrap().hits(), 0);
    // Token by token, as an analyzer pushes across chunks: the same.
    let mut m = Matcher::new(lex);
    for t in ["i", "like", "it", "was", "like"] {
        m.push(t.as_bytes(), token_hash(t.as_bytes()), false);
    }
    m.finish();
    let s = m.scores();
    assert_eq!(s.get(b"affect").unwrap().hits(), 1);
    assert_eq!(s.get(b"filler").unwrap().hits(), 1);
    assert_eq!(s.get(b"time").unwrap().hits(), 2);
}

#[test]
fn liwc_conditional_syntax_errors_name_the_line() {
    use LexiconErrorKind as K;
    let head = "%\n1\ta\n2\tb\n%\nok\t1\n";
    for field in
        ["(1 2", "()2", "(9)1", "(1)", "(1)2/", "(1)2/9", "1(2)", "(x)1"]
    {
        let text = std::format!("{head}like\t{field}\n");
        assert_eq!(err(&text), (K::UnknownCategory, Some(6)), "{field}");
    }
    // Spaces inside the parentheses, tabs or spaces between fields.
    for fields in ["( 1  2 )2/1", "(1)2 1", "(1\t2)1"] {
        let text = std::format!("{head}like\t{fields}\n");
        assert!(
            Lexicon::bytes_needed(text.as_bytes(), &ParseOptions::default())
                .is_ok(),
            "{fields}"
        );
    }
}

/// An AFINN file with one line that is not `term<TAB>number` was read
/// as native TSV, every weight a category of its own: `-2`, `3`, …
#[test]
fn afinn_with_comments_directives_decimals_or_a_header() {
    use LexiconErrorKind as K;
    let score = |text: &str| {
        assert_eq!(detect_format(text.as_bytes()), Format::Afinn, "{text}");
        let mut mem = [0u8; 4096];
        let opts = ParseOptions::default();
        let lex = Lexicon::parse_into(text.as_bytes(), &opts, &mut mem)
            .unwrap_or_else(|e| panic!("{e}: {text}"));
        let m = lex.score_text("a superb plan, a bad one");
        let c = m.scores().iter().next().unwrap();
        (
            std::string::String::from_utf8(c.name().to_vec()).unwrap(),
            c.score_milli(),
        )
    };
    let plain = "superb\t5\nbad\t-3\n";
    assert_eq!(score(plain), ("afinn".into(), 2000));
    assert_eq!(
        score(&std::format!("# my words\n{plain}")),
        ("afinn".into(), 2000)
    );
    assert_eq!(score("superb\t4.5\nbad\t-3\n"), ("afinn".into(), 1500));
    assert_eq!(
        score(&std::format!("#! name: mine\n#! window: 0\n{plain}")),
        ("mine".into(), 2000)
    );
    // Not AFINN, and a number for a category: refused, not misread. The
    // error points at the line that is not AFINN (a header, a typo) and
    // names the numeric one.
    assert_eq!(err("word\tscore\nsuperb\t5\n"), (K::NumericCategory, Some(1)));
    assert_eq!(err("superb\t5\t\n"), (K::NumericCategory, Some(1)));
    let text = b"good\t3\nbad\t-2\nugly\tx\n";
    let e = Lexicon::bytes_needed(text, &ParseOptions::default()).unwrap_err();
    assert_eq!((e.kind(), e.line()), (K::NumericCategory, Some(3)));
    assert_eq!(
        e.to_string(),
        "line 3: not term<TAB>number like line 1 (an AFINN file?); to read \
         it as native TSV, name the format"
    );
    let opts =
        ParseOptions { format: Format::Afinn, ..ParseOptions::default() };
    let e = Lexicon::bytes_needed(text, &opts).unwrap_err();
    assert_eq!((e.kind(), e.line()), (K::BadWeight, Some(3)));
    // Named, TSV takes numbers for categories; comments alone are no
    // AFINN.
    let opts = ParseOptions { format: Format::Tsv, ..ParseOptions::default() };
    assert!(Lexicon::bytes_needed(b"word\tscore\nsuperb\t5\n", &opts).is_ok());
    assert_eq!(detect_format(b"# only a comment\n"), Format::Tsv);
}

#[test]
fn line_ends_lf_crlf_or_lone_cr() {
    use LexiconErrorKind as K;
    for end in ["\n", "\r\n", "\r"] {
        let text = ["superb\t5", "bad\t-3", ""].join(end);
        assert_eq!(detect_format(text.as_bytes()), Format::Afinn, "{end:?}");
        let mut mem = [0u8; 4096];
        let opts = ParseOptions::default();
        let lex = Lexicon::parse_into(text.as_bytes(), &opts, &mut mem)
            .unwrap_or_else(|e| panic!("{end:?}: {e}"));
        assert_eq!(lex.term_count(), 2, "{end:?}");
        let bad = ["a\tb", "c\td", "oops", ""].join(end);
        assert_eq!(err(&bad), (K::MissingTab, Some(3)), "{end:?}");
        let mut latin1 = ["a\tb", "c\td", ""].join(end).into_bytes();
        latin1.extend_from_slice(b"gl\xfcck\tpos");
        let e = Lexicon::bytes_needed(&latin1, &opts).unwrap_err();
        assert_eq!((e.kind(), e.line()), (K::NotUtf8, Some(3)), "{end:?}");
    }
}

#[test]
fn afinn() {
    let text = "abandon\t-2\nbreathtaking\t5\ncashing in\t-2\n";
    assert_eq!(detect_format(text.as_bytes()), Format::Afinn);
    let mut mem = [0u8; 1024];
    let lex = Lexicon::parse_into(
        text.as_bytes(),
        &ParseOptions::default(),
        &mut mem,
    )
    .unwrap();
    assert_eq!(lex.name(), b"afinn");
    assert_eq!(lex.category_name(0), Some(&b"afinn"[..]));
    let m = lex.score_text("Breathtaking! Not cashing in.");
    let c = m.scores().category(0).unwrap();
    assert_eq!((c.hits(), c.negated(), c.score_milli()), (2, 1, 7000));
    // Explicit format: a TSV-looking file read as AFINN fails on weights.
    let opts = ParseOptions { format: Format::Afinn, ..Default::default() };
    let e = Lexicon::bytes_needed(b"a\tcat\n", &opts).unwrap_err();
    assert_eq!(e.kind(), LexiconErrorKind::BadWeight);
}

#[test]
fn memory_is_exact() {
    let text = NEWS_STANCE_TSV;
    let opts = ParseOptions::default();
    let n = Lexicon::bytes_needed(text, &opts).unwrap();
    let mut mem = [0xa5u8; BUILTIN_BYTES + 16];
    let e = Lexicon::parse_into(text, &opts, &mut mem[..n - 1]).unwrap_err();
    assert_eq!(e.kind(), LexiconErrorKind::OutOfMemory);
    assert_eq!(e.memory(), (n, n - 1));
    assert_eq!(
        e.to_string(),
        std::format!(
            "out of memory: lexicon needs {n} bytes, buffer has {}",
            n - 1
        )
    );
    let lex = Lexicon::parse_into(text, &opts, &mut mem).unwrap();
    assert_eq!(lex.term_count(), 244);
    // The bytes beyond what is needed are untouched.
    assert!(mem[n..].iter().all(|&b| b == 0xa5));
}

#[test]
fn push_matches_score_text() {
    let b = BuiltinLexicon::new();
    let text =
        "Kirby said the U.S. has not ruled out cyberattacks; talks go on.";
    let whole = b.lexicon().score_text(text);
    let mut m = Matcher::new(b.lexicon());
    tokenize::for_each_token(text.as_bytes(), &Default::default(), |t| {
        m.push(t.norm(), token_hash(t.norm()), t.after_clause_break());
    });
    m.finish();
    let a: std::vec::Vec<_> = whole.scores().iter().collect();
    let c: std::vec::Vec<_> = m.scores().iter().collect();
    assert_eq!(a, c);
}

#[test]
fn scores_views() {
    let b = BuiltinLexicon::new();
    let m = b.lexicon().score_text("attack attack talks x");
    let s = m.scores();
    assert_eq!(s.tokens(), 4);
    assert_eq!(s.len(), 5);
    assert_eq!(s.iter().len(), 5);
    let e = s.get(b"escalation").unwrap();
    assert_eq!(e.score(), -2.0);
    assert_eq!(e.per_1k(), -500.0);
    assert_eq!(e.hits_per_1k(), 500.0);
    let e = s.with_tokens(8).get(b"escalation").unwrap();
    assert_eq!(e.per_1k(), -250.0);
    let empty = b.lexicon().score_text("");
    assert_eq!(empty.scores().category(0).unwrap().per_1k(), 0.0);
    assert!(s.get(b"nope").is_none());
    assert!(s.category(5).is_none());
}

#[test]
fn public_types_are_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<Lexicon<'static>>();
    check::<Matcher<'static>>();
    check::<BuiltinLexicon>();
    check::<Scores<'static, 'static>>();
    check::<CategoryScore<'static>>();
    check::<LexiconError>();
    check::<ParseOptions>();
}

/// The built-in lexicon on the seed articles, pinned in
/// `testdata/golden/lexicon-seeds.txt`; `TEXTMETER_BLESS=1` (or
/// `scripts/regen-golden`) rewrites it.
#[test]
fn golden_lexicon_seeds() {
    use std::fmt::Write as _;
    const SEEDS: [(&str, &[u8]); 5] = [
        (
            "000_578c3a6d681ebc7b.txt",
            include_bytes!("../../../seeds/000_578c3a6d681ebc7b.txt"),
        ),
        (
            "001_c98c762a7310f6b1.txt",
            include_bytes!("../../../seeds/001_c98c762a7310f6b1.txt"),
        ),
        (
            "002_42020a276fbfca6a.txt",
            include_bytes!("../../../seeds/002_42020a276fbfca6a.txt"),
        ),
        (
            "003_26c6bf94ee660717.txt",
            include_bytes!("../../../seeds/003_26c6bf94ee660717.txt"),
        ),
        (
            "004_a5e0853e2474a670.txt",
            include_bytes!("../../../seeds/004_a5e0853e2474a670.txt"),
        ),
    ];
    let b = BuiltinLexicon::new();
    let mut out = std::string::String::from(
        "# Built-in news-stance lexicon on seeds/*.txt.\n\
         # Regenerate with scripts/regen-golden (TEXTMETER_BLESS=1).\n\
         # category hits negated score per_1k hits_per_1k\n",
    );
    for (name, text) in SEEDS {
        let m = b.lexicon().score_text(text);
        let s = m.scores();
        writeln!(out, "\nseeds/{name} tokens={}", s.tokens()).unwrap();
        for c in s.iter() {
            writeln!(
                out,
                "{:<13} {:>3} {:>2} {:>8.3} {:>8.3} {:>8.3}",
                core::str::from_utf8(c.name()).unwrap(),
                c.hits(),
                c.negated(),
                c.score(),
                c.per_1k(),
                c.hits_per_1k()
            )
            .unwrap();
        }
        let (esc, de) = (
            s.get(b"escalation").unwrap().score(),
            s.get(b"deescalation").unwrap().score(),
        );
        writeln!(out, "balance (deescalation + escalation) {:.3}", de + esc)
            .unwrap();
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/golden/lexicon-seeds.txt");
    if std::env::var_os("TEXTMETER_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &out).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        want == out,
        "golden file {} differs; run scripts/regen-golden\n{out}",
        path.display()
    );
}
