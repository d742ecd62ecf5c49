//! A cache prefetch hint: the n-gram tables are far larger than the
//! caches, so their lookups are issued a few tokens ahead of use.
//!
//! The hint is the crate's second and last `unsafe` (after the SIMD block
//! classifier): `_mm_prefetch` takes a raw pointer, but it never faults
//! and never reads memory into the program, so any address is sound; ours
//! come from in-bounds references anyway. Elsewhere (and under Miri) it
//! compiles to nothing, which changes speed only, never a result.

/// Starts loading the cache line that holds `bytes[at]` (nothing if `at`
/// is out of bounds).
#[inline(always)]
pub(crate) fn prefetch(bytes: &[u8], at: usize) {
    if let Some(b) = bytes.get(at) {
        hint(b);
    }
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline(always)]
#[allow(unsafe_code)]
fn hint(b: &u8) {
    use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    // SAFETY: prefetching is a hint with no architectural effect; the
    // pointer comes from a live reference.
    unsafe { _mm_prefetch::<_MM_HINT_T0>((b as *const u8).cast()) }
}

#[cfg(not(all(target_arch = "x86_64", not(miri))))]
#[inline(always)]
fn hint(_: &u8) {}
