"""National registration of suspected victims: one Melding per report of one person by one
reporting organisation. No identifying data is kept: a person is only the registry's own keyed
pseudonym (`persoon_sleutel`). Field names that belong to the data contract keep its Dutch name.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# One 0/1 flag per form of exploitation, in the order of the hierarchy (contract.EXPECTED_FORMS).
# Flags, not a list, so the monitor can take the union of a person's forms with MAX() in SQL.
FORM_FIELDS = {
    "binnenlandse_seksuele_uitbuiting": "form_domestic_sexual",
    "grensoverschrijdende_seksuele_uitbuiting": "form_cross_border_sexual",
    "arbeidsuitbuiting": "form_labour",
    "criminele_uitbuiting": "form_criminal",
    "gedwongen_orgaanverwijdering": "form_organ_removal",
    "onbekend": "form_unknown",
}


class ImportRun(models.Model):
    """A CSV file that was imported (rejected files change nothing, so they leave no row)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("bestand"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("regels"))
    created = models.PositiveIntegerField(_("nieuw"))
    unchanged = models.PositiveIntegerField(_("al aanwezig"))
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_by_role = models.CharField(max_length=30)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")


class Melding(models.Model):
    class Source(models.TextChoices):
        FORM = "formulier", _("formulier")
        API = "api", _("API")
        IMPORT = "import", _("import")

    # -- the contract's columns --
    melding_id = models.CharField(_("meldingsnummer"), max_length=64, unique=True)
    melddatum = models.DateField(_("melddatum"))
    persoon_sleutel = models.CharField(_("persoonssleutel"), max_length=128)
    melder = models.CharField(_("melder"), max_length=20)
    politie_eenheid = models.CharField(_("politie-eenheid"), max_length=30, blank=True)
    grondslag = models.CharField(_("grondslag"), max_length=20)
    toestemming_door = models.CharField(_("toestemming door"), max_length=20, blank=True)
    form_domestic_sexual = models.PositiveSmallIntegerField(default=0)
    form_cross_border_sexual = models.PositiveSmallIntegerField(default=0)
    form_labour = models.PositiveSmallIntegerField(default=0)
    form_criminal = models.PositiveSmallIntegerField(default=0)
    form_organ_removal = models.PositiveSmallIntegerField(default=0)
    form_unknown = models.PositiveSmallIntegerField(default=0)
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    geslacht = models.CharField(_("geslacht"), max_length=10)
    leeftijd = models.PositiveSmallIntegerField(_("leeftijd"), null=True, blank=True)
    nationaliteit = models.CharField(_("nationaliteit"), max_length=2, blank=True)
    lvb_indicatie = models.CharField(_("LVB-indicatie"), max_length=10)

    # -- derived and administrative --
    year = models.PositiveSmallIntegerField(_("jaar"))
    source = models.CharField(max_length=10, choices=Source.choices)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, null=True, blank=True, related_name="meldingen"
    )
    reporter_organisation = models.CharField(
        _("organisatie van de melder"), max_length=200, blank=True
    )
    # Empty when reported "op domicilie": then only the organisation is known.
    reporter_name = models.CharField(_("naam van de melder"), max_length=200, blank=True)
    on_domicile = models.BooleanField(_("op domicilie gemeld"), default=False)
    consent_public_id = models.UUIDField(null=True, blank=True)
    registered_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-melddatum", "-pk"]
        indexes = [
            models.Index(fields=["year", "persoon_sleutel"], name="registry_year_person"),
            models.Index(fields=["persoon_sleutel", "year"], name="registry_person_year"),
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return self.melding_id

    @property
    def uitbuitingsvormen(self) -> list[str]:
        return [form for form, name in FORM_FIELDS.items() if getattr(self, name)]
