"""Background work of the signal index, on the huey queue: the e-mail about a match (no personal
data in it), and the daily run that ends registrations whose time is up."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def signal_match_notify(match_ids: list[int]) -> int:
    """Tell the registering professional of each side of each match, once per person. The mail
    says only that there is a match and where to log in: no name, no organisation, no reason."""
    from .models import SignalMatch

    recipients = set()
    matches = SignalMatch.objects.filter(pk__in=match_ids).select_related(
        "registration_a__created_by__user", "registration_b__created_by__user"
    )
    for match in matches:
        for registration in (match.registration_a, match.registration_b):
            membership = registration.created_by
            if membership and membership.is_active and membership.user.is_active:
                recipients.add(membership.user.email)
    link = settings.SCHAKEL_BASE_URL + reverse("signal_index:index")
    for email in sorted(recipients):
        send_mail(
            subject=_("Schakel: er is een match in de signaleringsindex"),
            message=_(
                "Een andere organisatie is ook betrokken bij iemand die u in de "
                "signaleringsindex hebt gemeld.\n"
                "Log in om te zien wie het is en hoe u contact opneemt:\n%(link)s\n"
            )
            % {"link": link},
            from_email=None,
            recipient_list=[email],
        )
    return len(recipients)


@db_periodic_task(crontab(hour="4", minute="45"))
def signal_registrations_expire() -> int:
    from .services import signal_registrations_expire as expire

    return expire()
