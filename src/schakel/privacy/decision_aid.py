"""The reasoning of "Mag ik dit delen?": from what the system knows and what the professional
answers to an outcome (share / consult first / do not share), a legal basis and reasons.

The questions follow the weighing of the meldcode (is there acute or structural unsafety?), the
AVG's proportionality and subsidiarity (does sharing weigh up to the intrusion, is there a lighter
way?) and data minimisation (the data categories were already limited to the purpose). This is
guidance for a professional, not legal advice: the professional's own explanation is recorded
with every decision.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import SharingDecision
from .reasons import reason
from .rules import Evaluation

Outcome = SharingDecision.Outcome

# Question key -> allowed answers. `consent_answer` is only asked when there is no valid consent.
QUESTIONS = {
    "consent_answer": ("refused", "not_asked", "cannot_ask"),
    "acute_unsafe": ("yes", "no", "unsure"),
    "structural_unsafe": ("yes", "no", "unsure"),
    "proportional": ("yes", "no", "unsure"),
    "lighter_way": ("yes", "no"),
    "consulted": ("none", "aandachtsfunctionaris", "privacy_officer", "veilig_thuis"),
}

QUESTION_LABELS = {
    "consent_answer": _("Toestemming"),
    "acute_unsafe": _("Acute onveiligheid"),
    "structural_unsafe": _("Structurele onveiligheid"),
    "proportional": _("In verhouding"),
    "lighter_way": _("Lichtere manier"),
    "consulted": _("Overlegd met"),
}

ANSWER_LABELS = {
    "consent_answer": {
        "refused": _("Gevraagd, maar de persoon wil het niet"),
        "not_asked": _("Nog niet gevraagd, maar dat kan wel"),
        "cannot_ask": _("Vragen kan niet, of brengt iemand in gevaar"),
    },
    "acute_unsafe": {"yes": _("Ja"), "no": _("Nee"), "unsure": _("Weet ik niet")},
    "structural_unsafe": {"yes": _("Ja"), "no": _("Nee"), "unsure": _("Weet ik niet")},
    "proportional": {"yes": _("Ja"), "no": _("Nee"), "unsure": _("Weet ik niet")},
    "lighter_way": {"yes": _("Ja"), "no": _("Nee")},
    "consulted": {
        "none": _("Nog met niemand"),
        "aandachtsfunctionaris": _("De aandachtsfunctionaris of leidinggevende"),
        "privacy_officer": _("De privacy officer"),
        "veilig_thuis": _("Veilig Thuis (advies)"),
    },
}


@dataclass
class Advice:
    outcome: str
    legal_basis: str = ""
    reasons: list[dict] = field(default_factory=list)
    consult_with: list[str] = field(default_factory=list)


def required_questions(evaluation: Evaluation) -> list[str]:
    keys = ["acute_unsafe", "structural_unsafe", "proportional", "lighter_way", "consulted"]
    if evaluation.kind != "consent":
        keys.insert(0, "consent_answer")
    return keys


def clean_answers(answers: dict, evaluation: Evaluation) -> tuple[dict, dict]:
    """(the answers that count, errors by question key)."""
    cleaned, errors = {}, {}
    for key in required_questions(evaluation):
        value = (answers or {}).get(key) or ("none" if key == "consulted" else "")
        if value not in QUESTIONS[key]:
            errors[key] = _("Kies een antwoord.")
        else:
            cleaned[key] = value
    return cleaned, errors


def advise(*, evaluation: Evaluation, meldrecht: bool, answers: dict) -> Advice:
    """The outcome for answers already checked by `clean_answers`."""
    acute, structural = answers["acute_unsafe"], answers["structural_unsafe"]
    unsafe = "yes" in (acute, structural)
    safety_unsure = not unsafe and "unsure" in (acute, structural)
    consent_answer = answers.get("consent_answer", "")
    consulted = answers.get("consulted", "none") != "none"

    if answers["proportional"] == "no":
        return Advice(Outcome.DO_NOT_SHARE, reasons=[reason("aid_not_proportional")])
    if evaluation.kind == "legal_duty":
        return Advice(
            Outcome.SHARE,
            evaluation.legal_basis,
            [reason("aid_duty_basis"), *evaluation.grounds],
        )
    if answers["proportional"] == "unsure":
        return Advice(
            Outcome.CONSULT,
            reasons=[reason("aid_proportional_unsure")],
            consult_with=["privacy_officer", "aandachtsfunctionaris"],
        )
    if evaluation.kind == "consent":
        return Advice(
            Outcome.SHARE,
            evaluation.legal_basis,
            [reason("aid_consent_basis"), *evaluation.grounds],
        )
    if answers["lighter_way"] == "yes":
        return Advice(Outcome.DO_NOT_SHARE, reasons=[reason("aid_lighter_way")])
    if evaluation.kind == "agreement":
        return Advice(
            Outcome.SHARE,
            evaluation.legal_basis,
            [reason("aid_agreement_basis"), *evaluation.grounds],
        )
    if meldrecht:
        if unsafe:
            return Advice(Outcome.SHARE, "meldrecht_veilig_thuis", [reason("aid_meldrecht")])
        if safety_unsure:
            return Advice(
                Outcome.CONSULT,
                reasons=[reason("aid_meldrecht_unsure")],
                consult_with=["veilig_thuis"],
            )
        return Advice(Outcome.DO_NOT_SHARE, reasons=[reason("aid_no_unsafety_veilig_thuis")])
    if unsafe and consent_answer in ("refused", "cannot_ask"):
        if consulted:
            return Advice(Outcome.SHARE, "zwaarwegend_belang", [reason("aid_overriding_interest")])
        consult = ["aandachtsfunctionaris", "veilig_thuis"]
        return Advice(
            Outcome.CONSULT,
            reasons=[reason("aid_consult_before_override", consult=consult)],
            consult_with=consult,
        )
    if safety_unsure:
        consult = ["aandachtsfunctionaris", "veilig_thuis"]
        return Advice(
            Outcome.CONSULT,
            reasons=[reason("aid_safety_unsure", consult=consult)],
            consult_with=consult,
        )
    if consent_answer == "not_asked":
        return Advice(Outcome.DO_NOT_SHARE, reasons=[reason("aid_ask_consent")])
    if consent_answer == "refused":
        return Advice(Outcome.DO_NOT_SHARE, reasons=[reason("aid_consent_refused")])
    return Advice(Outcome.DO_NOT_SHARE, reasons=[reason("aid_no_basis")])
