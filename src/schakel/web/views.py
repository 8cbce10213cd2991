"""Public pages of the web shell and the error handlers."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from schakel.privacy.register import processing_register


@require_GET
def home(request):
    return render(request, "web/home.html")


@require_GET
def privacy_statement(request):
    register = processing_register()
    activities = [
        {
            "key": a.key,
            "name_text": a.text("name"),
            "purpose_text": a.text("purpose"),
            "retention_text": a.text("retention"),
            "legal_bases": a.legal_bases,
            "data_categories": a.data_categories,
            "recipients": a.recipients,
            "confidential": a.confidential,
        }
        for a in register.activities.values()
    ]
    return render(request, "web/privacy.html", {"register": register, "activities": activities})


@require_GET
def accessibility_statement(request):
    return render(request, "web/accessibility.html")


def csrf_failure(request, reason=""):
    return render(request, "403.html", status=403)
