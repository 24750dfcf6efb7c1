"""The home page router (each role lands on its own screen), the « À traiter » page, and the pages
anyone may read signed out."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from access.decorators import case_reader_required
from access.models import Role
from access.permissions import is_coordinator, membership_of
from audit.models import Purpose
from audit.services import access_record
from casework import selectors as casework_selectors
from referrals import selectors as referral_selectors
from seances import selectors as seance_selectors

# Rows per block of « À traiter »; each block links to its full list.
BLOCK_ROWS = 5


@require_GET
def home(request):
    """Each role lands on its own screen: the DPO on the journal, the administrator on the admin,
    the people who follow situations on « À traiter »."""
    if not request.user.is_authenticated:
        return redirect("access:login")
    membership = membership_of(request.user)
    if membership and membership.role == Role.DPO:
        return redirect("dpo:console")
    if membership and membership.role == Role.ADMIN and request.user.is_staff:
        return redirect("admin:index")
    return to_do(request)


def _block(queryset) -> tuple[list, bool]:
    """The first rows, and whether there are more (one row more is fetched instead of a COUNT)."""
    rows = list(queryset[: BLOCK_ROWS + 1])
    return rows[:BLOCK_ROWS], len(rows) > BLOCK_ROWS


@case_reader_required
def to_do(request):
    """« À traiter »: what awaits this person today, block by block, each with its full list.

    Every situation shown comes from a selector filtered by the grant ledger and is recorded as a read
    of the screen « home », as the lists record theirs."""
    user = request.user
    today = timezone.localdate()
    coordinator = is_coordinator(user)
    blocks = {}
    if coordinator:
        blocks["new_saisines"] = _block(casework_selectors.new_saisines_for(user))
        blocks["overdue_referrals"] = _block(referral_selectors.referrals_overdue_for(user, today))
        blocks["overdue_actions"] = _block(seance_selectors.overdue_actions_for(user))
    else:
        blocks["reviews_due"] = _block(casework_selectors.reviews_due_for(user, today=today))
        blocks["plan_steps"] = _block(seance_selectors.referent_steps_for(user))
        blocks["to_inform"] = _block(casework_selectors.to_inform_for(user))
        blocks["new_notes"] = _block(casework_selectors.notes_since_last_visit_for(user))
        blocks["to_answer"] = _block(referral_selectors.referrals_to_answer_for(user))
        blocks["actions"] = _block(seance_selectors.followup_actions_for(user))
        blocks["partner_saisines"] = _block(casework_selectors.partner_saisines_for(user))
    seances, more_seances = _block(seance_selectors.seances_upcoming_for(user))
    # A situation due for review and still to inform shows in two blocks: one read of the page.
    situations = {
        s.pk: s
        for name in ("new_saisines", "reviews_due", "to_inform", "new_notes", "partner_saisines")
        if name in blocks
        for s in blocks[name][0]
    }.values()
    access_record(request, ((s, s.reference) for s in situations), screen="home")
    referrals = [r for name in ("overdue_referrals", "to_answer") if name in blocks for r in blocks[name][0]]
    access_record(request, ((r, r.situation.reference) for r in referrals), screen="home", purpose=Purpose.REFERRAL)
    actions = [a for name in ("overdue_actions", "actions") if name in blocks for a in blocks[name][0] if a.readable]
    access_record(request, ((a, a.situation.reference) for a in actions), screen="home", purpose=Purpose.SESSION)
    # Steps of the plans this person leads: the grant is theirs as référent, the purpose « suivi ».
    steps = blocks.get("plan_steps", ([], False))[0]
    access_record(request, ((step, step.situation.reference) for step in steps), screen="home")
    context = {
        "coordinator": coordinator,
        "today": today,
        "review_soon_days": casework_selectors.REVIEW_SOON_DAYS,
        "seances": seances[:1] if coordinator else seances,
        "more_seances": more_seances or (coordinator and len(seances) > 1),
        **{name: rows for name, (rows, _more) in blocks.items()},
        **{f"more_{name}": more for name, (_rows, more) in blocks.items()},
    }
    return render(request, "home.html", context)


@require_GET
def accessibility(request):
    """The accessibility statement (RGAA, loi du 11 février 2005 art. 47), reachable signed out."""
    return render(request, "pages/accessibility.html", {"dpo_contact": settings.PARCOURS_DPO_CONTACT})


@require_GET
def legal_notice(request):
    """Mentions légales: who publishes the service and who hosts it, reachable signed out."""
    context = {
        "controller": settings.PARCOURS_CONTROLLER,
        "city": settings.PARCOURS_CITY_NAME,
        "dpo_contact": settings.PARCOURS_DPO_CONTACT,
    }
    return render(request, "pages/legal_notice.html", context)
