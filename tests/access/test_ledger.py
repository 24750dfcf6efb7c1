"""The grant ledger: every access to a situation says why and until when; reads check it themselves."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access import ledger
from access.models import BreakGlassAccess, Reason, SituationGroupGrant, SituationUserGrant
from access.permissions import coordination_group
from access.services import break_glass_open
from audit.models import Event, Kind, Purpose
from casework import services
from casework.models import Association, ClosureReason, Note
from core.refusal import Refusal
from notifications.models import Notification
from referrals import services as referral_services
from tests.factories import make_scheme, make_situation
from tests.seances.helpers import running_seance

pytestmark = pytest.mark.django_db
REASON = "Appel de la police un samedi soir : il faut joindre le référent."


def detail(situation) -> str:
    return reverse("casework:situation_detail", args=[situation.pk])


def at(moment):
    return time_machine.travel(moment, tick=False)


def active(situation, by):
    for status in ("examinee", "suivi_actif")[["recue", "examinee", "suivi_actif"].index(situation.status) :]:
        situation = services.situation_update(
            situation_id=situation.pk, by=by, expected_version=situation.version, changes={"status": status}
        )
    return situation


def close(situation, by):
    situation = active(situation, by)
    return services.situation_close(
        situation_id=situation.pk,
        by=by,
        expected_version=situation.version,
        reason=ClosureReason.objects.get(code="objectifs-atteints"),
        closed_on=timezone.localdate(),
        outcome="scolarite",
    )


# --- The ledger itself -----------------------------------------------------------------------------------


def test_creation_grants_the_author_partner_and_the_coordination_with_their_reasons(alice):
    situation = make_situation(alice)

    rows = SituationGroupGrant.objects.filter(content_object=situation, permission__codename="view_situation")

    assert sorted(rows.values_list("group__name", "reason")) == sorted(
        [(alice.membership.partner.group.name, Reason.AUTHOR_PARTNER), (coordination_group().name, Reason.COORDINATION)]
    )
    assert set(rows.values_list("granted_by", flat=True)) == {alice.pk}


def test_granting_what_stands_already_writes_nothing(alice, bob, charlie):
    situation = make_situation(alice)
    assert ledger.grant(situation, user=bob, reason=Reason.REFERENT, by=charlie) == 1
    assert ledger.grant(situation, user=bob, reason=Reason.REFERENT, by=charlie) == 0
    assert SituationUserGrant.objects.filter(user=bob).count() == 1


def test_each_grant_and_end_is_a_security_event_naming_its_actor_and_reason(alice, bob, charlie):
    situation = make_situation(alice)

    ledger.grant(situation, user=bob, reason=Reason.REFERENT, by=charlie)
    ledger.end(situation, user=bob, reason=Reason.REFERENT, by=charlie)

    granted = Event.objects.filter(kind=Kind.GRANT, situation_reference=situation.reference).latest("id")
    ended = Event.objects.get(kind=Kind.REVOKE, situation_reference=situation.reference)
    assert (granted.user, ended.user) == (charlie, charlie)
    assert str(Reason.REFERENT.label) in granted.detail and str(Reason.REFERENT.label) in ended.detail


def test_ending_one_reason_leaves_another_standing(alice, bob, charlie):
    situation = make_situation(alice)
    ledger.grant(situation, user=bob, reason=Reason.REFERENT, by=charlie)
    ledger.grant(situation, user=bob, reason=Reason.SEANCE, by=charlie)

    ledger.end(situation, user=bob, reason=Reason.REFERENT, by=charlie)

    assert ledger.holds(bob, situation)
    assert ledger.reading_reason(bob, situation) == Reason.SEANCE
    ledger.end(situation, user=bob, reason=Reason.SEANCE, by=charlie)
    assert not ledger.holds(bob, situation)


def test_an_expiry_ends_the_grant_at_read_time_to_the_second(alice, bob, charlie):
    situation = make_situation(alice)
    ends = timezone.now() + datetime.timedelta(hours=1)
    ledger.grant(situation, user=bob, reason=Reason.SEANCE, by=charlie, expires_at=ends)

    with at(ends - datetime.timedelta(seconds=1)):
        assert ledger.holds(bob, situation)
    with at(ends + datetime.timedelta(seconds=1)):
        assert not ledger.holds(bob, situation)
    # Nothing was tidied: the row is still « live » in the table, yet reads no longer see it.
    assert SituationUserGrant.objects.get(user=bob).ended_at is None


def test_guardians_has_perm_answers_from_the_ledger(alice, bob, charlie):
    situation = make_situation(alice)
    ends = timezone.now() + datetime.timedelta(hours=1)
    ledger.grant(situation, user=bob, reason=Reason.SEANCE, by=charlie, expires_at=ends)

    assert bob.has_perm("casework.view_situation", situation)
    with at(ends + datetime.timedelta(seconds=1)):
        bob = type(bob).objects.get(pk=bob.pk)
        assert not bob.has_perm("casework.view_situation", situation)


def test_the_read_is_named_after_the_most_exceptional_reason_that_stands(alice, bob, charlie, maya):
    situation = make_situation(alice)
    ledger.grant(situation, user=bob, reason=Reason.REFERENT, by=charlie)
    assert (ledger.reading_reason(bob, situation), ledger.purpose_of(Reason.REFERENT)) == (
        Reason.REFERENT,
        Purpose.ROUTINE,
    )
    running_seance(charlie, [situation], [bob])
    assert ledger.reading_reason(bob, situation) == Reason.SEANCE
    # A partner that follows the situation reads it as such, even while one of its schemes has it.
    ledger.grant(situation, group=alice.membership.partner.group, reason=Reason.SCHEME_OPERATOR, by=charlie)
    assert ledger.reading_reason(alice, situation) == Reason.AUTHOR_PARTNER


# --- Associated partners ---------------------------------------------------------------------------------


def associate(client, situation, partner, **extra):
    data = {"partner": partner.pk, "motive": "Le collège suit l'assiduité de la jeune fille.", **extra}
    return client.post(reverse("casework:association_create", args=[situation.pk]), data)


def test_an_associated_partner_reads_and_writes_a_note_until_the_coordinator_ends_it(client_for, alice, bob, charlie):
    situation = make_situation(alice, last_name="Bernard")
    assert client_for(bob).get(detail(situation)).status_code == 404

    response = associate(client_for(charlie), situation, bob.membership.partner)

    assert response.status_code == 302
    page = client_for(bob).get(detail(situation)).content.decode()
    assert "BERNARD" in page and "Le collège suit" in page
    read = Event.objects.filter(kind=Kind.READ, user=bob, screen="situation_detail").latest("id")
    assert (read.purpose, read.grant_reason) == (Purpose.ROUTINE, Reason.ASSOCIATED_PARTNER)
    client_for(bob).post(
        reverse("casework:note_create", args=[situation.pk]),
        {"body": "Vue au collège ce matin.", "visibility": "groupe"},
    )
    assert Note.objects.filter(situation=situation, author=bob).count() == 1
    # Associated, not in charge: the situation itself stays out of reach.
    assert client_for(bob).get(reverse("casework:situation_edit", args=[situation.pk])).status_code == 404

    association = Association.objects.get()
    end_url = reverse("casework:association_end", args=[situation.pk, association.pk])
    assert client_for(charlie).post(end_url, {}).status_code == 200  # the confirmation is asked first
    assert client_for(bob).get(detail(situation)).status_code == 200
    client_for(charlie).post(end_url, {"confirm": "on"})

    assert client_for(bob).get(detail(situation)).status_code == 404
    row = SituationGroupGrant.objects.get(reason=Reason.ASSOCIATED_PARTNER, permission__codename="view_situation")
    assert (row.ended_by, row.source_id) == (charlie, str(association.pk))


def test_an_association_ends_by_itself_at_its_end_date(client_for, alice, bob, charlie):
    situation = make_situation(alice)
    until = timezone.localdate() + datetime.timedelta(days=3)
    associate(client_for(charlie), situation, bob.membership.partner, until=until.isoformat())
    end = timezone.make_aware(datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time()))

    with at(end - datetime.timedelta(seconds=1)):
        assert client_for(bob).get(detail(situation)).status_code == 200
    with at(end + datetime.timedelta(seconds=1)):
        assert client_for(bob).get(detail(situation)).status_code == 404


def test_the_associated_partner_is_notified_without_personal_data(
    client_for, alice, bob, charlie, django_capture_on_commit_callbacks
):
    situation = make_situation(alice, last_name="Bernard", first_name="Léa")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        associate(client_for(charlie), situation, bob.membership.partner)

    notification = Notification.objects.get(recipient=bob, kind=Notification.Kind.PARTNER_ASSOCIATED)
    assert notification.link == detail(situation) and notification.summary == ""
    sent = "".join(message.subject + message.body for message in mail.outbox)
    assert bob.email in {address for message in mail.outbox for address in message.to}
    for secret in ("Bernard", "BERNARD", "Léa", situation.reference, "assiduité"):
        assert secret not in sent


def test_only_the_coordinator_associates_and_a_partner_without_charter_is_refused(
    client_for, alice, bob, charlie, city
):
    from tests.factories import make_partner

    situation = make_situation(alice)
    assert associate(client_for(alice), situation, bob.membership.partner).status_code == 403
    unsigned = make_partner("Bailleur sans charte", signed=False)
    with pytest.raises(Refusal, match="charte"):
        services.partner_associate(
            situation_id=situation.pk, partner=unsigned, by=charlie, motive="Un motif suffisant."
        )
    assert not Association.objects.exists()


def test_a_seance_action_associates_the_partner_asked_to_act(alice, bob, charlie, client_for):
    from seances import services as seances

    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    seances.decision_record(
        seance_id=seance.pk,
        item_id=seance.items.get().pk,
        by=charlie,
        kind="action_demandee",
        partner=bob.membership.partner,
        action_label="Rencontrer la famille",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )

    assert client_for(bob).get(detail(situation)).status_code == 200
    row = SituationGroupGrant.objects.get(reason=Reason.ASSOCIATED_PARTNER, permission__codename="view_situation")
    assert row.expires_at is not None


# --- Reopening and closing -------------------------------------------------------------------------------


def test_reopening_keeps_the_previous_partners_access_until_the_coordinator_ends_it(client_for, alice, charlie):
    previous = close(make_situation(alice, last_name="Bernard"), charlie)
    reopened = services.situation_reopen(
        situation_id=previous.pk,
        by=charlie,
        source=previous.source,
        received_on=timezone.localdate(),
        motifs=list(previous.motifs.all()),
    )
    assert reopened.referring_partner == charlie.membership.partner

    assert client_for(alice).get(detail(reopened)).status_code == 200
    read = Event.objects.filter(kind=Kind.READ, user=alice, object_id=str(reopened.pk)).get()
    assert read.grant_reason == Reason.PREVIOUS_SAISINE

    group = alice.membership.partner.group
    url = reverse("casework:previous_partner_end", args=[reopened.pk, group.pk])
    client_for(charlie).post(url, {"confirm": "on"})
    assert client_for(alice).get(detail(reopened)).status_code == 404


def test_the_dpo_sees_who_could_read_why_and_the_reason_of_each_read(client_for, alice, charlie, dora):
    previous = close(make_situation(alice), charlie)
    reopened = services.situation_reopen(
        situation_id=previous.pk, by=charlie, source=previous.source, received_on=timezone.localdate(), motifs=[]
    )
    client_for(alice).get(detail(reopened))

    page = client_for(dora).get(reverse("dpo:situation", args=[reopened.reference])).content.decode()

    assert "Qui pouvait la lire" in page
    assert str(Reason.PREVIOUS_SAISINE.label) in page and str(Reason.COORDINATION.label) in page
    assert str(Reason.PREVIOUS_SAISINE.label) in page.split("Tous les événements")[1]


def test_closing_ends_the_operators_access_after_the_grace_period(client_for, alice, charlie, maya, settings):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 7
    situation = active(make_situation(alice), charlie)
    referral = referral_services.referral_propose(
        situation=situation, scheme=make_scheme(maya.membership.partner), by=alice
    )
    referral_services.referral_send(referral_id=referral.pk, by=alice)
    situation = close(situation, charlie)
    ends = SituationGroupGrant.objects.get(reason=Reason.SCHEME_OPERATOR).expires_at

    with at(ends - datetime.timedelta(seconds=1)):
        assert client_for(maya).get(detail(situation)).status_code == 200
    with at(ends + datetime.timedelta(seconds=1)):
        assert client_for(maya).get(detail(situation)).status_code == 404
        # Those who follow the young person keep the closed situation.
        assert client_for(alice).get(detail(situation)).status_code == 200


def test_break_glass_is_a_grant_with_its_reason_source_and_end(alice, charlie):
    situation = make_situation(alice)
    ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=None)

    access = break_glass_open(situation=situation, user=charlie, reason=REASON)

    row = SituationUserGrant.objects.get(user=charlie)
    assert (row.reason, row.source_id, row.expires_at) == (Reason.BREAK_GLASS, str(access.pk), access.expires_at)
    assert BreakGlassAccess.objects.get().is_open


# --- The prebuilt SQL of the read check ------------------------------------------------------------------


def _orm_check(user, codename):
    """The rule as the ORM states it (`user_rows`, `group_rows`): what the prebuilt SQL must answer."""
    from django.db.models import Exists, Q

    from casework.models import Situation

    granted = Q(Exists(ledger.user_rows(user, codename))) | Q(Exists(ledger.group_rows(user, codename)))
    if not (codename == ledger.VIEW and ledger.is_coordinator(user)):
        granted &= Q(restricted=False)
    return set(Situation.objects.filter(granted).values_list("pk", flat=True))


def _prebuilt_check(user, codename):
    from casework.models import Situation

    return set(Situation.objects.filter(ledger.readable_filter(user, codename)).values_list("pk", flat=True))


def test_the_prebuilt_read_check_answers_what_the_ledger_rule_says_in_every_state(alice, bob, charlie):
    """Own rows and group rows, ended, expired, expiring later, of another permission, on a restricted
    situation, for staff and the coordination: the SQL text built once per process gives the rows
    the ORM's statement of the rule gives, for reading, annotating and changing."""
    from casework.models import Situation

    own = make_situation(alice)
    others = make_situation(bob)
    ended, expired, later, restricted, annotate_only = (make_situation(bob) for _ in range(5))
    now = timezone.now()
    ledger.grant(ended, reason=Reason.REFERENT, by=charlie, user=alice)
    ledger.end(ended, reason=Reason.REFERENT, by=charlie, user=alice)
    ledger.grant(expired, reason=Reason.BREAK_GLASS, by=charlie, user=alice, expires_at=now - datetime.timedelta(1))
    ledger.grant(later, reason=Reason.BREAK_GLASS, by=charlie, user=alice, expires_at=now + datetime.timedelta(1))
    ledger.grant(annotate_only, reason=Reason.ASSOCIATED_PARTNER, by=charlie, group=alice.groups.first(),
                 codenames=ledger.READ_AND_ANNOTATE)  # fmt: skip
    Situation.objects.filter(pk__in=[restricted.pk, own.pk]).update(restricted=True)
    Situation.objects.filter(pk=own.pk).update(restricted=False)
    ledger.grant(restricted, reason=Reason.REFERENT, by=charlie, user=alice)
    for user in (alice, bob, charlie):
        for codename in (ledger.VIEW, ledger.ANNOTATE, ledger.CHANGE):
            assert _prebuilt_check(user, codename) == _orm_check(user, codename), (user.username, codename)
    assert _prebuilt_check(alice, ledger.VIEW) == {own.pk, later.pk, annotate_only.pk}
    assert _prebuilt_check(alice, ledger.ANNOTATE) == {own.pk, annotate_only.pk}
    assert others.pk in _prebuilt_check(charlie, ledger.VIEW) and restricted.pk in _prebuilt_check(charlie, ledger.VIEW)


def test_the_prebuilt_read_check_holds_inside_a_subquery(alice, bob):
    """Used as a subquery (the séances' « Actions à suivre » ask whether each step's situation is
    readable), the check names the renamed outer table, not the outer query's."""
    from django.db.models import Exists, OuterRef

    from casework.models import Situation

    mine, theirs = make_situation(alice), make_situation(bob)
    readable = Situation.objects.filter(ledger.readable_filter(alice), pk=OuterRef("content_object_id"))
    rows = SituationGroupGrant.objects.annotate(readable=Exists(readable)).values_list("content_object_id", "readable")
    assert set(rows) == {(mine.pk, True), (theirs.pk, False)}


def test_the_read_check_is_built_without_a_subqueryset(alice, django_assert_num_queries):
    """The text is made once per process; a request only gives its parameters (no query, no ORM
    subquery to build)."""
    ledger.readable_filter(alice)
    with django_assert_num_queries(0):
        condition = ledger.readable_filter(alice)
    assert isinstance(condition.children[0], ledger.SituationSQL)
    assert ledger._granted_sql.cache_info().hits >= 1


def test_the_prebuilt_holding_reads_the_rows_the_orm_reads(alice, bob, charlie):
    """Own and group rows, ended, expired and expiring later: `holding`'s prebuilt UNION gives the
    rows of its ORM statement, and what the detail page decides from them."""
    situation = make_situation(bob)
    now = timezone.now()
    ledger.grant(situation, reason=Reason.REFERENT, by=charlie, user=alice)
    ledger.end(situation, reason=Reason.REFERENT, by=charlie, user=alice)
    ledger.grant(situation, reason=Reason.BREAK_GLASS, by=charlie, user=alice, expires_at=now - datetime.timedelta(1))
    ledger.grant(situation, reason=Reason.SEANCE, by=charlie, user=alice, expires_at=now + datetime.timedelta(1))
    ledger.grant(situation, reason=Reason.ASSOCIATED_PARTNER, by=charlie, group=alice.groups.first(),
                 codenames=ledger.READ_AND_ANNOTATE)  # fmt: skip
    for user in (alice, bob, charlie):
        held = ledger.holding(user, situation.pk)
        rows = ledger.holding_rows(user, situation.pk)
        assert held.permission_ids == {pid for pid, _reason, _own in rows}
        view = ledger.permission_id(ledger.VIEW)
        assert sorted(held.user_reasons) == sorted(r for pid, r, own in rows if pid == view and own)
        assert sorted(held.group_reasons) == sorted(r for pid, r, own in rows if pid == view and not own)
    held = ledger.holding(alice, situation.pk)
    assert held.user_reasons == (Reason.SEANCE,) and held.group_reasons == (Reason.ASSOCIATED_PARTNER,)
    assert held.grants(ledger.ANNOTATE) and not held.grants(ledger.CHANGE)
    assert ledger.holding(alice, situation.pk, now=now + datetime.timedelta(2)).user_reasons == ()
