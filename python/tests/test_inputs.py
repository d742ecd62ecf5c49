"""Input kinds, wrong types, bad lexicons, empty and invalid input."""

import mmap
import os
import pathlib
import subprocess
import sys

import pytest

import textmeter


def test_every_text_kind_gives_the_same_report(seed_bytes, tmp_path):
    b = seed_bytes[1]
    want = textmeter.analyze(b)
    assert textmeter.analyze(b.decode()) == want
    assert textmeter.analyze(bytearray(b)) == want
    assert textmeter.analyze(memoryview(b)) == want
    p = tmp_path / "doc.txt"
    p.write_bytes(b)
    with open(p, "rb") as f, mmap.mmap(f.fileno(), 0,
                                       access=mmap.ACCESS_READ) as m:
        assert textmeter.analyze(m) == want
    r = textmeter.analyze_file(p)
    assert r == want and r.path == str(p)
    assert textmeter.analyze_file(str(p)) == want


def test_any_buffer_of_bytes_and_text_with_lone_surrogates_are_analysed():
    import array
    import ctypes

    want = textmeter.analyze(b"ab cd")
    assert textmeter.analyze(memoryview(b"ab cd").cast("b")) == want
    assert textmeter.analyze(array.array("b", b"ab cd")) == want
    assert textmeter.analyze(ctypes.create_string_buffer(b"ab cd", 5)) == want
    assert textmeter.analyze(memoryview(b"abcdef")[::2]) == (
        textmeter.analyze(b"ace"))
    # A lone surrogate is the invalid bytes surrogatepass gives it (it was
    # a UnicodeEncodeError).
    r = textmeter.analyze("a\ud800b cd")
    assert r == textmeter.analyze(b"a\xed\xa0\x80b cd")
    assert (r.counts.invalid_bytes, r.counts.tokens) == (3, 3)
    assert textmeter.tokens("a\udcffb") == ["a", "b"]
    with pytest.raises(TypeError, match="one-byte items; this array has "
                                        "items of format 'i'"):
        textmeter.analyze(array.array("i", [1, 2]))
    view = memoryview(b"ab")
    view.release()
    with pytest.raises(ValueError, match="released"):
        textmeter.analyze(view)


def test_a_path_with_a_null_byte_is_a_value_error():
    with pytest.raises(ValueError, match="embedded null byte"):
        textmeter.analyze_file("doc\0.txt")
    with pytest.raises(ValueError, match="embedded null byte"):
        textmeter.Lexicon.from_path("lex\0.tsv")


@pytest.mark.parametrize("bad", [None, 42, 1.5, ["a"], object(),
                                 pathlib.Path("x.txt")])
def test_analyze_rejects_other_types(bad):
    with pytest.raises(TypeError, match="analyze"):
        textmeter.analyze(bad)


@pytest.mark.parametrize("kwargs", [
    dict(ngrams="1..3"), dict(ngrams=(1, "3")), dict(ngrams=True),
    dict(top=1.0), dict(top=None), dict(capacity="10"), dict(capacity=True),
    dict(fold_case=1), dict(negation="yes"), dict(lexicon=3),
])
def test_options_reject_other_types(kwargs):
    with pytest.raises(TypeError):
        textmeter.analyze("x", **kwargs)
    with pytest.raises(TypeError):
        textmeter.Analyzer(**kwargs)


@pytest.mark.parametrize("kwargs", [
    dict(ngrams=(0, 2)), dict(ngrams=(3, 2)), dict(ngrams=9),
    dict(capacity=0), dict(top=-1), dict(lexicon="no-such-lexicon"),
])
def test_options_reject_bad_values(kwargs):
    with pytest.raises(ValueError):
        textmeter.analyze("x", **kwargs)


def test_other_type_errors(tmp_path):
    with pytest.raises(TypeError):
        textmeter.analyze_file(b"/etc/hostname")
    with pytest.raises(TypeError):
        textmeter.analyze_file(3)
    with pytest.raises(TypeError):
        textmeter.analyze_files("abc")
    with pytest.raises(TypeError):
        textmeter.analyze_files([tmp_path], workers="2")
    with pytest.raises(TypeError):
        textmeter.tokens(5)
    with pytest.raises(TypeError):
        textmeter.tokens("x", raw=1)
    with pytest.raises(TypeError):
        textmeter.similarity(textmeter.analyze("a b c"), "a b c")
    with pytest.raises(TypeError):
        textmeter.Analyzer().update(None)
    with pytest.raises(TypeError):
        textmeter.Lexicon.from_string(3)
    with pytest.raises(TypeError):
        textmeter.Lexicon("x")
    with pytest.raises(TypeError):
        textmeter.merge([textmeter.analyze("x"), "y"])


def test_missing_file_raises_oserror(tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(FileNotFoundError) as e:
        textmeter.analyze_file(missing)
    assert e.value.filename == str(missing)
    ok = tmp_path / "ok.txt"
    ok.write_text("fine")
    with pytest.raises(FileNotFoundError):
        textmeter.analyze_files([ok, missing])


def test_empty_input():
    r = textmeter.analyze(b"")
    c = r.counts
    assert (c.tokens, c.bytes, c.types, c.types_exact) == (0, 0, 0, True)
    assert all(r.top(n) == [] for n in (1, 2, 3))
    assert all(s.hits == 0 and s.per_1k == 0.0 for s in r.scores.values())
    assert textmeter.tokens("") == []
    assert textmeter.similarity(r, r) == 1.0
    assert textmeter.analyze("") == r
    assert textmeter.analyze_files([]).reports == []


def test_invalid_utf8_is_counted_not_rejected():
    r = textmeter.analyze(b"caf\xe9 ok\xff\xfe troops")
    c = r.counts
    assert c.invalid_bytes == 3
    assert c.tokens == 3 and c.bytes == 16
    assert textmeter.tokens(b"caf\xe9 ok\xff\xfe troops") == [
        "caf", "ok", "troops"]


def test_tokens_normalised_and_raw():
    text = "U.S. officials can’t say; Russia’s 130,000 troops"
    assert textmeter.tokens(text) == [
        "u.s", "officials", "can't", "say", "russia's", "130,000", "troops"]
    assert textmeter.tokens(text, raw=True)[2] == "can’t"
    assert textmeter.tokens(text, fold_case=False)[0] == "U.S"


def test_no_lexicon_and_no_fold():
    r = textmeter.analyze("Talks TALKS talks", lexicon=None, fold_case=False,
                          ngrams=1)
    assert r.scores == {} and r.lexicon_name is None
    assert r.to_dict()["lexicon"] is None
    assert r.top(1) == [(("TALKS",), 1), (("Talks",), 1), (("talks",), 1)]
    with pytest.raises(ValueError):
        r.top(2)
    # The built-in lexicon compiles with fold_case=False too.
    r = textmeter.analyze("They attack", fold_case=False)
    assert r.scores["escalation"].hits == 1


BAD_LEXICONS = [
    ("talks\tcalm\nattack escalation\n", 2, "missing_tab"),
    ("# c\n\ntalks\tcalm\tx1\n", 3, "bad_weight"),
    ("a\tb\t1\textra\n", 1, "too_many_fields"),
    ("#! bogus: 1\n", 1, "bad_directive"),
    ("--\tcalm\n", 1, "empty_term"),
]


@pytest.mark.parametrize("text,line,kind", BAD_LEXICONS)
def test_bad_lexicon_reports_the_line(text, line, kind, tmp_path):
    with pytest.raises(textmeter.LexiconError) as e:
        textmeter.Lexicon.from_string(text)
    assert isinstance(e.value, ValueError)
    assert e.value.line == line and e.value.kind == kind
    assert str(e.value).startswith(f"line {line}: ")
    p = tmp_path / "bad.tsv"
    p.write_text(text)
    with pytest.raises(textmeter.LexiconError) as f:
        textmeter.Lexicon.from_path(p)
    # From a file, the message names it, as the CLI's does.
    assert str(f.value) == f"{p}: {e.value}"
    assert (f.value.line, f.value.kind) == (line, kind)


def test_lexicon_formats(tmp_path):
    liwc = "%\n1\tposemo\n2\tnegemo\n%\nhappy\t1\nhurt*\t2\n"
    lex = textmeter.Lexicon.from_string(liwc)
    assert lex.format == "liwc" and lex.categories == ["posemo", "negemo"]
    afinn = textmeter.Lexicon.from_string(b"good\t3\nbad\t-3\n", "afinn")
    assert afinn.format == "afinn" and afinn.name == "afinn"
    r = textmeter.analyze("not bad, quite good", lexicon=afinn)
    assert r.scores["afinn"].hits == 2
    p = tmp_path / "x.dic"
    p.write_text(liwc)
    assert textmeter.Lexicon.from_path(p) == lex
    assert textmeter.Lexicon.from_path(os.fspath(p)).term_count == 2
    with pytest.raises(ValueError):
        textmeter.Lexicon.from_string("a\tb\n", "xml")
    b = textmeter.Lexicon.builtin("news-stance")
    assert b.name == "news-stance" and "escalation" in b.categories
    with pytest.raises(ValueError):
        textmeter.Lexicon.builtin("other")


@pytest.mark.skipif(sys.platform != "linux", reason="uses RLIMIT_AS")
def test_out_of_memory_is_a_memory_error_not_a_crash():
    # Under a 2 GB address-space limit, a 2^24-entry arena (about 3.5 GB)
    # cannot be allocated: Python gets a MemoryError, the process lives.
    code = (
        "import resource, textmeter\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "try:\n"
        "    textmeter.analyze('x', capacity=1 << 24)\n"
        "except MemoryError as e:\n"
        "    print('MemoryError', e)\n"
        "print(textmeter.analyze('still alive').counts.tokens)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("MemoryError cannot allocate an arena of ")
    assert out.endswith("\n2\n")


def test_errors_pickle_with_their_attributes():
    import pickle

    with pytest.raises(textmeter.LexiconError) as e:
        textmeter.Lexicon.from_string("a\tb\nbad\n")
    assert type(e.value).__module__ == "textmeter._native"
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is textmeter.LexiconError
    assert str(back) == "line 2: missing tab between term and category"
    assert (back.line, back.kind) == (2, "missing_tab")


def test_a_lexicon_that_is_not_utf8_is_refused_at_its_line(tmp_path):
    # Latin-1 would otherwise split glück into the two tokens gl and ck.
    with pytest.raises(textmeter.LexiconError) as e:
        textmeter.Lexicon.from_string(b"peace\tpos\ngl\xfcck\tpos\n")
    assert (e.value.line, e.value.kind) == (2, "not_utf8")
    assert str(e.value) == "line 2: not UTF-8 (lexicons are read as UTF-8)"
    path = tmp_path / "utf16.afinn"
    path.write_bytes("peace\t1\n".encode("utf-16"))
    with pytest.raises(textmeter.LexiconError) as e:
        textmeter.Lexicon.from_path(path)
    assert (e.value.line, e.value.kind) == (1, "not_utf8")


def test_afinn_behind_a_header_line_is_refused_not_misread():
    text = b"word\tscore\nsuperb\t5\nbad\t-3\n"
    with pytest.raises(textmeter.LexiconError) as e:
        textmeter.Lexicon.from_string(text)
    # The header line is at fault; the message names the numeric line.
    assert (e.value.line, e.value.kind) == (1, "numeric_category")
    assert "like line 2 (an AFINN file?)" in str(e.value)
    # Comments and decimals keep a file AFINN.
    lex = textmeter.Lexicon.from_string(b"# mine\nsuperb\t4.5\nbad\t-3\n")
    assert lex.format == "afinn"
    r = textmeter.analyze("a superb plan, a bad one", lexicon=lex)
    assert r.scores["afinn"].score == 1.5


def test_a_report_merged_with_itself_past_the_count_limit_still_pickles():
    import pickle

    r = textmeter.analyze("They will not attack, Moscow said 42 times.")
    for _ in range(70):
        r = r.merge(r)
    c = r.counts
    assert c.tokens == 1 << 62
    assert c.words + c.numbers == c.tokens and c.numbers > 0
    assert pickle.loads(pickle.dumps(r)).counts == c


def test_huge_top_and_workers_mean_everything_and_one_per_file(seed_paths):
    r = textmeter.analyze(b"a b a", top=2**64)
    assert r.top(1) == [(("a",), 2), (("b",), 1)]
    docs, total = textmeter.analyze_files(seed_paths[:2], workers=2**64)
    assert len(docs) == 2


def test_ctrl_c_ends_a_long_analysis_between_chunks(tmp_path):
    import signal
    import time

    # Python runs signal handlers only with the GIL held; analyses release
    # it, and ask for the handlers between chunks (4 MiB of memory, 1 MiB
    # of a file), so a KeyboardInterrupt ends them early instead of after
    # the last byte. An interrupted update keeps what it had read: a
    # whole number of chunks, short of the end.
    text = b"peace talks resume in vienna today 2026 " * 600_000  # 24 MB
    path = tmp_path / "big.txt"
    path.write_bytes(text)

    def interrupt(*_):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    try:
        for feed, chunk in ((lambda a: a.update(text), 4 << 20),
                            (lambda a: a.update_file(path), 1 << 20)):
            t0 = time.perf_counter()
            feed(textmeter.Analyzer(lexicon=None))
            full = time.perf_counter() - t0
            a = textmeter.Analyzer(lexicon=None)
            signal.setitimer(signal.ITIMER_REAL, full / 10)
            with pytest.raises(KeyboardInterrupt):
                feed(a)
            read = a.report().counts.bytes
            assert 0 < read < len(text) and read % chunk == 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _run_python(code, timeout=120):
    """Runs `code` in a fresh interpreter (this one's), returning stdout."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_ctrl_c_ends_calls_waiting_on_a_fifo_and_analyze_files(tmp_path):
    # A FIFO with no writer blocks its open; Ctrl-C must still end the
    # call (before, only killing the interpreter did), in analyze_files
    # too, whose workers run off the thread that gets the signal. In a
    # child process: a hang fails the test instead of hanging it.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    out = _run_python(f"""
import signal, textmeter
def interrupt(*_):
    raise KeyboardInterrupt
signal.signal(signal.SIGALRM, interrupt)
calls = [
    lambda: textmeter.analyze_file({str(fifo)!r}),
    lambda: textmeter.Analyzer().update_file({str(fifo)!r}),
    lambda: textmeter.analyze_files([{str(fifo)!r}] * 3, workers=2),
]
for call in calls:
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        call()
        print("returned")
    except KeyboardInterrupt:
        print("interrupted")
""", timeout=60)
    assert out.split() == ["interrupted"] * 3


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="Linux")
def test_an_interrupted_wait_leaves_nothing_behind(tmp_path):
    # A FIFO read after an interrupted wait gets all its writer's data
    # (an earlier fix left a thread blocked in the open, which took the
    # next writer's data and threw it away), no thread is left over, and
    # analyze_files stops on Ctrl-C while a worker waits on a writer that
    # does not write (a blocking read on a worker thread could not be).
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    out = _run_python(f"""
import os, signal, threading, time, textmeter
fifo = {str(fifo)!r}
def interrupt(*_):
    raise KeyboardInterrupt
signal.signal(signal.SIGALRM, interrupt)
tasks = len(os.listdir("/proc/self/task"))
for call in (lambda: textmeter.analyze_file(fifo),
             lambda: textmeter.analyze_files([fifo] * 3, workers=2)):
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        call()
    except KeyboardInterrupt:
        pass
def write(delay):
    with open(fifo, "wb") as f:
        time.sleep(delay)
        f.write(b"peace talks " * 1000)
w = threading.Thread(target=write, args=(0,))
w.start()
r = textmeter.analyze_file(fifo)
w.join()
print(r.counts.tokens, len(os.listdir("/proc/self/task")) - tasks)
# A writer that connects and then waits 5 s.
w = threading.Thread(target=write, args=(5,))
w.start()
signal.setitimer(signal.ITIMER_REAL, 0.3)
t0 = time.monotonic()
try:
    textmeter.analyze_files([fifo, fifo], workers=2)
    print("returned")
except KeyboardInterrupt:
    print("interrupted", time.monotonic() - t0 < 3)
w.join()
""", timeout=60)
    assert out.split() == ["2000", "0", "interrupted", "True"]


def test_ctrl_c_ends_analyze_files_without_worker_threads(tmp_path):
    # With no thread to start (here: a stack size no thread can have),
    # the calling thread does the work, and Ctrl-C still stops it and is
    # what the call raises, even after a file that failed.
    big = tmp_path / "big.txt"
    big.write_bytes(b"peace talks resume in vienna today 2026 " * 600_000)
    env = dict(os.environ, RUST_MIN_STACK=str(1 << 46))
    code = f"""
import signal, time, textmeter
def interrupt(*_):
    raise KeyboardInterrupt
signal.signal(signal.SIGALRM, interrupt)
signal.setitimer(signal.ITIMER_REAL, 0.2)
try:
    textmeter.analyze_files([{str(tmp_path / "missing")!r}] + [{str(big)!r}] * 8)
    print("returned")
except KeyboardInterrupt:
    print("interrupted")
except OSError as e:
    print("oserror", e)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, timeout=120, env=env)
    assert out.stdout.split() == ["interrupted"], out.stdout + out.stderr


def test_report_pickle_and_merge_cost_the_text_not_the_capacity():
    # They copied the whole arena (1.3 GB at capacity 2^22, 1.1 s) to end
    # the copy's document; a copy now takes what the tables hold, and a
    # finished analyzer needs none. Peak RSS in a child process, whose
    # peak is its own.
    out = _run_python("""
import pickle, resource, textmeter
a = textmeter.Analyzer(capacity=1 << 22)
a.update("peace talks resume")  # "resume" may go on: undecided
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
r = a.report()
state = pickle.dumps(a)
a.finish()
m = textmeter.merge([r, a.report()])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(after - before, r.counts.tokens, m.counts.tokens)
""")
    grown_kib, tokens, merged = map(int, out.split())
    assert (tokens, merged) == (3, 6)
    assert grown_kib < 100 * 1024, f"peak RSS grew {grown_kib} KiB"


def test_surrogateescape_text_counts_as_its_bytes():
    raw = b"caf\xe9 talks \xff\xfe resume \xed\xa0\x80 end"
    text = raw.decode("utf-8", "surrogateescape")
    assert textmeter.analyze(text).to_dict() == textmeter.analyze(raw).to_dict()
    # Other lone surrogates are their three generalised UTF-8 bytes.
    lone = textmeter.analyze("a\ud800b")
    assert lone.counts.invalid_bytes == 3 and lone.counts.bytes == 5


def test_lexicon_equality_is_by_what_was_read():
    builtin = textmeter.Lexicon.builtin()
    same = textmeter.Lexicon.from_string(builtin.source)
    assert same == builtin and hash(same) == hash(builtin)
    a = textmeter.analyze("troops withdraw", lexicon=builtin)
    b = textmeter.analyze("peace talks", lexicon=same)
    assert a.merge(b).counts.tokens == 4
    # A str lexicon with a lone surrogate is text that is not UTF-8.
    with pytest.raises(textmeter.LexiconError) as e:
        textmeter.Lexicon.from_string("talks\tcalm\ncaf\udce9\tcalm\n")
    assert (e.value.line, e.value.kind) == (2, "not_utf8")


def test_a_closed_mmap_says_it_is_closed(tmp_path):
    import mmap

    path = tmp_path / "t.txt"
    path.write_bytes(b"peace talks")
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    assert textmeter.analyze(m).counts.tokens == 2
    m.close()
    with pytest.raises(ValueError, match="closed"):
        textmeter.analyze(m)
