"""Settings shared by every environment. Environment variables: docs/operations.md."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
env = environ.Env()
VAR_DIR = Path(env.str("SCHAKEL_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "schakel.accounts",
    "schakel.directory",
    "schakel.people",
    "schakel.privacy",
    "schakel.screening",
    "schakel.knowledge",
    "schakel.cases",
    "schakel.registry",
    "schakel.signal_index",
    "schakel.monitor",
    "schakel.api",
    "schakel.web",
]

MIDDLEWARE = [
    "schakel.web.middleware.TraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "schakel.web.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "schakel.web.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "schakel.accounts.middleware.SessionLifetimeMiddleware",
    "schakel.accounts.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "schakel.urls"
WSGI_APPLICATION = "schakel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "schakel.web.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'schakel.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

# Sessions: stored in the database so app servers stay stateless behind a load balancer.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SCHAKEL_SESSION_IDLE_SECONDS = env.int("SCHAKEL_SESSION_IDLE_SECONDS", default=15 * 60)
SCHAKEL_SESSION_MAX_SECONDS = env.int("SCHAKEL_SESSION_MAX_SECONDS", default=8 * 60 * 60)
SCHAKEL_SESSION_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = SCHAKEL_SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "schakel_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "schakel.web.views.csrf_failure"

# Brute-force lockout (django-axes): 5 failures per account and address lock for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind N reverse proxies, the client address is taken from X-Forwarded-For (core/net.py).
SCHAKEL_TRUSTED_PROXY_COUNT = env.int("SCHAKEL_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "schakel.core.net.client_ip"
AXES_VERBOSE = False
# Across all addresses: this many failed passwords for one account within the window lock the
# account until its owner unlocks it by e-mail or an org admin unlocks it (docs/operations.md).
SCHAKEL_ACCOUNT_FAILURE_LIMIT = env.int("SCHAKEL_ACCOUNT_FAILURE_LIMIT", default=20)
SCHAKEL_ACCOUNT_FAILURE_WINDOW = timedelta(
    hours=env.int("SCHAKEL_ACCOUNT_FAILURE_WINDOW_HOURS", default=24)
)
SCHAKEL_ACCOUNT_UNLOCK_LINK_HOURS = env.int("SCHAKEL_ACCOUNT_UNLOCK_LINK_HOURS", default=24)

# Two-factor authentication
OTP_TOTP_ISSUER = "Schakel"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "schakel_language"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security headers that hold everywhere; production.py adds HTTPS-only settings.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SCHAKEL_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Keys for personal data. Formats: docs/operations.md. dev.py and test.py fill these in.
SCHAKEL_PERSON_KEYS = env.str("SCHAKEL_PERSON_KEYS", default="")
SCHAKEL_PSEUDONYM_KEYS = env.str("SCHAKEL_PSEUDONYM_KEYS", default="")

# The processing log (docs/operations.md, "The processing log's keys and checkpoints"). Log keys:
# HMAC keys of the hash chain, "id:base64key[,…]", the first signs. Checkpoint keys: Ed25519
# private keys (32-byte seeds), "id:base64seed[,…]", the first signs. Checkpoints go to the
# directory, one new file each, never rewritten: put it on append-only (WORM) storage.
SCHAKEL_LOG_KEYS = env.str("SCHAKEL_LOG_KEYS", default="")
SCHAKEL_LOG_CHECKPOINT_KEYS = env.str("SCHAKEL_LOG_CHECKPOINT_KEYS", default="")
SCHAKEL_LOG_CHECKPOINT_DIR = env.str("SCHAKEL_LOG_CHECKPOINT_DIR", default="")

# Signal index (docs/signal_index.md). Key version 1 is the signal_index pseudonym key above; these
# are the rotation keys beyond it: "2:base64key,3:base64key" (env) or one "version:base64key" per
# line in a file (not both). Keep every key: the pseudonyms are chained through all versions.
SCHAKEL_SIGNAL_INDEX_KEYS = env.str("SCHAKEL_SIGNAL_INDEX_KEYS", default="")
SCHAKEL_SIGNAL_INDEX_KEY_FILE = env.str("SCHAKEL_SIGNAL_INDEX_KEY_FILE", default="")
SCHAKEL_SIGNAL_RETENTION_DAYS = env.int("SCHAKEL_SIGNAL_RETENTION_DAYS", default=730)
# The signal index's registration statement is prepared once per database connection (PostgreSQL).
# Turn off behind a pooler that hands one client's transactions to different server connections
# (PgBouncer in transaction mode): a prepared statement lives on one server connection.
SCHAKEL_DB_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
SCHAKEL_SIGNAL_RATE_PER_USER_HOUR = env.int("SCHAKEL_SIGNAL_RATE_PER_USER_HOUR", default=30)
SCHAKEL_SIGNAL_RATE_PER_ORG_DAY = env.int("SCHAKEL_SIGNAL_RATE_PER_ORG_DAY", default=500)

SCHAKEL_PROCESSING_REGISTER = SRC_DIR / "schakel" / "privacy" / "data" / "processing_register.yaml"
SCHAKEL_API_TOKEN_DAYS = env.int("SCHAKEL_API_TOKEN_DAYS", default=90)
# Largest evidence file of a consent (a scanned form), stored encrypted in the database.
SCHAKEL_CONSENT_EVIDENCE_MAX_BYTES = env.int(
    "SCHAKEL_CONSENT_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024
)

# The largest request body, and so the largest CSV import (web form and API alike): refused by its
# Content-Length before it is read, 413. Other bodies stop far earlier: form fields and JSON at
# DATA_UPLOAD_MAX_MEMORY_SIZE (Django's default, 2.5 MB), a consent's evidence file above.
SCHAKEL_UPLOAD_MAX_BYTES = env.int("SCHAKEL_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "schakel.api.authentication.HashedTokenAuthentication",
        "schakel.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["schakel.api.permissions.HasActor"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "schakel.api.problems.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Bounded in size and nesting, and only text that can be stored (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "schakel.api.parsers.JSONParser",
        "schakel.api.parsers.FormParser",
        "schakel.api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [
        "schakel.api.throttling.ActorRateThrottle",
        "schakel.api.throttling.AnonymousRateThrottle",
    ],
}
# API rate limits ("N/second|minute|hour|day"); an empty value switches a limit off.
SCHAKEL_API_RATES = {
    "user": env.str("SCHAKEL_API_RATE_USER", default="600/minute") or None,
    "anonymous": env.str("SCHAKEL_API_RATE_ANONYMOUS", default="120/minute") or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Schakel API",
    "DESCRIPTION": "API for the chain against exploitation. Errors are application/problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "schakel.api.schema.document_problems",
    ],
    # Several apps have fields called `kind` and `status`; give each choice set its own name.
    "ENUM_NAME_OVERRIDES": {
        "InstrumentKindEnum": ["scored", "guide"],
        "InstrumentStatusEnum": ["indicative", "validated"],
        "KnowledgeItemKindEnum": "schakel.knowledge.models.Kind",
        "RecommendationStatusEnum": "schakel.knowledge.models.Status",
        "RecommendationPointKindEnum": "schakel.knowledge.models.Recommendation.PointKind",
        "LvbStatusEnum": "schakel.people.models.LvbIndication.Status",
        "SignalContextKindEnum": "schakel.signal_index.models.ContextKind",
        "SignalEndReasonEnum": "schakel.signal_index.models.EndReason",
    },
}

# Background work (huey). dev: SQLite-backed queue under var/; production: Redis.
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "schakel",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": False,
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# The public address of this installation, for links in e-mails (no trailing slash).
SCHAKEL_BASE_URL = env.str("SCHAKEL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Schakel <noreply@schakel.example>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "schakel.web.logging.ScrubPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub"], "formatter": "plain"}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
