"""State changes on situations, people and notes. Each function is atomic and grants what it must."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import ledger
from access.models import CASE_ROLES, DataKey, Partner, Reason, Role
from access.permissions import coordination_group, is_coordinator, membership_of
from audit.models import Kind
from audit.services import security_record
from casework import matching, selectors
from casework.closing import closing_run
from casework.models import (
    Association,
    ClosureReason,
    ConsentJustification,
    Information,
    Note,
    Person,
    ReferenceCounter,
    RetentionRule,
    Signalement,
    Situation,
    YouthOutcome,
)
from core.keyring import data_key_cache, get_keyring
from core.refusal import Refusal
from notifications.models import Notification
from notifications.services import notification_queue

# Bounds of a retention period the DPO may set.
MINIMUM_RETENTION_DAYS = 30
MAXIMUM_RETENTION_DAYS = 3650


class ConsentJustificationRequired(Refusal):
    """The family refused and the deployment's policy asks for a written justification."""


# The least a justification written despite a refusal may say.
CONSENT_JUSTIFICATION_MIN = 20


class ConflictError(Exception):
    """The situation changed since the form was displayed."""


class ReadOnlySituationError(Exception):
    """Nothing may be written to this situation any more."""


class ClosedSituationError(ReadOnlySituationError):
    """A closed situation is read-only; a new saisine reopens the follow-up."""


class RestrictedSituationError(ReadOnlySituationError):
    """Art. 18 GDPR: a restricted situation is kept, never processed."""


def _ensure_writable(situation: Situation) -> None:
    if situation.is_closed:
        raise ClosedSituationError(situation.reference)
    if situation.restricted:
        raise RestrictedSituationError(situation.reference)


@dataclass(frozen=True)
class Identity:
    last_name: str
    first_name: str
    birth_date: datetime.date
    address: str = ""
    phone: str = ""
    school: str = ""
    legal_representatives: str = ""
    gender: str = ""
    territory_id: int | None = None


def _apply_identity(person: Person, identity: Identity) -> None:
    person.last_name = identity.last_name.strip()
    person.first_name = identity.first_name.strip()
    person.birth_date = identity.birth_date
    person.address = identity.address or None
    person.phone = identity.phone or None
    person.school = identity.school or None
    person.legal_representatives = identity.legal_representatives or None
    person.birth_year = identity.birth_date.year
    person.gender = identity.gender
    person.territory_id = identity.territory_id
    for field, value in matching.person_match_fields(
        identity.last_name, identity.first_name, identity.birth_date
    ).items():
        setattr(person, field, value)


def person_create(*, identity: Identity, data_key: DataKey, is_fictional: bool = False) -> Person:
    person = Person(data_key=data_key, is_fictional=is_fictional)
    _apply_identity(person, identity)
    person.save(force_insert=True)
    return person


def _next_reference(year: int) -> str:
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(year=year).last
    return f"GSN-{year}-{number:04d}"


@transaction.atomic
def situation_create(
    *,
    by,
    source,
    received_on: datetime.date,
    motifs,
    identity: Identity | None,
    motif_details: str = "",
    is_fictional: bool = False,
) -> Situation:
    """Record a saisine. Without `identity` the situation is anonymous (no Person)."""
    data_key = DataKey.generate()
    person = person_create(identity=identity, data_key=data_key, is_fictional=is_fictional) if identity else None
    return _saisine_record(
        by=by,
        person=person,
        data_key=data_key,
        source=source,
        received_on=received_on,
        motifs=motifs,
        motif_details=motif_details,
    )


# What the intake form says about situations of the young person that the user cannot see.
NO_HIDDEN_NOTICE = ""
# « Une situation à laquelle vous n'avez pas accès pourrait concerner ce jeune : contactez le coordonnateur. »
HIDDEN_NOTICE = "situation_cachee"
# Beyond the daily limit: « contactez le coordonnateur » only, on every check, whether or not one exists.
LIMIT_NOTICE = "limite_atteinte"
# `detail` of a HIDDEN_DUPLICATE event given beyond the daily limit (dpo/anomalies.py counts them).
BEYOND_LIMIT_DETAIL = "au-delà de la limite quotidienne"


@transaction.atomic
def hidden_duplicate_notice(*, by, hidden_exists: bool) -> str:
    """Which notice the intake form shows `by` about situations of this young person they cannot see.

    Telling someone that the group follows a young person they do not follow is itself a disclosure:
    each such notice is a security event, and after PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY of them
    in a day the form stops saying whether a situation exists. From then on it asks to contact the
    coordinator after every check of an identity, found or not, so that the notice no longer answers
    the question; a hidden situation found is still recorded.
    """
    # One check at a time per person, so that parallel submissions cannot overrun the limit.
    list(get_user_model().objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True))
    beyond = selectors.hidden_duplicate_notices_today(by) >= settings.PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY
    if hidden_exists:
        security_record(Kind.HIDDEN_DUPLICATE, user=by, detail=BEYOND_LIMIT_DETAIL if beyond else "")
    if beyond:
        return LIMIT_NOTICE
    return HIDDEN_NOTICE if hidden_exists else NO_HIDDEN_NOTICE


def _saisine_record(*, by, person, data_key, source, received_on, motifs, motif_details, previous=None) -> Situation:
    membership = membership_of(by)
    if membership is None:
        raise PermissionError("only a member of a partner can record a situation")
    situation = Situation(
        reference=_next_reference(received_on.year),
        person=person,
        previous=previous,
        data_key=data_key,
        referring_partner=membership.partner,
        source=source,
        received_on=received_on,
        status_since=received_on,
        motif_details=motif_details or None,
        created_by=by,
    )
    situation.save(force_insert=True)
    situation.motifs.set(motifs)
    ledger.grant(
        situation, group=membership.partner.group, reason=Reason.AUTHOR_PARTNER, by=by, codenames=ledger.READ_AND_CHANGE
    )
    ledger.grant(
        situation, group=coordination_group(), reason=Reason.COORDINATION, by=by, codenames=ledger.READ_AND_CHANGE
    )
    if previous is not None:
        _carry_forward(previous, situation, by=by, author_group=membership.partner.group)
    _notify_coordinators(situation, Notification.Kind.NEW_SAISINE, f"saisine:{situation.pk}", but=by)
    return situation


def _coordinators():
    return get_user_model().objects.filter(is_active=True, membership__role=Role.COORDINATOR)


def _notify_coordinators(situation: Situation, kind: str, dedupe_key: str, *, but=None) -> None:
    """A fixed sentence and a link to the situation for each coordinator (but the one who acted)."""
    link = reverse("casework:situation_detail", args=[situation.pk])
    for coordinator in _coordinators():
        if coordinator != but:
            notification_queue(recipient=coordinator, kind=kind, link=link, dedupe_key=dedupe_key)


def _carry_forward(previous: Situation, situation: Situation, *, by, author_group) -> None:
    """The partners that held the previous saisine keep reading the young person's follow-up (reason
    « saisine précédente »); the coordinator may end it. The coordination and the new author hold
    it for their own reasons already; an operator's or a séance's access does not carry over."""
    for group in ledger.group_holders(previous, exclude_reasons=(Reason.COORDINATION, Reason.SCHEME_OPERATOR)):
        if group != author_group:
            ledger.grant(
                situation,
                group=group,
                reason=Reason.PREVIOUS_SAISINE,
                by=by,
                source=previous,
                codenames=ledger.READ_AND_ANNOTATE,
            )


@transaction.atomic
def situation_reopen(
    *, situation_id, by, source, received_on: datetime.date, motifs, motif_details: str = ""
) -> Situation:
    """Reopen an ended follow-up: a new saisine of the same young person, linked to the old one,
    which stays as it was (closed situations are read-only)."""
    previous = Situation.objects.select_for_update(of=("self",)).select_related("person").get(pk=situation_id)
    if not previous.is_ended:
        raise ValueError(_("Seule une situation clôturée ou non retenue peut être rouverte."))
    if previous.restricted:
        raise RestrictedSituationError(previous.reference)
    if previous.reopenings.exists():
        raise ValueError(_("Cette situation a déjà été rouverte."))
    return _saisine_record(
        by=by,
        person=previous.person,
        data_key=previous.data_key,
        source=source,
        received_on=received_on,
        motifs=motifs,
        motif_details=motif_details,
        previous=previous,
    )


SITUATION_EDITABLE = (
    "source",
    "received_on",
    "motif_details",
    "status",
    "referent",
    "next_review_on",
    "danger",
    "youth_outcome",
)


@transaction.atomic
def situation_update(
    *, situation_id, by, expected_version: int, changes: dict, motifs=None, identity: Identity | None = None
) -> Situation:
    """Apply an edit if nobody saved the situation since `expected_version` was read."""
    situation = (
        Situation.objects.select_for_update(of=("self",)).select_related("person", "data_key").get(pk=situation_id)
    )
    if situation.version != expected_version:
        raise ConflictError(situation.reference)
    _ensure_writable(situation)
    unknown = set(changes) - set(SITUATION_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    new_status = changes.get("status", situation.status)
    if new_status == Situation.Status.CLOSED:
        raise ValueError(_("Une situation se clôture avec un motif et une date : utilisez « Clôturer »."))
    if changes.get("youth_outcome") and new_status != Situation.Status.NOT_RETAINED:
        raise ValueError(_("La situation du jeune en fin de suivi ne s'indique ici que pour une saisine non retenue."))
    if new_status not in situation.allowed_statuses():
        raise ValueError(
            _("Le statut « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": situation.get_status_display(), "to": Situation.Status(new_status).label}
        )
    previous_referent = situation.referent
    if new_status != situation.status:
        situation.status_since = timezone.localdate()
    for field, value in changes.items():
        setattr(situation, field, value)
    situation.version += 1
    situation.save()
    if motifs is not None:
        situation.motifs.set(motifs)
    if identity is not None and situation.person is not None:
        _apply_identity(situation.person, identity)
        situation.person.save()
    if situation.referent != previous_referent:
        if previous_referent is not None:
            ledger.end(situation, user=previous_referent, reason=Reason.REFERENT, by=by)
        if situation.referent is not None:
            ledger.grant(
                situation, user=situation.referent, reason=Reason.REFERENT, by=by, codenames=ledger.READ_AND_CHANGE
            )
            if situation.referent != by:
                notification_queue(
                    recipient=situation.referent,
                    kind=Notification.Kind.REFERENT_NAMED,
                    link=reverse("casework:situation_detail", args=[situation.pk]),
                    dedupe_key=f"referent:{situation.pk}:{situation.version}",
                )
    return situation


def review_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell the référent and the coordination that a situation's review date has come (Celery beat,
    daily). One notification per person and per review date: a run repeated the same day, or the
    next day, sends nothing new; a new date set at the review gives a new reminder. Return how many
    reminders this run sent (one per person and situation), so that a beat result or a log line
    reads « 0 » on a run that found only situations already reminded."""
    today = today or timezone.localdate()
    due = Situation.objects.filter(
        status__in=(Situation.Status.EXAMINED, Situation.Status.ACTIVE),
        restricted=False,
        next_review_on__lte=today,
    ).select_related("referent")
    coordination = list(_coordinators())
    sent = 0
    for situation in due.iterator():
        link = reverse("casework:situation_detail", args=[situation.pk])
        dedupe_key = f"review:{situation.pk}:{situation.next_review_on.isoformat()}"
        recipients = {
            *coordination,
            *([situation.referent] if situation.referent and situation.referent.is_active else []),
        }
        reminded = set(Notification.objects.filter(dedupe_key=dedupe_key).values_list("recipient_id", flat=True))
        with transaction.atomic():
            for user in recipients:
                if user.pk in reminded:
                    continue
                notification_queue(recipient=user, kind=Notification.Kind.REVIEW_DUE, link=link, dedupe_key=dedupe_key)
                sent += 1
    return sent


@transaction.atomic
def situation_close(
    *, situation_id, by, expected_version: int, reason: ClosureReason, closed_on: datetime.date, outcome: str
) -> Situation:
    """Close an active follow-up with a coded reason, a date and where the young person stands
    (`outcome`, a `YouthOutcome`); from then on it is read-only and its retention period runs from
    `closed_on`. What hangs on it ends with it (`casework.closing`): open referrals, pending steps
    of the plan, and the time-limited grants of the ledger."""
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation_id)
    if situation.version != expected_version:
        raise ConflictError(situation.reference)
    _ensure_writable(situation)
    if Situation.Status.CLOSED not in Situation.TRANSITIONS[Situation.Status(situation.status)]:
        raise ValueError(_("Seule une situation en suivi actif peut être clôturée."))
    if closed_on > timezone.localdate() or closed_on < situation.received_on:
        raise ValueError(_("La date de clôture doit se situer entre la saisine et aujourd'hui."))
    if outcome not in YouthOutcome.values:
        raise ValueError(_("Indiquez la situation du jeune à la fin du suivi."))
    return _close(situation, by=by, reason=reason, closed_on=closed_on, outcome=outcome)


def _close(
    situation: Situation, *, by, reason: ClosureReason, closed_on: datetime.date, outcome: str = ""
) -> Situation:
    situation.status = Situation.Status.CLOSED
    situation.youth_outcome = outcome
    situation.status_since = closed_on
    situation.closure_reason = reason
    situation.closed_on = closed_on
    situation.version += 1
    situation.save()
    # Operators, séance attendees, associated partners and break-glass readers keep the grace period
    # to finish their notes, then lose the situation; those who follow the young person keep it.
    grace = timezone.now() + datetime.timedelta(days=settings.PARCOURS_REFERRAL_GRACE_DAYS)
    # Open referrals end (their operators are told) and pending steps are closed, by the apps that own them.
    closing_run(situation, by=by, grace_until=grace)
    ledger.end_reasons(situation, by=by, at=grace)
    return situation


# The coded closure reason of an upheld objection (casework/migrations/0006).
OBJECTION_CLOSURE = "opposition"


@transaction.atomic
def situation_close_on_objection(*, situation_id, by) -> Situation | None:
    """Close a situation because the person's objection (GDPR art. 21) was upheld, whatever its
    status: received, examined or followed. An ended situation is left as it is (None)."""
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation_id)
    if situation.is_ended:
        return None
    reason = ClosureReason.objects.get(code=OBJECTION_CLOSURE)
    return _close(situation, by=by, reason=reason, closed_on=timezone.localdate())


@transaction.atomic
def situation_restrict(*, situation_id, by, restricted: bool) -> Situation:
    """Restrict (art. 18 GDPR) or lift the restriction, at the DPO's or the coordinator's hand.

    A restricted situation is kept but read only by the coordination (see
    `access.ledger.readable_filter`) and written by no one.
    """

    membership = membership_of(by)
    if membership is None or membership.role not in (Role.DPO, Role.COORDINATOR):
        raise PermissionError("only the DPO or a coordinator restricts a situation")
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation_id)
    if situation.restricted == restricted:
        return situation
    situation.restricted = restricted
    situation.version += 1
    situation.save()
    security_record(
        Kind.RESTRICTED if restricted else Kind.RESTRICTION_LIFTED,
        user=by,
        obj=situation,
        situation_reference=situation.reference,
    )
    return situation


@transaction.atomic
def information_record(
    *,
    situation: Situation,
    by,
    recipient: str,
    informed_on: datetime.date,
    mode: str,
    response: str,
    label: str = "",
) -> Information:
    """Record that the young person or a legal representative was informed (GDPR art. 13/14)."""
    _ensure_writable(situation)
    if informed_on > timezone.localdate():
        raise ValueError(_("La date de l'information ne peut pas être dans le futur."))
    information = Information(
        situation=situation,
        data_key=situation.data_key,
        recipient=recipient,
        label=label.strip() or None,
        informed_on=informed_on,
        mode=mode,
        response=response,
        recorded_by=by,
    )
    information.save(force_insert=True)
    return information


@transaction.atomic
def note_create(*, situation: Situation, by, body: str, visibility: str) -> Note:
    _ensure_writable(situation)
    membership = membership_of(by)
    note = Note(
        situation=situation,
        data_key=situation.data_key,
        author=by,
        partner=membership.partner,
        body=body,
        visibility=visibility,
        created_at=timezone.now(),
    )
    note.save(force_insert=True)
    return note


@transaction.atomic
def retention_rule_set(*, status: str, days: int, dpia_reference: str, by) -> RetentionRule:
    """The DPO sets a retention period; the change is a security event (old and new values)."""

    membership = membership_of(by)
    if membership is None or membership.role != Role.DPO:
        raise PermissionError("only the DPO sets retention periods")
    if not MINIMUM_RETENTION_DAYS <= days <= MAXIMUM_RETENTION_DAYS:
        raise ValueError(f"retention must lie between {MINIMUM_RETENTION_DAYS} and {MAXIMUM_RETENTION_DAYS} days")
    rule = RetentionRule.objects.select_for_update().filter(status=status).first() or RetentionRule(status=status)
    before = f"{rule.days} j" if rule.pk else "—"
    if rule.pk and rule.days == days and rule.dpia_reference == dpia_reference:
        return rule
    rule.days, rule.dpia_reference = days, dpia_reference.strip()
    rule.updated_by, rule.updated_at = by, timezone.now()
    rule.save()
    security_record(
        Kind.RETENTION_CHANGED,
        user=by,
        detail=f"{status} : {before} → {days} j (AIPD {rule.dpia_reference})"[:200],
    )
    return rule


# --- Partners associated by the group -------------------------------------------------------------------

ASSOCIATION_MIN_MOTIVE = 10


@transaction.atomic
def partner_associate(
    *, situation_id, partner: Partner, by, motive: str, until: datetime.date | None = None, notify: bool = True
) -> Association:
    """Involve `partner` in a situation: its staff read it (identity, motifs, notes shared with the
    group) and write notes, until the end of `until` or until the coordinator ends it.

    The partner's staff are told through the outbox (a fixed sentence and a link, no personal data),
    unless the caller told them already (`notify=False`: a séance's « action demandée »).
    """
    if not is_coordinator(by):
        raise Refusal(_("Seul le coordonnateur associe un partenaire à une situation."))
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation_id)
    if situation.is_ended:
        raise Refusal(_("Cette situation est close ou non retenue : aucun partenaire ne peut y être associé."))
    if situation.restricted:
        raise Refusal(_("Cette situation fait l'objet d'une limitation du traitement."))
    if not partner.may_share:
        raise Refusal(
            _("%(partner)s n'a pas signé la charte déontologique ou n'est plus actif : il ne peut pas être associé.")
            % {"partner": partner}
        )
    motive = motive.strip()
    if len(motive) < ASSOCIATION_MIN_MOTIVE:
        raise Refusal(
            _("Indiquez en au moins %(count)d caractères pourquoi ce partenaire est associé.")
            % {"count": ASSOCIATION_MIN_MOTIVE}
        )
    if until is not None and until < timezone.localdate():
        raise Refusal(_("La date de fin ne peut pas être passée."))
    association = Association.objects.create(
        situation=situation, partner=partner, data_key=situation.data_key, motive=motive, created_by=by
    )
    ledger.grant(
        situation,
        group=partner.group,
        reason=Reason.ASSOCIATED_PARTNER,
        by=by,
        source=association,
        codenames=ledger.READ_AND_ANNOTATE,
        expires_at=_end_of(until),
    )
    if notify:
        _notify_association(association)
    return association


def _notify_association(association: Association) -> None:
    link = reverse("casework:situation_detail", args=[association.situation_id])
    partner = association.partner
    for member in get_user_model().objects.filter(
        is_active=True, membership__partner=partner, membership__role__in=CASE_ROLES
    ):
        notification_queue(
            recipient=member,
            kind=Notification.Kind.PARTNER_ASSOCIATED,
            link=link,
            dedupe_key=f"association:{association.pk}",
        )


def _end_of(day: datetime.date | None) -> datetime.datetime | None:
    """The first moment after `day`, local time: an association « jusqu'au 15/12 » covers the 15th."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


@transaction.atomic
def association_end(*, association_id, by) -> Association:
    """The coordinator ends an association now: the partner's staff lose the situation at once
    (unless the partner holds it for another reason)."""
    if not is_coordinator(by):
        raise Refusal(_("Seul le coordonnateur met fin à l'association d'un partenaire."))
    association = Association.objects.select_related("situation").get(pk=association_id)
    if not ledger.end_caused_by(association, by=by, situation=association.situation):
        raise Refusal(_("Cette association a déjà pris fin."))
    return association


@transaction.atomic
def previous_partner_end(*, situation_id, group_id, by) -> int:
    """The coordinator ends a partner's access carried forward from the previous saisine."""
    if not is_coordinator(by):
        raise Refusal(_("Seul le coordonnateur retire un droit."))
    situation = Situation.objects.get(pk=situation_id)
    group = Group.objects.get(pk=group_id)
    ended = ledger.end(situation, group=group, reason=Reason.PREVIOUS_SAISINE, by=by, any_source=True)
    if not ended:
        raise Refusal(_("Ce droit a déjà pris fin."))
    return ended


# --- Merging two records of the same young person -------------------------------------------------------


def _rows_under_key(old_key: DataKey):
    """Every row of every model encrypted under `old_key`, with the encrypted fields that key protects.

    Found through the app registry rather than imported, so that casework reaches the séances',
    referrals' and DPO's rows without importing the apps above it."""
    for model in django_apps.get_models():
        for key_field in model._meta.get_fields():
            if not (key_field.many_to_one and key_field.concrete and key_field.related_model is DataKey):
                continue
            encrypted = [
                field
                for field in model._meta.concrete_fields
                if getattr(field, "encrypted", False) and field.key_field == key_field.name
            ]
            rows = model._base_manager.filter(**{key_field.attname: old_key.pk})
            yield model, key_field, encrypted, rows


def _reencrypt(old_key: DataKey, new_key: DataKey, *, skip) -> int:
    """Re-encrypt every value under `old_key` with `new_key` (the associated data, bound to the row,
    is unchanged); one UPDATE per row, which fires no signal and writes no plaintext anywhere."""
    moved = 0
    for model, key_field, encrypted, rows in _rows_under_key(old_key):
        for row in rows.exclude(pk__in=[obj.pk for obj in skip if isinstance(obj, model)]):
            values = {field.attname: getattr(row, field.attname) for field in encrypted}
            setattr(row, key_field.name, new_key)
            sealed = {
                name: None if value is None else row._meta.get_field(name).seal(row, value)
                for name, value in values.items()
            }
            model._base_manager.filter(pk=row.pk).update(**{key_field.attname: new_key.pk}, **sealed)
            moved += 1
    return moved


@transaction.atomic
def person_merge(*, kept_id, merged_id, by) -> Person:
    """Merge two records of the same young person: `merged` disappears into `kept`, for good.

    The situations (with their notes, information records, grants and everything attached to them)
    and the rights requests move to the kept person; every value encrypted under the merged
    person's data key is re-encrypted under the kept person's; then the merged record is deleted
    with its match keys and its data key destroyed, so that no copy of the old ciphertext can be read
    again. Un-merging is impossible by design. One security event per reference of both records puts
    the merge in the DPO's history of each of them.
    """
    if not is_coordinator(by):
        raise Refusal(_("Seul le coordonnateur peut fusionner deux fiches."))
    if str(kept_id) == str(merged_id):
        raise Refusal(_("Choisissez deux fiches différentes."))
    people = {str(p.pk): p for p in Person.objects.select_for_update().filter(pk__in=[kept_id, merged_id])}
    if len(people) != 2:
        raise Refusal(_("Une des deux fiches n'existe plus : elle a peut-être déjà été fusionnée ou purgée."))
    kept, merged = people[str(kept_id)], people[str(merged_id)]
    kept_refs = list(Situation.objects.filter(person=kept).order_by("received_on").values_list("reference", flat=True))
    merged_refs = list(
        Situation.objects.filter(person=merged).order_by("received_on").values_list("reference", flat=True)
    )
    old_key = merged.data_key
    _reencrypt(old_key, kept.data_key, skip=[merged])
    for relation in Person._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            relation.related_model._base_manager.filter(**{relation.field.name: merged}).update(
                **{relation.field.name: kept}
            )
    merged.delete()
    old_key.destroy()
    # The kept person's keys are recomputed, so that they are under the current blind-index key.
    Person.objects.filter(pk=kept.pk).update(
        **matching.person_match_fields(kept.last_name, kept.first_name, kept.birth_date)
    )
    detail = f"fiche de {' '.join(merged_refs) or '—'} fusionnée dans celle de {' '.join(kept_refs) or '—'}"
    for reference in [*kept_refs, *merged_refs]:
        security_record(Kind.PERSON_MERGE, user=by, situation_reference=reference, detail=detail)
    return kept


# --- Blind-index key rotation ---------------------------------------------------------------------------


def _stale_people():
    """People whose blind index and match keys are not under the writing blind-index key (or were
    never computed, for people recorded before match keys existed)."""
    return Person.objects.exclude(index_key=get_keyring().index_key.fingerprint)


def match_keys_rotate(*, batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the blind index and match keys of every stale person under the writing key; return
    how many were recomputed.

    Run with the new key loaded beside the old one (PARCOURS_BLIND_INDEX_KEY_NEXT): lookups keep
    working on both kinds of rows meanwhile. Each batch is its own transaction, so the command can
    be interrupted and resumed: a rerun picks up the people still stale. Identities are decrypted in
    memory only, one batch at a time.
    """
    fingerprint = get_keyring().index_key.fingerprint
    total = _stale_people().count()
    done = 0
    last_pk = None
    while True:
        batch = _stale_people().order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        batch = list(batch.select_related("data_key")[:batch_size])
        if not batch:
            break
        with transaction.atomic(), data_key_cache():
            for person in batch:
                fields = matching.person_match_fields(person.last_name, person.first_name, person.birth_date)
                # Conditional: a person edited meanwhile already has keys under the writing key.
                done += Person.objects.filter(pk=person.pk).exclude(index_key=fingerprint).update(**fields)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(done, total)
    return done


# --- Consent that counts --------------------------------------------------------------------------------


def consent_gate(*, situation: Situation, by, action: str, justification: str = "") -> ConsentJustification | None:
    """Apply PARCOURS_CONSENT_POLICY before orienting a young person or putting their situation on a
    séance's agenda, when they or their family refused: « refus » refuses; « justification » asks
    for a written reason, stored encrypted (returned) for the group to read and the DPO to list;
    « libre » lets it go. Without a refusal, nothing is asked."""
    if not selectors.consent_refused(situation):
        return None
    policy = settings.PARCOURS_CONSENT_POLICY
    if policy == "libre":
        return None
    if policy == "refus":
        raise Refusal(
            _(
                "Le ou la jeune ou sa famille a refusé : dans ce groupe, une situation refusée n'est ni orientée "
                "ni inscrite à une séance. Enregistrez d'abord une nouvelle réponse si elle a changé."
            )
        )
    justification = justification.strip()
    if len(justification) < CONSENT_JUSTIFICATION_MIN:
        raise ConsentJustificationRequired(
            _(
                "Le ou la jeune ou sa famille a refusé : justifiez en au moins %(count)d caractères pourquoi le "
                "groupe poursuit malgré ce refus. Cette justification est lue par le groupe et recensée par le DPO."
            )
            % {"count": CONSENT_JUSTIFICATION_MIN}
        )
    return ConsentJustification.objects.create(
        situation=situation,
        data_key_id=situation.data_key_id,
        action=action,
        justification=justification,
        created_by=by,
    )


# --- Signalements ---------------------------------------------------------------------------------------


@transaction.atomic
def signalement_record(
    *,
    situation_id,
    by,
    sent_on: datetime.date,
    recipient: str,
    mode: str,
    comment: str = "",
) -> Signalement:
    """Record that the danger was reported (CRIP, prosecutor…): anyone who may change the situation.
    A trace, not the report itself: the report follows the reporter's institution's protocol."""
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation_id)
    if not ledger.holds(by, situation, ledger.CHANGE):
        raise Refusal(
            _("Seuls les partenaires qui suivent la situation et la coordination enregistrent un signalement.")
        )
    if situation.restricted:
        raise Refusal(_("Cette situation fait l'objet d'une limitation du traitement."))
    if sent_on > timezone.localdate() or sent_on < situation.received_on:
        raise Refusal(_("La date de transmission doit se situer entre la saisine et aujourd'hui."))
    if recipient not in Signalement.Recipient.values or mode not in Signalement.Mode.values:
        raise Refusal(_("Choisissez le destinataire et le mode de transmission."))
    return Signalement.objects.create(
        situation=situation,
        data_key_id=situation.data_key_id,
        sent_on=sent_on,
        recipient=recipient,
        mode=mode,
        comment=comment.strip() or None,
        recorded_by=by,
    )
