//! `textmeter-count FILE`: runs `textmeter::counts::count` over FILE and
//! prints the counts as one JSON object: the tokenize + counts row of
//! `benches/compare.py` ("textmeter core (count)"), beside the full
//! pipeline of the `textmeter` CLI.
//!
//! The file is read whole with `std::fs::read`: memory-mapping would need a
//! dependency, and for one pass over a file in the page cache the copy
//! costs little next to tokenizing.

use std::process::ExitCode;

use textmeter::counts::count;
use textmeter::tokenize::TokenizerConfig;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: textmeter-count FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("textmeter-count: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let c = count(&bytes, &TokenizerConfig::default());
    println!(
        "{{\"bytes\": {}, \"chars\": {}, \"lines\": {}, \"tokens\": {}, \
         \"words\": {}, \"numbers\": {}, \"invalid_bytes\": {}, \
         \"truncated_tokens\": {}, \"max_token_len\": {}}}",
        c.bytes,
        c.chars,
        c.lines,
        c.tokens,
        c.words,
        c.numbers,
        c.invalid_bytes,
        c.truncated_tokens,
        c.max_token_len
    );
    ExitCode::SUCCESS
}
