"""The team of a case and its handovers."""

from django.http import Http404

from .. import sources
from ..access import _member_rows, member_in_force
from ..models import Case, CaseMember, Handover
from ._common import _access, _int


def members_for(*, actor, case: Case, include_ended: bool = False) -> list[CaseMember]:
    """Members of the case; each with `in_force` (False: their basis lapsed) and `labels` (the
    data their organisation sees)."""
    _access(actor, case)
    rows = _member_rows().select_related("membership__user", "organisation")
    rows = rows.filter(case=case)
    if not include_ended:
        rows = rows.filter(ended_at__isnull=True)
    members = list(rows.order_by("ended_at", "joined_at", "pk"))
    for member in members:
        member.in_force = member.ended_at is None and member_in_force(member, case)
        member.is_lead = member.ended_at is None and member.membership_id == case.lead_id
        member.is_backup = member.ended_at is None and member.membership_id == case.backup_id
        member.category_labels = sources.category_labels(
            [
                c
                for c in sources.purpose_categories(sources.CASE_PURPOSE)
                if c in member.data_categories
            ]
        )
    return members


def member_get_for(*, actor, case: Case, pk) -> CaseMember:
    _access(actor, case)
    member = (
        CaseMember.objects.select_related("membership__user", "organisation")
        .filter(case=case, pk=_int(pk), ended_at__isnull=True)
        .first()
    )
    if member is None:
        raise Http404
    return member


def handovers_for(*, actor, case: Case) -> list[Handover]:
    _access(actor, case)
    return list(
        Handover.objects.filter(case=case).select_related(
            "from_lead__user", "from_lead__organisation", "to_lead__user", "to_lead__organisation"
        )
    )


def handover_get_for(*, actor, case: Case, pk) -> Handover:
    _access(actor, case)
    handover = (
        Handover.objects.select_related("case", "to_lead__user", "from_lead__user", "new_backup")
        .filter(case=case, pk=_int(pk))
        .first()
    )
    if handover is None:
        raise Http404
    handover.case = case
    return handover
