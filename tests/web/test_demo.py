from io import StringIO

import pytest
from django.core.management import call_command

from schakel.accounts.models import Membership, User
from schakel.privacy.services import processing_log_verify

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_every_role_and_the_capabilities_demo_data_once():
    call_command("load_reference_data", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    from schakel.cases.models import Case

    emails = set(User.objects.values_list("email", flat=True))
    assert {"professional@zorg.demo", "registrar@registratie.demo", "admin@schakel.demo"} <= emails
    coordinator = Membership.objects.filter(user__email="coordinator@zorg.demo")
    assert coordinator.count() == 2  # can switch between two organisations
    cases = Case.objects.count()
    assert cases >= 3
    call_command("seed_demo", stdout=StringIO())
    assert Case.objects.count() == cases
    assert processing_log_verify().ok


def test_demo_code_prints_the_current_code():
    from django_otp.oath import totp

    from schakel.web.demo import demo_totp_key

    out = StringIO()
    call_command("demo_code", "professional@zorg.demo", stdout=out)
    assert out.getvalue().strip() == f"{totp(demo_totp_key('professional@zorg.demo')):06d}"
