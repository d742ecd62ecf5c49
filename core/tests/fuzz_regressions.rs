//! Replays the inputs committed under `core/fuzz/` — the seed corpus
//! (`core/fuzz/seeds/<target>/`) and the minimised inputs of past
//! findings (`core/fuzz/regressions/<target>/`) — through the fuzz
//! targets' checks, on stable, so they run with the normal tests.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut ran = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target))
        else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            eprintln!("{}", f.display());
            check(&data);
            ran += 1;
        }
    }
    assert!(ran > 0, "no committed inputs for {target}");
}

#[test]
fn tokenize_chunks_inputs() {
    replay("tokenize_chunks", checks::tokenize_chunks);
}

#[test]
fn lexicon_parse_inputs() {
    replay("lexicon_parse", checks::lexicon_parse);
}

#[test]
fn ngram_ops_inputs() {
    replay("ngram_ops", checks::ngram_ops);
}

#[test]
fn analyzer_inputs() {
    replay("analyzer", checks::analyzer);
}

#[test]
fn deserialize_inputs() {
    replay("deserialize", checks::deserialize);
}
