"""web/demo.py seeds persons through this app's services; keep that contract working."""

import pytest

from schakel.people.models import LvbIndication, Person
from schakel.privacy.services import processing_log_verify
from schakel.web.demo import PERSONS, seed_demo


@pytest.mark.django_db
def test_seed_demo_creates_persons_with_an_lvb_indication():
    result = seed_demo()
    assert result.persons_created == len(PERSONS)
    assert Person.objects.count() == LvbIndication.objects.count() == len(PERSONS)
    assert processing_log_verify().ok
    assert seed_demo().persons_created == 0
