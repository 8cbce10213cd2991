"""A small set of fictional meldingen for the demo (`make run`), loaded through the import.

Idempotent: the rows follow from a fixed seed and fixed years, so loading again changes nothing.
Refused in production, like the rest of the demo data.
"""

import io

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .services import ImportReport, registrations_import
from .synthetic import generate_csv_lines

DEMO_ROWS = 600
DEMO_SEED = 2026
DEMO_YEARS = (2017, 2025)


def demo_csv() -> bytes:
    first, last = DEMO_YEARS
    lines = generate_csv_lines(rows=DEMO_ROWS, seed=DEMO_SEED, first_year=first, last_year=last)
    return "".join(lines).encode("utf-8")


def seed_demo_registry() -> ImportReport:
    """Import the demo meldingen (as the system). Returns the import report."""
    if not getattr(settings, "SCHAKEL_DEMO_ALLOWED", False):
        raise ImproperlyConfigured("seed_demo_registry is refused under production settings")
    data = demo_csv()
    return registrations_import(
        actor=None, opener=lambda: io.BytesIO(data), file_name="demo-meldingen.csv", size=len(data)
    )
