"""The demo prints mail so that a person can read it in the terminal."""

from io import StringIO

from django.core.mail import EmailMessage

from ventanilla.core.mail import ReadableConsoleBackend


def test_the_console_prints_mail_as_read_not_as_encoded() -> None:
    stream = StringIO()
    message = EmailMessage(
        subject="Código para confirmar su correo",
        body="Hola, Marcela Suárez:\n\nSu código es 482913. " + "Vence en 30 minutos. " * 8,
        from_email="Ventanilla <no-responder@ventanilla.local>",
        to=["marcela@example.co"],
    )
    message.attach("respuesta-SED-2026-S000001.pdf", b"%PDF-1.4\n", "application/pdf")
    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert "Subject: Código para confirmar su correo" in printed
    assert "To: marcela@example.co" in printed
    assert "Hola, Marcela Suárez:" in printed and "=C3" not in printed
    assert "Su código es 482913." in printed
    assert "[attached: respuesta-SED-2026-S000001.pdf]" in printed
