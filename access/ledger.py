"""The grant ledger: who may read or change which situation, why, since when and until when
(privacy invariant 4).

Every access to a situation's contents is a row of guardian's direct foreign-key tables
(`SituationUserGrant` for one person, `SituationGroupGrant` for every member of a partner's group),
carrying its reason, what caused it, who granted it and when, an optional `expires_at`, and, once it
is over, when and by whom it was ended. Nothing else opens a situation: not the superuser flag, not a
global permission, not the DPO's or the admin's role.

- `grant` adds a reason; `end` ends one reason, now or at a given time, and the holder keeps access
  while another reason stands (there is no "does this person hold it otherwise?" question to ask).
- `readable_filter` is the SQL `EXISTS` filter every list and `*_for` selector uses. It checks expiry
  itself (`expires_at IS NULL OR expires_at > now`), so an expired break-glass access, séance window
  or referral grace period stops the second it ends, with no worker running.
- `reading_reason` names the reason that allows a read; the read's purpose follows from it.
- `expire` (Celery beat) only tidies rows whose time is over and records their end: access never
  depends on it.

Each grant and each end is a security event in the chained trail, with the actor passed in as `by`
(None for the machine: a periodic task).
"""

import datetime
import functools
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q
from django.utils import timezone

from access.models import BreakGlassAccess, Reason, SituationGroupGrant, SituationUserGrant
from access.permissions import is_coordinator, may_read_cases
from audit.models import Kind, Purpose
from audit.services import security_record

VIEW = "view_situation"
CHANGE = "change_situation"
ANNOTATE = "annotate_situation"
READ = (VIEW,)
READ_AND_ANNOTATE = (VIEW, ANNOTATE)
READ_AND_CHANGE = (VIEW, CHANGE)
# Who may change a situation may also write its notes: `annotate_situation` rows exist only for
# those who write notes without changing anything else (associated partners).
IMPLIED_BY = {ANNOTATE: (ANNOTATE, CHANGE)}

# When several reasons stand, the read is named after the first that applies: an exceptional access
# or a séance's window frames the read whatever else the reader holds; the partner's ordinary reasons
# come before the operator's, whose access exists only for the referral.
PRECEDENCE = (
    Reason.BREAK_GLASS,
    Reason.SEANCE,
    Reason.REFERENT,
    Reason.AUTHOR_PARTNER,
    Reason.ASSOCIATED_PARTNER,
    Reason.PREVIOUS_SAISINE,
    Reason.COORDINATION,
    Reason.SCHEME_OPERATOR,
)
PURPOSE = {
    Reason.BREAK_GLASS: Purpose.BREAK_GLASS,
    Reason.SEANCE: Purpose.SESSION,
    Reason.SCHEME_OPERATOR: Purpose.REFERRAL,
}


def purpose_of(reason: str | None) -> str:
    return PURPOSE.get(reason, Purpose.ROUTINE)


# Permission ids by codename, for this process: they change only when auth_permission is rebuilt,
# which sends post_migrate (see AccessConfig.ready), as Django's own content-type cache does.
_permission_ids: dict[str, int] = {}


def forget_permission_ids(**kwargs) -> None:
    _permission_ids.clear()


def permission_id(codename: str) -> int:
    try:
        return _permission_ids[codename]
    except KeyError:
        _permission_ids[codename] = Permission.objects.get(
            content_type__app_label="casework", content_type__model="situation", codename=codename
        ).pk
        return _permission_ids[codename]


def _permission_filter(codename: str) -> Q:
    codenames = IMPLIED_BY.get(codename, (codename,))
    if len(codenames) == 1:
        return Q(permission_id=permission_id(codename))
    return Q(permission_id__in=[permission_id(name) for name in codenames])


def live(now: datetime.datetime | None = None) -> Q:
    """Rows in force at `now`: not ended, not expired (the check every read makes)."""
    now = now or timezone.now()
    return Q(ended_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def _user_groups(user):
    return user._meta.model.groups.through.objects.filter(user_id=user.pk).values("group_id")


@functools.cache
def _granted_sql(permissions: int, probe: bool) -> str:
    """The text of the grant check on the outer situation `{situation}`: a live row of the person's
    own, or of one of their groups, giving one of `permissions` permission ids (`%s` each).

    Built once per process from the models' tables: what `readable_filter` sends is the same SQL a
    request would otherwise build through the ORM, two subquerysets to make, resolve and compile on
    every request (the list's and the detail's largest share of query-building CPU). Only the
    parameters are the request's; the text holds nothing of anyone's, and it changes only with the
    schema. `probe`: rows probed one by one (see `readable_filter`)."""
    auth_user = SituationUserGrant._meta.get_field("user").remote_field.model
    members = auth_user._meta.get_field("groups").remote_field.through._meta
    one_of_permissions = "= %s" if permissions == 1 else f"IN ({', '.join(['%s'] * permissions)})"
    limit = "LIMIT 1 OFFSET 0" if probe else "LIMIT 1"

    # Table and column names of the models only (S608 below): every value is a parameter.
    def rows(model, alias: str, holder: str, holders: str) -> str:
        def column(name: str) -> str:
            return f'{alias}."{model._meta.get_field(name).column}"'

        table = f'"{model._meta.db_table}" {alias}'
        live_rows = f"{column('ended_at')} IS NULL AND ({column('expires_at')} IS NULL OR {column('expires_at')} > %s)"
        where = f"{column('permission')} {one_of_permissions} AND {live_rows}"
        on = f"{column('content_object')} = {{situation}} AND {column(holder)} {holders}"
        return f"EXISTS(SELECT 1 FROM {table} WHERE {where} AND {on} {limit})"  # noqa: S608

    group, user = members.get_field("group").column, members.get_field("user").column
    member = f'SELECT ledger_member."{group}" FROM "{members.db_table}" ledger_member WHERE ledger_member."{user}" = %s'  # noqa: S608
    own = rows(SituationUserGrant, "ledger_own", "user", "= %s")
    groups = rows(SituationGroupGrant, "ledger_group", "group", f"IN ({member})")
    return f"({own} OR {groups})"


class SituationSQL(Expression):
    """A condition on the outer query's situation written as SQL text built once per process (the
    grant check of `readable_filter`, `_granted_sql`; casework's EXISTS of a situation's rows), with
    this request's parameters. `{situation}` in the text is the outer situation's id column, an
    expression of its own, so that it stays right when the situation's query is itself a subquery
    (its table is then renamed)."""

    conditional = True

    def __init__(self, sql: str, params: tuple, situation=None):
        super().__init__(output_field=BooleanField())
        self.sql, self.params = sql, params
        self.situation = F("pk") if situation is None else situation

    def get_source_expressions(self):
        return [self.situation]

    def set_source_expressions(self, exprs):
        (self.situation,) = exprs

    def as_sql(self, compiler, connection):
        situation, situation_params = compiler.compile(self.situation)
        # The outer column may appear anywhere among the parameters: it must have none of its own.
        if situation_params:
            raise ValueError("the situation's column takes no parameter")
        params = tuple(
            connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime.datetime) else value
            for value in self.params
        )
        return self.sql.format(situation=situation), params


def readable_filter(user, codename: str = VIEW) -> Q:
    """A filter for Situation querysets: rows on which this user holds a live `codename` grant.

    A restricted situation (art. 18 GDPR) stays readable by the coordination only, and changeable by
    no one, whatever the grants.

    The subqueries name the permission by id and the user's groups through auth_user_groups alone:
    joined to auth_permission and auth_group, every page's query took milliseconds to plan. Every
    row is checked against the grants whoever reads; only the plan's shape depends on the reader. The
    coordination holds a grant on every situation: its rows are probed one by one while the ordered
    index is walked, so a page costs the same at any size. Left alone, the planner turns the grant
    subqueries into hashed subplans: it reads every grant the user's groups hold before the first
    row, because it does not count on the LIMIT of a page stopping the walk of the ordered index
    early; `OFFSET 0` makes the subquery one PostgreSQL will neither hash nor pull up into a join
    (`simplify_EXISTS_query` refuses it), and the rows it answers are the same. Anyone else holds
    grants on a small share of the situations: hashing those once is cheaper than probing the
    hundreds of rows walked before a page is full.

    The SQL text is prebuilt (`_granted_sql`); what it checks is `live` on the rows of `user_rows`
    and `group_rows`, which the tests compare it with.
    """
    coordinator = is_coordinator(user)
    permissions = [permission_id(name) for name in IMPLIED_BY.get(codename, (codename,))]
    now = timezone.now()
    params = (*permissions, now, user.pk, *permissions, now, user.pk)
    granted = Q(SituationSQL(_granted_sql(len(permissions), coordinator), params))
    if codename == VIEW and coordinator:
        return granted
    return granted & Q(restricted=False)


def user_rows(user, codename: str = VIEW, *, now=None):
    """This person's own live rows on the outer situation (a subquery)."""
    return SituationUserGrant.objects.filter(
        _permission_filter(codename), live(now), content_object=OuterRef("pk"), user_id=user.pk
    )


def group_rows(user, codename: str = VIEW, *, now=None):
    """The live rows of this person's groups on the outer situation (a subquery)."""
    return SituationGroupGrant.objects.filter(
        _permission_filter(codename), live(now), content_object=OuterRef("pk"), group_id__in=_user_groups(user)
    )


@dataclass(frozen=True)
class Holding:
    """The live grant rows one person holds on one situation now: their permissions and the VIEW
    reasons of their own rows and of their groups' rows."""

    permission_ids: frozenset[int]
    user_reasons: tuple[str, ...]
    group_reasons: tuple[str, ...]

    def grants(self, codename: str) -> bool:
        """Whether a row gives `codename` (what `readable_filter` checks, restriction aside)."""
        return any(permission_id(name) in self.permission_ids for name in IMPLIED_BY.get(codename, (codename,)))


@functools.cache
def _holding_sql() -> str:
    """The text of `holding`'s UNION, built once per process from the models' tables (as
    `_granted_sql`): a person's own live rows on a situation, then their groups'."""
    auth_user = SituationUserGrant._meta.get_field("user").remote_field.model
    members = auth_user._meta.get_field("groups").remote_field.through._meta
    group, user = members.get_field("group").column, members.get_field("user").column

    # Table and column names of the models only (S608 below): every value is a parameter.
    def rows(model, own: int, holder: str, holders: str) -> str:
        def column(name: str) -> str:
            return f'"{model._meta.get_field(name).column}"'

        live_rows = f"{column('ended_at')} IS NULL AND ({column('expires_at')} IS NULL OR {column('expires_at')} > %s)"
        where = f"{live_rows} AND {column('content_object')} = %s AND {column(holder)} {holders}"
        return f'SELECT {column("permission")}, {column("reason")}, {own} FROM "{model._meta.db_table}" WHERE {where}'  # noqa: S608

    member = f'SELECT "{group}" FROM "{members.db_table}" WHERE "{user}" = %s'  # noqa: S608
    own, groups = rows(SituationUserGrant, 1, "user", "= %s"), rows(SituationGroupGrant, 0, "group", f"IN ({member})")
    return f"{own} UNION ALL {groups}"


def holding(user, situation_id, *, now=None) -> Holding:
    """This person's live rows on one situation, read in one query (a UNION of the two tables).

    The detail page fetches the situation through `readable_filter` (the read is checked in SQL) and
    learns from these rows whether it may also be changed or annotated and for which reason it is
    read: the same rows `readable_filter` tests, without five more subqueries to build, compile and
    plan in the situation's query. The text is prebuilt (`_holding_sql`); the ORM's statement of the
    same rows is `holding_rows`, which the tests compare it with."""
    when = connection.ops.adapt_datetimefield_value(now or timezone.now())
    situation = SituationUserGrant._meta.get_field("content_object").target_field.get_db_prep_value(
        situation_id, connection
    )
    with connection.cursor() as cursor:
        cursor.execute(_holding_sql(), [when, situation, user.pk, when, situation, user.pk])
        rows = cursor.fetchall()
    view = permission_id(VIEW)
    return Holding(
        permission_ids=frozenset(row[0] for row in rows),
        user_reasons=tuple(reason for pid, reason, is_own in rows if pid == view and is_own),
        group_reasons=tuple(reason for pid, reason, is_own in rows if pid == view and not is_own),
    )


def holding_rows(user, situation_id, *, now=None) -> list[tuple[int, str, bool]]:
    """The rows `holding` reads, as the ORM states them: (permission id, reason, own row)."""
    own = SituationUserGrant.objects.filter(live(now), content_object_id=situation_id, user_id=user.pk)
    groups = SituationGroupGrant.objects.filter(
        live(now), content_object_id=situation_id, group_id__in=_user_groups(user)
    )
    return [
        *((pid, reason, True) for pid, reason in own.values_list("permission_id", "reason")),
        *((pid, reason, False) for pid, reason in groups.values_list("permission_id", "reason")),
    ]


def first_reason(*reasons: str | None) -> str | None:
    present = [reason for reason in reasons if reason]
    return min(present, key=PRECEDENCE.index) if present else None


def reading_reason(user, situation) -> str | None:
    """The reason that allows this person to read this situation now (None: nothing does)."""
    if hasattr(situation, "user_grant_reason"):
        return first_reason(situation.user_grant_reason, situation.group_grant_reason)
    from_user = SituationUserGrant.objects.filter(
        live(), content_object_id=situation.pk, user_id=user.pk, permission_id=permission_id(VIEW)
    ).values_list("reason", flat=True)
    from_groups = SituationGroupGrant.objects.filter(
        live(), content_object_id=situation.pk, group_id__in=_user_groups(user), permission_id=permission_id(VIEW)
    ).values_list("reason", flat=True)
    return first_reason(*from_user, *from_groups)


def holds(user, situation, codename: str = VIEW) -> bool:
    """Whether this person may read (or `codename`) this situation now: role, partner and charter
    conditions, then a live grant."""
    if not may_read_cases(user):
        return False
    return type(situation).objects.filter(readable_filter(user, codename), pk=situation.pk).exists()


# --- Writing the ledger -----------------------------------------------------------------------------


def _source(source) -> tuple[str, str]:
    if source is None:
        return "", ""
    return source._meta.label_lower, str(source.pk)


def _holder(*, user, group) -> dict:
    if (user is None) == (group is None):
        raise ValueError("a grant goes to one user or one group")
    return {"user": user} if user is not None else {"group": group}


def _model(holder: dict):
    return SituationUserGrant if "user" in holder else SituationGroupGrant


def _holder_label(holder: dict) -> str:
    if "user" in holder:
        return f"utilisateur n° {holder['user'].pk}"
    return f"groupe « {holder['group'].name} »"


def _with_holder(model, rows):
    """`rows` with what `row.holder` names (a group's name) fetched in the same query."""
    return rows.select_related("group") if model is SituationGroupGrant else rows


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else ""


@transaction.atomic
def grant(
    situation,
    *,
    reason: str,
    by,
    user=None,
    group=None,
    codenames: tuple[str, ...] = READ,
    source=None,
    expires_at: datetime.datetime | None = None,
) -> int:
    """Give `user` or `group` `codenames` on `situation` for `reason`; returns the rows written.

    Granting again what stands already (same holder, reason, source, permission) writes nothing, so a
    caller may grant on every event that calls for it.
    """
    holder = _holder(user=user, group=group)
    model = _model(holder)
    source_type, source_id = _source(source)
    now = timezone.now()
    written = []
    for codename in codenames:
        key = {**holder, "content_object": situation, "permission_id": permission_id(codename), "reason": reason}
        key |= {"source_type": source_type, "source_id": source_id}
        if model.objects.filter(live(now), **key).exists():
            continue
        written.append(model(**key, granted_by=by, granted_at=now, expires_at=expires_at))
    if not written:
        return 0
    model.objects.bulk_create(written)
    until = f" jusqu'au {_when(expires_at)}" if expires_at else ""
    security_record(
        Kind.GRANT,
        user=by,
        obj=situation,
        situation_reference=situation.reference,
        detail=f"{_holder_label(holder)} : {', '.join(codenames)} — {Reason(reason).label}{until}",
    )
    return len(written)


@transaction.atomic
def end(
    situation,
    *,
    reason: str,
    by,
    user=None,
    group=None,
    source=None,
    any_source: bool = False,
    at: datetime.datetime | None = None,
) -> int:
    """End `reason` for `user` or `group` on `situation`, now or at `at` (which sets the expiry);
    returns the rows ended. Other reasons of the same holder stand.

    `source` narrows to the rows that one object caused; `any_source` ends the reason whatever caused it.
    """
    holder = _holder(user=user, group=group)
    model = _model(holder)
    now = timezone.now()
    rows = model.objects.filter(live(now), **holder, content_object=situation, reason=reason)
    if not any_source:
        source_type, source_id = _source(source)
        rows = rows.filter(source_type=source_type, source_id=source_id)
    return _end_rows(rows, situation=situation, label=_holder_label(holder), by=by, now=now, at=at)


def _end_rows(rows, *, situation, label: str, by, now, at=None) -> int:
    reasons = ", ".join(sorted({str(Reason(reason).label) for reason in rows.values_list("reason", flat=True)}))
    if at is not None and at > now:
        changed = rows.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at)).update(expires_at=at)
        what = f"fin fixée au {_when(at)}"
    else:
        changed = rows.update(ended_at=now, ended_by=by)
        what = "retiré"
    if changed:
        security_record(
            Kind.REVOKE,
            user=by,
            obj=situation,
            situation_reference=situation.reference,
            detail=f"{label} : {reasons} — {what}"[:200],
        )
    return changed


@transaction.atomic
def end_caused_by(source, *, by, at: datetime.datetime | None = None, situation=None, user=None) -> int:
    """End every live row that `source` caused (a referral, a séance, an association…), now or at `at`;
    only on `situation`, or only `user`'s, when given."""
    source_type, source_id = _source(source)
    now = timezone.now()
    ended = 0
    for model in (SituationUserGrant,) if user is not None else (SituationUserGrant, SituationGroupGrant):
        rows = model.objects.filter(live(now), source_type=source_type, source_id=source_id)
        if situation is not None:
            rows = rows.filter(content_object=situation)
        if user is not None:
            rows = rows.filter(user=user)
        ended += _end_each(model, rows.select_related("content_object"), by=by, now=now, at=at)
    return ended


def _end_each(model, rows, *, by, now, at=None, situation=None) -> int:
    """End `rows` one by one, each a security event naming its holder and its situation."""
    ended = 0
    for row in _with_holder(model, rows):
        ended += _end_rows(
            model.objects.filter(pk=row.pk),
            situation=situation or row.content_object,
            label=row.holder,
            by=by,
            now=now,
            at=at,
        )
    return ended


@dataclass(frozen=True)
class Expired:
    rows: int
    break_glass: int


def expire(*, now: datetime.datetime | None = None, batch_size: int = 500) -> Expired:
    """Tidy the ledger: rows whose expiry has passed are marked ended at that moment, each recorded
    as a security event; break-glass accesses past their end are closed. Running it twice, or never,
    changes no one's access: reads check `expires_at` themselves."""
    now = now or timezone.now()
    ended = 0
    for model in (SituationUserGrant, SituationGroupGrant):
        while True:
            with transaction.atomic():
                due = list(
                    _with_holder(model, model.objects.select_for_update(of=("self",), skip_locked=True))
                    .select_related("content_object")
                    .filter(ended_at__isnull=True, expires_at__lte=now)
                    .order_by("expires_at", "pk")[:batch_size]
                )
                for row in due:
                    model.objects.filter(pk=row.pk).update(ended_at=row.expires_at)
                    security_record(
                        Kind.REVOKE,
                        obj=row.content_object,
                        situation_reference=row.content_object.reference,
                        detail=f"{row.holder} : {row.reason_label} — expiré le {_when(row.expires_at)}"[:200],
                    )
            ended += len(due)
            if len(due) < batch_size:
                break
    closed = BreakGlassAccess.objects.filter(closed_at__isnull=True, expires_at__lte=now).update(closed_at=now)
    return Expired(rows=ended, break_glass=closed)


def history(situation):
    """Every row of the ledger on this situation, live or not, for the DPO: who could read it, from
    when to when, why, granted and ended by whom."""
    user_rows_ = SituationUserGrant.objects.filter(content_object=situation).select_related(
        "user", "permission", "granted_by", "ended_by"
    )
    group_rows_ = SituationGroupGrant.objects.filter(content_object=situation).select_related(
        "group__partner", "permission", "granted_by", "ended_by"
    )
    return sorted([*user_rows_, *group_rows_], key=lambda row: (row.granted_at, row.pk))


def readable_at_filter(moment_ref: str = "at", *, user_ref: str = "user", reference_ref: str = "situation_reference"):
    """For audit events: an `Exists` that a VIEW grant stood for the event's user on the event's
    situation at the event's time (the anomaly "read without a grant", judged as things stood)."""
    view = permission_id(VIEW)
    moment = OuterRef(moment_ref)
    stood = (
        Q(granted_at__lte=moment)
        & (Q(ended_at__isnull=True) | Q(ended_at__gt=moment))
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=moment))
    )
    direct = SituationUserGrant.objects.filter(
        stood, content_object__reference=OuterRef(reference_ref), user=OuterRef(user_ref), permission_id=view
    )
    through_group = SituationGroupGrant.objects.filter(
        stood,
        content_object__reference=OuterRef(reference_ref),
        group__user=OuterRef(user_ref),
        permission_id=view,
    )
    return Exists(direct) | Exists(through_group)


# Reasons that exist for a time or an errand, not because the partner follows the young person.
TEMPORARY = (Reason.SCHEME_OPERATOR, Reason.SEANCE, Reason.BREAK_GLASS, Reason.ASSOCIATED_PARTNER)


@transaction.atomic
def end_reasons(situation, *, reasons=TEMPORARY, by, at: datetime.datetime | None = None) -> int:
    """End every live row of `reasons` on this situation, whoever holds it, now or at `at`."""
    now = timezone.now()
    ended = 0
    for model in (SituationUserGrant, SituationGroupGrant):
        rows = model.objects.filter(live(now), content_object=situation, reason__in=reasons)
        ended += _end_each(model, rows, by=by, now=now, at=at, situation=situation)
    return ended


def group_holders(situation, *, exclude_reasons=()) -> list:
    """The groups that hold a live VIEW grant on this situation (each once), for carrying them forward."""
    rows = SituationGroupGrant.objects.filter(
        live(), content_object=situation, permission_id=permission_id(VIEW)
    ).exclude(reason__in=exclude_reasons)
    return list(Group.objects.filter(pk__in=rows.values("group_id")).order_by("name"))


INVOLVED = (Reason.ASSOCIATED_PARTNER, Reason.PREVIOUS_SAISINE)


def involved_rows(situation) -> list[SituationGroupGrant]:
    """The live VIEW rows of partners associated by the group or carried from the previous saisine."""
    return list(
        SituationGroupGrant.objects.filter(
            live(), content_object=situation, permission_id=permission_id(VIEW), reason__in=INVOLVED
        )
        .select_related("group__partner")
        .order_by("granted_at", "pk")
    )


def involved_exists() -> Exists:
    """SQL EXISTS: the outer situation has `involved_rows` (most have none, and skip that query)."""
    return Exists(
        SituationGroupGrant.objects.filter(
            live(), content_object=OuterRef("pk"), permission_id=permission_id(VIEW), reason__in=INVOLVED
        )
    )


def caused_by(source):
    """The VIEW rows that `source` caused, live or not, latest first."""
    source_type, source_id = _source(source)
    return SituationGroupGrant.objects.filter(
        source_type=source_type, source_id=source_id, permission_id=permission_id(VIEW)
    ).order_by("-granted_at")


def caused_by_any(source):
    """The user-level rows `source` caused (a séance's), live or not: for the demo's backdating."""
    source_type, source_id = _source(source)
    return SituationUserGrant.objects.filter(source_type=source_type, source_id=source_id)
