"""What is wrong with an instrument or guidance file: the file, the path inside it, the rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class InstrumentProblem:
    file: str
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: [{self.rule}] {self.message}"


class InstrumentError(ValueError):
    """One or more problems in an instrument file. `problems` lists every one of them."""

    def __init__(self, problems: list[InstrumentProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _path(parts: Iterable) -> str:
    text = "/".join(str(p) for p in parts)
    return text or "(root)"
