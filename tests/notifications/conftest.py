"""A real SMTP server for the notification tests (aiosmtpd on a free port of 127.0.0.1).

    def test_…(smtp): … smtp.messages  # every message the server accepted, parsed

Django's SMTP backend talks to it over a real connection; the server can be stopped and
started again on the same port (`smtp.stop()`, `smtp.start()`) to play a mail server that is down,
and refuses the addresses of `smtp.refused` at RCPT TO, as a real server refuses an unknown mailbox.
"""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The aiosmtpd handler: keeps what it accepts, refuses the addresses it is told to."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refused: set[str] = set()
        self.connections = 0  # SMTP sessions opened (one EHLO each)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages

    @property
    def connections(self) -> int:
        return self.mailbox.connections

    @property
    def refused(self) -> set[str]:
        return self.mailbox.refused

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def subject_of(message: EmailMessage) -> str:
    # Python folds a long encoded header onto a continuation line; the reader's leading space is not the subject's.
    return str(message["Subject"]).strip()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


SITE_URL = "https://congdoan.example.vn"


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = SITE_URL
    yield server
    server.stop()


@pytest.fixture
def with_emails(cast):
    """The cast with email addresses (the factories make users without one)."""
    for user in (cast.owner, cast.colleague, cast.outsider, cast.provincial, cast.national_officer):
        user.email = f"{user.username}@congdoan.example.vn"
        user.save(update_fields=["email"])
    return cast
