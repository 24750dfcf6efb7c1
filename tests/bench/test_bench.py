"""`make bench` is too long for the suite; these run its code at a tiny size so that it cannot rot."""

import pytest

from access.permissions import user_holds
from audit import chain
from audit.models import Event
from bench import measure
from bench.export_probe import stream_export
from bench.generate import Deployment, Sizes
from casework.models import Note, Person, Situation, SituationGroupObjectPermission


@pytest.fixture
def deployment(db):
    deployment = Deployment(Sizes(situations=100, partners=4, users=30, events=1_000))
    deployment.setup()
    deployment.add_situations(100)
    deployment.add_events(1_000)
    return deployment


def test_generated_events_form_a_chain_that_verifies(deployment):
    report = chain.verify(Event)
    assert report.intact, report.broken
    assert report.checked == 1_000


def test_generated_identities_and_notes_decrypt_with_their_data_keys(deployment):
    person = Person.objects.select_related("data_key").first()
    assert person.last_name and person.birth_date.year == person.birth_year
    note = Note.objects.select_related("data_key").first()
    assert note.body.endswith(".")
    assert Situation.objects.count() == 100 and Note.objects.count() == 500


def test_generated_grants_are_the_ones_the_permission_filter_reads(deployment):
    situation = Situation.objects.get(pk=deployment.probes.situation_id)
    assert user_holds(deployment.probes.staff, situation)
    assert user_holds(deployment.probes.coordinator, situation)
    assert SituationGroupObjectPermission.objects.filter(content_object=situation).count() >= 4


def test_every_measure_runs_and_the_table_shows_it(deployment, master_keys):
    results = measure.measure_lists(deployment, runs=1)
    results += measure.measure_detail(deployment, runs=1)
    results += measure.measure_dpo(deployment, runs=1)
    results.append(measure.measure_duplicates(deployment, runs=1))
    results += measure.measure_chain(deployment, pending=100)
    results.append(measure.measure_rotation(master_keys))
    rendered = measure.table(results)
    assert all(result.name in rendered for result in results)
    assert "Master-key rotation" in rendered and "100 data keys" in rendered


def test_the_export_streams_every_event_of_the_period(deployment):
    streamed = stream_export(deployment.probes.dpo, measure.export_query())
    assert streamed["rows"] > 0 and streamed["bytes"] > 0
