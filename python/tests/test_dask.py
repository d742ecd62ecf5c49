"""The README's Dask recipe, run with Dask's multiprocessing scheduler:
the distributed total equals the single-process one."""

import functools
import random

import pytest

import textmeter

db = pytest.importorskip("dask.bag")


def dask_total(paths, **opts):
    # The README's recipe.
    analyze = functools.partial(textmeter.analyze_file, **opts)
    bag = db.from_sequence([str(p) for p in paths], npartitions=4)
    return bag.map(analyze).fold(textmeter.Report.merge).compute(
        scheduler="processes", num_workers=2)


def test_dask_on_the_seeds(golden, seed_paths):
    total = dask_total(seed_paths)
    assert total.to_dict() == golden["total"]
    assert total == textmeter.analyze_files(seed_paths).total


def test_dask_on_a_generated_corpus(tmp_path):
    rng = random.Random(6)
    vocab = [f"w{i}" for i in range(400)] + [
        "not", "troops", "attack", "talks", "peace", "sanctions", "said"]
    paths = []
    for i in range(120):
        words = rng.choices(vocab, k=rng.randint(50, 600))
        text = " ".join(words)
        # Sentences, lines and a few non-ASCII and invalid bytes.
        text = text.replace(" w1 ", ". W1 ").replace(" w2 ", "\nw2 ")
        p = tmp_path / f"doc{i:03}.txt"
        p.write_bytes(text.encode() + ("é – ü".encode() if i % 7 == 0
                                       else b"\xff"))
        paths.append(p)
    single = textmeter.analyze_files(paths, workers=1).total
    assert single.ngram_exact(3)
    assert single.counts.tokens > 30000
    total = dask_total(paths)
    assert total == single
    assert total.to_dict() == single.to_dict()
    assert total.signature == single.signature
