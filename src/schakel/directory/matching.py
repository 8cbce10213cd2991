"""Does an offer fit this person in this place? Full fit, or partial fit with the reasons why not.

Pure functions on plain values, so the rules can be tested without a database. A criterion the
offer leaves unknown never makes it a misfit: it becomes a *note* ("leeftijdsgrenzen niet
bekend"), so the professional knows to ask.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_noop as N_

from .models import Acceptance, Form, Gender, Need, Scope

FULL, PARTIAL = "full", "partial"
CAPACITY_NEEDS = frozenset({Need.SHELTER, Need.TREATMENT})


class Texts:
    """Translations looked up once per search instead of once per offer (a search evaluates
    every offer, and gettext is the largest cost of an evaluation)."""

    def __init__(self):
        self._cache: dict = {}

    def __call__(self, message: str) -> str:
        try:
            return self._cache[message]
        except KeyError:
            text = self._cache[message] = gettext(message)
            return text

    def label(self, choices, value: str) -> str:
        key = (choices, value)
        try:
            return self._cache[key]
        except KeyError:
            text = self._cache[key] = _label(choices, value)
            return text

    def memo(self, key, make):
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = make()
            return value


@dataclass(frozen=True)
class Criteria:
    """What the professional asks. None (or empty) means: not asked."""

    municipality: str | None = None  # CBS code
    national: bool = False  # "landelijk": only offers for the whole country
    age: int | None = None
    gender: str | None = None
    forms: tuple[str, ...] = ()
    lvb: bool | None = None
    iq: int | None = None
    ggz: bool | None = None
    addiction: bool | None = None
    with_children: bool | None = None
    need: str | None = None
    q: str = ""


@dataclass(frozen=True)
class Place:
    """Where the municipality of the search lies (from the reference data)."""

    code: str
    name: str
    region_code: str
    region_name: str
    province: str


@dataclass
class Match:
    offer: dict  # the offer's values
    fit: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    score: float = 0.0
    gives_need: bool = True  # False: another kind of help than the one asked for


def join_names(names: list[str], t: Texts | None = None) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    template = t(N_("%(first)s en %(last)s")) if t else gettext("%(first)s en %(last)s")
    return template % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def area_names(offer: dict, names, t: Texts | None = None) -> list[str]:
    """Human names of the areas an offer serves: municipalities, regions, provinces."""
    t = t or Texts()
    out = [names.municipality(code) for code in offer["municipalities"]]
    region = t(N_("veiligheidsregio %(name)s"))
    out += [region % {"name": names.region(code)} for code in offer["safety_regions"]]
    province = t(N_("provincie %(name)s"))
    out += [province % {"name": p} for p in offer["provinces"]]
    return out


def _areas_text(offer: dict, names, t: Texts) -> str:
    key = ("areas", tuple(offer["municipalities"]), tuple(offer["safety_regions"]),
           tuple(offer["provinces"]))  # fmt: skip
    return t.memo(key, lambda: join_names(area_names(offer, names, t), t))


def _region(offer, criteria, place, names, t, m) -> None:
    scope = offer["scope"]
    has_area = offer["municipalities"] or offer["safety_regions"] or offer["provinces"]
    if criteria.national:
        if scope == Scope.NATIONAL:
            return
        if scope == Scope.REGIONAL and has_area:
            areas = _areas_text(offer, names, t)
            m.reasons.append(t(N_("regio: alleen %(areas)s")) % {"areas": areas})
        else:
            m.notes.append(t(N_("werkgebied niet bekend")))
        return
    if place is None or scope == Scope.NATIONAL:
        return
    if scope == Scope.REGIONAL and has_area:
        if (
            place.code in offer["municipalities"]
            or place.region_code in offer["safety_regions"]
            or place.province in offer["provinces"]
        ):
            m.score += 1  # nearby beats national
            return
        areas = _areas_text(offer, names, t)
        m.reasons.append(t(N_("regio: alleen %(areas)s")) % {"areas": areas})
        return
    note = offer["area_note"]
    if note:
        m.notes.append(t(N_("werkgebied niet precies bekend: %(note)s")) % {"note": note})
    else:
        m.notes.append(t(N_("werkgebied niet bekend")))


def _age(offer, age, t, m) -> None:
    if age is None:
        return
    low, high = offer["age_min"], offer["age_max"]
    if low is None and high is None:
        m.notes.append(t(N_("leeftijdsgrenzen niet bekend")))
        return
    if low is not None and high is not None:
        if not low <= age <= high:
            m.reasons.append(
                t(N_("leeftijd %(age)s valt buiten %(low)s–%(high)s"))
                % {"age": age, "low": low, "high": high}
            )
    elif low is not None and age < low:
        m.reasons.append(
            t(N_("leeftijd %(age)s: pas vanaf %(low)s jaar")) % {"age": age, "low": low}
        )
    elif high is not None and age > high:
        m.reasons.append(
            t(N_("leeftijd %(age)s: alleen tot en met %(high)s jaar")) % {"age": age, "high": high}
        )


_GENDER_GROUPS = {"vrouw": N_("meiden en vrouwen"), "man": N_("jongens en mannen")}


def _gender(offer, gender, t, m) -> None:
    genders = offer["genders"]
    if not gender or not genders or gender in genders:
        return
    if gender == Gender.OTHER:
        who = join_names([t.label(Gender, g) for g in genders], t)
        m.notes.append(t(N_("geslacht: bedoeld voor %(who)s")) % {"who": who})
        return
    only = [t(_GENDER_GROUPS[g]) if g in _GENDER_GROUPS else t.label(Gender, g) for g in genders]
    m.reasons.append(t(N_("geslacht: alleen voor %(who)s")) % {"who": join_names(only, t)})


def _forms(offer, forms, t, m) -> None:
    if not forms:
        return
    offered = offer["forms"]
    if not offered:
        m.notes.append(t(N_("vormen van uitbuiting niet bekend")))
        return
    if not set(forms) & set(offered):
        names = join_names([t.label(Form, f) for f in offered], t)
        m.reasons.append(t(N_("vorm: richt zich op %(forms)s")) % {"forms": names})


_PROBLEM_TEXT = {
    "lvb": (
        N_("LVB: dit aanbod neemt geen mensen met een LVB aan"),
        N_("LVB: alleen voor mensen met een LVB"),
        N_("niet bekend of dit aanbod past bij een LVB"),
    ),
    "ggz": (
        N_("GGZ-problematiek is een contra-indicatie"),
        N_("alleen bij GGZ-problematiek"),
        N_("niet bekend of GGZ-problematiek een contra-indicatie is"),
    ),
    "addiction": (
        N_("verslaving is een contra-indicatie"),
        N_("alleen bij een verslaving"),
        N_("niet bekend of een verslaving een contra-indicatie is"),
    ),
}


def _problem(offer, name, present, t, m) -> None:
    """LVB, GGZ and addiction: contra-indication, specialism or unknown."""
    if present is None:
        return
    value = offer[name]
    refused, only, unknown = _PROBLEM_TEXT[name]
    if present:
        if value == Acceptance.NOT_ACCEPTED:
            m.reasons.append(t(refused))
        elif value in (Acceptance.SPECIALISED, Acceptance.ONLY):
            m.score += 2
        elif value == Acceptance.UNKNOWN:
            m.notes.append(t(unknown))
    elif value == Acceptance.ONLY:
        m.reasons.append(t(only))


def _iq(offer, iq, t, m) -> None:
    low, high = offer["iq_min"], offer["iq_max"]
    if iq is None or (low is None and high is None):
        return
    if (low is not None and iq < low) or (high is not None and iq > high):
        m.reasons.append(
            t(N_("IQ %(iq)s valt buiten %(low)s–%(high)s"))
            % {"iq": iq, "low": "…" if low is None else low, "high": "…" if high is None else high}
        )


def _children(offer, with_children, t, m) -> None:
    if with_children and offer["with_children"] is False:
        m.reasons.append(t(N_("niet voor slachtoffers met kinderen")))


def _need(offer, need, t, m) -> None:
    if not need or need in offer["services"]:
        return
    m.gives_need = False
    services = t.memo(
        ("services", tuple(offer["services"])),
        lambda: join_names([t.label(Need, s) for s in offer["services"]], t),
    )
    m.reasons.append(
        t(N_("biedt geen %(need)s (wel: %(services)s)"))
        % {"need": t.label(Need, need), "services": services}
    )


def _capacity(offer, need, now, stale_days, t, m) -> None:
    if not set(offer["services"]) & CAPACITY_NEEDS:
        return
    free, weeks = offer["free_places"], offer["waiting_weeks"]
    if free == 0:
        if weeks:
            text = ngettext(
                "geen vrije plek, wachttijd %(weeks)s week",
                "geen vrije plek, wachttijd %(weeks)s weken",
                weeks,
            ) % {"weeks": weeks}
        else:
            text = t(N_("geen vrije plek"))
        m.reasons.append(text)
    elif free is None and weeks:
        m.reasons.append(
            ngettext("wachttijd %(weeks)s week", "wachttijd %(weeks)s weken", weeks)
            % {"weeks": weeks}
        )
    elif free is None and need in CAPACITY_NEEDS:
        m.notes.append(t(N_("vrije plekken niet bekend")))
    updated = offer["capacity_updated_at"]
    if updated is not None and now - updated > timedelta(days=stale_days):
        days = (now - updated).days
        m.notes.append(
            ngettext(
                "capaciteit is %(days)s dag niet bijgewerkt",
                "capaciteit is %(days)s dagen niet bijgewerkt",
                days,
            )
            % {"days": days}
        )


def evaluate(
    offer: dict,
    criteria: Criteria,
    *,
    place: Place | None,
    names,
    now: datetime,
    stale_days: int,
    texts: Texts | None = None,
) -> Match:
    """Check `offer` against every criterion; the reasons are in the order a professional reads.

    Pass one `texts` to all evaluations of a search: it keeps the translations."""
    t = texts or Texts()
    m = Match(offer=offer, fit=FULL)
    _need(offer, criteria.need, t, m)
    _region(offer, criteria, place, names, t, m)
    _age(offer, criteria.age, t, m)
    _gender(offer, criteria.gender, t, m)
    _forms(offer, criteria.forms, t, m)
    _problem(offer, "lvb", criteria.lvb, t, m)
    _iq(offer, criteria.iq, t, m)
    _problem(offer, "ggz", criteria.ggz, t, m)
    _problem(offer, "addiction", criteria.addiction, t, m)
    _children(offer, criteria.with_children, t, m)
    _capacity(offer, criteria.need, now, stale_days, t, m)
    if m.reasons:
        m.fit = PARTIAL
    m.score -= 0.1 * len(m.notes)
    return m


def rank_key(m: Match):
    return (m.fit != FULL, not m.gives_need, len(m.reasons), -m.score, m.offer["name"].casefold())
