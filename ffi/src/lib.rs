//! The C API of textmeter: `libtextmeter.a` / `libtextmeter.so` and the
//! header `include/textmeter.h`, generated from this crate by cbindgen
//! (`scripts/regen-header`; the `header` test fails when the committed
//! header differs).
//!
//! Every algorithm is textmeter's core [`Analyzer`]; this crate only
//! checks arguments, converts between C and Rust types and reports
//! errors. The doc comments here are the header's: they state each
//! function's contract, and every `unsafe` block cites it.
//!
//! # Shape
//!
//! - Each export is `#[no_mangle] pub unsafe extern "C"` and runs its body
//!   inside [`ffi_guard!`], so a panic returns `TEXTMETER_STATUS_PANIC`
//!   (or 0/NULL) instead of unwinding into C or aborting the host.
//! - Fallible functions return [`textmeter_status`]; outputs are written
//!   only on success. `(NULL, 0)` is the empty buffer, `(NULL, len > 0)`
//!   is `TEXTMETER_STATUS_NULL_ARG`.
//! - Handles live either in caller memory (`*_size` then `*_init`: no
//!   heap at all) or on the heap (`*_new` / `*_free`).
//!
//! # Why the library is named `textmeter` like the core crate
//!
//! The artefacts must be `libtextmeter.a` and `libtextmeter.so`, so the
//! `[lib]` name is `textmeter`. The core crate's lib is also `textmeter`;
//! two rlibs of one name in one workspace collide in `target/`, so this
//! crate builds no rlib (only `staticlib` and `cdylib`) and no rustdoc
//! (the header is its documentation). Its Rust tests are unit tests.
// Exports deal in raw pointers; every unsafe block says why it is sound.
#![allow(unsafe_code)]
// C names (`textmeter_status`, `TEXTMETER_STATUS_OK`) are the API.
#![allow(non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

// The panic guard needs unwinding; with `panic = "abort"` a panic would
// abort the host process instead of returning TEXTMETER_STATUS_PANIC.
#[cfg(not(panic = "unwind"))]
compile_error!("textmeter-ffi must be built with panic = \"unwind\"");

mod analyzer;
mod lexicon;

use std::ffi::c_char;
use std::fmt;

use textmeter_core::analyzer::{AnalyzerConfig, AnalyzerError};
use textmeter_core::analyzer::{AnalyzerErrorKind, DEFAULT_SIGNATURE_K};
use textmeter_core::counts::Counts;
use textmeter_core::ngram::{NgramConfig, DEFAULT_CAPACITY};
use textmeter_core::tokenize::TokenizerConfig;

pub use analyzer::*;
pub use lexicon::*;

/// Runs an export's body, turning a panic into `$on_panic`. With
/// `panic = "unwind"` (this crate never sets `abort`) nothing unwinds
/// into C; since Rust 1.81 an unguarded panic in `extern "C"` aborts.
macro_rules! ffi_guard {
    ($on_panic:expr, $body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(
            || $body,
        )) {
            Ok(v) => v,
            Err(_) => $on_panic,
        }
    };
}
pub(crate) use ffi_guard;

/// Runs a fallible body whose `Err` is a status.
macro_rules! ffi_status {
    ($body:block) => {
        $crate::ffi_guard!($crate::textmeter_status::TEXTMETER_STATUS_PANIC, {
            // A closure, so `?` and `return` in the body end the body.
            #[allow(clippy::redundant_closure_call)]
            let r: Result<(), $crate::textmeter_status> = (|| $body)();
            match r {
                Ok(()) => $crate::textmeter_status::TEXTMETER_STATUS_OK,
                Err(s) => s,
            }
        })
    };
}
pub(crate) use ffi_status;

/// Alignment, in bytes, that caller memory given to
/// `textmeter_analyzer_init` and `textmeter_lexicon_init` must have
/// (`uint64_t` arrays and `malloc` results have it).
pub const TEXTMETER_ALIGN: usize = 8;

/// Longest lexicon or category name, in bytes (names in
/// `textmeter_category_score` and `textmeter_lexicon_info` have one more
/// byte for the terminating NUL).
pub const TEXTMETER_MAX_NAME_LEN: usize = 64;

/// Size of the name arrays in `textmeter_category_score` and
/// `textmeter_lexicon_info`: `TEXTMETER_MAX_NAME_LEN` plus the NUL.
pub const TEXTMETER_NAME_SIZE: usize = 65;

/// Largest `n` of n-grams.
pub const TEXTMETER_MAX_N: u32 = 8;

/// Size of `textmeter_gram.token_lens`: `TEXTMETER_MAX_N` as a `size_t`.
pub const TEXTMETER_MAX_N_SIZE: usize = 8;

/// Largest `max_token_len`.
pub const TEXTMETER_MAX_TOKEN_LEN: u32 = 255;

/// Largest n-gram table capacity (entries).
pub const TEXTMETER_MAX_CAPACITY: u32 = 1 << 28;

const _: () = {
    assert!(TEXTMETER_MAX_NAME_LEN == textmeter_core::lexicon::MAX_NAME_LEN);
    assert!(TEXTMETER_NAME_SIZE == TEXTMETER_MAX_NAME_LEN + 1);
    assert!(TEXTMETER_MAX_N as usize == textmeter_core::ngram::MAX_N);
    assert!(TEXTMETER_MAX_N_SIZE == textmeter_core::ngram::MAX_N);
    assert!(
        TEXTMETER_MAX_TOKEN_LEN as usize
            == textmeter_core::tokenize::MAX_TOKEN_LEN
    );
    assert!(TEXTMETER_MAX_CAPACITY == textmeter_core::ngram::MAX_CAPACITY);
};

/// The result of every fallible function. The values are part of the
/// ABI: they are never renumbered, and a retired value is never reused.
/// `textmeter_status_str` names each one.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum textmeter_status {
    /// Success; the outputs were written.
    TEXTMETER_STATUS_OK = 0,
    /// A required pointer is NULL, or a buffer is `(NULL, len > 0)`.
    TEXTMETER_STATUS_NULL_ARG = 1,
    /// The configuration is invalid (n-gram range outside 1..=8 or
    /// reversed, capacity above `TEXTMETER_MAX_CAPACITY`,
    /// `max_token_len` outside 1..=255, sizes overflowing `size_t`).
    TEXTMETER_STATUS_INVALID_CONFIG = 2,
    /// Caller memory is smaller than the `*_size` function says.
    TEXTMETER_STATUS_MEMORY_TOO_SMALL = 3,
    /// Caller memory is not aligned to `TEXTMETER_ALIGN` bytes.
    TEXTMETER_STATUS_MISALIGNED = 4,
    /// The lexicon text does not parse; the `textmeter_lexicon_error`
    /// output (if given) says where and why.
    TEXTMETER_STATUS_BAD_LEXICON = 5,
    /// The lexicon was compiled with another tokenizer configuration
    /// (`fold_case`, `fold_apostrophes`, `max_token_len`) than the
    /// analyzer's.
    TEXTMETER_STATUS_LEXICON_MISMATCH = 6,
    /// `textmeter_analyzer_merge` of analyzers with different
    /// configurations or lexicons.
    TEXTMETER_STATUS_CONFIG_MISMATCH = 7,
    /// `n` is outside the analyzer's n-gram range, or an index is past
    /// the end.
    TEXTMETER_STATUS_OUT_OF_RANGE = 8,
    /// An output buffer is too small (`textmeter_analyzer_top_size` says
    /// how many gram bytes are needed).
    TEXTMETER_STATUS_BUFFER_TOO_SMALL = 9,
    /// The result is not computed in this configuration: no lexicon (for
    /// scores), signature k = 0 (for similarity).
    TEXTMETER_STATUS_UNAVAILABLE = 10,
    /// Another invalid argument: an unknown lexicon format, a buffer
    /// longer than `PTRDIFF_MAX`, merging an analyzer into itself or one
    /// whose document is not finished, or saving such an analyzer.
    TEXTMETER_STATUS_INVALID_ARG = 11,
    /// The heap allocation of a `*_new` function failed.
    TEXTMETER_STATUS_OUT_OF_MEMORY = 12,
    /// textmeter panicked (a bug): the panic was caught at the boundary.
    /// Handles passed to the call may be left in an unspecified but
    /// memory-safe state; free them.
    TEXTMETER_STATUS_PANIC = 13,
    /// `textmeter_analyzer_deserialize_init` or `_new` was given bytes
    /// that are not a whole, valid state from
    /// `textmeter_analyzer_serialize` (truncated, altered, or counts that
    /// contradict each other).
    TEXTMETER_STATUS_CORRUPT_STATE = 14,
}

use textmeter_status::*;

impl textmeter_status {
    fn message(self) -> &'static str {
        match self {
            TEXTMETER_STATUS_OK => "ok\0",
            TEXTMETER_STATUS_NULL_ARG => "required pointer is NULL\0",
            TEXTMETER_STATUS_INVALID_CONFIG => "invalid configuration\0",
            TEXTMETER_STATUS_MEMORY_TOO_SMALL => "memory too small\0",
            TEXTMETER_STATUS_MISALIGNED => "memory misaligned\0",
            TEXTMETER_STATUS_BAD_LEXICON => "lexicon does not parse\0",
            TEXTMETER_STATUS_LEXICON_MISMATCH => {
                "lexicon compiled with another tokenizer configuration\0"
            }
            TEXTMETER_STATUS_CONFIG_MISMATCH => {
                "configurations or lexicons differ\0"
            }
            TEXTMETER_STATUS_OUT_OF_RANGE => "index or n out of range\0",
            TEXTMETER_STATUS_BUFFER_TOO_SMALL => "output buffer too small\0",
            TEXTMETER_STATUS_UNAVAILABLE => {
                "not computed in this configuration\0"
            }
            TEXTMETER_STATUS_INVALID_ARG => "invalid argument\0",
            TEXTMETER_STATUS_OUT_OF_MEMORY => "out of memory\0",
            TEXTMETER_STATUS_PANIC => "internal error (panic caught)\0",
            TEXTMETER_STATUS_CORRUPT_STATE => {
                "not a valid saved analyzer state\0"
            }
        }
    }

    const ALL: [textmeter_status; 15] = [
        TEXTMETER_STATUS_OK,
        TEXTMETER_STATUS_NULL_ARG,
        TEXTMETER_STATUS_INVALID_CONFIG,
        TEXTMETER_STATUS_MEMORY_TOO_SMALL,
        TEXTMETER_STATUS_MISALIGNED,
        TEXTMETER_STATUS_BAD_LEXICON,
        TEXTMETER_STATUS_LEXICON_MISMATCH,
        TEXTMETER_STATUS_CONFIG_MISMATCH,
        TEXTMETER_STATUS_OUT_OF_RANGE,
        TEXTMETER_STATUS_BUFFER_TOO_SMALL,
        TEXTMETER_STATUS_UNAVAILABLE,
        TEXTMETER_STATUS_INVALID_ARG,
        TEXTMETER_STATUS_OUT_OF_MEMORY,
        TEXTMETER_STATUS_PANIC,
        TEXTMETER_STATUS_CORRUPT_STATE,
    ];
}

/// A static, NUL-terminated English message for `status` (any value;
/// unknown values give "unknown status"). Nothing to free. Thread-safe.
#[no_mangle]
pub extern "C" fn textmeter_status_str(status: u32) -> *const c_char {
    ffi_guard!(std::ptr::null(), {
        let msg = textmeter_status::ALL
            .iter()
            .find(|s| **s as u32 == status)
            .map_or("unknown status\0", |s| s.message());
        msg.as_ptr().cast()
    })
}

/// The library version, `"MAJOR.MINOR.PATCH"`, static and NUL-terminated;
/// equal to `TEXTMETER_VERSION_STRING` when the header matches the
/// library. Thread-safe.
#[no_mangle]
pub extern "C" fn textmeter_version() -> *const c_char {
    ffi_guard!(std::ptr::null(), {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

/// Configuration of an analyzer (and the tokenizer part of a lexicon).
/// Start from `textmeter_config_default()` and change fields; the
/// `*_size`, `*_init` and `*_new` functions check it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct textmeter_config {
    /// Smallest n of the n-grams counted, 1..=8 (default 1).
    pub ngram_min: u8,
    /// Largest n, ngram_min..=8 (default 3).
    pub ngram_max: u8,
    /// Lowercase tokens (default true).
    pub fold_case: bool,
    /// Map U+2019, U+02BC and U+FF07 to `'` (default true).
    pub fold_apostrophes: bool,
    /// Let the lexicon's negators flip hits (default true).
    pub negation: bool,
    /// Entries per n-gram table, 0..=`TEXTMETER_MAX_CAPACITY` (default
    /// 65536): counts are exact while the distinct n-grams fit, bounded
    /// Space-Saving estimates beyond; 0 keeps only totals.
    pub capacity: u32,
    /// MinHash signature size (default 128); 0 turns similarity off.
    pub signature_k: u32,
    /// Normalised bytes kept per token, 1..=255 (default 64).
    pub max_token_len: u32,
}

/// The default configuration: 1..=3-grams, 65536 entries per table,
/// signature k = 128, case and apostrophes folded, negation on, tokens
/// kept up to 64 bytes (the `textmeter` CLI's defaults). Thread-safe.
#[no_mangle]
pub extern "C" fn textmeter_config_default() -> textmeter_config {
    ffi_guard!(DEFAULT_CONFIG, { DEFAULT_CONFIG })
}

const DEFAULT_CONFIG: textmeter_config = textmeter_config {
    ngram_min: 1,
    ngram_max: 3,
    fold_case: true,
    fold_apostrophes: true,
    negation: true,
    capacity: DEFAULT_CAPACITY,
    signature_k: DEFAULT_SIGNATURE_K as u32,
    max_token_len: 64,
};

impl textmeter_config {
    fn tokenizer(&self) -> TokenizerConfig {
        TokenizerConfig {
            fold_case: self.fold_case,
            fold_apostrophes: self.fold_apostrophes,
            max_token_len: self.max_token_len as usize,
        }
    }

    /// The core configuration, checked.
    fn to_core(self) -> Result<AnalyzerConfig, textmeter_status> {
        let ngrams = NgramConfig::new(self.ngram_min, self.ngram_max)
            .with_capacity(self.capacity);
        let config = AnalyzerConfig::new()
            .with_tokenizer(self.tokenizer())
            .with_ngrams(ngrams)
            .with_signature_k(self.signature_k as usize)
            .with_negation(self.negation);
        config.try_bytes_needed().map_err(analyzer_status)?;
        Ok(config)
    }
}

fn analyzer_status(e: AnalyzerError) -> textmeter_status {
    match e.kind() {
        AnalyzerErrorKind::InvalidConfig => TEXTMETER_STATUS_INVALID_CONFIG,
        AnalyzerErrorKind::ArenaTooSmall => TEXTMETER_STATUS_MEMORY_TOO_SMALL,
        AnalyzerErrorKind::LexiconMismatch => {
            TEXTMETER_STATUS_LEXICON_MISMATCH
        }
        AnalyzerErrorKind::ConfigMismatch => TEXTMETER_STATUS_CONFIG_MISMATCH,
        AnalyzerErrorKind::Corrupt => TEXTMETER_STATUS_CORRUPT_STATE,
        AnalyzerErrorKind::BufferTooSmall => TEXTMETER_STATUS_BUFFER_TOO_SMALL,
        _ => TEXTMETER_STATUS_INVALID_ARG,
    }
}

/// Counts over everything an analyzer was fed (see the README's table).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct textmeter_counts {
    /// Bytes of input.
    pub bytes: u64,
    /// Unicode scalar values; each maximal invalid UTF-8 subsequence is 1.
    pub chars: u64,
    /// `\n` bytes, as `wc -l` counts them.
    pub lines: u64,
    /// Tokens (word segments with a letter or digit): words + numbers.
    pub tokens: u64,
    /// Tokens with an alphabetic character.
    pub words: u64,
    /// Tokens with digits and no alphabetic character.
    pub numbers: u64,
    /// Distinct token types: exact while the unigram table is exact, else
    /// a HyperLogLog estimate; 0 from `textmeter_count`, which does not
    /// compute it.
    pub types: u64,
    /// Whether `types` is exact.
    pub types_exact: bool,
    /// Bytes inside invalid UTF-8 subsequences.
    pub invalid_bytes: u64,
    /// Tokens longer than `max_token_len`, counted in truncated form.
    pub truncated_tokens: u64,
    /// The longest token's normalised length in bytes, before truncation.
    pub max_token_len: u64,
}

impl textmeter_counts {
    fn new(c: &Counts, types: Option<(u64, bool)>) -> Self {
        let (types, types_exact) = types.unwrap_or((0, false));
        textmeter_counts {
            bytes: c.bytes,
            chars: c.chars,
            lines: c.lines,
            tokens: c.tokens,
            words: c.words,
            numbers: c.numbers,
            types,
            types_exact,
            invalid_bytes: c.invalid_bytes,
            truncated_tokens: c.truncated_tokens,
            max_token_len: c.max_token_len,
        }
    }
}

/// `(ptr, len)` as a slice: `(NULL, 0)` and `(any, 0)` are empty, NULL
/// with `len > 0` is an error.
///
/// # Safety
/// Unless NULL, `ptr` must point to `len` readable bytes that stay
/// unchanged while the returned slice is used.
pub(crate) unsafe fn input<'b>(
    ptr: *const u8,
    len: usize,
) -> Result<&'b [u8], textmeter_status> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(TEXTMETER_STATUS_NULL_ARG);
    }
    if len > isize::MAX as usize {
        return Err(TEXTMETER_STATUS_INVALID_ARG);
    }
    // SAFETY: non-NULL, `len <= isize::MAX`, and the caller guarantees
    // `len` readable bytes (the documented `(ptr, len)` contract).
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Checks that an output pointer is not NULL.
pub(crate) fn out_ptr<T>(p: *mut T) -> Result<*mut T, textmeter_status> {
    if p.is_null() {
        Err(TEXTMETER_STATUS_NULL_ARG)
    } else {
        Ok(p)
    }
}

/// Copies `name` into a fixed NUL-terminated C array (names are at most
/// `TEXTMETER_MAX_NAME_LEN` bytes; a longer one is cut).
pub(crate) fn c_name(name: &[u8]) -> ([c_char; TEXTMETER_NAME_SIZE], usize) {
    let mut out = [0 as c_char; TEXTMETER_NAME_SIZE];
    let n = name.len().min(TEXTMETER_MAX_NAME_LEN);
    for (o, &b) in out.iter_mut().zip(&name[..n]) {
        *o = b as c_char;
    }
    (out, n)
}

/// A `fmt::Write` into a fixed buffer that keeps a final NUL and cuts
/// what does not fit.
pub(crate) struct FixedWriter<'b> {
    buf: &'b mut [c_char],
    len: usize,
}

impl<'b> FixedWriter<'b> {
    pub(crate) fn new(buf: &'b mut [c_char]) -> Self {
        if let Some(b) = buf.first_mut() {
            *b = 0;
        }
        FixedWriter { buf, len: 0 }
    }
}

impl fmt::Write for FixedWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.len + 1 >= self.buf.len() {
                break;
            }
            self.buf[self.len] = b as c_char;
            self.len += 1;
            self.buf[self.len] = 0;
        }
        Ok(())
    }
}

/// Counts one whole buffer with no analyzer and no memory at all (the
/// tokenizer part of `config` is used). `types` is not computed: it is 0
/// and `types_exact` false. Thread-safe.
///
/// # Safety
/// `config` and `out_counts` must be valid pointers (NULL gives
/// `TEXTMETER_STATUS_NULL_ARG`); `text` must point to `len` readable
/// bytes unless `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn textmeter_count(
    text: *const u8,
    len: usize,
    config: *const textmeter_config,
    out_counts: *mut textmeter_counts,
) -> textmeter_status {
    ffi_status!({
        // SAFETY: the (text, len) contract above.
        let text = unsafe { input(text, len)? };
        let out = out_ptr(out_counts)?;
        // SAFETY: `config` is NULL or a valid `textmeter_config` (contract).
        let config =
            unsafe { config.as_ref() }.ok_or(TEXTMETER_STATUS_NULL_ARG)?;
        config.to_core()?;
        let counts = textmeter_core::counts::count(text, &config.tokenizer());
        // SAFETY: `out` is non-NULL and points to a writable
        // `textmeter_counts` (contract).
        unsafe { out.write(textmeter_counts::new(&counts, None)) };
        Ok(())
    })
}

#[cfg(test)]
mod tests;
