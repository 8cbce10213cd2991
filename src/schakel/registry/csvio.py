"""Streaming CSV for the registration contract: read rows with their line numbers, in bounded
memory, and write the contract's format.

Bytes that are not UTF-8 are kept as surrogate escapes while reading, so the row and column with
bad encoding can be named exactly instead of the whole file failing at an unknown place.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .contract import EXPECTED_COLUMNS
from .rows import RowError

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CountingReader(io.RawIOBase):
    """A binary reader that counts the bytes read, for the progress indicator."""

    def __init__(self, raw):
        self._raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.bytes_read += size
        return size


@dataclass
class CsvRows:
    """Iterate `(line, row_or_None, errors)` over a binary stream in the contract's format.

    `header_errors` is filled when the header is wrong; iteration then yields nothing. `line`
    is the physical line on which the record starts (the header is line 1).
    """

    stream: io.RawIOBase | io.BufferedIOBase
    header_errors: list[RowError] = field(default_factory=list)
    columns: tuple[str, ...] = ()

    def __post_init__(self):
        self.counter = CountingReader(self.stream)
        text = io.TextIOWrapper(
            io.BufferedReader(self.counter, buffer_size=1 << 16),
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="",
        )
        self._reader = csv.reader(text, strict=True)
        self._read_header()

    @property
    def bytes_read(self) -> int:
        return self.counter.bytes_read

    def _read_header(self) -> None:
        try:
            header = next(self._reader, None)
        except csv.Error as error:
            self.header_errors.append(RowError("", "csv_syntax", str(error), line=1))
            return
        if not header or header == [""]:
            self.header_errors.append(
                RowError("", "empty_file", _("Het bestand is leeg: de kopregel ontbreekt."), line=1)
            )
            return
        names = [name.strip() for name in header]
        if _bad_text(names):
            self.header_errors.append(
                RowError("", "encoding", _("De kopregel is geen geldige UTF-8-tekst."), line=1)
            )
            return
        seen = set()
        for name in names:
            if name in seen:
                self.header_errors.append(
                    RowError(
                        name, "header_duplicate", _("Deze kolom staat twee keer in de kopregel."), 1
                    )
                )
            elif name not in EXPECTED_COLUMNS:
                self.header_errors.append(
                    RowError(name, "header_unknown", _("Deze kolom kent het contract niet."), 1)
                )
            seen.add(name)
        for name in EXPECTED_COLUMNS:
            if name not in seen:
                self.header_errors.append(
                    RowError(name, "header_missing", _("Deze kolom ontbreekt in de kopregel."), 1)
                )
        self.columns = tuple(names)

    def __iter__(self) -> Iterator[tuple[int, dict | None, list[RowError]]]:
        if self.header_errors:
            return
        reader, columns, width = self._reader, self.columns, len(self.columns)
        previous_end = reader.line_num
        while True:
            start = previous_end + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                # The rest of the file cannot be split into rows reliably: stop here.
                yield start, None, [RowError("", "csv_syntax", str(error), line=start)]
                return
            previous_end = reader.line_num
            if not record or record == [""]:
                continue
            if len(record) != width:
                message = _("Deze regel heeft %(got)d velden; de kopregel heeft er %(want)d.") % {
                    "got": len(record),
                    "want": width,
                }
                yield start, None, [RowError("", "field_count", message, line=start)]
                continue
            row = dict(zip(columns, record, strict=True))
            problems = _text_problems(row, start)
            if problems:
                yield start, None, problems
                continue
            yield start, row, []


def _bad_text(values) -> bool:
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _text_problems(row: dict, line: int) -> list[RowError]:
    joined = ",".join(row.values())
    bad_encoding = _bad_text([joined])
    if not bad_encoding and not CONTROL.search(joined):
        return []
    problems = []
    for column, value in row.items():
        if _bad_text([value]):
            problems.append(
                RowError(
                    column,
                    "encoding",
                    _("Deze waarde is geen geldige UTF-8-tekst. Sla het bestand op als UTF-8."),
                    line=line,
                )
            )
        elif CONTROL.search(value):
            problems.append(
                RowError(
                    column,
                    "control_character",
                    _("Deze waarde bevat een regeleinde of een ander stuurteken."),
                    line=line,
                )
            )
    return problems


class Echo:
    """A file-like object whose write returns the text, for streaming responses."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header, rows) -> Iterator[str]:
    """Render `header` and `rows` (sequences) as CSV lines (RFC 4180, CRLF line ends)."""
    writer = csv.writer(Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
