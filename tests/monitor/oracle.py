"""A plain Python recount of the monitor tables, straight from the contract's text.

It is written independently of the SQL in schakel.monitor.tables: the tests compare the two.
`meldingen` is a list of MeldingValues in the order the registry stored them.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

HIERARCHY = (
    "binnenlandse_seksuele_uitbuiting",
    "grensoverschrijdende_seksuele_uitbuiting",
    "arbeidsuitbuiting",
    "criminele_uitbuiting",
    "gedwongen_orgaanverwijdering",
    "onbekend",
)
SEXUAL = {"binnenlandse_seksuele_uitbuiting", "grensoverschrijdende_seksuele_uitbuiting"}
MELDERS = ("politie", "kmar", "inspectie_szw", "zorgcoordinator", "fairwork", "overig")
UNITS = (
    "noord-nederland",
    "oost-nederland",
    "midden-nederland",
    "noord-holland",
    "amsterdam",
    "den-haag",
    "rotterdam",
    "zeeland-west-brabant",
    "oost-brabant",
    "limburg",
    "landelijke-eenheid",
)
SEXES = ("man", "vrouw", "x", "onbekend")
AGE_GROUPS = ("minderjarig", "adolescent", "23_en_ouder", "onbekend")
LVB = ("ja", "nee", "onbekend")
SECTOR_ORDER = (
    "raamprostitutie",
    "bordeel_club_prive",
    "straatprostitutie",
    "thuisprostitutie",
    "escort_hotel",
    "overig_seksueel",
    "horeca",
    "huishouden",
    "overige_dienstverlening",
    "land_tuinbouw",
    "bouw",
    "productie",
    "transport_logistiek",
    "overige_arbeid",
    "drugsdelicten",
    "vermogensdelicten",
    "overig_crimineel",
)


class PersonYear:
    def __init__(self, meldingen):
        self.meldingen = meldingen  # in stored order
        self.forms = {form for m in meldingen for form in m.forms}
        self.excluded = all(m.melder == "kmar" for m in meldingen) and self.forms <= SEXUAL
        self.form = next(form for form in HIERARCHY if form in self.forms)
        order = sorted(range(len(meldingen)), key=lambda i: (meldingen[i].melddatum, i))
        first = meldingen[order[0]]
        self.age = first.leeftijd
        self.sex = next(
            (meldingen[i].geslacht for i in order if meldingen[i].geslacht != "onbekend"),
            "onbekend",
        )
        self.nationality = next(
            (meldingen[i].nationaliteit for i in order if meldingen[i].nationaliteit),
            "onbekend",
        )
        self.melders = {m.melder for m in meldingen}
        self.units = {m.politie_eenheid for m in meldingen if m.melder == "politie"}
        self.sectors = {m.sector for m in meldingen if m.sector}
        values = {m.lvb_indicatie for m in meldingen}
        self.lvb = "ja" if "ja" in values else "nee" if "nee" in values else "onbekend"


def person_years(meldingen, y0, y1) -> dict:
    groups = defaultdict(list)
    for m in meldingen:
        if y0 <= m.melddatum.year <= y1:
            groups[(m.melddatum.year, m.persoon_sleutel)].append(m)
    return {key: PersonYear(group) for key, group in groups.items()}


def age_group(age):
    if age is None:
        return "onbekend"
    if age < 18:
        return "minderjarig"
    if age <= 22:
        return "adolescent"
    return "23_en_ouder"


def _rows(counts, years, names, dims):
    combos = [()]
    for values in dims:
        combos = [(*c, v) for c in combos for v in values]
    return [
        {"jaar": y, **dict(zip(names, c, strict=True)), "aantal": counts.get((y, *c), 0)}
        for y in years
        for c in combos
    ]


def recount(table_id, meldingen, y0, y1, complete_until=None):  # noqa: C901 - to be split
    years = range(y0, y1 + 1)
    pys = person_years(meldingen, y0, y1)
    main = {key: py for key, py in pys.items() if not py.excluded}
    counts = defaultdict(int)
    if table_id == "slachtoffers_per_jaar":
        for (year, _p), py in pys.items():
            counts[(year, "inclusief_kmar_seksueel")] += 1
            if not py.excluded:
                counts[(year, "exclusief_kmar_seksueel")] += 1
        return _rows(
            counts, years, ["reeks"], [("exclusief_kmar_seksueel", "inclusief_kmar_seksueel")]
        )
    if table_id == "slachtoffers_per_vorm":
        for (year, _p), py in main.items():
            for form in py.forms:
                counts[(year, form)] += 1
        return _rows(counts, years, ["uitbuitingsvorm"], [HIERARCHY])
    if table_id == "meldingen_per_melder":
        for (year, _p), py in main.items():
            for melder in py.melders:
                counts[(year, melder, py.form)] += 1
        return _rows(counts, years, ["melder", "vorm"], [MELDERS, HIERARCHY])
    if table_id == "meldingen_per_politie_eenheid":
        for (year, _p), py in main.items():
            for unit in py.units:
                counts[(year, unit, py.form)] += 1
        return _rows(counts, years, ["politie_eenheid", "vorm"], [UNITS, HIERARCHY])
    if table_id == "slachtoffers_per_geslacht":
        for (year, _p), py in main.items():
            counts[(year, py.form, py.sex)] += 1
        return _rows(counts, years, ["vorm", "geslacht"], [HIERARCHY, SEXES])
    if table_id == "slachtoffers_per_leeftijdsgroep":
        for (year, _p), py in main.items():
            counts[(year, py.form, age_group(py.age))] += 1
        return _rows(counts, years, ["vorm", "leeftijdsgroep"], [HIERARCHY, AGE_GROUPS])
    if table_id == "gemiddelde_leeftijd":
        ages = defaultdict(list)
        for (year, _p), py in main.items():
            if py.age is not None:
                ages[(year, py.form)].append(py.age)
        rows = []
        for year in years:
            for form in HIERARCHY:
                values = ages.get((year, form))
                mean = ""
                if values:
                    mean = str(
                        (Decimal(sum(values)) / len(values)).quantize(
                            Decimal("0.1"), rounding=ROUND_HALF_UP
                        )
                    )
                rows.append({"jaar": year, "vorm": form, "gemiddelde": mean})
        return rows
    if table_id == "slachtoffers_per_nationaliteit":
        for (year, _p), py in main.items():
            counts[(year, py.nationality)] += 1
        seen = {key[1] for key in counts}
        order = sorted(v for v in seen if v != "onbekend") + (
            ["onbekend"] if "onbekend" in seen else []
        )
        return _rows(counts, years, ["nationaliteit"], [order])
    if table_id == "slachtoffers_per_sector":
        for (year, _p), py in main.items():
            for sector in py.sectors or {"onbekend"}:
                counts[(year, sector)] += 1
        seen = {key[1] for key in counts}
        order = [s for s in SECTOR_ORDER if s in seen] + (
            ["onbekend"] if "onbekend" in seen else []
        )
        return _rows(counts, years, ["sector"], [order])
    if table_id == "slachtoffers_lvb":
        for (year, _p), py in main.items():
            counts[(year, py.form, py.lvb)] += 1
        return _rows(counts, years, ["vorm", "lvb_indicatie"], [HIERARCHY, LVB])
    if table_id == "herhaalde_registratie":
        first = {}
        for m in meldingen:
            key = m.persoon_sleutel
            first[key] = min(first.get(key, m.melddatum.year), m.melddatum.year)
        main_years = defaultdict(set)  # follow-up may look past y1, up to complete_until
        for (year, person), py in person_years(meldingen, y0, max(y1, complete_until)).items():
            if not py.excluded:
                main_years[person].add(year)
        rows = []
        for year in years:
            cohort = [p for p, j0 in first.items() if j0 == year and year in main_years[p]]
            for k in (2, 5, 7):
                complete = year + k <= complete_until
                again = sum(1 for p in cohort if any(year < y <= year + k for y in main_years[p]))
                rows.append(
                    {
                        "jaar": year,
                        "termijn": k,
                        "eerste_registraties": len(cohort),
                        "opnieuw_geregistreerd": again if complete else None,
                        "aandeel": None,
                    }
                )
        return rows
    raise KeyError(table_id)
