"""API exceptions of our own (kept apart from `problems`, which imports DRF's views: the parsers
need these while DRF's settings are still being loaded)."""

from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status


class RequestTooLarge(exceptions.APIException):
    """413: the body is larger than the limit for this request."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("Het verzoek is te groot.")
    default_code = "request_too_large"
