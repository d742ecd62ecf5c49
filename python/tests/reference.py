"""A tiny pure-Python reference for text made of ASCII lowercase words
separated by spaces and newlines, where UAX #29 tokens are exactly
``str.split()`` pieces."""

from collections import Counter
from typing import Dict, List, Tuple


def tokens(text: str) -> List[str]:
    return text.split()


def counts(docs: List[str]) -> Dict[str, int]:
    toks = [t for d in docs for t in tokens(d)]
    b = sum(len(d.encode()) for d in docs)
    return {
        "bytes": b,
        "chars": sum(len(d) for d in docs),
        "lines": sum(d.count("\n") for d in docs),
        "tokens": len(toks),
        "words": len(toks),
        "numbers": 0,
        "types": len(set(toks)),
    }


def ngrams(docs: List[str], n: int) -> Counter[Tuple[str, ...]]:
    c: Counter[Tuple[str, ...]] = Counter()
    for d in docs:
        t = tokens(d)
        for i in range(len(t) - n + 1):
            c[tuple(t[i : i + n])] += 1
    return c


def top(docs: List[str], n: int, k: int) -> List[Tuple[Tuple[str, ...], int]]:
    """By count descending, then gram ascending (the CLI's order)."""
    c = ngrams(docs, n)
    return sorted(c.items(), key=lambda e: (-e[1], e[0]))[:k]
