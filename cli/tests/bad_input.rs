//! The README's "Bad input" table through the real `textmeter` binary:
//! exit status, JSON numbers and, for the big streamed inputs, peak
//! memory (the input is never held in memory). `--capacity 0` and binary
//! input are in `cli.rs` (`bad_options_are_usage_errors`,
//! `binary_input_is_analysed_not_rejected`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_textmeter"));
    cmd.args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs the binary with `stdin` as its input.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = command(args).spawn().expect("binary runs");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

/// Runs the binary on `len` bytes of `pattern` repeated, streamed to its
/// stdin in 64 KiB writes; returns its output and its peak resident
/// memory in bytes, read from `/proc` once all input is written (so it
/// covers the whole analysis), where `/proc` exists.
fn run_streamed(
    args: &[&str],
    pattern: &[u8],
    len: usize,
) -> (Output, Option<u64>) {
    let whole = (64 << 10) / pattern.len() * pattern.len();
    let buf: Vec<u8> = pattern.iter().copied().cycle().take(whole).collect();
    let mut child = command(args).spawn().expect("binary runs");
    let mut pipe = child.stdin.take().unwrap();
    let mut left = len;
    while left > 0 {
        let n = left.min(buf.len());
        pipe.write_all(&buf[..n]).unwrap();
        left -= n;
    }
    let status = format!("/proc/{}/status", child.id());
    let peak = std::fs::read_to_string(status).ok().and_then(|s| {
        let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    });
    drop(pipe);
    (child.wait_with_output().unwrap(), peak)
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn counts(out: &Output) -> Value {
    json(out)["total"]["counts"].clone()
}

/// A file in the target directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path =
            dir.join(format!("bad-input-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Input sizes of the big tests: full size in optimised builds (`cargo
/// test --release`), `full / div` in unoptimised ones.
const fn big(full: usize, div: usize) -> usize {
    if cfg!(debug_assertions) {
        full / div
    } else {
        full
    }
}

#[test]
fn empty_input_from_stdin_and_file() {
    let file = TempFile::new("empty", b"");
    for out in [run(&["--json"], b""), run(&["--json", file.path()], b"")] {
        let v = json(&out);
        let c = &v["total"]["counts"];
        for key in ["bytes", "chars", "lines", "tokens", "types"] {
            assert_eq!(c[key], 0, "{key}");
        }
        assert_eq!(c["types_exact"], true);
        assert_eq!(v["documents"].as_array().unwrap().len(), 1);
        assert_eq!(v["total"]["ngrams"]["1"]["top"], Value::Array(vec![]));
        let esc = &v["total"]["lexicon"]["categories"]["escalation"];
        assert_eq!(
            (esc["hits"].as_u64(), esc["per_1k"].as_f64()),
            (Some(0), Some(0.0))
        );
    }
    // The human report and the token listing work on nothing too.
    assert!(run(&[], b"").status.success());
    let out = run(&["tokens"], b"");
    assert!(out.status.success() && out.stdout.is_empty());
}

#[test]
fn only_whitespace() {
    let text = " \t\r\n\x0b\x0c\n\u{85}\u{a0}\u{3000}\u{2028}";
    let c = counts(&run(&["--json"], text.as_bytes()));
    assert_eq!(c["tokens"], 0);
    assert_eq!(c["lines"], 2);
    assert_eq!(c["chars"], text.chars().count());
}

#[test]
fn one_huge_token_streamed_in_bounded_memory() {
    let len = big(100 << 20, 10);
    let t0 = Instant::now();
    let (out, peak) =
        run_streamed(&["--json", "--jobs", "1"], b"abcdefghij", len);
    eprintln!("{len} bytes, one token: {:?}, peak {peak:?}", t0.elapsed());
    let c = counts(&out);
    assert_eq!(
        (c["bytes"].as_u64(), c["tokens"].as_u64()),
        (Some(len as u64), Some(1))
    );
    assert_eq!(c["truncated_tokens"], 1);
    assert_eq!(c["max_token_len"], len);
    if let Some(peak) = peak {
        // One analyzer of 21.2 MB (not all touched), a 1 MiB read
        // buffer and the binary: far below the input size.
        assert!(peak < 64 << 20, "peak RSS {peak} bytes");
    }
}

#[test]
fn many_one_letter_tokens_streamed() {
    let tokens = big(10_000_000, 20);
    let t0 = Instant::now();
    let pattern = b"a b c d e f g h i j\n";
    let len = tokens / 10 * pattern.len();
    let (out, peak) = run_streamed(&["--json", "--jobs", "1"], pattern, len);
    eprintln!("{tokens} tokens: {:?}, peak {peak:?}", t0.elapsed());
    let v = json(&out);
    let c = &v["total"]["counts"];
    assert_eq!(c["tokens"], tokens);
    assert_eq!(
        (c["types"].as_u64(), c["lines"].as_u64()),
        (Some(10), Some(tokens as u64 / 10))
    );
    for n in 1..=3 {
        let t = &v["total"]["ngrams"][n.to_string()];
        assert_eq!(t["total"], tokens + 1 - n);
        assert_eq!(t["exact"], true);
    }
    if let Some(peak) = peak {
        assert!(peak < 64 << 20, "peak RSS {peak} bytes");
    }
}

#[test]
fn invalid_utf8_nul_bom_and_crlf_are_analysed() {
    // Input, then bytes, chars, invalid_bytes, lines, tokens.
    type Case<'a> = (&'a [u8], u64, u64, u64, u64, u64);
    let cases: [Case<'_>; 6] = [
        // All 256 byte values: the 128 high bytes are each invalid.
        (&(0..=255u8).collect::<Vec<u8>>(), 256, 256, 128, 1, 3),
        // CESU-8 surrogates: every byte is its own invalid sequence.
        (b"smile\xed\xa0\xbd\xed\xb8\x80face", 15, 15, 6, 0, 2),
        // Overlong "/" in 2, 3 and 4 bytes.
        (b"a\xc0\xafb \xe0\x80\xaf \xf0\x80\x80\xaf", 13, 13, 9, 0, 2),
        (b"\0a\0\0b c\0", 8, 8, 0, 0, 3),
        (b"\xef\xbb\xbfHello world\n", 15, 13, 0, 1, 2),
        (b"No attack.\r\nTalks go on.\r\n\r\nEnd", 31, 31, 0, 3, 6),
    ];
    for (text, bytes, chars, invalid, lines, tokens) in cases {
        let c = counts(&run(&["--json"], text));
        let got = [
            &c["bytes"],
            &c["chars"],
            &c["invalid_bytes"],
            &c["lines"],
            &c["tokens"],
        ]
        .map(|v| v.as_u64().unwrap());
        assert_eq!(got, [bytes, chars, invalid, lines, tokens], "{text:?}");
    }
    // Tokens never contain invalid bytes, NUL, the BOM or CR.
    let text = b"\xef\xbb\xbfa\0b\xc0\xafc\r\nd\xed\xa0\x80e\r\n";
    for args in [&["tokens"][..], &["tokens", "--raw"]] {
        let out = run(args, text);
        assert!(out.status.success());
        assert_eq!(out.stdout, b"a\nb\nc\nd\ne\n", "{args:?}");
    }
}

#[test]
fn lexicon_with_100k_terms() {
    let mut text = String::from("#! name: big\n");
    for i in 0..100_000 {
        let cat = ["up", "down", "flat"][i % 3];
        text += &format!("term{i:05} w{}\t{cat}\t{}\n", i % 7, i % 5);
    }
    let lex = TempFile::new("100k.tsv", text.as_bytes());
    let t0 = Instant::now();
    let out = run(
        &["--json", "--lexicon", lex.path()],
        b"term00003 w3. term00004 w4 term99999 w4 term00010 w0",
    );
    eprintln!("100k-term lexicon: {:?}", t0.elapsed());
    let v = json(&out);
    assert_eq!(v["config"]["lexicon"], "big");
    let cats = &v["total"]["lexicon"]["categories"];
    assert_eq!(
        (cats["up"]["hits"].as_u64(), cats["up"]["score"].as_f64()),
        (Some(2), Some(7.0))
    );
    assert_eq!(cats["down"]["hits"], 1);
    assert_eq!(cats["flat"]["hits"], 0);

    // A bad line deep in a big lexicon: exit 2, file, line and reason.
    let start = text.find("term54321").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let bad = text[..start].to_owned()
        + &text[start..end].replace('\t', " ")
        + &text[end..];
    let lex = TempFile::new("100k-bad.tsv", bad.as_bytes());
    let out = run(&["--json", "--lexicon", lex.path()], b"x");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let want = format!(
        "textmeter: invalid lexicon {}: line 54323: missing tab",
        lex.path()
    );
    assert!(err.starts_with(&want), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn eight_grams_of_long_tokens() {
    // The CLI keeps 64 bytes of a token: 8-grams of 64-byte tokens (and
    // of longer ones, truncated) are counted and printed in full.
    let mut text = Vec::new();
    for i in 0..20u8 {
        let len = if i % 2 == 0 { 64 } else { 300 };
        text.extend(vec![b'a' + i % 5; len]);
        text.push(b' ');
    }
    let out = run(&["--json", "--ngrams", "8", "--top", "3"], &text);
    let v = json(&out);
    assert_eq!(v["total"]["counts"]["truncated_tokens"], 10);
    assert_eq!(v["total"]["counts"]["max_token_len"], 300);
    let t = &v["total"]["ngrams"]["8"];
    assert_eq!(
        (t["total"].as_u64(), t["exact"].as_bool()),
        (Some(13), Some(true))
    );
    for e in t["top"].as_array().unwrap() {
        let gram = e["gram"].as_array().expect("gram bytes kept");
        assert_eq!(gram.len(), 8);
        assert!(gram.iter().all(|t| t.as_str().unwrap().len() == 64));
    }
}
