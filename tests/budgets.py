"""Time budgets in tests: what a request or a command costs, measured so that a
loaded machine does not fail a test whose code kept its promise.

A 2 s wall-clock bound failed in CI at 2.07 s while the other pytest process and other
jobs shared the two cores. Two things are done about it:

- the cost is the CPU seconds of the test's own thread, in which Flask's test client
  and CLI runner do all their work (the Markdown budget counts on the same clock,
  cnig_share/markdown.py): it does not grow while the thread waits for a core;
- the bound is stretched by the run queue (the load average per core): on this
  shared virtual machine a thread's CPU time grows with it too (its core is lent to
  other machines meanwhile: 30,000 "[" rendered in 0.26 s of CPU at rest, 1.5 s at a
  load of 12 on 2 cores). At rest the bound is the one written in the test."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def on_cpu(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and the CPU seconds this thread spent on it.

    The garbage collector is held during the call: a collection of the whole heap,
    which a thousand earlier tests have grown, is the suite's cost, not the request's
    (the renderer leaves it out of its budget for the same reason)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        started = time.thread_time()
        result = call()
        return result, time.thread_time() - started
    finally:
        if collecting:
            gc.enable()


def loaded(seconds: float) -> float:
    """A bound that holds at rest, stretched by the machine's current run queue."""
    return seconds * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def children_cpu() -> float:
    """The CPU seconds of this process's ended children so far, with those of their own
    children they waited for: what a subprocess run costs is the difference."""
    times = os.times()
    return times.children_user + times.children_system
