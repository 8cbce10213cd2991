"""Forms for the step-by-step flow. Answers travel in the form itself (hidden fields for the
other steps), so back and forward never lose them and nothing is kept on the server."""

from __future__ import annotations

import contextlib

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin

from .instruments import Area, Instrument, Item

PREFIX = "a"


def field_name(item_id: str) -> str:
    return f"{PREFIX}-{item_id}"


def _field(item: Item) -> forms.Field:
    common = {
        "label": item.text,
        "help_text": item.help,
        "required": item.required,
        "error_messages": {
            "required": _("Beantwoord deze vraag."),
            "invalid_choice": _("Kies een van de antwoorden."),
        },
    }
    if item.type == "multiple":
        return forms.MultipleChoiceField(
            choices=item.choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    if item.type == "text":
        return forms.CharField(
            max_length=item.max_length,
            widget=forms.Textarea(attrs={"rows": 4}),
            **common,
        )
    return forms.ChoiceField(choices=item.choices(), widget=forms.RadioSelect, **common)


class AreaForm(AccessibleFormMixin, forms.Form):
    """The questions of one area; built per instrument and area by `area_form`."""

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, prefix=PREFIX, **kwargs)
        self.area = area
        for item in area.items:
            field = self.fields[item.id] = _field(item)
            field.item = item
            if item.help:  # AccessibleFormMixin adds this too, but only once the form is bound
                field.widget.attrs["aria-describedby"] = f"{self[item.id].auto_id}_helptext"


def area_form(area: Area, *, data=None, answers: dict | None = None) -> AreaForm:
    initial = {}
    for item in area.items:
        value = (answers or {}).get(item.id)
        if value is not None:
            initial[item.id] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return AreaForm(data=data, initial=initial, area=area)


def answers_from_post(instrument: Instrument, data) -> dict:
    """Typed answers from a POST (visible and hidden fields). Wrong values are kept as given,
    so the engine can name them; empty ones are left out."""
    answers: dict = {}
    for item in instrument.items.values():
        name = field_name(item.id)
        if item.type == "multiple":
            values = [v for v in data.getlist(name) if v]
            if values:
                answers[item.id] = values
            continue
        value = data.get(name, "")
        if value == "" or (item.type == "text" and not value.strip()):
            continue
        if item.type == "scale":
            with contextlib.suppress(ValueError):
                value = int(value)
        answers[item.id] = value
    return answers


def hidden_answers(instrument: Instrument, answers: dict, *, skip_area: str | None = None):
    """(name, value) pairs for the answers outside `skip_area`, to carry them to the next step."""
    pairs = []
    for item in instrument.items.values():
        if item.area_id == skip_area or item.id not in answers:
            continue
        value = answers[item.id]
        for one in value if isinstance(value, list) else [value]:
            pairs.append((field_name(item.id), str(one)))
    return pairs


class MunicipalityForm(AccessibleFormMixin, forms.Form):
    gemeente = forms.ChoiceField(
        label=_("Uw gemeente"),
        required=False,
        help_text=_("Dan ziet u de zorgcoördinator mensenhandel van uw regio."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [("", _("Kies een gemeente")), *choices]
