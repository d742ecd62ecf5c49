//! Prints token counts for each file named on the command line (the
//! README's first command until the `textmeter` CLI lands).
//!
//! `cargo run --release -p textmeter --example count -- seeds/*.txt`

use std::process::ExitCode;
use textmeter::counts::{count, Counts};
use textmeter::tokenize::TokenizerConfig;

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: count FILE...");
        return ExitCode::from(2);
    }
    let config = TokenizerConfig::default();
    let mut total = Counts::default();
    let mut status = ExitCode::SUCCESS;
    println!(
        "{:<32} {:>8} {:>8} {:>8} {:>7} {:>6} {:>8}",
        "file", "bytes", "tokens", "words", "numbers", "lines", "invalid"
    );
    let row = |name: &str, c: &Counts| {
        println!(
            "{:<32} {:>8} {:>8} {:>8} {:>7} {:>6} {:>8}",
            name,
            c.bytes,
            c.tokens,
            c.words,
            c.numbers,
            c.lines,
            c.invalid_bytes
        );
    };
    for path in &paths {
        match std::fs::read(path) {
            Ok(text) => {
                let c = count(&text, &config);
                row(path, &c);
                total.merge(&c);
            }
            Err(e) => {
                eprintln!("count: {path}: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    row("total", &total);
    status
}
