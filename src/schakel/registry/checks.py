from django.core.checks import Error, register

from .contract import ContractError, load_contract


@register()
def registry_contract_is_valid(app_configs, **kwargs):
    try:
        load_contract()
    except ContractError as error:
        return [Error(f"registry contract: {error}", id="schakel.registry.E001")]
    return []
