"""Background work for the wegwijzer, on the huey queue."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task


@db_task()
def notify_new_suggestion(suggestion_id: int) -> None:
    """Tell the functional admins that a suggestion waits for review (no content in the mail)."""
    from schakel.accounts.models import Membership, Role

    from .models import Suggestion

    if not Suggestion.objects.filter(pk=suggestion_id, status=Suggestion.Status.OPEN).exists():
        return
    recipients = sorted(
        set(
            Membership.objects.filter(
                role=Role.FUNCTIONAL_ADMIN, is_active=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return
    link = settings.SCHAKEL_BASE_URL + reverse("directory:suggestion_list")
    send_mail(
        subject=_("Nieuwe suggestie voor de wegwijzer"),
        message=_("Er is een nieuwe suggestie voor de wegwijzer. Beoordeel die hier:\n%(link)s\n")
        % {"link": link},
        from_email=None,
        recipient_list=recipients,
    )
