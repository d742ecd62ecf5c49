//! Rust-side tests of the C API: the header is current, and the exports
//! give the Rust API's numbers (the C programs in `ffi/tests/c/` check
//! the same from C, under valgrind).

mod api;
mod fuzz;
mod header;
