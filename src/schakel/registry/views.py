"""Web pages of the registry, for the registration office: the meldingen, a new melding, one
melding, importing and exporting CSV. Thin: services write, selectors read (and log)."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schakel.accounts.permissions import can
from schakel.people.selectors import person_get_for
from schakel.privacy.selectors import person_choices_for

from . import keys, selectors, services
from .contract import contract
from .csvio import csv_lines
from .forms import NOT_IN_SCHAKEL, ImportForm, MeldingFilterForm, MeldingForm

CONTRACT_FIELDS = (
    "melder",
    "politie_eenheid",
    "grondslag",
    "sector",
    "geslacht",
    "nationaliteit",
    "lvb_indicatie",
)
# Errors of the service that belong to another field of the form.
ERROR_FIELDS = {"toestemming_door": "consent_given_by", "persoon_sleutel": None}


def _require(actor, permission: str) -> None:
    """404 for whoever may not see the registry; 403 for a registry user without `permission`."""
    if not can(actor, "registry.view"):
        raise Http404
    if not can(actor, permission):
        raise PermissionDenied(permission)


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        name = ERROR_FIELDS.get(name, name)
        form.add_error(name if name in form.fields else None, texts)


def _years() -> list[int]:
    span = selectors.registry_years()
    return list(range(span[1], span[0] - 1, -1)) if span else []


@login_required
@require_GET
def index(request):
    actor = request.actor
    if not can(actor, "registry.view"):
        raise Http404
    filters = MeldingFilterForm(request.GET or None, years=_years())
    year, melder = None, ""
    if filters.is_valid():
        year, melder = filters.cleaned_data["jaar"], filters.cleaned_data["melder"]
    page = selectors.melding_list_for(
        actor=actor, year=year, melder=melder, page=request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "can_register": can(actor, "registry.register"),
        "can_import": can(actor, "registry.import"),
        "runs": selectors.import_runs_for(actor=actor, limit=5),
        "contract": contract(),
        "year": year,
    }
    return render(request, "registry/melding_list.html", context)


def _person_choices(actor):
    return person_choices_for(actor=actor) if can(actor, "person.view") else []


def _register(request, actor, form) -> object:
    data = form.cleaned_data
    person = None
    if data.get("person") not in (None, NOT_IN_SCHAKEL):
        person = person_get_for(actor=actor, public_id=data["person"])
    values = {name: data.get(name) or "" for name in CONTRACT_FIELDS}
    values["melddatum"] = data["melddatum"].isoformat() if data.get("melddatum") else ""
    values["uitbuitingsvormen"] = "|".join(data.get("uitbuitingsvormen") or [])
    values["leeftijd"] = "" if data.get("leeftijd") is None else str(data["leeftijd"])
    given_by = data.get("consent_given_by") or ""
    if values["grondslag"] == "toestemming" and given_by:
        values["toestemming_door"] = services.CONSENT_GIVERS.get(given_by, given_by)
    identifiers = None
    if person is None:
        identifiers = keys.Identifiers(
            bsn=data.get("bsn") or "",
            surname=data.get("surname") or "",
            given_names=data.get("given_names") or "",
            date_of_birth=data.get("date_of_birth"),
        )
    consent = {
        "given_by": given_by,
        "given_by_name": data.get("consent_given_by_name") or "",
        "method": data.get("consent_method") or "",
        "evidence": data.get("consent_evidence") or "",
        "understanding_checks": data.get("consent_understanding_checks") or [],
    }
    melding, _created = services.melding_register(
        actor=actor,
        values=values,
        identifiers=identifiers,
        person=person,
        consent=consent if person is not None else None,
        reporter_organisation=data.get("reporter_organisation") or "",
        reporter_name=data.get("reporter_name") or "",
        on_domicile=bool(data.get("on_domicile")),
    )
    return melding


@login_required
@require_http_methods(["GET", "POST"])
def melding_create(request):
    actor = request.actor
    _require(actor, "registry.register")
    persons = _person_choices(actor)
    form = MeldingForm(request.POST if request.method == "POST" else None, persons=persons)
    if request.method == "POST" and form.is_valid():
        try:
            melding = _register(request, actor, form)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("De melding is geregistreerd. De identificerende gegevens zijn niet bewaard."),
            )
            return redirect("registry:detail", melding_id=melding.melding_id)
    status = 400 if form.errors else 200
    return render(request, "registry/melding_form.html", {"form": form}, status=status)


@login_required
@require_GET
def melding_detail(request, melding_id):
    actor = request.actor
    melding = selectors.melding_get_for(actor=actor, melding_id=melding_id)
    context = {
        "melding": melding,
        "contract": contract(),
        "same_person": selectors.meldingen_of_person_count(actor=actor, melding=melding),
    }
    return render(request, "registry/melding_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request):
    actor = request.actor
    _require(actor, "registry.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.NamedTemporaryFile(prefix="registry-web-", suffix=".csv") as spool:
                for chunk in upload.chunks():
                    spool.write(chunk)
                spool.flush()
                try:
                    report = services.registrations_import(
                        actor=actor,
                        opener=lambda: open(spool.name, "rb"),  # noqa: SIM115 - service closes it
                        file_name=upload.name,
                        size=upload.size,
                    )
                except services.ImportRejected as rejected:
                    report, status = rejected.report, 400
        else:
            status = 400
    context = {
        "form": form,
        "report": report,
        "rule_counts": sorted(report.rule_counts.items()) if report else [],
        "runs": selectors.import_runs_for(actor=actor),
        "max_reported": services.MAX_REPORTED_ERRORS,
    }
    return render(request, "registry/import.html", context, status=status)


@login_required
@require_GET
def export_csv(request):
    actor = request.actor
    if not can(actor, "registry.view"):
        raise Http404
    year = request.GET.get("jaar", "")
    year = int(year) if year.isdigit() else None
    rows = selectors.melding_export_rows(actor=actor, year_from=year, year_to=year)
    header = next(rows)
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    name = f"meldingen-{year}.csv" if year else "meldingen.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
