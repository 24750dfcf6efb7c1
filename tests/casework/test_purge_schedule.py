"""The coordinator (and the DPO) see the purges of the next 30 days; staff do not."""

import pytest

from tests.casework.helpers import make_due
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_the_purges_of_the_next_30_days(client_for, alice, charlie):
    soon = make_due(make_situation(alice), days_late=-20)
    later = make_due(make_situation(alice, last_name="Martin"), days_late=-40)

    page = client_for(charlie).get("/donnees/purges-a-venir/").content.decode()

    assert soon.reference in page and later.reference not in page


def test_staff_do_not_see_the_purge_list(client_for, alice):
    assert client_for(alice).get("/donnees/purges-a-venir/").status_code == 403
