"""All writes to accounts. Each function checks permission, validates, and records history."""

import hashlib
import logging
import secrets
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccountEvent, ApiToken, Membership, Organisation, Role, User, UserSession
from .permissions import ensure_can

RECOVERY_CODE_COUNT = 10
logger = logging.getLogger(__name__)


def _event(kind, *, actor_user=None, organisation=None, target_user=None, detail=""):
    AccountEvent.objects.create(
        kind=kind,
        actor_user=actor_user,
        organisation=organisation,
        target_user=target_user,
        detail=detail[:200],
    )


# -- sessions -------------------------------------------------------------------------------


def user_session_register(*, user: User, session_key: str) -> None:
    UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def user_sessions_end(*, user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


# -- organisation users (org_admin) -----------------------------------------------------------


def _ensure_manages(actor: Membership, organisation: Organisation) -> None:
    ensure_can(actor, "organisation.manage_users")
    if actor.organisation_id != organisation.pk:
        raise PermissionDenied("organisation.manage_users")


def membership_create(
    *, actor: Membership, email: str, full_name: str = "", role: str
) -> Membership:
    """Add a (new or existing) user to the actor's own organisation with `role`."""
    _ensure_manages(actor, actor.organisation)
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Kies een bestaande rol.")})
    if not email or "@" not in email:
        raise ValidationError({"email": _("Vul een geldig e-mailadres in.")})
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
        elif not user.is_active:
            raise ValidationError({"email": _("Dit account is gedeactiveerd.")})
        if Membership.objects.filter(
            user=user, organisation=actor.organisation, role=role, is_active=True
        ).exists():
            raise ValidationError({"role": _("Deze gebruiker heeft deze rol al.")})
        membership = Membership.objects.create(
            user=user, organisation=actor.organisation, role=role
        )
        _event(
            AccountEvent.Kind.MEMBERSHIP_CREATED,
            actor_user=actor.user,
            organisation=actor.organisation,
            target_user=user,
            detail=role,
        )
    if not user.has_usable_password():
        from .tasks import send_password_setup

        transaction.on_commit(lambda: send_password_setup(user.pk))
    return membership


def membership_change_role(*, actor: Membership, membership: Membership, role: str) -> Membership:
    _ensure_manages(actor, membership.organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Kies een bestaande rol.")})
    if not membership.is_active:
        raise ValidationError({"role": _("Dit lidmaatschap is beëindigd.")})
    if membership.pk == actor.pk and role != Role.ORG_ADMIN:
        raise ValidationError({"role": _("U kunt uw eigen beheerrol niet weghalen.")})
    with transaction.atomic():
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        _event(
            AccountEvent.Kind.ROLE_CHANGED,
            actor_user=actor.user,
            organisation=membership.organisation,
            target_user=membership.user,
            detail=f"{old} -> {role}",
        )
    return membership


def membership_end(*, actor: Membership, membership: Membership) -> Membership:
    """End access for this organisation at once: sessions end and its tokens are revoked."""
    _ensure_manages(actor, membership.organisation)
    if membership.pk == actor.pk:
        raise ValidationError({"membership": _("U kunt uw eigen lidmaatschap niet beëindigen.")})
    with transaction.atomic():
        membership.is_active = False
        membership.ended_at = timezone.now()
        membership.save(update_fields=["is_active", "ended_at"])
        membership.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        user_sessions_end(user=membership.user)
        _event(
            AccountEvent.Kind.MEMBERSHIP_ENDED,
            actor_user=actor.user,
            organisation=membership.organisation,
            target_user=membership.user,
        )
    return membership


def user_deactivate(*, actor: Membership | None, user: User, by_superuser: User | None = None):
    """Deactivate an account: all its sessions end and all its tokens are revoked.

    An org_admin may deactivate a user whose only active memberships are in their own
    organisation; a superuser (`by_superuser`) may deactivate anyone.
    """
    if by_superuser is None or not by_superuser.is_superuser:
        if actor is None:
            raise PermissionDenied("user.deactivate")
        ensure_can(actor, "organisation.manage_users")
        other_orgs = (
            user.memberships.filter(is_active=True)
            .exclude(organisation_id=actor.organisation_id)
            .exists()
        )
        in_own = user.memberships.filter(organisation_id=actor.organisation_id).exists()
        if other_orgs or not in_own or user.is_superuser:
            raise PermissionDenied("user.deactivate")
        if user.pk == actor.user_id:
            raise ValidationError({"user": _("U kunt uzelf niet deactiveren.")})
    acting_user = by_superuser or actor.user
    with transaction.atomic():
        now = timezone.now()
        user.is_active = False
        user.deactivated_at = now
        user.save(update_fields=["is_active", "deactivated_at"])
        ApiToken.objects.filter(membership__user=user, revoked_at__isnull=True).update(
            revoked_at=now
        )
        user_sessions_end(user=user)
        _event(
            AccountEvent.Kind.USER_DEACTIVATED,
            actor_user=acting_user,
            organisation=actor.organisation if actor else None,
            target_user=user,
        )
    return user


def user_change_password(*, user: User, new_password: str) -> None:
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _event(AccountEvent.Kind.PASSWORD_CHANGED, actor_user=user, target_user=user)


# -- lockout across addresses ---------------------------------------------------------------
#
# django-axes locks an account + address after AXES_FAILURE_LIMIT failures. An attacker with
# many addresses would still get that many guesses per address, so failures are also counted
# per account, whatever the address; at SCHAKEL_ACCOUNT_FAILURE_LIMIT within the window the
# account is locked until its owner (e-mail link) or an org admin unlocks it. A correct password
# does not reset the count: only the window or an unlock does.

UNLOCK_SALT = "schakel.accounts.unlock"


def account_locked(*, email: str) -> bool:
    """Whether the account with this e-mail address is locked (False for unknown addresses)."""
    return User.objects.filter(email__iexact=email, locked_at__isnull=False).exists()


def login_failure_register(*, email: str) -> bool:
    """Count a wrong password for `email`; lock the account at the limit. True when locked now."""
    now = timezone.now()
    window_start = now - settings.SCHAKEL_ACCOUNT_FAILURE_WINDOW
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(email__iexact=email, is_active=True, locked_at__isnull=True)
            .first()
        )
        if user is None:
            return False
        if user.login_failures_since is None or user.login_failures_since < window_start:
            user.login_failures, user.login_failures_since = 0, now
        user.login_failures += 1
        fields = ["login_failures", "login_failures_since"]
        locked = user.login_failures >= settings.SCHAKEL_ACCOUNT_FAILURE_LIMIT
        if locked:
            user.locked_at = now
            fields.append("locked_at")
        user.save(update_fields=fields)
        if locked:
            _event(
                AccountEvent.Kind.ACCOUNT_LOCKED,
                target_user=user,
                detail=f"{user.login_failures} failures since {user.login_failures_since:%Y-%m-%d}",
            )
            user_sessions_end(user=user)
            logger.warning(
                "account %s locked after %s failed logins since %s",
                user.pk,
                user.login_failures,
                user.login_failures_since.isoformat(timespec="seconds"),
            )
            from .tasks import send_account_locked

            user_id = user.pk
            transaction.on_commit(lambda: send_account_locked(user_id))
    return locked


def account_unlock_token(*, user: User) -> str:
    """A signed, single-use token for the owner's unlock link (bound to this lock's moment)."""
    if user.locked_at is None:
        raise ValidationError({"user": _("Dit account is niet vergrendeld.")})
    payload = {"u": user.pk, "at": user.locked_at.isoformat()}
    return signing.dumps(payload, salt=UNLOCK_SALT, compress=True)


def account_unlock_by_token(*, token: str) -> User:
    """Unlock the account the e-mailed link belongs to; the link works for this lock only."""
    user = account_for_unlock_token(token=token)
    return _account_unlock(user=user, acting_user=user, organisation=None)


def account_for_unlock_token(*, token: str) -> User:
    """The locked account an unlock link is for; ValidationError when it no longer works."""
    max_age = settings.SCHAKEL_ACCOUNT_UNLOCK_LINK_HOURS * 3600
    invalid = ValidationError({"token": _("Deze link is verlopen of al gebruikt.")})
    try:
        payload = signing.loads(token, salt=UNLOCK_SALT, max_age=max_age)
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(payload, dict):
        raise invalid
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or user.locked_at is None or user.locked_at.isoformat() != payload.get("at"):
        raise invalid
    return user


def account_unlock(*, actor: Membership, user: User) -> User:
    """An org admin unlocks an account of a member of their own organisation."""
    _ensure_manages(actor, actor.organisation)
    if not user.memberships.filter(organisation_id=actor.organisation_id).exists():
        raise PermissionDenied("account.unlock")
    return _account_unlock(user=user, acting_user=actor.user, organisation=actor.organisation)


def account_unlock_by_operator(*, user: User) -> User:
    """For `manage.py unlock_account` (someone with shell access to the servers)."""
    return _account_unlock(user=user, acting_user=None, organisation=None)


def _account_unlock(*, user: User, acting_user, organisation) -> User:
    if user.locked_at is None:
        raise ValidationError({"user": _("Dit account is niet vergrendeld.")})
    with transaction.atomic():
        user.locked_at = None
        user.login_failures = 0
        user.login_failures_since = None
        user.save(update_fields=["locked_at", "login_failures", "login_failures_since"])
        _event(
            AccountEvent.Kind.ACCOUNT_UNLOCKED,
            actor_user=acting_user,
            organisation=organisation,
            target_user=user,
        )
    AxesProxyHandler.reset_attempts(username=user.email)
    return user


# -- two-factor authentication ---------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """Create (or reuse) an unconfirmed authenticator for enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


def recovery_codes_renew(*, user: User) -> list[str]:
    """Replace the user's recovery codes; returns the new codes (shown once)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="Herstelcodes", defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        _event(AccountEvent.Kind.RECOVERY_CODES_RENEWED, actor_user=user, target_user=user)
    return codes


def totp_device_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm enrolment with a code from the app; returns fresh recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": _("Deze koppeling is niet meer geldig. Begin opnieuw.")})
    if not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError({"code": _("De code klopt niet. Probeer de nieuwste code.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _event(AccountEvent.Kind.TWO_FACTOR_ENROLLED, actor_user=user, target_user=user)
        return recovery_codes_renew(user=user)


# -- API tokens ------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_issue(
    *, membership: Membership, days: int | None = None, label: str = "", issued_by=None
) -> tuple[ApiToken, str]:
    """Issue a token for an integration acting as `membership`. Returns (token, plaintext)."""
    days = settings.SCHAKEL_API_TOKEN_DAYS if days is None else days
    if days < 1 or days > 366:
        raise ValidationError({"days": _("Een token is 1 tot 366 dagen geldig.")})
    if not membership.is_active or not membership.user.is_active:
        raise ValidationError({"membership": _("Dit lidmaatschap is niet actief.")})
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=membership,
            prefix=prefix,
            secret_hash=_hash_secret(secret),
            label=label,
            expires_at=timezone.now() + timedelta(days=days),
            created_by=issued_by,
        )
        _event(
            AccountEvent.Kind.TOKEN_ISSUED,
            actor_user=issued_by,
            organisation=membership.organisation,
            target_user=membership.user,
            detail=prefix,
        )
    return token, f"sk_{prefix}.{secret}"


def api_token_revoke(*, token: ApiToken, revoked_by=None) -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            _event(
                AccountEvent.Kind.TOKEN_REVOKED,
                actor_user=revoked_by,
                organisation=token.membership.organisation,
                target_user=token.membership.user,
                detail=token.prefix,
            )
    return token


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The usable token for `plaintext`, or None. Compares hashes in constant time."""
    if not plaintext.startswith("sk_") or "." not in plaintext:
        return None
    prefix, secret = plaintext[3:].split(".", 1)
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organisation")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not secrets.compare_digest(token.secret_hash, _hash_secret(secret)):
        return None
    membership = token.membership
    # The same rule as a web session (selectors.memberships_of): the user, the membership and
    # the organisation must all still be active.
    if (
        not token.is_usable()
        or not membership.is_active
        or not membership.user.is_active
        or not membership.organisation.is_active
    ):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
