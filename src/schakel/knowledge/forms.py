"""Web forms of the knowledge capability. They read the input; the services validate it."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin

from .models import (
    Addressee,
    Audience,
    ExploitationForm,
    Kind,
    LanguageLevel,
    LvbSuitability,
    OrganisationKind,
    Recommendation,
    Statement,
    Status,
    Theme,
    VisitorAudience,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _all(label):
    return [("", label)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SearchForm(AccessibleFormMixin, forms.Form):
    """The search and filters of the knowledge base (GET, so a search can be bookmarked)."""

    q = forms.CharField(
        label=_("Zoekwoorden"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: criminele uitbuiting school, of 11VB."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    audience = forms.ChoiceField(
        label=_("Doelgroep"), required=False, choices=_all(_("Alle doelgroepen")) + Audience.choices
    )
    kind = forms.ChoiceField(
        label=_("Soort"), required=False, choices=_all(_("Alle soorten")) + Kind.choices
    )
    form = forms.ChoiceField(
        label=_("Vorm van uitbuiting"),
        required=False,
        choices=_all(_("Alle vormen")) + ExploitationForm.choices,
    )
    lvb = forms.ChoiceField(
        label=_("Geschikt bij LVB"),
        required=False,
        choices=_all(_("Maakt niet uit")) + LvbSuitability.choices,
    )

    def filters(self) -> dict:
        """The valid filters; an invalid value is ignored rather than failing the search."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "audience", "kind", "form", "lvb")}


class ItemForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    kind = forms.ChoiceField(label=_("Soort"), choices=_all(_("Maak een keuze")) + Kind.choices)
    publisher = forms.CharField(
        label=_("Uitgever of maker"),
        required=False,
        max_length=300,
        help_text=_("Laat leeg als de bron het niet noemt."),
    )
    year = forms.IntegerField(
        label=_("Jaar"),
        required=False,
        help_text=_("Het jaar van uitgave. Laat leeg als het niet bekend is."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("Korte beschrijving"),
        help_text=_("In uw eigen woorden en in eenvoudig Nederlands: wat is het, en voor wie?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Doelgroepen"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één doelgroep.")},
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Vormen van uitbuiting"),
        required=False,
        choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies niets als het item niet over één bepaalde vorm gaat."),
    )
    lvb_suitability = forms.ChoiceField(
        label=_("Geschikt bij LVB"), choices=LvbSuitability.choices, widget=forms.RadioSelect
    )
    language_level = forms.ChoiceField(
        label=_("Taalniveau"),
        choices=LanguageLevel.choices,
        initial=LanguageLevel.UNKNOWN,
        widget=forms.RadioSelect,
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        help_text=_(
            "Eén link per regel, precies zoals de bron hem geeft. Wilt u een naam tonen? "
            "Zet die na een verticale streep: https://voorbeeld.nl/gids | Naam van de gids"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    keywords = forms.CharField(
        label=_("Extra zoekwoorden"),
        required=False,
        max_length=500,
        help_text=_("Woorden waarop mensen zoeken maar die niet in de tekst staan."),
    )
    is_published = forms.BooleanField(
        label=_("Zichtbaar in de kennisbank"),
        required=False,
        initial=True,
        help_text=_("Haal het vinkje weg om het item terug te trekken. De geschiedenis blijft."),
    )
    note = forms.CharField(
        label=_("Wat is er veranderd?"),
        required=False,
        max_length=300,
        help_text=_("Een korte toelichting voor de geschiedenis van het item."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["note"]
            del self.fields["version"]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("note", None)
        data.pop("version", None)
        data["forms"] = data.pop("exploitation_forms")
        links = []
        for line in _lines(data["links"]):
            url, _sep, label = line.partition("|")
            links.append({"url": url.strip(), "label": label.strip()})
        data["links"] = links
        return data

    @staticmethod
    def links_as_text(links: list[dict]) -> str:
        return "\n".join(
            link["url"]
            if link["label"] in ("", link["url"])
            else f"{link['url']} | {link['label']}"
            for link in links
        )


class StatusUpdateForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Nieuwe status"), choices=Status.choices, widget=forms.RadioSelect
    )
    reported_on = forms.DateField(
        label=_("Datum"),
        help_text=_("Sinds wanneer geldt deze status?"),
        widget=DateInput(),
    )
    reported_by = forms.CharField(
        label=_("Gemeld door"),
        max_length=200,
        help_text=_("De organisatie die de voortgang meldt, bijvoorbeeld 'Ministerie van VWS'."),
    )
    evidence = forms.CharField(
        label=_("Onderbouwing"),
        required=False,
        help_text=_(
            "Wat is er gebeurd? Verplicht bij 'uitgevoerd' en 'vervallen', en als de status "
            "gelijk blijft."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_links = forms.CharField(
        label=_("Links naar bewijs"),
        required=False,
        help_text=_("Eén webadres per regel, bijvoorbeeld een kamerbrief of een projectpagina."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    corrects = forms.TypedChoiceField(
        label=_("Verbetert de laatste melding"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Alleen kiezen als de laatste melding niet klopte."),
    )

    def __init__(self, *args, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
        choices = [("", _("Nee, dit is een nieuwe melding"))]
        if latest is not None:
            label = _("Ja, de melding van %(date)s (%(status)s)") % {
                "date": latest.reported_on.strftime("%d-%m-%Y"),
                "status": latest.get_status_display(),
            }
            choices.append((latest.pk, label))
            self.fields["corrects"].widget = forms.RadioSelect()
        else:
            self.fields["corrects"].widget = forms.HiddenInput()
        self.fields["corrects"].choices = choices

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("corrects", None)
        data["evidence_links"] = _lines(data["evidence_links"])
        return data


class RecommendationFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label=_("Zoeken in de tekst"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Toon"),
        required=False,
        choices=[
            ("recommendation", _("Aanbevelingen")),
            ("bottleneck", _("Knelpunten")),
            ("all", _("Allebei")),
        ],
    )
    theme = forms.TypedChoiceField(label=_("Thema"), required=False, coerce=int, empty_value=None)
    addressee = forms.ChoiceField(
        label=_("Geadresseerde"),
        required=False,
        choices=_all(_("Alle geadresseerden")) + Addressee.choices,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_all(_("Alle statussen")) + Status.choices
    )
    stalled = forms.BooleanField(label=_("Alleen wat al een jaar stilstaat"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = _all(_("Alle thema's")) + [
            (theme.number, str(theme)) for theme in Theme.objects.order_by("number")
        ]

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        kind = data.get("kind") or "recommendation"
        return {
            "query": data.get("q") or "",
            "kind": "" if kind == "all" else kind,
            "theme": data.get("theme"),
            "addressee": data.get("addressee") or "",
            "status": data.get("status") or "",
            "stalled": bool(data.get("stalled")),
        }


class UsageFilterForm(AccessibleFormMixin, forms.Form):
    date_from = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    grouping = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("week", _("week")), ("month", _("maand")), ("day", _("dag"))],
    )
    audience = forms.ChoiceField(
        label=_("Gebruikers"),
        required=False,
        choices=_all(_("Iedereen")) + VisitorAudience.choices,
    )
    kind = forms.ChoiceField(
        label=_("Soort item"), required=False, choices=_all(_("Alle soorten")) + Kind.choices
    )

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - datetime.timedelta(days=89)
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        return {
            "date_from": date_from,
            "date_to": date_to,
            "grouping": data.get("grouping") or "week",
            "audience": data.get("audience") or "",
            "kind": data.get("kind") or "",
        }


class SessionForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Naam van de sessie"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Ronde tafel 2 – opvang en hulpverlening."),
    )
    held_on = forms.DateField(label=_("Datum"), widget=DateInput())
    location = forms.CharField(label=_("Plaats of vorm"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


CODE_SPLIT = re.compile(r"[\s,;]+")


class StatementForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Uitspraak"),
        help_text=_(
            "Schrijf op wat er is gezegd, zonder namen van personen, e-mailadressen of "
            "telefoonnummers."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(
        label=_("Soort uitspraak"),
        choices=Statement.StatementKind.choices,
        widget=forms.RadioSelect,
    )
    organisation_kind = forms.ChoiceField(
        label=_("Soort organisatie van de spreker"),
        choices=_all(_("Maak een keuze")) + OrganisationKind.choices,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        required=False,
        queryset=Theme.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
    )
    supports = forms.CharField(
        label=_("Ondersteunt deze knelpunten of aanbevelingen"),
        required=False,
        max_length=500,
        help_text=_(
            "De nummers uit het rapport, gescheiden door komma's. Bijvoorbeeld: 2.2-A1, 3.1.4"
        ),
    )

    def clean_supports(self):
        codes = [c for c in CODE_SPLIT.split(self.cleaned_data.get("supports") or "") if c]
        points = {p.code: p for p in Recommendation.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in points]
        if unknown:
            raise forms.ValidationError(
                _("Deze nummers bestaan niet: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [points[c] for c in dict.fromkeys(codes)]
