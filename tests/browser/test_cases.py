"""Cases in Chromium: the journey from the first signal to aftercare, by keyboard and mouse, with
axe on every page the cases capability adds, and no script needed anywhere."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schakel.accounts.models import Organisation, Role
from schakel.cases import services
from schakel.people.services import lvb_indication_record, person_create
from tests.accounts.factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory
from tests.browser.helpers import (
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
    sign_in_context,
    tab_until,
)
from tests.cases.factories import OfferFactory, agreement_between

pytestmark = pytest.mark.browser


def checked(page) -> None:
    assert_accessible(page)
    assert_id_references_resolve(page)


class Scene:
    """Fatima leads; Lisa is her backup; Peter works at a school; Sanne at the police."""

    def __init__(self):
        self.zorg = OrganisationFactory(name="Zorg Noord", domain=Organisation.Domain.ZORG)
        self.school = OrganisationFactory(name="School Zuid", domain=Organisation.Domain.ONDERWIJS)
        self.police = OrganisationFactory(name="Politie Oost", domain=Organisation.Domain.POLITIE)
        self.fatima = MembershipFactory(
            organisation=self.zorg, role=Role.PROFESSIONAL, user__full_name="Fatima de Wit"
        )
        self.lisa = MembershipFactory(
            organisation=self.zorg, role=Role.CARE_COORDINATOR, user__full_name="Lisa Bos"
        )
        self.peter = MembershipFactory(
            organisation=self.school,
            role=Role.PROFESSIONAL,
            user__full_name="Peter Mentor",
            user__email="peter@school.example",
        )
        self.sanne = MembershipFactory(organisation=self.police, role=Role.PROFESSIONAL)
        self.manager = MembershipFactory(organisation=self.zorg, role=Role.ORG_ADMIN)
        agreement_between(self.zorg, self.school)
        agreement_between(self.zorg, self.police)
        today = timezone.localdate()
        self.person = person_create(
            actor=self.fatima,
            given_names="Daan",
            surname="Visser",
            date_of_birth=today.replace(year=today.year - 17) - datetime.timedelta(days=200),
        )
        lvb_indication_record(
            actor=self.fatima,
            person=self.person,
            status="suspected",
            source_kind="observation",
            source="Mentor: begrijpt afspraken vaak niet",
            observed_on=today,
        )
        self.first = OfferFactory(name="Opvang Eerste Keus", services=["shelter"])
        self.second = OfferFactory(name="Ambulant Team Tweede", services=["ambulant"])


@pytest.fixture
def scene(live_server):
    return Scene()


@pytest.fixture
def as_user(make_context, live_server):
    """Factory: a page in a new context, signed in (2FA verified) as `membership`."""

    def make(membership, **options):
        context = make_context(**options)
        sign_in_context(
            context,
            live_server.url,
            membership.user,
            device=TOTPDeviceFactory(user=membership.user),
            membership=membership,
        )
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
        return page

    return make


def test_journey_from_first_signal_to_aftercare(scene, as_user):
    page = as_user(scene.fatima)

    # The start page, then a new case.
    page.goto("/casussen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn casussen")
    checked(page)
    page.get_by_role("link", name="Nieuwe casus starten").click()
    checked(page)
    page.get_by_role("button", name="Casus starten").click()
    expect(page.locator(".error-summary")).to_be_visible()
    checked(page)
    page.get_by_label("Persoon").select_option(label="Daan Visser")
    page.get_by_label("(mogelijk) slachtoffer én dader").check()
    page.get_by_label("criminele uitbuiting").check()
    page.get_by_label("Hulpvraag").fill("Daan wil van de groep af en naar school.")
    page.get_by_label("Achtervang").select_option(label="Lisa Bos (Zorg Noord)")
    page.get_by_role("button", name="Casus starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overzicht")
    expect(page.get_by_role("heading", name=re.compile("non-punishment"))).to_be_visible()
    page.get_by_text("Praten met iemand met een (mogelijke) LVB").click()
    expect(page.get_by_text("Gebruik korte zinnen en gewone woorden.")).to_be_visible()
    checked(page)
    case_url = page.url

    # The tabs are reachable by keyboard, with visible focus.
    page.goto(case_url)
    tab_until(page, lambda info: info["text"] == "Tijdlijn")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tijdlijn")

    # The first signal on the timeline, then a correction.
    page.get_by_label("Wat legt u vast?").select_option(label="signaal")
    page.get_by_label("Beschrijving").fill("Daan heeft veel geld en verzuimt.")
    page.get_by_label("Signaal uit welk domein? (alleen bij een signaal)").select_option(
        label="Onderwijs"
    )
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Daan heeft veel geld en verzuimt.")).to_be_visible()
    checked(page)
    page.get_by_role("link", name=re.compile("^Corrigeren")).first.click()
    checked(page)
    page.get_by_label("Wat klopte er niet, en wat is juist?").fill("Het verzuim is sinds maart.")
    page.get_by_role("button", name="Correctie vastleggen").click()
    expect(page.get_by_text("Gecorrigeerd.")).to_be_visible()
    page.get_by_label("Soort").select_option(label="Signalen en screenings")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("Daan heeft veel geld en verzuimt.")).to_be_visible()
    checked(page)

    # The school joins (through the gate).
    page.get_by_role("link", name="Team").click()
    checked(page)
    page.get_by_role("link", name="Lid toevoegen").click()
    checked(page)
    page.get_by_label("Organisatie").select_option(label="School Zuid")
    page.get_by_label("E-mailadres van de professional").fill("peter@school.example")
    page.get_by_label("Rol in de casus").select_option(label="onderwijs")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("row", name=re.compile("Peter Mentor"))).to_be_visible()

    # A referral that is declined, and the next option.
    page.get_by_role("link", name="Hulp", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Verwijzen via de wegwijzer").click()
    checked(page)
    page.get_by_role("link", name="Verwijzen (Opvang Eerste Keus)").click()
    checked(page)
    page.get_by_role("button", name="Verwijzing aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opvang Eerste Keus")
    checked(page)
    decline = page.locator("section", has=page.get_by_role("heading", name="Aanbieder wijst af"))
    decline.get_by_label("Reden").fill("Geen plek binnen acht weken.")
    decline.get_by_role("button", name="Aanbieder wijst af").click()
    expect(page.get_by_role("heading", name="De volgende opties van de wegwijzer")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Verwijzen (Ambulant Team Tweede)").click()
    page.get_by_role("button", name="Verwijzing aanvragen").click()
    start = page.locator("section", has=page.get_by_role("heading", name="Hulp is gestart"))
    start.get_by_role("button", name="Hulp is gestart").click()
    placement = page.locator(
        "section", has=page.get_by_role("heading", name="Plaatsing vastleggen")
    )
    placement.get_by_label("ambulant").check()
    placement.get_by_role("button", name="Plaatsing vastleggen").click()
    expect(page.get_by_role("heading", name="Plaatsingen en trajecten")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Ambulant Team Tweede").last.click()
    checked(page)

    # A meeting with a decision and an agreement.
    page.get_by_role("link", name="Overleg", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Overleg plannen").click()
    checked(page)
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_label("Een LVB-deskundige van buiten Schakel doet mee").check()
    page.get_by_role("button", name="Overleg plannen").click()
    checked(page)
    page.get_by_label("Besluit:", exact=True).fill("Daan gaat naar het ambulante team.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_label("Wat is afgesproken?").fill("Verzuim dezelfde dag melden")
    page.get_by_label("Wie doet het?").select_option(label="Peter Mentor (School Zuid)")
    page.get_by_label("Uiterlijk op").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Afspraak vastleggen").click()
    expect(page.get_by_role("link", name="Verzuim dezelfde dag melden")).to_be_visible()
    checked(page)

    # Tasks, the 18th birthday task among them.
    page.get_by_role("link", name="Taken", exact=True).click()
    transition_task = page.get_by_role("link", name=re.compile("Plan de overgang naar 18 jaar"))
    expect(transition_task).to_be_visible()
    checked(page)
    transition_task.click()
    checked(page)
    page.get_by_label("Wmo (gemeente)", exact=False).check()
    page.get_by_role("button", name="Opslaan").click()

    # Aftercare, the crisis card (shared with the police), the overview for Daan.
    page.get_by_role("link", name="Nazorg", exact=True).click()
    checked(page)
    page.locator("fieldset", has_text="Wonen").get_by_label("Doel en wie helpt").fill(
        "Begeleid wonen, met de buddy"
    )
    page.get_by_label("Wie begeleidt na afloop?").select_option(label="buddy")
    page.get_by_role("button", name="Nazorgplan opslaan").click()
    checked(page)
    page.get_by_role("link", name="Hulpkaart", exact=True).click()
    page.get_by_label("Wie moet de politie of hulpverlening bellen?").fill("Tante Mieke")
    page.get_by_label("De persoon heeft de kaart gezien en is het ermee eens").check()
    page.get_by_role("button", name="Hulpkaart opslaan").click()
    checked(page)
    page.get_by_label("Politie-eenheid").select_option(label="Politie Oost")
    page.get_by_role("button", name="Delen met de politie").click()
    expect(page.get_by_text("De hulpkaart is gedeeld met de politie.")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Hulpkaart afdrukken").click()
    checked(page)
    page.goto(case_url + "voor-de-persoon/")
    expect(page.get_by_role("heading", name="Wie helpt jou?")).to_be_visible()
    checked(page)

    # Close: the case keeps its lead and plans the aftercare contacts.
    page.goto(case_url)
    page.get_by_role("link", name="Casus afsluiten").click()
    checked(page)
    page.get_by_label("Waarom sluit u de casus af?").fill("De hulp is klaar.")
    page.get_by_role("button", name="Casus afsluiten").click()
    page.get_by_role("link", name="Taken", exact=True).click()
    expect(page.get_by_role("link", name=re.compile("3 maanden na het afsluiten"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("12 maanden na het afsluiten"))).to_be_visible()
    assert_clean_console(page)

    # The school sees the case and its task; the police see only the card.
    school = as_user(scene.peter)
    school.goto("/casussen/")
    expect(school.get_by_role("link", name="Verzuim dezelfde dag melden")).to_be_visible()
    checked(school)
    police = as_user(scene.sanne)
    police.goto("/casussen/hulpkaarten/")
    checked(police)
    police.get_by_role("link", name="Daan Visser").click()
    expect(police.get_by_text("Tante Mieke")).to_be_visible()
    checked(police)
    police.goto(case_url)
    expect(police.get_by_role("heading", level=1)).not_to_contain_text("Overzicht")

    # The manager sees totals only.
    manager = as_user(scene.manager)
    manager.goto("/casussen/")
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Cijfers")
    checked(manager)


def test_warm_handover_and_the_other_pages(scene, as_user):
    case = services.case_create(
        actor=scene.fatima,
        person=scene.person,
        involvement="victim",
        backup=scene.lisa,
        forms=["seksuele_uitbuiting"],
    )
    page = as_user(scene.fatima)
    base = f"/casussen/{case.public_id}/"
    for path in (
        "wijzigen/",
        "verblijf/",
        "achtervang/",
        "overdracht/",
        "taken/nieuw/",
        "hulp/plaatsing/",
    ):
        page.goto(base + path)
        checked(page)
    page.goto(base + "verblijf/")
    page.get_by_label("Buitenlands slachtoffer").check()
    page.get_by_label("Bedenktijd vanaf").fill("2026-01-01")
    page.get_by_label("Bedenktijd tot en met").fill("2026-06-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_contain_text("hoogstens 3 maanden")
    checked(page)

    page.goto(base + "overdracht/")
    page.get_by_label("Nieuwe regiehouder:", exact=True).select_option(
        label="Lisa Bos (Zorg Noord)"
    )
    page.get_by_label("Bericht voor de nieuwe regiehouder").fill("Ik ga met verlof.")
    page.get_by_role("button", name="Overdracht aanbieden").click()
    expect(page.get_by_text("De regie is aangeboden aan Lisa Bos")).to_be_visible()
    checked(page)

    lisa = as_user(scene.lisa)
    lisa.goto("/casussen/")
    lisa.get_by_role("link", name=re.compile("aangeboden door Fatima de Wit")).click()
    checked(lisa)
    lisa.get_by_role("button", name="Regie aanvaarden").click()
    expect(lisa.locator(".error-summary")).to_be_visible()
    checked(lisa)
    lisa.get_by_label("Ik heb kennisgemaakt met de persoon").check()
    lisa.get_by_label("Ik heb de tijdlijn en de afspraken gelezen").check()
    lisa.get_by_label("De afspraken en taken zijn aan mij overgedragen").check()
    lisa.get_by_role("button", name="Regie aanvaarden").click()
    expect(lisa.get_by_text("U bent nu de regiehouder van deze casus.")).to_be_visible()
    expect(lisa.locator(".case-summary")).to_contain_text("Lisa Bos (Zorg Noord) (u)")

    # A stale edit: the web explains and shows what is stored now.
    page.goto(base + "wijzigen/")
    services.case_update(
        actor=scene.lisa,
        case=case,
        expected_version=case.__class__.objects.get(pk=case.pk).version,
        help_question="Door Lisa aangepast",
    )
    page.get_by_label("Hulpvraag").fill("Door Fatima")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Dit is nu opgeslagen")).to_be_visible()
    expect(page.get_by_text("Door Lisa aangepast")).to_be_visible()
    checked(page)

    # The member page and reopening a closed case (now as the lead, Lisa).
    member = case.members.get(membership=scene.fatima)
    lisa.goto(base + f"team/{member.pk}/")
    expect(lisa.get_by_role("heading", name="Dit lid laten stoppen")).to_have_count(0)
    checked(lisa)
    fresh = case.__class__.objects.get(pk=case.pk)
    services.case_close(
        actor=scene.lisa,
        case=fresh,
        expected_version=fresh.version,
        reason="Klaar",
        no_aftercare_reason="Verhuisd",
    )
    lisa.goto(base + "heropenen/")
    checked(lisa)
    lisa.get_by_label("Waarom?").fill("Nieuwe signalen")
    lisa.get_by_role("button", name="Casus weer openen").click()
    expect(lisa.get_by_text("De casus loopt weer.")).to_be_visible()
    assert_clean_console(page)
    assert_clean_console(lisa)


def test_pages_reflow_at_320_pixels(scene, as_user):
    case = services.case_create(
        actor=scene.fatima, person=scene.person, involvement="both", backup=scene.lisa
    )
    page = as_user(scene.fatima, viewport={"width": 320, "height": 640})
    for path in ("", "tijdlijn/", "team/", "taken/", "voor-de-persoon/"):
        page.goto(f"/casussen/{case.public_id}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
