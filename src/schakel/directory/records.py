"""The wegwijzer's data format: one definition of every field, used by the seed file, the YAML
and CSV import and export, and the edit forms (through the services).

A *record* is a plain dict of field values. `clean_provider` and `clean_offer` check one record
and return the cleaned values and a dict {field: message}; nothing here touches the database
except the look-up of municipality and safety-region codes.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext as _

from .models import Acceptance, Form, Gender, Municipality, Need, SafetyRegion, Scope, Setting

FORMAT = "schakel-wegwijzer/1"
LIST_SEPARATOR = " | "
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
PHONE_RE = re.compile(r"^[0-9+() \-–]{3,60}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")

TEXT, LONGTEXT, BOOL, NULLBOOL, INT, LIST, CHOICE, CHOICES, DATETIME = (
    "text",
    "longtext",
    "bool",
    "nullbool",
    "int",
    "list",
    "choice",
    "choices",
    "datetime",
)


@dataclass(frozen=True)
class Spec:
    kind: str
    required: bool = False
    max_length: int = 0
    choices: tuple = ()
    bounds: tuple = (0, 0)
    default: object = None


PROVIDER_SPECS: dict[str, Spec] = {
    "key": Spec(TEXT, required=True, max_length=80),
    "name": Spec(TEXT, required=True, max_length=300),
    "kind": Spec(TEXT, max_length=200, default=""),
    "description": Spec(LONGTEXT, default=""),
    "area_note": Spec(TEXT, max_length=300, default=""),
    "phone": Spec(TEXT, max_length=60, default=""),
    "email": Spec(TEXT, max_length=200, default=""),
    "url": Spec(TEXT, max_length=500, default=""),
    "hours": Spec(TEXT, max_length=300, default=""),
    "available_24_7": Spec(BOOL, default=False),
    "contact_note": Spec(LONGTEXT, default=""),
    "sources": Spec(LIST, default=()),
    "is_active": Spec(BOOL, default=True),
}

CAPACITY_FIELDS = ("places", "free_places", "waiting_weeks", "capacity_updated_at")

OFFER_SPECS: dict[str, Spec] = {
    "key": Spec(TEXT, required=True, max_length=80),
    "provider": Spec(TEXT, max_length=80, default=""),
    "name": Spec(TEXT, required=True, max_length=300),
    "kind": Spec(TEXT, max_length=200, default=""),
    "description": Spec(LONGTEXT, default=""),
    "services": Spec(CHOICES, required=True, choices=tuple(Need.values), default=()),
    "forms": Spec(CHOICES, choices=tuple(Form.values), default=()),
    "age_min": Spec(INT, bounds=(0, 120)),
    "age_max": Spec(INT, bounds=(0, 120)),
    "genders": Spec(CHOICES, choices=tuple(Gender.values), default=()),
    "lvb": Spec(CHOICE, choices=tuple(Acceptance.values), default=""),
    "iq_min": Spec(INT, bounds=(30, 160)),
    "iq_max": Spec(INT, bounds=(30, 160)),
    "ggz": Spec(CHOICE, choices=tuple(Acceptance.values), default=""),
    "addiction": Spec(CHOICE, choices=tuple(Acceptance.values), default=""),
    "perpetrators": Spec(NULLBOOL),
    "with_children": Spec(NULLBOOL),
    "target_note": Spec(LONGTEXT, default=""),
    "settings": Spec(CHOICES, choices=tuple(Setting.values), default=()),
    "scope": Spec(CHOICE, choices=tuple(Scope.values), default=""),
    "municipalities": Spec(LIST, default=()),
    "safety_regions": Spec(LIST, default=()),
    "provinces": Spec(LIST, default=()),
    "area_note": Spec(TEXT, max_length=300, default=""),
    "phone": Spec(TEXT, max_length=60, default=""),
    "email": Spec(TEXT, max_length=200, default=""),
    "url": Spec(TEXT, max_length=500, default=""),
    "hours": Spec(TEXT, max_length=300, default=""),
    "available_24_7": Spec(BOOL, default=False),
    "contact_note": Spec(LONGTEXT, default=""),
    "languages": Spec(LIST, default=()),
    "contra_indications": Spec(LIST, default=()),
    "sources": Spec(LIST, default=()),
    "is_active": Spec(BOOL, default=True),
    # capacity: only written when the record holds these fields (the seed file does not)
    "places": Spec(INT, bounds=(0, 100000)),
    "free_places": Spec(INT, bounds=(0, 100000)),
    "waiting_weeks": Spec(INT, bounds=(0, 520)),
    "capacity_updated_at": Spec(DATETIME),
}

_TRUE = {"true", "ja", "yes", "1", "waar"}
_FALSE = {"false", "nee", "no", "0", "onwaar"}


@dataclass
class RecordError:
    line: int
    record: str  # "provider" or "offer"
    key: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "record"
        key = f" ({self.record} {self.key})" if self.key else f" ({self.record})"
        return f"{where}{key}: {self.field}: {self.message}"


class ImportFailed(Exception):
    """The file has errors; nothing was changed. `errors` is a list of RecordError."""

    def __init__(self, errors: list[RecordError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Record:
    kind: str  # "provider" or "offer"
    line: int
    values: dict
    field_lines: dict = field(default_factory=dict)


# -- reference data --------------------------------------------------------------------------


class Geography:
    """Codes and names of municipalities, safety regions and provinces (read once)."""

    def __init__(self):
        rows = Municipality.objects.filter(is_active=True).values_list(
            "code", "name", "province", "safety_region__code"
        )
        self.municipalities = {code: (name, prov, vr) for code, name, prov, vr in rows}
        self.regions = dict(SafetyRegion.objects.values_list("code", "name"))
        self.provinces = sorted({prov for _, prov, _ in self.municipalities.values()})


# -- cleaning one value ------------------------------------------------------------------------


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(_("verwacht tekst"))
    return value.strip()


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    if isinstance(value, list | tuple):
        items = []
        for item in value:
            if not isinstance(item, str | int):
                raise ValueError(_("verwacht een lijst met teksten"))
            if str(item).strip():
                items.append(str(item).strip())
        return items
    raise ValueError(_("verwacht een lijst"))


def _clean_value(spec: Spec, value):  # noqa: C901 - to be split
    if spec.kind in (TEXT, LONGTEXT):
        text = _as_text(value)
        if spec.max_length and len(text) > spec.max_length:
            raise ValueError(_("te lang (ten hoogste %(n)s tekens)") % {"n": spec.max_length})
        return text
    if spec.kind in (BOOL, NULLBOOL):
        if value is None or value == "":
            return spec.default if spec.kind == BOOL else None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("kies ja of nee"))
    if spec.kind == INT:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ValueError(_("verwacht een heel getal"))
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError(_("verwacht een heel getal")) from None
        low, high = spec.bounds
        if not low <= number <= high:
            raise ValueError(
                _("moet tussen %(low)s en %(high)s liggen") % {"low": low, "high": high}
            )
        return number
    if spec.kind == CHOICE:
        text = _as_text(value)
        if text not in spec.choices:
            raise ValueError(
                _("onbekende waarde '%(value)s'; kies uit: %(choices)s")
                % {"value": text, "choices": ", ".join(c for c in spec.choices if c) + ", (leeg)"}
            )
        return text
    if spec.kind == CHOICES:
        items = _as_list(value)
        unknown = [i for i in items if i not in spec.choices]
        if unknown:
            raise ValueError(
                _("onbekende waarde(n) %(values)s; kies uit: %(choices)s")
                % {"values": ", ".join(unknown), "choices": ", ".join(spec.choices)}
            )
        return list(dict.fromkeys(items))
    if spec.kind == LIST:
        return _as_list(value)
    if spec.kind == DATETIME:
        if value is None or value == "":
            return None
        moment = value if isinstance(value, datetime) else parse_datetime(str(value).strip())
        if moment is None:
            raise ValueError(_("verwacht een datum en tijd (ISO 8601)"))
        return make_aware(moment) if is_naive(moment) else moment
    raise AssertionError(spec.kind)


def _clean(specs: dict[str, Spec], raw: dict) -> tuple[dict, dict[str, str]]:
    values, errors = {}, {}
    unknown = [name for name in raw if name not in specs and name != "record"]
    for name in unknown:
        errors[name] = _("onbekend veld")
    for name, spec in specs.items():
        if name not in raw:
            continue
        try:
            values[name] = _clean_value(spec, raw[name])
        except ValueError as error:
            errors[name] = str(error)
            continue
        if spec.required and values[name] in ("", [], None):
            errors[name] = _("is verplicht")
    for name, spec in specs.items():
        if spec.required and name not in raw and name not in errors:
            errors[name] = _("is verplicht")
    return values, errors


def _check_contact(values: dict, errors: dict) -> None:
    key = values.get("key")
    if key is not None and "key" not in errors and not KEY_RE.match(key):
        errors["key"] = _("alleen kleine letters, cijfers, - en _ (ten hoogste 80 tekens)")
    if values.get("phone") and not PHONE_RE.match(values["phone"]):
        errors["phone"] = _("een telefoonnummer bevat alleen cijfers, spaties, + ( ) en streepjes")
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = _("geen geldig e-mailadres")
    if values.get("url") and (" " in values["url"] or "." not in values["url"]):
        errors["url"] = _("geen geldig webadres")


def clean_provider(raw: dict) -> tuple[dict, dict[str, str]]:
    values, errors = _clean(PROVIDER_SPECS, raw)
    _check_contact(values, errors)
    return values, errors


def clean_offer(raw: dict, geography: Geography) -> tuple[dict, dict[str, str]]:
    values, errors = _clean(OFFER_SPECS, raw)
    _check_contact(values, errors)
    for low, high, label in (
        ("age_min", "age_max", _("leeftijd")),
        ("iq_min", "iq_max", _("IQ")),
    ):
        a, b = values.get(low), values.get(high)
        if a is not None and b is not None and a > b and high not in errors:
            errors[high] = _("%(label)s tot en met (%(high)s) is lager dan vanaf (%(low)s)") % {
                "label": label,
                "high": b,
                "low": a,
            }
    places, free = values.get("places"), values.get("free_places")
    if places is not None and free is not None and free > places and "free_places" not in errors:
        errors["free_places"] = _("meer vrije plaatsen (%(free)s) dan plaatsen (%(places)s)") % {
            "free": free,
            "places": places,
        }
    for name, known, label in (
        ("municipalities", geography.municipalities, _("gemeentecode")),
        ("safety_regions", geography.regions, _("veiligheidsregiocode")),
        ("provinces", set(geography.provinces), _("provincie")),
    ):
        unknown = [v for v in values.get(name, []) if v not in known]
        if unknown and name not in errors:
            errors[name] = _("onbekende %(label)s: %(values)s") % {
                "label": label,
                "values": ", ".join(unknown),
            }
    has_area = any(values.get(n) for n in ("municipalities", "safety_regions", "provinces"))
    scope = values.get("scope", "")
    if has_area and scope != Scope.REGIONAL and "scope" not in errors:
        errors["scope"] = _(
            "kies 'regional' als er gemeenten, regio's of provincies zijn opgegeven"
        )
    if values.get("languages") and "languages" not in errors:
        wrong = [v for v in values["languages"] if not LANGUAGE_RE.match(v)]
        if wrong:
            errors["languages"] = _("gebruik taalcodes zoals nl, en, ar: %(values)s") % {
                "values": ", ".join(wrong)
            }
    return values, errors


def record_of(obj, specs: dict[str, Spec]) -> dict:
    """The stored values of a provider or offer in the shape of the data format."""
    record = {name: getattr(obj, name) for name in specs if name != "provider"}
    if "provider" in specs:
        record["provider"] = obj.provider.key if obj.provider else ""
    return record


# -- reading files -----------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping and of each of its keys."""


def _construct_mapping(loader, node, deep=False):
    mapping = LineDict(yaml.SafeLoader.construct_mapping(loader, node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _v in node.value}
    return mapping


class LineDict(dict):
    line = 0
    key_lines: dict = {}  # noqa: RUF012 - replaced per instance


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _file_error(line: int, message: str) -> ImportFailed:
    return ImportFailed([RecordError(line, "file", "", "file", message)])


def read_yaml(text: str) -> list[Record]:
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _file_error(mark.line + 1 if mark else 0, f"YAML: {error}") from error
    if not isinstance(document, dict):
        raise _file_error(1, _("verwacht een mapping met 'providers' en 'offers'"))
    if document.get("format", FORMAT) != FORMAT:
        raise _file_error(
            getattr(document, "key_lines", {}).get("format", 1),
            _("onbekend formaat %(format)s; verwacht %(expected)s")
            % {"format": document.get("format"), "expected": FORMAT},
        )
    records = []
    for section, kind in (("providers", "provider"), ("offers", "offer")):
        items = document.get(section) or []
        if not isinstance(items, list):
            raise _file_error(document.key_lines.get(section, 1), _("verwacht een lijst"))
        for item in items:
            if not isinstance(item, dict):
                raise _file_error(document.key_lines.get(section, 1), _("verwacht een mapping"))
            records.append(
                Record(kind, getattr(item, "line", 0), dict(item), getattr(item, "key_lines", {}))
            )
    return records


CSV_COLUMNS = ["record", *dict.fromkeys([*PROVIDER_SPECS, *OFFER_SPECS])]


def read_csv(text: str) -> list[Record]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = reader.fieldnames or []
    if "record" not in columns:
        raise _file_error(1, _("de kolom 'record' ontbreekt (provider of offer)"))
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        raise _file_error(
            1, _("onbekende kolom(men): %(columns)s") % {"columns": ", ".join(unknown)}
        )
    records = []
    for row in reader:
        line = reader.line_num
        kind = (row.pop("record") or "").strip()
        if kind not in ("provider", "offer"):
            raise ImportFailed([RecordError(line, "?", "", "record", _("kies provider of offer"))])
        specs = PROVIDER_SPECS if kind == "provider" else OFFER_SPECS
        values = {}
        for name, value in row.items():
            if name is None:
                raise ImportFailed(
                    [RecordError(line, kind, "", "record", _("meer waarden dan kolommen"))]
                )
            if name not in specs:
                if value not in ("", None):
                    values[name] = value  # reported as an unknown field for this kind
                continue
            if name in CAPACITY_FIELDS and value in ("", None):
                continue  # an empty capacity cell leaves the capacity as it is
            values[name] = value
        records.append(Record(kind, line, values))
    return records


# -- writing files -----------------------------------------------------------------------------


def _export_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def write_yaml(providers: list[dict], offers: list[dict]) -> str:
    def compact(record: dict, specs: dict[str, Spec]) -> dict:
        out = {}
        for name in specs:
            value = _export_value(record.get(name))
            if value in (None, "", [], ()) and not specs[name].required:
                continue
            if name == "is_active" and value is True:
                continue
            if name == "available_24_7" and value is False:
                continue
            out[name] = value
        return out

    document = {
        "format": FORMAT,
        "providers": [compact(p, PROVIDER_SPECS) for p in providers],
        "offers": [compact(o, OFFER_SPECS) for o in offers],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def _csv_cell(value) -> str:
    value = _export_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def write_csv(providers: list[dict], offers: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for kind, records, specs in (
        ("provider", providers, PROVIDER_SPECS),
        ("offer", offers, OFFER_SPECS),
    ):
        for record in records:
            row = {"record": kind}
            row.update({name: _csv_cell(record.get(name)) for name in specs})
            writer.writerow(row)
    return buffer.getvalue()
