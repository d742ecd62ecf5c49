//! Owned results of one analyzer, and their JSON and human renderings.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use serde_json::{json, Map, Value};
use textmeter::analyzer::Analyzer;
use textmeter::counts::Counts;
use textmeter::ngram::Entry;

use crate::similarity::Similarity;

/// The top n-grams of one table.
pub struct NgramReport {
    pub n: usize,
    pub total: u64,
    pub exact: bool,
    /// (tokens, or `None` when the table could not keep the bytes; count;
    /// error).
    pub top: Vec<(Option<Vec<String>>, u64, u64)>,
}

/// One lexicon category.
pub struct CategoryReport {
    pub name: String,
    pub hits: u64,
    pub negated: u64,
    pub score: f64,
    pub per_1k: f64,
    pub hits_per_1k: f64,
}

/// What is reported about one document or the total, copied out of an
/// analyzer so the analyzer (and its arena) can be reused.
pub struct Report {
    pub counts: Counts,
    pub types: u64,
    pub types_exact: bool,
    pub ngrams: Vec<NgramReport>,
    pub lexicon: Option<(String, Vec<CategoryReport>)>,
    pub signature: Vec<u64>,
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Report {
    /// Copies the results of `a` (which should be at a document end).
    pub fn of(a: &Analyzer<'_, '_>, top: usize) -> Report {
        let cfg = a.config().ngrams();
        let mut ngrams = Vec::new();
        for n in cfg.lo() as usize..=cfg.hi() as usize {
            let t = a.ngrams().table(n).expect("n in range");
            let mut entries = vec![Entry::default(); top.min(t.len())];
            let k = t.top_into(&mut entries);
            let top = entries[..k]
                .iter()
                .map(|e| {
                    let gram =
                        e.gram().map(|g| g.tokens().map(lossy).collect());
                    (gram, e.count(), e.error())
                })
                .collect();
            ngrams.push(NgramReport {
                n,
                total: t.total(),
                exact: t.is_exact(),
                top,
            });
        }
        let lexicon = a.scores().map(|s| {
            let name = lossy(a.lexicon().expect("scores imply one").name());
            let cats = s
                .iter()
                .map(|c| CategoryReport {
                    name: lossy(c.name()),
                    hits: c.hits(),
                    negated: c.negated(),
                    score: c.score(),
                    per_1k: c.per_1k(),
                    hits_per_1k: c.hits_per_1k(),
                })
                .collect();
            (name, cats)
        });
        let (types, types_exact) =
            a.types().map_or((0, false), |t| (t.types(), t.types_exact()));
        Report {
            counts: a.counts(),
            types,
            types_exact,
            ngrams,
            lexicon,
            signature: a
                .signature()
                .map_or(Vec::new(), |s| s.hashes().collect()),
        }
    }

    /// The `<report>` object of JSON schema 1.
    pub fn to_json(&self) -> Value {
        let c = &self.counts;
        let mut ngrams = Map::new();
        for t in &self.ngrams {
            let top: Vec<Value> = t
                .top
                .iter()
                .map(|(gram, count, error)| {
                    json!({"gram": gram, "count": count, "error": error})
                })
                .collect();
            ngrams.insert(
                t.n.to_string(),
                json!({"total": t.total, "exact": t.exact, "top": top}),
            );
        }
        let lexicon = match &self.lexicon {
            None => Value::Null,
            Some((name, cats)) => {
                let mut m = Map::new();
                for k in cats {
                    m.insert(
                        k.name.clone(),
                        json!({
                            "hits": k.hits,
                            "negated": k.negated,
                            "score": k.score,
                            "per_1k": k.per_1k,
                            "hits_per_1k": k.hits_per_1k,
                        }),
                    );
                }
                json!({"name": name, "categories": m})
            }
        };
        json!({
            "counts": {
                "bytes": c.bytes,
                "chars": c.chars,
                "lines": c.lines,
                "tokens": c.tokens,
                "words": c.words,
                "numbers": c.numbers,
                "types": self.types,
                "types_exact": self.types_exact,
                "invalid_bytes": c.invalid_bytes,
                "truncated_tokens": c.truncated_tokens,
                "max_token_len": c.max_token_len,
            },
            "ngrams": ngrams,
            "lexicon": lexicon,
        })
    }
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn head(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn hot(&self, s: &str) -> String {
        self.paint("1;33", s)
    }
}

/// Text from a document, a file name or a lexicon as it may be shown on a
/// terminal: control characters (an escape sequence in the text would
/// recolour or move the cursor; a tab or carriage return breaks the
/// columns) and the bidirectional embeddings, overrides and isolates (they
/// reorder what follows them) become U+FFFD; tabs, carriage returns and
/// line feeds a space. The JSON report keeps the text as it is (JSON
/// escapes control characters).
pub fn printable(s: &str) -> Cow<'_, str> {
    fn shown(c: char) -> Option<char> {
        match c {
            '\t' | '\r' | '\n' => Some(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                Some(char::REPLACEMENT_CHARACTER)
            }
            c if c.is_control() => Some(char::REPLACEMENT_CHARACTER),
            _ => None,
        }
    }
    if s.chars().all(|c| shown(c).is_none()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| shown(c).unwrap_or(c)).collect())
}

/// Terminal columns `s` takes: two for wide (East Asian) characters, none
/// for combining marks.
fn columns(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Made [`printable`], truncated to `w` terminal columns (with `…`), then
/// padded to `w` columns, right-aligned when `right`. Columns, not chars:
/// a Chinese n-gram takes twice the room of its char count.
fn fit(s: &str, w: usize, right: bool) -> String {
    let s = printable(s);
    let s = if columns(&s) > w {
        // One column for the `…`.
        let mut t: String = within(s.chars(), w.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        s.into_owned()
    };
    let pad = " ".repeat(w.saturating_sub(columns(&s)));
    if right {
        pad + &s
    } else {
        s + &pad
    }
}

/// Made [`printable`] and, beyond `w` terminal columns, cut at the front
/// to `…` and its last `w - 1` columns (a path's file name is its end).
fn fit_tail(s: &str, w: usize) -> String {
    let s = printable(s);
    if columns(&s) <= w {
        return s.into_owned();
    }
    let kept: Vec<char> =
        within(s.chars().rev(), w.saturating_sub(1)).collect();
    core::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// The leading `chars` that fit in `room` terminal columns.
fn within(
    chars: impl Iterator<Item = char>,
    room: usize,
) -> impl Iterator<Item = char> {
    let mut used = 0;
    chars.take_while(move |c| {
        used += c.width().unwrap_or(0);
        used <= room
    })
}

/// Thousands separators: 1234567 → 1,234,567.
fn num(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One labelled document (or the total) in the human report.
pub struct Column<'r> {
    pub label: String,
    pub report: &'r Report,
}

const LABEL: usize = 16;

/// Terminal columns the human report keeps within.
const WIDTH: usize = 120;

/// The human report: a side-by-side table of counts, lexicon categories
/// and top n-grams with one column per document (and the total), then the
/// similarity matrix.
pub fn human(
    header: &str,
    legend: &[(String, String)],
    cols: &[Column<'_>],
    sim: Option<(&Similarity<'_>, usize)>,
    sig_k: usize,
    style: Style,
) -> String {
    let mut o = String::new();
    // Each column is a space and `w` cells: 120 in all at most (seven
    // columns, six documents and the total, leave 13 cells each).
    let w = ((WIDTH - LABEL) / cols.len()).saturating_sub(1).min(24);
    let header = fit(header, WIDTH, false);
    let _ = writeln!(o, "{}", style.head(header.trim_end()));
    if legend.len() > 1 {
        o.push('\n');
        for (i, (path, title)) in legend.iter().enumerate() {
            // A long path keeps its end (the file name), and the title
            // what room is left, if enough to be worth showing.
            let label = format!("[{}] ", i + 1);
            let path = fit_tail(path, WIDTH - columns(&label));
            let room = (WIDTH - columns(&label) - columns(&path))
                .saturating_sub(2)
                .min(70);
            let t = if title.is_empty() || room < 12 {
                String::new()
            } else {
                format!("  {}", style.dim(fit(title, room, false).trim_end()))
            };
            let _ = writeln!(o, "{label}{path}{t}");
        }
    }
    let row = |o: &mut String, label: &str, cells: &[String]| {
        let mut line = fit(label, LABEL, false);
        for c in cells {
            line.push(' ');
            line.push_str(&fit(c, w, true));
        }
        let _ = writeln!(o, "{}", line.trim_end());
    };
    let heads: Vec<String> = cols.iter().map(|c| c.label.clone()).collect();

    let _ = writeln!(o, "\n{}", style.head("Counts"));
    row(&mut o, "", &heads);
    type Get = fn(&Report) -> String;
    let lines: [(&str, Get); 8] = [
        ("bytes", |r| num(r.counts.bytes)),
        ("lines", |r| num(r.counts.lines)),
        ("tokens", |r| num(r.counts.tokens)),
        ("words", |r| num(r.counts.words)),
        ("numbers", |r| num(r.counts.numbers)),
        ("types", |r| {
            let t = num(r.types);
            if r.types_exact {
                t
            } else {
                format!("~{t}")
            }
        }),
        ("invalid bytes", |r| num(r.counts.invalid_bytes)),
        ("truncated", |r| num(r.counts.truncated_tokens)),
    ];
    for (label, get) in lines {
        let cells: Vec<String> = cols.iter().map(|c| get(c.report)).collect();
        if label == "truncated" && cells.iter().all(|c| c == "0") {
            continue;
        }
        row(&mut o, label, &cells);
    }

    if let Some((name, cats)) = &cols[0].report.lexicon {
        let _ = writeln!(
            o,
            "\n{} {}",
            style.head(&format!("Lexicon {}", printable(name))),
            style.dim("(hits, score per 1k tokens)")
        );
        row(&mut o, "", &heads);
        for (i, cat) in cats.iter().enumerate() {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| match &c.report.lexicon {
                    Some((_, cs)) => {
                        format!("{} {:+.1}", cs[i].hits, cs[i].per_1k)
                    }
                    None => String::new(),
                })
                .collect();
            row(&mut o, &cat.name, &cells);
        }
    }

    let nranges = cols[0].report.ngrams.len();
    for t in 0..nranges {
        let n = cols[0].report.ngrams[t].n;
        let approx = cols.iter().any(|c| !c.report.ngrams[t].exact);
        let note = if approx { " (~: approximate count)" } else { "" };
        let _ = writeln!(
            o,
            "\n{}{}",
            style.head(&format!("Top {n}-grams")),
            style.dim(note)
        );
        row(&mut o, "", &heads);
        let k = cols.iter().map(|c| c.report.ngrams[t].top.len()).max();
        for rank in 0..k.unwrap_or(0) {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| {
                    let nr = &c.report.ngrams[t];
                    let Some((gram, count, err)) = nr.top.get(rank) else {
                        return String::new();
                    };
                    let g = gram.as_ref().map_or("?".into(), |g| g.join(" "));
                    let tilde = if *err > 0 { "~" } else { "" };
                    let c = format!(" {tilde}{count}");
                    // Truncate the gram, never the count.
                    let room = w.saturating_sub(columns(&c));
                    format!("{}{c}", fit(&g, room, false).trim_end())
                })
                .collect();
            row(&mut o, &format!("{:>3}", rank + 1), &cells);
        }
    }

    if let Some((sim, jobs)) = sim {
        let _ = writeln!(
            o,
            "\n{} {}",
            style.head("Similarity"),
            style.dim(&format!(
                "(estimated Jaccard of word 3-grams, MinHash k={sig_k})"
            ))
        );
        if sim.len() <= MATRIX_DOCS {
            matrix(&mut o, sim, style);
        } else {
            most_alike(&mut o, sim, jobs);
        }
    }
    o
}

/// The most documents whose similarity matrix is printed: 19 columns of
/// 6 characters after the 5 of the row labels fit in 120. Beyond, the
/// report lists the most alike pairs instead.
const MATRIX_DOCS: usize = 19;

/// How many pairs [`most_alike`] lists.
const ALIKE_PAIRS: usize = 10;

/// The similarity matrix, and the pair most alike.
fn matrix(o: &mut String, sim: &Similarity<'_>, style: Style) {
    let mut line = " ".repeat(5);
    for j in 0..sim.len() {
        line.push_str(&fit(&format!("[{}]", j + 1), 6, true));
    }
    let _ = writeln!(o, "{line}");
    let mut best = (0.0, 0, 0);
    let mut undefined = false;
    let mut i = 0;
    let _ = sim.rows(1, |r| {
        let mut line = fit(&format!("[{}]", i + 1), 5, false);
        for (j, &v) in r.iter().enumerate() {
            let cell = fit(&format!("{v:.2}"), 6, true);
            // The Jaccard index of two empty sets is 1 by convention only
            // (the JSON keeps it): a reader of "1.00" would take two
            // one-line notes for copies.
            let neither = !sim.has_grams(i) && !sim.has_grams(j);
            line.push_str(&if i == j {
                style.dim(&fit("—", 6, true))
            } else if neither {
                undefined = true;
                style.dim(&fit("n/a", 6, true))
            } else if v >= 0.2 {
                style.hot(&cell)
            } else if v < 0.005 {
                style.dim(&cell)
            } else {
                cell
            });
            if j > i && v > best.0 && !neither {
                best = (v, i, j);
            }
        }
        let _ = writeln!(o, "{line}");
        i += 1;
        Ok::<(), ()>(())
    });
    if undefined {
        let _ = writeln!(o, "n/a: neither document has a 3-gram");
    }
    if best.0 > 0.0 {
        let _ = writeln!(
            o,
            "most alike: [{}] and [{}], {:.0}% of their 3-grams shared",
            best.1 + 1,
            best.2 + 1,
            best.0 * 100.0
        );
    }
}

/// The most alike pairs of documents, for more documents than a matrix
/// can show.
fn most_alike(o: &mut String, sim: &Similarity<'_>, jobs: usize) {
    let n = sim.len();
    let pairs = sim.most_alike(ALIKE_PAIRS, jobs);
    let all = n as u64 * (n as u64 - 1) / 2;
    if pairs.is_empty() {
        let _ = writeln!(o, "no pair of the {n} documents shares a 3-gram");
        return;
    }
    let _ = writeln!(
        o,
        "the {} most alike of {} pairs (documents without 3-grams left out):",
        pairs.len(),
        num(all)
    );
    for p in pairs {
        let _ = writeln!(
            o,
            "{:>5.0}%  [{}] and [{}]",
            p.estimate * 100.0,
            p.a + 1,
            p.b + 1
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{columns, fit, fit_tail, printable};

    #[test]
    fn control_and_bidi_characters_are_not_shown_raw() {
        assert_eq!(printable("plain text, même"), "plain text, même");
        assert_eq!(
            printable("a\x1b[31mb\u{7}\tc\r\u{85}d\u{202e}e\u{2066}"),
            "a\u{fffd}[31mb\u{fffd} c \u{fffd}d\u{fffd}e\u{fffd}"
        );
    }

    #[test]
    fn cells_are_measured_in_terminal_columns() {
        // Two Han characters take four columns: padded to 6 with two
        // spaces, not four.
        assert_eq!(fit("李白", 6, true), "  李白");
        assert_eq!(columns(&fit("李白", 6, false)), 6);
        // Truncation keeps whole wide characters and fits the `…`.
        assert_eq!(fit("作者将军", 6, false), "作者… ");
        assert_eq!(fit("abcdefgh", 5, false), "abcd…");
        // A combining accent takes no column of its own.
        assert_eq!(fit("e\u{301}", 3, true), "  e\u{301}");
        // Control characters are replaced before measuring.
        assert_eq!(fit("a\x1bb", 4, false), "a\u{fffd}b ");
    }

    #[test]
    fn long_paths_keep_their_end() {
        assert_eq!(fit_tail("a/b.txt", 7), "a/b.txt");
        assert_eq!(fit_tail("dir/sub/file.txt", 9), "…file.txt");
        assert_eq!(fit_tail("目录/文件.txt", 9), "…文件.txt");
    }
}
