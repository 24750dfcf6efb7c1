"""The subject-access file (GDPR art. 15): everything held about one young person, decrypted, with
third-party data marked for the DPO to redact, and the list of who accessed the file.

The file is a list of sections, each built by one function of `SECTIONS`. Another app adds what it
holds with `@section` (referrals, say): the export then carries it without any change here.

Each field carries a redaction mark:
- `tiers`: about someone else (a professional's name, a family member) — the DPO decides whether the
  young person may receive it;
- `a_relire`: free text written by professionals, which may name third parties — to be read through.
"""

import base64
import datetime
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from access.models import BreakGlassAccess
from audit.models import Event
from casework.models import ConsentJustification, Information, Note, Person, Signalement, Situation
from core.pdf import pdf_render
from core.refusal import Refusal
from dpo.models import RightsRequest, SubjectAccessFile

THIRD_PARTY = "tiers"
TO_REVIEW = "a_relire"


@dataclass
class Field:
    label: str
    value: str
    redaction: str = ""


@dataclass
class Record:
    title: str
    fields: list[Field] = field(default_factory=list)

    def add(self, label: str, value, redaction: str = "") -> None:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
        elif isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        self.fields.append(Field(label, "" if value is None else str(value), redaction))


@dataclass
class Section:
    key: str
    title: str
    records: list[Record] = field(default_factory=list)
    # Many short records of the same shape: one table row each in the PDF, which keeps a history of
    # thousands of reads to a few pages and seconds.
    tabular: bool = False


SectionBuilder = Callable[[Person, list[Situation]], Section]
SECTIONS: list[SectionBuilder] = []


def section(builder: SectionBuilder) -> SectionBuilder:
    SECTIONS.append(builder)
    return builder


def staff_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


@section
def identity_section(person: Person, situations: list[Situation]) -> Section:
    record = Record("Identité")
    record.add("Nom", person.last_name)
    record.add("Prénom", person.first_name)
    record.add("Date de naissance", person.birth_date)
    record.add("Genre", person.get_gender_display())
    record.add("Quartier", person.territory)
    record.add("Adresse", person.address)
    record.add("Téléphone", person.phone)
    record.add("Établissement scolaire ou structure", person.school)
    record.add("Représentants légaux", person.legal_representatives, THIRD_PARTY)
    record.add("Enregistrée le", person.created_at)
    return Section("identite", "Identité", [record])


@section
def situations_section(person: Person, situations: list[Situation]) -> Section:
    records = []
    for situation in situations:
        record = Record(f"Situation {situation.reference}")
        record.add("Référence", situation.reference)
        record.add("Saisine du", situation.received_on)
        record.add("Partenaire à l'origine", situation.referring_partner)
        record.add("Source", situation.source)
        record.add("Motifs", ", ".join(motif.label for motif in situation.motifs.all()))
        record.add("Précisions sur les motifs", situation.motif_details, TO_REVIEW)
        record.add("Statut", f"{situation.get_status_display()} depuis le {situation.status_since:%d/%m/%Y}")
        record.add("Référent·e de parcours", staff_name(situation.referent), THIRD_PARTY)
        record.add("Prochain examen", situation.next_review_on)
        record.add(
            "Clôture", f"{situation.closure_reason} le {situation.closed_on:%d/%m/%Y}" if situation.closed_on else ""
        )
        record.add("Situation du jeune à la fin du suivi", situation.get_youth_outcome_display())
        record.add("Saisine précédente", situation.previous.reference if situation.previous else "")
        record.add("Signalement « enfant en danger » (rappel CRIP)", "oui" if situation.danger else "non")
        record.add("Traitement limité (art. 18)", "oui" if situation.restricted else "non")
        records.append(record)
    for signalement in Signalement.objects.filter(situation__in=situations).select_related(
        "situation", "recorded_by", "data_key"
    ):
        record = Record(f"Transmission (signalement) — {signalement.situation.reference}")
        record.add("Transmis le", signalement.sent_on)
        record.add("Destinataire", signalement.get_recipient_display())
        record.add("Mode", signalement.get_mode_display())
        record.add("Commentaire", signalement.comment, TO_REVIEW)
        record.add("Enregistré par", staff_name(signalement.recorded_by), THIRD_PARTY)
        records.append(record)
    return Section("situations", "Situations", records)


@section
def informations_section(person: Person, situations: list[Situation]) -> Section:
    records = []
    informations = Information.objects.filter(situation__in=situations).select_related("situation", "recorded_by")
    for information in informations.order_by("informed_on"):
        record = Record(f"Information — {information.situation.reference}")
        record.add("Personne informée", information.get_recipient_display())
        record.add("Précision", information.label, THIRD_PARTY)
        record.add("Date", information.informed_on)
        record.add("Mode", information.get_mode_display())
        record.add("Réponse", information.get_response_display())
        record.add("Enregistrée par", staff_name(information.recorded_by), THIRD_PARTY)
        records.append(record)
    justifications = ConsentJustification.objects.filter(situation__in=situations).select_related(
        "situation", "created_by", "data_key"
    )
    for justification in justifications.order_by("created_at"):
        record = Record(f"Poursuite malgré le refus — {justification.situation.reference}")
        record.add("Acte", justification.get_action_display())
        record.add("Date", justification.created_at.date())
        record.add("Justification", justification.justification, TO_REVIEW)
        record.add("Écrite par", staff_name(justification.created_by), THIRD_PARTY)
        records.append(record)
    return Section("informations", "Information du jeune et de sa famille", records)


@section
def notes_section(person: Person, situations: list[Situation]) -> Section:
    records = []
    notes = Note.objects.filter(situation__in=situations).select_related("situation", "author", "partner")
    for note in notes.order_by("created_at"):
        record = Record(f"Note — {note.situation.reference}")
        record.add("Date", note.created_at)
        record.add("Auteur", staff_name(note.author), THIRD_PARTY)
        record.add("Partenaire", note.partner)
        record.add("Visibilité", note.get_visibility_display())
        record.add("Texte", note.body, TO_REVIEW)
        records.append(record)
    return Section("notes", "Notes", records)


@section
def break_glass_section(person: Person, situations: list[Situation]) -> Section:
    records = []
    accesses = BreakGlassAccess.objects.filter(situation__in=situations).select_related("situation", "user")
    for access in accesses.order_by("opened_at"):
        record = Record(f"Accès exceptionnel — {access.situation.reference}")
        record.add("Ouvert le", access.opened_at)
        record.add("Par", staff_name(access.user), THIRD_PARTY)
        record.add("Motif écrit", access.reason, TO_REVIEW)
        records.append(record)
    return Section("acces_exceptionnels", "Accès exceptionnels", records)


@section
def access_history_section(person: Person, situations: list[Situation]) -> Section:
    """Who accessed the file: every event of the audit trail that names one of its references."""
    records = []
    events = (
        Event.objects.filter(situation_reference__in=[s.reference for s in situations])
        .select_related("user", "partner")
        .order_by("at", "id")
    )
    for event in events.iterator(chunk_size=2000):
        record = Record(f"{event.situation_reference} — {event.get_kind_display()}")
        record.add("Date", event.at)
        record.add("Utilisateur", staff_name(event.user), THIRD_PARTY)
        record.add("Partenaire", event.partner or "")
        record.add("Écran", event.screen)
        record.add("Finalité", event.get_purpose_display())
        records.append(record)
    return Section("consultations", "Consultations et opérations enregistrées", records, tabular=True)


@dataclass
class SubjectAccessFileContent:
    generated_at: str
    request: str
    controller: str
    sections: list[Section]

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def subject_access_content(
    person: Person, *, request_label: str, progress: Callable[[int], None] | None = None
) -> SubjectAccessFileContent:
    situations = list(
        Situation.objects.filter(person=person)
        .select_related("referring_partner", "source", "referent", "closure_reason", "previous", "data_key")
        .prefetch_related("motifs")
        .order_by("received_on")
    )
    sections = []
    for done, builder in enumerate(SECTIONS, start=1):
        sections.append(builder(person, situations))
        if progress:
            # The PDF takes the last stretch.
            progress(int(80 * done / len(SECTIONS)))
    return SubjectAccessFileContent(
        generated_at=timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        request=request_label,
        controller=settings.PARCOURS_CONTROLLER,
        sections=sections,
    )


def access_export_build(*, request_id) -> None:
    """Build the file of a confirmed access request and store it encrypted with the person's key.

    Progress goes to the request row outside any transaction, so that the DPO's page sees it move.
    """
    request = RightsRequest.objects.select_related("person__data_key", "person__territory").get(pk=request_id)
    if request.kind != RightsRequest.Kind.ACCESS or request.confirmed_by_id is None:
        raise Refusal("an access file is produced only once a coordinator confirmed the request")
    if request.status != RightsRequest.Status.RUNNING:
        return
    person = request.person
    if person is None:
        RightsRequest.objects.filter(pk=request.pk).update(
            status=RightsRequest.Status.FAILED, finished_at=timezone.now(), outcome="personne effacée entre-temps"
        )
        return

    def progress(percent: int) -> None:
        RightsRequest.objects.filter(pk=request.pk).update(progress=percent)

    content = subject_access_content(person, request_label=f"n° {request.short_id}", progress=progress)
    pdf = pdf_render("dpo/subject_access_pdf.html", {"file": content, "request": request})
    with transaction.atomic():
        SubjectAccessFile.objects.filter(request=request).delete()
        SubjectAccessFile.objects.create(
            request=request,
            data_key=person.data_key,
            pdf=base64.b64encode(pdf).decode("ascii"),
            json=content.as_json(),
            expires_at=timezone.now() + datetime.timedelta(days=settings.PARCOURS_SUBJECT_ACCESS_DAYS),
        )
        RightsRequest.objects.filter(pk=request.pk).update(
            status=RightsRequest.Status.DONE,
            progress=100,
            finished_at=timezone.now(),
            outcome=f"{sum(len(s.records) for s in content.sections)} enregistrements",
        )
