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


@db_task()
def send_account_locked(user_id: int) -> None:
    """Tell the owner of a locked account how to unlock it, and their organisations' admins."""
    from .models import Membership, Role, User
    from .services import account_unlock_token

    user = User.objects.filter(pk=user_id, is_active=True, locked_at__isnull=False).first()
    if user is None:
        return
    path = reverse("accounts:unlock", kwargs={"token": account_unlock_token(user=user)})
    base = settings.SCHAKEL_BASE_URL
    hours = settings.SCHAKEL_ACCOUNT_UNLOCK_LINK_HOURS
    send_mail(
        subject=_("Uw account bij Schakel is vergrendeld"),
        message=_(
            "Iemand heeft %(count)s keer een verkeerd wachtwoord gebruikt voor uw account bij "
            "Schakel. Daarom kan niemand nu met uw account inloggen.\n\n"
            "Ontgrendel uw account via deze link (%(hours)s uur geldig, één keer te gebruiken):\n"
            "%(link)s\n\n"
            "Was u dit niet zelf? Ontgrendel dan uw account, kies meteen een nieuw wachtwoord en "
            "meld het bij de beheerder van uw organisatie.\n"
        )
        % {"count": user.login_failures, "hours": hours, "link": base + path},
        from_email=None,
        recipient_list=[user.email],
    )
    admins = (
        Membership.objects.filter(
            role=Role.ORG_ADMIN,
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
            organisation__memberships__user=user,
            organisation__memberships__is_active=True,
        )
        .exclude(user=user)
        .values_list("user__email", flat=True)
        .distinct()
    )
    recipients = sorted(set(admins))
    if recipients:
        send_mail(
            subject=_("Een account van uw organisatie is vergrendeld"),
            message=_(
                "Het account %(email)s is vergrendeld na %(count)s mislukte inlogpogingen. "
                "De eigenaar heeft een e-mail gekregen om het te ontgrendelen. U kunt het ook "
                "zelf ontgrendelen op de pagina Gebruikers:\n%(link)s\n"
            )
            % {
                "email": user.email,
                "count": user.login_failures,
                "link": base + reverse("accounts:organisation_users"),
            },
            from_email=None,
            recipient_list=recipients,
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
