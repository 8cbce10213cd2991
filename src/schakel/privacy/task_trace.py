"""One trace per background job: each job the task queue runs gets its own trace id in the
processing log, as each web request does (`web.middleware`). Without this a worker thread would
keep the first trace id it made for every later job it ran.

Registered on the project's huey instance when the privacy app is ready, so it holds for the
`run_huey` workers and for jobs run at once in immediate mode (tests), where the request's own
trace comes back after the job."""

from huey.contrib.djhuey import HUEY

from .trace import end_trace, start_trace

_tokens: dict[str, object] = {}


def _start(task) -> None:
    _tokens[task.id] = start_trace()


def _end(task, _value, _exception) -> None:
    token = _tokens.pop(task.id, None)
    if token is not None:
        end_trace(token)


def register(huey=HUEY) -> None:
    huey.pre_execute(name="schakel_trace_start")(_start)
    huey.post_execute(name="schakel_trace_end")(_end)
