"""The data migration that turned `Scheme.action_code` (text) into a link to a fiche-action: on real
rows, a code that names a fiche-action becomes the link, and one that names none is not lost."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from access.models import Partner
from tests.factories import make_partner

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("referrals", "0002_coded_lists")]
AFTER = [("referrals", "0003_scheme_action")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state([*targets, ("casework", "0007_strategy")]).apps


@pytest.fixture
def before_the_link():
    """The database as it was before the link: referrals at 0002, the strategy tables already there.
    Migrated forward again whatever the test does, so that the next tests find today's schema."""
    apps = _migrate(BEFORE)
    try:
        yield apps
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _strategy(apps, pilot, *, title: str, active: bool, code: str, starts_on: datetime.date):
    Strategy = apps.get_model("casework", "Strategy")
    Axis = apps.get_model("casework", "Axis")
    Action = apps.get_model("casework", "Action")
    strategy = Strategy.objects.create(
        title=title, starts_on=starts_on, ends_on=starts_on.replace(year=starts_on.year + 2), active=active
    )
    axis = Axis.objects.create(strategy=strategy, number=2, title="Prévention sociale")
    return Action.objects.create(
        strategy=strategy, axis=axis, code=code, title="Renforcer la saisine", pilot_id=pilot.pk
    )


def _scheme(apps, operator, *, name: str, code: str, description: str = ""):
    Scheme = apps.get_model("referrals", "Scheme")
    return Scheme.objects.create(name=name, operator_id=operator.pk, action_code=code, description=description)


def test_it_links_each_scheme_to_the_fiche_action_its_code_named(before_the_link):
    apps = before_the_link
    city = make_partner("Ville de Lomme", Partner.Kind.CITY)
    # A newer draft reuses the code: the active strategy wins.
    draft = _strategy(apps, city, title="2022", active=False, code="2.1", starts_on=datetime.date(2022, 1, 1))
    current = _strategy(apps, city, title="2019", active=True, code="2.1", starts_on=datetime.date(2019, 1, 1))
    linked = _scheme(apps, city, name="PRE", code=" 2.1 ", description="Réussite éducative")
    unknown = _scheme(apps, city, name="CDDF", code="9.9", description="Conseil des droits et devoirs")
    blank = _scheme(apps, city, name="PAEJ", code="")

    apps = _migrate(AFTER)
    Scheme = apps.get_model("referrals", "Scheme")

    assert Scheme.objects.get(pk=linked.pk).action_id == current.pk != draft.pk
    assert Scheme.objects.get(pk=linked.pk).description == "Réussite éducative"
    kept = Scheme.objects.get(pk=unknown.pk)
    assert kept.action_id is None
    assert kept.description == "Conseil des droits et devoirs\nFiche-action (code à relier) : 9.9"
    assert Scheme.objects.get(pk=blank.pk).action_id is None
    assert Scheme.objects.get(pk=blank.pk).description == ""
