"""CMD: no startup file of its own, and values it cannot carry safely are refused."""

from __future__ import annotations

from pathlib import Path

from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.shells import snippets
from wizard.shells.base import Shell, Target

# Characters that survive `set "NAME=value"` typed at an interactive cmd.exe prompt unchanged.
_CMD_UNSAFE = set('%!^"')


class Cmd(Shell):
    name = "cmd"
    display = "CMD"
    family = "cmd"
    binaries = ("cmd.exe", "cmd")
    process_names = ("cmd",)
    has_startup_file = False
    ascii_arguments = True

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

    def curl_sample(self, url: str, body: str) -> str:
        # curl.exe's C runtime turns \" back into a quote inside the double-quoted argument.
        return snippets.render(self.family, "curl", url=url, body='"' + body.replace('"', '\\"') + '"') + "\n"

    def load_line(self, key_file: Path) -> str:
        return snippets.render(self.family, "load_file", key_file=f'"{self.quote(str(key_file))}"')

    def source_line(self, path: Path) -> str | None:
        return None

    def targets(self, ctx: Context) -> list[Target]:
        return []
