"""Dutch full-text search that behaves the same on SQLite and PostgreSQL.

Text is normalised (lower case, accents stripped, only letters and digits), cut into words and
reduced by a light Dutch stemmer. Every item keeps its terms in `SearchTerm` (an indexed column):
each word, its stem, and the head of a few well-known compounds ("arbeidsuitbuiting" is also
found under "uitbuiting"). A query word matches every term that *starts with* its stem, so
"uitbuit" finds "uitbuiting" and "slachtoffers" finds "slachtoffer". A query word that matches
nothing is compared with the stored vocabulary and replaced by the terms within one or two typing
errors ("uitbiting" → "uitbuiting").
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

TERM_MAX = 64
MIN_WORD = 2

STOPWORDS = frozenset(
    {
        *("aan", "al", "als", "bij", "dan", "dat", "de", "den", "der", "des", "die", "dit"),
        *("door", "een", "en", "er", "het", "hij", "hoe", "in", "is", "je", "met", "na"),
        *("naar", "niet", "of", "om", "ook", "op", "over", "te", "ten", "ter", "tot", "u"),
        *("uit", "van", "voor", "wat", "we", "wel", "wie", "zij", "zijn", "zo"),
        *("the", "and", "for"),
    }
)

# Heads of Dutch compounds in this domain: a word ending in one (after a prefix of at least
# three letters) is also indexed under the head, so a search for the head finds the compound.
COMPOUND_HEADS = (
    "uitbuiting",
    "handel",
    "slachtoffer",
    "dader",
    "zorg",
    "hulp",
    "verlening",
    "opvang",
    "signalering",
    "instrument",
    "training",
    "preventie",
    "beperking",
    "politie",
    "onderwijs",
    "school",
    "gemeente",
    "jongere",
    "meisje",
    "jongen",
    "onderzoek",
    "rapport",
    "monitor",
    "aanpak",
    "geweld",
    "coordinator",
    "werker",
    "programma",
    "materiaal",
    "kennis",
)

_UNDOUBLE = re.compile(r"(bb|dd|ff|gg|kk|ll|mm|nn|pp|rr|ss|tt)$")
_DOUBLE_VOWEL = re.compile(r"(aa|ee|oo|uu)([^aeiouy])$")
_VOWELS = frozenset("aeiouy")


def normalise(text: str) -> str:
    """Lower case, accents stripped (é → e, ï → i), apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower().replace("'", "").replace("’", "").replace("ß", "ss")


def words(text: str) -> list[str]:
    """The words of `text`, normalised: runs of letters and digits."""
    return [w[:TERM_MAX] for w in re.findall(r"[a-z0-9]+", normalise(text))]


def stem(word: str) -> str:
    """A light Dutch stemmer: plural and inflection endings off, doubled consonants undone.

    It does not need to give linguistic stems, only the same stem for the forms people type:
    slachtoffers/slachtoffer, meisjes/meisje, jongeren/jongere, processen/proces,
    mogelijkheden/mogelijkheid, uitbuitingen/uitbuiting, huizen/huis, criminele/crimineel.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("heden"):
        return word[:-5] + "heid"
    if word.endswith("ingen"):
        return word[:-2]
    if word.endswith("en") and len(word) > 4:
        base = word[:-2]
        if _UNDOUBLE.search(base):
            base = base[:-1]
        elif base.endswith("z"):
            base = base[:-1] + "s"
        elif base.endswith("v"):
            base = base[:-1] + "f"
        word = base
    elif word.endswith("s") and len(word) > 4 and word[-2] in "elrnj":
        word = word[:-1]
    elif word.endswith("s") and len(word) > 4 and word[-2] in _VOWELS and word[-3] not in _VOWELS:
        word = word[:-1]  # video's → videos → video, agenda's → agenda
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    # crimineel/criminele, jaar/jaren: one spelling of the vowel before the last consonant.
    return _DOUBLE_VOWEL.sub(lambda m: m.group(1)[0] + m.group(2), word)


def _compound_heads(word: str) -> list[str]:
    return [
        head
        for head in COMPOUND_HEADS
        if len(word) >= len(head) + 3 and word.endswith(head) and word != head
    ]


def index_terms(fields: list[tuple[str, int]]) -> dict[str, int]:
    """The terms to store for an item: {term: weight}, the highest weight of any field."""
    terms: dict[str, int] = {}

    def add(term: str, weight: int) -> None:
        if len(term) >= MIN_WORD and term not in STOPWORDS:
            terms[term] = max(weight, terms.get(term, 0))

    for text, weight in fields:
        for word in words(text):
            add(word, weight)
            add(stem(word), weight)
            for head in {*_compound_heads(word), *_compound_heads(stem(word))}:
                add(head, max(1, weight - 1))
                add(stem(head), max(1, weight - 1))
    return terms


def query_words(query: str) -> list[str]:
    """The stems to look for, in order and without repeats. Stop words are not searched for."""
    meaningful = [w for w in words(query) if len(w) >= MIN_WORD and w not in STOPWORDS]
    stems: list[str] = []
    for word in meaningful:
        s = stem(word)
        if s not in stems:
            stems.append(s)
    return stems[:8]


# Terms hold only these characters, in this order in every collation we run on (C, C.UTF-8,
# glibc and ICU locales all sort digits before letters and compare lower case letters a-z).
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def prefix_upper(term: str) -> str | None:
    """The smallest term after every term that starts with `term` (None: no upper bound)."""
    chars = list(term)
    while chars:
        position = ALPHABET.find(chars[-1])
        if 0 <= position < len(ALPHABET) - 1:
            chars[-1] = ALPHABET[position + 1]
            return "".join(chars)
        chars.pop()
    return None


def prefix_q(term: str, field_name: str = "term") -> Q:
    """Terms that start with `term`, as a range the (term, item, weight) index answers alone.

    On PostgreSQL the range is also checked with LIKE 'term%', which costs nothing on the
    index entries and keeps the answer exact should a database collation order differently.
    """
    q = Q(**{f"{field_name}__gte": term})
    upper = prefix_upper(term)
    if upper is not None:
        q &= Q(**{f"{field_name}__lt": upper})
    if connection.vendor != "sqlite":
        q &= Q(**{f"{field_name}__startswith": term})
    return q


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts as one), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    if len(word) < 5:
        return 0
    return 1 if len(word) < 8 else 2


def similar_terms(word: str, *, limit: int = 5) -> list[str]:
    """Stored terms within the allowed number of typos of `word`, closest first.

    Candidates have about the same length and share the first two letters; only when none of
    those is close enough, the first letter. The index narrows the vocabulary before the
    distances are computed, so a typo costs a few milliseconds, not a scan.
    """
    from .models import SearchVocabulary

    typos = allowed_typos(word)
    if not typos:
        return []
    for shared in (word[:2], word[:1]):
        candidates = (
            SearchVocabulary.objects.filter(prefix_q(shared))
            .filter(length__gte=len(word) - typos, length__lte=len(word) + typos)
            .values_list("term", flat=True)
        )
        scored = []
        for term in candidates:
            distance = edit_distance(word, term, typos)
            if distance <= typos:
                scored.append((distance, term))
        if scored:
            scored.sort()
            return [term for _distance, term in scored[:limit]]
    return []


@dataclass
class QueryPlan:
    """What a query searches for: per query word, the stems that count as a match."""

    words: list[str] = field(default_factory=list)
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    corrected: dict[str, list[str]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    @property
    def searchable(self) -> bool:
        return bool(self.words) and not self.unknown


def plan_query(query: str) -> QueryPlan:
    """Turn the query into prefixes to match; correct words that match nothing."""
    from .models import SearchTerm

    plan = QueryPlan(words=query_words(query))
    for word in plan.words:
        if SearchTerm.objects.filter(prefix_q(word)).exists():
            plan.alternatives[word] = [word]
            continue
        similar = similar_terms(word)
        if similar:
            plan.alternatives[word] = similar
            plan.corrected[word] = similar
        else:
            plan.unknown.append(word)
    return plan
