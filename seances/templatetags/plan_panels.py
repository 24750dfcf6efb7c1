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
    pending = Q(status__in=Step.PENDING)
    steps = situation.steps.aggregate(
        pending=Count("pk", filter=pending),
        overdue=Count("pk", filter=pending & Q(due_on__lt=timezone.localdate())),
    )
    objectives = situation.objectives.aggregate(
        total=Count("pk"), reached=Count("pk", filter=Q(status=Objective.Status.REACHED))
    )
    return {"situation": situation, "steps": steps, "objectives": objectives}
