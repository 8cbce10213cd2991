"""Users, organisations and memberships. A Membership is the *actor* of every service call."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("toegang tot beheer"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # Failed password logins across all addresses (django-axes counts per account + address).
    login_failures = models.PositiveIntegerField(default=0)
    login_failures_since = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(_("vergrendeld sinds"), null=True, blank=True)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.full_name or self.email


class Organisation(models.Model):
    class Domain(models.TextChoices):
        ZORG = "zorg", _("Zorg")
        ONDERWIJS = "onderwijs", _("Onderwijs")
        POLITIE = "politie", _("Politie")
        GEMEENTE = "gemeente", _("Gemeente")
        JUSTITIE = "justitie", _("Justitie")
        REGISTRATIE = "registratie", _("Registratie")
        OVERIG = "overig", _("Overig")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    domain = models.CharField(_("domein"), max_length=20, choices=Domain.choices)
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    CARE_COORDINATOR = "care_coordinator", _("Zorgcoördinator")
    REGISTRAR = "registrar", _("Registrator")
    ANALYST = "analyst", _("Analist")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")
    ORG_ADMIN = "org_admin", _("Beheerder organisatie")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(is_active=True),
                name="one_active_membership_per_role",
            )
        ]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"


class UserSession(models.Model):
    """Which sessions belong to which user, so deactivation can end them at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="web_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ApiToken(models.Model):
    """A token for an integration. Only a SHA-256 hash of the secret is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.membership})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class AccountEvent(models.Model):
    """Append-only history of account administration (who changed which account, and how)."""

    class Kind(models.TextChoices):
        MEMBERSHIP_CREATED = "membership_created", _("Lidmaatschap aangemaakt")
        ROLE_CHANGED = "role_changed", _("Rol gewijzigd")
        MEMBERSHIP_ENDED = "membership_ended", _("Lidmaatschap beëindigd")
        USER_DEACTIVATED = "user_deactivated", _("Gebruiker gedeactiveerd")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Tweestapsverificatie ingesteld")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Herstelcodes vernieuwd")
        TOKEN_ISSUED = "token_issued", _("API-token uitgegeven")
        TOKEN_REVOKED = "token_revoked", _("API-token ingetrokken")
        PASSWORD_CHANGED = "password_changed", _("Wachtwoord gewijzigd")
        ACCOUNT_LOCKED = "account_locked", _("Account vergrendeld na mislukte inlogpogingen")
        ACCOUNT_UNLOCKED = "account_unlocked", _("Account ontgrendeld")

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="account_events"
    )
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
