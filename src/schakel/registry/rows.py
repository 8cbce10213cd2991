"""One melding as the contract's columns: check a row, and write one back.

The web form, the API and the CSV import all pass their input through `validate_row`, so a
melding is held to the same rules whichever way it arrives. Each problem names the column and
a rule code (stable, for machines and tests) and a message in plain words.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .contract import UNKNOWN, contract
from .models import FORM_FIELDS, Melding

MELDING_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE_NUMBER = re.compile(r"\d{1,3}")
KEY_MIN, KEY_MAX = 8, 128
AGE_MAX = 110
FORM_SEPARATOR = "|"


@dataclass(frozen=True)
class RowError:
    column: str
    rule: str
    message: str
    line: int | None = None

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"regel {self.line}, " if self.line is not None else ""
        column = f"kolom {self.column}, " if self.column else ""
        return f"{where}{column}regel '{self.rule}': {self.message}"


@dataclass(frozen=True)
class MeldingValues:
    """A valid melding, typed. `forms` is in the order of the hierarchy."""

    melding_id: str
    melddatum: datetime.date
    persoon_sleutel: str
    melder: str
    politie_eenheid: str
    grondslag: str
    toestemming_door: str
    forms: tuple[str, ...]
    sector: str
    geslacht: str
    leeftijd: int | None
    nationaliteit: str
    lvb_indicatie: str

    def model_fields(self) -> dict:
        values = {
            name: getattr(self, name)
            for name in (
                "melding_id",
                "melddatum",
                "persoon_sleutel",
                "melder",
                "politie_eenheid",
                "grondslag",
                "toestemming_door",
                "sector",
                "geslacht",
                "leeftijd",
                "nationaliteit",
                "lvb_indicatie",
            )
        }
        for form, field in FORM_FIELDS.items():
            values[field] = 1 if form in self.forms else 0
        values["year"] = self.melddatum.year
        return values

    def as_row(self) -> dict[str, str]:
        """The contract's columns as text, as the export writes them."""
        return {
            "melding_id": self.melding_id,
            "melddatum": self.melddatum.isoformat(),
            "persoon_sleutel": self.persoon_sleutel,
            "melder": self.melder,
            "politie_eenheid": self.politie_eenheid,
            "grondslag": self.grondslag,
            "toestemming_door": self.toestemming_door,
            "uitbuitingsvormen": FORM_SEPARATOR.join(self.forms),
            "sector": self.sector,
            "geslacht": self.geslacht,
            "leeftijd": "" if self.leeftijd is None else str(self.leeftijd),
            "nationaliteit": self.nationaliteit,
            "lvb_indicatie": self.lvb_indicatie,
        }


def values_of(melding: Melding | dict) -> MeldingValues:
    """The contract values of a stored melding (a model or a `.values()` dict)."""
    get = melding.get if isinstance(melding, dict) else lambda name: getattr(melding, name)
    return MeldingValues(
        melding_id=get("melding_id"),
        melddatum=get("melddatum"),
        persoon_sleutel=get("persoon_sleutel"),
        melder=get("melder"),
        politie_eenheid=get("politie_eenheid"),
        grondslag=get("grondslag"),
        toestemming_door=get("toestemming_door"),
        forms=tuple(form for form, field in FORM_FIELDS.items() if get(field)),
        sector=get("sector"),
        geslacht=get("geslacht"),
        leeftijd=get("leeftijd"),
        nationaliteit=get("nationaliteit"),
        lvb_indicatie=get("lvb_indicatie"),
    )


# Only these columns are read from the database to compare a row with a stored melding.
STORED_FIELDS = (
    "melding_id",
    "melddatum",
    "persoon_sleutel",
    "melder",
    "politie_eenheid",
    "grondslag",
    "toestemming_door",
    *FORM_FIELDS.values(),
    "sector",
    "geslacht",
    "leeftijd",
    "nationaliteit",
    "lvb_indicatie",
)


def _choice(value, allowed, column, errors) -> str:
    if value not in allowed:
        errors.append(
            RowError(
                column,
                "choice",
                _("'%(value)s' is geen geldige waarde. Kies uit: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
        )
    return value


def _required(row: dict, column: str, errors: list) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        errors.append(RowError(column, "required", _("Dit veld is verplicht.")))
    return value


def _melding_id(row, errors) -> str:
    value = _required(row, "melding_id", errors)
    if value and not MELDING_ID.fullmatch(value):
        errors.append(
            RowError(
                "melding_id",
                "format",
                _(
                    "Gebruik 1 tot 64 tekens: letters, cijfers, punt, liggend streepje of "
                    "onderstrepingsteken."
                ),
            )
        )
    return value


def _melddatum(row, errors, today: datetime.date) -> datetime.date | None:
    value = _required(row, "melddatum", errors)
    if not value:
        return None
    if not ISO_DATE.fullmatch(value):
        errors.append(
            RowError(
                "melddatum",
                "format",
                _("Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2024-03-14."),
            )
        )
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(RowError("melddatum", "date", _("Deze datum bestaat niet.")))
        return None
    if day > today:
        errors.append(RowError("melddatum", "future", _("De melddatum ligt in de toekomst.")))
    return day


def _persoon_sleutel(row, errors) -> str:
    value = _required(row, "persoon_sleutel", errors)
    if value and not KEY_MIN <= len(value) <= KEY_MAX:
        errors.append(
            RowError(
                "persoon_sleutel",
                "length",
                _("De sleutel heeft %(min)d tot %(max)d tekens.")
                % {"min": KEY_MIN, "max": KEY_MAX},
            )
        )
    return value


def _forms(row, errors) -> tuple[str, ...]:
    value = _required(row, "uitbuitingsvormen", errors)
    if not value:
        return ()
    known = contract().forms
    parts = [part.strip() for part in value.split(FORM_SEPARATOR)]
    problems = False
    for part in parts:
        if part not in known:
            _choice(part, known, "uitbuitingsvormen", errors)
            problems = True
    if len(set(parts)) != len(parts):
        errors.append(
            RowError("uitbuitingsvormen", "duplicate_value", _("Noem elke vorm maar één keer."))
        )
        problems = True
    if UNKNOWN in parts and len(parts) > 1:
        errors.append(
            RowError(
                "uitbuitingsvormen",
                "onbekend_alone",
                _("'onbekend' staat altijd alleen, zonder andere vormen."),
            )
        )
        problems = True
    if problems:
        return ()
    return tuple(form for form in known if form in parts)


def _melder_and_basis(row, errors) -> tuple[str, str, str, str]:
    c = contract()
    melder = _required(row, "melder", errors)
    if melder:
        _choice(melder, c.keys("melders"), "melder", errors)
    unit = (row.get("politie_eenheid") or "").strip()
    if melder == "politie":
        if not unit:
            errors.append(
                RowError(
                    "politie_eenheid",
                    "politie_eenheid_required",
                    _("Vul de politie-eenheid in: de melder is de politie."),
                )
            )
        else:
            _choice(unit, c.keys("politie_eenheden"), "politie_eenheid", errors)
    elif unit and melder in c.keys("melders"):
        errors.append(
            RowError(
                "politie_eenheid",
                "politie_eenheid_not_allowed",
                _("Laat de politie-eenheid leeg: de melder is niet de politie."),
            )
        )
    basis = _required(row, "grondslag", errors)
    if basis:
        _choice(basis, c.keys("grondslagen"), "grondslag", errors)
    if (
        basis == "wettelijke_taak"
        and melder in c.keys("melders")
        and melder not in c.legal_task_melders
    ):
        errors.append(
            RowError(
                "grondslag",
                "grondslag_melder",
                _(
                    "Alleen politie, KMar en Inspectie SZW melden op grond van een wettelijke "
                    "taak. Deze melder heeft toestemming nodig."
                ),
            )
        )
    given_by = (row.get("toestemming_door") or "").strip()
    if basis == "toestemming":
        if not given_by:
            errors.append(
                RowError(
                    "toestemming_door",
                    "toestemming_door_required",
                    _("Vul in wie toestemming gaf: de persoon zelf of een ouder of voogd."),
                )
            )
        else:
            _choice(given_by, c.keys("toestemming_door"), "toestemming_door", errors)
    elif given_by and basis:
        errors.append(
            RowError(
                "toestemming_door",
                "toestemming_door_not_allowed",
                _("Laat dit leeg: de melding gebeurt op grond van een wettelijke taak."),
            )
        )
    return melder, unit, basis, given_by


def _sector(row, forms, errors) -> str:
    c = contract()
    value = (row.get("sector") or "").strip()
    if not value:
        return ""
    if value not in c.keys("sectoren"):
        _choice(value, c.keys("sectoren"), "sector", errors)
        return value
    if forms and not any(value in c.sectors_of_form(form) for form in forms):
        errors.append(
            RowError(
                "sector",
                "sector_form",
                _("Deze sector hoort niet bij de uitbuitingsvorm(en) van de melding."),
            )
        )
    return value


def _leeftijd(row, errors) -> int | None:
    value = (row.get("leeftijd") or "").strip()
    if not value:
        return None
    if not WHOLE_NUMBER.fullmatch(value):
        errors.append(RowError("leeftijd", "format", _("Vul een heel getal in, of laat het leeg.")))
        return None
    age = int(value)
    if age > AGE_MAX:
        errors.append(
            RowError(
                "leeftijd", "range", _("De leeftijd ligt tussen 0 en %(max)d.") % {"max": AGE_MAX}
            )
        )
    return age


def _nationaliteit(row, errors) -> str:
    value = (row.get("nationaliteit") or "").strip()
    if value and value not in contract().countries:
        errors.append(
            RowError(
                "nationaliteit",
                "country",
                _("'%(value)s' is geen landcode volgens ISO 3166-1 (twee hoofdletters, zoals NL).")
                % {"value": value},
            )
        )
    return value


def validate_row(row: dict, *, today: datetime.date) -> tuple[MeldingValues | None, list[RowError]]:
    """Check one row (column name → text). Returns the typed values, or None and the errors."""
    c = contract()
    errors: list[RowError] = []
    melding_id = _melding_id(row, errors)
    melddatum = _melddatum(row, errors, today)
    key = _persoon_sleutel(row, errors)
    melder, unit, basis, given_by = _melder_and_basis(row, errors)
    forms = _forms(row, errors)
    sector = _sector(row, forms, errors)
    geslacht = _required(row, "geslacht", errors)
    if geslacht:
        _choice(geslacht, c.keys("geslachten"), "geslacht", errors)
    leeftijd = _leeftijd(row, errors)
    nationaliteit = _nationaliteit(row, errors)
    lvb = (row.get("lvb_indicatie") or "").strip() or UNKNOWN
    _choice(lvb, c.keys("lvb_indicaties"), "lvb_indicatie", errors)
    if errors:
        return None, errors
    return (
        MeldingValues(
            melding_id=melding_id,
            melddatum=melddatum,
            persoon_sleutel=key,
            melder=melder,
            politie_eenheid=unit,
            grondslag=basis,
            toestemming_door=given_by,
            forms=forms,
            sector=sector,
            geslacht=geslacht,
            leeftijd=leeftijd,
            nationaliteit=nationaliteit,
            lvb_indicatie=lvb,
        ),
        [],
    )
