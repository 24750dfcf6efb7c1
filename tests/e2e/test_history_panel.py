"""The change history of a situation loads on demand in the page (htmx), its load recorded as a read.
Checked by axe-core at 1366 px and 390 px."""

import pytest

from audit.models import Event
from casework import services
from tests.e2e.test_association import look, sign_in
from tests.factories import make_situation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_history_loads_in_the_page_when_asked(live_server, browser, alice):
    situation = make_situation(alice, last_name="Fictif-Lambert", first_name="Zoé")
    services.situation_update(situation_id=situation.pk, by=alice, expected_version=1, changes={"status": "examinee"})
    context, page = sign_in(browser, live_server, alice)
    page.goto(f"{live_server.url}/situations/{situation.pk}/")
    assert not Event.objects.filter(user=alice, screen="situation_history").exists()

    page.get_by_role("link", name="Afficher l'historique des modifications").click()

    history = page.locator("#history")
    history.get_by_text("création").wait_for()
    assert page.url == f"{live_server.url}/situations/{situation.pk}/"
    assert Event.objects.filter(user=alice, screen="situation_history").count() == 1
    page.locator("#history-title").scroll_into_view_if_needed()
    look(page, "situation-history")
    context.close()
