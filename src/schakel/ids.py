"""Public ids in addresses: a record is addressed by its random UUID, never its database id."""

import uuid

from django.http import Http404


def public_id_or_404(value) -> uuid.UUID:
    """`value` as a UUID; anything that is not one answers 404, like a record the actor may not
    see, so ids cannot be probed."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None
