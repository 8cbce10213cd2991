"""Lawful sharing in Chromium: the decision aid end to end without help from scripts, axe on every
page of /delen/ in every state worth checking, printing on one A4, and reflow at 320 px."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schakel.accounts.models import Organisation, Role
from schakel.people.services import lvb_indication_record, person_create
from schakel.privacy.models import PrivacyProfile
from schakel.privacy.services import (
    agreement_create,
    consent_record,
    sharing_basis_create,
    subject_request_register,
)
from tests.accounts.factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
)

pytestmark = pytest.mark.browser


class Scene:
    """Anna at a care provider, Adam (19, LVB suspected), Veilig Thuis and another provider."""

    def __init__(self, sign_in, role=Role.PROFESSIONAL):
        self.organisation = OrganisationFactory(name="Zorg Noord", domain=Organisation.Domain.ZORG)
        self.anna = MembershipFactory(organisation=self.organisation, role=Role.PROFESSIONAL)
        self.veilig_thuis = OrganisationFactory(
            name="Veilig Thuis Regio", domain=Organisation.Domain.GEMEENTE
        )
        PrivacyProfile.objects.create(organisation=self.veilig_thuis, designations=["veilig_thuis"])
        self.other = OrganisationFactory(name="Jeugdhulp Zuid", domain=Organisation.Domain.ZORG)
        today = timezone.localdate()
        self.adam = person_create(
            actor=self.anna,
            given_names="Adam",
            surname="Visser",
            date_of_birth=today.replace(year=today.year - 19) - datetime.timedelta(days=3),
        )
        lvb_indication_record(
            actor=self.anna,
            person=self.adam,
            status="suspected",
            source_kind="observation",
            source="Begeleider: overziet gevolgen niet",
            observed_on=today,
        )
        self.me = self.anna
        if role != Role.PROFESSIONAL:
            self.me = MembershipFactory(organisation=self.organisation, role=role)
        sign_in(self.me.user, device=TOTPDeviceFactory(user=self.me.user), membership=self.me)

    def consent(self):
        today = timezone.localdate()
        return consent_record(
            actor=self.anna,
            person=self.adam,
            given_by="person",
            purposes=["referral"],
            data_categories=["identificatie", "hulpvraag"],
            recipient_organisations=[self.other],
            valid_from=today,
            valid_until=today + datetime.timedelta(days=60),
            method="written",
            evidence="Formulier in dossier",
            understanding_checks=["teach_back"],
        )

    def question_url(self):
        return (
            f"/delen/vraag/?persoon={self.adam.public_id}&ontvanger={self.veilig_thuis.pk}"
            "&doel=report_veilig_thuis"
        )


def _check(page):
    assert_accessible(page)
    assert_id_references_resolve(page)
    assert_clean_console(page)


def _answer(page, legend: str, answer: str):
    page.get_by_role("group", name=legend).get_by_label(answer, exact=True).check()


def test_anna_finds_out_in_a_few_steps_what_she_may_share_about_adam(page, sign_in):
    scene = Scene(sign_in)
    page.goto("/delen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mag ik dit delen?")
    _check(page)

    page.get_by_label("Over wie gaat het?").select_option(label="Adam Visser")
    page.get_by_label("Met welke organisatie wilt u iets delen?").select_option(
        label="Veilig Thuis Regio"
    )
    page.get_by_label("Melden bij Veilig Thuis").check()
    page.get_by_role("button", name="Verder naar stap 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 2: afwegen")
    expect(page.get_by_text("Deze ontvanger is Veilig Thuis.")).to_be_visible()
    _check(page)

    # Forgetting the questions: an error summary, nothing recorded.
    page.get_by_role("button", name="Uitkomst bekijken en vastleggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Controleer wat u hebt ingevuld")
    _check(page)

    page.get_by_label("Naam en geboortedatum").check()
    page.get_by_label("Signalen van uitbuiting").check()
    _answer(
        page,
        "Hebt u de persoon (of ouder, voogd of vertegenwoordiger) om toestemming gevraagd?",
        "Gevraagd, maar de persoon wil het niet",
    )
    _answer(page, "Is er acute onveiligheid?", "Nee")
    _answer(page, "Is er structurele onveiligheid?", "Ja")
    _answer(page, "Staat delen in verhouding tot het doel?", "Ja")
    _answer(page, "Is er een lichtere manier die ook werkt?", "Nee")
    _answer(page, "Met wie hebt u hierover overlegd?", "De aandachtsfunctionaris of leidinggevende")
    page.get_by_label("Waarom wilt u dit delen? Leg het uit in uw eigen woorden.").fill(
        "Adam brengt pakketjes rond voor een groep en is bang voor ze."
    )
    page.get_by_label("Delen namens de organisatie (op domicilie)").check()
    page.get_by_role("button", name="Uitkomst bekijken en vastleggen").click()

    expect(page).to_have_url(re.compile(r"/delen/besluiten/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", name="Uitkomst: Delen mag")).to_be_visible()
    expect(page.get_by_text("Wmo 2015 art. 5.2.6", exact=False)).to_be_visible()
    _check(page)

    # One A4: the print style hides navigation and hints, and the page fits one sheet.
    page.emulate_media(media="print")
    expect(page.locator(".privacy-nav")).to_be_hidden()
    expect(page.locator(".outcome")).to_be_visible()
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the decision prints on {pages} pages"
    page.emulate_media(media="screen")

    # The recorded decision is now the gate's basis for the report itself.
    basis = sharing_basis_create(
        actor=scene.anna,
        person=scene.adam,
        recipient=scene.veilig_thuis,
        purpose="report_veilig_thuis",
        data_categories=["signalen"],
        on_behalf_of_organisation=True,
    )
    assert basis.kind == "decision"


def test_the_flow_works_without_javascript(browser, live_server, sign_in, make_context):
    context = make_context(java_script_enabled=False)
    scene = Scene(lambda user, **kw: sign_in(user, into=context, **kw))
    page = context.new_page()
    page.goto(scene.question_url())
    page.get_by_label("Naam en geboortedatum").check()
    _answer(
        page,
        "Hebt u de persoon (of ouder, voogd of vertegenwoordiger) om toestemming gevraagd?",
        "Nog niet gevraagd, maar dat kan wel",
    )
    _answer(page, "Is er acute onveiligheid?", "Nee")
    _answer(page, "Is er structurele onveiligheid?", "Nee")
    _answer(page, "Staat delen in verhouding tot het doel?", "Ja")
    _answer(page, "Is er een lichtere manier die ook werkt?", "Nee")
    page.get_by_label("Waarom wilt u dit delen? Leg het uit in uw eigen woorden.").fill("Twijfel")
    page.get_by_role("button", name="Uitkomst bekijken en vastleggen").click()
    expect(page.get_by_role("heading", name="Uitkomst: Niet delen")).to_be_visible()


# -- axe on every page of /delen/ ---------------------------------------------------------------


def overview(page, sign_in):
    Scene(sign_in)
    page.goto("/delen/overzicht/")


def decisions(page, sign_in):
    Scene(sign_in)
    page.goto("/delen/besluiten/")


def consents(page, sign_in):
    Scene(sign_in).consent()
    page.goto("/delen/toestemming/")


def consent_form_errors(page, sign_in):
    scene = Scene(sign_in)
    page.goto(f"/delen/toestemming/nieuw/?persoon={scene.adam.public_id}&doel=referral")
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_role("alert")).to_be_visible()


def consent_detail(page, sign_in):
    consent = Scene(sign_in).consent()
    page.goto(f"/delen/toestemming/{consent.public_id}/")
    page.get_by_text("Toestemming vernieuwen").click()
    page.get_by_text("Toestemming intrekken").click()


def consent_withdrawn(page, sign_in):
    consent = Scene(sign_in).consent()
    page.goto(f"/delen/toestemming/{consent.public_id}/")
    page.get_by_text("Toestemming intrekken").click()
    page.get_by_role("button", name="Nu intrekken").click()
    expect(page.get_by_text("Er mag nu niet op gedeeld worden.")).to_be_visible()


def easy_read(page, sign_in):
    Scene(sign_in)
    page.goto("/delen/uitleg/national_registration/")


def agreements_admin(page, sign_in):
    scene = Scene(sign_in, role=Role.ORG_ADMIN)
    today = timezone.localdate()
    agreement_create(
        actor=scene.me,
        title="Convenant Noord",
        parties=[scene.other],
        purposes=["case_coordination"],
        data_categories=["identificatie"],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=100),
    )
    page.goto("/delen/convenanten/")


def agreement_form_errors(page, sign_in):
    Scene(sign_in, role=Role.ORG_ADMIN)
    page.goto("/delen/convenanten/nieuw/")
    page.get_by_role("button", name="Convenant vastleggen").click()
    expect(page.get_by_role("alert")).to_be_visible()


def agreement_detail(page, sign_in):
    scene = Scene(sign_in, role=Role.ORG_ADMIN)
    today = timezone.localdate()
    agreement = agreement_create(
        actor=scene.me,
        title="Convenant Noord",
        parties=[scene.other],
        purposes=["case_coordination"],
        data_categories=["identificatie"],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=100),
    )
    page.goto(f"/delen/convenanten/{agreement.public_id}/")


def disclosures(page, sign_in):
    scene = Scene(sign_in)
    scene.consent()
    basis = sharing_basis_create(
        actor=scene.anna,
        person=scene.adam,
        recipient=scene.other,
        purpose="referral",
        data_categories=["identificatie"],
    )
    page.goto("/delen/gedeeld/")
    page.get_by_role("link", name=re.compile(r"\d{4}")).first.click()
    expect(page).to_have_url(re.compile(str(basis.public_id)))


def requests(page, sign_in):
    scene = Scene(sign_in)
    subject_request_register(
        actor=scene.anna,
        person=scene.adam,
        kind="access",
        requested_by="person",
        received_on=timezone.localdate(),
    )
    page.goto("/delen/verzoeken/")


def request_form(page, sign_in):
    Scene(sign_in)
    page.goto("/delen/verzoeken/nieuw/")


def request_detail_and_export(page, sign_in):
    scene = Scene(sign_in)
    request = subject_request_register(
        actor=scene.anna,
        person=scene.adam,
        kind="access",
        requested_by="person",
        received_on=timezone.localdate(),
    )
    page.goto(f"/delen/verzoeken/{request.public_id}/inzage/")
    expect(
        page.get_by_role("heading", name="Wie wanneer iets met uw gegevens deed")
    ).to_be_visible()


def request_detail(page, sign_in):
    scene = Scene(sign_in)
    request = subject_request_register(
        actor=scene.anna,
        person=scene.adam,
        kind="erasure",
        requested_by="person",
        received_on=timezone.localdate(),
    )
    page.goto(f"/delen/verzoeken/{request.public_id}/")


def settings_page(page, sign_in):
    Scene(sign_in, role=Role.ORG_ADMIN)
    page.goto("/delen/instellingen/")


PAGES = [
    overview,
    decisions,
    consents,
    consent_form_errors,
    consent_detail,
    consent_withdrawn,
    easy_read,
    agreements_admin,
    agreement_form_errors,
    agreement_detail,
    disclosures,
    requests,
    request_form,
    request_detail,
    request_detail_and_export,
    settings_page,
]


@pytest.mark.parametrize("prepare", PAGES, ids=[p.__name__ for p in PAGES])
def test_privacy_page_has_no_wcag_violations(page, sign_in, prepare):
    prepare(page, sign_in)
    _check(page)


def _question(page, sign_in):
    page.goto(Scene(sign_in).question_url())


def _start(page, sign_in):
    Scene(sign_in)
    page.goto("/delen/")


@pytest.mark.parametrize(
    "prepare",
    [_start, _question, overview, easy_read],
    ids=["start", "question", "overview", "easy_read"],
)
def test_decision_aid_reflows_at_320_css_pixels(page, sign_in, prepare):
    page.set_viewport_size({"width": 320, "height": 640})
    prepare(page, sign_in)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    limit = page.evaluate("() => document.documentElement.clientWidth")
    assert width <= limit, f"{page.url} is {width}px wide in a {limit}px window"


@pytest.mark.parametrize("path", ["/delen/overzicht/", "/delen/uitleg/referral/"])
def test_overview_and_easy_read_print_on_one_a4(page, sign_in, path):
    Scene(sign_in)
    page.goto(path)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"{path} prints on {pages} pages"
