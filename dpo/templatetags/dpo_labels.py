"""The journal in words, for the console's templates (the labels live in dpo/labels.py)."""

from django import template

from dpo import labels

register = template.Library()

register.filter("grant_reason_label", labels.grant_reason_label)
register.filter("screen_label", labels.screen_label)
register.filter("object_label", labels.object_label)
register.filter("person_label", labels.person_label)
register.filter("row_person_label", labels.row_person_label)
register.filter("purpose_label", labels.purpose_label)
register.filter("permission_label", labels.permission_label)
register.filter("detail_label", labels.detail_label)
register.filter("change_action_label", labels.change_action_label)
