"""Demo data for lawful sharing, on top of `seed_demo` (web/demo.py). Demo only."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

VEILIG_THUIS = "Demo Veilig Thuis Fryslân"


def seed_privacy_demo() -> str:
    if not getattr(settings, "SCHAKEL_DEMO_ALLOWED", False):
        raise ImproperlyConfigured("seed_privacy_demo is refused under production settings")
    from schakel.accounts.models import Membership, Organisation, Role
    from schakel.directory.models import Municipality

    from .models import Agreement, Consent, PrivacyProfile
    from .services import agreement_create, consent_record

    professional = (
        Membership.objects.filter(
            user__email="professional@zorg.demo",
            organisation__name="Demo Zorgaanbieder",
            role=Role.PROFESSIONAL,
            is_active=True,
        )
        .select_related("organisation")
        .first()
    )
    admin = Membership.objects.filter(
        user__email="admin@schakel.demo",
        organisation__name="Demo Zorgaanbieder",
        role=Role.ORG_ADMIN,
        is_active=True,
    ).first()
    gemeente = Organisation.objects.filter(name="Demo Gemeente Leeuwarden").first()
    if professional is None or admin is None or gemeente is None:
        return "No demo accounts yet: run seed_demo first. Nothing done."
    done = []
    with transaction.atomic():
        veilig_thuis, created = Organisation.objects.get_or_create(
            name=VEILIG_THUIS,
            defaults={
                "domain": Organisation.Domain.GEMEENTE,
                "municipality": Municipality.objects.filter(code="GM0080").first(),
            },
        )
        profile, _ = PrivacyProfile.objects.get_or_create(organisation=veilig_thuis)
        if "veilig_thuis" not in profile.designations:
            profile.designations = [*profile.designations, "veilig_thuis"]
            profile.save(update_fields=["designations", "updated_at"])
            done.append("designated Veilig Thuis")
        zorg, _ = PrivacyProfile.objects.get_or_create(organisation=professional.organisation)
        if not zorg.privacy_officer_email:
            zorg.privacy_officer_name = "Privacy officer (demo)"
            zorg.privacy_officer_email = "privacy@zorg.demo"
            zorg.save()
            done.append("privacy officer")
        today = timezone.localdate()
        if not Agreement.objects.filter(
            title="Convenant Zorg en Veiligheid Leeuwarden (demo)"
        ).exists():
            agreement_create(
                actor=admin,
                title="Convenant Zorg en Veiligheid Leeuwarden (demo)",
                reference="DEMO-2026-01",
                parties=[professional.organisation, gemeente],
                purposes=["case_coordination"],
                data_categories=[
                    "identificatie",
                    "contactgegevens",
                    "hulpvraag",
                    "hulpverlening",
                    "tijdlijn",
                ],
                valid_from=today - datetime.timedelta(days=30),
                valid_until=today + datetime.timedelta(days=335),
                note="Demo: afspraken over samenwerken in casussen.",
            )
            done.append("agreement")
        person = next(
            (p for p in professional.organisation.persons.all() if p.surname == "Bakker"), None
        )
        if person is not None and not Consent.objects.filter(person=person).exists():
            consent_record(
                actor=professional,
                person=person,
                given_by="person",
                purposes=["referral"],
                data_categories=["identificatie", "contactgegevens", "hulpvraag"],
                recipient_organisations=[gemeente],
                valid_from=today,
                valid_until=today + datetime.timedelta(days=180),
                method="written",
                evidence="Demo: ondertekend formulier in het dossier",
                understanding_checks=["easy_read_together", "teach_back"],
                understanding_note="Noa vertelde in eigen woorden wat de gemeente gaat doen.",
            )
            done.append("consent")
    return "Privacy demo data: " + (", ".join(done) if done else "already there") + "."
