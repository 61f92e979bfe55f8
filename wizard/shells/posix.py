"""bash, zsh and sh (dash): one quoting rule, different startup files."""

from __future__ import annotations

from pathlib import Path

from wizard.context import Context
from wizard.shells.base import Shell, Target


class _Posix(Shell):
    family = "posix"

    def quote(self, value: str) -> str:
        # Single quotes keep everything literal in sh, bash and zsh; a quote is closed,
        # escaped and reopened.
        return "'" + value.replace("'", "'\\''") + "'"


class Bash(_Posix):
    name = "bash"
    display = "bash"
    binaries = ("bash",)

    def targets(self, ctx: Context) -> list[Target]:
        home = ctx.home
        login_candidates = [home / ".bash_profile", home / ".bash_login", home / ".profile"]
        login = next((p for p in login_candidates if p.exists()), None)
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


class Zsh(_Posix):
    name = "zsh"
    display = "zsh"
    binaries = ("zsh",)

    def zdotdir(self, ctx: Context) -> Path:
        """Ask zsh: users often set ZDOTDIR in ~/.zshenv without exporting it (oh-my-zsh #10479)."""
        exe = ctx.which("zsh")
        if exe:
            code, out = ctx.run([exe, "-c", 'print -r -- "${ZDOTDIR:-$HOME}"'], ctx.env)
            lines = out.strip().splitlines()
            if code == 0 and lines and Path(lines[-1]).is_absolute():
                return Path(lines[-1])
        env_dir = ctx.env.get("ZDOTDIR")
        return Path(env_dir) if env_dir else ctx.home

    def targets(self, ctx: Context) -> list[Target]:
        base = self.zdotdir(ctx)
        # .zshrc for interactive shells, .zprofile for login shells (`zsh -l`, macOS Terminal).
        return [Target(base / ".zshrc", self.name), Target(base / ".zprofile", self.name)]


class Sh(_Posix):
    name = "sh"
    display = "sh / dash"
    binaries = ("dash", "sh")

    def targets(self, ctx: Context) -> list[Target]:
        return [Target(ctx.home / ".profile", self.name)]
