#![no_std]
//! textmeter core (work in progress).
#![deny(missing_docs)]

#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod hash;
pub mod lexicon;
