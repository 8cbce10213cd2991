"""Knowledge base (kennisbank), use of knowledge, the recommendations tracker and round-table input.

Nothing here is personal data of data subjects: knowledge items, anonymous usage counts (no user,
no address, only a day and the kind of organisation), recommendations with their status history,
and statements from round tables that carry an organisation kind, never a name.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INSTRUMENT = "instrument", _("Instrument")
    PRACTICE = "practice", _("Werkwijze of project")
    GUIDE = "guide", _("Handreiking")
    FACTSHEET = "factsheet", _("Factsheet")
    TRAINING = "training", _("Training")
    ELEARNING = "elearning", _("E-learning")
    LESSON_PACKAGE = "lesson_package", _("Lespakket")
    WEBINAR = "webinar", _("Webinar")
    VIDEO = "video", _("Video")
    PODCAST = "podcast", _("Podcast")
    DOSSIER = "dossier", _("Kennisdossier")
    REPORT = "report", _("Rapport of onderzoek")


class Audience(models.TextChoices):
    """Who an item is meant for (its target group)."""

    SCHOOLS = "schools", _("Onderwijs en scholen")
    POLICE = "police", _("Politie en opsporing")
    JUSTICE = "justice", _("Justitie, OM en rechtspraak")
    PROBATION = "probation", _("Reclassering")
    MUNICIPALITIES = "municipalities", _("Gemeenten en wijkteams")
    SOCIAL_DOMAIN = "social_domain", _("Sociaal domein en welzijn")
    YOUTH_CARE = "youth_care", _("Jeugdhulp en jeugdbescherming")
    GGZ = "ggz", _("GGZ")
    DISABILITY_CARE = "disability_care", _("Gehandicaptenzorg en LVB-zorg")
    SHELTER = "shelter", _("Opvang")
    GPS = "gps", _("Huisartsen")
    HOUSING = "housing", _("Woningcorporaties")
    TEMP_AGENCIES = "temp_agencies", _("Uitzendbureaus en werkgevers")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    CARE_COORDINATORS = "care_coordinators", _("Zorgcoördinatoren mensenhandel")
    YOUTH_WORK = "youth_work", _("Jongerenwerk")
    POLICY = "policy", _("Beleid en overheid")
    PARENTS = "parents", _("Ouders en voogden")
    YOUNG_PEOPLE = "young_people", _("Jongeren")


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", _("Seksuele uitbuiting")
    CRIMINAL = "criminal", _("Criminele uitbuiting")
    LABOUR = "labour", _("Arbeidsuitbuiting")
    ORGAN = "organ", _("Gedwongen orgaanverwijdering")


class LvbSuitability(models.TextChoices):
    SPECIFIC = "specific", _("Speciaal voor (werken met) mensen met een LVB")
    ATTENTION = "attention", _("Besteedt aandacht aan LVB")
    GENERAL = "general", _("Niet speciaal over LVB")


class LanguageLevel(models.TextChoices):
    EASY = "easy", _("Eenvoudig (B1 of lager)")
    STANDARD = "standard", _("Gemiddeld (B2)")
    PROFESSIONAL = "professional", _("Vaktaal (C1)")
    UNKNOWN = "unknown", _("Niet bekend")


class VisitorAudience(models.TextChoices):
    """Who used an item: the domain of the organisation the visitor acts for, or the public.

    Deliberately coarse: never an organisation, a user or an address.
    """

    PUBLIC = "public", _("Publiek (niet ingelogd)")
    ZORG = "zorg", _("Zorg")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    POLITIE = "politie", _("Politie")
    GEMEENTE = "gemeente", _("Gemeente")
    JUSTITIE = "justitie", _("Justitie")
    REGISTRATIE = "registratie", _("Registratie")
    OVERIG = "overig", _("Overig")


class KnowledgeItem(models.Model):
    class Origin(models.TextChoices):
        SEED = "seed", _("bronbestand")
        LOCAL = "local", _("toegevoegd in Schakel")

    slug = models.SlugField(_("kenmerk"), max_length=80, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, db_index=True)
    publisher = models.CharField(_("uitgever"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True, db_index=True)
    description = models.TextField(_("beschrijving"))
    lvb_suitability = models.CharField(
        _("geschikt bij LVB"), max_length=20, choices=LvbSuitability.choices, db_index=True
    )
    language_level = models.CharField(
        _("taalniveau"), max_length=20, choices=LanguageLevel.choices, default="unknown"
    )
    links = models.JSONField(_("links"), default=list, blank=True)
    keywords = models.CharField(_("extra zoekwoorden"), max_length=500, blank=True)
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.LOCAL)
    seed_hash = models.CharField(max_length=64, blank=True)
    sort_title = models.CharField(max_length=300, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sort_title", "pk"]
        # Covers "published items by title" (browsing, and the tie-break of search results).
        indexes = [models.Index(fields=["is_published", "sort_title"], name="knowledge_item_title")]
        verbose_name = _("kennisitem")
        verbose_name_plural = _("kennisitems")

    def __str__(self) -> str:
        return self.title


class ItemAudience(models.Model):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="audience_rows")
    audience = models.CharField(max_length=30, choices=Audience.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "audience"], name="knowledge_item_audience")
        ]
        indexes = [models.Index(fields=["audience", "item"], name="knowledge_audience_item")]


class ItemForm(models.Model):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="form_rows")
    form = models.CharField(max_length=20, choices=ExploitationForm.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "form"], name="knowledge_item_form")]
        indexes = [models.Index(fields=["form", "item"], name="knowledge_form_item")]


class SearchTerm(models.Model):
    """The inverted index: one row per (item, normalised term) with the weight of its field.

    `term` is lower case ASCII (accents stripped) and holds both the word and its stem, so a
    prefix search on `term` finds "uitbuiting" for "uitbuiten" and "Uitbuïting" alike.
    """

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=64, db_index=True)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "term"], name="knowledge_item_term")]
        indexes = [models.Index(fields=["term", "item", "weight"], name="knowledge_term_item")]


class SearchVocabulary(models.Model):
    """Every distinct term ever indexed, with its length: the candidates for typo correction.

    Only grows while items change (a term that no longer occurs does no harm: it finds nothing);
    `manage.py load_knowledge --reindex` rebuilds it.
    """

    term = models.CharField(max_length=64, unique=True)
    length = models.PositiveSmallIntegerField()


class ItemRevision(models.Model):
    """Append-only history of an item: the full state after every change, and who made it."""

    class Action(models.TextChoices):
        CREATED = "created", _("aangemaakt")
        UPDATED = "updated", _("gewijzigd")
        WITHDRAWN = "withdrawn", _("teruggetrokken")
        REPUBLISHED = "republished", _("opnieuw gepubliceerd")
        LOADED = "loaded", _("bijgewerkt uit het bronbestand")

    item = models.ForeignKey(KnowledgeItem, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    changed_fields = models.JSONField(default=list)
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="knowledge_revision_version")
        ]


class UsageCount(models.Model):
    """How often an item was viewed or its link opened, per day and visitor audience.

    Only counts: no user, no session, no IP address, no organisation.
    """

    class Event(models.TextChoices):
        VIEW = "view", _("bekeken")
        DOWNLOAD = "download", _("geopend of gedownload")

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    audience = models.CharField(max_length=20, choices=VisitorAudience.choices)
    event = models.CharField(max_length=10, choices=Event.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "day", "audience", "event"], name="knowledge_usage_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "audience"], name="knowledge_usage_day")]


# -- recommendations tracker ---------------------------------------------------------------------


class Addressee(models.TextChoices):
    JENV = "jenv", _("Ministerie van Justitie en Veiligheid (JenV)")
    VWS = "vws", _("Ministerie van Volksgezondheid, Welzijn en Sport (VWS)")
    OCW = "ocw", _("Ministerie van Onderwijs, Cultuur en Wetenschap (OCW)")
    SZW = "szw", _("Ministerie van Sociale Zaken en Werkgelegenheid (SZW)")
    GEMEENTEN = "gemeenten", _("Gemeenten")
    KETEN = "keten", _("Organisaties in de keten")
    POLITIE = "politie", _("Politie")
    OM = "om", _("Openbaar Ministerie")
    RECHTSPRAAK = "rechtspraak", _("Rechtspraak en advocatuur")
    RECLASSERING = "reclassering", _("Reclassering")
    ONDERWIJS = "onderwijs", _("Onderwijs en beroepsopleidingen")
    WERKGEVERS = "werkgevers", _("Werkgevers")
    BESTUUR = "bestuur", _("Bestuur en politiek")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Niet gestart")
    IN_PREPARATION = "in_preparation", _("In voorbereiding")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    IMPLEMENTED = "implemented", _("Uitgevoerd")
    DROPPED = "dropped", _("Vervallen")


FINAL_STATUSES = frozenset({Status.IMPLEMENTED, Status.DROPPED})


class Theme(models.Model):
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("thema"), max_length=200)
    sections = models.JSONField(default=list)

    class Meta:
        ordering = ["number"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Recommendation(models.Model):
    """A bottleneck (knelpunt) or a recommendation (aanbeveling) of the report.

    `status`, `status_since` and `last_report_on` are kept up to date by the status services
    from the (append-only) status updates, so lists and the dashboard need no history walk.
    """

    class PointKind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Aanbeveling")
        BOTTLENECK = "bottleneck", _("Knelpunt")

    code = models.CharField(_("nummer"), max_length=20, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=PointKind.choices, db_index=True)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="points")
    chapter = models.PositiveSmallIntegerField(_("hoofdstuk"))
    section = models.CharField(_("paragraaf"), max_length=10)
    number_in_seed = models.CharField(_("nummer in het rapport"), max_length=40, blank=True)
    subtheme = models.CharField(_("subthema"), max_length=200, blank=True)
    summary = models.TextField(_("samenvatting"))
    responsibility = models.CharField(
        _("verantwoordelijk volgens het rapport"), max_length=300, blank=True
    )
    addressee_text = models.CharField(_("geadresseerde in de tekst"), max_length=200, blank=True)
    note = models.TextField(_("opmerking"), blank=True)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    status_since = models.DateField(_("status sinds"))
    last_report_on = models.DateField(_("laatste melding"), null=True, blank=True)
    seed_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("aanbeveling of knelpunt")
        verbose_name_plural = _("aanbevelingen en knelpunten")

    def __str__(self) -> str:
        return f"{self.code} {self.summary[:60]}"

    @property
    def is_recommendation(self) -> bool:
        return self.kind == self.PointKind.RECOMMENDATION

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class RecommendationAddressee(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="addressee_rows"
    )
    addressee = models.CharField(max_length=20, choices=Addressee.choices)
    derived = models.BooleanField(default=False)

    class Meta:
        ordering = ["derived", "addressee"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "addressee"], name="knowledge_recommendation_addressee"
            )
        ]
        indexes = [models.Index(fields=["addressee"], name="knowledge_addressee")]


class StatusUpdate(models.Model):
    """One report on the progress of a recommendation. Append-only: a correction points back."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="status_updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    reported_on = models.DateField(_("datum"))
    reported_by = models.CharField(_("gemeld door"), max_length=200)
    evidence = models.TextField(_("onderbouwing"), blank=True)
    evidence_links = models.JSONField(_("links naar bewijs"), default=list, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    recorded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("statusmelding")
        verbose_name_plural = _("statusmeldingen")


# -- round-table input ---------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    CARE = "care", _("Zorgaanbieder")
    YOUTH_CARE = "youth_care", _("Jeugdhulp of jeugdbescherming")
    GGZ = "ggz", _("GGZ of verslavingszorg")
    DISABILITY_CARE = "disability_care", _("Gehandicaptenzorg of LVB-zorg")
    SHELTER = "shelter", _("Opvang")
    POLICE = "police", _("Politie of opsporing")
    JUSTICE = "justice", _("OM, rechtspraak of advocatuur")
    MUNICIPALITY = "municipality", _("Gemeente of wijkteam")
    EDUCATION = "education", _("Onderwijs")
    KNOWLEDGE = "knowledge", _("Kenniscentrum of onderzoek")
    NGO = "ngo", _("Maatschappelijke organisatie")
    GOVERNMENT = "government", _("Rijksoverheid of inspectie")
    EXPERT_BY_EXPERIENCE = "experience", _("Ervaringsdeskundige")
    OTHER = "other", _("Anders")


class RoundTableSession(models.Model):
    title = models.CharField(_("naam van de sessie"), max_length=200)
    held_on = models.DateField(_("datum"))
    location = models.CharField(_("plaats of vorm"), max_length=200, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("ronde-tafelsessie")
        verbose_name_plural = _("ronde-tafelsessies")

    def __str__(self) -> str:
        return self.title


class Statement(models.Model):
    class StatementKind(models.TextChoices):
        PROBLEM = "problem", _("Knelpunt")
        AMBITION = "ambition", _("Wens of aanbeveling")
        STRENGTH = "strength", _("Wat goed gaat")
        TREND = "trend", _("Trend of ontwikkeling")

    session = models.ForeignKey(
        RoundTableSession, on_delete=models.PROTECT, related_name="statements"
    )
    text = models.TextField(_("uitspraak"))
    kind = models.CharField(_("soort uitspraak"), max_length=20, choices=StatementKind.choices)
    organisation_kind = models.CharField(
        _("soort organisatie"), max_length=20, choices=OrganisationKind.choices
    )
    themes = models.ManyToManyField(Theme, related_name="statements", blank=True)
    supports = models.ManyToManyField(Recommendation, related_name="statements", blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("uitspraak")
        verbose_name_plural = _("uitspraken")

    def __str__(self) -> str:
        return self.text[:80]
