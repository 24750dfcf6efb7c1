"""The DPO's view of the access trail: metadata and references only, never identity or content."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from access.models import Role
from access.permissions import membership_of
from audit.selectors import access_events_for_reference


class ReferenceForm(forms.Form):
    reference = forms.RegexField(
        label=_("Référence de la situation"),
        regex=r"^GSN-\d{4}-\d{4,}$",
        max_length=20,
        error_messages={"invalid": _("Saisissez une référence de la forme GSN-2026-0042.")},
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "GSN-2026-0042"}),
    )


def dpo_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        membership = membership_of(request.user)
        if not membership or membership.role != Role.DPO:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@dpo_required
def access_events(request):
    form = ReferenceForm(request.GET or None)
    page = None
    if form.is_valid():
        events = access_events_for_reference(form.cleaned_data["reference"].upper())
        page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/access_events.html", {"form": form, "page": page, "query": query.urlencode()})
