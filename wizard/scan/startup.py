"""Where each shell's user startup files are: `status` reads them all, and follows the ones a shell
really runs. System files (/etc/profile, /etc/zsh/…) are not read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from wizard.context import Context
from wizard.shells import Zsh


def find_zsh_dirs(ctx: Context) -> tuple[Path, Path]:
    """(where .zshenv is read, where the other files are read): ZDOTDIR may be set in .zshenv."""
    env_dir = ctx.env.get("ZDOTDIR")
    first = Path(env_dir) if env_dir and Path(env_dir).is_absolute() else ctx.home
    return first, Zsh().zdotdir(ctx)


def fish_dir(ctx: Context) -> Path:
    return ctx.config_home() / "fish"


def ps_dirs(ctx: Context) -> list[Path]:
    if ctx.os_name == "windows":
        docs = ctx.home / "Documents"
        return [docs / "PowerShell", docs / "WindowsPowerShell"]
    return [ctx.config_home() / "powershell"]


PS_NAMES = ("profile.ps1", "Microsoft.PowerShell_profile.ps1")


def fish_conf_d(ctx: Context) -> list[Path]:
    d = fish_dir(ctx) / "conf.d"
    try:
        files = [p for p in d.iterdir() if p.name.endswith(".fish")]
    except OSError:
        return []
    return sorted(files, key=lambda p: _natural(p.name))


def _natural(name: str) -> tuple[Any, ...]:
    """fish sorts globs case-insensitively with numbers compared by value ("9-x" before "10-x")."""
    parts: list[tuple[int, int, str]] = []
    for chunk in re.findall(r"\d+|\D+", name):
        parts.append((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk.lower()))
    return (tuple(parts), name)


def startup_files(ctx: Context, zsh_dirs: tuple[Path, Path] | None = None) -> list[tuple[Path, str]]:
    """Every user startup file a shell may read, with its syntax family (posix/fish/powershell)."""
    h = ctx.home
    out: list[tuple[Path, str]] = [
        (h / ".bashrc", "posix"),
        (h / ".bash_profile", "posix"),
        (h / ".bash_login", "posix"),
        (h / ".profile", "posix"),
    ]
    first, zdot = zsh_dirs or find_zsh_dirs(ctx)
    out.append((first / ".zshenv", "posix"))
    # $HOME's own files too: with ZDOTDIR elsewhere zsh never reads them, and a key left there
    # is the classic "I set it but zsh does not see it" (oh-my-zsh #10479).
    for d in (zdot, h):
        out.extend((d / name, "posix") for name in (".zshenv", ".zprofile", ".zshrc", ".zlogin"))
    fish = fish_dir(ctx)
    out.extend((p, "fish") for p in fish_conf_d(ctx))
    out.append((fish / "config.fish", "fish"))
    out.extend((d / n, "powershell") for d in ps_dirs(ctx) for n in PS_NAMES)
    seen: set[Path] = set()
    unique: list[tuple[Path, str]] = []
    for p, fam in out:
        if p not in seen:
            seen.add(p)
            unique.append((p, fam))
    return unique
