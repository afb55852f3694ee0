"""A real SMTP server for the tests (aiosmtpd): what arrives, who sent it, and a way to make
it slow or stop for a moment. The ``smtp_server`` and ``mailbox`` fixtures (tests/conftest.py)
use it."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time


class Mailbox:
    """An aiosmtpd handler that keeps what it receives; it can refuse an address once (451),
    answer each recipient a little late (``delay``) and hold the sender still in the middle of
    a message (``pause_after``)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.sessions: set[int] = set()
        self.fail_once: set[str] = set()
        self.delay = 0.0
        self._pause_after: int | None = None
        self.paused = threading.Event()
        self._resumed = threading.Event()

    def reset(self):
        self.resume()
        with self.lock:
            self.messages.clear()
            self.sessions.clear()
            self.fail_once.clear()
            self.delay = 0.0
            self._pause_after = None
            self.paused.clear()

    def pause_after(self, count: int) -> None:
        """Once ``count`` messages arrived, leave the next recipient unanswered until
        ``resume()``: its sender is stuck between two messages, before the next is accepted."""
        with self.lock:
            self._pause_after = count
            self.paused.clear()
            self._resumed.clear()

    def resume(self) -> None:
        self._resumed.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.lock:
            if address in self.fail_once:
                self.fail_once.discard(address)
                return "451 4.3.0 Temporary failure, try again later"
            pause = self._pause_after is not None and len(self.messages) >= self._pause_after
            if pause:
                self._pause_after = None  # once
        if pause:
            self.paused.set()
            while not self._resumed.is_set():
                await asyncio.sleep(0.05)
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.sessions.add(id(session))
        return "250 Message accepted for delivery"

    # Reading what arrived.
    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def wait_for(self, count: int, timeout: float = 30, settle: float = 1.5) -> int:
        """Wait until ``count`` messages arrived, then a little longer to catch extra ones."""
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(settle)
        return self.count()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
