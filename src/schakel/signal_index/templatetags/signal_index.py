from django import template

from ..selectors import signal_new_match_count

register = template.Library()


@register.simple_tag(takes_context=True)
def signal_new_matches(context) -> int:
    return signal_new_match_count(actor=context.get("actor"))
