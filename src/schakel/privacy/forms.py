"""Web forms for lawful sharing. They only read the input; the services validate it."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin
from schakel.accounts.models import Organisation

from .decision_aid import ANSWER_LABELS
from .models import Consent, GivenBy, SubjectRequest
from .sharing_config import sharing_config

BLANK = [("", _("Maak een keuze"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _purpose_choices():
    return [(p.key, p.label) for p in sharing_config().purposes.values()]


def _category_choices(keys=None):
    config = sharing_config()
    keys = keys if keys is not None else list(config.data_categories)
    return [(k, config.data_categories[k].label) for k in keys]


def _organisation_choices(organisations):
    return [(str(o.pk), o.name) for o in organisations]


def _person_choices(persons):
    return [(str(p.public_id), p.display_name) for p in persons]


def _understanding_choices():
    return [(c.key, c.label) for c in sharing_config().understanding_checks.values()]


def _kind_choices():
    config = sharing_config()
    domains = [
        (d, _("alle organisaties in: %(domain)s") % {"domain": label})
        for d, label in Organisation.Domain.choices
    ]
    return domains + [(d.key, d.label) for d in config.designations.values()]


class OrganisationChoiceMixin:
    """Turns the chosen organisation ids back into organisations from the offered queryset."""

    def organisations(self, name: str, queryset):
        ids = self.cleaned_data.get(name) or []
        if isinstance(ids, str):
            ids = [ids] if ids else []
        by_pk = {str(o.pk): o for o in queryset}
        return [by_pk[i] for i in ids if i in by_pk]


# -- the decision aid --------------------------------------------------------------------------


class QuestionStartForm(AccessibleFormMixin, forms.Form):
    """Step 1: the concrete question. Sent with GET, so the next page can be bookmarked."""

    persoon = forms.ChoiceField(label=_("Over wie gaat het?"))
    ontvanger = forms.ChoiceField(
        label=_("Met welke organisatie wilt u iets delen?"),
        help_text=_("Staat de organisatie er niet bij? Dan doet zij nog niet mee aan Schakel."),
    )
    doel = forms.ChoiceField(
        label=_("Waarvoor wilt u delen?"), widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, persons=(), recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persoon"].choices = BLANK + _person_choices(persons)
        self.fields["ontvanger"].choices = BLANK + _organisation_choices(recipients)
        self.fields["doel"].choices = _purpose_choices()


def _radio(key: str, label, help_text="", required=True):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.RadioSelect,
        choices=[(value, text) for value, text in ANSWER_LABELS[key].items()],
    )


class QuestionWeighForm(AccessibleFormMixin, forms.Form):
    """Step 2: which data, and the weighing questions."""

    data_categories = forms.MultipleChoiceField(
        label=_("Welke gegevens zijn echt nodig?"),
        help_text=_("Kies alleen wat de ontvanger nodig heeft voor dit doel. Minder is beter."),
        widget=forms.CheckboxSelectMultiple,
    )
    consent_answer = _radio(
        "consent_answer",
        _("Hebt u de persoon (of ouder, voogd of vertegenwoordiger) om toestemming gevraagd?"),
        _(
            "Beantwoord dit als Schakel hierboven geen geldige toestemming vond voor precies "
            "deze vraag."
        ),
        required=False,
    )
    acute_unsafe = _radio(
        "acute_unsafe",
        _("Is er acute onveiligheid?"),
        _(
            "Acuut: de persoon of iemand anders is nu of binnenkort in gevaar, bijvoorbeeld "
            "door geweld, dreiging of uitbuiting die doorgaat."
        ),
    )
    structural_unsafe = _radio(
        "structural_unsafe",
        _("Is er structurele onveiligheid?"),
        _(
            "Structureel: het gebeurt steeds weer, of de situatie blijft onveilig ook als er al "
            "hulp is."
        ),
    )
    proportional = _radio(
        "proportional",
        _("Staat delen in verhouding tot het doel?"),
        _("Weegt wat het oplevert voor de persoon op tegen de inbreuk op de privacy?"),
    )
    lighter_way = _radio(
        "lighter_way",
        _("Is er een lichtere manier die ook werkt?"),
        _(
            "Bijvoorbeeld: anoniem advies vragen, alleen contact leggen tussen hulpverleners, of "
            "eerst toestemming vragen."
        ),
    )
    consulted = _radio(
        "consulted",
        _("Met wie hebt u hierover overlegd?"),
        _("Overleg helpt, ook als u zeker bent. U bent niet alleen verantwoordelijk."),
    )
    explanation = forms.CharField(
        label=_("Waarom wilt u dit delen? Leg het uit in uw eigen woorden."),
        help_text=_(
            "Dit wordt bewaard bij het besluit. Zo kunt u later laten zien waarom u zo handelde."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    case_reference = forms.CharField(
        label=_("Kenmerk van de casus (als die er is)"), required=False, max_length=64
    )
    on_behalf_of_organisation = forms.BooleanField(
        label=_("Delen namens de organisatie (op domicilie)"),
        help_text=_(
            "De ontvanger ziet dan de naam en functie van uw organisatie, niet uw eigen naam. "
            "In Schakel blijft vastgelegd dat u het was."
        ),
        required=False,
    )

    def __init__(self, *args, purpose=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_categories"].choices = _category_choices(
            list(purpose.data_categories) if purpose else None
        )
        self.fields["consulted"].initial = "none"

    def answers(self) -> dict:
        keys = ANSWER_LABELS.keys()
        return {k: self.cleaned_data.get(k) for k in keys if self.cleaned_data.get(k)}


# -- consent ------------------------------------------------------------------------------------


class GivenDetailsMixin(forms.Form):
    method = forms.ChoiceField(
        label=_("Hoe is de toestemming gegeven?"),
        widget=forms.RadioSelect,
        choices=Consent.Method.choices,
        required=False,
    )
    evidence = forms.CharField(
        label=_("Bewijs"),
        help_text=_(
            "Waar is het bewijs te vinden? Bijvoorbeeld: 'ondertekend formulier in het dossier', "
            "of 'mondeling gegeven in gesprek van 3 november, met begeleider erbij'."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_file = forms.FileField(
        label=_("Bewijsstuk (niet verplicht)"),
        help_text=_(
            "Een scan of foto van het ondertekende formulier: PDF, PNG of JPEG, hoogstens 5 MB. "
            "Het bestand wordt versleuteld bewaard."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    understanding_checks = forms.MultipleChoiceField(
        label=_("Hoe hebt u gecontroleerd dat de uitleg begrepen is?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    understanding_note = forms.CharField(
        label=_("Toelichting bij het begrijpen"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["understanding_checks"].choices = _understanding_choices()

    def given_details(self) -> dict:
        return {
            "method": self.cleaned_data.get("method", ""),
            "evidence": self.cleaned_data.get("evidence", ""),
            "evidence_file": self.cleaned_data.get("evidence_file") or None,
            "understanding_checks": self.cleaned_data.get("understanding_checks") or [],
            "understanding_note": self.cleaned_data.get("understanding_note", ""),
        }


class ConsentForm(AccessibleFormMixin, OrganisationChoiceMixin, GivenDetailsMixin):
    person = forms.ChoiceField(label=_("Persoon"))
    given_by = forms.ChoiceField(
        label=_("Wie geeft toestemming?"),
        widget=forms.RadioSelect,
        choices=GivenBy.choices,
        help_text=_(
            "Jonger dan 16 (voor de landelijke registratie: jonger dan 18): een ouder, voogd of "
            "wettelijk vertegenwoordiger."
        ),
    )
    given_by_name = forms.CharField(
        label=_("Naam van de ouder, voogd of vertegenwoordiger"), required=False, max_length=200
    )
    purposes = forms.MultipleChoiceField(
        label=_("Voor welke doelen?"), widget=forms.CheckboxSelectMultiple
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Welke gegevens?"), widget=forms.CheckboxSelectMultiple
    )
    recipient_organisations = forms.MultipleChoiceField(
        label=_("Welke organisaties mogen de gegevens krijgen?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    recipient_kinds = forms.MultipleChoiceField(
        label=_("Of: welke soorten organisaties?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        widget=DateInput(),
        help_text=_("Toestemming geldt nooit voor altijd. Daarna kunt u haar vernieuwen."),
    )
    status = forms.ChoiceField(
        label=_("Is de toestemming al gegeven?"),
        widget=forms.RadioSelect,
        choices=[
            (Consent.Status.GIVEN, _("Ja, de toestemming is gegeven")),
            (Consent.Status.REQUESTED, _("Nee, ik heb het alleen gevraagd")),
        ],
        initial=Consent.Status.GIVEN,
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = [
        "person",
        "given_by",
        "given_by_name",
        "purposes",
        "data_categories",
        "recipient_organisations",
        "recipient_kinds",
        "valid_from",
        "valid_until",
        "status",
        "method",
        "evidence",
        "evidence_file",
        "understanding_checks",
        "understanding_note",
        "note",
    ]

    def __init__(self, *args, persons=(), recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = list(recipients)
        self.fields["person"].choices = BLANK + _person_choices(persons)
        self.fields["purposes"].choices = _purpose_choices()
        self.fields["data_categories"].choices = _category_choices()
        self.fields["recipient_organisations"].choices = _organisation_choices(self.recipients)
        self.fields["recipient_kinds"].choices = _kind_choices()
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + datetime.timedelta(days=90)


class ConsentGiveForm(AccessibleFormMixin, GivenDetailsMixin):
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsentRenewForm(AccessibleFormMixin, GivenDetailsMixin):
    valid_until = forms.DateField(label=_("Nieuw: geldig tot en met"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["valid_until", "method", "evidence", "evidence_file", "understanding_checks"]


class NoteForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# -- agreements ----------------------------------------------------------------------------------


class AgreementForm(AccessibleFormMixin, OrganisationChoiceMixin, forms.Form):
    title = forms.CharField(label=_("Naam van het convenant"), max_length=200)
    reference = forms.CharField(label=_("Kenmerk"), max_length=100, required=False)
    parties = forms.MultipleChoiceField(
        label=_("Met welke organisaties?"),
        help_text=_("Uw eigen organisatie doet altijd mee."),
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label=_("Voor welke doelen?"), widget=forms.CheckboxSelectMultiple
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Welke gegevens?"), widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        widget=DateInput(),
        help_text=_("Een convenant geldt hoogstens 5 jaar."),
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = list(organisations)
        self.fields["parties"].choices = _organisation_choices(self.offered)
        self.fields["purposes"].choices = _purpose_choices()
        self.fields["data_categories"].choices = _category_choices()


class AgreementEndForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Waarom stopt het convenant?"), widget=forms.Textarea(attrs={"rows": 2})
    )


# -- requests of data subjects ------------------------------------------------------------------


class SubjectRequestForm(AccessibleFormMixin, forms.Form):
    person = forms.ChoiceField(label=_("Over wie gaat het verzoek?"))
    kind = forms.ChoiceField(
        label=_("Wat vraagt de betrokkene?"),
        widget=forms.RadioSelect,
        choices=SubjectRequest.Kind.choices,
    )
    requested_by = forms.ChoiceField(
        label=_("Wie doet het verzoek?"), widget=forms.RadioSelect, choices=GivenBy.choices
    )
    received_on = forms.DateField(
        label=_("Ontvangen op"),
        widget=DateInput(),
        help_text=_("U hebt een maand om het verzoek af te handelen."),
    )
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = BLANK + _person_choices(persons)
        self.fields["received_on"].initial = timezone.localdate()


class SubjectRequestUpdateForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Volgende stap"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        help_text=_("Verplicht bij verlengen of afwijzen: de betrokkene krijgt de reden te horen."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(SubjectRequest.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in statuses]


# -- settings --------------------------------------------------------------------------------------


class PrivacySettingsForm(AccessibleFormMixin, forms.Form):
    privacy_officer_name = forms.CharField(
        label=_("Naam van de privacy officer"), required=False, max_length=200
    )
    privacy_officer_email = forms.EmailField(
        label=_("E-mailadres van de privacy officer"),
        required=False,
        help_text=_(
            "Krijgt bericht als iemand de noodprocedure gebruikt. Leeg: de beheerders van uw "
            "organisatie krijgen het bericht."
        ),
    )
