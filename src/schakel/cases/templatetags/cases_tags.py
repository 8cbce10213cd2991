from django import template

register = template.Library()


@register.simple_tag
def member_name(membership) -> str:
    """A professional as the case shows them: name and organisation."""
    if membership is None:
        return "–"
    user = membership.user
    return f"{user.full_name or user.email} ({membership.organisation.name})"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
