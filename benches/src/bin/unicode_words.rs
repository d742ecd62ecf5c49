//! `unicode-words FILE`: prints how many `unicode_words` unicode-segmentation
//! finds in FILE (invalid UTF-8 is replaced with U+FFFD first). A
//! whole-process peer for `benches/compare.py`.

use std::process::ExitCode;

use unicode_segmentation::UnicodeSegmentation;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: unicode-words FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("unicode-words: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    println!("{}", text.unicode_words().count());
    ExitCode::SUCCESS
}
