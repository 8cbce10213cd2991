"""Demo organisations, users and fictional persons, so anyone can try every role.

Demo only: the password and TOTP secrets are public (README.md). Refused in production.
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from schakel.accounts.models import Membership, Organisation, Role, User
from schakel.directory.models import Municipality

DEMO_PASSWORD = "Schakel-demo-2026"  # noqa: S105 - public demo password, documented

ORGANISATIONS = [
    ("Demo Zorgaanbieder", Organisation.Domain.ZORG, "GM0344"),
    ("Demo Scholengroep", Organisation.Domain.ONDERWIJS, "GM0363"),
    ("Demo Politie-eenheid", Organisation.Domain.POLITIE, "GM0599"),
    ("Demo Gemeente Leeuwarden", Organisation.Domain.GEMEENTE, "GM0080"),
    ("Demo Reclassering", Organisation.Domain.JUSTITIE, "GM0518"),
    ("Demo Registratiebureau", Organisation.Domain.REGISTRATIE, "GM0307"),
    ("Schakel platformbeheer", Organisation.Domain.OVERIG, "GM0344"),
]

# email, full name, [(organisation, role)], superuser
USERS = [
    (
        "professional@zorg.demo",
        "Fatima Zorg (demo)",
        [("Demo Zorgaanbieder", Role.PROFESSIONAL)],
        False,
    ),
    (
        "professional@onderwijs.demo",
        "Peter Onderwijs (demo)",
        [("Demo Scholengroep", Role.PROFESSIONAL)],
        False,
    ),
    (
        "professional@politie.demo",
        "Sanne Politie (demo)",
        [("Demo Politie-eenheid", Role.PROFESSIONAL)],
        False,
    ),
    (
        "professional@gemeente.demo",
        "Joost Gemeente (demo)",
        [("Demo Gemeente Leeuwarden", Role.PROFESSIONAL)],
        False,
    ),
    (
        "coordinator@zorg.demo",
        "Lisa Coördinator (demo)",
        [
            ("Demo Zorgaanbieder", Role.CARE_COORDINATOR),
            ("Demo Gemeente Leeuwarden", Role.CARE_COORDINATOR),
        ],
        False,
    ),
    (
        "registrar@registratie.demo",
        "Ruud Registratie (demo)",
        [("Demo Registratiebureau", Role.REGISTRAR)],
        False,
    ),
    (
        "analyst@registratie.demo",
        "Aisha Analist (demo)",
        [("Demo Registratiebureau", Role.ANALYST)],
        False,
    ),
    (
        "admin@schakel.demo",
        "Beheerder Schakel (demo)",
        [
            ("Schakel platformbeheer", Role.ORG_ADMIN),
            ("Schakel platformbeheer", Role.FUNCTIONAL_ADMIN),
            ("Demo Zorgaanbieder", Role.ORG_ADMIN),
        ],
        True,
    ),
]

# Fictional persons, recorded by professional@zorg.demo. Any likeness is coincidence.
PERSONS = [
    {
        "given_names": "Sem",
        "surname": "de Vries",
        "date_of_birth": date(2009, 3, 14),
        "gender": "m",
        "bsn": "",
        "lvb": ("suspected", "observation", "Mentor: begrijpt afspraken vaak niet"),
    },
    {
        "given_names": "Noa",
        "surname": "Bakker",
        "date_of_birth": date(2008, 12, 1),
        "gender": "v",
        "bsn": "111222333",
        "lvb": ("screened", "screening", "SCIL-screening door jeugdarts"),
    },
    {
        "given_names": "Milan",
        "surname": "Jansen",
        "date_of_birth": date(2005, 7, 30),
        "gender": "m",
        "bsn": "",
        "lvb": ("diagnosed", "iq_test", "Psychologisch onderzoek 2023 (TIQ 68)"),
    },
]


@dataclass(frozen=True)
class DemoResult:
    organisations: int
    users: int
    persons_created: int


def demo_totp_key(email: str) -> bytes:
    """The demo TOTP secret of `email` (20 bytes). README lists them in base32."""
    return hashlib.sha256(f"schakel-demo-totp:{email}".encode()).digest()[:20]


def demo_totp_base32(email: str) -> str:
    return base64.b32encode(demo_totp_key(email)).decode()


def seed_demo() -> DemoResult:
    if not getattr(settings, "SCHAKEL_DEMO_ALLOWED", False):
        raise ImproperlyConfigured("seed_demo is refused under production settings")
    from schakel.people.services import lvb_indication_record, person_create

    with transaction.atomic():
        organisations = {}
        for name, domain, code in ORGANISATIONS:
            organisation, _ = Organisation.objects.update_or_create(
                name=name,
                defaults={
                    "domain": domain,
                    "municipality": Municipality.objects.filter(code=code).first(),
                },
            )
            organisations[name] = organisation
        for email, full_name, roles, superuser in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    is_staff=superuser,
                    is_superuser=superuser,
                )
            for org_name, role in roles:
                Membership.objects.get_or_create(
                    user=user, organisation=organisations[org_name], role=role, is_active=True
                )
            TOTPDevice.objects.get_or_create(
                user=user,
                name="Demo-app",
                defaults={"key": demo_totp_key(email).hex(), "confirmed": True},
            )
        author = Membership.objects.get(
            user__email="professional@zorg.demo",
            role=Role.PROFESSIONAL,
            organisation=organisations["Demo Zorgaanbieder"],
        )
        created = 0
        if not organisations["Demo Zorgaanbieder"].persons.exists():
            for data in PERSONS:
                status, kind, source = data["lvb"]
                fields = {k: v for k, v in data.items() if k != "lvb"}
                person = person_create(actor=author, **fields)
                lvb_indication_record(
                    actor=author,
                    person=person,
                    status=status,
                    source_kind=kind,
                    source=source,
                    observed_on=date(2026, 9, 1),
                )
                created += 1
    return DemoResult(len(organisations), len(USERS), created)
