//! Fuzz checks of the C entry points against the Rust API, shared by the
//! cargo-fuzz targets (nightly) and textmeter-ffi's unit tests (stable,
//! replaying `ffi/fuzz/regressions/` and the seeds). The includer provides
//! a sibling module `capi` that re-exports the C API.
//!
//! Every check calls the exported functions exactly as C would (raw
//! pointers, statuses) and asserts that the results equal what core's
//! `Analyzer` / `Lexicon` compute on the same input.
#![allow(unsafe_code)]

use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::ptr;

use textmeter_core::analyzer::{Analyzer, AnalyzerConfig};
use textmeter_core::lexicon::{BuiltinLexicon, Format, Lexicon, ParseOptions};
use textmeter_core::ngram::{Entry, NgramConfig};
use textmeter_core::tokenize::TokenizerConfig;

use super::capi::*;

const OK: textmeter_status = textmeter_status::TEXTMETER_STATUS_OK;
const CHUNKS: [usize; 8] = [1, 2, 3, 7, 16, 64, 255, usize::MAX];
const TOP: usize = 8;

/// An analyzer built through the C API, in caller memory or on the heap.
struct CAnalyzer {
    a: *mut textmeter_analyzer,
    _mem: Vec<u64>,
}

impl CAnalyzer {
    fn new(
        cfg: &textmeter_config,
        lex: *const textmeter_lexicon,
        caller: bool,
    ) -> Self {
        let mut a = ptr::null_mut();
        let mut mem = Vec::new();
        // SAFETY: valid config, live lexicon (or NULL), memory sized by
        // `textmeter_analyzer_size` and owned by the returned value.
        unsafe {
            if caller {
                let mut need = 0;
                assert_eq!(textmeter_analyzer_size(cfg, &mut need), OK);
                mem = vec![0x5A5A_5A5A_5A5A_5A5Au64; need.div_ceil(8)];
                let s = textmeter_analyzer_init(
                    mem.as_mut_ptr().cast(),
                    mem.len() * 8,
                    cfg,
                    lex,
                    &mut a,
                );
                assert_eq!(s, OK);
            } else {
                assert_eq!(textmeter_analyzer_new(cfg, lex, &mut a), OK);
            }
        }
        CAnalyzer { a, _mem: mem }
    }
}

impl Drop for CAnalyzer {
    fn drop(&mut self) {
        // SAFETY: live, unshared; a no-op for caller memory.
        unsafe { textmeter_analyzer_free(self.a) };
    }
}

/// A reported gram: text, count, error, hash.
type Gram = (Option<(Vec<u8>, Vec<Vec<u8>>)>, u64, u64, u64);

/// A C gram's joined text and its tokens, split by `token_lens` (checking
/// the separators and the final NUL).
///
/// # Safety
/// `g` comes from a successful `textmeter_analyzer_top` whose byte buffer
/// is still alive.
unsafe fn c_gram(g: &textmeter_gram) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    if g.text.is_null() {
        assert_eq!(g.ntokens, 0);
        return None;
    }
    // SAFETY: `len + 1` bytes at `text`, inside the live buffer.
    let all =
        unsafe { std::slice::from_raw_parts(g.text.cast::<u8>(), g.len + 1) };
    assert_eq!(all[g.len], 0);
    let text = &all[..g.len];
    let mut tokens = Vec::new();
    let mut at = 0;
    for (i, &l) in g.token_lens[..g.ntokens as usize].iter().enumerate() {
        if i > 0 {
            assert_eq!(text[at], b' ');
            at += 1;
        }
        tokens.push(text[at..at + usize::from(l)].to_vec());
        at += usize::from(l);
    }
    assert_eq!(at, text.len());
    Some((text.to_vec(), tokens))
}

/// What a report contains, as plain values (floats as bits).
#[derive(Debug, PartialEq)]
struct Report {
    counts: [u64; 11],
    ngrams: Vec<[u64; 5]>,
    top: Vec<Vec<Gram>>,
    scores: Vec<(Vec<u8>, u64, u64, i64, u64, u64)>,
}

fn c_report(a: *const textmeter_analyzer, lo: u8, hi: u8) -> Report {
    let mut c = MaybeUninit::<textmeter_counts>::uninit();
    // SAFETY: `a` is live; every output is a local of the right type.
    unsafe {
        assert_eq!(textmeter_analyzer_counts(a, c.as_mut_ptr()), OK);
        let c = c.assume_init();
        let counts = [
            c.bytes,
            c.chars,
            c.lines,
            c.tokens,
            c.words,
            c.numbers,
            c.types,
            c.types_exact as u64,
            c.invalid_bytes,
            c.truncated_tokens,
            c.max_token_len,
        ];
        let (mut ngrams, mut top) = (Vec::new(), Vec::new());
        for n in lo..=hi {
            let mut i = MaybeUninit::<textmeter_ngram_info>::uninit();
            assert_eq!(
                textmeter_analyzer_ngrams(a, n.into(), i.as_mut_ptr()),
                OK
            );
            let i = i.assume_init();
            ngrams.push([
                i.total,
                i.exact as u64,
                i.distinct,
                i.max_error,
                i.missing_bytes,
            ]);
            let mut need = 0;
            let s = textmeter_analyzer_top_size(a, n.into(), TOP, &mut need);
            assert_eq!(s, OK);
            let mut bytes = vec![0u8; need];
            let mut grams = Vec::<textmeter_gram>::with_capacity(TOP);
            let mut got = 0;
            let s = textmeter_analyzer_top(
                a,
                n.into(),
                grams.as_mut_ptr(),
                TOP,
                bytes.as_mut_ptr(),
                need,
                &mut got,
            );
            assert_eq!(s, OK);
            grams.set_len(got);
            top.push(
                grams
                    .iter()
                    .map(|g| (c_gram(g), g.count, g.error, g.hash))
                    .collect(),
            );
        }
        let mut scores = Vec::new();
        let mut ncat = 0;
        if textmeter_analyzer_category_count(a, &mut ncat) == OK {
            for i in 0..ncat {
                let mut cs = MaybeUninit::<textmeter_category_score>::uninit();
                assert_eq!(
                    textmeter_analyzer_category(a, i, cs.as_mut_ptr()),
                    OK
                );
                let cs = cs.assume_init();
                // Names may contain NUL bytes: `name_len` is the length.
                let name: Vec<u8> =
                    cs.name[..cs.name_len].iter().map(|&c| c as u8).collect();
                assert_eq!(cs.name[cs.name_len], 0);
                scores.push((
                    name,
                    cs.hits,
                    cs.negated,
                    cs.score_milli,
                    cs.per_1k.to_bits(),
                    cs.hits_per_1k.to_bits(),
                ));
            }
        }
        Report { counts, ngrams, top, scores }
    }
}

fn rust_report(a: &Analyzer<'_, '_>) -> Report {
    let c = a.counts();
    let (types, exact) =
        a.types().map_or((0, false), |t| (t.types(), t.types_exact()));
    let counts = [
        c.bytes,
        c.chars,
        c.lines,
        c.tokens,
        c.words,
        c.numbers,
        types,
        exact as u64,
        c.invalid_bytes,
        c.truncated_tokens,
        c.max_token_len,
    ];
    let cfg = a.config().ngrams();
    let (mut ngrams, mut top) = (Vec::new(), Vec::new());
    for n in cfg.lo() as usize..=cfg.hi() as usize {
        let t = a.ngrams().table(n).expect("n in range");
        ngrams.push([
            t.total(),
            t.is_exact() as u64,
            t.len() as u64,
            t.max_error(),
            t.missing_bytes() as u64,
        ]);
        let mut e = vec![Entry::default(); TOP.min(t.len())];
        let k = t.top_into(&mut e);
        top.push(
            e[..k]
                .iter()
                .map(|e| {
                    let text = e.gram().map(|g| {
                        let mut out = vec![0; g.encoded().len()];
                        let n = g.join_into(b' ', &mut out).expect("fits");
                        out.truncate(n);
                        (out, g.tokens().map(<[u8]>::to_vec).collect())
                    });
                    (text, e.count(), e.error(), e.hash())
                })
                .collect(),
        );
    }
    let scores = a.scores().map_or(Vec::new(), |s| {
        s.iter()
            .map(|c| {
                (
                    c.name().to_vec(),
                    c.hits(),
                    c.negated(),
                    c.score_milli(),
                    c.per_1k().to_bits(),
                    c.hits_per_1k().to_bits(),
                )
            })
            .collect()
    });
    Report { counts, ngrams, top, scores }
}

/// Input: byte 0 picks the options — bits 0-2 the chunk size (1, 2, 3, 7,
/// 16, 64, 255, whole), bit 3 caller memory, bit 4 the built-in lexicon,
/// bit 5 negation, bit 6 n-grams from 2 instead of 1, bit 7 one more n —
/// the rest is the text (capacity 16, so Space-Saving is exercised).
/// Checks: the C report equals core's, for the document, after a merge
/// into a second analyzer, and after reset and a second document; the
/// similarity equals core's.
pub fn analyzer(data: &[u8]) {
    let Some((&opt, text)) = data.split_first() else { return };
    let chunk = CHUNKS[usize::from(opt & 7)];
    let caller = opt & 8 != 0;
    let lo = 1 + (opt >> 6 & 1);
    let hi = lo + (opt >> 7);
    let mut cfg = textmeter_config_default();
    cfg.ngram_min = lo;
    cfg.ngram_max = hi;
    cfg.capacity = 16;
    cfg.signature_k = 8;
    cfg.negation = opt & 32 != 0;
    let builtin = BuiltinLexicon::new();
    let (lex, rlex) = if opt & 16 != 0 {
        (textmeter_lexicon_builtin(), Some(builtin.lexicon()))
    } else {
        (ptr::null(), None)
    };

    let ca = CAnalyzer::new(&cfg, lex, caller);
    let ctotal = CAnalyzer::new(&cfg, lex, !caller);
    // SAFETY: live analyzers; chunks are subslices of `text`.
    unsafe {
        for c in text.chunks(chunk) {
            assert_eq!(
                textmeter_analyzer_update(ca.a, c.as_ptr(), c.len()),
                OK
            );
        }
        assert_eq!(textmeter_analyzer_finish(ca.a), OK);
        assert_eq!(textmeter_analyzer_merge(ctotal.a, ca.a), OK);
    }

    let rcfg = AnalyzerConfig::new()
        .with_ngrams(NgramConfig::new(lo, hi).with_capacity(16))
        .with_signature_k(8)
        .with_negation(cfg.negation);
    let mut m1 = vec![0u8; rcfg.bytes_needed()];
    let mut m2 = vec![0u8; rcfg.bytes_needed()];
    let mut ra = Analyzer::new(rcfg, &mut m1, rlex).expect("valid");
    let mut rtotal = Analyzer::new(rcfg, &mut m2, rlex).expect("valid");
    ra.update(text);
    ra.finish();
    rtotal.merge(&ra).expect("same configuration");

    assert_eq!(c_report(ca.a, lo, hi), rust_report(&ra));
    assert_eq!(c_report(ctotal.a, lo, hi), rust_report(&rtotal));
    let mut sim = 0.0;
    // SAFETY: live analyzers, local output.
    unsafe {
        assert_eq!(
            textmeter_analyzer_similarity(ca.a, ctotal.a, &mut sim),
            OK
        );
    }
    assert_eq!(Some(sim.to_bits()), ra.similarity(&rtotal).map(f64::to_bits));

    // A second document after reset, in one call.
    let half = &text[..text.len() / 2];
    // SAFETY: live analyzer, subslice of `text`.
    unsafe {
        assert_eq!(
            textmeter_analyzer_analyze(ca.a, half.as_ptr(), half.len()),
            OK
        );
    }
    ra.reset();
    ra.update(half);
    ra.finish();
    assert_eq!(c_report(ca.a, lo, hi), rust_report(&ra));
}

/// Input: byte 0 picks the options — bit 0 caller memory for the restored
/// analyzer, bit 1 the built-in lexicon, bit 2 n-grams 2..=3 instead of
/// 1..=2 — byte 1 is a number of edits (bits 0–3), followed by that many
/// 3-byte edits (position `u16` LE, modulo the state's length, and a byte
/// to XOR there), then text. The text is analysed and saved through the C
/// API, the edits applied, and the bytes restored through the C API and
/// through core. Checks: the two agree on the status (`OK`,
/// `CORRUPT_STATE` or `CONFIG_MISMATCH`); a restored analyzer reports
/// what core's does and saves the same bytes again; an unedited state
/// restores to the original's report.
pub fn state(data: &[u8]) {
    let [opt, edits, rest @ ..] = data else { return };
    let n_edits = usize::from(edits & 15);
    if rest.len() < 3 * n_edits {
        return;
    }
    let (edits, text) = rest.split_at(3 * n_edits);
    let (lo, hi) = if opt & 4 != 0 { (2, 3) } else { (1, 2) };
    let mut cfg = textmeter_config_default();
    cfg.ngram_min = lo;
    cfg.ngram_max = hi;
    cfg.capacity = 16;
    cfg.signature_k = 8;
    let builtin = BuiltinLexicon::new();
    let (lex, rlex) = if opt & 2 != 0 {
        (textmeter_lexicon_builtin(), Some(builtin.lexicon()))
    } else {
        (ptr::null(), None)
    };
    let ca = CAnalyzer::new(&cfg, lex, false);
    let mut state = Vec::new();
    // SAFETY: a live analyzer; buffers are locals sized by the size call.
    unsafe {
        assert_eq!(
            textmeter_analyzer_analyze(ca.a, text.as_ptr(), text.len()),
            OK
        );
        let (mut need, mut wrote) = (0, 0);
        assert_eq!(textmeter_analyzer_serialized_size(ca.a, &mut need), OK);
        state.resize(need, 0);
        let s = textmeter_analyzer_serialize(
            ca.a,
            state.as_mut_ptr(),
            need,
            &mut wrote,
        );
        assert_eq!((s, wrote), (OK, need));
    }
    for e in edits.chunks(3) {
        let at = usize::from(u16::from_le_bytes([e[0], e[1]])) % state.len();
        state[at] ^= e[2];
    }

    let rcfg = AnalyzerConfig::new()
        .with_ngrams(NgramConfig::new(lo, hi).with_capacity(16))
        .with_signature_k(8);
    let mut mem = vec![0u8; rcfg.bytes_needed()];
    let rust = Analyzer::deserialize(rcfg, &mut mem, rlex, &state);
    let mut c_mem = Vec::new();
    let mut back = ptr::null_mut();
    // SAFETY: valid config, live lexicon (or NULL), memory sized by
    // `textmeter_analyzer_size` and kept until the end; `state` is local.
    let status = unsafe {
        if opt & 1 != 0 {
            let mut need = 0;
            assert_eq!(textmeter_analyzer_size(&cfg, &mut need), OK);
            c_mem = vec![0xA5A5_A5A5_A5A5_A5A5u64; need.div_ceil(8)];
            textmeter_analyzer_deserialize_init(
                c_mem.as_mut_ptr().cast(),
                c_mem.len() * 8,
                &cfg,
                lex,
                state.as_ptr(),
                state.len(),
                &mut back,
            )
        } else {
            textmeter_analyzer_deserialize_new(
                &cfg,
                lex,
                state.as_ptr(),
                state.len(),
                &mut back,
            )
        }
    };
    let r = match rust {
        Err(e) => {
            use textmeter_core::analyzer::AnalyzerErrorKind as K;
            let want = match e.kind() {
                K::Corrupt => textmeter_status::TEXTMETER_STATUS_CORRUPT_STATE,
                K::ConfigMismatch => {
                    textmeter_status::TEXTMETER_STATUS_CONFIG_MISMATCH
                }
                k => panic!("unexpected {k:?}"),
            };
            assert_eq!(status, want);
            assert!(back.is_null());
            assert!(!edits.is_empty(), "an unedited state is refused: {e}");
            return;
        }
        Ok(r) => r,
    };
    assert_eq!(status, OK);
    let restored = CAnalyzer { a: back, _mem: c_mem };
    assert_eq!(c_report(restored.a, lo, hi), rust_report(&r));
    if edits.is_empty() {
        assert_eq!(c_report(restored.a, lo, hi), c_report(ca.a, lo, hi));
    }
    let mut again = vec![0u8; r.serialized_len()];
    let mut wrote = 0;
    // SAFETY: a live analyzer; `again` is a local of the size core needs.
    unsafe {
        let s = textmeter_analyzer_serialize(
            restored.a,
            again.as_mut_ptr(),
            again.len(),
            &mut wrote,
        );
        assert_eq!((s, wrote), (OK, again.len()));
    }
    let mut want = vec![0u8; r.serialized_len()];
    r.serialize_into(&mut want).expect("sized");
    assert_eq!(again, want);
}

/// Input: byte 0 picks the format (bits 0-1: auto, TSV, AFINN, LIWC),
/// bit 2 turns case folding off, bit 3 compiles into caller memory; the
/// rest is the lexicon text. Checks: the C size/parse status, error line
/// and message equal core's; a compiled lexicon describes itself as core's
/// does; caller memory one byte short is refused; an analyzer scoring the
/// lexicon text itself reports core's scores.
pub fn lexicon(data: &[u8]) {
    let Some((&opt, text)) = data.split_first() else { return };
    let (format, code) = match opt & 3 {
        0 => (Format::Auto, 0),
        1 => (Format::Tsv, 1),
        2 => (Format::Afinn, 2),
        _ => (Format::LiwcDic, 3),
    };
    let fold = opt & 4 == 0;
    let caller = opt & 8 != 0;
    let mut cfg = textmeter_config_default();
    cfg.fold_case = fold;
    cfg.capacity = 8;
    cfg.signature_k = 0;
    let tok =
        TokenizerConfig { fold_case: fold, ..TokenizerConfig::default() };
    let opts = ParseOptions { format, tokenizer: tok };
    let want = Lexicon::bytes_needed(text, &opts);

    let mut size = 0;
    let mut err = MaybeUninit::<textmeter_lexicon_error>::uninit();
    // SAFETY: `text` is a live slice; outputs are locals.
    let s = unsafe {
        textmeter_lexicon_size(
            text.as_ptr(),
            text.len(),
            code,
            &cfg,
            &mut size,
            err.as_mut_ptr(),
        )
    };
    let n = match want {
        Err(e) => {
            assert_eq!(s, textmeter_status::TEXTMETER_STATUS_BAD_LEXICON);
            // SAFETY: written on BAD_LEXICON.
            let err = unsafe { err.assume_init() };
            assert_eq!(err.line, e.line().unwrap_or(0));
            // SAFETY: NUL-terminated by the library.
            let msg = unsafe { CStr::from_ptr(err.message.as_ptr()) };
            let full = e.to_string();
            assert!(full.as_bytes().starts_with(msg.to_bytes()));
            assert_eq!(msg.to_bytes().len(), full.len().min(127));
            return;
        }
        Ok(n) => n,
    };
    assert_eq!(s, OK);
    assert!(size > n);

    let mut lex: *mut textmeter_lexicon = ptr::null_mut();
    let mut mem = vec![0u64; size.div_ceil(8) + 1];
    // SAFETY: `mem` holds `size` bytes (and one word more); the lexicon
    // lives in it, or on the heap until freed below.
    unsafe {
        if caller {
            let short = textmeter_lexicon_init(
                mem.as_mut_ptr().cast(),
                size - 1,
                text.as_ptr(),
                text.len(),
                code,
                &cfg,
                &mut lex,
                ptr::null_mut(),
            );
            assert_eq!(
                short,
                textmeter_status::TEXTMETER_STATUS_MEMORY_TOO_SMALL
            );
            assert!(lex.is_null());
            let s = textmeter_lexicon_init(
                mem.as_mut_ptr().cast(),
                size,
                text.as_ptr(),
                text.len(),
                code,
                &cfg,
                &mut lex,
                ptr::null_mut(),
            );
            assert_eq!(s, OK);
        } else {
            let s = textmeter_lexicon_new(
                text.as_ptr(),
                text.len(),
                code,
                &cfg,
                &mut lex,
                ptr::null_mut(),
            );
            assert_eq!(s, OK);
        }
    }
    let mut rmem = vec![0u8; n];
    let rlex = Lexicon::parse_into(text, &opts, &mut rmem).expect("sized");
    let mut info = MaybeUninit::<textmeter_lexicon_info>::uninit();
    // SAFETY: live lexicon, local output.
    let info = unsafe {
        assert_eq!(textmeter_lexicon_describe(lex, info.as_mut_ptr()), OK);
        info.assume_init()
    };
    let name: Vec<u8> =
        info.name[..info.name_len].iter().map(|&c| c as u8).collect();
    assert_eq!(rlex.name(), &name[..]);
    assert_eq!(info.name[info.name_len], 0);
    assert_eq!(info.categories, rlex.category_count());
    assert_eq!(info.terms, rlex.term_count());

    {
        let ca = CAnalyzer::new(&cfg, lex, caller);
        // SAFETY: live analyzer, live slice.
        unsafe {
            assert_eq!(
                textmeter_analyzer_analyze(ca.a, text.as_ptr(), text.len()),
                OK
            );
        }
        let rcfg = AnalyzerConfig::new()
            .with_ngram_capacity(8)
            .with_signature_k(0)
            .with_fold_case(fold);
        let mut arena = vec![0u8; rcfg.bytes_needed()];
        let mut ra = Analyzer::new(rcfg, &mut arena, Some(rlex)).expect("ok");
        ra.update(text);
        ra.finish();
        assert_eq!(c_report(ca.a, 1, 3), rust_report(&ra));
    }
    // SAFETY: no analyzer uses it any more; a no-op for caller memory.
    unsafe { textmeter_lexicon_free(lex) };
    drop(mem);
}
