//! `textmeter._native`: the extension module behind the `textmeter`
//! Python package. It checks and converts arguments, runs textmeter's core
//! [`Analyzer`](textmeter::analyzer::Analyzer) with the GIL released, and
//! hands results back as plain Python values (a schema-1 JSON report, the
//! signature hashes and the `TMAZ` state bytes); the Python package in
//! `pysrc/textmeter` wraps them in classes. Every number comes from core.

// The entry points take the Python keyword options one by one, as the
// signatures in `_native.pyi` show.
#![allow(clippy::too_many_arguments)]

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use ouroboros::self_referencing;
use pyo3::buffer::PyBuffer;
use pyo3::create_exception;
use pyo3::exceptions::{
    PyMemoryError, PyOSError, PyRuntimeError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};
use serde_json::{json, Map, Value};
use textmeter::analyzer::{
    Analyzer as Core, AnalyzerConfig, AnalyzerError as CoreError,
    AnalyzerErrorKind,
};
use textmeter::arena::Arena;
use textmeter::lexicon::{
    detect_format, Format, Lexicon as CoreLexicon,
    LexiconError as CoreLexiconError, LexiconErrorKind, ParseOptions,
    NEWS_STANCE_TSV,
};
use textmeter::ngram::{Entry, NgramConfig};
use textmeter::signature::Signature;
use textmeter::tokenize::{for_each_token, TokenizerConfig};

create_exception!(
    textmeter._native,
    LexiconError,
    PyValueError,
    "A lexicon text could not be parsed; `.line` is the 1-based line at \
     fault (or None) and `.kind` names the problem."
);
create_exception!(
    textmeter._native,
    ConfigError,
    PyValueError,
    "An invalid analyzer configuration (n-gram range, capacity, ...)."
);
create_exception!(
    textmeter._native,
    MergeError,
    PyValueError,
    "Analyzers or states with different configurations or lexicons were \
     merged or restored together."
);
create_exception!(
    textmeter._native,
    StateError,
    PyValueError,
    "Bytes that are not a valid serialised analyzer state (TMAZ v1)."
);

/// Bytes read per `read` call for files.
const CHUNK: usize = 1 << 20;

/// Everything that can fail while the GIL is released; turned into a
/// Python exception once it is held again.
#[derive(Debug)]
enum Fail {
    Analyzer(CoreError),
    Lexicon(CoreLexiconError),
    Io(PathBuf, io::Error),
    /// An arena of this many bytes could not be allocated.
    Memory(usize),
    /// A signal handler raised (Ctrl-C: `KeyboardInterrupt`).
    Python(PyErr),
}

impl From<CoreError> for Fail {
    fn from(e: CoreError) -> Self {
        Fail::Analyzer(e)
    }
}

impl From<CoreLexiconError> for Fail {
    fn from(e: CoreLexiconError) -> Self {
        Fail::Lexicon(e)
    }
}

fn lexicon_kind(k: LexiconErrorKind) -> &'static str {
    match k {
        LexiconErrorKind::NotUtf8 => "not_utf8",
        LexiconErrorKind::MissingTab => "missing_tab",
        LexiconErrorKind::TooManyFields => "too_many_fields",
        LexiconErrorKind::BadWeight => "bad_weight",
        LexiconErrorKind::UnknownCategory => "unknown_category",
        LexiconErrorKind::BadCategoryName => "bad_category_name",
        LexiconErrorKind::TooManyCategories => "too_many_categories",
        LexiconErrorKind::EmptyTerm => "empty_term",
        LexiconErrorKind::TooManyTokens => "too_many_tokens",
        LexiconErrorKind::WildcardTooLong => "wildcard_too_long",
        LexiconErrorKind::BadDirective => "bad_directive",
        LexiconErrorKind::BadHeader => "bad_header",
        LexiconErrorKind::NumericCategory => "numeric_category",
        LexiconErrorKind::BadTokenizerConfig => "bad_tokenizer_config",
        LexiconErrorKind::OutOfMemory => "out_of_memory",
        _ => "other",
    }
}

impl Fail {
    fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Fail::Lexicon(e) => {
                let err = LexiconError::new_err(e.to_string());
                let v = err.value(py);
                // Setting attributes on a fresh exception cannot fail.
                let _ = v.setattr("line", e.line());
                let _ = v.setattr("kind", lexicon_kind(e.kind()));
                err
            }
            Fail::Analyzer(e) => {
                let msg = e.to_string();
                match e.kind() {
                    AnalyzerErrorKind::InvalidConfig => {
                        ConfigError::new_err(msg)
                    }
                    AnalyzerErrorKind::ConfigMismatch
                    | AnalyzerErrorKind::LexiconMismatch
                    | AnalyzerErrorKind::Unfinished => {
                        MergeError::new_err(msg)
                    }
                    AnalyzerErrorKind::Corrupt => StateError::new_err(msg),
                    _ => PyRuntimeError::new_err(msg),
                }
            }
            Fail::Memory(n) => PyMemoryError::new_err(format!(
                "cannot allocate an arena of {n} bytes (lower capacity)"
            )),
            Fail::Python(e) => e,
            Fail::Io(path, e) => PyOSError::new_err((
                e.raw_os_error().unwrap_or(0),
                e.to_string(),
                path.display().to_string(),
            )),
        }
    }
}

/// Runs `f` with the GIL released and converts its error.
fn detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, Fail> + Send,
) -> PyResult<T> {
    py.detach(f).map_err(|e| e.into_py(py))
}

fn format_from(name: &str) -> PyResult<Format> {
    Ok(match name {
        "auto" => Format::Auto,
        "tsv" => Format::Tsv,
        "afinn" => Format::Afinn,
        "liwc" => Format::LiwcDic,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown lexicon format {other:?} (expected 'auto', 'tsv', \
                 'afinn' or 'liwc')"
            )))
        }
    })
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Tsv => "tsv",
        Format::Afinn => "afinn",
        Format::LiwcDic => "liwc",
        _ => "auto",
    }
}

/// The name of `obj`'s type, for error messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map_or_else(|_| "?".to_string(), |n| n.to_string())
}

/// The bytes of a `str` that has lone surrogates (no UTF-8 of its own):
/// those `surrogateescape` makes (U+DC80..U+DCFF) become the bytes they
/// stand for, as `os.fsencode` gives them back, and other lone surrogates
/// their three generalised UTF-8 bytes. Either way they are analysed as
/// the invalid bytes they are, not refused, and a file's text decoded
/// with `surrogateescape` gives the file's numbers.
fn str_bytes(s: &Bound<'_, PyString>) -> PyResult<Vec<u8>> {
    let wide = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
    let wide = wide.cast::<PyBytes>()?.as_bytes();
    let mut out = Vec::with_capacity(wide.len());
    let mut i = 0;
    while i < wide.len() {
        // U+DC80..U+DCFF is ED B2 80..ED B3 BF; valid UTF-8 never has
        // ED followed by A0..BF, so these are only ever escapes.
        if let [0xed, b1 @ (0xb2 | 0xb3), b2, ..] = wide[i..] {
            out.push(((b1 & 1) << 6 | (b2 & 0x3f)) | 0x80);
            i += 3;
        } else {
            out.push(wide[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Calls `f` on the bytes of `obj`: borrowed from a `bytes` or a UTF-8
/// `str` (no copy), else copied while the GIL is held (a `str` with lone
/// surrogates by [`str_bytes`]; a `bytearray`, `memoryview`, `mmap` or
/// other buffer because another thread could change it while Rust reads
/// it with the GIL released).
fn with_text<R>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    f: impl FnOnce(&[u8]) -> PyResult<R>,
) -> PyResult<R> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return f(b.as_bytes());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        if let Ok(text) = s.to_str() {
            return f(text.as_bytes());
        }
        return f(&str_bytes(s)?);
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return f(&b.to_vec());
    }
    if let Ok(buf) = PyBuffer::<u8>::get(obj) {
        return f(&buf.to_vec(obj.py())?);
    }
    // Other one-byte items (`memoryview.cast('b')`, `array('b')`, a
    // ctypes `c_char` array of format '<c') are bytes too; wider items
    // are not text, and a released view says so itself.
    let py = obj.py();
    let memoryview = py.import("builtins")?.getattr("memoryview")?;
    match memoryview.call1((obj,)) {
        Ok(view) => {
            if view.getattr("itemsize")?.extract::<usize>()? == 1 {
                let bytes = view.call_method0("tobytes")?;
                return f(bytes.cast::<PyBytes>()?.as_bytes());
            }
            let format: String = view.getattr("format")?.extract()?;
            return Err(PyTypeError::new_err(format!(
                "{what} takes buffers of one-byte items; this {} has \
                 items of format '{format}'",
                type_name(obj)
            )));
        }
        // A buffer that cannot be exported now (a closed mmap, a
        // released view) says why; only a TypeError means "no buffer".
        Err(e)
            if obj.is_instance_of::<PyMemoryView>()
                || !e.is_instance_of::<PyTypeError>(py) =>
        {
            return Err(e)
        }
        Err(_) => {}
    }
    Err(PyTypeError::new_err(format!(
        "{what} expects str, bytes, bytearray, memoryview or mmap, not {}",
        type_name(obj)
    )))
}

// ---------------------------------------------------------------- lexicon

/// A parsed stance lexicon: its source text and format, checked once.
/// Immutable; compiled again (a few microseconds to milliseconds) for
/// each analysis with the analyzer's tokenizer configuration, exactly as
/// the CLI does, so `fold_case=False` works with any lexicon.
#[pyclass(frozen, module = "textmeter._native")]
struct Lexicon {
    text: Vec<u8>,
    /// The format asked for (`Auto` included).
    format: Format,
    name: String,
    detected: Format,
    categories: Vec<String>,
    terms: usize,
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Lexicon {
    fn options(&self, tokenizer: TokenizerConfig) -> ParseOptions {
        ParseOptions { format: self.format, tokenizer }
    }

    fn parse(text: Vec<u8>, format: Format) -> Result<Self, Fail> {
        let opts =
            ParseOptions { format, tokenizer: TokenizerConfig::default() };
        let mut mem = vec![0u8; CoreLexicon::bytes_needed(&text, &opts)?];
        let lex = CoreLexicon::parse_into(&text, &opts, &mut mem)?;
        let categories = (0..lex.category_count())
            .map(|i| lossy(lex.category_name(i).unwrap_or_default()))
            .collect();
        let (name, detected, terms) =
            (lossy(lex.name()), lex.format(), lex.term_count());
        Ok(Lexicon { text, format, name, detected, categories, terms })
    }
}

#[pymethods]
impl Lexicon {
    #[new]
    #[pyo3(signature = (text, format = "auto"))]
    fn new(
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        format: &str,
    ) -> PyResult<Self> {
        let format = format_from(format)?;
        let text = if let Ok(s) = text.cast::<PyString>() {
            match s.to_str() {
                Ok(t) => t.as_bytes().to_vec(),
                // The parser then names the line that is not UTF-8.
                Err(_) => str_bytes(s)?,
            }
        } else if let Ok(b) = text.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else {
            return Err(PyTypeError::new_err(format!(
                "a lexicon text must be str or bytes, not {}",
                type_name(text)
            )));
        };
        detached(py, || Lexicon::parse(text, format))
    }

    /// The built-in lexicon called `name` (only `news-stance`).
    #[staticmethod]
    fn builtin(py: Python<'_>, name: &str) -> PyResult<Self> {
        if name != "news-stance" {
            return Err(PyValueError::new_err(format!(
                "no built-in lexicon {name:?} (there is 'news-stance')"
            )));
        }
        detached(py, || Lexicon::parse(NEWS_STANCE_TSV.to_vec(), Format::Tsv))
    }

    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    #[getter]
    fn format(&self) -> &'static str {
        format_name(self.detected)
    }

    #[getter]
    fn categories(&self) -> Vec<String> {
        self.categories.clone()
    }

    #[getter]
    fn term_count(&self) -> usize {
        self.terms
    }

    #[getter]
    fn source<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.text)
    }

    fn __repr__(&self) -> String {
        format!(
            "Lexicon(name={:?}, format={:?}, terms={}, categories={:?})",
            self.name,
            format_name(self.detected),
            self.terms,
            self.categories
        )
    }
}

/// Guesses a lexicon text's format: 'tsv', 'afinn' or 'liwc'.
#[pyfunction]
fn detect_lexicon_format(text: &[u8]) -> &'static str {
    format_name(detect_format(text))
}

// ---------------------------------------------------------------- options

/// The analysis options shared by every entry point.
#[derive(Clone, Copy)]
struct Opts {
    config: AnalyzerConfig,
    top: usize,
}

fn opts(
    ngrams: (u8, u8),
    capacity: u32,
    fold_case: bool,
    negation: bool,
    top: usize,
) -> PyResult<Opts> {
    let config = AnalyzerConfig::new()
        .with_ngrams(
            NgramConfig::new(ngrams.0, ngrams.1).with_capacity(capacity),
        )
        .with_negation(negation)
        .with_fold_case(fold_case);
    config
        .try_bytes_needed()
        .map_err(|e| ConfigError::new_err(e.to_string()))?;
    Ok(Opts { config, top: top.min(capacity as usize) })
}

/// A zeroed arena for `config` and an analyzer of `input` bytes of text
/// (0: not known; huge pages for large inputs: [`Arena::for_input`]). A
/// refused allocation is an error, not an abort of the interpreter
/// (`capacity` can ask for gigabytes), and pages are committed only as
/// the tables reach them: a zeroed `Vec` wrote every byte, so every
/// analysis held its whole arena (21.2 MB with the defaults, gigabytes
/// with a large `capacity`) whatever its input.
fn arena(config: &AnalyzerConfig, input: u64) -> Result<Arena, Fail> {
    let n = config.bytes_needed();
    Arena::for_input(n, input).map_err(|_| Fail::Memory(n))
}

/// The size of the file at `path`, or 0 when it cannot be known (its
/// reading will say why).
fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The compiled memory of a lexicon for one analyzer configuration.
fn compile(
    lexicon: Option<&Lexicon>,
    config: &AnalyzerConfig,
) -> Result<Vec<u8>, Fail> {
    match lexicon {
        None => Ok(Vec::new()),
        Some(l) => Ok(vec![
            0u8;
            CoreLexicon::bytes_needed(
                &l.text,
                &l.options(config.tokenizer())
            )?
        ]),
    }
}

fn view<'m>(
    lexicon: Option<&Lexicon>,
    config: &AnalyzerConfig,
    mem: &'m mut [u8],
) -> Result<Option<CoreLexicon<'m>>, Fail> {
    match lexicon {
        None => Ok(None),
        Some(l) => Ok(Some(CoreLexicon::parse_into(
            &l.text,
            &l.options(config.tokenizer()),
            mem,
        )?)),
    }
}

// ---------------------------------------------------------------- reports

/// One report as handed to Python: the `<report>` object of the CLI's
/// JSON schema 1 (as JSON text, so numbers and key order are the CLI's),
/// the signature hashes and the analyzer's `TMAZ` state.
struct Raw {
    json: String,
    signature: Vec<u64>,
    state: Vec<u8>,
}

type RawTuple<'py> = (String, Vec<u64>, Bound<'py, PyBytes>);

impl Raw {
    fn into_py(self, py: Python<'_>) -> RawTuple<'_> {
        (self.json, self.signature, PyBytes::new(py, &self.state))
    }
}

/// The CLI's `Report::of` and `Report::to_json` (cli/src/report.rs), on
/// an analyzer at a document end.
fn report_json(a: &Core<'_, '_>, top: usize) -> Value {
    let cfg = a.config().ngrams();
    let mut ngrams = Map::new();
    for n in cfg.lo() as usize..=cfg.hi() as usize {
        let t = a.ngrams().table(n).expect("n in range");
        let mut entries = vec![Entry::default(); top.min(t.len())];
        let k = t.top_into(&mut entries);
        let top: Vec<Value> = entries[..k]
            .iter()
            .map(|e| {
                let gram: Option<Vec<String>> =
                    e.gram().map(|g| g.tokens().map(lossy).collect());
                json!({"gram": gram, "count": e.count(), "error": e.error()})
            })
            .collect();
        ngrams.insert(
            n.to_string(),
            json!({"total": t.total(), "exact": t.is_exact(), "top": top}),
        );
    }
    let lexicon = match (a.scores(), a.lexicon()) {
        (Some(s), Some(l)) => {
            let mut m = Map::new();
            for c in s.iter() {
                m.insert(
                    lossy(c.name()),
                    json!({
                        "hits": c.hits(),
                        "negated": c.negated(),
                        "score": c.score(),
                        "per_1k": c.per_1k(),
                        "hits_per_1k": c.hits_per_1k(),
                    }),
                );
            }
            json!({"name": lossy(l.name()), "categories": m})
        }
        _ => Value::Null,
    };
    let (types, types_exact) =
        a.types().map_or((0, false), |t| (t.types(), t.types_exact()));
    let c = a.counts();
    json!({
        "counts": {
            "bytes": c.bytes,
            "chars": c.chars,
            "lines": c.lines,
            "tokens": c.tokens,
            "words": c.words,
            "numbers": c.numbers,
            "types": types,
            "types_exact": types_exact,
            "invalid_bytes": c.invalid_bytes,
            "truncated_tokens": c.truncated_tokens,
            "max_token_len": c.max_token_len,
        },
        "ngrams": ngrams,
        "lexicon": lexicon,
    })
}

fn raw(a: &Core<'_, '_>, top: usize) -> Raw {
    let mut state = vec![0u8; a.serialized_len()];
    let n = a.serialize_into(&mut state).expect("buffer sized");
    state.truncate(n);
    Raw {
        json: report_json(a, top).to_string(),
        signature: a.signature().map_or(Vec::new(), |s| s.hashes().collect()),
        state,
    }
}

/// Calls `f` on a copy of `a` whose current document has ended; `a`
/// itself is left as it is (mid-document state included).
fn finished_copy<R>(
    a: &Core<'_, '_>,
    f: impl FnOnce(&Core<'_, '_>) -> R,
) -> Result<R, Fail> {
    // With nothing undecided, ending the document changes no result (it
    // only resets the windows), so `a` itself serves: a copy writes the
    // whole arena, whose size is the capacity's, not the text's (a
    // `report()` of two words at capacity 2^20 took 0.3 s and 337 MB).
    if !a.has_undecided() {
        return Ok(f(a));
    }
    let mut mem = arena(a.config(), 0)?;
    let mut c = a.copy_into(&mut mem)?;
    c.finish();
    Ok(f(&c))
}

/// Runs one fresh analyzer: `feed` gives it the document(s).
fn run(
    o: Opts,
    lexicon: Option<&Lexicon>,
    input: u64,
    feed: impl FnOnce(&mut Core<'_, '_>) -> Result<(), Fail>,
) -> Result<Raw, Fail> {
    let mut arena = arena(&o.config, input)?;
    let mut lex_mem = compile(lexicon, &o.config)?;
    let lex = view(lexicon, &o.config, &mut lex_mem)?;
    let mut a = Core::new_seeded(o.config, &mut arena, lex)?;
    feed(&mut a)?;
    a.finish();
    Ok(raw(&a, o.top))
}

/// Runs the signal handlers due (Python runs them only when asked, and
/// not at all while the GIL is released): Ctrl-C's `KeyboardInterrupt`
/// ends a long analysis between two chunks instead of after the last.
/// Only the main thread's handlers run, so elsewhere this does nothing.
fn check_signals() -> Result<(), Fail> {
    Python::attach(|py| py.check_signals()).map_err(Fail::Python)
}

/// Bytes of an in-memory text fed between two [`check_signals`].
const SLICE: usize = 4 << 20;

/// Feeds `bytes` in slices of [`SLICE`], checking for signals between
/// them (the result is the same however the text is cut).
fn feed_bytes(a: &mut Core<'_, '_>, bytes: &[u8]) -> Result<(), Fail> {
    for (i, piece) in bytes.chunks(SLICE).enumerate() {
        if i > 0 {
            check_signals()?;
        }
        a.update(piece);
    }
    Ok(())
}

/// Feeds a whole file in 1 MiB reads (without ending the document),
/// calling `between` after each read and while a read waits: on the
/// calling thread it runs the signal handlers ([`check_signals`]), on
/// `analyze_files`' workers it asks whether the caller was interrupted.
fn feed_file(
    a: &mut Core<'_, '_>,
    path: &Path,
    buf: &mut [u8],
    between: &dyn Fn() -> Result<(), Fail>,
) -> Result<(), Fail> {
    let mut src = Source::open(path)?;
    loop {
        let n = src.read(buf, between)?;
        if n == 0 {
            return Ok(());
        }
        a.update(&buf[..n]);
        between()?;
    }
}

/// A file being read, and whether a read of it can wait indefinitely (a
/// FIFO or terminal waits for a writer, a socket for its peer). Those
/// are opened non-blocking and waited for with `poll`, a slice at a time,
/// so that Ctrl-C ends the wait: a blocking open or read of a FIFO with
/// no writer could not be interrupted at all, and on a worker thread not
/// even by a signal.
struct Source<'p> {
    path: &'p Path,
    file: File,
    waits: bool,
}

impl<'p> Source<'p> {
    fn open(path: &'p Path) -> Result<Source<'p>, Fail> {
        let fail = |e| Fail::Io(path.to_path_buf(), e);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
            let t = std::fs::metadata(path).map_err(fail)?.file_type();
            if t.is_fifo() || t.is_char_device() || t.is_socket() {
                // Opening a FIFO for reading waits for a writer unless
                // non-blocking; the wait moves to `read`.
                let flags = rustix::fs::OFlags::NONBLOCK.bits();
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(flags as i32)
                    .open(path)
                    .map_err(fail)?;
                return Ok(Source { path, file, waits: true });
            }
        }
        let file = File::open(path).map_err(fail)?;
        Ok(Source { path, file, waits: false })
    }

    fn fail(&self, e: io::Error) -> Fail {
        Fail::Io(self.path.to_path_buf(), e)
    }

    /// Reads into `buf`, waiting as a blocking read would (0: the end).
    fn read(
        &mut self,
        buf: &mut [u8],
        between: &dyn Fn() -> Result<(), Fail>,
    ) -> Result<usize, Fail> {
        loop {
            #[cfg(unix)]
            if self.waits {
                self.wait_readable(between)?;
            }
            match self.file.read(buf) {
                Ok(n) => return Ok(n),
                // Nothing yet (a writer that has not written), or a
                // signal: wait again.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                    ) =>
                {
                    between()?;
                }
                Err(e) => return Err(self.fail(e)),
            }
        }
    }

    /// Waits until a read will not block: data, an end (the writer left)
    /// or an error. A FIFO that no writer has opened yet reports nothing
    /// on Linux, so this waits for one, as a blocking open does.
    #[cfg(unix)]
    fn wait_readable(
        &self,
        between: &dyn Fn() -> Result<(), Fail>,
    ) -> Result<(), Fail> {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let slice = Timespec { tv_sec: 0, tv_nsec: 50_000_000 };
        loop {
            let mut fds = [PollFd::new(&self.file, PollFlags::IN)];
            match poll(&mut fds, Some(&slice)) {
                Ok(0) | Err(rustix::io::Errno::INTR) => between()?,
                Ok(_) => return Ok(()),
                Err(e) => return Err(self.fail(e.into())),
            }
        }
    }
}

/// Analyses one text (one document).
#[pyfunction]
#[pyo3(signature = (data, ngrams, top, capacity, fold_case, negation, lexicon))]
fn analyze<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    ngrams: (u8, u8),
    top: usize,
    capacity: u32,
    fold_case: bool,
    negation: bool,
    lexicon: Option<PyRef<'py, Lexicon>>,
) -> PyResult<RawTuple<'py>> {
    let o = opts(ngrams, capacity, fold_case, negation, top)?;
    let lex = lexicon.as_deref();
    let r = with_text(data, "analyze()", |bytes| {
        detached(py, || {
            run(o, lex, bytes.len() as u64, |a| feed_bytes(a, bytes))
        })
    })?;
    Ok(r.into_py(py))
}

/// Analyses one file (one document), read in 1 MiB chunks.
#[pyfunction]
#[pyo3(signature = (path, ngrams, top, capacity, fold_case, negation, lexicon))]
fn analyze_file<'py>(
    py: Python<'py>,
    path: PathBuf,
    ngrams: (u8, u8),
    top: usize,
    capacity: u32,
    fold_case: bool,
    negation: bool,
    lexicon: Option<PyRef<'py, Lexicon>>,
) -> PyResult<RawTuple<'py>> {
    let o = opts(ngrams, capacity, fold_case, negation, top)?;
    let lex = lexicon.as_deref();
    let r = detached(py, || {
        let mut buf = vec![0u8; CHUNK];
        run(o, lex, file_len(&path), |a| {
            feed_file(a, &path, &mut buf, &check_signals)
        })
    })?;
    Ok(r.into_py(py))
}

/// Analyses files on `workers` threads, one document each; returns the
/// per-file reports and their total, merged strictly in path order (so
/// the total does not depend on `workers`, as in the CLI).
#[pyfunction]
#[pyo3(signature = (paths, ngrams, top, capacity, fold_case, negation, lexicon, workers))]
fn analyze_files<'py>(
    py: Python<'py>,
    paths: Vec<PathBuf>,
    ngrams: (u8, u8),
    top: usize,
    capacity: u32,
    fold_case: bool,
    negation: bool,
    lexicon: Option<PyRef<'py, Lexicon>>,
    workers: usize,
) -> PyResult<(Vec<RawTuple<'py>>, RawTuple<'py>)> {
    let o = opts(ngrams, capacity, fold_case, negation, top)?;
    let lex = lexicon.as_deref();
    let (docs, total) = detached(py, || analyze_all(&paths, o, lex, workers))?;
    Ok((docs.into_iter().map(|r| r.into_py(py)).collect(), total.into_py(py)))
}

fn analyze_all(
    paths: &[PathBuf],
    o: Opts,
    lexicon: Option<&Lexicon>,
    workers: usize,
) -> Result<(Vec<Raw>, Raw), Fail> {
    let mut lex_mem = compile(lexicon, &o.config)?;
    let lex = view(lexicon, &o.config, &mut lex_mem)?;
    let sizes: Vec<u64> = paths.iter().map(|p| file_len(p)).collect();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let mut total_mem = arena(&o.config, sizes.iter().sum())?;
    let total =
        Mutex::new((0usize, Core::new_seeded(o.config, &mut total_mem, lex)?));
    let turn = std::sync::Condvar::new();
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<Raw, Fail>>>> =
        paths.iter().map(|_| Mutex::new(None)).collect();
    let workers = workers.clamp(1, paths.len().max(1));
    // Set when the caller is interrupted (Ctrl-C, whose error is kept in
    // `interrupted`): workers stop at their next read or wait, and take
    // no further file. What they return then is never seen.
    let stop = AtomicBool::new(false);
    let interrupted: Mutex<Option<Fail>> = Mutex::new(None);
    let stopped_error = || {
        let e = io::Error::from(io::ErrorKind::Interrupted);
        Fail::Io(PathBuf::new(), e)
    };
    let stopped = || {
        if stop.load(Ordering::Relaxed) {
            Err(stopped_error())
        } else {
            Ok(())
        }
    };
    // The signal check of the calling thread: an interrupt stops every
    // worker and is what the call raises.
    let signals = || {
        check_signals().map_err(|e| {
            *interrupted.lock().expect("no panics") = Some(e);
            stop.store(true, Ordering::Relaxed);
            stopped_error()
        })
    };
    let work = |between: &dyn Fn() -> Result<(), Fail>| {
        // Memory for one analyzer per worker: when it runs out,
        // this worker sits out and the others take its files.
        let Ok(mut mem) = arena(&o.config, largest) else { return };
        // The total analyzer was built with the same configuration
        // and lexicon, so this cannot fail.
        let mut a = Core::new_seeded(o.config, &mut mem, lex)
            .expect("checked by the total analyzer");
        let mut buf = vec![0u8; CHUNK];
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(i) else { break };
            a.reset();
            let read = feed_file(&mut a, path, &mut buf, between);
            a.finish();
            // Merge in path order: wait for this file's turn.
            let mut st = total.lock().expect("no panics");
            while st.0 != i {
                st = turn.wait(st).expect("no panics");
            }
            let merged = match read {
                Ok(()) => st.1.merge(&a).map_err(Fail::from),
                Err(e) => Err(e),
            };
            st.0 += 1;
            turn.notify_all();
            drop(st);
            let r = merged.map(|()| raw(&a, o.top));
            *results[i].lock().expect("no panics") = Some(r);
        }
    };
    std::thread::scope(|s| {
        // A thread that cannot be started (a process or address-space
        // limit) is a worker fewer; with none, this thread does the work.
        let mut running = Vec::new();
        for _ in 0..workers {
            let (work, stopped) = (&work, &stopped);
            match std::thread::Builder::new()
                .spawn_scoped(s, move || work(stopped))
            {
                Ok(h) => running.push(h),
                Err(_) => break,
            }
        }
        if running.is_empty() {
            work(&signals);
            return;
        }
        // Only this thread runs Python's signal handlers: it checks them
        // while the workers run, and on Ctrl-C stops them (they notice
        // within a read or a 50 ms wait).
        while running.iter().any(|h| !h.is_finished()) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            if signals().is_err() {
                return;
            }
        }
    });
    if let Some(e) = interrupted.into_inner().expect("no panics") {
        return Err(e);
    }
    let mut docs = Vec::with_capacity(paths.len());
    for r in results {
        match r.into_inner().expect("no panics") {
            Some(Ok(raw)) => docs.push(raw),
            Some(Err(e)) => return Err(e),
            // No worker could allocate its arena.
            None => return Err(Fail::Memory(o.config.bytes_needed())),
        }
    }
    let (_, total) = total.into_inner().expect("no panics");
    Ok((docs, raw(&total, o.top)))
}

/// Estimated Jaccard similarity of two documents' word 3-gram sets from
/// their signature hashes (core's `Signature::jaccard`, as the CLI).
#[pyfunction]
#[pyo3(signature = (a, b, k = 128))]
fn similarity(a: Vec<u64>, b: Vec<u64>, k: usize) -> f64 {
    // A bottom-k signature of more than the hashes given holds them all:
    // a larger `k` changes nothing but the memory it would take.
    let k = k.clamp(1, (a.len() + b.len()).max(1));
    let sig = |hashes: &[u64]| {
        let mut s = Signature::new(vec![0u8; Signature::bytes_needed(k)], k)
            .expect("k > 0 and arena sized");
        hashes.iter().for_each(|&h| s.insert_hash(h));
        s
    };
    sig(&a).jaccard(&sig(&b))
}

/// The tokens of a text: normalised (lowercased unless `fold_case` is
/// false, apostrophes folded), or their original text with `raw`.
#[pyfunction]
#[pyo3(signature = (data, raw = false, fold_case = true))]
fn tokens(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    raw: bool,
    fold_case: bool,
) -> PyResult<Vec<String>> {
    let config = TokenizerConfig { fold_case, ..TokenizerConfig::default() };
    with_text(data, "tokens()", |bytes| {
        Ok(py.detach(|| {
            let mut out = Vec::new();
            for_each_token(bytes, &config, |t| {
                let b =
                    if raw { t.raw().unwrap_or(t.norm()) } else { t.norm() };
                out.push(lossy(b));
            });
            out
        }))
    })
}

// --------------------------------------------------------------- analyzer

/// The core analyzer with the arena and compiled lexicon it borrows,
/// owned together (ouroboros keeps this free of `unsafe` here).
#[self_referencing]
struct Owned {
    arena: Arena,
    lex_mem: Vec<u8>,
    #[borrows(mut arena, mut lex_mem)]
    #[not_covariant]
    core: Core<'this, 'this>,
}

impl Owned {
    fn build(
        o: &Opts,
        lexicon: Option<&Lexicon>,
        state: Option<&[u8]>,
    ) -> Result<Owned, Fail> {
        let config = o.config;
        let arena = arena(&config, 0)?;
        let lex_mem = compile(lexicon, &config)?;
        OwnedTryBuilder {
            arena,
            lex_mem,
            core_builder: |arena, lex_mem| {
                let lex = view(lexicon, &config, lex_mem)?;
                Ok(match state {
                    None => Core::new_seeded(config, arena, lex)?,
                    Some(s) => Core::deserialize(config, arena, lex, s)?,
                })
            },
        }
        .try_build()
    }
}

/// A streaming analyzer: feed chunks of one document with `update`,
/// end documents with `finish`, merge other analyzers, save the state.
/// Not for concurrent use from two threads (the second call raises).
#[pyclass(module = "textmeter._native")]
struct Analyzer {
    owned: Owned,
    opts: Opts,
}

#[pymethods]
impl Analyzer {
    #[new]
    #[pyo3(signature = (ngrams, top, capacity, fold_case, negation, lexicon, state = None))]
    fn new(
        py: Python<'_>,
        ngrams: (u8, u8),
        top: usize,
        capacity: u32,
        fold_case: bool,
        negation: bool,
        lexicon: Option<PyRef<'_, Lexicon>>,
        state: Option<&[u8]>,
    ) -> PyResult<Self> {
        let o = opts(ngrams, capacity, fold_case, negation, top)?;
        let lex = lexicon.as_deref();
        let owned = detached(py, || Owned::build(&o, lex, state))?;
        Ok(Analyzer { owned, opts: o })
    }

    /// Feeds the next chunk of the current document.
    fn update(
        &mut self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let owned = &mut self.owned;
        with_text(data, "Analyzer.update()", |bytes| {
            detached(py, || owned.with_core_mut(|a| feed_bytes(a, bytes)))
        })
    }

    /// Feeds a whole file to the current document.
    fn update_file(&mut self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let owned = &mut self.owned;
        detached(py, || {
            let mut buf = vec![0u8; CHUNK];
            owned.with_core_mut(|a| {
                feed_file(a, &path, &mut buf, &check_signals)
            })
        })
    }

    /// Ends the current document.
    fn finish(&mut self) {
        self.owned.with_core_mut(|a| a.finish());
    }

    /// Reports everything so far, as if the current document ended now,
    /// without changing the analyzer.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<RawTuple<'py>> {
        let (owned, top) = (&self.owned, self.opts.top);
        let r = detached(py, || {
            owned.with_core(|a| finished_copy(a, |c| raw(c, top)))
        })?;
        Ok(r.into_py(py))
    }

    /// The TMAZ v1 state as if the current document ended now, without
    /// changing the analyzer.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let owned = &self.owned;
        let state = detached(py, || {
            owned.with_core(|a| {
                finished_copy(a, |c| {
                    let mut out = vec![0u8; c.serialized_len()];
                    let n = c.serialize_into(&mut out).expect("buffer sized");
                    out.truncate(n);
                    out
                })
            })
        })?;
        Ok(PyBytes::new(py, &state))
    }

    /// Adds `other`'s results (ends both analyzers' documents).
    fn merge(slf: &Bound<'_, Self>, other: &Bound<'_, Self>) -> PyResult<()> {
        if slf.is(other) {
            return Err(PyValueError::new_err(
                "cannot merge an analyzer into itself",
            ));
        }
        let py = slf.py();
        let mut me = slf.try_borrow_mut()?;
        let mut them = other.try_borrow_mut()?;
        them.finish();
        let them = &them.owned;
        let me = &mut me.owned;
        detached(py, || {
            them.with_core(|b| me.with_core_mut(|a| a.merge(b)))
                .map_err(Fail::from)
        })
    }
}

/// The extension module. Audit for free-threaded Python: no global or
/// static state; `Lexicon` is frozen and immutable; `Analyzer` is only
/// reached through pyo3's borrow checking (`&mut self`), so two threads
/// can never run core on the same analyzer at once.
#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Lexicon>()?;
    m.add_class::<Analyzer>()?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_file, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_files, m)?)?;
    m.add_function(wrap_pyfunction!(similarity, m)?)?;
    m.add_function(wrap_pyfunction!(tokens, m)?)?;
    m.add_function(wrap_pyfunction!(detect_lexicon_format, m)?)?;
    m.add("LexiconError", py.get_type::<LexiconError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("MergeError", py.get_type::<MergeError>())?;
    m.add("StateError", py.get_type::<StateError>())?;
    Ok(())
}
