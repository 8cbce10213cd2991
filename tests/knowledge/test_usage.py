"""Use of knowledge: anonymous counting per item, visitor audience and day; the usage page."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from schakel.knowledge import selectors, services
from schakel.knowledge.models import UsageCount

from .factories import KnowledgeItemFactory

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


@pytest.fixture
def item():
    return KnowledgeItemFactory(
        slug="gids",
        title="Gids voor docenten",
        links=[{"url": "https://example.org/gids.pdf", "label": "Download de gids"}],
    )


def counts():
    return {
        (row.item.slug, row.audience, row.event): row.count
        for row in UsageCount.objects.select_related("item")
    }


def test_usage_counts_hold_no_personal_data():
    fields = {f.name for f in UsageCount._meta.get_fields()}
    assert fields == {"id", "item", "day", "audience", "event", "count"}


def test_usage_record_increments_one_row_per_item_day_audience_event(item, teacher):
    for _ in range(3):
        services.usage_record(actor=teacher, item=item, event="view")
    services.usage_record(actor=None, item=item, event="view")
    services.usage_record(actor=None, item=item, event="download")
    assert counts() == {
        ("gids", "onderwijs", "view"): 3,
        ("gids", "public", "view"): 1,
        ("gids", "public", "download"): 1,
    }
    with pytest.raises(ValueError):
        services.usage_record(actor=None, item=item, event="like")


def test_visitor_audience_is_only_the_domain(professional, teacher, analyst):
    assert services.visitor_audience(None) == "public"
    assert services.visitor_audience(professional) == "zorg"
    assert services.visitor_audience(teacher) == "onderwijs"
    assert services.visitor_audience(analyst) == "registratie"


def test_an_anonymous_view_is_counted_as_public(client, item):
    response = client.get("/kennisbank/item/gids/", **BROWSER)
    assert response.status_code == 200
    assert counts() == {("gids", "public", "view"): 1}
    # Nothing about the visitor was stored, and no session was started for counting.
    assert "schakel_session" not in response.cookies


def test_a_logged_in_view_counts_once_a_day_under_the_domain(actor_client, item, teacher):
    client, _ = actor_client(teacher)
    client.get("/kennisbank/item/gids/", **BROWSER)
    client.get("/kennisbank/item/gids/", **BROWSER)
    assert counts() == {("gids", "onderwijs", "view"): 1}


def test_opening_a_link_counts_a_download_and_redirects(client, item):
    response = client.get("/kennisbank/item/gids/link/1/", **BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/gids.pdf"
    assert counts() == {("gids", "public", "download"): 1}
    assert client.get("/kennisbank/item/gids/link/2/", **BROWSER).status_code == 404
    assert client.get("/kennisbank/item/gids/link/0/", **BROWSER).status_code == 404


def test_robots_and_managers_and_withdrawn_items_are_not_counted(
    client, actor_client, item, functional_admin
):
    client.get("/kennisbank/item/gids/", HTTP_USER_AGENT="Googlebot/2.1")
    admin_client, _ = actor_client(functional_admin)
    admin_client.get("/kennisbank/item/gids/", **BROWSER)
    hidden = KnowledgeItemFactory(slug="weg", is_published=False)
    admin_client.get(f"/kennisbank/item/{hidden.slug}/", **BROWSER)
    assert counts() == {}


def test_withdrawn_items_are_not_found_by_the_public(client):
    hidden = KnowledgeItemFactory(slug="weg", is_published=False)
    assert client.get(f"/kennisbank/item/{hidden.slug}/").status_code == 404
    assert client.get(f"/kennisbank/item/{hidden.slug}/link/1/").status_code == 404


def test_summary_per_item_audience_and_period(item, teacher, analyst):
    other = KnowledgeItemFactory(slug="ander", title="Ander item")
    unused = KnowledgeItemFactory(slug="stil", title="Nooit gebruikt")
    monday = datetime.date(2026, 3, 2)
    for day, actor, it, event in [
        (monday, teacher, item, "view"),
        (monday, teacher, item, "view"),
        (monday + datetime.timedelta(days=1), None, item, "download"),
        (monday + datetime.timedelta(days=8), None, other, "view"),
    ]:
        services.usage_record(actor=actor, item=it, event=event, day=day)
    summary = selectors.usage_summary_for(
        actor=analyst,
        date_from=monday,
        date_to=monday + datetime.timedelta(days=13),
        grouping="week",
    )
    assert summary.totals == {"view": 3, "download": 1}
    first = summary.by_item[0]
    assert first["item"] == item and first["total"] == 3
    cells = dict(zip(summary.audiences, first["cells"], strict=True))
    assert cells["onderwijs"] == 2 and cells["public"] == 1
    assert [row["period"] for row in summary.by_period] == [
        monday,
        monday + datetime.timedelta(days=7),
    ]
    assert [row["total"] for row in summary.by_period] == [3, 1]
    assert unused in summary.unused and item not in summary.unused
    by_month = selectors.usage_summary_for(
        actor=analyst, date_from=monday, date_to=monday, grouping="month"
    )
    assert by_month.by_period[0]["period"] == datetime.date(2026, 3, 1)


def test_usage_needs_the_permission(professional):
    today = timezone.localdate()
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.usage_summary_for(actor=professional, date_from=today, date_to=today)


def test_usage_page_and_export(actor_client, client, item, analyst, professional, teacher):
    services.usage_record(actor=teacher, item=item, event="view")
    assert client.get("/kennisbank/gebruik/").status_code == 302  # log in first
    other, _ = actor_client(professional)
    assert other.get("/kennisbank/gebruik/").status_code == 404
    logged_in, _ = actor_client(analyst)
    response = logged_in.get("/kennisbank/gebruik/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gids voor docenten" in html and "Onderwijs" in html
    response = logged_in.get("/kennisbank/gebruik/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        {
            "dag": timezone.localdate().isoformat(),
            "item": "gids",
            "titel": "Gids voor docenten",
            "soort_item": "guide",
            "gebruikers": "onderwijs",
            "gebeurtenis": "view",
            "aantal": "1",
        }
    ]
    filtered = logged_in.get("/kennisbank/gebruik/?audience=public&grouping=day")
    assert filtered.status_code == 200
