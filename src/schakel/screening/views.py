"""Web pages for screening. Thin: the engine scores, the services write, the selectors read.

Flow: start page → one area per step (answers of the other steps ride along in hidden fields,
so back and forward never lose them and it all works without JavaScript) → a review step →
the advice. Anonymous use stores nothing but a use count; use for a known person stores an
assessment and shows it at its own address.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schakel.accounts.permissions import can
from schakel.directory.selectors import municipality_choices
from schakel.people import selectors as people_selectors

from . import advice as advice_builder
from . import engine, selectors, services
from .forms import MunicipalityForm, answers_from_post, area_form, hidden_answers
from .instruments import Instrument
from .models import UsageCount

ACTION_NEXT, ACTION_BACK, ACTION_FINISH = "volgende", "vorige", "advies"
GOTO = "ga-"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _actor(request):
    return getattr(request, "actor", None)


def _person_for(request, public_id, instrument: Instrument):
    """The person a screening is for (None: anonymous). Only for actors who may screen them."""
    if not public_id:
        return None
    actor = _actor(request)
    if actor is None or not instrument.storable:
        raise Http404
    person = people_selectors.person_get_for(actor=actor, public_id=public_id)
    if not can(actor, "screening.assess"):
        raise PermissionDenied("screening.assess")
    return person


def _default_municipality(request) -> str:
    actor = _actor(request)
    municipality = getattr(getattr(actor, "organisation", None), "municipality", None)
    return municipality.code if municipality else ""


def _municipality(request, data) -> tuple[str, MunicipalityForm]:
    choices = municipality_choices()
    form = MunicipalityForm(data if "gemeente" in data else None, choices=choices)
    code = _default_municipality(request)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["gemeente"] or ""
    if not form.is_bound:
        form = MunicipalityForm(initial={"gemeente": code}, choices=choices)
    return code, form


def answer_rows(instrument: Instrument, answers: dict) -> list[dict]:
    rows = []
    for area in instrument.areas:
        for item in area.items:
            if item.id in answers:
                rows.append(
                    {
                        "area": area.title,
                        "question": item.text,
                        "answer_label": item.label_for(answers[item.id]),
                    }
                )
    return rows


PROFILE_TEXT = {
    "young_person": {
        "contacts": gettext_lazy("Hier kun je terecht"),
        "answers": gettext_lazy("Jouw antwoorden"),
        "levels": gettext_lazy("Wat je antwoorden laten zien"),
    },
}


def _texts(instrument: Instrument) -> dict:
    default = {
        "contacts": _("Wie kunt u nu bellen of mailen?"),
        "answers": _("Alle antwoorden"),
        "levels": _("Uitkomst per onderwerp")
        if not instrument.scales or instrument.scales[0].kind != "form"
        else _("Uitkomst per vorm van uitbuiting"),
    }
    own = PROFILE_TEXT.get(instrument.step_plan)
    if own:
        default.update({key: str(value) for key, value in own.items()})
    return default


# -- pages ---------------------------------------------------------------------------------


@require_GET
def index(request):
    actor = _actor(request)
    instruments = selectors.instrument_list()
    groups = [
        (_("Voor professionals en docenten"), ("professional", "teacher")),
        (_("Voor ouders en verzorgers"), ("parent",)),
        (_("Voor jongeren"), ("young_person",)),
    ]
    grouped, shown = [], set()
    for title, audiences in groups:
        members = [i for i in instruments if set(i.audience) & set(audiences) and i.id not in shown]
        shown.update(i.id for i in members)
        if members:
            grouped.append((title, members))
    context = {
        "groups": grouped,
        "can_assess": can(actor, "screening.assess") and can(actor, "person.view"),
        "can_view_usage": can(actor, "screening.manage") or can(actor, "monitor.view"),
    }
    return render(request, "screening/index.html", context)


@require_GET
def start(request, key):
    instrument = selectors.instrument_get(key=key)
    person = _person_for(request, request.GET.get("persoon"), instrument)
    context = {"instrument": instrument, "person": person, "steps": len(instrument.areas) + 1}
    return render(request, "screening/start.html", context)


def _steps(instrument: Instrument, current: int, answers: dict) -> list[dict]:
    steps = []
    for index, area in enumerate(instrument.areas):
        answered = any(item.id in answers for item in area.items)
        steps.append({"index": index, "title": area.title, "answered": answered})
    steps.append({"index": len(instrument.areas), "title": _("Controleren"), "answered": False})
    for step in steps:
        step["current"] = step["index"] == current
    return steps


def _render_step(request, instrument, person, *, step, answers, form=None, status=200):
    review = step == len(instrument.areas)
    area = None if review else instrument.areas[step]
    if area is not None and form is None:
        form = area_form(area, answers=answers)
    context = {
        "instrument": instrument,
        "person": person,
        "step": step,
        "number": step + 1,
        "total": len(instrument.areas) + 1,
        "steps": _steps(instrument, step, answers),
        "area": area,
        "form": form,
        "review": review,
        "review_areas": [
            {
                "index": index,
                "area": a,
                "rows": [
                    {"item": item, "label": item.label_for(answers.get(item.id))}
                    for item in a.items
                ],
            }
            for index, a in enumerate(instrument.areas)
        ]
        if review
        else [],
        "hidden": hidden_answers(instrument, answers, skip_area=area.id if area else None),
    }
    return render(request, "screening/step.html", context, status=status)


def _render_advice(request, instrument, answers, result, *, status=200):
    code, municipality_form = _municipality(request, request.POST)
    context = {
        "instrument": instrument,
        "advice": advice_builder.build(instrument, result, municipality_code=code),
        "answers": answer_rows(instrument, answers),
        "hidden": hidden_answers(instrument, answers),
        "municipality_form": municipality_form,
        "texts": _texts(instrument),
        "stored": None,
    }
    return render(request, "screening/advice.html", context, status=status)


@require_http_methods(["GET", "POST"])
def fill(request, key):
    data = request.POST if request.method == "POST" else request.GET
    row = selectors.instrument_row_get(key=key, version=_int(data.get("versie")))
    instrument = selectors.instrument_of(row)
    person = _person_for(request, data.get("persoon"), instrument)
    review = len(instrument.areas)
    if request.method == "GET":
        return _render_step(request, instrument, person, step=0, answers={})

    answers = answers_from_post(instrument, request.POST)
    step = min(max(_int(request.POST.get("stap")) or 0, 0), review)
    action = request.POST.get("actie", ACTION_NEXT)
    if action == ACTION_BACK:
        return _render_step(request, instrument, person, step=max(step - 1, 0), answers=answers)
    if action.startswith(GOTO):
        target = min(max(_int(action[len(GOTO) :]) or 0, 0), review)
        return _render_step(request, instrument, person, step=target, answers=answers)
    if step < review:
        form = area_form(instrument.areas[step], data=request.POST)
        if not form.is_valid():
            return _render_step(
                request, instrument, person, step=step, answers=answers, form=form, status=400
            )
        if action != ACTION_FINISH:
            return _render_step(request, instrument, person, step=step + 1, answers=answers)
    return _finish(request, instrument, row, person, answers)


def _first_area_with_errors(instrument: Instrument, errors: dict) -> int:
    for index, area in enumerate(instrument.areas):
        if any(item.id in errors for item in area.items):
            return index
    return 0


def _finish(request, instrument, row, person, answers):
    try:
        if person is not None:
            assessment = services.assessment_create(
                actor=_actor(request), person=person, instrument_row=row, answers=answers
            )
            return redirect("screening:assessment", public_id=assessment.public_id)
        clean, result = services.consultation_score(
            actor=_actor(request), instrument=instrument, answers=answers
        )
    except ValidationError as error:
        bad = {
            name.removeprefix("answers."): texts
            for name, texts in getattr(error, "message_dict", {}).items()
        }
        step = _first_area_with_errors(instrument, bad)
        form = area_form(instrument.areas[step], data=request.POST)
        form.is_valid()
        for item_id, texts in bad.items():
            if item_id in form.fields and item_id not in form.errors:
                form.add_error(item_id, texts)
        return _render_step(
            request, instrument, person, step=step, answers=answers, form=form, status=400
        )
    return _render_advice(request, instrument, clean, result)


def _posted_result(request, key):
    """Re-score the answers a result page carries (for another municipality, or the PDF)."""
    row = selectors.instrument_row_get(key=key, version=_int(request.POST.get("versie")))
    instrument = selectors.instrument_of(row)
    answers = answers_from_post(instrument, request.POST)
    try:
        clean = engine.clean_answers(instrument, answers)
    except engine.AnswersInvalid:
        return instrument, None, None
    return instrument, clean, engine.evaluate(instrument, clean)


def _invalid(request, instrument):
    return render(request, "screening/invalid.html", {"instrument": instrument}, status=400)


@require_POST
def result(request, key):
    """The anonymous advice again, e.g. with another municipality. Counts nothing."""
    instrument, clean, scored = _posted_result(request, key)
    if scored is None:
        return _invalid(request, instrument)
    return _render_advice(request, instrument, clean, scored)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def result_pdf(request, key):
    from .pdf import advice_pdf

    instrument, clean, scored = _posted_result(request, key)
    if scored is None:
        return _invalid(request, instrument)
    code, _form = _municipality(request, request.POST)
    built = advice_builder.build(instrument, scored, municipality_code=code)
    meta = [(_("Gebruik"), _("anoniem, zonder naam; niets is opgeslagen"))]
    content = advice_pdf(built, answers=answer_rows(instrument, clean), meta=meta)
    return _pdf_response(content, f"advies-{instrument.id}.pdf")


def _stored_context(request, assessment) -> dict:
    instrument = selectors.instrument_of(assessment.instrument)
    code, municipality_form = _municipality(request, request.GET)
    current = selectors.instrument_row_get(key=assessment.instrument.key)
    return {
        "instrument": instrument,
        "advice": advice_builder.build(instrument, assessment.result, municipality_code=code),
        "answers": answer_rows(instrument, assessment.answers),
        "hidden": [],
        "municipality_form": municipality_form,
        "texts": _texts(instrument),
        "stored": assessment,
        "newer_version": current.version if current.version != instrument.version else None,
        "can_record_lvb": assessment.result.get("lvb", {}).get("from_instrument")
        and can(_actor(request), "person.update"),
    }


@login_required
@require_GET
def assessment_detail(request, public_id):
    assessment = selectors.assessment_get_for(actor=_actor(request), public_id=public_id)
    return render(request, "screening/advice.html", _stored_context(request, assessment))


@login_required
@require_POST
def assessment_lvb(request, public_id):
    """Record "LVB suspected" in the person's history from an LVB screening."""
    actor = _actor(request)
    assessment = selectors.assessment_get_for(actor=actor, public_id=public_id)
    if not can(actor, "person.update"):
        raise PermissionDenied("person.update")
    try:
        services.assessment_lvb_indication_record(actor=actor, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("screening:assessment", public_id=assessment.public_id)
    messages.success(request, _("'LVB vermoed' is toegevoegd aan de LVB-geschiedenis."))
    url = reverse("people:detail", kwargs={"public_id": assessment.person.public_id})
    return redirect(f"{url}#lvb-geschiedenis")


@login_required
@require_GET
def assessment_pdf(request, public_id):
    from .pdf import advice_pdf

    assessment = selectors.assessment_get_for(actor=_actor(request), public_id=public_id)
    context = _stored_context(request, assessment)
    meta = [
        (_("Persoon"), str(assessment.person.display_name)),
        (_("Datum"), assessment.created_at.strftime("%d-%m-%Y")),
        (_("Organisatie"), assessment.organisation.name),
    ]
    content = advice_pdf(context["advice"], answers=context["answers"], meta=meta)
    return _pdf_response(content, f"screening-{assessment.created_at:%Y%m%d}.pdf")


@login_required
@require_GET
def person_choose(request):
    """Choose a person of the own organisation to screen (the same list as under Personen)."""
    actor = _actor(request)
    if not can(actor, "person.view"):
        raise Http404
    page = people_selectors.person_list_for(actor=actor, page=request.GET.get("pagina"))
    return render(request, "screening/person_choose.html", {"page": page})


@login_required
@require_GET
def person_assessments(request, public_id):
    actor = _actor(request)
    if not can(actor, "person.view"):
        raise Http404
    person = people_selectors.person_get_for(actor=actor, public_id=public_id)
    assessments = selectors.assessment_list_for_person(actor=actor, person=person)
    for assessment in assessments:
        assessment.outcome_label = advice_builder.outcome_label(assessment.result)
    context = {
        "person": person,
        "assessments": assessments,
        "instruments": [i for i in selectors.instrument_list() if i.storable],
        "can_assess": can(actor, "screening.assess"),
    }
    return render(request, "screening/person.html", context)


@login_required
@require_GET
def usage(request):
    rows = selectors.usage_totals(actor=_actor(request))
    modes = dict(UsageCount.Mode.choices)
    for row in rows:
        row["mode_label"] = modes.get(row["mode"], row["mode"])
        row["outcome_label"] = advice_builder.LEVEL_LABELS.get(row["outcome"], row["outcome"])
    return render(request, "screening/usage.html", {"rows": rows})
