"""The turn pages: who may open the desk, the kiosk and display only with the point's secret,
joining from a phone (errors keep what was typed; a limit per client)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.turns.conftest import Turns
from ventanilla.turns.models import DeviceLink, Ticket
from ventanilla.turns.services import device_link_for

pytestmark = pytest.mark.django_db


def signed_in(person: object) -> Client:
    factories.enrol_totp(person)  # type: ignore[arg-type]
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    return client


def test_desk_pages_refuse_officials_without_a_role_on_the_point(turns: Turns) -> None:
    desk = reverse("workspace:turn_desk", args=[turns.point.pk])
    call = reverse("workspace:turn_call", args=[turns.point.pk])
    devices = reverse("workspace:turn_devices", args=[turns.point.pk])
    for person in (turns.outsider, turns.viewer):
        client = signed_in(person)
        assert client.get(desk).status_code == 403
        assert client.post(call, {"desk": "1"}).status_code == 403
        assert client.get(devices).status_code == 403
    assert Client().get(desk).status_code == 302  # to sign in
    citizen = Client()
    citizen.force_login(factories.user())
    assert citizen.get(desk).status_code == 403


def test_desk_calls_and_serves(turns: Turns) -> None:
    client = signed_in(turns.official)
    kiosk_issue = reverse("workspace:turn_issue", args=[turns.point.pk])
    response = client.post(kiosk_issue, {"queue": turns.queue_a.pk, "name": "Rosa"})
    assert response.status_code == 302
    page = client.get(reverse("workspace:turn_desk", args=[turns.point.pk]))
    assert "A-001" in page.content.decode()
    response = client.post(
        reverse("workspace:turn_call", args=[turns.point.pk]), {"desk": "4"}, follow=True
    )
    assert "Llamó el turno A-001 al puesto 4" in response.content.decode()
    ticket = Ticket.objects.get()
    for action in ("atender", "terminar"):
        client.post(reverse("workspace:turn_act", args=[turns.point.pk, ticket.pk, action]))
    ticket.refresh_from_db()
    assert ticket.state == "done" and ticket.channel == "desk"
    # A wrong state reads as a message, not an error page.
    response = client.post(
        reverse("workspace:turn_act", args=[turns.point.pk, ticket.pk, "atender"]), follow=True
    )
    assert "no se puede hacer eso ahora" in response.content.decode()


def test_walk_in_form_errors_keep_the_name(turns: Turns) -> None:
    client = signed_in(turns.official)
    response = client.post(
        reverse("workspace:turn_issue", args=[turns.point.pk]),
        {"queue": "999", "name": "Rosa Peña"},
    )
    assert response.status_code == 200
    assert 'value="Rosa Peña"' in response.content.decode()


def test_kiosk_and_display_open_only_with_the_current_secret(turns: Turns) -> None:
    link = device_link_for(point=turns.point, actor=turns.official)
    client = Client()
    assert client.get(reverse("portal:turn_kiosk", args=[link.secret])).status_code == 200
    assert client.get(reverse("portal:turn_display", args=[link.secret])).status_code == 200
    for wrong in ("", "x" * 24, link.secret[:-1]):
        if wrong:
            assert client.get(reverse("portal:turn_kiosk", args=[wrong])).status_code == 404
            assert client.get(reverse("portal:turn_display", args=[wrong])).status_code == 404
    official = signed_in(turns.official)
    official.post(reverse("workspace:turn_devices", args=[turns.point.pk]))
    renewed = DeviceLink.objects.get(point=turns.point).secret
    assert renewed != link.secret
    assert client.get(reverse("portal:turn_kiosk", args=[link.secret])).status_code == 404
    assert client.get(reverse("portal:turn_kiosk", args=[renewed])).status_code == 200


def test_kiosk_issues_and_shows_the_ticket(turns: Turns) -> None:
    link = device_link_for(point=turns.point, actor=turns.official)
    client = Client()
    response = client.post(
        reverse("portal:turn_kiosk", args=[link.secret]),
        {"queue": turns.queue_c.pk, "priority_group": "older_adult"},
        follow=True,
    )
    body = response.content.decode()
    assert "C-001" in body and "data:image/svg+xml" in body
    ticket = Ticket.objects.get()
    assert ticket.priority_group == "older_adult" and ticket.channel == "kiosk"
    bad = client.post(reverse("portal:turn_kiosk", args=[link.secret]), {"queue": "0"})
    assert "Elija un servicio." in bad.content.decode()
    assert Ticket.objects.count() == 1


def test_join_from_a_phone(turns: Turns) -> None:
    url = reverse("portal:turn_join", args=[turns.point.pk])
    client = Client()
    page = client.get(url).content.decode()
    # Only the queue that allows joining from a phone is offered.
    assert turns.queue_c.title in page
    bad = client.post(url, {"queue": turns.queue_c.pk, "name": "Ana Ruiz", "phone": "12ab"})
    assert bad.status_code == 200
    assert 'value="Ana Ruiz"' in bad.content.decode()
    assert "Escriba solo cifras" in bad.content.decode()
    # Not offered here: refused as an invalid choice.
    other = client.post(url, {"queue": turns.queue_a.pk, "name": "Ana Ruiz"})
    assert other.status_code == 200 and not Ticket.objects.exists()
    done = client.post(
        url, {"queue": turns.queue_c.pk, "name": "Ana Ruiz", "phone": "300 123 4567"}
    )
    ticket = Ticket.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/{ticket.token}/")
    assert (ticket.channel, ticket.phone, ticket.code) == ("remote", "3001234567", "C-001")
    phone_page = client.get(done["Location"]).content.decode()
    assert "C-001" in phone_page and "Nadie: usted sigue" in phone_page


def test_join_is_limited_per_client(turns: Turns, settings: object) -> None:
    settings.TURNS_JOINS_PER_HOUR = 2  # type: ignore[attr-defined]
    url = reverse("portal:turn_join", args=[turns.point.pk])
    client = Client()
    data = {"queue": turns.queue_c.pk, "name": "Ana"}
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
    refused = client.post(url, data)
    assert refused.status_code == 429
    assert "Intente de nuevo en" in refused.content.decode()
    assert Ticket.objects.count() == 2


def test_points_without_remote_queues_have_no_join_page(turns: Turns) -> None:
    from ventanilla.organization.models import ServicePoint

    school = ServicePoint.objects.get(code="IED-0001")
    assert Client().get(reverse("portal:turn_join", args=[school.pk])).status_code == 404
    listing = Client().get(reverse("portal:turn_points")).content.decode()
    assert turns.point.name in listing and school.name not in listing


def test_unknown_ticket_token_is_not_found(turns: Turns) -> None:
    assert Client().get(reverse("portal:turn_ticket", args=["nope"])).status_code == 404


def test_phone_page_polls_a_partial(turns: Turns) -> None:
    client = Client()
    url = reverse("portal:turn_join", args=[turns.point.pk])
    done = client.post(url, {"queue": turns.queue_c.pk, "name": "Ana"})
    partial = client.get(done["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="turn-status"' in partial and "<html" not in partial


def test_the_desk_remembers_its_desk_and_queues(turns: Turns) -> None:
    from ventanilla.turns.services import ticket_issue

    ticket_issue(point=turns.point, service=turns.places, channel="kiosk")
    ticket_issue(point=turns.point, service=turns.certificates, channel="kiosk")
    client = signed_in(turns.official)
    call = reverse("workspace:turn_call", args=[turns.point.pk])
    client.post(call, {"desk": "5", "service": [str(turns.certificates.pk)]})
    assert Ticket.objects.get(state="called").code == "C-001"
    page = client.get(reverse("workspace:turn_desk", args=[turns.point.pk])).content.decode()
    assert 'value="5"' in page
    assert f'value="{turns.certificates.pk}" checked' in page
    assert f'value="{turns.places.pk}" checked' not in page


def test_the_kiosk_speaks_english_on_its_english_address(turns: Turns) -> None:
    from django.utils import translation

    link = device_link_for(point=turns.point, actor=turns.official)
    with translation.override("en"):
        url = reverse("portal:turn_kiosk", args=[link.secret])
    assert url.startswith("/en/turns/kiosk/")
    client = Client()
    assert "Take your turn" in client.get(url).content.decode()
    client.post(url, {"queue": turns.queue_a.pk})
    assert Ticket.objects.get().language == "en"


def test_desk_display_and_phone_pages_take_few_queries(
    turns: Turns, django_assert_max_num_queries: Any
) -> None:
    from ventanilla.turns.services import ticket_call_next, ticket_issue

    tickets = [
        ticket_issue(point=turns.point, service=service, channel="kiosk")
        for service in (turns.places, turns.certificates) * 15
    ]
    ticket_call_next(point=turns.point, desk="1", actor=turns.official)
    link = device_link_for(point=turns.point, actor=turns.official)
    client = signed_in(turns.official)
    desk = reverse("workspace:turn_desk", args=[turns.point.pk])
    client.get(desk)  # the session and the user are read the same on every page
    # The same number of queries for 30 tickets waiting as for 2: no query per ticket.
    with django_assert_max_num_queries(20):
        assert "C-015" in client.get(desk).content.decode()
    with django_assert_max_num_queries(4):
        client.get(reverse("portal:turn_display", args=[link.secret]))
    with django_assert_max_num_queries(10):
        client.get(reverse("portal:turn_ticket", args=[tickets[-1].token]))
