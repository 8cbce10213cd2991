"""How privacy records are shown: read-only helpers for templates, serializers and exports.
Nothing here writes or checks permissions; callers show only what a selector let them read."""

from schakel.accounts.models import Role

from .models import SharingBasis


def sender_shown_to_recipient(basis: SharingBasis) -> dict:
    """Who the recipient sees as the sender: "op domicilie" hides the professional's name."""
    membership = basis.created_by
    function = Role(basis.created_by_role).label if basis.created_by_role in Role.values else ""
    shown = {"organisation": basis.sender.name, "function": str(function), "name": ""}
    if not basis.on_behalf_of_organisation and membership is not None:
        shown["name"] = membership.user.full_name or membership.user.email
    return shown
