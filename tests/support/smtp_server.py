"""A real SMTP server on 127.0.0.1 for tests: what the product sends is what arrives."""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from service.adapters.mailer import parse_message


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes


def free_port() -> int:
    """Pick a free port up front: aiosmtpd's Controller cannot start on port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Collector:
    def __init__(self, hold: threading.Event | None = None) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.hold = hold  # a slow server: DATA is answered only once the test sets it
        self.receiving = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.receiving.set()
        if self.hold is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.hold.wait, 60)
        raw = envelope.original_content or envelope.content
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(raw))
            )
        return "250 Message accepted for delivery"


class SmtpCatcher:
    """Context manager running an aiosmtpd server; `credentials` makes it offer AUTH.

    Successful logins are recorded in `.logins`, so a test can check the client logged in.
    """

    def __init__(self, credentials: tuple[str, str] | None = None, hold: threading.Event | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self._collector = _Collector(hold)
        self.receiving = self._collector.receiving
        self.logins: list[str] = []
        kwargs: dict[str, Any] = {}
        if credentials is not None:
            kwargs.update(
                authenticator=self._authenticator(credentials),
                auth_require_tls=False,  # plain AUTH, loopback only
            )
        self._controller = Controller(
            self._collector,
            hostname=self.host,
            port=self.port,
            server_hostname="localhost",
            **kwargs,
        )

    def _authenticator(self, credentials: tuple[str, str]) -> Any:
        def authenticate(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            if isinstance(data, LoginPassword):
                user, password = data.login.decode(), data.password.decode()
                if (user, password) == credentials:
                    self.logins.append(user)
                    return AuthResult(success=True)
            return AuthResult(success=False, handled=False)

        return authenticate

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def received(self) -> list[Received]:
        with self._collector.lock:
            return list(self._collector.received)

    def messages(self) -> list[EmailMessage]:
        return [parse_message(r.raw) for r in self.received]

    def start(self) -> SmtpCatcher:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpCatcher:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
