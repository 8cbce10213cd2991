"""The realistic cases of the issue, end to end: the loaded seed data, the search, the API and
the page. A professional finds fitting help and sees why other offers do not fit."""

import pytest

from schakel.directory.matching import FULL, PARTIAL, Criteria
from schakel.directory.selectors import offer_search

pytestmark = pytest.mark.django_db


def _by_key(result):
    return {m.offer["key"]: m for m in result.matches}


def test_girl_15_with_lvb_in_limburg_after_sexual_exploitation(wegwijzer):
    result = offer_search(
        criteria=Criteria(
            municipality="GM0935",  # Maastricht
            age=15,
            gender="vrouw",
            forms=("seksuele_uitbuiting",),
            lvb=True,
            need="treatment",
        )
    )
    matches = _by_key(result)
    # the national LVB programme fits fully and comes first
    assert result.matches[0].offer["key"] == "yip"
    assert matches["yip"].fit == FULL
    # programmes elsewhere are shown, with the reason
    assert matches["asja"].fit == PARTIAL
    assert matches["asja"].reasons == ["regio: alleen Leeuwarden en Rotterdam"]
    assert matches["safe_and_sound"].reasons == [
        "regio: alleen veiligheidsregio Utrecht en veiligheidsregio Noord- en Oost-Gelderland"
    ]
    assert "geslacht: alleen voor jongens en mannen" in matches["ravi"].reasons
    # nothing is hidden: every active offer is in the result
    assert len(result.matches) == 34


def test_boy_16_in_friesland_drawn_into_drug_running(wegwijzer):
    criteria = Criteria(
        municipality="GM0074",  # Heerenveen
        age=16,
        gender="man",
        forms=("criminele_uitbuiting",),
        need="treatment",
    )
    result = offer_search(criteria=criteria)
    matches = _by_key(result)
    # no treatment for criminal exploitation in the seeds: no full fit, so the escalation route
    assert result.full == []
    assert [c.key for c in result.escalation] == ["comensha_zorgcoordinatie", "zorgcoordinatoren"]
    assert result.escalation[0].phone == "033-4481186"
    assert matches["ravi"].reasons == [
        "regio: alleen Leeuwarden",
        "vorm: richt zich op geweld in afhankelijkheidsrelaties",
    ]
    assert matches["yip"].reasons == ["vorm: richt zich op seksuele uitbuiting"]
    assert matches["asja"].reasons == [
        "regio: alleen Leeuwarden en Rotterdam",
        "geslacht: alleen voor meiden en vrouwen",
        "vorm: richt zich op seksuele uitbuiting",
    ]
    # reporting does fit: police and CoMensha
    reporting = offer_search(criteria=Criteria(**{**criteria.__dict__, "need": "reporting"}))
    full = {m.offer["key"] for m in reporting.full}
    assert {"politie_0900", "comensha_meldpunt"} <= full


def test_woman_19_with_lvb_and_addiction_in_amsterdam(wegwijzer):
    result = offer_search(
        criteria=Criteria(
            municipality="GM0363",
            age=19,
            gender="vrouw",
            lvb=True,
            addiction=True,
            need="shelter",
        )
    )
    matches = _by_key(result)
    # the Amsterdam places for victims with addiction, LVB or psychiatric problems come first
    assert result.matches[0].offer["key"] == "hvo_extra_opvang"
    assert matches["hvo_extra_opvang"].fit == FULL
    assert matches["omm"].fit == FULL
    assert matches["beschermde_opvang_amv"].reasons == ["leeftijd 19: alleen tot en met 17 jaar"]
    assert matches["asja"].reasons == ["regio: alleen Leeuwarden en Rotterdam"]
    # unknowns are said, not guessed
    assert "leeftijdsgrenzen niet bekend" in matches["omm"].notes


def test_the_cases_through_the_api_and_the_page(wegwijzer, client):
    response = client.get(
        "/api/v1/directory/offers/",
        {
            "gemeente": "GM0363",
            "age": 19,
            "gender": "vrouw",
            "lvb": "true",
            "addiction": "true",
            "need": "shelter",
        },
    )
    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert first["fit"] == "full" and first["reasons"] == []
    assert first["offer"]["id"] == "hvo_extra_opvang"
    assert first["offer"]["phone"] == "020 – 561 90 90"
    assert body["place"]["safety_region"] == "Amsterdam-Amstelland"

    page = client.get(
        "/wegwijzer/",
        {
            "gemeente": "GM0935",
            "age": 15,
            "gender": "vrouw",
            "forms": "seksuele_uitbuiting",
            "lvb": "true",
            "need": "treatment",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "YIP! (Your Inner Power)" in html
    assert "regio: alleen Leeuwarden en Rotterdam" in html
    assert "Past helemaal (1)" in html
