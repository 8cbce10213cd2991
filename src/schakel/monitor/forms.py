"""The period and disclosure filter of the monitor pages (a GET form)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin
from schakel.registry.forms import RadioSelect

from . import tables

DISCLOSURE_CHOICES = [
    ("suppress10_round5", _("Voor publicatie: kleiner dan 10 als ‘<10’, de rest afgerond op 5")),
    ("round5", _("Alle aantallen afgerond op 5 (zoals het CBS)")),
    ("none", _("Precieze aantallen (alleen voor intern gebruik)")),
]


class PeriodForm(AccessibleFormMixin, forms.Form):
    van = forms.TypedChoiceField(label=_("Van"), coerce=int)
    tot = forms.TypedChoiceField(label=_("Tot en met"), coerce=int)
    beheersing = forms.ChoiceField(
        label=_("Onthullingsbeheersing"),
        choices=DISCLOSURE_CHOICES,
        widget=RadioSelect,
        help_text=_(
            "Kleine aantallen kunnen iets over één persoon verraden. Kies precieze aantallen "
            "alleen voor intern gebruik."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = [
            (y, str(y)) for y in range(timezone.localdate().year, tables.EARLIEST_YEAR - 1, -1)
        ]
        self.fields["van"].choices = years
        self.fields["tot"].choices = years

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("van"), cleaned.get("tot")
        if first is not None and last is not None:
            try:
                tables.check_params("slachtoffers_per_jaar", first, last, "none")
            except tables.MonitorParamError as error:
                for name, message in error.errors.items():
                    self.add_error({"from": "van", "to": "tot"}.get(name), message)
        return cleaned
