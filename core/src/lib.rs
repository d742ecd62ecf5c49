#![no_std]
//! textmeter core (work in progress).
#![deny(missing_docs)]

#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod counts;
pub mod hash;
pub mod lexicon;
pub mod tokenize;
