from django import template

from schakel.registry.contract import contract

register = template.Library()


@register.simple_tag
def code_label(list_name: str, key: str) -> str:
    """The label of a code of the registration contract, in the current language."""
    if not key:
        return ""
    return contract().label(list_name, key)


@register.filter
def form_labels(melding) -> str:
    c = contract()
    return ", ".join(c.label("uitbuitingsvormen", form) for form in melding.uitbuitingsvormen)
