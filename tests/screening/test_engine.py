"""The engine: table-driven scoring and advice rules, answer checks, and Hypothesis properties."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.screening import advice, engine
from schakel.screening.instruments import check_files, parse_definition

from .factories import answers_all
from .test_instruments import MINIMAL

SHIPPED = {instrument.id: instrument for instrument, _name in check_files()[0]}
SIGNALS = SHIPPED["signalen-uitbuiting"]


def score(instrument, **changes):
    answers = answers_all(instrument, "no")
    answers.update(changes)
    return engine.score(instrument, answers)


def levels(result) -> dict:
    return {scale["id"]: scale["level"] for scale in result["scales"]}


def advice_ids(result) -> list:
    return [block["id"] for block in result["advice"]]


# -- scoring, table-driven ----------------------------------------------------------------

SIGNAL_CASES = [
    (
        "nothing seen",
        {},
        "none",
        {"sexual": "none", "criminal": "none", "labour": "none"},
        [],
        ["blijf_alert"],
    ),
    (
        "new older friends only: a few signals",
        {"nieuwe_vrienden": "yes"},
        "low",
        {"sexual": "low", "criminal": "low", "labour": "none"},
        [],
        ["schrijf_waarom", "vormen_samen", "blijf_alert"],
    ),
    (
        "criminal pattern",
        {"pakketjes": "yes", "criminele_groep": "yes", "rekening_uitlenen": "yes"},
        "elevated",
        {"sexual": "none", "criminal": "elevated", "labour": "none"},
        [],
        ["overleg_crimineel", "schrijf_waarom"],
    ),
    (
        "labour pattern",
        {"vaag_werk": "yes", "loon_afgeven": "yes", "woning_van_werkgever": "yes"},
        "elevated",
        {"sexual": "low", "criminal": "none", "labour": "elevated"},
        [],
        ["overleg_arbeid", "schrijf_waarom", "vormen_samen"],
    ),
    (
        "sexual pattern to high",
        {
            "oudere_partner": "yes",
            "seks_ruil": "yes",
            "advertentie": "yes",
            "andere_plaatsen": "yes",
        },
        "high",
        {"sexual": "high", "criminal": "low", "labour": "none"},
        [],
        ["overleg_seksueel", "schrijf_waarom", "vormen_samen"],
    ),
    (
        "sexual violence in the last 7 days is a red flag",
        {"seksueel_geweld_7_dagen": "yes"},
        "urgent",
        {"sexual": "high", "criminal": "none", "labour": "none"},
        ["seksueel_geweld_recent"],
        ["overleg_seksueel", "schrijf_waarom"],
    ),
    (
        "danger now raises every form",
        {"direct_gevaar": "yes"},
        "urgent",
        {"sexual": "high", "criminal": "high", "labour": "high"},
        ["direct_gevaar"],
        [
            "overleg_seksueel",
            "overleg_crimineel",
            "overleg_arbeid",
            "schrijf_waarom",
            "vormen_samen",
        ],
    ),
    (
        "a scale answer counts per step",
        {"nachten_weg": 3},
        "low",
        {"sexual": "low", "criminal": "low", "labour": "none"},
        [],
        ["schrijf_waarom", "vormen_samen", "blijf_alert"],
    ),
    (
        "'don't know' scores nothing",
        {"seks_ruil": "unknown", "pakketjes": "unknown"},
        "none",
        {"sexual": "none", "criminal": "none", "labour": "none"},
        [],
        ["blijf_alert"],
    ),
    (
        "a possible LVB with signals asks to check for an LVB",
        {"lvb_vermoeden": "unknown", "nieuwe_vrienden": "yes"},
        "low",
        {"sexual": "low", "criminal": "low", "labour": "none"},
        [],
        ["schrijf_waarom", "lvb_nagaan", "vormen_samen", "blijf_alert"],
    ),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "expected_levels", "red_flags", "blocks"),
    [case[1:] for case in SIGNAL_CASES],
    ids=[case[0] for case in SIGNAL_CASES],
)
def test_signals_of_exploitation(changes, outcome, expected_levels, red_flags, blocks):
    result = score(SIGNALS, **changes)
    assert result["outcome"] == outcome
    assert levels(result) == expected_levels
    assert [flag["id"] for flag in result["red_flags"]] == red_flags
    assert sorted(advice_ids(result)) == sorted(blocks)


def test_every_level_shows_the_areas_and_answers_behind_it():
    result = score(SIGNALS, pakketjes="yes", criminele_groep="yes", nieuwe_vrienden="yes")
    criminal = next(s for s in result["scales"] if s["id"] == "criminal")
    assert criminal["score"] == 8
    by_area = {area["area"]: area for area in criminal["areas"]}
    assert by_area["contacten"]["score"] == 5
    assert [a["item"] for a in by_area["contacten"]["answers"]] == [
        "nieuwe_vrienden",
        "criminele_groep",
    ]
    assert by_area["crimineel"]["answers"][0] == {
        "item": "pakketjes",
        "question": SIGNALS.items["pakketjes"].text,
        "answer": "yes",
        "answer_label": "Ja",
        "points": 3,
    }
    assert criminal["areas"][0]["area"] == "contacten"  # the heaviest area first


def test_a_red_flag_shows_the_answer_behind_it_and_its_contacts():
    result = score(SIGNALS, seksueel_geweld_7_dagen="yes")
    (flag,) = result["red_flags"]
    assert flag["contacts"] == ["csg_0800"]
    assert flag["answers"][0]["item"] == "seksueel_geweld_7_dagen"
    sexual = next(s for s in result["scales"] if s["id"] == "sexual")
    assert sexual["raised_by"] == ["seksueel_geweld_recent"]


def test_unknowns_protective_factors_and_notes_are_listed():
    result = score(
        SIGNALS,
        schulden="unknown",
        vertrouwenspersoon="yes",
        weet_hulp="unknown",
        aanvulling="Zag haar in een dure auto.",
    )
    assert [u["item"] for u in result["unknowns"]] == ["schulden"]  # protective items are not
    assert [p["item"] for p in result["protective"]] == ["vertrouwenspersoon"]
    assert result["notes"][0]["text"] == "Zag haar in een dure auto."


LVB_CASES = [
    ("no signs", {}, "none", ["geen_diagnose", "weinig_aanwijzingen"]),
    ("a few signs", {"herhalen": "yes", "lezen_rekenen": "yes"}, "low", None),
    (
        "clear signs",
        {"speciaal_onderwijs": "yes", "ja_zeggen": "yes", "brief_lezen": "lukt_niet"},
        "elevated",
        ["geen_diagnose", "communicatie", "screening_regelen", "risico_uitbuiting"],
    ),
    (
        "a single choice scores per option",
        {"eerder_genoemd": "yes", "uitkering_beperking": "yes", "brief_lezen": "veel_hulp"},
        "elevated",
        None,
    ),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "blocks"),
    [case[1:] for case in LVB_CASES],
    ids=[case[0] for case in LVB_CASES],
)
def test_signs_of_an_lvb(changes, outcome, blocks):
    result = score(SHIPPED["aanwijzingen-lvb"], **changes)
    assert result["outcome"] == outcome
    assert result["lvb"]["positive"] is (outcome in ("elevated", "high"))
    if blocks is not None:
        assert advice_ids(result) == blocks


def test_the_lvb_instrument_never_says_diagnosis_in_its_labels():
    instrument = SHIPPED["aanwijzingen-lvb"]
    result = score(instrument, speciaal_onderwijs="yes", eerder_genoemd="yes")
    built = advice.build(instrument, result)
    assert built["outcome_label"] == "duidelijke aanwijzingen"
    assert built["levels"][0]["level_label"] == "duidelijke aanwijzingen"
    assert built["steps"] is None and built["reporting"] is None
    assert built["lvb_guidance"]["reasons"] == ["de antwoorden in dit instrument"]
    assert built["emergency"] is None
    assert "diagnose" not in built["summary"]


def test_a_positive_lvb_indication_brings_communication_guidance():
    result = engine.score(SIGNALS, answers_all(SIGNALS, "no"), lvb_indication=True)
    built = advice.build(SIGNALS, result)
    assert built["lvb_guidance"]["reasons"] == ["de LVB-indicatie in het dossier van de persoon"]
    without = advice.build(SIGNALS, engine.score(SIGNALS, answers_all(SIGNALS, "no")))
    assert without["lvb_guidance"] is None


def test_the_conversation_guide_is_never_scored():
    guide = SHIPPED["gespreksleidraad-online"]
    result = score(guide, nu_gevaar="no", zorgen="yes", afspraken="Volgende week weer.")
    assert result["outcome"] == "completed"
    assert result["scales"] == []
    assert advice_ids(result) == ["vul_signalen_in", "overleg", "blijf_praten"]
    assert result["notes"][0]["item"] == "afspraken"
    built = advice.build(guide, result)
    assert built["steps"]["title"].startswith("Stappenplan")
    urgent = score(guide, nu_gevaar="yes", zorgen="no")
    assert urgent["outcome"] == "urgent"


def test_the_self_check_speaks_to_young_people():
    selfcheck = SHIPPED["zelfcheck-jongeren"]
    fine = advice.build(selfcheck, score(selfcheck))
    assert fine["outcome"] == "none"
    assert [b["id"] for b in fine["advice"]] == ["lijkt_oke"]
    assert fine["steps"]["title"] == "Waar kun je terecht?"
    assert fine["emergency"]["title"] == "Ben je in gevaar? Bel 112."
    worried = advice.build(selfcheck, score(selfcheck, klusje="yes", schuld="yes"))
    assert worried["levels"][1]["level_label"] == "niet oké"
    assert worried["reporting"] is None


def test_parents_get_their_own_step_plan():
    quickscan = SHIPPED["quickscan-ouders"]
    built = advice.build(quickscan, score(quickscan, seks_niet_gewild="yes"))
    assert built["outcome"] == "urgent"
    assert built["steps"]["title"] == "Wat kunt u doen?"
    assert built["red_flags"][0]["contacts"] == ["csg_0800"]


# -- the meldcode step plan and the road to reporting ----------------------------------------

STEP_CASES = [
    ({}, False, False),
    ({"nieuwe_vrienden": "yes"}, True, False),
    ({"pakketjes": "yes", "criminele_groep": "yes"}, True, True),
    ({"direct_gevaar": "yes"}, True, True),
]


@pytest.mark.parametrize(("changes", "steps", "reporting"), STEP_CASES)
def test_step_plan_and_reporting_follow_the_outcome(changes, steps, reporting):
    built = advice.build(SIGNALS, score(SIGNALS, **changes))
    assert (built["steps"] is not None) is steps
    assert (built["reporting"] is not None) is reporting
    if steps:
        assert len(built["steps"]["steps"]) == 5
        assert len(built["steps"]["steps"][3]["questions"]) == 5
    if reporting:
        titles = [route["title"] for route in built["reporting"]["routes"]]
        assert titles[0].startswith("Melden bij CoMensha")


# -- contacts come from the wegwijzer ---------------------------------------------------------


def test_contacts_come_from_the_wegwijzer_with_their_reasons(wegwijzer):
    built = advice.build(
        SIGNALS, score(SIGNALS, seksueel_geweld_7_dagen="yes"), municipality_code="GM0080"
    )
    by_key = {c["key"]: c for c in built["contacts"]}
    assert built["contacts"][0]["key"] == "csg_0800"  # red flags first
    assert by_key["csg_0800"]["phone"] == "0800-0188"
    assert "Mogelijk seksueel geweld in de afgelopen 7 dagen" in by_key["csg_0800"]["reasons"]
    assert by_key["koraal_consultatie"]["email"] == "vragenoveruitbuiting@koraal.nl"
    assert by_key["zorgcoordinator_test"]["name"].startswith("Zorgcoördinator")
    assert "politie_0900" in by_key  # "avim|politie_0900": avim is not in this wegwijzer
    assert "avim" not in by_key and "nla_inspectie_szw" not in by_key  # unknown: left out
    assert built["emergency"]["number"] == "112"


def test_without_a_municipality_the_care_coordinator_is_a_pointer_not_a_number(wegwijzer):
    built = advice.build(SIGNALS, score(SIGNALS, nieuwe_vrienden="yes"))
    coordinator = next(c for c in built["contacts"] if c["key"] == "zorgcoordinator")
    assert coordinator["phone"] == "" and coordinator["email"] == ""
    assert "gemeente" in coordinator["note"]


def test_no_wegwijzer_means_no_invented_contacts(monkeypatch):
    from schakel.screening import contacts

    monkeypatch.setattr(contacts, "_directory", lambda: None)
    built = advice.build(SIGNALS, score(SIGNALS, seksueel_geweld_7_dagen="yes"))
    assert [c["key"] for c in built["contacts"]] == ["zorgcoordinator"]
    assert all(not c["phone"] for c in built["contacts"])


# -- conditions ---------------------------------------------------------------------------

CONDITION_INSTRUMENT = parse_definition(
    {
        **copy.deepcopy(MINIMAL),
        "areas": [
            {
                "id": "a",
                "title": "A",
                "items": [
                    {"id": "q1", "text": "Q1", "type": "yes_no_unknown", "score": {"sexual": 2}},
                    {"id": "q2", "text": "Q2", "type": "yes_no_unknown"},
                    {
                        "id": "sc",
                        "text": "Schaal",
                        "type": "scale",
                        "scale": {
                            "min": 1,
                            "max": 5,
                            "labels": [
                                {"value": 1, "label": "laag"},
                                {"value": 5, "label": "hoog"},
                            ],
                        },
                        "score": {"sexual": 1},
                    },
                    {
                        "id": "mc",
                        "text": "Meer",
                        "type": "multiple",
                        "options": [
                            {"value": "x", "label": "X", "score": {"sexual": 1}},
                            {"value": "y", "label": "Y"},
                        ],
                    },
                    {"id": "t", "text": "Tekst", "type": "text"},
                ],
            }
        ],
    }
)
CTX_ANSWERS = {"q1": "yes", "q2": "no", "sc": 4, "mc": ["x", "y"], "t": "hallo"}

CONDITIONS = [
    ({"item": "q1", "equals": "yes"}, True),
    ({"item": "q2", "equals": "yes"}, False),
    ({"item": "q2", "in": ["no", "unknown"]}, True),
    ({"item": "mc", "includes": "y"}, True),
    ({"item": "sc", "at_least": 4}, True),
    ({"item": "sc", "at_least": 5}, False),
    ({"item": "t", "answered": True}, True),
    ({"item": "missing", "answered": True}, False),
    ({"scale": "sexual", "level_at_least": "high"}, True),
    ({"area": "a", "score_at_least": 7}, True),
    ({"area": "a", "score_at_least": 8}, False),
    ({"red_flag": "any"}, False),
    ({"lvb_indication": True}, True),
    ({"outcome_at_least": "high"}, True),
    ({"all": [{"item": "q1", "equals": "yes"}, {"item": "q2", "equals": "yes"}]}, False),
    ({"any": [{"item": "q1", "equals": "yes"}, {"item": "q2", "equals": "yes"}]}, True),
    ({"not": {"item": "q2", "equals": "yes"}}, True),
    ({"always": True}, True),
]


@pytest.mark.parametrize(("condition", "expected"), CONDITIONS)
def test_conditions(condition, expected):
    result = engine.score(CONDITION_INSTRUMENT, CTX_ANSWERS, lvb_indication=True)
    assert result["scales"][0]["score"] == 2 + 3 + 1  # yes, (4 - 1) steps, option x
    ctx = engine._Context(
        CTX_ANSWERS,
        {"sexual": result["scales"][0]["level"]},
        {"a": 7},
        set(),
        result["outcome"],
        True,
    )
    assert engine.holds(condition, ctx) is expected


# -- answer checks ------------------------------------------------------------------------

BAD_ANSWERS = [
    ("unknown item", {"zz": "yes"}, {"zz"}),
    ("yes/no as a boolean", {"q1": True}, {"q1"}),
    ("yes/no in Dutch", {"q1": "ja"}, {"q1"}),
    ("scale as text", {"sc": "4"}, {"sc"}),
    ("scale as a boolean", {"sc": True}, {"sc"}),
    ("scale out of range", {"sc": 6}, {"sc"}),
    ("multiple as a string", {"mc": "x"}, {"mc"}),
    ("multiple with an unknown option", {"mc": ["x", "z"]}, {"mc"}),
    ("multiple twice the same", {"mc": ["x", "x"]}, {"mc"}),
    ("text as a number", {"t": 5}, {"t"}),
    ("text too long", {"t": "x" * 2001}, {"t"}),
    ("several at once", {"q1": 1, "sc": 0, "zz": 1}, {"q1", "sc", "zz"}),
]


@pytest.mark.parametrize(
    ("changes", "bad"), [c[1:] for c in BAD_ANSWERS], ids=[c[0] for c in BAD_ANSWERS]
)
def test_bad_answers_name_every_offending_item(changes, bad):
    answers = {**CTX_ANSWERS, **changes}
    with pytest.raises(engine.AnswersInvalid) as error:
        engine.clean_answers(CONDITION_INSTRUMENT, answers)
    assert set(error.value.errors) == bad


def test_missing_required_answers_are_named_and_optional_ones_are_not():
    with pytest.raises(engine.AnswersInvalid) as error:
        engine.clean_answers(CONDITION_INSTRUMENT, {"q1": "no"})
    assert set(error.value.errors) == {"q2", "sc", "mc"}  # the text is optional


def test_answers_must_be_a_mapping():
    with pytest.raises(engine.AnswersInvalid) as error:
        engine.clean_answers(CONDITION_INSTRUMENT, ["q1"])
    assert set(error.value.errors) == {""}


def test_clean_answers_trim_text_and_order_options():
    clean = engine.clean_answers(
        CONDITION_INSTRUMENT, {**CTX_ANSWERS, "mc": ["y", "x"], "t": "  a "}
    )
    assert clean["mc"] == ["x", "y"] and clean["t"] == "a"
    blank = engine.clean_answers(CONDITION_INSTRUMENT, {**CTX_ANSWERS, "t": "   "})
    assert "t" not in blank


# -- Hypothesis: every valid answer set gives advice; every invalid one names its items -----


# What a text field can hold: the API's parser refuses control characters other than tab, CR
# and LF with their own 400 (tests/api/test_bad_input.py).
TEXT = st.characters(
    exclude_categories=("Cs",),
    exclude_characters="".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r"),
)


def value_strategy(item):
    if item.type == "yes_no_unknown":
        return st.sampled_from(["yes", "no", "unknown"])
    if item.type == "scale":
        return st.integers(item.scale_min, item.scale_max)
    values = [option.value for option in item.options]
    if item.type == "single":
        return st.sampled_from(values)
    if item.type == "multiple":
        return st.lists(st.sampled_from(values), min_size=1, unique=True)
    return st.text(TEXT, max_size=60)


def valid_answers(instrument):
    required = {i.id: value_strategy(i) for i in instrument.items.values() if i.required}
    optional = {i.id: value_strategy(i) for i in instrument.items.values() if not i.required}
    return st.fixed_dictionaries(required, optional=optional)


def wrong_value(item):
    """A value of the wrong type or outside the allowed values for `item`."""
    if item.type == "yes_no_unknown":
        return st.one_of(st.integers(), st.booleans(), st.sampled_from(["ja", "Yes", "maybe"]))
    if item.type == "scale":
        return st.one_of(
            st.integers(max_value=item.scale_min - 1),
            st.integers(min_value=item.scale_max + 1),
            st.booleans(),
            st.text(TEXT, min_size=1, max_size=3),
        )
    if item.type == "single":
        return st.one_of(st.integers(), st.just("geen-optie"), st.lists(st.just("x"), min_size=1))
    if item.type == "multiple":
        return st.one_of(st.just("x"), st.integers(), st.just(["geen-optie"]))
    return st.one_of(st.integers(), st.booleans(), st.just("x" * (item.max_length + 1)))


@st.composite
def invalid_answers(draw, instrument):
    answers = dict(draw(valid_answers(instrument)))
    items = list(instrument.items.values())
    bad: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["unknown", "missing", "wrong"]))
        if kind == "unknown":
            key = draw(st.from_regex(r"\Aonbekend_[a-z]{1,6}\Z"))
            answers[key] = draw(st.sampled_from(["yes", 1, None, ["x"]]))
            bad.add(key)
        elif kind == "missing":
            required = [i for i in items if i.required]
            item = draw(st.sampled_from(required))
            answers.pop(item.id, None)
            bad.add(item.id)
        else:
            item = draw(st.sampled_from(items))
            answers[item.id] = draw(wrong_value(item))
            bad.add(item.id)
    return answers, bad


@pytest.mark.parametrize("key", sorted(SHIPPED))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_valid_answer_set_yields_advice(key, data):
    instrument = SHIPPED[key]
    answers = data.draw(valid_answers(instrument))
    result = engine.score(instrument, answers)
    built = advice.build(instrument, result)
    assert built["outcome"] in ("none", "low", "elevated", "high", "urgent", "completed")
    assert built["summary"] and built["outcome_label"]
    assert built["advice"] or built["steps"]  # always something to do
    for scale in built["levels"]:
        assert scale["level"] in ("none", "low", "elevated", "high")
        for area in scale["areas"]:
            assert area["answers"] and all(a["points"] > 0 for a in area["answers"])
    if result["red_flags"]:
        assert result["outcome"] == "urgent"


@pytest.mark.parametrize("key", sorted(SHIPPED))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_invalid_answer_set_names_exactly_its_offending_items(key, data):
    instrument = SHIPPED[key]
    answers, bad = data.draw(invalid_answers(instrument))
    with pytest.raises(engine.AnswersInvalid) as error:
        engine.clean_answers(instrument, answers)
    assert set(error.value.errors) == bad


# -- with the real wegwijzer ----------------------------------------------------------------


@pytest.fixture
def real_wegwijzer(db):
    from io import StringIO

    from django.core.management import call_command, get_commands

    if "load_directory" not in get_commands():
        pytest.skip("the wegwijzer's load_directory command is not there yet")
    call_command("load_reference_data", stdout=StringIO())
    try:
        call_command("load_directory", stdout=StringIO())
    except Exception as error:  # the wegwijzer is another app, still being built
        pytest.skip(f"the wegwijzer could not be loaded: {error}")


def test_contacts_from_the_real_wegwijzer(real_wegwijzer):
    built = advice.build(
        SIGNALS,
        score(SIGNALS, seksueel_geweld_7_dagen="yes", pakketjes="yes", criminele_groep="yes"),
        municipality_code="GM0080",
    )
    by_key = {c["key"]: c for c in built["contacts"]}
    assert by_key["csg_0800"]["phone"] == "0800-0188"
    assert by_key["koraal_consultatie"]["email"] == "vragenoveruitbuiting@koraal.nl"
    assert by_key["comensha_meldpunt"]["phone"] == "033-4481186"
    assert "veilig_thuis" in by_key and by_key["veilig_thuis"]["phone"] == ""  # none in sources
    assert built["red_flags"][0]["contact_details"][0]["phone"] == "0800-0188"
