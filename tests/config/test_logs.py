"""Logs are JSON lines carrying the request id, and an error on a page showing identities leaves no
identity in them (invariant 3)."""

import io
import json
import logging

import pytest

from casework import selectors
from core.logs import JsonFormatter
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The configured console handler (settings.LOGGING), writing into a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(previous)


def test_an_error_on_the_situation_page_logs_json_with_the_request_id_and_no_identity(
    client_for, alice, monkeypatch, log_lines
):
    situation = make_situation(by=alice, last_name="Secretnom", first_name="Prénomcaché")

    def broken(situation_):
        # A bug that quotes what it was handling, as exception messages often do.
        raise RuntimeError(f"échec pour {situation_.person.last_name} {situation_.person.first_name}")

    monkeypatch.setattr(selectors, "involved_partners", broken)
    client = client_for(alice)
    client.raise_request_exception = False

    response = client.get(f"/situations/{situation.pk}/", HTTP_X_REQUEST_ID="req-0123456789abcdef")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-0123456789abcdef"
    lines = log_lines()
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["request_id"] == "req-0123456789abcdef"
    assert error["exception"] == "builtins.RuntimeError"
    assert any("in broken" in frame for frame in error["traceback"])
    written = json.dumps(lines, ensure_ascii=False)
    assert "Secretnom" not in written
    assert "Prénomcaché" not in written
    assert "Secretnom" not in response.content.decode()


def test_a_request_without_an_id_gets_one(client):
    response = client.get("/sante/")
    assert len(response["X-Request-ID"]) == 32


def test_a_malformed_offered_id_is_replaced(client):
    response = client.get("/sante/", HTTP_X_REQUEST_ID="bad id\nwith a line break")
    assert response["X-Request-ID"] != "bad id\nwith a line break"
    assert len(response["X-Request-ID"]) == 32
