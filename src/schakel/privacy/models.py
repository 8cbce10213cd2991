"""The processing log (after the Logboek Dataverwerkingen standard): append-only, chained with a
keyed hash and anchored by signed checkpoints outside the database (chain.py, checkpoints.py)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakel.people.fields import EncryptedTextField


class ProcessingEntry(models.Model):
    class Operation(models.TextChoices):
        READ = "read", _("inzien")
        CREATE = "create", _("vastleggen")
        UPDATE = "update", _("wijzigen")
        DELETE = "delete", _("verwijderen")
        SHARE = "share", _("delen")

    class Outcome(models.TextChoices):
        OK = "ok", _("gelukt")
        DENIED = "denied", _("geweigerd")
        ERROR = "error", _("fout")

    seq = models.BigIntegerField(unique=True)
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    activity = models.CharField(max_length=50)
    register_version = models.PositiveIntegerField()
    operation = models.CharField(max_length=10, choices=Operation.choices)
    subject_pseudonym = models.CharField(max_length=64)
    organisation_id = models.BigIntegerField(null=True)
    role = models.CharField(max_length=30)
    occurred_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    # The id of the log key (SCHAKEL_LOG_KEYS) whose HMAC `entry_hash` is; "" for the entries
    # written before the chain was keyed (plain SHA-256, see chain.py).
    key_id = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        # Looked up by equality only (a subject's entries): one plain index, not db_index, which
        # on PostgreSQL adds a second one for LIKE that every entry would pay for.
        indexes = [models.Index(fields=["subject_pseudonym"], name="processing_subject")]
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingen")


class AuditEntry(models.Model):
    """Who (the user) did a processing; kept apart so access to it can be restricted."""

    entry = models.OneToOneField(ProcessingEntry, on_delete=models.PROTECT, related_name="audit")
    user_id = models.BigIntegerField(null=True)
    audit_hash = models.CharField(max_length=64)


class LogChainHead(models.Model):
    """A single row holding the end of the chain; locking it serialises writers."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


# -- lawful sharing ------------------------------------------
#
# Consent records, agreements, decisions and sharing bases are never edited: a change of status
# is a new event row, a correction or renewal is a new record pointing at the old one.


class GivenBy(models.TextChoices):
    PERSON = "person", _("de persoon zelf")
    PARENT = "parent", _("een ouder met gezag")
    GUARDIAN = "guardian", _("de voogd")
    LEGAL_REPRESENTATIVE = (
        "legal_representative",
        _("een wettelijk vertegenwoordiger (curator of mentor)"),
    )


REPRESENTATIVES = frozenset({GivenBy.PARENT, GivenBy.GUARDIAN, GivenBy.LEGAL_REPRESENTATIVE})


class PrivacyProfile(models.Model):
    """Per organisation: who the privacy officer is, and its legal designations."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="privacy_profile"
    )
    privacy_officer_name = models.CharField(_("naam privacy officer"), max_length=200, blank=True)
    privacy_officer_email = models.EmailField(_("e-mailadres privacy officer"), blank=True)
    designations = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("privacyprofiel")
        verbose_name_plural = _("privacyprofielen")


class Consent(models.Model):
    """What a person (or their representative) agreed to: purposes, data, recipients, period."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("gevraagd")
        GIVEN = "given", _("gegeven")
        REFUSED = "refused", _("geweigerd")
        WITHDRAWN = "withdrawn", _("ingetrokken")
        EXPIRED = "expired", _("verlopen")
        RENEWED = "renewed", _("vernieuwd")

    class Method(models.TextChoices):
        WRITTEN = "written", _("schriftelijk, ondertekend")
        DIGITAL = "digital", _("digitaal ondertekend")
        VERBAL = "verbal", _("mondeling, vastgelegd door de professional")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    given_by = models.CharField(_("gegeven door"), max_length=30, choices=GivenBy.choices)
    given_by_name = EncryptedTextField(_("naam van wie toestemming geeft"), blank=True)
    purposes = models.JSONField(default=list)
    data_categories = models.JSONField(default=list)
    recipient_organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+"
    )
    recipient_kinds = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"))
    note = models.TextField(_("toelichting"), blank=True)
    renews = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals"
    )
    config_version = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")

    def __str__(self) -> str:
        return f"{_('Toestemming')} {str(self.public_id)[:8]}"


class ConsentEvent(models.Model):
    """One step in a consent's history. Append-only."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Consent.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=20, choices=Consent.Method.choices, blank=True)
    evidence = models.TextField(blank=True)
    understanding_checks = models.JSONField(default=list, blank=True)
    understanding_note = models.TextField(blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_role = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class ConsentEvidence(models.Model):
    """A file that proves a consent (a signed form, a scan): encrypted, bound to its record.

    Belongs to the "given" event it proves; goes with the consent (retention `toestemming`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(ConsentEvent, on_delete=models.CASCADE, related_name="files")
    file_name = models.CharField(_("bestandsnaam"), max_length=150)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()  # people.crypto.encrypt_bytes, aad = public id
    uploaded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")

    def aad(self) -> bytes:
        return f"consent-evidence:{self.public_id}".encode()


class Agreement(models.Model):
    """A convenant: which organisations share which data for which purposes, and how long."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("naam"), max_length=200)
    reference = models.CharField(_("kenmerk"), max_length=100, blank=True)
    parties = models.ManyToManyField("accounts.Organisation", related_name="privacy_agreements")
    purposes = models.JSONField(default=list)
    data_categories = models.JSONField(default=list)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"))
    note = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_until", "title"]
        verbose_name = _("convenant")
        verbose_name_plural = _("convenanten")

    def __str__(self) -> str:
        return self.title


class AgreementEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("vastgelegd")
        ENDED = "ended", _("beëindigd")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]


class SharingDecision(models.Model):
    """The outcome of "Mag ik dit delen?" with the answers and reasons. Append-only."""

    class Outcome(models.TextChoices):
        SHARE = "share", _("Delen mag")
        CONSULT = "consult", _("Eerst overleggen, dan beslissen")
        DO_NOT_SHARE = "do_not_share", _("Niet delen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="sharing_decisions"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=50)
    data_categories = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    facts = models.JSONField(default=dict)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    legal_basis = models.CharField(max_length=50, blank=True)
    legal_basis_label = models.TextField(blank=True)
    reasons = models.JSONField(default=list)
    consult_with = models.JSONField(default=list, blank=True)
    explanation = models.TextField()
    on_behalf_of_organisation = models.BooleanField(default=False)
    case_reference = models.CharField(max_length=64, blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    valid_until = models.DateField(null=True, blank=True)
    config_version = models.PositiveIntegerField()
    decided_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by_role = models.CharField(max_length=30)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("deelbesluit")
        verbose_name_plural = _("deelbesluiten")


class SharingBasis(models.Model):
    """The basis on which personal data went to another organisation, written by the gate.

    Other capabilities keep a reference to it with the transfer it allowed.
    """

    class Kind(models.TextChoices):
        CONSENT = "consent", _("toestemming")
        LEGAL_DUTY = "legal_duty", _("wettelijke plicht")
        AGREEMENT = "agreement", _("convenant")
        DECISION = "decision", _("vastgelegd besluit")
        OVERRIDE = "override", _("noodprocedure")
        OWN = "own", _("eigen organisatie")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sharing_bases",
    )
    subject_pseudonym = models.CharField(max_length=64, blank=True)
    sender = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=50)
    data_categories = models.JSONField(default=list)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    legal_basis = models.CharField(max_length=50)
    legal_basis_label = models.TextField()
    articles = models.JSONField(default=list)
    consent = models.ForeignKey(
        Consent, on_delete=models.SET_NULL, null=True, blank=True, related_name="bases"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="bases"
    )
    decision = models.ForeignKey(
        SharingDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="bases"
    )
    override_reason = models.TextField(blank=True)
    on_behalf_of_organisation = models.BooleanField(default=False)
    config_version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_role = models.CharField(max_length=30)
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verstrekking")
        verbose_name_plural = _("verstrekkingen")


class SubjectRequest(models.Model):
    """A request of a data subject (AVG art. 15-18), with its legal deadline."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("inzage")
        RECTIFICATION = "rectification", _("verbetering")
        RESTRICTION = "restriction", _("beperking")
        ERASURE = "erasure", _("verwijdering")

    class Status(models.TextChoices):
        RECEIVED = "received", _("ontvangen")
        IN_PROGRESS = "in_progress", _("in behandeling")
        EXTENDED = "extended", _("termijn verlengd")
        DONE = "done", _("afgehandeld")
        REFUSED = "refused", _("afgewezen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subject_requests",
    )
    subject_pseudonym = models.CharField(max_length=64, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort verzoek"), max_length=20, choices=Kind.choices)
    requested_by = models.CharField(_("gevraagd door"), max_length=30, choices=GivenBy.choices)
    received_on = models.DateField(_("ontvangen op"))
    deadline = models.DateField(_("uiterste datum"))
    description = models.TextField(_("omschrijving"), blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("verzoek van een betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")


class SubjectRequestEvent(models.Model):
    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=SubjectRequest.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
