from django.contrib import admin

from casework.admin import CodedEntryAdmin
from seances.models import NotRetainedReason

admin.site.register(NotRetainedReason, CodedEntryAdmin)
