"""Invariant 3: an error report (the e-mail admins get) carries no request data or local variable."""

from django.test import RequestFactory
from django.views.debug import ExceptionReporter


def test_error_report_hides_post_data_and_locals():
    request = RequestFactory().post("/situations/nouvelle/", {"identity-last_name": "Secretnom"})
    try:
        last_name = "Secretnom"  # noqa: F841 - a local the report must not show
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report = ExceptionReporter(request, type(exc), exc, exc.__traceback__).get_traceback_text()
    assert "Secretnom" not in report
    assert "boom" in report


def test_404_page_does_not_echo_the_path(client):
    response = client.get("/situations/Secretnom/")
    assert response.status_code == 404
    assert "Secretnom" not in response.content.decode()
