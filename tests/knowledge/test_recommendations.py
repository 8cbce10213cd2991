"""The recommendations tracker: status history rules, stalled detection, dashboard, public pages
and the CSV export."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakel.knowledge import selectors, services
from schakel.knowledge.models import Recommendation, StatusUpdate

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2023, 1, 1)


def point(code="2.2-A1"):
    return Recommendation.objects.get(code=code)


def report(actor, rec, status, day, evidence="", **kwargs):
    return services.status_update_record(
        actor=actor,
        recommendation=rec,
        status=status,
        reported_on=day,
        reported_by=kwargs.pop("reported_by", "Ministerie van VWS"),
        evidence=evidence,
        **kwargs,
    )


@pytest.fixture
def rec(loaded):
    return point()


def test_without_updates_a_recommendation_has_not_started_since_tracking_began(rec):
    assert rec.status == "not_started"
    assert rec.status_since == START
    assert rec.last_report_on is None


def test_a_report_changes_the_status_and_is_kept(rec, functional_admin):
    update = report(
        functional_admin,
        rec,
        "in_preparation",
        datetime.date(2024, 2, 1),
        evidence_links=["https://example.org/kamerbrief"],
    )
    rec.refresh_from_db()
    assert (rec.status, rec.status_since, rec.last_report_on) == (
        "in_preparation",
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 1),
    )
    assert update.recorded_by == functional_admin
    assert update.evidence_links == ["https://example.org/kamerbrief"]


def test_a_progress_report_with_the_same_status_does_not_reset_since(rec, functional_admin):
    report(functional_admin, rec, "in_progress", datetime.date(2024, 1, 1))
    report(functional_admin, rec, "in_progress", datetime.date(2025, 6, 1), "Eerste pilot klaar.")
    rec.refresh_from_db()
    assert rec.status_since == datetime.date(2024, 1, 1)
    assert rec.last_report_on == datetime.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("status", "day", "evidence", "field"),
    [
        ("in_progress", datetime.date(2022, 12, 31), "", "reported_on"),  # before tracking
        ("in_progress", None, "", "reported_on"),
        ("in_progress", "gisteren", "", "reported_on"),
        ("finished", datetime.date(2024, 1, 1), "", "status"),
        ("implemented", datetime.date(2024, 1, 1), "", "evidence"),
        ("dropped", datetime.date(2024, 1, 1), "  ", "evidence"),
        ("not_started", datetime.date(2024, 1, 1), "", "evidence"),  # nothing changes
    ],
)
def test_rules_for_one_report(rec, functional_admin, status, day, evidence, field):
    with pytest.raises(ValidationError) as caught:
        report(functional_admin, rec, status, day, evidence)
    assert field in caught.value.message_dict
    assert not StatusUpdate.objects.exists()


def test_a_report_cannot_lie_in_the_future(rec, functional_admin):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        report(functional_admin, rec, "in_progress", tomorrow)
    assert "reported_on" in caught.value.message_dict


def test_reporter_and_links_are_checked(rec, functional_admin):
    with pytest.raises(ValidationError) as caught:
        report(
            functional_admin,
            rec,
            "in_progress",
            datetime.date(2024, 1, 1),
            reported_by=" ",
            evidence_links=["javascript:alert(1)"],
        )
    assert {"reported_by", "evidence_links"} <= set(caught.value.message_dict)


def test_reports_follow_each_other_in_time(rec, functional_admin):
    report(functional_admin, rec, "in_preparation", datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError) as caught:
        report(functional_admin, rec, "in_progress", datetime.date(2024, 4, 30))
    assert "reported_on" in caught.value.message_dict
    report(functional_admin, rec, "in_progress", datetime.date(2024, 5, 1))  # same day is fine


def test_reopening_a_final_status_needs_an_explanation(rec, functional_admin):
    report(functional_admin, rec, "dropped", datetime.date(2024, 1, 1), "Geen budget.")
    with pytest.raises(ValidationError) as caught:
        report(functional_admin, rec, "in_preparation", datetime.date(2024, 6, 1))
    assert "evidence" in caught.value.message_dict
    report(functional_admin, rec, "in_preparation", datetime.date(2024, 6, 1), "Toch budget.")
    rec.refresh_from_db()
    assert rec.status == "in_preparation"


def test_bottlenecks_have_no_status(loaded, functional_admin):
    with pytest.raises(ValidationError) as caught:
        report(functional_admin, point("2.2-K1"), "in_progress", datetime.date(2024, 1, 1))
    assert "recommendation" in caught.value.message_dict


def test_only_functional_admins_report(rec, professional, analyst):
    for actor in (professional, analyst, None):
        with pytest.raises(PermissionDenied):
            report(actor, rec, "in_progress", datetime.date(2024, 1, 1))


def test_a_correction_replaces_the_latest_report_without_editing_it(rec, functional_admin):
    first = report(functional_admin, rec, "in_preparation", datetime.date(2024, 1, 1))
    wrong = report(functional_admin, rec, "implemented", datetime.date(2024, 3, 1), "Klaar.")
    fixed = report(
        functional_admin,
        rec,
        "in_progress",
        datetime.date(2024, 3, 1),
        "Nog niet klaar: alleen gestart.",
        corrects=wrong,
    )
    rec.refresh_from_db()
    assert rec.status == "in_progress"
    assert rec.status_since == datetime.date(2024, 3, 1)
    assert StatusUpdate.objects.count() == 3
    wrong.refresh_from_db()
    assert wrong.status == "implemented" and wrong.evidence == "Klaar."  # untouched
    history = selectors.recommendation_history(recommendation=rec)
    by_pk = {u.pk: u for u in history}
    assert by_pk[wrong.pk].is_effective is False
    assert by_pk[wrong.pk].corrected_by == [by_pk[fixed.pk]]
    assert by_pk[first.pk].is_effective and by_pk[fixed.pk].is_effective
    # Only the latest effective report can be corrected.
    with pytest.raises(ValidationError) as caught:
        report(functional_admin, rec, "dropped", datetime.date(2024, 4, 1), "x", corrects=first)
    assert "corrects" in caught.value.message_dict


def test_a_correction_of_the_only_report_goes_back_to_not_started(rec, functional_admin):
    only = report(functional_admin, rec, "in_progress", datetime.date(2024, 1, 1))
    report(functional_admin, rec, "not_started", datetime.date(2024, 1, 1), corrects=only)
    rec.refresh_from_db()
    assert rec.status == "not_started" and rec.status_since == START


def test_a_correction_must_be_of_the_same_recommendation(loaded, functional_admin):
    other = report(functional_admin, point("2.2-A2"), "in_progress", datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as caught:
        report(functional_admin, point(), "in_progress", datetime.date(2024, 1, 1), corrects=other)
    assert "corrects" in caught.value.message_dict


def test_stalled_means_no_status_change_for_a_year(rec, functional_admin):
    today = datetime.date(2026, 6, 1)
    assert selectors.is_stalled(rec, today)
    report(functional_admin, rec, "in_progress", datetime.date(2025, 7, 1))
    rec.refresh_from_db()
    assert not selectors.is_stalled(rec, today)
    assert selectors.is_stalled(rec, datetime.date(2026, 7, 1))
    report(functional_admin, rec, "implemented", datetime.date(2025, 8, 1), "Klaar.")
    rec.refresh_from_db()
    assert not selectors.is_stalled(rec, datetime.date(2030, 1, 1))  # done is never stalled
    assert not selectors.is_stalled(point("2.2-K1"), today)  # bottlenecks never stall


def test_dashboard_by_theme_and_addressee(loaded, functional_admin):
    report(functional_admin, point("2.2-A1"), "implemented", datetime.date(2025, 1, 1), "Klaar.")
    report(functional_admin, point("2.2-A2"), "in_progress", datetime.date(2026, 1, 1))
    dashboard = selectors.recommendation_dashboard(today=datetime.date(2026, 6, 1))
    assert dashboard["total"] == 104
    statuses = [code for code, _label in dashboard["statuses"]]
    totals = dict(zip(statuses, dashboard["totals"], strict=True))
    assert totals["implemented"] == 1 and totals["in_progress"] == 1
    assert totals["not_started"] == 102
    assert len(dashboard["stalled"]) == 102
    theme2 = next(row for row in dashboard["themes"] if row.key == "2")
    assert theme2.total == 10  # 4 in chapter 2 (2.2-A0..A3) and 6 in chapter 3 (3.1.1-3.1.6)
    assert theme2.done == 1 and theme2.moving == 1 and theme2.stalled == 8
    ocw = next(row for row in dashboard["addressees"] if row.key == "ocw")
    assert ocw.done == 1 and ocw.moving == 1
    assert ocw.derived == 5
    assert sum(r.total for r in dashboard["themes"]) == 104
    assert (
        dashboard["without_addressee"].total
        == Recommendation.objects.filter(kind="recommendation", addressee_rows__isnull=True).count()
    )


# -- pages -------------------------------------------------------------------------------------


def test_public_list_and_filters(client, loaded):
    html = client.get("/kennisbank/aanbevelingen/").content.decode()
    assert "2.2-A1" in html and "2.2-K1" not in html
    html = client.get("/kennisbank/aanbevelingen/?kind=bottleneck&theme=2").content.decode()
    assert "2.2-K1" in html and "2.2-A1" not in html and "2.3-K1" not in html
    html = client.get("/kennisbank/aanbevelingen/?addressee=szw").content.decode()
    assert "2.7-A1" in html and "2.2-A1" not in html
    html = client.get("/kennisbank/aanbevelingen/?q=kennisbijeenkomst").content.decode()
    assert "2.2-A2" in html and "2.2-A1" not in html
    response = client.get("/kennisbank/aanbevelingen/?stalled=on")
    assert "Staat al een jaar stil" in response.content.decode()


def test_public_detail_shows_history_but_no_form(client, loaded, functional_admin):
    report(functional_admin, point(), "in_progress", datetime.date(2024, 1, 1), "Gestart.")
    response = client.get("/kennisbank/aanbevelingen/2.2-A1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gestart." in html and "Ministerie van VWS" in html
    assert "Voortgang melden" not in html
    assert client.get("/kennisbank/aanbevelingen/9.9-X/").status_code == 404


def test_functional_admin_reports_through_the_page(actor_client, loaded, functional_admin):
    client, _ = actor_client(functional_admin)
    page = client.get("/kennisbank/aanbevelingen/2.2-A1/").content.decode()
    assert "Voortgang melden" in page
    response = client.post(
        "/kennisbank/aanbevelingen/2.2-A1/status/",
        {"status": "implemented", "reported_on": "2025-02-01", "reported_by": "OCW"},
    )
    assert response.status_code == 400
    assert "Beschrijf waaruit blijkt" in response.content.decode()
    response = client.post(
        "/kennisbank/aanbevelingen/2.2-A1/status/",
        {
            "status": "implemented",
            "reported_on": "2025-02-01",
            "reported_by": "OCW",
            "evidence": "Kennisbank Schakel in gebruik.",
            "evidence_links": "https://example.org/a\n\nhttps://example.org/b",
        },
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert update.evidence_links == ["https://example.org/a", "https://example.org/b"]
    # Correct it through the page.
    form_page = client.get("/kennisbank/aanbevelingen/2.2-A1/?verbeter=1").content.decode()
    assert "Verbetert de laatste melding" in form_page
    response = client.post(
        "/kennisbank/aanbevelingen/2.2-A1/status/",
        {
            "status": "in_progress",
            "reported_on": "2025-02-01",
            "reported_by": "OCW",
            "evidence": "Toch nog niet af.",
            "corrects": str(update.pk),
        },
    )
    assert response.status_code == 302
    assert point().status == "in_progress"


def test_others_cannot_report(actor_client, client, loaded, professional):
    data = {"status": "in_progress", "reported_on": "2025-02-01", "reported_by": "x"}
    response = client.post("/kennisbank/aanbevelingen/2.2-A1/status/", data)
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
    logged_in, _ = actor_client(professional)
    assert logged_in.post("/kennisbank/aanbevelingen/2.2-A1/status/", data).status_code == 403
    assert not StatusUpdate.objects.exists()


def test_dashboard_page(client, loaded):
    response = client.get("/kennisbank/aanbevelingen/overzicht/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Per thema" in html and "Per geadresseerde" in html
    assert "<meter" in html and "Staat al een jaar stil" in html


def test_csv_export(client, loaded, functional_admin):
    RecommendationFactory(code="2.9-A99", summary='=HYPERLINK("https://x")')
    report(functional_admin, point(), "in_progress", datetime.date(2024, 1, 1))
    response = client.get("/kennisbank/aanbevelingen/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 130  # every bottleneck and recommendation, plus the one made here
    by_code = {row["nummer"]: row for row in rows}
    assert by_code["2.2-A1"]["status"] == "in_progress"
    assert by_code["2.2-A1"]["geadresseerden"] == "jenv|ocw|vws"
    assert by_code["2.2-K1"]["status"] == ""
    assert by_code["3.1.4"]["geadresseerden_afgeleid"] == "gemeenten|jenv|ocw|vws"
    assert by_code["2.9-A99"]["samenvatting"].startswith("'=")  # no formula in a spreadsheet
    filtered = client.get("/kennisbank/aanbevelingen/export.csv?kind=bottleneck").content
    assert len(list(csv.reader(io.StringIO(filtered.decode("utf-8-sig"))))) == 26
