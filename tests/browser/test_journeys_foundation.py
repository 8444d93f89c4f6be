"""First journeys through the portal in a real browser: the home page and its language switch,
a citizen's sign-up with data consent, and an official's two-factor enrolment.

Every page reached is also checked by the `visitor` fixture (axe-core, CSP, stylesheets)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Locator, expect

from tests import factories
from tests.browser.conftest import Visitor
from ventanilla.accounts.models import Consent, User
from ventanilla.organization.models import Role

SIGNUP = "/cuenta/signup/"
LOGIN = "/cuenta/login/"


def html_lang(visitor: Visitor) -> str | None:
    return visitor.page.locator("html").get_attribute("lang")


def button(visitor: Visitor, name: str) -> Locator:
    return visitor.page.get_by_role("main").get_by_role("button", name=name, exact=True)


def language_control(switch: Locator, name: str) -> Locator:
    """The switch to `name`: a link today; a set_language form's button would do as well."""
    return switch.get_by_role("link", name=name).or_(switch.get_by_role("button", name=name))


# --- Home page and language ---------------------------------------------------------------------


def test_home_in_spanish_skip_link_search_and_language_switch(visitor: Visitor) -> None:
    page = visitor.page
    visitor.goto("/")
    assert html_lang(visitor) == "es"
    # The stylesheet applies (our CSP forbids inline styles, so this is the only source).
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 79, 138)"

    skip = page.locator(".skip-link")
    expect(skip).not_to_be_in_viewport()  # hidden until it has focus
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#contenido")).to_be_focused()
    assert urlsplit(page.url).fragment == "contenido"

    expect(page.get_by_role("searchbox", name="¿Qué necesita hacer?")).to_be_visible()

    switch = page.locator(".language-switch")
    to_english = language_control(switch, "English")
    expect(to_english).to_have_attribute("lang", "en")
    visitor.click_and_wait(to_english)
    assert visitor.path == "/en/"
    assert html_lang(visitor) == "en"

    to_spanish = language_control(switch, "Español")
    expect(to_spanish).to_have_attribute("lang", "es")
    visitor.click_and_wait(to_spanish)
    assert visitor.path == "/"
    assert html_lang(visitor) == "es"


def test_public_pages_fit_a_320px_wide_screen(new_visitor: Callable[..., Visitor]) -> None:
    visitor = new_visitor(viewport={"width": 320, "height": 640})
    for path in ("/", "/en/", SIGNUP, LOGIN):
        visitor.goto(path)
        assert_no_sideways_scroll(visitor)
    # The longest form, with every error shown.
    visitor.goto(SIGNUP)
    visitor.click_and_wait(visitor.page.locator("main form").get_by_role("button"))
    assert_no_sideways_scroll(visitor)


def assert_no_sideways_scroll(visitor: Visitor) -> None:
    width = visitor.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{visitor.path} scrolls sideways at 320 px: {width} px wide"


# --- Citizen sign-up with consent ---------------------------------------------------------------


def test_signup_with_consent_email_confirmation_and_consent_record(visitor: Visitor) -> None:
    page = visitor.page
    visitor.goto(SIGNUP)
    form = page.locator("main form")
    submit = form.get_by_role("button", name="Crear cuenta")

    # Sent empty: a summary lists the problems and each one links to its field.
    visitor.click_and_wait(submit)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    hrefs = summary.get_by_role("link").evaluate_all("all => all.map(a => a.getAttribute('href'))")
    assert set(hrefs) == {
        "#id_first_name",
        "#id_last_name",
        "#id_id_number",
        "#id_email",
        "#id_password1",
        "#id_password2",
        "#id_consent",
    }
    for href in hrefs:
        expect(page.locator(href)).to_have_attribute("aria-invalid", "true")
    consent_link = summary.locator('a[href="#id_consent"]')
    consent_link.click()  # a jump inside the page
    expect(page.locator("#id_consent")).to_be_focused()

    # A bad ID number: explained at the field, what was typed is kept.
    page.get_by_label("Nombres").fill("Luz Marina")
    page.get_by_label("Apellidos").fill("Rojas Peña")
    page.get_by_label("Tipo de documento").select_option("CC")
    page.get_by_label("Número de documento").fill("12ab")
    visitor.click_and_wait(submit)
    id_number = page.get_by_label("Número de documento")
    expect(id_number).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field--error", has=id_number)).to_contain_text(
        "La cédula tiene de 4 a 10 cifras"
    )
    expect(summary.locator('a[href="#id_id_number"]')).to_be_visible()
    expect(page.get_by_label("Nombres")).to_have_value("Luz Marina")
    expect(page.get_by_label("Apellidos")).to_have_value("Rojas Peña")
    expect(id_number).to_have_value("12ab")

    # The password rules shown under the field are also read out with it.
    visitor.soft_check(
        "10 caracteres" in (page.locator("#id_password1_helptext").text_content() or ""),
        "the password rules are outside #id_password1_helptext, the field's description "
        "(a <ul> inside the hint's <p> in forms/field.html)",
    )

    # Now right, ticking the consent with the keyboard and sending with Enter.
    id_number.fill("52.123.456")
    page.get_by_label("Correo electrónico").fill("luz.rojas@example.co")
    page.locator("#id_password1").fill("ventanas-abiertas-77")
    page.locator("#id_password2").fill("ventanas-abiertas-77")
    consent = page.locator("#id_consent")
    consent.focus()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    visitor.press_and_wait(submit, "Enter")
    assert visitor.path == reverse("account_email_verification_sent")

    # The verification mail (sent by the live server's thread, same process) has the link.
    [message] = [m for m in mail.outbox if m.to == ["luz.rojas@example.co"]]
    link = re.search(r"https?://\S+/confirm-email/\S+", str(message.body))
    assert link, message.body
    confirm = urlsplit(link.group(0))
    assert confirm.netloc == urlsplit(visitor.base_url).netloc
    visitor.goto(confirm.path)
    visitor.click_and_wait(button(visitor, "Confirmar"))

    # Signed in, on their account page, which shows the consent given.
    assert visitor.path == reverse("portal:account")
    consents = page.get_by_role("table")
    expect(consents).to_contain_text("2026-1")

    user = User.objects.get(email="luz.rojas@example.co")
    assert (user.first_name, user.id_type, user.id_number) == ("Luz Marina", "CC", "52123456")
    assert EmailAddress.objects.get(user=user).verified
    consent_row = Consent.objects.select_related("text").get(user=user)
    assert consent_row.text.version == "2026-1"
    assert consent_row.method == "online"


# --- Official two-factor enrolment --------------------------------------------------------------


def totp_now(secret: str) -> str:
    """The current code, never one about to expire (allauth accepts no other time step)."""
    if 30 - time.time() % 30 < 2:
        time.sleep(30 - time.time() % 30 + 0.1)
    return factories.totp_code(secret)


def log_in(visitor: Visitor, email: str) -> None:
    visitor.goto(LOGIN)
    page = visitor.page
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(button(visitor, "Iniciar sesión"))


def test_official_enrols_totp_before_the_admin_and_is_asked_for_it_next_time(
    visitor: Visitor, new_visitor: Callable[..., Visitor]
) -> None:
    office = factories.dependency("OSC")
    official = factories.official(
        office, Role.HANDLER, email="ana.funcionaria@example.co", staff=True
    )
    page = visitor.page

    log_in(visitor, "ana.funcionaria@example.co")
    # Officials land in the workspace, which first sends them to enrol; allauth guards the
    # enrolment with a fresh password check (a login does not count).
    assert visitor.path.startswith(reverse("account_reauthenticate") + "?next=")
    expect(page.locator(".message--warning")).to_be_visible()
    page.get_by_label("Contraseña").fill(factories.PASSWORD)
    visitor.click_and_wait(button(visitor, "Confirmar"))
    assert visitor.path.startswith(reverse("mfa_activate_totp") + "?next=")
    assert "espacio" in visitor.path  # and back to the workspace afterwards

    secret_field = page.locator("#authenticator_secret")
    expect(secret_field).not_to_be_editable()
    secret = secret_field.input_value()
    page.get_by_label("Código del autenticador").fill(totp_now(secret))
    visitor.click_and_wait(button(visitor, "Activar"))
    assert visitor.path == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=official, type=Authenticator.Type.TOTP).exists()
    codes = page.locator("#recovery_codes").input_value().split()
    visitor.soft_check(
        len(codes) == 10,
        f"the recovery codes are not shown ({len(codes)} of 10): allauth/elements/field.html "
        "renders type=textarea as an empty <input>",
    )

    visitor.goto("/admin/")
    assert visitor.path == reverse("admin:index")
    expect(page.locator("#site-name")).to_be_visible()

    # Next time, on another device: the code is asked for, and a wrong one refused.
    again = new_visitor()
    log_in(again, "ana.funcionaria@example.co")
    assert again.path == reverse("mfa_authenticate")
    expect(again.page.get_by_role("link", name="Ingresar")).to_be_visible()  # not signed in
    code = totp_now(secret)
    wrong = "000000" if code != "000000" else "111111"
    code_field = again.page.get_by_label("Código")
    code_field.fill(wrong)
    again.click_and_wait(button(again, "Iniciar sesión"))
    assert again.path == reverse("mfa_authenticate")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    code_field.fill(totp_now(secret))
    again.click_and_wait(button(again, "Iniciar sesión"))
    assert again.path == reverse("workspace:inbox")
    again.goto("/admin/")
    assert again.path == reverse("admin:index")
