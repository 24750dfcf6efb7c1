"""The technical administrator's site: people, partners, the charter and coded lists, never case contents.

Only a person with the admin role, `is_staff`, and a session verified by a TOTP code (waived in
demonstration mode, as everywhere else) may use it. Case models are never registered here.
"""

from auditlog import get_logentry_model
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import accounts, services
from access.middleware import mfa_satisfied
from access.models import CharterAcceptance, CharterVersion, Membership, Partner, Role
from access.permissions import membership_of
from audit.models import Kind
from audit.services import security_record
from core.refusal import Refusal


class ParcoursAdminSite(admin.AdminSite):
    site_header = _("Parcours — administration technique")
    site_title = _("Parcours")

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        membership = membership_of(user)
        return membership is not None and membership.role == Role.ADMIN and mfa_satisfied(user)

    def login(self, request, extra_context=None):
        # One way in: the Parcours sign-in page, with its lockout and second factor.
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("access:login"))


# `admin.site` is already built by django.contrib.admin; give it our rules without another URL tree.
admin.site.__class__ = ParcoursAdminSite


def _changed_fields(message) -> str:
    """The field names of Django's change message (never their values: a password hash, a name)."""
    if isinstance(message, list):
        names = [name for part in message for name in part.get("changed", {}).get("fields", [])]
        added = [part["added"]["name"] for part in message if part.get("added", {}).get("name")]
        return ", ".join([*map(str, names), *(f"+ {name}" for name in map(str, added))]) or "—"
    return str(message)[:80] or "—"


class AuditedAdmin(admin.ModelAdmin):
    """Every write through /admin/ is also a chained security event naming its actor (privacy
    invariant 6): Django's own admin log is neither chained nor shown to the DPO.

    Django calls these three methods for every addition, change (password changes and actions
    included) and deletion it makes; each also writes django_admin_log as before.
    """

    def _record(self, request, obj, verb: str, what: str) -> None:
        security_record(
            Kind.ADMIN_ACT,
            user=request.user,
            obj=obj,
            detail=f"{verb} {obj._meta.verbose_name} n° {obj.pk} — {what}"[:200],
            request=request,
        )

    def log_addition(self, request, obj, message):
        self._record(request, obj, "ajout", _changed_fields(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._record(request, obj, "modification", _changed_fields(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._record(request, obj, "suppression", "—")
        return super().log_deletions(request, queryset)


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ("name", "kind", "charter_signed_on", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    readonly_fields = ("group",)


@admin.register(CharterVersion)
class CharterVersionAdmin(AuditedAdmin):
    list_display = ("version", "title", "published_on")

    def get_readonly_fields(self, request, obj=None):
        # People accepted this exact text: once accepted, a change means publishing a new version.
        if obj is not None and obj.acceptances.exists():
            return ("version", "title", "body", "published_on")
        return ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CharterAcceptance)
class CharterAcceptanceAdmin(AuditedAdmin):
    list_display = ("user", "charter", "accepted_at")
    list_filter = ("charter",)
    search_fields = ("user__username", "user__last_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _own(request, membership_or_user) -> bool:
    if membership_or_user is None:
        return False
    user_id = getattr(membership_or_user, "user_id", membership_or_user.pk)
    return user_id == request.user.pk


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "partner", "role")
    list_filter = ("role", "partner")
    search_fields = ("user__username", "user__last_name", "partner__name")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None):
        # An administrator cannot hand themselves a role that reads case contents.
        return super().has_change_permission(request, obj) and not _own(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Ending someone's access is done by deactivating their account, which keeps the history.
        return False

    def save_model(self, request, obj, form, change):
        saved = services.membership_set(user=obj.user, partner=obj.partner, role=obj.role, by=request.user)
        obj.pk = saved.pk


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    max_num = 1
    extra = 1

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _own(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _own(request, obj)


User = get_user_model()
admin.site.unregister(User)
# Groups follow memberships (access.permissions.sync_membership_groups) and carry object
# permissions: editing them by hand would bypass the rules.
admin.site.unregister(Group)
# Change history ties references to statuses, motifs and référents: case content, for the DPO's
# console only (audit app), never for the technical admin.
admin.site.unregister(get_logentry_model())


class InvitedUserForm(forms.ModelForm):
    """A new account has no password: the person chooses it on their invitation, with their second factor."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "L'invitation (mot de passe et double authentification) part à cette adresse."
        )

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class ParcoursUserAdmin(AuditedAdmin, UserAdmin):
    add_form = InvitedUserForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email")}),)
    actions = ("send_invitation", "request_factor_reset")
    inlines = (MembershipInline,)
    list_display = ("username", "first_name", "last_name", "email", "membership", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "membership__role", "membership__partner")
    list_select_related = ("membership__partner",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Informations personnelles"), {"fields": ("first_name", "last_name", "email")}),
        (_("Statut"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates importantes"), {"fields": ("last_login", "date_joined")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for flag in ("is_superuser", "is_staff"):
            if change and flag in form.changed_data and getattr(obj, flag):
                services.privilege_alert(user=obj, what=flag)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            self._invite(request, form.instance)

    def _invite(self, request, user) -> None:
        try:
            accounts.invitation_send(user=user, by=request.user)
        except Refusal as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Invitation envoyée à %(email)s : le lien est valable %(hours)d heures et ne sert qu'une fois.")
                % {"email": user.email, "hours": settings.PARCOURS_INVITATION_HOURS},
                messages.SUCCESS,
            )

    @admin.action(description=_("Envoyer une nouvelle invitation (remplace la précédente)"))
    def send_invitation(self, request, queryset):
        for user in queryset:
            self._invite(request, user)

    @admin.action(description=_("Demander la réinitialisation du second facteur (à confirmer par une autre personne)"))
    def request_factor_reset(self, request, queryset):
        for user in queryset:
            try:
                accounts.factor_reset_request(user=user, by=request.user)
            except Refusal as refusal:
                self.message_user(request, f"{user.get_username()} : {refusal.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Réinitialisation demandée pour %(user)s : un autre administrateur ou le DPO doit la confirmer.")
                    % {"user": user.get_username()},
                    messages.SUCCESS,
                )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            saved = services.membership_set(
                user=form.instance, partner=membership.partner, role=membership.role, by=request.user
            )
            membership.pk = saved.pk


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class ParcoursTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    """Read-only: a lost device is reset by two people (an administrator asks from the user's page,
    another administrator or the DPO confirms), never deleted, added or edited here; secrets are
    hidden as well (OTP_ADMIN_HIDE_SENSITIVE_DATA)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
