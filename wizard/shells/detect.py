"""OS and shell detection: best effort, never fatal, a default rather than a decision.

The decisions are pure functions over recorded inputs (env, process names, /proc/version);
only `observe()` touches the live process tree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath, PureWindowsPath

from wizard import invocation
from wizard.context import Context
from wizard.shells import SHELLS

_NAME_TO_SHELL = {alias: shell.name for shell in SHELLS.values() for alias in shell.process_names}


@dataclass(frozen=True)
class OsInfo:
    name: str  # linux | macos | windows
    wsl: bool = False


@dataclass(frozen=True)
class ShellGuess:
    name: str
    source: str  # process | env | SHELL | default


def detect_os(platform: str, env: Mapping[str, str], proc_version: str | None) -> OsInfo:
    if platform.startswith("win"):
        return OsInfo("windows")
    if platform == "darwin":
        return OsInfo("macos")
    wsl = bool(env.get("WSL_DISTRO_NAME") or env.get("WSL_INTEROP")) or (
        proc_version is not None and "microsoft" in proc_version.lower()
    )
    return OsInfo("linux", wsl=wsl)


def shell_from_name(name: str) -> str | None:
    """'-bash', '/bin/zsh', 'pwsh.exe', 'C:\\Windows\\System32\\cmd.exe' -> our shell names."""
    if not name:
        return None
    base = PureWindowsPath(name).name if "\\" in name else PurePath(name).name
    base = base.lower().lstrip("-")
    if base.endswith(".exe"):
        base = base[:-4]
    return _NAME_TO_SHELL.get(base)


def detect_shell(os_info: OsInfo, env: Mapping[str, str], process_names: Sequence[str]) -> ShellGuess:
    """The shell the user is typing in. Process ancestry beats environment hints, which beat
    $SHELL (the login shell, not necessarily the current one)."""
    for proc in process_names:
        found = shell_from_name(proc)
        if found:
            return ShellGuess(found, "process")
    if os_info.name == "windows":
        # COMSPEC says cmd.exe even inside PowerShell; PSModulePath with a per-user entry does not.
        ps_path = env.get("PSModulePath", "")
        if "\\Documents\\" in ps_path and "PowerShell" in ps_path:
            return ShellGuess("powershell", "env")
        return ShellGuess("cmd", "env") if env.get("PROMPT") else ShellGuess("powershell", "default")
    login = shell_from_name(env.get("SHELL", ""))
    if login:
        return ShellGuess(login, "SHELL")
    return ShellGuess("zsh" if os_info.name == "macos" else "bash", "default")


def installed_shells(ctx: Context, os_info: OsInfo) -> list[str]:
    found = []
    for name, shell in SHELLS.items():
        if name == "cmd":
            if os_info.name == "windows":
                found.append(name)
        elif shell.installed(ctx):
            found.append(name)
    return found


def observe_processes() -> list[str]:
    """Names of the nearest shell ancestor, via shellingham; empty when it cannot tell."""
    with contextlib.suppress(Exception):  # shellingham raises its own errors on odd platforms
        import shellingham

        name, path = shellingham.detect_shell()
        return [path or name]
    return []


@dataclass(frozen=True)
class Detected:
    os: OsInfo
    shell: ShellGuess
    installed: tuple[str, ...]


def detect(ctx: Context) -> Detected:
    os_info = detect_os(ctx.platform, ctx.env, ctx.proc_version)
    names = observe_processes() if ctx.process_names is None else ctx.process_names
    return Detected(os_info, detect_shell(os_info, ctx.env, names), tuple(installed_shells(ctx, os_info)))


def current_shell(ctx: Context) -> str:
    """The name of the shell the user is typing in (detect() without the installed shells)."""
    os_info = detect_os(ctx.platform, ctx.env, ctx.proc_version)
    names = observe_processes() if ctx.process_names is None else ctx.process_names
    return detect_shell(os_info, ctx.env, names).name


def command(ctx: Context, *args: str, shell: str | None = None) -> str:
    """A command line that runs this tool again with `args`, as it was started this time
    (wizard/invocation.py), quoted for `shell` — by default the one the user is typing in, which is
    asked only when some word needs quoting."""
    words = [*invocation.words(ctx), *args]
    if shell is None and invocation.plain(words):
        return " ".join(words)
    return SHELLS[shell or current_shell(ctx)].command_line(words)
