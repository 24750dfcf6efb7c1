from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from notifications.services import notifications_for, notifications_mark_read


@login_required
def notification_list(request):
    """ "Mes notifications": what is shown is marked read once this page is rendered."""
    page = Paginator(notifications_for(request.user), settings.PARCOURS_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    response = render(request, "notifications/notification_list.html", {"page": page, "notifications": shown})
    notifications_mark_read(user=request.user, ids=[n.pk for n in shown if n.read_at is None])
    return response
