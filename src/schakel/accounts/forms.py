from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class AccessibleFormMixin:
    """Adds aria-invalid and aria-describedby (help and error texts) to every widget."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}_helptext")
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{bound.auto_id}_error")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class LoginForm(AccessibleFormMixin, forms.Form):
    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("De 6 cijfers uit uw app, of een van uw herstelcodes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"),
        max_length=8,
        help_text=_("Vul de 6 cijfers in die de app nu laat zien."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ChooseOrganisationForm(forms.Form):
    membership = forms.IntegerField()


class InviteForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    full_name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)


class RoleForm(AccessibleFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Nieuwe rol"), choices=Role.choices)
