"""Labels the trail stores as codes (it imports no app): the reason of the grant behind a read."""

from django import template

from access.models import Reason

register = template.Library()


@register.filter
def grant_reason_label(code: str) -> str:
    try:
        return str(Reason(code).label)
    except ValueError:
        return code
