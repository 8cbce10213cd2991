"""Screening: published instrument versions, stored assessments, and anonymous use counts."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InstrumentVersion(models.Model):
    """One published version of an instrument, as loaded from its file. Never changed after.

    An assessment points at the version it was made with, so it keeps rendering with that
    version's questions and texts after a newer version is published.
    """

    key = models.CharField(_("instrument"), max_length=60)
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=200)
    audience = models.JSONField(_("doelgroep"), default=list)
    definition = models.JSONField(_("definitie"))
    checksum = models.CharField(max_length=64)
    source = models.CharField(_("bronbestand"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("geladen op"), default=timezone.now)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="screening_unique_version")
        ]
        verbose_name = _("instrumentversie")
        verbose_name_plural = _("instrumentversies")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Assessment(models.Model):
    """A screening of a known person: the answers, the result, and who made it. Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="screening_assessments"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    answers = models.JSONField(_("antwoorden"))
    result = models.JSONField(_("uitkomst"))
    outcome = models.CharField(_("uitkomst"), max_length=20)
    lvb_indication = models.BooleanField(
        _("LVB-indicatie bij de persoon"),
        default=False,
        help_text=_("Of de persoon een LVB-indicatie had toen de screening werd gemaakt."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.instrument.title} ({self.created_at:%Y-%m-%d})"


class UsageCount(models.Model):
    """How often an instrument was used, per month, way of use and outcome. Nothing personal."""

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("anoniem (consultatie)")
        PERSON = "person", _("voor een bekende persoon")

    period = models.DateField(_("maand"))  # the first day of the month
    instrument_key = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.PositiveIntegerField(_("versie"))
    mode = models.CharField(_("gebruik"), max_length=10, choices=Mode.choices)
    outcome = models.CharField(_("uitkomst"), max_length=20)
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        ordering = ["-period", "instrument_key", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "instrument_key", "instrument_version", "mode", "outcome"],
                name="screening_unique_usage",
            )
        ]
        verbose_name = _("gebruikstelling")
        verbose_name_plural = _("gebruikstellingen")
