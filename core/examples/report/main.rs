//! Prints the textmeter report of a file on the host, in the format the
//! Cortex-M firmware prints (`examples/cortex-m`): CI diffs the two.
//!
//! ```text
//! cargo run -p textmeter --example report -- seeds/000_578c3a6d681ebc7b.txt
//! ```
//!
//! The host tokenizes the whole file in one call and the firmware in 64-byte
//! chunks; the core guarantees the same tokens for every split. The
//! configuration (n-gram capacities, the built-in `news-stance` lexicon) is
//! the firmware's, from the shared `analysis.rs`.

use std::process::ExitCode;

use textmeter::lexicon::{BuiltinLexicon, Matcher};
use textmeter::tokenize::{Tokenizer, TokenizerConfig};

mod analysis;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: report FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("report: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let lexicon = BuiltinLexicon::new();
    let mut matcher = Matcher::new(lexicon.lexicon());
    let mut arena = vec![0u8; analysis::NGRAM_BYTES];
    let mut analysis = match analysis::Analysis::new(&mut arena, &mut matcher)
    {
        Ok(a) => a,
        Err(e) => {
            eprintln!("report: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut tokenizer = Tokenizer::new(TokenizerConfig::default());
    tokenizer.feed_last(&text, |t| analysis.add_token(t));
    analysis.finish(tokenizer.stats());
    let mut out = String::new();
    analysis.write_to(&mut out).expect("writing to a String cannot fail");
    print!("{out}");
    ExitCode::SUCCESS
}
