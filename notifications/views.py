from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notifications.models import Notification, Preference
from notifications.services import notifications_for, notifications_mark_read, preferences_of, preferences_set


@login_required
def notification_list(request):
    """ "Mes notifications": what is shown is marked read once this page is rendered."""
    page = Paginator(notifications_for(request.user), settings.PARCOURS_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    response = render(request, "notifications/notification_list.html", {"page": page, "notifications": shown})
    notifications_mark_read(user=request.user, ids=[n.pk for n in shown if n.read_at is None])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """Each kind at once or in the daily digest; security alerts are not offered (always at once)."""
    if request.method == "POST":
        preferences_set(user=request.user, modes={kind: request.POST.get(kind, "") for kind in Notification.DIGESTIBLE})
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:notification_preferences")
    chosen = preferences_of(request.user)
    rows = [(kind, Notification.Kind(kind).label, chosen[kind]) for kind in Notification.DIGESTIBLE]
    return render(request, "notifications/preferences.html", {"rows": rows, "modes": Preference.Mode.choices})
