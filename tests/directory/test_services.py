"""Capacity and freshness, editing with history and conflicts, suggestions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakel.directory import selectors, services
from schakel.directory.models import DirectoryChange, Offer, Suggestion
from tests.accounts.factories import MembershipFactory

from .factories import FunctionalAdminFactory, OfferFactory, OrgAdminFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def _capacity(actor, offer, **values):
    return services.offer_capacity_update(
        actor=actor,
        offer=offer,
        places=values.get("places"),
        free_places=values.get("free_places"),
        waiting_weeks=values.get("waiting_weeks"),
        expected_version=values.get("version", offer.version),
    )


def test_org_admin_updates_capacity_of_own_offers_only(geography):
    own_admin = OrgAdminFactory()
    provider = ProviderFactory(organisation=own_admin.organisation)
    own = OfferFactory(provider=provider, services=["shelter"])
    other = OfferFactory(services=["shelter"])

    updated = _capacity(own_admin, own, places=10, free_places=0, waiting_weeks=6)
    assert (updated.places, updated.free_places, updated.waiting_weeks) == (10, 0, 6)
    assert updated.capacity_updated_by == own_admin
    assert updated.capacity_updated_label == own_admin.organisation.name
    assert updated.version == own.version + 1
    with pytest.raises(PermissionDenied):
        _capacity(own_admin, other, places=1)
    with pytest.raises(PermissionDenied):
        _capacity(MembershipFactory(organisation=own_admin.organisation), own, places=1)
    # a functional admin maintains everything
    _capacity(FunctionalAdminFactory(), other, places=3, free_places=3)


def test_capacity_is_validated_and_a_stale_edit_is_refused(geography):
    admin = FunctionalAdminFactory()
    offer = OfferFactory(services=["shelter"])
    with pytest.raises(ValidationError) as error:
        _capacity(admin, offer, places=2, free_places=5)
    assert "free_places" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _capacity(admin, offer, places=-1)
    assert "places" in error.value.message_dict
    _capacity(admin, offer, places=4)
    with pytest.raises(services.StaleEdit) as conflict:
        _capacity(admin, offer, places=5, version=offer.version)  # the version read before
    assert conflict.value.current_version == offer.version + 1
    assert Offer.objects.get(pk=offer.pk).places == 4


def test_confirming_the_same_numbers_makes_them_fresh_and_is_in_the_history(geography):
    admin = FunctionalAdminFactory()
    offer = OfferFactory(
        services=["shelter"],
        places=4,
        free_places=1,
        capacity_updated_at=timezone.now() - timedelta(days=40),
    )
    assert selectors.capacity_freshness(offer).stale
    offer = _capacity(admin, offer, places=4, free_places=1)
    assert not selectors.capacity_freshness(offer).stale
    change = DirectoryChange.objects.get(key=offer.key, action="capacity")
    assert set(change.changes) == {"capacity_updated_at"}
    assert change.actor == admin


def test_stale_days_is_a_setting(geography, settings):
    offer = OfferFactory(capacity_updated_at=timezone.now() - timedelta(days=10))
    assert not selectors.capacity_freshness(offer).stale
    settings.SCHAKEL_DIRECTORY_STALE_DAYS = 7
    freshness = selectors.capacity_freshness(offer)
    assert freshness.stale and freshness.days == 10
    admin = FunctionalAdminFactory()
    assert selectors.stale_offers(actor=admin) == [offer]


def test_offer_update_records_old_and_new_values_and_checks_the_version(wegwijzer):
    admin = FunctionalAdminFactory()
    asja = Offer.objects.get(key="asja")
    updated = services.offer_update(
        actor=admin, offer=asja, expected_version=asja.version, age_max=24, phone="088-208 00 00"
    )
    assert updated.age_max == 24 and not updated.from_seed
    change = DirectoryChange.objects.filter(key="asja").first()
    assert change.action == "updated"
    assert change.changes == {"age_max": [23, 24]}
    with pytest.raises(services.StaleEdit):
        services.offer_update(actor=admin, offer=asja, expected_version=1, age_max=25)
    with pytest.raises(ValidationError) as error:
        services.offer_update(actor=admin, offer=updated, expected_version=2, age_min=30)
    assert "age_max" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.offer_update(
            actor=OrgAdminFactory(), offer=updated, expected_version=2, age_max=20
        )


def test_deactivating_an_offer_hides_it(wegwijzer):
    admin = FunctionalAdminFactory()
    asja = Offer.objects.get(key="asja")
    services.offer_update(actor=admin, offer=asja, expected_version=1, is_active=False)
    assert DirectoryChange.objects.filter(key="asja", action="deactivated").exists()
    assert selectors.contacts_by_key(keys=["asja"]) == {}
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.offer_get(key="asja")


def test_provider_update_links_an_organisation(wegwijzer):
    admin = FunctionalAdminFactory()
    org_admin = OrgAdminFactory()
    fier = selectors.provider_get(key="fier")
    services.provider_update(
        actor=admin, provider=fier, expected_version=1, organisation=org_admin.organisation
    )
    asja = selectors.offer_get(key="asja")
    assert services.can_update_capacity(org_admin, asja)
    assert [o.key for o in selectors.offers_for_capacity(actor=org_admin)] == [
        "asja",
        "chat_met_fier",
        "fier_advies_aanmeldingen",
        "ravi",
    ]
    assert DirectoryChange.objects.filter(entity="provider", key="fier").exists()


def test_history_is_for_admins_and_the_providers_own_admins(wegwijzer):
    from django.http import Http404

    asja = selectors.offer_get(key="asja")
    assert selectors.offer_history(actor=FunctionalAdminFactory(), offer=asja)
    with pytest.raises(Http404):
        selectors.offer_history(actor=MembershipFactory(), offer=asja)
    with pytest.raises(Http404):
        selectors.offer_history(actor=None, offer=asja)


# -- suggestions --------------------------------------------------------------------------------


def test_public_suggestion_and_review_erases_the_email(wegwijzer):
    asja = selectors.offer_get(key="asja")
    suggestion = services.suggestion_submit(
        actor=None,
        kind="correction",
        offer=asja,
        subject="Asja",
        message="De leeftijd is veranderd.",
        email="iemand@example.org",
    )
    assert suggestion.email == "iemand@example.org"
    admin = FunctionalAdminFactory()
    reviewed = services.suggestion_review(
        actor=admin, suggestion=suggestion, decision="accepted", note="Aangepast."
    )
    assert reviewed.email == ""
    assert Suggestion.objects.get(pk=suggestion.pk).email == ""
    assert reviewed.status == "accepted" and reviewed.reviewed_by == admin
    with pytest.raises(ValidationError):
        services.suggestion_review(actor=admin, suggestion=reviewed, decision="rejected")


def test_suggestion_validation_and_permissions(wegwijzer):
    with pytest.raises(ValidationError) as error:
        services.suggestion_submit(
            actor=None, kind="correction", subject="", message="kort", email="geen"
        )
    assert set(error.value.message_dict) == {"offer", "subject", "message", "email"}
    professional = MembershipFactory()
    suggestion = services.suggestion_submit(
        actor=professional, kind="new", subject="Nieuw", message="Er is een nieuwe opvang."
    )
    assert suggestion.suggested_by == professional
    with pytest.raises(PermissionDenied):
        services.suggestion_submit(
            actor=OrgAdminFactory(), kind="new", subject="X", message="Tien tekens of meer"
        )
    with pytest.raises(PermissionDenied):
        services.suggestion_review(actor=professional, suggestion=suggestion, decision="rejected")


def test_new_suggestion_mails_the_functional_admins(
    wegwijzer, mailoutbox, django_capture_on_commit_callbacks
):
    admin = FunctionalAdminFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_submit(
            actor=None, kind="new", subject="Nieuw", message="Er is een nieuwe opvang."
        )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [admin.user.email]
    assert "nieuwe opvang" not in mailoutbox[0].body  # no content in the mail
