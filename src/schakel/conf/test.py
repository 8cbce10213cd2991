"""Test settings: fixed, public test keys; fast hashing; tasks run in-process."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECRET_KEY = "test-only-secret-key-not-for-any-real-use-0123456789abcdef"  # noqa: S105
SCHAKEL_PERSON_KEYS = "t1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # bytes 0..31, test only
SCHAKEL_PSEUDONYM_KEYS = (
    "log:bG9nLWtleS1mb3ItdGVzdHMtb25seS0wMDAwMDAwMA==,"
    "signal_index:c2lnbmFsLWluZGV4LWtleS1mb3ItdGVzdHMtMDAwMA==,"
    "registry:cmVnaXN0cnkta2V5LWZvci10ZXN0cy1vbmx5LTAwMDA="
)
SCHAKEL_LOG_KEYS = "t1:bG9nLWhtYWMta2V5LWZvci10ZXN0cy1vbmx5LTAwMDA="  # test only
SCHAKEL_LOG_CHECKPOINT_KEYS = "t1:Y2hlY2twb2ludC1rZXktZm9yLXRlc3RzLW9ubHktMDA="  # test only
# Each test gets a folder of its own (tests/conftest.py); this one is for `manage.py check`.
SCHAKEL_LOG_CHECKPOINT_DIR = str(Path(tempfile.gettempdir()) / "schakel-test-log-checkpoints")
SCHAKEL_DEMO_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
HUEY = {**HUEY, "immediate": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["django"]["level"] = "ERROR"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Rate limits off for the suite (the API fuzz run alone makes thousands of calls);
# tests/api/test_throttling.py switches them on with small rates.
SCHAKEL_API_RATES = {"user": None, "anonymous": None}
