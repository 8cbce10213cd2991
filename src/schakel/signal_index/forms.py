from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin

from .reasons import reason_choices


class RegisterForm(AccessibleFormMixin, forms.Form):
    """Registering directly: identifiers (used once, never stored) and a reason category. From a
    case or a screening the identifiers fields are left out."""

    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        help_text=_("Als u het weet. Anders: achternaam, voornamen en geboortedatum."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    surname = forms.CharField(
        label=_("Achternaam"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    given_names = forms.CharField(
        label=_("Voornamen"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    birth_date = forms.DateField(
        label=_("Geboortedatum"),
        required=False,
        help_text=_("Bijvoorbeeld 2009-03-14."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
    )
    reason = forms.ChoiceField(label=_("Aanleiding"), choices=())
    contact_function = forms.CharField(
        label=_("Uw functie"),
        max_length=100,
        help_text=_("Wat de andere organisatie ziet, bijvoorbeeld ‘mentor’ of ‘wijkagent’."),
    )
    contact_phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        help_text=_("Waarop de andere organisatie u kan bellen."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    IDENTIFIER_FIELDS = ("bsn", "surname", "given_names", "birth_date")

    def __init__(self, *args, from_context: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Kies een aanleiding")), *reason_choices()]
        if from_context:
            for name in (*self.IDENTIFIER_FIELDS, "reason"):
                del self.fields[name]


class ConfirmForm(AccessibleFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class InviteForm(AccessibleFormMixin, forms.Form):
    case = forms.ChoiceField(label=_("Casus"), choices=())

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [
            (str(c.public_id), f"{c.reference or str(c.public_id)[:8]} ({c.opened_on:%d-%m-%Y})")
            for c in cases
        ]
