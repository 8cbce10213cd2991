"""The matching rules on plain values (no database): bounds, regions, LVB and multiproblem
criteria, capacity, and the reasons text."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.directory.matching import FULL, PARTIAL, Criteria, Place, evaluate, join_names

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
LEEUWARDEN = Place("GM0080", "Leeuwarden", "VR02", "Fryslân", "Fryslân")
HEERENVEEN = Place("GM0074", "Heerenveen", "VR02", "Fryslân", "Fryslân")
MAASTRICHT = Place("GM0935", "Maastricht", "VR24", "Limburg-Zuid", "Limburg")


class Names:
    def municipality(self, code):
        return {"GM0080": "Leeuwarden", "GM0599": "Rotterdam"}.get(code, code)

    def region(self, code):
        return {"VR02": "Fryslân", "VR09": "Utrecht"}.get(code, code)


def offer(**values):
    base = {
        "key": "o",
        "name": "Aanbod",
        "services": ["treatment"],
        "forms": [],
        "age_min": None,
        "age_max": None,
        "genders": [],
        "lvb": "",
        "iq_min": None,
        "iq_max": None,
        "ggz": "",
        "addiction": "",
        "with_children": None,
        "scope": "national",
        "municipalities": [],
        "safety_regions": [],
        "provinces": [],
        "area_note": "",
        "places": None,
        "free_places": None,
        "waiting_weeks": None,
        "capacity_updated_at": None,
    }
    base.update(values)
    return base


def check(o, place=None, **criteria):
    return evaluate(o, Criteria(**criteria), place=place, names=Names(), now=NOW, stale_days=30)


# -- age ----------------------------------------------------------------------------------------


def test_age_outside_both_bounds_names_the_range():
    m = check(offer(age_min=12, age_max=23), age=24)
    assert m.fit == PARTIAL
    assert m.reasons == ["leeftijd 24 valt buiten 12–23"]


@pytest.mark.parametrize("age", [12, 18, 23])
def test_age_bounds_are_inclusive(age):
    assert check(offer(age_min=12, age_max=23), age=age).fit == FULL


def test_open_ended_age_bounds():
    assert check(offer(age_min=18), age=17).reasons == ["leeftijd 17: pas vanaf 18 jaar"]
    assert check(offer(age_max=17), age=19).reasons == ["leeftijd 19: alleen tot en met 17 jaar"]
    assert check(offer(age_min=18), age=40).fit == FULL


def test_unknown_age_limits_are_a_note_not_a_misfit():
    m = check(offer(), age=30)
    assert m.fit == FULL and m.notes == ["leeftijdsgrenzen niet bekend"]


@given(
    low=st.integers(0, 60),
    span=st.integers(0, 40),
    age=st.integers(0, 120),
)
def test_age_fits_exactly_when_within_bounds(low, span, age):
    high = low + span
    m = check(offer(age_min=low, age_max=high), age=age)
    assert (m.fit == FULL) == (low <= age <= high)
    if m.fit == PARTIAL:
        assert m.reasons == [f"leeftijd {age} valt buiten {low}–{high}"]


# -- region -------------------------------------------------------------------------------------


def test_region_containment_by_municipality_safety_region_and_province():
    by_municipality = offer(scope="regional", municipalities=["GM0080", "GM0599"])
    assert check(by_municipality, place=LEEUWARDEN).fit == FULL
    assert check(by_municipality, place=HEERENVEEN).reasons == [
        "regio: alleen Leeuwarden en Rotterdam"
    ]
    by_region = offer(scope="regional", safety_regions=["VR02"])
    assert check(by_region, place=HEERENVEEN).fit == FULL
    assert check(by_region, place=MAASTRICHT).reasons == ["regio: alleen veiligheidsregio Fryslân"]
    by_province = offer(scope="regional", provinces=["Limburg"])
    assert check(by_province, place=MAASTRICHT).fit == FULL
    assert check(by_province, place=LEEUWARDEN).reasons == ["regio: alleen provincie Limburg"]


def test_national_offers_fit_everywhere_and_regional_ones_rank_higher_nearby():
    national = check(offer(scope="national"), place=LEEUWARDEN)
    nearby = check(offer(scope="regional", municipalities=["GM0080"]), place=LEEUWARDEN)
    assert national.fit == nearby.fit == FULL
    assert nearby.score > national.score


def test_landelijk_only_fits_national_offers():
    regional = offer(scope="regional", municipalities=["GM0080"])
    assert check(regional, national=True).reasons == ["regio: alleen Leeuwarden"]
    assert check(offer(scope="national"), national=True).fit == FULL


def test_unknown_area_is_a_note_with_what_the_source_says():
    m = check(offer(scope="", area_note="zuiden van Nederland"), place=LEEUWARDEN)
    assert m.fit == FULL
    assert m.notes == ["werkgebied niet precies bekend: zuiden van Nederland"]


# -- target group -------------------------------------------------------------------------------


def test_gender():
    girls = offer(genders=["vrouw"])
    assert check(girls, gender="vrouw").fit == FULL
    assert check(girls, gender="man").reasons == ["geslacht: alleen voor meiden en vrouwen"]
    other = check(girls, gender="x")
    assert other.fit == FULL and other.notes == ["geslacht: bedoeld voor vrouw of meisje"]


def test_forms_of_exploitation():
    sexual = offer(forms=["seksuele_uitbuiting"])
    assert check(sexual, forms=("seksuele_uitbuiting", "criminele_uitbuiting")).fit == FULL
    assert check(sexual, forms=("criminele_uitbuiting",)).reasons == [
        "vorm: richt zich op seksuele uitbuiting"
    ]
    assert check(offer(), forms=("arbeidsuitbuiting",)).notes == [
        "vormen van uitbuiting niet bekend"
    ]


def test_lvb_accepted_specialised_refused_and_only():
    assert check(offer(lvb="not_accepted"), lvb=True).reasons == [
        "LVB: dit aanbod neemt geen mensen met een LVB aan"
    ]
    specialised = check(offer(lvb="specialised"), lvb=True)
    accepted = check(offer(lvb="accepted"), lvb=True)
    assert specialised.fit == accepted.fit == FULL
    assert specialised.score > accepted.score
    assert check(offer(lvb="only"), lvb=False).reasons == ["LVB: alleen voor mensen met een LVB"]
    assert check(offer(lvb=""), lvb=True).notes == ["niet bekend of dit aanbod past bij een LVB"]
    assert check(offer(lvb="not_accepted"), lvb=None).fit == FULL  # not asked


def test_iq_range():
    assert check(offer(iq_min=70, iq_max=85), iq=65).reasons == ["IQ 65 valt buiten 70–85"]
    assert check(offer(iq_min=70, iq_max=85), iq=75).fit == FULL


def test_multiproblem_contra_indications():
    refuses = offer(ggz="not_accepted", addiction="not_accepted")
    m = check(refuses, lvb=True, ggz=True, addiction=True)
    assert m.reasons == [
        "GGZ-problematiek is een contra-indicatie",
        "verslaving is een contra-indicatie",
    ]
    welcomes = offer(lvb="accepted", ggz="accepted", addiction="specialised")
    assert check(welcomes, lvb=True, ggz=True, addiction=True).fit == FULL
    assert check(offer(with_children=False), with_children=True).reasons == [
        "niet voor slachtoffers met kinderen"
    ]


def test_need():
    shelter = offer(services=["shelter", "treatment"])
    assert check(shelter, need="treatment").fit == FULL
    m = check(offer(services=["training"]), need="shelter")
    assert m.reasons == ["biedt geen opvang (wel: training)"]
    assert m.gives_need is False


# -- capacity -----------------------------------------------------------------------------------


def test_no_free_place_with_waiting_time():
    full_house = offer(places=8, free_places=0, waiting_weeks=6, capacity_updated_at=NOW)
    assert check(full_house).reasons == ["geen vrije plek, wachttijd 6 weken"]
    assert check(offer(free_places=0, waiting_weeks=1)).reasons == [
        "geen vrije plek, wachttijd 1 week"
    ]
    assert check(offer(free_places=0)).reasons == ["geen vrije plek"]
    assert check(offer(waiting_weeks=3)).reasons == ["wachttijd 3 weken"]
    assert check(offer(places=8, free_places=2, waiting_weeks=0)).fit == FULL


def test_stale_capacity_is_a_note():
    old = offer(free_places=2, capacity_updated_at=NOW - timedelta(days=45))
    m = check(old)
    assert m.fit == FULL
    assert m.notes == ["capaciteit is 45 dagen niet bijgewerkt"]
    fresh = offer(free_places=2, capacity_updated_at=NOW - timedelta(days=29))
    assert check(fresh).notes == []


def test_capacity_only_matters_for_shelter_and_treatment():
    line = offer(services=["hotline"], free_places=0)
    assert check(line).fit == FULL


def test_join_names():
    assert join_names([]) == ""
    assert join_names(["Leeuwarden"]) == "Leeuwarden"
    assert join_names(["A", "B", "C"]) == "A, B en C"
