//! `textmeter-count FILE`: runs `textmeter::counts::count` over FILE and
//! prints the counts as one JSON object: the tokenize + counts row of
//! `benches/compare.py` ("textmeter core (count)"), beside the full
//! pipeline of the `textmeter` CLI.
//!
//! The file is streamed through one 1 MiB buffer into a
//! [`TokenCounter`], as the CLI reads its inputs. Reading it whole
//! (`std::fs::read`, until 2026-12-07) first faulted in and filled 8.35 MB
//! of fresh pages: on the corpus the whole process took 10.2 ms that way
//! and takes 6.3 ms streamed (`perf stat -r 30`, same run).

use std::fs::File;
use std::io::{self, Read};
use std::process::ExitCode;

use textmeter::counts::{Counts, TokenCounter};
use textmeter::tokenize::TokenizerConfig;

/// Bytes per `read` call (the CLI's chunk size).
const CHUNK: usize = 1 << 20;

fn count_file(path: &std::ffi::OsStr) -> io::Result<Counts> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    let mut counter = TokenCounter::new(TokenizerConfig::default());
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(counter.finish()),
            Ok(n) => counter.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: textmeter-count FILE");
        return ExitCode::from(2);
    };
    let c = match count_file(&path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("textmeter-count: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
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
