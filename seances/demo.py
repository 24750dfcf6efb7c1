"""Demonstration séances: one closed a month ago with its attendance, decisions, actions (one overdue)
and an addendum; one in preparation in ten days with its proposed agenda and invitations. Created
once: a second run changes nothing."""

import datetime

from auditlog.context import set_actor
from django.utils import timezone

from access import ledger
from casework.models import Situation
from seances import services
from seances.models import Decision, Objective, Seance, Step

MEMBERS = ("azimuts1", "rabelais1", "missionlocale1", "pm1")
PLACE = "Hôtel de ville, salle du conseil municipal"


def seances_demo_load(*, today: datetime.date, users: dict) -> int:
    if Seance.objects.exists():
        return 0
    coordinator = users["coordination"]
    members = [users[name] for name in MEMBERS if name in users]
    with set_actor(coordinator):
        _past_load(today, coordinator, members)
        upcoming = services.seance_create(
            by=coordinator, date=today + datetime.timedelta(days=10), start_time=datetime.time(14, 0), place=PLACE
        )
        services.agenda_proposal_accept(seance_id=upcoming.pk, by=coordinator)
        for member in members:
            services.invitation_create(seance_id=upcoming.pk, user=member, by=coordinator)
    return 2


def _past_load(today, coordinator, members) -> None:
    active = list(
        Situation.objects.filter(status=Situation.Status.ACTIVE, restricted=False, created_by__in=members).order_by(
            "reference"
        )[:4]
    )
    seance = services.seance_create(by=coordinator, date=today, start_time=datetime.time(14, 0), place=PLACE)
    for situation in active:
        services.agenda_item_add(seance_id=seance.pk, situation=situation, by=coordinator)
    for member in [coordinator, *members]:
        services.invitation_create(seance_id=seance.pk, user=member, by=coordinator)
        services.attendance_record(seance_id=seance.pk, user=member, by=coordinator, pledge=True)
    services.seance_start(seance_id=seance.pk, by=coordinator)
    items = list(seance.items.select_related("situation").order_by("position"))
    asked = [member.membership.partner for member in members]
    for number, item in enumerate(items):

        def decide(kind, item=item, **fields):
            services.decision_record(seance_id=seance.pk, item_id=item.pk, by=coordinator, kind=kind, **fields)

        services.item_summary_set(
            seance_id=seance.pk,
            item_id=item.pk,
            by=coordinator,
            summary="Point fait en séance : assiduité en progrès, lien avec la famille à consolider.",
        )
        decide(Decision.Kind.EXAMINED)
        # The plan d'accompagnement: one objective, which the action asked in séance serves.
        objective = services.objective_add(
            situation_id=item.situation_id,
            by=coordinator,
            domain=Objective.Domain.SCHOOLING,
            label="Reprendre une scolarité régulière d'ici la fin du trimestre.",
        )
        decide(
            Decision.Kind.ACTION,
            partner=asked[number % len(asked)],
            action_label="Proposer un rendez-vous à la famille et rendre compte à la prochaine séance.",
            due_on=today + datetime.timedelta(days=14),
            objective_id=objective.pk,
        )
        decide(Decision.Kind.NEXT_REVIEW, next_review_on=today + datetime.timedelta(days=40 + 7 * number))
    services.seance_close(seance_id=seance.pk, by=coordinator)
    if items:
        services.addendum_add(
            seance_id=seance.pk,
            by=coordinator,
            text="Le prochain examen du point 1 est avancé à la séance suivante.",
            item_id=items[0].pk,
        )
    # Back to a month ago, as if it had happened then: its access window is long over.
    held = timezone.now() - datetime.timedelta(days=28)
    Seance.objects.filter(pk=seance.pk).update(
        date=today - datetime.timedelta(days=28), started_at=held, closed_at=held + datetime.timedelta(hours=2)
    )
    ledger.caused_by_any(seance).update(granted_at=held, expires_at=held + datetime.timedelta(hours=26))
    ledger.expire()
    first = Step.objects.filter(item__seance=seance).order_by("due_on", "created_at").first()
    if first:
        Step.objects.filter(pk=first.pk).update(due_on=today - datetime.timedelta(days=3))
