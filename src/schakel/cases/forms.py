"""Forms of the case pages. They only check types and give labels; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.forms import AccessibleFormMixin
from schakel.accounts.models import Organisation

from . import sources
from .models import AftercarePlan, Case, Involvement, Meeting, MemberRole, PlacementKind, Task
from .rules import case_rules
from .services import DEFAULT_MEMBER_CATEGORIES, DEFAULT_REFERRAL_CATEGORIES, MANUAL_KINDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class _Form(AccessibleFormMixin, forms.Form):
    pass


def _member_label(member) -> str:
    user = member.membership.user
    return f"{user.full_name or user.email} ({member.organisation.name})"


def _membership_label(membership) -> str:
    user = membership.user
    return f"{user.full_name or user.email} ({membership.organisation.name})"


# -- the case ---------------------------------------------------------------------------------


class CaseCreateForm(_Form):
    person = forms.ChoiceField(
        label=_("Persoon"),
        help_text=_(
            "Iemand van uw organisatie. Staat de persoon er niet bij? Leg hem of haar "
            "dan eerst vast bij Personen."
        ),
    )
    involvement = forms.ChoiceField(
        label=_("De persoon is"), choices=Involvement.choices, widget=forms.RadioSelect
    )
    exploitation = forms.MultipleChoiceField(
        label=_("Vormen van uitbuiting (als bekend)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    help_question = forms.CharField(
        label=_("Hulpvraag"),
        required=False,
        widget=_text_area(),
        help_text=_(
            "In een paar zinnen: wat is er nodig? Schrijf het zo mogelijk samen met de persoon op."
        ),
    )
    backup = forms.ChoiceField(
        label=_("Achtervang"),
        help_text=_("Een collega die de casus kent en het overneemt als u er niet bent."),
    )

    def __init__(self, *args, persons=(), colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Kies de persoon"))] + [
            (str(p.public_id), p.display_name) for p in persons
        ]
        self.fields["exploitation"].choices = sources.form_choices()
        self.colleagues = {str(m.pk): m for m in colleagues}
        self.fields["backup"].choices = [("", _("Kies een collega"))] + [
            (key, _membership_label(m)) for key, m in self.colleagues.items()
        ]


class CaseEditForm(VersionMixin, _Form):
    involvement = forms.ChoiceField(
        label=_("De persoon is"), choices=Involvement.choices, widget=forms.RadioSelect
    )
    exploitation = forms.MultipleChoiceField(
        label=_("Vormen van uitbuiting"), required=False, widget=forms.CheckboxSelectMultiple
    )
    help_question = forms.CharField(label=_("Hulpvraag"), required=False, widget=_text_area())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exploitation"].choices = sources.form_choices()


class CaseCloseForm(VersionMixin, _Form):
    closed_on = forms.DateField(label=_("Afgesloten op"), widget=DateInput)
    reason = forms.CharField(
        label=_("Waarom sluit u de casus af?"), required=False, widget=_text_area()
    )
    no_aftercare_reason = forms.CharField(
        label=_("Waarom is er geen nazorgplan?"),
        required=False,
        widget=_text_area(),
        help_text=_("Alleen nodig als er geen nazorgplan is."),
    )


class ReasonForm(VersionMixin, _Form):
    reason = forms.CharField(label=_("Waarom?"), required=False, widget=_text_area())


class ResidenceForm(VersionMixin, _Form):
    foreign_victim = forms.BooleanField(label=_("Buitenlands slachtoffer"), required=False)
    residence_status = forms.ChoiceField(label=_("Verblijfsstatus"), required=False)
    reflection_start = forms.DateField(
        label=_("Bedenktijd vanaf"), required=False, widget=DateInput
    )
    reflection_end = forms.DateField(
        label=_("Bedenktijd tot en met"),
        required=False,
        widget=DateInput,
        help_text=_("Hoogstens 3 maanden. Leeg laten: Schakel rekent 3 maanden."),
    )
    residence_applied_on = forms.DateField(
        label=_("Verblijfsvergunning aangevraagd op"), required=False, widget=DateInput
    )
    residence_decision = forms.ChoiceField(label=_("Besluit op de aanvraag"), required=False)
    residence_decision_on = forms.DateField(
        label=_("Datum van het besluit"), required=False, widget=DateInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ResidenceStatus

        self.fields["residence_status"].choices = ResidenceStatus.choices
        self.fields["residence_decision"].choices = Case.ResidenceDecision.choices


# -- the timeline -----------------------------------------------------------------------------


class TimelineFilterForm(_Form):
    group = forms.ChoiceField(label=_("Soort"), required=False)
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Alles"))] + [(k, v) for k, v in groups]


class EventForm(_Form):
    kind = forms.ChoiceField(label=_("Wat legt u vast?"))
    occurred_on = forms.DateField(label=_("Datum"), widget=DateInput)
    text = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        widget=_text_area(4),
        help_text=_("Feiten: wat, wanneer, wie zag of zei het. Houd uw eigen indruk apart."),
    )
    domain = forms.ChoiceField(
        label=_("Signaal uit welk domein? (alleen bij een signaal)"), required=False
    )
    exploitation = forms.MultipleChoiceField(
        label=_("Vorm van uitbuiting (alleen bij een signaal)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lvb_specialist_present = forms.BooleanField(
        label=_("Een LVB-specialist was bij de intake (alleen bij een intake)"), required=False
    )
    expert_by_experience_present = forms.BooleanField(
        label=_("Een ervaringsdeskundige was bij de intake (alleen bij een intake)"),
        required=False,
    )
    care_present = forms.BooleanField(
        label=_("De hulpverlening was bij de intake (alleen bij een intake)"), required=False
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Event

        labels = dict(Event.Kind.choices)
        kinds = [k for k in MANUAL_KINDS if access is None or access.sees_event(k)]
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
        self.fields["domain"].choices = [("", _("niet gekozen"))] + list(
            Organisation.Domain.choices
        )
        self.fields["exploitation"].choices = sources.form_choices()


class CorrectionForm(_Form):
    text = forms.CharField(
        label=_("Wat klopte er niet, en wat is juist?"), required=False, widget=_text_area(4)
    )
    occurred_on = forms.DateField(label=_("Juiste datum"), required=False, widget=DateInput)


# -- members, backup, handover ----------------------------------------------------------------


def _category_field(label, purpose, initial):
    field = forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple, initial=initial
    )
    field.purpose = purpose
    return field


class MemberAddForm(_Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    email = forms.EmailField(
        label=_("E-mailadres van de professional"),
        help_text=_("Het e-mailadres waarmee hij of zij inlogt bij Schakel."),
    )
    role = forms.ChoiceField(label=_("Rol in de casus"), choices=MemberRole.choices)
    lvb_expertise = forms.BooleanField(label=_("Heeft LVB-expertise"), required=False)
    data_categories = _category_field(
        _("Welke gegevens heeft deze organisatie nodig?"),
        sources.CASE_PURPOSE,
        DEFAULT_MEMBER_CATEGORIES,
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
        self.fields["data_categories"].choices = sources.category_choices(sources.CASE_PURPOSE)
        self.fields["data_categories"].help_text = _(
            "Alleen wat nodig is. Kies altijd 'Tijdlijn van de casus'. Van een andere "
            "organisatie toetst Schakel eerst of dit gedeeld mag worden. Collega's van de "
            "organisatie die de casus heeft, zien alles."
        )


class MemberEditForm(VersionMixin, _Form):
    role = forms.ChoiceField(label=_("Rol in de casus"), choices=MemberRole.choices)
    lvb_expertise = forms.BooleanField(label=_("Heeft LVB-expertise"), required=False)
    data_categories = _category_field(
        _("Welke gegevens heeft deze organisatie nodig?"), sources.CASE_PURPOSE, None
    )

    def __init__(self, *args, with_categories=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_categories:
            self.fields["data_categories"].choices = sources.category_choices(sources.CASE_PURPOSE)
        else:
            del self.fields["data_categories"]


class MemberEndForm(_Form):
    reason = forms.CharField(label=_("Waarom stopt dit lid?"), required=False, widget=_text_area())


class _MemberChoiceForm(_Form):
    def _members_choices(self, name, members, empty):
        self.members = {str(m.pk): m for m in members}
        self.fields[name].choices = [("", empty)] + [
            (key, _member_label(m)) for key, m in self.members.items()
        ]

    def member(self, name):
        return self.members.get(self.cleaned_data.get(name) or "")


class BackupForm(VersionMixin, _MemberChoiceForm):
    backup = forms.ChoiceField(label=_("Nieuwe achtervang"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._members_choices("backup", members, _("Kies een lid"))


class HandoverOfferForm(_MemberChoiceForm):
    to_member = forms.ChoiceField(
        label=_("Nieuwe regiehouder"),
        help_text=_("Alleen leden van de casus. Voeg iemand eerst toe aan het team."),
    )
    new_backup = forms.ChoiceField(
        label=_("Nieuwe achtervang (als die verandert)"),
        required=False,
        help_text=_(
            "Leeg laten: de achtervang blijft. Is de nieuwe regiehouder nu de "
            "achtervang, dan wordt u de achtervang."
        ),
    )
    message = forms.CharField(
        label=_("Bericht voor de nieuwe regiehouder"), required=False, widget=_text_area()
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._members_choices("to_member", members, _("Kies een lid"))
        self.fields["new_backup"].choices = [("", _("De achtervang blijft"))] + [
            (key, _member_label(m)) for key, m in self.members.items()
        ]


class HandoverAcceptForm(_Form):
    talked_with_person = forms.BooleanField(required=False)
    history_read = forms.BooleanField(required=False)
    appointments_moved = forms.BooleanField(required=False)
    note = forms.CharField(
        label=_("Opmerking (niet verplicht)"), required=False, widget=_text_area()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in case_rules().handover_checklist:
            self.fields[item.key].label = item.label


class HandoverDeclineForm(_Form):
    reason = forms.CharField(
        label=_("Waarom neemt u de regie niet over?"), required=False, widget=_text_area()
    )


# -- help: referrals and placements -----------------------------------------------------------


class ReferralSearchForm(_Form):
    need = forms.ChoiceField(label=_("Soort hulp"), required=False)
    q = forms.CharField(label=_("Zoekwoorden (niet verplicht)"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("Alle soorten"))] + sources.need_choices()


class ReferralCreateForm(_Form):
    need = forms.ChoiceField(label=_("Soort hulp"), required=False)
    note = forms.CharField(
        label=_("Toelichting voor de aanbieder"), required=False, widget=_text_area()
    )
    data_categories = _category_field(
        _("Welke gegevens krijgt de aanbieder?"),
        sources.REFERRAL_PURPOSE,
        DEFAULT_REFERRAL_CATEGORIES,
    )
    override_reason = forms.CharField(
        label=_("Alleen bij acuut gevaar: waarom kan dit niet wachten?"),
        required=False,
        widget=_text_area(2),
        help_text=_("Dit gebruikt de noodprocedure. De privacy officer toetst dat achteraf."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("niet gekozen"))] + sources.need_choices()
        self.fields["data_categories"].choices = sources.category_choices(sources.REFERRAL_PURPOSE)


class ReferralStepForm(VersionMixin, _Form):
    on = forms.DateField(label=_("Datum"), widget=DateInput)
    reason = forms.CharField(label=_("Reden"), required=False, widget=_text_area(2))


class PlacementForm(_Form):
    provider_name = forms.CharField(label=_("Aanbieder"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Soort plaatsing"), choices=PlacementKind.choices, widget=forms.RadioSelect
    )
    started_on = forms.DateField(label=_("Gestart op"), widget=DateInput)


class PlacementEndForm(VersionMixin, _Form):
    ended_on = forms.DateField(label=_("Gestopt op"), widget=DateInput)
    end_reason = forms.CharField(label=_("Waarom stopte het?"), required=False, widget=_text_area())


# -- meetings and tasks -----------------------------------------------------------------------


class MeetingForm(_Form):
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=Meeting.Kind.choices)
    date = forms.DateField(label=_("Datum"), widget=DateInput)
    time = forms.TimeField(label=_("Tijd (niet verplicht)"), required=False, widget=TimeInput)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=_text_area(4))
    participants = forms.MultipleChoiceField(
        label=_("Wie doen er mee?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_participants = forms.CharField(
        label=_("Andere deelnemers (zonder account in Schakel)"),
        required=False,
        widget=_text_area(2),
        help_text=_("Bijvoorbeeld een ouder, een mentor of een cliëntondersteuner."),
    )
    person_present = forms.BooleanField(label=_("De persoon zelf doet mee"), required=False)
    external_lvb_expert = forms.BooleanField(
        label=_("Een LVB-deskundige van buiten Schakel doet mee"), required=False
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["participants"].choices = [
            (key, _member_label(m) + (" · " + str(_("LVB-expertise")) if m.lvb_expertise else ""))
            for key, m in self.members.items()
        ]

    def chosen_members(self):
        return [
            self.members[k] for k in self.cleaned_data.get("participants", []) if k in self.members
        ]


class MeetingEditForm(VersionMixin, MeetingForm):
    status = forms.ChoiceField(label=_("Status"), choices=Meeting.Status.choices)
    minutes = forms.CharField(label=_("Verslag"), required=False, widget=_text_area(6))


class DecisionForm(_Form):
    text = forms.CharField(label=_("Besluit"), required=False, widget=_text_area(3))


class TaskForm(_Form):
    title = forms.CharField(label=_("Wat is afgesproken?"), max_length=200)
    owner = forms.ChoiceField(label=_("Wie doet het?"))
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DateInput)
    description = forms.CharField(label=_("Toelichting"), required=False, widget=_text_area(2))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {str(m.membership_id): m.membership for m in members}
        self.fields["owner"].choices = [("", _("Kies een lid"))] + [
            (str(m.membership_id), _member_label(m)) for m in members
        ]

    def chosen_owner(self):
        return self.owners.get(self.cleaned_data.get("owner") or "")


class TaskUpdateForm(VersionMixin, _Form):
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)
    checklist = forms.MultipleChoiceField(
        label=_("Afgevinkt"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = list((task.checklist or {}).keys()) if task else []
        if items:
            labels = {item.key: item.label for item in case_rules().transition_checklist}
            self.fields["checklist"].choices = [(k, labels.get(k, k)) for k in items]
        else:
            del self.fields["checklist"]


# -- aftercare and the crisis card ------------------------------------------------------------


class AftercareForm(VersionMixin, _Form):
    coach_kind = forms.ChoiceField(
        label=_("Wie begeleidt na afloop?"), choices=AftercarePlan.CoachKind.choices, required=False
    )
    coach_name = forms.CharField(label=_("Naam coach of buddy"), required=False, max_length=200)
    coach_contact = forms.CharField(
        label=_("Bereikbaar via"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld het wijkteam en een telefoonnummer van het werk."),
    )
    notes = forms.CharField(label=_("Verder"), required=False, widget=_text_area(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = []
        for domain in case_rules().aftercare_domains:
            situation = f"{domain.key}_situation"
            goal = f"{domain.key}_goal"
            self.fields[situation] = forms.CharField(
                label=_("Hoe is het nu?"), required=False, widget=_text_area(2)
            )
            self.fields[goal] = forms.CharField(
                label=_("Doel en wie helpt"), required=False, widget=_text_area(2)
            )
            self.domains.append((domain, situation, goal))

    def domain_rows(self):
        return [(domain, self[situation], self[goal]) for domain, situation, goal in self.domains]

    def domain_values(self) -> dict:
        return {
            domain.key: {
                "situation": self.cleaned_data.get(situation, ""),
                "goal": self.cleaned_data.get(goal, ""),
            }
            for domain, situation, goal in self.domains
        }

    @classmethod
    def initial_from(cls, plan) -> dict:
        initial = {"version": plan.version if plan else 0}
        if plan is None:
            return initial
        for key, value in (plan.domains or {}).items():
            initial[f"{key}_situation"] = value.get("situation", "")
            initial[f"{key}_goal"] = value.get("goal", "")
        initial.update(
            coach_kind=plan.coach_kind,
            coach_name=plan.coach_name,
            coach_contact=plan.coach_contact,
            notes=plan.notes,
        )
        return initial


class CrisisCardForm(VersionMixin, _Form):
    call_first = forms.CharField(
        label=_("Wie moet de politie of hulpverlening bellen?"),
        widget=_text_area(3),
        required=False,
        help_text=_("Naam, wie het is (bijvoorbeeld moeder of begeleider) en telefoonnummer."),
    )
    legal_representative = forms.CharField(
        label=_("Wettelijk vertegenwoordiger, voogd of mentor"),
        required=False,
        widget=_text_area(2),
    )
    financial_administrator = forms.CharField(
        label=_("Bewindvoerder"), required=False, widget=_text_area(2)
    )
    what_helps = forms.CharField(
        label=_("Wat helpt mij als het slecht gaat?"), required=False, widget=_text_area(3)
    )
    what_does_not_help = forms.CharField(
        label=_("Wat helpt mij niet?"), required=False, widget=_text_area(3)
    )
    communication = forms.CharField(
        label=_("Zo praat u het best met mij"), required=False, widget=_text_area(2)
    )
    agreed_by_person = forms.BooleanField(
        label=_("De persoon heeft de kaart gezien en is het ermee eens"),
        required=False,
        help_text=_("Alleen een kaart waar de persoon mee instemt, kan gedeeld worden."),
    )


class CrisisCardShareForm(_Form):
    recipient = forms.ModelChoiceField(
        label=_("Politie-eenheid"), queryset=Organisation.objects.none()
    )
    override_reason = forms.CharField(
        label=_("Alleen bij acuut gevaar: waarom kan dit niet wachten?"),
        required=False,
        widget=_text_area(2),
        help_text=_("Dit gebruikt de noodprocedure. De privacy officer toetst dat achteraf."),
    )

    def __init__(self, *args, police=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = (
            police if police is not None else Organisation.objects.none()
        )
