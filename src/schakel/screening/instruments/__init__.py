"""Instruments are data: versioned YAML files, checked against a JSON Schema and then by rules
that a schema cannot express (unique ids, known references, ascending thresholds, …).

Every problem is reported as an `InstrumentProblem` naming the file, the path inside it and the
rule that was broken, so `manage.py check_instruments` can list all of them at once.

- `model`: the vocabulary (audiences, item types, levels, …) and the parsed `Instrument`;
- `schema`: the JSON Schema of an instrument file;
- `problems`: `InstrumentProblem` and `InstrumentError`;
- `validation`: `problems_in`, the schema plus the semantic rules;
- `loading`: reading files, `build`, `load_file` and `check_files` (the shipped files live in
  `screening/data/instruments/`).
"""

from .loading import (
    DATA_DIR,
    INSTRUMENTS_DIR,
    build,
    check_files,
    display_name,
    instrument_files,
    load_file,
    parse_definition,
    read_file,
)
from .model import (
    AUDIENCES,
    FORMS,
    ITEM_TYPES,
    LEVELS,
    NO,
    SCALE_KINDS,
    SECTIONS,
    SPECIAL_CONTACTS,
    STEP_PLANS,
    TEXT_MAX_LENGTH,
    UNKNOWN,
    YES,
    YES_NO_UNKNOWN,
    AdviceBlock,
    AdviceRule,
    Area,
    Instrument,
    Item,
    Option,
    RedFlag,
    Scale,
    checksum_of,
)
from .problems import InstrumentError, InstrumentProblem, _path
from .schema import SCHEMA
from .validation import problems_in

__all__ = [
    "AUDIENCES",
    "DATA_DIR",
    "FORMS",
    "INSTRUMENTS_DIR",
    "ITEM_TYPES",
    "LEVELS",
    "NO",
    "SCALE_KINDS",
    "SCHEMA",
    "SECTIONS",
    "SPECIAL_CONTACTS",
    "STEP_PLANS",
    "TEXT_MAX_LENGTH",
    "UNKNOWN",
    "YES",
    "YES_NO_UNKNOWN",
    "AdviceBlock",
    "AdviceRule",
    "Area",
    "Instrument",
    "InstrumentError",
    "InstrumentProblem",
    "Item",
    "Option",
    "RedFlag",
    "Scale",
    "_path",
    "build",
    "check_files",
    "checksum_of",
    "display_name",
    "instrument_files",
    "load_file",
    "parse_definition",
    "problems_in",
    "read_file",
]
