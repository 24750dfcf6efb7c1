"""The situation page's « Plan d'accompagnement » panel, drawn by the séances app inside casework's
template (casework sits below the séances and does not import them). It shows counts and a link,
never a wording: the plan's page records what it shows."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from seances.models import Objective, Step

register = template.Library()


@register.inclusion_tag("seances/_situation_plan.html")
def situation_plan_panel(situation):
    """Steps and objectives counted in one query (distinct: the two joins multiply their rows)."""
    pending = Q(steps__status__in=Step.PENDING)
    counts = (
        type(situation)
        .objects.filter(pk=situation.pk)
        .aggregate(
            pending=Count("steps", filter=pending, distinct=True),
            overdue=Count("steps", filter=pending & Q(steps__due_on__lt=timezone.localdate()), distinct=True),
            total=Count("objectives", distinct=True),
            reached=Count("objectives", filter=Q(objectives__status=Objective.Status.REACHED), distinct=True),
        )
    )
    steps = {"pending": counts["pending"], "overdue": counts["overdue"]}
    objectives = {"total": counts["total"], "reached": counts["reached"]}
    return {"situation": situation, "steps": steps, "objectives": objectives}
