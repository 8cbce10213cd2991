"""The sharing rules are a versioned data file, validated on load and by a system check."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from schakel.accounts.models import Organisation, Role
from schakel.privacy.models import PrivacyProfile
from schakel.privacy.register import processing_register
from schakel.privacy.sharing_config import (
    DEFAULT_PATH,
    SharingConfigError,
    parse_sharing_config,
    sharing_config,
)
from tests.accounts.factories import MembershipFactory, OrganisationFactory


def _source():
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _parse(tmp_path: Path, data):
    path = tmp_path / "sharing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return parse_sharing_config(path, activities=set(processing_register().activities))


def test_shipped_file_is_valid_and_complete():
    config = sharing_config()
    for purpose in config.purposes.values():
        assert purpose.easy_points and purpose.easy_title
        assert purpose.activity in processing_register().activities
    assert config.purposes["national_registration"].consent_self_from_age == 18
    assert {"meldrecht_veilig_thuis", "zwaarwegend_belang", "noodprocedure"} <= set(
        config.legal_bases
    )


def test_retention_categories_of_the_register_have_handlers():
    from schakel.privacy.retention import HANDLERS

    assert set(processing_register().data_categories) <= set(HANDLERS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["purposes"][0].update(activity="nowhere"), "not in the register"),
        (lambda d: d["purposes"][0]["data_categories"].append("shoe-size"), "unknown category"),
        (lambda d: d["legal_duties"][0].update(basis="toestemming"), "no legal_duty basis"),
        (lambda d: d["legal_duties"][0].update(purposes=["gossip"]), "unknown purpose"),
        (lambda d: d["legal_duties"][0].update(sender_designations=["x"]), "unknown designation"),
        (lambda d: d["purposes"].append(dict(d["purposes"][0])), "duplicate key"),
        (lambda d: d["purposes"][0].pop("easy_read"), "easy_read"),
        (
            lambda d: d.update(
                legal_bases=[b for b in d["legal_bases"] if b["kind"] != "override"]
            ),
            "override",
        ),
    ],
)
def test_broken_files_are_refused_with_the_place(tmp_path, change, message):
    data = _source()
    change(data)
    with pytest.raises(SharingConfigError, match=message):
        _parse(tmp_path, data)


def test_system_check_runs_the_validation():
    call_command("check")


@pytest.mark.django_db
def test_designate_command(capsys):
    organisation = OrganisationFactory(name="VT Test", domain=Organisation.Domain.GEMEENTE)
    out = StringIO()
    call_command("privacy_designate", str(organisation.pk), "--add", "veilig_thuis", stdout=out)
    assert PrivacyProfile.objects.get(organisation=organisation).designations == ["veilig_thuis"]
    call_command("privacy_designate", "VT Test", "--remove", "veilig_thuis", stdout=out)
    assert PrivacyProfile.objects.get(organisation=organisation).designations == []
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("privacy_designate", "VT Test", "--add", "secret_service")


@pytest.mark.django_db
def test_functional_admin_designates_org_admin_cannot(db):
    from django.core.exceptions import PermissionDenied

    from schakel.privacy.services import privacy_profile_update

    organisation = OrganisationFactory()
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=organisation)
    with pytest.raises(PermissionDenied):
        privacy_profile_update(
            actor=admin, organisation=organisation, designations=["veilig_thuis"]
        )
    functional = MembershipFactory(role=Role.FUNCTIONAL_ADMIN)
    profile = privacy_profile_update(
        actor=functional, organisation=organisation, designations=["veilig_thuis"]
    )
    assert profile.designations == ["veilig_thuis"]
    other = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        privacy_profile_update(actor=admin, organisation=other, privacy_officer_email="a@b.nl")


@pytest.mark.django_db
def test_seed_privacy_demo_is_idempotent():
    from schakel.web.demo import seed_demo

    call_command("load_reference_data", stdout=StringIO())
    seed_demo()
    out = StringIO()
    call_command("seed_privacy_demo", stdout=out)
    assert "agreement" in out.getvalue() and "consent" in out.getvalue()
    out = StringIO()
    call_command("seed_privacy_demo", stdout=out)
    assert "already there" in out.getvalue()
    veilig_thuis = Organisation.objects.get(name="Demo Veilig Thuis Fryslân")
    assert PrivacyProfile.objects.get(organisation=veilig_thuis).designations == ["veilig_thuis"]
