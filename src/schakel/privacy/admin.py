"""Read-only admin views: history in the privacy app is written by services only."""

from django.contrib import admin

from .models import (
    Agreement,
    Consent,
    PrivacyProfile,
    ProcessingEntry,
    SharingBasis,
    SharingDecision,
    SubjectRequest,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ProcessingEntry)
class ProcessingEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "activity", "operation", "role", "outcome"]
    list_filter = ["activity", "operation", "outcome"]


@admin.register(SharingBasis)
class SharingBasisAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "sender", "recipient", "purpose", "kind", "legal_basis"]
    list_filter = ["kind", "purpose"]
    exclude = ["person", "subject_pseudonym", "override_reason"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["title", "valid_from", "valid_until"]


@admin.register(PrivacyProfile)
class PrivacyProfileAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "privacy_officer_email", "designations"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "organisation", "valid_from", "valid_until"]
    exclude = ["person", "given_by_name", "note"]


@admin.register(SharingDecision)
class SharingDecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "organisation", "recipient", "purpose", "outcome"]
    exclude = ["person", "explanation", "answers", "facts"]


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "organisation", "kind", "deadline"]
    exclude = ["person", "subject_pseudonym", "description"]
