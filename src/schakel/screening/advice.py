"""From a scored result to the advice a person reads: red flags first, levels with the answers
behind them, what to do now, the step plan, contacts from the wegwijzer, the road to reporting
and, when there are signs of an LVB, how to adapt the conversation.

The result (engine.evaluate) is stored with an assessment; the advice is built each time it is
shown, so contact details are always today's.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import contacts as contact_book
from .engine import GUIDE_OUTCOME, RANK
from .guidance import guidance
from .instruments import Instrument

LEVEL_LABELS = {
    "none": gettext_lazy("geen signalen"),
    "low": gettext_lazy("enkele signalen"),
    "elevated": gettext_lazy("zorgelijk"),
    "high": gettext_lazy("ernstige zorg"),
    "urgent": gettext_lazy("handel nu (rode vlag)"),
    GUIDE_OUTCOME: gettext_lazy("gesprek gevoerd"),
}
LVB_LEVEL_LABELS = {
    "none": gettext_lazy("geen aanwijzingen"),
    "low": gettext_lazy("enkele aanwijzingen"),
    "elevated": gettext_lazy("duidelijke aanwijzingen"),
    "high": gettext_lazy("sterke aanwijzingen"),
}
SECTION_LABELS = {
    "urgent": gettext_lazy("Nu doen"),
    "consult": gettext_lazy("Overleggen"),
    "steps": gettext_lazy("Volgende stappen"),
    "report": gettext_lazy("Melden"),
    "lvb": gettext_lazy("LVB"),
    "support": gettext_lazy("Steun en hulp"),
    "info": gettext_lazy("Goed om te weten"),
}
SECTION_ORDER = list(SECTION_LABELS)


def level_label(instrument: Instrument, scale: dict) -> str:
    own = instrument.scale_map.get(scale["id"])
    if own and scale["level"] in own.level_labels:
        return own.level_labels[scale["level"]]
    table = LVB_LEVEL_LABELS if scale["kind"] == "lvb" else LEVEL_LABELS
    return str(table[scale["level"]])


def _shows(outcome: str, show_from: str) -> bool:
    return outcome == GUIDE_OUTCOME or RANK.get(outcome, 0) >= RANK[show_from]


def build(instrument: Instrument, result: dict, *, municipality_code: str | None = None) -> dict:
    """The advice for `result` (made with `instrument`, the version it was scored with)."""
    data = guidance()
    plan_key = instrument.step_plan
    outcome = result["outcome"]
    requests: list[tuple[str, str]] = []

    red_flags = []
    for flag in result["red_flags"]:
        details = contact_book.resolve(
            [(key, "") for key in flag["contacts"]], municipality_code=municipality_code
        )
        red_flags.append({**flag, "contact_details": details})
        requests.extend((key, flag["title"]) for key in flag["contacts"])

    advice = [
        {**block, "section_label": str(SECTION_LABELS[block["section"]])}
        for block in sorted(result["advice"], key=lambda b: SECTION_ORDER.index(b["section"]))
    ]
    for block in advice:
        requests.extend((key, block["title"]) for key in block["contacts"])

    steps = None
    plan = data["step_plans"].get(plan_key)
    if plan and _shows(outcome, plan["show_from"]):
        steps = {
            "title": plan["title"],
            "intro": plan["intro"],
            "source": plan.get("source", ""),
            "steps": [
                {"number": n, **step, "contacts": step.get("contacts", [])}
                for n, step in enumerate(plan["steps"], start=1)
            ],
        }
        for step in steps["steps"]:
            reason = _("Stap %(n)s: %(title)s") % {"n": step["number"], "title": step["title"]}
            requests.extend((key, reason) for key in step["contacts"])

    reporting = None
    rep = data["reporting"]
    if plan_key in rep["profiles"] and _shows(outcome, rep["show_from"]):
        reporting = {"title": rep["title"], "intro": rep["intro"], "routes": rep["routes"]}
        for route in rep["routes"]:
            requests.extend((key, route["title"]) for key in route.get("contacts", []))

    lvb = None
    lvb_data = data["lvb_communication"]
    if result["lvb"]["positive"] and plan_key in lvb_data["profiles"]:
        reasons = []
        if result["lvb"]["from_instrument"]:
            reasons.append(_("de antwoorden in dit instrument"))
        if result["lvb"]["from_indication"]:
            reasons.append(_("de LVB-indicatie in het dossier van de persoon"))
        lvb = {**lvb_data, "reasons": reasons}

    general = _("Contact voor advies")
    requests.extend((key, general) for key in instrument.contacts)
    requests.extend((key, general) for key in data["default_contacts"][plan_key])

    scales = []
    for scale in result["scales"]:
        scales.append({**scale, "level_label": level_label(instrument, scale)})

    return {
        "instrument": {
            "id": instrument.id,
            "version": instrument.version,
            "title": instrument.title,
            "status": instrument.status,
            "owner": instrument.owner,
            "disclaimer": instrument.disclaimer,
            "kind": instrument.kind,
        },
        "outcome": outcome,
        "outcome_label": str(LEVEL_LABELS.get(outcome, outcome))
        if not _is_lvb_only(instrument)
        else str(LVB_LEVEL_LABELS.get(outcome, LEVEL_LABELS.get(outcome, outcome))),
        "summary": data["outcomes"][plan_key][outcome],
        "result_intro": instrument.result_intro,
        "emergency": {"number": contact_book.EMERGENCY_NUMBER, **data["emergency"][plan_key]}
        if plan_key != "none" or red_flags
        else None,
        "red_flags": red_flags,
        "levels": scales,
        "unknowns": result["unknowns"],
        "protective": result["protective"],
        "notes": result["notes"],
        "advice": advice,
        "steps": steps,
        "reporting": reporting,
        "lvb_guidance": lvb,
        "contacts": contact_book.resolve(requests, municipality_code=municipality_code),
        "municipality": municipality_code or "",
        "answered": result["answered"],
        "items": result["items"],
    }


def _is_lvb_only(instrument: Instrument) -> bool:
    return bool(instrument.scales) and all(s.kind == "lvb" for s in instrument.scales)


def outcome_label(result: dict) -> str:
    """The readable outcome of a stored result (its scales tell whether it is about an LVB)."""
    outcome = result["outcome"]
    kinds = {scale["kind"] for scale in result.get("scales", [])}
    if kinds == {"lvb"} and outcome in LVB_LEVEL_LABELS:
        return str(LVB_LEVEL_LABELS[outcome])
    return str(LEVEL_LABELS.get(outcome, outcome))
