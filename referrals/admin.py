"""The scheme catalogue and the referral coded lists; never a referral (case content)."""

from django.contrib import admin

from access.admin import AuditedAdmin
from casework.admin import CodedEntryAdmin
from referrals.models import DeclineReason, Outcome, Scheme

for model in (DeclineReason, Outcome):
    admin.site.register(model, CodedEntryAdmin)


@admin.register(Scheme)
class SchemeAdmin(AuditedAdmin):
    list_display = ("name", "operator", "min_age", "max_age", "response_deadline_days", "active")
    list_filter = ("active", "operator")
    search_fields = ("name",)
    filter_horizontal = ("territories", "motifs")

    def has_delete_permission(self, request, obj=None):
        # Referrals point at their scheme: retire one by unticking "actif".
        return False
