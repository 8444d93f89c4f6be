"""Mail helpers that are not domain rules."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """The demo's mail, printed as a person reads it: sender, recipients, subject, the text
    and the names of attachments — not the encoded MIME source, where "Suárez" reads
    "Su=C3=A1rez" and a verification code can be split by a soft line break."""

    def write_message(self, message: EmailMessage) -> None:
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            "",
            str(message.body).rstrip(),
        ]
        for attachment in message.attachments:
            name = attachment[0] if isinstance(attachment, tuple) else attachment.get_filename()
            lines.append(f"[attached: {name}]")
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
