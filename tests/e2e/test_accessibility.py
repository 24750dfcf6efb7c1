"""Every role's pages, at 1280 px and on a phone (390 px), pass axe-core and reflow at 320 px (RGAA).

axe-core runs on every page a browser test shows (tests/e2e/conftest.py) and fails the test on any
serious or critical violation; these tests make sure each role's screens, and their error states, are
among those pages, at both widths. Reflow (WCAG 1.4.10): at 320 CSS px the page as a whole never
scrolls sideways; a wide table may scroll inside its own box.
"""

import base64
import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import accounts
from access.models import Role
from audit.models import Event, Kind, Purpose
from casework.services import signalement_record
from referrals.services import referral_propose, referral_send
from seances.models import Step
from seances.services import agenda_item_add, seance_create, step_add
from tests.e2e.conftest import axe_check
from tests.factories import PASSWORD, make_action, make_scheme, make_situation, make_user, verified_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Sideways scroll of the page itself, in CSS pixels (a table scrolling inside .table-responsive is fine).
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Lists are cards on a phone (.table-cards): the captions of the tables that still scroll inside their box.
SCROLLING_LISTS = """() => [...document.querySelectorAll("main .table-responsive")]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => (box.querySelector("caption") || box).textContent.trim().slice(0, 60))"""


def signed_in(browser, live_server, user):
    """A browser whose session is already past the password and the second factor."""
    client = verified_login(Client(), user)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def walk(page, live_server, paths, overflowing: list[str]) -> None:
    """Each page at 1280 px, then 390 px (axe-core runs at both), then 320 px (reflow)."""
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{path}: {response.status}"
        page.set_viewport_size({"width": 390, "height": 844})
        axe_check(page)
        page.set_viewport_size({"width": 320, "height": 640})
        if (overflow := page.evaluate(OVERFLOW)) > 0:
            overflowing.append(f"{path} ({page.title()}): {overflow} px")
        overflowing.extend(f"{path}: list « {caption} » scrolls sideways" for caption in page.evaluate(SCROLLING_LISTS))


def submit_empty(page, button: str, overflowing: list[str]) -> None:
    """The error state of a form: sent empty, checked by axe at 1280 and 390 px, reflowed at 320 px."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name=button).first.click()
    page.locator("#form-errors, .invalid-feedback").first.wait_for()
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        overflowing.append(f"{page.url} after « {button} » ({page.title()}): {overflow} px")


@pytest.fixture
def case(alice, charlie, maya, mission_locale):
    """A situation of Alice's, sent to the Mission locale, on the agenda of a séance in preparation."""
    situation = make_situation(alice, last_name="Fictif-Roussel", first_name="Léa", motifs=("neet",))
    other = make_situation(alice, last_name="Fictif-Nord", first_name="Sam")
    scheme = make_scheme(mission_locale, "Contrat d'engagement jeune", min_age=12, max_age=25)
    referral = referral_propose(situation=situation, scheme=scheme, by=charlie, justification="Projet d'insertion")
    referral_send(referral_id=referral.pk, by=charlie)
    seance = seance_create(
        by=charlie,
        date=datetime.date.today() + datetime.timedelta(days=3),
        start_time=datetime.time(14, 0),
        place="Hôtel de ville",
    )
    agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)
    agenda_item_add(seance_id=seance.pk, situation=other, by=charlie)
    # A row in « Actions à suivre » (asked of Alice's partner) and in « Signalements transmis ».
    step_add(
        situation_id=situation.pk,
        by=charlie,
        partner=alice.membership.partner,
        label="Rencontrer la famille",
        due_on=datetime.date.today() + datetime.timedelta(days=10),
    )
    # And one overdue: its red row carries the partner's status buttons (« Abandonner… » is a link button).
    overdue = step_add(
        situation_id=situation.pk,
        by=charlie,
        partner=alice.membership.partner,
        label="Appeler le collège",
        due_on=datetime.date.today() + datetime.timedelta(days=10),
    )
    Step.objects.filter(pk=overdue.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=2))
    signalement_record(
        situation_id=situation.pk, by=charlie, sent_on=datetime.date.today(), recipient="crip", mode="messagerie"
    )
    make_action(mission_locale, "2.1", title="Chantiers éducatifs d'été")  # a row of « Stratégie »
    return {"situation": situation, "referral": referral, "seance": seance}


def test_a_partners_pages_are_accessible(live_server, browser, alice, case):
    situation = case["situation"]
    context, page = signed_in(browser, live_server, alice)
    overflowing: list[str] = []
    walk(
        page,
        live_server,
        [
            reverse("casework:situation_list"),
            reverse("casework:situation_detail", args=[situation.pk]),
            reverse("referrals:situation_referrals", args=[situation.pk]),
            reverse("referrals:my_referrals"),
            reverse("seances:seance_list"),
            reverse("seances:followup_list"),
            reverse("notifications:notification_list"),
            reverse("access:passkeys"),
            reverse("casework:situation_close", args=[situation.pk]),
        ],
        overflowing,
    )
    submit_empty(page, "Clôturer", overflowing)
    walk(page, live_server, [reverse("casework:situation_create")], overflowing)
    submit_empty(page, "Enregistrer", overflowing)
    context.close()
    assert not overflowing, "\n".join(overflowing)


def test_an_operators_pages_are_accessible(live_server, browser, maya, case):
    context, page = signed_in(browser, live_server, maya)
    overflowing: list[str] = []
    walk(
        page,
        live_server,
        [reverse("referrals:my_referrals"), reverse("referrals:referral_detail", args=[case["referral"].pk])],
        overflowing,
    )
    context.close()
    assert not overflowing, "\n".join(overflowing)


def test_the_coordinators_pages_are_accessible(live_server, browser, charlie, case):
    seance = case["seance"]
    context, page = signed_in(browser, live_server, charlie)
    overflowing: list[str] = []
    walk(
        page,
        live_server,
        [
            reverse("casework:situation_list"),
            reverse("seances:seance_detail", args=[seance.pk]),
            reverse("seances:seance_list"),
            reverse("referrals:overdue"),
            reverse("referrals:scheme_list"),
            reverse("casework:signalement_list"),
            reverse("casework:purge_schedule"),
            reverse("strategy:strategy_list"),
            reverse("evaluation:evaluation_home"),
            reverse("dpo:rights"),
            reverse("casework:break_glass_open"),
            reverse("seances:seance_create"),
        ],
        overflowing,
    )
    submit_empty(page, "Créer la séance", overflowing)
    context.close()
    assert not overflowing, "\n".join(overflowing)


def test_the_dpos_pages_are_accessible(live_server, browser, dora, alice, case):
    # A row in the anomalies (a break-glass read is always listed there), whose tables are cards on a phone.
    Event.objects.create(
        kind=Kind.READ,
        user=alice,
        object_type="casework.situation",
        situation_reference=case["situation"].reference,
        screen="situation_detail",
        purpose=Purpose.BREAK_GLASS,
    )
    context, page = signed_in(browser, live_server, dora)
    overflowing: list[str] = []
    walk(
        page,
        live_server,
        [
            reverse("dpo:console"),
            reverse("dpo:situation", args=[case["situation"].reference]),
            reverse("dpo:user", args=[alice.pk]),
            reverse("dpo:anomalies"),
            reverse("dpo:break_glass"),
            reverse("dpo:consent_justifications"),
            reverse("dpo:accounts"),
            reverse("dpo:rights"),
            reverse("dpo:inventory"),
            reverse("dpo:retention"),
            f"{reverse('dpo:breach')}?username={alice.username}",
            f"{reverse('dpo:console')}?username={alice.username}&rechercher=1",
        ],
        overflowing,
    )
    context.close()
    assert not overflowing, "\n".join(overflowing)


def test_the_administrators_pages_are_accessible(live_server, browser, adam):
    context, page = signed_in(browser, live_server, adam)
    overflowing: list[str] = []
    walk(page, live_server, [reverse("access:factor_resets"), reverse("notifications:notification_list")], overflowing)
    context.close()
    assert not overflowing, "\n".join(overflowing)


def test_a_newcomers_sign_in_charter_and_enrolment_are_accessible(live_server, browser, azimuts):
    newcomer = make_user("nina", azimuts, Role.STAFF, accept_charter=False)
    device = TOTPDevice.objects.create(user=newcomer, name="téléphone", confirmed=True)
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    overflowing: list[str] = []
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Se connecter").click()
    page.locator("#form-errors, .invalid-feedback, .alert-danger").first.wait_for()
    page.get_by_label("Identifiant").fill(newcomer.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/charte/**")
    page.set_viewport_size({"width": 320, "height": 640})
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        overflowing.append(f"charte: {overflow} px")
    context.close()
    assert not overflowing, "\n".join(overflowing)


def test_a_newcomers_enrolment_is_accessible(live_server, browser, azimuts):
    """The invitation is where a newcomer enrols their authenticator (password and TOTP on one form):
    the form, its error state (a wrong code), the recovery codes shown once; and the page an account
    with a password but no second factor is sent to (« Double authentification à activer »)."""
    invited = make_user("ines", azimuts, Role.STAFF, accept_charter=False)
    invited.set_unusable_password()
    invited.save()
    _invitation, token = accounts.invitation_create(user=invited, by=None)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    overflowing: list[str] = []
    walk(page, live_server, [f"/invitation/{token}/"], overflowing)
    page.set_viewport_size({"width": 1280, "height": 900})
    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("#id_token").fill("000000")
    submit_empty(page, "Activer mon compte", overflowing)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("#id_token").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Activer mon compte").click()
    page.get_by_role("list", name="Codes de secours").wait_for()
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        overflowing.append(f"codes de secours: {overflow} px")
    context.close()

    # An account with a password but no second factor (created before invitations, or reset).
    unenrolled = make_user("oscar", azimuts, Role.STAFF)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Identifiant").fill(unenrolled.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/mfa/enrolement/**")
    assert "Double authentification à activer" in page.title()
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    if (overflow := page.evaluate(OVERFLOW)) > 0:
        overflowing.append(f"mfa/enrolement: {overflow} px")
    context.close()
    assert not overflowing, "\n".join(overflowing)
