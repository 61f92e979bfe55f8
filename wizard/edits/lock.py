"""One setup or `remove` at a time per HOME. Two runs at once each read the manifest, then each
wrote its own: one run's record was lost (so `remove` left an inline key behind), and a backup
could hold the other run's key.

The lock is a kernel object, never a file: nothing is created, so nothing is left behind, and the
kernel drops it when a process dies (a `kill -9` leaves no stale lock).
- POSIX: `flock` on the HOME directory itself.
- Windows: a named mutex, `Local\\dashscope-setup-<hash of the profile's path>`. A process that ends
  while holding it leaves it "abandoned", which the next run is given at once. `Local\\` is the
  logon session's namespace: two runs from two sessions of one user (a desktop and an SSH login at
  the same time) are not serialised.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

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
    holder = _windows_mutex if sys.platform == "win32" else _flock
    with holder(ctx.home) as try_lock:
        deadline = clock() + (WAIT_S if wait is None else wait)
        while not try_lock():
            if clock() >= deadline:
                raise SetupError(ExitCode.STORE, "err.busy", home=str(ctx.home))
            sleep(0.05)
        yield


@contextlib.contextmanager
def _flock(home: Path) -> Iterator[Callable[[], bool]]:
    import fcntl

    try:
        fd = os.open(home, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise SetupError(ExitCode.STORE, "err.unreadable", path=str(home), reason=exc.strerror) from None

    def try_lock() -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    try:
        yield try_lock
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def mutex_name(home: Path) -> str:
    """The same name for every spelling of one profile path (Windows paths ignore case)."""
    digest = hashlib.sha256(os.path.normcase(str(home.absolute())).encode("utf-8")).hexdigest()
    return f"Local\\dashscope-setup-{digest[:32]}"


@contextlib.contextmanager
def _windows_mutex(home: Path) -> Iterator[Callable[[], bool]]:
    if sys.platform != "win32":  # for type checkers: only called on Windows
        raise RuntimeError("a named mutex needs Windows")
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateMutexW.argtypes = [ctypes.c_void_p, wintypes.BOOL, wintypes.LPCWSTR]
    kernel32.CreateMutexW.restype = wintypes.HANDLE
    kernel32.WaitForSingleObject.argtypes = [wintypes.HANDLE, wintypes.DWORD]
    kernel32.WaitForSingleObject.restype = wintypes.DWORD
    kernel32.ReleaseMutex.argtypes = [wintypes.HANDLE]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    wait_object_0, wait_abandoned, wait_timeout = 0x0, 0x80, 0x102

    handle = kernel32.CreateMutexW(None, False, mutex_name(home))
    if not handle:
        reason = ctypes.FormatError(ctypes.get_last_error())
        raise SetupError(ExitCode.STORE, "err.unreadable", path=str(home), reason=reason)
    held = False

    def try_lock() -> bool:
        nonlocal held
        result = kernel32.WaitForSingleObject(handle, 0)
        if result in (wait_object_0, wait_abandoned):  # abandoned: its holder died, it is ours now
            held = True
            return True
        if result == wait_timeout:
            return False
        reason = ctypes.FormatError(ctypes.get_last_error())
        raise SetupError(ExitCode.STORE, "err.unreadable", path=str(home), reason=reason)

    try:
        yield try_lock
    finally:
        if held:
            kernel32.ReleaseMutex(handle)
        kernel32.CloseHandle(handle)
