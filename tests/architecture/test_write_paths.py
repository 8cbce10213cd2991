"""One write path (issue 14.6): management commands change the database only through services.

A command is an entry point like a view: it parses arguments, calls a service and prints. An ORM
write in a command skips the permission check, the history and the processing log that the
service keeps (as `privacy_designate` once did).
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "schakel"
WRITES = {"save", "create", "bulk_create", "bulk_update", "update", "delete", "get_or_create",
          "update_or_create"}  # fmt: skip
COMMANDS = sorted(SRC.glob("*/management/commands/*.py"))


def orm_writes(source: str) -> list[str]:
    """`x.objects.<write>(...)`, `<queryset>.update/delete(...)` and `<instance>.save(...)`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name not in WRITES:
            continue
        text = ast.unparse(node.func.value)
        if name == "save" or ".objects" in text or text.endswith("objects") or ".filter(" in text:
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}(...)")
    return found


def test_the_check_finds_a_direct_write():
    source = "def handle():\n    profile.save()\n    Profile.objects.filter(pk=1).update(a=1)\n"
    assert len(orm_writes(source)) == 2


@pytest.mark.parametrize("command", COMMANDS, ids=[str(c.relative_to(SRC)) for c in COMMANDS])
def test_commands_write_only_through_services(command):
    writes = orm_writes(command.read_text(encoding="utf-8"))
    assert not writes, f"{command.relative_to(SRC)} writes directly: {'; '.join(writes)}"
