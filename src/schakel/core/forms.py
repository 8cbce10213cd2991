"""The HTML side of "validate, call the service, show what went wrong", in one place.

    outcome = submit(form, services.person_update, actor=actor, person=person, ...)
    if outcome.ok:
        return redirect(...)
    return render(request, template, {"form": form}, status=outcome.status)

A `ValidationError` goes onto the form, field by field (400). A `StaleEdit` (409) keeps what the
user typed, moves the form's hidden `version` to the stored one, so that saving again is a
conscious overwrite, and says why at the top of the form; `outcome.conflict.current` holds the
stored record when the service gave it, to show the other change.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from schakel.core.concurrency import StaleEdit


@dataclass
class Outcome:
    result: object = None
    status: int = 200
    conflict: StaleEdit | None = None

    @property
    def ok(self) -> bool:
        return self.status < 400


def apply_errors(form: Any, error: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's errors on the form: a field's under the field (`aliases` maps service
    names to form names), the rest at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, texts)


def submit(
    form: Any, service: Callable[..., Any], /, *, aliases: dict | None = None, **kwargs: Any
) -> Outcome:
    """Call `service(**kwargs)` for a valid bound `form` and report the outcome."""
    try:
        return Outcome(result=service(**kwargs))
    except StaleEdit as conflict:
        form.data = form.data.copy()
        form.data["version"] = conflict.current_version
        form.add_error(None, conflict.messages[0])
        return Outcome(status=409, conflict=conflict)
    except ValidationError as error:
        apply_errors(form, error, aliases)
        return Outcome(status=400)
