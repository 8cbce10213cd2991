"""Read-only admin for published instrument versions and use counts. Stored assessments are not
shown here: they are personal data, read only through the selectors (and the processing log)."""

from django.contrib import admin

from .models import InstrumentVersion, UsageCount


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnly):
    list_display = ["key", "version", "title", "source", "loaded_at"]
    list_filter = ["key"]
    exclude = ["definition"]


@admin.register(UsageCount)
class UsageCountAdmin(ReadOnly):
    list_display = ["period", "instrument_key", "instrument_version", "mode", "outcome", "count"]
    list_filter = ["instrument_key", "mode", "outcome"]
