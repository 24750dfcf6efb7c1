"""The home page router: each role lands on its own screen."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from access.models import Role
from access.permissions import membership_of


def home(request):
    """Each role lands on its own screen."""
    if not request.user.is_authenticated:
        return redirect("access:login")
    membership = membership_of(request.user)
    if membership and membership.role == Role.DPO:
        return redirect("dpo:console")
    if membership and membership.role == Role.ADMIN and request.user.is_staff:
        return redirect("admin:index")
    return redirect("casework:situation_list")


@require_GET
def accessibility(request):
    """The accessibility statement (RGAA, loi du 11 février 2005 art. 47), reachable signed out."""
    return render(request, "pages/accessibility.html", {"dpo_contact": settings.PARCOURS_DPO_CONTACT})


@require_GET
def legal_notice(request):
    """Mentions légales: who publishes the service and who hosts it, reachable signed out."""
    context = {
        "controller": settings.PARCOURS_CONTROLLER,
        "city": settings.PARCOURS_CITY_NAME,
        "dpo_contact": settings.PARCOURS_DPO_CONTACT,
    }
    return render(request, "pages/legal_notice.html", context)
