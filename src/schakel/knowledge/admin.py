"""Read-only views in the Django admin. Changes go through the web pages and the API, which
call the services (history, search index, validation)."""

from django.contrib import admin

from .models import ItemRevision, KnowledgeItem, Recommendation, StatusUpdate, UsageCount


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "publisher", "year", "is_published", "version"]
    list_filter = ["kind", "lvb_suitability", "is_published"]
    search_fields = ["title", "slug"]


@admin.register(ItemRevision)
class ItemRevisionAdmin(ReadOnlyAdmin):
    list_display = ["item", "version", "action", "changed_at"]
    list_filter = ["action"]


@admin.register(UsageCount)
class UsageCountAdmin(ReadOnlyAdmin):
    list_display = ["day", "item", "audience", "event", "count"]
    list_filter = ["audience", "event"]
    date_hierarchy = "day"


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "theme", "status", "status_since"]
    list_filter = ["kind", "theme", "status"]
    search_fields = ["code", "summary"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "status", "reported_on", "reported_by"]
    list_filter = ["status"]
