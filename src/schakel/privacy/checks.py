from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning

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


@register()
def processing_log_keys_are_valid(app_configs, **kwargs):
    """The log keys (HMAC of the chain), the checkpoint keys and the checkpoint folder."""
    from django.core.exceptions import ImproperlyConfigured

    from .chain import log_key_ring
    from .checkpoints import checkpoint_key_ring, configured_dir

    problems = []
    try:
        log_key_ring()
    except ImproperlyConfigured as error:
        problems.append(Error(str(error), id="schakel.privacy.E003"))
    try:
        checkpoint_key_ring()
    except ImproperlyConfigured as error:
        problems.append(Error(str(error), id="schakel.privacy.E004"))
    directory = configured_dir()
    if directory is None:
        problems.append(
            CheckWarning(
                "SCHAKEL_LOG_CHECKPOINT_DIR is not set: no checkpoints are written, so the "
                "processing log is not anchored outside the database",
                id="schakel.privacy.W001",
            )
        )
    elif directory.exists() and not directory.is_dir():
        problems.append(
            Error(
                f"SCHAKEL_LOG_CHECKPOINT_DIR ({directory}) is not a folder",
                id="schakel.privacy.E005",
            )
        )
    return problems
