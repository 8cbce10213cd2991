"""The overview for the person, in easy words."""

from django.utils import timezone

from ..access import (
    _member_rows,
)
from ..models import Case, CrisisCard, Meeting, Placement, Referral
from ._common import _access


def easy_read_for(*, actor, case: Case, today=None) -> dict:
    """What the easy-read page shows: who helps, what happens next, who to call."""
    access = _access(actor, case)
    today = today or timezone.localdate()
    helpers = [
        m
        for m in _member_rows()
        .select_related("membership__user", "organisation")
        .filter(case=case, ended_at__isnull=True)
        if m.membership_id not in (case.lead_id, case.backup_id)
    ]
    meetings = list(
        Meeting.objects.filter(case=case, status=Meeting.Status.PLANNED, date__gte=today).order_by(
            "date"
        )[:3]
    )
    help_now, waiting = [], []
    if access.sees("hulpverlening"):
        for referral in Referral.objects.filter(
            case=case,
            status__in=[
                Referral.Status.REQUESTED,
                Referral.Status.ACCEPTED,
                Referral.Status.STARTED,
            ],
        ):
            name = referral.provider_name or referral.offer_name
            (help_now if referral.status == Referral.Status.STARTED else waiting).append(name)
        for placement in Placement.objects.filter(case=case, ended_on__isnull=True):
            if placement.provider_name not in help_now:
                help_now.append(placement.provider_name)
    card = CrisisCard.objects.filter(case=case, agreed_by_person=True).first()
    return {
        "first_name": case.person.given_names.split(" ")[0] if access.sees_identity else "",
        "lead": case.lead,
        "backup": case.backup,
        "helpers": helpers,
        "meetings": meetings,
        "help_now": help_now,
        "waiting": waiting,
        "card": card if access.sees("hulpverlening") else None,
    }
