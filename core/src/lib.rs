//! textmeter: text statistics in fixed memory, with no heap and no `std`.
//!
//! The core turns bytes — in chunks of any size, split anywhere — into
//! UAX #29 word tokens ([`tokenize`]) and counts them ([`counts`]). It never
//! allocates: every structure has a fixed size chosen by the caller, so the
//! same code runs on a microcontroller and on a server, and gives the same
//! numbers on both.
//!
//! # Example
//! ```
//! use textmeter::counts::TokenCounter;
//! use textmeter::tokenize::TokenizerConfig;
//!
//! let mut counter = TokenCounter::new(TokenizerConfig::default());
//! // Chunks may split a UTF-8 sequence or a word anywhere.
//! counter.update(b"Russia\xe2\x80");
//! counter.update(b"\x99s 130,0");
//! counter.update(b"00 troops, said the U.S.\n");
//! let counts = counter.finish();
//! assert_eq!(counts.tokens, 6); // russia's 130,000 troops said the u.s
//! assert_eq!(counts.numbers, 1);
//! assert_eq!(counts.lines, 1);
//! ```
//!
//! # Crate features
//! - `std` (off by default): what only a host has. No algorithm depends
//!   on it; the crate builds for bare-metal targets without it. It adds
//!   `arena`, lazily committed memory for the arenas (an anonymous
//!   mapping, through the `memmap2` crate).
#![no_std]
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]

#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod analyzer;
#[cfg(feature = "std")]
pub mod arena;
pub mod counts;
pub mod distinct;
pub mod hash;
pub mod lexicon;
pub mod ngram;
mod prefetch;
pub mod signature;
pub mod tokenize;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
