"""The Windows registry as this package uses it: the part of `winreg` the user-environment store
calls (a Protocol, so tests can put a fake with the real module's semantics in its place), the
WM_SETTINGCHANGE broadcast, and registry errors turned into messages that never carry a secret.

``winreg`` and ``ctypes`` are imported lazily and only on Windows.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from wizard import keys
from wizard.errors import ExitCode, SetupError

USER_KEY = "Environment"
MACHINE_KEY = r"SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
USER_LOCATION = r"HKCU\Environment"
MACHINE_LOCATION = r"HKLM" + "\\" + MACHINE_KEY

# winuser.h
HWND_BROADCAST = 0xFFFF
WM_SETTINGCHANGE = 0x001A
SMTO_ABORTIFHUNG = 0x0002
BROADCAST_TIMEOUT_MS = 5000
# SendMessageTimeoutW waits up to the timeout per top-level window; the whole call is bounded too.
BROADCAST_BOUND_S = 10.0

_ERROR_ACCESS_DENIED = 5


class RegKey(Protocol):
    """An open key (winreg's PyHKEY); we close it ourselves with ``Close()``."""

    def Close(self) -> None: ...


K = TypeVar("K", bound=RegKey)


class WinReg(Protocol[K]):
    """The part of the ``winreg`` module this store uses; the real module and the test fake fit.
    Keys are opaque handles of type K (winreg.HKEYType for the real module)."""

    @property
    def HKEY_CURRENT_USER(self) -> int: ...
    @property
    def HKEY_LOCAL_MACHINE(self) -> int: ...
    @property
    def KEY_QUERY_VALUE(self) -> int: ...
    @property
    def KEY_SET_VALUE(self) -> int: ...
    @property
    def REG_SZ(self) -> int: ...
    @property
    def REG_EXPAND_SZ(self) -> int: ...

    def OpenKey(self, key: K | int, sub_key: str, reserved: int = 0, access: int = ...) -> K: ...
    def CreateKeyEx(self, key: K | int, sub_key: str, reserved: int = 0, access: int = ...) -> K: ...
    def QueryValueEx(self, key: K | int, name: str, /) -> tuple[Any, int]: ...
    def SetValueEx(self, key: K | int, value_name: str, reserved: int, type: int, value: str, /) -> None: ...
    def DeleteValue(self, key: K | int, value: str, /) -> None: ...


Broadcaster = Callable[[], bool]


def load_winreg() -> WinReg[Any]:
    """The real module, on Windows only: elsewhere there is no user environment to write."""
    if sys.platform != "win32":
        raise SetupError(ExitCode.USAGE, "err.userenv_windows_only")
    return cast("WinReg[Any]", importlib.import_module("winreg"))


def broadcast_environment_change() -> bool:
    """``SendMessageTimeoutW(HWND_BROADCAST, WM_SETTINGCHANGE, 0, "Environment", SMTO_ABORTIFHUNG,
    5000, &result)``, so Explorer rereads the environment for the programs it starts next.

    Hung windows are skipped (SMTO_ABORTIFHUNG); slow ones cost up to 5 s each, so the call runs
    in a daemon thread and we stop waiting after BROADCAST_BOUND_S. True when it was delivered.
    Does nothing (False) off Windows.
    """
    if sys.platform != "win32":
        return False
    import ctypes
    from ctypes import wintypes

    done: list[bool] = []

    def send() -> None:
        try:
            user32 = ctypes.WinDLL("user32", use_last_error=True)
            fn = user32.SendMessageTimeoutW
            fn.argtypes = [
                wintypes.HWND,
                wintypes.UINT,
                wintypes.WPARAM,
                wintypes.LPCWSTR,
                wintypes.UINT,
                wintypes.UINT,
                ctypes.POINTER(ctypes.c_size_t),
            ]
            fn.restype = wintypes.LPARAM
            result = ctypes.c_size_t(0)
            sent = fn(
                wintypes.HWND(HWND_BROADCAST),
                WM_SETTINGCHANGE,
                0,
                "Environment",
                SMTO_ABORTIFHUNG,
                BROADCAST_TIMEOUT_MS,
                ctypes.byref(result),
            )
            done.append(bool(sent))
        except Exception:  # a failed broadcast is reported as False, never a traceback
            done.append(False)

    worker = threading.Thread(target=send, name="dashscope-setup-broadcast", daemon=True)
    worker.start()
    worker.join(BROADCAST_BOUND_S)
    return bool(done and done[0])


def _scrub(text: str, secrets: Collection[str]) -> str:
    for s in secrets:
        if s:
            text = text.replace(s, keys.mask(s))
    return text


def _reason(exc: BaseException, secrets: Collection[str]) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return _scrub(str(text), secrets)


@contextlib.contextmanager
def _registry_errors(location: str, secrets: Collection[str] = ()) -> Iterator[None]:
    """OSError -> SetupError(STORE) with a catalogue message. The value is never in the text,
    and the OS error is not kept as the cause or context (it could quote the value)."""
    try:
        yield
    except SetupError:
        raise
    except (OSError, ValueError) as exc:
        denied = isinstance(exc, PermissionError) or getattr(exc, "winerror", None) == _ERROR_ACCESS_DENIED
        msg_id = "err.registry_denied" if denied else "err.registry_failed"
        error = SetupError(ExitCode.STORE, msg_id, location=location, reason=_reason(exc, secrets))
        try:
            raise error from None
        finally:
            error.__context__ = None


@dataclass(frozen=True)
class RegValue:
    """A value as stored: its text (REG_EXPAND_SZ unexpanded) and its registry type."""

    value: str
    type: int
