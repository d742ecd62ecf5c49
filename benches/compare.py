#!/usr/bin/env python3
"""Times textmeter against other word counters, each as a whole process.

Every peer runs on the same input file: one warm-up run, then --runs timed
runs; the table shows the median wall time as MB/s (10^6 bytes per second),
the largest peak RSS of the timed runs (GNU time's %M when installed, else
os.wait4's ru_maxrss), and the
ratio of the peer's median time to textmeter's (above 1: textmeter is that
many times faster). Peers that cannot run here (a missing module or binary)
are listed as "skipped: <reason>", never dropped.

    python3 benches/compare.py --venv           # makes benches/.venv first
    python3 benches/compare.py --input /tmp/bench-corpus.txt
    python3 benches/compare.py --quick          # seeds only: a smoke test

Standard library only. The Python peers run with --python (default: the
interpreter running this script); --venv creates `benches/.venv` with
scikit-learn and NLTK (one `pip install`), installs the textmeter package
from `python/` into it (unless --no-build) and uses it. The scikit-learn,
NLTK and textmeter-Python rows run when that interpreter can import them,
and are reported as skipped otherwise. The Rust peers (the `textmeter`
CLI, textmeter-count, unicode-words) are built with `cargo build --release
-p textmeter-cli -p textmeter-bench --bins` unless --no-build is given.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
MB = 1e6

# Peer programs run with `python -c`, the input path as argv[1]. Each
# prints a short summary so a wrong result is visible in the table.
PY_SPLIT_COUNTER = """\
import sys
from collections import Counter
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    c = Counter(f.read().split())
print(sum(c.values()), len(c))
"""

PY_REGEX_NGRAMS = """\
import re, sys
from collections import Counter
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    toks = re.findall(r"\\w+", f.read().lower())
c = Counter(toks)
c.update(zip(toks, toks[1:]))
c.update(zip(toks, toks[1:], toks[2:]))
print(len(toks), len(c))
"""

# One document per line, as `fit_transform(open(path))` reads a file.
PY_SKLEARN = """\
import sys
from sklearn.feature_extraction.text import CountVectorizer
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    m = CountVectorizer(ngram_range=(1, 3)).fit_transform(f)
print(m.sum(), m.shape[1])
"""

# The textmeter Python package (python/): one call on the file, with the
# package's defaults (the CLI's: counts, 1..=3-grams, news-stance).
PY_TEXTMETER = """\
import sys, textmeter
if hasattr(textmeter, "analyze_file"):
    r = textmeter.analyze_file(sys.argv[1])
else:
    with open(sys.argv[1], "rb") as f:
        r = textmeter.analyze(f.read())
c = getattr(r, "counts", None)
print("tokens", getattr(c, "tokens", "?"), "types", getattr(c, "types", "?"))
"""

# RegexpTokenizer needs no NLTK data download (word_tokenize would).
PY_NLTK = """\
import sys
from nltk import FreqDist, ngrams
from nltk.tokenize import RegexpTokenizer
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    toks = RegexpTokenizer(r"\\w+").tokenize(f.read().lower())
fd = FreqDist(toks)
fd.update(ngrams(toks, 2))
fd.update(ngrams(toks, 3))
print(fd.N(), fd.B())
"""

# AFINN-style scoring: regex tokens, one dict lookup each, summed scores.
PY_AFINN = """\
import re, sys
LEXICON = {
    "abandon": -2, "admire": 3, "afraid": -2, "agree": 1, "anger": -3,
    "angry": -3, "bad": -3, "beautiful": 3, "best": 3, "better": 2,
    "blessed": 3, "brave": 2, "crisis": -3, "cruel": -3, "dead": -3,
    "death": -2, "destroy": -3, "evil": -3, "fail": -2, "fear": -2,
    "fight": -1, "glad": 3, "glory": 2, "good": 3, "great": 3,
    "happy": 3, "hate": -3, "help": 2, "hope": 2, "joy": 3, "kill": -3,
    "love": 3, "mercy": 2, "peace": 2, "praise": 3, "sad": -2,
    "sin": -2, "strong": 2, "terrible": -3, "threat": -2, "war": -2,
    "weak": -2, "wicked": -3, "win": 4, "wise": 2, "wrong": -2,
}
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    toks = re.findall(r"[a-z']+", f.read().lower())
get = LEXICON.get
hits = [s for s in map(get, toks) if s is not None]
print(len(toks), len(hits), sum(hits))
"""


@dataclass
class Peer:
    """One row: a command line, or the reason it cannot run here."""

    name: str
    what: str
    argv: list[str] = field(default_factory=list)
    env: Optional[dict[str, str]] = None
    skip: Optional[str] = None
    is_textmeter: bool = False


@dataclass
class Result:
    peer: Peer
    times: list[float]
    peak_rss: int  # bytes
    output: str
    cpu: list[float] = field(default_factory=list)  # user + sys seconds


# The interpreter the Python peers run with (--python / --venv).
PYTHON = sys.executable


def have_module(name: str) -> Optional[str]:
    """None when PYTHON can import `name`, else why not."""
    if PYTHON == sys.executable and importlib.util.find_spec(name) is None:
        return f"python module {name} not installed for {PYTHON}"
    probe = subprocess.run([PYTHON, "-c", f"import {name}"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"`import {name}` fails for {PYTHON}: {last[:120]}"
    return None


def python_peer(name: str, what: str, code: str, inp: Path,
                needs: tuple[str, ...] = (),
                is_textmeter: bool = False) -> Peer:
    for m in needs:
        why = have_module(m)
        if why:
            return Peer(name, what, skip=why, is_textmeter=is_textmeter)
    return Peer(name, what, [PYTHON, "-c", code, str(inp)],
                is_textmeter=is_textmeter)


def binary_peer(name: str, what: str, exe: Path, inp: Path,
                is_textmeter: bool = False) -> Peer:
    if not exe.is_file():
        return Peer(name, what, skip=f"{exe} not built",
                    is_textmeter=is_textmeter)
    return Peer(name, what, [str(exe), str(inp)], is_textmeter=is_textmeter)


def cli_peer(jobs: int, exe: Path, inp: Path) -> Peer:
    name = f"textmeter CLI --jobs {jobs}"
    what = ("full pipeline with the defaults (counts, 1..=3-grams at "
            "65,536 entries per n, signature, news-stance lexicon), "
            f"{'one job' if jobs == 1 else f'{jobs} jobs'}")
    if not exe.is_file():
        return Peer(name, what, skip=f"{exe} not built", is_textmeter=True)
    return Peer(name, what,
                [str(exe), "--json", "--quiet", "--jobs", str(jobs),
                 str(inp)], is_textmeter=True)


def peers(inp: Path, bin_dir: Path) -> list[Peer]:
    # The first textmeter row is the one ratios are taken against.
    rows = [
        cli_peer(1, bin_dir / "textmeter", inp),
        cli_peer(2, bin_dir / "textmeter", inp),
        python_peer("textmeter (Python)",
                    "the Python package: textmeter.analyze_file(path), "
                    "defaults as the CLI", PY_TEXTMETER, inp,
                    needs=("textmeter",), is_textmeter=True),
        binary_peer("textmeter core (count)",
                    "textmeter::counts::TokenCounter over the file in "
                    "1 MiB reads (tokenize + counts; no n-grams, no "
                    "lexicon)",
                    bin_dir / "textmeter-count", inp, is_textmeter=True),
    ]
    wc = shutil.which("wc")
    rows.append(
        Peer("LC_ALL=C wc -w", "coreutils word count",
             [wc, "-w", str(inp)], env={**os.environ, "LC_ALL": "C"})
        if wc else Peer("LC_ALL=C wc -w", "coreutils word count",
                        skip="wc not found on PATH"))
    rows += [
        binary_peer("unicode-words",
                    "unicode-segmentation unicode_words().count() "
                    "(same UAX #29 rules as textmeter)",
                    bin_dir / "unicode-words", inp),
        python_peer("Python Counter(str.split())",
                    "whitespace tokens", PY_SPLIT_COUNTER, inp),
        python_peer("Python Counter \\w+ 1..3-grams",
                    "lowercased \\w+ tokens, 1..3-gram zips",
                    PY_REGEX_NGRAMS, inp),
        python_peer("scikit-learn CountVectorizer(1, 3)",
                    "ngram_range=(1, 3), one document per line",
                    PY_SKLEARN, inp, needs=("sklearn",)),
        python_peer("NLTK ngrams + FreqDist",
                    "RegexpTokenizer(\\w+), 1..3-grams",
                    PY_NLTK, inp, needs=("nltk",)),
        python_peer("AFINN-style lexicon (Python)",
                    "regex tokens + dict lookup, 46 words",
                    PY_AFINN, inp),
    ]
    return rows


def gnu_time() -> Optional[str]:
    """GNU time's path, if installed: see run_once for why it is used."""
    exe = shutil.which("time") or "/usr/bin/time"
    if not os.path.isfile(exe):
        return None
    try:
        probe = subprocess.run([exe, "--version"], capture_output=True,
                               text=True, timeout=10)
    except OSError:
        return None
    return exe if "GNU" in probe.stdout + probe.stderr else None


GNU_TIME = gnu_time()
RSS_METHOD = (
    "GNU time `%M` (the peer's own peak RSS)" if GNU_TIME else
    "os.wait4 ru_maxrss; NOTE: without GNU time this includes this "
    "script's RSS as a floor (Linux keeps the pre-exec peak)")


def run_once(peer: Peer) -> tuple[float, int, str, float]:
    """Runs the peer once: (wall seconds, peak RSS bytes, stdout, user +
    sys CPU seconds of the peer and its children)."""
    # NOTE: a child's ru_maxrss on Linux keeps the peak of the memory it
    # had before exec, which for a child of Python is Python's own RSS
    # (13+ MB), so `wc -w` would look as large as Python. GNU time is a
    # small C parent, so its %M is the peer's own figure; its cost (one
    # extra fork+exec, about a millisecond) is the same for every row.
    # Output goes to files, not pipes: os.wait4 must reap the child itself
    # (Popen.communicate would), and a full pipe could block the child.
    with tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        argv = peer.argv
        if GNU_TIME:
            argv = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=peer.env, stdout=out,
                                stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace").strip()
        if code != 0:
            msg = err.read().decode(errors="replace").strip()[-300:]
            raise RuntimeError(f"exit status {code}: {msg}")
        peak = usage.ru_maxrss * 1024
        if GNU_TIME:
            peak = int(rss.read().split()[-1]) * 1024
        cpu = usage.ru_utime + usage.ru_stime
    return elapsed, peak, text, cpu


def measure(peer: Peer, runs: int) -> Result:
    run_once(peer)  # warm-up: page cache, imports compiled to .pyc
    times, cpus, rss, out = [], [], 0, ""
    for _ in range(runs):
        t, r, out, cpu = run_once(peer)
        times.append(t)
        cpus.append(cpu)
        rss = max(rss, r)
    return Result(peer, times, rss, out, cpus)


def describe(path: Path) -> tuple[int, str, float]:
    """Size, SHA-256 prefix and non-ASCII byte share, read in chunks so
    this process stays small (see RSS_METHOD)."""
    size, high, digest = 0, 0, hashlib.sha256()
    ascii_only = bytes(range(128))
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            size += len(chunk)
            high += len(chunk.translate(None, ascii_only))
            digest.update(chunk)
    return size, digest.hexdigest()[:16], high / max(size, 1)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def build(bin_dir: Path) -> None:
    cargo = shutil.which("cargo")
    if cargo is None:
        print("note: cargo not found; using binaries already in "
              f"{bin_dir}", file=sys.stderr)
        return
    subprocess.run([cargo, "build", "--release", "--quiet", "-p",
                    "textmeter-cli", "-p", "textmeter-bench", "--bins"],
                   cwd=ROOT, check=True)


def make_venv(path: Path, install_textmeter: bool) -> Path:
    """Creates (once) a venv with scikit-learn and NLTK; its python.
    With `install_textmeter`, also (re)installs the textmeter package
    from `python/`, so that its row measures this checkout and not
    whatever an earlier run left there."""
    py = path / "bin" / "python"
    if not py.is_file():
        subprocess.run([sys.executable, "-m", "venv", str(path)],
                       check=True)
    probe = subprocess.run([str(py), "-c", "import sklearn, nltk"],
                           capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(py), "-m", "pip", "install", "--quiet",
                        "scikit-learn", "nltk"], check=True)
    if install_textmeter:
        print("installing the textmeter package from python/ into "
              f"{path}", file=sys.stderr)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet",
                        "--force-reinstall", "--no-deps",
                        str(ROOT / "python")], check=True)
    return py


def show_command(peer: Peer) -> str:
    """The peer's command line, with `python -c` programs named, not
    inlined."""
    argv = peer.argv
    if len(argv) > 2 and argv[1] == "-c":
        argv = [argv[0], "-c", f"<{peer.name} program>", *argv[3:]]
    prefix = "LC_ALL=C " if peer.env else ""
    return prefix + shlex.join(argv)


def notes(results: list, size: int) -> list[str]:
    """The closing note: the targets (issues #3, #7, #8) this run can
    check, each met or MISSED on median wall time and on median CPU time
    (on a loaded machine the two can disagree); a missing row says so."""
    by_name = {r.peer.name: r for r in results if isinstance(r, Result)}

    def med(name: str) -> Optional[tuple[float, float]]:
        r = by_name.get(name)
        if r is None:
            return None
        return statistics.median(r.times), statistics.median(r.cpu)

    cli = med("textmeter CLI --jobs 1")
    cli2 = med("textmeter CLI --jobs 2")
    count = med("textmeter core (count)")
    wc, uw = med("LC_ALL=C wc -w"), med("unicode-words")
    sk = med("scikit-learn CountVectorizer(1, 3)")
    ctr = med("Python Counter \\w+ 1..3-grams")
    lines = ["", "## Targets", "",
             f"Whole-process medians on this input ({size / MB:.2f} MB), "
             "as wall time and as CPU time (user + system); \"n/a\" when "
             "a row did not run.", ""]

    def verdict(ok_wall: bool, ok_cpu: bool) -> str:
        if ok_wall and ok_cpu:
            return "met"
        if ok_wall or ok_cpu:
            return f"met on {'wall' if ok_wall else 'CPU'} time only"
        return "MISSED"

    def ratio(text: str, slow: Optional[tuple[float, float]],
              fast: Optional[tuple[float, float]], want: float) -> None:
        """`slow` over `fast` must reach `want`."""
        if slow is None or fast is None:
            lines.append(f"- {text}: n/a (a row is missing).")
            return
        w, c = slow[0] / fast[0], slow[1] / max(fast[1], 1e-9)
        lines.append(f"- {text}: wall {w:.2f}x, CPU {c:.2f}x: "
                     f"{verdict(w >= want, c >= want)}.")

    ratio("tokenize + counts >= 20x unicode-segmentation `unicode_words` "
          "(unicode-words over textmeter core (count))", uw, count, 20)
    if count:
        rw, rc = size / count[0] / MB, size / max(count[1], 1e-9) / MB
        lines.append(
            "- tokenize + counts >= 1 GB/s (whole process: file read and "
            "process start included; the criterion `counts` group has the "
            f"in-process figure): wall {rw:.0f} MB/s, CPU {rc:.0f} MB/s: "
            f"{verdict(rw >= 1000, rc >= 1000)}.")
    ratio("full pipeline, CLI --jobs 1, at least `LC_ALL=C wc -w`'s "
          "speed (wc's time over the CLI's)", wc, cli, 1)
    ratio("CLI --jobs 2 (one input file: one worker counts the largest "
          "n, the other the rest) at least `wc -w`'s speed", wc, cli2, 1)
    ratio(">= 100x scikit-learn CountVectorizer(ngram_range=(1, 3))",
          sk, cli, 100)
    ratio(">= 40x the Python Counter 1..3-gram baseline", ctr, cli, 40)
    cli_r = by_name.get("textmeter CLI --jobs 1")
    py = [r for r in by_name.values()
          if r.peer.argv[1:2] == ["-c"] and not r.peer.is_textmeter]
    if cli_r and py:
        lowest = min(py, key=lambda r: r.peak_rss)
        ok = cli_r.peak_rss < lowest.peak_rss
        lines.append(
            f"- peak RSS below every Python peer's: "
            f"{cli_r.peak_rss / MB:.1f} MB vs the lowest Python peer "
            f"({lowest.peer.name}) {lowest.peak_rss / MB:.1f} MB: "
            f"{'met' if ok else 'MISSED'}.")
    if cli_r and size >= 50 * MB:
        ok = cli_r.peak_rss < 200 * MB
        lines.append(
            "- issue #7 (>= 50 MB input): CLI `--json --jobs 1` under "
            f"200 MB peak RSS: {cli_r.peak_rss / MB:.1f} MB: "
            f"{'met' if ok else 'MISSED'}.")
    return lines


def profile(peer: Peer) -> list[str]:
    """Top symbols of one `perf record` run of the peer, for the closing
    note (issue #8 asks for the profile that explains a missed target)."""
    perf = shutil.which("perf")
    if perf is None:
        return ["skipped: perf not installed"]
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "perf.data")
        rec = subprocess.run([perf, "record", "-q", "-F", "2000", "-o",
                              data, *peer.argv], capture_output=True,
                             text=True, env=peer.env)
        if rec.returncode != 0:
            return [f"skipped: perf record failed: {rec.stderr.strip()}"]
        rep = subprocess.run([perf, "report", "-i", data, "--stdio",
                              "--no-children", "--sort", "symbol"],
                             capture_output=True, text=True)
    rows = []
    for line in rep.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].endswith("%"):
            rows.append(f"{parts[0]:>7} {parts[1]} {parts[2]}")
    return rows[:8] or ["skipped: perf report printed nothing"]


def fmt_table(results: list, size: int) -> list[str]:
    base = next((r for r in results
                 if isinstance(r, Result) and r.peer.is_textmeter), None)
    base_t = statistics.median(base.times) if base else None
    lines = [
        "| peer | what | median s | MB/s | CPU s | peak MB "
        "| × textmeter time | output or reason |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if isinstance(r, Peer):
            lines.append(f"| {r.name} | {r.what} | – | – | – | – | – "
                         f"| skipped: {r.skip} |")
            continue
        t = statistics.median(r.times)
        shown = r.output
        if shown.startswith("{"):
            # textmeter-count's JSON: the token count is the comparable.
            # The CLI's JSON: its total's counts.
            try:
                c = json.loads(shown)
                c = c["total"]["counts"] if "total" in c else c
                shown = f"tokens {c['tokens']}, words {c['words']}"
            except (ValueError, KeyError, TypeError):
                pass
        ratio = f"{t / base_t:.1f}" if base_t else "–"
        lines.append(
            f"| {r.peer.name} | {r.peer.what} | {t:.3f} "
            f"| {size / t / MB:.1f} | {statistics.median(r.cpu):.3f} "
            f"| {r.peak_rss / MB:.1f} | {ratio} "
            f"| `{shown[:40]}` |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path,
                    help="text file to count (default: ../shared/corpus/"
                    "*.txt and seeds/*.txt concatenated, else "
                    "target/corpus/combined/corpus.txt from "
                    "scripts/make-corpus)")
    ap.add_argument("--runs", type=int, default=3,
                    help="timed runs per peer after one warm-up (>= 3)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test on the seeds (22 KB)")
    ap.add_argument("--out", type=Path,
                    help="write a RESULTS.md here (default: "
                    "benches/RESULTS.md, or nothing with --quick)")
    ap.add_argument("--bin-dir", type=Path,
                    help="where the Rust peers are (default: "
                    "$CARGO_TARGET_DIR/release or target/release)")
    ap.add_argument("--profile", action="store_true",
                    help="add a perf profile of the textmeter row to "
                    "the report")
    ap.add_argument("--no-build", action="store_true",
                    help="do not run cargo build first")
    ap.add_argument("--peers", metavar="REGEX",
                    help="run only the peers whose name matches (the "
                    "others are listed as not selected)")
    ap.add_argument("--python", type=Path,
                    help="interpreter for the Python peers (default: "
                    "this one)")
    ap.add_argument("--venv", nargs="?", const=ROOT / "benches/.venv",
                    type=Path, metavar="DIR",
                    help="create DIR (default benches/.venv) with "
                    "scikit-learn and NLTK if needed, install the textmeter "
                    "package from python/ (unless --no-build) and use its "
                    "python")
    args = ap.parse_args()
    global PYTHON
    if args.venv is not None:
        PYTHON = str(make_venv(args.venv, not args.no_build))
    if args.python is not None:
        PYTHON = str(args.python)
    if args.runs < 3 and not args.quick:
        ap.error("--runs must be at least 3 (medians of fewer mislead)")

    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    bin_dir = args.bin_dir or target / "release"
    if not args.no_build:
        build(bin_dir)

    tmp = None
    if args.quick and args.input is None:
        tmp = tempfile.NamedTemporaryFile(suffix=".txt", delete=False)
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            tmp.write(seed.read_bytes())
        tmp.close()
        inp = Path(tmp.name)
        desc = "seeds/*.txt"
    elif args.input is not None:
        inp = args.input
        desc = str(inp)
    else:
        corpus = ROOT.parent / "shared" / "corpus"
        made = ROOT / "target" / "corpus" / "combined" / "corpus.txt"
        if not corpus.is_dir() and not made.is_file():
            ap.error("no --input, no ../shared/corpus and no "
                     f"{made.relative_to(ROOT)}: run scripts/make-corpus")
        tmp = tempfile.NamedTemporaryFile(suffix=".txt", delete=False)
        files = [made]
        if corpus.is_dir():
            files = sorted(corpus.glob("*.txt")) + sorted(
                (ROOT / "seeds").glob("*.txt"))
        for f in files:
            with open(f, "rb") as src:  # streamed: keeps this process small
                shutil.copyfileobj(src, tmp)
        tmp.close()
        desc = ("../shared/corpus/*.txt + seeds/*.txt" if corpus.is_dir()
                else str(made.relative_to(ROOT)))
        inp = Path(tmp.name)

    size, sha, non_ascii = describe(inp)

    load_start = os.getloadavg()[0]
    results: list = []
    failed = False
    for peer in peers(inp, bin_dir):
        if args.peers and not peer.skip and not re.search(args.peers,
                                                          peer.name):
            peer.skip = f"not selected (--peers {args.peers!r})"
        if peer.skip:
            print(f"{peer.name}: skipped: {peer.skip}", file=sys.stderr)
            results.append(peer)
            continue
        print(f"{peer.name} ...", file=sys.stderr, flush=True)
        try:
            results.append(measure(peer, args.runs))
        except (RuntimeError, OSError) as e:
            failed = True
            results.append(Peer(peer.name, peer.what, skip=f"failed: {e}"))

    when = datetime.datetime.now(datetime.timezone.utc)
    machine = (f"{cpu_model()}, {os.cpu_count()} logical cores, "
               f"load average {load_start:.2f} at start of run, "
               f"{os.getloadavg()[0]:.2f} at end; Linux {platform.release()}; Python "
               f"{platform.python_version()}; {when:%Y-%m-%d %H:%M} UTC")
    input_line = (f"`{desc}` (concatenated into `{inp}`)"
                  if desc != str(inp) else f"`{inp}`")
    input_line += (f": {size:,} bytes, {non_ascii:.1%} non-ASCII "
                  f"bytes, sha256 {sha}…; median of {args.runs} runs after "
                  f"one warm-up")
    table = fmt_table(results, size)
    print()
    print(f"Machine: {machine}")
    print(f"Input: {input_line}")
    print("\n".join(table))

    out = args.out or (None if args.quick else ROOT / "benches/RESULTS.md")
    if out is not None:
        cmd = shlex.join(["python3", "benches/compare.py", *sys.argv[1:]])
        commands = [f"    {show_command(r.peer)}" for r in results
                    if isinstance(r, Result)]
        text = "\n".join([
            "# Whole-process comparison",
            "",
            "Written by `benches/compare.py`; rerun it to refresh.",
            "",
            f"- Machine: {machine}",
            f"- Input: {input_line}",
            "- MB = 10^6 bytes. Peak MB is the process's peak RSS, from "
            f"{RSS_METHOD}. The ratio is the peer's median time over the "
            "first textmeter row's: above 1, textmeter is faster. CPU s "
            "is the median user + system time (from `wait4`), which the "
            "other load on a shared machine inflates less than wall time.",
            "",
            *table,
            "",
            "Commands (`LC_ALL=C` is set for `wc`; Python peers run with "
            "the interpreter shown):",
            "",
            f"    {cmd}",
            *commands,
            "",
        ])
        base = next((r for r in results if isinstance(r, Result)
                     and r.peer.is_textmeter), None)
        prof = []
        if args.profile and base is not None:
            prof = ["", f"Profile of `{base.peer.name}` (one `perf record "
                    "-F 2000` run, self time by symbol; the tokenizer is "
                    "inlined into its caller):", "", "```",
                    *profile(base.peer), "```"]
        programs = [*prof, "", "## Python peer programs", ""]
        for r in results:
            if isinstance(r, Result) and r.peer.argv[1:2] == ["-c"]:
                programs += [f"<details><summary>{r.peer.name}</summary>",
                             "", "```python", r.peer.argv[2].rstrip(),
                             "```", "", "</details>", ""]
        out.write_text(text + "\n".join(notes(results, size) + programs))
        print(f"\nwrote {out}", file=sys.stderr)
    if tmp is not None:
        os.unlink(tmp.name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
