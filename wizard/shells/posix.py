"""bash, zsh and sh (dash): one quoting rule and one syntax, different startup files and histories.

Setup writes where these classes say, and `status` follows the files they say each kind of new
shell reads, so the two cannot disagree about which file a shell reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from wizard.context import Context
from wizard.shells.base import Scenario, Shell, Target, files_in, joined_entries, joins_commands

_KEYWORDS = frozenset(
    {"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "{", "}", "while", "for"}
)
# bash writes `#<epoch>` before each entry when HISTTIMEFORMAT is set.
_BASH_STAMP = re.compile(r"#\d{9,11}\r?\n?\Z")
# zsh's extended history: `: <epoch>:<duration>;command`.
_ZSH_EXTENDED = re.compile(rb"(?m)^: \d+:\d+;")


class PosixShell(Shell):
    """What bash, zsh and sh share, and what a startup file can test to tell them apart."""

    family = "posix"
    line_ending = "\n"  # a CR would be part of the line: `fi\r` is a syntax error
    # What `$-` holds at start-up besides `i` when interactive.
    option_letters: ClassVar[str] = "hB"
    # Added to `$-` in a login shell (only zsh shows it there).
    login_letter: ClassVar[str] = ""
    # The version variables a startup file may test to learn which shell runs it.
    version_vars: ClassVar[tuple[tuple[str, str], ...]] = ()
    # Whether PS1 is set even when the shell is not interactive.
    ps1_always: ClassVar[bool] = False
    # Whether the last part of a pipeline runs in the shell itself, so its assignments stay.
    pipeline_last_in_shell: ClassVar[bool] = False

    def comment_lines(self, text: str) -> frozenset[int] | None:
        from wizard.shellparse import tokenize_posix  # only when a file is edited: keeps `env` light

        found: list[int] = []
        tokenize_posix(text, found)
        return frozenset(found)

    def quote(self, value: str) -> str:
        # Single quotes keep everything literal in sh, bash and zsh; a quote is closed,
        # escaped and reopened.
        return "'" + value.replace("'", "'\\''") + "'"

    def startup_vars(self, scenario: Scenario) -> dict[str, str]:
        """What a startup file can test to learn how the shell was started: `$-`, `$PS1`, versions."""
        return {
            "-": self.option_letters
            + ("i" if scenario.interactive else "")
            + (self.login_letter if scenario.login else ""),
            "PS1": "$ " if scenario.interactive or self.ps1_always else "",
            "BASH_VERSION": "",
            "ZSH_VERSION": "",
            "ZSH_NAME": "",
            **dict(self.version_vars),
        }

    def is_compound(self, line: str) -> bool:
        from wizard.shellparse import tokenize_posix  # only for history and migration, not at start

        return joins_commands(tokenize_posix(line), _KEYWORDS)


class Bash(PosixShell):
    name = "bash"
    forget_line = "usage.forget.bash"
    auto = True
    display = "bash"
    binaries = ("bash",)
    process_names = ("bash",)
    syntax_check = ("bash", "-n")
    version_vars = (("BASH_VERSION", "5"),)
    scenarios = (
        Scenario("bash", "bash", interactive=True, login=False),
        Scenario("bash-login", "bash", interactive=True, login=True),
        Scenario("bash-login-noninteractive", "bash", interactive=False, login=True),
    )
    LOGIN_FILES = (".bash_profile", ".bash_login", ".profile")

    def login_file(self, ctx: Context) -> Path | None:
        """A login bash reads the first of its login files that exists and is readable, only that."""
        candidates = (ctx.home / name for name in self.LOGIN_FILES)
        return next((p for p in candidates if p.is_file() and os.access(p, os.R_OK)), None)

    def targets(self, ctx: Context) -> list[Target]:
        home = ctx.home
        login = self.login_file(ctx)
        if ctx.os_name == "linux":
            # GUI terminals open non-login shells (.bashrc); `bash -l` reads the first login file.
            # Debian's .bashrc returns early when non-interactive, so the login file needs the
            # block too. Never create .bash_profile on Linux: it would hide ~/.profile (conda #7730).
            return [Target(home / ".bashrc", self.name), Target(login or home / ".profile", self.name)]
        # macOS Terminal (and Git Bash) open login shells: the login file is what counts.
        result = [Target(login or home / ".bash_profile", self.name)]
        if (home / ".bashrc").exists():
            result.append(Target(home / ".bashrc", self.name))
        return result

    def startup_files(self, ctx: Context, scenario: Scenario) -> list[Path]:
        if scenario.login:
            login = self.login_file(ctx)
            return [login] if login else []
        # A non-login bash reads .bashrc only when interactive.
        return [ctx.home / ".bashrc"] if scenario.interactive else []

    def startup_candidates(self, ctx: Context) -> list[Path]:
        return [ctx.home / ".bashrc", *(ctx.home / name for name in self.LOGIN_FILES)]

    def parses(self, path: Path) -> bool:
        return not Zsh().parses(path)

    def history_files(self, ctx: Context) -> list[Path]:
        # macOS Terminal keeps one history per window in ~/.bash_sessions.
        return [ctx.home / ".bash_history", *files_in(ctx.home / ".bash_sessions", ".history")]

    def history_entries(self, lines: Sequence[str]) -> list[tuple[int, int]]:
        if not any(_BASH_STAMP.match(x) for x in lines):
            return super().history_entries(lines)
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(lines):
            j = i + 1
            if _BASH_STAMP.match(lines[i]):
                while j < len(lines) and not _BASH_STAMP.match(lines[j]):
                    j += 1
            out.append((i, j))
            i = j
        return out


class Zsh(PosixShell):
    name = "zsh"
    forget_line = "usage.forget.zsh"
    auto = True
    display = "zsh"
    binaries = ("zsh",)
    process_names = ("zsh",)
    syntax_check = ("zsh", "-f", "-n")
    option_letters = "569X"
    login_letter = "l"
    version_vars = (("ZSH_VERSION", "5.9"), ("ZSH_NAME", "zsh"))
    pipeline_last_in_shell = True
    scenarios = (
        Scenario("zsh", "zsh", interactive=True, login=False),
        Scenario("zsh-login", "zsh", interactive=True, login=True),
        Scenario("zsh-noninteractive", "zsh", interactive=False, login=False),
    )
    STARTUP_NAMES = (".zshenv", ".zprofile", ".zshrc", ".zlogin")

    def zdotdir(self, ctx: Context) -> Path:
        """ZDOTDIR as ~/.zshenv leaves it (read, never run: see shells/zdotdir.py), else as exported."""
        from wizard.shells.zdotdir import zdotdir_from_zshenv  # it parses: only when zsh is asked about

        found = zdotdir_from_zshenv(self.zshenv_dir(ctx) / ".zshenv", ctx.env, ctx.home)
        return found or self.zshenv_dir(ctx)

    def zshenv_dir(self, ctx: Context) -> Path:
        """Where .zshenv is read: ZDOTDIR as exported, since .zshenv itself may set it for the rest."""
        env_dir = ctx.env.get("ZDOTDIR")
        return Path(env_dir) if env_dir and Path(env_dir).is_absolute() else ctx.home

    def targets(self, ctx: Context) -> list[Target]:
        base = self.zdotdir(ctx)
        # .zshrc for interactive shells, .zprofile for login shells (`zsh -l`, macOS Terminal).
        return [Target(base / ".zshrc", self.name), Target(base / ".zprofile", self.name)]

    def startup_files(self, ctx: Context, scenario: Scenario) -> list[Path]:
        zdot = self.zdotdir(ctx)
        files = [self.zshenv_dir(ctx) / ".zshenv"]
        if scenario.login:
            files.append(zdot / ".zprofile")
        if scenario.interactive:
            files.append(zdot / ".zshrc")
        if scenario.login:
            files.append(zdot / ".zlogin")
        return files

    def startup_candidates(self, ctx: Context) -> list[Path]:
        # $HOME's own files too: with ZDOTDIR elsewhere zsh never reads them, and a key left there
        # is the classic "I set it but zsh does not see it" (oh-my-zsh #10479).
        dirs = (self.zdotdir(ctx), ctx.home)
        return [self.zshenv_dir(ctx) / ".zshenv", *(d / name for d in dirs for name in self.STARTUP_NAMES)]

    def parses(self, path: Path) -> bool:
        return path.name.startswith(".z")

    def history_files(self, ctx: Context) -> list[Path]:
        dirs = (self.zdotdir(ctx), ctx.home)
        return [
            *(d / name for d in dirs for name in (".zsh_history", ".histfile")),
            *files_in(ctx.home / ".zsh_sessions", ".history"),
        ]

    def history_entries(self, lines: Sequence[str]) -> list[tuple[int, int]]:
        return joined_entries(lines, "\\")

    def writes_history(self, head: bytes) -> bool:
        """The start of a history file is in zsh's extended format (bash never writes it)."""
        return _ZSH_EXTENDED.search(head) is not None


class Sh(PosixShell):
    name = "sh"
    display = "sh / dash"
    binaries = ("dash", "sh")
    process_names = ("sh", "dash", "ash", "ksh")
    syntax_check = ("dash", "-n")
    ps1_always = True
    scenarios = (Scenario("sh-login", "sh", interactive=False, login=True),)

    def targets(self, ctx: Context) -> list[Target]:
        return [Target(ctx.home / ".profile", self.name)]

    def startup_files(self, ctx: Context, scenario: Scenario) -> list[Path]:
        return [ctx.home / ".profile"] if scenario.login else []

    def startup_candidates(self, ctx: Context) -> list[Path]:
        return [ctx.home / ".profile"]

    def parses(self, path: Path) -> bool:
        return path.name == ".profile"


def histfile(ctx: Context) -> Path | None:
    """$HISTFILE, which bash and zsh both honour; relative to HOME as the shells take it."""
    value = ctx.env.get("HISTFILE", "")
    if not value:
        return None
    return Path(value) if Path(value).is_absolute() else ctx.home / value


def histfile_shell(path: Path) -> PosixShell:
    """$HISTFILE may belong to bash or zsh: zsh's extended format gives itself away."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return Bash()
    return Zsh() if Zsh().writes_history(head) else Bash()
