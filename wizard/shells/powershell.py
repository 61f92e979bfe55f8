"""PowerShell (7 and Windows PowerShell 5.1): its quoting, its profiles, its history. What only
Windows needs (asking PowerShell where its profile is, the execution policy, PSReadLine's history
folder) is in `winps`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from wizard.context import Context
from wizard.report import Msg
from wizard.shells import snippets
from wizard.shells.base import Scenario, Shell, Target, files_in, joined_entries, profile_relative

# PowerShell treats the curly single quotes U+2018..U+201B like ' inside a single-quoted string.
_PS_QUOTES = ("'", "\u2018", "\u2019", "\u201a", "\u201b")


class PowerShell(Shell):
    name = "powershell"
    forget_line = "usage.forget.powershell"
    auto = True
    display = "PowerShell"
    family = "powershell"
    binaries = ("pwsh", "powershell")
    process_names = ("pwsh", "powershell")
    ascii_arguments = True
    plain_word = re.compile(r"[A-Za-z0-9_./:+\\-]+")
    scenarios = (Scenario("powershell", "powershell", interactive=True, login=False),)
    # CurrentUserAllHosts, then CurrentUserCurrentHost (the console), in the order PowerShell runs them.
    PROFILE_NAMES = ("profile.ps1", "Microsoft.PowerShell_profile.ps1")

    def comment_lines(self, text: str) -> frozenset[int] | None:
        """Comment lines outside here-strings (`@'` ending a line … `'@` starting one) and
        outside `<# … #>` block comments."""
        found: set[int] = set()
        closer: str | None = None
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.rstrip("\r")
            if closer is not None:
                if line.startswith(closer) or (closer == "#>" and closer in line):
                    closer = None
                continue
            stripped = line.strip()
            if stripped.startswith("<#") and "#>" not in stripped[2:]:
                closer = "#>"
            elif stripped.startswith("#"):
                found.add(number)
            elif line.rstrip().endswith(("@'", '@"')):
                closer = line.rstrip()[-1] + "@"
        return frozenset(found)

    def quote(self, value: str) -> str:
        out = []
        for ch in value:
            out.append(ch + ch if ch in _PS_QUOTES else ch)
        return "'" + "".join(out) + "'"

    def command_line(self, words: Sequence[str]) -> str:
        """A quoted first word is a string to PowerShell, not a command: `&` runs it."""
        line = super().command_line(words)
        return f"& {line}" if line.startswith("'") else line

    def plan_warnings(self, ctx: Context) -> list[Msg]:
        """On Windows an execution policy can stop profiles from running at all."""
        from wizard.shells import winps  # loaded when asked: most runs never need it

        return winps.policy_warnings(ctx) if ctx.os_name == "windows" else []

    def session_warnings(self, ctx: Context) -> list[Msg]:
        """PSReadLine keeps every typed line, so a pasted key would stay in its history file."""
        from wizard.shells import winps  # loaded when asked: most runs never need it

        return [winps.history_warning(ctx)] if ctx.os_name == "windows" else []

    def userenv_line(self, name: str) -> str | None:
        return snippets.render(self.family, "load_userenv", name=name)

    def path_word(self, path: Path, profile: str | None = None) -> str:
        """A path in single quotes. A non-ASCII path below %USERPROFILE% is written as
        ``"$env:USERPROFILE\\…"`` instead, so the line stays ASCII: Windows PowerShell 5.1 reads a
        profile without a BOM in the ANSI code page, which turns UTF-8 Chinese into other letters."""
        text = str(path)
        rel = profile_relative(path, profile)
        if rel is not None and not text.isascii() and rel.isascii() and not set(rel) & set('$`"'):
            return f'"$env:USERPROFILE\\{rel}"'
        return self.quote(text)

    def targets(self, ctx: Context) -> list[Target]:
        if ctx.os_name == "windows":
            # The profile path PowerShell names (OneDrive, localized folders), else its place in Documents.
            from wizard.shells import winps  # loaded when asked: most runs never need it

            return winps.profile_targets(ctx)
        # CurrentUserAllHosts on Linux/macOS.
        return [Target(ctx.config_home() / "powershell" / "profile.ps1", self.name)]

    def profile_dirs(self, ctx: Context) -> list[Path]:
        """The profile folders by their usual names (PowerShell 7, then 5.1 on Windows), found
        without starting PowerShell: in the Documents folder Windows reports."""
        if ctx.os_name == "windows":
            docs = ctx.documents_dir() or ctx.home / "Documents"
            return [docs / "PowerShell", docs / "WindowsPowerShell"]
        return [ctx.config_home() / "powershell"]

    def startup_files(self, ctx: Context, scenario: Scenario) -> list[Path]:
        return self.startup_candidates(ctx)

    def startup_candidates(self, ctx: Context) -> list[Path]:
        return [d / name for d in self.profile_dirs(ctx) for name in self.PROFILE_NAMES]

    def is_compound(self, line: str) -> bool:
        return bool(re.search(r"[;{}]", line))

    def history_files(self, ctx: Context) -> list[Path]:
        # One file per host: ConsoleHost, Visual Studio Code Host, …
        from wizard.shells import winps  # loaded when asked: most runs never need it

        return files_in(winps.history_dir(ctx), "_history.txt")

    def history_entries(self, lines: Sequence[str]) -> list[tuple[int, int]]:
        return joined_entries(lines, "`")
