"""Monitor tables as files: CSV (UTF-8, header, one row per combination) and XLSX."""

import io

from django.utils import timezone
from openpyxl import Workbook

from schakel.registry.csvio import csv_lines

from .tables import TABLES, cell_text

DISCLOSURE_LABELS = {
    "none": "geen (alleen intern gebruik)",
    "suppress10_round5": "aantallen onder 10 als <10, de rest afgerond op 5",
    "round5": "alle aantallen afgerond op 5",
}


def file_name(table_id: str, year_from: int, year_to: int, disclosure: str, ext: str) -> str:
    return f"{table_id}_{year_from}-{year_to}_{disclosure}.{ext}"


def csv_text_lines(table_id: str, rows: list[dict]):
    columns = TABLES[table_id].columns
    return csv_lines(columns, ([cell_text(row[c]) for c in columns] for row in rows))


def csv_text(table_id: str, rows: list[dict]) -> str:
    return "".join(csv_text_lines(table_id, rows))


def _xlsx_value(value):
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def xlsx_bytes(table_id: str, rows: list[dict], *, year_from, year_to, disclosure) -> bytes:
    table = TABLES[table_id]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.id[:31])
    sheet.append(list(table.columns))
    for row in rows:
        sheet.append([_xlsx_value(row[column]) for column in table.columns])
    about = book.create_sheet("toelichting")
    for label, value in (
        ("tabel", table.id),
        ("titel", str(table.title)),
        ("jaren", f"{year_from}-{year_to}"),
        ("onthullingsbeheersing", f"{disclosure}: {DISCLOSURE_LABELS[disclosure]}"),
        ("gemaakt", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ("bron", "Schakel, landelijke registratie van (vermoedelijke) slachtoffers"),
        ("toelichting", str(table.description)),
    ):
        about.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
