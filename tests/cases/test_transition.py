"""The 18th birthday: tasks for the lead at 17 years and 6 months and at 17 years and 11 months;
nothing about the case changes by itself. Time is frozen by passing `today` and by patching
django.utils.timezone.now (no timing in the assertions)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from schakel.cases import services
from schakel.cases.models import CaseMember, Event, Task
from schakel.cases.rules import add_months, case_rules
from schakel.cases.tasks import case_tasks_due

from .factories import make_case

pytestmark = pytest.mark.django_db

BORN = datetime.date(2009, 3, 14)


def frozen(monkeypatch, day: datetime.date):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def snapshot(case):
    case.refresh_from_db()
    return (
        case.status,
        case.lead_id,
        case.backup_id,
        case.version,
        case.involvement,
        sorted(
            CaseMember.objects.filter(case=case, ended_at__isnull=True).values_list(
                "membership_id", flat=True
            )
        ),
        Event.objects.filter(case=case).count(),
    )


def transition_tasks(case):
    return list(
        Task.objects.filter(case=case, kind=Task.Kind.TRANSITION)
        .order_by("due_on")
        .values_list("key", "due_on", "owner_id")
    )


def test_tasks_at_17_and_a_half_and_17_and_11_months(lead, colleague, monkeypatch):
    case = make_case(
        lead=lead, backup=colleague, date_of_birth=BORN, today=datetime.date(2026, 1, 10)
    )
    assert transition_tasks(case) == []
    before = snapshot(case)

    frozen(monkeypatch, datetime.date(2026, 9, 13))  # one day before 17 years and 6 months
    assert case_tasks_due.call_local() == 0
    frozen(monkeypatch, datetime.date(2026, 9, 14))
    assert case_tasks_due.call_local() == 1
    assert case_tasks_due.call_local() == 0, "made once"
    assert transition_tasks(case) == [
        ("transition:17y6m", datetime.date(2027, 2, 14), lead.pk),
    ]
    frozen(monkeypatch, datetime.date(2027, 2, 13))
    assert case_tasks_due.call_local() == 0
    frozen(monkeypatch, datetime.date(2027, 2, 14))  # 17 years and 11 months
    assert case_tasks_due.call_local() == 1
    assert [key for key, _due, _owner in transition_tasks(case)] == [
        "transition:17y6m",
        "transition:17y11m",
    ]
    task = Task.objects.get(case=case, key="transition:17y11m")
    assert task.due_on == datetime.date(2027, 3, 14)
    assert set(task.checklist) == set(case_rules().transition_keys())
    assert not any(task.checklist.values())

    frozen(monkeypatch, datetime.date(2027, 3, 14))  # the 18th birthday
    assert case_tasks_due.call_local() == 0
    frozen(monkeypatch, datetime.date(2027, 6, 1))
    assert case_tasks_due.call_local() == 0
    assert snapshot(case) == before, "nothing about the case changes by itself at 18"


def test_the_command_takes_a_day(lead, colleague):
    case = make_case(
        lead=lead, backup=colleague, date_of_birth=BORN, today=datetime.date(2026, 1, 10)
    )
    out = io.StringIO()
    call_command("case_tasks_due", today="2027-02-20", stdout=out)
    assert "2" in out.getvalue()
    assert len(transition_tasks(case)) == 2


def test_a_case_started_late_gets_its_tasks_at_once(lead, colleague):
    case = make_case(
        lead=lead, backup=colleague, date_of_birth=BORN, today=datetime.date(2026, 10, 1)
    )
    assert [key for key, _d, _o in transition_tasks(case)] == ["transition:17y6m"]


def test_no_tasks_after_18_or_without_a_date_of_birth(lead, colleague):
    adult = make_case(
        lead=lead, backup=colleague, date_of_birth=BORN, today=datetime.date(2027, 3, 14)
    )
    assert transition_tasks(adult) == []
    unknown = make_case(lead=lead, backup=colleague, today=datetime.date(2026, 1, 1))
    unknown.person.date_of_birth = None
    unknown.person.save()
    assert services.case_tasks_due_create(today=datetime.date(2027, 6, 1)) == 0


def test_closed_cases_in_aftercare_still_get_the_tasks(lead, colleague):
    case = make_case(
        lead=lead, backup=colleague, date_of_birth=BORN, today=datetime.date(2026, 1, 10)
    )
    services.case_close(
        actor=lead,
        case=case,
        expected_version=case.version,
        reason="Klaar",
        no_aftercare_reason="Verhuisd naar het buitenland",
        today=datetime.date(2026, 6, 1),
    )
    assert services.case_tasks_due_create(today=datetime.date(2026, 9, 14)) == 1
    long_ago = make_case(
        lead=lead,
        backup=colleague,
        date_of_birth=datetime.date(2010, 1, 1),
        today=datetime.date(2020, 1, 1),
    )
    services.case_close(
        actor=lead,
        case=long_ago,
        expected_version=long_ago.version,
        reason="Klaar",
        no_aftercare_reason="x",
        closed_on=datetime.date(2020, 2, 1),
        today=datetime.date(2020, 2, 1),
    )
    assert services.case_tasks_due_create(today=datetime.date(2027, 7, 1)) == 0


def test_tasks_go_to_the_lead_of_the_day(lead, colleague):
    from .test_lead import CHECKLIST

    case = make_case(
        lead=lead, backup=colleague, date_of_birth=BORN, today=datetime.date(2026, 1, 10)
    )
    member = CaseMember.objects.get(case=case, membership=colleague)
    handover = services.handover_offer(actor=lead, case=case, to_member=member)
    services.handover_accept(actor=colleague, handover=handover, **CHECKLIST)
    services.case_tasks_due_create(today=datetime.date(2026, 9, 14))
    assert transition_tasks(case)[0][2] == colleague.pk


@given(
    born=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)),
    months=st.integers(min_value=0, max_value=240),
)
def test_add_months(born, months):
    later = add_months(born, months)
    assert (later.year - born.year) * 12 + later.month - born.month == months
    assert later.day <= born.day
    if later.day < born.day:  # clipped to the end of a shorter month
        assert (later + datetime.timedelta(days=1)).day == 1


def test_born_on_the_31st_of_august():
    assert add_months(datetime.date(2009, 8, 31), 210) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2008, 8, 31), 210) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2010, 8, 31), 210) == datetime.date(2028, 2, 29)
