"""Type stubs of ``textmeter._native``, the private extension module.

Use the public ``textmeter`` package instead: it checks argument types and
wraps these results in classes. Every report here is a tuple ``(json,
signature, state)``: the ``<report>`` object of the CLI's JSON schema 1 as
JSON text, the bottom-k MinHash hashes (ascending) and the analyzer's
``TMAZ`` v1 state bytes (for merging and pickling).
"""

import os
from typing import List, Optional, Sequence, Tuple, Union

from typing_extensions import Buffer, final

__all__ = [
    "Analyzer",
    "ConfigError",
    "Lexicon",
    "LexiconError",
    "MergeError",
    "StateError",
    "analyze",
    "analyze_file",
    "analyze_files",
    "detect_lexicon_format",
    "similarity",
    "tokens",
]

_Raw = Tuple[str, List[int], bytes]
_Text = Union[str, Buffer]

class LexiconError(ValueError):
    """A lexicon text could not be parsed."""

    #: The 1-based line at fault, or None when not about one line.
    line: Optional[int]
    #: What is wrong, e.g. ``"missing_tab"`` or ``"bad_weight"``.
    kind: str

class ConfigError(ValueError):
    """An invalid analyzer configuration (n-gram range, capacity...)."""

class MergeError(ValueError):
    """Different configurations or lexicons merged or restored together."""

class StateError(ValueError):
    """Bytes that are not a valid serialised analyzer state (TMAZ v1)."""

@final
class Lexicon:
    """A parsed stance lexicon: its source text and format, checked once;
    compiled again for each analysis with the analyzer's tokenizer
    configuration. Immutable."""

    def __new__(cls, text: Union[str, bytes], format: str = "auto") -> "Lexicon":
        """Parses ``text`` (``format``: auto, tsv, afinn or liwc); raises
        :class:`LexiconError`."""
    @staticmethod
    def builtin(name: str) -> "Lexicon":
        """The built-in lexicon called ``name`` (only ``news-stance``)."""
    @property
    def name(self) -> str:
        """The lexicon's name."""
    @property
    def format(self) -> str:
        """The format it was parsed as: tsv, afinn or liwc."""
    @property
    def categories(self) -> List[str]:
        """Category names in index order."""
    @property
    def term_count(self) -> int:
        """Number of distinct terms."""
    @property
    def source(self) -> bytes:
        """The text it was parsed from."""

@final
class Analyzer:
    """A streaming core analyzer with its own arena and lexicon copy."""

    def __new__(
        cls,
        ngrams: Tuple[int, int],
        top: int,
        capacity: int,
        fold_case: bool,
        negation: bool,
        lexicon: Optional[Lexicon],
        state: Optional[bytes] = None,
    ) -> "Analyzer":
        """A new analyzer, or one restored from ``state`` (raises
        :class:`StateError` or :class:`MergeError`)."""
    def update(self, data: _Text) -> None:
        """Feeds the next chunk of the current document (GIL released)."""
    def update_file(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Feeds a whole file to the current document."""
    def finish(self) -> None:
        """Ends the current document."""
    def report(self) -> _Raw:
        """Reports everything so far, as if the current document ended
        now, without changing the analyzer."""
    def state(self) -> bytes:
        """The TMAZ v1 state as if the current document ended now, without
        changing the analyzer."""
    def merge(self, other: "Analyzer") -> None:
        """Adds ``other``'s results; ends both current documents."""

def analyze(
    data: _Text,
    ngrams: Tuple[int, int],
    top: int,
    capacity: int,
    fold_case: bool,
    negation: bool,
    lexicon: Optional[Lexicon],
) -> _Raw:
    """Analyses one text as one document, with the GIL released."""

def analyze_file(
    path: Union[str, "os.PathLike[str]"],
    ngrams: Tuple[int, int],
    top: int,
    capacity: int,
    fold_case: bool,
    negation: bool,
    lexicon: Optional[Lexicon],
) -> _Raw:
    """Analyses one file as one document, read in 1 MiB chunks."""

def analyze_files(
    paths: Sequence[Union[str, "os.PathLike[str]"]],
    ngrams: Tuple[int, int],
    top: int,
    capacity: int,
    fold_case: bool,
    negation: bool,
    lexicon: Optional[Lexicon],
    workers: int,
) -> Tuple[List[_Raw], _Raw]:
    """Analyses files on ``workers`` threads; returns the per-file
    reports and their total, merged in path order."""

def similarity(a: List[int], b: List[int], k: int = 128) -> float:
    """Estimated Jaccard similarity from two signatures' hashes."""

def tokens(data: _Text, raw: bool = False, fold_case: bool = True) -> List[str]:
    """The tokens of a text: normalised, or as written with ``raw``."""

def detect_lexicon_format(text: bytes) -> str:
    """Guesses a lexicon text's format: tsv, afinn or liwc."""
