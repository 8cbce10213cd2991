"""Every rule of the contract for one row, and the contract's code lists."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.registry.contract import ContractError, contract, load_contract
from schakel.registry.rows import validate_row

from .factories import TODAY, consent_row, row


def rules(values) -> set[tuple[str, str]]:
    checked, errors = validate_row(values, today=TODAY)
    assert (checked is None) == bool(errors)
    return {(e.column, e.rule) for e in errors}


def test_a_valid_row_gives_typed_values():
    checked, errors = validate_row(row(melding_id="A-1.b_2", leeftijd="07"), today=TODAY)
    assert errors == []
    assert checked.melding_id == "A-1.b_2"
    assert checked.melddatum == datetime.date(2024, 3, 14)
    assert checked.leeftijd == 7
    assert checked.forms == ("arbeidsuitbuiting",)


def test_forms_come_back_in_the_order_of_the_hierarchy():
    values = row(
        uitbuitingsvormen="criminele_uitbuiting|binnenlandse_seksuele_uitbuiting", sector=""
    )
    checked, _errors = validate_row(values, today=TODAY)
    assert checked.forms == ("binnenlandse_seksuele_uitbuiting", "criminele_uitbuiting")
    assert checked.as_row()["uitbuitingsvormen"] == (
        "binnenlandse_seksuele_uitbuiting|criminele_uitbuiting"
    )


def test_empty_lvb_is_unknown():
    checked, _errors = validate_row(row(lvb_indicatie=""), today=TODAY)
    assert checked.lvb_indicatie == "onbekend"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"melding_id": ""}, {("melding_id", "required")}),
        ({"melding_id": "a b"}, {("melding_id", "format")}),
        ({"melding_id": "x" * 65}, {("melding_id", "format")}),
        ({"melding_id": "ümlaut"}, {("melding_id", "format")}),
        ({"melddatum": ""}, {("melddatum", "required")}),
        ({"melddatum": "14-03-2024"}, {("melddatum", "format")}),
        ({"melddatum": "2024-3-14"}, {("melddatum", "format")}),
        ({"melddatum": "2023-02-29"}, {("melddatum", "date")}),
        ({"melddatum": "2026-07-01"}, {("melddatum", "future")}),
        ({"persoon_sleutel": ""}, {("persoon_sleutel", "required")}),
        ({"persoon_sleutel": "kort"}, {("persoon_sleutel", "length")}),
        ({"persoon_sleutel": "k" * 129}, {("persoon_sleutel", "length")}),
        ({"melder": ""}, {("melder", "required")}),
        ({"melder": "brandweer", "politie_eenheid": ""}, {("melder", "choice")}),
        ({"politie_eenheid": ""}, {("politie_eenheid", "politie_eenheid_required")}),
        ({"politie_eenheid": "utrecht"}, {("politie_eenheid", "choice")}),
        (
            {"melder": "kmar", "politie_eenheid": "rotterdam"},
            {("politie_eenheid", "politie_eenheid_not_allowed")},
        ),
        ({"grondslag": ""}, {("grondslag", "required")}),
        ({"grondslag": "belang"}, {("grondslag", "choice")}),
        (
            {"melder": "fairwork", "politie_eenheid": "", "grondslag": "wettelijke_taak"},
            {("grondslag", "grondslag_melder")},
        ),
        ({"grondslag": "toestemming"}, {("toestemming_door", "toestemming_door_required")}),
        (
            {"grondslag": "toestemming", "toestemming_door": "buurman"},
            {("toestemming_door", "choice")},
        ),
        (
            {"toestemming_door": "betrokkene"},
            {("toestemming_door", "toestemming_door_not_allowed")},
        ),
        ({"uitbuitingsvormen": ""}, {("uitbuitingsvormen", "required")}),
        ({"uitbuitingsvormen": "slavernij", "sector": ""}, {("uitbuitingsvormen", "choice")}),
        (
            {"uitbuitingsvormen": "onbekend|arbeidsuitbuiting"},
            {("uitbuitingsvormen", "onbekend_alone")},
        ),
        (
            {"uitbuitingsvormen": "arbeidsuitbuiting|arbeidsuitbuiting"},
            {("uitbuitingsvormen", "duplicate_value")},
        ),
        ({"sector": "kantoor"}, {("sector", "choice")}),
        ({"sector": "raamprostitutie"}, {("sector", "sector_form")}),
        ({"uitbuitingsvormen": "onbekend", "sector": "horeca"}, {("sector", "sector_form")}),
        ({"geslacht": ""}, {("geslacht", "required")}),
        ({"geslacht": "M"}, {("geslacht", "choice")}),
        ({"leeftijd": "abc"}, {("leeftijd", "format")}),
        ({"leeftijd": "-1"}, {("leeftijd", "format")}),
        ({"leeftijd": "30.5"}, {("leeftijd", "format")}),
        ({"leeftijd": "111"}, {("leeftijd", "range")}),
        ({"nationaliteit": "nl"}, {("nationaliteit", "country")}),
        ({"nationaliteit": "XX"}, {("nationaliteit", "country")}),
        ({"nationaliteit": "NLD"}, {("nationaliteit", "country")}),
        ({"lvb_indicatie": "misschien"}, {("lvb_indicatie", "choice")}),
    ],
)
def test_each_rule_names_column_and_rule(overrides, expected):
    assert rules(row(**overrides)) == expected


def test_legal_task_melders_may_also_report_with_consent():
    assert rules(row(grondslag="toestemming", toestemming_door="betrokkene")) == set()
    assert rules(consent_row(toestemming_door="ouder_voogd")) == set()


def test_several_errors_in_one_row_are_all_named():
    found = rules(row(melding_id="", melder="x", geslacht="", leeftijd="200", politie_eenheid=""))
    assert found == {
        ("melding_id", "required"),
        ("melder", "choice"),
        ("geslacht", "required"),
        ("leeftijd", "range"),
    }


def test_values_are_trimmed():
    checked, errors = validate_row(row(melder=" politie ", nationaliteit=" PL"), today=TODAY)
    assert errors == []
    assert (checked.melder, checked.nationaliteit) == ("politie", "PL")


valid_rows = st.builds(
    lambda melder, forms, age, nat, lvb: row(
        melder=melder,
        politie_eenheid="amsterdam" if melder == "politie" else "",
        grondslag="wettelijke_taak" if melder in ("politie", "kmar") else "toestemming",
        toestemming_door="" if melder in ("politie", "kmar") else "ouder_voogd",
        uitbuitingsvormen="|".join(forms),
        sector="",
        leeftijd="" if age is None else str(age),
        nationaliteit=nat,
        lvb_indicatie=lvb,
    ),
    st.sampled_from(contract().keys("melders")),
    st.one_of(
        st.just(["onbekend"]),
        st.lists(st.sampled_from(contract().forms[:-1]), min_size=1, max_size=5, unique=True),
    ),
    st.one_of(st.none(), st.integers(0, 110)),
    st.sampled_from(["", "NL", "PL", "NG"]),
    st.sampled_from(["", "ja", "nee", "onbekend"]),
)


@given(valid_rows)
def test_a_row_written_back_reads_the_same(values):
    checked, errors = validate_row(values, today=TODAY)
    assert errors == []
    again, errors = validate_row(checked.as_row(), today=TODAY)
    assert errors == [] and again == checked


def test_the_contract_file_loads_with_its_lists():
    c = contract()
    assert c.forms[0] == "binnenlandse_seksuele_uitbuiting" and c.forms[-1] == "onbekend"
    assert c.legal_task_melders == {"politie", "kmar", "inspectie_szw"}
    assert len(c.keys("politie_eenheden")) == 11
    assert len(c.keys("sectoren")) == 17
    assert c.sectors_of_form("gedwongen_orgaanverwijdering") == frozenset()
    assert {"NL", "PL", "NG"} <= set(c.countries)
    assert c.label("melders", "kmar").startswith("Koninklijke")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("version: 1", "version: een"), "version"),
        (lambda t: t.replace("  - lvb_indicatie\n", ""), "columns"),
        (lambda t: t.replace("{key: bouw,", "{key: horeca,"), "appears twice"),
        (lambda t: t.replace("{key: x, nl", "{key: X Y, nl"), "lower-case"),
        (lambda t: t.replace('legal_task: true, nl: "Politie"', 'nl: "Politie"'), "legal_task"),
        (lambda t: t.replace("max: 22", "max: 21"), "without gaps"),
        (
            lambda t: t.replace(
                '  - {key: onbekend, group: "", sexual: false, nl: "Vorm '
                'onbekend", en: "Form unknown"}\n',
                "",
            ),
            "six forms",
        ),  # fmt: skip
        (lambda t: t + "\n: [", "contract.yaml"),
    ],
)
def test_a_broken_contract_file_is_refused(tmp_path, change, message):
    from schakel.registry.contract import CONTRACT_FILE, COUNTRIES_FILE

    broken = tmp_path / "contract.yaml"
    broken.write_text(change(CONTRACT_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContractError, match=message):
        load_contract(broken, COUNTRIES_FILE)


def test_the_system_check_reports_a_broken_contract(monkeypatch):
    from schakel.registry import checks

    def broken():
        raise ContractError("kapot")

    monkeypatch.setattr(checks, "load_contract", broken)
    (error,) = checks.registry_contract_is_valid(None)
    assert error.id == "schakel.registry.E001"
