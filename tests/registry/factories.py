"""Rows in the contract's format, CSV files of them, and meldingen stored directly."""

import csv
import datetime
import io
import itertools

from schakel.registry.contract import EXPECTED_COLUMNS
from schakel.registry.models import Melding
from schakel.registry.rows import validate_row

TODAY = datetime.date(2026, 6, 30)
_ids = itertools.count(1)


def row(**overrides) -> dict[str, str]:
    """A valid row (a police melding of labour exploitation), with `overrides` applied."""
    values = {
        "melding_id": f"M{next(_ids):06d}",
        "melddatum": "2024-03-14",
        "persoon_sleutel": "persoon-0001",
        "melder": "politie",
        "politie_eenheid": "rotterdam",
        "grondslag": "wettelijke_taak",
        "toestemming_door": "",
        "uitbuitingsvormen": "arbeidsuitbuiting",
        "sector": "horeca",
        "geslacht": "man",
        "leeftijd": "31",
        "nationaliteit": "PL",
        "lvb_indicatie": "onbekend",
    }
    values.update({key: str(value) for key, value in overrides.items()})
    return values


def consent_row(**overrides) -> dict[str, str]:
    """A valid melding by a care coordinator, with consent of the person."""
    base = {
        "melder": "zorgcoordinator",
        "politie_eenheid": "",
        "grondslag": "toestemming",
        "toestemming_door": "betrokkene",
    }
    return row(**{**base, **overrides})


def csv_bytes(rows, *, columns=EXPECTED_COLUMNS, bom=False, newline="\r\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(column, "") for column in columns])
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv(path, rows, **options):
    path.write_bytes(csv_bytes(rows, **options))
    return path


def store(*rows, today=TODAY, **extra) -> list[Melding]:
    """Store valid rows as meldingen directly (no service, no processing log), in order."""
    stored = []
    for values in rows:
        checked, errors = validate_row(values, today=today)
        assert not errors, errors
        stored.append(
            Melding.objects.create(**checked.model_fields(), source=Melding.Source.IMPORT, **extra)
        )
    return stored
