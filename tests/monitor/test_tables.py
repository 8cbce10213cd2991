"""The monitor tables on a hand-computed fixture, rule by rule, and against a Python recount of
generated data (Hypothesis)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.monitor import tables
from schakel.monitor.tables import (
    MonitorParamError,
    apply_disclosure,
    check_params,
    disclose,
    mean_text,
    raw_rows,
    table_rows,
)
from schakel.registry.models import Melding
from schakel.registry.rows import validate_row
from tests.registry.factories import TODAY, consent_row, row, store

from .oracle import HIERARCHY, recount

pytestmark = pytest.mark.django_db

BSS, GSS = HIERARCHY[0], HIERARCHY[1]
ARBEID, CRIM, ORGAAN, ONB = HIERARCHY[2], HIERARCHY[3], HIERARCHY[4], HIERARCHY[5]


def kmar(**overrides):
    return row(melder="kmar", politie_eenheid="", **overrides)


def politie(unit, **overrides):
    return row(melder="politie", politie_eenheid=unit, **overrides)


# Eight persons, hand-counted in the comments. See docs/monitor.md for the rules.
FIXTURE = [
    # A 2024: police (Rotterdam) domestic sexual + care coordinator criminal: forms {bss, crim},
    # hierarchical bss; first melding at 16; two sectors; LVB ja in one melding.
    politie("rotterdam", persoon_sleutel="persoon-A", melddatum="2024-02-01",
            uitbuitingsvormen=BSS, sector="raamprostitutie", geslacht="vrouw", leeftijd=16,
            nationaliteit="NL", lvb_indicatie=""),
    consent_row(persoon_sleutel="persoon-A", melddatum="2024-05-01", toestemming_door="ouder_voogd",
                uitbuitingsvormen=CRIM, sector="drugsdelicten", geslacht="vrouw", leeftijd=17,
                nationaliteit="NL", lvb_indicatie="ja"),
    # B 2024: only KMar, only cross-border sexual: left out of the main series (twice by KMar).
    kmar(persoon_sleutel="persoon-B", melddatum="2024-03-03", uitbuitingsvormen=GSS, sector="",
         geslacht="man", leeftijd=25, nationaliteit="RO"),
    kmar(persoon_sleutel="persoon-B", melddatum="2024-04-03", uitbuitingsvormen=GSS, sector="",
         geslacht="man", leeftijd=25, nationaliteit="RO"),
    # C 2024: only KMar, but labour exploitation: counted.
    kmar(persoon_sleutel="persoon-C", melddatum="2024-07-07", uitbuitingsvormen=ARBEID,
         sector="bouw", geslacht="man", leeftijd=40, nationaliteit="UA", lvb_indicatie="nee"),
    # D 2024: KMar and police, cross-border sexual: counted. The police melding is earlier
    # (age 22, sex and nationality unknown); the KMar melding knows sex and nationality.
    kmar(persoon_sleutel="persoon-D", melddatum="2024-03-01", uitbuitingsvormen=GSS, sector="",
         geslacht="vrouw", leeftijd="", nationaliteit="NG", lvb_indicatie="nee"),
    politie("amsterdam", persoon_sleutel="persoon-D", melddatum="2024-01-15",
            uitbuitingsvormen=GSS, sector="escort_hotel", geslacht="onbekend", leeftijd=22,
            nationaliteit="", lvb_indicatie="onbekend"),
    # E 2024: two police units on the same day, form unknown: once for the police, once per
    # unit; the first registered melding (no age) decides the age.
    politie("den-haag", persoon_sleutel="persoon-E", melddatum="2024-06-01",
            uitbuitingsvormen=ONB, sector="", geslacht="x", leeftijd="", nationaliteit=""),
    politie("rotterdam", persoon_sleutel="persoon-E", melddatum="2024-06-01",
            uitbuitingsvormen=ONB, sector="", geslacht="x", leeftijd=33, nationaliteit=""),
    # F: FairWork, labour, 2023 (horeca, 30) and again 2024 (no sector, 31).
    consent_row(melder="fairwork", persoon_sleutel="persoon-F", melddatum="2023-09-09",
                uitbuitingsvormen=ARBEID, sector="horeca", geslacht="man", leeftijd=30,
                nationaliteit="PL", lvb_indicatie="nee"),
    consent_row(melder="fairwork", persoon_sleutel="persoon-F", melddatum="2024-02-02",
                uitbuitingsvormen=ARBEID, sector="", geslacht="man", leeftijd=31,
                nationaliteit="PL", lvb_indicatie="nee"),
    # G 2024: two meldingen by another reporter: organ removal and unknown.
    consent_row(melder="overig", persoon_sleutel="persoon-G", melddatum="2024-08-08",
                uitbuitingsvormen=ORGAAN, sector="", geslacht="man", leeftijd=50,
                nationaliteit=""),
    consent_row(melder="overig", persoon_sleutel="persoon-G", melddatum="2024-09-09",
                uitbuitingsvormen=ONB, sector="", geslacht="man", leeftijd=50, nationaliteit=""),
    # H: 2023 only KMar, domestic sexual (left out); 2024 police Limburg (counted).
    kmar(persoon_sleutel="persoon-H", melddatum="2023-05-05", uitbuitingsvormen=BSS, sector="",
         geslacht="vrouw", leeftijd=18, nationaliteit="NL"),
    politie("limburg", persoon_sleutel="persoon-H", melddatum="2024-05-05",
            uitbuitingsvormen=BSS, sector="", geslacht="vrouw", leeftijd=19, nationaliteit="NL",
            lvb_indicatie="ja"),
]  # fmt: skip


@pytest.fixture
def fixture_data():
    return store(*FIXTURE)


def nonzero(table_id, year_from=2023, year_to=2024, key="aantal"):
    rows = raw_rows(table_id, year_from, year_to, today=TODAY)
    return {tuple(v for k, v in r.items() if k != key): r[key] for r in rows if r[key]}


def test_unique_victims_in_both_series(fixture_data):
    assert nonzero("slachtoffers_per_jaar") == {
        (2023, "exclusief_kmar_seksueel"): 1,
        (2023, "inclusief_kmar_seksueel"): 2,
        (2024, "exclusief_kmar_seksueel"): 7,
        (2024, "inclusief_kmar_seksueel"): 8,
    }


def test_a_victim_counts_under_each_of_their_forms(fixture_data):
    assert nonzero("slachtoffers_per_vorm") == {
        (2023, ARBEID): 1,
        (2024, BSS): 2,
        (2024, GSS): 1,
        (2024, ARBEID): 2,
        (2024, CRIM): 1,
        (2024, ORGAAN): 1,
        (2024, ONB): 2,
    }


def test_melders_counted_once_per_person_with_the_hierarchical_form(fixture_data):
    assert nonzero("meldingen_per_melder") == {
        (2023, "fairwork", ARBEID): 1,
        (2024, "politie", BSS): 2,
        (2024, "politie", GSS): 1,
        (2024, "politie", ONB): 1,
        (2024, "zorgcoordinator", BSS): 1,
        (2024, "kmar", ARBEID): 1,
        (2024, "kmar", GSS): 1,
        (2024, "fairwork", ARBEID): 1,
        (2024, "overig", ORGAAN): 1,
    }


def test_police_units_counted_once_per_person_and_unit(fixture_data):
    assert nonzero("meldingen_per_politie_eenheid") == {
        (2024, "rotterdam", BSS): 1,
        (2024, "rotterdam", ONB): 1,
        (2024, "den-haag", ONB): 1,
        (2024, "amsterdam", GSS): 1,
        (2024, "limburg", BSS): 1,
    }


def test_sex_is_the_first_known_one(fixture_data):
    assert nonzero("slachtoffers_per_geslacht") == {
        (2023, ARBEID, "man"): 1,
        (2024, BSS, "vrouw"): 2,
        (2024, GSS, "vrouw"): 1,
        (2024, ARBEID, "man"): 2,
        (2024, ORGAAN, "man"): 1,
        (2024, ONB, "x"): 1,
    }


def test_age_group_is_the_age_at_the_first_melding_of_the_year(fixture_data):
    assert nonzero("slachtoffers_per_leeftijdsgroep") == {
        (2023, ARBEID, "23_en_ouder"): 1,
        (2024, BSS, "minderjarig"): 1,  # A: 16 at the first melding, 17 at the second
        (2024, BSS, "adolescent"): 1,  # H: 19
        (2024, GSS, "adolescent"): 1,  # D: the earlier police melding says 22
        (2024, ARBEID, "23_en_ouder"): 2,
        (2024, ORGAAN, "23_en_ouder"): 1,
        (2024, ONB, "onbekend"): 1,  # E: same day, the first registered melding has no age
    }


def test_mean_age_ignores_unknown_ages(fixture_data):
    rows = raw_rows("gemiddelde_leeftijd", 2023, 2024, today=TODAY)
    means = {(r["jaar"], r["vorm"]): r["gemiddelde"] for r in rows}
    assert means[(2023, ARBEID)] == "30.0"
    assert means[(2024, BSS)] == "17.5"
    assert means[(2024, GSS)] == "22.0"
    assert means[(2024, ARBEID)] == "35.5"
    assert means[(2024, CRIM)] == ""
    assert means[(2024, ORGAAN)] == "50.0"
    assert means[(2024, ONB)] == ""
    assert len(rows) == 12


def test_nationality_first_known_and_only_observed_values(fixture_data):
    rows = raw_rows("slachtoffers_per_nationaliteit", 2023, 2024, today=TODAY)
    assert [(r["jaar"], r["nationaliteit"], r["aantal"]) for r in rows] == [
        (2023, "NG", 0),
        (2023, "NL", 0),
        (2023, "PL", 1),
        (2023, "UA", 0),
        (2023, "onbekend", 0),
        (2024, "NG", 1),
        (2024, "NL", 2),
        (2024, "PL", 1),
        (2024, "UA", 1),
        (2024, "onbekend", 2),
    ]


def test_sector_per_distinct_sector_and_unknown_only_without_any(fixture_data):
    rows = raw_rows("slachtoffers_per_sector", 2023, 2024, today=TODAY)
    assert [(r["jaar"], r["sector"], r["aantal"]) for r in rows if r["jaar"] == 2024] == [
        (2024, "raamprostitutie", 1),
        (2024, "escort_hotel", 1),
        (2024, "horeca", 0),
        (2024, "bouw", 1),
        (2024, "drugsdelicten", 1),
        (2024, "onbekend", 4),
    ]
    assert nonzero("slachtoffers_per_sector", 2023, 2023) == {(2023, "horeca"): 1}


def test_lvb_ja_before_nee_before_unknown(fixture_data):
    assert nonzero("slachtoffers_lvb") == {
        (2023, ARBEID, "nee"): 1,
        (2024, BSS, "ja"): 2,
        (2024, ARBEID, "nee"): 2,
        (2024, GSS, "nee"): 1,
        (2024, ORGAAN, "onbekend"): 1,
        (2024, ONB, "onbekend"): 1,
    }


def test_repeat_registration_only_with_complete_follow_up(fixture_data):
    rows = table_rows("herhaalde_registratie", 2023, 2024, "none", today=TODAY)
    assert [
        (
            r["jaar"],
            r["termijn"],
            r["eerste_registraties"],
            r["opnieuw_geregistreerd"],
            r["aandeel"],
        )
        for r in rows
    ] == [
        (2023, 2, 1, 1, "100.0"),  # F: first 2023, again 2024 (H is not in the 2023 main series)
        (2023, 5, 1, None, ""),
        (2023, 7, 1, None, ""),
        (2024, 2, 5, None, ""),  # A, C, D, E, G; 2026 is not over yet
        (2024, 5, 5, None, ""),
        (2024, 7, 5, None, ""),
    ]


def test_every_table_has_rows_for_every_combination(fixture_data):
    sizes = {
        "slachtoffers_per_jaar": 2 * 2,
        "slachtoffers_per_vorm": 2 * 6,
        "meldingen_per_melder": 2 * 6 * 6,
        "meldingen_per_politie_eenheid": 2 * 11 * 6,
        "slachtoffers_per_geslacht": 2 * 6 * 4,
        "slachtoffers_per_leeftijdsgroep": 2 * 6 * 4,
        "gemiddelde_leeftijd": 2 * 6,
        "slachtoffers_lvb": 2 * 6 * 3,
        "herhaalde_registratie": 2 * 3,
    }
    for table_id, size in sizes.items():
        assert len(raw_rows(table_id, 2023, 2024, today=TODAY)) == size, table_id


def test_years_without_meldingen_give_zero_rows(db):
    rows = raw_rows("slachtoffers_per_jaar", 2020, 2021, today=TODAY)
    assert [r["aantal"] for r in rows] == [0, 0, 0, 0]
    assert raw_rows("slachtoffers_per_nationaliteit", 2020, 2021, today=TODAY) == []


@pytest.mark.parametrize("table_id", list(tables.TABLES))
def test_the_fixture_agrees_with_the_recount(fixture_data, table_id):
    meldingen = [validate_row(values, today=TODAY)[0] for values in FIXTURE]
    expected = recount(table_id, meldingen, 2023, 2024, complete_until=2025)
    assert raw_rows(table_id, 2023, 2024, today=TODAY) == expected


# -- disclosure control -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "suppressed", "rounded"),
    [
        (0, "<10", 0),
        (1, "<10", 0),
        (2, "<10", 0),
        (3, "<10", 5),
        (7, "<10", 5),
        (8, "<10", 10),
        (9, "<10", 10),
        (10, 10, 10),
        (12, 10, 10),
        (13, 15, 15),
        (17, 15, 15),
        (18, 20, 20),
        (1234, 1235, 1235),
        (1232, 1230, 1230),
    ],
)
def test_disclosure_control(value, suppressed, rounded):
    assert disclose(value, "none") == value
    assert disclose(value, "suppress10_round5") == suppressed
    assert disclose(value, "round5") == rounded


def test_disclosure_applies_to_counts_not_to_the_mean():
    rows = [{"jaar": 2024, "vorm": BSS, "gemiddelde": "17.5"}]
    assert apply_disclosure("gemiddelde_leeftijd", rows, "suppress10_round5") == rows
    counted = [{"jaar": 2024, "reeks": "inclusief_kmar_seksueel", "aantal": 12}]
    assert apply_disclosure("slachtoffers_per_jaar", counted, "round5")[0]["aantal"] == 10
    assert counted[0]["aantal"] == 12  # a copy: the raw rows stay as they are


def test_the_share_follows_the_published_counts():
    row_ = {
        "jaar": 2020,
        "termijn": 2,
        "eerste_registraties": 41,
        "opnieuw_geregistreerd": 12,
        "aandeel": None,
    }
    assert apply_disclosure("herhaalde_registratie", [row_], "none")[0]["aandeel"] == "29.3"
    rounded = apply_disclosure("herhaalde_registratie", [row_], "round5")[0]
    assert (rounded["eerste_registraties"], rounded["opnieuw_geregistreerd"]) == (40, 10)
    assert rounded["aandeel"] == "25.0"
    suppressed = apply_disclosure("herhaalde_registratie", [dict(row_, opnieuw_geregistreerd=8)],
                                  "suppress10_round5")[0]  # fmt: skip
    assert suppressed["opnieuw_geregistreerd"] == "<10"
    assert suppressed["aandeel"] == ""


def test_mean_rounds_half_up():
    assert mean_text(69, 4) == "17.3"  # 17.25
    assert mean_text(35, 2) == "17.5"
    assert mean_text(0, 0) == ""


def test_suppressed_fixture_table(fixture_data):
    rows = table_rows("slachtoffers_per_jaar", 2023, 2024, "suppress10_round5", today=TODAY)
    assert {r["aantal"] for r in rows} == {"<10"}


# -- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table_id", "year_from", "year_to", "disclosure", "bad"),
    [
        ("nope", 2020, 2021, "none", {"table"}),
        ("slachtoffers_per_jaar", "twintig", 2021, "none", {"from"}),
        ("slachtoffers_per_jaar", 2022, 2021, "none", {"to"}),
        ("slachtoffers_per_jaar", 1900, 2021, "none", {"from"}),
        ("slachtoffers_per_jaar", 2020, 2027, "none", {"to"}),
        ("slachtoffers_per_jaar", 2020, 2021, "round10", {"disclosure"}),
        ("nope", "", None, "", {"table", "from", "to", "disclosure"}),
    ],
)
def test_bad_parameters_are_named(table_id, year_from, year_to, disclosure, bad):
    with pytest.raises(MonitorParamError) as raised:
        check_params(table_id, year_from, year_to, disclosure, today=TODAY)
    assert set(raised.value.errors) == bad


# -- Hypothesis: the SQL tables agree with the plain recount ------------------------------------

KEYS = ["persoon-1", "persoon-2", "persoon-3", "persoon-4", "persoon-5"]
SECTORS = {
    "seksueel": ["raamprostitutie", "escort_hotel"],
    "arbeid": ["horeca", "bouw"],
    "crimineel": ["drugsdelicten"],
}
GROUPS = {BSS: "seksueel", GSS: "seksueel", ARBEID: "arbeid", CRIM: "crimineel"}


@st.composite
def melding_rows(draw):
    year = draw(st.integers(2021, 2024))
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=draw(st.integers(0, 364)))
    melder = draw(st.sampled_from(["politie", "kmar", "zorgcoordinator", "fairwork", "overig"]))
    forms = draw(
        st.one_of(
            st.just([ONB]),
            st.lists(st.sampled_from([BSS, GSS, ARBEID, CRIM, ORGAAN]), min_size=1, max_size=3,
                     unique=True),
        )
    )  # fmt: skip
    groups = [GROUPS[f] for f in forms if f in GROUPS]
    sector = draw(st.sampled_from([""] + [s for g in groups for s in SECTORS[g]]))
    legal = melder in ("politie", "kmar")
    return row(
        persoon_sleutel=draw(st.sampled_from(KEYS)),
        melddatum=day.isoformat(),
        melder=melder,
        politie_eenheid=draw(st.sampled_from(["rotterdam", "amsterdam"])) if melder == "politie"
        else "",
        grondslag="wettelijke_taak" if legal else "toestemming",
        toestemming_door="" if legal else "betrokkene",
        uitbuitingsvormen="|".join(forms),
        sector=sector,
        geslacht=draw(st.sampled_from(["man", "vrouw", "x", "onbekend"])),
        leeftijd=draw(st.sampled_from(["", "15", "19", "22", "23", "47"])),
        nationaliteit=draw(st.sampled_from(["", "NL", "PL"])),
        lvb_indicatie=draw(st.sampled_from(["", "ja", "nee", "onbekend"])),
    )  # fmt: skip


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(melding_rows(), min_size=0, max_size=14))
def test_tables_agree_with_a_plain_recount(db, generated):
    Melding.objects.all().delete()
    store(*generated)
    meldingen = [validate_row(values, today=TODAY)[0] for values in generated]
    for table_id in tables.TABLES:
        expected = recount(table_id, meldingen, 2021, 2024, complete_until=2025)
        assert raw_rows(table_id, 2021, 2024, today=TODAY) == expected, table_id
