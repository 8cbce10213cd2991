from django.contrib import admin

from .models import Municipality, SafetyRegion


@admin.register(SafetyRegion)
class SafetyRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "safety_region", "is_active"]
    list_filter = ["province", "safety_region"]
    search_fields = ["name", "code"]
