"""`make bench` is too long for the suite; these run its code at a tiny size so that it cannot rot."""

import pytest

from access import ledger
from access.models import Reason, SituationGroupGrant
from audit import chain
from audit.models import Event
from bench import measure
from bench.export_probe import stream_export
from bench.generate import Deployment, Sizes
from casework.models import Note, Person, Situation
from referrals.models import Referral


@pytest.fixture
def deployment(db):
    deployment = Deployment(Sizes(situations=100, partners=4, users=30, events=1_000, referrals=40))
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
    assert ledger.holds(deployment.probes.staff, situation)
    assert ledger.holds(deployment.probes.coordinator, situation)
    assert SituationGroupGrant.objects.filter(content_object=situation).count() >= 4


def test_referrals_are_generated_in_every_state_with_their_dates(deployment):
    assert Referral.objects.count() == deployment.referral_count > 20
    assert set(Referral.objects.values_list("state", flat=True)) >= {
        Referral.State.IN_PROGRESS,
        Referral.State.ENDED,
    }
    assert not Referral.objects.filter(state=Referral.State.PROPOSED, sent_at__isnull=False).exists()
    assert not Referral.objects.filter(state=Referral.State.ENDED, outcome__isnull=True).exists()
    assert not Referral.objects.exclude(situation__status__in=["suivi_actif", "cloturee"]).exists()


def test_an_open_referral_grants_its_operator_read_access(deployment):
    referral = Referral.objects.filter(state__in=Referral.OPEN_TO_OPERATOR).select_related("scheme").first()
    operator_group = referral.scheme.operator.group_id
    grants = SituationGroupGrant.objects.filter(
        content_object=referral.situation, group_id=operator_group, source_id=str(referral.pk)
    )
    assert list(grants.values_list("permission__codename", "reason", "expires_at")) == [
        ("view_situation", Reason.SCHEME_OPERATOR, None)
    ]


def test_a_justification_is_encrypted_with_the_situation_key(deployment):
    referral = Referral.objects.exclude(justification=None).select_related("data_key").first()
    assert referral.data_key_id == referral.situation.data_key_id
    assert referral.justification.startswith("Orientation")


def test_a_kept_deployment_restores_its_probes(deployment):
    restored = Deployment.restore(deployment.state())
    assert restored.probes.staff == deployment.probes.staff
    assert restored.probes.identities == deployment.probes.identities
    assert restored.referral_count == deployment.referral_count


def test_every_measure_runs_and_the_table_shows_it(deployment, master_keys):
    results = measure.measure_lists(deployment, runs=1)
    results += measure.measure_detail(deployment, runs=1)
    results += measure.measure_peers(deployment, runs=1)
    results += measure.measure_dpo(deployment, runs=1)
    results.append(measure.measure_duplicates(deployment, runs=1))
    results += measure.measure_intake_warning(deployment, runs=1)
    results += measure.measure_chain(deployment, pending=100)
    results.append(measure.measure_rotation(master_keys))
    rendered = measure.table(results)
    assert all(result.name in rendered for result in results)
    assert "Master-key rotation" in rendered and "100 data keys" in rendered
    assert "guardian" in rendered and "× Parcours" in rendered


def test_pages_are_judged_by_their_ratio_to_the_bare_page():
    fast = measure.Result("list", median_ms=20.0, p95_ms=30.0, bare_ms=10.0).judge(measure.LIST_RATIOS)
    slow_tail = measure.Result("list", median_ms=20.0, p95_ms=40.0, bare_ms=10.0).judge(measure.LIST_RATIOS)
    assert fast.ok and fast.target == "median ≤ 2.5 × bare, p95 ≤ 3.5 × bare"
    assert not slow_tail.ok
    assert "| 2.00 | 4.00 |" in measure.table([slow_tail])


def test_rewriting_the_report_keeps_the_http_section_verbatim(tmp_path):
    from bench.__main__ import write_report

    path = tmp_path / "latest.md"
    section = "<!-- bench-http:start -->\n## HTTP\n\n| a | b |\n<!-- bench-http:end -->"
    path.write_text(f"# old run\n\n{section}\n")
    write_report(path, "# new run\n")
    assert path.read_text() == f"# new run\n\n{section}\n"
    write_report(tmp_path / "fresh.md", "# new run\n")
    assert (tmp_path / "fresh.md").read_text() == "# new run\n"


def test_the_export_streams_every_event_of_the_period(deployment):
    streamed = stream_export(deployment.probes.dpo, measure.export_query())
    assert streamed["rows"] > 0 and streamed["bytes"] > 0
