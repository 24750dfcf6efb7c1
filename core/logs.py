"""Logs as one JSON object per line, each carrying the request id, and no personal data (invariant 3).

The request id comes from the TLS proxy (nginx's `$request_id`, sent as `X-Request-ID`) when it looks
like one, or is made here; it is sent back in the response, so that a person reporting « erreur à
10 h 42 » and the proxy's access log lead to the same lines. An exception's message may quote what
the code was handling (a name, a note), so a log line keeps only the exception's type and the
traceback's file, line and function: enough to find the bug, nothing about the young person.
"""

import contextvars
import json
import logging
import re
import traceback
import uuid
from datetime import UTC, datetime

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("parcours_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """First in the chain: every log line written while a request runs carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request_id = offered if _ACCEPTED.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def _frames(tb) -> list[str]:
    return [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)]


class JsonFormatter(logging.Formatter):
    """One line of JSON per record: time, level, logger, message, request id; exceptions without their text."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            entry["exception"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            entry["traceback"] = _frames(tb)
        return json.dumps(entry, ensure_ascii=False)
