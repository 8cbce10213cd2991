"""Web forms of the registry. They only read the input; the service checks the contract's rules."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin
from schakel.privacy.models import Consent, GivenBy
from schakel.privacy.sharing_config import sharing_config

from .contract import contract

NOT_IN_SCHAKEL = ""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RadioSelect(forms.RadioSelect):
    """Radio buttons whose error-summary link jumps to the first option (Django links to '#')."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


def _codes(name: str):
    return [(code.key, code.label) for code in contract().lists[name]]


def _sector_choices():
    c = contract()
    groups = {"seksueel": _("Seksuele uitbuiting"), "arbeid": _("Arbeidsuitbuiting"),
              "crimineel": _("Criminele uitbuiting")}  # fmt: skip
    choices = [("", _("Onbekend of geen sector"))]
    for group, label in groups.items():
        choices.append(
            (label, [(s.key, s.label) for s in c.lists["sectoren"] if s.extra["group"] == group])
        )
    return choices


def _country_choices():
    countries = sorted(contract().countries.values(), key=lambda code: code.label.lower())
    return [("", _("Onbekend"))] + [(c.key, f"{c.label} ({c.key})") for c in countries]


class FormSection:
    """A part of a bound form, so `web/_form.html` can render it inside its own fieldset.

    With `summary_only` it renders only the error summary of the whole form (once, at the top).
    """

    def __init__(self, form, names=(), *, summary_only=False):
        self._form = form
        self._names = list(names)
        self.summary_only = summary_only

    @property
    def errors(self):
        return self._form.errors if self.summary_only else {}

    def non_field_errors(self):
        return self._form.non_field_errors() if self.summary_only else []

    def __iter__(self):
        return iter(self._form) if self.summary_only else iter(self.visible_fields())

    def _bound(self):
        return [] if self.summary_only else [self._form[name] for name in self._names]

    def hidden_fields(self):
        return [bound for bound in self._bound() if bound.is_hidden]

    def visible_fields(self):
        return [bound for bound in self._bound() if not bound.is_hidden]


class MeldingForm(AccessibleFormMixin, forms.Form):
    person = forms.ChoiceField(
        label=_("Staat de persoon in Schakel?"),
        required=False,
        help_text=_(
            "Kies de persoon als uw organisatie die al in Schakel heeft vastgelegd. Anders vult "
            "u hieronder het BSN of de naam met geboortedatum in."
        ),
    )
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    surname = forms.CharField(
        label=_("Achternaam"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    given_names = forms.CharField(
        label=_("Voornamen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"), required=False, widget=DateInput(attrs={"autocomplete": "off"})
    )
    melddatum = forms.DateField(label=_("Datum van de melding"), widget=DateInput())
    melder = forms.ChoiceField(label=_("Wie meldt?"))
    politie_eenheid = forms.ChoiceField(
        label=_("Politie-eenheid"),
        required=False,
        help_text=_("Alleen als de politie meldt."),
    )
    reporter_organisation = forms.CharField(
        label=_("Organisatie van de melder"), required=False, max_length=200
    )
    on_domicile = forms.BooleanField(
        label=_("Gemeld op domicilie: alleen de organisatie vastleggen, geen naam"),
        required=False,
    )
    reporter_name = forms.CharField(
        label=_("Naam van de melder"),
        required=False,
        max_length=200,
        help_text=_("Laat leeg bij melden op domicilie."),
    )
    uitbuitingsvormen = forms.MultipleChoiceField(
        label=_("Vorm van uitbuiting"),
        widget=CheckboxSelectMultiple,
        help_text=_("Kies alle vormen die spelen. Weet u het niet? Kies dan alleen ‘onbekend’."),
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    geslacht = forms.ChoiceField(label=_("Geslacht"), widget=RadioSelect)
    leeftijd = forms.IntegerField(
        label=_("Leeftijd op de datum van de melding"),
        required=False,
        min_value=0,
        max_value=110,
        help_text=_(
            "Leeg laten als u het niet weet. Met een geboortedatum rekent Schakel dit uit."
        ),
    )
    nationaliteit = forms.ChoiceField(label=_("Nationaliteit"), required=False)
    lvb_indicatie = forms.ChoiceField(
        label=_("Is er een aanwijzing voor een licht verstandelijke beperking (LVB)?"),
        widget=RadioSelect,
        initial="onbekend",
    )
    grondslag = forms.ChoiceField(
        label=_("Op welke grond wordt gemeld?"),
        widget=RadioSelect,
        help_text=_(
            "Politie, KMar en Inspectie SZW melden op grond van hun wettelijke taak. Andere "
            "melders hebben toestemming nodig."
        ),
    )
    consent_given_by = forms.ChoiceField(
        label=_("Wie gaf toestemming?"),
        widget=RadioSelect,
        required=False,
        help_text=_("Jonger dan 18: een ouder of de voogd."),
    )
    consent_given_by_name = forms.CharField(
        label=_("Naam van de ouder, voogd of vertegenwoordiger"), required=False, max_length=200
    )
    consent_method = forms.ChoiceField(
        label=_("Hoe is de toestemming gegeven?"),
        widget=RadioSelect,
        required=False,
        choices=[(key, capfirst(label)) for key, label in Consent.Method.choices],
    )
    consent_evidence = forms.CharField(
        label=_("Bewijs van de toestemming"),
        required=False,
        max_length=1000,
        help_text=_("Bijvoorbeeld: ‘ondertekend formulier in het dossier van de melder’."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_understanding_checks = forms.MultipleChoiceField(
        label=_("Hoe is gecontroleerd dat de uitleg begrepen is?"),
        widget=CheckboxSelectMultiple,
        required=False,
    )

    SECTIONS = (
        (_("De persoon"), ("person", "bsn", "surname", "given_names", "date_of_birth")),
        (
            _("De melder"),
            (
                "melddatum",
                "melder",
                "politie_eenheid",
                "reporter_organisation",
                "on_domicile",
                "reporter_name",
            ),
        ),  # fmt: skip
        (
            _("Wat is er bekend?"),
            (
                "uitbuitingsvormen",
                "sector",
                "geslacht",
                "leeftijd",
                "nationaliteit",
                "lvb_indicatie",
            ),
        ),  # fmt: skip
        (_("Grondslag en toestemming"), ("grondslag", "consent_given_by")),
        (
            _("De toestemming vastleggen (alleen als de persoon in Schakel staat)"),
            (
                "consent_given_by_name",
                "consent_method",
                "consent_evidence",
                "consent_understanding_checks",
            ),
        ),  # fmt: skip
    )

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        c = contract()
        self.fields["person"].choices = [
            (NOT_IN_SCHAKEL, _("Nee, ik vul de gegevens hieronder in"))
        ] + [(str(p.public_id), p.display_name) for p in persons]
        if not persons:
            self.fields["person"].widget = forms.HiddenInput()
        self.fields["melder"].choices = [("", _("Maak een keuze"))] + _codes("melders")
        self.fields["politie_eenheid"].choices = [("", _("Niet van toepassing"))] + _codes(
            "politie_eenheden"
        )
        self.fields["uitbuitingsvormen"].choices = _codes("uitbuitingsvormen")
        self.fields["sector"].choices = _sector_choices()
        self.fields["geslacht"].choices = _codes("geslachten")
        self.fields["nationaliteit"].choices = _country_choices()
        self.fields["lvb_indicatie"].choices = _codes("lvb_indicaties")
        self.fields["grondslag"].choices = _codes("grondslagen")
        self.fields["consent_given_by"].choices = [
            (GivenBy.PERSON, c.label("toestemming_door", "betrokkene")),
            (GivenBy.PARENT, capfirst(GivenBy.PARENT.label)),
            (GivenBy.GUARDIAN, capfirst(GivenBy.GUARDIAN.label)),
            (GivenBy.LEGAL_REPRESENTATIVE, capfirst(GivenBy.LEGAL_REPRESENTATIVE.label)),
        ]
        self.fields["consent_understanding_checks"].choices = [
            (check.key, check.label) for check in sharing_config().understanding_checks.values()
        ]
        self.fields["melddatum"].initial = timezone.localdate()

    def sections(self) -> list[tuple[str, FormSection]]:
        return [(title, FormSection(self, names)) for title, names in self.SECTIONS]

    def summary(self) -> FormSection:
        return FormSection(self, summary_only=True)


class MeldingFilterForm(forms.Form):
    jaar = forms.TypedChoiceField(label=_("Jaar"), required=False, coerce=int, empty_value=None)
    melder = forms.ChoiceField(label=_("Melder"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [("", _("Alle jaren"))] + [(y, str(y)) for y in years]
        self.fields["melder"].choices = [("", _("Alle melders"))] + _codes("melders")


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Een bestand volgens het registratiecontract (UTF-8, met kopregel). Hoogstens "
            "%(size)s; grotere bestanden importeert de beheerder met manage.py registry_import."
        ) % {"size": filesizeformat(settings.SCHAKEL_UPLOAD_MAX_BYTES)}

    def clean_file(self):
        # A larger request was refused before it was read (web.middleware.RequestGuardMiddleware,
        # the same limit as the API's import); this catches a file just over it.
        upload = self.cleaned_data["file"]
        limit = settings.SCHAKEL_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(size)s.") % {"size": filesizeformat(limit)}
            )
        return upload
