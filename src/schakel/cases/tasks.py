"""Background work for cases, on the huey queue: the daily run that makes the 18th-birthday
tasks when they are due. It never changes a case."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="5", minute="15"))
def case_tasks_due() -> int:
    from .services import case_tasks_due_create

    return case_tasks_due_create()
