"""From files to instruments: reading the YAML, building an `Instrument`, checking a folder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from .model import (
    TEXT_MAX_LENGTH,
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
from .problems import InstrumentError, InstrumentProblem
from .validation import problems_in

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
INSTRUMENTS_DIR = DATA_DIR / "instruments"


def build(data: Mapping, checksum: str = "") -> Instrument:
    """An Instrument from a definition that `problems_in` found no problems with."""
    areas = []
    for area in data["areas"]:
        items = []
        for raw in area["items"]:
            scale = raw.get("scale") or {}
            items.append(
                Item(
                    id=raw["id"],
                    area_id=area["id"],
                    text=raw["text"],
                    type=raw["type"],
                    help=raw.get("help", ""),
                    required=raw.get("required", raw["type"] != "text"),
                    protective=raw.get("protective", False),
                    score=dict(raw.get("score", {})),
                    options=tuple(
                        Option(o["value"], o["label"], dict(o.get("score", {})))
                        for o in raw.get("options", [])
                    ),
                    scale_min=scale.get("min", 0),
                    scale_max=scale.get("max", 0),
                    scale_labels={lab["value"]: lab["label"] for lab in scale.get("labels", [])},
                    max_length=raw.get("max_length", TEXT_MAX_LENGTH),
                )
            )
        areas.append(
            Area(
                id=area["id"],
                title=area["title"],
                items=tuple(items),
                intro=area.get("intro", ""),
                tips=tuple(area.get("tips", [])),
            )
        )
    return Instrument(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data["description"],
        audience=tuple(data["audience"]),
        language_level=data["language_level"],
        kind=data["kind"],
        status=data["status"],
        owner=data["owner"],
        disclaimer=data["disclaimer"],
        storage=data["storage"],
        step_plan=data["step_plan"],
        areas=tuple(areas),
        scales=tuple(
            Scale(
                id=s["id"],
                label=s["label"],
                kind=s["kind"],
                thresholds=dict(s["thresholds"]),
                form=s.get("form", ""),
                level_labels=dict(s.get("level_labels", {})),
            )
            for s in data.get("scales", [])
        ),
        red_flags=tuple(
            RedFlag(
                id=f["id"],
                when=f["when"],
                title=f["title"],
                text=f["text"],
                contacts=tuple(f.get("contacts", [])),
                call_112=f.get("call_112", False),
                raises=tuple(f.get("raises", [])),
            )
            for f in data.get("red_flags", [])
        ),
        advice_blocks={
            b["id"]: AdviceBlock(
                id=b["id"],
                section=b["section"],
                title=b["title"],
                text=b["text"],
                contacts=tuple(b.get("contacts", [])),
            )
            for b in data.get("advice_blocks", [])
        },
        advice_rules=tuple(
            AdviceRule(id=r["id"], when=r["when"], blocks=tuple(r["blocks"]))
            for r in data.get("advice_rules", [])
        ),
        contacts=tuple(data.get("contacts", [])),
        intro=data.get("intro", ""),
        result_intro=data.get("result_intro", ""),
        licence=data.get("licence", ""),
        definition=data,
        checksum=checksum or checksum_of(data),
    )


def parse_definition(data, file: str = "<definition>") -> Instrument:
    problems = problems_in(data, file)
    if problems:
        raise InstrumentError(problems)
    return build(data)


def read_file(path: Path) -> dict:
    """The YAML of one file, or InstrumentError naming the file and the line of a syntax error."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InstrumentError([InstrumentProblem(file, "(file)", "readable", str(error))]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error)
        raise InstrumentError([InstrumentProblem(file, where, "yaml-syntax", problem)]) from None
    if not isinstance(data, dict):
        raise InstrumentError(
            [InstrumentProblem(file, "(root)", "type", "an instrument file holds one mapping")]
        )
    return data


def load_file(path: Path, *, display_name: str | None = None) -> Instrument:
    data = read_file(path)
    problems = problems_in(data, display_name or str(path))
    if problems:
        raise InstrumentError(problems)
    return build(data)


def instrument_files(paths: Iterable[Path] | None = None) -> list[Path]:
    """The YAML files under the given files or folders (default: the shipped instruments)."""
    found: list[Path] = []
    for path in paths or [INSTRUMENTS_DIR]:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def display_name(path: Path) -> str:
    """A short name for messages: relative to the app's data folder when it lies there."""
    try:
        return str(Path(path).resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def check_files(
    paths: Iterable[Path] | None = None,
) -> tuple[list[tuple[Instrument, str]], list[InstrumentProblem]]:
    """Load every file; return the good instruments (with their file names) and every problem
    of the bad ones. Across files, an id+version may occur only once.
    """
    instruments: list[tuple[Instrument, str]] = []
    problems: list[InstrumentProblem] = []
    seen: dict[tuple[str, int], str] = {}
    for path in instrument_files(paths):
        name = display_name(path)
        try:
            instrument = load_file(path, display_name=name)
        except InstrumentError as error:
            problems.extend(error.problems)
            continue
        key = (instrument.id, instrument.version)
        if key in seen:
            problems.append(
                InstrumentProblem(
                    name,
                    "version",
                    "unique-version",
                    f"{instrument.id} version {instrument.version} is also in {seen[key]}",
                )
            )
            continue
        seen[key] = name
        instruments.append((instrument, name))
    return instruments, problems
