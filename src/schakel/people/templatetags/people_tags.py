"""Template helpers for persons."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def mask_bsn(bsn: str) -> str:
    """Only the last 3 digits: '******333'. Empty when there is no BSN."""
    return f"******{bsn[-3:]}" if bsn else ""


@register.filter
def bsn_masked(bsn: str) -> str:
    """The masked BSN, with a text that screen readers read instead of the asterisks."""
    if not bsn:
        return ""
    return format_html(
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>',
        mask_bsn(bsn),
        _("BSN eindigt op %(digits)s") % {"digits": " ".join(bsn[-3:])},
    )
