from django.core.checks import Error, register

from .rules import RulesError, case_rules


@register()
def case_rules_are_valid(app_configs, **kwargs):
    try:
        case_rules()
    except RulesError as error:
        return [Error(str(error), id="schakel.cases.E001")]
    return []
