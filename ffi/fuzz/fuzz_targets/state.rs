//! cargo-fuzz target: see `check::state` for the input layout and what is
//! checked.
#![no_main]

#[allow(dead_code)] // each target uses one check
#[path = "../src/check.rs"]
mod check;

mod capi {
    pub use textmeter_ffi::*;
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::state(data));
