"""Persons: the data subjects. Identifying fields are encrypted at rest (see crypto.py)."""

import uuid
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedDateField, EncryptedTextField


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "v", _("vrouw")
        MALE = "m", _("man")
        OTHER = "x", _("anders")
        UNKNOWN = "", _("onbekend")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_names = EncryptedTextField(_("voornamen"), blank=True)
    surname = EncryptedTextField(_("achternaam"), blank=True)
    bsn = EncryptedTextField(_("BSN"), blank=True)
    date_of_birth = EncryptedDateField(_("geboortedatum"), blank=True, null=True)
    address = EncryptedTextField(_("adres"), blank=True)
    phone = EncryptedTextField(_("telefoon"), blank=True)
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices, blank=True)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="persons"
    )
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.given_names, self.surname) if p)
        return name or _("(naam onbekend)")

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())


class LvbIndication(models.Model):
    """One entry in the LVB history of a person. Append-only: a correction points at the old one."""

    class Status(models.TextChoices):
        SUSPECTED = "suspected", _("vermoed")
        SCREENED = "screened", _("gescreend")
        DIAGNOSED = "diagnosed", _("vastgesteld")
        DISPUTED = "disputed", _("betwist")

    class SourceKind(models.TextChoices):
        OBSERVATION = "observation", _("observatie door professional")
        SCREENING = "screening", _("screeningsinstrument")
        IQ_TEST = "iq_test", _("intelligentieonderzoek")
        FILE = "file", _("dossier of verwijzer")
        SELF_REPORT = "self_report", _("de persoon zelf of het netwerk")
        OTHER = "other", _("anders")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="lvb_history")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source_kind = models.CharField(_("soort bron"), max_length=20, choices=SourceKind.choices)
    source = models.CharField(_("bron"), max_length=200)
    observed_on = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    recorded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on", "-recorded_at"]
        verbose_name = _("LVB-indicatie")
        verbose_name_plural = _("LVB-indicaties")
