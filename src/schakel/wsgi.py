"""WSGI entry point: `gunicorn schakel.wsgi` (see docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakel.conf.production")
application = get_wsgi_application()
