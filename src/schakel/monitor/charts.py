"""Charts of the monitor: each table as a small pivot (categories × years) and a horizontal bar
chart drawn as SVG on the server (no JavaScript, no style attributes: colours come from classes
in monitor.css). The pivot is also the data table shown beside the chart."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from schakel.registry.contract import UNKNOWN, contract

from . import tables

MAX_CHART_YEARS = 6
MAX_CHART_CATEGORIES = 15
# The viewBox is about as wide as the chart's column on a wide screen, so 12 px text stays
# about 12 px; on a narrow screen the chart stacks above the table and keeps that width.
WIDTH = 480
LABEL_WIDTH = 170
LABEL_CHARS = 25
LINE_HEIGHT = 14
VALUE_SPACE = 78
CHAR_WIDTH = 6.2  # roughly, for 11 px text
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 12
TOP = 6


@dataclass
class Pivot:
    """Rows are categories, columns are years (or, for repeat registration, the follow-up
    terms). Values are published values (int, '<10', or text with one decimal)."""

    dimension: str  # the category column
    value_label: str
    columns: list  # years, or follow-up terms
    categories: list[tuple[object, str]]  # (key, label)
    values: dict[tuple[object, object], object] = field(default_factory=dict)
    unit: str = ""
    column_labels: dict = field(default_factory=dict)
    compare: bool = True  # show the change between the last two columns (years)

    def label_of(self, column) -> str:
        return str(self.column_labels.get(column, column))

    @property
    def headers(self) -> list[str]:
        return [self.label_of(column) for column in self.columns]

    @property
    def shows_change(self) -> bool:
        return self.compare and len(self.columns) > 1

    def row(self, key):
        return [self.values.get((key, column), "") for column in self.columns]

    def change(self, key) -> str:
        """The change from the last year but one to the last year, when both are numbers."""
        if not self.shows_change:
            return ""
        before, after = (self.values.get((key, c)) for c in self.columns[-2:])
        numbers = []
        for value in (before, after):
            try:
                numbers.append(Decimal(str(value)))
            except (ArithmeticError, ValueError):
                return ""
        difference = numbers[1] - numbers[0]
        sign = "+" if difference > 0 else ""
        text = f"{sign}{number_format(difference)}"
        if self.unit == "" and numbers[0] > 0:
            percent = (difference * 100 / numbers[0]).quantize(Decimal("0.1"))
            text += f" ({'+' if percent > 0 else ''}{number_format(percent)}%)"
        return text


# The category column of each table's chart; tables with a form and another category are
# summed over the form.
DIMENSIONS = {
    "slachtoffers_per_jaar": ("reeks", "reeksen"),
    "slachtoffers_per_vorm": ("uitbuitingsvorm", "uitbuitingsvormen"),
    "meldingen_per_melder": ("melder", "melders"),
    "meldingen_per_politie_eenheid": ("politie_eenheid", "politie_eenheden"),
    "slachtoffers_per_geslacht": ("geslacht", "geslachten"),
    "slachtoffers_per_leeftijdsgroep": ("leeftijdsgroep", "leeftijdsgroepen"),
    "gemiddelde_leeftijd": ("vorm", "uitbuitingsvormen"),
    "slachtoffers_per_nationaliteit": ("nationaliteit", "nationaliteit"),
    "slachtoffers_per_sector": ("sector", "sectoren"),
    "slachtoffers_lvb": ("lvb_indicatie", "lvb_indicaties"),
    "herhaalde_registratie": ("termijn", ""),
}


def category_label(list_name: str, key) -> str:
    if list_name == "":
        return _("binnen %(k)s jaar") % {"k": key}
    if list_name == "sectoren" and key == UNKNOWN:
        return _("Onbekend")
    if list_name == "nationaliteit" and key == UNKNOWN:
        return _("Onbekend")
    return contract().label(list_name, key)


def pivot_for(table_id: str, raw: list[dict], published: list[dict], disclosure: str) -> Pivot:
    """The chart's data: counts summed per category from the raw rows, then disclosure control
    (so a sum is rounded once, not a sum of rounded cells); means and shares as published."""
    if table_id == "herhaalde_registratie":
        return _repeat_pivot(published)
    column, list_name = DIMENSIONS[table_id]
    years = sorted({row["jaar"] for row in raw})
    keys: list = []
    for row in raw:
        if row[column] not in keys:
            keys.append(row[column])
    unit = ""
    if table_id == "gemiddelde_leeftijd":
        value_label, unit = _("Gemiddelde leeftijd"), _("jaar")
        values = {(row[column], row["jaar"]): row["gemiddelde"] for row in published}
    else:
        value_label = _("Aantal slachtoffers")
        sums: dict = {}
        for row in raw:
            key = (row[column], row["jaar"])
            sums[key] = sums.get(key, 0) + row["aantal"]
        values = {key: tables.disclose(total, disclosure) for key, total in sums.items()}
    categories = [(key, category_label(list_name, key)) for key in keys]
    return Pivot(column, value_label, years, categories, values, unit)


def _repeat_pivot(published: list[dict]) -> Pivot:
    """Cohorts (first registered in a year) by follow-up term; only cohorts with a share."""
    terms = list(tables.FOLLOW_UP_YEARS)
    values = {(row["jaar"], row["termijn"]): row["aandeel"] for row in published}
    cohorts = sorted({row["jaar"] for row in published if row["aandeel"] != ""})
    return Pivot(
        dimension="jaar",
        value_label=_("Aandeel opnieuw geregistreerd"),
        columns=terms,
        categories=[(year, str(year)) for year in cohorts],
        values=values,
        unit="%",
        column_labels={k: category_label("", k) for k in terms},
        compare=False,
    )


def _number(value) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def _px(value: float) -> str:
    """A coordinate for SVG: always a dot as the decimal sign, whatever the language."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def wrap(label: str, width: int = LABEL_CHARS) -> list[str]:
    """Split a category label into lines of at most `width` characters (at spaces)."""
    lines, line = [], ""
    for word in str(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    css: str
    text: str
    text_x: str
    text_y: str
    inside: bool = False  # the value is written inside the end of a long bar, in white


@dataclass
class Group:
    label: str
    lines: list[tuple[str, str]]  # (y, text)
    bars: list[Bar]


@dataclass
class BarChart:
    width: int
    height: int
    groups: list[Group]
    legend: list[tuple[str, str]]  # (css class, year)
    note: str
    label_x: int = LABEL_WIDTH - 6
    axis_x: int = LABEL_WIDTH


def _chart_subset(pivot: Pivot) -> tuple[list, list[tuple[object, str]], str]:
    years = pivot.columns[-MAX_CHART_YEARS:]
    categories = pivot.categories
    notes = []
    if len(pivot.columns) > MAX_CHART_YEARS:
        notes.append(
            _("De grafiek toont de laatste %(n)d jaar; de tabel toont alle jaren.")
            % {"n": MAX_CHART_YEARS}
        )
    if len(categories) > MAX_CHART_CATEGORIES:
        last = years[-1]
        ranked = sorted(
            categories, key=lambda c: -(_number(pivot.values.get((c[0], last), 0)) or 0)
        )
        keep = {key for key, _label in ranked[:MAX_CHART_CATEGORIES]}
        categories = [c for c in categories if c[0] in keep]
        notes.append(
            _(
                "De grafiek toont de %(n)d grootste groepen van %(year)d; de tabel toont ze "
                "allemaal."
            )
            % {"n": MAX_CHART_CATEGORIES, "year": last}
        )
    return years, categories, " ".join(notes)


def _shown(value) -> str:
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    number = _number(value) if value not in (None, "") else None
    if number is not None and isinstance(value, str):
        return number_format(Decimal(value))
    return value or "–"


def bar_chart(pivot: Pivot) -> BarChart:
    years, categories, note = _chart_subset(pivot)
    numbers = [
        _number(pivot.values.get((key, year), "")) for key, _label in categories for year in years
    ]
    top = max([n for n in numbers if n is not None] or [0]) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_SPACE) / top
    groups, y = [], TOP
    for key, label in categories:
        lines = wrap(label)
        bars_height = len(years) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        height = max(bars_height, len(lines) * LINE_HEIGHT)
        bars = []
        for index, year in enumerate(years):
            value = pivot.values.get((key, year), "")
            number = _number(value) if value not in (None, "") else None
            length = max(number * scale, 1) if number else 0
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            text = f"{pivot.label_of(year)}: {_shown(value)}"
            inside = LABEL_WIDTH + length + 4 + len(text) * CHAR_WIDTH > WIDTH
            bars.append(
                Bar(
                    x=_px(LABEL_WIDTH),
                    y=_px(bar_y),
                    width=_px(length),
                    height=_px(BAR_HEIGHT),
                    css=f"chart-year-{index % MAX_CHART_YEARS}",
                    text=text,
                    text_x=_px(LABEL_WIDTH + length - 4 if inside else LABEL_WIDTH + length + 4),
                    text_y=_px(bar_y + BAR_HEIGHT - 3),
                    inside=inside,
                )
            )
        first_line = y + (height - len(lines) * LINE_HEIGHT) / 2 + LINE_HEIGHT - 3
        groups.append(
            Group(
                label=label,
                lines=[(_px(first_line + i * LINE_HEIGHT), text) for i, text in enumerate(lines)],
                bars=bars,
            )
        )
        y += height + GROUP_GAP
    legend = [
        (f"chart-year-{i % MAX_CHART_YEARS}", pivot.label_of(year)) for i, year in enumerate(years)
    ]
    return BarChart(width=WIDTH, height=int(y), groups=groups, legend=legend, note=note)
