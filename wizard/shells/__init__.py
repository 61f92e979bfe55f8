"""One small class per shell: its quoting rules, its startup files, its lines. Nothing else in
the package branches on a shell's name; everything goes through SHELLS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.shells import snippets

KEY_VAR = "DASHSCOPE_API_KEY"


@dataclass(frozen=True)
class Target:
    """A startup file a shell really reads. `owned` files (fish conf.d) belong to us wholesale."""

    path: Path
    shell: str
    owned: bool = False


class Shell:
    name: ClassVar[str]
    display: ClassVar[str]
    family: ClassVar[str]
    binaries: ClassVar[tuple[str, ...]]
    has_startup_file: ClassVar[bool] = True

    def quote(self, value: str) -> str:
        raise NotImplementedError

    def assign(self, name: str, value: str) -> str:
        return snippets.render(self.family, "assign", name=name, value=self.quote(value))

    def assign_all(self, values: Mapping[str, str]) -> str:
        return "\n".join(self.assign(k, v) for k, v in values.items())

    def load_line(self, key_file: Path) -> str:
        """The session line that loads the key from the key file (prints no secret)."""
        return snippets.render(self.family, "load_file", key_file=self.quote(str(key_file)))

    def source_line(self, path: Path) -> str | None:
        """Load a startup file into this session (the inline store has no key file to read)."""
        return snippets.render(self.family, "source", path=self.quote(str(path)))

    def eval_env_line(self) -> str:
        """Load the stored key through `dashscope-setup env` (a keyring holds it, not a file)."""
        return snippets.render(self.family, "eval_env", shell=self.name)

    def prompt_line(self) -> str:
        """Read the key silently into this session only; the key never passes through our output."""
        return snippets.render(self.family, "prompt")

    def block_body(
        self, *, store: str, extra: Mapping[str, str], key_file: Path | None = None, key: str | None = None
    ) -> str:
        """The lines between our markers for a store ("file", "keyring" or "inline")."""
        extra_lines = self.assign_all(extra)
        if store == "file":
            if key_file is None:
                raise ValueError("the file store needs a key file")
            return snippets.render(
                self.family, "block_file", key_file=self.quote(str(key_file)), extra=extra_lines
            )
        if store == "keyring":
            # One block for every OS: the shell picks secret-tool, security or `dashscope-setup env`
            # at start, so the block stays right if libsecret-tools is installed later.
            return snippets.render(self.family, "block_keyring", shell=self.name, extra=extra_lines)
        if store == "inline":
            if key is None:
                raise ValueError("the inline store needs the key")
            return snippets.render(
                self.family, "block_inline", assign_key=self.assign(KEY_VAR, key), extra=extra_lines
            )
        raise ValueError(store)

    def targets(self, ctx: Context) -> list[Target]:
        raise NotImplementedError

    def installed(self, ctx: Context) -> bool:
        return any(ctx.which(b) for b in self.binaries)


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


class Fish(Shell):
    name = "fish"
    display = "fish"
    family = "fish"
    binaries = ("fish",)

    def quote(self, value: str) -> str:
        # Order matters: backslashes first, then quotes (shlex.quote is wrong for fish).
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def targets(self, ctx: Context) -> list[Target]:
        # Every fish reads conf.d before config.fish; a file of our own needs no edit of theirs.
        return [Target(ctx.config_home() / "fish" / "conf.d" / "dashscope.fish", self.name, owned=True)]


# PowerShell treats the curly single quotes U+2018..U+201B like ' inside a single-quoted string.
_PS_QUOTES = ("'", "\u2018", "\u2019", "\u201a", "\u201b")


class PowerShell(Shell):
    name = "powershell"
    display = "PowerShell"
    family = "powershell"
    binaries = ("pwsh", "powershell")

    def quote(self, value: str) -> str:
        out = []
        for ch in value:
            out.append(ch + ch if ch in _PS_QUOTES else ch)
        return "'" + "".join(out) + "'"

    def targets(self, ctx: Context) -> list[Target]:
        if ctx.os_name == "windows":
            # The profile path must come from PowerShell itself (OneDrive, localized folders).
            from wizard.shells import winps

            return winps.profile_targets(ctx)
        # CurrentUserAllHosts on Linux/macOS.
        return [Target(ctx.config_home() / "powershell" / "profile.ps1", self.name)]


# Characters that survive `set "NAME=value"` typed at an interactive cmd.exe prompt unchanged.
_CMD_UNSAFE = set('%!^"')


class Cmd(Shell):
    name = "cmd"
    display = "CMD"
    family = "cmd"
    binaries = ("cmd.exe", "cmd")
    has_startup_file = False

    def unsafe_chars(self, value: str) -> list[str]:
        return sorted({ch for ch in value if ch in _CMD_UNSAFE or not (0x20 <= ord(ch) <= 0x7E)})

    def quote(self, value: str) -> str:
        """The text between `set "NAME=` and `"`. `%`, `!`, `^` and `"` cannot be made safe at an
        interactive prompt, so such values are refused, never mangled."""
        if self.unsafe_chars(value):
            raise SetupError(ExitCode.USAGE, "err.cmd_unsafe")
        return value

    def quote_batch(self, value: str) -> str:
        """In a .bat/.cmd file `%` can be doubled; the other unsafe characters still cannot."""
        if self.unsafe_chars(value.replace("%", "")):
            raise SetupError(ExitCode.USAGE, "err.cmd_unsafe")
        return value.replace("%", "%%")

    def assign_batch(self, name: str, value: str) -> str:
        return f'set "{name}={self.quote_batch(value)}"'

    def load_line(self, key_file: Path) -> str:
        return snippets.render(self.family, "load_file", key_file=f'"{self.quote(str(key_file))}"')

    def source_line(self, path: Path) -> str | None:
        return None

    def targets(self, ctx: Context) -> list[Target]:
        return []


SHELLS: dict[str, Shell] = {s.name: s for s in (Bash(), Zsh(), Fish(), Sh(), PowerShell(), Cmd())}
SHELL_NAMES: tuple[str, ...] = tuple(SHELLS)


def get(name: str) -> Shell:
    return SHELLS[name]
