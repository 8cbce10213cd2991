from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from schakel.monitor.charts import category_label

register = template.Library()

COLUMN_LISTS = {
    "reeks": "reeksen",
    "uitbuitingsvorm": "uitbuitingsvormen",
    "vorm": "uitbuitingsvormen",
    "melder": "melders",
    "politie_eenheid": "politie_eenheden",
    "geslacht": "geslachten",
    "leeftijdsgroep": "leeftijdsgroepen",
    "lvb_indicatie": "lvb_indicaties",
    "nationaliteit": "nationaliteit",
    "sector": "sectoren",
}


@register.filter
def cell(row: dict, column: str):
    """A cell of a monitor row for the page: category labels in words, numbers localised."""
    value = row.get(column)
    if value is None or value == "":
        return "–"
    if column in COLUMN_LISTS:
        return category_label(COLUMN_LISTS[column], value)
    if column == "termijn":
        return category_label("", value)
    if isinstance(value, int) and column != "jaar":
        return number_format(value)
    if column in ("gemiddelde", "aandeel"):
        return number_format(float(value), 1)
    return value


@register.filter
def shown(value):
    """A pivot value for the page."""
    if value is None or value == "":
        return "–"
    if isinstance(value, int):
        return number_format(value)
    try:
        return number_format(float(value), 1)
    except ValueError:
        return value


COLUMN_TITLES = {
    "jaar": _("Jaar"),
    "reeks": _("Reeks"),
    "aantal": _("Aantal"),
    "uitbuitingsvorm": _("Uitbuitingsvorm"),
    "vorm": _("Vorm (hiërarchisch)"),
    "melder": _("Melder"),
    "politie_eenheid": _("Politie-eenheid"),
    "geslacht": _("Geslacht"),
    "leeftijdsgroep": _("Leeftijdsgroep"),
    "gemiddelde": _("Gemiddelde leeftijd"),
    "nationaliteit": _("Nationaliteit"),
    "sector": _("Sector"),
    "lvb_indicatie": _("LVB-indicatie"),
    "termijn": _("Termijn"),
    "eerste_registraties": _("Voor het eerst geregistreerd"),
    "opnieuw_geregistreerd": _("Opnieuw geregistreerd"),
    "aandeel": _("Aandeel (%)"),
}


@register.filter
def column_title(column: str) -> str:
    return COLUMN_TITLES.get(column, column)
