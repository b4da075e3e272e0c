"""A real SMTP server on the loopback interface (aiosmtpd) keeping what it receives."""

from __future__ import annotations

import email
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import Message

from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler keeping what arrives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._arrival = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self._arrival:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            self._arrival.notify_all()
        return "250 OK"

    def take(self) -> list[Message]:
        with self._arrival:
            taken, self.messages = self.messages, []
        return taken

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Message]:
        """Take the messages once ``count`` have arrived (some are sent in the background)."""
        with self._arrival:
            arrived = self._arrival.wait_for(lambda: len(self.messages) >= count, timeout)
        assert arrived, f"{len(self.messages)} message(s) received, {count} expected"
        return self.take()


def background_mail_sent(timeout: float = 10.0) -> None:
    """Until every message the app sends in the background (cnig_share.mail's "mail"
    threads) is in the SMTP server's hands: one that has not arrived then never will."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name == "mail":
            thread.join(max(0.0, deadline - time.monotonic()))
            assert not thread.is_alive(), f"a message still being sent after {timeout} s"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_inbox() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1: its inbox and its port."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()
