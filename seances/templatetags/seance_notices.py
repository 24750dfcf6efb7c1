"""The situation list's alert about overdue follow-up actions, drawn by the séances app inside
casework's template (casework sits below the séances and does not import them)."""

from django import template

from seances.selectors import overdue_actions_count

register = template.Library()


@register.inclusion_tag("seances/_overdue_notice.html", takes_context=True)
def overdue_actions_notice(context):
    return {"overdue_actions": overdue_actions_count(context["request"].user)}
