//! Rough throughput of the n-gram counter on a text file:
//! `cargo run --release --example ngram_throughput -- FILE [CAPACITY]`.
//!
//! Tokens are whitespace-split and ASCII-lowercased (a stand-in for the
//! real tokenizer); each run reports MB/s of input text.

use std::time::Instant;

use textmeter::hash::token_hash;
use textmeter::ngram::{NgramConfig, NgramSet};

fn run(text: &[u8], cfg: NgramConfig, label: &str) {
    let mut mem = vec![0u8; cfg.bytes_needed()];
    let mut set = NgramSet::new(&mut mem[..], cfg).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 255];
    for w in text.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty())
    {
        let n = w.len().min(255);
        for (d, s) in buf[..n].iter_mut().zip(w) {
            *d = s.to_ascii_lowercase();
        }
        set.push(&buf[..n], token_hash(&buf[..n]));
    }
    set.end_document();
    let secs = start.elapsed().as_secs_f64();
    let lens: Vec<String> = (cfg.lo()..=cfg.hi())
        .map(|n| {
            let t = set.table(n as usize).unwrap();
            format!("n={n}: {} entries, exact={}", t.len(), t.is_exact())
        })
        .collect();
    println!(
        "{label:>28}: {:7.1} MB/s  arena {:6.1} MB  [{}]",
        text.len() as f64 / secs / 1e6,
        cfg.bytes_needed() as f64 / 1e6,
        lens.join("; ")
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: ngram_throughput FILE [CAP]");
    let text = std::fs::read(&path).unwrap();
    let small: u32 = args.next().map_or(1000, |s| s.parse().unwrap());
    // Tokenize + hash only, as a baseline.
    let start = Instant::now();
    let mut acc = 0u64;
    let mut buf = [0u8; 255];
    for w in text.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty())
    {
        let n = w.len().min(255);
        for (d, s) in buf[..n].iter_mut().zip(w) {
            *d = s.to_ascii_lowercase();
        }
        acc ^= token_hash(&buf[..n]);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:>28}: {:7.1} MB/s  (xor {acc:x})",
        "split+lowercase+hash",
        text.len() as f64 / secs / 1e6
    );
    if std::env::var_os("ONLY_SMALL").is_some() {
        for _ in 0..5 {
            run(&text, NgramConfig::new(1, 3).with_capacity(small), "small");
        }
        return;
    }
    for _ in 0..2 {
        run(
            &text,
            NgramConfig::new(1, 3).with_capacity(1 << 20),
            "exact 1..=3",
        );
        run(&text, NgramConfig::new(1, 1).with_capacity(1 << 20), "exact 1");
        let fit = NgramConfig::new(1, 3)
            .with_capacity_for(1, 1 << 15)
            .with_capacity_for(2, 1 << 18)
            .with_capacity_for(3, 1 << 19);
        run(&text, fit, "exact 1..=3, fitted caps");
        run(
            &text,
            NgramConfig::new(1, 3).with_capacity(small),
            &format!("space-saving 1..=3 cap {small}"),
        );
    }
}
