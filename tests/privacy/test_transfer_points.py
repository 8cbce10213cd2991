"""Nothing bypasses the gate: every place where personal data can leave an organisation calls
`sharing_basis_create`.

The places are found, not listed by hand: every service function in every app whose name says it
moves data to another organisation (adding an organisation to a case, a referral, a registration,
the exchange after a signal match, sharing a crisis card, an export, ...). Each must call the gate
itself, through a helper in the same module, or through a wrapper in another module of the app
(a function anywhere under src/schakel that calls the gate, called as `module.function(...)` or
imported by name). A service that matches the naming but moves no
personal data (an export of aggregate tables, say) declares that in its module:

    NOT_A_TRANSFER = {"monitor_table_export": "aggregates after disclosure control; no persons"}

Naming convention for new transfer services: `<entity>_share`, `_disclose`, `_transfer`,
`_export`, `_exchange`, `_send`, or the names below. See docs/privacy.md.
"""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "schakel"
GATE = "sharing_basis_create"
# The gate in two halves, for a caller that records the basis inside its own transaction.
GATES = {GATE, "sharing_plan"}
TRANSFER_NAME = re.compile(
    r"(_share|_disclose|_transfer|_export|_exchange|_send|_forward)$"
    r"|^referral_(create|request|send)$"
    r"|^case_(member|organisation|participant)s?_(add|invite|join)$"
    r"|^(registration|melding|report)_(create|register|import|submit)$"
    r"|^signal_match_"
)


def _service_modules() -> list[Path]:
    modules = sorted(SRC.glob("*/services.py")) + sorted(SRC.glob("*/services/*.py"))
    return [m for m in modules if m.name != "__init__.py" or m.stat().st_size]


def _calls(node) -> set[str]:
    """Names called: `f` for f(...), `attr` and `owner.attr` for owner.attr(...)."""
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
                if isinstance(func.value, ast.Name):
                    names.add(f"{func.value.id}.{func.attr}")
    return names


def _functions(tree) -> dict:
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _reaching(functions: dict, targets: set[str]) -> dict[str, bool]:
    """Per function of a module: does it call one of `targets`, directly or via the module?"""
    reaches: dict[str, bool] = {}

    def visit(name: str, seen: frozenset) -> bool:
        if name in reaches:
            return reaches[name]
        called = _calls(functions[name])
        result = bool(called & targets) or any(
            other in functions and other not in seen and visit(other, seen | {name})
            for other in called
        )
        reaches[name] = result
        return result

    return {name: visit(name, frozenset()) for name in functions}


def gate_wrappers(sources: dict[str, str]) -> set[str]:
    """`module.function` for every function (in any module) that reaches the gate."""
    wrappers = set()
    for stem, source in sources.items():
        functions = _functions(ast.parse(source))
        wrappers |= {f"{stem}.{n}" for n, ok in _reaching(functions, GATES).items() if ok}
    return wrappers


def _imported_wrappers(tree, wrappers: set[str]) -> set[str]:
    """Bare names imported from a wrapper's module: `from .sources import share`."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            stem = node.module.rsplit(".", 1)[-1]
            for alias in node.names:
                if f"{stem}.{alias.name}" in wrappers:
                    names.add(alias.asname or alias.name)
    return names


def _exempt(tree) -> dict:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "NOT_A_TRANSFER" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return {}


def transfer_points(source: str, wrappers: frozenset[str] = frozenset()) -> dict[str, bool]:
    """Transfer-like functions of one module -> whether they reach the gate."""
    tree = ast.parse(source)
    functions = _functions(tree)
    targets = GATES | set(wrappers) | _imported_wrappers(tree, set(wrappers))
    reaches = _reaching(functions, targets)
    exempt = _exempt(tree)
    return {
        name: reaches[name]
        for name in functions
        if TRANSFER_NAME.search(name) and name not in exempt
    }


def _all_sources() -> dict[str, str]:
    """Every module of every app, by its file stem (for finding gate wrappers)."""
    return {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted(SRC.glob("*/*.py"))
        if path.stem not in ("services", "__init__") and "migrations" not in path.parts
    }


def test_the_scanner_finds_a_transfer_that_skips_the_gate():
    source = """
def _basis(actor, case):
    return sharing_basis_create(actor=actor, person=case.person, recipient=None, purpose="x",
                                data_categories=[])

def case_member_add(*, actor, case, organisation):
    _basis(actor, case)

def referral_create(*, actor, case):
    return Referral.objects.create(case=case)

def table_export(*, actor):
    return []

NOT_A_TRANSFER = {"table_export": "aggregates only"}
"""
    assert transfer_points(source) == {"case_member_add": True, "referral_create": False}


def test_the_scanner_follows_a_gate_wrapper_in_another_module():
    wrappers = gate_wrappers(
        {
            "sources": "def share(*, actor, person):\n"
            "    return sharing_basis_create(actor=actor, person=person)\n"
        }
    )
    assert wrappers == {"sources.share"}
    source = """
from . import sources
from .sources import share as pass_gate

def case_member_add(*, actor, case):
    return sources.share(actor=actor, person=case.person)

def referral_create(*, actor, case):
    return pass_gate(actor=actor, person=case.person)

def timeline_share(*, actor, case):
    return other.share(actor=actor, person=case.person)
"""
    assert transfer_points(source, frozenset(wrappers)) == {
        "case_member_add": True,
        "referral_create": True,
        "timeline_share": False,
    }


def test_the_naming_covers_the_places_the_issues_name():
    for name in (
        "case_member_add",
        "case_organisation_add",
        "referral_create",
        "registration_create",
        "signal_match_exchange",
        "crisis_card_share",
        "person_export",
        "timeline_share",
    ):
        assert TRANSFER_NAME.search(name), name
    for name in (
        "person_create",
        "consent_record",
        "case_close",
        "lvb_indication_record",
        "crisis_card_save",
        "crisis_card_share_revoke",
    ):
        assert not TRANSFER_NAME.search(name), name


MODULES = _service_modules()


@pytest.mark.parametrize("module", MODULES, ids=[str(m.relative_to(SRC)) for m in MODULES])
def test_every_transfer_in_every_app_calls_the_gate(module):
    wrappers = frozenset(gate_wrappers(_all_sources()))
    points = transfer_points(module.read_text(encoding="utf-8"), wrappers)
    bypassing = sorted(name for name, ok in points.items() if not ok)
    assert not bypassing, (
        f"{module.relative_to(SRC)}: {', '.join(bypassing)} move(s) data to another "
        f"organisation without calling {GATE}() (or declare NOT_A_TRANSFER with the reason)"
    )


def test_the_api_export_of_the_privacy_app_uses_the_gate():
    from schakel.privacy import api

    source = Path(api.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    view = next(
        n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SharingBasisListView"
    )
    post = next(n for n in view.body if isinstance(n, ast.FunctionDef) and n.name == "post")
    assert GATE in _calls(post)
