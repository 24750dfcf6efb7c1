"""The form pieces every template uses: the error summary at the top of a form, « Erreur : » in the title.

A library of `config` because only an installed app can register tags; what it computes lives in
`core/forms.py`, which knows no app.
"""

from django import forms, template
from django.utils.translation import gettext as _

from core.forms import error_entries, mentions_required

register = template.Library()


@register.inclusion_tag("_error_summary.html")
def form_top(*forms_shown):
    """At the top of a form: the summary of its errors (each linking to its field) and, where it
    applies, « Sauf mention contraire, tous les champs sont obligatoires »."""
    fields, general = error_entries(*forms_shown)
    return {
        "fields": fields,
        "general": general,
        "count": len(fields) + len(general),
        "mention": mentions_required(*forms_shown),
    }


@register.simple_tag(takes_context=True)
def error_title(context) -> str:
    """« Erreur : » before the page title when a form of the page was sent back with errors (RGAA 8.5)."""
    for value in context.flatten().values():
        # type(), not isinstance(): isinstance would evaluate the context processors' lazy objects.
        if issubclass(type(value), forms.BaseForm) and value.is_bound and value.errors:
            return _("Erreur : ")
    return ""
