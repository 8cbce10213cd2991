from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .keys import check_key_ring
from .reasons import ReasonsError, reason_keys


@register()
def signal_index_key_ring_is_valid(app_configs, **kwargs):
    try:
        check_key_ring()
    except ImproperlyConfigured as error:
        return [Error(f"signal index key ring: {error}", id="schakel.signal_index.E001")]
    return []


@register()
def signal_index_reasons_are_valid(app_configs, **kwargs):
    try:
        reason_keys()
    except ReasonsError as error:
        return [Error(str(error), id="schakel.signal_index.E002")]
    return []
