//! Writes `core/src/tokenize/tables.rs` to stdout.
//!
//! Usage: `textmeter-ucdgen UCD_DIR` where `UCD_DIR` holds
//! `auxiliary/WordBreakProperty.txt`, `emoji/emoji-data.txt` and
//! `DerivedAge.txt` (Debian's
//! `unicode-data` package installs them under `/usr/share/unicode`).
//!
//! Word_Break and Extended_Pictographic come from those UCD files. The
//! alphabetic, numeric and lowercase facts deliberately come from Rust's own
//! `char` methods instead: tokens are defined as "segments with a char for
//! which `char::is_alphanumeric` holds" and normalisation as
//! `char::to_lowercase`, and core's tests check the committed tables against
//! those methods for every scalar value, so a compiler with newer Unicode data
//! is noticed rather than silently disagreed with.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::{env, fs, process};

/// Word_Break values in the order of core's `Prop` enum.
const PROPS: [&str; 19] = [
    "Other",
    "CR",
    "LF",
    "Newline",
    "Extend",
    "ZWJ",
    "Regional_Indicator",
    "Format",
    "Katakana",
    "Hebrew_Letter",
    "ALetter",
    "Single_Quote",
    "Double_Quote",
    "MidNumLet",
    "MidLetter",
    "MidNum",
    "Numeric",
    "ExtendNumLet",
    "WSegSpace",
];

const EXT_PICT: u16 = 1 << 5;
const ALPHA: u16 = 1 << 6;
const NUMERIC: u16 = 1 << 7;
const LOWER_DIFFERS: u16 = 1 << 8;
/// Code points below this get a direct lookup table.
const DIRECT: u32 = 0x800;

fn parse_ranges(text: &str, mut f: impl FnMut(u32, u32, &str)) {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut fields = line.split(';').map(str::trim);
        let range = fields.next().unwrap_or_default();
        let value = fields.next().unwrap_or_default();
        let (lo, hi) = match range.split_once("..") {
            Some((a, b)) => (a, b),
            None => (range, range),
        };
        let lo = u32::from_str_radix(lo, 16).expect("hex code point");
        let hi = u32::from_str_radix(hi, 16).expect("hex code point");
        f(lo, hi, value);
    }
}

fn read(dir: &str, rel: &str) -> String {
    let path = format!("{dir}/{rel}");
    fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("textmeter-ucdgen: cannot read {path}: {e}");
        process::exit(2);
    })
}

fn version_of(text: &str) -> String {
    // First line looks like `# WordBreakProperty-15.0.0.txt`.
    let first = text.lines().next().unwrap_or_default();
    first
        .trim_start_matches("# ")
        .trim_end_matches(".txt")
        .rsplit('-')
        .next()
        .unwrap_or("unknown")
        .to_string()
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let dir = args.get(1).map(String::as_str).unwrap_or("/usr/share/unicode");
    let wb = read(dir, "auxiliary/WordBreakProperty.txt");
    let emoji = read(dir, "emoji/emoji-data.txt");
    let age = read(dir, "DerivedAge.txt");
    let version = version_of(&wb);

    let mut values = vec![0u16; 0x110000];
    parse_ranges(&wb, |lo, hi, v| {
        let idx = PROPS.iter().position(|p| *p == v).unwrap_or_else(|| {
            eprintln!("textmeter-ucdgen: unknown Word_Break value {v}");
            process::exit(2);
        });
        for cp in lo..=hi {
            values[cp as usize] = idx as u16;
        }
    });
    parse_ranges(&emoji, |lo, hi, v| {
        if v == "Extended_Pictographic" {
            for cp in lo..=hi {
                values[cp as usize] |= EXT_PICT;
            }
        }
    });
    let mut lower: BTreeMap<u32, u32> = BTreeMap::new();
    for cp in 0..0x110000u32 {
        let Some(c) = char::from_u32(cp) else { continue };
        if c.is_alphabetic() {
            values[cp as usize] |= ALPHA;
        } else if c.is_numeric() {
            values[cp as usize] |= NUMERIC;
        }
        let mut it = c.to_lowercase();
        let first = it.next().expect("to_lowercase yields a char");
        let rest: Vec<char> = it.collect();
        if first != c || !rest.is_empty() {
            values[cp as usize] |= LOWER_DIFFERS;
            if rest.is_empty() {
                lower.insert(cp, first as u32);
            } else {
                // Only U+0130 lowercases to two chars; core special-cases it.
                assert_eq!(cp, 0x130, "unexpected multi-char lowercase");
            }
        }
    }

    // Runs of equal values above the direct table.
    let mut runs: Vec<(u32, u16)> = Vec::new();
    for cp in DIRECT..0x110000u32 {
        let v = values[cp as usize];
        if runs.last().map(|r| r.1) != Some(v) {
            runs.push((cp, v));
        }
    }

    // Lowercase mappings as ranges: (start, len, stride, delta). A range is
    // either consecutive code points with one delta (stride 1) or every other
    // code point with one delta (stride 2, the Latin Extended pairs).
    let pairs: Vec<(u32, u32)> = lower.into_iter().collect();
    let mut ranges: Vec<(u32, u32, u32, i32)> = Vec::new();
    let mut i = 0;
    while i < pairs.len() {
        let (start, to) = pairs[i];
        let delta = to as i32 - start as i32;
        let mut best = (1u32, 1u32);
        for stride in [1u32, 2] {
            let mut len = 1u32;
            while let Some(&(cp, t)) = pairs.get(i + len as usize) {
                if cp != start + len * stride || t as i32 - cp as i32 != delta
                {
                    break;
                }
                len += 1;
            }
            if len > best.0 {
                best = (len, stride);
            }
        }
        ranges.push((start, best.0, best.1, delta));
        i += best.0 as usize;
    }

    // Code points assigned in this Unicode version: tests compare against
    // unicode-segmentation (a newer Unicode) only on text made of them.
    let mut assigned = vec![false; 0x110000];
    parse_ranges(&age, |lo, hi, _| {
        for cp in lo..=hi {
            assigned[cp as usize] = true;
        }
    });
    let mut assigned_ranges: Vec<(u32, u32)> = Vec::new();
    for cp in 0..0x110000u32 {
        if !assigned[cp as usize] {
            continue;
        }
        match assigned_ranges.last_mut() {
            Some(r) if r.1 + 1 == cp => r.1 = cp,
            _ => assigned_ranges.push((cp, cp)),
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! Unicode tables for the tokenizer. @generated by `scripts/regen-tables`\n\
         //! (tools/ucdgen) from Unicode {version} `WordBreakProperty.txt` and\n\
         //! `emoji-data.txt`, and from Rust's `char` methods for the alphabetic,\n\
         //! numeric and lowercase columns. Do not edit by hand.\n"
    );
    let _ = writeln!(out, "/// Unicode version of the Word_Break data.");
    let nums: Vec<&str> = version.split('.').collect();
    let _ = writeln!(
        out,
        "pub(crate) const UNICODE_VERSION: (u8, u8, u8) = ({}, {}, {});\n",
        nums.first().unwrap_or(&"0"),
        nums.get(1).unwrap_or(&"0"),
        nums.get(2).unwrap_or(&"0")
    );
    let _ = writeln!(
        out,
        "/// Code points below this are looked up in [`DIRECT`]."
    );
    let _ =
        writeln!(out, "pub(crate) const DIRECT_LIMIT: u32 = {DIRECT:#x};\n");
    let _ = writeln!(
        out,
        "/// Property bits of every code point below [`DIRECT_LIMIT`]."
    );
    let _ = writeln!(out, "pub(crate) static DIRECT: [u16; {DIRECT}] = [");
    for chunk in values[..DIRECT as usize].chunks(12) {
        let row: Vec<String> =
            chunk.iter().map(|v| format!("{v:#05x}")).collect();
        let _ = writeln!(out, "    {},", row.join(", "));
    }
    let _ = writeln!(out, "];\n");
    let _ = writeln!(
        out,
        "/// Runs above [`DIRECT_LIMIT`]: `start << 11 | bits`; a run lasts until\n\
         /// the next entry's start."
    );
    let _ = writeln!(out, "pub(crate) static RUNS: [u32; {}] = [", runs.len());
    for chunk in runs.chunks(6) {
        let row: Vec<String> = chunk
            .iter()
            .map(|(s, v)| format!("{:#010x}", (s << 11) | u32::from(*v)))
            .collect();
        let _ = writeln!(out, "    {},", row.join(", "));
    }
    let _ = writeln!(out, "];\n");
    let _ = writeln!(
        out,
        "/// Single-char lowercase mappings: `(start, len, stride, delta)`; code\n\
         /// point `start + k * stride` (k < len) lowercases to itself + delta."
    );
    let _ = writeln!(
        out,
        "pub(crate) static LOWER: [(u32, u16, u8, i32); {}] = [",
        ranges.len()
    );
    for (s, l, st, d) in &ranges {
        let _ = writeln!(out, "    ({s:#x}, {l}, {st}, {d}),");
    }
    let _ = writeln!(out, "];\n");
    let _ = writeln!(
        out,
        "/// Code point ranges assigned in this Unicode version (tests only)."
    );
    let _ = writeln!(out, "#[cfg(test)]");
    let _ = writeln!(
        out,
        "pub(crate) static ASSIGNED: [(u32, u32); {}] = [",
        assigned_ranges.len()
    );
    for (lo, hi) in &assigned_ranges {
        let _ = writeln!(out, "    ({lo:#x}, {hi:#x}),");
    }
    let _ = writeln!(out, "];");
    print!("{out}");
    eprintln!(
        "textmeter-ucdgen: Unicode {version}: {} runs, {} lowercase ranges",
        runs.len(),
        ranges.len()
    );
}
