//! The analyzer handle: caller memory or heap, feeding, reading results.

use std::alloc::{self, Layout};
use std::ffi::c_char;
use std::mem::{align_of, size_of};
use std::ptr;

use textmeter_core::analyzer::{Analyzer, AnalyzerConfig};
use textmeter_core::lexicon::Lexicon;
use textmeter_core::ngram::{Entry, NgramTable};

use crate::lexicon::textmeter_lexicon;
use crate::textmeter_status::{self, *};
use crate::{analyzer_status, c_name, ffi_guard, ffi_status, input, out_ptr};
use crate::{textmeter_config, textmeter_counts};
use crate::{TEXTMETER_ALIGN, TEXTMETER_MAX_N_SIZE, TEXTMETER_NAME_SIZE};

/// An analyzer: streaming counts, n-grams, a similarity signature and
/// lexicon scores over the documents fed to it (opaque).
///
/// Ownership: from `textmeter_analyzer_init` the handle lives inside the
/// caller's memory (it is the same address), which the caller owns and
/// may reuse once it stops using the handle; there is nothing to free
/// (`textmeter_analyzer_free` on it does nothing). From
/// `textmeter_analyzer_new` the library owns it: free it once with
/// `textmeter_analyzer_free`. Either way the lexicon given at creation
/// (if any) must outlive the analyzer.
///
/// Thread-safety: an analyzer may be used from any thread, but not from
/// two at once while one of them modifies it (update, finish, reset,
/// analyze, merge into it, free); read-only calls (counts, n-grams, top,
/// scores, similarity, merging *from* it) may run concurrently with each
/// other. Different analyzers are independent.
pub struct textmeter_analyzer {
    /// The layout to free with, for heap analyzers.
    heap: Option<Layout>,
    /// Borrows the arena right after this struct in the same block, and
    /// the lexicon's memory; both outlive the handle by contract, so the
    /// lifetimes are `'static` only in name.
    inner: Analyzer<'static, 'static>,
}

/// Bytes before the arena: the handle, rounded up so the arena starts on
/// an aligned address.
const HEAD: usize =
    size_of::<textmeter_analyzer>().next_multiple_of(TEXTMETER_ALIGN);
const _: () = assert!(align_of::<textmeter_analyzer>() <= TEXTMETER_ALIGN);

/// Top-k requests up to this many entries select on the stack; larger
/// ones use a temporary heap buffer.
const STACK_TOP: usize = 64;

fn total_bytes(config: &AnalyzerConfig) -> Result<usize, textmeter_status> {
    let arena = config.try_bytes_needed().map_err(analyzer_status)?;
    HEAD.checked_add(arena).ok_or(TEXTMETER_STATUS_INVALID_CONFIG)
}

/// # Safety
/// `config` is NULL or points to a valid `textmeter_config`.
unsafe fn read_config(
    config: *const textmeter_config,
) -> Result<AnalyzerConfig, textmeter_status> {
    // SAFETY: NULL or valid, as the caller guarantees.
    let c = unsafe { config.as_ref() }.ok_or(TEXTMETER_STATUS_NULL_ARG)?;
    c.to_core()
}

/// # Safety
/// `lexicon` is NULL or a live lexicon handle.
unsafe fn read_lexicon(
    lexicon: *const textmeter_lexicon,
) -> Option<Lexicon<'static>> {
    // SAFETY: NULL or live, as the caller guarantees.
    unsafe { lexicon.as_ref() }.map(textmeter_lexicon::lexicon)
}

/// How a new analyzer starts: empty, or with the results of a state
/// `textmeter_analyzer_serialize` wrote.
#[derive(Clone, Copy)]
enum Start<'s> {
    Empty,
    Saved(&'s [u8]),
}

/// Builds an analyzer at `mem` (aligned, at least `total_bytes` long).
///
/// # Safety
/// `mem` is valid for writes of `len` bytes, aligned to `TEXTMETER_ALIGN`,
/// and stays valid and otherwise unused while the handle lives; the
/// lexicon's memory outlives the handle. When `zeroed`, the bytes are
/// already initialised to 0.
unsafe fn build_at(
    mem: *mut u8,
    len: usize,
    config: AnalyzerConfig,
    lexicon: Option<Lexicon<'static>>,
    start: Start<'_>,
    heap: Option<Layout>,
    zeroed: bool,
) -> Result<*mut textmeter_analyzer, textmeter_status> {
    let need = total_bytes(&config)?;
    debug_assert!(len >= need && mem as usize % TEXTMETER_ALIGN == 0);
    let arena_len = need - HEAD;
    // SAFETY: `HEAD + arena_len == need <= len`, so the arena is inside
    // the caller's block and after the handle's bytes.
    let arena_ptr = unsafe { mem.add(HEAD) };
    if !zeroed {
        // Caller memory may be uninitialised; a `&mut [u8]` over it must
        // not be.
        // SAFETY: `arena_ptr..+arena_len` is writable (see above).
        unsafe { ptr::write_bytes(arena_ptr, 0, arena_len) };
    }
    // SAFETY: initialised, writable, disjoint from the handle's bytes and
    // from every other live reference, and valid for the handle's life
    // (the caller's contract), which is all `'static` is relied on for.
    let arena: &'static mut [u8] =
        unsafe { std::slice::from_raw_parts_mut(arena_ptr, arena_len) };
    let inner = match start {
        // Placed by the process's seed, as the CLI and Python do: text
        // built to collide in the n-gram tables is not slow to count.
        Start::Empty => Analyzer::new_seeded(config, arena, lexicon),
        Start::Saved(state) => {
            Analyzer::deserialize(config, arena, lexicon, state)
        }
    }
    .map_err(analyzer_status)?;
    let handle = mem.cast::<textmeter_analyzer>();
    // SAFETY: `mem` is aligned to TEXTMETER_ALIGN >= the handle's
    // alignment and has HEAD >= size_of bytes before the arena.
    unsafe { handle.write(textmeter_analyzer { heap, inner }) };
    Ok(handle)
}

/// # Safety
/// `a` is NULL or a live analyzer not used mutably elsewhere meanwhile.
unsafe fn get<'h>(
    a: *const textmeter_analyzer,
) -> Result<&'h Analyzer<'static, 'static>, textmeter_status> {
    // SAFETY: NULL or live (caller's contract).
    let h = unsafe { a.as_ref() }.ok_or(TEXTMETER_STATUS_NULL_ARG)?;
    Ok(&h.inner)
}

/// # Safety
/// `a` is NULL or a live analyzer not used elsewhere meanwhile.
unsafe fn get_mut<'h>(
    a: *mut textmeter_analyzer,
) -> Result<&'h mut Analyzer<'static, 'static>, textmeter_status> {
    // SAFETY: NULL or live and unshared (caller's contract).
    let h = unsafe { a.as_mut() }.ok_or(TEXTMETER_STATUS_NULL_ARG)?;
    Ok(&mut h.inner)
}

/// Writes the bytes of caller memory `textmeter_analyzer_init` needs for
/// `config` (the handle plus its arena) to `*out_size`.
///
/// # Safety
/// `config` and `out_size` must be NULL (→ `TEXTMETER_STATUS_NULL_ARG`)
/// or valid.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_size(
    config: *const textmeter_config,
    out_size: *mut usize,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out_size)?;
        // SAFETY: NULL or valid (contract).
        let config = unsafe { read_config(config)? };
        let size = total_bytes(&config)?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(size) };
        Ok(())
    })
}

/// Builds an analyzer inside caller memory, with no heap allocation, and
/// writes its handle (equal to `mem`) to `*out`.
///
/// `mem` must be aligned to `TEXTMETER_ALIGN` (8) bytes and at least
/// `textmeter_analyzer_size(config)` bytes long (extra bytes are unused);
/// its previous contents do not matter. `lexicon` may be NULL (no
/// scores); otherwise it must have been compiled with the same tokenizer
/// settings (`fold_case`, `fold_apostrophes`, `max_token_len`) and must
/// outlive the analyzer. The caller keeps `mem` alive and untouched while
/// the analyzer is used; `textmeter_analyzer_free` is not needed.
///
/// Errors: `NULL_ARG`, `INVALID_CONFIG`, `MISALIGNED`,
/// `MEMORY_TOO_SMALL`, `LEXICON_MISMATCH`. `*out` is untouched on error;
/// `mem` may have been written (its contents are the analyzer's from the
/// call on) except on `NULL_ARG`, `INVALID_CONFIG`, `MISALIGNED` and
/// `MEMORY_TOO_SMALL`, which are checked first.
///
/// # Safety
/// `mem` must be NULL or writable for `len` bytes and not overlap the
/// lexicon or any buffer later passed to the analyzer; `config` and `out`
/// must be NULL or valid; `lexicon` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_init(
    mem: *mut u8,
    len: usize,
    config: *const textmeter_config,
    lexicon: *const textmeter_lexicon,
    out: *mut *mut textmeter_analyzer,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: this function's contract.
        unsafe { init_in(mem, len, config, lexicon, Start::Empty, out) }
    })
}

/// The body of `textmeter_analyzer_init` and
/// `textmeter_analyzer_deserialize_init`.
///
/// # Safety
/// The contract of `textmeter_analyzer_init`.
unsafe fn init_in(
    mem: *mut u8,
    len: usize,
    config: *const textmeter_config,
    lexicon: *const textmeter_lexicon,
    start: Start<'_>,
    out: *mut *mut textmeter_analyzer,
) -> Result<(), textmeter_status> {
    let out = out_ptr(out)?;
    if mem.is_null() {
        return Err(TEXTMETER_STATUS_NULL_ARG);
    }
    // SAFETY: NULL or valid (contract).
    let config = unsafe { read_config(config)? };
    if mem as usize % TEXTMETER_ALIGN != 0 {
        return Err(TEXTMETER_STATUS_MISALIGNED);
    }
    if len < total_bytes(&config)? {
        return Err(TEXTMETER_STATUS_MEMORY_TOO_SMALL);
    }
    // SAFETY: NULL or live (contract).
    let lexicon = unsafe { read_lexicon(lexicon) };
    // SAFETY: `mem` is writable for `len >= total_bytes` bytes,
    // aligned, and reserved for the handle (contract); the lexicon
    // outlives it (contract).
    let h =
        unsafe { build_at(mem, len, config, lexicon, start, None, false)? };
    // SAFETY: non-NULL and writable (contract).
    unsafe { out.write(h) };
    Ok(())
}

/// Builds an analyzer on the heap and writes its handle to `*out`; free
/// it with `textmeter_analyzer_free`. `lexicon` as for
/// `textmeter_analyzer_init` (NULL: no scores; else it must outlive the
/// analyzer). With the default configuration it takes about 21.3 MB.
///
/// Errors: `NULL_ARG`, `INVALID_CONFIG`, `LEXICON_MISMATCH`,
/// `OUT_OF_MEMORY`.
///
/// # Safety
/// `config` and `out` must be NULL or valid; `lexicon` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_new(
    config: *const textmeter_config,
    lexicon: *const textmeter_lexicon,
    out: *mut *mut textmeter_analyzer,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: this function's contract.
        unsafe { new_on_heap(config, lexicon, Start::Empty, out) }
    })
}

/// The body of `textmeter_analyzer_new` and
/// `textmeter_analyzer_deserialize_new`.
///
/// # Safety
/// The contract of `textmeter_analyzer_new`.
unsafe fn new_on_heap(
    config: *const textmeter_config,
    lexicon: *const textmeter_lexicon,
    start: Start<'_>,
    out: *mut *mut textmeter_analyzer,
) -> Result<(), textmeter_status> {
    let out = out_ptr(out)?;
    // SAFETY: NULL or valid (contract).
    let config = unsafe { read_config(config)? };
    let size = total_bytes(&config)?;
    let layout = Layout::from_size_align(size, TEXTMETER_ALIGN)
        .map_err(|_| TEXTMETER_STATUS_INVALID_CONFIG)?;
    // SAFETY: `size >= HEAD > 0`.
    let mem = unsafe { alloc::alloc_zeroed(layout) };
    if mem.is_null() {
        return Err(TEXTMETER_STATUS_OUT_OF_MEMORY);
    }
    // SAFETY: NULL or live (contract).
    let lexicon = unsafe { read_lexicon(lexicon) };
    // SAFETY: a fresh zeroed block of `size` bytes with the required
    // alignment, owned by the handle until `_free`.
    match unsafe {
        build_at(mem, size, config, lexicon, start, Some(layout), true)
    } {
        Ok(h) => {
            // SAFETY: non-NULL and writable (contract).
            unsafe { out.write(h) };
            Ok(())
        }
        Err(e) => {
            // SAFETY: allocated above with this layout, not shared.
            unsafe { alloc::dealloc(mem, layout) };
            Err(e)
        }
    }
}

/// Frees an analyzer from `textmeter_analyzer_new`. NULL, and handles
/// from `textmeter_analyzer_init` (whose memory the caller owns), are
/// ignored. The handle must not be used afterwards.
///
/// # Safety
/// `a` must be NULL or a live analyzer, not in use by another thread.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_free(a: *mut textmeter_analyzer) {
    ffi_guard!((), {
        // SAFETY: NULL or live and unshared (contract).
        let Some(h) = (unsafe { a.as_mut() }) else { return };
        if let Some(layout) = h.heap {
            // SAFETY: a heap handle: the block was allocated by
            // `textmeter_analyzer_new` with `layout` and starts at `a`.
            // The analyzer owns no resources, so dropping it in place and
            // freeing the block ends it.
            unsafe {
                ptr::drop_in_place(a);
                alloc::dealloc(a.cast(), layout);
            }
        }
    })
}

/// Feeds the next chunk of the current document: any size, split
/// anywhere (even inside a UTF-8 sequence). `(NULL, 0)` is an empty
/// chunk.
///
/// # Safety
/// `a` must be NULL or a live analyzer used by no other thread meanwhile;
/// `text` must point to `len` readable bytes unless `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_update(
    a: *mut textmeter_analyzer,
    text: *const u8,
    len: usize,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: the (text, len) contract.
        let text = unsafe { input(text, len)? };
        // SAFETY: NULL or live and unshared (contract).
        let a = unsafe { get_mut(a)? };
        a.update(text);
        Ok(())
    })
}

/// Ends the current document: no n-gram, signature 3-gram or lexicon term
/// spans it. Results accumulate over documents until
/// `textmeter_analyzer_reset`. Call it before reading final results.
///
/// # Safety
/// `a` must be NULL or a live analyzer used by no other thread meanwhile.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_finish(
    a: *mut textmeter_analyzer,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: NULL or live and unshared (contract).
        unsafe { get_mut(a)? }.finish();
        Ok(())
    })
}

/// Forgets everything fed (configuration, memory and lexicon stay), so
/// the analyzer can be reused for another document.
///
/// # Safety
/// `a` must be NULL or a live analyzer used by no other thread meanwhile.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_reset(
    a: *mut textmeter_analyzer,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: NULL or live and unshared (contract).
        unsafe { get_mut(a)? }.reset();
        Ok(())
    })
}

/// One call for one whole buffer: reset, feed `(text, len)` and finish.
/// The analyzer then holds exactly that document's results.
///
/// # Safety
/// As `textmeter_analyzer_update`.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_analyze(
    a: *mut textmeter_analyzer,
    text: *const u8,
    len: usize,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: the (text, len) contract.
        let text = unsafe { input(text, len)? };
        // SAFETY: NULL or live and unshared (contract).
        let a = unsafe { get_mut(a)? };
        a.reset();
        a.update(text);
        a.finish();
        Ok(())
    })
}

/// Adds `src`'s results to `dst`'s (counts add, n-gram tables merge,
/// signatures and lexicon tallies combine), ending `dst`'s current
/// document first. `src` must be at a document end (after `finish`):
/// text it still holds undecided (a word or UTF-8 sequence its last chunk
/// cut, a lexicon term the next token may complete) would be left out, so
/// such a `src` is refused with `INVALID_ARG`.
/// Merging per-document analyzers in a fixed order gives the same totals
/// as the CLI.
///
/// Errors: `NULL_ARG`; `INVALID_ARG` when `dst == src` or `src` holds
/// undecided text (nothing changes then);
/// `CONFIG_MISMATCH` when the configurations or lexicons differ (`dst`
/// is then unchanged).
///
/// # Safety
/// `dst` and `src` must be NULL or live analyzers; no other thread may
/// use `dst` meanwhile, nor modify `src`.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_merge(
    dst: *mut textmeter_analyzer,
    src: *const textmeter_analyzer,
) -> textmeter_status {
    ffi_status!({
        if ptr::eq(dst, src) && !dst.is_null() {
            return Err(TEXTMETER_STATUS_INVALID_ARG);
        }
        // SAFETY: NULL or live; distinct from `dst` (checked).
        let src = unsafe { get(src)? };
        // SAFETY: NULL or live and unshared (contract).
        let dst = unsafe { get_mut(dst)? };
        dst.merge(src).map_err(analyzer_status)
    })
}

/// Writes to `*out_size` the bytes `textmeter_analyzer_serialize` would
/// write for `a` now. The size grows as the tables fill: ask again
/// before each save.
///
/// # Safety
/// `a` must be NULL or a live analyzer not modified meanwhile;
/// `out_size` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_serialized_size(
    a: *const textmeter_analyzer,
    out_size: *mut usize,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out_size)?;
        // SAFETY: NULL or live (contract).
        let size = unsafe { get(a)? }.serialized_len();
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(size) };
        Ok(())
    })
}

/// Saves `a`'s results (counts, n-gram tables, signature, lexicon tallies
/// and the configuration) into `(out, len)` as bytes that read the same
/// on every platform (`TMAZ` v1, little-endian), and writes their length
/// to `*out_written`. Restore them in any process or on any machine with
/// `textmeter_analyzer_deserialize_init` or `_new` (the firmware's
/// results included), then merge: that is how analyses done apart are
/// combined. The lexicon is not stored, only a fingerprint of it; the
/// restoring side gives the same lexicon back. Python's `pickle` of an
/// `Analyzer` carries the same bytes. The order of a table's entries
/// follows the analyzer's placement seed, which is random per process, so
/// two processes save one text as different bytes, from which the same
/// results are restored: compare results, not bytes.
///
/// What is saved is the results as at a document end: a restored
/// analyzer starts a new document (no n-gram, 3-gram or negation window
/// spans the save). Text `a` still holds undecided (a word or UTF-8
/// sequence the last chunk cut, a lexicon term the next token may
/// complete) would be lost, so such an `a` is refused with `INVALID_ARG`:
/// call `finish` first, as for a merge's `src`.
///
/// Errors: `NULL_ARG` (also for `(NULL, len > 0)`); `INVALID_ARG` (text
/// undecided, or `len` above `PTRDIFF_MAX`); `BUFFER_TOO_SMALL` when
/// `len` is less than `textmeter_analyzer_serialized_size` (nothing is
/// written then).
///
/// # Safety
/// `a` must be NULL or a live analyzer not modified meanwhile; `out`
/// NULL or writable for `len` bytes and not overlapping the analyzer's
/// memory; `out_written` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_serialize(
    a: *const textmeter_analyzer,
    out: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> textmeter_status {
    ffi_status!({
        let written = out_ptr(out_written)?;
        // SAFETY: NULL or live (contract).
        let a = unsafe { get(a)? };
        if out.is_null() && len > 0 {
            return Err(TEXTMETER_STATUS_NULL_ARG);
        }
        if len > isize::MAX as usize {
            return Err(TEXTMETER_STATUS_INVALID_ARG);
        }
        if a.has_undecided() {
            return Err(TEXTMETER_STATUS_INVALID_ARG);
        }
        let need = a.serialized_len();
        if len < need {
            return Err(TEXTMETER_STATUS_BUFFER_TOO_SMALL);
        }
        // `need > 0` (the header alone is 24 bytes), so `out` is not NULL.
        // The buffer may be uninitialised (a `malloc` result), and a
        // `&mut [u8]` over it must not be: zero it first.
        // SAFETY: writable for `len >= need` bytes (contract).
        unsafe { ptr::write_bytes(out, 0, need) };
        // SAFETY: initialised just above, writable, not aliased by the
        // analyzer (contract), `need <= isize::MAX`.
        let buf = unsafe { std::slice::from_raw_parts_mut(out, need) };
        let n = a.serialize_into(buf).map_err(analyzer_status)?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { written.write(n) };
        Ok(())
    })
}

/// Restores, inside caller memory, an analyzer saved by
/// `textmeter_analyzer_serialize`, and writes its handle (equal to `mem`)
/// to `*out`. `mem`, `len`, `config` and `lexicon` are as for
/// `textmeter_analyzer_init`; `config` and `lexicon` must be those the
/// state was saved with (the state records both and is checked against
/// them). The restored analyzer is at the start of a new document:
/// update it, merge it or merge it into another, as the original.
///
/// Errors: those of `textmeter_analyzer_init`; `NULL_ARG` also for
/// `(NULL, state_len > 0)`; `CONFIG_MISMATCH` when `config` or `lexicon`
/// differ from the saved ones; `CORRUPT_STATE` for bytes that are not a
/// whole, valid saved state (truncated, altered, or counts that
/// contradict each other). `*out` is untouched on error.
///
/// # Safety
/// As `textmeter_analyzer_init`; `state` must point to `state_len`
/// readable bytes unless `state_len` is 0.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_deserialize_init(
    mem: *mut u8,
    len: usize,
    config: *const textmeter_config,
    lexicon: *const textmeter_lexicon,
    state: *const u8,
    state_len: usize,
    out: *mut *mut textmeter_analyzer,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: the (state, state_len) contract.
        let state = unsafe { input(state, state_len)? };
        // SAFETY: this function's contract.
        unsafe { init_in(mem, len, config, lexicon, Start::Saved(state), out) }
    })
}

/// Restores an analyzer saved by `textmeter_analyzer_serialize` on the
/// heap (free it with `textmeter_analyzer_free`), as
/// `textmeter_analyzer_deserialize_init` does in caller memory.
///
/// Errors: those of `textmeter_analyzer_new`; `NULL_ARG` also for
/// `(NULL, state_len > 0)`; `CONFIG_MISMATCH`; `CORRUPT_STATE`.
///
/// # Safety
/// As `textmeter_analyzer_new`; `state` must point to `state_len`
/// readable bytes unless `state_len` is 0.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_deserialize_new(
    config: *const textmeter_config,
    lexicon: *const textmeter_lexicon,
    state: *const u8,
    state_len: usize,
    out: *mut *mut textmeter_analyzer,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: the (state, state_len) contract.
        let state = unsafe { input(state, state_len)? };
        // SAFETY: this function's contract.
        unsafe { new_on_heap(config, lexicon, Start::Saved(state), out) }
    })
}

/// Writes the counts over everything fed to `*out`. Token fields include
/// a token still open at the end of the last chunk, and `chars` and
/// `invalid_bytes` a character the last chunk cut, only once the next
/// chunk or `finish` decides them (no field goes down as text comes).
///
/// # Safety
/// `a` must be NULL or a live analyzer not modified meanwhile; `out` NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_counts(
    a: *const textmeter_analyzer,
    out: *mut textmeter_counts,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: NULL or live (contract).
        let a = unsafe { get(a)? };
        let types = a.types().map(|t| (t.types(), t.types_exact()));
        let counts = textmeter_counts::new(&a.counts(), types);
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(counts) };
        Ok(())
    })
}

/// Writes the analyzer's configuration to `*out`.
///
/// # Safety
/// `a` must be NULL or a live analyzer; `out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_config(
    a: *const textmeter_analyzer,
    out: *mut textmeter_config,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: NULL or live (contract).
        let c = unsafe { get(a)? }.config();
        let t = c.tokenizer();
        let n = c.ngrams();
        let config = textmeter_config {
            ngram_min: n.lo(),
            ngram_max: n.hi(),
            fold_case: t.fold_case,
            fold_apostrophes: t.fold_apostrophes,
            negation: c.negation(),
            capacity: n.table(n.lo()).capacity(),
            signature_k: c.signature_k() as u32,
            max_token_len: t.max_token_len as u32,
        };
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(config) };
        Ok(())
    })
}

/// About the n-gram table of one `n`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct textmeter_ngram_info {
    /// The `n`.
    pub n: u32,
    /// Whether every count in the table is exact (the distinct n-grams
    /// fit the capacity); otherwise counts are Space-Saving estimates
    /// with per-entry `error` bounds.
    pub exact: bool,
    /// Number of n-grams counted (always exact).
    pub total: u64,
    /// Distinct n-grams stored (at most `capacity`).
    pub distinct: u64,
    /// The table's capacity in entries.
    pub capacity: u64,
    /// Upper bound of the true count of any n-gram not in the table (0
    /// while exact).
    pub max_error: u64,
    /// Entries whose gram bytes could not be kept (their `text` is NULL).
    pub missing_bytes: u64,
}

fn table<'a>(
    a: &'a Analyzer<'static, 'static>,
    n: u32,
) -> Result<NgramTable<&'a [u8]>, textmeter_status> {
    let n = usize::try_from(n).map_err(|_| TEXTMETER_STATUS_OUT_OF_RANGE)?;
    a.ngrams().table(n).ok_or(TEXTMETER_STATUS_OUT_OF_RANGE)
}

/// Writes what the `n`-gram table holds to `*out`.
///
/// Errors: `NULL_ARG`; `OUT_OF_RANGE` when `n` is outside
/// `ngram_min..=ngram_max`.
///
/// # Safety
/// `a` must be NULL or a live analyzer not modified meanwhile; `out` NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_ngrams(
    a: *const textmeter_analyzer,
    n: u32,
    out: *mut textmeter_ngram_info,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: NULL or live (contract).
        let t = table(unsafe { get(a)? }, n)?;
        let info = textmeter_ngram_info {
            n,
            exact: t.is_exact(),
            total: t.total(),
            distinct: t.len() as u64,
            capacity: t.capacity() as u64,
            max_error: t.max_error(),
            missing_bytes: t.missing_bytes() as u64,
        };
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(info) };
        Ok(())
    })
}

/// One of the most frequent n-grams, from `textmeter_analyzer_top`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct textmeter_gram {
    /// The gram's normalised tokens joined by one space, NUL-terminated,
    /// inside the caller's byte buffer; NULL when the table could not
    /// keep the bytes (see `missing_bytes`). In rare corners a token
    /// itself holds a space or a NUL (a space or control character
    /// followed by a combining letter mark, such as U+0020 U+064B, is one
    /// word segment), so use `len`, and `token_lens` to split exactly.
    pub text: *const c_char,
    /// Bytes of `text` before the terminating NUL (0 when `text` is
    /// NULL).
    pub len: usize,
    /// Number of tokens (the `n`; 0 when `text` is NULL).
    pub ntokens: u32,
    /// Byte length of each token, `token_lens[0..ntokens]`: token `i`
    /// starts at `text + token_lens[0] + ... + token_lens[i-1] + i`.
    pub token_lens: [u8; TEXTMETER_MAX_N_SIZE],
    /// Upper bound of the true count (the true count while exact).
    pub count: u64,
    /// Maximum overestimate: `count - error <= true count <= count`.
    pub error: u64,
    /// The gram's 64-bit hash (stable across runs and platforms).
    pub hash: u64,
}

/// Selects the top `k` entries of `t` in core's report order and hands
/// them to `f`.
fn with_top<R>(
    t: &NgramTable<&[u8]>,
    k: usize,
    f: impl FnOnce(&[Entry<'_>]) -> Result<R, textmeter_status>,
) -> Result<R, textmeter_status> {
    let k = k.min(t.len());
    if k <= STACK_TOP {
        let mut buf = [Entry::default(); STACK_TOP];
        let got = t.top_into(&mut buf[..k]);
        f(&buf[..got])
    } else {
        let mut v = Vec::new();
        v.try_reserve_exact(k).map_err(|_| TEXTMETER_STATUS_OUT_OF_MEMORY)?;
        v.resize(k, Entry::default());
        let got = t.top_into(&mut v);
        f(&v[..got])
    }
}

/// Bytes one entry's text takes in the gram buffer, NUL included.
fn text_bytes(e: &Entry<'_>) -> usize {
    e.gram().map_or(0, |g| g.tokens().map(|t| t.len() + 1).sum())
}

/// Writes to `*out_bytes` how many bytes of gram text (NULs included)
/// `textmeter_analyzer_top` needs for the top `k` `n`-grams. A bound that
/// needs no call: `k * n * (max_token_len + 1)`. Like `_top`, it selects
/// more than 64 entries in a temporary heap buffer, so it can also fail
/// with `OUT_OF_MEMORY`.
///
/// # Safety
/// `a` must be NULL or a live analyzer not modified meanwhile;
/// `out_bytes` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_top_size(
    a: *const textmeter_analyzer,
    n: u32,
    k: usize,
    out_bytes: *mut usize,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out_bytes)?;
        // SAFETY: NULL or live (contract).
        let t = table(unsafe { get(a)? }, n)?;
        let need =
            with_top(&t, k, |top| Ok(top.iter().map(text_bytes).sum()))?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(need) };
        Ok(())
    })
}

/// Writes the most frequent `n`-grams — count descending, then gram
/// bytes ascending, as the CLI reports them — into `entries[0..count]`
/// with `count = min(entries_len, distinct)`, their texts into `bytes`,
/// and `count` to `*out_count`. Up to 64 entries are selected without
/// touching the heap; more use a temporary heap buffer.
///
/// Errors: `NULL_ARG` (also `(NULL, len > 0)` buffers); `OUT_OF_RANGE`
/// when `n` is outside `ngram_min..=ngram_max`; `BUFFER_TOO_SMALL` when
/// the texts do not fit `bytes_len` (`textmeter_analyzer_top_size` says
/// how many are needed); `OUT_OF_MEMORY` when more than 64 entries are
/// asked for and the heap buffer cannot be had. Nothing is written on
/// error.
///
/// # Safety
/// `a` must be NULL or a live analyzer not modified meanwhile; `entries`
/// writable for `entries_len` elements and `bytes` for `bytes_len` bytes
/// (unless NULL with length 0), not overlapping each other or the
/// analyzer; `out_count` NULL or writable. The `text` pointers point
/// into `bytes` and are valid as long as it is.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_top(
    a: *const textmeter_analyzer,
    n: u32,
    entries: *mut textmeter_gram,
    entries_len: usize,
    bytes: *mut u8,
    bytes_len: usize,
    out_count: *mut usize,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out_count)?;
        if (entries.is_null() && entries_len > 0)
            || (bytes.is_null() && bytes_len > 0)
        {
            return Err(TEXTMETER_STATUS_NULL_ARG);
        }
        // SAFETY: NULL or live (contract).
        let t = table(unsafe { get(a)? }, n)?;
        let count = with_top(&t, entries_len, |top| {
            let need: usize = top.iter().map(text_bytes).sum();
            if need > bytes_len {
                return Err(TEXTMETER_STATUS_BUFFER_TOO_SMALL);
            }
            let mut at = 0;
            for (i, e) in top.iter().enumerate() {
                let mut lens = [0u8; TEXTMETER_MAX_N_SIZE];
                let mut ntokens = 0;
                let (text, len) = match e.gram() {
                    None => (ptr::null(), 0),
                    Some(g) => {
                        // SAFETY: `at + text_bytes(e) <= need <= bytes_len`,
                        // so every write below stays inside `bytes`.
                        let start = unsafe { bytes.add(at) };
                        for (j, tok) in g.tokens().enumerate() {
                            if j > 0 {
                                // SAFETY: inside `bytes` (see above).
                                unsafe { bytes.add(at).write(b' ') };
                                at += 1;
                            }
                            // SAFETY: inside `bytes`, which does not
                            // overlap the analyzer's arena (contract).
                            unsafe {
                                ptr::copy_nonoverlapping(
                                    tok.as_ptr(),
                                    bytes.add(at),
                                    tok.len(),
                                )
                            };
                            at += tok.len();
                            // A stored token is at most 255 bytes (its
                            // length is one byte of the gram encoding).
                            lens[j] = u8::try_from(tok.len()).unwrap_or(255);
                            ntokens += 1;
                        }
                        // SAFETY: inside `bytes` (see above).
                        unsafe { bytes.add(at).write(0) };
                        // SAFETY: both inside `bytes`.
                        let len = unsafe { bytes.add(at).offset_from(start) };
                        at += 1;
                        (start.cast_const().cast::<c_char>(), len as usize)
                    }
                };
                let gram = textmeter_gram {
                    text,
                    len,
                    ntokens,
                    token_lens: lens,
                    count: e.count(),
                    error: e.error(),
                    hash: e.hash(),
                };
                // SAFETY: `i < top.len() <= entries_len`, and `entries`
                // is writable for `entries_len` elements (contract).
                unsafe { entries.add(i).write(gram) };
            }
            Ok(top.len())
        })?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(count) };
        Ok(())
    })
}

/// The results of one lexicon category.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct textmeter_category_score {
    /// The category's name, NUL-terminated.
    pub name: [c_char; TEXTMETER_NAME_SIZE],
    /// Length of the name in bytes. A name may itself contain NUL bytes
    /// (lexicon files can hold any bytes): use `name_len`, not `strlen`,
    /// when that matters.
    pub name_len: usize,
    /// Matched terms (negated ones included).
    pub hits: u64,
    /// How many hits were negated.
    pub negated: u64,
    /// Sum of effective weights in thousandths: exact, what to compare.
    pub score_milli: i64,
    /// `score_milli / 1000`.
    pub score: f64,
    /// Score per 1,000 tokens (0 without tokens).
    pub per_1k: f64,
    /// Hits per 1,000 tokens (0 without tokens).
    pub hits_per_1k: f64,
}

/// Writes the number of lexicon categories to `*out`.
///
/// Errors: `NULL_ARG`; `UNAVAILABLE` when the analyzer has no lexicon.
///
/// # Safety
/// `a` must be NULL or a live analyzer; `out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_category_count(
    a: *const textmeter_analyzer,
    out: *mut usize,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: NULL or live (contract).
        let s = unsafe { get(a)? }.scores();
        let s = s.ok_or(TEXTMETER_STATUS_UNAVAILABLE)?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(s.len()) };
        Ok(())
    })
}

/// Writes the scores of lexicon category `index` (in lexicon order) to
/// `*out`. Call `textmeter_analyzer_finish` first for final scores.
///
/// Errors: `NULL_ARG`; `UNAVAILABLE` without a lexicon; `OUT_OF_RANGE`
/// when `index >= category count`.
///
/// # Safety
/// `a` must be NULL or a live analyzer not modified meanwhile; `out` NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_category(
    a: *const textmeter_analyzer,
    index: usize,
    out: *mut textmeter_category_score,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: NULL or live (contract).
        let s = unsafe { get(a)? }.scores();
        let s = s.ok_or(TEXTMETER_STATUS_UNAVAILABLE)?;
        let c = s.category(index).ok_or(TEXTMETER_STATUS_OUT_OF_RANGE)?;
        let (name, name_len) = c_name(c.name());
        let score = textmeter_category_score {
            name,
            name_len,
            hits: c.hits(),
            negated: c.negated(),
            score_milli: c.score_milli(),
            score: c.score(),
            per_1k: c.per_1k(),
            hits_per_1k: c.hits_per_1k(),
        };
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(score) };
        Ok(())
    })
}

/// Writes the estimated Jaccard similarity (0..=1) of the two analyzers'
/// word 3-gram sets (MinHash) to `*out`; `a` may equal `b`. Their other
/// settings need not match; with different `signature_k` the estimate
/// uses the smaller (its standard error is about `1 / sqrt(k)`).
///
/// Errors: `NULL_ARG`; `UNAVAILABLE` when either has `signature_k` 0.
///
/// # Safety
/// `a` and `b` must be NULL or live analyzers not modified meanwhile;
/// `out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_analyzer_similarity(
    a: *const textmeter_analyzer,
    b: *const textmeter_analyzer,
    out: *mut f64,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: NULL or live (contract).
        let (a, b) = unsafe { (get(a)?, get(b)?) };
        let j = a.similarity(b).ok_or(TEXTMETER_STATUS_UNAVAILABLE)?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(j) };
        Ok(())
    })
}
