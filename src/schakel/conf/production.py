"""Production: every secret comes from the environment; without one the app refuses to start."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def required(name: str) -> str:
    """The value of environment variable `name`; missing or empty stops the process."""
    value = env.str(name).strip()  # a missing variable raises "Set the NAME environment variable"
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable (it is empty)")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [host for host in env.list("ALLOWED_HOSTS") if host.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable (it is empty)")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db_url_config(required("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SCHAKEL_PERSON_KEYS = required("SCHAKEL_PERSON_KEYS")
SCHAKEL_PSEUDONYM_KEYS = required("SCHAKEL_PSEUDONYM_KEYS")
SCHAKEL_LOG_KEYS = required("SCHAKEL_LOG_KEYS")
SCHAKEL_LOG_CHECKPOINT_KEYS = required("SCHAKEL_LOG_CHECKPOINT_KEYS")
SCHAKEL_LOG_CHECKPOINT_DIR = required("SCHAKEL_LOG_CHECKPOINT_DIR")
SCHAKEL_DEMO_ALLOWED = False
SCHAKEL_BASE_URL = required("SCHAKEL_BASE_URL").rstrip("/")

# HTTPS only, behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-schakel_session"
CSRF_COOKIE_NAME = "__Host-schakel_csrftoken"

HUEY = {
    **HUEY,
    "huey_class": "huey.RedisHuey",
    "connection": {"url": required("REDIS_URL")},
    "consumer": {"workers": env.int("HUEY_WORKERS", default=4), "worker_type": "thread"},
}
HUEY.pop("filename", None)
# The shared cache: API rate limits must count across all app servers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="") or required("REDIS_URL"),
        "KEY_PREFIX": "schakel",
        "TIMEOUT": 300,
    }
}

EMAIL_CONFIG = env.email_url_config(required("EMAIL_URL"))
vars().update(EMAIL_CONFIG)
