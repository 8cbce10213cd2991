from django.core.checks import Error, register

from .guidance import guidance_problems
from .instruments import check_files


@register()
def instrument_files_are_valid(app_configs, **kwargs):
    """The shipped instruments and the guidance must load; each problem is one error."""
    _instruments, problems = check_files()
    problems = guidance_problems() + problems
    return [Error(str(problem), id="schakel.screening.E001") for problem in problems]
