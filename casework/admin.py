"""Only the coded lists are administered here.

Person, Situation and Note are deliberately absent: the technical administrator sees no case
content (privacy invariant 3). Do not register them.
"""

from django.contrib import admin

from access.admin import AuditedAdmin
from casework.models import ClosureReason, Motif, Source, Territory


class CodedEntryAdmin(AuditedAdmin):
    list_display = ("code", "label", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("active",)
    search_fields = ("code", "label")
    ordering = ("position", "label")

    def has_delete_permission(self, request, obj=None):
        # Past situations and statistics refer to these codes: retire an entry by unticking "actif".
        return False


for model in (Source, Motif, ClosureReason, Territory):
    admin.site.register(model, CodedEntryAdmin)
