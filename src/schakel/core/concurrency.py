"""Optimistic concurrency: an edit names the version it read; a newer stored version refuses it.

The API turns `StaleEdit` into 409 problem+json with `current_version` (`schakel.api.problems`),
the web shows the message on the form; neither needs code per endpoint.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_MESSAGE = _(
    "Iemand anders heeft dit gewijzigd nadat u het opende. Uw wijziging is niet opgeslagen."
)


class StaleEdit(ValidationError):
    """Someone else changed the record after the editor read it. Nothing was saved.

    `current_version` is the stored version now; `current` (optional) the stored record, so the
    web can show the other change. `message` says what was changed, in the record's own words.
    """

    def __init__(
        self, *, current_version: int, current: object = None, message: Any = None
    ) -> None:
        self.current_version = current_version
        self.current = current
        super().__init__({"version": ValidationError(message or DEFAULT_MESSAGE, code="stale")})
