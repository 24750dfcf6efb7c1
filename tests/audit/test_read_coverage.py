"""Invariant 5: every screen that shows a young person's data records a read event.

Every URL pattern of the project is classified below. A new pattern that is in neither list fails
`test_every_url_pattern_is_classified`; a pattern classified as personal that records nothing fails
`test_personal_screen_records_a_read`.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from access import ledger
from access.models import Reason
from access.permissions import coordination_group
from access.services import break_glass_open
from audit.models import Event, Kind
from audit.registry import encrypted_field_names
from tests.casework.helpers import make_due
from tests.casework.test_situation_create import form_data
from tests.dpo.helpers import done_access_request
from tests.factories import make_scheme, make_situation

# name -> how to call it: (user fixture, method, url builder, data builder)
PERSONAL = {
    "casework:situation_list": ("alice", "get", lambda s: "/situations/", None),
    # « À traiter »: the coordinator's new saisines.
    "home": ("charlie", "get", lambda s: "/", None),
    "casework:situation_detail": ("alice", "get", lambda s: f"/situations/{s.pk}/", None),
    "casework:situation_edit": ("alice", "get", lambda s: f"/situations/{s.pk}/modifier/", None),
    "casework:situation_print": ("alice", "get", lambda s: f"/situations/{s.pk}/impression/", None),
    # The change history, loaded on demand from the detail page.
    "casework:situation_history": ("alice", "get", lambda s: f"/situations/{s.pk}/historique/", None),
    # An invalid note re-renders the detail page.
    "casework:note_create": ("alice", "post", lambda s: f"/situations/{s.pk}/notes/", lambda s: {"body": ""}),
    # Intake shows possible duplicates of an existing person.
    "casework:situation_create": (
        "alice",
        "post",
        lambda s: "/situations/nouvelle/",
        lambda s: form_data(
            **{"identity-last_name": "Durand", "identity-first_name": "Léa", "identity-birth_date": "2011-03-04"}
        ),
    ),
    # The merge's confirmation shows both records side by side.
    "casework:person_merge": (
        "charlie",
        "post",
        lambda s: f"/situations/{s.pk}/fusion/",
        lambda s: {
            "other_reference": make_situation(s.created_by, last_name="Durant").reference,
            "keep": "cette-fiche",
        },
    ),
    # The DPO reads the reasons written for break-glass accesses.
    "dpo:break_glass": ("dora", "get", lambda s: "/audit/acces-exceptionnels/", None),
    # The DPO reads the justifications written despite a refusal.
    "dpo:consent_justifications": (
        "dora",
        "get",
        lambda s: _justification(s) and "/donnees/poursuites-malgre-refus/",
        None,
    ),
    # References of the situations about to be purged, with links to them.
    "casework:purge_schedule": ("charlie", "get", lambda s: make_due(s) and "/donnees/purges-a-venir/", None),
    # The DPO downloads everything held about a young person.
    "dpo:rights_download": (
        "dora",
        "get",
        lambda s: f"/donnees/demandes/{done_access_request(s).pk}/dossier.json",
        None,
    ),
    "referrals:situation_referrals": ("alice", "get", lambda s: f"/situations/{s.pk}/orientations/", None),
    "referrals:referral_detail": ("alice", "get", lambda s: f"/orientations/{_referral(s).pk}/", None),
    # The confirmation page of a decline shows the situation it concerns.
    "referrals:referral_action": ("maya", "get", lambda s: f"/orientations/{_referral(s).pk}/refuser/", None),
    # An invalid note re-renders the referral page.
    "referrals:referral_note": ("maya", "post", lambda s: f"/orientations/{_referral(s).pk}/note/", lambda s: {}),
    "referrals:my_referrals": ("maya", "get", lambda s: _referral(s) and "/orientations/", None),
    "referrals:overdue": ("charlie", "get", lambda s: _referral(s, overdue=True) and "/orientations/en-retard/", None),
    # Séances: the projected point, a point's page, the identity on demand, the minutes, the addenda and
    # the actions' wording show personal data; all recorded with the purpose « séance ».
    "seances:seance_mode": ("charlie", "get", lambda s: f"/seances/{_seance(s).pk}/mode/", None),
    "seances:seance_item": ("charlie", "get", lambda s: "/seances/{}/points/{}/".format(*_seance_item(s)), None),
    "seances:seance_identity": (
        "charlie",
        "get",
        lambda s: "/seances/{}/points/{}/identite/".format(*_seance_item(s)),
        None,
    ),
    "seances:seance_minutes": ("charlie", "get", lambda s: f"/seances/{_seance(s, closed=True).pk}/releve.pdf", None),
    "seances:seance_addenda": ("charlie", "get", lambda s: f"/seances/{_seance(s, closed=True).pk}/addenda/", None),
    "seances:followup_list": ("charlie", "get", lambda s: _action(s) and "/seances/actions/", None),
    "seances:situation_plan": ("charlie", "get", lambda s: _action(s) and f"/situations/{s.pk}/plan/", None),
    # The confirmation of an abandon shows the step's wording.
    "seances:step_abandon": ("charlie", "get", lambda s: f"/seances/etapes/{_action(s).step_id}/abandonner/", None),
}

NOT_PERSONAL = {
    "accessibility": "the accessibility statement, public",
    "legal_notice": "the legal notice, public",
    "access:login": "login form",
    "access:logout": "logout",
    "access:keep_alive": "extends the session, answers 204 without a body",
    "access:proconnect_start": "redirect to the identity provider",
    "access:proconnect_callback": "sign-in back from the identity provider (no page of its own)",
    "health": "monitoring probe: words about the database, broker and keys, no count of anyone",
    "access:mfa_verify": "second factor",
    "access:mfa_enrol": "says an invitation is needed to enrol a second factor",
    "access:mfa_recovery": "a recovery-code form",
    "access:passkeys": "the person's own passkeys (names and dates), never case content",
    "access:passkey_remove": "confirms removing one of the person's own passkeys",
    "otp_webauthn:credential-registration-begin": "WebAuthn options for the person's own new passkey",
    "otp_webauthn:credential-registration-complete": "saves the person's own new passkey",
    "otp_webauthn:credential-authentication-begin": "WebAuthn challenge for the person's own passkeys",
    "otp_webauthn:credential-authentication-complete": "verifies the person's passkey (second factor)",
    "otp_webauthn:js-i18n-catalog": "translations of the passkey scripts",
    "access:invitation": "the person's own account activation: their username, a QR code, a password form",
    "access:factor_resets": "usernames of accounts whose second factor is being reset, never case content",
    "dpo:accounts": "account and administration events: metadata, never case content",
    "access:charter": "the ethics charter text",
    "casework:break_glass_open": "a form; the situation opens on its detail page, which records the read",
    "dpo:console": "audit metadata and references only",
    "dpo:export": "audit metadata only; recorded as an export event",
    "dpo:situation": "audit metadata and references only",
    "dpo:user": "audit metadata and references only",
    "dpo:anomalies": "audit aggregates only",
    "casework:situation_close": "a form naming the situation by its reference; the detail page records the read",
    "casework:situation_reopen": "a form naming the situation by its reference; the detail page records the read",
    "casework:association_create": "a form naming the situation by its reference and the partners to choose from",
    "casework:association_end": "a confirmation naming the situation by its reference and the partner",
    "casework:previous_partner_end": "a confirmation naming the situation by its reference and the partner",
    "casework:information_create": "a form naming the situation by its reference; the detail page records the read",
    "casework:signalement_create": "a form naming the situation by its reference; the detail page records the read",
    "casework:signalement_list": "pseudonymous references and coded facts of transmissions, never a comment",
    "casework:notice": "a blank printable notice",
    "dpo:retention": "retention periods",
    "dpo:rights": "requests' references and states only",
    "dpo:rights_detail": "a request's references and state only",
    "dpo:rights_confirm": "a POST that redirects; recorded as a security event",
    "dpo:rights_cancel": "a POST that redirects",
    "dpo:restriction": "a POST that redirects; recorded as a security event",
    "dpo:inventory": "descriptions of the fields, no data",
    "dpo:inventory_markdown": "descriptions of the fields, no data",
    "dpo:inventory_pdf": "descriptions of the fields, no data",
    "dpo:breach": "audit references and counts only",
    "notifications:notification_list": "a kind and a link per notification, never personal data",
    "notifications:notification_preferences": "kinds of notification and the person's choices",
    "referrals:scheme_list": "the catalogue of schemes",
    "referrals:scheme_create": "the catalogue of schemes",
    "referrals:scheme_edit": "the catalogue of schemes",
    "referrals:scheme_deactivate": "the catalogue of schemes",
    "referrals:scheme_reactivate": "the catalogue of schemes",
    "seances:seance_list": "séances' dates and places",
    "seances:seance_calendar": "a séance's date, time and place as an .ics, no agenda",
    "seances:seance_create": "a form",
    "seances:seance_edit": "a form",
    "seances:seance_detail": "the agenda by pseudonymous reference, coded reasons and decisions, attendees",
    "seances:seance_proposal_accept": "a POST that redirects",
    "seances:seance_item_add": "a POST that redirects",
    "seances:seance_item_remove": "a confirmation naming the point by its reference",
    "seances:seance_item_up": "a POST that redirects",
    "seances:seance_item_down": "a POST that redirects",
    "seances:seance_invite": "a POST that redirects",
    "seances:seance_uninvite": "a POST that redirects",
    "seances:seance_attendance": "a POST that redirects; the pledge is a security event",
    "seances:seance_attendance_remove": "a POST that redirects",
    "seances:seance_start": "a POST that redirects; the grants are security events",
    "seances:seance_close": "a confirmation listing undecided points by reference",
    "seances:step_status": "a POST that redirects",
    "seances:objective_status": "a POST that redirects",
    "strategy:strategy_list": "the local strategy: public content",
    "strategy:strategy_create": "the local strategy: public content",
    "strategy:strategy_edit": "the local strategy: public content",
    "strategy:axis_create": "the local strategy: public content",
    "strategy:axis_edit": "the local strategy: public content",
    "strategy:action_create": "the local strategy: public content",
    "strategy:action_edit": "the local strategy: public content",
    "strategy:action_status": "the local strategy: public content",
    "strategy:situation_actions": "a POST that redirects to the detail page, which records the read",
    # Suppressed aggregates: no reference, no name, no free text. Each view or download is recorded as
    # a security event instead (tests/strategy/test_evaluation_views.py).
    "evaluation:evaluation_home": "redirects to the dashboard",
    "evaluation:dashboard": "suppressed aggregates only; recorded as an evaluation event",
    "evaluation:report_pdf": "suppressed aggregates only; recorded as an export event",
    "evaluation:report_xlsx": "suppressed aggregates only; recorded as an export event",
    "evaluation:fiche_list": "public strategy content: fiches, indicators, counts (suppressed), progress",
    "evaluation:fiche_detail": "public strategy content and counts of participants; no situation, no person",
}


def _referral(situation, *, overdue=False):
    """The situation's referral to the Mission locale, sent (and past its deadline if asked)."""
    import datetime

    from referrals import services
    from referrals.models import Referral, Scheme

    referral = Referral.objects.filter(situation=situation).first()
    if referral is None:
        scheme = Scheme.objects.get(operator__name="Mission locale")
        proposer = situation.created_by
        referral = services.referral_propose(situation=situation, scheme=scheme, by=proposer, justification="x" * 20)
        referral = services.referral_send(referral_id=referral.pk, by=proposer)
    if overdue:
        Referral.objects.filter(pk=referral.pk).update(deadline=datetime.date(2026, 1, 1))
    return referral


def _seance(situation, *, closed=False):
    """A séance with the situation on its agenda, opened (and closed if asked) by charlie."""
    from django.contrib.auth import get_user_model

    from tests.seances.helpers import running_seance

    coordinator = get_user_model().objects.get(username="charlie")
    seance = running_seance(coordinator, [situation])
    if closed:
        from seances.services import seance_close

        seance = seance_close(seance_id=seance.pk, by=coordinator)
    return seance


def _seance_item(situation):
    seance = _seance(situation)
    return seance.pk, seance.items.get().pk


def _action(situation):
    import datetime

    from django.utils import timezone

    from seances.models import Decision
    from seances.services import decision_record

    seance = _seance(situation)
    return decision_record(
        seance_id=seance.pk,
        item_id=seance.items.get().pk,
        by=seance.created_by,
        kind=Decision.Kind.ACTION,
        partner=situation.referring_partner,
        action_label="Appeler la famille",
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )


def _justification(situation):
    from casework.models import ConsentJustification

    return ConsentJustification.objects.create(
        situation=situation,
        data_key_id=situation.data_key_id,
        action=ConsentJustification.Action.REFERRAL,
        justification="Danger scolaire avéré, le collège demande un relais",
        created_by=situation.created_by,
    )


def _patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _patterns(pattern, inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name), pattern


def test_every_url_pattern_is_classified():
    unclassified = {
        name
        for name, _pattern in _patterns()
        if not name.startswith("admin:") and name not in PERSONAL and name not in NOT_PERSONAL
    }
    assert not unclassified, f"classify these URL patterns in {__file__}: {sorted(unclassified)}"


def test_the_admin_registers_no_model_with_personal_data():
    """The technical admin is classified as a whole: it must never show an encrypted model."""
    assert [model for model in admin.site._registry if encrypted_field_names(model)] == []


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_personal_screen_records_a_read(name, request, client_for, alice, bob, charlie, dora, maya):
    make_scheme(maya.membership.partner)
    situation = make_situation(alice)
    hidden = make_situation(alice)
    ledger.end(hidden, group=coordination_group(), reason=Reason.COORDINATION, by=None)
    break_glass_open(situation=hidden, user=charlie, reason="Une raison suffisamment longue pour être acceptée.")
    who, method, url, data = PERSONAL[name]
    client = client_for(request.getfixturevalue(who))
    before = Event.objects.filter(kind=Kind.READ).count()
    response = getattr(client, method)(url(situation), data(situation) if data else None)
    assert response.status_code in (200, 400), response.status_code
    assert Event.objects.filter(kind=Kind.READ).count() > before
