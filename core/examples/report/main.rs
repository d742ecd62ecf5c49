//! Prints the textmeter report of a file on the host, in the format the
//! Cortex-M firmware prints (`examples/cortex-m`): CI diffs the two.
//!
//! ```text
//! cargo run -p textmeter --example report -- seeds/000_578c3a6d681ebc7b.txt
//! ```
//!
//! The host tokenizes the whole file in one call and the firmware in 64-byte
//! chunks; the core guarantees the same tokens for every split.

use std::process::ExitCode;

use textmeter::tokenize::{Tokenizer, TokenizerConfig};

mod format;

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
    let mut report = format::Report::default();
    let mut tokenizer = Tokenizer::new(TokenizerConfig::default());
    tokenizer.feed_last(&text, |t| report.add_token(t));
    report.set_text_stats(tokenizer.stats());
    let mut out = String::new();
    report.write_to(&mut out).expect("writing to a String cannot fail");
    print!("{out}");
    ExitCode::SUCCESS
}
