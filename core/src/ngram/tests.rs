//! Tests of the n-gram counter against a plain reference counter.

use super::*;
use proptest::prelude::*;
use std::collections::HashMap;
use std::vec;
use std::vec::Vec;

type Gram = Vec<Vec<u8>>;

/// Reference: exact counts of `n`-grams per n, documents separated.
fn reference(docs: &[Vec<Vec<u8>>], n: usize) -> HashMap<Gram, u64> {
    let mut m = HashMap::new();
    for d in docs {
        for w in d.windows(n) {
            *m.entry(w.to_vec()).or_insert(0) += 1;
        }
    }
    m
}

fn ws_tokens(text: &[u8]) -> Vec<Vec<u8>> {
    text.split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

fn seed_docs() -> Vec<Vec<Vec<u8>>> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    names.iter().map(|p| ws_tokens(&std::fs::read(p).unwrap())).collect()
}

fn new_set(cfg: NgramConfig) -> NgramSet<Vec<u8>> {
    NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap()
}

fn feed<A: AsRef<[u8]> + AsMut<[u8]>>(
    set: &mut NgramSet<A>,
    docs: &[Vec<Vec<u8>>],
) {
    for d in docs {
        for t in d {
            set.push(t, crate::hash::token_hash(t));
        }
        set.end_document();
    }
}

fn gram_of(e: &Entry<'_>) -> Gram {
    e.gram().unwrap().tokens().map(<[u8]>::to_vec).collect()
}

fn table_map<A: AsRef<[u8]>>(t: &NgramTable<A>) -> HashMap<Gram, (u64, u64)> {
    t.entries().map(|e| (gram_of(&e), (e.count(), e.error()))).collect()
}

fn assert_exact<A: AsRef<[u8]>>(set: &NgramSet<A>, docs: &[Vec<Vec<u8>>]) {
    let cfg = set.config();
    for n in cfg.lo() as usize..=cfg.hi() as usize {
        let t = set.table(n).unwrap();
        let r = reference(docs, n);
        assert!(t.is_exact(), "n={n}");
        assert_eq!(t.total(), r.values().sum::<u64>(), "n={n}");
        assert_eq!(t.len(), r.len(), "n={n}");
        let got: HashMap<Gram, u64> = table_map(&t)
            .into_iter()
            .map(|(g, (c, e))| {
                assert_eq!(e, 0);
                (g, c)
            })
            .collect();
        assert_eq!(got, r, "n={n}");
    }
}

/// Checks the Space-Saving guarantees against the true counts.
fn assert_bounds<A: AsRef<[u8]>>(
    t: &NgramTable<A>,
    truth: &HashMap<Gram, u64>,
) {
    let total: u64 = truth.values().sum();
    assert_eq!(t.total(), total);
    let floor = t.max_error();
    if t.capacity() > 0 {
        assert!(
            floor <= total / t.capacity() as u64,
            "floor {floor} total {total}"
        );
    }
    let got = table_map(t);
    assert_eq!(got.len(), t.len());
    for (g, &(c, e)) in &got {
        let tr = truth.get(g).copied().unwrap_or(0);
        assert!(c - e <= tr && tr <= c, "{g:?}: {c}-{e} vs {tr}");
        assert!(e <= floor);
        assert!(c >= floor);
    }
    for (g, &tr) in truth {
        if !got.contains_key(g) {
            assert!(tr <= floor, "{g:?} missing with {tr} > floor {floor}");
        }
        if t.capacity() > 0 && tr * t.capacity() as u64 > total {
            assert!(got.contains_key(g), "heavy hitter {g:?} missing");
        }
    }
    if floor == 0 {
        assert_eq!(got.len(), truth.len());
    }
}

#[test]
fn exact_on_seeds() {
    let docs = seed_docs();
    let mut set = new_set(NgramConfig::new(1, 3).with_capacity(20_000));
    feed(&mut set, &docs);
    assert_exact(&set, &docs);
    let types = set.types().unwrap();
    assert!(types.types_exact());
    assert_eq!(types.types() as usize, reference(&docs, 1).len());
}

#[test]
fn exact_n_up_to_8_on_seeds_as_one_document() {
    let docs = vec![seed_docs().concat()];
    let mut set = new_set(NgramConfig::new(1, 8).with_capacity(8_000));
    feed(&mut set, &docs);
    assert_exact(&set, &docs);
}

#[test]
fn exact_on_corpus_if_present() {
    let path = "/work/shared/corpus/kjv.txt";
    let Ok(text) = std::fs::read(path) else {
        std::println!("skipped: {path} not found");
        return;
    };
    // Debug builds are slow: a prefix is enough here.
    let text = &text[..text.len().min(600_000)];
    let docs = vec![ws_tokens(text)];
    let mut set = new_set(NgramConfig::new(1, 3).with_capacity(120_000));
    feed(&mut set, &docs);
    assert_exact(&set, &docs);
}

#[test]
fn merge_exact_equals_concatenation() {
    let docs = seed_docs();
    let cfg = NgramConfig::new(1, 4).with_capacity(20_000);
    for split in 0..=docs.len() {
        let mut a = new_set(cfg);
        let mut b = new_set(cfg);
        feed(&mut a, &docs[..split]);
        feed(&mut b, &docs[split..]);
        a.merge(&b).unwrap();
        assert_exact(&a, &docs);
        let mut whole = new_set(cfg);
        feed(&mut whole, &docs);
        for n in 1..=4 {
            let (x, y) = (a.table(n).unwrap(), whole.table(n).unwrap());
            assert_eq!(table_map(&x), table_map(&y));
        }
    }
}

#[test]
fn top_is_sorted_and_deterministic() {
    let docs = seed_docs();
    let mut set = new_set(NgramConfig::new(1, 2).with_capacity(10_000));
    feed(&mut set, &docs);
    let t = set.table(1).unwrap();
    let mut top = [Entry::default(); 20];
    assert_eq!(t.top_into(&mut top), 20);
    let mut all: Vec<(u64, Gram)> =
        t.entries().map(|e| (e.count(), gram_of(&e))).collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let got: Vec<(u64, Gram)> =
        top.iter().map(|e| (e.count(), gram_of(e))).collect();
    assert_eq!(got, all[..20]);
    assert_eq!(std::format!("{}", top[0].gram().unwrap()), "the");
    // Fewer entries than asked.
    let mut tiny = new_set(NgramConfig::new(1, 1).with_capacity(4));
    feed(&mut tiny, &[vec![b"b".to_vec(), b"a".to_vec()]]);
    let t = tiny.table(1).unwrap();
    let mut top = [Entry::default(); 5];
    assert_eq!(t.top_into(&mut top), 2);
    assert_eq!(gram_of(&top[0]), vec![b"a".to_vec()]);
    assert_eq!(t.top_into(&mut []), 0);
}

#[test]
fn zero_capacity() {
    let docs = seed_docs();
    let cfg = NgramConfig::new(1, 3).with_capacity(0);
    let mut set = new_set(cfg);
    assert!(set.is_exact());
    feed(&mut set, &docs);
    for n in 1..=3 {
        let t = set.table(n).unwrap();
        let r = reference(&docs, n);
        assert_eq!(t.total(), r.values().sum::<u64>());
        assert_eq!(t.len(), 0);
        assert!(!t.is_exact());
        assert_eq!(t.max_error(), t.total());
        let the: &[u8] = b"the";
        assert!(t.get(&[the; 3][..n]).is_none());
    }
    // The HLL still estimates types.
    let types = set.types().unwrap();
    assert!(!types.types_exact());
    let truth = reference(&docs, 1).len() as f64;
    assert!((types.types() as f64 - truth).abs() < truth * 0.07);
    let mut other = new_set(cfg);
    feed(&mut other, &docs);
    set.merge(&other).unwrap();
    assert_eq!(set.table(1).unwrap().max_error(), set.total(1));
}

#[test]
fn capacity_one() {
    let docs = seed_docs();
    let mut set = new_set(NgramConfig::new(1, 2).with_capacity(1));
    feed(&mut set, &docs);
    for n in 1..=2 {
        assert_bounds(&set.table(n).unwrap(), &reference(&docs, n));
        assert_eq!(set.table(n).unwrap().len(), 1);
    }
}

#[test]
fn empty_input_and_arity() {
    let set = new_set(NgramConfig::default());
    for n in 1..=3 {
        let t = set.table(n).unwrap();
        assert_eq!((t.len(), t.total()), (0, 0));
        assert!(t.entries().next().is_none());
    }
    assert!(set.table(0).is_none() && set.table(4).is_none());
    assert_eq!(set.total(9), 0);
    assert_eq!(set.types().unwrap().types(), 0);
    let mut t =
        NgramTable::new(vec![0u8; 4096], TableConfig::new(2, 8)).unwrap();
    let e = t.insert(&[b"a", b"b", b"c"]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongArity);
    assert_eq!(std::format!("{e}"), "wrong number of tokens: needed 2, got 3");
}

#[test]
fn max_length_tokens() {
    let long: Vec<Vec<u8>> =
        (0..20u8).map(|i| vec![b'a' + i; MAX_TOKEN_LEN]).collect();
    let docs = vec![long.clone()];
    let mut cfg = NgramConfig::new(1, 8).with_capacity(64);
    for n in 1..=8 {
        cfg = cfg.with_pool_bytes_for(n, 64 * (8 + 256 * n as u64));
    }
    let mut set = new_set(cfg);
    feed(&mut set, &docs);
    assert_exact(&set, &docs);
    // With the default pools some grams lack bytes, which is reported.
    let mut set = new_set(NgramConfig::new(1, 8).with_capacity(64));
    feed(&mut set, &docs);
    let t = set.table(8).unwrap();
    assert!(t.missing_bytes() > 0 && t.is_exact());
    assert_eq!(t.total(), 13);
    // Longer tokens are truncated for storage (hash as given).
    let mut t =
        NgramTable::new(vec![0u8; 1 << 16], TableConfig::new(1, 4)).unwrap();
    let big = vec![b'x'; 1000];
    t.insert(&[&big]).unwrap();
    let e = t.get(&[&big]).unwrap();
    assert_eq!(
        e.gram().unwrap().tokens().next().unwrap().len(),
        MAX_TOKEN_LEN
    );
}

#[test]
fn pool_exhaustion_is_reported() {
    let docs = seed_docs();
    let cfg = NgramConfig::new(2, 2)
        .with_capacity(5000)
        .with_pool_bytes_for(2, 2000);
    let mut set = new_set(cfg);
    feed(&mut set, &docs);
    let t = set.table(2).unwrap();
    let r = reference(&docs, 2);
    assert!(t.missing_bytes() > 0);
    assert!(t.is_exact());
    assert_eq!(t.len(), r.len());
    let with_bytes = t.entries().filter(|e| e.gram().is_some()).count();
    assert_eq!(with_bytes + t.missing_bytes(), t.len());
    for e in t.entries().filter(|e| e.gram().is_some()) {
        assert_eq!(r[&gram_of(&e)], e.count());
    }
}

#[test]
fn small_pool_under_eviction_compacts() {
    let docs = seed_docs();
    let cfg = NgramConfig::new(1, 3).with_capacity(50);
    let mut set = new_set(cfg);
    feed(&mut set, &docs);
    for n in 1..=3 {
        let t = set.table(n).unwrap();
        assert_eq!(t.missing_bytes(), 0, "n={n}");
        assert_bounds(&t, &reference(&docs, n));
    }
}

#[test]
fn serialize_round_trip_and_merge() {
    let docs = seed_docs();
    let cfg = TableConfig::new(2, 300);
    let mut a = NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
    let mut b = NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
    for (i, d) in docs.iter().enumerate() {
        for w in d.windows(2) {
            let t = if i % 2 == 0 { &mut a } else { &mut b };
            t.insert(&[&w[0], &w[1]]).unwrap();
        }
    }
    let mut buf = vec![0u8; a.serialized_len()];
    assert_eq!(
        a.serialize_into(&mut buf[..10]).unwrap_err().kind(),
        ErrorKind::BufferTooSmall
    );
    let n = a.serialize_into(&mut buf).unwrap();
    assert_eq!(n, buf.len());
    let mut a2 =
        NgramTable::deserialize(&buf, vec![0u8; cfg.bytes_needed()]).unwrap();
    assert_eq!(table_map(&a2), table_map(&a));
    assert_eq!((a2.total(), a2.max_error()), (a.total(), a.max_error()));
    a.merge(&b).unwrap();
    a2.merge(&b).unwrap();
    assert_eq!(table_map(&a2), table_map(&a));
    assert_bounds(&a, &reference(&docs, 2));
    // Corruption is detected, never a panic.
    for cut in [0, 3, 39, 41, n - 1] {
        assert!(
            NgramTable::deserialize(&buf[..cut], vec![0u8; 1 << 16]).is_err()
        );
    }
    let mut bad = buf.clone();
    bad[4] = 9;
    assert_eq!(
        NgramTable::deserialize(&bad, vec![0u8; 1 << 16]).unwrap_err().kind(),
        ErrorKind::Corrupt
    );
}

/// When a merged table's pool runs out, which entries keep their gram
/// bytes does not depend on where entries sit either: the CLI's totals of
/// long-token documents listed different grams as `null` from run to run
/// (its placement seed is random per process).
#[test]
fn placement_seeds_do_not_decide_which_grams_keep_their_bytes() {
    // Tokens of 1 to 64 bytes; documents of 3 to 2,000 tokens.
    let vocab: Vec<Vec<u8>> = (0..40u32)
        .map(|i| {
            let len = [1, 2, 6, 32, 64][i as usize % 5];
            let c = b'a' + (i % 26) as u8;
            let mut t = vec![c; len];
            t.extend_from_slice(std::format!("{i}").as_bytes());
            t.truncate(64);
            t
        })
        .collect();
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    let docs: Vec<Vec<Vec<u8>>> = (0..8)
        .map(|d| {
            let len = [2000, 3, 80, 700, 1, 300, 40, 1200][d];
            (0..len).map(|_| vocab[next(vocab.len())].clone()).collect()
        })
        .collect();
    let cfg = NgramConfig::new(1, 3).with_capacity(33);
    let run = |seed: u32| {
        let mut total = new_set(cfg);
        total.set_placement_seed(seed).unwrap();
        for d in &docs {
            let mut set = new_set(cfg);
            set.set_placement_seed(seed.wrapping_mul(31) ^ 5).unwrap();
            feed(&mut set, core::slice::from_ref(d));
            total.merge(&set).unwrap();
        }
        (1..=3)
            .map(|n| {
                let t = total.table(n).unwrap();
                let mut v: Vec<_> = t
                    .entries()
                    .map(|e| {
                        (e.count(), e.hash(), e.error(), e.gram().is_some())
                    })
                    .collect();
                v.sort();
                v
            })
            .collect::<Vec<_>>()
    };
    // Each document alone first.
    for (di, d) in docs.iter().enumerate() {
        let one = |seed: u32| {
            let mut set = new_set(cfg);
            set.set_placement_seed(seed).unwrap();
            feed(&mut set, core::slice::from_ref(d));
            (1..=3)
                .map(|n| {
                    let mut v: Vec<_> = set
                        .table(n)
                        .unwrap()
                        .entries()
                        .map(|e| {
                            (
                                e.count(),
                                e.hash(),
                                e.error(),
                                e.gram().is_some(),
                            )
                        })
                        .collect();
                    v.sort();
                    v
                })
                .collect::<Vec<_>>()
        };
        let p = one(0);
        for seed in 1..40 {
            assert_eq!(one(seed), p, "doc {di} seed {seed}");
        }
    }
    let plain = run(0);
    let missing = plain.iter().flatten().filter(|e| !e.3).count();
    assert!(missing > 0, "the pools ran out");
    for seed in 1..40 {
        // Entries, counts and errors agree: only the bytes could differ.
        let got = run(seed);
        let bytes = |r: &[Vec<(u64, u64, u64, bool)>]| {
            r.iter()
                .map(|t| t.iter().filter(|e| e.3).map(|e| e.1).collect())
                .collect::<Vec<Vec<u64>>>()
        };
        assert_eq!(
            bytes(&got),
            bytes(&plain),
            "seed {seed}: grams with bytes"
        );
        assert_eq!(got, plain, "seed {seed}");
    }
}

/// Where entries sit never changes a result: sets placed by different
/// seeds, counting past their capacity (evictions), merged across seeds,
/// saved and read back, list the same entries, counts, errors and top
/// grams as the unseeded set; a table read back keeps its seed and
/// writes the same bytes.
#[test]
fn placement_seeds_change_no_result() {
    let docs = seed_docs();
    let cfg = NgramConfig::new(1, 3).with_capacity(150);
    let run = |seed: u32| {
        let mut set =
            NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        set.set_placement_seed(seed).unwrap();
        let mut other =
            NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        other.set_placement_seed(seed.wrapping_mul(7) ^ 3).unwrap();
        for (i, d) in docs.iter().enumerate() {
            let s = if i % 2 == 0 { &mut set } else { &mut other };
            for t in d {
                s.push(t, token_hash(t));
            }
            s.end_document();
        }
        set.merge(&other).unwrap();
        let mut buf = vec![0u8; set.serialized_len()];
        set.serialize_into(&mut buf).unwrap();
        let back = NgramSet::deserialize(&buf, vec![0u8; cfg.bytes_needed()])
            .unwrap();
        let mut again = vec![0u8; back.serialized_len()];
        back.serialize_into(&mut again).unwrap();
        assert_eq!(again, buf, "seed {seed}: bytes read back");
        (1..=3)
            .map(|n| {
                let t = back.table(n).unwrap();
                assert_eq!(t.placement_seed(), seed);
                let mut top = vec![Entry::default(); 20];
                let k = t.top_into(&mut top);
                let top: Vec<_> = top[..k]
                    .iter()
                    .map(|e| (gram_of(e), e.count(), e.error()))
                    .collect();
                (table_map(&t), top, t.total(), t.max_error())
            })
            .collect::<Vec<_>>()
    };
    let plain = run(0);
    assert!(plain.iter().any(|t| t.3 > 0), "the tables evicted");
    for seed in [1, 0x5eed, u32::MAX] {
        assert_eq!(run(seed), plain, "seed {seed}");
    }
    // Seeds are for empty tables only.
    let mut set = NgramSet::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
    set.push(b"x", token_hash(b"x"));
    assert_eq!(
        set.set_placement_seed(1).unwrap_err().kind(),
        ErrorKind::InvalidConfig
    );
    set.clear();
    set.set_placement_seed(1).unwrap();
}

/// Regression (fuzz target `deserialize`): a saved entry whose hash is
/// not its gram's was accepted, and the gram was then counted again,
/// under its own hash, beside it. A gram with a token of the maximal
/// length is the exception: it was hashed before the token was cut.
#[test]
fn a_gram_hash_that_is_not_its_grams_is_corrupt() {
    let cfg = TableConfig::new(2, 8);
    let mut t = NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
    t.insert(&[b"pull", b"back"]).unwrap();
    let mut buf = vec![0u8; t.serialized_len()];
    t.serialize_into(&mut buf).unwrap();
    // The header is 40 bytes; the entry's hash comes first.
    buf[40] ^= 1;
    assert_eq!(
        NgramTable::deserialize(&buf, vec![0u8; 1 << 16]).unwrap_err().kind(),
        ErrorKind::Corrupt
    );

    let long = [b'x'; MAX_TOKEN_LEN + 10];
    let mut set = NgramSet::new(
        vec![0u8; NgramConfig::new(1, 1).with_capacity(8).bytes_needed()],
        NgramConfig::new(1, 1).with_capacity(8),
    )
    .unwrap();
    set.push(&long, token_hash(&long));
    let mut buf = vec![0u8; set.serialized_len()];
    set.serialize_into(&mut buf).unwrap();
    let back =
        NgramSet::deserialize(&buf, vec![0u8; set.config().bytes_needed()])
            .unwrap();
    assert_eq!(back.table(1).unwrap().len(), 1);
}

/// Regression (fuzz target `ngram_ops`): entries used to be written in
/// slot order, and inside a run of colliding slots that order is the
/// order of arrival, so equal tables filled differently (or a table and
/// its deserialised copy) serialised to different bytes.
#[test]
fn equal_tables_serialize_to_equal_bytes() {
    let words: Vec<Vec<u8>> =
        (0..400u32).map(|i| std::format!("w{i}").into_bytes()).collect();
    // From 100 entries on, tables start small and grow on the way.
    for cap in [1, 3, 8, 40, 60, 100, 300] {
        let cfg = TableConfig::new(1, cap);
        let serial = |order: &mut dyn Iterator<Item = &Vec<u8>>| {
            let mut t =
                NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
            for w in order {
                t.insert(&[w]).unwrap();
            }
            let mut buf = vec![0u8; t.serialized_len()];
            t.serialize_into(&mut buf).unwrap();
            buf
        };
        // While the table is exact, any order gives the same contents.
        let n = (cap as usize).min(words.len());
        let fwd = serial(&mut words[..n].iter());
        assert_eq!(serial(&mut words[..n].iter().rev()), fwd, "cap {cap}");
        let odd_first = words[..n].iter().skip(1).step_by(2);
        let mut mixed = odd_first.chain(words[..n].iter().step_by(2));
        assert_eq!(serial(&mut mixed), fwd, "cap {cap}");
        // A copy, sized for its entries at once, has the same layout as
        // the original, which grew one entry at a time.
        let copy =
            NgramTable::deserialize(&fwd, vec![0u8; cfg.bytes_needed()])
                .unwrap();
        let mut again = vec![0u8; copy.serialized_len()];
        copy.serialize_into(&mut again).unwrap();
        assert_eq!(again, fwd, "cap {cap}");
        // After evictions too, a round trip is byte-stable, and the copy
        // evolves like the original: evictions break ties at the minimum
        // count by hash, not by slot layout.
        let mut orig =
            NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        for w in words.iter().chain(&words[..7]) {
            orig.insert(&[w]).unwrap();
        }
        let bytes = |t: &NgramTable<Vec<u8>>| {
            let mut buf = vec![0u8; t.serialized_len()];
            t.serialize_into(&mut buf).unwrap();
            buf
        };
        let full = bytes(&orig);
        let mut back =
            NgramTable::deserialize(&full, vec![0u8; cfg.bytes_needed()])
                .unwrap();
        assert_eq!(bytes(&back), full, "cap {cap}");
        for w in words.iter().rev().step_by(3) {
            orig.insert(&[w]).unwrap();
            back.insert(&[w]).unwrap();
        }
        assert_eq!(bytes(&back), bytes(&orig), "cap {cap}");
        let other = orig.clone();
        orig.merge(&other).unwrap();
        back.merge(&other).unwrap();
        assert_eq!(bytes(&back), bytes(&orig), "cap {cap}");
    }
}

#[test]
fn merge_rejects_other_config() {
    let mut a = new_set(NgramConfig::new(1, 2).with_capacity(8));
    let b = new_set(NgramConfig::new(1, 2).with_capacity(9));
    let e = a.merge(&b).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConfigMismatch);
    let mut t =
        NgramTable::new(vec![0u8; 4096], TableConfig::new(1, 8)).unwrap();
    let u = NgramTable::new(vec![0u8; 4096], TableConfig::new(2, 8)).unwrap();
    assert!(t.merge(&u).is_err());
}

#[test]
fn public_types_are_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<NgramSet<Vec<u8>>>();
    check::<NgramSet<&mut [u8]>>();
    check::<NgramTable<&[u8]>>();
    check::<Entry<'static>>();
    check::<Error>();
    check::<crate::distinct::HyperLogLog<[u8; 16]>>();
    check::<crate::signature::Signature<[u8; 16]>>();
}

#[test]
fn gram_hash_matches_window() {
    let toks: [&[u8]; 3] = [b"a", b"b", b"c"];
    let hs: Vec<u64> =
        toks.iter().map(|t| crate::hash::token_hash(t)).collect();
    let mut t =
        NgramTable::new(vec![0u8; 4096], TableConfig::new(3, 8)).unwrap();
    t.insert(&toks).unwrap();
    let mut set = new_set(NgramConfig::new(3, 3).with_capacity(8));
    feed(&mut set, &[toks.iter().map(|t| t.to_vec()).collect()]);
    let e = set.table(3).unwrap().entries().next().unwrap().hash();
    assert_eq!(e, gram_hash(&hs));
    assert_eq!(t.entries().next().unwrap().hash(), e);
    // Pinned value: changing the hash changes every serialised summary.
    assert_eq!(gram_hash(&[1, 2]), combine(2, 1));
}

/// A Zipf-distributed stream of `len` tokens over `vocab` words.
fn zipf_stream(seed: u64, vocab: usize, len: usize, s: f64) -> Vec<Vec<u8>> {
    let weights: Vec<f64> =
        (1..=vocab).map(|i| 1.0 / (i as f64).powf(s)).collect();
    let sum: f64 = weights.iter().sum();
    let mut cdf = Vec::with_capacity(vocab);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / sum;
        cdf.push(acc);
    }
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            let i = cdf.partition_point(|&c| c < u).min(vocab - 1);
            std::format!("w{i}").into_bytes()
        })
        .collect()
}

fn proptest_cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases()))]

    /// The window buffer moves the tokens it still needs to its front
    /// whenever the next one does not fit: with tokens up to the maximal
    /// length, every lookahead and every `n`, staged or pushed one by one,
    /// the exact counts still equal the reference's.
    #[test]
    fn window_moves_keep_every_gram(
        seed in any::<u64>(),
        lo in 1u8..=8,
        span in 0u8..8,
        lookahead in prop_oneof![Just(0u8), Just(1), Just(5), Just(16)],
        doc_lens in proptest::collection::vec(0usize..60, 1..4),
        stage in any::<bool>(),
    ) {
        let hi = (lo + span).min(8);
        let mut x = seed | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let docs: Vec<Vec<Vec<u8>>> = doc_lens
            .iter()
            .map(|&len| {
                (0..len)
                    .map(|_| {
                        let r = next();
                        // Mostly short tokens, some at the largest length.
                        let l = match r % 4 {
                            0 => MAX_TOKEN_LEN - (r >> 8) as usize % 8,
                            _ => (r >> 8) as usize % 12,
                        };
                        // Few distinct tokens, so grams repeat.
                        let b = b'a' + (r >> 20) as u8 % 3;
                        vec![b; l]
                    })
                    .collect()
            })
            .collect();
        let tokens: usize = doc_lens.iter().sum();
        let cap = tokens.max(1) as u32;
        let mut cfg = NgramConfig::new(lo, hi)
            .with_capacity(cap)
            .with_lookahead(lookahead);
        for n in lo..=hi {
            cfg = cfg.with_pool_bytes_for(n, cap as u64 * (8 + 256 * n as u64));
        }
        let mut set = new_set(cfg);
        for d in &docs {
            for t in d {
                let h = crate::hash::token_hash(t);
                if stage {
                    set.stage(t, h);
                } else {
                    set.push(t, h);
                }
            }
            set.end_document();
        }
        assert_exact(&set, &docs);
    }

    #[test]
    fn space_saving_bounds_before_and_after_merge(
        seed in any::<u64>(),
        vocab in 1usize..300,
        lens in proptest::collection::vec(0usize..800, 1..4),
        // Small tables, and tables that start small and grow.
        cap in prop_oneof![0u32..40, 86u32..300],
        s in 0.6f64..1.6,
        pool_small in any::<bool>(),
    ) {
        let mut cfg = NgramConfig::new(1, 3).with_capacity(cap);
        if pool_small {
            // Tight pools force compaction (and maybe missing bytes,
            // which the bound check below skips).
            for n in 1..=3 {
                cfg = cfg.with_pool_bytes_for(n, cap as u64 * (10 + 4 * n as u64));
            }
        }
        let docs: Vec<Vec<Vec<u8>>> = lens
            .iter()
            .enumerate()
            .map(|(k, &len)| zipf_stream(seed.wrapping_add(k as u64), vocab, len, s))
            .collect();
        let mut parts = Vec::new();
        for d in &docs {
            let mut set = new_set(cfg);
            feed(&mut set, core::slice::from_ref(d));
            for n in 1..=3 {
                check_bounds(&set.table(n).unwrap(), &reference(core::slice::from_ref(d), n));
            }
            parts.push(set);
        }
        let mut merged = parts.remove(0);
        for (k, p) in parts.iter().enumerate() {
            merged.merge(p).unwrap();
            for n in 1..=3 {
                check_bounds(&merged.table(n).unwrap(), &reference(&docs[..k + 2], n));
            }
        }
        // Exact pieces whose union fits merge exactly.
        let mut one = new_set(cfg);
        feed(&mut one, &docs);
        for n in 1..=3 {
            let (m, o) = (merged.table(n).unwrap(), one.table(n).unwrap());
            prop_assert_eq!(m.total(), o.total());
            if m.is_exact() && m.missing_bytes() == 0 && o.missing_bytes() == 0 {
                prop_assert_eq!(table_map(&m), table_map(&o));
            }
        }
    }
}

/// [`assert_bounds`] that tolerates entries without bytes.
fn check_bounds<A: AsRef<[u8]>>(
    t: &NgramTable<A>,
    truth: &HashMap<Gram, u64>,
) {
    t.check_order();
    if t.missing_bytes() == 0 {
        assert_bounds(t, truth);
        return;
    }
    let floor = t.max_error();
    assert_eq!(t.total(), truth.values().sum::<u64>());
    if t.capacity() > 0 {
        assert!(floor <= t.total() / t.capacity() as u64);
    }
    for e in t.entries().filter(|e| e.gram().is_some()) {
        let tr = truth.get(&gram_of(&e)).copied().unwrap_or(0);
        assert!(e.lower_bound() <= tr && tr <= e.count());
    }
}

#[test]
fn set_serialize_round_trip_then_merge() {
    let docs = seed_docs();
    let cfg = NgramConfig::new(1, 3).with_capacity(400);
    let mut a = new_set(cfg);
    let mut b = new_set(cfg);
    feed(&mut a, &docs[..2]);
    feed(&mut b, &docs[2..]);
    let mut buf = vec![0u8; b.serialized_len()];
    assert_eq!(b.serialize_into(&mut buf).unwrap(), buf.len());
    let b2 =
        NgramSet::deserialize(&buf, vec![0u8; cfg.bytes_needed()]).unwrap();
    assert_eq!(b2.types(), b.types());
    let mut a2 = a.clone();
    a.merge(&b).unwrap();
    a2.merge(&b2).unwrap();
    for n in 1..=3 {
        let (x, y) = (a.table(n).unwrap(), a2.table(n).unwrap());
        // Eviction ties may break differently (slot layout differs after
        // reading), so approximate results are compared by their bounds.
        assert_eq!(x.total(), y.total());
        check_bounds(&x, &reference(&docs, n));
        check_bounds(&y, &reference(&docs, n));
    }
    // Exact sets round-trip and merge identically.
    let cfg = NgramConfig::new(1, 3).with_capacity(20_000);
    let (mut a, mut b) = (new_set(cfg), new_set(cfg));
    feed(&mut a, &docs[..2]);
    feed(&mut b, &docs[2..]);
    let mut buf2 = vec![0u8; b.serialized_len()];
    b.serialize_into(&mut buf2).unwrap();
    let b2 =
        NgramSet::deserialize(&buf2, vec![0u8; cfg.bytes_needed()]).unwrap();
    for n in 1..=3 {
        assert_eq!(
            raw_entries(&b.table(n).unwrap()),
            raw_entries(&b2.table(n).unwrap())
        );
    }
    a.merge(&b2).unwrap();
    assert_exact(&a, &docs);
    for cut in [0, 10, SET_HEADER, buf.len() - 1] {
        assert!(NgramSet::deserialize(
            &buf[..cut],
            vec![0u8; cfg.bytes_needed()]
        )
        .is_err());
    }
    assert_eq!(
        NgramSet::deserialize(&buf, vec![0u8; 10]).unwrap_err().kind(),
        ErrorKind::ArenaTooSmall
    );
}

/// Entries as sortable tuples, tolerating entries without bytes.
fn raw_entries<A: AsRef<[u8]>>(
    t: &NgramTable<A>,
) -> Vec<(u64, u64, u64, Option<Gram>)> {
    let mut v: Vec<_> = t
        .entries()
        .map(|e| {
            let g = e.gram().map(|g| g.tokens().map(<[u8]>::to_vec).collect());
            (e.hash(), e.count(), e.error(), g)
        })
        .collect();
    v.sort();
    v
}

/// The Space-Saving buckets stay consistent through every increment and
/// eviction, and a copy read back mid-stream (buckets and their order
/// included) evolves exactly like the original.
#[test]
fn buckets_stay_consistent_and_survive_serialisation() {
    for (seed, cap) in [(1u64, 1u32), (2, 2), (3, 5), (4, 17), (5, 64)] {
        let cfg = TableConfig::new(1, cap);
        let stream = zipf_stream(seed, 200, 3000, 1.1);
        let mut t =
            NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        let bytes = |t: &NgramTable<Vec<u8>>| {
            let mut buf = vec![0u8; t.serialized_len()];
            t.serialize_into(&mut buf).unwrap();
            buf
        };
        for (k, w) in stream.iter().enumerate() {
            t.insert(&[w]).unwrap();
            t.check_order();
            if k % 500 == 499 {
                let mut back = NgramTable::deserialize(
                    &bytes(&t),
                    vec![0u8; cfg.bytes_needed()],
                )
                .unwrap();
                back.check_order();
                for w in &stream[..200] {
                    back.insert(&[w]).unwrap();
                }
                let mut fwd = t.clone();
                for w in &stream[..200] {
                    fwd.insert(&[w]).unwrap();
                }
                assert_eq!(bytes(&back), bytes(&fwd), "cap {cap} at {k}");
            }
        }
        assert!(!t.is_exact(), "cap {cap} never evicted");
    }
}

/// Every capacity up to `MAX_CAPACITY` is a valid configuration for every
/// `n`: the default pool stops at what a table can address instead of
/// making large capacities of long grams an error (it was: "pool above
/// 2^32 - 2 bytes" from about 89 M entries of 3-grams).
#[test]
fn the_largest_capacity_is_valid_for_every_n() {
    for n in 1..=MAX_N as u8 {
        let cfg = TableConfig::new(n, MAX_CAPACITY);
        assert_eq!(cfg.pool_bytes(), MAX_POOL_BYTES, "n = {n}");
        assert!(cfg.try_bytes_needed().is_ok(), "n = {n}");
        // Below the cap the pool is what the formula says.
        let small = TableConfig::new(n, 1 << 20);
        assert_eq!(
            small.pool_bytes(),
            (1 << 20) * (12 + 12 * u64::from(n))
                + 2 * (8 + 256 * u64::from(n))
        );
    }
    let set = NgramConfig::new(1, MAX_N as u8).with_capacity(MAX_CAPACITY);
    assert!(set.try_bytes_needed().is_ok());
    // An explicit pool beyond the cap is still refused, with the reason.
    let e = TableConfig::new(3, 16)
        .with_pool_bytes(MAX_POOL_BYTES + 1)
        .try_bytes_needed()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert_eq!(
        std::format!("{e}"),
        "invalid n-gram configuration: pool above 2^32 - 2 bytes"
    );
}
