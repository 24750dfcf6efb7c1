"""The séances' section of the subject-access file (GDPR art. 15), through `audit.subject_access`'s
extension point: the points where the young person's situations were examined, with the decisions,
the review summaries, the actions asked and the addenda. Registered when the app is ready."""

from casework.models import Person, Situation
from dpo.subject_access import THIRD_PARTY, TO_REVIEW, Record, Section, section, staff_name
from seances.models import AgendaItem, FollowUpAction


@section
def seances_section(person: Person, situations: list[Situation]) -> Section:
    records = []
    items = (
        AgendaItem.objects.filter(situation__in=situations)
        .select_related("situation", "seance", "data_key")
        .prefetch_related(
            "decisions__not_retained_reason",
            "decisions__closure_reason",
            "decisions__partner",
            "decisions__referent",
            "decisions__referral__scheme",
            "addenda__author",
            "addenda__data_key",
        )
        .order_by("seance__date", "position")
    )
    for item in items:
        record = Record(f"Séance du {item.seance.date:%d/%m/%Y} — {item.situation.reference}")
        record.add("Inscrite pour", item.get_reason_display())
        record.add("Synthèse de l'examen", item.summary, TO_REVIEW)
        for decision in item.decisions.all():
            detail = [
                str(value)
                for value in (
                    decision.not_retained_reason,
                    decision.referral.scheme if decision.referral else None,
                    decision.next_review_on.strftime("%d/%m/%Y") if decision.next_review_on else None,
                    decision.closure_reason,
                    decision.partner,
                )
                if value
            ]
            record.add("Décision", " — ".join([decision.get_kind_display(), *detail]))
            if decision.referent:
                record.add("Référent·e désigné·e", staff_name(decision.referent), THIRD_PARTY)
        for addendum in item.addenda.all():
            record.add(f"Addendum du {addendum.created_at:%d/%m/%Y}", addendum.text, TO_REVIEW)
        records.append(record)
    actions = FollowUpAction.objects.filter(situation__in=situations).select_related("situation", "partner", "data_key")
    for action in actions.order_by("due_on"):
        record = Record(f"Action demandée — {action.situation.reference}")
        record.add("Partenaire sollicité", action.partner)
        record.add("Action", action.label, TO_REVIEW)
        record.add("Échéance", action.due_on)
        record.add("Réalisée le", action.done_on)
        records.append(record)
    return Section("seances", "Examens en séance du groupe", records)
