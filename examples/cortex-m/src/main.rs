//! textmeter on a Cortex-M3 under QEMU (`lm3s6965evb`).
//!
//! Feeds the seed article, embedded with `include_bytes!`, into the core
//! tokenizer in 64-byte chunks — as bytes would arrive from a UART — and
//! each token into 1..=3-gram counters and the built-in `news-stance`
//! lexicon, with all state in static buffers, and prints over semihosting:
//!
//! - to stdout, the report (counts, top n-grams, category scores; the
//!   analysis and format of `core/examples/report`, shared through one
//!   file), which `scripts/firmware-check` diffs against the host's;
//! - to stderr, what only the firmware can tell: the stack high-water mark
//!   and the size of each piece of state.
//!
//! Then it exits QEMU with the semihosting `exit` call.

#![no_std]
#![no_main]
#![deny(missing_docs)]

use core::fmt::Write as _;
use core::mem::size_of;
use core::ptr::addr_of_mut;
use core::sync::atomic::{AtomicBool, Ordering};

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hio};
use panic_semihosting as _;
use textmeter::lexicon::{
    Format, Lexicon, Matcher, ParseOptions, BUILTIN_BYTES, NEWS_STANCE_TSV,
};
use textmeter::tokenize::{Tokenizer, TokenizerConfig};

#[path = "../../../core/examples/report/analysis.rs"]
mod analysis;
mod stack;

/// The article analysed (the workspace's first seed).
static ARTICLE: &[u8] =
    include_bytes!("../../../seeds/000_578c3a6d681ebc7b.txt");

/// Bytes handed to the tokenizer at a time, as from a UART receive buffer.
const CHUNK: usize = 64;

/// The n-gram arena, sized at compile time from the shared configuration.
static mut NGRAM_ARENA: [u8; analysis::NGRAM_BYTES] =
    [0; analysis::NGRAM_BYTES];
/// The built-in `news-stance` lexicon, compiled here at start-up.
static mut LEXICON_MEM: [u8; BUILTIN_BYTES] = [0; BUILTIN_BYTES];
/// Set by the one call that may borrow the two buffers above.
static BUFFERS_TAKEN: AtomicBool = AtomicBool::new(false);

/// The large buffers, borrowed once. They are plain `static mut` arrays
/// rather than `cortex_m::singleton!`, which builds its value on the stack
/// before moving it: 36 KiB the stack could not spare.
fn take_buffers() -> Option<(
    &'static mut [u8; analysis::NGRAM_BYTES],
    &'static mut [u8; BUILTIN_BYTES],
)> {
    if BUFFERS_TAKEN.swap(true, Ordering::AcqRel) {
        return None;
    }
    // SAFETY: the flag above lets this point be reached once, so these are
    // the only references to the two statics ever made, and nothing else
    // (no interrupt handler) names them.
    unsafe {
        Some((
            &mut *addr_of_mut!(NGRAM_ARENA),
            &mut *addr_of_mut!(LEXICON_MEM),
        ))
    }
}

#[entry]
fn main() -> ! {
    let ok = run().is_ok();
    debug::exit(if ok { debug::EXIT_SUCCESS } else { debug::EXIT_FAILURE });
    // Only reached when no debugger (QEMU) answers the exit call.
    loop {
        cortex_m::asm::wfi();
    }
}

// The set-up steps below are kept out of line (`inline(never)`): inlined
// into `run`, their temporaries all shared `run`'s frame, which then held
// ~9.5 KiB for the whole run. Out of line, each one's stack is given back
// before the next starts, and the high-water mark is the largest of them.

/// Compiles the built-in `news-stance` lexicon into `mem`, the way
/// `BuiltinLexicon::new` does, but into a static buffer instead of a value
/// returned on the stack. Its format is given, not detected, so the
/// parsers of the other formats are not linked in (flash is the budget).
#[inline(never)]
fn compile_lexicon(
    mem: &'static mut [u8],
) -> Result<Lexicon<'static>, Failed> {
    let opts = ParseOptions { format: Format::Tsv, ..ParseOptions::default() };
    Lexicon::parse_into(NEWS_STANCE_TSV, &opts, mem).map_err(|_| Failed)
}

/// The lexicon matcher (about 4 KiB) in a `static` (.bss), so the RAM
/// figure shows it. `singleton!` returns None only on a second call.
#[inline(never)]
fn new_matcher(
    lexicon: Lexicon<'static>,
) -> Result<&'static mut Matcher<'static>, Failed> {
    cortex_m::singleton!(: Matcher<'static> = Matcher::new(lexicon))
        .ok_or(Failed)
}

/// The tokenizer, in a `static` as well.
#[inline(never)]
fn new_tokenizer() -> Result<&'static mut Tokenizer, Failed> {
    cortex_m::singleton!(: Tokenizer = Tokenizer::new(TokenizerConfig::default()))
        .ok_or(Failed)
}

/// The analysis state (n-gram bookkeeping, counts) in a `static` too.
#[inline(never)]
fn new_analysis(
    arena: &'static mut [u8],
    matcher: &'static mut Matcher<'static>,
) -> Result<&'static mut analysis::Analysis<'static, 'static>, Failed> {
    let a = analysis::Analysis::new(arena, matcher).map_err(|_| Failed)?;
    cortex_m::singleton!(: analysis::Analysis<'static, 'static> = a)
        .ok_or(Failed)
}

/// Feeds the article in [`CHUNK`]-byte pieces, as a UART driver would.
#[inline(never)]
fn analyse(tokenizer: &mut Tokenizer, analysis: &mut analysis::Analysis) {
    for chunk in ARTICLE.chunks(CHUNK) {
        tokenizer.feed(chunk, |t| analysis.add_token(t));
    }
    tokenizer.finish(|t| analysis.add_token(t));
    analysis.finish(tokenizer.stats());
}

/// Prints the report on semihosting stdout.
#[inline(never)]
fn print_report(analysis: &analysis::Analysis) -> Result<(), Failed> {
    let mut out = hio::hstdout().map_err(|()| Failed)?;
    analysis.write_to(&mut out)?;
    Ok(())
}

/// Any failure: it is reported by the exit status (and, for a panic, by
/// panic-semihosting's message).
struct Failed;

impl From<core::fmt::Error> for Failed {
    fn from(_: core::fmt::Error) -> Self {
        Failed
    }
}

fn run() -> Result<(), Failed> {
    let (arena, lexicon_mem) = take_buffers().ok_or(Failed)?;
    let lexicon = compile_lexicon(lexicon_mem)?;
    let matcher = new_matcher(lexicon)?;
    let tokenizer = new_tokenizer()?;
    let analysis = new_analysis(arena, matcher)?;
    analyse(tokenizer, analysis);
    print_report(analysis)?;

    // Measured after the report, so its formatting is included; the lines
    // below use no more stack than the report did.
    let high_water = stack::high_water();
    let mut err = hio::hstderr().map_err(|()| Failed)?;
    writeln!(err, "stack_high_water {high_water}")?;
    writeln!(err, "stack_size {}", stack::size())?;
    writeln!(err, "chunk {CHUNK}")?;
    writeln!(err, "size_of_tokenizer {}", size_of::<Tokenizer>())?;
    writeln!(err, "size_of_matcher {}", size_of::<Matcher>())?;
    writeln!(err, "size_of_analysis {}", size_of::<analysis::Analysis>())?;
    writeln!(err, "ngram_arena {}", analysis::NGRAM_BYTES)?;
    writeln!(err, "lexicon_mem {BUILTIN_BYTES}")?;
    writeln!(err, "lexicon_tsv {}", NEWS_STANCE_TSV.len())?;
    writeln!(err, "article_bytes {}", ARTICLE.len())?;
    Ok(())
}
