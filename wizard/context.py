"""The world, injected: HOME, environment, streams, platform, subprocess runner.

Nothing outside this module reads os.environ or Path.home(); tests build a Context of their own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

Runner = Callable[[list[str], Mapping[str, str]], "tuple[int, str]"]


def _run(argv: list[str], env: Mapping[str, str]) -> tuple[int, str]:
    """Run a short helper (e.g. ask zsh for ZDOTDIR). Never given a secret in argv.

    Its output is never a reason to fail: Windows tools answer in the console's code page (GBK for
    ``whoami`` of a Chinese user name), not the UTF-8 Python may expect (UTF-8 mode), so bytes that do
    not decode are replaced on Windows (the answers we parse are ASCII) and kept as surrogates
    elsewhere, where a path must survive as the bytes it is."""
    import subprocess

    errors = "replace" if os.name == "nt" else "surrogateescape"
    try:
        proc = subprocess.run(
            argv,
            env=dict(env),
            capture_output=True,
            text=True,
            errors=errors,
            timeout=10,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return 127, ""
    return proc.returncode, proc.stdout


@dataclass
class WindowsServices:
    """The parts of Windows the tool asks or talks to. None: the real ones (loaded only on Windows);
    tests put a fake registry (with winreg's semantics), a broadcast counter, a UI language or a
    Documents folder here."""

    registry: Any = None  # a module like winreg (stores/winreg.WinReg)
    broadcast: Callable[[], bool] | None = None  # WM_SETTINGCHANGE("Environment")
    # The user's display language as a locale name ("zh-CN", "en-US"): what the Windows UI speaks.
    ui_language: Callable[[], str | None] | None = None
    # The Documents folder as Windows reports it (OneDrive may move it, a language rename it).
    documents: Callable[[], str | None] | None = None


def windows_ui_language() -> str | None:
    """``GetUserDefaultUILanguage`` as a locale name (``LCIDToLocaleName``); None off Windows or
    when Windows does not say."""
    if sys.platform != "win32":
        return None
    import ctypes

    try:
        kernel32 = ctypes.WinDLL("kernel32")
        langid = kernel32.GetUserDefaultUILanguage()
        buf = ctypes.create_unicode_buffer(85)  # LOCALE_NAME_MAX_LENGTH
        if not kernel32.LCIDToLocaleName(langid, buf, len(buf), 0):
            return None
    except (OSError, AttributeError):
        return None
    return buf.value or None


def windows_documents() -> str | None:
    """``SHGetKnownFolderPath(FOLDERID_Documents)``: the folder PowerShell puts its profiles in;
    None off Windows or when Windows does not say."""
    if sys.platform != "win32":
        return None
    import ctypes
    import uuid
    from ctypes import wintypes

    folder_id = (ctypes.c_byte * 16).from_buffer_copy(
        uuid.UUID("FDD39AD0-238F-46AF-ADB4-6C85480369C7").bytes_le
    )
    out = ctypes.c_wchar_p()
    try:
        shell32, ole32 = ctypes.WinDLL("shell32"), ctypes.WinDLL("ole32")
        shell32.SHGetKnownFolderPath.argtypes = [
            ctypes.c_void_p,
            wintypes.DWORD,
            wintypes.HANDLE,
            ctypes.POINTER(ctypes.c_wchar_p),
        ]
        if shell32.SHGetKnownFolderPath(ctypes.byref(folder_id), 0, None, ctypes.byref(out)) != 0:
            return None
        path = out.value
        ole32.CoTaskMemFree(out)
    except (OSError, AttributeError):
        return None
    return path or None


@dataclass
class Context:
    home: Path
    env: dict[str, str]
    cwd: Path
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    platform: str = sys.platform  # "linux", "darwin", "win32"
    run: Runner = _run
    # Builds the httpx.Client used by the live check; typed loosely so httpx is not imported here.
    http_client_factory: Callable[..., Any] | None = None
    proc_version: str | None = None
    # Names of the shell ancestors, when known (tests record them; None = look at the live process tree).
    process_names: list[str] | None = None
    # Whether each stream is a terminal: asked of the stream on first use (None) and kept, so a
    # test pretends a terminal by setting them.
    stdin_tty: bool | None = None
    stdout_tty: bool | None = None
    stderr_tty: bool | None = None
    windows: WindowsServices = field(default_factory=WindowsServices)
    # How this process was started (sys.argv[0], sys.executable): commands the tool prints start it
    # the same way (wizard/invocation.py). Empty: not known, the bare command name is printed.
    argv0: str = ""
    executable: str = ""
    # Answers worth asking once per run (what each PowerShell reports about itself), by asker.
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_process(cls) -> Context:
        env = dict(os.environ)
        proc_version = None
        if sys.platform.startswith("linux"):
            try:
                proc_version = Path("/proc/version").read_text(encoding="utf-8", errors="replace")
            except OSError:
                proc_version = None
        home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
        return cls(
            home=home,
            env=env,
            cwd=Path.cwd(),
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            proc_version=proc_version,
            argv0=sys.argv[0] if sys.argv else "",
            executable=sys.executable or "",
        )

    @property
    def os_name(self) -> str:
        if self.platform.startswith("win"):
            return "windows"
        if self.platform == "darwin":
            return "macos"
        return "linux"

    def which(self, name: str) -> str | None:
        import shutil

        return shutil.which(name, path=self.env.get("PATH", os.defpath))

    def config_home(self) -> Path:
        if self.os_name == "windows":
            appdata = self.env.get("APPDATA")
            return Path(appdata) if appdata else self.home / "AppData" / "Roaming"
        xdg = self.env.get("XDG_CONFIG_HOME")
        return Path(xdg) if xdg and Path(xdg).is_absolute() else self.home / ".config"

    def refuse_relative_paths(self) -> None:
        """A relative HOME or XDG_CONFIG_HOME means a different place to every program (each resolves it
        against its own working folder): writing startup files there would be guessing, so we refuse."""
        from wizard.errors import ExitCode, SetupError

        checks = [("HOME" if self.env.get("HOME") else "USERPROFILE", str(self.home))]
        if self.os_name != "windows":
            checks.append(("XDG_CONFIG_HOME", self.env.get("XDG_CONFIG_HOME", "")))
        for var, value in checks:
            path = Path(value)
            if value and not (path.drive or path.root):
                raise SetupError(ExitCode.USAGE, "err.relative_path", var=var)

    def state_dir(self) -> Path:
        """Where the record of a setup and the backups live. On Windows that is %LOCALAPPDATA%: they
        name files and registry values of this machine, which a roaming profile must not carry to
        another. A folder an earlier version made in %APPDATA% is used while it exists, so `remove`
        still finds what that version recorded (and, by emptying it, ends its use)."""
        if self.os_name != "windows":
            return self.config_home() / "dashscope-setup"
        roaming = self.config_home() / "dashscope-setup"
        if roaming.is_dir():
            return roaming
        local = self.env.get("LOCALAPPDATA")
        base = Path(local) if local and Path(local).is_absolute() else self.home / "AppData" / "Local"
        return base / "dashscope-setup"

    def ui_language(self) -> str | None:
        """The language the Windows UI speaks ("zh-CN"); None elsewhere, where LANG says it."""
        if self.os_name != "windows":
            return None
        ask = self.windows.ui_language or windows_ui_language
        return ask()

    def documents_dir(self) -> Path | None:
        """The Documents folder Windows reports; None elsewhere or when it does not say."""
        if self.os_name != "windows":
            return None
        found = (self.windows.documents or windows_documents)()
        return Path(found) if found else None

    def stdin_is_tty(self) -> bool:
        if self.stdin_tty is None:
            self.stdin_tty = _isatty(self.stdin)
        return self.stdin_tty

    def stdout_is_tty(self) -> bool:
        if self.stdout_tty is None:
            self.stdout_tty = _isatty(self.stdout)
        return self.stdout_tty

    def stderr_is_tty(self) -> bool:
        if self.stderr_tty is None:
            self.stderr_tty = _isatty(self.stderr)
        return self.stderr_tty

    def can_prompt(self) -> bool:
        """Questions need a terminal to read the answer from and one to draw on."""
        return self.stdin_is_tty() and self.stdout_is_tty()

    def plain(self) -> bool:
        """No colours, no cursor movement: NO_COLOR is set (any value) or the terminal is dumb."""
        return "NO_COLOR" in self.env or self.dumb_terminal()

    def dumb_terminal(self) -> bool:
        """A terminal that cannot move the cursor: TERM=dumb (Emacs's shell, CI logs), or no TERM
        at all outside Windows (whose console needs none)."""
        term = self.env.get("TERM", "")
        return term == "dumb" or (not term and self.os_name != "windows")


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
