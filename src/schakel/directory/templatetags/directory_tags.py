from django import template

from schakel.directory.matching import _label, join_names
from schakel.directory.models import Form, Gender, Need, Setting

register = template.Library()


@register.filter
def need_labels(values) -> str:
    return join_names([_label(Need, v) for v in values or []])


@register.filter
def form_labels(values) -> str:
    return join_names([_label(Form, v) for v in values or []])


@register.filter
def gender_labels(values) -> str:
    return join_names([_label(Gender, v) for v in values or []])


@register.filter
def setting_labels(values) -> str:
    return join_names([_label(Setting, v) for v in values or []])
