//! The three lexicon text formats, their detection, and the two-pass
//! compiler into caller memory.
//!
//! Pass one validates the text and counts what it needs (an upper bound on
//! trie nodes, postings, negators and name bytes); pass two runs the same
//! scanner again and writes into the caller's bytes. Scanning twice costs a
//! few microseconds for a real lexicon and is what lets parsing allocate
//! nothing.

use super::error::{LexiconError, LexiconErrorKind as Kind};
use super::table::{
    child_key, filter_bits, find, first8, prefix4_key, prefix8_key, rd32,
    rd64, root_word_key, wr32, wr64, COND, COND_BYTES, COND_ELSE,
    COND_ID_MASK, COND_SHIFT, EXACT_KIDS, FILTER_MAX_BITS, FILTER_MIN_BITS,
    NEGATOR, OCCUPIED, POSTING, SLOT, WILD_KIDS,
};
use super::tokenize::{for_each_token, TokenizerConfig};
use super::{MAX_CATEGORIES, MAX_NAME_LEN, MAX_TERM_TOKENS, MAX_WILDCARD_LEN};
use crate::hash::token_hash;

/// A lexicon text format; see the [module docs](super) for each grammar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Detect the format with [`detect_format`].
    #[default]
    Auto,
    /// Native `term<TAB>category[<TAB>weight]` with `#` comments and `#!`
    /// directives.
    Tsv,
    /// AFINN: `term<TAB>integer`, one category named after the lexicon.
    Afinn,
    /// LIWC `.dic`: a `%` block of `id<TAB>category`, then
    /// `term<TAB>id<TAB>id…`.
    LiwcDic,
}

/// Options for [`Lexicon::parse_into`](super::Lexicon::parse_into) and
/// [`Lexicon::bytes_needed`](super::Lexicon::bytes_needed).
///
/// ```
/// use textmeter::lexicon::{Format, ParseOptions};
///
/// let opts = ParseOptions { format: Format::Afinn, ..Default::default() };
/// assert!(opts.tokenizer.fold_case);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The text format; [`Format::Auto`] detects it.
    pub format: Format,
    /// How terms are tokenised. Use the configuration the text will be
    /// tokenised with, or terms may never match.
    pub tokenizer: TokenizerConfig,
}

/// Guesses the format of a lexicon text. Never returns [`Format::Auto`].
///
/// A text whose first non-blank line is `%` is LIWC; a text with at
/// least one term line in which every term line is `term<TAB>number` (an
/// integer or a decimal; `#` comments and `#!` directives aside) is
/// AFINN; anything else is native TSV.
///
/// ```
/// use textmeter::lexicon::{detect_format, Format};
///
/// assert_eq!(detect_format(b"%\n1\tposemo\n%\nhappy\t1\n"), Format::LiwcDic);
/// assert_eq!(detect_format(b"abandon\t-2\nabandoned\t-2\n"), Format::Afinn);
/// assert_eq!(detect_format(b"# mine\nsuperb\t4.5\n"), Format::Afinn);
/// assert_eq!(detect_format(b"talks\tdeescalation\n"), Format::Tsv);
/// ```
pub fn detect_format(text: &[u8]) -> Format {
    let first = match Lines::new(text).find(|(_, l)| !is_blank(l)) {
        Some((_, l)) => l,
        None => return Format::Tsv,
    };
    if trim(first) == b"%" {
        return Format::LiwcDic;
    }
    let has_term =
        Lines::new(text).any(|(_, l)| !is_blank(l) && !is_comment(l));
    if has_term && first_non_afinn_line(text).is_none() {
        Format::Afinn
    } else {
        Format::Tsv
    }
}

/// The first line that is neither blank, a comment nor `term<TAB>number`
/// (which every line of an AFINN file is), if any.
fn first_non_afinn_line(text: &[u8]) -> Option<usize> {
    let afinn = |l: &[u8]| {
        let mut f = l.split(|&b| b == b'\t');
        let (_, w, rest) = (f.next(), f.next(), f.next());
        matches!((w, rest), (Some(w), None) if is_number(trim(w)))
    };
    Lines::new(text)
        .find(|(_, l)| !is_blank(l) && !is_comment(l) && !afinn(l))
        .map(|(line, _)| line)
}

/// Whether `s` is a decimal number: `[+-]digits[.digits]` (either run of
/// digits may be empty, not both).
fn is_number(s: &[u8]) -> bool {
    let d = match s.first() {
        Some(b'-' | b'+') => &s[1..],
        _ => s,
    };
    let (int, frac) = match memchr::memchr(b'.', d) {
        Some(i) => (&d[..i], &d[i + 1..]),
        None => (d, &b""[..]),
    };
    (!int.is_empty() || !frac.is_empty())
        && int.iter().chain(frac).all(u8::is_ascii_digit)
}

fn is_blank(l: &[u8]) -> bool {
    l.iter().all(u8::is_ascii_whitespace)
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r'] = s {
        s = rest;
    }
    s
}

/// Lines with their 1-based numbers, `\r\n` and a leading BOM removed.
struct Lines<'t> {
    rest: Option<&'t [u8]>,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t [u8]) -> Self {
        let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
        Lines { rest: Some(text), line: 0 }
    }
}

/// Lines end at LF, CRLF or a lone CR (old Mac files: read as one line,
/// every term would have been refused with a misleading "too many
/// fields" at line 1).
impl<'t> Iterator for Lines<'t> {
    type Item = (usize, &'t [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest?;
        self.line += 1;
        let (l, r) = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => {
                (&rest[..i], Some(&rest[i + 2..]))
            }
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        self.rest = r;
        if r.is_none() && l.is_empty() {
            return None;
        }
        Some((self.line, l))
    }
}

/// Parses a decimal with at most three fractional digits into milli-units,
/// within ±1,000,000.
pub(crate) fn parse_milli(s: &[u8]) -> Option<i32> {
    let s = trim(s);
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match memchr::memchr(b'.', s) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &b""[..]),
    };
    if (int.is_empty() && frac.is_empty())
        || frac.len() > 3
        || int.len() > 7
        || !int.iter().chain(frac).all(u8::is_ascii_digit)
    {
        return None;
    }
    let mut v: i64 = 0;
    for &d in int {
        v = v * 10 + i64::from(d - b'0');
    }
    for k in 0..3 {
        v = v * 10 + frac.get(k).map_or(0, |&d| i64::from(d - b'0'));
    }
    if v > 1_000_000_000 {
        return None;
    }
    let v = if neg { -v } else { v };
    Some(v as i32)
}

/// The tokens of one term: their hashes, and whether the last is a prefix.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TermToks {
    pub(crate) hashes: [u64; MAX_TERM_TOKENS],
    pub(crate) n: usize,
    pub(crate) wild: bool,
    pub(crate) prefix_len: usize,
    /// The first (up to) eight bytes of the last token, as [`first8`]
    /// (for the start filter's prefix keys).
    pub(crate) first8: u64,
    /// The first token's [`root_word_key`] (where its filter bits go).
    pub(crate) root_wkey: u64,
}

fn term_tokens(
    term: &[u8],
    cfg: &TokenizerConfig,
    line: usize,
) -> Result<TermToks, LexiconError> {
    let (body, wild) = match term.strip_suffix(b"*") {
        Some(b) => (b, true),
        None => (term, false),
    };
    let mut t = TermToks { wild, ..TermToks::default() };
    let mut too_many = false;
    for_each_token(body, cfg, |tok| {
        if t.n == MAX_TERM_TOKENS {
            too_many = true;
            return;
        }
        let n = tok.norm();
        t.hashes[t.n] = token_hash(n);
        t.prefix_len = n.len();
        t.first8 = first8(n);
        if t.n == 0 {
            t.root_wkey = root_word_key(n, t.hashes[0]);
        }
        t.n += 1;
    });
    if too_many {
        return Err(LexiconError::at(Kind::TooManyTokens, line));
    }
    if t.n == 0 {
        return Err(LexiconError::at(Kind::EmptyTerm, line));
    }
    if wild && t.prefix_len < 8 {
        // What the matcher probes for a short prefix (see `wild_hash`).
        t.hashes[t.n - 1] = prefix8_key(t.first8, t.prefix_len);
    }
    if wild && t.prefix_len > MAX_WILDCARD_LEN {
        return Err(LexiconError::at(Kind::WildcardTooLong, line));
    }
    Ok(t)
}

/// Where pass one and pass two differ: counting or writing.
trait Sink {
    /// Adds a posting: `cat` is a posting's category field (see
    /// `table.rs`).
    fn term(&mut self, t: &TermToks, cat: u32, weight: i32);
    /// Stores a condition (a mask of category indices) and returns its id.
    fn condition(&mut self, mask: u128) -> u32;
}

#[derive(Default)]
struct Counter {
    tokens: usize,
    postings: usize,
    wild: usize,
    conds: usize,
}

impl Sink for Counter {
    fn term(&mut self, t: &TermToks, _: u32, _: i32) {
        self.wild += usize::from(t.wild);
        self.tokens = self.tokens.saturating_add(t.n);
        self.postings = self.postings.saturating_add(1);
    }

    fn condition(&mut self, _: u128) -> u32 {
        self.conds = self.conds.saturating_add(1);
        0
    }
}

/// The default negators; `*n't` stands for "any token ending in n't".
pub(crate) const DEFAULT_NEGATORS: &[u8] = b"not no never none nobody \
    nothing neither nor without cannot *n't";

/// What the scanner learned besides the terms.
pub(crate) struct Header<'t> {
    pub(crate) format: Format,
    pub(crate) name: &'t [u8],
    pub(crate) negators: &'t [u8],
    pub(crate) window: u32,
    pub(crate) factor_milli: i32,
    pub(crate) cats: [&'t [u8]; MAX_CATEGORIES],
    pub(crate) ncats: usize,
}

impl<'t> Header<'t> {
    fn category(
        &mut self,
        name: &'t [u8],
        line: usize,
    ) -> Result<u32, LexiconError> {
        if let Some(i) =
            self.cats[..self.ncats].iter().position(|&c| c == name)
        {
            return Ok(i as u32);
        }
        if name.is_empty() || name.len() > MAX_NAME_LEN {
            return Err(LexiconError::at(Kind::BadCategoryName, line));
        }
        if self.ncats == MAX_CATEGORIES {
            return Err(LexiconError::at(Kind::TooManyCategories, line));
        }
        self.cats[self.ncats] = name;
        self.ncats += 1;
        Ok(self.ncats as u32 - 1)
    }
}

fn negator_words(list: &[u8]) -> impl Iterator<Item = &[u8]> {
    list.split(u8::is_ascii_whitespace).filter(|w| !w.is_empty())
}

fn check_negators(
    list: &[u8],
    cfg: &TokenizerConfig,
    line: usize,
) -> Result<usize, LexiconError> {
    let mut n = 0;
    for w in negator_words(list) {
        if w != b"*n't" {
            let mut k = 0;
            for_each_token(w, cfg, |_| k += 1);
            if k != 1 {
                return Err(LexiconError::at(Kind::BadDirective, line));
            }
        }
        n += 1;
    }
    Ok(n)
}

/// Whether a TSV or AFINN line holds no term: blank, a `#` comment, or a
/// `#!` directive, which is applied to `h`.
fn no_term<'t>(
    h: &mut Header<'t>,
    l: &'t [u8],
    cfg: &TokenizerConfig,
    line: usize,
) -> Result<bool, LexiconError> {
    if let Some(body) = l.strip_prefix(b"#!") {
        directive(h, body, cfg, line)?;
        return Ok(true);
    }
    Ok(is_blank(l) || is_comment(l))
}

/// Whether `l` is a `#` comment (or a `#!` directive).
fn is_comment(l: &[u8]) -> bool {
    trim(l).first() == Some(&b'#')
}

fn directive<'t>(
    h: &mut Header<'t>,
    body: &'t [u8],
    cfg: &TokenizerConfig,
    line: usize,
) -> Result<(), LexiconError> {
    let bad = LexiconError::at(Kind::BadDirective, line);
    let colon = memchr::memchr(b':', body).ok_or(bad)?;
    let key = trim(&body[..colon]);
    let value = trim(&body[colon + 1..]);
    match key {
        b"name" => {
            if value.is_empty() || value.len() > MAX_NAME_LEN {
                return Err(bad);
            }
            h.name = value;
        }
        b"negators" => {
            check_negators(value, cfg, line)?;
            h.negators = value;
        }
        b"window" => {
            h.window = match parse_milli(value) {
                Some(m) if m >= 0 && m % 1000 == 0 && m <= 1_000_000 => {
                    (m / 1000) as u32
                }
                // Not a weight: the directive's value is bad.
                _ => return Err(bad),
            }
        }
        b"factor" => {
            h.factor_milli = parse_milli(value)
                .ok_or(LexiconError::at(Kind::BadWeight, line))?;
        }
        _ => return Err(bad),
    }
    Ok(())
}

fn scan<'t, S: Sink>(
    text: &'t [u8],
    opts: &ParseOptions,
    sink: &mut S,
) -> Result<Header<'t>, LexiconError> {
    if opts.tokenizer.validate().is_err() {
        return Err(LexiconError::at(Kind::BadTokenizerConfig, 0));
    }
    if let Err(e) = core::str::from_utf8(text) {
        let before = &text[..e.valid_up_to()];
        // Line ends as `Lines` sees them: LF, and CR not before an LF.
        let lone_cr = memchr::memchr_iter(b'\r', before)
            .filter(|&i| text.get(i + 1) != Some(&b'\n'))
            .count();
        let line = 1 + memchr::memchr_iter(b'\n', before).count() + lone_cr;
        return Err(LexiconError::at(Kind::NotUtf8, line));
    }
    let format = match opts.format {
        Format::Auto => detect_format(text),
        f => f,
    };
    let cfg = &opts.tokenizer;
    let mut h = Header {
        format,
        name: match format {
            Format::Afinn => b"afinn",
            Format::LiwcDic => b"liwc",
            _ => b"lexicon",
        },
        negators: DEFAULT_NEGATORS,
        window: 3,
        factor_milli: -1000,
        cats: [&[]; MAX_CATEGORIES],
        ncats: 0,
    };
    match format {
        Format::LiwcDic => scan_liwc(text, cfg, &mut h, sink)?,
        Format::Afinn => {
            // The one category takes the lexicon's name as it is at the
            // first term (a `#! name:` directive may come before).
            let mut named = false;
            for (line, l) in Lines::new(text) {
                if no_term(&mut h, l, cfg, line)? {
                    continue;
                }
                if !named {
                    let name = h.name;
                    h.category(name, line)?;
                    named = true;
                }
                let mut f = l.split(|&b| b == b'\t');
                let term = f.next().unwrap_or_default();
                let w = f
                    .next()
                    .ok_or(LexiconError::at(Kind::MissingTab, line))?;
                if f.next().is_some() {
                    return Err(LexiconError::at(Kind::TooManyFields, line));
                }
                let t = term_tokens(trim(term), cfg, line)?;
                let w = parse_milli(w)
                    .ok_or(LexiconError::at(Kind::BadWeight, line))?;
                sink.term(&t, 0, w);
            }
            if !named {
                let name = h.name;
                h.category(name, 0)?;
            }
        }
        _ => {
            for (line, l) in Lines::new(text) {
                if no_term(&mut h, l, cfg, line)? {
                    continue;
                }
                let mut f = l.split(|&b| b == b'\t');
                let term = f.next().unwrap_or_default();
                let cat = f
                    .next()
                    .ok_or(LexiconError::at(Kind::MissingTab, line))?;
                // Detected as TSV, a number for a category is an AFINN
                // line among lines that are not: read as TSV, every weight
                // would be a category of its own, silently.
                if opts.format == Format::Auto && is_number(trim(cat)) {
                    let odd = first_non_afinn_line(text).unwrap_or(line);
                    return Err(LexiconError::numeric_category(odd, line));
                }
                let w = f.next();
                // Counted before the weight is read: `a<TAB>b<TAB>c<TAB>d`
                // has a field too many, whatever its third field says.
                if f.next().is_some() {
                    return Err(LexiconError::at(Kind::TooManyFields, line));
                }
                let w = match w {
                    Some(w) => parse_milli(w)
                        .ok_or(LexiconError::at(Kind::BadWeight, line))?,
                    None => 1000,
                };
                let t = term_tokens(trim(term), cfg, line)?;
                let cat = h.category(trim(cat), line)?;
                sink.term(&t, cat, w);
            }
        }
    }
    Ok(h)
}

fn parse_id(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u32, |v, &d| v * 10 + u32::from(d - b'0')))
}

fn scan_liwc<'t, S: Sink>(
    text: &'t [u8],
    cfg: &TokenizerConfig,
    h: &mut Header<'t>,
    sink: &mut S,
) -> Result<(), LexiconError> {
    // 0: before the header, 1: inside it, 2: terms.
    let mut state = 0;
    let mut open_line = 0;
    let mut ids = [0u32; MAX_CATEGORIES];
    for (line, l) in Lines::new(text) {
        if is_blank(l) {
            continue;
        }
        let tl = trim(l);
        match state {
            0 => {
                if tl != b"%" {
                    return Err(LexiconError::at(Kind::BadHeader, line));
                }
                state = 1;
                open_line = line;
            }
            1 if tl == b"%" => state = 2,
            1 => {
                // A header line is `id name`, tab or space between: an id
                // alone is a bad header line, not a term missing its tab.
                let split = tl
                    .iter()
                    .position(|&b| b == b'\t' || b == b' ')
                    .ok_or(LexiconError::at(Kind::BadHeader, line))?;
                let id = parse_id(&tl[..split])
                    .ok_or(LexiconError::at(Kind::BadHeader, line))?;
                if ids[..h.ncats].contains(&id) {
                    return Err(LexiconError::at(Kind::BadHeader, line));
                }
                let name = trim(&tl[split..]);
                let before = h.ncats;
                h.category(name, line)?;
                if h.ncats == before {
                    // Two ids with one name: keep them apart as the file
                    // intends by refusing the ambiguity.
                    return Err(LexiconError::at(Kind::BadHeader, line));
                }
                ids[before] = id;
            }
            _ => {
                let tab = memchr::memchr(b'\t', l)
                    .ok_or(LexiconError::at(Kind::MissingTab, line))?;
                let t = term_tokens(trim(&l[..tab]), cfg, line)?;
                let bad = LexiconError::at(Kind::UnknownCategory, line);
                let cat_of = |id: &[u8]| {
                    parse_id(id)
                        .and_then(|id| {
                            ids[..h.ncats].iter().position(|&x| x == id)
                        })
                        .map(|c| c as u32)
                        .ok_or(bad)
                };
                let mut rest = &l[tab + 1..];
                let mut any = false;
                loop {
                    let skip = rest
                        .iter()
                        .position(|b| !b.is_ascii_whitespace())
                        .unwrap_or(rest.len());
                    rest = &rest[skip..];
                    if rest.is_empty() {
                        break;
                    }
                    // A conditional field's parentheses may hold spaces.
                    let from = match rest[0] {
                        b'(' => memchr::memchr(b')', rest).ok_or(bad)?,
                        _ => 0,
                    };
                    let end = rest[from..]
                        .iter()
                        .position(u8::is_ascii_whitespace)
                        .map_or(rest.len(), |e| from + e);
                    let field = &rest[..end];
                    rest = &rest[end..];
                    if from == 0 {
                        sink.term(&t, cat_of(field)?, 1000);
                    } else {
                        let c = (field, from);
                        liwc_conditional(c, bad, &cat_of, &t, sink)?;
                    }
                    any = true;
                }
                if !any {
                    return Err(LexiconError::at(Kind::MissingTab, line));
                }
            }
        }
    }
    if state != 2 {
        return Err(LexiconError::at(Kind::BadHeader, open_line.max(1)));
    }
    Ok(())
}

/// Adds LIWC 2007's conditional category field `(ids)then[/else]`
/// (`close` is the index of its `)`): `then` applies to the term when the
/// token before it is in one of the categories `ids`, `else` (if given)
/// when it is not. LIWC 2007 codes `like` and `kind` so, as in
/// `like  (02 134)125/464`: affect after a pronoun or a discrepancy word
/// (`I like`, `would like`), a filler otherwise (`it was, like, cold`).
fn liwc_conditional<S: Sink>(
    (field, close): (&[u8], usize),
    bad: LexiconError,
    cat_of: &impl Fn(&[u8]) -> Result<u32, LexiconError>,
    t: &TermToks,
    sink: &mut S,
) -> Result<(), LexiconError> {
    let mut mask = 0u128;
    for id in field[1..close]
        .split(u8::is_ascii_whitespace)
        .filter(|s| !s.is_empty())
    {
        mask |= 1 << cat_of(id)?;
    }
    if mask == 0 {
        return Err(bad);
    }
    let after = &field[close + 1..];
    let (then, other) = match memchr::memchr(b'/', after) {
        Some(i) => (&after[..i], Some(&after[i + 1..])),
        None => (after, None),
    };
    let then = cat_of(then)?;
    let other = other.map(cat_of).transpose()?;
    let id = sink.condition(mask) & COND_ID_MASK;
    let cond = COND | id << COND_SHIFT;
    sink.term(t, then | cond, 1000);
    if let Some(c) = other {
        sink.term(t, c | cond | COND_ELSE, 1000);
    }
    Ok(())
}

/// Where each part of the compiled lexicon lives in the caller's bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) slot_cap: usize,
    pub(crate) postings_off: usize,
    pub(crate) postings_cap: usize,
    pub(crate) neg_off: usize,
    pub(crate) filter_off: usize,
    pub(crate) filter_bits: usize,
    pub(crate) cats_off: usize,
    pub(crate) names_off: usize,
    pub(crate) conds_off: usize,
    pub(crate) conds_cap: usize,
    pub(crate) total: usize,
}

fn layout(
    c: &Counter,
    h: &Header<'_>,
    cfg: &TokenizerConfig,
) -> Option<Layout> {
    let pow2 = |n: usize| n.checked_mul(2)?.max(2).checked_next_power_of_two();
    // Node ids must fit in 29 bits, condition ids in 22.
    if c.tokens >= 1 << 27 || c.conds > COND_ID_MASK as usize {
        return None;
    }
    // Negators live in the node table too, as root nodes.
    let negs = check_negators(h.negators, cfg, 0).ok()?;
    let slot_cap = pow2(c.tokens + negs)?;
    let postings_off = slot_cap.checked_mul(SLOT)?;
    let neg_off =
        postings_off.checked_add(c.postings.checked_mul(POSTING)?)?;
    // Filter keys: every term token is at most one exact node or one
    // prefix8 key, a wildcard adds a prefix4 key, a negator one node. About
    // 16 bits per key keep false positives near 1 %.
    let filter_off = neg_off;
    let keys = c.tokens.checked_add(c.wild)?.checked_add(negs)?;
    let filter_bits = keys
        .checked_mul(16)?
        .checked_next_power_of_two()?
        .clamp(FILTER_MIN_BITS, FILTER_MAX_BITS);
    let cats_off = filter_off + filter_bits / 8;
    let names_off = cats_off.checked_add(h.ncats * super::table::CAT)?;
    let names: usize = h.name.len()
        + h.cats[..h.ncats].iter().map(|c| c.len()).sum::<usize>();
    let conds_off = names_off.checked_add(names)?;
    Some(Layout {
        slot_cap,
        postings_off,
        postings_cap: c.postings,
        neg_off,
        filter_off,
        filter_bits,
        cats_off,
        names_off,
        conds_off,
        conds_cap: c.conds,
        total: conds_off.checked_add(c.conds.checked_mul(COND_BYTES)?)?,
    })
}

/// Adds `key` to the start filter; `rest` is the arena after the node
/// table.
fn set_filter(rest: &mut [u8], lay: &Layout, key: u64) {
    set_root_filter(rest, lay, key, key);
}

/// Adds root token `hash` to the start filter, in the word of its
/// [`root_word_key`] `wkey`.
fn set_root_filter(rest: &mut [u8], lay: &Layout, wkey: u64, hash: u64) {
    let (word, _) = filter_bits(wkey, lay.filter_bits / 64 - 1);
    let (_, bits) = filter_bits(hash, lay.filter_bits / 64 - 1);
    let at = lay.filter_off - lay.postings_off + word * 8;
    let v = rd64(rest, at);
    wr64(rest, at, v | bits);
}

struct Writer<'m> {
    mem: &'m mut [u8],
    lay: Layout,
    next_id: u32,
    root_flags: u32,
    wild_lens: u64,
    postings: usize,
    terms: usize,
    conds: usize,
}

impl Sink for Writer<'_> {
    fn condition(&mut self, mask: u128) -> u32 {
        let at = self.lay.conds_off + self.conds * COND_BYTES;
        wr64(self.mem, at, mask as u64);
        wr64(self.mem, at + 8, (mask >> 64) as u64);
        self.conds += 1;
        (self.conds - 1) as u32
    }

    fn term(&mut self, t: &TermToks, cat: u32, weight: i32) {
        let (table, rest) = self.mem.split_at_mut(self.lay.slot_cap * SLOT);
        let mut parent_id = 0u32;
        let mut parent_slot: Option<usize> = None;
        for k in 0..t.n {
            let wild = t.wild && k + 1 == t.n;
            let flag = if wild { WILD_KIDS } else { EXACT_KIDS };
            match parent_slot {
                None => self.root_flags |= flag,
                Some(i) => {
                    let w = rd32(table, i * SLOT + 12);
                    wr32(table, i * SLOT + 12, w | flag);
                }
            }
            let key = child_key(parent_id, wild, t.hashes[k]);
            let node = match find(table, key) {
                Ok(n) => n,
                Err(i) => {
                    let id = if wild {
                        0
                    } else {
                        self.next_id += 1;
                        self.next_id
                    };
                    wr64(table, i * SLOT, key);
                    wr32(table, i * SLOT + 8, 0);
                    wr32(table, i * SLOT + 12, OCCUPIED | id);
                    super::table::Node {
                        index: i,
                        postings: 0,
                        word: OCCUPIED | id,
                    }
                }
            };
            if !wild && k == 0 {
                set_root_filter(rest, &self.lay, t.root_wkey, key);
            } else if !wild {
                set_filter(rest, &self.lay, key);
            }
            parent_id = node.id();
            parent_slot = Some(node.index);
        }
        if t.wild {
            let bit = 1 << (t.prefix_len - 1);
            self.wild_lens |= bit;
            let (x, len) = (t.first8, t.prefix_len);
            set_filter(rest, &self.lay, prefix4_key(x, len));
            set_filter(rest, &self.lay, prefix8_key(x, len));
        }
        let slot = parent_slot.unwrap_or_default();
        let head = rd32(table, slot * SLOT + 8);
        let posts = &mut rest[..self.lay.postings_cap * POSTING];
        // A repeated (term, category) pair: the later weight wins, and
        // of a conditional category (per branch) the later condition.
        let same = !(COND_ID_MASK << COND_SHIFT);
        let mut p = head;
        while p != 0 {
            let at = (p as usize - 1) * POSTING;
            if rd32(posts, at + 8) & same == cat & same {
                wr32(posts, at + 4, weight as u32);
                wr32(posts, at + 8, cat);
                return;
            }
            p = rd32(posts, at);
        }
        if head == 0 {
            self.terms += 1;
        }
        let at = self.postings * POSTING;
        wr32(posts, at, head);
        wr32(posts, at + 4, weight as u32);
        wr32(posts, at + 8, cat);
        self.postings += 1;
        wr32(table, slot * SLOT + 8, self.postings as u32);
    }
}

/// What [`compile`] hands to [`Lexicon`](super::Lexicon).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Meta {
    pub(crate) format: Format,
    pub(crate) tokenizer: TokenizerConfig,
    pub(crate) lay: Layout,
    pub(crate) ncats: usize,
    pub(crate) name_len: usize,
    pub(crate) root_flags: u32,
    pub(crate) wild_lens: u64,
    pub(crate) window: u32,
    pub(crate) factor_milli: i32,
    pub(crate) nt_suffix: bool,
    pub(crate) terms: usize,
}

/// Bytes a text needs, or the first error in it.
pub(crate) fn bytes_needed(
    text: &[u8],
    opts: &ParseOptions,
) -> Result<usize, LexiconError> {
    let mut c = Counter::default();
    let h = scan(text, opts, &mut c)?;
    layout(&c, &h, &opts.tokenizer)
        .map(|l| l.total)
        .ok_or(LexiconError::out_of_memory(usize::MAX, 0))
}

/// Parses `text` into `mem`; returns the metadata of the compiled lexicon.
pub(crate) fn compile(
    text: &[u8],
    opts: &ParseOptions,
    mem: &mut [u8],
) -> Result<Meta, LexiconError> {
    let mut c = Counter::default();
    let h = scan(text, opts, &mut c)?;
    let lay = layout(&c, &h, &opts.tokenizer)
        .ok_or(LexiconError::out_of_memory(usize::MAX, mem.len()))?;
    if mem.len() < lay.total {
        return Err(LexiconError::out_of_memory(lay.total, mem.len()));
    }
    let mem = &mut mem[..lay.total];
    mem.fill(0);
    let mut w = Writer {
        mem,
        lay,
        next_id: 0,
        root_flags: 0,
        wild_lens: 0,
        postings: 0,
        terms: 0,
        conds: 0,
    };
    let h = scan(text, opts, &mut w)?;
    let mem = w.mem;
    let mut nt_suffix = false;
    for word in negator_words(h.negators) {
        if word == b"*n't" {
            nt_suffix = true;
            continue;
        }
        let (table, rest) = mem.split_at_mut(lay.slot_cap * SLOT);
        for_each_token(word, &opts.tokenizer, |t| {
            let h = token_hash(t.norm());
            let n = t.norm();
            let wkey = root_word_key(n, h);
            set_root_filter(rest, &lay, wkey, h);
            match find(table, h) {
                Ok(n) => {
                    let at = n.index * SLOT + 12;
                    wr32(table, at, n.word | NEGATOR);
                }
                Err(i) => {
                    w.next_id += 1;
                    wr64(table, i * SLOT, h);
                    wr32(table, i * SLOT + 12, OCCUPIED | NEGATOR | w.next_id);
                    w.root_flags |= EXACT_KIDS;
                }
            }
        });
    }
    let mut at = lay.names_off;
    mem[at..at + h.name.len()].copy_from_slice(h.name);
    at += h.name.len();
    for (i, c) in h.cats[..h.ncats].iter().enumerate() {
        let e = lay.cats_off + i * super::table::CAT;
        wr32(mem, e, (at - lay.names_off) as u32);
        wr32(mem, e + 4, c.len() as u32);
        mem[at..at + c.len()].copy_from_slice(c);
        at += c.len();
    }
    Ok(Meta {
        format: h.format,
        tokenizer: opts.tokenizer,
        lay,
        ncats: h.ncats,
        name_len: h.name.len(),
        root_flags: w.root_flags,
        wild_lens: w.wild_lens,
        window: h.window,
        factor_milli: h.factor_milli,
        nt_suffix,
        terms: w.terms,
    })
}
