"""Round-table input: sessions, anonymous statements, themes, links to points, theme reports."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from schakel.knowledge import selectors, services
from schakel.knowledge.models import Recommendation, Statement, Theme

from .factories import SessionFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(functional_admin):
    return services.session_create(
        actor=functional_admin, title="Ronde tafel 1", held_on=datetime.date(2026, 4, 1)
    )


def test_session_needs_title_and_date(functional_admin):
    with pytest.raises(ValidationError) as caught:
        services.session_create(actor=functional_admin, title=" ", held_on="1 april")
    assert set(caught.value.message_dict) == {"title", "held_on"}


def test_statement_with_themes_and_supported_points(loaded, functional_admin, session):
    theme = Theme.objects.get(number=2)
    points = list(Recommendation.objects.filter(code__in=["2.2-K1", "2.2-A1"]))
    statement = services.statement_create(
        actor=functional_admin,
        session=session,
        text="Op school weten docenten niet wat een LVB is.",
        kind="problem",
        organisation_kind="education",
        themes=[theme],
        supports=points,
    )
    assert list(statement.themes.all()) == [theme]
    assert set(statement.supports.values_list("code", flat=True)) == {"2.2-K1", "2.2-A1"}
    assert statement.recorded_by == functional_admin


@pytest.mark.parametrize(
    "text",
    [
        "Bel mij op 06-12345678 als er iets is.",
        "Mail naar j.jansen@voorbeeld.nl voor meer.",
        "Mevr. Jansen van de gemeente zei dat het niet kon.",
        "Dhr. de Vries vindt dat het beter moet.",
        "Het BSN 123456782 stond in het dossier.",
        "Neem contact op via +31 20 123 4567.",
    ],
)
def test_statements_that_point_at_a_person_are_refused(functional_admin, session, text):
    with pytest.raises(ValidationError) as caught:
        services.statement_create(
            actor=functional_admin,
            session=session,
            text=text,
            kind="problem",
            organisation_kind="care",
        )
    assert "text" in caught.value.message_dict
    assert not Statement.objects.exists()


def test_statement_fields_are_checked(functional_admin, session):
    with pytest.raises(ValidationError) as caught:
        services.statement_create(
            actor=functional_admin, session=session, text="", kind="rant", organisation_kind="x"
        )
    assert set(caught.value.message_dict) == {"text", "kind", "organisation_kind"}


def test_update_and_delete(loaded, functional_admin, session):
    statement = StatementFactory(session=session)
    services.statement_update(
        actor=functional_admin,
        statement=statement,
        kind="ambition",
        themes=[Theme.objects.get(number=3)],
    )
    statement.refresh_from_db()
    assert statement.kind == "ambition" and statement.text.startswith("Professionals")
    services.statement_delete(actor=functional_admin, statement=statement)
    assert not Statement.objects.exists()


def test_only_functional_admins_collect_input(professional, analyst):
    for actor in (professional, analyst):
        with pytest.raises(PermissionDenied):
            services.session_create(actor=actor, title="x", held_on=datetime.date(2026, 1, 1))
        with pytest.raises(Exception):  # noqa: B017 - Http404
            selectors.sessions_for(actor=actor)


def test_theme_report_links_statements_to_points(loaded, functional_admin, session):
    theme = Theme.objects.get(number=4)
    k2 = Recommendation.objects.get(code="2.4-K2")
    a1 = Recommendation.objects.get(code="2.4-A1")
    supports_k2 = StatementFactory(session=session, text="Aangifte is te ingewikkeld.")
    supports_k2.themes.add(theme)
    supports_k2.supports.add(k2)
    wish = StatementFactory(
        session=session, kind="ambition", text="Een LVB-specialist bij elke aangifte."
    )
    wish.themes.add(theme)
    wish.supports.add(a1)
    loose = StatementFactory(session=session, kind="trend", text="Meer jonge slachtoffers.")
    loose.themes.add(theme)
    elsewhere = StatementFactory(session=SessionFactory(), text="Ook bij thema 4 van belang.")
    elsewhere.themes.add(Theme.objects.get(number=1))
    elsewhere.supports.add(a1)

    report = selectors.theme_report_for(actor=functional_admin, theme=theme)
    bottleneck = next(p for p in report["bottlenecks"] if p.code == "2.4-K2")
    assert bottleneck.supporting == [supports_k2]
    recommendation = next(p for p in report["recommendations"] if p.code == "2.4-A1")
    assert set(recommendation.supporting) == {wish, elsewhere}
    assert report["unlinked"] == [loose]
    kinds = {group["kind"]: group["statements"] for group in report["by_kind"]}
    assert kinds["problem"] == [supports_k2] and kinds["trend"] == [loose]
    assert report["sessions"] == [session]


def test_pages(actor_client, loaded, functional_admin, professional):
    client, _ = actor_client(functional_admin)
    response = client.post(
        "/kennisbank/ronde-tafels/",
        {"title": "Ronde tafel Zwolle", "held_on": "2026-05-12", "location": "Zwolle"},
    )
    assert response.status_code == 302
    session_url = response["Location"]
    response = client.post(
        session_url,
        {
            "text": "Mevr. Bakker zegt dat het misgaat.",
            "kind": "problem",
            "organisation_kind": "municipality",
        },
    )
    assert response.status_code == 400
    assert "niet naar een persoon te herleiden" in response.content.decode()
    response = client.post(
        session_url,
        {
            "text": "Gemeenten kopen LVB-zorg niet apart in.",
            "kind": "problem",
            "organisation_kind": "municipality",
            "themes": [Theme.objects.get(number=3).pk],
            "supports": "3.2.22a, 9.9.9",
        },
    )
    assert response.status_code == 400
    assert "Deze nummers bestaan niet: 9.9.9" in response.content.decode()
    response = client.post(
        session_url,
        {
            "text": "Gemeenten kopen LVB-zorg niet apart in.",
            "kind": "problem",
            "organisation_kind": "municipality",
            "themes": [Theme.objects.get(number=3).pk],
            "supports": "3.2.22a",
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    html = client.get("/kennisbank/ronde-tafels/themas/3/").content.decode()
    assert "Gemeenten kopen LVB-zorg niet apart in." in html
    edit = client.get(f"/kennisbank/ronde-tafels/uitspraak/{statement.pk}/")
    assert "3.2.22a" in edit.content.decode()
    response = client.post(f"/kennisbank/ronde-tafels/uitspraak/{statement.pk}/verwijderen/")
    assert response.status_code == 302 and not Statement.objects.exists()
    assert client.get("/kennisbank/ronde-tafels/themas/").status_code == 200

    other, _ = actor_client(professional)
    assert other.get("/kennisbank/ronde-tafels/").status_code == 404
    assert other.get("/kennisbank/ronde-tafels/themas/3/").status_code == 404
