"""textmeter: text statistics in fixed memory.

UAX #29 word tokens, counts, n-gram frequencies (exact while they fit,
Space-Saving estimates with error bounds beyond), MinHash document
similarity and stance-lexicon scores, computed in one pass by textmeter's
Rust core with the GIL released. Every number equals the ``textmeter``
command line's (its JSON schema 1).

>>> import textmeter
>>> r = textmeter.analyze("They will not attack, Moscow said. Talks resume.")
>>> r.counts.tokens
8
>>> r.scores["escalation"].negated
1
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import threading
from dataclasses import dataclass
from typing import (
    Any,
    Dict,
    Iterable,
    List,
    NamedTuple,
    Optional,
    Tuple,
    Union,
)

from . import _native as _tm
from ._native import ConfigError, LexiconError, MergeError, StateError

__all__ = [
    "Analyzer",
    "ConfigError",
    "Counts",
    "FilesResult",
    "Lexicon",
    "LexiconError",
    "MergeError",
    "Report",
    "Score",
    "StateError",
    "analyze",
    "analyze_file",
    "analyze_files",
    "merge",
    "similarity",
    "tokens",
]

__version__ = "0.1.0"

#: What ``analyze``, ``tokens`` and ``Analyzer.update`` accept as text.
Text = Union[str, bytes, bytearray, memoryview, mmap.mmap]
#: A path: ``str`` or ``os.PathLike[str]``.
PathLike = Union[str, "os.PathLike[str]"]

#: Most entries per n-gram table (core's ``ngram::MAX_CAPACITY``).
MAX_CAPACITY = 1 << 28
#: Default entries per n-gram table.
DEFAULT_CAPACITY = 65536
#: Signature size (MinHash k) of every report.
SIGNATURE_K = 128
BUILTIN_LEXICONS = ("news-stance",)


def _type_name(x: object) -> str:
    return type(x).__name__


# ------------------------------------------------------------------ lexicon


class Lexicon:
    """A stance lexicon: native TSV, AFINN or LIWC ``.dic``, format
    detected unless given (``format="tsv" | "afinn" | "liwc"``).

    Build one with :meth:`from_path`, :meth:`from_string` or
    :meth:`builtin`; a malformed text raises :class:`LexiconError` (a
    ``ValueError``) whose ``.line`` is the 1-based line at fault.
    Immutable, hashable and picklable (it pickles its source text).
    """

    __slots__ = ("_native", "_builtin")
    _native: _tm.Lexicon
    _builtin: Optional[str]

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError(
            "use Lexicon.from_path(), Lexicon.from_string() or "
            "Lexicon.builtin()"
        )

    @classmethod
    def _wrap(
        cls, native: _tm.Lexicon, builtin: Optional[str] = None
    ) -> "Lexicon":
        self = object.__new__(cls)
        object.__setattr__(self, "_native", native)
        object.__setattr__(self, "_builtin", builtin)
        return self

    @classmethod
    def from_string(
        cls, text: Union[str, bytes], format: str = "auto"
    ) -> "Lexicon":
        """Parses a lexicon text (``str`` or ``bytes``)."""
        if not isinstance(text, (str, bytes)):
            raise TypeError(
                f"Lexicon.from_string() expects str or bytes, not "
                f"{_type_name(text)}"
            )
        _check_format(format)
        return cls._wrap(_tm.Lexicon(text, format))

    @classmethod
    def from_path(cls, path: PathLike, format: str = "auto") -> "Lexicon":
        """Reads and parses a lexicon file."""
        path = _fspath(path, "Lexicon.from_path()")
        _check_format(format)
        with open(path, "rb") as f:
            text = f.read()
        try:
            return cls._wrap(_tm.Lexicon(text, format))
        except LexiconError as e:
            # The same error, naming the file as the CLI does.
            named = LexiconError(f"{path}: {e}")
            named.line, named.kind = e.line, e.kind
            raise named from None

    @classmethod
    def builtin(cls, name: str = "news-stance") -> "Lexicon":
        """A lexicon shipped with textmeter (``"news-stance"``)."""
        if not isinstance(name, str):
            raise TypeError(
                f"Lexicon.builtin() expects a str, not {_type_name(name)}"
            )
        return _builtin(name)

    @property
    def name(self) -> str:
        """The lexicon's name (``#! name:``, or ``lexicon``, ``afinn``,
        ``liwc``)."""
        return self._native.name

    @property
    def format(self) -> str:
        """The format it was parsed as: ``tsv``, ``afinn`` or ``liwc``."""
        return self._native.format

    @property
    def categories(self) -> List[str]:
        """Category names in index order."""
        return self._native.categories

    @property
    def term_count(self) -> int:
        """Number of distinct terms."""
        return self._native.term_count

    @property
    def source(self) -> bytes:
        """The lexicon text it was parsed from."""
        return self._native.source

    def _key(self) -> Tuple[bytes, str]:
        # The format it was read as, not the one asked for: "auto" and
        # the format it detects give the same lexicon, and analyses with
        # either merge.
        return (self._native.source, self._native.format)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lexicon):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Lexicon is immutable")

    def __reduce__(self) -> Tuple[Any, ...]:
        if self._builtin is not None:
            return (_builtin, (self._builtin,))
        return (_restore_lexicon, self._key())

    def __repr__(self) -> str:
        return (
            f"Lexicon(name={self.name!r}, format={self.format!r}, "
            f"terms={self.term_count}, categories={self.categories!r})"
        )


@functools.lru_cache(maxsize=None)
def _builtin(name: str) -> Lexicon:
    if name not in BUILTIN_LEXICONS:
        raise ValueError(
            f"no built-in lexicon {name!r} (there is 'news-stance'); "
            f"load files with Lexicon.from_path()"
        )
    return Lexicon._wrap(_tm.Lexicon.builtin(name), name)


def _restore_lexicon(source: bytes, format: str) -> Lexicon:
    return Lexicon._wrap(_tm.Lexicon(source, format))


def _check_format(format: object) -> None:
    if not isinstance(format, str):
        raise TypeError(
            f"format must be a str, not {_type_name(format)}"
        )


def _fspath(path: object, what: str) -> str:
    if isinstance(path, (bytes, bytearray)) or not isinstance(
        path, (str, os.PathLike)
    ):
        raise TypeError(
            f"{what} expects a str or os.PathLike path, not "
            f"{_type_name(path)}"
        )
    p = os.fspath(path)
    if not isinstance(p, str):
        raise TypeError(f"{what} expects a str path, not {_type_name(p)}")
    if "\0" in p:
        # What open() says: no file name holds one.
        raise ValueError(f"{what}: embedded null byte in path {p!r}")
    return p


# ------------------------------------------------------------------ options


class _Options(NamedTuple):
    ngrams: Tuple[int, int]
    top: int
    capacity: int
    fold_case: bool
    negation: bool
    lexicon: Optional[Lexicon]

    def native(self) -> Dict[str, Any]:
        return dict(
            ngrams=self.ngrams,
            # No table lists more than its capacity: a larger top (2**64,
            # say) asks for everything, which this still is.
            top=min(self.top, MAX_CAPACITY),
            capacity=self.capacity,
            fold_case=self.fold_case,
            negation=self.negation,
            lexicon=None if self.lexicon is None else self.lexicon._native,
        )


def _int(name: str, v: object) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{name} must be an int, not {_type_name(v)}")
    return v


def _bool(name: str, v: object) -> bool:
    if not isinstance(v, bool):
        raise TypeError(f"{name} must be a bool, not {_type_name(v)}")
    return v


def _options(
    ngrams: object,
    top: object,
    lexicon: object,
    capacity: object,
    fold_case: object,
    negation: object,
) -> _Options:
    if isinstance(ngrams, tuple) and len(ngrams) == 2:
        lo, hi = _int("ngrams[0]", ngrams[0]), _int("ngrams[1]", ngrams[1])
    elif isinstance(ngrams, int) and not isinstance(ngrams, bool):
        lo = hi = ngrams
    else:
        raise TypeError(
            f"ngrams must be an int or a (min, max) tuple of ints, not "
            f"{_type_name(ngrams)}"
        )
    if not 1 <= lo <= hi <= 8:
        raise ConfigError(
            f"ngrams must satisfy 1 <= min <= max <= 8, got ({lo}, {hi})"
        )
    top = _int("top", top)
    if top < 0:
        raise ValueError(f"top must be >= 0, got {top}")
    capacity = _int("capacity", capacity)
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ConfigError(
            f"capacity must be in 1..={MAX_CAPACITY}, got {capacity}"
        )
    if lexicon is None or isinstance(lexicon, Lexicon):
        lex = lexicon
    elif isinstance(lexicon, str):
        lex = Lexicon.builtin(lexicon)
    else:
        raise TypeError(
            f"lexicon must be a Lexicon, a built-in lexicon name or None, "
            f"not {_type_name(lexicon)}"
        )
    return _Options(
        (lo, hi),
        top,
        capacity,
        _bool("fold_case", fold_case),
        _bool("negation", negation),
        lex,
    )


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Counts:
    """Counts over everything analysed (see the README's table)."""

    #: Word segments with a letter or digit (``words + numbers``).
    tokens: int
    #: Tokens with an alphabetic character.
    words: int
    #: Tokens with digits and no alphabetic character.
    numbers: int
    #: Distinct normalised tokens (exact, or a HyperLogLog estimate).
    types: int
    #: Whether ``types`` is exact.
    types_exact: bool
    #: Bytes of input.
    bytes: int
    #: Unicode scalar values (an invalid UTF-8 sequence counts one).
    chars: int
    #: ``\\n`` bytes.
    lines: int
    #: Bytes inside invalid UTF-8 sequences.
    invalid_bytes: int
    #: Tokens longer than the 64-byte limit (counted truncated).
    truncated_tokens: int
    #: Longest token's normalised length in bytes.
    max_token_len: int


@dataclass(frozen=True)
class Score:
    """One lexicon category's results."""

    #: Matched terms (negated ones included).
    hits: int
    #: Hits that were negated.
    negated: int
    #: Sum of effective weights (negated hits times the factor, -1).
    score: float
    #: ``score * 1000 / tokens``.
    per_1k: float
    #: ``hits * 1000 / tokens``.
    hits_per_1k: float


#: A top n-gram: ``(gram, count)`` while the table is exact, else
#: ``(gram, count, error)`` (the true count is in ``count-error..=count``).
#: ``gram`` is ``None`` in the rare case the table had no room for its text.
TopEntry = Union[
    Tuple[Optional[Tuple[str, ...]], int],
    Tuple[Optional[Tuple[str, ...]], int, int],
]


class Report:
    """The results of one analysis: counts, top n-grams, lexicon scores,
    the document signature. Immutable, picklable and mergeable
    (:meth:`merge`); :meth:`to_dict` is one ``<report>`` of the CLI's
    JSON schema 1, number for number and key for key.
    """

    __slots__ = ("_doc", "_signature", "_state", "_options", "path")

    _doc: Dict[str, Any]
    _signature: Tuple[int, ...]
    _state: bytes
    _options: _Options
    #: The file analysed (``analyze_file``/``analyze_files``), else None.
    path: Optional[str]

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("reports come from analyze() or Analyzer.report()")

    @classmethod
    def _make(
        cls,
        raw: Tuple[str, List[int], bytes],
        options: _Options,
        path: Optional[str] = None,
    ) -> "Report":
        self = object.__new__(cls)
        doc, sig, state = raw
        object.__setattr__(self, "_doc", json.loads(doc))
        object.__setattr__(self, "_signature", tuple(sig))
        object.__setattr__(self, "_state", state)
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "path", path)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Report is immutable")

    def __getstate__(self) -> Tuple[Any, ...]:
        return (self._doc, self._signature, self._state, self._options,
                self.path)

    def __setstate__(self, state: Tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state):
            object.__setattr__(self, name, value)

    @property
    def counts(self) -> Counts:
        """The counts (``types`` included)."""
        return Counts(**self._doc["counts"])

    @property
    def scores(self) -> Dict[str, Score]:
        """Lexicon category name -> :class:`Score`, in lexicon order
        (empty without a lexicon)."""
        lex = self._doc["lexicon"]
        if lex is None:
            return {}
        return {k: Score(**v) for k, v in lex["categories"].items()}

    @property
    def lexicon_name(self) -> Optional[str]:
        """The lexicon's name, or None when analysed without one."""
        lex = self._doc["lexicon"]
        return None if lex is None else lex["name"]

    @property
    def ngram_sizes(self) -> Tuple[int, ...]:
        """The n-gram sizes counted."""
        lo, hi = self._options.ngrams
        return tuple(range(lo, hi + 1))

    def _table(self, n: object) -> Dict[str, Any]:
        n = _int("n", n)
        try:
            t: Dict[str, Any] = self._doc["ngrams"][str(n)]
            return t
        except KeyError:
            raise ValueError(
                f"no {n}-grams in this report (sizes "
                f"{self.ngram_sizes})"
            ) from None

    def top(self, n: int, k: Optional[int] = None) -> List[TopEntry]:
        """The ``k`` most frequent ``n``-grams (all kept, ``top`` of the
        analysis, when ``k`` is None), by count then gram: ``(gram,
        count)`` pairs while the table is exact, ``(gram, count, error)``
        triples when it is not."""
        t = self._table(n)
        entries = t["top"]
        if k is not None:
            k = _int("k", k)
            if k < 0:
                raise ValueError(f"k must be >= 0, got {k}")
            # A full list may hide more n-grams; not when it is exact and
            # its counts add up to the total (it lists them all).
            complete = t["exact"] and sum(
                e["count"] for e in entries
            ) == int(t["total"])
            if (
                k > len(entries)
                and len(entries) == self._options.top
                and not complete
            ):
                raise ValueError(
                    f"this report keeps the top {self._options.top} "
                    f"{n}-grams; analyze with top={k} for more"
                )
            entries = entries[:k]
        out: List[TopEntry] = []
        for e in entries:
            gram = None if e["gram"] is None else tuple(e["gram"])
            if t["exact"]:
                out.append((gram, e["count"]))
            else:
                out.append((gram, e["count"], e["error"]))
        return out

    def ngram_total(self, n: int) -> int:
        """How many ``n``-grams were counted (always exact)."""
        return int(self._table(n)["total"])

    def ngram_exact(self, n: int) -> bool:
        """Whether every ``n``-gram count is exact (the distinct
        ``n``-grams fit ``capacity``)."""
        return bool(self._table(n)["exact"])

    @property
    def signature(self) -> Tuple[int, ...]:
        """The bottom-k MinHash hashes of the word 3-grams, ascending."""
        return self._signature

    def similarity(self, other: "Report") -> float:
        """Estimated Jaccard similarity of the two analyses' word 3-gram
        sets (see :func:`similarity`)."""
        return similarity(self, other)

    def merge(self, other: "Report") -> "Report":
        """A new report of both analyses together, as if one analyzer had
        seen both (exactly so while the n-gram tables are exact)."""
        return merge([self, other])

    def to_dict(self) -> Dict[str, Any]:
        """One ``<report>`` of the CLI's JSON schema 1 (``counts``,
        ``ngrams``, ``lexicon``), a fresh copy."""
        d: Dict[str, Any] = json.loads(json.dumps(self._doc))
        return d

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (``json.dumps`` options apply)."""
        return json.dumps(self._doc, **kwargs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return (self._doc, self._signature, self._options) == (
            other._doc, other._signature, other._options,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        c = self._doc["counts"]
        return (
            f"<textmeter.Report tokens={c['tokens']} types={c['types']} "
            f"bytes={c['bytes']} lexicon={self.lexicon_name!r}>"
        )


class FilesResult(NamedTuple):
    """What :func:`analyze_files` returns."""

    #: One report per path, in the order given.
    reports: List[Report]
    #: All files merged in path order.
    total: Report


# ------------------------------------------------------------ entry points

_OPTION_DOC = """
    ``ngrams`` is an int or a ``(min, max)`` range within 1..8; ``top``
    how many n-grams per size reports keep; ``lexicon`` a
    :class:`Lexicon`, a built-in name or None; ``capacity`` the entries
    per n-gram table (exact while the distinct n-grams fit, Space-Saving
    estimates beyond; about 84 + 12 n bytes per entry of n-grams);
    ``fold_case`` lowercases tokens; ``negation`` lets negators flip lexicon hits.
"""


def analyze(
    data: Text,
    *,
    ngrams: Union[int, Tuple[int, int]] = (1, 3),
    top: int = 10,
    lexicon: Union[Lexicon, str, None] = "news-stance",
    capacity: int = DEFAULT_CAPACITY,
    fold_case: bool = True,
    negation: bool = True,
) -> Report:
    """Analyses one document: ``str``, ``bytes``, ``bytearray``,
    ``memoryview`` or ``mmap`` (bytes and str are read in place, other
    buffers copied first). Invalid UTF-8 is counted, never rejected, and
    so are lone surrogates in a ``str`` (those ``surrogateescape`` makes
    as the bytes they stand for).
    For a file use :func:`analyze_file`.
    """
    o = _options(ngrams, top, lexicon, capacity, fold_case, negation)
    if isinstance(data, (os.PathLike,)):
        raise TypeError(
            "analyze() takes the text itself; use analyze_file() for a path"
        )
    return Report._make(_tm.analyze(data, **o.native()), o)


def analyze_file(
    path: PathLike,
    *,
    ngrams: Union[int, Tuple[int, int]] = (1, 3),
    top: int = 10,
    lexicon: Union[Lexicon, str, None] = "news-stance",
    capacity: int = DEFAULT_CAPACITY,
    fold_case: bool = True,
    negation: bool = True,
) -> Report:
    """Analyses one file as one document, read in 1 MiB chunks with the
    GIL released (memory does not grow with the file)."""
    p = _fspath(path, "analyze_file()")
    o = _options(ngrams, top, lexicon, capacity, fold_case, negation)
    return Report._make(_tm.analyze_file(p, **o.native()), o, p)


def analyze_files(
    paths: Iterable[PathLike],
    workers: Optional[int] = None,
    *,
    ngrams: Union[int, Tuple[int, int]] = (1, 3),
    top: int = 10,
    lexicon: Union[Lexicon, str, None] = "news-stance",
    capacity: int = DEFAULT_CAPACITY,
    fold_case: bool = True,
    negation: bool = True,
) -> FilesResult:
    """Analyses each file as one document on ``workers`` threads (default:
    the CPU count; the GIL is released throughout) and merges them in path
    order, so the total does not depend on ``workers``. Raises ``OSError``
    for the first file that cannot be read."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError("analyze_files() expects an iterable of paths")
    ps = [_fspath(p, "analyze_files()") for p in paths]
    if workers is None:
        workers = os.cpu_count() or 1
    workers = _int("workers", workers)
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    o = _options(ngrams, top, lexicon, capacity, fold_case, negation)
    # More workers than files would have nothing to do.
    workers = min(workers, max(len(ps), 1))
    docs, total = _tm.analyze_files(ps, workers=workers, **o.native())
    return FilesResult(
        [Report._make(d, o, p) for d, p in zip(docs, ps)],
        Report._make(total, o),
    )


def merge(reports: Iterable[Report]) -> Report:
    """Merges reports in order into one (exact while the n-gram tables
    are; Space-Saving merges beyond are not associative, so keep the
    order fixed for reproducible numbers). Raises :class:`MergeError` for
    reports analysed with different options."""
    rs = list(reports)
    if not rs:
        raise ValueError("merge() needs at least one report")
    for r in rs:
        if not isinstance(r, Report):
            raise TypeError(
                f"merge() expects Reports, not {_type_name(r)}"
            )
    o = rs[0]._options
    for r in rs[1:]:
        if r._options != o:
            raise MergeError(
                "cannot merge: reports analysed with different options"
            )
    total = _tm.Analyzer(**o.native(), state=rs[0]._state)
    for r in rs[1:]:
        total.merge(_tm.Analyzer(**o.native(), state=r._state))
    return Report._make(total.report(), o)


def similarity(a: Report, b: Report) -> float:
    """Estimated Jaccard similarity of two analyses' word 3-gram sets,
    from their bottom-k MinHash signatures (k = 128; exact when both have
    at most 128 distinct 3-grams; 1.0 when both are empty)."""
    for x in (a, b):
        if not isinstance(x, Report):
            raise TypeError(
                f"similarity() expects Reports, not {_type_name(x)}"
            )
    return _tm.similarity(list(a._signature), list(b._signature))


def tokens(data: Text, raw: bool = False, *, fold_case: bool = True) -> List[str]:
    """The tokens of a text, in order: normalised (lowercased unless
    ``fold_case`` is false, apostrophes folded to ``'``), or as written
    with ``raw=True``."""
    _bool("raw", raw)
    _bool("fold_case", fold_case)
    return _tm.tokens(data, raw, fold_case)


# ----------------------------------------------------------------- analyzer


class Analyzer:
    """A streaming analysis: :meth:`update` with chunks of a document (split
    anywhere, even inside a UTF-8 sequence), :meth:`finish` to end a
    document (no n-gram or lexicon term spans two), :meth:`report` for the
    results so far, :meth:`merge` to add another analyzer's.

    :meth:`report` does not change the analyzer: it reports a copy whose
    current document has ended, so reporting mid-stream does not split
    the document. Picklable: the results round-trip exactly, and a
    restored analyzer is that same copy (it starts a new document; the
    original carries on). :meth:`merge` ends both analyzers' current
    documents. Calls on one analyzer from several threads take turns (a
    lock); chunks from different threads then interleave in the current
    document in whatever order the calls come, so for parallel work use
    one analyzer per thread and merge.
    """

    __slots__ = ("_native", "_options", "_lock")
    _native: _tm.Analyzer
    _options: _Options
    _lock: threading.Lock

    def __init__(
        self,
        *,
        ngrams: Union[int, Tuple[int, int]] = (1, 3),
        top: int = 10,
        lexicon: Union[Lexicon, str, None] = "news-stance",
        capacity: int = DEFAULT_CAPACITY,
        fold_case: bool = True,
        negation: bool = True,
    ) -> None:
        self._options = _options(
            ngrams, top, lexicon, capacity, fold_case, negation
        )
        self._native = _tm.Analyzer(**self._options.native())
        self._lock = threading.Lock()

    def update(self, chunk: Text) -> None:
        """Feeds the next chunk of the current document."""
        with self._lock:
            self._native.update(chunk)

    def update_file(self, path: PathLike) -> None:
        """Feeds a whole file to the current document (call
        :meth:`finish` after it to make it one document)."""
        path = _fspath(path, "Analyzer.update_file()")
        with self._lock:
            self._native.update_file(path)

    def finish(self) -> None:
        """Ends the current document."""
        with self._lock:
            self._native.finish()

    def report(self) -> Report:
        """Everything so far, as if the current document ended now (the
        analyzer itself is not changed)."""
        with self._lock:
            raw = self._native.report()
        return Report._make(raw, self._options)

    def merge(self, other: "Analyzer") -> "Analyzer":
        """Adds ``other``'s results to this analyzer's and returns self
        (so folds can chain). Ends both analyzers' current documents.
        Raises :class:`MergeError` for different options or lexicons."""
        if not isinstance(other, Analyzer):
            raise TypeError(
                f"Analyzer.merge() expects an Analyzer, not "
                f"{_type_name(other)}"
            )
        if other._options != self._options:
            raise MergeError(
                "cannot merge: analyzers with different options"
            )
        # The native merge refuses this too, but only after the locks:
        # taking one lock twice would hang.
        if other is self:
            raise ValueError("cannot merge an analyzer into itself")
        # Both locks, always in one order: a.merge(b) and b.merge(a) at
        # once must not each hold one and wait for the other.
        first, second = sorted((self, other), key=id)
        with first._lock, second._lock:
            self._native.merge(other._native)
        return self

    def __getstate__(self) -> Tuple[_Options, bytes]:
        with self._lock:
            return (self._options, self._native.state())

    def __setstate__(self, state: Tuple[_Options, bytes]) -> None:
        options, saved = state
        self._options = options
        self._native = _tm.Analyzer(**options.native(), state=saved)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        o = self._options
        lex = None if o.lexicon is None else o.lexicon.name
        return (
            f"<textmeter.Analyzer ngrams={o.ngrams} capacity={o.capacity} "
            f"lexicon={lex!r}>"
        )
