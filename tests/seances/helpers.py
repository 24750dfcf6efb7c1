"""Builders for the séance tests, through the real services."""

import datetime

from django.utils import timezone

from seances import services


def make_seance(coordinator, *, days_ahead: int = 7, **fields):
    return services.seance_create(
        by=coordinator,
        date=timezone.localdate() + datetime.timedelta(days=days_ahead),
        start_time=datetime.time(14, 0),
        place="Hôtel de ville, salle du conseil",
        **fields,
    )


def running_seance(coordinator, situations, attendees=()):
    """A séance with these situations on its agenda and these people present, opened."""
    seance = make_seance(coordinator)
    for situation in situations:
        services.agenda_item_add(seance_id=seance.pk, situation=situation, by=coordinator)
    for user in attendees:
        services.attendance_record(seance_id=seance.pk, user=user, by=coordinator, pledge=True)
    return services.seance_start(seance_id=seance.pk, by=coordinator)


def item_of(seance, situation):
    return seance.items.get(situation=situation)
