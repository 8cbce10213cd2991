import re

from django import template

register = template.Library()


@register.filter
def tel_href(number: str) -> str:
    """A tel: link target from a number as printed ("088 – 50 57 410" → "tel:0885057410")."""
    digits = re.sub(r"[^\d+]", "", number or "")
    return f"tel:{digits}" if digits else ""


@register.filter
def points(value) -> str:
    """A score without a needless ".0"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else f"{number:.1f}".replace(".", ",")
