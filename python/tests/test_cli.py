"""The same numbers as the textmeter CLI with non-default options,
including Space-Saving (approximate) tables merged in path order."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import textmeter

ROOT = Path(__file__).resolve().parents[2]


def cli_binary():
    env = os.environ.get("TEXTMETER_CLI")
    if env:
        return env
    for profile in ("debug", "release"):
        p = ROOT / "target" / profile / "textmeter"
        if p.exists():
            return str(p)
    pytest.skip("textmeter CLI not built (cargo build -p textmeter-cli)")


LEXICON = "#! name: mini\ntalks\tcalm\nattack*\twar\t-2\ntroops\twar\n"

CASES = [
    (["--ngrams", "2..4", "--top", "3", "--capacity", "50",
      "--no-negation"],
     dict(ngrams=(2, 4), top=3, capacity=50, negation=False)),
    (["--ngrams", "1", "--no-fold", "--lexicon", "none", "--top", "20"],
     dict(ngrams=1, fold_case=False, lexicon=None, top=20)),
    (["--lexicon", "{lex}", "--capacity", "300"],
     dict(lexicon="{lex}", capacity=300)),
]


@pytest.mark.parametrize("args,opts", CASES)
def test_equals_cli(args, opts, seed_paths, tmp_path):
    lex_path = tmp_path / "mini.tsv"
    lex_path.write_text(LEXICON)
    args = [a.replace("{lex}", str(lex_path)) for a in args]
    if opts.get("lexicon") == "{lex}":
        opts = dict(opts, lexicon=textmeter.Lexicon.from_path(lex_path))
    out = subprocess.run(
        [cli_binary(), "--json", "-j", "2", *map(str, seed_paths), *args],
        check=True, capture_output=True,
    ).stdout
    cli = json.loads(out)
    res = textmeter.analyze_files(seed_paths, **opts)
    for doc, r in zip(cli["documents"], res.reports):
        doc = dict(doc)
        assert doc.pop("path") == r.path
        assert json.dumps(r.to_dict()) == json.dumps(doc)
    assert json.dumps(res.total.to_dict()) == json.dumps(cli["total"])
    assert textmeter.merge(res.reports) == res.total
    sim = [[textmeter.similarity(a, b) for b in res.reports]
           for a in res.reports]
    assert sim == cli["similarity"]
