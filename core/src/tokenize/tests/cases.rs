//! Named cases from the issue and the README, checked by hand.

use super::{norms, one_shot};
use crate::tokenize::{for_each_token, TokenKind, TokenizerConfig};
use std::vec::Vec;

macro_rules! case {
    ($name:ident, $text:expr, [$($tok:expr),* $(,)?]) => {
        #[test]
        fn $name() {
            let expected: &[&str] = &[$($tok),*];
            assert_eq!(norms($text), expected);
        }
    };
}

case!(curly_possessive, "Russia’s troops", ["russia's", "troops"]);
case!(thousands, "130,000 soldiers", ["130,000", "soldiers"]);
case!(abbreviation_drops_final_dot, "the U.S. said", ["the", "u.s", "said"]);
case!(contraction, "can't won't", ["can't", "won't"]);
case!(hyphen_splits, "e-mail de-escalate", ["e", "mail", "de", "escalate"]);
case!(decimal, "3.14 and 1,5", ["3.14", "and", "1,5"]);
case!(trailing_comma_after_number, "7, 8", ["7", "8"]);
case!(colon_joins_letters, "foo:bar 1:2", ["foo:bar", "1", "2"]);
case!(underscore_joins, "snake_case _x __", ["snake_case", "_x"]);
case!(modifier_apostrophe, "Hawaiʻi Naʼvi", ["hawaiʻi", "na'vi"]);
case!(fullwidth_apostrophe, "ｄｏｎ＇ｔ", ["ｄｏｎ'ｔ"]);
case!(dotted_capital_i, "İstanbul", ["i\u{307}stanbul"]);
case!(german, "Übersetzung größer", ["übersetzung", "größer"]);
case!(cyrillic, "Россия заявила", ["россия", "заявила"]);
case!(han_each_char, "中国人", ["中", "国", "人"]);
case!(katakana_word, "カタカナ", ["カタカナ"]);
case!(hebrew_gershayim, "צה\"ל", ["צה\"ל"]);
case!(emoji_are_not_tokens, "ok 👍🏽 👨‍👩‍👧 🇺🇦", ["ok"]);
case!(combining_marks_stay, "cafe\u{301} noir", ["cafe\u{301}", "noir"]);
case!(empty, "", []);
case!(only_spaces, " \t\r\n  ", []);
case!(fullwidth_digits, "１２３", ["１２３"]);
case!(invalid_bytes_break, "ab\u{fffd}cd", ["ab", "cd"]);

#[test]
fn invalid_utf8_is_a_hard_break() {
    let (toks, stats) = one_shot(
        b"ab\xffcd \xe2\x82 x\xcc\x81",
        TokenizerConfig::default(),
        false,
    );
    let n: Vec<_> = toks.iter().map(|t| t.norm.as_str()).collect();
    assert_eq!(n, ["ab", "cd", "x\u{301}"]);
    assert_eq!(stats.invalid_bytes, 3);
    // a b FFFD c d ' ' FFFD ' ' x U+0301
    assert_eq!(stats.chars, 10);
    // An alphabetic combining mark after an invalid byte does not attach
    // to it: it starts its own token.
    let (toks, _) =
        one_shot(b"\xff\xcd\x85", TokenizerConfig::default(), false);
    assert_eq!(toks.len(), 1);
    assert_eq!(toks[0].norm, "\u{345}");
}

#[test]
fn kinds_and_clause_flags() {
    let (toks, _) = one_shot(
        b"Not 42. Then: war; or peace? U.S. x",
        TokenizerConfig::default(),
        false,
    );
    let got: Vec<_> =
        toks.iter().map(|t| (t.norm.as_str(), t.kind, t.clause)).collect();
    use TokenKind::{Number, Word};
    assert_eq!(
        got,
        [
            ("not", Word, false),
            ("42", Number, false),
            ("then", Word, true),
            ("war", Word, true),
            ("or", Word, true),
            ("peace", Word, false),
            ("u.s", Word, true),
            ("x", Word, true),
        ]
    );
}

#[test]
fn folding_can_be_switched_off() {
    let config = TokenizerConfig {
        fold_case: false,
        fold_apostrophes: false,
        ..TokenizerConfig::default()
    };
    let (toks, _) = one_shot("Russia’s İ".as_bytes(), config, false);
    assert_eq!(toks[0].norm, "Russia’s");
    assert_eq!(toks[1].norm, "İ");
}

#[test]
fn long_tokens_are_truncated_at_a_char_boundary_and_counted_once() {
    let config = TokenizerConfig { max_token_len: 5, ..Default::default() };
    let (toks, _) = one_shot("abcdefgh ééé xy".as_bytes(), config, false);
    assert_eq!(toks.len(), 3);
    assert_eq!((toks[0].norm.as_str(), toks[0].full_len), ("abcde", 8));
    // é is two bytes: 4 fit, the third é would need 6.
    assert_eq!((toks[1].norm.as_str(), toks[1].full_len), ("éé", 6));
    assert_eq!((toks[2].norm.as_str(), toks[2].full_len), ("xy", 2));
}

#[test]
fn max_length_tokens_in_fast_and_slow_paths() {
    for max in [1, 2, 63, 64, 65, 255] {
        let config =
            TokenizerConfig { max_token_len: max, ..Default::default() };
        let word = "A".repeat(300);
        let text = std::format!("{word} {word}é {word}");
        let fast = one_shot(text.as_bytes(), config, false);
        let slow = one_shot(text.as_bytes(), config, true);
        assert_eq!(fast, slow);
        for t in &fast.0 {
            assert!(t.norm.len() <= max);
        }
    }
}

#[test]
fn invalid_config_is_rejected() {
    let bad = TokenizerConfig { max_token_len: 256, ..Default::default() };
    assert!(crate::tokenize::Tokenizer::try_new(bad).is_err());
    assert!(std::format!("{}", bad.validate().unwrap_err()).contains("256"));
}

#[test]
fn raw_spans_in_one_shot_mode() {
    let mut raws = Vec::new();
    for_each_token(
        "Russia’s U.S. 130,000".as_bytes(),
        &Default::default(),
        |t| {
            raws.push(
                std::string::String::from_utf8(t.raw().unwrap().to_vec())
                    .unwrap(),
            )
        },
    );
    assert_eq!(raws, ["Russia’s", "U.S", "130,000"]);
}
