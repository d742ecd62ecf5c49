#!/usr/bin/env python3
"""Prints the criterion results of `benches/benches/textmeter.rs` as one
Markdown table: per group and input, each row's median time and MB/s
(10^6 bytes per second of input) and its speed over the group's naive
baseline row (`hashmap-std`, `naive-std` or `unicode-segmentation`)
measured in the same run.

    python3 benches/criterion_table.py [CRITERION_DIR]

CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion, else
target/criterion. Only the latest run of each benchmark is read
(`new/estimates.json`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ["tokenize", "counts", "ngrams", "lexicon", "pipeline", "merge"]
INPUTS = ["seeds", "corpus", "english", "non-ascii"]
BASELINES = ["hashmap-std", "naive-std", "unicode-segmentation"]


def load(root: Path) -> dict:
    out: dict = {}
    for bench in root.glob("*/*/*/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        nbytes = meta.get("throughput", {}).get("Bytes")
        key = (meta["group_id"], meta["value_str"])
        out.setdefault(key, {})[meta["function_id"]] = (
            est["median"]["point_estimate"] / 1e9, nbytes)
    return out


def main() -> int:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else target / "criterion"
    data = load(root)
    if not data:
        print(f"no criterion results under {root}", file=sys.stderr)
        return 1
    print("| group | input | row | median | MB/s | × baseline |")
    print("|---|---|---|---:|---:|---:|")
    order = {g: i for i, g in enumerate(GROUPS)}
    inputs = {n: i for i, n in enumerate(INPUTS)}
    for (group, inp) in sorted(data, key=lambda k: (
            order.get(k[0], 99), inputs.get(k[1], 99), k)):
        rows = data[(group, inp)]
        base = next((rows[b] for b in BASELINES if b in rows), None)
        for name, (secs, nbytes) in rows.items():
            rate = f"{nbytes / secs / 1e6:.1f}" if nbytes else "–"
            ratio = f"{base[0] / secs:.2f}" if base else "–"
            shown = (f"{secs * 1e3:.2f} ms" if secs < 1
                     else f"{secs:.2f} s")
            print(f"| {group} | {inp} | {name} | {shown} | {rate} "
                  f"| {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
