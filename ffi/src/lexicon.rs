//! The lexicon handle: compiled from a text into caller memory or the
//! heap, or the built-in `news-stance`.

use std::alloc::{self, Layout};
use std::ffi::c_char;
use std::fmt::Write as _;
use std::mem::{align_of, size_of};
use std::ptr;
use std::sync::OnceLock;

use textmeter_core::lexicon::{
    BuiltinLexicon, Format, Lexicon, LexiconError, LexiconErrorKind,
    ParseOptions, NEWS_STANCE_TSV,
};

use crate::textmeter_status::{self, *};
use crate::{c_name, ffi_guard, ffi_status, input, out_ptr, FixedWriter};
use crate::{textmeter_config, TEXTMETER_ALIGN, TEXTMETER_NAME_SIZE};

/// A compiled stance lexicon (opaque): immutable once built.
///
/// Ownership: from `textmeter_lexicon_init` it lives inside the caller's
/// memory (same address), which the caller owns; nothing to free. From
/// `textmeter_lexicon_new` the library owns it: free it once with
/// `textmeter_lexicon_free`. `textmeter_lexicon_builtin` returns a
/// static one that is never freed. In every case it must outlive every
/// analyzer created with it.
///
/// Thread-safety: immutable, so it may be shared by any number of
/// analyzers on any threads at once.
pub struct textmeter_lexicon {
    /// The layout to free with, for heap lexicons.
    heap: Option<Layout>,
    /// Borrows the compiled bytes right after this struct in the same
    /// block (or a static for the built-in one), which outlive the
    /// handle by contract.
    inner: Lexicon<'static>,
}

impl textmeter_lexicon {
    pub(crate) fn lexicon(&self) -> Lexicon<'static> {
        self.inner
    }
}

const HEAD: usize =
    size_of::<textmeter_lexicon>().next_multiple_of(TEXTMETER_ALIGN);
const _: () = assert!(align_of::<textmeter_lexicon>() <= TEXTMETER_ALIGN);

/// Lexicon text formats for `textmeter_lexicon_*` functions (pass as
/// `uint32_t`; values are never renumbered).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum textmeter_format {
    /// Detect: `%` first line is LIWC, all `term<TAB>integer` is AFINN,
    /// anything else native TSV.
    TEXTMETER_FORMAT_AUTO = 0,
    /// Native `term<TAB>category[<TAB>weight]`, `#` comments, `#!`
    /// directives.
    TEXTMETER_FORMAT_TSV = 1,
    /// AFINN `term<TAB>integer`.
    TEXTMETER_FORMAT_AFINN = 2,
    /// LIWC `.dic`.
    TEXTMETER_FORMAT_LIWC = 3,
}

use textmeter_format::*;

fn format_of(f: u32) -> Result<Format, textmeter_status> {
    Ok(match f {
        x if x == TEXTMETER_FORMAT_AUTO as u32 => Format::Auto,
        x if x == TEXTMETER_FORMAT_TSV as u32 => Format::Tsv,
        x if x == TEXTMETER_FORMAT_AFINN as u32 => Format::Afinn,
        x if x == TEXTMETER_FORMAT_LIWC as u32 => Format::LiwcDic,
        _ => return Err(TEXTMETER_STATUS_INVALID_ARG),
    })
}

fn format_code(f: Format) -> u32 {
    match f {
        Format::Tsv => TEXTMETER_FORMAT_TSV as u32,
        Format::Afinn => TEXTMETER_FORMAT_AFINN as u32,
        Format::LiwcDic => TEXTMETER_FORMAT_LIWC as u32,
        _ => TEXTMETER_FORMAT_AUTO as u32,
    }
}

/// What is wrong in a lexicon text (`textmeter_lexicon_error.kind`; values
/// are never renumbered).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum textmeter_lexicon_error_kind {
    /// A kind this header does not know yet (see `message`).
    TEXTMETER_LEXICON_ERROR_OTHER = 0,
    /// A line has a term but no tab before its category or weight.
    TEXTMETER_LEXICON_ERROR_MISSING_TAB = 1,
    /// More tab-separated fields than the format allows.
    TEXTMETER_LEXICON_ERROR_TOO_MANY_FIELDS = 2,
    /// A weight, window or factor is not a number in range.
    TEXTMETER_LEXICON_ERROR_BAD_WEIGHT = 3,
    /// A LIWC category id is undeclared or not a number, or a conditional
    /// category is not `(ids)then` or `(ids)then/else`.
    TEXTMETER_LEXICON_ERROR_UNKNOWN_CATEGORY = 4,
    /// A category name is empty or longer than 64 bytes.
    TEXTMETER_LEXICON_ERROR_BAD_CATEGORY_NAME = 5,
    /// More than 128 categories.
    TEXTMETER_LEXICON_ERROR_TOO_MANY_CATEGORIES = 6,
    /// A term has no token (for example `--`).
    TEXTMETER_LEXICON_ERROR_EMPTY_TERM = 7,
    /// A term has more than 8 tokens.
    TEXTMETER_LEXICON_ERROR_TOO_MANY_TOKENS = 8,
    /// A wildcard prefix is longer than 63 bytes.
    TEXTMETER_LEXICON_ERROR_WILDCARD_TOO_LONG = 9,
    /// An unknown or malformed `#!` directive, or a bad `window` value.
    TEXTMETER_LEXICON_ERROR_BAD_DIRECTIVE = 10,
    /// A malformed or unclosed LIWC `%` header.
    TEXTMETER_LEXICON_ERROR_BAD_HEADER = 11,
    /// The text is not UTF-8 (`line`: the first line with a byte that is
    /// not); convert a Latin-1 or UTF-16 file first.
    TEXTMETER_LEXICON_ERROR_NOT_UTF8 = 12,
    /// Format detected as native TSV, but a category is a number: most
    /// likely AFINN with a line that is not `term<TAB>number` (a header
    /// line, a typo). `line` is that odd line (the first that is not
    /// `term<TAB>number`) and the message names the numeric one; pass
    /// `TEXTMETER_FORMAT_TSV` to read the file as TSV anyway.
    TEXTMETER_LEXICON_ERROR_NUMERIC_CATEGORY = 13,
}

/// Where and why a lexicon text failed to parse; written by the lexicon
/// functions only when they return `TEXTMETER_STATUS_BAD_LEXICON`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct textmeter_lexicon_error {
    /// A `textmeter_lexicon_error_kind` value.
    pub kind: u32,
    /// The 1-based line of the text at fault (0: not about one line).
    pub line: usize,
    /// The message, NUL-terminated, e.g. `line 3: missing tab between
    /// term and category`.
    pub message: [c_char; 128],
}

fn error_kind(k: LexiconErrorKind) -> textmeter_lexicon_error_kind {
    use textmeter_lexicon_error_kind::*;
    match k {
        LexiconErrorKind::MissingTab => TEXTMETER_LEXICON_ERROR_MISSING_TAB,
        LexiconErrorKind::TooManyFields => {
            TEXTMETER_LEXICON_ERROR_TOO_MANY_FIELDS
        }
        LexiconErrorKind::BadWeight => TEXTMETER_LEXICON_ERROR_BAD_WEIGHT,
        LexiconErrorKind::UnknownCategory => {
            TEXTMETER_LEXICON_ERROR_UNKNOWN_CATEGORY
        }
        LexiconErrorKind::BadCategoryName => {
            TEXTMETER_LEXICON_ERROR_BAD_CATEGORY_NAME
        }
        LexiconErrorKind::TooManyCategories => {
            TEXTMETER_LEXICON_ERROR_TOO_MANY_CATEGORIES
        }
        LexiconErrorKind::EmptyTerm => TEXTMETER_LEXICON_ERROR_EMPTY_TERM,
        LexiconErrorKind::TooManyTokens => {
            TEXTMETER_LEXICON_ERROR_TOO_MANY_TOKENS
        }
        LexiconErrorKind::WildcardTooLong => {
            TEXTMETER_LEXICON_ERROR_WILDCARD_TOO_LONG
        }
        LexiconErrorKind::BadDirective => {
            TEXTMETER_LEXICON_ERROR_BAD_DIRECTIVE
        }
        LexiconErrorKind::BadHeader => TEXTMETER_LEXICON_ERROR_BAD_HEADER,
        LexiconErrorKind::NotUtf8 => TEXTMETER_LEXICON_ERROR_NOT_UTF8,
        LexiconErrorKind::NumericCategory => {
            TEXTMETER_LEXICON_ERROR_NUMERIC_CATEGORY
        }
        _ => TEXTMETER_LEXICON_ERROR_OTHER,
    }
}

/// Reports a parse error: memory errors become statuses (they cannot
/// happen after the size check), the rest `BAD_LEXICON` with details.
///
/// # Safety
/// `out_err` is NULL or writable.
unsafe fn report(
    e: LexiconError,
    out_err: *mut textmeter_lexicon_error,
) -> textmeter_status {
    match e.kind() {
        LexiconErrorKind::OutOfMemory => TEXTMETER_STATUS_MEMORY_TOO_SMALL,
        LexiconErrorKind::BadTokenizerConfig => {
            TEXTMETER_STATUS_INVALID_CONFIG
        }
        kind => {
            let mut message = [0 as c_char; 128];
            let _ = write!(FixedWriter::new(&mut message), "{e}");
            let err = textmeter_lexicon_error {
                kind: error_kind(kind) as u32,
                line: e.line().unwrap_or(0),
                message,
            };
            if !out_err.is_null() {
                // SAFETY: non-NULL and writable (contract); written raw,
                // as it may be uninitialised.
                unsafe { out_err.write(err) };
            }
            TEXTMETER_STATUS_BAD_LEXICON
        }
    }
}

/// The checked parse options and text.
///
/// # Safety
/// `(text, len)` and `config` as documented on the exports.
unsafe fn options<'t>(
    text: *const u8,
    len: usize,
    format: u32,
    config: *const textmeter_config,
) -> Result<(&'t [u8], ParseOptions), textmeter_status> {
    // SAFETY: the (text, len) contract.
    let text = unsafe { input(text, len)? };
    // SAFETY: NULL or valid (contract).
    let config =
        unsafe { config.as_ref() }.ok_or(TEXTMETER_STATUS_NULL_ARG)?;
    config.to_core()?;
    let opts = ParseOptions {
        format: format_of(format)?,
        tokenizer: config.tokenizer(),
    };
    Ok((text, opts))
}

/// Handle plus compiled bytes for `text`, or the parse error.
fn total_bytes(
    text: &[u8],
    opts: &ParseOptions,
) -> Result<Result<usize, LexiconError>, textmeter_status> {
    match Lexicon::bytes_needed(text, opts) {
        Ok(n) => HEAD
            .checked_add(n)
            .map(Ok)
            .ok_or(TEXTMETER_STATUS_MEMORY_TOO_SMALL),
        Err(e) => Ok(Err(e)),
    }
}

/// Compiles at `mem` (aligned, `len >= total_bytes`).
///
/// # Safety
/// `mem` is writable for `len` bytes, aligned to `TEXTMETER_ALIGN`, and
/// reserved for the handle while it lives; when `zeroed` it is
/// initialised.
unsafe fn build_at(
    mem: *mut u8,
    len: usize,
    text: &[u8],
    opts: &ParseOptions,
    heap: Option<Layout>,
    zeroed: bool,
) -> Result<*mut textmeter_lexicon, LexiconError> {
    let body_len = len - HEAD;
    // SAFETY: `HEAD <= len`, so the body is inside the block.
    let body = unsafe { mem.add(HEAD) };
    if !zeroed {
        // SAFETY: writable (see above); a slice must be initialised.
        unsafe { ptr::write_bytes(body, 0, body_len) };
    }
    // SAFETY: initialised, writable, disjoint from the handle and from the
    // text (contract), valid while the handle lives (contract).
    let body: &'static mut [u8] =
        unsafe { std::slice::from_raw_parts_mut(body, body_len) };
    let inner = Lexicon::parse_into(text, opts, body)?;
    let handle = mem.cast::<textmeter_lexicon>();
    // SAFETY: aligned to TEXTMETER_ALIGN >= align_of, HEAD >= size_of.
    unsafe { handle.write(textmeter_lexicon { heap, inner }) };
    Ok(handle)
}

/// Writes the bytes of caller memory `textmeter_lexicon_init` needs for
/// this lexicon text to `*out_size`. `format` is a `textmeter_format`;
/// `config` supplies the tokenizer settings (`fold_case`,
/// `fold_apostrophes`, `max_token_len`), which must be the analyzer's.
///
/// Errors: `NULL_ARG`, `INVALID_CONFIG`, `INVALID_ARG` (unknown format),
/// `BAD_LEXICON` (then `*out_err`, if not NULL, says where and why).
///
/// # Safety
/// `text` must point to `len` readable bytes unless `len` is 0; `config`
/// and `out_size` NULL or valid; `out_err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_lexicon_size(
    text: *const u8,
    len: usize,
    format: u32,
    config: *const textmeter_config,
    out_size: *mut usize,
    out_err: *mut textmeter_lexicon_error,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out_size)?;
        // SAFETY: the documented contract.
        let (text, opts) = unsafe { options(text, len, format, config)? };
        // SAFETY: NULL or writable (contract).
        let size = total_bytes(text, &opts)?
            .map_err(|e| unsafe { report(e, out_err) })?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(size) };
        Ok(())
    })
}

/// Compiles a lexicon text into caller memory, with no heap allocation,
/// and writes its handle (equal to `mem`) to `*out`. `mem` must be
/// aligned to `TEXTMETER_ALIGN` and at least `textmeter_lexicon_size`
/// bytes. The text is not referenced afterwards; `mem` must stay alive
/// and untouched while the lexicon or an analyzer using it lives.
///
/// Errors: as `textmeter_lexicon_size`, plus `MISALIGNED` and
/// `MEMORY_TOO_SMALL`.
///
/// # Safety
/// `mem` must be NULL or writable for `len` bytes, not overlapping
/// `text`; `text` readable for `text_len` bytes unless `text_len` is 0;
/// `config` and `out` NULL or valid; `out_err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_lexicon_init(
    mem: *mut u8,
    len: usize,
    text: *const u8,
    text_len: usize,
    format: u32,
    config: *const textmeter_config,
    out: *mut *mut textmeter_lexicon,
    out_err: *mut textmeter_lexicon_error,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        if mem.is_null() {
            return Err(TEXTMETER_STATUS_NULL_ARG);
        }
        // SAFETY: the documented contract.
        let (text, opts) = unsafe { options(text, text_len, format, config)? };
        // SAFETY: NULL or writable (contract).
        let size = total_bytes(text, &opts)?
            .map_err(|e| unsafe { report(e, out_err) })?;
        if mem as usize % TEXTMETER_ALIGN != 0 {
            return Err(TEXTMETER_STATUS_MISALIGNED);
        }
        if len < size {
            return Err(TEXTMETER_STATUS_MEMORY_TOO_SMALL);
        }
        // SAFETY: writable for `len >= size` bytes, aligned, reserved
        // (contract).
        let h = unsafe { build_at(mem, size, text, &opts, None, false) };
        // SAFETY: NULL or writable (contract).
        let h = h.map_err(|e| unsafe { report(e, out_err) })?;
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(h) };
        Ok(())
    })
}

/// Compiles a lexicon text on the heap and writes its handle to `*out`;
/// free it with `textmeter_lexicon_free` after the last analyzer using
/// it. The text is not referenced afterwards.
///
/// Errors: as `textmeter_lexicon_size`, plus `OUT_OF_MEMORY`.
///
/// # Safety
/// `text` readable for `len` bytes unless `len` is 0; `config` and `out`
/// NULL or valid; `out_err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_lexicon_new(
    text: *const u8,
    len: usize,
    format: u32,
    config: *const textmeter_config,
    out: *mut *mut textmeter_lexicon,
    out_err: *mut textmeter_lexicon_error,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: the documented contract.
        let (text, opts) = unsafe { options(text, len, format, config)? };
        // SAFETY: NULL or writable (contract).
        let size = total_bytes(text, &opts)?
            .map_err(|e| unsafe { report(e, out_err) })?;
        let layout = Layout::from_size_align(size, TEXTMETER_ALIGN)
            .map_err(|_| TEXTMETER_STATUS_OUT_OF_MEMORY)?;
        // SAFETY: `size >= HEAD > 0`.
        let mem = unsafe { alloc::alloc_zeroed(layout) };
        if mem.is_null() {
            return Err(TEXTMETER_STATUS_OUT_OF_MEMORY);
        }
        // SAFETY: a fresh zeroed block of `size` bytes, aligned, owned by
        // the handle until `_free`.
        match unsafe { build_at(mem, size, text, &opts, Some(layout), true) } {
            Ok(h) => {
                // SAFETY: non-NULL and writable (contract).
                unsafe { out.write(h) };
                Ok(())
            }
            Err(e) => {
                // SAFETY: allocated above with `layout`, not shared.
                unsafe { alloc::dealloc(mem, layout) };
                // SAFETY: NULL or writable (contract).
                Err(unsafe { report(e, out_err) })
            }
        }
    })
}

/// Frees a lexicon from `textmeter_lexicon_new`. NULL, the built-in
/// lexicon and lexicons from `textmeter_lexicon_init` are ignored. No
/// analyzer created with it may be used afterwards.
///
/// # Safety
/// `lexicon` must be NULL or a live lexicon no thread still uses.
#[no_mangle]
pub unsafe extern "C" fn textmeter_lexicon_free(
    lexicon: *mut textmeter_lexicon,
) {
    ffi_guard!((), {
        // SAFETY: NULL or live (contract).
        let Some(h) = (unsafe { lexicon.as_ref() }) else { return };
        if let Some(layout) = h.heap {
            // SAFETY: a heap lexicon, allocated by `textmeter_lexicon_new`
            // with `layout` at this address; it owns no resources.
            unsafe {
                ptr::drop_in_place(lexicon);
                alloc::dealloc(lexicon.cast(), layout);
            }
        }
    })
}

static BUILTIN: OnceLock<BuiltinLexicon> = OnceLock::new();
static BUILTIN_HANDLE: OnceLock<textmeter_lexicon> = OnceLock::new();

/// The built-in `news-stance` lexicon, compiled with the default
/// tokenizer settings (case and apostrophes folded, `max_token_len` 64),
/// so it fits analyzers with those settings; for others compile
/// `textmeter_builtin_lexicon_text` with `textmeter_lexicon_new`. Static:
/// never freed (`textmeter_lexicon_free` ignores it), compiled on first
/// use without heap allocation, thread-safe. NULL only on an internal
/// error.
#[no_mangle]
pub extern "C" fn textmeter_lexicon_builtin() -> *const textmeter_lexicon {
    ffi_guard!(ptr::null(), {
        let h = BUILTIN_HANDLE.get_or_init(|| textmeter_lexicon {
            heap: None,
            inner: BUILTIN.get_or_init(BuiltinLexicon::new).lexicon(),
        });
        ptr::from_ref(h)
    })
}

/// The text of the built-in `news-stance` lexicon (native TSV, not
/// NUL-terminated): a static pointer, with its length in `*out_len`.
/// NULL if `out_len` is NULL.
///
/// # Safety
/// `out_len` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_builtin_lexicon_text(
    out_len: *mut usize,
) -> *const u8 {
    ffi_guard!(ptr::null(), {
        if out_len.is_null() {
            return ptr::null();
        }
        // SAFETY: non-NULL and writable (contract).
        unsafe { out_len.write(NEWS_STANCE_TSV.len()) };
        NEWS_STANCE_TSV.as_ptr()
    })
}

/// About a compiled lexicon.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct textmeter_lexicon_info {
    /// The lexicon's name (`#! name:`, else `lexicon`, `afinn`, `liwc`),
    /// NUL-terminated.
    pub name: [c_char; TEXTMETER_NAME_SIZE],
    /// Length of the name in bytes. A name may itself contain NUL bytes
    /// (lexicon files can hold any bytes): use `name_len`, not `strlen`,
    /// when that matters.
    pub name_len: usize,
    /// The format it was parsed as (a `textmeter_format`, never AUTO).
    pub format: u32,
    /// Number of categories.
    pub categories: usize,
    /// Number of distinct terms.
    pub terms: usize,
}

/// Writes what `lexicon` holds to `*out`.
///
/// # Safety
/// `lexicon` must be NULL or live; `out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn textmeter_lexicon_describe(
    lexicon: *const textmeter_lexicon,
    out: *mut textmeter_lexicon_info,
) -> textmeter_status {
    ffi_status!({
        let out = out_ptr(out)?;
        // SAFETY: NULL or live (contract).
        let h =
            unsafe { lexicon.as_ref() }.ok_or(TEXTMETER_STATUS_NULL_ARG)?;
        let lex = h.inner;
        let (name, name_len) = c_name(lex.name());
        let info = textmeter_lexicon_info {
            name,
            name_len,
            format: format_code(lex.format()),
            categories: lex.category_count(),
            terms: lex.term_count(),
        };
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(info) };
        Ok(())
    })
}
