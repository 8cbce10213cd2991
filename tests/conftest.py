"""Shared fixtures. App-specific factories live in tests/<app>/factories.py."""

import os

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests


def totp_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def actor_client(client):
    """Factory: log `client` in, 2FA-verified, acting for a membership (default: professional)."""

    def make(membership=None, **membership_kwargs):
        membership = membership or MembershipFactory(**membership_kwargs)
        device = TOTPDeviceFactory(user=membership.user)
        client.force_login(membership.user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session["schakel_membership_id"] = membership.pk
        session.save()
        return client, membership

    return make


def pytest_configure(config):
    """Compile the translations once (in the xdist controller) when a catalogue changed."""
    if hasattr(config, "workerinput"):
        return
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "locale"
    stale = [
        po
        for po in root.glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        import subprocess

        for po in stale:
            subprocess.run(  # noqa: S603 - msgfmt from gettext, on our own files
                ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],  # noqa: S607
                check=True,
            )


@pytest.fixture(autouse=True)
def log_checkpoint_dir(tmp_path_factory):
    """Every test writes processing-log checkpoints to a folder of its own (made when the first
    one is written), so no test sees another's checkpoints of a log that was rolled back."""
    import uuid

    from django.test import override_settings

    path = tmp_path_factory.getbasetemp() / "log-checkpoints" / uuid.uuid4().hex
    with override_settings(SCHAKEL_LOG_CHECKPOINT_DIR=str(path)):
        yield path


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in Dutch, whatever language an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
