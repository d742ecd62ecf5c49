//! Arenas on a host (feature `std`): the zeroed memory an
//! [`Analyzer`](crate::analyzer::Analyzer), n-gram set or lexicon asks
//! for, taken from the operating system and committed page by page as it
//! is touched.
//!
//! Every structure of this crate works in a `&mut [u8]` its caller
//! provides, sized by a `bytes_needed` function for the configuration
//! (21.2 MB for an analyzer with the defaults). A table uses the front of
//! its region until its entries need more, so most of an arena is never
//! touched on small inputs: `vec![0; n]` gets that from the allocator for
//! large `n`, but aborts the process when the memory is refused, and
//! `Vec::try_reserve` + `resize` is fallible but writes every byte.
//! [`Arena::new`] is both fallible and lazy (an anonymous mapping).
//!
//! An analyzer's n-gram tables are probed at random all over the arena.
//! With 4 KiB pages nearly every probe of a full table also misses the
//! TLB, and under a hypervisor a TLB miss is a two-level page walk;
//! [`Arena::with_huge_pages`] advises Linux to back the mapping with
//! 2 MiB pages. They are committed 2 MiB at a time, so they pay only for
//! large inputs ([`HUGE_PAGE_INPUT`]).
//!
//! ```
//! use textmeter::analyzer::{Analyzer, AnalyzerConfig};
//! use textmeter::arena::Arena;
//!
//! let config = AnalyzerConfig::new();
//! let mut mem = Arena::new(config.bytes_needed())?;
//! let mut a = Analyzer::new(config, &mut mem, None).unwrap();
//! a.update(b"Talks, not troops.");
//! a.finish();
//! assert_eq!(a.counts().tokens, 3);
//! # Ok::<(), std::io::Error>(())
//! ```

use core::ops::{Deref, DerefMut};
use std::io;

/// Inputs (in bytes of text) from which an analyzer's arena pays for huge
/// pages. With the defaults, one 5 KB article took 17.9 MB of peak RSS
/// with huge pages against 3.8 MB without, 1 MB of text 22.8 against
/// 16.6 MB; from a few MB of text on the tables are full (the defaults'
/// after about 1 MB of English) or large, and on the 8.35 MB corpus the
/// CLI took 8 % less CPU with the defaults and 18–25 % less with
/// 2,000,000 entries per table (2026-12-07, medians of 5 to 11).
pub const HUGE_PAGE_INPUT: u64 = 4 << 20;

/// Zeroed memory committed as it is touched; dereferences to `[u8]`.
#[derive(Debug)]
pub struct Arena {
    /// `None` for an empty arena (a mapping cannot be empty).
    map: Option<memmap2::MmapMut>,
}

impl Arena {
    /// `len` zeroed bytes.
    ///
    /// # Errors
    /// The operating system's, when it refuses the mapping.
    pub fn new(len: usize) -> io::Result<Arena> {
        let map = match len {
            0 => None,
            _ => Some(memmap2::MmapMut::map_anon(len)?),
        };
        Ok(Arena { map })
    }

    /// `len` zeroed bytes, advised to be backed by huge pages where the
    /// operating system has them (advice only: without them the arena is
    /// the same as [`Arena::new`]'s).
    ///
    /// # Errors
    /// The operating system's, when it refuses the mapping.
    pub fn with_huge_pages(len: usize) -> io::Result<Arena> {
        let arena = Arena::new(len)?;
        if let Some(map) = &arena.map {
            advise_huge(map);
        }
        Ok(arena)
    }

    /// An arena of `len` bytes for an analyzer that will see `input`
    /// bytes of text: on huge pages from [`HUGE_PAGE_INPUT`] on.
    ///
    /// # Errors
    /// The operating system's, when it refuses the mapping.
    pub fn for_input(len: usize, input: u64) -> io::Result<Arena> {
        if input >= HUGE_PAGE_INPUT {
            Arena::with_huge_pages(len)
        } else {
            Arena::new(len)
        }
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
        self.map.as_deref().unwrap_or_default()
    }
}

impl DerefMut for Arena {
    fn deref_mut(&mut self) -> &mut [u8] {
        self.map.as_deref_mut().unwrap_or_default()
    }
}

impl AsRef<[u8]> for Arena {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl AsMut<[u8]> for Arena {
    fn as_mut(&mut self) -> &mut [u8] {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::Arena;

    #[test]
    fn arenas_are_zeroed_and_writable_whichever_pages() {
        for huge in [false, true] {
            for len in [0, 1, 4096, 3 << 20] {
                let mut a = if huge {
                    Arena::with_huge_pages(len)
                } else {
                    Arena::new(len)
                }
                .unwrap();
                assert_eq!(a.len(), len);
                assert!(a.iter().all(|&b| b == 0));
                if len > 0 {
                    a[len - 1] = 7;
                    assert_eq!(a[len - 1], 7);
                }
            }
        }
    }

    #[test]
    fn a_refused_mapping_is_an_error_not_an_abort() {
        assert!(Arena::new(usize::MAX / 2).is_err());
    }
}
