//! `textmeter`: text statistics over files, side by side, as a table or
//! JSON. All the analysis is textmeter's core [`Analyzer`]; this binary
//! finds the inputs, reads them, runs analyzers on worker threads, merges
//! them into a total and prints. See `cli/README.md` for the JSON schema.

mod report;
mod similarity;

use std::cell::RefCell;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde::ser::{
    Error as _, Serialize, SerializeMap, SerializeSeq, Serializer,
};
use serde_json::json;
use textmeter::analyzer::{
    Analyzer, AnalyzerConfig, AnalyzerError, AnalyzerRest, AnalyzerTable,
};
use textmeter::arena::Arena;
use textmeter::lexicon::{Format, Lexicon, ParseOptions, NEWS_STANCE_TSV};
use textmeter::ngram::{NgramConfig, DEFAULT_CAPACITY, MAX_CAPACITY};
use textmeter::tokenize::Tokenizer;

use report::{Column, Report, Style};
use similarity::Similarity;

/// Set by [`to_stderr!`]: an error was reported, so the exit status is
/// not 0 even when a closed stdout ends the run early.
static REPORTED_ERROR: AtomicBool = AtomicBool::new(false);

/// `eprintln!` for error messages, except that a closed stderr is no
/// reason to panic (the message is lost, the exit status still tells),
/// and that the message is made [`report::printable`]: a file name (or a
/// lexicon's) with an escape sequence must not steer the terminal.
macro_rules! to_stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        REPORTED_ERROR.store(true, Ordering::Relaxed);
        let msg = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", report::printable(&msg));
    }};
}

/// Bytes read per `read` call: large enough to amortise calls, small
/// enough that memory does not depend on the input.
const CHUNK: usize = 1 << 20;

/// Inputs larger than this (in total) get a progress bar on a terminal.
const PROGRESS_BYTES: u64 = 8 << 20;

#[derive(Parser)]
#[command(
    name = "textmeter",
    version,
    about = "Text statistics side by side: counts, n-grams, stance \
             lexicon scores and document similarity",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    analyze: AnalyzeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print one token per line (normalised unless --raw).
    Tokens(TokensArgs),
}

#[derive(Args)]
struct TokensArgs {
    /// Print each token's original bytes instead of its normalised form.
    #[arg(long)]
    raw: bool,
    /// Do not lowercase tokens.
    #[arg(long)]
    no_fold: bool,
    /// Files or directories (walked recursively); `-` or none: stdin.
    paths: Vec<PathBuf>,
}

#[derive(Args)]
struct AnalyzeArgs {
    /// Print one JSON object (schema 1) instead of the human report.
    #[arg(long)]
    json: bool,
    /// The n-gram sizes counted, MIN..MAX within 1..8 (or one size N).
    #[arg(long, value_name = "MIN..MAX", default_value = "1..3",
          value_parser = parse_range)]
    ngrams: NgramRange,
    /// How many of the most frequent n-grams to report for each size.
    #[arg(long, value_name = "K", default_value_t = 10)]
    top: usize,
    /// A lexicon file, the built-in `news-stance`, or `none`.
    #[arg(
        long,
        value_name = "PATH|news-stance|none",
        default_value = "news-stance"
    )]
    lexicon: String,
    /// The lexicon file's format.
    #[arg(long, value_enum, default_value_t = LexFormat::Auto)]
    lexicon_format: LexFormat,
    /// Do not let negators (`not`, `never`, `*n't`, …) flip lexicon hits.
    #[arg(long)]
    no_negation: bool,
    /// Do not lowercase tokens.
    #[arg(long)]
    no_fold: bool,
    /// Entries per n-gram table: counts are exact while the distinct
    /// n-grams fit, bounded estimates beyond; memory is about 220 bytes
    /// per entry per n, whatever the input size.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CAPACITY,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_CAPACITY)))]
    capacity: u32,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    jobs: Option<u32>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Files or directories (walked recursively); `-` or none: stdin.
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug)]
struct NgramRange {
    lo: u8,
    hi: u8,
}

fn parse_range(s: &str) -> Result<NgramRange, String> {
    let (a, b) = s.split_once("..").unwrap_or((s, s));
    let b = b.strip_prefix('=').unwrap_or(b);
    let parse = |x: &str| {
        x.trim().parse::<u8>().map_err(|_| format!("`{x}` is not a number"))
    };
    let (lo, hi) = (parse(a)?, parse(b)?);
    if lo == 0 || hi > 8 || lo > hi {
        return Err("expected MIN..MAX with 1 <= MIN <= MAX <= 8".into());
    }
    Ok(NgramRange { lo, hi })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LexFormat {
    Auto,
    Tsv,
    Afinn,
    Liwc,
}

/// One input: a file or standard input.
#[derive(Clone, Debug)]
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File(p) => p.display().to_string(),
        }
    }

    fn open(&self) -> io::Result<Box<dyn Read + '_>> {
        Ok(match self {
            Input::Stdin => Box::new(io::stdin().lock()),
            Input::File(p) => Box::new(File::open(p)?),
        })
    }
}

/// Expands the command-line paths: directories recursively (regular files
/// only, sorted by name; symlinks to files are followed, symlinks to
/// directories are not, so there are no cycles). Unreadable paths, and
/// symlinks whose target is missing or unreadable, are reported on stderr
/// and counted in `failures`: a file the walk cannot look at is never
/// skipped in silence.
fn collect_inputs(paths: &[PathBuf], failures: &mut usize) -> Vec<Input> {
    fn walk(dir: &Path, out: &mut Vec<Input>, failures: &mut usize) {
        let entries = match fs::read_dir(dir) {
            Ok(rd) => rd.collect::<io::Result<Vec<_>>>(),
            Err(e) => Err(e),
        };
        let mut entries = match entries {
            Ok(e) => e,
            Err(e) => {
                to_stderr!("textmeter: {}: {e}", dir.display());
                *failures += 1;
                return;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let ft = match e.file_type() {
                Ok(ft) => ft,
                Err(err) => {
                    to_stderr!("textmeter: {}: {err}", path.display());
                    *failures += 1;
                    continue;
                }
            };
            if ft.is_dir() {
                walk(&path, out, failures);
            } else if ft.is_file() {
                out.push(Input::File(path));
            } else if ft.is_symlink() {
                match fs::metadata(&path) {
                    Ok(m) if m.is_file() => out.push(Input::File(path)),
                    // A directory (no cycles) or a device, FIFO or socket.
                    Ok(_) => {}
                    Err(err) => {
                        to_stderr!(
                            "textmeter: {}: symlink target: {err}",
                            path.display()
                        );
                        *failures += 1;
                    }
                }
            }
        }
    }
    if paths.is_empty() {
        return vec![Input::Stdin];
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out, failures),
            Ok(_) => out.push(Input::File(p.clone())),
            Err(e) => {
                to_stderr!("textmeter: {}: {e}", p.display());
                *failures += 1;
            }
        }
    }
    out
}

/// Reads `r` to the end in fixed-size chunks, handing each to `f`.
fn for_each_chunk(
    r: &mut dyn Read,
    buf: &mut [u8],
    mut f: impl FnMut(&[u8]),
) -> io::Result<()> {
    loop {
        match r.read(buf) {
            Ok(0) => return Ok(()),
            Ok(n) => f(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The first non-blank line of a document's head, for the human legend:
/// at most 200 bytes, not ending in a cut character.
fn title_of(head: &[u8]) -> String {
    let line = head
        .split(|&b| b == b'\n')
        .find(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .unwrap_or(b"");
    let mut line = &line[..line.len().min(200)];
    if let Err(e) = std::str::from_utf8(line) {
        if e.error_len().is_none() {
            line = &line[..e.valid_up_to()];
        }
    }
    String::from_utf8_lossy(line).trim().to_string()
}

/// The first [`Head::LEN`] bytes of a document, however its reads cut it
/// (a pipe's first read may end mid-line), so that its title depends on
/// its bytes alone.
#[derive(Default)]
struct Head(Vec<u8>);

impl Head {
    const LEN: usize = 4096;

    fn push(&mut self, chunk: &[u8]) {
        let room = Self::LEN - self.0.len();
        self.0.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }

    fn title(&self) -> String {
        title_of(&self.0)
    }
}

/// A successfully analysed document.
struct Doc {
    name: String,
    title: String,
    report: Report,
}

/// One part of the total ([`Analyzer::split_mut`]) and the index of the
/// next document it takes.
struct Lane<'p, 'a, 'l> {
    next: usize,
    part: Part<'p, 'a, 'l>,
}

enum Part<'p, 'a, 'l> {
    Rest(AnalyzerRest<'p, 'a, 'l>),
    Table(AnalyzerTable<'p>),
}

impl Part<'_, '_, '_> {
    fn merge(&mut self, a: &Analyzer<'_, '_>) -> Result<(), AnalyzerError> {
        match self {
            Part::Rest(p) => p.merge(a),
            Part::Table(p) => p.merge(a),
        }
    }
}

/// Sizes of the regular files among the inputs (stdin counts 0).
#[derive(Clone, Copy)]
struct InputBytes {
    total: u64,
    largest: u64,
}

/// What every way of analysing the inputs needs besides them.
#[derive(Clone, Copy)]
struct Plan<'p, 'l> {
    config: AnalyzerConfig,
    lexicon: Option<Lexicon<'l>>,
    /// N-grams listed per `n` in reports.
    top: usize,
    input_bytes: InputBytes,
    progress: &'p ProgressBar,
}

/// A worker's read buffer: an error, not an abort, when even that cannot
/// be had (many `--jobs` under an address-space limit).
fn read_buffer() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(CHUNK)
        .context("cannot allocate a read buffer (try fewer --jobs)")?;
    buf.resize(CHUNK, 0);
    Ok(buf)
}

/// A zeroed arena of `len` bytes for an analyzer of `input` bytes of text
/// (on huge pages for large inputs: [`Arena::for_input`]).
fn arena(len: usize, input: u64) -> Result<Arena> {
    Arena::for_input(len, input).with_context(|| {
        let size = if len >= 1_000_000_000 {
            format!("{:.1} GB", len as f64 / 1e9)
        } else {
            format!("{:.1} MB", len as f64 / 1e6)
        };
        format!(
            "cannot map {size} for an analyzer (one per --jobs worker, its \
             tables reserving room for --capacity entries per n; lower \
             either)"
        )
    })
}

/// Feeds `input` to `a` (then finishes it) through `buf`: whether it was
/// read to the end, and its title.
fn analyze_input(
    input: &Input,
    a: &mut Analyzer<'_, '_>,
    buf: &mut [u8],
    progress: &ProgressBar,
) -> (io::Result<()>, Option<String>) {
    let mut head = Head::default();
    let read = input.open().and_then(|mut r| {
        for_each_chunk(&mut *r, buf, |c| {
            head.push(c);
            a.update(c);
            progress.inc(c.len() as u64);
        })
    });
    a.finish();
    (read, Some(head.title()))
}

/// A document's result once it has been read: its report, or the line
/// that says why `input` could not be read.
fn outcome(
    input: &Input,
    read: io::Result<()>,
    title: Option<String>,
    report: impl FnOnce() -> Report,
) -> Result<Doc, String> {
    match read {
        Ok(()) => Ok(Doc {
            name: input.name(),
            title: title.unwrap_or_default(),
            report: report(),
        }),
        Err(e) => Err(format!("{}: {e}", input.name())),
    }
}

/// Analyses one input on one thread. The total of one document is that
/// document (merging it into an empty total copies it), so one analyzer
/// serves both: no second arena, no copy.
fn analyze_one(
    input: &Input,
    plan: Plan<'_, '_>,
    emit: Emit<'_>,
) -> Result<Report> {
    let Plan { config, lexicon, top, input_bytes, progress } = plan;
    let need = config.bytes_needed();
    let mut mem = arena(need, input_bytes.total)?;
    let mut a = Analyzer::new_seeded(config, &mut mem, lexicon)?;
    let mut buf = vec![0u8; CHUNK];
    let (read, title) = analyze_input(input, &mut a, &mut buf, progress);
    let doc = outcome(input, read, title, || Report::of(&a, top));
    if doc.is_err() {
        // As in `analyze_all`: a document that could not be read adds
        // nothing to the total.
        a.reset();
    }
    emit(doc);
    Ok(Report::of(&a, top))
}

/// Analyses every input on `jobs` threads. Each worker reuses one
/// analyzer (and arena) per document. The per-document analyzers are
/// merged into the total strictly in input order, so the total is the
/// same for any number of jobs even when the n-gram tables overflow
/// (Space-Saving merges are not associative); but the total is merged
/// part by part (each n-gram table, and the rest), each part taking the
/// documents in order on its own, so one worker can merge a document's
/// trigrams while another merges the next document's unigrams.
fn analyze_all(
    inputs: &[Input],
    plan: Plan<'_, '_>,
    jobs: usize,
    emit: Emit<'_>,
) -> Result<Report> {
    let Plan { config, lexicon, top, input_bytes, progress } = plan;
    let need = config.bytes_needed();
    let mut total_mem = arena(need, input_bytes.total)?;
    let mut total = Analyzer::new_seeded(config, &mut total_mem, lexicon)?;
    let next_job = AtomicUsize::new(0);
    let workers = jobs.clamp(1, inputs.len().max(1));
    let flow = Flow::new(workers);
    let parts = total.split_mut();
    let lanes: Vec<(Mutex<Lane>, Condvar)> =
        std::iter::once(Part::Rest(parts.rest))
            .chain(parts.tables.map(Part::Table))
            .map(|part| (Mutex::new(Lane { next: 0, part }), Condvar::new()))
            .collect();
    // One worker's job: documents until none is left.
    let work = || -> Result<()> {
        let mut mem = arena(need, input_bytes.largest)?;
        let mut a = Analyzer::new_seeded(config, &mut mem, lexicon)?;
        let mut buf = read_buffer()?;
        loop {
            let i = next_job.fetch_add(1, Ordering::Relaxed);
            let Some(input) = inputs.get(i) else { break };
            // Once the output has stopped, the remaining
            // documents are only passed through the lanes.
            let go = flow.wait_for_room(i);
            a.reset();
            let (read, title) = if go {
                analyze_input(input, &mut a, &mut buf, progress)
            } else {
                (Err(io::ErrorKind::BrokenPipe.into()), None)
            };
            // Every lane takes document i (merged or skipped)
            // even after an error, or the others would wait
            // for it forever.
            let mut failed = None;
            for (lane, turn) in &lanes {
                let mut l = lane.lock().expect("no panics");
                while l.next != i {
                    l = turn.wait(l).expect("no panics");
                }
                if read.is_ok() && failed.is_none() {
                    failed = l.part.merge(&a).err();
                }
                l.next += 1;
                turn.notify_all();
            }
            if let Some(e) = failed {
                return Err(e.into());
            }
            flow.publish(
                i,
                outcome(input, read, title, || Report::of(&a, top)),
            );
        }
        Ok(())
    };
    std::thread::scope(|s| -> Result<()> {
        // A thread that cannot be started (a process or address-space
        // limit) is a worker fewer, counted out of the flow at once.
        let mut handles = Vec::with_capacity(workers);
        let mut refused = None;
        for _ in 0..workers {
            let started = thread::Builder::new().spawn_scoped(s, || {
                let exit = flow.on_exit();
                exit.end(work())
            });
            match started {
                Ok(h) => handles.push(h),
                Err(e) => {
                    drop(flow.on_exit());
                    refused = Some(e);
                }
            }
        }
        if let (true, Some(e)) = (handles.is_empty(), refused) {
            return Err(e).context("cannot start a worker thread");
        }
        // This thread hands the documents on in input order while the
        // workers go on.
        for i in 0..inputs.len() {
            let Some(r) = flow.take(i) else { break };
            if !emit(r) {
                flow.stop();
                break;
            }
        }
        for h in handles {
            h.join().expect("worker panicked")?;
        }
        Ok(())
    })?;
    drop(lanes);
    Ok(Report::of(&total, top))
}

/// Where the analysis hands each document's result, in input order, as
/// soon as it and every earlier one are done; `false` asks it to stop
/// (the output has failed).
type Emit<'e> = &'e mut dyn FnMut(Result<Doc, String>) -> bool;

/// How many finished documents may wait for the output, beyond those the
/// workers are analysing: the reports held at once no longer grow with
/// the number of inputs (each is about 10 KB with the defaults; 20,000
/// articles held 200 MB before their output began).
const AHEAD_DOCS: usize = 64;

/// Hands finished documents from the workers to the output thread in
/// input order, through a ring of [`AHEAD_DOCS`] slots: a worker starts
/// document `i` only when the output has taken document
/// `i - AHEAD_DOCS`.
struct Flow {
    state: Mutex<FlowState>,
    changed: Condvar,
}

struct FlowState {
    ring: Vec<Option<Result<Doc, String>>>,
    /// Documents the output has taken.
    taken: usize,
    /// Workers still running (a worker that fails or panics leaves, and
    /// the output must not wait for it).
    alive: usize,
    stopped: bool,
}

/// Counts a worker out of [`Flow`] when dropped, however it ends.
struct FlowExit<'f>(&'f Flow);

impl Drop for FlowExit<'_> {
    fn drop(&mut self) {
        let mut st = self.0.lock();
        st.alive -= 1;
        // A panicking worker never publishes its document either.
        st.stopped |= std::thread::panicking();
        self.0.changed.notify_all();
    }
}

impl FlowExit<'_> {
    /// Ends the worker with `r`; an error stops the flow, since the
    /// output would wait in vain for the document that failed.
    fn end(self, r: Result<()>) -> Result<()> {
        if r.is_err() {
            self.0.stop();
        }
        r
    }
}

impl Flow {
    fn new(workers: usize) -> Self {
        Flow {
            state: Mutex::new(FlowState {
                ring: (0..AHEAD_DOCS).map(|_| None).collect(),
                taken: 0,
                alive: workers,
                stopped: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FlowState> {
        // A worker that panics holds no lock here while panicking (the
        // guards live in short blocks), so poisoning cannot happen; take
        // the state anyway rather than panic twice.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A guard that counts the calling worker out when it ends.
    fn on_exit(&self) -> FlowExit<'_> {
        FlowExit(self)
    }

    /// Waits until document `i` has a slot; `false` once the output has
    /// stopped.
    fn wait_for_room(&self, i: usize) -> bool {
        let mut st = self.lock();
        while i >= st.taken + AHEAD_DOCS && !st.stopped {
            st = self.changed.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        !st.stopped
    }

    fn publish(&self, i: usize, r: Result<Doc, String>) {
        let mut st = self.lock();
        if !st.stopped {
            st.ring[i % AHEAD_DOCS] = Some(r);
            self.changed.notify_all();
        }
    }

    /// Document `i` once it is done; `None` if a worker failed or every
    /// worker has left without it (the error is in a worker's join).
    fn take(&self, i: usize) -> Option<Result<Doc, String>> {
        let mut st = self.lock();
        loop {
            if let Some(r) = st.ring[i % AHEAD_DOCS].take() {
                st.taken = i + 1;
                self.changed.notify_all();
                return Some(r);
            }
            if st.alive == 0 || st.stopped {
                return None;
            }
            st = self.changed.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

/// Analyses a single input on two threads, splitting the work by `n`
/// rather than by input: the first thread reads the input and runs an
/// analyzer with everything but the largest `n` (counts, lexicon,
/// signature, the smaller n-gram tables), the second gets every chunk too
/// and counts the largest `n`'s grams alone. The tables of different `n`
/// are independent and both threads see the same tokens, so the results
/// are exactly those of one analyzer; the two halves of the n-gram work
/// cost about the same (the largest tables evict the most), so this nearly
/// halves the time where splitting the input could not (Space-Saving
/// tables merged from pieces differ from one counted in one pass).
fn analyze_split(
    input: &Input,
    plan: Plan<'_, '_>,
    emit: Emit<'_>,
) -> Result<Report> {
    let Plan { config, lexicon, top, input_bytes, progress } = plan;
    let ng = config.ngrams();
    let capacity = |c: NgramConfig| {
        (c.lo()..=c.hi()).fold(c, |c, n| {
            c.with_capacity_for(n, ng.table(n).capacity())
                .with_pool_bytes_for(n, ng.table(n).pool_bytes())
        })
    };
    let first = capacity(
        NgramConfig::new(ng.lo(), ng.hi() - 1)
            .with_distinct_precision(ng.distinct_precision())
            .with_lookahead(ng.lookahead()),
    );
    let last = capacity(
        NgramConfig::new(ng.hi(), ng.hi())
            .with_distinct_precision(0)
            .with_lookahead(ng.lookahead()),
    );
    let cfg_a = config.with_ngrams(first);
    let cfg_b = config.with_ngrams(last).with_signature_k(0);
    let (need_a, need_b) = (cfg_a.bytes_needed(), cfg_b.bytes_needed());
    let mut mem_a = arena(need_a, input_bytes.total)?;
    let mut mem_b = arena(need_b, input_bytes.total)?;
    let mut a = Analyzer::new_seeded(cfg_a, &mut mem_a, lexicon)?;
    let mut b = Analyzer::new_seeded(cfg_b, &mut mem_b, None)?;
    let mut head = Head::default();
    let read = thread::scope(|s| -> Result<_> {
        // A few chunks in flight keep both threads busy without holding
        // more than a few MiB.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Arc<Vec<u8>>>(4);
        let second = thread::Builder::new()
            .spawn_scoped(s, move || {
                for chunk in rx {
                    b.update(&chunk);
                }
                b.finish();
                b
            })
            .context("cannot start the second thread (try --jobs 1)")?;
        let read = input.open().and_then(|mut r| loop {
            let mut buf = vec![0u8; CHUNK];
            let n = match r.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            buf.truncate(n);
            let chunk = Arc::new(buf);
            head.push(&chunk);
            if tx.send(Arc::clone(&chunk)).is_err() {
                return Ok(());
            }
            a.update(&chunk);
            progress.inc(n as u64);
        });
        drop(tx);
        a.finish();
        Ok((read, second.join().expect("n-gram thread panicked")))
    })?;
    let (read, mut b) = read;
    let report = |a: &Analyzer<'_, '_>, b: &Analyzer<'_, '_>| {
        let mut r = Report::of(a, top);
        r.ngrams.extend(Report::of(b, top).ngrams);
        r
    };
    // The total of one document is that document (merging into an empty
    // analyzer copies it; the tests compare this with `--jobs 1`).
    let doc = outcome(input, read, Some(head.title()), || report(&a, &b));
    if doc.is_err() {
        a.reset();
        b.reset();
    }
    emit(doc);
    Ok(report(&a, &b))
}

/// The lexicon text and the options that compile it (checked), or `None`
/// for `none`. An invalid lexicon is reported as file, line and reason.
fn load_lexicon(
    args: &AnalyzeArgs,
    config: &AnalyzerConfig,
) -> Result<Option<(Vec<u8>, ParseOptions)>, String> {
    let (text, format) = match args.lexicon.as_str() {
        "none" => return Ok(None),
        "news-stance"
            if !matches!(
                args.lexicon_format,
                LexFormat::Auto | LexFormat::Tsv
            ) =>
        {
            return Err(
                "--lexicon-format is for lexicon files; the built-in \
                        news-stance lexicon has its own"
                    .into(),
            );
        }
        "news-stance" => (NEWS_STANCE_TSV.to_vec(), Format::Tsv),
        path => {
            let text = fs::read(path)
                .map_err(|e| format!("cannot read lexicon {path}: {e}"))?;
            let format = match args.lexicon_format {
                LexFormat::Auto => Format::Auto,
                LexFormat::Tsv => Format::Tsv,
                LexFormat::Afinn => Format::Afinn,
                LexFormat::Liwc => Format::LiwcDic,
            };
            (text, format)
        }
    };
    // Terms are normalised like the text, so --no-fold compiles the
    // built-in lexicon again rather than using `BuiltinLexicon`.
    let opts = ParseOptions { format, tokenizer: config.tokenizer() };
    Lexicon::bytes_needed(&text, &opts)
        .map_err(|e| format!("invalid lexicon {}: {e}", args.lexicon))?;
    Ok(Some((text, opts)))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Tokens(args)) => tokens(&args),
        None => analyze(&cli.analyze),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<io::Error>() {
                // Whoever reads stdout stopped (`| head`): not an error
                // of ours, unless one came before.
                if io.kind() == io::ErrorKind::BrokenPipe {
                    return if REPORTED_ERROR.load(Ordering::Relaxed) {
                        ExitCode::FAILURE
                    } else {
                        ExitCode::SUCCESS
                    };
                }
            }
            to_stderr!("textmeter: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The `--json` document, serialised as it is written: the similarity
/// matrix goes from its numbers straight to the output, a block of rows
/// at a time ([`Similarity::rows`]), never held whole (with 20,000
/// documents it is 400 million numbers).
struct JsonOut {
    config: serde_json::Value,
    documents: Documents,
    /// The total, sent once every document is in.
    total: mpsc::Receiver<Report>,
    /// Signature size, for the similarity matrix.
    k: usize,
    jobs: usize,
}

/// The documents' reports as they arrive from the analysis, each turned
/// into JSON as it is written and then dropped but for its signature,
/// which the similarity matrix needs.
struct Documents {
    docs: mpsc::Receiver<Doc>,
    signatures: RefCell<Vec<Vec<u64>>>,
}

impl Serialize for Documents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for d in self.docs.iter() {
            let mut v = json!({"path": d.name});
            let obj = v.as_object_mut().expect("object");
            if let serde_json::Value::Object(r) = d.report.to_json() {
                obj.extend(r);
            }
            seq.serialize_element(&v)?;
            self.signatures.borrow_mut().push(d.report.signature);
        }
        seq.end()
    }
}

/// The similarity matrix's rows, computed on `jobs` threads as they are
/// written.
struct Rows<'a> {
    sim: &'a Similarity<'a>,
    jobs: usize,
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.sim.len()))?;
        self.sim.rows(self.jobs, |row| seq.serialize_element(row))?;
        seq.end()
    }
}

impl Serialize for JsonOut {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("schema", &1)?;
        m.serialize_entry("config", &self.config)?;
        m.serialize_entry("documents", &self.documents)?;
        let total = self
            .total
            .recv()
            .map_err(|_| S::Error::custom("the analysis did not finish"))?;
        m.serialize_entry("total", &total.to_json())?;
        let signatures = self.documents.signatures.take();
        let sigs: Vec<&[u64]> = signatures.iter().map(Vec::as_slice).collect();
        let sim = Similarity::new(&sigs, self.k);
        m.serialize_entry("similarity", &Rows { sim: &sim, jobs: self.jobs })?;
        m.end()
    }
}

/// What the human report keeps of a document: its name, title and
/// signature, and its whole report only while there may be columns for
/// it (at most [`MAX_COLUMNS`] documents).
struct Kept {
    name: String,
    title: String,
    signature: Vec<u64>,
    report: Option<Report>,
}

/// The most documents the human report shows side by side.
const MAX_COLUMNS: usize = 6;

fn analyze(args: &AnalyzeArgs) -> Result<ExitCode> {
    let ngrams = NgramConfig::new(args.ngrams.lo, args.ngrams.hi)
        .with_capacity(args.capacity);
    let config = AnalyzerConfig::new()
        .with_ngrams(ngrams)
        .with_negation(!args.no_negation)
        .with_fold_case(!args.no_fold);
    config.try_bytes_needed().map_err(anyhow::Error::msg)?;

    let lex_text = match load_lexicon(args, &config) {
        Ok(t) => t,
        Err(msg) => {
            to_stderr!("textmeter: {msg}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut lex_mem;
    let lexicon = match &lex_text {
        None => None,
        Some((text, opts)) => {
            lex_mem = vec![0u8; Lexicon::bytes_needed(text, opts)?];
            Some(Lexicon::parse_into(text, opts, &mut lex_mem)?)
        }
    };

    let mut failures = 0;
    let inputs = collect_inputs(&args.paths, &mut failures);
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |j| j as usize,
    );
    let sizes: Vec<u64> = inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => fs::metadata(p).map_or(0, |m| m.len()),
            Input::Stdin => 0,
        })
        .collect();
    let size: u64 = sizes.iter().sum();
    let input_bytes = InputBytes {
        total: size,
        largest: sizes.iter().copied().max().unwrap_or(0),
    };
    let show = !args.quiet
        && !args.json
        && size > PROGRESS_BYTES
        && io::stderr().is_terminal();
    let progress = if show {
        let pb = ProgressBar::new(size);
        pb.set_style(
            ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("valid template"),
        );
        pb
    } else {
        ProgressBar::hidden()
    };
    let top = args.top.min(args.capacity as usize);
    let ng = config.ngrams();
    let k = config.signature_k();
    let plan = Plan { config, lexicon, top, input_bytes, progress: &progress };
    let run = |emit: Emit<'_>| -> Result<Report> {
        let total = match &inputs[..] {
            [one] if jobs >= 2 && ng.hi() > ng.lo() => {
                analyze_split(one, plan, emit)
            }
            [one] => analyze_one(one, plan, emit),
            _ => analyze_all(&inputs, plan, jobs, emit),
        };
        progress.finish_and_clear();
        total
    };
    // Documents that cannot be read are reported as their turn comes,
    // while the progress bar may be on the terminal.
    let mut failed = |msg: String| {
        progress.suspend(|| to_stderr!("textmeter: {msg}"));
        failures += 1;
    };

    if args.json {
        let lexicon_name =
            lexicon.map(|l| String::from_utf8_lossy(l.name()).into_owned());
        let config = json!({
            "ngrams": [args.ngrams.lo, args.ngrams.hi],
            "top": args.top,
            "lexicon": lexicon_name,
            "negation": !args.no_negation,
            "fold_case": !args.no_fold,
            "capacity": args.capacity,
        });
        // Documents are written while later ones are analysed, by a
        // thread of their own, so no more than a few reports wait.
        let (doc_tx, doc_rx) = mpsc::sync_channel::<Doc>(AHEAD_DOCS);
        let (total_tx, total_rx) = mpsc::sync_channel::<Report>(1);
        std::thread::scope(|s| -> Result<()> {
            let writer = thread::Builder::new()
                .spawn_scoped(s, move || -> Result<()> {
                    let stdout = io::stdout();
                    let mut out = BufWriter::new(stdout.lock());
                    let doc = JsonOut {
                        config,
                        documents: Documents {
                            docs: doc_rx,
                            signatures: RefCell::new(Vec::new()),
                        },
                        total: total_rx,
                        k,
                        jobs,
                    };
                    // Back to the `io::Error` it wraps, so that `main` knows a
                    // closed pipe (`head`) when it sees one.
                    serde_json::to_writer_pretty(&mut out, &doc)
                        .map_err(io::Error::from)?;
                    writeln!(out)?;
                    out.flush()?;
                    Ok(())
                })
                .context("cannot start the output thread")?;
            let total = run(&mut |r| match r {
                Ok(d) => doc_tx.send(d).is_ok(),
                Err(msg) => {
                    failed(msg);
                    true
                }
            });
            drop(doc_tx);
            // The writer may have failed already: its error follows.
            let analysed = total.map(|t| {
                let _ = total_tx.send(t);
            });
            drop(total_tx);
            let written = writer.join().expect("the JSON writer panicked");
            analysed?;
            written
        })?;
    } else {
        let mut docs: Vec<Kept> = Vec::new();
        let total = run(&mut |r| {
            match r {
                Ok(mut d) => {
                    let signature = std::mem::take(&mut d.report.signature);
                    docs.push(Kept {
                        report: (docs.len() < MAX_COLUMNS).then_some(d.report),
                        name: d.name,
                        title: d.title,
                        signature,
                    });
                }
                Err(msg) => failed(msg),
            }
            true
        })?;
        let sigs: Vec<&[u64]> =
            docs.iter().map(|d| d.signature.as_slice()).collect();
        let sim = Similarity::new(&sigs, k);
        let lex = match lexicon {
            Some(l) => format!(
                "lexicon {} (negation {})",
                String::from_utf8_lossy(l.name()),
                if args.no_negation { "off" } else { "on" }
            ),
            None => "no lexicon".into(),
        };
        let header = format!(
            "textmeter · {} document{} · {}..{}-grams · {lex}",
            docs.len(),
            if docs.len() == 1 { "" } else { "s" },
            args.ngrams.lo,
            args.ngrams.hi,
        );
        let legend: Vec<(String, String)> =
            docs.iter().map(|d| (d.name.clone(), d.title.clone())).collect();
        let mut cols: Vec<Column<'_>> = Vec::new();
        if docs.len() > 1 && docs.len() <= MAX_COLUMNS {
            for (i, d) in docs.iter().enumerate() {
                let stem = Path::new(&d.name)
                    .file_stem()
                    .map_or(d.name.clone(), |s| s.to_string_lossy().into());
                cols.push(Column {
                    label: format!("[{}] {stem}", i + 1),
                    report: d.report.as_ref().expect("kept for a column"),
                });
            }
        }
        cols.push(Column {
            label: if docs.len() == 1 {
                docs[0].name.clone()
            } else {
                "total".into()
            },
            report: &total,
        });
        let style = Style {
            color: io::stdout().is_terminal()
                // no-color.org: present and not empty.
                && std::env::var_os("NO_COLOR").map_or(true, |v| v.is_empty()),
        };
        let sim = (docs.len() > 1).then_some((&sim, jobs));
        let legend = if docs.len() > 1 { &legend[..] } else { &[] };
        let text = report::human(&header, legend, &cols, sim, k, style);
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
    Ok(if failures > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `textmeter tokens`: one token per line. Chunks are cut after their last
/// `\n`, or in a line longer than the buffer after its last ASCII space,
/// tab or carriage return (no token spans those), so every token lies
/// inside the chunk being fed and `--raw` has its original bytes. Only a
/// run of more than a buffer (1 MiB) without any of them is fed as it is:
/// a token spanning that cut prints in normalised form, and stderr says
/// so.
fn tokens(args: &TokensArgs) -> Result<ExitCode> {
    let config = AnalyzerConfig::new().with_fold_case(!args.no_fold);
    let mut failures = 0;
    let inputs = collect_inputs(&args.paths, &mut failures);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut buf = vec![0u8; CHUNK];
    for input in &inputs {
        let mut tok = Tokenizer::new(config.tokenizer());
        let mut err = Ok(());
        let mut emit = |t: &textmeter::tokenize::Token<'_>| {
            if err.is_ok() {
                let bytes = if args.raw {
                    t.raw().unwrap_or(t.norm())
                } else {
                    t.norm()
                };
                err = out.write_all(bytes).and_then(|()| out.write_all(b"\n"));
            }
        };
        let mut r = match input.open() {
            Ok(r) => r,
            Err(e) => {
                to_stderr!("textmeter: {}: {e}", input.name());
                failures += 1;
                continue;
            }
        };
        let mut filled = 0;
        let mut warned = false;
        let read_result = loop {
            let n = match r.read(&mut buf[filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(e),
            };
            if n == 0 {
                tok.feed_last(&buf[..filled], &mut emit);
                break Ok(());
            }
            filled += n;
            let cut = match buf[..filled].iter().rposition(|&b| b == b'\n') {
                Some(p) => p + 1,
                None if filled == buf.len() => {
                    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
                    match buf.iter().rposition(space) {
                        Some(p) => p + 1,
                        None => {
                            if args.raw && !warned {
                                to_stderr!(
                                    "textmeter: {}: a token longer than {} \
                                     MiB may print normalised, not raw",
                                    input.name(),
                                    CHUNK >> 20
                                );
                                warned = true;
                            }
                            filled
                        }
                    }
                }
                None => continue,
            };
            tok.feed(&buf[..cut], &mut emit);
            buf.copy_within(cut..filled, 0);
            filled -= cut;
        };
        err?;
        if let Err(e) = read_result {
            to_stderr!("textmeter: {}: {e}", input.name());
            failures += 1;
        }
    }
    out.flush()?;
    Ok(if failures > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
