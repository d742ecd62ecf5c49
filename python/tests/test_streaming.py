"""Streaming, merging and pickling: exact round-trips and equalities."""

import copy
import pickle

import pytest
from hypothesis import given, strategies as st

import textmeter

import reference

SMALL = dict(capacity=4096)


def one_shot(docs, **opts):
    a = textmeter.Analyzer(**opts)
    for d in docs:
        a.update(d)
        a.finish()
    return a.report()


@given(data=st.data())
def test_random_chunk_splits_equal_one_shot(seed_bytes, data):
    text = data.draw(st.sampled_from(seed_bytes))
    cuts = sorted(data.draw(st.lists(
        st.integers(0, len(text)), max_size=12)))
    a = textmeter.Analyzer(**SMALL)
    prev = 0
    for c in cuts + [len(text)]:
        a.update(text[prev:c])
        prev = c
    assert a.report() == textmeter.analyze(text, **SMALL)


def test_every_chunk_size_on_a_utf8_seed(seed_bytes):
    text = seed_bytes[3][:1500] + "Russia’s 130,000 — “troops”".encode()
    whole = textmeter.analyze(text, **SMALL)
    for size in (1, 2, 3, 7, 64):
        a = textmeter.Analyzer(**SMALL)
        for i in range(0, len(text), size):
            a.update(memoryview(text)[i:i + size])
        assert a.report() == whole


def test_merge_of_halves_equals_whole(seed_bytes):
    whole = one_shot(seed_bytes)
    a = textmeter.Analyzer()
    b = textmeter.Analyzer()
    for d in seed_bytes[:2]:
        a.update(d)
        a.finish()
    for d in seed_bytes[2:]:
        b.update(d)
        b.finish()
    assert a.merge(b) is a
    assert a.report() == whole
    assert whole.ngram_exact(3)


def test_pickle_round_trips(seed_bytes):
    a = textmeter.Analyzer(**SMALL)
    for d in seed_bytes[:3]:
        a.update(d)
        a.finish()
    for proto in (2, pickle.HIGHEST_PROTOCOL):
        b = pickle.loads(pickle.dumps(a, protocol=proto))
        assert b.report() == a.report()
        r = a.report()
        r2 = pickle.loads(pickle.dumps(r, protocol=proto))
        assert r2 == r and r2.to_dict() == r.to_dict()
        assert r2.signature == r.signature
    # A restored analyzer carries on like the original.
    b = pickle.loads(pickle.dumps(a))
    for x in (a, b):
        x.update(seed_bytes[3])
        x.finish()
    assert a.report() == b.report() == one_shot(seed_bytes[:4], **SMALL)
    assert copy.deepcopy(a).report() == a.report()


def test_pickled_state_merges_across_copies(seed_bytes):
    parts = []
    for d in seed_bytes:
        a = textmeter.Analyzer()
        a.update(d)
        parts.append(pickle.loads(pickle.dumps(a)))
    total = parts[0]
    for p in parts[1:]:
        total.merge(p)
    assert total.report() == one_shot(seed_bytes)


def test_states_from_another_process_merge_alike(seed_bytes):
    """Each process places n-grams by its own random seed; states saved
    in one and merged in another give the same report as states made
    where they are merged, also once the tables evict (capacity 64)."""
    import subprocess
    import sys
    code = (
        "import pickle, sys, textmeter\n"
        "docs = pickle.loads(sys.stdin.buffer.read())\n"
        "out = []\n"
        "for d in docs:\n"
        "    a = textmeter.Analyzer(capacity=64)\n"
        "    a.update(d)\n"
        "    a.finish()\n"
        "    out.append(a)\n"
        "sys.stdout.buffer.write(pickle.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", code],
                          input=pickle.dumps(seed_bytes),
                          capture_output=True, check=True)
    theirs = pickle.loads(done.stdout)
    mine = []
    for d in seed_bytes:
        a = textmeter.Analyzer(capacity=64)
        a.update(d)
        a.finish()
        mine.append(a)
    reports = []
    for parts in (theirs, mine, [mine[0]] + theirs[1:]):
        total = textmeter.Analyzer(capacity=64)
        for p in parts:
            total.merge(p)
        reports.append(total.report())
    assert reports[0] == reports[1] == reports[2]
    assert reports[0].to_dict() == reports[1].to_dict()
    assert not reports[0].ngram_exact(3)


def test_lexicon_pickles(tmp_path):
    lex = textmeter.Lexicon.from_string("talks\tcalm\nattack\twar\t-2\n")
    back = pickle.loads(pickle.dumps(lex))
    assert back == lex and back.categories == ["calm", "war"]
    assert pickle.loads(pickle.dumps(textmeter.Lexicon.builtin())) is (
        textmeter.Lexicon.builtin())
    r = textmeter.analyze("attack talks", lexicon=lex)
    assert pickle.loads(pickle.dumps(r)) == r
    assert r.scores["war"].score == -2.0


def test_merge_rejects_different_options(seed_bytes):
    a = textmeter.Analyzer(**SMALL)
    b = textmeter.Analyzer()
    with pytest.raises(textmeter.MergeError):
        a.merge(b)
    with pytest.raises(textmeter.MergeError):
        textmeter.analyze("a b", **SMALL).merge(textmeter.analyze("a b"))
    with pytest.raises(ValueError):
        a._native.merge(a._native)
    with pytest.raises(TypeError):
        a.merge(textmeter.analyze("x"))  # type: ignore[arg-type]


def test_corrupt_state_raises():
    a = textmeter.Analyzer(**SMALL)
    a.update("peace talks")
    state = a._native.state()
    o = a._options.native()
    with pytest.raises(textmeter.StateError):
        textmeter._native.Analyzer(**o, state=state[:-1])
    with pytest.raises(textmeter.StateError):
        textmeter._native.Analyzer(**o, state=b"XXXX" + state[4:])
    with pytest.raises(textmeter.MergeError):
        textmeter._native.Analyzer(**dict(o, negation=False), state=state)
    assert textmeter._native.Analyzer(**o, state=state).state() == state


words = st.sampled_from("a b c peace talks war troops the of".split())
docs_st = st.lists(
    st.lists(words, max_size=40).map(" ".join)
    .flatmap(lambda s: st.just(s.replace(" ", "\n", 1))),
    min_size=1, max_size=4)


@given(docs=docs_st)
def test_against_reference(docs):
    a = textmeter.Analyzer(**SMALL)
    for d in docs:
        a.update(d)
        a.finish()
    r = a.report()
    ref = reference.counts(docs)
    c = r.counts
    assert {k: getattr(c, k) for k in ref} == ref
    for n in (1, 2, 3):
        assert r.ngram_total(n) == sum(reference.ngrams(docs, n).values())
        assert r.top(n) == reference.top(docs, n, 10)
    assert textmeter.tokens("\n".join(docs)) == reference.tokens(
        "\n".join(docs))


def test_approximate_counts_carry_errors(seed_bytes):
    r = textmeter.analyze(seed_bytes[0], capacity=8, top=5)
    assert not r.ngram_exact(2)
    top = r.top(2)
    assert len(top) == 5 and all(len(e) == 3 for e in top)
    assert any(e[2] > 0 for e in top)
    assert r.counts.types_exact is False
    assert r.ngram_total(1) == 674
    with pytest.raises(ValueError, match="top=6"):
        r.top(2, 6)


def test_asking_for_more_than_there_are_is_not_an_error():
    # Exactly `top` distinct n-grams: the list is complete, so a larger
    # k returns it (it was refused as if more were hidden).
    r = textmeter.analyze("a b c", top=3)
    assert r.top(1, 5) == [(("a",), 1), (("b",), 1), (("c",), 1)]
    # A full list whose counts fall short of the total hides some.
    r = textmeter.analyze("a b c d", top=3)
    with pytest.raises(ValueError, match="top=5"):
        r.top(1, 5)


@given(data=st.data())
def test_report_and_pickle_mid_document_change_nothing(seed_bytes, data):
    text = data.draw(st.sampled_from(seed_bytes))
    cuts = sorted(data.draw(st.lists(
        st.integers(0, len(text)), min_size=1, max_size=5)))
    a = textmeter.Analyzer(**SMALL)
    prev = 0
    for c in cuts:
        a.update(text[prev:c])
        prev = c
        peek = a.report()
        assert peek == textmeter.analyze(text[:c], **SMALL)
        assert pickle.loads(pickle.dumps(a)).report() == peek
    a.update(text[prev:])
    assert a.report() == textmeter.analyze(text, **SMALL)
