from django.core.checks import Error, register

from .register import RegisterError, processing_register
from .sharing_config import SharingConfigError, sharing_config


@register()
def processing_register_is_valid(app_configs, **kwargs):
    try:
        processing_register()
    except RegisterError as error:
        return [Error(str(error), id="schakel.privacy.E001")]
    return []


@register()
def sharing_rules_are_valid(app_configs, **kwargs):
    try:
        processing_register()
    except RegisterError:
        return []  # reported by E001
    try:
        sharing_config()
    except SharingConfigError as error:
        return [Error(str(error), id="schakel.privacy.E002")]
    return []
