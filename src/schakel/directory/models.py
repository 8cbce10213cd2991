"""Reference geography for the wegwijzer and organisations: safety regions, municipalities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SafetyRegion(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)  # VR01..VR25
    name = models.CharField(_("naam"), max_length=100)
    province = models.CharField(_("provincie"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("veiligheidsregio")
        verbose_name_plural = _("veiligheidsregio's")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("CBS-code"), max_length=6, unique=True)  # GM0363
    name = models.CharField(_("naam"), max_length=100)
    province = models.CharField(_("provincie"), max_length=50)
    safety_region = models.ForeignKey(
        SafetyRegion, on_delete=models.PROTECT, related_name="municipalities"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


# -- the wegwijzer ------------------------------------------------------------------------------
#
# Unknown stays unknown: a field the sources do not give is null, "" or an empty list, and the
# matching treats it as "not known" (a note), never as a fit or a misfit it cannot prove.


class Need(models.TextChoices):
    """What an offer gives; also the `need` of a search."""

    SHELTER = "shelter", _("opvang")
    TREATMENT = "treatment", _("behandeling")
    AMBULANT = "ambulant", _("ambulante hulp")
    CONSULTATION = "consultation", _("consultatie en advies")
    REPORTING = "reporting", _("melden")
    HOTLINE = "hotline", _("hulplijn")
    TRAINING = "training", _("training")
    COORDINATION = "coordination", _("zorgcoördinatie")


class Form(models.TextChoices):
    """Forms of exploitation (the four of art. 273f Sr, plus two the sources name separately)."""

    SEXUAL = "seksuele_uitbuiting", _("seksuele uitbuiting")
    CRIMINAL = "criminele_uitbuiting", _("criminele uitbuiting")
    LABOUR = "arbeidsuitbuiting", _("arbeidsuitbuiting")
    ORGAN = "orgaanverwijdering", _("gedwongen orgaanverwijdering")
    SEXUAL_VIOLENCE = "seksueel_geweld", _("seksueel geweld")
    DEPENDENCY_VIOLENCE = "geweld_afhankelijkheidsrelatie", _("geweld in afhankelijkheidsrelaties")


class Gender(models.TextChoices):
    FEMALE = "vrouw", _("vrouw of meisje")
    MALE = "man", _("man of jongen")
    OTHER = "x", _("anders of onbekend")


class Acceptance(models.TextChoices):
    """How an offer deals with LVB, GGZ or addiction."""

    UNKNOWN = "", _("niet bekend")
    NOT_ACCEPTED = "not_accepted", _("niet (contra-indicatie)")
    ACCEPTED = "accepted", _("welkom")
    SPECIALISED = "specialised", _("gespecialiseerd")
    ONLY = "only", _("alleen hiervoor")


class Setting(models.TextChoices):
    AMBULANT = "ambulant", _("ambulant")
    OPEN = "open", _("open")
    CLOSED = "closed", _("gesloten / beveiligd")
    RESIDENTIAL_24H = "24h", _("24-uursverblijf")
    ONLINE = "online", _("online of telefonisch")


class Scope(models.TextChoices):
    UNKNOWN = "", _("niet bekend")
    NATIONAL = "national", _("landelijk")
    REGIONAL = "regional", _("regionaal")


class Provider(models.Model):
    """An organisation in the wegwijzer (public data)."""

    key = models.SlugField(_("sleutel"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=300)
    kind = models.CharField(_("soort"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie in Schakel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_providers",
    )
    area_note = models.CharField(_("werkgebied (tekst)"), max_length=300, blank=True)
    phone = models.CharField(_("telefoon"), max_length=60, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    url = models.CharField(_("website"), max_length=500, blank=True)
    hours = models.CharField(_("bereikbaarheid"), max_length=300, blank=True)
    available_24_7 = models.BooleanField(_("24/7 bereikbaar"), default=False)
    contact_note = models.TextField(_("wat gebeurt er als u contact opneemt"), blank=True)
    sources = models.JSONField(_("bronnen"), default=list, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    from_seed = models.BooleanField(default=True)  # False once a person edited it
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(default="", blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """What a provider offers: a programme, shelter, a hotline, a training, care coordination."""

    key = models.SlugField(_("sleutel"), max_length=80, unique=True)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("aanbieder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
    )
    name = models.CharField(_("naam"), max_length=300)
    kind = models.CharField(_("soort"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    services = models.JSONField(_("biedt"), default=list)  # [Need]
    forms = models.JSONField(_("vormen van uitbuiting"), default=list, blank=True)  # [Form]
    # target group
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"), null=True, blank=True)
    genders = models.JSONField(_("geslacht"), default=list, blank=True)  # [Gender], [] = not known
    lvb = models.CharField(
        _("LVB"), max_length=20, choices=Acceptance.choices, blank=True, default=""
    )
    iq_min = models.PositiveSmallIntegerField(_("IQ vanaf"), null=True, blank=True)
    iq_max = models.PositiveSmallIntegerField(_("IQ tot en met"), null=True, blank=True)
    ggz = models.CharField(
        _("GGZ-problematiek"), max_length=20, choices=Acceptance.choices, blank=True, default=""
    )
    addiction = models.CharField(
        _("verslaving"), max_length=20, choices=Acceptance.choices, blank=True, default=""
    )
    perpetrators = models.BooleanField(_("ook voor (mogelijke) daders"), null=True, blank=True)
    with_children = models.BooleanField(
        _("slachtoffers met kinderen welkom"), null=True, blank=True
    )
    target_note = models.TextField(_("doelgroep (toelichting)"), blank=True)
    settings = models.JSONField(_("setting"), default=list, blank=True)  # [Setting]
    # where
    scope = models.CharField(
        _("werkgebied"), max_length=20, choices=Scope.choices, blank=True, default=""
    )
    municipalities = models.JSONField(_("gemeenten"), default=list, blank=True)  # CBS codes
    safety_regions = models.JSONField(_("veiligheidsregio's"), default=list, blank=True)  # VRnn
    provinces = models.JSONField(_("provincies"), default=list, blank=True)
    area_note = models.CharField(_("werkgebied (tekst)"), max_length=300, blank=True)
    # contact
    phone = models.CharField(_("telefoon"), max_length=60, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    url = models.CharField(_("website"), max_length=500, blank=True)
    hours = models.CharField(_("bereikbaarheid"), max_length=300, blank=True)
    available_24_7 = models.BooleanField(_("24/7 bereikbaar"), default=False)
    contact_note = models.TextField(_("wat gebeurt er als u contact opneemt"), blank=True)
    languages = models.JSONField(_("talen"), default=list, blank=True)
    contra_indications = models.JSONField(_("contra-indicaties"), default=list, blank=True)
    # capacity
    places = models.PositiveIntegerField(_("plaatsen"), null=True, blank=True)
    free_places = models.PositiveIntegerField(_("vrije plaatsen"), null=True, blank=True)
    waiting_weeks = models.PositiveSmallIntegerField(_("wachttijd in weken"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(null=True, blank=True)
    capacity_updated_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    capacity_updated_label = models.CharField(max_length=200, blank=True)
    sources = models.JSONField(_("bronnen"), default=list, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    from_seed = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(default="", blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")

    def __str__(self) -> str:
        return self.name


class DirectoryChange(models.Model):
    """Append-only history of the wegwijzer: who changed what, old and new values."""

    class Action(models.TextChoices):
        CREATED = "created", _("aangemaakt")
        UPDATED = "updated", _("gewijzigd")
        CAPACITY = "capacity", _("capaciteit bijgewerkt")
        DEACTIVATED = "deactivated", _("uitgezet")
        ACTIVATED = "activated", _("weer aangezet")

    entity = models.CharField(max_length=10)  # "provider" or "offer"
    key = models.SlugField(max_length=80, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    changes = models.JSONField(default=dict)  # {field: [old, new]}
    actor = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)  # kept when the actor goes
    source = models.CharField(max_length=40, blank=True)  # web, api, import, seed
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Suggestion(models.Model):
    """A correction or a new entry proposed by anyone; reviewed by a functional admin."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("correctie")
        NEW = "new", _("nieuw aanbod")

    class Status(models.TextChoices):
        OPEN = "open", _("te beoordelen")
        ACCEPTED = "accepted", _("overgenomen")
        REJECTED = "rejected", _("afgewezen")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    subject = models.CharField(max_length=300)
    message = models.TextField()
    email = models.EmailField(blank=True)  # emptied at review
    suggested_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    reviewed_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
