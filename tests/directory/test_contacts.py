"""The public contact API that other apps (screening) call."""

import pytest

from schakel.directory.selectors import (
    Contact,
    care_coordinators_for,
    contacts_by_key,
    escalation_contacts,
)
from schakel.directory.services import offer_create

from .factories import FunctionalAdminFactory

pytestmark = pytest.mark.django_db

KEYS = ["koraal", "veilig_thuis", "csg_0800", "comensha_meldpunt", "politie_0900", "avim"]


def test_contacts_for_the_keys_other_apps_use(wegwijzer):
    contacts = contacts_by_key(keys=KEYS)
    assert list(contacts) == KEYS
    assert all(isinstance(c, Contact) for c in contacts.values())
    # exactly as printed in the seeds, en dash and spaces included
    assert contacts["koraal"].phone == "046 – 477 52 52"
    assert contacts["koraal"].email == "info@koraal.nl"
    assert contacts["csg_0800"].phone == "0800-0188"
    assert contacts["comensha_meldpunt"].phone == "033-4481186"
    assert contacts["politie_0900"].phone == "0900-8844"
    assert contacts["avim"].phone == "0900-8844"
    # the seeds print no number for Veilig Thuis: none is invented
    assert contacts["veilig_thuis"].phone == ""
    assert contacts["veilig_thuis"].email == ""
    for contact in contacts.values():
        assert contact.note, contact.key
        assert contact.available_24_7 is False  # no source says so


def test_unknown_keys_are_absent(wegwijzer):
    assert contacts_by_key(keys=["bestaat_niet", "koraal"]).keys() == {"koraal"}
    assert contacts_by_key(keys=[]) == {}


def test_no_care_coordinator_in_the_seeds_so_the_national_route_is_given(wegwijzer):
    assert care_coordinators_for(municipality_code="GM0080") == []
    assert care_coordinators_for(municipality_code="GM9999") == []
    route = escalation_contacts()
    assert [c.key for c in route] == ["comensha_zorgcoordinatie", "zorgcoordinatoren"]
    assert route[0].phone == "033-4481186"


def test_a_regional_care_coordinator_is_found_by_municipality_region_or_province(wegwijzer):
    admin = FunctionalAdminFactory()
    offer_create(
        actor=admin,
        key="zc_fryslan",
        name="Zorgcoördinator mensenhandel Fryslân",
        services=["coordination"],
        scope="regional",
        safety_regions=["VR02"],
        phone="058-000 00 00",
    )
    leeuwarden = care_coordinators_for(municipality_code="GM0080")
    assert [c.key for c in leeuwarden] == ["zc_fryslan"]
    assert leeuwarden[0].phone == "058-000 00 00"
    assert care_coordinators_for(municipality_code="GM0363") == []
