"""Forms of the wegwijzer. They only shape input; the rules live in params.py, records.py and
the services (whose ValidationErrors the views put back on these forms)."""

from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin
from schakel.accounts.models import Organisation

from . import spam
from .models import (
    Acceptance,
    Form,
    Gender,
    Need,
    Offer,
    Provider,
    SafetyRegion,
    Scope,
    Setting,
    Suggestion,
)
from .records import Geography


class HoneypotInput(djforms.TextInput):
    """A text field people never see: rendered with the hidden fields, hidden by CSS."""

    def __init__(self):
        super().__init__(attrs={"class": "dir-hp", "autocomplete": "off", "tabindex": "-1"})

    @property
    def is_hidden(self) -> bool:
        return True


YES_NO_UNKNOWN = [("", _("Niet bekend")), ("true", _("Ja")), ("false", _("Nee"))]


def _municipality_choices():
    from .selectors import municipality_choices

    return [
        ("", _("Kies een gemeente")),
        ("landelijk", _("Landelijk (hele land)")),
        *municipality_choices(),
    ]


class SearchForm(AccessibleFormMixin, djforms.Form):
    """The professional's search; the field names are the URL parameters of the API."""

    q = djforms.CharField(
        label=_("Zoekwoorden"),
        required=False,
        max_length=200,
        help_text=_("Naam of omschrijving, bijvoorbeeld 'opvang' of 'Fier'. Een tikfout mag."),
    )
    gemeente = djforms.ChoiceField(
        label=_("Gemeente waar de persoon woont of verblijft"),
        required=False,
        choices=(),
    )
    age = djforms.IntegerField(label=_("Leeftijd"), required=False, min_value=0, max_value=120)
    gender = djforms.ChoiceField(
        label=_("Geslacht"),
        required=False,
        choices=[("", _("Niet opgegeven")), *Gender.choices],
        widget=djforms.RadioSelect,
    )
    need = djforms.ChoiceField(
        label=_("Wat is nodig?"),
        required=False,
        choices=[("", _("Alles tonen")), *Need.choices],
        widget=djforms.RadioSelect,
    )
    forms = djforms.MultipleChoiceField(
        label=_("Vorm van uitbuiting"),
        required=False,
        choices=Form.choices,
        widget=djforms.CheckboxSelectMultiple,
    )
    lvb = djforms.ChoiceField(
        label=_("Licht verstandelijke beperking (LVB)"),
        required=False,
        choices=YES_NO_UNKNOWN,
        widget=djforms.RadioSelect,
    )
    ggz = djforms.ChoiceField(
        label=_("Psychische problemen (GGZ)"),
        required=False,
        choices=YES_NO_UNKNOWN,
        widget=djforms.RadioSelect,
    )
    addiction = djforms.ChoiceField(
        label=_("Verslaving"), required=False, choices=YES_NO_UNKNOWN, widget=djforms.RadioSelect
    )
    children = djforms.ChoiceField(
        label=_("Heeft kinderen bij zich"),
        required=False,
        choices=YES_NO_UNKNOWN,
        widget=djforms.RadioSelect,
    )
    iq = djforms.IntegerField(
        label=_("IQ (als het gemeten is)"), required=False, min_value=30, max_value=160
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = _municipality_choices()


class CapacityForm(AccessibleFormMixin, djforms.Form):
    places = djforms.IntegerField(
        label=_("Aantal plaatsen"),
        required=False,
        min_value=0,
        help_text=_("Leeg laten als u het niet weet."),
    )
    free_places = djforms.IntegerField(label=_("Vrije plaatsen nu"), required=False, min_value=0)
    waiting_weeks = djforms.IntegerField(
        label=_("Wachttijd in weken"),
        required=False,
        min_value=0,
        max_value=520,
        help_text=_("0 als iemand meteen terecht kan."),
    )
    version = djforms.IntegerField(widget=djforms.HiddenInput)


class SuggestionForm(AccessibleFormMixin, djforms.Form):
    kind = djforms.ChoiceField(
        label=_("Wat wilt u doorgeven?"),
        choices=[
            (Suggestion.Kind.CORRECTION, _("Er klopt iets niet bij bestaand aanbod")),
            (Suggestion.Kind.NEW, _("Er ontbreekt aanbod of een organisatie")),
        ],
        widget=djforms.RadioSelect,
    )
    offer = djforms.ChoiceField(
        label=_("Over welk aanbod gaat het?"),
        required=False,
        choices=(),
        help_text=_("Alleen nodig als er iets niet klopt."),
    )
    subject = djforms.CharField(
        label=_("Onderwerp"),
        max_length=300,
        help_text=_("Bijvoorbeeld de naam van de organisatie."),
    )
    message = djforms.CharField(
        label=_("Uw voorstel"),
        max_length=5000,
        widget=djforms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat moet er anders, of wat moet erbij? Noem ook waar u het van weet."),
    )
    email = djforms.EmailField(
        label=_("Uw e-mailadres (mag leeg blijven)"),
        required=False,
        help_text=_(
            "Alleen voor een vraag over uw voorstel. Wij wissen het als uw voorstel is beoordeeld."
        ),
    )
    # spam guard: a honeypot (hidden with CSS) and the signed moment the form was shown
    website = djforms.CharField(label=_("Laat dit veld leeg"), required=False, widget=HoneypotInput)
    started = djforms.CharField(widget=djforms.HiddenInput, required=False)

    def __init__(self, *args, public: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.public = public
        self.fields["offer"].choices = [("", _("Kies het aanbod"))] + list(
            Offer.objects.filter(is_active=True).order_by("name").values_list("key", "name")
        )
        if not public:
            del self.fields["website"]
            del self.fields["started"]
            del self.fields["email"]
        elif not self.is_bound:
            self.initial["started"] = spam.issue()

    def clean(self):
        cleaned = super().clean()
        if self.public and not spam.passes(
            stamp=cleaned.get("started", ""), honeypot=cleaned.get("website", "")
        ):
            self.data = self.data.copy()
            self.data["started"] = spam.issue()
            raise djforms.ValidationError(
                _(
                    "Uw voorstel is niet verstuurd. Wacht een paar seconden en verstuur het "
                    "formulier opnieuw."
                ),
                code="spam_guard",
            )
        return cleaned


class ReviewForm(AccessibleFormMixin, djforms.Form):
    decision = djforms.ChoiceField(
        label=_("Besluit"),
        choices=[
            (Suggestion.Status.ACCEPTED, _("Overnemen (pas daarna het aanbod aan)")),
            (Suggestion.Status.REJECTED, _("Afwijzen")),
        ],
        widget=djforms.RadioSelect,
    )
    note = djforms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=djforms.Textarea(attrs={"rows": 3}),
    )


# -- editing by functional admins -------------------------------------------------------------


def _split(text: str, separator: str = ",") -> list[str]:
    return [part.strip() for part in (text or "").split(separator) if part.strip()]


TRI_STATE = [("", _("Niet bekend")), ("true", _("Ja")), ("false", _("Nee"))]


class OfferForm(AccessibleFormMixin, djforms.Form):
    key = djforms.SlugField(
        label=_("Sleutel"),
        max_length=80,
        help_text=_("Korte vaste naam in kleine letters, bijvoorbeeld 'opvang_noord'."),
    )
    provider = djforms.ChoiceField(label=_("Aanbieder"), required=False, choices=())
    name = djforms.CharField(label=_("Naam"), max_length=300)
    kind = djforms.CharField(label=_("Soort"), max_length=200, required=False)
    description = djforms.CharField(
        label=_("Omschrijving"), required=False, widget=djforms.Textarea(attrs={"rows": 4})
    )
    services = djforms.MultipleChoiceField(
        label=_("Biedt"), choices=Need.choices, widget=djforms.CheckboxSelectMultiple
    )
    forms = djforms.MultipleChoiceField(
        label=_("Vormen van uitbuiting"),
        required=False,
        choices=Form.choices,
        widget=djforms.CheckboxSelectMultiple,
        help_text=_("Niets aanvinken als de bron het niet zegt."),
    )
    age_min = djforms.IntegerField(label=_("Leeftijd vanaf"), required=False, min_value=0)
    age_max = djforms.IntegerField(label=_("Leeftijd tot en met"), required=False, min_value=0)
    genders = djforms.MultipleChoiceField(
        label=_("Geslacht"),
        required=False,
        choices=Gender.choices[:2],
        widget=djforms.CheckboxSelectMultiple,
        help_text=_("Niets aanvinken als het niet bekend is."),
    )
    lvb = djforms.ChoiceField(
        label=_("LVB"), required=False, choices=Acceptance.choices, widget=djforms.RadioSelect
    )
    iq_min = djforms.IntegerField(label=_("IQ vanaf"), required=False)
    iq_max = djforms.IntegerField(label=_("IQ tot en met"), required=False)
    ggz = djforms.ChoiceField(
        label=_("GGZ-problematiek"),
        required=False,
        choices=Acceptance.choices,
        widget=djforms.RadioSelect,
    )
    addiction = djforms.ChoiceField(
        label=_("Verslaving"),
        required=False,
        choices=Acceptance.choices,
        widget=djforms.RadioSelect,
    )
    perpetrators = djforms.ChoiceField(
        label=_("Ook voor (mogelijke) daders"),
        required=False,
        choices=TRI_STATE,
        widget=djforms.RadioSelect,
    )
    with_children = djforms.ChoiceField(
        label=_("Slachtoffers met kinderen welkom"),
        required=False,
        choices=TRI_STATE,
        widget=djforms.RadioSelect,
    )
    target_note = djforms.CharField(
        label=_("Doelgroep (toelichting)"),
        required=False,
        widget=djforms.Textarea(attrs={"rows": 2}),
    )
    settings = djforms.MultipleChoiceField(
        label=_("Setting"),
        required=False,
        choices=Setting.choices,
        widget=djforms.CheckboxSelectMultiple,
    )
    scope = djforms.ChoiceField(
        label=_("Werkgebied"), required=False, choices=Scope.choices, widget=djforms.RadioSelect
    )
    municipalities = djforms.CharField(
        label=_("Gemeenten (CBS-codes)"),
        required=False,
        help_text=_("Gescheiden door komma's, bijvoorbeeld GM0080, GM0599."),
    )
    safety_regions = djforms.MultipleChoiceField(
        label=_("Veiligheidsregio's"),
        required=False,
        choices=(),
        widget=djforms.CheckboxSelectMultiple,
    )
    provinces = djforms.MultipleChoiceField(
        label=_("Provincies"), required=False, choices=(), widget=djforms.CheckboxSelectMultiple
    )
    area_note = djforms.CharField(
        label=_("Werkgebied (toelichting)"), max_length=300, required=False
    )
    phone = djforms.CharField(
        label=_("Telefoon"),
        max_length=60,
        required=False,
        help_text=_("Precies zoals de bron het schrijft. Nooit een nummer raden."),
    )
    email = djforms.CharField(label=_("E-mail"), max_length=200, required=False)
    url = djforms.CharField(label=_("Website"), max_length=500, required=False)
    hours = djforms.CharField(label=_("Bereikbaarheid"), max_length=300, required=False)
    available_24_7 = djforms.BooleanField(
        label=_("24 uur per dag, 7 dagen per week"), required=False
    )
    contact_note = djforms.CharField(
        label=_("Wat gebeurt er als u contact opneemt"),
        required=False,
        widget=djforms.Textarea(attrs={"rows": 2}),
    )
    languages = djforms.CharField(
        label=_("Talen"), required=False, help_text=_("Taalcodes, bijvoorbeeld nl, en, ar.")
    )
    contra_indications = djforms.CharField(
        label=_("Contra-indicaties"),
        required=False,
        widget=djforms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén per regel."),
    )
    sources = djforms.CharField(
        label=_("Bronnen"), required=False, help_text=_("Gescheiden door komma's.")
    )
    is_active = djforms.BooleanField(label=_("Actief (zichtbaar in de wegwijzer)"), required=False)
    version = djforms.IntegerField(widget=djforms.HiddenInput, required=False)

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", _("Geen (niet bekend)"))] + list(
            Provider.objects.order_by("name").values_list("key", "name")
        )
        self.fields["safety_regions"].choices = list(
            SafetyRegion.objects.values_list("code", "name")
        )
        self.fields["provinces"].choices = [(p, p) for p in Geography().provinces]
        if not creating:
            del self.fields["key"]

    @classmethod
    def initial_for(cls, offer: Offer) -> dict:
        def tri(value):
            return "" if value is None else ("true" if value else "false")

        return {
            "provider": offer.provider.key if offer.provider else "",
            **{
                name: getattr(offer, name)
                for name in (
                    "name",
                    "kind",
                    "description",
                    "services",
                    "forms",
                    "age_min",
                    "age_max",
                    "genders",
                    "lvb",
                    "iq_min",
                    "iq_max",
                    "ggz",
                    "addiction",
                    "target_note",
                    "settings",
                    "scope",
                    "safety_regions",
                    "provinces",
                    "area_note",
                    "phone",
                    "email",
                    "url",
                    "hours",
                    "available_24_7",
                    "contact_note",
                    "is_active",
                    "version",
                )
            },
            "perpetrators": tri(offer.perpetrators),
            "with_children": tri(offer.with_children),
            "municipalities": ", ".join(offer.municipalities),
            "languages": ", ".join(offer.languages),
            "contra_indications": "\n".join(offer.contra_indications),
            "sources": ", ".join(offer.sources),
        }

    def record(self) -> dict:
        """The cleaned data in the shape of the data format (records.py)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["municipalities"] = _split(data["municipalities"])
        data["languages"] = _split(data["languages"])
        data["sources"] = _split(data["sources"])
        data["contra_indications"] = _split(data["contra_indications"], "\n")
        for name in ("perpetrators", "with_children"):
            data[name] = {"": None, "true": True, "false": False}[data[name]]
        return data


class ProviderForm(AccessibleFormMixin, djforms.Form):
    key = djforms.SlugField(
        label=_("Sleutel"),
        max_length=80,
        help_text=_("Korte vaste naam in kleine letters, bijvoorbeeld 'zorg_noord'."),
    )
    name = djforms.CharField(label=_("Naam"), max_length=300)
    kind = djforms.CharField(label=_("Soort"), max_length=200, required=False)
    description = djforms.CharField(
        label=_("Omschrijving"), required=False, widget=djforms.Textarea(attrs={"rows": 4})
    )
    organisation = djforms.ModelChoiceField(
        label=_("Organisatie in Schakel"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        help_text=_(
            "De beheerders van deze organisatie mogen dan de capaciteit van het aanbod bijwerken."
        ),
    )
    area_note = djforms.CharField(
        label=_("Werkgebied (toelichting)"), max_length=300, required=False
    )
    phone = djforms.CharField(label=_("Telefoon"), max_length=60, required=False)
    email = djforms.CharField(label=_("E-mail"), max_length=200, required=False)
    url = djforms.CharField(label=_("Website"), max_length=500, required=False)
    hours = djforms.CharField(label=_("Bereikbaarheid"), max_length=300, required=False)
    available_24_7 = djforms.BooleanField(
        label=_("24 uur per dag, 7 dagen per week"), required=False
    )
    contact_note = djforms.CharField(
        label=_("Wat gebeurt er als u contact opneemt"),
        required=False,
        widget=djforms.Textarea(attrs={"rows": 2}),
    )
    sources = djforms.CharField(
        label=_("Bronnen"), required=False, help_text=_("Gescheiden door komma's.")
    )
    is_active = djforms.BooleanField(label=_("Actief (zichtbaar in de wegwijzer)"), required=False)
    version = djforms.IntegerField(widget=djforms.HiddenInput, required=False)

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["key"]

    @classmethod
    def initial_for(cls, provider: Provider) -> dict:
        initial = {
            name: getattr(provider, name)
            for name in (
                "name",
                "kind",
                "description",
                "organisation",
                "area_note",
                "phone",
                "email",
                "url",
                "hours",
                "available_24_7",
                "contact_note",
                "is_active",
                "version",
            )
        }
        initial["sources"] = ", ".join(provider.sources)
        return initial

    def record(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["sources"] = _split(data["sources"])
        return data
