#!/usr/bin/env python3
"""Checks that the C API's report (ffi/tests/c/report.c) has exactly the
numbers of `textmeter --json` (the Rust API) for the same inputs.

usage: compare.py [--documents-only] CLI.json C.json

Every key of the CLI's documents, total and similarity must be in the C
report with an equal value: integers and booleans equal, floats equal as
IEEE doubles (C prints %.17g, which round-trips), a gram's token list
joined by spaces equal to the C text. Extra C
keys (score_milli) are checked for consistency. Exit status 1 on any
difference, with the path of each.
"""
import json
import sys


def diff(cli, c, path, out):
    if isinstance(cli, dict):
        if not isinstance(c, dict):
            out.append(f"{path}: {c!r} is not an object")
            return
        for k, v in cli.items():
            if k not in c:
                out.append(f"{path}.{k}: missing in C")
            else:
                diff(v, c[k], f"{path}.{k}", out)
        if "score_milli" in c and "score" in c:
            if c["score_milli"] / 1000 != c["score"]:
                out.append(f"{path}: score_milli and score disagree")
    elif isinstance(cli, list):
        if path.endswith(".gram"):
            if c is None or " ".join(cli) != c:
                out.append(f"{path}: CLI {cli!r} != C {c!r}")
            return
        if not isinstance(c, list) or len(c) != len(cli):
            out.append(f"{path}: CLI {cli!r} != C {c!r}")
            return
        for i, (a, b) in enumerate(zip(cli, c)):
            diff(a, b, f"{path}[{i}]", out)
    elif isinstance(cli, bool) or cli is None or isinstance(cli, str):
        if cli != c:
            out.append(f"{path}: CLI {cli!r} != C {c!r}")
    elif isinstance(cli, int) and not isinstance(c, float):
        if cli != c:
            out.append(f"{path}: CLI {cli!r} != C {c!r}")
    elif float(cli) != float(c):
        out.append(f"{path}: CLI {cli!r} != C {c!r}")


def main():
    args = sys.argv[1:]
    keys = ("documents", "total", "similarity")
    if args and args[0] == "--documents-only":
        args, keys = args[1:], ("documents",)
    with open(args[0], encoding="utf-8") as f:
        cli = json.load(f)
    with open(args[1], encoding="utf-8", errors="replace") as f:
        c = json.load(f)
    out = []
    for key in keys:
        diff(cli[key], c[key], key, out)
    for line in out[:40]:
        print(f"compare: {line}", file=sys.stderr)
    if out:
        print(f"compare: {len(out)} differences", file=sys.stderr)
        sys.exit(1)
    ndocs = len(cli["documents"])
    print(f"compare: {ndocs} documents identical ({', '.join(keys)})")


if __name__ == "__main__":
    main()
