"""Accesses that look abnormal, for the DPO's report and daily digest.

Each function takes a period [start, end) and answers with aggregates per user or per identifier:
references and counts, never identity or content. Every query is one GROUP BY over indexed columns.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, ExtractMinute
from django.utils import timezone

from access import ledger
from audit.models import UNKNOWN_IDENTIFIER, Event, Kind, Purpose
from casework.services import BEYOND_LIMIT_DETAIL

BASELINE_PERIODS = 4
# Who a row is about, as the DPO knows them: name, and the login that tells namesakes apart.
USER_NAME = ("user__username", "user__first_name", "user__last_name")
ROW_LIMIT = 200


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def first_day(self):
        return timezone.localtime(self.start).date()

    @property
    def last_day(self):
        return timezone.localtime(self.end).date() - timedelta(days=1)

    @classmethod
    def days(cls, first, last) -> "Period":
        """From the start of `first` to the end of `last`, local days."""
        tz = timezone.get_current_timezone()
        return cls(
            datetime.combine(first, time.min, tzinfo=tz),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
        )


def working_hours() -> tuple[int, int]:
    """`PARCOURS_WORKING_HOURS` ("08:00-19:00") as minutes of the day."""
    start, _, end = settings.PARCOURS_WORKING_HOURS.partition("-")

    def minutes(text: str) -> int:
        hours, _, mins = text.strip().partition(":")
        return int(hours) * 60 + int(mins or 0)

    return minutes(start), minutes(end)


def _reads(period: Period):
    return Event.objects.filter(kind=Kind.READ, at__gte=period.start, at__lt=period.end).exclude(situation_reference="")


def unusual_volume(period: Period) -> list[dict]:
    """Users who read many more distinct situations than usual: the mean of the preceding
    `BASELINE_PERIODS` periods of the same length."""
    span = period.end - period.start
    windows = [(period.start - (k + 1) * span, period.start - k * span) for k in range(BASELINE_PERIODS)]
    distinct = {
        f"before_{k}": Count("situation_reference", distinct=True, filter=Q(at__gte=start, at__lt=end))
        for k, (start, end) in enumerate(windows)
    }
    rows = (
        Event.objects.filter(kind=Kind.READ, at__gte=windows[-1][0], at__lt=period.end, user__isnull=False)
        .exclude(situation_reference="")
        .values("user", *USER_NAME)
        .annotate(current=Count("situation_reference", distinct=True, filter=Q(at__gte=period.start)), **distinct)
        .filter(current__gte=settings.PARCOURS_ANOMALY_VOLUME_MINIMUM)
        .order_by("-current")
    )
    flagged = []
    for row in rows:
        usual = sum(row[name] for name in distinct) / BASELINE_PERIODS
        if row["current"] > settings.PARCOURS_ANOMALY_VOLUME_FACTOR * max(usual, 1):
            flagged.append(
                {
                    "user": row["user"],
                    **{name: row[name] for name in USER_NAME},
                    "current": row["current"],
                    "usual": round(usual, 1),
                }
            )
    return flagged[:ROW_LIMIT]


def off_hours(period: Period) -> list[dict]:
    """Reads outside working hours or at the weekend (local time), per user."""
    tz = ZoneInfo(settings.TIME_ZONE)
    first, last = working_hours()
    return list(
        _reads(period)
        .annotate(
            weekday=ExtractIsoWeekDay("at", tzinfo=tz),
            minute_of_day=ExtractHour("at", tzinfo=tz) * 60 + ExtractMinute("at", tzinfo=tz),
        )
        .filter(Q(weekday__gte=6) | Q(minute_of_day__lt=first) | Q(minute_of_day__gte=last))
        .values("user", *USER_NAME)
        .annotate(
            reads=Count("id"), situations=Count("situation_reference", distinct=True), first=Min("at"), last=Max("at")
        )
        .order_by("-reads")[:ROW_LIMIT]
    )


def without_grant(period: Period) -> list[dict]:
    """Reads of situations no grant allowed when they were made, and every break-glass read.

    Each read is judged against the ledger as it stood at the read's time (a grant ended since then
    does not make an earlier read suspect; a read after its end is). Reads of a purged situation
    show here too, its grants being gone with it: the DPO checks them against the purpose column.
    """
    return list(
        _reads(period)
        .filter(object_type="casework.situation")
        .filter(Q(purpose=Purpose.BREAK_GLASS) | ~ledger.readable_at_filter())
        .values("user", *USER_NAME, "situation_reference", "purpose")
        .annotate(reads=Count("id"), last=Max("at"))
        .order_by("-last")[:ROW_LIMIT]
    )


def failed_logins(period: Period) -> list[dict]:
    """Identifiers with repeated failed logins or a lockout.

    An identifier that names no account is not kept in the trail (it may be a password, see
    audit.signals): those failures are grouped by address instead, so that a burst from one machine
    still shows, as « identifiant inconnu » with its address."""
    events = Event.objects.filter(kind__in=[Kind.LOGIN_FAILED, Kind.LOCKOUT], at__gte=period.start, at__lt=period.end)
    counts = {
        "failures": Count("id", filter=Q(kind=Kind.LOGIN_FAILED)),
        "lockouts": Count("id", filter=Q(kind=Kind.LOCKOUT)),
        "last": Max("at"),
    }
    flagged = Q(failures__gte=settings.PARCOURS_ANOMALY_FAILED_LOGINS) | Q(lockouts__gt=0)
    accounts = (
        events.filter(user__isnull=False)
        .values("username")
        .annotate(addresses=Count("ip_address", distinct=True), **counts)
        .filter(flagged)
        .order_by("-failures")[:ROW_LIMIT]
    )
    unknown = (
        events.filter(user__isnull=True)
        .values("ip_address")
        .annotate(**counts)
        .filter(flagged)
        .order_by("-failures")[:ROW_LIMIT]
    )
    rows = [{**row, "ip_address": None} for row in accounts] + [
        {**row, "username": UNKNOWN_IDENTIFIER, "addresses": 1} for row in unknown
    ]
    rows.sort(key=lambda row: (row["failures"], row["lockouts"], row["last"]), reverse=True)
    return rows[:ROW_LIMIT]


def hidden_duplicates(period: Period) -> list[dict]:
    """Users told at intake that a situation they cannot see may concern the young person they were
    recording (casework.services.hidden_duplicate_notice): how many times, how many of those beyond
    the daily limit, and when last. Counts only: the trail does not say which young person."""
    return list(
        Event.objects.filter(kind=Kind.HIDDEN_DUPLICATE, at__gte=period.start, at__lt=period.end, user__isnull=False)
        .values("user", *USER_NAME)
        .annotate(
            notices=Count("id"),
            beyond_limit=Count("id", filter=Q(detail=BEYOND_LIMIT_DETAIL)),
            last=Max("at"),
        )
        .order_by("-notices", "-last")[:ROW_LIMIT]
    )


def break_glass_opened(period: Period):
    return Event.objects.filter(kind=Kind.BREAK_GLASS, at__gte=period.start, at__lt=period.end)


def report(period: Period) -> dict[str, list]:
    return {
        "volume": unusual_volume(period),
        "off_hours": off_hours(period),
        "without_grant": without_grant(period),
        "failed_logins": failed_logins(period),
        "hidden_duplicates": hidden_duplicates(period),
        "break_glass": list(break_glass_opened(period).select_related("user", "partner")),
    }


def daily_counts(day=None) -> dict[str, int]:
    """Yesterday's anomalies as counts, for the digest e-mail."""
    day = day or timezone.localdate() - timedelta(days=1)
    found = report(Period.days(day, day))
    return {
        "Utilisateurs au volume de lecture inhabituel": len(found["volume"]),
        "Utilisateurs ayant lu hors des heures ouvrées": len(found["off_hours"]),
        "Lectures sans droit à leur date (dont bris de glace)": sum(row["reads"] for row in found["without_grant"]),
        "Accès exceptionnels ouverts": len(found["break_glass"]),
        "Identifiants en échec de connexion répété ou verrouillés": len(found["failed_logins"]),
        "Utilisateurs avertis d'une situation non visible à la saisine": len(found["hidden_duplicates"]),
    }
