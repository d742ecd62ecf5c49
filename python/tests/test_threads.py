"""The GIL is released during analysis."""

import threading
import time

import textmeter


def test_two_threads_give_correct_results(seed_bytes):
    expected = [textmeter.analyze(b) for b in seed_bytes]
    out = {}

    def work(i):
        for _ in range(3):
            for j, b in enumerate(seed_bytes):
                if (i + j) % 2 == 0:
                    out[(i, j)] = textmeter.analyze(b)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for (i, j), r in out.items():
        assert r == expected[j]


def test_one_analyzer_per_thread_then_merge(seed_bytes):
    analyzers = [textmeter.Analyzer(), textmeter.Analyzer()]

    def work(a, docs):
        for d in docs:
            a.update(d)
            a.finish()

    ts = [threading.Thread(target=work, args=(analyzers[0], seed_bytes[:3])),
          threading.Thread(target=work, args=(analyzers[1], seed_bytes[3:]))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    whole = textmeter.Analyzer()
    work(whole, seed_bytes)
    assert analyzers[0].merge(analyzers[1]).report() == whole.report()


def test_long_analysis_does_not_hold_the_gil(seed_bytes):
    text = b"\n".join(seed_bytes) * 300  # about 7 MB
    span = {}

    def work():
        span["start"] = time.perf_counter()
        span["report"] = textmeter.analyze(text, capacity=4096)
        span["end"] = time.perf_counter()

    t = threading.Thread(target=work)
    ticks = []
    t.start()
    while t.is_alive():
        ticks.append(time.perf_counter())
        sum(range(200))  # pure-Python work that needs the GIL
    t.join()
    inside = [x for x in ticks if span["start"] < x < span["end"]]
    assert span["end"] - span["start"] > 0.05
    # With the GIL held for the whole call, this thread could not run.
    assert len(inside) > 100, (len(inside), span["end"] - span["start"])
    assert span["report"].counts.bytes == len(text)


def test_stream_update_releases_the_gil(seed_bytes):
    a = textmeter.Analyzer(capacity=4096)
    text = b"\n".join(seed_bytes) * 200
    done = threading.Event()
    ticks = []

    def work():
        a.update(text)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks.append(1)
        sum(range(200))
    t.join()
    assert len(ticks) > 100


def test_one_analyzer_shared_by_threads_takes_turns():
    # Chunks end in a space, so however the calls interleave the words
    # stay whole and the counts add up.
    a = textmeter.Analyzer()
    chunk = b"alpha beta gamma delta " * 5000
    errors = []

    def work(i):
        try:
            for _ in range(20):
                a.update(chunk)
                a.report()
                if i == 0:
                    b = textmeter.Analyzer()
                    b.update(chunk)
                    a.merge(b)
        except Exception as e:  # noqa: BLE001 - any error fails the test
            errors.append(e)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert errors == []
    a.finish()
    # 4 threads x 20 chunks into a, plus 20 more merged in by thread 0.
    assert a.report().counts.tokens == (4 * 20 + 20) * 20000
