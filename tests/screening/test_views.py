"""The web flow: one area per step, back and forward without losing answers, anonymous and for
a known person, advice, print and PDF."""

import re

import pytest

from schakel.accounts.models import Role
from schakel.privacy.models import ProcessingEntry
from schakel.screening import selectors
from schakel.screening.models import Assessment, UsageCount
from tests.accounts.factories import MembershipFactory
from tests.people.factories import PersonFactory

from .factories import answers_all

pytestmark = pytest.mark.django_db


def fill_url(key):
    return f"/screening/{key}/invullen/"


def area_data(instrument, index, answers) -> dict:
    data = {}
    for item in instrument.areas[index].items:
        if item.id in answers:
            data[f"a-{item.id}"] = answers[item.id]
    return data


def hidden_inputs(html: str) -> dict:
    found = {}
    for name, value in re.findall(r'<input type="hidden" name="(a-[^"]+)" value="([^"]*)"', html):
        found.setdefault(name, []).append(value)
    return found


def walk(client, instrument, answers, *, person=None):
    """Answer every area as a person would: 'Volgende' on each step, then 'Advies bekijken'.

    The hidden fields the server sends back are posted again, as a browser does."""
    carried: dict = {}
    for index in range(len(instrument.areas)):
        data = {"versie": instrument.version, "stap": index, "actie": "volgende"}
        if person:
            data["persoon"] = str(person.public_id)
        data.update(carried)
        data.update(area_data(instrument, index, answers))
        response = client.post(fill_url(instrument.id), data)
        assert response.status_code == 200, response.content.decode()[:2000]
        carried = hidden_inputs(response.content.decode())
    data = {"versie": instrument.version, "stap": len(instrument.areas), "actie": "advies"}
    if person:
        data["persoon"] = str(person.public_id)
    data.update(carried)
    return client.post(fill_url(instrument.id), data)


def test_the_index_lists_every_instrument_without_login(client, instruments):
    response = client.get("/screening/")
    assert response.status_code == 200
    html = response.content.decode()
    for instrument in selectors.instrument_list():
        assert instrument.title in html
    assert "Voor jongeren" in html and "Voor ouders en verzorgers" in html


def test_the_index_says_when_nothing_is_loaded(client, db):
    assert "load_instruments" in client.get("/screening/").content.decode()


def test_a_start_page_shows_intro_disclaimer_and_steps(client, instruments):
    response = client.get("/screening/signalen-uitbuiting/")
    html = response.content.decode()
    assert "Hulpmiddel, geen gevalideerde test." in html
    assert "Veiligheid nu" in html
    assert "/screening/signalen-uitbuiting/invullen/?versie=1" in html
    assert client.get("/screening/bestaat-niet/").status_code == 404


def test_the_first_step_shows_one_area_and_the_progress(client, instruments):
    response = client.get(fill_url("signalen-uitbuiting"))
    html = response.content.decode()
    assert "Stap 1 van 15" in html
    assert 'aria-current="step"' in html
    assert "Is de persoon op dit moment in direct gevaar?" in html
    assert "Heeft de persoon sinds kort nieuwe vrienden" not in html  # the next area
    assert "<legend>" in html


def test_next_without_answers_shows_errors_and_stays(client, instruments):
    response = client.post(
        fill_url("signalen-uitbuiting"),
        {"versie": 1, "stap": 0, "actie": "volgende", "a-direct_gevaar": "no"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Controleer wat u hebt ingevuld" in html
    assert 'href="#id_a-bedreigd_0"' in html
    assert "Stap 1 van 15" in html
    assert re.search(r'value="no"[^>]*checked|checked[^>]*value="no"', html)  # kept


def test_back_and_forward_keep_the_answers(client, instruments):
    instrument = selectors.instrument_get(key="signalen-uitbuiting")
    step1 = client.post(
        fill_url(instrument.id),
        {
            "versie": 1,
            "stap": 0,
            "actie": "volgende",
            "a-direct_gevaar": "no",
            "a-bedreigd": "unknown",
        },
    )
    html = step1.content.decode()
    assert "Stap 2 van 15" in html
    assert hidden_inputs(html) == {"a-direct_gevaar": ["no"], "a-bedreigd": ["unknown"]}
    back = client.post(
        fill_url(instrument.id),
        {
            "versie": 1,
            "stap": 1,
            "actie": "vorige",
            "a-direct_gevaar": "no",
            "a-bedreigd": "unknown",
            "a-nieuwe_vrienden": "yes",
        },
    )
    html = back.content.decode()
    assert back.status_code == 200 and "Stap 1 van 15" in html
    assert re.search(r'name="a-bedreigd" value="unknown"[^>]*checked', html)
    assert hidden_inputs(html) == {"a-nieuwe_vrienden": ["yes"]}  # the half-done step too


def test_the_review_step_lists_every_answer_and_can_jump_back(client, instruments):
    instrument = selectors.instrument_get(key="zelfcheck-jongeren")
    answers = answers_all(instrument, "no")
    data = {"versie": 1, "stap": len(instrument.areas) - 1, "actie": "volgende"}
    for key, value in answers.items():
        data[f"a-{key}"] = value
    review = client.post(fill_url(instrument.id), data)
    html = review.content.decode()
    assert "Controleer de antwoorden" in html
    assert "<caption>Vrienden en liefde</caption>" in html
    assert 'name="actie" value="ga-1"' in html
    jump = client.post(fill_url(instrument.id), {**data, "stap": 4, "actie": "ga-1"})
    assert "Stap 2 van 5" in jump.content.decode()


@pytest.mark.parametrize(
    "key",
    [
        "signalen-uitbuiting",
        "aanwijzingen-lvb",
        "quickscan-ouders",
        "gespreksleidraad-online",
        "zelfcheck-jongeren",
    ],
)
def test_every_instrument_can_be_filled_anonymously(client, instruments, wegwijzer, key):
    instrument = selectors.instrument_get(key=key)
    answers = answers_all(instrument, "yes")
    entries = ProcessingEntry.objects.count()
    response = walk(client, instrument, answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Advies: {instrument.title}" in html
    assert "Download als PDF" in html
    assert 'style="' not in html
    assert not Assessment.objects.exists()
    assert ProcessingEntry.objects.count() == entries
    assert UsageCount.objects.get().mode == "anonymous"


def test_the_advice_page_explains_the_result(client, instruments, wegwijzer):
    instrument = selectors.instrument_get(key="signalen-uitbuiting")
    answers = answers_all(instrument, "no")
    answers.update(seksueel_geweld_7_dagen="yes", pakketjes="yes", schulden="unknown")
    html = walk(client, instrument, answers).content.decode()
    assert html.index("Rode vlaggen: dit moet eerst") < html.index("Uitkomst per vorm")
    assert "Mogelijk seksueel geweld in de afgelopen 7 dagen" in html
    assert "Antwoorden achter: Criminele uitbuiting" in html
    assert "Brengt de persoon pakketjes rond" in html
    assert "Nog uitzoeken" in html
    assert "Stappenplan: de vijf stappen van de meldcode" in html
    assert 'href="tel:08000188"' in html
    assert 'href="tel:112"' in html


def test_a_tampered_hidden_answer_is_caught_and_named(client, instruments):
    instrument = selectors.instrument_get(key="zelfcheck-jongeren")
    data = {"versie": 1, "stap": len(instrument.areas), "actie": "advies"}
    for key, value in answers_all(instrument, "no").items():
        data[f"a-{key}"] = value
    data["a-geheim"] = "misschien"
    response = client.post(fill_url(instrument.id), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Stap 1 van 5" in html
    assert 'href="#id_a-geheim_0"' in html
    assert not UsageCount.objects.exists()


def test_the_result_again_for_a_municipality_counts_nothing(
    client, instruments, wegwijzer, municipalities
):
    instrument = selectors.instrument_get(key="signalen-uitbuiting")
    data = {"versie": 1, "gemeente": "GM0080"}
    for key, value in answers_all(instrument, "yes").items():
        data[f"a-{key}"] = value
    response = client.post(f"/screening/{instrument.id}/advies/", data)
    assert response.status_code == 200
    assert "Zorgcoördinator mensenhandel Testregio" in response.content.decode()
    assert not UsageCount.objects.exists()


def test_an_anonymous_pdf(client, instruments, wegwijzer):
    instrument = selectors.instrument_get(key="quickscan-ouders")
    data = {"versie": 1}
    for key, value in answers_all(instrument, "yes").items():
        data[f"a-{key}"] = value
    response = client.post(f"/screening/{instrument.id}/advies/pdf/", data)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_unreadable_answers_on_the_result_page(client, instruments):
    response = client.post("/screening/zelfcheck-jongeren/advies/", {"versie": 1})
    assert response.status_code == 400
    assert "Er ging iets mis" in response.content.decode()


# -- for a known person ---------------------------------------------------------------------


def test_a_screening_for_a_person_is_stored_logged_and_shown(actor_client, instruments, wegwijzer):
    client, membership = actor_client(role=Role.PROFESSIONAL)
    person = PersonFactory(owner_organisation=membership.organisation, given_names="Sam")
    instrument = selectors.instrument_get(key="signalen-uitbuiting")
    start = client.get(f"/screening/{instrument.id}/?persoon={person.public_id}")
    assert "U vult deze lijst in voor" in start.content.decode()
    answers = answers_all(instrument, "no")
    answers["pakketjes"] = "yes"
    response = walk(client, instrument, answers, person=person)
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/screening/beoordelingen/{assessment.public_id}/"
    assert assessment.person == person and assessment.instrument.version == 1
    assert assessment.answers["pakketjes"] == "yes"
    screening = ProcessingEntry.objects.filter(activity="screening")
    assert list(screening.values_list("operation", flat=True)) == ["create"]

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Advies: Signalen van uitbuiting" in html and person.display_name in html
    assert screening.filter(operation="read").count() == 1

    pdf = client.get(f"/screening/beoordelingen/{assessment.public_id}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    history = client.get(f"/screening/personen/{person.public_id}/")
    assert str(assessment.public_id) in history.content.decode()
    assert f"/screening/aanwijzingen-lvb/?persoon={person.public_id}" in history.content.decode()


def test_a_stored_screening_is_404_for_another_organisation(actor_client, instruments):
    owner = MembershipFactory(role=Role.PROFESSIONAL)
    person = PersonFactory(owner_organisation=owner.organisation)
    instrument = selectors.instrument_get(key="zelfcheck-jongeren")
    lvb = selectors.instrument_row_get(key="aanwijzingen-lvb")
    from schakel.screening.services import assessment_create

    assessment = assessment_create(
        actor=owner,
        person=person,
        instrument_row=lvb,
        answers=answers_all(selectors.instrument_of(lvb), "no"),
    )
    client, _membership = actor_client(role=Role.PROFESSIONAL)
    assert client.get(f"/screening/beoordelingen/{assessment.public_id}/").status_code == 404
    assert client.get(f"/screening/beoordelingen/{assessment.public_id}/pdf/").status_code == 404
    assert client.get(f"/screening/personen/{person.public_id}/").status_code == 404
    assert client.get(f"{fill_url(instrument.id)}?persoon={person.public_id}").status_code == 404


def test_the_self_check_cannot_be_linked_to_a_person(actor_client, instruments):
    client, membership = actor_client(role=Role.PROFESSIONAL)
    person = PersonFactory(owner_organisation=membership.organisation)
    response = client.get(f"/screening/zelfcheck-jongeren/?persoon={person.public_id}")
    assert response.status_code == 404


def test_without_login_there_is_no_person_mode(client, instruments, person):
    response = client.get(f"/screening/signalen-uitbuiting/?persoon={person.public_id}")
    assert response.status_code == 404


def test_a_role_without_screening_may_not_screen_a_person(actor_client, instruments):
    client, membership = actor_client(role=Role.REGISTRAR)
    person = PersonFactory(owner_organisation=membership.organisation)
    response = client.get(f"/screening/signalen-uitbuiting/?persoon={person.public_id}")
    assert response.status_code == 403


def test_an_old_assessment_keeps_its_version(actor_client, instruments, tmp_path):
    import yaml
    from django.core.management import call_command

    from schakel.screening.instruments import INSTRUMENTS_DIR
    from schakel.screening.services import assessment_create

    client, membership = actor_client(role=Role.PROFESSIONAL)
    person = PersonFactory(owner_organisation=membership.organisation)
    row = selectors.instrument_row_get(key="quickscan-ouders")
    assessment = assessment_create(
        actor=membership,
        person=person,
        instrument_row=row,
        answers=answers_all(selectors.instrument_of(row), "no"),
    )
    data = yaml.safe_load((INSTRUMENTS_DIR / "quickscan-ouders" / "v1.yaml").read_text())
    data["version"] = 2
    data["areas"][0]["title"] = "Nieuwe vrienden (versie 2)"
    (tmp_path / "v2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    call_command("load_instruments", str(tmp_path), verbosity=0)

    html = client.get(f"/screening/beoordelingen/{assessment.public_id}/").content.decode()
    assert "versie 2" not in html.split("Alle antwoorden")[1]
    assert "Er is nu een nieuwere versie (2)" in html
    assert "Stap 1 van" in client.get(fill_url("quickscan-ouders")).content.decode()
    assert "Nieuwe vrienden (versie 2)" in client.get(fill_url("quickscan-ouders")).content.decode()


def test_usage_counts_for_functional_admins_only(actor_client, instruments):
    client, _membership = actor_client(role=Role.FUNCTIONAL_ADMIN)
    UsageCount.objects.create(
        period="2026-01-01",
        instrument_key="zelfcheck-jongeren",
        instrument_version=1,
        mode="anonymous",
        outcome="low",
        count=3,
    )
    response = client.get("/screening/gebruik/")
    assert response.status_code == 200
    assert "zelfcheck-jongeren" in response.content.decode()


def test_usage_counts_are_not_for_professionals(actor_client, instruments):
    client, _membership = actor_client(role=Role.PROFESSIONAL)
    assert client.get("/screening/gebruik/").status_code == 404


def test_an_lvb_screening_can_be_recorded_as_suspected(actor_client, instruments):
    from schakel.people.models import LvbIndication
    from schakel.screening.services import assessment_create

    client, membership = actor_client(role=Role.PROFESSIONAL)
    person = PersonFactory(owner_organisation=membership.organisation)
    row = selectors.instrument_row_get(key="aanwijzingen-lvb")
    assessment = assessment_create(
        actor=membership,
        person=person,
        instrument_row=row,
        answers=answers_all(selectors.instrument_of(row), "yes"),
    )
    page = client.get(f"/screening/beoordelingen/{assessment.public_id}/")
    assert "LVB vermoed' vastleggen" in page.content.decode()
    response = client.post(f"/screening/beoordelingen/{assessment.public_id}/lvb/")
    assert response.status_code == 302
    assert response["Location"] == f"/personen/{person.public_id}/#lvb-geschiedenis"
    (indication,) = LvbIndication.objects.filter(person=person)
    assert indication.status == "suspected" and indication.source_kind == "screening"
    assert "Aanwijzingen voor een LVB" in indication.source


def test_only_an_lvb_screening_with_clear_signs_is_recorded(actor_client, instruments):
    from schakel.people.models import LvbIndication
    from schakel.screening.services import assessment_create

    client, membership = actor_client(role=Role.PROFESSIONAL)
    person = PersonFactory(owner_organisation=membership.organisation)
    row = selectors.instrument_row_get(key="aanwijzingen-lvb")
    assessment = assessment_create(
        actor=membership,
        person=person,
        instrument_row=row,
        answers=answers_all(selectors.instrument_of(row), "no"),
    )
    response = client.post(f"/screening/beoordelingen/{assessment.public_id}/lvb/", follow=True)
    assert "geen duidelijke aanwijzingen" in response.content.decode()
    assert not LvbIndication.objects.exists()


def test_choose_a_person_to_screen(actor_client, instruments):
    client, membership = actor_client(role=Role.PROFESSIONAL)
    person = PersonFactory(owner_organisation=membership.organisation, given_names="Noor")
    PersonFactory(given_names="Iemand-anders")  # another organisation
    index = client.get("/screening/").content.decode()
    assert 'href="/screening/personen/"' in index
    html = client.get("/screening/personen/").content.decode()
    assert f'href="/screening/personen/{person.public_id}/"' in html
    assert "Iemand-anders" not in html
    reads = ProcessingEntry.objects.filter(activity="person_record", operation="read")
    assert reads.count() == 1


def test_choosing_a_person_needs_person_view(actor_client, instruments):
    client, _membership = actor_client(role=Role.ANALYST)
    assert client.get("/screening/personen/").status_code == 404
