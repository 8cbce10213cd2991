from django.core.checks import Error, register

from .data import DataFileError, load_items_file, load_recommendations_file


@register()
def knowledge_data_files_are_valid(app_configs, **kwargs):
    errors = []
    for loader, code in ((load_items_file, "E001"), (load_recommendations_file, "E002")):
        try:
            loader()
        except DataFileError as error:
            errors.append(Error(str(error), id=f"schakel.knowledge.{code}"))
    return errors
