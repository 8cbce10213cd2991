"""Web forms for persons. They only read the input; the services validate it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin

from .models import LvbIndication, Person

BLANK_CHOICE = [("", _("Maak een keuze"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonForm(AccessibleFormMixin, forms.Form):
    given_names = forms.CharField(
        label=_("Voornamen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    surname = forms.CharField(
        label=_("Achternaam"),
        required=False,
        max_length=200,
        help_text=_("Vul een achternaam of een BSN in, of allebei."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        help_text=_("Het burgerservicenummer: 9 cijfers."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"), required=False, widget=DateInput(attrs={"autocomplete": "off"})
    )
    gender = forms.ChoiceField(label=_("Geslacht"), required=False, choices=Person.Gender.choices)
    address = forms.CharField(
        label=_("Adres"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


class PersonEditForm(PersonForm):
    """Editing never shows the full BSN: an empty field keeps the BSN that is stored."""

    bsn_remove = forms.BooleanField(label=_("Het BSN verwijderen"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    field_order = [
        "given_names",
        "surname",
        "bsn",
        "bsn_remove",
        "date_of_birth",
        "gender",
        "address",
        "phone",
    ]

    def __init__(self, *args, current_bsn: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bsn"].label = _("Nieuw BSN")
        if current_bsn:
            self.fields["bsn"].help_text = _(
                "Laat dit leeg om het huidige BSN te houden (dat eindigt op %(digits)s)."
            ) % {"digits": current_bsn[-3:]}
        else:
            self.fields["bsn"].help_text = _("Er is nog geen BSN. Vul hier 9 cijfers in.")
            del self.fields["bsn_remove"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bsn_remove") and cleaned.get("bsn"):
            self.add_error(
                "bsn", _("Vul een nieuw BSN in, of kies voor verwijderen. Niet allebei.")
            )
        return cleaned

    def changes(self) -> dict:
        """The fields for `person_update`; the BSN only when it is replaced or removed."""
        data = {name: self.cleaned_data[name] for name in self.fields}
        data.pop("version")
        remove = data.pop("bsn_remove", False)
        if remove:
            data["bsn"] = ""
        elif not data["bsn"]:
            del data["bsn"]
        return data


class LvbIndicationForm(AccessibleFormMixin, forms.Form):
    # A blank first option, so nobody records "vermoed" by just pressing the button.
    status = forms.ChoiceField(
        label=_("Status"), choices=BLANK_CHOICE + LvbIndication.Status.choices
    )
    source_kind = forms.ChoiceField(
        label=_("Soort bron"), choices=BLANK_CHOICE + LvbIndication.SourceKind.choices
    )
    source = forms.CharField(
        label=_("Bron"),
        max_length=200,
        error_messages={
            "required": _("Vul de bron in. Dan is altijd te zien waar de indicatie op berust.")
        },
        help_text=_(
            "Waar berust de indicatie op? Bijvoorbeeld: 'SCIL-screening door jeugdarts'. "
            "Noem ook omstandigheden die de uitkomst kunnen beïnvloeden, zoals acute stress."
        ),
    )
    observed_on = forms.DateField(label=_("Datum"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    corrects = forms.TypedChoiceField(
        label=_("Verbetert een eerdere indicatie"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Alleen invullen als deze indicatie een eerdere vervangt."),
    )

    def __init__(self, *args, history=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].choices = [("", _("Nee, dit is een nieuwe indicatie"))] + [
            (
                entry.pk,
                f"{entry.observed_on:%d-%m-%Y} · {entry.get_status_display()} · {entry.source}",
            )
            for entry in history
        ]
        if not history:
            # Nothing to correct yet; still validated, so a forged id is refused, not ignored.
            self.fields["corrects"].widget = forms.HiddenInput()
            self.fields["corrects"].help_text = ""
