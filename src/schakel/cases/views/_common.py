"""What the case pages share: the case of the URL (404 for a non-member), the header and tabs
of a case page, and the one answer to a stale edit (`_conflict`: keep what was typed, show what
is stored now).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.accounts.permissions import can

from .. import selectors, sources
from ..access import lead_can_act
from ..models import Case
from ..rules import add_months, case_rules

TABS = [
    ("detail", gettext_lazy("Overzicht"), None),
    ("timeline", gettext_lazy("Tijdlijn"), None),
    ("team", gettext_lazy("Team"), None),
    ("help", gettext_lazy("Hulp"), "hulpverlening"),
    ("meetings", gettext_lazy("Overleg"), None),
    ("tasks", gettext_lazy("Taken"), None),
    ("aftercare", gettext_lazy("Nazorg"), "hulpverlening"),
    ("crisis_card", gettext_lazy("Hulpkaart"), "hulpverlening"),
    ("easy_read", gettext_lazy("Voor de persoon"), None),
]


def _actor(request):
    actor = request.actor
    if not can(actor, "case.view"):
        raise Http404
    return actor


def _case(request, public_id) -> Case:
    return selectors.case_get_for(actor=_actor(request), public_id=public_id)


def _manage(case: Case) -> None:
    if not case.access.can_manage:
        raise PermissionDenied("case.manage")


def _show(value) -> str:
    if value in (None, "", [], {}):
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _stored_values(form, current) -> list[tuple[str, str]]:
    """What is stored now, field by field, for the conflict notice."""
    if current is None:
        return []
    rows = []
    forms_labels = dict(sources.form_choices())
    for name, field in form.fields.items():
        if name == "version":
            continue
        attribute = "forms" if name == "exploitation" else name
        if not hasattr(current, attribute):
            continue
        value = getattr(current, attribute)
        display = getattr(current, f"get_{attribute}_display", None)
        if display is not None:
            value = display()
        elif attribute == "forms":
            value = ", ".join(str(forms_labels.get(f, f)) for f in value)
        elif hasattr(value, "all"):
            value = ", ".join(str(v) for v in value.all())
        rows.append((str(field.label), _show(value)))
    return rows


def _conflict(request, form_class, conflict, **form_kwargs):
    """The one answer of the case pages to a stale edit (409): keep what the user typed, with the
    version that is stored now (so saving again is a conscious overwrite), explain, and return
    what is stored now, field by field, for the "Dit is nu opgeslagen" notice."""
    data = request.POST.copy()
    form = form_class(data, **form_kwargs)
    data[form.add_prefix("version")] = conflict.current_version
    form.is_valid()
    form.add_error(
        None,
        _(
            "Iemand anders heeft dit net gewijzigd. Uw wijziging is niet opgeslagen. Hieronder "
            "staat wat nu is opgeslagen. Pas het formulier zo nodig aan en sla opnieuw op."
        ),
    )
    return form, _stored_values(form, conflict.current)


def _refusal(error) -> dict:
    return {
        "reasons": list(getattr(error, "reasons", []) or [str(error)]),
        "hints": list(getattr(error, "hints", [])),
    }


def _header(request, case: Case) -> dict:
    access = case.access
    rules = case_rules()
    lvb = selectors.lvb_for(actor=request.actor, case=case)
    tabs = [(key, label) for key, label, category in TABS if not category or access.sees(category)]
    person = case.person
    eighteen = add_months(person.date_of_birth, 216) if person.date_of_birth else None
    return {
        "case": case,
        "access": access,
        "rules": rules,
        "lvb": lvb,
        "tabs": tabs,
        "open_handover": selectors.open_handover(case),
        "stand_in": access.is_backup and not lead_can_act(case),
        "eighteen_on": eighteen,
        "is_minor": eighteen is not None and timezone.localdate() < eighteen,
    }


def _page(request, template, case, tab, context=None, status=200):
    ctx = {**_header(request, case), "tab": tab, **(context or {})}
    return render(request, template, ctx, status=status)


def _url(name, case, **kwargs) -> str:
    return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kwargs})


def _active_members(request, case):
    return selectors.members_for(actor=request.actor, case=case)
