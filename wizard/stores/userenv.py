r"""The Windows user environment as a store (what docs/shells.md says about HKCU\Environment).

What the guide's ``setx DASHSCOPE_API_KEY "…"`` does — a value in ``HKCU\Environment`` that every
NEW process gets — done in-process, so the key is never on a command line (process listings,
audit logs, shell history). Written as REG_SZ, never REG_EXPAND_SZ, so a ``%`` in a value is
never expanded. After a write or delete that changed something, exactly one
``WM_SETTINGCHANGE("Environment")`` broadcast tells Explorer to hand the new environment to
the programs it starts; already-open terminals and IDEs keep their old one.

Unlike setx there is no 1024-character limit here: a REG_SZ value may be far longer (an
environment variable may hold up to 32,767 characters). The registry itself is `winreg.py`; the
key file's ACL `winacl.py`; the lines for the user to type (setx, this window) are the shells'.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from wizard.context import Context
from wizard.errors import SetupError
from wizard.report import Msg
from wizard.shells import KEY_VAR, SHELLS
from wizard.shells.cmd import SETX_LIMIT as SETX_LIMIT
from wizard.shells.cmd import ManualLines as ManualLines
from wizard.shells.cmd import cmd_session_line as cmd_session_line
from wizard.shells.cmd import manual_lines as manual_lines
from wizard.shells.cmd import setx_line as setx_line
from wizard.shells.detect import detect_os
from wizard.stores import USERENV, Change, StoreRecord
from wizard.stores.winacl import current_user_principal as current_user_principal
from wizard.stores.winacl import icacls_argv as icacls_argv
from wizard.stores.winacl import restrict_to_current_user as restrict_to_current_user
from wizard.stores.winreg import MACHINE_KEY as MACHINE_KEY
from wizard.stores.winreg import (
    MACHINE_LOCATION,
    USER_KEY,
    USER_LOCATION,
    Broadcaster,
    RegKey,
    RegValue,
    WinReg,
    _registry_errors,
    broadcast_environment_change,
    load_winreg,
)

if TYPE_CHECKING:
    from wizard.shells import Shell

BASE_URL_VARS = (
    "DASHSCOPE_HTTP_BASE_URL",
    "DASHSCOPE_COMPATIBLE_BASE_URL",
    "DASHSCOPE_WEBSOCKET_BASE_URL",
    "DASHSCOPE_API_REGION",
    "DASHSCOPE_WORKSPACE_ID",
)


class UserEnvStore:
    r"""``DASHSCOPE_API_KEY`` (and, for a non-Beijing key, the SDK's base-URL variables) in
    ``HKCU\Environment``.

    ``extra``: variables written beside the key (``Endpoint.sdk_env()``: empty for Beijing).
    ``stale``: names this tool wrote earlier (from the manifest) that are deleted when they are
    no longer in ``extra`` — e.g. the Singapore base URL after re-running with a Beijing key,
    which would otherwise send the SDK to the wrong region (401). Never a name we did not write.
    ``key_var`` exists for tests on a real registry, which must not touch a user's real key.
    """

    kind: ClassVar[str] = USERENV
    # Every new process on Windows (cmd, PowerShell, Git Bash, IDEs) inherits the user
    # environment: no startup file needs a block.
    writes_blocks: ClassVar[bool] = False
    secret_in_blocks: ClassVar[bool] = False
    next_step: ClassVar[str] = "next.win_new_terminals"
    key_file: None = None

    def __init__(
        self,
        extra: Mapping[str, str] | None = None,
        *,
        key_copies: Collection[str] = (),
        stale: Collection[str] = (),
        registry: WinReg[Any] | None = None,
        broadcast: Broadcaster | None = None,
        key_var: str = KEY_VAR,
    ) -> None:
        self.extra = dict(extra or {})
        self.key_var = key_var
        # Variables that hold the key as well (OPENAI_API_KEY): the registry has no way to refer
        # to another value, so the key is written under each name, in this same store.
        self.key_copies = [n for n in key_copies if n != key_var]
        self.stale = [n for n in stale if n not in (key_var, *self.key_copies) and n not in self.extra]
        self._registry = registry
        self._broadcast = broadcast or broadcast_environment_change
        self.last_changes: list[Change] = []
        self.broadcasts = 0
        self.broadcast_ok: bool | None = None  # None: nothing changed, so nothing was sent

    # --- the registry ------------------------------------------------------------------------

    @property
    def reg(self) -> WinReg[Any]:
        if self._registry is None:
            self._registry = load_winreg()
        return self._registry

    @staticmethod
    def location(name: str) -> str:
        return f"{USER_LOCATION}\\{name}"

    @contextlib.contextmanager
    def _key(self, *, machine: bool = False, write: bool = False, create: bool = False) -> Iterator[Any]:
        """HKCU\\Environment (or the machine's, read-only), closed afterwards; None when the key
        does not exist and is not to be created."""
        reg = self.reg
        access = reg.KEY_QUERY_VALUE | (reg.KEY_SET_VALUE if write else 0)
        root, sub = (reg.HKEY_LOCAL_MACHINE, MACHINE_KEY) if machine else (reg.HKEY_CURRENT_USER, USER_KEY)
        if create:
            # Present in every real profile; CreateKeyEx opens it, or creates it in one without.
            handle = reg.CreateKeyEx(root, sub, 0, access)
        else:
            try:
                handle = reg.OpenKey(root, sub, 0, access)
            except FileNotFoundError:
                handle = None
        try:
            yield handle
        finally:
            if handle is not None:
                handle.Close()

    def _query(self, handle: RegKey, name: str) -> RegValue | None:
        try:
            value, kind = self.reg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return RegValue(value if isinstance(value, str) else str(value), kind)

    def _get(self, name: str, *, machine: bool = False) -> RegValue | None:
        with (
            _registry_errors(MACHINE_LOCATION if machine else USER_LOCATION),
            self._key(machine=machine) as handle,
        ):
            return None if handle is None else self._query(handle, name)

    # --- reading -----------------------------------------------------------------------------

    def read(self) -> str | None:
        """The key in the user environment; an empty value counts as none."""
        return self.read_var(self.key_var, "user")

    def read_var(self, name: str, scope: str = "user") -> str | None:
        """A variable's raw text in the user or machine environment (the machine's is only ever
        read). A REG_EXPAND_SZ value is returned unexpanded, as it is stored."""
        if scope not in ("user", "machine"):
            raise ValueError(scope)
        found = self._get(name, machine=scope == "machine")
        return found.value if found and found.value else None

    def read_scope(self, scope: str) -> str | None:
        """``status``'s RegistryReader: "user" | "machine" -> the key there, or None."""
        return self.read_var(self.key_var, scope)

    # --- planning ----------------------------------------------------------------------------

    def _wanted(self, key: str) -> dict[str, str]:
        return {self.key_var: key, **dict.fromkeys(self.key_copies, key), **self.extra}

    def _value_change(self, name: str, want: str | None, have: RegValue | None, *, done: bool) -> Change:
        path = self.location(name)
        if want is None:
            if have is None:
                return Change(path, "unchanged", "registry")
            return Change(path, "removed" if done else "would-remove", "registry")
        if have is None:
            return Change(path, "created" if done else "would-create", "registry")
        if have.value == want and have.type == self.reg.REG_SZ:
            return Change(path, "unchanged", "registry")
        # A REG_EXPAND_SZ (or other) value of the same text is rewritten as REG_SZ.
        return Change(path, "modified" if done else "would-modify", "registry")

    def plan_values(self, key: str) -> list[Change]:
        """One Change per variable: the key, the extras, and stale names to delete."""
        out = [self._value_change(n, v, self._get(n), done=False) for n, v in self._wanted(key).items()]
        out.extend(Change(self.location(n), "would-remove", "registry") for n in self.stale if self._get(n))
        return out

    def plan(self, key: str) -> Change:
        """The store as one line of the report: created if the key was absent, modified if any
        variable differs, else unchanged."""
        return _aggregate(self.location(self.key_var), self.plan_values(key), done=False)

    def plan_delete(self) -> list[Change]:
        out = []
        for name in self._delete_names():
            if self._get(name) is not None:
                out.append(Change(self.location(name), "would-remove", "registry"))
        return out

    def _delete_names(self) -> list[str]:
        names = [self.key_var, *self.key_copies, *self.extra, *self.stale]
        return list(dict.fromkeys(names))

    # --- writing -----------------------------------------------------------------------------

    def preflight(self) -> None:
        """Open HKCU\\Environment for writing (and close it) before anything else is written."""
        with _registry_errors(USER_LOCATION), self._key(write=True, create=True):
            pass

    def save(self, key: str) -> tuple[Change, list[str]]:
        """Write every variable that differs as REG_SZ, delete stale ones, then broadcast once."""
        changes: list[Change] = []
        reg = self.reg
        try:
            with (
                _registry_errors(USER_LOCATION, secrets=(key,)),
                self._key(write=True, create=True) as handle,
            ):
                for name, want in self._wanted(key).items():
                    change = self._value_change(name, want, self._query(handle, name), done=True)
                    if change.action != "unchanged":
                        with _registry_errors(self.location(name), secrets=(key,)):
                            reg.SetValueEx(handle, name, 0, reg.REG_SZ, want)
                    changes.append(change)
                for name in self.stale:
                    if self._delete(handle, name):
                        changes.append(Change(self.location(name), "removed", "registry"))
        finally:
            self._after(any(c.action != "unchanged" for c in changes))
        self.last_changes = changes
        return _aggregate(self.location(self.key_var), changes, done=True), []

    def delete(self) -> bool:
        """Delete the key and the variables written with it; a missing value is not an error.
        True when anything was deleted (and then one broadcast)."""
        removed: list[Change] = []
        try:
            with _registry_errors(USER_LOCATION), self._key(write=True) as handle:
                if handle is not None:
                    for name in self._delete_names():
                        if self._delete(handle, name):
                            removed.append(Change(self.location(name), "removed", "registry"))
        finally:
            self._after(bool(removed))
        self.last_changes = removed
        return bool(removed)

    def _delete(self, handle: RegKey, name: str) -> bool:
        with _registry_errors(self.location(name)):
            try:
                self.reg.DeleteValue(handle, name)
            except FileNotFoundError:
                return False
        return True

    def _after(self, changed: bool) -> None:
        if not changed:
            return
        self.broadcasts += 1
        try:
            self.broadcast_ok = bool(self._broadcast())
        except OSError:
            self.broadcast_ok = False

    def broadcast_warnings(self) -> list[Msg]:
        """After save/delete: the broadcast did not get through (sign out and in again)."""
        return [Msg("warn.broadcast_failed")] if self.broadcast_ok is False else []

    # --- the Store interface beyond reading and writing ---------------------------------------

    def block_body(self, shell: Shell, extra: Mapping[str, str], key: str) -> str:
        raise ValueError("the user environment needs no startup block")

    def session_lines(
        self, shell: Shell, sources: Sequence[Path], extra: Mapping[str, str], *, placeholder: str = ""
    ) -> list[str]:
        # Every value this store wrote, not the key alone: a key of another region without its base
        # URLs would reach Beijing from this terminal and be refused there.
        names = dict.fromkeys([self.key_var, *self.key_copies, *self.extra, *extra])
        lines = [userenv_session_line(shell.name, name) for name in names]
        return [line for line in lines if line]

    def warnings(self, paths: Sequence[Path]) -> list[Msg]:
        return []

    def after_save(self) -> list[Msg]:
        return self.broadcast_warnings()

    def record(self, change: Change | None) -> StoreRecord:
        return StoreRecord(self.kind, registry_values=(self.key_var, *self.key_copies, *self.extra))

    def remove(self, *, done: bool) -> tuple[list[Change], list[Msg]]:
        if not done:
            return self.plan_delete(), []
        self.delete()
        return list(self.last_changes), self.broadcast_warnings()


def _aggregate(path: str, changes: list[Change], *, done: bool) -> Change:
    key_change = next((c for c in changes if c.path == path), None)
    if all(c.action == "unchanged" for c in changes):
        return Change(path, "unchanged", "registry")
    if key_change is not None and key_change.action in ("created", "would-create"):
        return Change(path, "created" if done else "would-create", "registry")
    return Change(path, "modified" if done else "would-modify", "registry")


def registry_reader(registry: WinReg[Any] | None = None) -> Callable[[str], str | None]:
    """For ``status.scan(registry_reader=...)``: never raises, an unreadable scope reads as None."""
    store = UserEnvStore(registry=registry)

    def read(scope: str) -> str | None:
        try:
            return store.read_scope(scope)
        except SetupError:
            return None

    return read


def userenv_session_line(shell: str, name: str = KEY_VAR) -> str | None:
    """The line that loads the user-environment value into this window, or None for a shell
    that does not read the Windows environment."""
    return SHELLS[shell].userenv_line(name) if shell in SHELLS else None


# --- what to tell the user ---------------------------------------------------------------------


def new_terminal_message() -> Msg:
    """Only processes started after the broadcast see the value: name the usual culprits."""
    return Msg("next.win_new_terminals")


def wsl_message(ctx: Context) -> Msg | None:
    """Windows and WSL keep separate environments: say which side is being configured."""
    info = detect_os(ctx.platform, ctx.env, ctx.proc_version)
    if info.name == "windows":
        if ctx.which("wsl") or ctx.which("wsl.exe"):
            return Msg("warn.wsl_windows_side")
        return None
    if info.wsl:
        distro = ctx.env.get("WSL_DISTRO_NAME") or "WSL"
        return Msg("warn.wsl_linux_side", {"distro": distro})
    return None
