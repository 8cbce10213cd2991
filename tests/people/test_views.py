import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakel.accounts.models import Role
from schakel.people.models import LvbIndication, Person
from schakel.privacy.models import ProcessingEntry
from schakel.privacy.services import processing_log_verify
from tests.accounts.factories import MembershipFactory

from .factories import LvbIndicationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def detail_url(person):
    return reverse("people:detail", kwargs={"public_id": person.public_id})


def edit_url(person):
    return reverse("people:edit", kwargs={"public_id": person.public_id})


def lvb_url(person):
    return reverse("people:lvb_add", kwargs={"public_id": person.public_id})


def assert_csp_safe(html: str):
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert re.search(r"\son[a-z]+=", html) is None, "inline event handler"


def test_list_page(actor_client, person, outsider):
    client, _ = actor_client(MembershipFactory(organisation=person.owner_organisation))
    other = PersonFactory(owner_organisation=outsider.organisation, surname="Verborgen")
    response = client.get("/personen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Noa Bakker" in html
    assert other.surname not in html
    assert "******333" in html and "111222333" not in html
    assert reverse("people:create") in html
    assert_csp_safe(html)
    assert ProcessingEntry.objects.filter(operation="read").count() == 1


def test_list_pages(actor_client, professional):
    client, _ = actor_client(professional)
    PersonFactory.create_batch(27, owner_organisation=professional.organisation)
    first = client.get("/personen/").content.decode()
    assert first.count('<th scope="row">') == 25
    assert "?pagina=2" in first
    second = client.get("/personen/?pagina=2").content.decode()
    assert second.count('<th scope="row">') == 2


def test_login_is_required(client, person):
    for url in ("/personen/", detail_url(person), edit_url(person), reverse("people:create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.ANALYST, Role.FUNCTIONAL_ADMIN])
def test_roles_without_person_access_get_404_everywhere(actor_client, person, role):
    client, _ = actor_client(role=role, organisation=person.owner_organisation)
    for url in ("/personen/", detail_url(person), edit_url(person), reverse("people:create")):
        assert client.get(url).status_code == 404
    assert client.post(lvb_url(person), {}).status_code == 404
    assert not ProcessingEntry.objects.exists()


def test_other_organisations_person_is_404(actor_client, person, outsider):
    client, _ = actor_client(outsider)
    assert client.get(detail_url(person)).status_code == 404
    assert client.get(edit_url(person)).status_code == 404
    assert client.post(edit_url(person), {"surname": "X", "version": 1}).status_code == 404
    assert client.post(lvb_url(person), {}).status_code == 404
    assert Person.objects.get(pk=person.pk).surname == "Bakker"


def test_unknown_person_is_404(actor_client):
    client, _ = actor_client()
    assert client.get("/personen/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/personen/12/").status_code == 404  # never the integer key


def test_create_page_and_form(actor_client):
    client, membership = actor_client()
    response = client.get(reverse("people:create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert '<label for="id_surname">' in html
    assert_csp_safe(html)

    response = client.post(
        reverse("people:create"),
        {
            "given_names": "Sem",
            "surname": "de Vries",
            "bsn": "123456782",
            "date_of_birth": "2009-03-14",
            "gender": "m",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(person)
    assert person.owner_organisation == membership.organisation
    assert person.date_of_birth == datetime.date(2009, 3, 14)
    assert ProcessingEntry.objects.get().operation == "create"


def test_create_form_shows_errors_and_saves_nothing(actor_client):
    client, _ = actor_client()
    response = client.post(reverse("people:create"), {"bsn": "123456789"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Dit BSN klopt niet (elfproef)." in html
    assert '<a href="#id_bsn">' in html
    assert 'aria-invalid="true"' in html
    assert not Person.objects.exists()


def test_empty_create_form_asks_for_a_surname_or_bsn(actor_client):
    client, _ = actor_client()
    response = client.post(reverse("people:create"), {})
    assert response.status_code == 400
    assert "Vul een achternaam of een BSN in." in response.content.decode()


def test_detail_page(actor_client, professional, person):
    person.date_of_birth = datetime.date(2008, 12, 1)
    person.save()
    old = LvbIndicationFactory(person=person, source="Mentor: begrijpt afspraken niet")
    LvbIndicationFactory(
        person=person,
        corrects=old,
        status="diagnosed",
        source_kind="iq_test",
        source="Psychologisch onderzoek (TIQ 68)",
        observed_on=datetime.date(2026, 10, 1),
    )
    client, _ = actor_client(professional)
    response = client.get(detail_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "******333" in html and "111222333" not in html
    assert f"{person.age} jaar" in html
    assert "Psychologisch onderzoek (TIQ 68)" in html
    assert "intelligentieonderzoek" in html
    assert f'href="#lvb-{old.pk}"' in html
    assert f"?corrigeer={old.pk}" in html
    assert "csrfmiddlewaretoken" in html
    assert edit_url(person) in html
    assert_csp_safe(html)
    assert ProcessingEntry.objects.filter(operation="read").count() == 1


def test_detail_for_registrar_has_no_edit_or_lvb_form(actor_client, person):
    client, _ = actor_client(role=Role.REGISTRAR, organisation=person.owner_organisation)
    html = client.get(detail_url(person)).content.decode()
    assert edit_url(person) not in html
    assert lvb_url(person) not in html
    assert client.get(edit_url(person)).status_code == 403
    assert client.post(lvb_url(person), {}).status_code == 403


def test_edit_page_never_shows_the_full_bsn(actor_client, professional, person):
    client, _ = actor_client(professional)
    response = client.get(edit_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "111222333" not in html
    assert '<input type="hidden" name="version" value="1"' in html
    assert 'value="Bakker"' in html
    assert_csp_safe(html)


def edit_data(**changes):
    data = {
        "given_names": "Noa",
        "surname": "Bakker",
        "bsn": "",
        "date_of_birth": "",
        "gender": "",
        "address": "",
        "phone": "",
        "version": "1",
    }
    return {**data, **changes}


def test_edit_saves_and_keeps_the_bsn_when_left_empty(actor_client, professional, person):
    client, _ = actor_client(professional)
    response = client.post(edit_url(person), edit_data(address="Dorpsstraat 1"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.address, person.bsn, person.version) == ("Dorpsstraat 1", "111222333", 2)
    assert ProcessingEntry.objects.filter(operation="update").count() == 1
    assert processing_log_verify().ok


def test_edit_replaces_or_removes_the_bsn(actor_client, professional, person):
    client, _ = actor_client(professional)
    client.post(edit_url(person), edit_data(bsn="123456782"))
    person.refresh_from_db()
    assert person.bsn == "123456782"
    both = client.post(edit_url(person), edit_data(bsn="111222333", bsn_remove="on", version="2"))
    assert both.status_code == 400
    assert "Niet allebei." in both.content.decode()
    client.post(edit_url(person), edit_data(bsn_remove="on", version="2"))
    person.refresh_from_db()
    assert person.bsn == ""


def test_stale_edit_shows_a_conflict_and_saves_nothing(actor_client, professional, person):
    client, _ = actor_client(professional)
    Person.objects.filter(pk=person.pk).update(version=2, surname="Visser")
    response = client.post(edit_url(person), edit_data(surname="de Boer"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft deze gegevens gewijzigd" in html
    assert "Dit is nu opgeslagen" in html
    assert 'name="version" value="2"' in html  # saving again is now possible, on purpose
    assert 'value="de Boer"' in html  # what the user typed is kept
    assert Person.objects.get(pk=person.pk).surname == "Visser"
    assert not ProcessingEntry.objects.filter(operation="update").exists()
    again = client.post(edit_url(person), edit_data(surname="de Boer", version="2"))
    assert again.status_code == 302
    assert Person.objects.get(pk=person.pk).surname == "de Boer"


def test_edit_with_bad_input_shows_errors(actor_client, professional, person):
    client, _ = actor_client(professional)
    response = client.post(edit_url(person), edit_data(date_of_birth="1850-01-01"))
    assert response.status_code == 400
    assert "De geboortedatum kan niet voor 1900 liggen." in response.content.decode()
    assert Person.objects.get(pk=person.pk).version == 1


def lvb_data(**changes):
    data = {
        "status": "screened",
        "source_kind": "screening",
        "source": "SCIL-screening door jeugdarts",
        "observed_on": "2026-09-01",
        "note": "",
    }
    return {**data, **changes}


def test_add_lvb_indication(actor_client, professional, person):
    client, _ = actor_client(professional)
    response = client.post(lvb_url(person), lvb_data())
    assert response.status_code == 302
    assert response.url.endswith("#lvb-geschiedenis")
    indication = LvbIndication.objects.get()
    assert (indication.person, indication.recorded_by) == (person, professional)


def test_add_lvb_correction(actor_client, professional, person):
    old = LvbIndicationFactory(person=person)
    client, _ = actor_client(professional)
    form = client.get(f"{detail_url(person)}?corrigeer={old.pk}").content.decode()
    assert f'<option value="{old.pk}" selected>' in form
    response = client.post(lvb_url(person), lvb_data(status="disputed", corrects=str(old.pk)))
    assert response.status_code == 302
    assert LvbIndication.objects.get(corrects=old).status == "disputed"


def test_lvb_form_requires_the_source(actor_client, professional, person):
    client, _ = actor_client(professional)
    response = client.post(lvb_url(person), lvb_data(source=""))
    assert response.status_code == 400
    assert "Vul de bron in." in response.content.decode()
    assert not LvbIndication.objects.exists()


@pytest.mark.parametrize("has_history", [False, True])
def test_lvb_form_rejects_a_foreign_correction_target(
    actor_client, professional, person, has_history
):
    own = [LvbIndicationFactory(person=person)] if has_history else []
    foreign = LvbIndicationFactory()
    client, _ = actor_client(professional)
    response = client.post(lvb_url(person), lvb_data(corrects=str(foreign.pk)))
    assert response.status_code == 400
    assert list(LvbIndication.objects.filter(person=person)) == own


def test_lvb_add_only_accepts_post(actor_client, professional, person):
    client, _ = actor_client(professional)
    assert client.get(lvb_url(person)).status_code == 405


def test_detail_page_queries_do_not_grow_with_the_history(actor_client, professional, person):
    client, _ = actor_client(professional)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(person)).status_code == 200
        return len(queries)

    previous = LvbIndicationFactory(person=person)
    count()  # the first request also stores session data
    few = count()
    for _ in range(5):
        previous = LvbIndicationFactory(person=person, corrects=previous)
    assert count() == few
