"""Who may see which situation (privacy invariant 4).

Access to a situation's contents comes only from explicit object permissions (django-guardian,
direct foreign-key tables), granted and revoked by the functions here when a domain event happens:
creation grants the author's partner and the coordination group; naming a référent grants that
person; sending a referral (orientation) grants the scheme operator's partner read-only access until
the referral ends. Nothing else grants access: not the superuser flag, not a global permission, not the DPO or
admin role. On top of the grants, a person must belong to an active partner that signed the charter
and must have accepted the current charter themselves.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from access.models import CASE_ROLES, COORDINATION_GROUP, CharterAcceptance, CharterVersion, Role

VIEW = "view_situation"
CHANGE = "change_situation"
GRANTED = (VIEW, CHANGE)
# A scheme operator reads the situation it was referred; it does not edit it.
READ_ONLY = (VIEW,)


def coordination_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COORDINATION_GROUP)
    return group


def membership_of(user):
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.membership
    except user._meta.model.membership.RelatedObjectDoesNotExist:
        return None


def has_accepted_current_charter(user) -> bool:
    """Cached on the user object, which lives for one request."""
    cached = getattr(user, "_parcours_charter_accepted", None)
    if cached is not None:
        return cached
    # One query on every request: the current version is a subquery (none published: nothing accepted).
    current = CharterVersion.objects.order_by("-version").values("pk")[:1]
    accepted = CharterAcceptance.objects.filter(user=user, charter_id=Subquery(current)).exists()
    user._parcours_charter_accepted = accepted
    return accepted


def may_read_cases(user) -> bool:
    """Role, partner and charter conditions that come before any object permission. Cached per request."""
    cached = getattr(user, "_parcours_may_read_cases", None)
    if cached is not None:
        return cached
    membership = membership_of(user)
    allowed = bool(
        membership
        and membership.role in CASE_ROLES
        and membership.partner.may_share
        and has_accepted_current_charter(user)
    )
    if user.is_authenticated:
        user._parcours_may_read_cases = allowed
    return allowed


def case_access_refusal(user) -> str | None:
    """Why this person may not read case contents, in words they can act on (None when they may)."""
    if may_read_cases(user):
        return None
    membership = membership_of(user)
    if membership is None:
        return _("Votre compte n'est rattaché à aucun partenaire : demandez-le à l'administrateur.")
    if membership.role not in CASE_ROLES:
        return _("Votre rôle (%(role)s) ne donne pas accès au contenu des situations.") % {
            "role": membership.get_role_display()
        }
    if not membership.partner.active:
        return _("Votre partenaire n'est plus actif dans le groupe.")
    if membership.partner.charter_signed_on is None:
        return _(
            "Votre partenaire n'a pas encore signé la charte déontologique du groupe : "
            "aucune situation ne peut vous être communiquée. Contactez le coordonnateur du CLSPD."
        )
    return _("Vous devez accepter la charte déontologique avant d'accéder aux situations.")


def is_coordinator(user) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.role == Role.COORDINATOR)


# Permission ids by codename, for this process: they change only when auth_permission is rebuilt,
# which sends post_migrate (see AccessConfig.ready), as Django's own content-type cache does.
_permission_ids: dict[str, int] = {}


def forget_permission_ids(**kwargs) -> None:
    _permission_ids.clear()


def situation_permission_id(codename: str) -> int:
    try:
        return _permission_ids[codename]
    except KeyError:
        _permission_ids[codename] = Permission.objects.get(
            content_type__app_label="casework", content_type__model="situation", codename=codename
        ).pk
        return _permission_ids[codename]


class RowProbe(Exists):
    """`EXISTS` that PostgreSQL evaluates row by row, by an index probe on the grant tables.

    Left alone, the planner turns the grant subqueries into hashed subplans: it reads every grant
    the user's groups hold before the first row, because it does not count on the LIMIT of a page
    stopping the walk of the ordered index early. For a reader who holds grants on nearly every
    situation (the coordination group), that is one hash of 100,000 grants per request where a
    page needs 26 probes. `OFFSET 0` makes the subquery one PostgreSQL will neither hash nor pull
    up into a join (`simplify_EXISTS_query` refuses it); the rows it answers are the same.
    """

    template = "EXISTS(%(subquery)s OFFSET 0)"


def situation_access_filter(user, codename: str = VIEW) -> Q:
    """A filter for Situation querysets: rows this user holds `codename` on, as SQL `EXISTS`.

    A restricted situation (art. 18 GDPR) stays readable by the coordination only, and changeable
    by no one, whatever the grants.

    The subqueries name the permission by id and the user's groups through auth_user_groups alone:
    joined to auth_permission and auth_group, every page's query took milliseconds to plan.

    Every row is checked against the grants whoever reads; only the plan's shape depends on the
    reader. The coordination holds a grant on every situation: its rows are probed one by one
    (`RowProbe`) while the ordered index is walked, so a page costs the same at any size. Anyone else
    holds grants on a small share of the situations: hashing those once is cheaper than probing the
    hundreds of rows walked before a page is full.
    """
    from casework.models import SituationGroupObjectPermission, SituationUserObjectPermission

    permission_id = situation_permission_id(codename)
    direct = SituationUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user_id=user.pk, permission_id=permission_id
    )
    groups = user._meta.model.groups.through.objects.filter(user_id=user.pk).values("group_id")
    through_group = SituationGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group_id__in=groups, permission_id=permission_id
    )
    coordinator = is_coordinator(user)
    exists = RowProbe if coordinator else Exists
    granted = Q(exists(direct)) | Q(exists(through_group))
    if codename == VIEW and coordinator:
        return granted
    return granted & Q(restricted=False)


def sync_membership_groups(membership) -> None:
    """Put a person in the groups their role calls for, and only those."""
    user = membership.user
    partner_groups = Group.objects.filter(partner__isnull=False)
    user.groups.remove(*partner_groups, coordination_group())
    if membership.role == Role.STAFF:
        user.groups.add(membership.partner.group)
    elif membership.role == Role.COORDINATOR:
        user.groups.add(membership.partner.group, coordination_group())
    user.__dict__.pop("_parcours_may_read_cases", None)


def _grant_event(kind, situation, *, group, user, codenames) -> None:
    from audit.context import current_request
    from audit.services import security_record

    request = current_request()
    actor = request.user if request is not None and request.user.is_authenticated else None
    target = f"groupe « {group.name} »" if group is not None else f"utilisateur n° {user.pk}"
    security_record(
        kind,
        user=actor,
        obj=situation,
        situation_reference=situation.reference,
        detail=f"{target} : {', '.join(codenames)}",
        request=request,
    )


def grant_situation_access(situation, *, group=None, user=None, codenames=GRANTED) -> None:
    """Every grant is a security event in the audit trail, with the acting user when there is one."""
    from audit.models import Kind

    target = group if group is not None else user
    for codename in codenames:
        assign_perm(f"casework.{codename}", target, situation)
    _grant_event(Kind.GRANT, situation, group=group, user=user, codenames=codenames)


def revoke_situation_access(situation, *, group=None, user=None, codenames=GRANTED) -> None:
    from audit.models import Kind

    target = group if group is not None else user
    for codename in codenames:
        remove_perm(f"casework.{codename}", target, situation)
    _grant_event(Kind.REVOKE, situation, group=group, user=user, codenames=codenames)


def grant_on_creation(situation, *, author_partner) -> None:
    grant_situation_access(situation, group=author_partner.group)
    grant_situation_access(situation, group=coordination_group())


def user_holds(user, situation, codename: str = VIEW) -> bool:
    from casework.models import Situation

    if not may_read_cases(user):
        return False
    return Situation.objects.filter(situation_access_filter(user, codename), pk=situation.pk).exists()
