"""Fail when `make messages` would change the msgids of the translation catalogues.

Runs makemessages with the options of `make messages` on copies of `locale/*/LC_MESSAGES/
django.po` in a temporary directory (the sources are reached through symlinks, so the repository is
not written to), then compares the entries (context, msgid, plural) of each copy with the committed
catalogue. Locations, dates and translations are not compared.

    .venv/bin/python tools/check_messages.py      (part of `make checks`)
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("nl", "en")
# Keep in step with the `messages` target of the Makefile.
MAKEMESSAGES_OPTIONS = {
    "locale": list(LOCALES),
    "no_obsolete": True,
    "ignore_patterns": ["var", "staticfiles", "test-results"],
}
NOT_MIRRORED = {"locale", "var", "staticfiles", "test-results"}

Entry = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def catalogue_entries(path: Path) -> set[Entry]:
    """The active entries of a .po file; the header and obsolete (#~) entries are left out."""
    entries: set[Entry] = set()
    fields: dict[str, str] = {}
    current: str | None = None

    def flush() -> None:
        if "msgid" in fields and fields["msgid"] != "":
            entries.add((fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural")))
        fields.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and fields:
                flush()
            current = None if line.startswith("#~") else current
            continue
        if line.startswith('"'):
            if current is not None:
                fields[current] += _unquote(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgstr" in fields:
            flush()
        fields[keyword] = _unquote(rest)
        current = keyword
    flush()
    return entries


def regenerated_catalogues(workdir: Path) -> dict[str, Path]:
    """Run makemessages as `make messages` does, on copies, inside `workdir`."""
    import django
    from django.core.management import call_command
    from django.test.utils import override_settings

    mirror = workdir / "mirror"
    out = workdir / "locale"
    mirror.mkdir()
    for entry in ROOT.iterdir():
        if entry.name.startswith(".") or entry.name in NOT_MIRRORED:
            continue
        (mirror / entry.name).symlink_to(entry)
    copies = {}
    for locale in LOCALES:
        original = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
        copy = out / locale / "LC_MESSAGES" / "django.po"
        copy.parent.mkdir(parents=True)
        shutil.copy2(original, copy)
        copies[locale] = copy

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakel.conf.test")
    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    cwd = os.getcwd()
    os.chdir(mirror)
    try:
        with override_settings(LOCALE_PATHS=[str(out)]):
            call_command("makemessages", symlinks=True, verbosity=0, **MAKEMESSAGES_OPTIONS)
    finally:
        os.chdir(cwd)
    return copies


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="schakel-messages-") as tmp:
        regenerated = regenerated_catalogues(Path(tmp))
        drift = []
        for locale, copy in regenerated.items():
            committed_path = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
            committed = catalogue_entries(committed_path)
            fresh = catalogue_entries(copy)
            missing = sorted(fresh - committed, key=repr)
            stale = sorted(committed - fresh, key=repr)
            if missing or stale:
                drift.append((committed_path.relative_to(ROOT), missing, stale))
    if not drift:
        return 0
    for path, missing, stale in drift:
        print(f"{path}: {len(missing)} msgid(s) missing, {len(stale)} no longer in the code")
        for _context, msgid, _plural in missing[:10]:
            print(f"  + {msgid!r}")
        for _context, msgid, _plural in stale[:10]:
            print(f"  - {msgid!r}")
    print("The translation catalogues are out of date: run `make messages`, translate, commit.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
