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


# Django names its permissions in English when the table is created; the DPO reads French.
PERMISSION_LABELS = {
    "view_situation": "lecture",
    "change_situation": "modification",
    "annotate_situation": "ajout de notes",
}


@register.filter
def permission_label(codename: str) -> str:
    return PERMISSION_LABELS.get(codename, codename)
