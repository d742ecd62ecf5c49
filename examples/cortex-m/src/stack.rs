//! Stack high-water mark by stack painting.
//!
//! With its `paint-stack` feature, cortex-m-rt's reset handler fills the
//! whole stack region, `_stack_end..._stack_start` (from the end of .bss to
//! the top of RAM), with `STACK_PAINT_VALUE` before anything else runs. The
//! stack grows down from `_stack_start`, so the lowest word that no longer
//! holds the paint marks the deepest the stack has ever been.
//!
//! NOTE: a frame that reserved stack without writing to it is not seen;
//! that can only under-report by the untouched part of one frame.

use core::ptr::addr_of;

use cortex_m_rt::STACK_PAINT_VALUE;

extern "C" {
    // Provided by cortex-m-rt's link.x; only their addresses are used.
    static _stack_end: u32;
    static _stack_start: u32;
}

fn bounds() -> (usize, usize) {
    // Taking the address of an extern static reads nothing (and needs no
    // `unsafe` since Rust 1.82).
    (addr_of!(_stack_end) as usize, addr_of!(_stack_start) as usize)
}

/// Bytes between the end of static RAM and the top of RAM.
pub fn size() -> usize {
    let (end, start) = bounds();
    start - end
}

/// The most stack used since reset, in bytes.
pub fn high_water() -> usize {
    let (end, start) = bounds();
    let mut p = end;
    // SAFETY: `end..start` is RAM the linker script reserves for the stack,
    // word aligned (link.x asserts it); reading a word of it is sound.
    // Volatile, because the compiler cannot know the stack is data.
    while p < start
        && unsafe { (p as *const u32).read_volatile() } == STACK_PAINT_VALUE
    {
        p += 4;
    }
    start - p
}
