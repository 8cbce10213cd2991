"""Trace context (W3C traceparent) for the processing log: one trace per request or job."""

import re
import secrets
from contextvars import ContextVar

_trace_id: ContextVar[str | None] = ContextVar("schakel_trace_id", default=None)
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


def new_span_id() -> str:
    return secrets.token_hex(8)


def current_trace_id() -> str:
    trace = _trace_id.get()
    if trace is None:
        trace = secrets.token_hex(16)
        _trace_id.set(trace)
    return trace


def start_trace(traceparent: str | None = None):
    """Begin a trace (from an incoming `traceparent` header when valid); returns a reset token."""
    match = _TRACEPARENT.match(traceparent or "")
    trace = match.group(1) if match and match.group(1) != "0" * 32 else secrets.token_hex(16)
    return _trace_id.set(trace)


def end_trace(token) -> None:
    _trace_id.reset(token)
