"""Dutch full-text search: normalisation, stemming, prefixes, typos, filters and ranking."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schakel.knowledge import search, selectors, services
from schakel.knowledge.models import SearchTerm

from .factories import KnowledgeItemFactory

# -- the text functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Coördinatoren", "coordinatoren"),
        ("CLIËNT", "client"),
        ("Uitbuïting", "uitbuiting"),
        ("video's", "videos"),
        ("één", "een"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_strips_accents_and_case(text, expected):
    assert search.normalise(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("slachtoffers", "slachtoffer"),
        ("meisjes", "meisje"),
        ("jongeren", "jongere"),
        ("processen", "processen"),
        ("mogelijkheden", "mogelijkheid"),
        ("uitbuitingen", "uitbuiting"),
        ("huizen", "huis"),
        ("criminele", "crimineel"),
        ("jaren", "jaar"),
        ("daders", "dader"),
        ("scholen", "school"),
        ("brieven", "brief"),
    ],
)
def test_stemmer_gives_inflected_forms_one_stem(a, b):
    assert search.stem(a) == search.stem(b)


def test_stemmer_leaves_short_words_and_numbers():
    assert search.stem("lvb") == "lvb"
    assert search.stem("2023") == "2023"


def test_query_words_drop_stop_words():
    assert search.query_words("de aanpak van uitbuiting") == ["aanpak", "uitbuiting"]
    assert search.query_words("de") == []
    assert search.query_words("  ") == []


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("uitbuiting", "uitbuiting", 0),
        ("uitbiting", "uitbuiting", 1),  # a letter missing
        ("uitbuitign", "uitbuiting", 1),  # two letters swapped
        ("slachtofer", "slachtoffer", 1),
        ("slachtofers", "slachtoffer", 2),
    ],
)
def test_edit_distance(a, b, distance):
    assert search.edit_distance(a, b, 3) == distance


def test_edit_distance_stops_at_the_limit():
    assert search.edit_distance("abcdefgh", "zyxwvuts", 2) == 3


DUTCHISH = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnoprstuvwzéëïöü' -")), min_size=0, max_size=60
)


@given(DUTCHISH)
@settings(max_examples=200)
def test_every_word_is_findable_by_itself(text):
    """Whatever the text, searching for one of its words matches a stored term."""
    terms = search.index_terms([(text, 1)])
    for word in search.query_words(text):
        assert any(term.startswith(word) for term in terms), (word, sorted(terms))


@given(DUTCHISH)
@settings(max_examples=200)
def test_case_and_accents_do_not_change_the_query(text):
    plain = search.normalise(text)
    assert search.query_words(text.upper()) == search.query_words(text)
    assert search.query_words(plain) == search.query_words(text)


@given(st.text(max_size=80))
def test_terms_are_plain_lower_case_ascii(text):
    for term in search.index_terms([(text, 1)]):
        assert term.isascii() and term == term.lower() and term.isalnum()
        assert 2 <= len(term) <= search.TERM_MAX


# -- searching the database --------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def slugs(page):
    return [item.slug for item in page.items]


def find(query="", **filters):
    return selectors.item_search(actor=None, query=query, per_page=100, **filters)


@pytest.mark.django_db
class TestSearchOnSeedData:
    @pytest.fixture(autouse=True)
    def _data(self, loaded):
        pass

    def test_no_query_lists_everything_by_title(self):
        page = find()
        assert page.total == 61
        titles = [item.sort_title for item in page.items]
        assert titles == sorted(titles)

    def test_inflected_forms_find_the_same_items(self):
        assert set(slugs(find("uitbuiten"))) == set(slugs(find("uitbuiting")))
        assert set(slugs(find("slachtoffers"))) == set(slugs(find("slachtoffer")))
        assert "make_a_move_plus" in slugs(find("jongen"))
        assert "actieplan_azough" in slugs(find("meisje"))

    def test_accents_and_case_are_ignored(self):
        assert slugs(find("COÖRDINATOR")) == slugs(find("coordinator"))
        assert "wegwijzer_mensenhandel" in slugs(find("zorgcoördinatoren"))
        assert "barrieremodel" in slugs(find("Barrièremodel"))

    def test_prefix_matches(self):
        assert "podcast_na_de_daad" in slugs(find("podc"))
        assert "rapport_uitbuiting_lvb_2023" in slugs(find("knelp"))

    def test_compound_found_by_its_head(self):
        found = slugs(find("uitbuiting"))
        assert "dadermonitor_2017_2021" in found  # only says "arbeidsuitbuiting" via its form
        assert "fieldlabs" in slugs(find("samenwerking"))

    @pytest.mark.parametrize(
        ("typo", "meant"),
        [("uitbiting", "uitbuiting"), ("slachtofer", "slachtoffer"), ("podcsat", "podcast")],
    )
    def test_typos_within_reason(self, typo, meant):
        page = find(typo)
        assert page.plan.corrected, "the typo should have been corrected"
        assert set(slugs(page)) == set(slugs(find(meant)))

    def test_nonsense_finds_nothing_and_says_which_word(self):
        page = find("uitbuiting qwxzvj")
        assert page.total == 0 and page.items == []
        assert page.plan.unknown == ["qwxzvj"]

    def test_all_words_must_match(self):
        both = set(slugs(find("criminele school")))
        assert both and both <= set(slugs(find("criminele"))) & set(slugs(find("school")))
        assert "dader_of_slachtoffer" in both

    def test_title_match_ranks_first(self):
        assert slugs(find("podcast"))[0] == "podcast_na_de_daad"
        assert slugs(find("barrièremodel loverboys"))[0] == "barrieremodel"

    def test_filters(self):
        parents = find(audience="parents")
        assert "11vb_quickscan" in slugs(parents)
        assert all(
            "parents" in [r.audience for r in item.audience_rows.all()] for item in parents.items
        )
        assert set(slugs(find(kind="podcast"))) == {"podcast_na_de_daad"}
        criminal = find(form="criminal")
        assert "kijken_met_andere_ogen" in slugs(criminal)
        assert "11vb" not in slugs(criminal)
        specific = find(lvb="specific")
        assert all(item.lvb_suitability == "specific" for item in specific.items)

    def test_query_and_filters_combine(self):
        page = find("uitbuiting", audience="schools", form="criminal")
        assert page.total >= 1
        for item in page.items:
            assert "schools" in [r.audience for r in item.audience_rows.all()]
            assert "criminal" in [r.form for r in item.form_rows.all()]

    def test_unknown_filter_value_finds_nothing(self):
        assert find(audience="martians").total == 0

    def test_pages(self):
        first = selectors.item_search(actor=None, per_page=25, page=1)
        third = selectors.item_search(actor=None, per_page=25, page=3)
        assert first.num_pages == 3 and len(third.items) == 11
        assert third.start_index == 51
        assert selectors.item_search(actor=None, per_page=25, page="x").number == 1
        with pytest.raises(Exception):  # noqa: B017 - Http404
            selectors.item_search(actor=None, per_page=25, page=9, strict=True)


@pytest.mark.django_db
def test_withdrawn_items_are_hidden_but_managers_can_ask_for_them(functional_admin):
    item = KnowledgeItemFactory(title="Verborgen handreiking", is_published=False)
    assert find("verborgen").total == 0
    page = selectors.item_search(actor=functional_admin, query="verborgen", include_withdrawn=True)
    assert slugs(page) == [item.slug]
    page = selectors.item_search(actor=None, query="verborgen", include_withdrawn=True)
    assert page.total == 0


@pytest.mark.django_db
def test_index_follows_an_edit(functional_admin):
    item = services.item_create(
        actor=functional_admin,
        title="Gespreksleidraad voor wijkteams",
        kind="guide",
        description="Hulp bij een eerste gesprek over zorgen.",
        audiences=["municipalities"],
        lvb_suitability="general",
    )
    assert slugs(find("gespreksleidraad")) == [item.slug]
    services.item_update(
        actor=functional_admin, item=item, expected_version=1, title="Praatplaat voor wijkteams"
    )
    assert find("gespreksleidraad").total == 0
    assert slugs(find("praatplaat")) == [item.slug]
    assert not SearchTerm.objects.filter(item=item, term="gespreksleidraad").exists()


@pytest.mark.django_db
def test_facet_labels_are_searchable():
    item = KnowledgeItemFactory(title="Iets", kind="podcast", audiences=["housing"])
    assert item.slug in slugs(find("woningcorporaties"))
    assert item.slug in slugs(find("podcast"))


@pytest.mark.django_db
def test_related_items_share_forms_and_words(loaded):
    item = selectors.item_get(actor=None, slug="11vb")
    related = [other.slug for other in selectors.item_related(item=item)]
    assert "11vb" not in related
    assert {"elearning_11vb", "11vb_quickscan"} & set(related)
    assert len(related) <= 5
    lonely = KnowledgeItemFactory(title="Zzz", audiences=[], forms=[])
    assert selectors.item_related(item=lonely) == []


def test_prefix_upper_bound():
    assert search.prefix_upper("uitbuiting") == "uitbuitinh"
    assert search.prefix_upper("abz") == "ac"
    assert search.prefix_upper("ab9") == "aba"
    assert search.prefix_upper("zz") is None


TERM = st.text(alphabet=search.ALPHABET, min_size=1, max_size=12)


@given(TERM, st.text(alphabet=search.ALPHABET, max_size=8), TERM)
def test_prefix_range_is_exactly_the_prefix(prefix, tail, other):
    upper = search.prefix_upper(prefix)
    word = prefix + tail
    assert word >= prefix and (upper is None or word < upper)
    in_range = other >= prefix and (upper is None or other < upper)
    assert in_range == other.startswith(prefix)
