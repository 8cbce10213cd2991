"""The signal index (verwijsindex): only *that* an organisation is involved with a person.

Stored: keyed pseudonyms of the person (never the identifiers), the organisation and its domain,
a contact function and phone number, the context (only shown to the owning organisation), dates.
Never stored: the reason, notes, or raw identifiers.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Organisation


class ContextKind(models.TextChoices):
    CASE = "case", _("casus")
    ASSESSMENT = "assessment", _("screening")
    CATEGORY = "category", _("reden (categorie)")


class EndReason(models.TextChoices):
    EXPIRED = "expired", _("termijn verlopen")
    AGE_LIMIT = "age_limit", _("23 jaar geworden")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class SignalRegistration(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexes: each one costs every registration an insert, so the index keeps only those that
    # a query uses (the organisation's own is the first column of signal_reg_org_active; person
    # and case are set on few rows, so their indexes leave out the empty ones).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="signal_registrations",
        db_index=False,
    )
    # A snapshot of Organisation.domain when registered: a later change does not rewrite history.
    domain = models.CharField(_("domein"), max_length=20, choices=Organisation.Domain.choices)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_function = models.CharField(_("functie van de contactpersoon"), max_length=100)
    contact_phone = models.CharField(_("telefoonnummer"), max_length=30)
    context_kind = models.CharField(_("aanleiding"), max_length=12, choices=ContextKind.choices)
    # The case or assessment public id, or the reason category key. Only the owner sees it.
    context_ref = models.CharField(_("aanleiding (kenmerk)"), max_length=64)
    # The owner's own person and case (registered from a case or an assessment); never shown to
    # another organisation. Used for the processing log and to invite the other side into a case.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    started_on = models.DateField(_("gemeld op"))
    ends_on = models.DateField(_("loopt tot"))
    # Why ends_on is what it is: the term (expired) or the 23rd birthday (age_limit).
    ends_because = models.CharField(max_length=12, choices=EndReason.choices)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden van beëindigen"), max_length=12, choices=EndReason.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    renewed_at = models.DateTimeField(_("vernieuwd op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "ended_at"], name="signal_reg_org_active"),
            models.Index(
                fields=["ended_at"], condition=Q(ended_at__isnull=False), name="signal_reg_archive"
            ),
            models.Index(
                fields=["person"], condition=Q(person__isnull=False), name="signal_reg_person"
            ),
            models.Index(fields=["case"], condition=Q(case__isnull=False), name="signal_reg_case"),
            models.Index(
                fields=["ends_on"], condition=Q(ended_at__isnull=True), name="signal_reg_due"
            ),
        ]
        verbose_name = _("melding in de signaleringsindex")
        verbose_name_plural = _("meldingen in de signaleringsindex")

    def __str__(self) -> str:
        return f"{self.organisation} {str(self.public_id)[:8]}"

    def is_active(self, today) -> bool:
        return self.ended_at is None and self.ends_on > today


class SignalPseudonym(models.Model):
    """One identity variant of the registered person (BSN, or name + date of birth), keyed."""

    registration = models.ForeignKey(
        SignalRegistration, on_delete=models.CASCADE, related_name="pseudonyms"
    )
    value = models.CharField(max_length=64)
    key_version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        indexes = [
            # Equality only: a plain index (db_index on a CharField would add a second one for
            # LIKE on PostgreSQL, which nothing uses).
            models.Index(fields=["value"], name="signal_pseud_value"),
            models.Index(fields=["key_version", "id"], name="signal_pseud_version"),
        ]


class SignalMatch(models.Model):
    """Two registrations of different organisations about the same person. `a` is the older."""

    class Lead(models.TextChoices):
        NONE = "", _("nog niet afgesproken")
        PROPOSED = "proposed", _("voorgesteld")
        ACCEPTED = "accepted", _("afgesproken")
        DECLINED = "declined", _("afgewezen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration_a = models.ForeignKey(
        SignalRegistration, on_delete=models.CASCADE, related_name="matches_as_a"
    )
    registration_b = models.ForeignKey(
        SignalRegistration, on_delete=models.CASCADE, related_name="matches_as_b"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cross_domain = models.BooleanField(default=False)
    a_seen_at = models.DateTimeField(null=True, blank=True)
    b_seen_at = models.DateTimeField(null=True, blank=True)
    # The lead agreement: one side proposes "we take the lead", the other accepts or declines.
    lead_status = models.CharField(max_length=10, choices=Lead.choices, blank=True, default="")
    lead_side = models.CharField(max_length=1, blank=True, default="")  # "a" or "b"
    lead_proposed_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_proposed_at = models.DateTimeField(null=True, blank=True)
    lead_answered_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_a", "registration_b"], name="signal_match_once"
            )
        ]

    def side_of(self, organisation_id: int) -> str:
        if self.registration_a.organisation_id == organisation_id:
            return "a"
        if self.registration_b.organisation_id == organisation_id:
            return "b"
        return ""

    def own(self, side: str) -> SignalRegistration:
        return self.registration_a if side == "a" else self.registration_b

    def other(self, side: str) -> SignalRegistration:
        return self.registration_b if side == "a" else self.registration_a


class SignalAttempt(models.Model):
    """One call to register (new or renewal), to count the rate limits in the database (app
    servers are stateless). Kept two days."""

    # Both are the first column of an index below.
    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["membership", "at"], name="signal_attempt_user"),
            models.Index(fields=["organisation", "at"], name="signal_attempt_org"),
        ]
