"""Every page a signed-in person sees carries the strict Content-Security-Policy, the Permissions-Policy
and Cache-Control: no-store, and holds no inline script, inline style or event attribute that the
policy would refuse. Walked for each role over a representative set of pages."""

from html.parser import HTMLParser

import pytest
from auditlog.context import set_actor
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from dpo.models import RightsRequest
from referrals import services as referral_services
from tests.dpo.helpers import access_request
from tests.factories import make_action, make_scheme, make_situation, verified_login
from tests.seances.helpers import item_of, running_seance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, bob, charlie, dora, maya, mission_locale, adam):
    """A situation of alice's, sent to maya's scheme, on the agenda of a running séance (alice
    present), a fiche-action for the evaluation, and an access request running for the DPO."""
    situation = make_situation(alice, last_name="Fictif-Roussel")
    scheme = make_scheme(mission_locale, "Contrat d'engagement jeune", min_age=12, max_age=25)
    with set_actor(alice):
        referral = referral_services.referral_propose(situation=situation, scheme=scheme, by=alice, justification="")
    referral = referral_services.referral_send(referral_id=referral.pk, by=alice)
    seance = running_seance(charlie, [situation], [alice])
    item = item_of(seance, situation)
    action = make_action(alice.membership.partner, "2.1")
    rights = access_request(situation)
    RightsRequest.objects.filter(pk=rights.pk).update(status=RightsRequest.Status.RUNNING, progress=40)
    return {
        "situation": situation,
        "referral": referral,
        "seance": seance,
        "item": item,
        "strategy": action.axis.strategy,
        "rights": rights,
    }


def pages_for(role: str, world: dict) -> list[str]:
    situation, seance = world["situation"], world["seance"]
    case_pages = [
        reverse("casework:situation_list"),
        reverse("casework:situation_detail", args=[situation.pk]),
        reverse("casework:situation_create"),
        reverse("casework:situation_edit", args=[situation.pk]),
        reverse("referrals:situation_referrals", args=[situation.pk]),
        reverse("seances:seance_list"),
        reverse("seances:seance_detail", args=[seance.pk]),
        reverse("notifications:notification_list"),
    ]
    return {
        "staff": [
            *case_pages,
            reverse("referrals:my_referrals"),
            reverse("casework:notice", args=["individuelle"]),
            reverse("casework:notice", args=["collective"]),
        ],
        "coordinator": [
            *case_pages,
            reverse("seances:seance_mode", args=[seance.pk]),
            reverse("seances:seance_item", args=[seance.pk, world["item"].pk]),
            reverse("seances:followup_list"),
            reverse("referrals:scheme_list"),
            reverse("referrals:overdue"),
            reverse("strategy:strategy_list"),
            reverse("evaluation:dashboard", args=[world["strategy"].pk]) + "?start=2026-01&end=2026-10",
            reverse("dpo:rights"),
            reverse("casework:purge_schedule"),
        ],
        "operator": [
            reverse("referrals:my_referrals"),
            reverse("referrals:referral_detail", args=[world["referral"].pk]),
        ],
        "dpo": [
            reverse("dpo:console"),
            reverse("dpo:situation", args=[situation.reference]),
            reverse("dpo:anomalies"),
            reverse("dpo:break_glass"),
            reverse("dpo:retention"),
            reverse("dpo:rights"),
            reverse("dpo:rights_detail", args=[world["rights"].pk]),
            reverse("dpo:inventory"),
            reverse("dpo:breach"),
        ],
        "admin": [
            reverse("admin:index"),
            reverse("admin:casework_motif_changelist"),
            reverse("admin:access_membership_add"),
            reverse("admin:auth_user_changelist"),
        ],
    }[role]


PEOPLE = {"staff": "alice", "coordinator": "charlie", "operator": "maya", "dpo": "dora", "admin": "adam"}


class InlineCode(HTMLParser):
    """What the policy would refuse in a page: inline <script> and <style>, style="…", on…="…",
    htmx's hx-on, and javascript: links."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def assert_protected(response, url: str) -> None:
    assert response.status_code == 200, url
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, url
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, url
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, url
    assert "camera=()" in response.get("Permissions-Policy", ""), url
    assert "no-store" in response.get("Cache-Control", ""), url
    assert response.get("Referrer-Policy") == "same-origin", url
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.parametrize("role", PEOPLE)
def test_every_page_of_a_signed_in_person_is_protected(role, world, django_user_model):
    client = verified_login(Client(), django_user_model.objects.get(username=PEOPLE[role]))
    for url in pages_for(role, world):
        assert_protected(client.get(url), url)


def test_htmx_fragments_are_protected_too(world, charlie, dora, client_for):
    fragments = {
        charlie: reverse("seances:seance_identity", args=[world["seance"].pk, world["item"].pk]),
        dora: reverse("dpo:rights_detail", args=[world["rights"].pk]),
    }
    for person, url in fragments.items():
        assert_protected(client_for(person).get(url, headers={"HX-Request": "true"}), url)


def test_downloads_are_not_stored_either(world, dora, client_for):
    response = client_for(dora).get(reverse("dpo:inventory_markdown"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_has_the_policy_and_is_not_cached(client):
    response = client.get(reverse("access:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    # Django's LoginView is never_cache: a sign-in form with its CSRF token is not kept either.
    assert "no-store" in response["Cache-Control"]
    assert inline_code(response.content.decode()) == []


def test_a_refusal_to_a_signed_in_person_is_not_stored(world, bob, client_for):
    response = client_for(bob).get(reverse("casework:situation_detail", args=[world["situation"].pk]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_gates_redirects_carry_the_headers(alice):
    client = Client()
    client.force_login(alice)  # password only: the second factor is still due
    response = client.get(reverse("casework:situation_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("access:mfa_verify"))
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]


def test_static_files_stay_cacheable_for_a_signed_in_person(alice):
    with override_settings(WHITENOISE_USE_FINDERS=True):
        client = verified_login(Client(), alice)
        response = client.get(f"{settings.STATIC_URL}parcours/parcours.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_pdf_templates_are_the_only_ones_with_a_style_block():
    """PDFs are drawn by WeasyPrint on the server and never reach a browser as HTML: only their
    templates keep a <style> block (and style attributes)."""
    pdf_only = {
        "dpo/_pdf_style.html",
        "dpo/inventory_pdf.html",
        "evaluation/report_pdf.html",
        "seances/minutes_pdf.html",
    }
    templates = settings.BASE_DIR / "templates"
    with_inline = {
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if inline_code(path.read_text(encoding="utf-8"))
    }
    assert with_inline == pdf_only
