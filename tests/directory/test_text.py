"""Free-text search: tolerant of case, accents and small typos, the same on every database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.directory.matching import Criteria
from schakel.directory.selectors import offer_search, provider_list
from schakel.directory.text import normalise, query_words, score, within_distance


def test_normalise():
    assert normalise("Opvang Blijf-Groep, Café ÉÉN") == "opvang blijf groep cafe een"
    assert normalise("Centrum’45") == "centrum 45"
    assert query_words("De opvang VOOR meiden opvang") == ["opvang", "meiden"]


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("opvang", "opvang", 1, 0),
        ("opvnag", "opvang", 1, 1),  # swapped neighbours count as one edit
        ("opvag", "opvang", 1, 1),
        ("opvang", "oopvangg", 1, None),
        ("amsterdm", "amsterdam", 2, 1),
        ("koraal", "coraal", 1, 1),
        ("fier", "fear", 1, None),
    ],
)
def test_within_distance(a, b, limit, expected):
    assert within_distance(a, b, limit) == expected


@given(st.text(alphabet="abcdefghij", min_size=4, max_size=10), st.integers(0, 9))
def test_one_substitution_is_always_found(word, position):
    position %= len(word)
    typo = word[:position] + ("z" if word[position] != "z" else "y") + word[position + 1 :]
    assert within_distance(typo, word, 1) == 1
    assert score([typo], f"iets {word} anders").score > 0


def test_score_prefers_exact_and_name_matches():
    exact = score(["opvang"], "extra opvang amsterdam", "extra opvang")
    typo = score(["opvnag"], "extra opvang amsterdam", "extra opvang")
    assert exact.score > typo.score > 0
    assert exact.exact and not typo.exact
    assert score(["zzzz"], "extra opvang").score == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("KORAAL", "yip"),
        ("coraal", "koraal_consultatie"),
        ("opvnag amsterdm", "hvo_extra_opvang"),
        ("Centrum Seksueel Geweld", "csg_0800"),
        ("centrum seksueel gewelt", "csg_0800"),
        ("cliëntondersteuning", "onafhankelijke_clientondersteuning"),
        ("clientondersteuning", "onafhankelijke_clientondersteuning"),
        ("Safe & Sound", "safe_and_sound"),
    ],
)
def test_search_is_tolerant(wegwijzer, query, expected):
    keys = [m.offer["key"] for m in offer_search(criteria=Criteria(q=query)).matches]
    assert expected in keys[:3], keys


@pytest.mark.django_db
def test_text_narrows_and_criteria_still_explain(wegwijzer):
    result = offer_search(criteria=Criteria(q="fier", gender="man"))
    keys = {m.offer["key"] for m in result.matches}
    assert {"asja", "ravi", "fier_advies_aanmeldingen"} <= keys
    assert "yip" not in keys
    asja = next(m for m in result.matches if m.offer["key"] == "asja")
    assert asja.reasons == ["geslacht: alleen voor meiden en vrouwen"]


@pytest.mark.django_db
def test_nothing_matches_nonsense(wegwijzer):
    assert offer_search(criteria=Criteria(q="qqqqxxxx")).matches == []


@pytest.mark.django_db
def test_provider_search(wegwijzer):
    names = [p.key for p in provider_list(q="comensa")]
    assert names[0] == "comensha"
