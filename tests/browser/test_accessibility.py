"""axe-core on every page, in every state worth checking: no WCAG 2.0/2.1/2.2 A or AA violations.

Nothing is excluded from the scan. Pages deliberately not scanned here:
- /api/v1/docs/ (Swagger UI from drf-spectacular-sidecar): third-party, and the accessibility
  statement says so; it is not part of the service for clients.
- /beheer/ (Django admin): staff-only tooling that Django itself maintains.
- 500.html: cannot be provoked through the live server without breaking a view on purpose.
"""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from schakel.people.services import person_create
from tests.accounts.factories import MembershipFactory, TOTPDeviceFactory, UserFactory
from tests.browser.helpers import (
    LOGIN_PATH,
    assert_accessible,
    assert_clean_console,
    assert_id_references_resolve,
    code_from_secret,
    submit_password,
)

pytestmark = pytest.mark.browser


def _professional(sign_in, **membership_kwargs):
    membership = MembershipFactory(**membership_kwargs)
    sign_in(membership.user, device=TOTPDeviceFactory(user=membership.user), membership=membership)
    return membership


def _person(membership):
    return person_create(actor=membership, given_names="Sam", surname="de Vries")


# Each entry: (page, sign_in) -> None; leaves the page in the state to scan.


def home_anonymous(page, sign_in):
    page.goto("/")


def home_signed_in(page, sign_in):
    _professional(sign_in)
    page.goto("/")
    expect(page.locator(".acting-as")).to_be_visible()


def privacy(page, sign_in):
    page.goto("/privacy/")


def accessibility(page, sign_in):
    page.goto("/toegankelijkheid/")


def login(page, sign_in):
    page.goto(LOGIN_PATH)


def login_with_errors(page, sign_in):
    page.goto(LOGIN_PATH)
    page.get_by_label("E-mailadres").fill("geen-e-mailadres")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()


def login_wrong_password(page, sign_in):
    membership = MembershipFactory()
    page.goto(LOGIN_PATH)
    submit_password(page, membership.user.email, "not-the-password")
    expect(page.get_by_role("alert")).to_be_visible()


def locked_out(page, sign_in):
    membership = MembershipFactory()
    page.goto(LOGIN_PATH)
    for _ in range(5):
        submit_password(page, membership.user.email, "not-the-password")
        if page.get_by_role("heading", name="Inloggen is tijdelijk geblokkeerd").count():
            break
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen is tijdelijk geblokkeerd")


def account_locked(page, sign_in):
    from django.utils import timezone

    membership = MembershipFactory()
    membership.user.locked_at = timezone.now()
    membership.user.save(update_fields=["locked_at"])
    page.goto(LOGIN_PATH)
    submit_password(page, membership.user.email, "not-the-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit account is vergrendeld")


def _locked_member(organisation=None):
    from django.utils import timezone

    membership = MembershipFactory(**({"organisation": organisation} if organisation else {}))
    membership.user.locked_at = timezone.now()
    membership.user.save(update_fields=["locked_at"])
    return membership


def unlock(page, sign_in):
    from schakel.accounts.services import account_unlock_token

    user = _locked_member().user
    page.goto(reverse("accounts:unlock", kwargs={"token": account_unlock_token(user=user)}))
    expect(page.get_by_role("button", name="Ontgrendel mijn account")).to_be_visible()


def unlock_invalid(page, sign_in):
    unlock(page, sign_in)
    from schakel.accounts.models import User

    User.objects.update(locked_at=None)
    page.get_by_role("button", name="Ontgrendel mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")


def two_factor(page, sign_in):
    membership = MembershipFactory()
    TOTPDeviceFactory(user=membership.user)
    sign_in(membership.user)  # password done, code not yet
    page.goto(reverse("accounts:two_factor"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul uw code in")


def two_factor_wrong_code(page, sign_in):
    two_factor(page, sign_in)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("alert")).to_be_visible()


def two_factor_setup(page, sign_in):
    membership = MembershipFactory()
    sign_in(membership.user)
    page.goto(reverse("accounts:two_factor_setup"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")


def two_factor_setup_wrong_code(page, sign_in):
    two_factor_setup(page, sign_in)
    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert")).to_be_visible()


def recovery_codes(page, sign_in):
    two_factor_setup(page, sign_in)
    page.get_by_label("Code uit de app").fill(
        code_from_secret(page.locator(".secret").inner_text())
    )
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")


def choose_organisation(page, sign_in):
    user = UserFactory()
    MembershipFactory(user=user, organisation__name="Jeugdzorg Noord")
    MembershipFactory(user=user, organisation__name="Wijkteam Zuid", role="org_admin")
    sign_in(user, device=TOTPDeviceFactory(user=user))
    page.goto(reverse("accounts:choose_organisation"))
    expect(page.get_by_role("radio")).to_have_count(2)


def account(page, sign_in):
    _professional(sign_in)
    page.goto(reverse("accounts:account"))


def account_password_errors(page, sign_in):
    account(page, sign_in)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("alert")).to_be_visible()


def organisation_users(page, sign_in):
    admin = _professional(sign_in, role="org_admin")
    _locked_member(admin.organisation)
    MembershipFactory(organisation=admin.organisation, role="care_coordinator")
    page.goto(reverse("accounts:organisation_users"))
    expect(page.get_by_role("row")).to_have_count(4)


def organisation_users_invite_error(page, sign_in):
    organisation_users(page, sign_in)
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("alert")).to_be_visible()


def password_setup(page, sign_in):
    user = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page.goto(
        reverse("accounts:password_setup", args=[uid, default_token_generator.make_token(user)])
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Kies uw wachtwoord")


def password_setup_invalid(page, sign_in):
    page.goto(reverse("accounts:password_setup", args=["MQ", "verlopen-token"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")


def not_found(page, sign_in):
    response = page.goto("/bestaat-niet/")
    assert response.status == 404


def forbidden(page, sign_in):
    _professional(sign_in)  # a professional may not manage users
    response = page.goto(reverse("accounts:organisation_users"))
    assert response.status == 403


@override_settings(SCHAKEL_SESSION_IDLE_SECONDS=60, SCHAKEL_SESSION_WARNING_SECONDS=59)
def session_warning(page, sign_in):
    _professional(sign_in)
    page.goto("/")
    expect(page.locator("#sessie-waarschuwing")).to_be_visible()


def people_list(page, sign_in):
    membership = _professional(sign_in)
    _person(membership)
    page.goto(reverse("people:list"))


def people_create(page, sign_in):
    _professional(sign_in)
    page.goto(reverse("people:create"))


def people_create_errors(page, sign_in):
    people_create(page, sign_in)
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("alert")).to_be_visible()


def people_detail(page, sign_in):
    membership = _professional(sign_in)
    person = _person(membership)
    page.goto(reverse("people:detail", kwargs={"public_id": person.public_id}))
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Sam|de Vries"))


def people_edit(page, sign_in):
    membership = _professional(sign_in)
    person = _person(membership)
    page.goto(reverse("people:edit", kwargs={"public_id": person.public_id}))
    expect(page.locator("main form")).to_be_visible()


PAGES = [
    home_anonymous,
    home_signed_in,
    privacy,
    accessibility,
    login,
    login_with_errors,
    login_wrong_password,
    locked_out,
    account_locked,
    unlock,
    unlock_invalid,
    two_factor,
    two_factor_wrong_code,
    two_factor_setup,
    two_factor_setup_wrong_code,
    recovery_codes,
    choose_organisation,
    account,
    account_password_errors,
    organisation_users,
    organisation_users_invite_error,
    password_setup,
    password_setup_invalid,
    not_found,
    forbidden,
    session_warning,
    people_list,
    people_create,
    people_create_errors,
    people_detail,
    people_edit,
]


@pytest.mark.parametrize("prepare", PAGES, ids=[p.__name__ for p in PAGES])
def test_page_has_no_wcag_violations(page, sign_in, prepare):
    prepare(page, sign_in)
    assert_accessible(page)
    assert_id_references_resolve(page)
    assert_clean_console(page)


def test_axe_check_reports_rule_impact_and_element(page):
    """The check itself: a known violation fails with a readable message."""
    page.goto("/toegankelijkheid/")
    page.evaluate(
        """() => {
          const input = document.createElement('input');
          input.id = 'zonder-label';
          document.querySelector('main').append(input);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "- label (critical): Form elements must have labels" in message
    assert "at #zonder-label:" in message


REFLOW_PAGES = [
    home_anonymous,
    home_signed_in,
    login_with_errors,
    two_factor_setup,
    recovery_codes,
    choose_organisation,
    account,
    organisation_users,
    privacy,
    people_list,
    people_create,
    people_detail,
]


_OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth;
  const name = (el) => `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
    + `${typeof el.className === 'string' && el.className
         ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}>`;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width) { continue; }
    const spill = getComputedStyle(el).overflowX === 'visible' ? el.scrollWidth : box.width;
    const right = Math.max(box.right, box.left + spill);
    if (right > limit + 1) {
      const text = (el.innerText || '').trim().split('\\n')[0].slice(0, 40);
      wide.push(`${name(el)} ${JSON.stringify(text)} reaches ${Math.round(right)}px`);
    }
  }
  return {width: document.documentElement.scrollWidth, limit, wide};
}"""


@pytest.mark.parametrize("prepare", REFLOW_PAGES, ids=[p.__name__ for p in REFLOW_PAGES])
def test_page_reflows_at_320_css_pixels(page, sign_in, prepare):
    """WCAG 1.4.10: at 320 px wide (1280 px at 400 % zoom) the page needs no sideways scrolling.

    Data tables may need two dimensions, but then the table scrolls in its own container; the
    page itself must still fit.
    """
    page.set_viewport_size({"width": 320, "height": 640})
    prepare(page, sign_in)
    result = page.evaluate(_OVERFLOW)
    # Report the innermost culprits first: ancestors of a wide element are wide as well.
    culprits = result["wide"][::-1][:8]
    assert result["width"] <= result["limit"], (
        f"{page.url} is {result['width']} px wide in a {result['limit']} px window; "
        "too wide:\n" + "\n".join(culprits)
    )
