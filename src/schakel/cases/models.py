"""Cases (casussen): one lead and a named backup, members on a need-to-know basis, an append-only
timeline, referrals, placements, meetings with tasks, aftercare and the crisis card.

Every editable record carries a `version`; services refuse a stale edit (StaleEdit). Timeline
events are never edited: a correction is a new event that points at the old one.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Involvement(models.TextChoices):
    VICTIM = "victim", _("(mogelijk) slachtoffer")
    PERPETRATOR = "perpetrator", _("(mogelijk) dader")
    BOTH = "both", _("(mogelijk) slachtoffer én dader")


class ResidenceStatus(models.TextChoices):
    UNKNOWN = "", _("niet bekend")
    DUTCH = "dutch", _("Nederlander")
    EU = "eu", _("burger van de EU")
    REFLECTION = "reflection", _("in de bedenktijd")
    APPLIED = "applied", _("verblijfsvergunning aangevraagd")
    PERMIT = "permit", _("verblijfsvergunning")
    NO_PERMIT = "no_permit", _("geen verblijfsvergunning")
    OTHER = "other", _("anders")


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("lopend")
        CLOSED = "closed", _("afgesloten")

    class ResidenceDecision(models.TextChoices):
        NONE = "", _("nog geen besluit")
        GRANTED = "granted", _("toegekend")
        REFUSED = "refused", _("afgewezen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, null=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    # The organisation that holds the person's record: its members see every part of the case.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    involvement = models.CharField(_("betrokkenheid"), max_length=20, choices=Involvement.choices)
    forms = models.JSONField(_("vormen van uitbuiting"), default=list, blank=True)
    help_question = models.TextField(_("hulpvraag"), blank=True)
    lead = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("regiehouder"),
        on_delete=models.PROTECT,
        related_name="cases_led",
    )
    backup = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("achtervang"),
        on_delete=models.PROTECT,
        related_name="cases_backed",
    )
    opened_on = models.DateField(_("gestart op"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    close_reason = models.TextField(_("reden van afsluiten"), blank=True)
    no_aftercare_reason = models.TextField(_("waarom geen nazorgplan"), blank=True)
    # foreign victims
    foreign_victim = models.BooleanField(_("buitenlands slachtoffer"), default=False)
    residence_status = models.CharField(
        _("verblijfsstatus"), max_length=20, choices=ResidenceStatus.choices, blank=True
    )
    reflection_start = models.DateField(_("bedenktijd vanaf"), null=True, blank=True)
    reflection_end = models.DateField(_("bedenktijd tot en met"), null=True, blank=True)
    residence_applied_on = models.DateField(_("vergunning aangevraagd op"), null=True, blank=True)
    residence_decision = models.CharField(
        _("besluit op de aanvraag"), max_length=10, choices=ResidenceDecision.choices, blank=True
    )
    residence_decision_on = models.DateField(_("besluit op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        constraints = [
            models.CheckConstraint(condition=~Q(lead=F("backup")), name="case_lead_is_not_backup"),
        ]

    def __str__(self) -> str:
        return self.reference or str(self.public_id)


class MemberRole(models.TextChoices):
    CAREGIVER = "caregiver", _("hulpverlener")
    CARE_COORDINATOR = "care_coordinator", _("zorgcoördinator mensenhandel")
    BEHAVIOURAL = "behavioural", _("gedragswetenschapper")
    LVB_EXPERT = "lvb_expert", _("LVB-deskundige")
    EXPERT_BY_EXPERIENCE = "expert_by_experience", _("ervaringsdeskundige")
    POLICE = "police", _("politie")
    EDUCATION = "education", _("onderwijs")
    MUNICIPALITY = "municipality", _("gemeente of wijkteam")
    YOUTH_PROTECTION = "youth_protection", _("jeugdbescherming of voogdij")
    LEGAL = "legal", _("advocaat of juridisch")
    OTHER = "other", _("anders")


class CaseMember(models.Model):
    """A professional (a membership) on the case, with a role and the data their organisation
    may see. `basis` is what the privacy gate recorded when they joined from another
    organisation. Access ends when `ended_at` is set."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="case_memberships"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("rol in de casus"), max_length=30, choices=MemberRole.choices)
    lvb_expertise = models.BooleanField(_("heeft LVB-expertise"), default=False)
    data_categories = models.JSONField(default=list)
    basis = models.ForeignKey(
        "privacy.SharingBasis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    joined_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "membership"],
                condition=Q(ended_at__isnull=True),
                name="one_active_case_member_per_membership",
            )
        ]

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Handover(models.Model):
    """A lead handover: offered by the lead, in effect only when the new lead accepts."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("aangeboden")
        ACCEPTED = "accepted", _("aanvaard")
        DECLINED = "declined", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_lead = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    to_lead = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="handovers_offered"
    )
    new_backup = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    message = models.TextField(blank=True)
    basis = models.ForeignKey(
        "privacy.SharingBasis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    backup_basis = models.ForeignKey(
        "privacy.SharingBasis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    talked_with_person = models.BooleanField(default=False)
    history_read = models.BooleanField(default=False)
    appointments_moved = models.BooleanField(default=False)
    acceptance_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="offered"),
                name="one_open_handover_per_case",
            )
        ]


class Referral(models.Model):
    """A referral to an offer of the wegwijzer, with its steps and the waiting time."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd")
        ACCEPTED = "accepted", _("geaccepteerd")
        DECLINED = "declined", _("afgewezen")
        STARTED = "started", _("gestart")
        ENDED = "ended", _("beëindigd")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(
        "directory.Offer", on_delete=models.PROTECT, null=True, related_name="+"
    )
    offer_key = models.CharField(max_length=80)
    offer_name = models.CharField(_("aanbod"), max_length=300)
    provider_name = models.CharField(_("aanbieder"), max_length=300, blank=True)
    need = models.CharField(_("soort hulp"), max_length=20, blank=True)
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    basis = models.ForeignKey(
        "privacy.SharingBasis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(_("aangevraagd op"))
    accepted_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    end_reason = models.TextField(blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    requested_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_on", "-pk"]


class PlacementKind(models.TextChoices):
    AMBULANT = "ambulant", _("ambulant")
    OPEN = "open", _("open")
    CLOSED = "closed", _("gesloten")
    CRISIS = "crisis", _("crisisopvang")


class Placement(models.Model):
    """Help that actually happens: a provider, the kind, start and end, and why it ended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placements")
    provider_name = models.CharField(_("aanbieder"), max_length=300)
    kind = models.CharField(_("soort"), max_length=10, choices=PlacementKind.choices)
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    started_on = models.DateField(_("gestart op"))
    ended_on = models.DateField(_("gestopt op"), null=True, blank=True)
    end_reason = models.TextField(_("reden van stoppen"), blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-pk"]


class Meeting(models.Model):
    """A case meeting (regietafel, multidisciplinary meeting): agenda, participants, minutes."""

    class Kind(models.TextChoices):
        REGIETAFEL = "regietafel", _("regietafel")
        MDO = "mdo", _("multidisciplinair overleg")
        NETWORK = "network", _("netwerkoverleg met de persoon")
        OTHER = "other", _("ander overleg")

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        HELD = "held", _("gehouden")
        CANCELLED = "cancelled", _("afgezegd")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("soort overleg"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("datum"))
    time = models.TimeField(_("tijd"), null=True, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    participants = models.ManyToManyField(CaseMember, blank=True, related_name="meetings")
    other_participants = models.TextField(_("andere deelnemers"), blank=True)
    person_present = models.BooleanField(_("de persoon zelf doet mee"), default=False)
    external_lvb_expert = models.BooleanField(
        _("een LVB-deskundige van buiten Schakel doet mee"), default=False
    )
    minutes = models.TextField(_("verslag"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date", "-pk"]


class Task(models.Model):
    """An agreement or a reminder with an owner, a due date and a status. System tasks (18th
    birthday, aftercare follow-up, reflection period) carry a `key` so they are made once."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("afspraak")
        TRANSITION = "transition", _("overgang naar 18 jaar")
        AFTERCARE = "aftercare", _("nazorg: contactmoment")
        REFLECTION = "reflection", _("einde bedenktijd")
        OTHER = "other", _("taak")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("gedaan")
        CANCELLED = "cancelled", _("vervallen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    key = models.CharField(max_length=60, blank=True)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("wat"), max_length=200, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    owner = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="case_tasks"
    )
    due_on = models.DateField(_("uiterlijk op"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    checklist = models.JSONField(default=dict, blank=True)  # {item key: done}
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "key"], condition=~Q(key=""), name="one_system_task_per_key"
            )
        ]


class AftercarePlan(models.Model):
    """Aftercare on all life domains: per domain the situation and the goal; a coach or buddy."""

    class CoachKind(models.TextChoices):
        NONE = "", _("nog niet bekend")
        COACH = "coach", _("coach")
        BUDDY = "buddy", _("buddy")
        EXPERT = "expert_by_experience", _("ervaringsdeskundige")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="aftercare")
    domains = models.JSONField(default=dict)  # {domain key: {"situation": str, "goal": str}}
    coach_kind = models.CharField(max_length=30, choices=CoachKind.choices, blank=True)
    coach_name = models.CharField(_("naam coach of buddy"), max_length=200, blank=True)
    coach_contact = models.CharField(_("bereikbaar via"), max_length=200, blank=True)
    notes = models.TextField(_("verder"), blank=True)
    updated_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)


class CrisisCard(models.Model):
    """The crisis card (hulpkaart): a short summary the person agrees to."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="crisis_card")
    call_first = models.TextField(_("wie bellen"), blank=True)
    legal_representative = models.TextField(_("wettelijk vertegenwoordiger"), blank=True)
    financial_administrator = models.TextField(_("bewindvoerder"), blank=True)
    what_helps = models.TextField(_("wat helpt"), blank=True)
    what_does_not_help = models.TextField(_("wat helpt niet"), blank=True)
    communication = models.TextField(_("zo praat u met mij"), blank=True)
    agreed_by_person = models.BooleanField(_("de persoon is het ermee eens"), default=False)
    agreed_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)


# What the person writes on the crisis card (and what a shared copy holds).
CARD_FIELDS = (
    "call_first",
    "legal_representative",
    "financial_administrator",
    "what_helps",
    "what_does_not_help",
    "communication",
)


class CrisisCardShare(models.Model):
    """The crisis card as it was shared with an organisation (the police), through the gate."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    card = models.ForeignKey(CrisisCard, on_delete=models.CASCADE, related_name="shares")
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    basis = models.ForeignKey(
        "privacy.SharingBasis", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    snapshot = models.JSONField()
    card_version = models.PositiveIntegerField()
    shared_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at", "-pk"]


class Event(models.Model):
    """One entry on the append-only timeline. Never edited or deleted: a correction is a new
    event with kind "correction" that points at the old one."""

    class Kind(models.TextChoices):
        CASE_OPENED = "case_opened", _("casus gestart")
        CASE_CHANGED = "case_changed", _("casus gewijzigd")
        CASE_CLOSED = "case_closed", _("casus afgesloten")
        CASE_REOPENED = "case_reopened", _("casus heropend")
        SIGNAL = "signal", _("signaal")
        NOTE = "note", _("notitie")
        DECISION = "decision", _("besluit")
        REFERRAL_REQUESTED = "referral_requested", _("verwijzing aangevraagd")
        REFERRAL_ACCEPTED = "referral_accepted", _("verwijzing geaccepteerd")
        REFERRAL_DECLINED = "referral_declined", _("verwijzing afgewezen")
        REFERRAL_STARTED = "referral_started", _("hulp gestart")
        REFERRAL_ENDED = "referral_ended", _("hulp beëindigd")
        REFERRAL_WITHDRAWN = "referral_withdrawn", _("verwijzing ingetrokken")
        PLACEMENT_STARTED = "placement_started", _("plaatsing gestart")
        PLACEMENT_ENDED = "placement_ended", _("plaatsing gestopt")
        POLICE_FIRST_CONTACT = "police_first_contact", _("eerste contact met de politie")
        POLICE_INTAKE = "police_intake", _("intake bij de politie")
        POLICE_REPORT = "police_report", _("aangifte gedaan")
        MEETING_PLANNED = "meeting_planned", _("overleg gepland")
        MEETING_HELD = "meeting_held", _("overleg gehouden")
        HANDOVER_OFFERED = "handover_offered", _("overdracht aangeboden")
        HANDOVER_ACCEPTED = "handover_accepted", _("regie overgedragen")
        HANDOVER_DECLINED = "handover_declined", _("overdracht afgewezen")
        HANDOVER_WITHDRAWN = "handover_withdrawn", _("overdracht ingetrokken")
        BACKUP_CHANGED = "backup_changed", _("achtervang gewijzigd")
        MEMBER_JOINED = "member_joined", _("lid toegevoegd")
        MEMBER_CHANGED = "member_changed", _("lid gewijzigd")
        MEMBER_LEFT = "member_left", _("lid gestopt")
        TASK_DONE = "task_done", _("taak gedaan")
        AFTERCARE_PLAN = "aftercare_plan", _("nazorgplan")
        CRISIS_CARD = "crisis_card", _("hulpkaart")
        CRISIS_CARD_SHARED = "crisis_card_shared", _("hulpkaart gedeeld")
        RESIDENCE = "residence", _("verblijf")
        CORRECTION = "correction", _("correctie")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField(_("datum"))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=300, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placement = models.ForeignKey(
        Placement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["case", "occurred_on"])]
