"""CMD: no startup file of its own, and values it cannot carry safely are refused."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg
from wizard.shells import snippets
from wizard.shells.base import KEY_VAR, Shell, Target, profile_relative

# Characters that survive `set "NAME=value"` typed at an interactive cmd.exe prompt unchanged.
_CMD_UNSAFE = set('%!^"')
# What cmd acts on outside double quotes.
_CMD_SPECIAL = set("%!^&|<>")


class Cmd(Shell):
    name = "cmd"
    forget_line = "usage.forget.cmd"
    display = "CMD"
    family = "cmd"
    binaries = ("cmd.exe", "cmd")
    process_names = ("cmd",)
    has_startup_file = False
    ascii_arguments = True
    plain_word = re.compile(r"[A-Za-z0-9_./:+\\-]+")

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

    def command_line(self, words: Sequence[str]) -> str:
        """Double quotes around a word with a space or a character cmd acts on; a path cannot
        hold a double quote, so nothing needs escaping inside them."""
        return " ".join(w if self.plain_word.fullmatch(w) else f'"{w}"' for w in words)

    def eval_env_line(self, tool: Sequence[str]) -> str:
        # `for /f` runs the command with `cmd /c`, which drops the first and the last double quote
        # when the line holds more than two: a quoted command is wrapped in one more pair. Each line
        # it prints runs as `call set "NAME=value"`, not as the bare `%i`: wine's cmd runs nothing for
        # a command that is only a for variable, and `call` runs the `set` there and on Windows
        # alike; its second round of expansion finds nothing, as `quote` refuses `%`, `^` and `!`.
        command = self.command_line([*tool, "env", "--shell", self.name])
        return snippets.render(self.family, "eval_env", command=f'"{command}"' if '"' in command else command)

    def assign_batch(self, name: str, value: str) -> str:
        return f'set "{name}={self.quote_batch(value)}"'

    def curl_sample(self, url: str, body: str) -> str | None:
        # cmd has no quotes that stop %VAR% expansion, and it sees the body's \" as quote toggles
        # (curl.exe's C runtime turns them back into quotes): values with such characters get no sample.
        if self.unsafe_chars(url) or set(body) & _CMD_SPECIAL:
            return None
        return (
            snippets.render(self.family, "curl", url=f'"{url}"', body='"' + body.replace('"', '\\"') + '"')
            + "\n"
        )

    def path_word(self, path: Path, profile: str | None = None) -> str:
        """A path in double quotes. `set /p` and `<` are cmd.exe's own, which open the file by its
        Unicode name: a non-ASCII path works typed or pasted at a prompt in any code page. But
        printed through a pipe or saved in a batch file it passes through a code page that may not
        hold it (cp1252 has no Chinese), so a path below %USERPROFILE% is written relative to it and
        stays ASCII. `%`, `!`, `^`, `"` and control characters are refused, as in values."""
        text = str(path)
        rel = profile_relative(path, profile)
        if rel is not None and not text.isascii() and rel.isascii() and not self.unsafe_chars(rel):
            return f'"%USERPROFILE%\\{rel}"'
        if {ch for ch in text if ch in _CMD_UNSAFE or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0}:
            raise SetupError(ExitCode.USAGE, "err.cmd_unsafe")
        return f'"{text}"'

    def source_line(self, path: Path) -> str | None:
        return None

    def userenv_line(self, name: str) -> str | None:
        return snippets.render(self.family, "load_userenv", name=name)

    def targets(self, ctx: Context) -> list[Target]:
        return []


# --- the manual way, as text -------------------------------------------------------------------

SETX_LIMIT = 1024  # setx silently cuts longer values; SetValueEx does not


def setx_line(value: str, name: str = KEY_VAR) -> str | None:
    """The guide's ``setx NAME "value"`` for a CMD prompt, offered as text only (see
    ``manual_lines`` for its caveats). None when CMD cannot carry the value safely (``%``,
    ``!``, ``^``, ``"``, non-ASCII), when it ends in a backslash (``\\"`` would escape the
    quote) or starts like a switch. Pass a placeholder to show it: the raw key is never printed."""
    try:
        quoted = Cmd().quote(value)
    except SetupError:
        return None
    if quoted.endswith("\\") or quoted.startswith(("/", "-")):
        return None
    return f'setx {name} "{quoted}"'


def cmd_session_line(value: str, name: str = KEY_VAR) -> str | None:
    """``set "NAME=value"`` for this CMD window only; None when the value is not safe there."""
    try:
        return Cmd().assign(name, value)
    except SetupError:
        return None


@dataclass(frozen=True)
class ManualLines:
    setx: str | None
    cmd_session: str | None
    notes: tuple[Msg, ...]


def manual_lines(value: str, name: str = KEY_VAR) -> ManualLines:
    """The setx line and the CMD session line with what the user must know about them."""
    setx = setx_line(value, name)
    session = cmd_session_line(value, name)
    notes = [Msg("winenv.setx_caveats", {"limit": SETX_LIMIT})]
    if len(value) > SETX_LIMIT:
        setx = None  # setx would save a cut-off value and say only "WARNING: ... truncated"
        notes.append(Msg("winenv.setx_truncates", {"length": len(value), "limit": SETX_LIMIT}))
    elif setx is None:
        notes.append(Msg("winenv.setx_unsafe"))
    if session is None:
        notes.append(Msg("winenv.cmd_session_unsafe"))
    return ManualLines(setx, session, tuple(notes))
