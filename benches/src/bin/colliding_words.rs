//! `colliding-words WORDS LINES`: writes text built to collide in
//! textmeter's unseeded n-gram tables, to measure what such input costs
//! with and without a placement seed (README, "Bad input"; the CLI, C and
//! Python seed theirs).
//!
//! The hash seed is fixed and documented, so that results are the same in
//! every process and merge across them; anyone can therefore search for
//! tokens whose hashes share their top 17 bits, which puts them in the
//! same home slot of every table of up to 2^17 slots (the default 65,536
//! entries use 98,305). Linear probing then walks the whole cluster on
//! every lookup. The program prints `WORDS` such words (lowercase ASCII
//! plus `q`; about 2^17 tries each) on each of `LINES` lines, and with
//! `--plain` as many ordinary words of the same shape instead, the
//! control.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use textmeter::hash::token_hash;

/// The top bits the words share.
const SHARED_BITS: u32 = 17;

/// The `i`-th word of the search: `i` in base 26, then `q`.
fn word(i: u64, out: &mut Vec<u8>) {
    out.clear();
    let mut n = i;
    loop {
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.push(b'q');
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plain = args.iter().any(|a| a == "--plain");
    let nums: Vec<usize> =
        args.iter().filter_map(|a| a.parse().ok()).collect();
    let [words, lines] = nums[..] else {
        eprintln!("usage: colliding-words [--plain] WORDS LINES");
        return ExitCode::from(2);
    };
    let mut found: Vec<Vec<u8>> = Vec::with_capacity(words);
    let mut w = Vec::new();
    let mut i = 0u64;
    let target = token_hash(b"q") >> (64 - SHARED_BITS);
    while found.len() < words {
        word(i, &mut w);
        // Spread the ordinary words out so that their shape matches.
        if plain {
            word(i * 100_003 + 7, &mut w);
            found.push(w.clone());
        } else if token_hash(&w) >> (64 - SHARED_BITS) == target {
            found.push(w.clone());
        }
        i += 1;
    }
    eprintln!("{} words after {} tries", found.len(), i);
    let mut out = BufWriter::new(io::stdout().lock());
    for _ in 0..lines {
        for f in &found {
            let _ = out.write_all(f);
            let _ = out.write_all(b" ");
        }
        let _ = out.write_all(b"\n");
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
