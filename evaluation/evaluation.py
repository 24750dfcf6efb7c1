"""The evaluation of the local strategy: anonymous tables for the dashboard and the plenary's report.

Figures come from two sources added together, so that they do not drop when retention runs:
the live rows (situations received in the period that contribute to the fiches-actions in scope,
referrals sent in the period under those fiches-actions) and the anonymous counters purged ones
left behind (`EvaluationCount`, `ReferralCount`), which keep the same coded dimensions at month
precision. Both become `Record`s; each published table is one function of the records, returning a
`Table` (labels and counts), and suppression (`suppression.py`) applies to every table the same way.
Adding a table is adding one function to `SITUATION_TABLES` (or `REFERRAL_TABLES`), or, for a table
of its own source like the séances' attendance, one function of the scope called in `evaluation()`.

Counters record action codes, not ids: a code is unique within a strategy, so two strategies that
reuse a code share the purged counters of that code.
"""

import calendar
import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q
from django.utils.translation import gettext as _

from casework.models import (
    ClosureReason,
    EvaluationCount,
    Gender,
    Motif,
    Signalement,
    Situation,
    Source,
    Territory,
    YouthOutcome,
)
from casework.retention import AGE_BANDS, FOLLOWUP_BANDS, LONGEST_FOLLOWUP, OLDEST_BAND, band
from evaluation.suppression import Cell, Grid, Suppressed, is_small, median, share, suppress, suppress_linked
from referrals.models import Outcome, Referral, ReferralCount
from seances.models import Attendance, Objective, Seance
from strategy.models import Action, Axis, CollectiveCount, CollectiveSession, Progress, SituationAction, Strategy
from strategy.models import Indicator as FicheIndicator

STATUS = Situation.Status
STATE = Referral.State


@dataclass(frozen=True)
class Period:
    """Whole months, first to last day: the counters of purged situations know the month only."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def months(cls, first: datetime.date, last: datetime.date) -> "Period":
        end_day = calendar.monthrange(last.year, last.month)[1]
        return cls(first.replace(day=1), last.replace(day=end_day))

    @classmethod
    def default_for(cls, strategy: Strategy, today: datetime.date) -> "Period":
        """The current year of a strategy under way; otherwise the twelve months up to this one."""
        if strategy.starts_on <= today <= strategy.ends_on:
            return cls.months(max(strategy.starts_on, datetime.date(today.year, 1, 1)), today)
        index = today.year * 12 + today.month - 1 - 11
        return cls.months(datetime.date(index // 12, index % 12 + 1, 1), today)

    def month_filter(self, year_field: str, month_field: str) -> Q:
        start = self.start.year * 12 + self.start.month
        end = self.end.year * 12 + self.end.month
        condition = Q(pk__in=[])
        for index in range(start, end + 1):
            year, month = divmod(index - 1, 12)
            condition |= Q(**{year_field: year, month_field: month + 1})
        return condition

    def __str__(self):
        return _("de %(start)s à %(end)s") % {
            "start": self.start.strftime("%m/%Y"),
            "end": self.end.strftime("%m/%Y"),
        }


@dataclass(frozen=True)
class Scope:
    """A strategy, optionally narrowed to one axis or one fiche-action, over a period."""

    strategy: Strategy
    period: Period
    axis: Axis | None = None
    action: Action | None = None

    def actions(self):
        actions = Action.objects.filter(strategy=self.strategy)
        if self.action is not None:
            return actions.filter(pk=self.action.pk)
        if self.axis is not None:
            return actions.filter(axis=self.axis)
        return actions

    @property
    def label(self) -> str:
        if self.action is not None:
            return _("Fiche-action %(action)s") % {"action": self.action}
        if self.axis is not None:
            return str(self.axis)
        return _("Toute la stratégie")


@dataclass(frozen=True)
class SituationRecord:
    status: str
    closure_reason: str
    age_band: str
    gender: str
    source: str
    followup_band: str
    count: int = 1
    motifs: tuple[str, ...] = ()
    territory: str = ""
    outcome: str = ""
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferralRecord:
    scheme: str
    state: str
    outcome: str
    answer_days: int | None
    count: int = 1


@dataclass
class Table:
    """A published table: row labels × column labels of counts, with the totals it shows."""

    key: str
    title: str
    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    row_totals: bool = False
    column_totals: bool = True
    note: str = ""
    # Positions (augmented grid: totals last) whose value another table publishes.
    public: frozenset = frozenset()
    # False when a chart would only repeat another table's (the motifs by quartier: the motifs' totals).
    chart: bool = True
    published: Suppressed = field(init=False)

    def __post_init__(self):
        self.published = suppress(
            self.counts, row_totals=self.row_totals, column_totals=self.column_totals, public=self.public
        )

    def with_public(self, position: tuple[int, int]) -> "Table":
        """The same table, suppressed again knowing that the value at `position` is published elsewhere."""
        return Table(
            self.key,
            self.title,
            self.rows,
            self.columns,
            self.counts,
            self.row_totals,
            self.column_totals,
            self.note,
            self.public | {position},
            self.chart,
        )

    @property
    def is_list(self) -> bool:
        return len(self.columns) == 1

    @property
    def is_empty(self) -> bool:
        return not any(any(row) for row in self.counts)

    @property
    def grand_total(self) -> Cell | None:
        if self.published.total is not None:
            return self.published.total
        if self.published.column_totals is not None and len(self.columns) == 1:
            return self.published.column_totals[0]
        return None

    def lines(self) -> list[tuple[str, list[Cell], Cell | None]]:
        """(row label, cells, row total) as published."""
        totals = self.published.row_totals or [None] * len(self.rows)
        return list(zip(self.rows, self.published.cells, totals, strict=True))

    def bars(self) -> list[tuple[str, Cell]]:
        """What a chart draws: the cells of a one-column table, else each row's total."""
        if len(self.columns) == 1:
            return [(label, cells[0]) for label, cells, _ in self.lines()]
        return [(label, total) for label, _, total in self.lines() if total is not None]


@dataclass(frozen=True)
class Indicator:
    label: str
    value: str
    note: str = ""


# --- Records -------------------------------------------------------------------------------------------


def _codes_filter(codes: Iterable[str]) -> Q:
    """Counters whose space-separated `actions` hold one of `codes`."""
    condition = Q(pk__in=[])
    for code in codes:
        condition |= (
            Q(actions=code)
            | Q(actions__startswith=f"{code} ")
            | Q(actions__endswith=f" {code}")
            | Q(actions__contains=f" {code} ")
        )
    return condition


def scope_situations(scope: Scope):
    """Live situations received in the period that contribute to a fiche-action in scope."""
    return Situation.objects.filter(
        received_on__range=(scope.period.start, scope.period.end),
        action_links__action__in=scope.actions(),
    ).distinct()


def situation_records(scope: Scope) -> list[SituationRecord]:
    records = []
    situations = scope_situations(scope)
    codes = list(scope.actions().values_list("code", flat=True))
    motifs: dict = {}
    for situation_id, code in Situation.motifs.through.objects.filter(situation__in=situations).values_list(
        "situation_id", "motif__code"
    ):
        motifs.setdefault(situation_id, []).append(code)
    actions: dict = {}
    for situation_id, code in SituationAction.objects.filter(
        situation__in=situations, action__in=scope.actions()
    ).values_list("situation_id", "action__code"):
        actions.setdefault(situation_id, []).append(code)
    rows = situations.values_list(
        "pk",
        "status",
        "closure_reason__code",
        "received_on",
        "closed_on",
        "person__birth_year",
        "person__gender",
        "source__code",
        "person__territory__code",
        "youth_outcome",
    )
    for pk, status, closure, received_on, closed_on, birth_year, gender, source, territory, outcome in rows:
        followup = ""
        if closed_on:
            followup = band((closed_on - received_on).days // 30, FOLLOWUP_BANDS, LONGEST_FOLLOWUP)
        age = band(received_on.year - birth_year, AGE_BANDS, OLDEST_BAND) if birth_year is not None else ""
        records.append(
            SituationRecord(
                status,
                closure or "",
                age,
                gender or "",
                source,
                followup,
                motifs=tuple(sorted(motifs.get(pk, ()))),
                territory=territory or "",
                outcome=outcome,
                actions=tuple(sorted(actions.get(pk, ()))),
            )
        )
    counters = EvaluationCount.objects.filter(
        scope.period.month_filter("received_year", "received_month"), _codes_filter(codes)
    ).values_list(
        "status",
        "closure_reason",
        "age_band",
        "gender",
        "source",
        "followup_band",
        "count",
        "motifs",
        "territory",
        "youth_outcome",
        "actions",
    )
    in_scope = set(codes)
    records += [
        SituationRecord(
            *row,
            motifs=tuple(motifs.split()),
            territory=territory,
            outcome=outcome,
            actions=tuple(code for code in actions.split() if code in in_scope),
        )
        for *row, motifs, territory, outcome, actions in counters
    ]
    return records


def scope_referrals(scope: Scope):
    """Live referrals sent in the period under a fiche-action in scope."""
    return Referral.objects.filter(
        sent_at__date__range=(scope.period.start, scope.period.end), action__in=scope.actions()
    )


def referral_records(scope: Scope) -> list[ReferralRecord]:
    records = [
        ReferralRecord(
            referral.scheme.name,
            referral.state,
            referral.outcome.code if referral.outcome else "",
            referral.answer_days,
        )
        for referral in scope_referrals(scope).select_related("scheme", "outcome")
    ]
    codes = list(scope.actions().values_list("code", flat=True))
    counters = ReferralCount.objects.filter(
        scope.period.month_filter("sent_year", "sent_month"), action__in=codes
    ).values_list("scheme", "state", "outcome", "answer_days", "count")
    records += [ReferralRecord(*row) for row in counters]
    return records


# --- Tables --------------------------------------------------------------------------------------------


def _one_way(key, title, records, attribute, order: list[tuple[str, str]], note="") -> Table:
    """A one-column table of `records` counted by `attribute`, rows in `order` (code, label), plus
    a row for any code the order lacks (a purged counter may hold a code since removed)."""
    counts = Counter()
    for record in records:
        counts[getattr(record, attribute)] += record.count
    known = [code for code, _ in order]
    extra = sorted(code for code in counts if code not in known)
    labels = dict(order)
    rows = known + extra
    return Table(
        key,
        title,
        [str(labels.get(code, code)) for code in rows],
        [_("Nombre")],
        [[counts.get(code, 0)] for code in rows],
        note=note,
    )


def _coded(model) -> list[tuple[str, str]]:
    return list(model.objects.order_by("position", "label").values_list("code", "label"))


def situations_by_status(records: list[SituationRecord]) -> Table:
    order = [(status.value, status.label) for status in STATUS]
    return _one_way(
        "statuts",
        _("Situations reçues sur la période, par statut actuel"),
        records,
        "status",
        order,
        note=_("Examinées : toutes sauf « reçue » ; suivies : suivi actif et clôturées."),
    )


def closed_by_reason(records: list[SituationRecord]) -> Table:
    closed = [r for r in records if r.status == STATUS.CLOSED]
    return _one_way(
        "clotures", _("Situations clôturées, par motif de clôture"), closed, "closure_reason", _coded(ClosureReason)
    )


def young_people_by_age(records: list[SituationRecord]) -> Table:
    bands = [label for _, label in AGE_BANDS] + [OLDEST_BAND]
    order = [(label, label) for label in bands] + [("", _("Non renseigné (situation anonyme)"))]
    return _one_way("ages", _("Jeunes par tranche d'âge à la saisine"), records, "age_band", order)


def young_people_by_gender(records: list[SituationRecord]) -> Table:
    order = [(gender.value, gender.label) for gender in Gender]
    return _one_way("genres", _("Jeunes par genre"), records, "gender", order)


def situations_by_source(records: list[SituationRecord]) -> Table:
    return _one_way("sources", _("Situations par source de la saisine"), records, "source", _coded(Source))


def followup_durations(records: list[SituationRecord]) -> Table:
    closed = [r for r in records if r.status == STATUS.CLOSED]
    bands = [label for _, label in FOLLOWUP_BANDS] + [LONGEST_FOLLOWUP]
    return _one_way(
        "durees",
        _("Durée du suivi des situations clôturées (de la saisine à la clôture)"),
        closed,
        "followup_band",
        [(label, label) for label in bands],
    )


STATUS_ORDER = [status.value for status in STATUS]
UNKNOWN_TERRITORY = _("Non renseigné")


def _by_status(key, title, records, dimension, order: list[tuple[str, str]], note="", keep_empty=True) -> Table:
    """Rows of `order` (code, label) × the five statuses, with the row total: situations received.
    `dimension(record)` gives the codes a record counts under (several for the motifs)."""
    counts: dict[str, list[int]] = {}
    for record in records:
        for code in dimension(record):
            counts.setdefault(code, [0] * len(STATUS_ORDER))[STATUS_ORDER.index(record.status)] += record.count
    known = [code for code, _label in order]
    rows = known + sorted(code for code in counts if code not in known)
    if not keep_empty:
        rows = [code for code in rows if any(counts.get(code, ()))]
    labels = dict(order)
    return Table(
        key,
        title,
        [str(labels.get(code, code)) for code in rows],
        [str(status.label) for status in STATUS],
        [counts.get(code, [0] * len(STATUS_ORDER)) for code in rows],
        row_totals=True,
        note=note,
    )


def _territories() -> list[tuple[str, str]]:
    return _coded(Territory) + [("", str(UNKNOWN_TERRITORY))]


def situations_by_territory(records: list[SituationRecord]) -> Table:
    return _by_status(
        "quartiers",
        _("Situations reçues sur la période, par quartier et par statut actuel"),
        records,
        lambda record: (record.territory,),
        _territories(),
        note=_(
            "Total : situations reçues ; suivies : suivi actif et clôturées. Quartier du jeune ; "
            "« Non renseigné » pour les situations anonymes ou sans quartier."
        ),
    )


def situations_by_motif(records: list[SituationRecord]) -> Table:
    return _by_status(
        "motifs",
        _("Situations reçues sur la période, par motif et par statut actuel"),
        records,
        lambda record: record.motifs,
        _coded(Motif),
        note=_("Une situation peut avoir plusieurs motifs : les totaux comptent des motifs, pas des situations."),
        keep_empty=False,
    )


def motifs_by_territory(records: list[SituationRecord]) -> Table:
    """Motifs (rows, as in the motif table) × quartiers, situations received. Its row totals are the
    motif table's: both are suppressed together (`_linked`)."""
    motifs = situations_by_motif(records)
    territories = _territories()
    column_of = {code: index for index, (code, _label) in enumerate(territories)}
    codes = {label: code for code, label in _coded(Motif)}
    index_of = {codes.get(label, label): index for index, label in enumerate(motifs.rows)}
    counts = [[0] * len(territories) for _ in motifs.rows]
    for record in records:
        column = column_of.get(record.territory)
        if column is None:
            column_of[record.territory] = column = len(territories)
            territories.append((record.territory, record.territory))
            for row in counts:
                row.append(0)
        for code in record.motifs:
            counts[index_of[code]][column] += record.count
    used = [c for c in range(len(territories)) if any(row[c] for row in counts)]
    return Table(
        "motifs-quartiers",
        _("Motifs par quartier (situations reçues sur la période)"),
        motifs.rows,
        [territories[c][1] for c in used],
        [[row[c] for c in used] for row in counts],
        row_totals=True,
        note=_("Une situation peut avoir plusieurs motifs : les totaux comptent des motifs, pas des situations."),
        chart=False,
    )


UNKNOWN_OUTCOME = _("Non renseignée")


def _outcome_columns(closed: list[SituationRecord]) -> list[tuple[str, str]]:
    """The coded outcomes, and « Non renseignée » for situations closed before it was asked."""
    columns = [(outcome.value, str(outcome.label)) for outcome in YouthOutcome]
    columns += [(code, code) for code in sorted({r.outcome for r in closed} - set(YouthOutcome.values) - {""})]
    return [*columns, ("", str(UNKNOWN_OUTCOME))]


def _outcomes_by(key, title, closed, rows: list[tuple[str, str]], dimension, note) -> Table:
    columns = _outcome_columns(closed)
    column_of = {code: index for index, (code, _label) in enumerate(columns)}
    row_of = {code: index for index, (code, _label) in enumerate(rows)}
    counts = [[0] * len(columns) for _ in rows]
    for record in closed:
        for code in dimension(record):
            if code in row_of:
                counts[row_of[code]][column_of[record.outcome]] += record.count
    return Table(
        key,
        title,
        [label for _code, label in rows],
        [label for _code, label in columns],
        counts,
        row_totals=True,
        note=note,
    )


def outcomes_by_motif(records: list[SituationRecord]) -> Table:
    """Closed situations by motif at saisine × the young person's outcome. Its rows are the motif
    table's and its row totals that table's « Clôturée » column: both are suppressed together.
    The follow-up plan's objectives reached by domain, once it exists, are one more table of this kind."""
    motifs = situations_by_motif(records)
    labels = {label: code for code, label in _coded(Motif)}
    rows = [(labels.get(label, label), label) for label in motifs.rows]
    closed = [r for r in records if r.status == STATUS.CLOSED]
    return _outcomes_by(
        "issues-motifs",
        _("Situation du jeune à la fin du suivi, par motif à la saisine (situations clôturées)"),
        closed,
        rows,
        lambda record: record.motifs,
        _("Une situation peut avoir plusieurs motifs : les totaux comptent des motifs, pas des situations."),
    )


def outcomes_by_action(scope: Scope, records: list[SituationRecord]) -> Table:
    actions = sorted(scope.actions(), key=lambda action: action.sort_key)
    closed = [r for r in records if r.status == STATUS.CLOSED]
    return _outcomes_by(
        "issues-fiches",
        _("Situation du jeune à la fin du suivi, par fiche-action (situations clôturées)"),
        closed,
        [(action.code, f"{action.code} {action.title}") for action in actions],
        lambda record: record.actions,
        _("Une situation peut contribuer à plusieurs fiches-actions : les totaux comptent des contributions."),
    )


# Referral columns: where each referral stands (its outcome has a table of its own).
REFERRAL_COLUMNS = (
    (_("Sans réponse"), (STATE.SENT,)),
    (_("Acceptée ou en cours"), (STATE.ACCEPTED, STATE.IN_PROGRESS)),
    (_("Terminée"), (STATE.ENDED,)),
    (_("Refusée"), (STATE.DECLINED,)),
    (_("Abandonnée"), (STATE.ABANDONED,)),
)


def referrals_by_scheme(records: list[ReferralRecord]) -> Table:
    schemes = sorted({r.scheme for r in records})
    column_of = {state: index for index, (_, states) in enumerate(REFERRAL_COLUMNS) for state in states}
    counts = [[0] * len(REFERRAL_COLUMNS) for _ in schemes]
    for record in records:
        if record.state in column_of:
            counts[schemes.index(record.scheme)][column_of[record.state]] += record.count
    return Table(
        "orientations",
        _("Orientations envoyées sur la période, par dispositif et par état"),
        schemes,
        [str(label) for label, _ in REFERRAL_COLUMNS],
        counts,
        row_totals=True,
    )


def referrals_by_outcome(records: list[ReferralRecord]) -> Table:
    ended = [r for r in records if r.state == STATE.ENDED]
    return _one_way("issues", _("Orientations terminées, par issue"), ended, "outcome", _coded(Outcome))


SITUATION_TABLES: tuple[Callable[[list[SituationRecord]], Table], ...] = (
    situations_by_status,
    young_people_by_age,
    young_people_by_gender,
    situations_by_source,
    situations_by_territory,
    situations_by_motif,
    motifs_by_territory,
    closed_by_reason,
    followup_durations,
)
REFERRAL_TABLES: tuple[Callable[[list[ReferralRecord]], Table], ...] = (referrals_by_scheme, referrals_by_outcome)


def referral_indicators(records: list[ReferralRecord]) -> list[Indicator]:
    """Acceptance rate (accepted among answered) and median days to answer, when enough to show."""
    answered = sum(r.count for r in records if r.answer_days is not None)
    accepted = sum(
        r.count for r in records if r.answer_days is not None and r.state not in (STATE.DECLINED, STATE.SENT)
    )
    days = [r.answer_days for r in records if r.answer_days is not None for _ in range(r.count)]
    rate, middle = share(accepted, answered), median(days)
    insufficient = _("effectif insuffisant")
    return [
        Indicator(
            _("Taux d'acceptation (acceptées parmi les orientations ayant reçu une réponse)"),
            f"{rate:.1f} %".replace(".", ",") if rate is not None else insufficient,
        ),
        Indicator(
            _("Délai médian de réponse"),
            (_("%(days)s jours") % {"days": f"{middle:g}".replace(".", ",")}) if middle is not None else insufficient,
        ),
    ]


def contributions_by_action(scope: Scope) -> Table:
    """Situations and referrals per fiche-action in scope. A situation may contribute to several
    fiches, so the column totals count contributions; they are published (and protected) anyway,
    which also protects each row against the strategy-wide counts of the other tables."""
    actions = list(scope.actions().select_related("axis").order_by("axis__number", "code"))
    actions.sort(key=lambda action: action.sort_key)
    period = scope.period
    situations = Counter(
        SituationAction.objects.filter(
            situation__received_on__range=(period.start, period.end), action__in=actions
        ).values_list("action__code", flat=True)
    )
    for codes, count in EvaluationCount.objects.filter(
        period.month_filter("received_year", "received_month"), _codes_filter([a.code for a in actions])
    ).values_list("actions", "count"):
        for code in codes.split():
            situations[code] += count
    referrals = Counter(scope_referrals(scope).values_list("action__code", flat=True))
    for code, count in ReferralCount.objects.filter(
        period.month_filter("sent_year", "sent_month"), action__in=[a.code for a in actions]
    ).values_list("action", "count"):
        referrals[code] += count
    return Table(
        "fiches",
        _("Contributions par fiche-action"),
        [f"{action.code} {action.title}" for action in actions],
        [_("Situations"), _("Orientations")],
        [[situations.get(action.code, 0), referrals.get(action.code, 0)] for action in actions],
        note=_("Une situation peut contribuer à plusieurs fiches-actions : les totaux comptent des contributions."),
    )


def collective_sessions(scope: Scope):
    """Sessions of collective actions held in the period under a fiche-action in scope."""
    return CollectiveSession.objects.filter(
        held_on__range=(scope.period.start, scope.period.end), action__in=scope.actions()
    )


def collective_counts(scope: Scope):
    return CollectiveCount.objects.filter(session__in=collective_sessions(scope))


def collective_participants(scope: Scope) -> Table:
    """Participants of the collective actions in scope, by age band and gender: counts the pilots
    entered, never a name. A person who came twice counts twice."""
    bands = [label for _limit, label in AGE_BANDS] + [OLDEST_BAND]
    genders = [gender.value for gender in Gender]
    counts = [[0] * len(genders) for _ in bands]
    for age_band, gender, count in collective_counts(scope).values_list("age_band", "gender", "count"):
        if age_band in bands and gender in genders:
            counts[bands.index(age_band)][genders.index(gender)] += count
    return Table(
        "collectives",
        _("Participants aux actions collectives, par tranche d'âge et genre"),
        bands,
        [str(gender.label) for gender in Gender],
        counts,
        row_totals=True,
        note=_(
            "Une même personne venue à plusieurs séances compte à chaque fois : les totaux comptent des participations."
        ),
    )


def collective_indicators(scope: Scope) -> list[Indicator]:
    held = collective_sessions(scope).count()
    return [Indicator(_("Actions collectives : séances tenues sur la période"), str(held))]


def held_seances(scope: Scope):
    """Séances of the group opened or closed in the period (not those still in preparation)."""

    return Seance.objects.filter(
        date__range=(scope.period.start, scope.period.end),
        status__in=(Seance.Status.RUNNING, Seance.Status.CLOSED),
    )


def objectives_by_domain(scope: Scope) -> Table:
    """Objectives of the plans of the situations in scope, by domain and by where they stand."""
    domains, statuses = Objective.Domain.choices, Objective.Status.choices
    counts = Counter(
        Objective.objects.filter(situation__in=scope_situations(scope)).values_list("domain", "status").order_by()
    )
    return Table(
        "objectifs",
        _("Objectifs des plans d'accompagnement, par domaine"),
        [str(label) for _code, label in domains],
        [str(label) for _code, label in statuses],
        [[counts.get((domain, status), 0) for status, _label in statuses] for domain, _label in domains],
        row_totals=True,
        note=_("Situations en cours de conservation seulement : une situation purgée ne laisse pas ses objectifs."),
    )


def signalements_by_recipient(scope: Scope) -> Table:
    """Signalements made in the period about the situations in scope, by recipient."""
    rows = Signalement.objects.filter(
        situation__in=scope_situations(scope), sent_on__range=(scope.period.start, scope.period.end)
    ).values_list("recipient", flat=True)
    records = [SimpleNamespace(recipient=recipient, count=1) for recipient in rows]
    return _one_way(
        "signalements",
        _("Transmissions à la CRIP ou au procureur sur la période, par destinataire"),
        records,
        "recipient",
        Signalement.Recipient.choices,
    )


def attendance_by_partner(scope: Scope) -> Table:
    """Séances at which each partner had at least one member present. Séances serve the whole
    group, whatever the fiche-action in scope."""

    pairs = set(Attendance.objects.filter(seance__in=held_seances(scope)).values_list("seance_id", "partner__name"))
    per_partner = Counter(name for _seance, name in pairs)
    names = sorted(per_partner)
    return Table(
        "seances",
        _("Présence des partenaires aux séances du groupe"),
        names,
        [_("Séances avec au moins un·e présent·e")],
        [[per_partner[name]] for name in names],
        column_totals=False,
        note=_("Séances tenues sur la période, quel que soit le filtre par axe ou fiche-action."),
    )


def seance_indicators(scope: Scope) -> list[Indicator]:
    held = suppress([[held_seances(scope).count()]], row_totals=False, column_totals=False).cells[0][0]
    return [Indicator(_("Séances du groupe tenues sur la période"), held.label)]


@dataclass(frozen=True)
class Evaluation:
    scope: Scope
    tables: list[Table]
    indicators: list[Indicator]


def evaluation(scope: Scope) -> Evaluation:
    situations = situation_records(scope)
    referrals = referral_records(scope)
    tables = [contributions_by_action(scope)]
    tables += [table(situations) for table in SITUATION_TABLES]
    tables += [outcomes_by_motif(situations), outcomes_by_action(scope, situations)]
    tables += [table(referrals) for table in REFERRAL_TABLES]
    tables += [collective_participants(scope), attendance_by_partner(scope)]
    tables += [objectives_by_domain(scope), signalements_by_recipient(scope)]
    indicators = referral_indicators(referrals) + seance_indicators(scope) + collective_indicators(scope)
    return Evaluation(scope, _linked(_consistent(tables)), indicators)


def _consistent(tables: list[Table]) -> list[Table]:
    """One quantity published in two tables must not be hidden in one and shown in the other, or the
    hidden one gives back the small counts it protected. Closed situations are a cell of the status
    table and the total of the closures and durations tables; ended referrals a column total of the
    scheme table and the total of the outcomes table."""
    by_key = {table.key: table for table in tables}
    closed_row = [status.value for status in STATUS].index(STATUS.CLOSED)
    shown_elsewhere = any(
        key in by_key and by_key[key].grand_total is not None and not by_key[key].grand_total.hidden
        for key in ("clotures", "durees")
    )
    if "statuts" in by_key and shown_elsewhere:
        by_key["statuts"] = by_key["statuts"].with_public((closed_row, 0))
    outcomes, schemes = by_key.get("issues"), by_key.get("orientations")
    if outcomes and schemes and outcomes.grand_total is not None and not outcomes.grand_total.hidden:
        ended_column = [str(label) for label, _ in REFERRAL_COLUMNS].index(str(_("Terminée")))
        by_key["orientations"] = schemes.with_public((len(schemes.rows), ended_column))
    return [by_key[table.key] for table in tables]


def _grid(table: Table) -> Grid:
    return Grid(table.counts, table.row_totals, table.column_totals, table.public)


def _linked(tables: list[Table]) -> list[Table]:
    """Tables that publish the same quantities: the column totals by quartier are the cells of the
    table by status; the motifs' totals are the row totals of the motifs by quartier; the motifs'
    closed situations are the row totals of the outcomes by motif. Each group is suppressed as one
    system, so that a value hidden in one table is hidden in the other and no line of either gives
    it back."""
    by_key = {table.key: table for table in tables}
    groups = []
    if "statuts" in by_key and "quartiers" in by_key:
        status, territory = by_key["statuts"], by_key["quartiers"]
        bottom = len(territory.rows)
        links = [((0, (row, 0)), (1, (bottom, row))) for row in range(len(status.rows) + 1)]
        groups.append(([status, territory], links))
    if "motifs" in by_key and "motifs-quartiers" in by_key and "issues-motifs" in by_key:
        motifs, crossed, outcomes = by_key["motifs"], by_key["motifs-quartiers"], by_key["issues-motifs"]
        right, cross_right, outcome_right = len(motifs.columns), len(crossed.columns), len(outcomes.columns)
        closed = STATUS_ORDER.index(STATUS.CLOSED)
        links = []
        for row in range(len(motifs.rows) + 1):
            links += [((0, (row, right)), (1, (row, cross_right))), ((0, (row, closed)), (2, (row, outcome_right)))]
        groups.append(([motifs, crossed, outcomes], links))
    for members, links in groups:
        for table, published in zip(members, suppress_linked([_grid(t) for t in members], links), strict=True):
            table.published = published
    return tables


# --- Fiches-actions: indicators against their targets, state of progress -------------------------------


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}".replace(".", ",")


@dataclass(frozen=True)
class IndicatorStatus:
    """Where an indicator stands: its value as published (a computed count under 5 shows « < 5 »),
    when and from where, against its target."""

    indicator: FicheIndicator
    value: str
    measured: str
    reached: bool | None

    @property
    def target(self) -> str:
        return _number(self.indicator.target)

    @property
    def baseline(self) -> str:
        return _number(self.indicator.baseline)


def computed_count(indicator: FicheIndicator) -> int:
    """An indicator computed by Parcours: anonymous counts of its fiche-action over its period, live
    rows and the counters purged situations left alike."""
    scope = Scope(
        indicator.action.strategy, Period.months(indicator.starts_on, indicator.ends_on), action=indicator.action
    )
    if indicator.source == FicheIndicator.Source.REFERRALS:
        return sum(record.count for record in referral_records(scope))
    if indicator.source == FicheIndicator.Source.PARTICIPANTS:
        return sum(collective_counts(scope).values_list("count", flat=True))
    if indicator.source == FicheIndicator.Source.COLLECTIVE_SESSIONS:
        return collective_sessions(scope).count()
    records = situation_records(scope)
    if indicator.source == FicheIndicator.Source.CLOSED:
        records = [record for record in records if record.status == STATUS.CLOSED]
    return sum(record.count for record in records)


def indicator_status(indicator: FicheIndicator) -> IndicatorStatus:
    target = indicator.target
    if indicator.is_computed:
        count = computed_count(indicator)
        # Sessions are events, not people: only counts of young people or participants are hidden.
        about_people = indicator.source != FicheIndicator.Source.COLLECTIVE_SESSIONS
        cell = Cell(count, hidden=about_people and is_small(count))
        period = Period.months(indicator.starts_on, indicator.ends_on)
        reached = None if cell.hidden or target is None else count >= target
        return IndicatorStatus(
            indicator, cell.label, _("calculée par Parcours, %(period)s") % {"period": period}, reached
        )
    latest = max(indicator.values.all(), key=lambda v: (v.measured_on, v.entered_at), default=None)
    if latest is None:
        return IndicatorStatus(indicator, "—", _("pas encore de valeur saisie"), None)
    measured = _("saisie le %(day)s, source : %(source)s") % {
        "day": f"{latest.measured_on:%d/%m/%Y}",
        "source": latest.source,
    }
    return IndicatorStatus(
        indicator, _number(latest.value), measured, None if target is None else latest.value >= target
    )


@dataclass(frozen=True)
class ActionSummary:
    action: Action
    progress: Progress | None
    indicators: list[IndicatorStatus]


@dataclass(frozen=True)
class AxisSummary:
    """One page of the plenary report: an axis, its fiches, their progress and indicators."""

    axis: Axis
    actions: list[ActionSummary]


def action_summary(action: Action) -> ActionSummary:
    progress = action.progress.order_by("-on", "-recorded_at").first()
    indicators = [indicator_status(i) for i in action.indicators_set.prefetch_related("values").order_by("created_at")]
    return ActionSummary(action, progress, indicators)


def axis_summaries(scope: Scope) -> list[AxisSummary]:
    axes = scope.strategy.axes.order_by("number")
    if scope.axis is not None:
        axes = axes.filter(pk=scope.axis.pk)
    summaries = []
    for axis in axes:
        actions = sorted(
            scope.actions().filter(axis=axis).select_related("pilot", "axis__strategy"), key=lambda a: a.sort_key
        )
        summaries.append(AxisSummary(axis, [action_summary(action) for action in actions]))
    return summaries
