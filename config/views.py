"""The home page router: each role lands on its own screen."""

from django.shortcuts import redirect

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
