"""The situation page's « Plan d'accompagnement » panel, drawn by the séances app inside casework's
template (casework sits below the séances and does not import them). It shows counts and a link,
never a wording: the plan's page records what it shows."""

import functools

from django import template
from django.db import connection
from django.utils import timezone

from seances.models import Objective, Step

register = template.Library()


@functools.cache
def _counts_sql() -> str:
    """Steps pending and overdue, objectives and those reached, of one situation: four counts in one
    query, its text built once per process (table and column names only). The ORM's aggregate over
    two joins cost more CPU to build and compile than the page's own template."""

    def count(model, *conditions: tuple[str, str]) -> str:
        where = " AND ".join(
            f'"{model._meta.get_field(name).column}" {test}' for name, test in (("situation", "= %s"), *conditions)
        )
        return f'(SELECT COUNT(*) FROM "{model._meta.db_table}" WHERE {where})'  # noqa: S608

    pending = ("status", f"IN ({', '.join(['%s'] * len(Step.PENDING))})")
    return "SELECT " + ", ".join(
        [
            count(Step, pending),
            count(Step, pending, ("due_on", "< %s")),
            count(Objective),
            count(Objective, ("status", "= %s")),
        ]
    )


@register.inclusion_tag("seances/_situation_plan.html")
def situation_plan_panel(situation):
    situation_id = Step._meta.get_field("situation").target_field.get_db_prep_value(situation.pk, connection)
    statuses = [str(status) for status in Step.PENDING]
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(
            _counts_sql(),
            [situation_id, *statuses, situation_id, *statuses, today, situation_id, situation_id,
             str(Objective.Status.REACHED)],
        )  # fmt: skip
        pending, overdue, total, reached = cursor.fetchone()
    steps = {"pending": pending, "overdue": overdue}
    objectives = {"total": total, "reached": reached}
    return {"situation": situation, "steps": steps, "objectives": objectives}
