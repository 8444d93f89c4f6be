"""Sign-up: profile, data consent with the version shown, mail sent by the worker."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ventanilla.accounts.models import Consent, ConsentText, IdVerification, User
from ventanilla.accounts.selectors import account_with_verified_id
from ventanilla.accounts.services import id_document_verify
from ventanilla.core import clock

pytestmark = pytest.mark.django_db

SIGNUP = "/cuenta/signup/"


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Luz Marina",
        "last_name": "Rojas Peña",
        "id_type": "CC",
        "id_number": "52.123.456",
        "email": "luz.rojas@example.co",
        "phone": "300 123 4567",
        "preferred_language": "es",
        "password1": "ventanas-abiertas-77",
        "password2": "ventanas-abiertas-77",
        "consent": "on",
        "consent_version": "2026-1",
    }
    data.update(overrides)
    return data


def test_signup_stores_profile_and_consent_with_its_text_version(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, form_data(), REMOTE_ADDR="190.25.1.9")
    assert response.status_code == 302
    user = User.objects.get(email="luz.rojas@example.co")
    assert (user.id_type, user.id_number, user.phone) == ("CC", "52123456", "3001234567")
    consent = Consent.objects.get(user=user)
    assert consent.text.version == "2026-1"
    assert consent.method == "online"
    assert consent.language == "es"
    assert consent.ip_address == "190.25.1.9"
    # The verification mail is queued after commit, for the worker (run at once in tests).
    assert [m.to for m in mail.outbox] == [["luz.rojas@example.co"]]


def test_signup_without_consent_creates_nothing_and_keeps_what_was_typed(client: Client) -> None:
    data = form_data()
    del data["consent"]
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert not User.objects.exists()
    html = response.content.decode()
    assert "error-summary" in html
    assert "Para crear la cuenta debe autorizar el tratamiento de sus datos." in html
    assert 'value="Luz Marina"' in html
    assert 'value="52123456"' in html or 'value="52.123.456"' in html


def test_bad_id_number_is_explained_next_to_the_field(client: Client) -> None:
    response = client.post(SIGNUP, form_data(id_number="12ab"))
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "La cédula tiene de 4 a 10 cifras, sin puntos." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_signup_does_not_tell_which_id_numbers_have_accounts(client: Client) -> None:
    """A number typed at signup proves nothing: a second account may type it too (so a squatter
    cannot block its holder), and the answer is the same whether the number is known or not."""
    client.post(SIGNUP, form_data())
    first = User.objects.get()
    id_document_verify(user=first, method=IdVerification.PROVIDER)
    client.logout()
    taken = client.post(SIGNUP, form_data(email="otra@example.co", id_number="52123456"))
    client.logout()
    fresh = client.post(SIGNUP, form_data(email="tercera@example.co", id_number="79111222"))
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert taken.status_code == 302
    second = User.objects.get(email="otra@example.co")
    assert second.id_number == "52123456" and not second.id_is_verified
    # The verified holder stays the only one a counter would attach cases to.
    assert account_with_verified_id("CC", "52123456") == first


def test_a_notice_changed_while_filling_in_must_be_read_again(client: Client) -> None:
    ConsentText.objects.create(
        version="2026-2",
        title_es="Autorización v2",
        title_en="Authorisation v2",
        body_es="Texto nuevo.",
        body_en="New text.",
        in_force_from=clock.now() - timedelta(minutes=1),
    )
    response = client.post(SIGNUP, form_data(consent_version="2026-1"))
    assert response.status_code == 200
    assert not User.objects.exists()
    html = response.content.decode()
    assert "El texto de autorización cambió" in html
    assert "Texto nuevo." in html
    assert 'value="2026-2"' in html
    # The checkbox is cleared: the person must tick it again for the new text.
    assert 'name="consent" required id="id_consent" checked' not in html


def test_a_future_notice_is_not_shown_before_it_is_in_force(client: Client) -> None:
    ConsentText.objects.create(
        version="2027-1",
        title_es="Futuro",
        title_en="Future",
        body_es="Aún no.",
        body_en="Not yet.",
        in_force_from=clock.now() + timedelta(days=30),
    )
    html = client.get(SIGNUP).content.decode()
    assert 'value="2026-1"' in html
    assert "Aún no." not in html


def test_the_citizen_sees_and_corrects_their_data(client: Client) -> None:
    client.post(SIGNUP, form_data())
    user = User.objects.get()
    client.force_login(user)
    page = client.get(reverse("portal:account"))
    assert "2026-1" in page.content.decode()
    response = client.post(
        reverse("portal:account"),
        {
            "first_name": "Luz Marina",
            "last_name": "Rojas de Peña",
            "id_type": "CC",
            "id_number": "52123456",
            "phone": "",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.last_name, user.phone, user.preferred_language) == ("Rojas de Peña", "", "en")


def test_passwords_are_hashed_with_argon2() -> None:
    from django.conf import settings as django_settings

    # The test settings use a fast hasher; production's first hasher is Argon2.
    from ventanilla.config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_USER_MODEL == "accounts.User"
