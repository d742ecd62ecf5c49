#!/usr/bin/env python3
"""One engine, one answer: the CLI (`textmeter --json`), the Python
package (`Report.to_dict()`) and the C API (`ffi/tests/c/report.c`) must
print identical numbers for the same inputs and options.

usage: consistency.py CLI C_REPORT PYTHON

Runs all three over the seeds plus testdata/multilingual.txt (English,
German, Russian, Chinese, emoji) in several configurations, and compares
the whole JSON documents: every count, every n-gram with its count and
error, every lexicon score and the similarity matrix. The C report joins
a gram's tokens with spaces (see ffi/tests/compare.py); everything else
must be equal as JSON values, floats as IEEE doubles. Exit status 1 on
any difference.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (CLI options, C report options, Python keyword arguments)
CONFIGS = [
    ([], [], {}),
    (["--capacity", "50"], ["--capacity", "50"], {"capacity": 50}),
    (["--ngrams", "2..4", "--top", "25", "--no-negation"],
     ["--ngrams", "2", "4", "--top", "25", "--no-negation"],
     {"ngrams": (2, 4), "top": 25, "negation": False}),
    (["--no-fold", "--lexicon", "none"], ["--no-fold", "--lexicon", "none"],
     {"fold_case": False, "lexicon": None}),
]

PY_PROGRAM = r"""
import json, sys
import textmeter
kw = json.loads(sys.argv[1])
if "ngrams" in kw:
    kw["ngrams"] = tuple(kw["ngrams"])
paths = sys.argv[2:]
res = textmeter.analyze_files(paths, workers=2, **kw)
docs = [dict(path=p, **r.to_dict()) for p, r in zip(paths, res.reports)]
sim = [[1.0 if i == j else a.similarity(b) for j, b in enumerate(res.reports)]
       for i, a in enumerate(res.reports)]
json.dump({"documents": docs, "total": res.total.to_dict(),
           "similarity": sim}, sys.stdout)
"""


def inputs():
    seeds = os.path.join(ROOT, "seeds")
    files = sorted(os.path.join(seeds, f) for f in os.listdir(seeds))
    return files + [os.path.join(ROOT, "testdata", "multilingual.txt")]


def run(cmd):
    r = subprocess.run(cmd, check=True, stdout=subprocess.PIPE)
    return json.loads(r.stdout)


def diff(a, b, path, out, joined_grams=False):
    """Appends to `out` every place where `b` differs from `a`."""
    if isinstance(a, dict):
        if not isinstance(b, dict):
            out.append(f"{path}: {b!r} is not an object")
            return
        for k, v in a.items():
            if k not in b:
                out.append(f"{path}.{k}: missing")
            else:
                diff(v, b[k], f"{path}.{k}", out, joined_grams)
    elif isinstance(a, list):
        if joined_grams and path.endswith(".gram"):
            if b != " ".join(a):
                out.append(f"{path}: {a!r} != {b!r}")
            return
        if not isinstance(b, list) or len(a) != len(b):
            out.append(f"{path}: {a!r} != {b!r}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out, joined_grams)
    elif isinstance(a, float) or isinstance(b, float):
        # C prints doubles with %.17g (round-trips, but -18.0 reads back
        # as the integer -18): equal as IEEE doubles is what counts.
        num = (int, float)
        if (isinstance(a, bool) or isinstance(b, bool)
                or not isinstance(a, num) or not isinstance(b, num)
                or float(a) != float(b)):
            out.append(f"{path}: {a!r} != {b!r}")
    elif type(a) is not type(b) or a != b:
        out.append(f"{path}: {a!r} != {b!r}")


def main():
    cli, c_report, python = sys.argv[1:4]
    files = inputs()
    failures = 0
    for cli_opts, c_opts, py_kw in CONFIGS:
        name = " ".join(cli_opts) or "defaults"
        want = run([cli, "--json", "--jobs", "2", *cli_opts, *files])
        # Paths: the CLI prints them as given; so do the others.
        got_c = run([c_report, *c_opts, *files])
        got_py = run([python, "-c", PY_PROGRAM, json.dumps(py_kw), *files])
        ok = True
        for who, got, joined in (("C", got_c, True), ("Python", got_py, False)):
            out = []
            for key in ("documents", "total", "similarity"):
                diff(want[key], got[key], key, out, joined)
            if out:
                failures += 1
                print(f"consistency: {who} differs from the CLI ({name}):")
                for line in out[:20]:
                    print("  " + line)
                ok = False
        if ok:
            print(f"consistency: CLI = C = Python on {len(files)} files"
                  f" ({name})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
