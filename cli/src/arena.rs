//! Memory for the analyzers: zeroed anonymous mappings that Linux may back
//! with transparent huge pages.
//!
//! An analyzer's n-gram tables are probed at random all over their arena
//! (21.2 MB with the defaults). With 4 KiB pages nearly every probe of a
//! full table also misses the TLB, and under a hypervisor a TLB miss is a
//! two-level page walk; with 2 MiB pages the arena needs a few TLB entries.
//! `MADV_HUGEPAGE` is only advice: where the kernel has no huge page at
//! hand, or transparent huge pages are off, the mapping is plain memory and
//! nothing else changes. Measured gains are in `benches/RESULTS.md`.
//!
//! Huge pages are committed 2 MiB at a time, so an arena that a small
//! document barely touches would still cost up to 2 MiB per table region
//! it starts to use; [`Arena::new`] takes the advice only when the caller
//! asks (the CLI does from 4 MiB of input on: `HUGE_PAGE_INPUT`).

use std::ops::{Deref, DerefMut};

/// A zeroed byte buffer for an [`textmeter::analyzer::Analyzer`].
pub enum Arena {
    /// An anonymous mapping, advised to use huge pages.
    Mapped(memmap2::MmapMut),
    /// Ordinary heap memory.
    Heap(Vec<u8>),
}

impl Arena {
    /// `len` zeroed bytes; mapped and advised to use huge pages when
    /// `huge` (falls back to the heap if the mapping fails).
    pub fn new(len: usize, huge: bool) -> Arena {
        if huge && len > 0 {
            if let Ok(map) = memmap2::MmapMut::map_anon(len) {
                advise_huge(&map);
                return Arena::Mapped(map);
            }
        }
        Arena::Heap(vec![0u8; len])
    }
}

#[cfg(target_os = "linux")]
fn advise_huge(map: &memmap2::MmapMut) {
    // Advice, not a requirement: an error (no THP support) changes nothing.
    let _ = map.advise(memmap2::Advice::HugePage);
}

#[cfg(not(target_os = "linux"))]
fn advise_huge(_: &memmap2::MmapMut) {}

impl Deref for Arena {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Arena::Mapped(m) => m,
            Arena::Heap(v) => v,
        }
    }
}

impl DerefMut for Arena {
    fn deref_mut(&mut self) -> &mut [u8] {
        match self {
            Arena::Mapped(m) => m,
            Arena::Heap(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Arena;

    #[test]
    fn arenas_are_zeroed_and_writable_whichever_memory() {
        for huge in [false, true] {
            for len in [0, 1, 4096, 3 << 20] {
                let mut a = Arena::new(len, huge);
                assert_eq!(a.len(), len);
                assert!(a.iter().all(|&b| b == 0));
                if len > 0 {
                    a[len - 1] = 7;
                    assert_eq!(a[len - 1], 7);
                }
                assert_eq!(matches!(a, Arena::Mapped(_)), huge && len > 0);
            }
        }
    }
}
