"""« À traiter »: the home page of each role, every situation row filtered by the ledger and recorded."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access import ledger
from access.models import Reason
from access.permissions import coordination_group
from audit.models import Event, Kind
from casework import services
from casework.models import Situation
from referrals import services as referral_services
from seances import services as seance_services
from seances.models import Step
from tests.factories import make_scheme, make_situation, make_user
from tests.seances.helpers import make_seance

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _follow(situation, referent, *, review_in_days=None, status=Situation.Status.ACTIVE):
    review = TODAY() + datetime.timedelta(days=review_in_days) if review_in_days is not None else None
    Situation.objects.filter(pk=situation.pk).update(referent=referent, next_review_on=review, status=status)
    return situation


def _home_reads(user):
    return set(
        Event.objects.filter(kind=Kind.READ, user=user, screen="home").values_list("situation_reference", flat=True)
    )


def test_signed_out_goes_to_the_sign_in_page(client):
    assert client.get("/").url.startswith("/connexion/")


def test_the_dpo_lands_on_the_journal(dora, client_for):
    assert client_for(dora).get("/").url == "/audit/"


def test_after_sign_in_the_home_router_decides(client, dora):
    dora.set_password("motdepasse-tres-long")
    dora.save()

    response = client.post("/connexion/", {"username": "dora", "password": "motdepasse-tres-long"})

    assert response.url == "/"


def test_a_referent_sees_reviews_due_within_seven_days_and_not_later(alice, client_for):
    due = _follow(make_situation(alice, last_name="Fictif-Proche"), alice, review_in_days=3)
    late = _follow(make_situation(alice, last_name="Fictif-Passe"), alice, review_in_days=-2)
    later = _follow(make_situation(alice, last_name="Fictif-Loin"), alice, review_in_days=20)

    block = _section(client_for(alice).get("/").content.decode(), "block-reviews")

    assert due.reference in block and late.reference in block
    assert later.reference not in block


def test_a_referent_sees_the_situations_to_inform_and_not_those_informed(alice, client_for):
    situation = _follow(make_situation(alice), alice)
    informed = _follow(make_situation(alice), alice)
    services.information_record(
        situation=informed, by=alice, recipient="jeune", informed_on=TODAY(), mode="entretien", response="accord"
    )

    block = _section(client_for(alice).get("/").content.decode(), "block-to-inform")

    assert situation.reference in block
    assert informed.reference not in block


def test_a_referent_sees_notes_written_since_their_last_visit(alice, azimuts, client_for):
    colleague = make_user("alice2", azimuts)
    situation = _follow(make_situation(alice), alice)
    client = client_for(alice)
    client.get(f"/situations/{situation.pk}/")
    assert situation.reference not in _section(client.get("/").content.decode(), "block-new-notes")

    services.note_create(situation=situation, by=colleague, body="Appel du collège.", visibility="groupe")

    block = _section(client.get("/").content.decode(), "block-new-notes")
    assert situation.reference in block
    assert "1 nouvelle note" in block


def test_my_own_notes_are_not_news(alice, client_for):
    situation = _follow(make_situation(alice), alice)
    services.note_create(situation=situation, by=alice, body="Ma note.", visibility="groupe")

    block = _section(client_for(alice).get("/").content.decode(), "block-new-notes")

    assert situation.reference not in block
    assert "Aucune nouvelle note" in block


def test_a_partner_sees_the_referrals_awaiting_its_answer(alice, maya, client_for):
    scheme = make_scheme(maya.membership.partner)
    situation = make_situation(alice)
    referral = referral_services.referral_propose(situation=situation, scheme=scheme, by=alice, justification="x" * 20)
    referral_services.referral_send(referral_id=referral.pk, by=alice)

    block = _section(client_for(maya).get("/").content.decode(), "block-to-answer")

    assert situation.reference in block
    assert f"/orientations/{referral.pk}/" in block
    assert situation.reference in _home_reads(maya)


def test_a_partner_sees_the_seances_it_is_invited_to(bob, charlie, client_for):
    seance = make_seance(charlie, days_ahead=10)
    seance_services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)

    block = _section(client_for(bob).get("/").content.decode(), "block-seances")

    assert f"/seances/{seance.pk}/" in block
    assert f"/seances/{seance.pk}/seance.ics" in block


def test_each_block_has_an_empty_state_and_a_link_to_its_list(bob, client_for):
    content = client_for(bob).get("/").content.decode()

    assert "Aucun examen à préparer." in content
    assert "Aucune orientation n'attend la réponse de votre partenaire." in content
    assert "Aucune action en attente." in content
    assert "Aucune séance à venir." in content
    for link in ("/situations/?referent=moi", "/orientations/", "/seances/actions/", "/seances/"):
        assert f'href="{link}' in content


def test_the_coordinator_sees_new_saisines_and_the_next_seance(alice, charlie, client_for):
    situation = make_situation(alice)
    first = make_seance(charlie, days_ahead=5)
    second = make_seance(charlie, days_ahead=30)

    content = client_for(charlie).get("/").content.decode()

    assert situation.reference in _section(content, "block-new-saisines")
    next_seance = _section(content, "block-next-seance")
    assert f"/seances/{first.pk}/" in next_seance
    assert f"/seances/{second.pk}/" not in next_seance
    assert "Orientations sans réponse dans le délai" in content
    assert "Actions demandées en retard" in content


def test_a_situation_no_longer_granted_is_not_shown(alice, charlie, client_for):
    hidden = make_situation(alice)
    ledger.end(hidden, group=coordination_group(), reason=Reason.COORDINATION, by=None)

    content = client_for(charlie).get("/").content.decode()

    assert hidden.reference not in content


def test_other_partners_situations_are_not_shown(alice, bob, client_for):
    situation = _follow(make_situation(alice), alice, review_in_days=1)

    assert situation.reference not in client_for(bob).get("/").content.decode()


def test_every_situation_shown_is_recorded_as_a_read_of_the_home(alice, client_for):
    due = _follow(make_situation(alice), alice, review_in_days=1)

    client_for(alice).get("/")

    event = Event.objects.get(kind=Kind.READ, user=alice, screen="home", object_id=str(due.pk))
    assert event.situation_reference == due.reference


def test_query_count_does_not_grow_with_rows(alice, client_for):
    client = client_for(alice)
    _follow(make_situation(alice), alice, review_in_days=1)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(4):
        _follow(make_situation(alice), alice, review_in_days=1)
    with CaptureQueriesContext(connection) as many:
        client.get("/")

    assert len(many) == len(few)


def _section(content: str, block_id: str) -> str:
    """The HTML of one block, from its heading to the next block."""
    start = content.index(f'id="{block_id}"')
    end = content.find("<section", start)
    return content[start : end if end != -1 else len(content)]


def _step(situation, *, by, partner, due_in_days: int, label: str):
    step = seance_services.step_add(
        situation_id=situation.pk, by=by, partner=partner, label=label, due_on=TODAY() + datetime.timedelta(days=1)
    )
    Step.objects.filter(pk=step.pk).update(due_on=TODAY() + datetime.timedelta(days=due_in_days))
    return step


def test_a_referent_sees_the_pending_steps_of_their_plans_overdue_first(alice, bob, charlie, client_for):
    situation = _follow(make_situation(alice), alice)
    later = _step(situation, by=charlie, partner=bob.membership.partner, due_in_days=10, label="Rendez-vous CIO")
    late = _step(situation, by=charlie, partner=bob.membership.partner, due_in_days=-3, label="Appeler la famille")
    done = _step(situation, by=charlie, partner=bob.membership.partner, due_in_days=2, label="Étape close")
    seance_services.step_set_status(step_id=done.pk, by=bob, status=Step.Status.DONE)

    block = _section(client_for(alice).get("/").content.decode(), "block-plan-steps")

    assert block.index("Appeler la famille") < block.index("Rendez-vous CIO")
    assert "en retard" in block and "Étape close" not in block
    assert f"/situations/{situation.pk}/plan/" in block
    reads = set(Event.objects.filter(kind=Kind.READ, user=alice, screen="home").values_list("object_id", flat=True))
    assert {str(later.pk), str(late.pk)} <= reads and str(done.pk) not in reads


def test_the_steps_of_a_situation_i_do_not_lead_or_no_longer_read_are_not_shown(alice, bob, charlie, client_for):
    not_mine = _follow(make_situation(alice), charlie)
    _step(not_mine, by=charlie, partner=bob.membership.partner, due_in_days=1, label="Pas la mienne")
    withdrawn = _follow(make_situation(alice), alice)
    _step(withdrawn, by=charlie, partner=bob.membership.partner, due_in_days=1, label="Plus accessible")
    # Still named référent, but the partner's grant ended: the ledger, not the référent field, decides.
    ledger.end(withdrawn, group=alice.membership.partner.group, reason=Reason.AUTHOR_PARTNER, by=charlie)

    block = _section(client_for(alice).get("/").content.decode(), "block-plan-steps")

    assert "Pas la mienne" not in block and "Plus accessible" not in block
    assert "Aucune étape en attente dans les plans de vos situations." in block


def test_a_partner_sees_its_own_open_saisines_newest_first(alice, bob, charlie, client_for):
    older, newer = make_situation(alice), make_situation(alice)
    Situation.objects.filter(pk=older.pk).update(received_on=TODAY() - datetime.timedelta(days=20))
    Situation.objects.filter(pk=newer.pk).update(received_on=TODAY() - datetime.timedelta(days=2))
    closed = make_situation(alice)
    Situation.objects.filter(pk=closed.pk).update(status=Situation.Status.NOT_RETAINED)
    elsewhere = make_situation(bob)

    block = _section(client_for(alice).get("/").content.decode(), "block-partner-saisines")

    assert block.index(newer.reference) < block.index(older.reference)
    assert closed.reference not in block and elsewhere.reference not in block
    assert {older.reference, newer.reference} <= _home_reads(alice)


def test_the_new_blocks_have_their_empty_states(bob, client_for):
    content = client_for(bob).get("/").content.decode()

    assert "Aucune étape en attente dans les plans de vos situations." in content
    assert "Aucune saisine ouverte transmise par votre partenaire." in content
