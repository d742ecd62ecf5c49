//! cargo-fuzz target: see `textmeter_fuzz::deserialize` for the input
//! layout and the invariants checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    textmeter_fuzz::deserialize(data);
});
