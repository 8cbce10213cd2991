"""The monitor's tables, counted as the published victim monitor counts (docs/monitor.md).

Every table is one SQL query over the registry's meldingen (SQLite and PostgreSQL alike): GROUP
BY and window functions, no joins, so the plan does not depend on the planner's estimates and
memory stays small however many meldingen there are; Python only fills in the zero rows and
applies disclosure control. The counting rules:

* a person is a `persoon_sleutel`; a person's forms in a year are the union of the forms of
  their meldingen that year, and their hierarchical form is the first of those in the order of
  the contract;
* the main series leaves out persons whose meldingen that year are all by `kmar` and whose forms
  are only sexual exploitation; every table except `slachtoffers_per_jaar` uses the main series;
* age is the age in the person's first melding of the year (earliest date; on the same date the
  melding registered first); sex and nationality are the first known ones of the year.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _

from schakel.registry.contract import UNKNOWN, contract
from schakel.registry.models import FORM_FIELDS, Melding

DISCLOSURE_MODES = ("none", "suppress10_round5", "round5")
DEFAULT_DISCLOSURE = "suppress10_round5"
SUPPRESSED = "<10"
FOLLOW_UP_YEARS = (2, 5, 7)
EARLIEST_YEAR = 1990
MAX_SPAN = 50


@dataclass(frozen=True)
class TableDef:
    id: str
    title: str
    columns: tuple[str, ...]
    counts: tuple[str, ...]  # the columns disclosure control applies to
    description: str = ""


TABLES: dict[str, TableDef] = {
    table.id: table
    for table in (
        TableDef(
            "slachtoffers_per_jaar",
            _("Unieke slachtoffers per jaar"),
            ("jaar", "reeks", "aantal"),
            ("aantal",),
            _(
                "Elk slachtoffer telt één keer per jaar. De hoofdreeks laat slachtoffers weg die "
                "alleen de KMar meldde voor alleen seksuele uitbuiting."
            ),
        ),
        TableDef(
            "slachtoffers_per_vorm",
            _("Slachtoffers per uitbuitingsvorm"),
            ("jaar", "uitbuitingsvorm", "aantal"),
            ("aantal",),
            _(
                "Een slachtoffer telt mee bij elke vorm van dat jaar. Opgeteld kan dit dus meer "
                "zijn dan het aantal slachtoffers."
            ),
        ),
        TableDef(
            "meldingen_per_melder",
            _("Slachtoffers per melder"),
            ("jaar", "melder", "vorm", "aantal"),
            ("aantal",),
            _("Elk slachtoffer telt één keer per soort melder per jaar."),
        ),
        TableDef(
            "meldingen_per_politie_eenheid",
            _("Politiemeldingen per politie-eenheid"),
            ("jaar", "politie_eenheid", "vorm", "aantal"),
            ("aantal",),
            _("Elk slachtoffer telt één keer per politie-eenheid per jaar."),
        ),
        TableDef(
            "slachtoffers_per_geslacht",
            _("Slachtoffers per geslacht"),
            ("jaar", "vorm", "geslacht", "aantal"),
            ("aantal",),
        ),
        TableDef(
            "slachtoffers_per_leeftijdsgroep",
            _("Slachtoffers per leeftijdsgroep"),
            ("jaar", "vorm", "leeftijdsgroep", "aantal"),
            ("aantal",),
            _("De leeftijd bij de eerste melding van dat jaar."),
        ),
        TableDef(
            "gemiddelde_leeftijd",
            _("Gemiddelde leeftijd"),
            ("jaar", "vorm", "gemiddelde"),
            (),
            _("Alleen slachtoffers van wie de leeftijd bekend is."),
        ),
        TableDef(
            "slachtoffers_per_nationaliteit",
            _("Slachtoffers per nationaliteit"),
            ("jaar", "nationaliteit", "aantal"),
            ("aantal",),
        ),
        TableDef(
            "slachtoffers_per_sector",
            _("Slachtoffers per sector"),
            ("jaar", "sector", "aantal"),
            ("aantal",),
            _(
                "Een slachtoffer telt mee bij elke sector die dat jaar genoemd is, en alleen bij "
                "‘onbekend’ als geen enkele melding een sector noemt."
            ),
        ),
        TableDef(
            "slachtoffers_lvb",
            _("Slachtoffers met een LVB-indicatie"),
            ("jaar", "vorm", "lvb_indicatie", "aantal"),
            ("aantal",),
            _(
                "‘Ja’ als een melding van dat jaar ja zegt; anders ‘nee’ als een melding nee "
                "zegt; anders onbekend."
            ),
        ),
        TableDef(
            "herhaalde_registratie",
            _("Opnieuw geregistreerd"),
            ("jaar", "termijn", "eerste_registraties", "opnieuw_geregistreerd", "aandeel"),
            ("eerste_registraties", "opnieuw_geregistreerd"),
            _(
                "Van de slachtoffers die in een jaar voor het eerst geregistreerd zijn: hoeveel "
                "er binnen 2, 5 of 7 jaar opnieuw geregistreerd zijn. Alleen als die jaren "
                "helemaal voorbij zijn."
            ),
        ),
    )
}


class MonitorParamError(ValueError):
    """Bad table id, years or disclosure; `errors` maps the parameter to a message."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def check_params(table_id, year_from, year_to, disclosure, *, today=None) -> tuple[int, int]:
    """Validate the parameters of a table; returns the years as integers."""
    today = today or datetime.date.today()
    errors = {}
    if table_id not in TABLES:
        errors["table"] = str(_("Onbekende tabel. Kies uit: %(ids)s.") % {"ids": ", ".join(TABLES)})
    if disclosure not in DISCLOSURE_MODES:
        errors["disclosure"] = str(_("Kies none, suppress10_round5 of round5."))
    years = {}
    for name, value in (("from", year_from), ("to", year_to)):
        try:
            year = int(str(value).strip())
        except (TypeError, ValueError):
            errors[name] = str(_("Vul een jaartal in, bijvoorbeeld 2020."))
            continue
        if not EARLIEST_YEAR <= year <= today.year:
            errors[name] = str(
                _("Kies een jaar van %(first)d tot en met %(last)d.")
                % {"first": EARLIEST_YEAR, "last": today.year}
            )
            continue
        years[name] = year
    if "from" in years and "to" in years:
        if years["from"] > years["to"]:
            errors["to"] = str(_("Het laatste jaar ligt voor het eerste jaar."))
        elif years["to"] - years["from"] >= MAX_SPAN:
            errors["to"] = str(_("Kies hoogstens %(n)d jaar.") % {"n": MAX_SPAN})
    if errors:
        raise MonitorParamError(errors)
    return years["from"], years["to"]


# -- disclosure control ---------------------------------------------------------------------------


def round5(value: int) -> int:
    """To the nearest multiple of 5 (integers never fall exactly halfway)."""
    return (value + 2) // 5 * 5


def disclose(value: int, mode: str):
    if mode == "none":
        return value
    if mode == "round5":
        return round5(value)
    if mode == "suppress10_round5":
        return SUPPRESSED if value < 10 else round5(value)
    raise ValueError(f"unknown disclosure '{mode}'")


def mean_text(total: int, count: int) -> str:
    """One decimal, rounded half up; empty without values."""
    if not count:
        return ""
    mean = (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(mean)


# -- SQL ------------------------------------------------------------------------------------------

FORM_FLAGS = tuple(FORM_FIELDS.values())  # form flag columns, in the order of the hierarchy


def _sql_parts() -> dict:
    data_contract = contract()
    table = connection.ops.quote_name(Melding._meta.db_table)
    sexual = [
        FORM_FIELDS[form] for form in data_contract.forms if form in data_contract.sexual_forms
    ]
    other = [
        FORM_FIELDS[form] for form in data_contract.forms if form not in data_contract.sexual_forms
    ]
    flags = ", ".join(f"MAX({field}) AS {field}" for field in FORM_FLAGS)
    hierarchy = " ".join(
        f"WHEN {FORM_FIELDS[form]} = 1 THEN '{form}'" for form in data_contract.forms[:-1]
    )
    excluded = (
        "nk = 0 AND ("
        + " OR ".join(f"{flag} = 1" for flag in sexual)
        + ") AND "
        + " AND ".join(f"{flag} = 0" for flag in other)
    )
    person_year = (
        f"SELECT year AS jaar, persoon_sleutel AS p, {flags}, "  # noqa: S608 - names from the model, values bound
        "MAX(CASE WHEN melder <> 'kmar' THEN 1 ELSE 0 END) AS nk, "
        "MAX(CASE WHEN sector <> '' THEN 1 ELSE 0 END) AS hs, "
        "MAX(CASE WHEN lvb_indicatie = 'ja' THEN 1 ELSE 0 END) AS lj, "
        "MAX(CASE WHEN lvb_indicatie = 'nee' THEN 1 ELSE 0 END) AS ln "
        f"FROM {table} WHERE year BETWEEN %s AND %s GROUP BY year, persoon_sleutel"
    )
    main = (
        f"SELECT jaar, p, {', '.join(FORM_FLAGS)}, hs, lj, ln, "  # noqa: S608 - names from the model, values bound
        f"CASE {hierarchy} ELSE '{UNKNOWN}' END AS vorm "
        f"FROM py WHERE NOT ({excluded})"
    )
    return {
        "table": table,
        "excluded": excluded,
        "hierarchy": f"CASE {hierarchy} ELSE '{UNKNOWN}' END",
        "with": f"WITH py AS ({person_year}), pm AS ({main})",
    }


def _annotated_with() -> str:
    """`WITH … m AS (…)`: the meldingen of the main series' persons, each carrying the person's
    hierarchical form of that year (`vorm`) and whether any of their meldingen names a sector
    (`hs`). Window functions instead of joins, so the plan does not depend on statistics."""
    parts = _sql_parts()
    person = "OVER (PARTITION BY year, persoon_sleutel)"
    flags = ", ".join(f"MAX({field}) {person} AS {field}" for field in FORM_FLAGS)
    return (
        "WITH w AS (SELECT id, melddatum, year AS jaar, persoon_sleutel AS p, melder, "  # noqa: S608 - names from the model, values bound
        f"politie_eenheid, sector, geslacht, leeftijd, nationaliteit, {flags}, "
        f"MAX(CASE WHEN melder <> 'kmar' THEN 1 ELSE 0 END) {person} AS nk, "
        f"MAX(CASE WHEN sector <> '' THEN 1 ELSE 0 END) {person} AS hs "
        f"FROM {parts['table']} WHERE year BETWEEN %s AND %s), "
        "m AS (SELECT id, melddatum, jaar, p, melder, politie_eenheid, sector, geslacht, "
        f"leeftijd, nationaliteit, hs, {parts['hierarchy']} AS vorm "
        f"FROM w WHERE NOT ({parts['excluded']}))"
    )


def _first_of_year(value: str, unknown: str | None) -> str:
    """One row per main-series person and year: `vorm` and the value of `value` in the person's
    first melding of the year (earliest date, then stored first). With `unknown`, the first
    melding whose value is not `unknown`, if there is one."""
    known_first = (
        f"CASE WHEN {value} = '{unknown}' THEN 1 ELSE 0 END, " if unknown is not None else ""
    )
    return (
        f"SELECT jaar, p, vorm, v FROM (SELECT jaar, p, vorm, {value} AS v, ROW_NUMBER() OVER ("  # noqa: S608 - names from the model
        f"PARTITION BY jaar, p ORDER BY {known_first}melddatum, id) AS r FROM m) ranked "
        "WHERE r = 1"
    )


def _query(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _age_group_case(column: str) -> str:
    data_contract = contract()
    whens = " ".join(
        f"WHEN {column} <= {code.extra['max']} THEN '{code.key}'"
        for code in data_contract.lists["leeftijdsgroepen"]
        if code.key != UNKNOWN
    )
    return f"CASE WHEN {column} IS NULL THEN '{UNKNOWN}' {whens} ELSE '{UNKNOWN}' END"


# -- raw counts per table: {(year, category, …): value} -------------------------------------------


def _victims_per_year(year_from, year_to) -> dict:
    parts = _sql_parts()
    flags = ", ".join(f"MAX({field}) AS {field}" for field in FORM_FLAGS)
    table = parts["table"]
    sql = (
        f"WITH py AS (SELECT year AS jaar, persoon_sleutel AS p, {flags}, "  # noqa: S608 - names from the model, values bound
        "MAX(CASE WHEN melder <> 'kmar' THEN 1 ELSE 0 END) AS nk "
        f"FROM {table} WHERE year BETWEEN %s AND %s GROUP BY year, persoon_sleutel) "
        f"SELECT jaar, COUNT(*), SUM(CASE WHEN {parts['excluded']} THEN 0 ELSE 1 END) "
        "FROM py GROUP BY jaar"
    )
    counts = {}
    for year, total, main in _query(sql, [year_from, year_to]):
        counts[(year, "exclusief_kmar_seksueel")] = int(main or 0)
        counts[(year, "inclusief_kmar_seksueel")] = int(total)
    return counts


def _victims_per_form(year_from, year_to) -> dict:
    parts = _sql_parts()
    sums = ", ".join(f"SUM({field})" for field in FORM_FLAGS)
    sql = f"{parts['with']} SELECT jaar, {sums} FROM pm GROUP BY jaar"  # noqa: S608 - names from the model, values bound
    counts = {}
    for year, *values in _query(sql, [year_from, year_to]):
        for form, value in zip(FORM_FIELDS, values, strict=True):
            counts[(year, form)] = int(value or 0)
    return counts


def _victims_per_reporter(year_from, year_to) -> dict:
    sql = (
        f"{_annotated_with()} SELECT jaar, melder, vorm, COUNT(DISTINCT p) FROM m "  # noqa: S608 - names from the model, values bound
        "GROUP BY jaar, melder, vorm"
    )
    return {
        (year, reporter, form): int(count)
        for year, reporter, form, count in _query(sql, [year_from, year_to])
    }


def _victims_per_police_unit(year_from, year_to) -> dict:
    sql = (
        f"{_annotated_with()} SELECT jaar, politie_eenheid, vorm, COUNT(DISTINCT p) FROM m "  # noqa: S608 - names from the model, values bound
        "WHERE melder = 'politie' AND politie_eenheid <> '' GROUP BY jaar, politie_eenheid, vorm"
    )
    return {
        (year, unit, form): int(count)
        for year, unit, form, count in _query(sql, [year_from, year_to])
    }


def _victims_per_sex(year_from, year_to) -> dict:
    sql = (
        f"{_annotated_with()} SELECT jaar, vorm, v, COUNT(*) FROM "  # noqa: S608 - names from the model, values bound
        f"({_first_of_year('geslacht', UNKNOWN)}) first GROUP BY jaar, vorm, v"
    )
    return {
        (year, form, group): int(count)
        for year, form, group, count in _query(sql, [year_from, year_to])
    }


def _victims_per_age_group(year_from, year_to) -> dict:
    group = _age_group_case("v")
    sql = (
        f"{_annotated_with()} SELECT jaar, vorm, {group} AS g, COUNT(*) FROM "  # noqa: S608 - names from the model, values bound
        f"({_first_of_year('leeftijd', None)}) first GROUP BY jaar, vorm, {group}"
    )
    return {
        (year, form, group): int(count)
        for year, form, group, count in _query(sql, [year_from, year_to])
    }


def _age_sums(year_from, year_to) -> dict:
    """{(year, form): (sum of known ages, how many are known)}, for the mean age."""
    sql = (
        f"{_annotated_with()} SELECT jaar, vorm, SUM(v), COUNT(v) FROM "  # noqa: S608 - names from the model, values bound
        f"({_first_of_year('leeftijd', None)}) first GROUP BY jaar, vorm"
    )
    return {
        (year, form): (int(total or 0), int(count))
        for year, form, total, count in _query(sql, [year_from, year_to])
    }


def _victims_per_nationality(year_from, year_to) -> dict:
    sql = (
        f"{_annotated_with()} SELECT jaar, v, COUNT(*) FROM "  # noqa: S608 - names from the model, values bound
        f"({_first_of_year('nationaliteit', '')}) first GROUP BY jaar, v"
    )
    return {
        (year, value or UNKNOWN): int(count)
        for year, value, count in _query(sql, [year_from, year_to])
    }


def _victims_per_sector(year_from, year_to) -> dict:
    sql = (
        f"{_annotated_with()} SELECT jaar, sector, COUNT(DISTINCT p) FROM m WHERE sector <> '' "  # noqa: S608 - names from the model, values bound
        f"GROUP BY jaar, sector UNION ALL SELECT jaar, '{UNKNOWN}', COUNT(DISTINCT p) FROM m "
        "WHERE hs = 0 GROUP BY jaar"
    )
    return {(year, sector): int(count) for year, sector, count in _query(sql, [year_from, year_to])}


def _victims_per_lvb_indication(year_from, year_to) -> dict:
    parts = _sql_parts()
    category = f"CASE WHEN lj = 1 THEN 'ja' WHEN ln = 1 THEN 'nee' ELSE '{UNKNOWN}' END"
    sql = (
        f"{parts['with']} SELECT jaar, vorm, {category}, COUNT(*) FROM pm "  # noqa: S608 - names from the model, values bound
        f"GROUP BY jaar, vorm, {category}"
    )
    return {
        (year, form, value): int(count)
        for year, form, value, count in _query(sql, [year_from, year_to])
    }


def last_complete_year(today: datetime.date | None = None) -> int:
    """The last calendar year that is over: follow-up up to it is complete."""
    today = today or datetime.date.today()
    return today.year - 1


def _registered_again(year_from, year_to, until) -> dict:
    """{cohort year: (cohort size, {k: registered again within k years})}.

    Cohorts are the years `year_from`..`year_to`; follow-up may look past `year_to`, up to
    `until`. Written
    without joins (a window for the first year, then aggregates), so the plan does not depend
    on the planner's estimates.
    """
    parts = _sql_parts()
    flags = ", ".join(f"MAX({field}) AS {field}" for field in FORM_FLAGS)
    within = ", ".join(
        f"SUM(CASE WHEN j1 - j0 <= {term} THEN 1 ELSE 0 END)" for term in FOLLOW_UP_YEARS
    )
    sql = (
        f"WITH py AS (SELECT year AS jaar, persoon_sleutel AS p, {flags}, "  # noqa: S608 - names from the model, values bound
        "MAX(CASE WHEN melder <> 'kmar' THEN 1 ELSE 0 END) AS nk "
        f"FROM {parts['table']} WHERE year <= %s GROUP BY year, persoon_sleutel), "
        f"ranked AS (SELECT p, jaar, CASE WHEN {parts['excluded']} THEN 0 ELSE 1 END AS main, "
        "MIN(jaar) OVER (PARTITION BY p) AS j0 FROM py), "
        "person AS (SELECT p, j0, MAX(CASE WHEN jaar = j0 AND main = 1 THEN 1 ELSE 0 END) AS c, "
        "MIN(CASE WHEN jaar > j0 AND main = 1 THEN jaar END) AS j1 "
        "FROM ranked WHERE j0 BETWEEN %s AND %s GROUP BY p, j0) "
        f"SELECT j0, COUNT(*), {within} FROM person WHERE c = 1 GROUP BY j0"
    )
    result = {}
    for first_year, size, *again in _query(sql, [max(year_to, until), year_from, year_to]):
        result[first_year] = (
            int(size),
            {term: int(count or 0) for term, count in zip(FOLLOW_UP_YEARS, again, strict=True)},
        )
    return result


# -- rows ------------------------------------------------------------------------------------------


def categories(name: str) -> tuple[str, ...]:
    data_contract = contract()
    return {
        "reeks": data_contract.keys("reeksen"),
        "uitbuitingsvorm": data_contract.forms,
        "vorm": data_contract.forms,
        "melder": data_contract.keys("melders"),
        "politie_eenheid": data_contract.keys("politie_eenheden"),
        "geslacht": data_contract.keys("geslachten"),
        "leeftijdsgroep": data_contract.keys("leeftijdsgroepen"),
        "lvb_indicatie": data_contract.keys("lvb_indicaties"),
    }[name]


def _observed(counts: dict, order: tuple[str, ...] | None) -> tuple[str, ...]:
    """The observed values of the second key part: in contract order (or by code), unknown last."""
    seen = {key[1] for key, value in counts.items() if value}
    if order is not None:
        known = [value for value in order if value in seen and value != UNKNOWN]
    else:
        known = sorted(value for value in seen if value != UNKNOWN)
    return tuple(known + ([UNKNOWN] if UNKNOWN in seen else []))


def _count_rows(table: TableDef, years, counts: dict, dims: list[tuple[str, ...]]) -> list[dict]:
    """One row per year and combination of the categories in `dims`, zeros included."""
    names = table.columns[1:-1]
    combos = [()]
    for values in dims:
        combos = [(*combo, value) for combo in combos for value in values]
    return [
        {
            "jaar": year,
            **dict(zip(names, combo, strict=True)),
            "aantal": counts.get((year, *combo), 0),
        }
        for year in years
        for combo in combos
    ]


def raw_rows(table_id: str, year_from: int, year_to: int, *, today=None) -> list[dict]:
    """The table's rows before disclosure control: counts as integers."""
    table = TABLES[table_id]
    years = range(year_from, year_to + 1)
    forms = categories("vorm")
    if table_id == "slachtoffers_per_jaar":
        return _count_rows(
            table, years, _victims_per_year(year_from, year_to), [categories("reeks")]
        )
    if table_id == "slachtoffers_per_vorm":
        return _count_rows(table, years, _victims_per_form(year_from, year_to), [forms])
    if table_id == "meldingen_per_melder":
        return _count_rows(
            table, years, _victims_per_reporter(year_from, year_to), [categories("melder"), forms]
        )
    if table_id == "meldingen_per_politie_eenheid":
        units = categories("politie_eenheid")
        return _count_rows(
            table, years, _victims_per_police_unit(year_from, year_to), [units, forms]
        )
    if table_id == "slachtoffers_per_geslacht":
        return _count_rows(
            table, years, _victims_per_sex(year_from, year_to), [forms, categories("geslacht")]
        )
    if table_id == "slachtoffers_per_leeftijdsgroep":
        counts = _victims_per_age_group(year_from, year_to)
        return _count_rows(table, years, counts, [forms, categories("leeftijdsgroep")])
    if table_id == "gemiddelde_leeftijd":
        sums = _age_sums(year_from, year_to)
        return [
            {"jaar": year, "vorm": form, "gemiddelde": mean_text(*sums.get((year, form), (0, 0)))}
            for year in years
            for form in forms
        ]
    if table_id == "slachtoffers_per_nationaliteit":
        counts = _victims_per_nationality(year_from, year_to)
        return _count_rows(table, years, counts, [_observed(counts, None)])
    if table_id == "slachtoffers_per_sector":
        counts = _victims_per_sector(year_from, year_to)
        return _count_rows(table, years, counts, [_observed(counts, contract().keys("sectoren"))])
    if table_id == "slachtoffers_lvb":
        return _count_rows(
            table,
            years,
            _victims_per_lvb_indication(year_from, year_to),
            [forms, categories("lvb_indicatie")],
        )
    if table_id == "herhaalde_registratie":
        until = last_complete_year(today)
        return _registered_again_rows(years, _registered_again(year_from, year_to, until), until)
    raise KeyError(table_id)


def _registered_again_rows(years, cohorts: dict, complete_until: int) -> list[dict]:
    rows = []
    for year in years:
        size, again = cohorts.get(year, (0, {}))
        for term in FOLLOW_UP_YEARS:
            complete = year + term <= complete_until
            rows.append(
                {
                    "jaar": year,
                    "termijn": term,
                    "eerste_registraties": size,
                    "opnieuw_geregistreerd": again.get(term, 0) if complete else None,
                    "aandeel": None,
                }
            )
    return rows


def _share(again, size) -> str:
    if again is None or isinstance(again, str) or isinstance(size, str) or not size:
        return ""
    return str((Decimal(100 * again) / Decimal(size)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def apply_disclosure(table_id: str, rows: list[dict], mode: str) -> list[dict]:
    """A copy of `rows` with disclosure control on the count columns.

    The share of `herhaalde_registratie` is computed from the published counts, so it never
    tells more than they do (and is empty when one of them is suppressed).
    """
    table = TABLES[table_id]
    result = []
    for row in rows:
        out = dict(row)
        for column in table.counts:
            if out[column] is not None:
                out[column] = disclose(out[column], mode)
        if table_id == "herhaalde_registratie":
            out["aandeel"] = _share(out["opnieuw_geregistreerd"], out["eerste_registraties"])
        result.append(out)
    return result


def table_rows(table_id, year_from, year_to, disclosure, *, today=None) -> list[dict]:
    """The rows of a table as published: checked parameters, disclosure control applied."""
    first, last = check_params(table_id, year_from, year_to, disclosure, today=today)
    return apply_disclosure(table_id, raw_rows(table_id, first, last, today=today), disclosure)


def cell_text(value) -> str:
    """A cell as CSV text: integers as digits, missing values empty."""
    if value is None:
        return ""
    return str(value)
