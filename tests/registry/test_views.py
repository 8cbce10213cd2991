"""The registry's web pages: only for the registration office, forms without JavaScript."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schakel.accounts.models import Role
from schakel.privacy.models import Consent, ProcessingEntry
from schakel.registry.models import Melding
from tests.people.factories import PersonFactory

from .factories import consent_row, csv_bytes, row, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar_client(actor_client):
    return actor_client(role=Role.REGISTRAR)


def form_data(**overrides):
    data = {
        "person": "",
        "bsn": "111222333",
        "surname": "",
        "given_names": "",
        "date_of_birth": "",
        "melddatum": "2024-03-14",
        "melder": "politie",
        "politie_eenheid": "rotterdam",
        "reporter_organisation": "Politie Rotterdam",
        "reporter_name": "",
        "uitbuitingsvormen": ["arbeidsuitbuiting"],
        "sector": "horeca",
        "geslacht": "man",
        "leeftijd": "31",
        "nationaliteit": "PL",
        "lvb_indicatie": "onbekend",
        "grondslag": "wettelijke_taak",
    }
    data.update(overrides)
    return data


PAGES = ["/registratie/", "/registratie/nieuw/", "/registratie/importeren/",
         "/registratie/meldingen.csv"]  # fmt: skip


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PROFESSIONAL])
@pytest.mark.parametrize("path", PAGES)
def test_pages_are_not_there_for_other_roles(actor_client, role, path):
    client, _membership = actor_client(role=role)
    assert client.get(path).status_code == 404


def test_list_with_filters_and_links(registrar_client):
    client, _ = registrar_client
    store(row(melddatum="2023-05-05"), consent_row(melddatum="2024-05-05"))
    response = client.get("/registratie/?jaar=2024&melder=zorgcoordinator")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zorgcoördinator mensenhandel" in html and "1 melding" in html
    assert 'href="/registratie/nieuw/"' in html and 'href="/registratie/importeren/"' in html
    assert "/registratie/meldingen.csv?jaar=2024" in html


def test_a_new_melding_from_the_form(registrar_client):
    client, membership = registrar_client
    page = client.get("/registratie/nieuw/")
    assert page.status_code == 200
    assert "<legend>De persoon</legend>" in page.content.decode()
    response = client.post(
        "/registratie/nieuw/", form_data(on_domicile="on", reporter_organisation="Politie")
    )
    melding = Melding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registratie/melding/{melding.melding_id}/"
    assert (melding.source, melding.on_domicile, melding.registered_by) == (
        "formulier",
        True,
        membership,
    )
    detail = client.get(response["Location"])
    assert "Niet vastgelegd: gemeld op domicilie" in detail.content.decode()
    assert "111222333" not in detail.content.decode()


def test_form_errors_are_named_and_nothing_is_stored(registrar_client):
    client, _ = registrar_client
    response = client.post(
        "/registratie/nieuw/",
        form_data(bsn="", melder="fairwork", politie_eenheid="rotterdam", uitbuitingsvormen=[]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_uitbuitingsvormen_0"' in html  # the form's own check comes first
    response = client.post("/registratie/nieuw/", form_data(bsn="", melder="fairwork"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_bsn"' in html and 'href="#id_politie_eenheid"' in html
    assert 'href="#id_grondslag_0"' in html
    assert not Melding.objects.exists()


def test_a_person_in_schakel_with_consent(registrar_client):
    client, membership = registrar_client
    person = PersonFactory(
        owner_organisation=membership.organisation, date_of_birth=datetime.date(1995, 2, 2)
    )
    page = client.get("/registratie/nieuw/")
    assert person.display_name in page.content.decode()
    response = client.post(
        "/registratie/nieuw/",
        form_data(
            person=str(person.public_id),
            bsn="",
            melder="zorgcoordinator",
            politie_eenheid="",
            grondslag="toestemming",
            consent_given_by="person",
            consent_method="verbal",
            consent_evidence="Gesprek van 3 maart, verslag in het dossier",
            consent_understanding_checks=["teach_back"],
            leeftijd="",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    melding = Melding.objects.get()
    assert melding.toestemming_door == "betrokkene" and melding.leeftijd == 29
    assert Consent.objects.get().public_id == melding.consent_public_id


def test_consent_errors_land_on_the_consent_fields(registrar_client):
    client, membership = registrar_client
    person = PersonFactory(owner_organisation=membership.organisation)
    response = client.post(
        "/registratie/nieuw/",
        form_data(person=str(person.public_id), bsn="", melder="overig", politie_eenheid="",
                  grondslag="toestemming"),
    )  # fmt: skip
    assert response.status_code == 400
    assert 'href="#id_consent_given_by_0"' in response.content.decode()


def test_detail_is_logged(registrar_client):
    client, _ = registrar_client
    (melding,) = store(row())
    response = client.get(f"/registratie/melding/{melding.melding_id}/")
    assert response.status_code == 200
    assert ProcessingEntry.objects.filter(activity="national_registration", operation="read")
    assert client.get("/registratie/melding/bestaat-niet/").status_code == 404


def test_import_page_accepts_and_rejects(registrar_client):
    client, _ = registrar_client
    assert client.get("/registratie/importeren/").status_code == 200
    good = SimpleUploadedFile("goed.csv", csv_bytes([row(melddatum="2024-01-01")]), "text/csv")
    response = client.post("/registratie/importeren/", {"file": good})
    assert response.status_code == 200
    assert "1 nieuwe meldingen" in response.content.decode()
    bad = SimpleUploadedFile("fout.csv", csv_bytes([row(geslacht="?")]), "text/csv")
    response = client.post("/registratie/importeren/", {"file": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Niet geïmporteerd" in html and "<code>choice</code>" in html
    assert Melding.objects.count() == 1
    assert client.post("/registratie/importeren/", {}).status_code == 400


def test_export_download(registrar_client):
    client, _ = registrar_client
    store(row(melddatum="2023-01-01"), row(melddatum="2024-01-01"))
    response = client.get("/registratie/meldingen.csv?jaar=2024")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="meldingen-2024.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("melding_id,melddatum") and len(lines) == 2
