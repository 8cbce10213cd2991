"""Demo data of the signal index, on top of `seed_demo` and `seed_demo_cases`: Demo
Zorgaanbieder registers Noa Bakker from her case, and Demo Scholengroep registers her directly by
name and date of birth, so both see a cross-domain match (zorg ↔ onderwijs). Demo only: refused
under production settings. Idempotent: a second run renews nothing and adds nothing."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from schakel.accounts.models import Membership, Role
from schakel.people.pseudonyms import Identifiers

from . import keys
from .models import SignalPseudonym

ZORG = "Demo Zorgaanbieder"
SCHOOL = "Demo Scholengroep"


def _membership(email: str, organisation: str) -> Membership | None:
    return (
        Membership.objects.filter(
            user__email=email, organisation__name=organisation, role=Role.PROFESSIONAL,
            is_active=True,
        )
        .select_related("user", "organisation")
        .first()
    )  # fmt: skip


def _registered(organisation_id: int, ids: Identifiers) -> bool:
    return SignalPseudonym.objects.filter(
        value__in=keys.all_values(ids),
        registration__organisation_id=organisation_id,
        registration__ended_at__isnull=True,
    ).exists()


def seed_demo_signals() -> str:
    if not getattr(settings, "SCHAKEL_DEMO_ALLOWED", False):
        raise ImproperlyConfigured("seed_demo_signals is refused under production settings")
    from schakel.cases.models import Case

    from .services import signal_register

    zorg = _membership("professional@zorg.demo", ZORG)
    school = _membership("professional@onderwijs.demo", SCHOOL)
    if zorg is None or school is None:
        return "No demo accounts yet: run seed_demo first. No demo signals made."
    case = (
        Case.objects.filter(organisation=zorg.organisation).select_related("person").order_by("pk")
    )
    case = next((c for c in case if c.person.surname == "Bakker"), None)
    if case is None:
        return "No demo case of Noa Bakker: run seed_demo_cases first. No demo signals made."
    person = case.person
    ids = Identifiers(
        surname=person.surname, given_names=person.given_names, date_of_birth=person.date_of_birth
    )
    made = []
    if not _registered(zorg.organisation_id, ids):
        signal_register(
            actor=zorg, context=f"case:{case.public_id}", contact_function="Jeugdhulpverlener",
            contact_phone="020-555 01 23",
        )  # fmt: skip
        made.append(ZORG)
    if not _registered(school.organisation_id, ids):
        signal_register(
            actor=school, context="zorgen_over_uitbuiting", identifiers=ids,
            contact_function="Mentor", contact_phone="020-555 04 56",
        )  # fmt: skip
        made.append(SCHOOL)
    if not made:
        return "Demo signals: already there."
    return "Demo signals registered by: " + ", ".join(made) + " (a cross-domain match)."
