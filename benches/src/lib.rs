//! Benchmark inputs for textmeter, shared by the criterion benches and the
//! peer binaries used by `benches/compare.py`.
//!
//! Inputs, smallest first:
//!
//! - `seeds`: the five seed articles concatenated (22 KB), compiled in with
//!   `include_bytes!` so it is always there;
//! - `corpus`: the file named by `TEXTMETER_BENCH_CORPUS`, or else the
//!   concatenation of the corpus directory's `*.txt` files and the seeds
//!   (8.35 MB with the shared corpus);
//! - `english` (`kjv.txt` + `fortunes-en.txt`) and `non-ascii`
//!   (`fortunes-ru.txt` + `fortunes-zh.txt`), from the corpus directory.
//!
//! The corpus directory is `TEXTMETER_BENCH_CORPUS_DIR`, else
//! `../shared/corpus` beside the workspace, else `target/corpus` inside it
//! (where `scripts/make-corpus` writes by default). When none exists the
//! large inputs are skipped with a note on stderr.
//!
//! ```
//! let inputs = textmeter_bench::inputs();
//! assert_eq!(inputs[0].name, "seeds");
//! assert!(inputs[0].text.len() > 20_000);
//! ```

pub mod hash_floor;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// The seed articles, concatenated in file-name order.
pub const SEEDS: [&[u8]; 5] = [
    include_bytes!("../../seeds/000_578c3a6d681ebc7b.txt"),
    include_bytes!("../../seeds/001_c98c762a7310f6b1.txt"),
    include_bytes!("../../seeds/002_42020a276fbfca6a.txt"),
    include_bytes!("../../seeds/003_26c6bf94ee660717.txt"),
    include_bytes!("../../seeds/004_a5e0853e2474a670.txt"),
];

/// The English-heavy input's files, in order.
pub const ENGLISH_FILES: [&str; 2] = ["kjv.txt", "fortunes-en.txt"];

/// The non-ASCII-heavy input's files, in order.
pub const NON_ASCII_FILES: [&str; 2] = ["fortunes-ru.txt", "fortunes-zh.txt"];

/// One named benchmark input.
#[derive(Clone, Debug)]
pub struct Input {
    /// The name used as the `BenchmarkId` parameter.
    pub name: &'static str,
    /// The bytes.
    pub text: Vec<u8>,
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the bench crate lives inside the workspace")
        .to_path_buf()
}

/// The corpus directory, if one exists: see the crate docs for the order
/// in which places are tried.
pub fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = env::var_os("TEXTMETER_BENCH_CORPUS_DIR") {
        return Some(PathBuf::from(dir)).filter(|d| d.is_dir());
    }
    let root = workspace_root();
    [root.join("../shared/corpus"), root.join("target/corpus")]
        .into_iter()
        .find(|d| d.join("kjv.txt").is_file())
}

/// The seeds as one text.
pub fn seeds() -> Vec<u8> {
    SEEDS.concat()
}

/// All inputs that can be found, smallest first. Missing large inputs are
/// reported on stderr, never silently dropped.
///
/// # Panics
/// When `TEXTMETER_BENCH_CORPUS` names a file that cannot be read, or a
/// corpus directory lacks one of the files it is expected to hold.
pub fn inputs() -> Vec<Input> {
    let mut out = vec![Input { name: "seeds", text: seeds() }];
    let dir = corpus_dir();
    if let Some(path) = env::var_os("TEXTMETER_BENCH_CORPUS") {
        let text = fs::read(&path).unwrap_or_else(|e| {
            panic!("TEXTMETER_BENCH_CORPUS={path:?}: {e}")
        });
        out.push(Input { name: "corpus", text });
    } else if let Some(dir) = &dir {
        let mut text = Vec::new();
        for file in sorted_txt_files(dir) {
            text.extend(read(&file));
        }
        text.extend(seeds());
        out.push(Input { name: "corpus", text });
    } else {
        eprintln!(
            "note: no corpus (set TEXTMETER_BENCH_CORPUS, or run \
             scripts/make-corpus): skipping the large inputs"
        );
    }
    match &dir {
        Some(dir) => {
            out.push(Input {
                name: "english",
                text: cat(dir, &ENGLISH_FILES),
            });
            out.push(Input {
                name: "non-ascii",
                text: cat(dir, &NON_ASCII_FILES),
            });
        }
        None => eprintln!(
            "note: no corpus directory: skipping the english and \
             non-ascii inputs"
        ),
    }
    out
}

/// The `*.txt` files of a directory in byte order of their names (what
/// `cat dir/*.txt` reads under `LC_ALL=C`).
fn sorted_txt_files(dir: &Path) -> Vec<PathBuf> {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

fn cat(dir: &Path, names: &[&str]) -> Vec<u8> {
    names.iter().flat_map(|n| read(&dir.join(n))).collect()
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
