"""PowerShell on Windows: where its profiles really are, whether it will run them, and what its
history keeps.

* **Where.** PowerShell 7 (``pwsh``) and Windows PowerShell 5.1 (``powershell``) have different
  profile folders, and ``Documents`` may be redirected by OneDrive or have a localized name. So
  each installed PowerShell is asked for ``$PROFILE.CurrentUserAllHosts`` — in base64 of its
  UTF-8 bytes, because decoding PowerShell's stdout in the console code page is what broke
  conda on Chinese and OneDrive paths (conda #9932, #8428). The answer is pure ASCII.
* **Whether.** Windows PowerShell on desktop Windows defaults to execution policy Restricted,
  and then no profile runs at all. We report it and never change it.
* **History.** PSReadLine saves typed lines; its secret filter matches ``apikey`` but not
  ``API_KEY``, so a typed ``$env:DASHSCOPE_API_KEY = '…'`` is written to disk.

Nothing here is Windows-only at import time; PowerShell runs through the injected ``ctx.run``.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath

from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg
from wizard.shells.base import Target, data_home

# exe name -> the folder under Documents where that PowerShell keeps its profiles.
EDITIONS: dict[str, str] = {"pwsh": "PowerShell", "powershell": "WindowsPowerShell"}
PS_ARGS = ("-NoLogo", "-NoProfile", "-NonInteractive", "-Command")

_PROFILE = "DS_PROFILE="
_POLICY = "DS_POLICY="
_USER_POLICY = "DS_USER_POLICY="
# One process per PowerShell answers all three questions (Windows PowerShell takes ~1 s to start).
# No double quotes and no backslashes: the argument survives Windows command-line parsing as is.
PROBE_SCRIPT = (
    f"'{_PROFILE}'+[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($PROFILE.CurrentUserAllHosts));"
    f"'{_POLICY}'+(Get-ExecutionPolicy);"
    f"'{_USER_POLICY}'+(Get-ExecutionPolicy -Scope CurrentUser)"
)
POLICIES = ("Restricted", "AllSigned", "RemoteSigned", "Unrestricted", "Bypass", "Undefined", "Default")
# Under these a profile does not run: Restricted runs no script; AllSigned only signed ones.
BLOCKING_POLICIES = ("Restricted", "AllSigned")
_CACHE = "winps.probe"
_MAX_HISTORY = 16 * 1024 * 1024


@dataclass(frozen=True)
class PsInfo:
    """What one PowerShell said about itself; None where it did not answer."""

    exe: str
    edition: str  # "pwsh" | "powershell"
    profile: Path | None
    policy: str | None  # the effective policy
    user_policy: str | None  # the CurrentUser scope alone


def edition_of(exe: str) -> str:
    """'C:\\Program Files\\PowerShell\\7\\pwsh.exe' -> 'pwsh'; '/usr/bin/pwsh' -> 'pwsh'."""
    name = PureWindowsPath(exe).name if "\\" in exe else PurePath(exe).name
    name = name.lower()
    return name[:-4] if name.endswith(".exe") else name


def installed(ctx: Context) -> list[str]:
    """Every PowerShell on PATH: PowerShell 7 first, then Windows PowerShell 5.1."""
    found: list[str] = []
    for name in EDITIONS:
        exe = ctx.which(name)
        if exe and exe not in found:
            found.append(exe)
    return found


def probe_argv(exe: str) -> list[str]:
    return [exe, *PS_ARGS, PROBE_SCRIPT]


def _clean_lines(out: str) -> list[str]:
    """Tolerate what a console can add: a BOM, UTF-16 read as bytes (NULs), CRLF, stray lines."""
    text = out.replace("\x00", "").replace("\ufeff", "")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _is_absolute(text: str, windows: bool) -> bool:
    return Path(text).is_absolute() or (windows and PureWindowsPath(text).is_absolute())


def decode_profile(b64: str, *, windows: bool) -> Path | None:
    """base64 of UTF-8 -> an absolute path, or None for anything else."""
    try:
        import base64  # only when PowerShell answered: not on every start

        raw = base64.b64decode(b64.strip(), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    if not text or any(ch in text for ch in "\x00\r\n") or not _is_absolute(text, windows):
        return None
    return Path(text)


def parse_probe(exe: str, out: str, *, windows: bool) -> PsInfo:
    profile: Path | None = None
    policy: str | None = None
    user_policy: str | None = None
    for line in _clean_lines(out):
        if line.startswith(_PROFILE):
            profile = decode_profile(line[len(_PROFILE) :], windows=windows)
        elif line.startswith(_USER_POLICY):
            value = line[len(_USER_POLICY) :]
            user_policy = value if value in POLICIES else None
        elif line.startswith(_POLICY):
            value = line[len(_POLICY) :]
            policy = value if value in POLICIES else None
    return PsInfo(exe, edition_of(exe), profile, policy, user_policy)


def probe(ctx: Context, exe: str) -> PsInfo:
    r"""Ask one PowerShell (once per Context: the answer is cached in ``ctx.cache``). When it does
    not name its profile (it timed out, or is not a real PowerShell), the profile is where
    PowerShell itself puts it: ``<Documents>\<edition folder>\profile.ps1``, with the Documents
    folder Windows reports (``Context.documents_dir``), which follows OneDrive and renames."""
    cache: dict[str, PsInfo] = ctx.cache.setdefault(_CACHE, {})
    if exe not in cache:
        code, out = ctx.run(probe_argv(exe), ctx.env)
        info = parse_probe(exe, out, windows=ctx.os_name == "windows")
        if code != 0 and info.profile is None:
            info = PsInfo(exe, edition_of(exe), None, None, None)
        if info.profile is None and info.edition in EDITIONS:
            documents = ctx.documents_dir()
            if documents is not None:
                profile = documents / EDITIONS[info.edition] / "profile.ps1"
                info = PsInfo(info.exe, info.edition, profile, info.policy, info.user_policy)
        cache[exe] = info
    return cache[exe]


def profile_paths(ctx: Context) -> list[Path]:
    """``$PROFILE.CurrentUserAllHosts`` of each installed PowerShell that answered, in order."""
    paths: list[Path] = []
    for exe in installed(ctx):
        p = probe(ctx, exe).profile
        if p is not None and p not in paths:
            paths.append(p)
    return paths


def profile_targets(ctx: Context) -> list[Target]:
    """For ``PowerShell.targets`` on Windows: every profile PowerShell itself names."""
    paths = profile_paths(ctx)
    if not paths:
        raise SetupError(ExitCode.USAGE, "err.ps_profile_unknown")
    return [Target(p, "powershell") for p in paths]


def execution_policy(ctx: Context, exe: str) -> str:
    """The effective execution policy of this PowerShell, or "" when it did not say."""
    return probe(ctx, exe).policy or ""


def policy_warnings(ctx: Context) -> list[Msg]:
    """One warning per installed PowerShell whose policy stops profiles. Warn; never change it."""
    out: list[Msg] = []
    for exe in installed(ctx):
        info = probe(ctx, exe)
        if info.policy in BLOCKING_POLICIES:
            out.append(
                Msg(
                    "warn.ps_execution_policy",
                    {"shell": _display(info.edition), "policy": info.policy, "exe": exe},
                )
            )
    return out


def _display(edition: str) -> str:
    return {"pwsh": "PowerShell 7", "powershell": "Windows PowerShell 5.1"}.get(edition, "PowerShell")


# --- PSReadLine history ------------------------------------------------------------------------


def history_dir(ctx: Context) -> Path:
    """Where PSReadLine keeps ``<host>_history.txt`` (ConsoleHost, Visual Studio Code Host, …)."""
    if ctx.os_name == "windows":
        appdata = ctx.env.get("APPDATA")
        base = Path(appdata) if appdata else ctx.home / "AppData" / "Roaming"
        return base / "Microsoft" / "Windows" / "PowerShell" / "PSReadLine"
    return data_home(ctx) / "powershell" / "PSReadLine"


def history_path(ctx: Context) -> Path:
    return history_dir(ctx) / "ConsoleHost_history.txt"


def history_warning(ctx: Context) -> Msg:
    """Shown wherever we print a PowerShell line: typed secrets land in the history file."""
    return Msg("warn.ps_history", {"path": str(history_path(ctx))})


def history_files_with(ctx: Context, secret: str) -> list[Path]:
    """The history files that contain `secret` (for ``status``): the paths, never the lines."""
    if not secret:
        return []
    try:
        files = sorted(history_dir(ctx).glob("*_history.txt"))
    except OSError:
        return []
    found: list[Path] = []
    needle = secret.encode("utf-8")
    for f in files:
        try:
            if f.stat().st_size <= _MAX_HISTORY and needle in f.read_bytes():
                found.append(f)
        except OSError:
            continue
    return found


def history_key_warnings(ctx: Context, secret: str) -> list[Msg]:
    return [Msg("warn.ps_history_has_key", {"path": str(p)}) for p in history_files_with(ctx, secret)]
