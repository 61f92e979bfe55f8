"""One setup or `remove` at a time per HOME. Two runs at once each read the manifest, then each
wrote its own: one run's record was lost (so `remove` left an inline key behind), and a backup
could hold the other run's key.

The lock is `flock` on the HOME directory itself: nothing is created, so nothing is left behind,
and the kernel drops it when a process dies (a `kill -9` leaves no stale lock). Where there is
no flock (Windows) runs are not serialised.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator

from wizard.context import Context
from wizard.errors import ExitCode, SetupError

WAIT_S = 10.0  # a setup's writes take milliseconds; waiting this long means the other run is stuck


@contextlib.contextmanager
def transaction(
    ctx: Context,
    *,
    wait: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold the HOME's lock for the block; wait up to `wait` seconds for another run to finish,
    then give up with a clear message (exit 8). Waiting can be interrupted: nothing is written yet."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    try:
        fd = os.open(ctx.home, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise SetupError(ExitCode.STORE, "err.unreadable", path=str(ctx.home), reason=exc.strerror) from None
    try:
        deadline = clock() + (WAIT_S if wait is None else wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() >= deadline:
                    raise SetupError(ExitCode.STORE, "err.busy", home=str(ctx.home)) from None
                sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
