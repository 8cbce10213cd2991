"""Free-text search that behaves the same on SQLite and PostgreSQL.

Every provider and offer keeps a normalised `search_text` (lower case, no accents, only letters
and digits separated by single spaces). A query is normalised the same way and split into words.
Candidates are narrowed by short letter groups (n-grams) of the query words: in SQL with plain
`LIKE` (`candidate_filter`, which both backends do alike) or on texts already in memory
(`could_match`). Python then scores each candidate: a query word that occurs in the text counts
fully, one that is a small edit away from a word of the text (one typo in a word of 4-7 letters,
two from 8 letters on) counts a little less.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Words too common to mean anything in a search of the wegwijzer.
STOPWORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "van",
        "voor",
        "met",
        "bij",
        "in",
        "op",
        "aan",
        "te",
        "tot",
        "door",
        "die",
        "dat",
        "is",
        "zijn",
        "er",
        "om",
        "als",
        "naar",
    ]
)


def normalise(text: str) -> str:
    """'Opvang Blijf-Groep, Café' → 'opvang blijf groep cafe'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


def query_words(query: str) -> list[str]:
    words = [w for w in normalise(query).split() if w not in STOPWORDS]
    return list(dict.fromkeys(words))[:8]  # unique, in order; a query is a few words


def allowed_typos(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def within_distance(a: str, b: str, limit: int) -> int | None:
    """Edit distance between a and b (a swap of two neighbours counts as one edit, as in
    "opvnag") when it is at most `limit`, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    if a == b:
        return 0
    before = None
    previous = list(range(len(b) + 1))
    previous_min = 0
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, before[j - 2] + 1)
            current.append(value)
        row_min = min(current)
        if row_min > limit and previous_min > limit:
            return None
        before, previous, previous_min = previous, current, row_min
    return previous[-1] if previous[-1] <= limit else None


def _grams(word: str) -> set[str]:
    """Letter groups of which at least one survives `allowed_typos(word)` edits."""
    if len(word) < 4:
        return {word}
    size = 2 if len(word) < 8 else 3
    return {word[i : i + size] for i in range(len(word) - size + 1)}


def candidate_filter(words: list[str], field: str = "search_text") -> Q:
    """A Q that keeps every row that could match all `words` (and some that do not)."""
    condition = Q()
    for word in words:
        any_gram = Q()
        for gram in sorted(_grams(word)):
            any_gram |= Q(**{f"{field}__contains": gram})
        condition &= any_gram
    return condition


def could_match(words: list[str], text: str) -> bool:
    """The same test as `candidate_filter`, on a text already in memory."""
    return all(any(gram in text for gram in _grams(word)) for word in words)


class Vocabulary:
    """The distinct words of a set of texts, to find a query word's near neighbours once per
    search instead of once per text. Results per query word are kept (a few hundred)."""

    def __init__(self, words: set[str]):
        self.words = words
        self._near: dict[str, dict[str, int]] = {}

    def near(self, word: str) -> dict[str, int]:
        """{text word: distance} for the words within `allowed_typos(word)` edits of `word`
        (or whose start is)."""
        found = self._near.get(word)
        if found is not None:
            return found
        limit = allowed_typos(word)
        grams = _grams(word)
        found = {}
        if limit:
            for candidate in self.words:
                if len(candidate) < len(word) - limit:
                    continue
                if not any(gram in candidate for gram in grams):
                    continue
                best = None
                for other in (candidate, candidate[: len(word)]):
                    distance = within_distance(word, other, limit)
                    if distance is not None and (best is None or distance < best):
                        best = distance
                if best is not None:
                    found[candidate] = best
        if len(self._near) > 500:
            self._near.clear()
        self._near[word] = found
        return found


@dataclass(frozen=True)
class TextScore:
    score: float  # 0 when not every word matched
    exact: bool


def score(
    words: list[str],
    text: str,
    name: str = "",
    *,
    text_words: frozenset[str] | None = None,
    vocabulary: Vocabulary | None = None,
) -> TextScore:
    """How well the normalised `text` (and its `name`) answers the query `words`.

    `text_words` (the set of words of `text`) and a `vocabulary` that holds them make the typo
    check a set intersection; without them the words are compared one by one."""
    if not words:
        return TextScore(0.0, True)
    if text_words is None:
        text_words = frozenset(text.split())
    if vocabulary is None:
        vocabulary = Vocabulary(set(text_words))
    total = 0.0
    exact = True
    for word in words:
        if word in text:
            total += 1.5 if word in name else 1.0
            continue
        if not allowed_typos(word):
            return TextScore(0.0, False)
        near = vocabulary.near(word)
        distances = [near[w] for w in text_words if w in near] if near else []
        if not distances:
            return TextScore(0.0, False)
        best = min(distances)
        exact = False
        total += 1.0 - best / (len(word) + 1)
    return TextScore(total, exact)
