"""Login with 2FA, choosing an organisation, the account page and organisation users."""

import base64
import time

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors, services
from .forms import ChooseOrganisationForm, EnrolForm, InviteForm, LoginForm, OtpForm, RoleForm
from .middleware import SESSION_ACTOR_KEY, SESSION_SEEN_KEY, SESSION_STARTED_KEY
from .models import User
from .permissions import can


def _next_url(request, default="web:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _apply_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].lower()
        # A locked account is refused before its password is checked, so that guessing on
        # cannot tell a right password from a wrong one.
        if services.account_locked(email=email):
            return render(request, "accounts/account_locked.html", status=429)
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return render(request, "accounts/locked_out.html", status=429)
            if services.login_failure_register(email=email):
                return render(request, "accounts/account_locked.html", status=429)
            form.add_error(None, _("Het e-mailadres of het wachtwoord klopt niet."))
        else:
            login(request, user)
            now = int(time.time())
            request.session[SESSION_STARTED_KEY] = now
            request.session[SESSION_SEEN_KEY] = now
            services.user_session_register(user=user, session_key=request.session.session_key)
            next_url = _next_url(request)
            return redirect(f"{reverse('accounts:two_factor')}?next={next_url}")
    context = {"form": form, "expired": "verlopen" in request.GET, "next": _next_url(request)}
    return render(request, "accounts/login.html", context)


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Verify the second factor, or start enrolment when the user has no authenticator yet."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{reverse('accounts:two_factor_setup')}?next={next_url}")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is None:
            form.add_error("code", _("Deze code klopt niet of is al gebruikt."))
        else:
            otp_login(request, device)
            return redirect(f"{reverse('accounts:choose_organisation')}?next={next_url}")
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return image.to_string(encoding="unicode")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_device and not user.is_verified():
        return redirect("accounts:two_factor")
    device = services.totp_device_start(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def choose_organisation(request):
    memberships = list(selectors.memberships_of(user=request.user))
    next_url = _next_url(request)
    if request.method == "POST":
        form = ChooseOrganisationForm(request.POST)
        chosen = None
        if form.is_valid():
            chosen = next((m for m in memberships if m.pk == form.cleaned_data["membership"]), None)
        if chosen is None:
            messages.error(request, _("Kies een van uw organisaties."))
        else:
            request.session[SESSION_ACTOR_KEY] = chosen.pk
            messages.success(
                request,
                _("U werkt nu namens %(org)s.") % {"org": chosen.organisation.name},
            )
            return redirect(next_url)
    elif len(memberships) == 1:
        request.session[SESSION_ACTOR_KEY] = memberships[0].pk
        return redirect(next_url)
    context = {"memberships": memberships, "next": next_url}
    return render(request, "accounts/choose_organisation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    password_form = PasswordChangeForm(user, request.POST or None)
    # The page starts at the top (skip link, heading), not inside the form (WCAG 2.4.3).
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and password_form.is_valid():
        services.user_change_password(
            user=user, new_password=password_form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Uw wachtwoord is gewijzigd."))
        return redirect("accounts:account")
    context = {
        "password_form": password_form,
        "memberships": selectors.memberships_of(user=user),
        "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "tokens": selectors.api_tokens_for(user=user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def recovery_codes_renew(request):
    if not request.user.is_verified():
        raise PermissionDenied
    codes = services.recovery_codes_renew(user=request.user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("web:home")}
    )


@require_http_methods(["POST"])
def keepalive(request):
    """ "Ingelogd blijven": restart the idle clock now (the middleware only does so every 15 s)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session[SESSION_SEEN_KEY] = int(time.time())
    return HttpResponse(status=204)


@require_http_methods(["GET", "POST"])
def password_setup(request, uidb64, token):
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, UnicodeDecodeError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_setup_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_change_password(user=user, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("Uw wachtwoord is ingesteld. U kunt nu inloggen."))
        return redirect("accounts:login")
    return render(request, "accounts/password_setup.html", {"form": form})


# -- organisation users (org_admin) -----------------------------------------------------------


def _require_manager(request):
    if not can(request.actor, "organisation.manage_users"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def unlock(request, token):
    """The owner's link from the e-mail: a page with one button (mail scanners only GET)."""
    try:
        services.account_for_unlock_token(token=token)
    except ValidationError:
        return render(request, "accounts/unlock.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.account_unlock_by_token(token=token)
        messages.success(
            request,
            _("Uw account is ontgrendeld. Log in; kies een nieuw wachtwoord als u dit niet was."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/unlock.html", {"invalid": False})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_users(request):
    _require_manager(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(email)s is toegevoegd. Nieuwe gebruikers krijgen een e-mail om een "
                    "wachtwoord te kiezen."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:organisation_users")
    members = selectors.organisation_members_for(actor=request.actor)
    return render(
        request,
        "accounts/organisation_users.html",
        {"form": form, "members": members, "role_form": RoleForm()},
    )


@login_required
@require_http_methods(["POST"])
def organisation_member_action(request, pk, action):
    # The selector answers 404 to anyone who may not manage this account (not 403), so that
    # account ids cannot be probed.
    membership = selectors.organisation_membership_get_for(actor=request.actor, pk=pk)
    try:
        if action == "rol":
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"role": _("Kies een bestaande rol.")})
            services.membership_change_role(
                actor=request.actor, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(request, _("De rol is gewijzigd."))
        elif action == "beeindigen":
            services.membership_end(actor=request.actor, membership=membership)
            messages.success(request, _("De toegang voor deze organisatie is beëindigd."))
        elif action == "ontgrendelen":
            services.account_unlock(actor=request.actor, user=membership.user)
            messages.success(request, _("Het account is ontgrendeld."))
        elif action == "deactiveren":
            services.user_deactivate(actor=request.actor, user=membership.user)
            messages.success(request, _("Het account is gedeactiveerd en overal uitgelogd."))
        else:
            return HttpResponseNotAllowed(["POST"])
    except ValidationError as error:
        for texts in error.message_dict.values():
            for text in texts:
                messages.error(request, text)
    except PermissionDenied:
        messages.error(request, _("Dat mag u niet bij dit account."))
    return redirect("accounts:organisation_users")
