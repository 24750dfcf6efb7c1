"""The journal in words, for the console's templates (the labels live in dpo/labels.py)."""

from django import template

from dpo import labels

register = template.Library()

register.filter("grant_reason_label", labels.grant_reason_label)
register.filter("screen_label", labels.screen_label)
register.filter("object_label", labels.object_label)
register.filter("person_label", labels.person_label)


# Django names its permissions in English when the table is created; the DPO reads French.
PERMISSION_LABELS = {
    "view_situation": "lecture",
    "change_situation": "modification",
    "annotate_situation": "ajout de notes",
}


@register.filter
def permission_label(codename: str) -> str:
    return PERMISSION_LABELS.get(codename, codename)
