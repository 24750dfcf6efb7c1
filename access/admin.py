"""The technical administrator's site: people, partners, the charter and coded lists, never case contents.

Only a person with the admin role, `is_staff`, and a session verified by a TOTP code (waived in
demonstration mode, as everywhere else) may use it. Case models are never registered here.
"""

from auditlog import get_logentry_model
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import services
from access.middleware import mfa_satisfied
from access.models import CharterAcceptance, CharterVersion, Membership, Partner, Role
from access.permissions import membership_of


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


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "charter_signed_on", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    readonly_fields = ("group",)


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "published_on")

    def get_readonly_fields(self, request, obj=None):
        # People accepted this exact text: once accepted, a change means publishing a new version.
        if obj is not None and obj.acceptances.exists():
            return ("version", "title", "body", "published_on")
        return ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CharterAcceptance)
class CharterAcceptanceAdmin(admin.ModelAdmin):
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
class MembershipAdmin(admin.ModelAdmin):
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
        saved = services.membership_set(user=obj.user, partner=obj.partner, role=obj.role)
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


@admin.register(User)
class ParcoursUserAdmin(UserAdmin):
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

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            saved = services.membership_set(user=form.instance, partner=membership.partner, role=membership.role)
            membership.pk = saved.pk


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class ParcoursTOTPDeviceAdmin(TOTPDeviceAdmin):
    """The admin may delete a lost device (its owner enrols again at next sign-in), nothing more.

    Adding or editing a device would let the admin hold someone else's second factor unnoticed;
    secrets are hidden as well (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
