//! The exports against core's `Analyzer` on the same text: counts, top
//! n-grams and scores are identical for any chunking, in caller memory
//! and on the heap; a panic becomes `TEXTMETER_STATUS_PANIC`.

use std::ffi::CStr;
use std::ptr;

use proptest::prelude::*;
use textmeter_core::analyzer::Analyzer;
use textmeter_core::lexicon::BuiltinLexicon;
use textmeter_core::ngram::Entry;

use crate::*;

const SEED: &[u8] = include_bytes!("../../../seeds/003_26c6bf94ee660717.txt");

fn small() -> textmeter_config {
    textmeter_config { capacity: 64, signature_k: 16, ..DEFAULT_CONFIG }
}

/// A reported gram: text, count, error, hash.
type Gram = (Option<Vec<u8>>, u64, u64, u64);

/// Everything the C API reports about one analyzer, as Rust values.
#[derive(Debug, PartialEq)]
struct Seen {
    counts: textmeter_counts,
    top: Vec<Vec<Gram>>,
    scores: Vec<(Vec<u8>, u64, u64, i64, u64, u64)>,
}

/// Reads `a` through the exports.
fn seen_c(
    a: *const textmeter_analyzer,
    cfg: &textmeter_config,
    k: usize,
) -> Seen {
    let mut counts = textmeter_counts::default();
    // SAFETY: `a` is live; outputs are local.
    unsafe {
        assert_eq!(
            textmeter_analyzer_counts(a, &mut counts),
            TEXTMETER_STATUS_OK
        );
    }
    let mut top = Vec::new();
    for n in cfg.ngram_min..=cfg.ngram_max {
        let (mut need, mut got) = (0, 0);
        let mut grams = vec![
            textmeter_gram {
                text: ptr::null(),
                len: 0,
                ntokens: 0,
                token_lens: [0; 8],
                count: 0,
                error: 0,
                hash: 0
            };
            k
        ];
        // SAFETY: `a` is live; buffers are sized as passed.
        unsafe {
            let s = textmeter_analyzer_top_size(a, n.into(), k, &mut need);
            assert_eq!(s, TEXTMETER_STATUS_OK);
            let mut bytes = vec![0u8; need];
            let s = textmeter_analyzer_top(
                a,
                n.into(),
                grams.as_mut_ptr(),
                k,
                bytes.as_mut_ptr(),
                need,
                &mut got,
            );
            assert_eq!(s, TEXTMETER_STATUS_OK);
            top.push(
                grams[..got]
                    .iter()
                    .map(|g| {
                        let text = (!g.text.is_null()).then(|| {
                            let t = g.text.cast::<u8>();
                            std::slice::from_raw_parts(t, g.len).to_vec()
                        });
                        (text, g.count, g.error, g.hash)
                    })
                    .collect(),
            );
        }
    }
    let mut scores = Vec::new();
    let mut ncat = 0;
    // SAFETY: `a` is live; outputs are local.
    unsafe {
        if textmeter_analyzer_category_count(a, &mut ncat)
            == TEXTMETER_STATUS_OK
        {
            for i in 0..ncat {
                let mut cs = std::mem::MaybeUninit::uninit();
                let s = textmeter_analyzer_category(a, i, cs.as_mut_ptr());
                assert_eq!(s, TEXTMETER_STATUS_OK);
                let cs: textmeter_category_score = cs.assume_init();
                let name =
                    CStr::from_ptr(cs.name.as_ptr()).to_bytes().to_vec();
                assert_eq!(name.len(), cs.name_len);
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
    }
    Seen { counts, top, scores }
}

/// The same, from core directly.
fn seen_rust(a: &Analyzer<'_, '_>, k: usize) -> Seen {
    let types = a.types().map(|t| (t.types(), t.types_exact()));
    let counts = textmeter_counts::new(&a.counts(), types);
    let cfg = a.config().ngrams();
    let top = (cfg.lo()..=cfg.hi())
        .map(|n| {
            let t = a.ngrams().table(n.into()).unwrap();
            let mut e = vec![Entry::default(); k.min(t.len())];
            let k = t.top_into(&mut e);
            e[..k]
                .iter()
                .map(|e| {
                    let text = e.gram().map(|g| {
                        let mut out = vec![0; g.encoded().len()];
                        let n = g.join_into(b' ', &mut out).unwrap();
                        out.truncate(n);
                        out
                    });
                    (text, e.count(), e.error(), e.hash())
                })
                .collect()
        })
        .collect();
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
    Seen { counts, top, scores }
}

/// Runs `text` in `chunk`-byte pieces through a C analyzer (in caller
/// memory when `caller`) with the built-in lexicon, and through core.
fn both(
    text: &[u8],
    chunk: usize,
    caller: bool,
    cfg: textmeter_config,
    k: usize,
) {
    let lex = textmeter_lexicon_builtin();
    let mut a: *mut textmeter_analyzer = ptr::null_mut();
    let mut mem: Vec<u64> = Vec::new();
    // SAFETY: valid config, live static lexicon, memory sized by
    // `textmeter_analyzer_size` and kept alive until the end.
    unsafe {
        if caller {
            let mut need = 0;
            assert_eq!(
                textmeter_analyzer_size(&cfg, &mut need),
                TEXTMETER_STATUS_OK
            );
            mem = vec![0xABAB_ABAB_ABAB_ABAB; need.div_ceil(8)];
            let s = textmeter_analyzer_init(
                mem.as_mut_ptr().cast(),
                mem.len() * 8,
                &cfg,
                lex,
                &mut a,
            );
            assert_eq!(s, TEXTMETER_STATUS_OK);
        } else {
            assert_eq!(
                textmeter_analyzer_new(&cfg, lex, &mut a),
                TEXTMETER_STATUS_OK
            );
        }
        for c in text.chunks(chunk.max(1)) {
            let s = textmeter_analyzer_update(a, c.as_ptr(), c.len());
            assert_eq!(s, TEXTMETER_STATUS_OK);
        }
        assert_eq!(textmeter_analyzer_finish(a), TEXTMETER_STATUS_OK);
    }
    let c_side = seen_c(a, &cfg, k);

    let core_cfg = cfg.to_core().unwrap();
    let builtin = BuiltinLexicon::new();
    let mut arena = vec![0u8; core_cfg.bytes_needed()];
    let mut r =
        Analyzer::new(core_cfg, &mut arena, Some(builtin.lexicon())).unwrap();
    r.update(text);
    r.finish();
    assert_eq!(c_side, seen_rust(&r, k));
    // SAFETY: `a` is live and used by nothing else; freeing a
    // caller-memory handle does nothing.
    unsafe { textmeter_analyzer_free(a) };
    drop(mem);
}

#[test]
fn seed_equals_core_heap_and_caller_memory() {
    for chunk in [1, 7, 64, SEED.len()] {
        both(SEED, chunk, false, DEFAULT_CONFIG, 10);
        // Above 64 entries the selection buffer is on the heap.
        both(SEED, chunk, true, small(), 200);
    }
}

/// Saves `a` through the exports and restores it (on the heap, or in
/// caller memory kept in `mem`).
fn round_trip(
    a: *const textmeter_analyzer,
    cfg: &textmeter_config,
    lex: *const textmeter_lexicon,
    mem: &mut Vec<u64>,
) -> *mut textmeter_analyzer {
    let (mut need, mut wrote) = (0, 0);
    let mut r: *mut textmeter_analyzer = ptr::null_mut();
    // SAFETY: `a` and `lex` are live; buffers are local and sized by the
    // size calls; `mem` outlives the handle (the caller keeps it).
    unsafe {
        let s = textmeter_analyzer_serialized_size(a, &mut need);
        assert_eq!(s, TEXTMETER_STATUS_OK);
        let mut state = vec![0xEEu8; need];
        let s = textmeter_analyzer_serialize(
            a,
            state.as_mut_ptr(),
            state.len(),
            &mut wrote,
        );
        assert_eq!((s, wrote), (TEXTMETER_STATUS_OK, need));
        if mem.is_empty() {
            let s = textmeter_analyzer_deserialize_new(
                cfg,
                lex,
                state.as_ptr(),
                wrote,
                &mut r,
            );
            assert_eq!(s, TEXTMETER_STATUS_OK);
        } else {
            let s = textmeter_analyzer_deserialize_init(
                mem.as_mut_ptr().cast(),
                mem.len() * 8,
                cfg,
                lex,
                state.as_ptr(),
                wrote,
                &mut r,
            );
            assert_eq!(s, TEXTMETER_STATUS_OK);
        }
    }
    r
}

#[test]
fn saved_and_restored_reports_the_same_and_merges_the_same() {
    let lex = textmeter_lexicon_builtin();
    for (cfg, k) in [(DEFAULT_CONFIG, 10), (small(), 200)] {
        let mut size = 0;
        // SAFETY: valid config and output.
        let s = unsafe { textmeter_analyzer_size(&cfg, &mut size) };
        assert_eq!(s, TEXTMETER_STATUS_OK);
        let (mut a, mut b, mut whole) =
            (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        let half = SEED.len() / 2;
        // SAFETY: valid config, the static lexicon, live handles.
        unsafe {
            for h in [&mut a, &mut b, &mut whole] {
                let s = textmeter_analyzer_new(&cfg, lex, h);
                assert_eq!(s, TEXTMETER_STATUS_OK);
            }
            textmeter_analyzer_analyze(a, SEED.as_ptr(), half);
            let rest = &SEED[half..];
            textmeter_analyzer_analyze(b, rest.as_ptr(), rest.len());
            textmeter_analyzer_update(whole, SEED.as_ptr(), half);
            textmeter_analyzer_finish(whole);
            textmeter_analyzer_update(whole, rest.as_ptr(), rest.len());
            textmeter_analyzer_finish(whole);
        }
        let mut heap = Vec::new();
        let mut caller = vec![0x5A5A_5A5A_5A5A_5A5Au64; size.div_ceil(8)];
        let ra = round_trip(a, &cfg, lex, &mut heap);
        let rb = round_trip(b, &cfg, lex, &mut caller);
        assert_eq!(seen_c(ra, &cfg, k), seen_c(a, &cfg, k));
        assert_eq!(seen_c(rb, &cfg, k), seen_c(b, &cfg, k));
        // Restored halves merge as the originals do, and while the
        // tables are exact into what one analyzer of both documents
        // holds.
        // SAFETY: live, distinct handles.
        unsafe {
            assert_eq!(textmeter_analyzer_merge(ra, rb), TEXTMETER_STATUS_OK);
            assert_eq!(textmeter_analyzer_merge(a, b), TEXTMETER_STATUS_OK);
        }
        assert_eq!(seen_c(ra, &cfg, k), seen_c(a, &cfg, k));
        if cfg.capacity == DEFAULT_CONFIG.capacity {
            assert_eq!(seen_c(ra, &cfg, k), seen_c(whole, &cfg, k));
        }
        // SAFETY: each handle freed once; `rb` is in `caller` (no-op).
        unsafe {
            for h in [a, b, whole, ra, rb] {
                textmeter_analyzer_free(h);
            }
        }
        drop(caller);
    }
}

#[test]
fn panics_become_a_status() {
    let s = ffi_status!({
        if SEED.len() > 1 {
            panic!("boom");
        }
        Ok(())
    });
    let p: *const u8 = ffi_guard!(ptr::null(), { panic!("boom") });
    assert_eq!(s, TEXTMETER_STATUS_PANIC);
    assert!(p.is_null());
}

#[test]
fn status_messages_are_static_and_distinct() {
    let msgs: Vec<&CStr> = textmeter_status::ALL
        .iter()
        // SAFETY: every message is a static NUL-terminated string.
        .map(|s| unsafe { CStr::from_ptr(textmeter_status_str(*s as u32)) })
        .collect();
    for (i, m) in msgs.iter().enumerate() {
        assert_eq!(textmeter_status::ALL[i] as u32, i as u32, "no gaps");
        assert!(!msgs[..i].contains(m), "{m:?} twice");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary bytes (invalid UTF-8 included), any chunk size and
    /// option mix: the C API reports what core computes.
    #[test]
    fn arbitrary_text_equals_core(
        text in proptest::collection::vec(
            prop_oneof![
                Just(b' '), Just(b'.'), Just(b'\n'), b'a'..=b'e',
                any::<u8>(),
            ],
            0..600,
        ),
        chunk in 1usize..80,
        caller: bool,
        negation: bool,
        lo in 1u8..=3,
        span in 0u8..=2,
        capacity in 0u32..20,
    ) {
        let cfg = textmeter_config {
            ngram_min: lo,
            ngram_max: lo + span,
            negation,
            capacity,
            signature_k: 8,
            ..DEFAULT_CONFIG
        };
        both(&text, chunk, caller, cfg, 10);
    }
}
