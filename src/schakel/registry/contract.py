"""The registration contract's code lists, loaded from data/contract.yaml and data/landen.csv.

Everything that names a column or a value of the contract reads it from here: the row validation,
the form and API choices, the monitor's categories and the labels on the pages.
"""

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
CONTRACT_FILE = DATA_DIR / "contract.yaml"
COUNTRIES_FILE = DATA_DIR / "landen.csv"

EXPECTED_COLUMNS = (
    "melding_id",
    "melddatum",
    "persoon_sleutel",
    "melder",
    "politie_eenheid",
    "grondslag",
    "toestemming_door",
    "uitbuitingsvormen",
    "sector",
    "geslacht",
    "leeftijd",
    "nationaliteit",
    "lvb_indicatie",
)
LISTS = (
    "melders",
    "politie_eenheden",
    "grondslagen",
    "toestemming_door",
    "uitbuitingsvormen",
    "sectoren",
    "geslachten",
    "lvb_indicaties",
    "leeftijdsgroepen",
    "reeksen",
)
UNKNOWN = "onbekend"
# Keys are written into SQL by the monitor and into CSV files: keep them plain.
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
# The model keeps one flag per form (registry.models.FORM_FIELDS), so the keys are fixed here.
EXPECTED_FORMS = (
    "binnenlandse_seksuele_uitbuiting",
    "grensoverschrijdende_seksuele_uitbuiting",
    "arbeidsuitbuiting",
    "criminele_uitbuiting",
    "gedwongen_orgaanverwijdering",
    "onbekend",
)


class ContractError(ValueError):
    """The contract file is broken; the message says where."""


@dataclass(frozen=True)
class Code:
    key: str
    nl: str
    en: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return self.en if (get_language() or "nl").startswith("en") else self.nl


@dataclass(frozen=True)
class Contract:
    version: int
    columns: tuple[str, ...]
    lists: dict[str, tuple[Code, ...]]
    countries: dict[str, Code]

    def keys(self, name: str) -> tuple[str, ...]:
        return tuple(code.key for code in self.lists[name])

    def code(self, name: str, key: str) -> Code | None:
        return next((c for c in self.lists[name] if c.key == key), None)

    def label(self, name: str, key: str) -> str:
        if name == "nationaliteit":
            country = self.countries.get(key)
            return country.label if country else key
        code = self.code(name, key)
        return code.label if code else key

    @property
    def forms(self) -> tuple[str, ...]:
        """The forms of exploitation in the order of the hierarchy."""
        return self.keys("uitbuitingsvormen")

    @property
    def sexual_forms(self) -> frozenset[str]:
        return frozenset(c.key for c in self.lists["uitbuitingsvormen"] if c.extra["sexual"])

    @property
    def legal_task_melders(self) -> frozenset[str]:
        return frozenset(c.key for c in self.lists["melders"] if c.extra["legal_task"])

    def sectors_of_form(self, form: str) -> frozenset[str]:
        group = self.code("uitbuitingsvormen", form).extra["group"]
        if not group:
            return frozenset()
        return frozenset(c.key for c in self.lists["sectoren"] if c.extra["group"] == group)

    def sector_group(self, sector: str) -> str:
        code = self.code("sectoren", sector)
        return code.extra["group"] if code else ""


def _codes(name: str, entries) -> tuple[Code, ...]:
    if not isinstance(entries, list) or not entries:
        raise ContractError(f"{name}: a non-empty list is needed")
    codes, seen = [], set()
    for index, entry in enumerate(entries):
        where = f"{name}[{index}]"
        if not isinstance(entry, dict):
            raise ContractError(f"{where}: a mapping with key, nl and en is needed")
        key, nl, en = entry.get("key"), entry.get("nl"), entry.get("en")
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            raise ContractError(f"{where}: key must be lower-case letters, digits, _ and -")
        if key in seen:
            raise ContractError(f"{where}: key '{key}' appears twice")
        if not (isinstance(nl, str) and nl and isinstance(en, str) and en):
            raise ContractError(f"{where}: nl and en labels are needed")
        seen.add(key)
        extra = {k: v for k, v in entry.items() if k not in ("key", "nl", "en")}
        codes.append(Code(key=key, nl=nl, en=en, extra=extra))
    return tuple(codes)


def _check(contract: Contract) -> None:
    if contract.columns != EXPECTED_COLUMNS:
        raise ContractError("columns: must be exactly the thirteen columns of the contract")
    for code in contract.lists["melders"]:
        if not isinstance(code.extra.get("legal_task"), bool):
            raise ContractError(f"melders.{code.key}: legal_task must be true or false")
    groups = {c.extra.get("group") for c in contract.lists["sectoren"]}
    for code in contract.lists["uitbuitingsvormen"]:
        if code.extra.get("group", None) not in groups | {""}:
            raise ContractError(f"uitbuitingsvormen.{code.key}: unknown sector group")
        if not isinstance(code.extra.get("sexual"), bool):
            raise ContractError(f"uitbuitingsvormen.{code.key}: sexual must be true or false")
    if contract.forms != EXPECTED_FORMS:
        raise ContractError(
            "uitbuitingsvormen: exactly the six forms of the contract, in the order of the "
            "hierarchy, with 'onbekend' last"
        )
    for name in ("geslachten", "lvb_indicaties", "leeftijdsgroepen"):
        if UNKNOWN not in contract.keys(name):
            raise ContractError(f"{name}: needs 'onbekend'")
    ages = [c for c in contract.lists["leeftijdsgroepen"] if c.key != UNKNOWN]
    expected_min = 0
    for code in ages:
        low, high = code.extra.get("min"), code.extra.get("max")
        if low != expected_min or not isinstance(high, int) or high < low:
            raise ContractError(f"leeftijdsgroepen.{code.key}: ages must follow on without gaps")
        expected_min = high + 1
    if expected_min != 111:
        raise ContractError("leeftijdsgroepen: the groups must cover the ages 0 to 110")
    if len(contract.countries) < 200:
        raise ContractError("landen.csv: the ISO 3166-1 list looks incomplete")


def load_contract(contract_file: Path = CONTRACT_FILE, countries_file: Path = COUNTRIES_FILE):
    try:
        raw = yaml.safe_load(contract_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContractError(f"{contract_file.name}: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), int):
        raise ContractError("the file needs a version number")
    lists = {name: _codes(name, raw.get(name)) for name in LISTS}
    countries = {}
    with countries_file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            if len(code) != 2 or not code.isascii() or not code.isupper():
                raise ContractError(f"landen.csv: '{code}' is not an alpha-2 code")
            countries[code] = Code(key=code, nl=row["nl"], en=row["en"])
    contract = Contract(
        version=raw["version"],
        columns=tuple(raw.get("columns") or ()),
        lists=lists,
        countries=countries,
    )
    _check(contract)
    return contract


@lru_cache(maxsize=1)
def contract() -> Contract:
    return load_contract()
