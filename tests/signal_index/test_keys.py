"""The key ring of the signal index and `rotate_signal_key`: matching keeps working during and
after a rotation, and a bad ring is refused clearly (also by `manage.py check`)."""

import base64
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from schakel.accounts.models import Organisation
from schakel.signal_index import keys, services
from schakel.signal_index.checks import signal_index_key_ring_is_valid
from schakel.signal_index.models import SignalMatch, SignalPseudonym

from .factories import identifiers, professional, register, rotation_key

pytestmark = pytest.mark.django_db
D = Organisation.Domain
V2 = rotation_key(2)
V3 = rotation_key(3)


def test_only_version_1_without_rotation_keys():
    assert keys.current_version() == 1
    ids = identifiers(1)
    assert keys.current_values(ids) == keys.first_versions(ids)


def test_the_chain_is_hmac_of_the_previous_version():
    with override_settings(SCHAKEL_SIGNAL_INDEX_KEYS=f"{V2},{V3}"):
        first = keys.first_versions(identifiers(1))[0]
        chained = keys.chain(first)
        assert [v for v, _value in chained] == [1, 2, 3]
        k2 = base64.b64decode(V2.split(":", 1)[1])
        assert chained[1][1] == keys.step(first, k2)
        assert keys.lift(chained[1][1], from_version=2) == chained[2][1]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("3:" + V2.split(":", 1)[1], "missing 2"),
        ("1:" + V2.split(":", 1)[1], "version 1"),
        ("2:" + base64.b64encode(b"short").decode(), "at least 32"),
        ("2:not base64!", "base64"),
        ("two:" + V2.split(":", 1)[1], "version:base64key"),
        (f"{V2},{V2}", "twice"),
        (f"{V2},3:{V2.split(':', 1)[1]}", "own key"),
    ],
)
def test_a_bad_ring_is_refused_naming_the_problem(spec, problem):
    with override_settings(SCHAKEL_SIGNAL_INDEX_KEYS=spec):
        with pytest.raises(ImproperlyConfigured, match=problem):
            keys.rotation_keys()
        errors = signal_index_key_ring_is_valid(None)
        assert errors and errors[0].id == "schakel.signal_index.E001"


def test_env_and_file_not_both(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text(V2 + "\n")
    both = override_settings(SCHAKEL_SIGNAL_INDEX_KEYS=V2, SCHAKEL_SIGNAL_INDEX_KEY_FILE=str(path))
    with both, pytest.raises(ImproperlyConfigured, match="not both"):
        keys.rotation_keys()


def test_keys_from_a_file(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text(f"# rotation keys\n{V2}\n\n")
    with override_settings(SCHAKEL_SIGNAL_INDEX_KEY_FILE=str(path)):
        assert keys.current_version() == 2
        path.write_text(f"{V2}\n{V3}\n")
        assert keys.current_version() == 3
    missing = override_settings(SCHAKEL_SIGNAL_INDEX_KEY_FILE=str(tmp_path / "missing.txt"))
    with missing, pytest.raises(ImproperlyConfigured, match="cannot read"):
        keys.rotation_keys()


def test_manage_py_check_fails_on_a_bad_ring():
    bad = override_settings(SCHAKEL_SIGNAL_INDEX_KEYS="2:AAAA")
    with bad, pytest.raises(Exception, match="E001"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


def test_rotation_preserves_matches_during_and_after():
    school, police, town = (professional(d) for d in (D.ONDERWIJS, D.POLITIE, D.GEMEENTE))
    for n in range(1, 5):
        register(school, identifiers(n))
    register(police, identifiers(1))
    assert SignalMatch.objects.count() == 1
    with override_settings(SCHAKEL_SIGNAL_INDEX_KEYS=V2):
        assert services.signal_keys_rotate(dry_run=True).to_lift == 10
        # interrupted after one small batch: rows of both versions side by side
        partial = services.signal_keys_rotate(batch_size=3, max_batches=1)
        assert partial.lifted == 3
        assert set(SignalPseudonym.objects.values_list("key_version", flat=True)) == {1, 2}
        # a new registration stores version 2 and still matches both old and lifted rows
        during = register(town, identifiers(1))
        assert len(during.matches) == 2
        assert set(during.registration.pseudonyms.values_list("key_version", flat=True)) == {2}
        # renewal finds the own registration whatever version its rows have
        assert register(school, identifiers(4)).renewed
        out = StringIO()
        call_command("rotate_signal_key", "--batch-size", "2", stdout=out)
        assert "Newest key version 2" in out.getvalue()
        assert set(SignalPseudonym.objects.values_list("key_version", flat=True)) == {2}
        after = register(professional(D.ZORG), identifiers(1, bsn=False))
        assert len(after.matches) == 3
        assert SignalMatch.objects.count() == 1 + 2 + 3  # earlier matches kept
        # idempotent
        again = services.signal_keys_rotate()
        assert again.lifted == 0 and again.to_lift == 0
        with override_settings(SCHAKEL_SIGNAL_INDEX_KEYS=f"{V2},{V3}"):
            services.signal_keys_rotate()
            assert set(SignalPseudonym.objects.values_list("key_version", flat=True)) == {3}
            assert len(register(professional(D.JUSTITIE), identifiers(2)).matches) == 1


def test_rotate_command_dry_run_and_bad_ring():
    register(professional(), identifiers(1))
    with override_settings(SCHAKEL_SIGNAL_INDEX_KEYS=V2):
        out = StringIO()
        call_command("rotate_signal_key", "--dry-run", stdout=out)
        assert "2 pseudonyms would be lifted" in out.getvalue()
        assert set(SignalPseudonym.objects.values_list("key_version", flat=True)) == {1}
    bad = override_settings(SCHAKEL_SIGNAL_INDEX_KEYS="2:AAAA")
    with bad, pytest.raises(CommandError, match="key ring"):
        call_command("rotate_signal_key", stdout=StringIO())


def test_the_log_pseudonym_never_equals_an_index_pseudonym():
    registration = register(professional(), identifiers(1)).registration
    values = set(registration.pseudonyms.values_list("value", flat=True))
    assert keys.log_subject(registration.public_id) not in values
