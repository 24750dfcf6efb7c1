"""The evaluation's numbers equal counts computed here, independently, from the raw rows; a purge
leaves them unchanged."""

import datetime
import statistics
from collections import Counter

import pytest

from casework.models import EvaluationCount, Situation, YouthOutcome
from dpo.purge import retention_purge
from evaluation.evaluation import Period, Scope, evaluation
from evaluation.suppression import THRESHOLD
from referrals.models import Referral, ReferralCount
from tests.casework.helpers import make_due
from tests.evaluation.dataset import PERIOD, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(alice, charlie, maya, mission_locale):
    return build(alice, charlie, mission_locale)


def scope_of(actions, action=None):
    return Scope(actions[0].strategy, Period.months(*PERIOD), action=action)


def in_scope(actions):
    """Raw situations received in the period, linked to one of `actions`: plain Python over rows."""
    codes = {a.pk for a in actions}
    return [
        s
        for s in Situation.objects.prefetch_related("action_links").select_related("person", "source", "closure_reason")
        if PERIOD[0] <= s.received_on <= PERIOD[1] and {link.action_id for link in s.action_links.all()} & codes
    ]


def one_way(table) -> dict[str, int]:
    return {label: row[0] for label, row in zip(table.rows, table.counts, strict=True) if row[0]}


def tables(scope):
    return {table.key: table for table in evaluation(scope).tables}


def test_situations_by_status_equal_the_raw_rows(dataset):
    actions, _schemes = dataset
    expected = Counter(Situation.Status(s.status).label for s in in_scope(actions))
    assert one_way(tables(scope_of(actions))["statuts"]) == expected
    assert sum(expected.values()) >= 10


def test_age_gender_and_source_equal_the_raw_rows(dataset):
    actions, _schemes = dataset
    rows = in_scope(actions)
    result = tables(scope_of(actions))

    def band(s):
        if s.person is None:
            return "Non renseigné (situation anonyme)"
        age = s.received_on.year - s.person.birth_year
        return (
            "< 13"
            if age <= 12
            else "13-15"
            if age <= 15
            else "16-17"
            if age <= 17
            else "18-21"
            if age <= 21
            else "22 +"
        )

    genders = {"F": "Fille / femme", "M": "Garçon / homme", "A": "Autre", "": "Non renseigné"}
    assert one_way(result["ages"]) == Counter(band(s) for s in rows)
    assert one_way(result["genres"]) == Counter(genders[s.person.gender if s.person else ""] for s in rows)
    assert one_way(result["sources"]) == Counter(s.source.label for s in rows)


def test_closures_and_durations_equal_the_raw_rows(dataset):
    actions, _schemes = dataset
    closed = [s for s in in_scope(actions) if s.status == Situation.Status.CLOSED]
    result = tables(scope_of(actions))

    def band(s):
        months = (s.closed_on - s.received_on).days // 30
        return (
            "< 3 mois"
            if months <= 3
            else "3-6 mois"
            if months <= 6
            else "6-12 mois"
            if months <= 12
            else ("12-24 mois" if months <= 24 else "24 mois +")
        )

    assert one_way(result["clotures"]) == Counter(s.closure_reason.label for s in closed)
    assert one_way(result["durees"]) == Counter(band(s) for s in closed)


def by_status(table) -> Counter:
    """(row label, status label) → count, the non-zero cells of a table by status."""
    return Counter(
        {
            (label, column): count
            for label, row in zip(table.rows, table.counts, strict=True)
            for column, count in zip(table.columns, row, strict=True)
            if count
        }
    )


def raw_territory_and_motif_tables(actions):
    rows = in_scope(actions)
    territory = Counter(
        (s.person.territory.label if s.person and s.person.territory else "Non renseigné", s.get_status_display())
        for s in rows
    )
    motifs = Counter((m.label, s.get_status_display()) for s in rows for m in s.motifs.all())
    crossed = Counter(
        (m.label, s.person.territory.label if s.person and s.person.territory else "Non renseigné")
        for s in rows
        for m in s.motifs.all()
    )
    closed = [s for s in rows if s.status == Situation.Status.CLOSED]
    outcome = {"": "Non renseignée"} | dict(YouthOutcome.choices)
    by_motif = Counter((m.label, outcome[s.youth_outcome]) for s in closed for m in s.motifs.all())
    codes = {a.pk for a in actions}
    by_action = Counter(
        (f"{link.action.code} {link.action.title}", outcome[s.youth_outcome])
        for s in closed
        for link in s.action_links.all()
        if link.action_id in codes
    )
    return territory, motifs, crossed, by_motif, by_action


def test_tables_by_quartier_motif_and_outcome_equal_the_raw_rows_before_and_after_a_purge(dataset):
    actions, _schemes = dataset
    territory, motifs, crossed, by_motif, by_action = raw_territory_and_motif_tables(actions)
    assert len({quartier for quartier, _status in territory}) >= 3 and len(motifs) >= 5
    assert len({outcome for _motif, outcome in by_motif}) >= 2 and by_action

    for _moment in ("before", "after"):
        result = tables(scope_of(actions))
        assert by_status(result["quartiers"]) == territory
        assert by_status(result["motifs"]) == motifs
        assert by_status(result["motifs-quartiers"]) == crossed
        assert by_status(result["issues-motifs"]) == by_motif
        assert by_status(result["issues-fiches"]) == by_action
        for situation in Situation.objects.filter(status__in=(Situation.Status.CLOSED, Situation.Status.NOT_RETAINED)):
            make_due(situation, status=situation.status)
        assert retention_purge() or EvaluationCount.objects.exists()


def test_a_quartier_total_and_its_status_cell_are_hidden_alike(dataset):
    actions, _schemes = dataset
    result = tables(scope_of(actions))
    status, territory = result["statuts"], result["quartiers"]
    assert [row[0] for row in status.published.cells] == territory.published.column_totals[:5]
    assert status.published.column_totals[0] == territory.published.total
    motif_totals = result["motifs"].published.row_totals
    assert motif_totals == result["motifs-quartiers"].published.row_totals
    closed = [row[4] for row in result["motifs"].published.cells]
    assert closed == result["issues-motifs"].published.row_totals


def test_one_fiche_action_counts_only_its_situations(dataset):
    actions, _schemes = dataset
    expected = Counter(Situation.Status(s.status).label for s in in_scope([actions[1]]))
    assert one_way(tables(scope_of(actions, action=actions[1]))["statuts"]) == expected


def raw_referrals(actions):
    return [
        r
        for r in Referral.objects.select_related("scheme", "outcome")
        if r.action_id in {a.pk for a in actions} and r.sent_at and PERIOD[0] <= r.sent_at.date() <= PERIOD[1]
    ]


def test_referrals_by_scheme_and_state_equal_the_raw_rows(dataset):
    actions, _schemes = dataset
    table = tables(scope_of(actions))["orientations"]
    columns = {
        "envoyee": "Sans réponse",
        "acceptee": "Acceptée ou en cours",
        "en_cours": "Acceptée ou en cours",
        "terminee": "Terminée",
        "refusee": "Refusée",
        "abandonnee": "Abandonnée",
    }
    expected = Counter((r.scheme.name, columns[r.state]) for r in raw_referrals(actions))
    found = Counter(
        {
            (scheme, column): count
            for scheme, row in zip(table.rows, table.counts, strict=True)
            for column, count in zip(table.columns, row, strict=True)
            if count
        }
    )
    assert found == expected and sum(expected.values()) >= 5


def test_acceptance_rate_and_median_follow_the_raw_rows(dataset):
    actions, _schemes = dataset
    answered = [r for r in raw_referrals(actions) if r.answered_at]
    accepted = [r for r in answered if r.state != Referral.State.DECLINED]
    indicators = evaluation(scope_of(actions)).indicators
    median = statistics.median((r.answered_at - r.sent_at).days for r in answered)
    declined = len(answered) - len(accepted)
    if len(answered) >= THRESHOLD and not 0 < len(accepted) < THRESHOLD and not 0 < declined < THRESHOLD:
        assert indicators[0].value == f"{100 * len(accepted) / len(answered):.1f} %".replace(".", ",")
    else:
        assert indicators[0].value == "effectif insuffisant"
    assert indicators[1].value == f"{median:g} jours".replace(".", ",")


def test_published_cells_are_the_raw_counts_or_hidden(dataset):
    actions, _schemes = dataset
    for table in evaluation(scope_of(actions)).tables:
        for row, cells in zip(table.counts, table.published.cells, strict=True):
            for count, cell in zip(row, cells, strict=True):
                assert cell.value == count
                assert cell.hidden or not 0 < count < THRESHOLD
                assert cell.label == (str(count) if not cell.hidden else cell.label)


def test_a_purge_leaves_the_numbers_unchanged(dataset):
    actions, _schemes = dataset
    scope = scope_of(actions)
    before = {table.key: table.counts for table in evaluation(scope).tables}
    before_indicators = evaluation(scope).indicators
    ended = Situation.objects.filter(status__in=(Situation.Status.CLOSED, Situation.Status.NOT_RETAINED))
    assert Referral.objects.filter(situation__in=ended, action__isnull=False).exists()
    for situation in ended:
        make_due(situation, status=situation.status)

    purged = retention_purge()

    assert len(purged) >= 5 and EvaluationCount.objects.exists() and ReferralCount.objects.exists()
    after = {table.key: table.counts for table in evaluation(scope).tables}
    assert after == before
    assert evaluation(scope).indicators == before_indicators


def test_counters_outside_the_period_or_the_fiches_are_left_out(dataset):
    actions, _schemes = dataset
    scope = scope_of(actions)
    before = {table.key: table.counts for table in evaluation(scope).tables}
    common = {"source": "autre", "motifs": "", "status": "recue", "anonymous": True, "count": 9}
    EvaluationCount.objects.create(received_year=2025, received_month=12, actions="2.1", **common)
    EvaluationCount.objects.create(received_year=2026, received_month=3, actions="9.9", **common)
    EvaluationCount.objects.create(received_year=2026, received_month=3, actions="2.10", **common)
    assert {table.key: table.counts for table in evaluation(scope).tables} == before
    EvaluationCount.objects.create(received_year=2026, received_month=3, actions="1.1 2.1", **common)
    statuses = one_way(tables(scope)["statuts"])
    assert statuses["Reçue"] == one_way_counts(before["statuts"], tables(scope)["statuts"])["Reçue"] + 9


def one_way_counts(counts, table):
    return {label: row[0] for label, row in zip(table.rows, counts, strict=True)}


def test_the_default_period_is_the_last_twelve_months_after_the_strategy(dataset):
    actions, _schemes = dataset
    period = Period.default_for(actions[0].strategy, datetime.date(2030, 3, 15))
    assert (period.start, period.end) == (datetime.date(2029, 4, 1), datetime.date(2030, 3, 31))
    period = Period.default_for(actions[0].strategy, datetime.date(2027, 5, 2))
    assert (period.start, period.end) == (datetime.date(2027, 1, 1), datetime.date(2027, 5, 31))


def test_a_quantity_shown_in_one_table_is_not_the_second_hidden_value_of_another(db):
    from evaluation.evaluation import SituationRecord, _consistent, closed_by_reason, situations_by_status

    def records(status, count, reason=""):
        return [SituationRecord(status, reason, "13-15", "F", "autre", "") for _ in range(count)]

    rows = records("recue", 3) + records("examinee", 20) + records("non_retenue", 30) + records("suivi_actif", 40)
    rows += records("cloturee", 6, "objectifs-atteints")
    status, closures = situations_by_status(rows), closed_by_reason(rows)
    # Alone, the status table hides « Clôturée » (6) next to « Reçue » (3); the closures table shows 6.
    assert status.published.cells[4][0].hidden and closures.grand_total.label == "6"

    status = _consistent([status, closures])[0]

    closed, received = status.published.cells[4][0], status.published.cells[0][0]
    assert not closed.hidden and received.hidden
    assert sum(cell.hidden for row in status.published.cells for cell in row) == 2


def test_seances_held_and_attendance_per_partner_equal_the_raw_rows(dataset, alice, bob, charlie, maya):
    from seances import services as seance_services
    from seances.models import Attendance, Seance
    from tests.seances.helpers import make_seance

    actions, _schemes = dataset
    for index in range(6):
        seance = make_seance(charlie)
        for user in (alice, charlie) if index % 2 else (alice, bob, maya):
            seance_services.attendance_record(seance_id=seance.pk, user=user, by=charlie, pledge=True)
        if index < 5:
            situation = Situation.objects.filter(status=Situation.Status.RECEIVED).first()
            seance_services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)
            seance_services.seance_start(seance_id=seance.pk, by=charlie)
    Seance.objects.update(date=datetime.date(2026, 5, 4))
    held = Seance.objects.exclude(status=Seance.Status.PREPARATION)
    expected = Counter(
        name for _s, name in {(a.seance_id, a.partner.name) for a in Attendance.objects.filter(seance__in=held)}
    )

    result = evaluation(scope_of(actions))

    assert one_way({t.key: t for t in result.tables}["seances"]) == expected
    assert [i.value for i in result.indicators if i.label.startswith("Séances")] == [str(held.count())]
