//! The fuzz checks (`ffi/fuzz/src/check.rs`) on stable: every committed
//! regression input, and the seeds and the built-in lexicon under a spread
//! of option bytes.

#[path = "../../fuzz/src/check.rs"]
mod check;

mod capi {
    pub use crate::*;
}

use std::fs;
use std::path::Path;

fn inputs(dir: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| {
        p.is_file() && !matches!(p.extension(), Some(e) if e == "md")
    });
    paths.sort();
    paths.iter().map(|p| fs::read(p).expect("readable")).collect()
}

fn with_opt(opt: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![opt];
    v.extend_from_slice(body);
    v
}

#[test]
fn analyzer_regressions_and_seeds() {
    for input in inputs("fuzz/regressions/analyzer") {
        check::analyzer(&input);
    }
    for seed in inputs("../seeds") {
        for opt in (0..=255u8).step_by(37) {
            check::analyzer(&with_opt(opt, &seed[..seed.len().min(1500)]));
        }
    }
}

#[test]
fn lexicon_regressions_and_builtin() {
    for input in inputs("fuzz/regressions/lexicon") {
        check::lexicon(&input);
    }
    let tsv = textmeter_core::lexicon::NEWS_STANCE_TSV;
    for opt in 0..16u8 {
        check::lexicon(&with_opt(opt, tsv));
        check::lexicon(&with_opt(opt, b"talks\tcalm\nattack escalation\n"));
        check::lexicon(&with_opt(opt, b"%\n1\tposemo\n%\nhappy\t1\nsad\t9\n"));
        check::lexicon(&with_opt(opt, b"good\t3\nbad\t-3\n"));
    }
}

#[test]
fn state_regressions_and_seeds() {
    for input in inputs("fuzz/regressions/state") {
        check::state(&input);
    }
    for seed in inputs("../seeds") {
        let text = &seed[..seed.len().min(1500)];
        for opt in 0..8u8 {
            check::state(&[&[opt, 0][..], text].concat());
            // Edits: the magic, a count, a gram byte, the last byte.
            for edit in
                [[0, 0, 1], [40, 0, 0x80], [0x40, 1, 0x20], [0xff, 0xff, 1]]
            {
                check::state(&[&[opt, 1][..], &edit, text].concat());
            }
        }
    }
}
