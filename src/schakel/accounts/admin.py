from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import AccountEvent, ApiToken, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "is_active", "ended_at"]
    readonly_fields = ["ended_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "deactivated_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    # Deactivation must end sessions and tokens, so it only happens through the service.
    readonly_fields = ["is_active", "deactivated_at"]
    inlines = [MembershipInline]
    actions = ["deactivate_users"]

    @admin.action(description="Deactiveren (beëindigt sessies en tokens)")
    def deactivate_users(self, request, queryset):
        for user in queryset.filter(is_active=True):
            services.user_deactivate(actor=None, user=user, by_superuser=request.user)
        messages.success(request, "De gekozen accounts zijn gedeactiveerd.")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "municipality", "is_active"]
    list_filter = ["domain"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "membership", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = [
        "membership",
        "prefix",
        "secret_hash",
        "label",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "created_by",
    ]
    actions = ["revoke_tokens"]

    def has_add_permission(self, request):
        return False  # tokens are issued with `manage.py api_token`, which shows the secret once

    @admin.action(description="Intrekken")
    def revoke_tokens(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token, revoked_by=request.user)


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "actor_user", "organisation", "target_user"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
