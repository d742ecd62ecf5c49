//! A single entry point for fuzzers and property tests.

use super::{Format, Lexicon, Matcher, ParseOptions};

/// Parses and scores arbitrary bytes; for fuzz targets. Never panics.
///
/// The first byte picks the format (bits 0–1), whether to give the parser
/// one byte too few (bit 2) and how many 16-byte steps of extra room to add
/// (bits 3–7). The rest is split at the first NUL byte into a lexicon text
/// and a text to score with it.
///
/// ```
/// textmeter::lexicon::fuzz_parse_and_score(b"\x00talks\tx\n\0no talks");
/// ```
#[doc(hidden)]
pub fn fuzz_parse_and_score(data: &[u8]) {
    let Some((&op, rest)) = data.split_first() else { return };
    let (lexicon, text) = match memchr::memchr(0, rest) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b""[..]),
    };
    let format = [Format::Auto, Format::Tsv, Format::Afinn, Format::LiwcDic]
        [usize::from(op & 3)];
    let opts = ParseOptions { format, ..ParseOptions::default() };
    let Ok(n) = Lexicon::bytes_needed(lexicon, &opts) else { return };
    // Keep fuzzing cheap: lexicons needing more than 64 KiB are only sized.
    let mut mem = [0u8; 1 << 16];
    let want = if op & 4 != 0 {
        n.saturating_sub(1)
    } else {
        n + usize::from(op >> 3) * 16
    };
    if want > mem.len() {
        return;
    }
    match Lexicon::parse_into(lexicon, &opts, &mut mem[..want]) {
        Ok(lex) => {
            assert!(want >= n, "parsed into less memory than bytes_needed");
            let mut m = Matcher::new(lex);
            m.push_text(text);
            m.finish();
            for c in m.scores().iter() {
                assert!(c.negated() <= c.hits());
            }
        }
        Err(e) => {
            assert!(want < n, "bytes_needed succeeded but parse failed: {e}")
        }
    }
}
