//! Stable serialisation of a whole [`Analyzer`]'s results (`TMAZ` v1), so
//! an analysis can be saved, sent to another process or machine, restored
//! and merged.
//!
//! ```text
//! header (24 B):  magic "TMAZ" | version u16 = 1 | flags u8
//!                 (bit 0 fold_case, 1 fold_apostrophes, 2 negation,
//!                  3 lexicon present) | max_token_len u8
//!                 | signature_k u64 | lexicon fingerprint u64
//! counts (72 B):  bytes chars lines tokens words numbers invalid_bytes
//!                 truncated_tokens max_token_len, each u64
//! n-grams:        len u64 | the set in NgramSet's `TMNS` v1 format
//! signature:      len u32 | len × hash u64, strictly ascending
//! lexicon:        categories u32 | tokens u64
//!                 | categories × (hits u64, negated u64, score_milli i64)
//! ```
//!
//! All integers little-endian. The configuration is written in full (the
//! n-gram part inside `TMNS`) and must equal the one given to
//! [`Analyzer::deserialize`]. The lexicon is referenced, not stored: its
//! fingerprint is the [`token_hash`] of its compiled bytes (which are the
//! same in every process for the same text and options), and the caller
//! hands the same lexicon back when restoring.
//!
//! # Documents
//!
//! The state saved is the results at a document boundary, what
//! [`Analyzer::merge`] takes from its `other`: call
//! [`Analyzer::finish`] first. A token, n-gram window, signature 3-gram
//! or lexicon term still held back mid-document is not saved, and a
//! restored analyzer starts a new document.

use super::{Analyzer, AnalyzerConfig, AnalyzerError, AnalyzerErrorKind};
use crate::counts::{Counts, COUNT_LIMIT, STATE_LIMIT};
use crate::hash::token_hash;
use crate::lexicon::{Lexicon, Matcher};
use crate::ngram::{self, NgramSet};
use crate::signature::Signature;
use crate::tokenize::Tokenizer;

const MAGIC: &[u8; 4] = b"TMAZ";
const VERSION: u16 = 1;
const HEADER: usize = 24;
const COUNTS: usize = 72;
const TALLY: usize = 24;

impl AnalyzerError {
    const fn corrupt(what: &'static str) -> Self {
        Self::new(AnalyzerErrorKind::Corrupt, what)
    }

    const fn corrupt_set(e: ngram::Error) -> Self {
        let mut err = Self::corrupt("bad n-gram set");
        err.ngram = Some(e);
        err
    }

    const fn buffer(needed: usize, given: usize) -> Self {
        let mut err = Self::new(AnalyzerErrorKind::BufferTooSmall, "");
        err.needed = needed;
        err.given = given;
        err
    }
}

fn flags(config: &AnalyzerConfig, lexicon: bool) -> u8 {
    let t = config.tokenizer();
    u8::from(t.fold_case)
        | u8::from(t.fold_apostrophes) << 1
        | u8::from(config.negation()) << 2
        | u8::from(lexicon) << 3
}

fn fingerprint(lexicon: Option<Lexicon<'_>>) -> u64 {
    lexicon.map_or(0, |l| token_hash(l.compiled()))
}

fn counts_fields(c: &Counts) -> [u64; 9] {
    [
        c.bytes,
        c.chars,
        c.lines,
        c.tokens,
        c.words,
        c.numbers,
        c.invalid_bytes,
        c.truncated_tokens,
        c.max_token_len,
    ]
}

/// A little-endian reader that reports running out as corruption.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], AnalyzerError> {
        let end = self.at.checked_add(n);
        match end.and_then(|e| self.bytes.get(self.at..e)) {
            Some(s) => {
                self.at += n;
                Ok(s)
            }
            None => Err(AnalyzerError::corrupt("truncated")),
        }
    }

    fn u64(&mut self) -> Result<u64, AnalyzerError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    fn u32(&mut self) -> Result<u32, AnalyzerError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
}

fn put(out: &mut [u8], at: &mut usize, bytes: &[u8]) {
    out[*at..*at + bytes.len()].copy_from_slice(bytes);
    *at += bytes.len();
}

impl<'a, 'l> Analyzer<'a, 'l> {
    /// Bytes [`serialize_into`](Self::serialize_into) writes.
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(16);
    /// let mut mem = vec![0u8; cfg.bytes_needed()];
    /// let a = Analyzer::new(cfg, &mut mem, None)?;
    /// assert!(a.serialized_len() > 96);
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    pub fn serialized_len(&self) -> usize {
        let sig = self.signature.as_ref().map_or(0, Signature::len);
        let cats = self.lexicon().map_or(0, |l| l.category_count());
        HEADER
            + COUNTS
            + 8
            + self.ngrams.serialized_len()
            + 4
            + 8 * sig
            + 12
            + TALLY * cats
    }

    /// Writes the analyzer's results (counts, n-gram set, signature,
    /// lexicon tallies and the configuration; see the module source for
    /// the `TMAZ` v1 layout) into `out` and returns the length written.
    /// Call [`finish`](Self::finish) first: what the current document
    /// still holds back is not saved.
    ///
    /// # Errors
    /// [`AnalyzerErrorKind::BufferTooSmall`] when `out` is shorter than
    /// [`serialized_len`](Self::serialized_len).
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// # use textmeter::lexicon::BuiltinLexicon;
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    /// let lex = BuiltinLexicon::new();
    /// let mut mem = vec![0u8; cfg.bytes_needed()];
    /// let mut a = Analyzer::new(cfg, &mut mem, Some(lex.lexicon()))?;
    /// a.update(b"Troops will not attack.");
    /// a.finish();
    /// let mut saved = vec![0u8; a.serialized_len()];
    /// a.serialize_into(&mut saved)?;
    ///
    /// let mut mem2 = vec![0u8; cfg.bytes_needed()];
    /// let b = Analyzer::deserialize(cfg, &mut mem2, Some(lex.lexicon()), &saved)?;
    /// assert_eq!(b.counts(), a.counts());
    /// assert_eq!(b.scores().unwrap().get(b"escalation").unwrap().negated(), 1);
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    pub fn serialize_into(
        &self,
        out: &mut [u8],
    ) -> Result<usize, AnalyzerError> {
        let need = self.serialized_len();
        if out.len() < need {
            return Err(AnalyzerError::buffer(need, out.len()));
        }
        let lexicon = self.lexicon();
        let mut w = 0;
        put(out, &mut w, MAGIC);
        put(out, &mut w, &VERSION.to_le_bytes());
        put(out, &mut w, &[flags(&self.config, lexicon.is_some())]);
        // `max_token_len` is at most 255 in a valid configuration.
        put(out, &mut w, &[self.config.tokenizer().max_token_len as u8]);
        put(out, &mut w, &(self.config.signature_k() as u64).to_le_bytes());
        put(out, &mut w, &fingerprint(lexicon).to_le_bytes());
        for v in counts_fields(&self.counts()) {
            put(out, &mut w, &v.to_le_bytes());
        }
        let set_len = self.ngrams.serialized_len();
        put(out, &mut w, &(set_len as u64).to_le_bytes());
        self.ngrams
            .serialize_into(&mut out[w..w + set_len])
            .map_err(|_| AnalyzerError::buffer(need, out.len()))?;
        w += set_len;
        let sig_len = self.signature.as_ref().map_or(0, Signature::len);
        put(out, &mut w, &(sig_len as u32).to_le_bytes());
        if let Some(s) = &self.signature {
            for h in s.hashes() {
                put(out, &mut w, &h.to_le_bytes());
            }
        }
        let cats = lexicon.map_or(0, |l| l.category_count());
        put(out, &mut w, &(cats as u32).to_le_bytes());
        let tokens = self.matcher.as_ref().map_or(0, Matcher::tokens);
        put(out, &mut w, &tokens.to_le_bytes());
        if let Some(m) = &self.matcher {
            for i in 0..cats {
                let (hits, negated, score) = m.tally(i);
                put(out, &mut w, &hits.to_le_bytes());
                put(out, &mut w, &negated.to_le_bytes());
                put(out, &mut w, &score.to_le_bytes());
            }
        }
        debug_assert_eq!(w, need);
        Ok(w)
    }

    /// Restores an analyzer written by
    /// [`serialize_into`](Self::serialize_into) into `arena` (at least
    /// [`AnalyzerConfig::bytes_needed`] bytes), with the same
    /// configuration and lexicon it was saved with. It is at the start of
    /// a new document; [`merge`](Self::merge) and further
    /// [`update`](Self::update)s work as on the original.
    ///
    /// # Errors
    /// Those of [`Analyzer::new`];
    /// [`AnalyzerErrorKind::ConfigMismatch`] when `config` or `lexicon`
    /// differ from the saved ones; [`AnalyzerErrorKind::Corrupt`] for
    /// bytes that are not a valid `TMAZ` v1 state, including one whose
    /// counts disagree (words and numbers that do not add up to the
    /// tokens, more grams or lexicon hits than tokens) or exceed
    /// twice [`COUNT_LIMIT`] (a lexicon score: the limit itself).
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig, AnalyzerErrorKind};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(16);
    /// let mut mem = vec![0u8; cfg.bytes_needed()];
    /// let err = Analyzer::deserialize(cfg, &mut mem, None, b"TMAZ").unwrap_err();
    /// assert_eq!(err.kind(), AnalyzerErrorKind::Corrupt);
    /// ```
    pub fn deserialize(
        config: AnalyzerConfig,
        arena: &'a mut [u8],
        lexicon: Option<Lexicon<'l>>,
        bytes: &[u8],
    ) -> Result<Self, AnalyzerError> {
        // All the checks of `new` (configuration, arena, lexicon), on a
        // reborrow that ends here.
        Analyzer::new(config, &mut *arena, lexicon)?;
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err(AnalyzerError::corrupt("bad magic"));
        }
        if r.take(2)? != VERSION.to_le_bytes() {
            return Err(AnalyzerError::corrupt("unknown version"));
        }
        let head = r.take(2)?;
        let (flag_byte, max_len) = (head[0], head[1]);
        let sig_k = r.u64()?;
        let print = r.u64()?;
        if flag_byte & !0xf != 0 {
            return Err(AnalyzerError::corrupt("unknown flags"));
        }
        if flag_byte & 7 != flags(&config, false)
            || usize::from(max_len) != config.tokenizer().max_token_len
            || sig_k != config.signature_k() as u64
        {
            return Err(AnalyzerError::mismatch("configurations differ"));
        }
        if (flag_byte & 8 != 0) != lexicon.is_some()
            || print != fingerprint(lexicon)
        {
            return Err(AnalyzerError::mismatch("lexicons differ"));
        }
        let mut c = [0u64; 9];
        for v in &mut c {
            *v = r.u64()?;
        }
        let counts = Counts {
            bytes: c[0],
            chars: c[1],
            lines: c[2],
            tokens: c[3],
            words: c[4],
            numbers: c[5],
            invalid_bytes: c[6],
            truncated_tokens: c[7],
            max_token_len: c[8],
        };
        // Checked before the sum, which cannot overflow then.
        if c.iter().any(|&v| v > STATE_LIMIT)
            || counts.words.checked_add(counts.numbers) != Some(counts.tokens)
        {
            return Err(AnalyzerError::corrupt("bad counts"));
        }
        // What text makes, and merges keep: a character, line end,
        // invalid byte or token takes at least one byte, and only tokens
        // are truncated (below `COUNT_LIMIT`, where no sum was capped);
        // some are truncated exactly when the longest is over the limit;
        // a token's normalised form has at least one byte.
        let max_len = config.tokenizer().max_token_len as u64;
        let uncapped = c.iter().all(|&v| v < COUNT_LIMIT);
        if uncapped
            && (counts.chars > counts.bytes
                || counts.lines > counts.bytes
                || counts.invalid_bytes > counts.bytes
                || counts.tokens > counts.bytes
                || counts.truncated_tokens > counts.tokens)
            || (counts.truncated_tokens > 0)
                != (counts.max_token_len > max_len)
            || (counts.tokens > 0) != (counts.max_token_len > 0)
        {
            return Err(AnalyzerError::corrupt(
                "counts contradict each other",
            ));
        }
        let set_len = usize::try_from(r.u64()?)
            .map_err(|_| AnalyzerError::corrupt("truncated"))?;
        let set_bytes = r.take(set_len)?;
        let (set_mem, rest) = arena.split_at_mut(config.ngrams.bytes_needed());
        // The arena fits `config`, so a set that needs more was saved with
        // another configuration.
        let ngrams =
            NgramSet::deserialize(set_bytes, set_mem).map_err(|e| match e
                .kind()
            {
                ngram::ErrorKind::ArenaTooSmall => {
                    AnalyzerError::mismatch("configurations differ")
                }
                // The set's own reason (which table, what is wrong) is
                // kept for the message.
                _ => AnalyzerError::corrupt_set(e),
            })?;
        if ngrams.config() != config.ngrams {
            return Err(AnalyzerError::mismatch("configurations differ"));
        }
        // Every gram is a run of counted tokens.
        let cfg_n = config.ngrams;
        if (cfg_n.lo()..=cfg_n.hi())
            .any(|n| ngrams.total(usize::from(n)) > counts.tokens)
        {
            return Err(AnalyzerError::corrupt("bad n-gram totals"));
        }
        let sig_len = r.u32()? as usize;
        let signature = match config.signature_k {
            0 if sig_len == 0 => None,
            0 => return Err(AnalyzerError::corrupt("bad signature")),
            k => {
                if sig_len > k {
                    return Err(AnalyzerError::corrupt("bad signature"));
                }
                let (sig_mem, _) =
                    rest.split_at_mut(Signature::bytes_needed(k));
                let mut s = Signature::new(sig_mem, k)
                    .map_err(AnalyzerError::ngram)?;
                let mut last = None;
                for _ in 0..sig_len {
                    let h = r.u64()?;
                    if last.is_some_and(|l| l >= h) {
                        return Err(AnalyzerError::corrupt("bad signature"));
                    }
                    last = Some(h);
                    s.insert_hash(h);
                }
                Some(s)
            }
        };
        let cats = r.u32()? as usize;
        let tokens = r.u64()?;
        let matcher = match lexicon {
            None if cats == 0 && tokens == 0 => None,
            None => return Err(AnalyzerError::corrupt("bad lexicon tallies")),
            Some(lex) => {
                // The matcher sees every token the counts do.
                if cats != lex.category_count() || tokens != counts.tokens {
                    return Err(AnalyzerError::corrupt("bad lexicon tallies"));
                }
                let mut m = Matcher::new(lex);
                m.set_negation(config.negation);
                m.set_tokens(tokens);
                for i in 0..cats {
                    let hits = r.u64()?;
                    let negated = r.u64()?;
                    let score = r.u64()? as i64;
                    if negated > hits
                        || hits > tokens
                        || score.unsigned_abs() > COUNT_LIMIT
                    {
                        return Err(AnalyzerError::corrupt(
                            "bad lexicon tallies",
                        ));
                    }
                    m.set_tally(i, (hits, negated, score));
                }
                Some(m)
            }
        };
        if r.at != bytes.len() {
            return Err(AnalyzerError::corrupt("trailing bytes"));
        }
        Ok(Analyzer {
            config,
            tokenizer: Tokenizer::new(config.tokenizer),
            counts,
            ngrams,
            signature,
            matcher,
        })
    }
}

impl<'l> Analyzer<'_, 'l> {
    /// A copy of this analyzer in another `arena` (at least
    /// [`AnalyzerConfig::bytes_needed`] bytes), with the same lexicon and
    /// everything the current document holds back: feeding both the
    /// same bytes gives the same results. For example, to report a
    /// document mid-stream without ending it, [`finish`](Self::finish)
    /// and read a copy.
    ///
    /// # Errors
    /// [`AnalyzerErrorKind::ArenaTooSmall`].
    ///
    /// ```
    /// # use textmeter::analyzer::{Analyzer, AnalyzerConfig};
    /// let cfg = AnalyzerConfig::new().with_ngram_capacity(64);
    /// let (mut m1, mut m2) = (vec![0; cfg.bytes_needed()], vec![0; cfg.bytes_needed()]);
    /// let mut a = Analyzer::new(cfg, &mut m1, None)?;
    /// a.update(b"peace ta");
    /// let mut peek = a.copy_into(&mut m2)?;
    /// peek.finish();
    /// assert_eq!(peek.counts().tokens, 2);
    /// a.update(b"lks");
    /// a.finish();
    /// assert_eq!(a.counts().tokens, 2); // "talks", not "ta" + "lks"
    /// assert_eq!(a.ngrams().total(2), 1);
    /// # Ok::<(), textmeter::analyzer::AnalyzerError>(())
    /// ```
    pub fn copy_into<'b>(
        &self,
        arena: &'b mut [u8],
    ) -> Result<Analyzer<'b, 'l>, AnalyzerError> {
        let need = self.config.bytes_needed();
        if arena.len() < need {
            return Err(AnalyzerError::arena(need, arena.len()));
        }
        let (set_mem, rest) =
            arena.split_at_mut(self.config.ngrams.bytes_needed());
        Ok(Analyzer {
            config: self.config,
            tokenizer: self.tokenizer.clone(),
            counts: self.counts,
            ngrams: self.ngrams.copy_into(set_mem),
            signature: self.signature.as_ref().map(|s| s.copy_into(rest)),
            matcher: self.matcher.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::BuiltinLexicon;
    use crate::tokenize::tests_support::SEEDS;
    use std::vec;
    use std::vec::Vec;

    const CFG: AnalyzerConfig =
        AnalyzerConfig::new().with_ngram_capacity(4096);

    /// Every observable result, for comparison.
    fn observe(a: &Analyzer<'_, '_>) -> Vec<u64> {
        let mut v = Vec::new();
        let c = a.counts();
        v.extend(counts_fields(&c));
        let t = a.types().unwrap();
        v.extend([t.types(), u64::from(t.types_exact())]);
        for n in 1..=3 {
            let t = a.ngrams().table(n).unwrap();
            let mut e: Vec<_> = t
                .entries()
                .map(|e| (e.hash(), e.count(), e.error()))
                .collect();
            e.sort_unstable();
            v.extend([t.total(), u64::from(t.is_exact())]);
            v.extend(e.iter().flat_map(|&(h, c, r)| [h, c, r]));
        }
        v.extend(a.signature().unwrap().hashes());
        let s = a.scores().unwrap();
        v.push(s.tokens());
        for c in s.iter() {
            v.extend([c.hits(), c.negated(), c.score_milli() as u64]);
        }
        v
    }

    /// An analyzer of `CFG` in `mem` that has read the first seed.
    fn first_seed<'m, 'l>(
        mem: &'m mut Vec<u8>,
        lex: Option<Lexicon<'l>>,
    ) -> Analyzer<'m, 'l> {
        mem.resize(CFG.bytes_needed(), 0);
        let mut a = Analyzer::new(CFG, mem, lex).unwrap();
        a.update(SEEDS[0].1);
        a.finish();
        a
    }

    fn save(a: &Analyzer<'_, '_>) -> Vec<u8> {
        let mut out = vec![0u8; a.serialized_len()];
        assert_eq!(a.serialize_into(&mut out).unwrap(), out.len());
        out
    }

    #[test]
    fn round_trip_is_exact_and_stable() {
        let lex = BuiltinLexicon::new();
        let mut mem = vec![0u8; CFG.bytes_needed()];
        let mut a = Analyzer::new(CFG, &mut mem, Some(lex.lexicon())).unwrap();
        for (_, s) in SEEDS {
            a.update(s);
            a.finish();
        }
        let bytes = save(&a);
        let mut mem2 = vec![0u8; CFG.bytes_needed()];
        let b =
            Analyzer::deserialize(CFG, &mut mem2, Some(lex.lexicon()), &bytes)
                .unwrap();
        assert_eq!(observe(&a), observe(&b));
        // Saving the restored analyzer gives the same bytes.
        assert_eq!(save(&b), bytes);
        let short = &mut vec![0u8; bytes.len() - 1];
        let e = a.serialize_into(short).unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::BufferTooSmall);
    }

    #[test]
    fn merge_after_deserialize_equals_one_pass() {
        let lex = BuiltinLexicon::new();
        let l = Some(lex.lexicon());
        let mut m_all = vec![0u8; CFG.bytes_needed()];
        let mut all = Analyzer::new(CFG, &mut m_all, l).unwrap();
        let mut m_a = vec![0u8; CFG.bytes_needed()];
        let mut a = Analyzer::new(CFG, &mut m_a, l).unwrap();
        let mut m_b = vec![0u8; CFG.bytes_needed()];
        let mut b = Analyzer::new(CFG, &mut m_b, l).unwrap();
        for (i, (_, s)) in SEEDS.iter().enumerate() {
            all.update(s);
            all.finish();
            let half = if i < 2 { &mut a } else { &mut b };
            half.update(s);
            half.finish();
        }
        let (sa, sb) = (save(&a), save(&b));
        let mut m_ra = vec![0u8; CFG.bytes_needed()];
        let mut ra = Analyzer::deserialize(CFG, &mut m_ra, l, &sa).unwrap();
        let mut m_rb = vec![0u8; CFG.bytes_needed()];
        let rb = Analyzer::deserialize(CFG, &mut m_rb, l, &sb).unwrap();
        ra.merge(&rb).unwrap();
        assert_eq!(observe(&ra), observe(&all));
        // And updates after restoring continue like the original.
        let mut m_c = vec![0u8; CFG.bytes_needed()];
        let mut c = Analyzer::deserialize(CFG, &mut m_c, l, &sa).unwrap();
        a.update(SEEDS[4].1);
        a.finish();
        c.update(SEEDS[4].1);
        c.finish();
        assert_eq!(observe(&a), observe(&c));
    }

    #[test]
    fn rejects_mismatch_and_corruption() {
        let lex = BuiltinLexicon::new();
        let l = Some(lex.lexicon());
        let mut mem = vec![];
        let a = first_seed(&mut mem, l);
        let bytes = save(&a);
        let mut m2 = vec![0u8; CFG.bytes_needed()];
        let kind = |cfg, lex, b: &[u8], m: &mut Vec<u8>| {
            m.resize(AnalyzerConfig::bytes_needed(&cfg), 0);
            Analyzer::deserialize(cfg, m, lex, b).unwrap_err().kind()
        };
        use AnalyzerErrorKind::*;
        assert_eq!(kind(CFG, None, &bytes, &mut m2), ConfigMismatch);
        let other = CFG.with_negation(false);
        assert_eq!(kind(other, l, &bytes, &mut m2), ConfigMismatch);
        let other = CFG.with_ngram_capacity(100);
        assert_eq!(kind(other, l, &bytes, &mut m2), ConfigMismatch);
        // Every truncation and every single-byte flip is an error or a
        // valid state, never a panic.
        let step = bytes.len() / 150;
        for cut in (0..200).chain((200..bytes.len()).step_by(step)) {
            assert!(
                Analyzer::deserialize(CFG, &mut m2, l, &bytes[..cut]).is_err()
            );
        }
        let mut flipped = bytes.clone();
        for i in (0..200).chain((200..bytes.len()).step_by(step)) {
            flipped[i] ^= 0x41;
            let _ = Analyzer::deserialize(CFG, &mut m2, l, &flipped);
            flipped[i] ^= 0x41;
        }
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(kind(CFG, l, &long, &mut m2), Corrupt);
        // The tallies end the state (24 bytes per category) after the
        // lexicon's token count, which must be the counts' (regression,
        // fuzz target `deserialize`: any count was accepted).
        let cats = lex.lexicon().category_count();
        let at = bytes.len() - 24 * cats - 8;
        let mut off = bytes.clone();
        off[at] ^= 1;
        assert_eq!(kind(CFG, l, &off, &mut m2), Corrupt);
        // The first table's first entry starts with its hash, after the
        // state's head (104 bytes), the set's (108), the table's length
        // (4) and its head (40); the message says what the set found.
        let mut off = bytes.clone();
        off[256] ^= 1;
        let e = Analyzer::deserialize(CFG, &mut m2, l, &off).unwrap_err();
        assert_eq!(
            std::format!("{e}"),
            "corrupt analyzer state: bad n-gram set: corrupt serialised \
             summary: gram hash does not match"
        );
    }

    #[test]
    fn copy_mid_document_carries_on_identically() {
        let lex = BuiltinLexicon::new();
        let l = Some(lex.lexicon());
        let text = SEEDS[3].1;
        // Exact tables that grow after the copy, and full ones that evict
        // (buckets), or were just merged into (no order yet). The copy
        // takes only the parts that hold state, into memory full of
        // garbage: the rest must never be read before it is written.
        let evicting = AnalyzerConfig::new().with_ngram_capacity(64);
        for (cfg, merged) in
            [(CFG, false), (evicting, false), (evicting, true)]
        {
            for cut in [0, 1, 7, text.len() / 2, text.len() - 1, text.len()] {
                let mut m_a = vec![0u8; cfg.bytes_needed()];
                let mut a = Analyzer::new(cfg, &mut m_a, l).unwrap();
                a.update(SEEDS[0].1);
                a.finish();
                if merged {
                    let mut m_o = vec![0u8; cfg.bytes_needed()];
                    let mut o = Analyzer::new(cfg, &mut m_o, l).unwrap();
                    o.update(SEEDS[1].1);
                    o.finish();
                    a.merge(&o).unwrap();
                }
                a.update(&text[..cut]);
                let mut m_b = vec![0xA5u8; cfg.bytes_needed()];
                let mut b = a.copy_into(&mut m_b).unwrap();
                assert_eq!(observe(&a), observe(&b), "cut {cut}");
                for x in [&mut a, &mut b] {
                    x.update(&text[cut..]);
                    x.finish();
                    for (_, seed) in &SEEDS[2..] {
                        x.update(seed);
                        x.finish();
                    }
                }
                assert_eq!(observe(&a), observe(&b), "cut {cut}");
                let mut sa = vec![0u8; a.serialized_len()];
                let mut sb = vec![0u8; b.serialized_len()];
                a.serialize_into(&mut sa).unwrap();
                b.serialize_into(&mut sb).unwrap();
                assert!(sa == sb, "cut {cut}: saved states differ");
            }
        }
        let mut mem = vec![0u8; CFG.bytes_needed()];
        let a = Analyzer::new(CFG, &mut mem, l).unwrap();
        let mut small = vec![0u8; 10];
        let e = a.copy_into(&mut small).unwrap_err();
        assert_eq!(e.kind(), AnalyzerErrorKind::ArenaTooSmall);
    }

    /// Writes `v` over the `u64` at `at`.
    fn put64(bytes: &mut [u8], at: usize, v: u64) {
        bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }

    // The counts follow the 24-byte header: bytes, chars, lines, tokens,
    // words, numbers, ...
    const BYTES_AT: usize = 24;
    const WORDS_AT: usize = 56;
    const NUMBERS_AT: usize = 64;

    /// Found by a probe of the C API: counts no text makes (more
    /// characters, lines or tokens than bytes, truncated tokens without a
    /// long one) were accepted and carried on.
    #[test]
    fn counts_that_contradict_each_other_are_corrupt() {
        let lex = BuiltinLexicon::new();
        let l = Some(lex.lexicon());
        let mut mem = vec![];
        let a = first_seed(&mut mem, l);
        let bytes = save(&a);
        let c = a.counts();
        let read = |b: &[u8]| {
            let mut m = vec![0u8; CFG.bytes_needed()];
            Analyzer::deserialize(CFG, &mut m, l, b).map(|a| a.counts())
        };
        assert_eq!(read(&bytes).unwrap(), c);
        // bytes chars lines tokens words numbers invalid truncated max_len
        let field = |i: usize| BYTES_AT + 8 * i;
        for (i, v) in [
            (1, c.bytes + 1),  // chars > bytes
            (2, c.bytes + 1),  // lines > bytes
            (6, c.bytes + 1),  // invalid bytes > bytes
            (7, 1),            // truncated, but no token over 64 bytes
            (8, 65),           // a token over 64 bytes, none truncated
            (8, 0),            // tokens without a length
            (0, c.tokens - 1), // tokens > bytes
        ] {
            let mut e = bytes.clone();
            put64(&mut e, field(i), v);
            let err = read(&e).unwrap_err();
            assert_eq!(err.kind(), AnalyzerErrorKind::Corrupt, "{i} = {v}");
        }
    }

    #[test]
    fn counts_beyond_the_limit_are_corrupt_and_merges_stop_there() {
        let lex = BuiltinLexicon::new();
        let l = Some(lex.lexicon());
        let mut mem = vec![];
        let a = first_seed(&mut mem, l);
        let bytes = save(&a);
        let c = a.counts();
        let read = |b: &[u8], m: &mut Vec<u8>| {
            m.resize(CFG.bytes_needed(), 0);
            Analyzer::deserialize(CFG, m, l, b).map(|a| a.counts())
        };
        let mut m2 = vec![];
        // Words and numbers whose sum wraps around to the token count
        // (regression, fuzz target `deserialize` via the property test:
        // the sum overflowed).
        let mut e = bytes.clone();
        put64(&mut e, WORDS_AT, u64::MAX);
        put64(&mut e, NUMBERS_AT, c.numbers + c.words + 1);
        let err = read(&e, &mut m2).unwrap_err();
        assert_eq!(err.kind(), AnalyzerErrorKind::Corrupt);
        let mut e = bytes.clone();
        put64(&mut e, BYTES_AT, 2 * COUNT_LIMIT + 1);
        assert!(read(&e, &mut m2).is_err());
        // At the limit: merges stay there, more text stops there too.
        put64(&mut e, BYTES_AT, COUNT_LIMIT);
        assert_eq!(read(&e, &mut m2).unwrap().bytes, COUNT_LIMIT);
        let mut m3 = vec![0u8; CFG.bytes_needed()];
        let big = Analyzer::deserialize(CFG, &mut m3, l, &e).unwrap();
        let mut m4 = vec![0u8; CFG.bytes_needed()];
        let mut b = Analyzer::deserialize(CFG, &mut m4, l, &e).unwrap();
        for _ in 0..3 {
            b.merge(&big).unwrap();
        }
        assert_eq!(b.counts().bytes, COUNT_LIMIT);
        assert_eq!(b.counts().tokens, 4 * c.tokens);
        // Text read at the limit stops there too, so the state reads back.
        b.update(b"peace");
        b.finish();
        assert_eq!(b.counts().bytes, COUNT_LIMIT);
        b.merge(&a).unwrap();
        assert_eq!(b.counts().bytes, COUNT_LIMIT, "never below a side");
        let mut m5 = vec![0u8; CFG.bytes_needed()];
        Analyzer::deserialize(CFG, &mut m5, l, &save(&b)).unwrap();
    }

    /// A lexicon score driven past the limit by text alone (extreme
    /// weights and negation factor, 5,000 negated hits) stops there, so
    /// its state reads back (it reached -5.0e18 and was refused).
    #[test]
    fn extreme_scores_read_back() {
        let text = b"#! factor: -1000000\nattack\tc\t1000000\n";
        let opts = crate::lexicon::ParseOptions::default();
        let mut lex_mem =
            vec![0u8; Lexicon::bytes_needed(text, &opts).unwrap()];
        let lex = Lexicon::parse_into(text, &opts, &mut lex_mem).unwrap();
        let mut mem = vec![0u8; CFG.bytes_needed()];
        let mut a = Analyzer::new(CFG, &mut mem, Some(lex)).unwrap();
        a.update(&b"not attack ".repeat(5000));
        a.finish();
        let score = a.scores().unwrap().get(b"c").unwrap().score_milli();
        assert_eq!(score, -(COUNT_LIMIT as i64));
        let mut m = vec![0u8; CFG.bytes_needed()];
        let back = Analyzer::deserialize(CFG, &mut m, Some(lex), &save(&a));
        assert_eq!(
            back.unwrap().scores().unwrap().get(b"c").unwrap().score_milli(),
            score
        );
    }

    /// A report merged with itself until its counts reach the limit
    /// (Python's `r = r.merge(r)` 70 times) is still a state its own
    /// reader takes: tokens and words stopped there before numbers did,
    /// and the reader checks `words + numbers == tokens`.
    #[test]
    fn a_state_doubled_past_the_limit_reads_back() {
        let lex = BuiltinLexicon::new();
        let l = Some(lex.lexicon());
        let mut mem = vec![];
        let mut a = first_seed(&mut mem, l);
        for _ in 0..70 {
            let bytes = save(&a);
            let mut m = vec![0u8; CFG.bytes_needed()];
            let copy = Analyzer::deserialize(CFG, &mut m, l, &bytes)
                .unwrap_or_else(|e| panic!("{e}: {:?}", a.counts()));
            a.merge(&copy).unwrap();
        }
        let c = a.counts();
        assert_eq!(c.tokens, COUNT_LIMIT);
        assert_eq!(c.words + c.numbers, c.tokens);
        let bytes = save(&a);
        let mut m = vec![0u8; CFG.bytes_needed()];
        let back = Analyzer::deserialize(CFG, &mut m, l, &bytes).unwrap();
        assert_eq!(back.counts(), c);
        // Text counted after that goes past the limit, and reads back.
        a.update(b"Talks resume; troops pull back.");
        a.finish();
        assert_eq!(a.counts().tokens, COUNT_LIMIT + 5);
        let mut m = vec![0u8; CFG.bytes_needed()];
        Analyzer::deserialize(CFG, &mut m, l, &save(&a)).unwrap();
    }

    #[test]
    fn without_lexicon_and_signature() {
        let cfg = CFG.with_signature_k(0);
        let mut mem = vec![0u8; cfg.bytes_needed()];
        let mut a = Analyzer::new(cfg, &mut mem, None).unwrap();
        a.update(b"peace talks resume");
        a.finish();
        let bytes = save(&a);
        let mut m2 = vec![0u8; cfg.bytes_needed()];
        let b = Analyzer::deserialize(cfg, &mut m2, None, &bytes).unwrap();
        assert_eq!(b.counts(), a.counts());
        assert!(b.signature().is_none() && b.scores().is_none());
        assert_eq!(b.ngrams().total(3), 1);
    }
}
