"""The séances' section of the subject-access file (GDPR art. 15), through `audit.subject_access`'s
extension point: the points where the young person's situations were examined, with the decisions,
the review summaries, the actions asked and the addenda. Registered when the app is ready."""

from casework.models import Person, Situation
from dpo.subject_access import THIRD_PARTY, TO_REVIEW, Record, Section, section, staff_name
from seances.models import AgendaItem, Objective, Step


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
    objectives = Objective.objects.filter(situation__in=situations).select_related("situation", "data_key")
    for objective in objectives.order_by("created_at"):
        record = Record(f"Objectif du plan d'accompagnement — {objective.situation.reference}")
        record.add("Domaine", objective.get_domain_display())
        record.add("Objectif", objective.label, TO_REVIEW)
        record.add("État", objective.get_status_display())
        records.append(record)
    steps = Step.objects.filter(situation__in=situations).select_related("situation", "partner", "data_key")
    for step in steps.order_by("due_on"):
        record = Record(f"Étape du plan (action demandée) — {step.situation.reference}")
        record.add("Partenaire responsable", step.partner)
        record.add("Étape", step.label, TO_REVIEW)
        record.add("Échéance", step.due_on)
        record.add("État", step.get_status_display())
        record.add("Close le", step.ended_on)
        if step.abandon_reason:
            record.add("Motif de l'abandon", step.abandon_reason, TO_REVIEW)
        records.append(record)
    return Section("seances", "Examens en séance du groupe et plan d'accompagnement", records)
