"""The README's walk-through, on the demo deployment as `make run` loads it: a guest asks for
public information, the citizen service office's handler takes the request and asks for
something, the guest answers from the emailed link, the handler sends the answer for sign-off,
the approver signs it and the guest downloads the PDF. If this fails, the README is wrong."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_workspace import open_box
from ventanilla.demo.data.people import DEMO_PASSWORD, DEMO_TOTP_SECRET
from ventanilla.demo.load import demo_load


def sign_in_official(visitor: Visitor, email: str) -> None:
    page = visitor.page
    visitor.goto("/cuenta/login/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button", name="Iniciar sesión"))
    if time.time() % 30 > 25:  # never type a code about to expire
        time.sleep(30 - time.time() % 30 + 0.5)
    page.get_by_label("Código", exact=True).fill(factories.totp_code(DEMO_TOTP_SECRET))
    visitor.click_and_wait(page.get_by_role("main").get_by_role("button").first)


def act(visitor: Visitor, title: str, text: str = "") -> None:
    open_box(visitor, title)
    box = visitor.page.locator("details.action-box[open]", has_text=title)
    if text:
        box.locator("textarea").fill(text)
    visitor.click_and_wait(box.get_by_role("button", name=title))


def test_the_readme_walk_through_on_the_demo(new_visitor: Any) -> None:
    demo_load(history=False)
    guest = new_visitor()
    page = guest.page
    # 1. A guest finds the service from the home page and files it.
    guest.goto("/")
    page.get_by_role("searchbox", name="¿Qué necesita hacer?").fill("información pública")
    guest.press_and_wait(page.get_by_role("searchbox", name="¿Qué necesita hacer?"))
    guest.click_and_wait(
        page.get_by_role("link", name="Solicitud de acceso a información pública").first
    )
    guest.click_and_wait(page.get_by_role("link", name="Iniciar en línea"))
    guest.click_and_wait(page.get_by_role("button", name="Continuar sin cuenta"))
    page.get_by_label("Nombre completo").fill("Rosa Pinzón")
    page.get_by_label("Correo electrónico").fill("rosa@example.co")
    guest.click_and_wait(page.get_by_role("button", name="Enviarme el código"))
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code
    page.get_by_label("Código que le enviamos").fill(code.group(1))
    guest.click_and_wait(page.get_by_role("button", name="Confirmar mi correo"))
    page.get_by_label("¿Qué información necesita?").fill("Cupos asignados por localidad.")
    page.get_by_label("Matrícula y cupos").check()
    page.get_by_label("Hoja de cálculo").check()
    page.locator("#id_periodista_1").check()
    guest.click_and_wait(page.get_by_role("button", name="Continuar"))
    page.locator("#consent").check()
    guest.click_and_wait(page.get_by_role("button", name="Enviar solicitud"))
    number = page.locator(".receipt__number").inner_text().strip()

    # 2. The handler finds it waiting, takes it and asks for something.
    office = new_visitor()
    sign_in_official(office, "gestor@demo.ventanilla.co")
    office.goto("/espacio/?pestana=unassigned")
    office.click_and_wait(office.page.get_by_role("link", name=number))
    act(office, "Iniciar clasificación")
    act(office, "Pedir información al ciudadano", "¿De qué año necesita los datos?")

    # 3. The guest answers from the link in the email.
    (asked,) = [m for m in mail.outbox if m.to == ["rosa@example.co"] and "Responda" in m.body]
    link = re.search(r"https?://[^/\s]+(/solicitudes/\S+/)", asked.body)
    assert link
    guest.goto(link.group(1))
    page.get_by_label("Su respuesta").fill("De 2025.")
    guest.click_and_wait(page.get_by_role("button", name="Enviar la información"))

    # 4. The handler sends the answer for sign-off.
    office.goto(f"/espacio/casos/{number}/")
    act(office, "Enviar al área responsable", "Para el área de estadística.")
    act(office, "Proyectar respuesta", "Adjuntamos los cupos asignados en 2025 por localidad.")

    # 5. The approver finds it, signs it; the guest reads and downloads the answer.
    boss = new_visitor()
    sign_in_official(boss, "aprobador@demo.ventanilla.co")
    boss.goto("/espacio/")
    boss.click_and_wait(boss.page.get_by_role("link", name="Respuestas por aprobar"))
    boss.click_and_wait(boss.page.get_by_role("link", name=number))
    open_box(boss, "Firmar y enviar la respuesta")
    expect(boss.page.locator("#f-responder-c")).to_have_value(
        "Adjuntamos los cupos asignados en 2025 por localidad."
    )
    act(boss, "Firmar y enviar la respuesta")
    guest.goto(f"/solicitudes/{number}/")
    answer = "Adjuntamos los cupos asignados en 2025 por localidad."
    expect(page.get_by_text(answer)).to_be_visible()
    with page.expect_download() as download:
        # Signed by the worker as soon as the answer commits (tasks run at once in tests).
        page.get_by_role("link", name=re.compile(r"^Descargar la respuesta .+ \(PDF\)$")).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
