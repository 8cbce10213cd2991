"""Synthetic meldingen in the contract's format, for demos, tests and benchmarks.

Fictional, but with the shape of the published monitor (seed 004, chapter 2): a victim is
reported by one or more organisations (about 1.13 meldingen per victim), labour exploitation is
mostly reported by FairWork, cross-border sexual exploitation partly by the KMar, victims of
domestic sexual exploitation are young and mostly female, the age of victims reported by FairWork
is often unknown, and some victims are registered again in later years. Everything follows from
the seed, so the same seed gives the same file. Rows are produced one at a time (bounded memory).
"""

import csv
import datetime
import hashlib
import random
from collections.abc import Iterator

from .contract import EXPECTED_COLUMNS

# (form(s), weight): a few victims have two forms at once, as the monitor reports.
FORMS = [
    (("binnenlandse_seksuele_uitbuiting",), 13),
    (("grensoverschrijdende_seksuele_uitbuiting",), 30),
    (("arbeidsuitbuiting",), 27),
    (("criminele_uitbuiting",), 11),
    (("gedwongen_orgaanverwijdering",), 0.2),
    (("onbekend",), 7),
    (("binnenlandse_seksuele_uitbuiting", "criminele_uitbuiting"), 2),
    (("grensoverschrijdende_seksuele_uitbuiting", "criminele_uitbuiting"), 1.5),
    (("grensoverschrijdende_seksuele_uitbuiting", "arbeidsuitbuiting"), 1),
    (("arbeidsuitbuiting", "criminele_uitbuiting"), 0.8),
]
# Who reports, by the victim's main kind of exploitation.
MELDERS = {
    "seksueel": [("politie", 55), ("kmar", 4), ("zorgcoordinator", 28), ("overig", 13)],
    "arbeid": [
        ("politie", 12),
        ("inspectie_szw", 9),
        ("fairwork", 55),
        ("zorgcoordinator", 10),
        ("overig", 14),
    ],
    "crimineel": [("politie", 58), ("zorgcoordinator", 27), ("overig", 15)],
    "": [("politie", 45), ("zorgcoordinator", 30), ("overig", 22), ("kmar", 3)],
}
UNITS = [
    ("noord-nederland", 7),
    ("oost-nederland", 10),
    ("midden-nederland", 9),
    ("noord-holland", 8),
    ("amsterdam", 17),
    ("den-haag", 13),
    ("rotterdam", 14),
    ("zeeland-west-brabant", 8),
    ("oost-brabant", 6),
    ("limburg", 5),
    ("landelijke-eenheid", 3),
]
SECTORS = {
    "seksueel": [
        ("raamprostitutie", 18),
        ("bordeel_club_prive", 22),
        ("straatprostitutie", 10),
        ("thuisprostitutie", 20),
        ("escort_hotel", 25),
        ("overig_seksueel", 5),
    ],
    "arbeid": [
        ("horeca", 18),
        ("huishouden", 14),
        ("overige_dienstverlening", 16),
        ("land_tuinbouw", 14),
        ("bouw", 10),
        ("productie", 12),
        ("transport_logistiek", 10),
        ("overige_arbeid", 6),
    ],
    "crimineel": [("drugsdelicten", 55), ("vermogensdelicten", 35), ("overig_crimineel", 10)],
}
SECTOR_KNOWN = {"seksueel": 0.5, "arbeid": 0.75, "crimineel": 0.6, "": 0.0}
NATIONALITIES = [
    ("NL", 22),
    ("NG", 11),
    ("PL", 9),
    ("BG", 5),
    ("HU", 4),
    ("RO", 5),
    ("UA", 3),
    ("VN", 2),
    ("CN", 2),
    ("BR", 2),
    ("CO", 2),
    ("MA", 2),
    ("ER", 2),
    ("UG", 2),
    ("GH", 1),
    ("SY", 1),
    ("TR", 1),
    ("IN", 1),
    ("PH", 1),
    ("SL", 1),
]
GROUP = {
    "binnenlandse_seksuele_uitbuiting": "seksueel",
    "grensoverschrijdende_seksuele_uitbuiting": "seksueel",
    "arbeidsuitbuiting": "arbeid",
    "criminele_uitbuiting": "crimineel",
    "gedwongen_orgaanverwijdering": "",
    "onbekend": "",
}
EXTRA_MELDINGEN = [(0, 88), (1, 9), (2, 3)]
RETURN_SHARE = 0.08


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _person_key(seed: int, index: int) -> str:
    return "P" + hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()[:23]


def _random_day(rng: random.Random, year: int, last_day: datetime.date) -> datetime.date:
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), last_day)
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


class _Person:
    def __init__(self, rng: random.Random, forms: tuple[str, ...]):
        self.forms = forms
        self.group = GROUP[forms[0]]
        domestic = forms[0] == "binnenlandse_seksuele_uitbuiting"
        if self.group == "seksueel":
            self.geslacht = _pick(rng, [("vrouw", 90), ("man", 7), ("x", 1), ("onbekend", 2)])
        elif self.group in ("arbeid", "crimineel"):
            self.geslacht = _pick(rng, [("man", 68), ("vrouw", 29), ("x", 1), ("onbekend", 2)])
        else:
            self.geslacht = _pick(rng, [("vrouw", 55), ("man", 40), ("onbekend", 5)])
        mean, spread = (18, 4) if domestic else (30, 9)
        self.age = max(12, min(75, int(rng.gauss(mean, spread))))
        self.nationality = "NL" if domestic and rng.random() < 0.8 else _pick(rng, NATIONALITIES)
        if rng.random() < 0.05:
            self.nationality = ""
        lvb_weights = [("ja", 20 if domestic else 6), ("nee", 30), ("onbekend", 50)]
        self.lvb = _pick(rng, lvb_weights)


def _melding(rng, person: _Person, melder: str, day: datetime.date, age_at: int) -> dict:
    unit = _pick(rng, UNITS) if melder == "politie" else ""
    legal = melder in ("politie", "kmar", "inspectie_szw")
    basis = "wettelijke_taak" if legal and rng.random() < 0.97 else "toestemming"
    given_by = ""
    if basis == "toestemming":
        given_by = "ouder_voogd" if age_at < 18 else "betrokkene"
    forms = person.forms
    if rng.random() < 0.05 and len(forms) == 1 and forms[0] != "onbekend":
        forms = ("onbekend",)  # a second reporter did not know the form
    sector = ""
    groups = [GROUP[form] for form in forms if GROUP[form]]
    if groups and rng.random() < SECTOR_KNOWN[groups[0]]:
        sector = _pick(rng, SECTORS[groups[0]])
    unknown_age = 0.4 if melder == "fairwork" else 0.08
    return {
        "melding_id": "",
        "melddatum": day.isoformat(),
        "persoon_sleutel": "",
        "melder": melder,
        "politie_eenheid": unit,
        "grondslag": basis,
        "toestemming_door": given_by,
        "uitbuitingsvormen": "|".join(forms),
        "sector": sector,
        "geslacht": person.geslacht if rng.random() < 0.97 else "onbekend",
        "leeftijd": "" if rng.random() < unknown_age else str(age_at),
        "nationaliteit": person.nationality,
        "lvb_indicatie": person.lvb if rng.random() < 0.9 else "",
    }


def generate_rows(
    *,
    rows: int,
    seed: int,
    first_year: int,
    last_year: int,
    today: datetime.date | None = None,
) -> Iterator[dict[str, str]]:
    """`rows` meldingen over the years `first_year`..`last_year` (never after `today`)."""
    if rows < 0 or first_year > last_year:
        raise ValueError("rows must be at least 0 and first_year at most last_year")
    today = today or datetime.date.today()
    rng = random.Random(seed)  # noqa: S311 - fictional data, reproducible by seed
    years = list(range(first_year, last_year + 1))
    produced, person_index = 0, 0
    while produced < rows:
        person_index += 1
        forms = _pick(rng, FORMS)
        person = _Person(rng, forms)
        key = _person_key(seed, person_index)
        year = rng.choice(years)
        episodes = [year]
        if rng.random() < RETURN_SHARE:
            later = year + rng.randint(1, 7)
            if later <= last_year:
                episodes.append(later)
        for episode_year in episodes:
            day = _random_day(rng, episode_year, today)
            age_at = person.age + (episode_year - year)
            melders = [_pick(rng, MELDERS[person.group])]
            for _extra in range(_pick(rng, EXTRA_MELDINGEN)):
                melders.append(_pick(rng, MELDERS[person.group]))
            for melder in melders:
                if produced >= rows:
                    return
                when = min(day + datetime.timedelta(days=rng.randint(0, 60)), today)
                if when.year != episode_year:
                    when = day
                values = _melding(rng, person, melder, when, age_at)
                produced += 1
                values["melding_id"] = f"G{seed}-{produced:08d}"
                values["persoon_sleutel"] = key
                yield values


class _Echo:
    def write(self, value: str) -> str:
        return value


def generate_csv_lines(**options) -> Iterator[str]:
    """The generated rows as CSV lines, header first (usable without Django set up)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPECTED_COLUMNS)
    for values in generate_rows(**options):
        yield writer.writerow([values[column] for column in EXPECTED_COLUMNS])
