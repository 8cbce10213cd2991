"""Development (`make run`): SQLite under var/ unless DATABASE_URL is set; keys made in var/."""

from ._devkeys import log_checkpoint_keys, log_keys, person_keys, pseudonym_keys, secret_key
from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SECRET_KEY = env.str("SECRET_KEY", default="") or secret_key(VAR_DIR)
SCHAKEL_PERSON_KEYS = SCHAKEL_PERSON_KEYS or person_keys(VAR_DIR)
SCHAKEL_PSEUDONYM_KEYS = SCHAKEL_PSEUDONYM_KEYS or pseudonym_keys(VAR_DIR)
SCHAKEL_LOG_KEYS = SCHAKEL_LOG_KEYS or log_keys(VAR_DIR)
SCHAKEL_LOG_CHECKPOINT_KEYS = SCHAKEL_LOG_CHECKPOINT_KEYS or log_checkpoint_keys(VAR_DIR)
SCHAKEL_LOG_CHECKPOINT_DIR = SCHAKEL_LOG_CHECKPOINT_DIR or str(VAR_DIR / "log-checkpoints")
SCHAKEL_DEMO_ALLOWED = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
