//! Rust-side tests of the C API: the header is current, and the exports
//! give the Rust API's numbers.

mod header;
