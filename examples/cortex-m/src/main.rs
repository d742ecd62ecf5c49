//! textmeter on a Cortex-M3 under QEMU (`lm3s6965evb`).
//!
//! Feeds the seed article, embedded with `include_bytes!`, into the core
//! tokenizer in 64-byte chunks — as bytes would arrive from a UART — with
//! all state in static buffers, and prints over semihosting:
//!
//! - to stdout, the report (the format of `core/examples/report`, shared
//!   through one file), which `scripts/firmware-check` diffs against the
//!   host's;
//! - to stderr, what only the firmware can tell: the stack high-water mark
//!   and the size of each piece of state.
//!
//! Then it exits QEMU with the semihosting `exit` call.

#![no_std]
#![no_main]
#![deny(missing_docs)]

use core::fmt::Write as _;
use core::mem::size_of;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hio};
use panic_semihosting as _;
use textmeter::tokenize::{Tokenizer, TokenizerConfig};

#[path = "../../../core/examples/report/format.rs"]
mod format;
mod stack;

/// The article analysed (the workspace's first seed).
static ARTICLE: &[u8] =
    include_bytes!("../../../seeds/000_578c3a6d681ebc7b.txt");

/// Bytes handed to the tokenizer at a time, as from a UART receive buffer.
const CHUNK: usize = 64;

#[entry]
fn main() -> ! {
    let ok = run().is_ok();
    debug::exit(if ok { debug::EXIT_SUCCESS } else { debug::EXIT_FAILURE });
    // Only reached when no debugger (QEMU) answers the exit call.
    loop {
        cortex_m::asm::wfi();
    }
}

fn run() -> Result<(), core::fmt::Error> {
    // `singleton!` puts the state in a `static` (.bss), so the RAM figure
    // shows it and main's stack frame stays small. It returns None only on
    // a second call.
    let tokenizer = cortex_m::singleton!(
        : Tokenizer = Tokenizer::new(TokenizerConfig::default())
    )
    .ok_or(core::fmt::Error)?;
    let report =
        cortex_m::singleton!(: format::Report = format::Report::default())
            .ok_or(core::fmt::Error)?;

    for chunk in ARTICLE.chunks(CHUNK) {
        tokenizer.feed(chunk, |t| report.add_token(t));
    }
    tokenizer.finish(|t| report.add_token(t));
    report.set_text_stats(tokenizer.stats());

    let mut out = hio::hstdout().map_err(|()| core::fmt::Error)?;
    report.write_to(&mut out)?;

    // Measured after the work, before printing more: formatting the lines
    // below uses stack too, and that is already covered by the report above.
    let high_water = stack::high_water();
    let mut err = hio::hstderr().map_err(|()| core::fmt::Error)?;
    writeln!(err, "stack_high_water {high_water}")?;
    writeln!(err, "stack_size {}", stack::size())?;
    writeln!(err, "chunk {CHUNK}")?;
    writeln!(err, "size_of_tokenizer {}", size_of::<Tokenizer>())?;
    writeln!(err, "size_of_report {}", size_of::<format::Report>())?;
    writeln!(err, "article_bytes {}", ARTICLE.len())
}
