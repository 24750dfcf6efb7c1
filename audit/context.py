"""The current request, for audit records written by services that do not receive it."""

import contextvars
from contextlib import contextmanager

_request: contextvars.ContextVar = contextvars.ContextVar("parcours_audit_request", default=None)


def current_request():
    return _request.get()


@contextmanager
def request_context(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)
