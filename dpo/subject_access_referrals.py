"""The referrals' section of the subject-access file (GDPR art. 15), through `audit.subject_access`'s
extension point: registered when the app is ready."""

from casework.models import Person, Situation
from dpo.subject_access import THIRD_PARTY, TO_REVIEW, Record, Section, section, staff_name
from referrals.models import Referral


@section
def referrals_section(person: Person, situations: list[Situation]) -> Section:
    records = []
    referrals = Referral.objects.filter(situation__in=situations).select_related(
        "situation", "scheme__operator", "proposed_by", "decline_reason", "outcome", "data_key"
    )
    for referral in referrals.order_by("proposed_at"):
        record = Record(f"Orientation — {referral.situation.reference}")
        record.add("Dispositif", referral.scheme)
        record.add("Partenaire opérateur", referral.scheme.operator)
        record.add("État", referral.get_state_display())
        record.add("Proposée le", referral.proposed_at)
        record.add("Proposée par", staff_name(referral.proposed_by), THIRD_PARTY)
        record.add("Justification", referral.justification, TO_REVIEW)
        record.add("Envoyée le", referral.sent_at)
        record.add("Réponse attendue le", referral.deadline)
        record.add("Réponse le", referral.answered_at)
        record.add("Motif de refus", referral.decline_reason or "")
        record.add("Commencée le", referral.started_at)
        record.add("Issue", referral.outcome or "")
        record.add("Close le", referral.ended_at)
        records.append(record)
    return Section("orientations", "Orientations", records)
