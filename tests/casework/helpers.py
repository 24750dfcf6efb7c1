"""Builders for the lifecycle tests: through the real services and models, as the app does."""

import datetime

from django.utils import timezone

from casework.models import RetentionRule, Situation


def make_due(situation: Situation, *, days_late: int = 0, status: str = Situation.Status.NOT_RETAINED) -> Situation:
    """Put a situation at the end of its retention period (`days_late` days past it)."""
    days = RetentionRule.objects.get(status=status).days
    since = timezone.localdate() - datetime.timedelta(days=days + days_late)
    Situation.objects.filter(pk=situation.pk).update(status=status, status_since=since)
    situation.refresh_from_db()
    return situation
