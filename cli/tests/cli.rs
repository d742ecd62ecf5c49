//! Runs the real `textmeter` binary on `seeds/` and checks its output,
//! exit statuses and error messages.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the binary in the workspace root (so paths print as `seeds/…`).
fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_textmeter"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn seed_files() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| format!("seeds/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    v.sort();
    v
}

#[test]
fn golden_json_on_seeds() {
    let out = run(&["--json", "--jobs", "1", "seeds/"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = root().join("testdata/golden/seeds.json");
    if std::env::var_os("TEXTMETER_BLESS").is_some() {
        std::fs::write(&path, &out.stdout).unwrap();
    }
    let golden = std::fs::read(&path).expect("run scripts/regen-golden");
    assert!(
        out.stdout == golden,
        "output differs from testdata/golden/seeds.json \
         (if intended, run scripts/regen-golden)"
    );
    let v = json(&out);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["documents"].as_array().unwrap().len(), 5);
    assert_eq!(v["similarity"].as_array().unwrap().len(), 5);
    assert_eq!(v["total"]["counts"]["tokens"], 3627);
    assert_eq!(v["documents"][0]["path"], "seeds/000_578c3a6d681ebc7b.txt");
    let top = &v["total"]["ngrams"]["2"]["top"][0];
    assert_eq!(top["gram"], serde_json::json!(["on", "february"]));
    let cats = &v["total"]["lexicon"]["categories"];
    assert_eq!(cats["escalation"]["hits"], 122);
}

#[test]
fn jobs_1_equals_jobs_2_equals_default() {
    let one = run(&["--json", "--jobs", "1", "seeds/"], None);
    let two = run(&["--json", "--jobs", "2", "seeds/"], None);
    let all = run(&["--json", "seeds/"], None);
    assert!(one.status.success());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, all.stdout);
    // Overflowing tables (Space-Saving) too: the total is merged in path
    // order whatever the number of jobs.
    let small = ["--json", "--capacity", "50", "seeds/"];
    let one = run(&[&["--jobs", "1"], &small[..]].concat(), None);
    let two = run(&[&["--jobs", "2"], &small[..]].concat(), None);
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(json(&one)["total"]["ngrams"]["3"]["exact"], false);
}

#[test]
fn stdin_equals_file() {
    for file in seed_files() {
        let text = std::fs::read(root().join(&file)).unwrap();
        let from_file = json(&run(&["--json", &file], None));
        for args in [&["--json", "-"][..], &["--json"][..]] {
            let mut from_stdin = json(&run(args, Some(&text)));
            assert_eq!(from_stdin["documents"][0]["path"], "-");
            from_stdin["documents"][0]["path"] = file.clone().into();
            assert_eq!(from_stdin, from_file, "{file}");
        }
    }
}

#[test]
fn missing_file_is_reported_and_the_others_still_are() {
    let files = seed_files();
    let out = run(&["--json", &files[0], "seeds/nope.txt", &files[1]], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("seeds/nope.txt"), "{err}");
    let v = json(&out);
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1]["path"], files[1].as_str());
    // The human report too.
    let out = run(&["seeds/nope.txt", &files[0]], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Counts"));
    // A name with an escape sequence (here a terminal title) is not
    // written raw to the terminal.
    let out = run(&["seeds/\x1b]0;pwned\x07"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("seeds/\u{fffd}]0;pwned\u{fffd}: "), "{err:?}");
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_in_a_directory_is_reported() {
    let dir = doc_dir("dangling", &["one two".into(), "three".into()]);
    std::os::unix::fs::symlink(dir.join("gone.txt"), dir.join("001b.txt"))
        .unwrap();
    let out = run(&["--json", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("001b.txt: symlink target"), "{err}");
    let docs = json(&out)["documents"].as_array().unwrap().clone();
    assert_eq!(docs.len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs the binary with its stdout (and stderr, with `close_stderr`)
/// closed by the reader before it writes, as `| head` does; every case
/// writes more than a pipe buffer holds.
fn run_into_closed_pipe(args: &[&str], close_stderr: bool) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_textmeter"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(if close_stderr { Stdio::piped() } else { Stdio::null() })
        .spawn()
        .expect("binary runs");
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().unwrap().code()
}

#[test]
fn a_closed_pipe_ends_the_run_quietly_unless_something_failed() {
    let big = ["--json", "--top", "100000", "seeds/"];
    assert_eq!(run_into_closed_pipe(&big, false), Some(0), "json");
    assert_eq!(run_into_closed_pipe(&big[1..], false), Some(0), "human");
    let tokens = ["tokens", "seeds/", "seeds/", "seeds/", "seeds/"];
    assert_eq!(run_into_closed_pipe(&tokens, false), Some(0), "tokens");
    // A missing file still fails the run, and a closed stderr does not
    // turn its message into a panic (exit status 101).
    let failing = ["--json", "--top", "100000", "seeds/nope.txt", "seeds/"];
    assert_eq!(run_into_closed_pipe(&failing, true), Some(1), "json");
    assert_eq!(run_into_closed_pipe(&failing[1..], true), Some(1), "human");
    let failing = ["tokens", "seeds/nope.txt", "seeds/", "seeds/", "seeds/"];
    assert_eq!(run_into_closed_pipe(&failing, true), Some(1), "tokens");
}

#[test]
fn invalid_lexicon_says_file_line_and_reason() {
    let dir =
        std::env::temp_dir().join(format!("tm-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lex = dir.join("bad.tsv");
    std::fs::write(&lex, "talks\tdeescalation\nattack\tescalation\tx1\n")
        .unwrap();
    let lex = lex.to_str().unwrap();
    let out = run(&["--lexicon", lex, "seeds/"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(lex) && err.contains("line 2"), "{err}");
    assert!(err.contains("weight"), "{err}");
    assert!(out.stdout.is_empty());
    // A lexicon that cannot be read is exit 2 as well.
    let out = run(&["--lexicon", "no/such.tsv", "seeds/"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .starts_with("textmeter: cannot read lexicon no/such.tsv: "),
        "{}",
        stderr(&out)
    );
    // A format for the built-in lexicon, which is TSV, is a mistake.
    let out = run(&["--lexicon-format", "liwc", "seeds/"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--lexicon-format is for lexicon files"));
    let out = run(&["--lexicon-format", "tsv", "--json", "seeds/"], None);
    assert!(out.status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        &["--ngrams", "0..3"][..],
        &["--ngrams", "3..2"],
        &["--ngrams", "1..9"],
        &["--top", "ten"],
        &["--capacity", "0"],
        &["--jobs", "0"],
        &["--lexicon-format", "xml"],
        &["--frobnicate"],
    ] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("error:"), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

/// The largest `--capacity` is a valid configuration: it runs where the
/// memory can be reserved, and otherwise says how much it wanted and what
/// to lower (it was refused as "pool above 2^32 - 2 bytes").
#[test]
fn the_largest_capacity_runs_or_says_what_memory_it_needs() {
    let out = run(&["--json", "--capacity", "268435456", "seeds/"], None);
    if out.status.success() {
        assert_eq!(json(&out)["config"]["capacity"], 268_435_456);
    } else {
        assert_eq!(out.status.code(), Some(1));
        let e = stderr(&out);
        assert!(e.starts_with("textmeter: cannot map "), "{e}");
        assert!(e.contains("GB for an analyzer"), "{e}");
        assert!(e.contains("--capacity entries per n; lower either"), "{e}");
    }
}

#[test]
fn binary_input_is_analysed_not_rejected() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let out = run(&["--json"], Some(&bytes));
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["total"]["counts"]["bytes"], 4096);
    assert_eq!(v["total"]["counts"]["invalid_bytes"], 2048);
}

#[test]
fn options_reach_the_report() {
    let file = &seed_files()[2];
    let out = run(
        &[
            "--json",
            "--ngrams",
            "2",
            "--top",
            "3",
            "--lexicon",
            "none",
            "--no-fold",
            file,
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["config"]["ngrams"], serde_json::json!([2, 2]));
    assert_eq!(v["config"]["lexicon"], Value::Null);
    assert_eq!(v["config"]["fold_case"], false);
    let doc = &v["documents"][0];
    assert_eq!(doc["lexicon"], Value::Null);
    assert!(doc["ngrams"]["1"].is_null());
    assert_eq!(doc["ngrams"]["2"]["top"].as_array().unwrap().len(), 3);
    let neg = json(&run(&["--json", "--no-negation", file], None));
    let esc = &neg["total"]["lexicon"]["categories"]["escalation"];
    assert_eq!(esc["negated"], 0);
}

#[test]
fn human_report_shows_tables_and_similarity_without_colour() {
    let out = run(&["seeds/"], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in
        ["Counts", "Lexicon news-stance", "Top 2-grams", "Similarity", "[5]"]
    {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    assert!(text.contains("most alike: [1] and [2]"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when stdout is a pipe");
    assert!(text.lines().all(|l| l.width() <= 120), "{text}");
}

/// Two documents without a 3-gram are not "alike" in the human matrix.
#[test]
fn documents_without_3_grams_are_not_shown_as_alike() {
    let dir = doc_dir(
        "nograms",
        &["hi".into(), "yo".into(), "one two three four".into()],
    );
    let out = run(&[dir.to_str().unwrap()], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let matrix = text.split_once("Similarity").unwrap().1;
    assert!(matrix.contains("[1]       —   n/a  0.00"), "{matrix}");
    assert!(matrix.contains("n/a: neither document has a 3-gram"));
    assert!(!matrix.contains("1.00"), "{matrix}");
    assert!(!matrix.contains("most alike"), "{matrix}");
    // The JSON keeps the convention (1 for two empty sets) and says why
    // in the schema's documentation.
    let v = json(&run(&["--json", dir.to_str().unwrap()], None));
    assert_eq!(v["similarity"][0][1], 1.0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Text that would steer a terminal (escape sequences, carriage returns,
/// bidirectional overrides), in the documents or the lexicon's name, is
/// not printed raw, and columns stay aligned when cells hold wide
/// (Chinese) characters.
#[test]
fn human_report_is_safe_and_aligned_on_a_terminal() {
    let docs = [
        "\x1b[31m红色\x1b[0m title\twith\rcontrols \u{202e}txet\n\
         李白 作者 李白 作者 李白 作者 将军 将军\n"
            .to_string(),
        "plain words and plain words again\n".to_string(),
    ];
    let dir = doc_dir("terminal", &docs);
    let lex = dir.with_extension("tsv");
    std::fs::write(
        &lex,
        "#! name: abc\u{202e}def\x07\x1b[31mRED\tx\nwords\tcalm\n",
    )
    .unwrap();
    let out = run(
        &["--lexicon", lex.to_str().unwrap(), dir.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    for c in text.chars() {
        assert!(
            c == '\n'
                || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{c:?} printed raw:\n{text}"
        );
    }
    assert!(text.contains("\u{fffd}[31m红色"), "{text}");
    assert!(text.contains("Lexicon abc\u{fffd}def\u{fffd}\u{fffd}[31mRED x"));
    // Every row of a table ends at the same terminal column: the cells
    // are right-aligned and the last column is the total.
    let top = text.split("Top 1-grams\n").nth(1).unwrap();
    let rows: Vec<&str> = top.lines().take_while(|l| !l.is_empty()).collect();
    assert!(rows.len() > 3, "{text}");
    let widths: Vec<usize> = rows.iter().map(|l| l.width()).collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{widths:?}\n{top}");
    assert!(text.lines().all(|l| l.width() <= 120), "{text}");
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_file(lex);
}

/// Six documents (the most shown side by side) with long paths and a
/// lexicon with a long name: every line within 120 terminal columns, the
/// file names kept (a long path loses its front).
#[test]
fn human_report_keeps_within_120_columns() {
    let docs: Vec<String> = (0..6)
        .map(|i| format!("talks {i} resume, troops pull back\n"))
        .collect();
    let tag =
        "a-directory-name-long-enough-to-push-every-legend-line-past-the-\
               edge-of-a-120-column-terminal-by-itself-and-more";
    let dir = doc_dir(tag, &docs);
    let name = "n".repeat(64);
    let lex = dir.join("lex.tsv");
    std::fs::write(&lex, format!("#! name: {name}\ntalks\tdeescalation\n"))
        .unwrap();
    let out = run(
        &[
            "--lexicon",
            lex.to_str().unwrap(),
            dir.join("000.txt").to_str().unwrap(),
            dir.join("001.txt").to_str().unwrap(),
            dir.join("002.txt").to_str().unwrap(),
            dir.join("003.txt").to_str().unwrap(),
            dir.join("004.txt").to_str().unwrap(),
            dir.join("005.txt").to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| l.width() <= 120), "{text}");
    assert!(text.contains("[6] …") && text.contains("005.txt"), "{text}");
    let top = text.split("Top 1-grams\n").nth(1).unwrap();
    let rows: Vec<&str> = top.lines().take_while(|l| !l.is_empty()).collect();
    assert!(rows.iter().all(|l| l.width() == rows[0].width()), "{top}");
    let _ = std::fs::remove_dir_all(dir);
}

/// `tokens --raw` on a line longer than the 1 MiB buffer: a token across
/// the buffer's end keeps its original bytes (it printed normalised), and
/// a token longer than the buffer says on stderr that it may not.
#[test]
fn raw_tokens_of_lines_longer_than_the_buffer() {
    let mut line = "x ".repeat(524_287);
    line.push_str("HELLOWORLD\n");
    let out = run(&["tokens", "--raw", "-"], Some(line.as_bytes()));
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().last(), Some("HELLOWORLD"));
    let long = "Y".repeat((1 << 20) + 10) + "\n";
    let out = run(&["tokens", "--raw", "-"], Some(long.as_bytes()));
    assert!(out.status.success());
    assert!(
        stderr(&out)
            .contains("a token longer than 1 MiB may print normalised"),
        "{}",
        stderr(&out)
    );
}

/// A document's title is its first non-blank line whatever its reads
/// return: a pipe whose first line arrives in two writes gave only the
/// first write's part.
#[test]
fn the_title_does_not_depend_on_how_stdin_arrives() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_textmeter"))
        .args(["-", "seeds/000_578c3a6d681ebc7b.txt"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(b"\n\nHeadline of").unwrap();
    pipe.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    pipe.write_all(b" the story\nBody text.\n").unwrap();
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[1] -  Headline of the story\n"), "{text}");
}

#[test]
fn tokens_lists_normalised_or_raw_tokens() {
    let file = &seed_files()[2];
    let out = run(&["tokens", file], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("russia\nsays\ntalks\n"), "{text}");
    let n = text.lines().count();
    let v = json(&run(&["--json", file], None));
    assert_eq!(v["total"]["counts"]["tokens"], n as u64);
    let raw = run(&["tokens", "--raw", file], None);
    assert!(String::from_utf8(raw.stdout).unwrap().starts_with("Russia\n"));
    let stdin = run(&["tokens", "-"], Some(b"Don\xe2\x80\x99t PANIC.\n"));
    assert_eq!(stdin.stdout, b"don't\npanic\n");
    let missing = run(&["tokens", "nope.txt"], None);
    assert_eq!(missing.status.code(), Some(1));
}

/// One input with `--jobs 2` runs the largest `n` on its own thread; the
/// report must be byte for byte the one-thread report, with tables that
/// overflow too, from a file and from stdin, for several ranges.
#[test]
fn one_input_split_over_two_threads_equals_one_thread() {
    let file = &seed_files()[0];
    let all: Vec<u8> = seed_files()
        .iter()
        .flat_map(|f| std::fs::read(root().join(f)).unwrap())
        .collect();
    for extra in [
        &[][..],
        &["--capacity", "50"][..],
        &["--ngrams", "1..4", "--capacity", "30"][..],
        &["--ngrams", "2..3", "--capacity", "40", "--lexicon", "none"][..],
        &["--ngrams", "2..2"][..],
    ] {
        fn with<'a>(
            jobs: &'a str,
            extra: &[&'a str],
            path: &'a str,
        ) -> Vec<&'a str> {
            [&["--json", "--jobs", jobs][..], extra, &[path][..]].concat()
        }
        let one = run(&with("1", extra, file), None);
        assert!(one.status.success(), "{}", stderr(&one));
        let two = run(&with("2", extra, file), None);
        assert_eq!(one.stdout, two.stdout, "{extra:?}");
        let one = run(&with("1", extra, "-"), Some(&all));
        let two = run(&with("2", extra, "-"), Some(&all));
        assert!(two.status.success(), "{}", stderr(&two));
        assert_eq!(one.stdout, two.stdout, "stdin {extra:?}");
        if extra.contains(&"50") {
            assert_eq!(json(&two)["total"]["ngrams"]["3"]["exact"], false);
        }
    }
}

/// Writes `docs` into a fresh directory under the system's temporary one.
fn doc_dir(tag: &str, docs: &[String]) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("tm-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (i, d) in docs.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:03}.txt")), d).unwrap();
    }
    dir
}

#[test]
fn many_documents_list_the_most_alike_pairs_instead_of_a_matrix() {
    // 40 documents cut from the seeds, every third repeating part of the
    // one before (so some pairs share text), and one with no 3-gram.
    let text: String = seed_files()
        .iter()
        .map(|f| std::fs::read_to_string(root().join(f)).unwrap())
        .collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut docs: Vec<String> =
        (0..39).map(|i| words[i * 60..i * 60 + 60].join(" ")).collect();
    for i in (2..39).step_by(3) {
        docs[i] = format!("{} {}", &docs[i - 1][..200], docs[i]);
    }
    docs.push("Two words".into());
    let dir = doc_dir("many", &docs);
    let d = dir.to_str().unwrap();

    let out = run(&[d], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(human.lines().all(|l| l.chars().count() <= 120), "{human}");
    assert!(!human.contains("[40]  "), "no matrix header for 40 documents");
    let listed = human
        .split_once("the 10 most alike of 780 pairs")
        .expect("most alike pairs")
        .1;
    // The first pair listed is the most alike of the JSON matrix.
    let v = json(&run(&["--json", "--jobs", "1", d], None));
    let m: Vec<Vec<f64>> = serde_json::from_value(v["similarity"].clone())
        .expect("a matrix of numbers");
    assert_eq!(m.len(), 40);
    let mut best = (0.0, 0, 0);
    for (i, row) in m.iter().enumerate() {
        assert_eq!(row.len(), 40);
        assert_eq!(row[i], 1.0);
        for (j, &s) in row.iter().enumerate() {
            assert_eq!(s, m[j][i], "symmetric");
            if j > i && s > best.0 {
                best = (s, i, j);
            }
        }
    }
    assert!(best.0 > 0.2, "documents that repeat text are alike");
    let first = format!(
        "{:>5.0}%  [{}] and [{}]",
        best.0 * 100.0,
        best.1 + 1,
        best.2 + 1
    );
    assert!(listed.lines().nth(1) == Some(first.as_str()), "{listed}");
    // Threads change nothing.
    let two = run(&["--json", "--jobs", "2", d], None);
    assert_eq!(json(&two), v);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn more_documents_than_the_output_holds_stay_in_order() {
    // 200 documents, more than the 64 finished reports the output lets
    // wait, with unreadable inputs among them (`/proc/self/mem` opens but
    // fails to read): every number of jobs prints the same documents in
    // input order and the same errors in input order.
    let docs: Vec<String> = (0..200)
        .map(|i| format!("document {i} says {} and {}", i % 7, i % 11))
        .collect();
    let dir = doc_dir("ordered", &docs);
    let mut args: Vec<String> = vec!["--json".into(), "--jobs".into()];
    let files: Vec<String> = (0..200)
        .map(|i| dir.join(format!("{i:03}.txt")).display().to_string())
        .collect();
    let mut inputs = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if i % 67 == 5 {
            inputs.push("/proc/self/mem".to_string());
        }
        inputs.push(f.clone());
    }
    let mut outs = Vec::new();
    for jobs in ["1", "2", "3"] {
        args.truncate(2);
        args.push(jobs.into());
        args.extend(inputs.iter().cloned());
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&a, None);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let v = json(&out);
        let paths: Vec<&str> = v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, files, "every readable document, in order");
        assert_eq!(v["similarity"].as_array().unwrap().len(), 200);
        assert_eq!(stderr(&out).matches("/proc/self/mem: ").count(), 3);
        outs.push((out.stdout, out.stderr));
    }
    assert!(outs.windows(2).all(|w| w[0] == w[1]), "jobs change nothing");
    let _ = std::fs::remove_dir_all(&dir);
}
