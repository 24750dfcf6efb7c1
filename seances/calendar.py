"""A séance as an iCalendar event (RFC 5545), for the invitees' own diaries.

The file leaves Parcours for phones and shared calendars, so it carries only what a poster in the
town hall would: « Séance du GSN », the date, the time and the place. Never the agenda, a
reference or a name. Times are written in UTC (`Z`), which every calendar reads without a
VTIMEZONE block.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from seances.models import Seance

# A séance has a start time only; two hours is the usual length of a GSN meeting.
DURATION = datetime.timedelta(hours=2)
SUMMARY = "Séance du GSN"


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def seance_ics(seance: Seance, *, now: datetime.datetime | None = None) -> str:
    start = datetime.datetime.combine(seance.date, seance.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Parcours//GSN//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:seance-{seance.pk}@parcours",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(start + DURATION)}",
        f"SUMMARY:{_escape(SUMMARY)}",
        f"LOCATION:{_escape(seance.place)}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
