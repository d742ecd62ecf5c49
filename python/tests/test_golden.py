"""The Python numbers are the CLI's: testdata/golden/seeds.json."""

import json

import textmeter


def doc(golden, i):
    d = dict(golden["documents"][i])
    del d["path"]
    return d


def same(report_dict, expected):
    # Equal values and the same key order, at every level.
    assert report_dict == expected
    assert json.dumps(report_dict) == json.dumps(expected)


def test_config_is_the_default(golden):
    assert golden["config"] == {
        "ngrams": [1, 3], "top": 10, "lexicon": "news-stance",
        "negation": True, "fold_case": True, "capacity": 65536,
    }


def test_each_seed_equals_cli(golden, seed_paths, seed_bytes):
    for i, (p, b) in enumerate(zip(seed_paths, seed_bytes)):
        same(textmeter.analyze_file(p).to_dict(), doc(golden, i))
        same(textmeter.analyze(b).to_dict(), doc(golden, i))
        same(textmeter.analyze(b.decode()).to_dict(), doc(golden, i))


def test_analyze_files_total_and_similarity(golden, seed_paths):
    res = textmeter.analyze_files(seed_paths, workers=2)
    assert len(res.reports) == 5
    for i, r in enumerate(res.reports):
        same(r.to_dict(), doc(golden, i))
        assert r.path == str(seed_paths[i])
    same(res.total.to_dict(), golden["total"])
    sim = [[textmeter.similarity(a, b) for b in res.reports]
           for a in res.reports]
    assert sim == golden["similarity"]
    assert res.reports[0].similarity(res.reports[1]) == sim[0][1]


def test_workers_do_not_change_the_total(seed_paths):
    one = textmeter.analyze_files(seed_paths, workers=1)
    three = textmeter.analyze_files(seed_paths, workers=3)
    assert one.total == three.total
    assert one.reports == three.reports


def test_merge_of_reports_equals_total(golden, seed_paths):
    reports = [textmeter.analyze_file(p) for p in seed_paths]
    same(textmeter.merge(reports).to_dict(), golden["total"])
    same(reports[0].merge(reports[1]).to_dict(),
         textmeter.merge(reports[:2]).to_dict())


def test_accessors_match_the_dict(golden, seed_paths):
    r = textmeter.analyze_file(seed_paths[0])
    d = doc(golden, 0)
    c = r.counts
    for k, v in d["counts"].items():
        assert getattr(c, k) == v
    assert r.counts.tokens == 674 and r.counts.types_exact
    for n in (1, 2, 3):
        t = d["ngrams"][str(n)]
        assert r.ngram_exact(n) is t["exact"] is True
        assert r.ngram_total(n) == t["total"]
        assert r.top(n) == [(tuple(e["gram"]), e["count"]) for e in t["top"]]
        assert r.top(n, 3) == r.top(n)[:3]
    cats = d["lexicon"]["categories"]
    assert list(r.scores) == list(cats)
    for name, s in r.scores.items():
        assert (s.hits, s.negated, s.score, s.per_1k, s.hits_per_1k) == (
            cats[name]["hits"], cats[name]["negated"], cats[name]["score"],
            cats[name]["per_1k"], cats[name]["hits_per_1k"])
    assert r.lexicon_name == "news-stance"
    assert r.ngram_sizes == (1, 2, 3)
    assert len(r.signature) == 128
    assert list(r.signature) == sorted(r.signature)
