"""Words as search compares them: without case or accents, stemmed, and forgiving of typos.

People type "walking" for "Health walks", "helth" for "health" and "b82005" for "B82005".
Search, list filters and "did you mean" all compare words the same way through this module:
:func:`fold` and :func:`words` for what a word is, :func:`stem` (Snowball's English stemmer)
for "the same word", and :class:`Vocabulary` (rapidfuzz edit distances) for "nearly the same
word", so that one typo in a word of four letters or more still finds it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["STOP_WORDS", "Vocabulary", "fold", "significant", "stem", "typos_allowed", "words"]

#: words too common to tell names apart ("Health and wellbeing"); "illustrative" marks every
#: name of the demo, so it tells nothing either
STOP_WORDS = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to")
    + ("with", "illustrative")
)
_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("english")
#: a snowball stemmer keeps its work in the instance, so two threads stemming at once (two
#: requests building the search index) break each other's words: one at a time
_STEMMING = threading.Lock()


def fold(text: str) -> str:
    """``text`` without case or accents, for matching.

    >>> fold("Café Élan")
    'cafe elan'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``, punctuation dropped.

    >>> words("Bolton health-walks (illustrative)")
    ['bolton', 'health', 'walks', 'illustrative']
    """
    return _WORD.findall(fold(text))


def significant(found: list[str]) -> list[str]:
    """``found`` without stop words, unless that would leave nothing.

    >>> significant(["walks", "in", "bolton"]), significant(["the"])
    (['walks', 'bolton'], ['the'])
    """
    kept = [w for w in found if w not in STOP_WORDS]
    return kept or found


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of a folded word: "walking", "walks" and "walk" are one word to a reader.

    >>> stem("walking"), stem("walks"), stem("communities")
    ('walk', 'walk', 'communiti')
    """
    with _STEMMING:
        return _STEMMER.stemWord(word)


def typos_allowed(word: str, relaxed: bool = False) -> int:
    """How many typos a word may hold and still match: none in short words (where one typo
    makes another word), one from four letters, two from eight; ``relaxed`` (when nothing
    matched otherwise) allows one more, and one from three letters.

    >>> [typos_allowed(w) for w in ("pcn", "helth", "wellbeeing")]
    [0, 1, 2]
    >>> [typos_allowed(w, relaxed=True) for w in ("gp", "pnc", "helht")]
    [0, 1, 2]
    """
    if len(word) < 3 or word.isdigit():
        return 0
    if len(word) < 4:
        return 1 if relaxed else 0
    return (1 if len(word) < 8 else 2) + relaxed


class Vocabulary:
    """Every word of the names searched, for finding the words nearly like a typed one."""

    def __init__(self, every: Iterable[str]):
        self.words = sorted(set(every))
        self._known = set(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def near(self, word: str, relaxed: bool = False) -> set[str]:
        """The words within :func:`typos_allowed` edits of ``word`` (a swap of two letters
        counts as one edit).

        >>> sorted(Vocabulary(["health", "wealth", "walks"]).near("helth"))
        ['health']
        """
        limit = typos_allowed(word, relaxed)
        if not limit:
            return set()
        found = process.extract(
            word, self.words, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        return {match for match, _, _ in found}

    def closest(self, word: str) -> str | None:
        """The known word fewest edits from ``word`` (within the relaxed allowance of
        :func:`typos_allowed`), if any: the word to suggest instead.

        >>> Vocabulary(["wigan", "bolton", "lakes", "walks"]).closest("wlaks")
        'walks'
        """
        if word in self._known:
            return word
        limit = typos_allowed(word, relaxed=True)
        if not limit:
            return None
        found = process.extract(word, self.words, scorer=OSA.distance, score_cutoff=limit)
        return min(found, key=lambda f: (f[1], f[0]))[0] if found else None
