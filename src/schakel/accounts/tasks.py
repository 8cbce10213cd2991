"""Background work for accounts, on the huey queue."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def send_password_setup(user_id: int) -> None:
    from .models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_setup", kwargs={"uidb64": uid, "token": token})
    base = settings.SCHAKEL_BASE_URL
    send_mail(
        subject=_("Uw account bij Schakel"),
        message=_(
            "Er is een account voor u gemaakt bij Schakel.\n"
            "Kies uw wachtwoord via deze link (3 dagen geldig):\n%(link)s\n"
        )
        % {"link": base + path},
        from_email=None,
        recipient_list=[user.email],
    )


@db_periodic_task(crontab(minute="*/30"))
def clear_expired_sessions() -> int:
    """Remove expired sessions and the bookkeeping rows that pointed at them."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from .models import UserSession

    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    live = Session.objects.values("session_key")
    deleted, _rows = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted
