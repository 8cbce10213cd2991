"""Reasons in plain words (B1), stored as a code with parameters and shown in the reader's language.

Decisions keep their reasons as `{"code": ..., "params": {...}}`, so a decision recorded in Dutch
reads in English for an English reader, and the wording can improve without rewriting history.
Parameter conventions: `purpose` is a purpose key, `categories` a list of category keys, names
ending in `_on` are ISO dates; everything else is shown as it is.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

TEMPLATES = {
    # input and minimisation
    "categories_not_for_purpose": _(
        "Deze gegevens horen niet bij het doel ‘%(purpose)s’: %(categories)s. "
        "Deel alleen wat de ontvanger echt nodig heeft."
    ),
    "recipient_inactive": _("%(recipient)s doet niet meer mee aan Schakel."),
    # consent
    "consent_valid": _(
        "Er is geldige toestemming (gegeven door %(given_by)s, geldig tot en met %(until_on)s)."
    ),
    "consent_none": _("Er is geen toestemming vastgelegd voor het doel ‘%(purpose)s’."),
    "consent_requested": _("Toestemming is gevraagd op %(asked_on)s, maar (nog) niet gegeven."),
    "consent_refused": _("Toestemming is geweigerd op %(refused_on)s."),
    "consent_withdrawn": _("De toestemming is ingetrokken op %(withdrawn_on)s."),
    "consent_expired": _("De toestemming is verlopen op %(until_on)s."),
    "consent_not_yet": _("De toestemming geldt pas vanaf %(from_on)s."),
    "consent_categories": _("De toestemming geldt niet voor: %(categories)s."),
    "consent_recipient": _("De toestemming geldt niet voor %(recipient)s."),
    "consent_giver_minor": _(
        "De persoon is %(age)s jaar. Voor dit doel geeft een ouder, voogd of wettelijk "
        "vertegenwoordiger toestemming, tot de persoon %(self_age)s is."
    ),
    "consent_giver_adult": _(
        "De persoon is nu %(age)s jaar en geeft zelf toestemming (of een wettelijk "
        "vertegenwoordiger). De toestemming van een ouder of voogd geldt niet meer."
    ),
    # agreements
    "agreement_valid": _("Het convenant ‘%(title)s’ geldt tot en met %(until_on)s."),
    "agreement_none": _("Er is geen convenant tussen %(sender)s en %(recipient)s."),
    "agreement_expired": _("Het convenant ‘%(title)s’ is verlopen op %(until_on)s."),
    "agreement_ended": _("Het convenant ‘%(title)s’ is beëindigd op %(ended_on)s."),
    "agreement_not_yet": _("Het convenant ‘%(title)s’ geldt pas vanaf %(from_on)s."),
    "agreement_purpose": _("Het convenant ‘%(title)s’ gaat niet over ‘%(purpose)s’."),
    "agreement_categories": _("Het convenant ‘%(title)s’ geldt niet voor: %(categories)s."),
    # legal duty
    "duty_applies": _(
        "%(sender)s is wettelijk verplicht dit te melden bij %(recipient)s (%(basis)s)."
    ),
    "duty_none": _(
        "Er is geen wettelijke plicht voor %(sender)s om dit aan %(recipient)s te geven."
    ),
    # decisions
    "decision_valid": _(
        "Op %(decided_on)s is na afweging besloten dat delen mag (%(basis)s), "
        "geldig tot en met %(until_on)s."
    ),
    "decision_none": _("Er is geen vastgelegd besluit ‘Delen mag’ voor deze vraag."),
    "decision_other_outcome": _("Het laatste besluit (%(decided_on)s) was: %(outcome)s."),
    "decision_expired": _(
        "Het besluit van %(decided_on)s gold tot en met %(until_on)s. Weeg opnieuw af."
    ),
    "decision_categories": _("Het besluit van %(decided_on)s geldt niet voor: %(categories)s."),
    # override
    "override_used": _(
        "De noodprocedure is gebruikt. De privacy officer van %(sender)s krijgt bericht en "
        "toetst dit achteraf."
    ),
    "own_organisation": _("De gegevens blijven binnen %(sender)s."),
    # decision aid
    "aid_not_proportional": _(
        "Delen weegt niet op tegen de inbreuk op de privacy van de persoon. Deel daarom niet."
    ),
    "aid_proportional_unsure": _(
        "U twijfelt of delen in verhouding staat tot het doel. Overleg daarover eerst."
    ),
    "aid_lighter_way": _(
        "Er is een lichtere manier die ook werkt, zoals anoniem advies vragen, alleen contact "
        "leggen of eerst toestemming vragen. Gebruik die eerst."
    ),
    "aid_consent_basis": _("Er is geldige toestemming voor precies deze vraag. Delen mag."),
    "aid_duty_basis": _("Er is een wettelijke plicht om te delen. Delen moet."),
    "aid_agreement_basis": _(
        "Er is een geldig convenant voor dit doel en deze gegevens. Delen mag."
    ),
    "aid_meldrecht": _(
        "Er is (een vermoeden van) acute of structurele onveiligheid. U mag dit melden bij "
        "Veilig Thuis, ook zonder toestemming (meldrecht). Vertel de persoon dat u meldt, "
        "behalve als dat de veiligheid in gevaar brengt."
    ),
    "aid_meldrecht_unsure": _(
        "U twijfelt over de veiligheid. Vraag Veilig Thuis om advies; dat kan zonder de naam "
        "van de persoon te noemen."
    ),
    "aid_no_unsafety_veilig_thuis": _(
        "U ziet geen acute of structurele onveiligheid. Een melding bij Veilig Thuis is dan niet "
        "nodig. Bied of organiseer zelf hulp, en blijf letten op signalen."
    ),
    "aid_overriding_interest": _(
        "Er is ernstig gevaar, toestemming vragen kan niet of is geweigerd, er is geen lichtere "
        "weg en u hebt overlegd. Dan mag u delen zonder toestemming (zwaarwegend belang). "
        "Deel alleen wat nodig is."
    ),
    "aid_consult_before_override": _(
        "Er is ernstig gevaar en geen toestemming. Overleg eerst met %(consult)s. Daarna kunt u "
        "zo nodig delen zonder toestemming (zwaarwegend belang)."
    ),
    "aid_ask_consent": _(
        "Vraag eerst toestemming. Gebruik de uitleg in eenvoudige taal en kijk of de persoon "
        "begrijpt waar hij of zij ja tegen zegt."
    ),
    "aid_safety_unsure": _(
        "U twijfelt over de veiligheid. Overleg eerst met %(consult)s, en vraag zo nodig Veilig "
        "Thuis om advies."
    ),
    "aid_no_basis": _(
        "Er is geen toestemming, geen wettelijke plicht, geen convenant en geen (vermoeden van) "
        "onveiligheid. Delen mag dan niet."
    ),
    "aid_consent_refused": _(
        "De persoon wil niet dat u deelt, en er is geen ernstig gevaar. Respecteer dat."
    ),
}

CONSULT_LABELS = {
    "aandachtsfunctionaris": _("de aandachtsfunctionaris of de leidinggevende"),
    "privacy_officer": _("de privacy officer"),
    "veilig_thuis": _("Veilig Thuis (advies)"),
}


def reason(code: str, **params) -> dict:
    if code not in TEMPLATES:
        raise KeyError(f"unknown reason code '{code}'")
    return {"code": code, "params": params}


def _show(name: str, value):
    from .sharing_config import sharing_config

    config = sharing_config()
    if name == "purpose":
        return config.purposes[value].label if value in config.purposes else value
    if name == "categories":
        return ", ".join(config.category_labels(value))
    if name == "consult":
        return ", ".join(str(CONSULT_LABELS.get(v, v)) for v in value)
    if name == "given_by":
        from .models import GivenBy

        return GivenBy(value).label if value in GivenBy.values else value
    if name == "outcome":
        from .models import SharingDecision

        return SharingDecision.Outcome(value).label
    if name.endswith("_on") and value:
        return date_format(datetime.date.fromisoformat(str(value)[:10]), "j F Y")
    return value


def render(item: dict) -> str:
    template = TEMPLATES.get(item.get("code"))
    if template is None:
        return str(item.get("code", ""))
    params = {name: _show(name, value) for name, value in item.get("params", {}).items()}
    return str(template) % params if params else str(template)


def render_all(items) -> list[str]:
    return [render(item) for item in items]
