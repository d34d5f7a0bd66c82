"""Progress of long work, told to whoever listens: the CLI shows step lines and bars on stderr
when it is a terminal (and not --quiet); the Python API and the tests hear nothing unless they
ask. Domain and I/O code only call ``step`` and ``advance``; they never print."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol


class Listener(Protocol):
    def step(self, message: str) -> None: ...

    def start(self, label: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self) -> None: ...


_LISTENER: ContextVar[Listener | None] = ContextVar("svcq_progress", default=None)


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    """Send the progress of the block to ``listener`` (None: silence)."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


def silence() -> None:
    """No progress for the rest of this context (``--quiet``)."""
    _LISTENER.set(None)


def step(message: str) -> None:
    """One line about what starts now (讀取 113年回覆.xlsx…)."""
    listener = _LISTENER.get()
    if listener is not None:
        listener.step(message)


@contextmanager
def counting(label: str, total: int) -> Iterator[None]:
    """A bar of ``total`` items for the block; ``advance()`` after each one."""
    listener = _LISTENER.get()
    if listener is None or total <= 1:
        yield
        return
    listener.start(label, total)
    try:
        yield
    finally:
        listener.finish()


def advance(n: int = 1) -> None:
    listener = _LISTENER.get()
    if listener is not None:
        listener.advance(n)


@dataclass
class Recorder:
    """A listener that keeps what it heard (tests, and callers who want a log)."""

    events: list[str]

    def step(self, message: str) -> None:
        self.events.append(message)

    def start(self, label: str, total: int) -> None:
        self.events.append(f"{label} 0/{total}")

    def advance(self, n: int) -> None:
        self.events.append(f"+{n}")

    def finish(self) -> None:
        self.events.append("done")
