"""fish: its own quoting and syntax, a conf.d file that is ours wholesale, universal variables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wizard.context import Context
from wizard.shells.base import Scenario, Shell, Target, data_home, files_in, joins_commands

_KEYWORDS = frozenset(
    {"if", "else", "end", "and", "or", "not", "begin", "function", "switch", "case", "for", "while"}
)


class Fish(Shell):
    name = "fish"
    forget_line = "usage.forget.fish"
    auto = True
    display = "fish"
    family = "fish"
    line_ending = "\n"  # a CR would be part of the line: `fi\r` is a syntax error
    binaries = ("fish",)
    process_names = ("fish",)
    syntax_check = ("fish", "--no-config", "--no-execute")
    scenarios = (
        Scenario("fish", "fish", interactive=True, login=False),
        Scenario("fish-noninteractive", "fish", interactive=False, login=False),
    )

    def comment_lines(self, text: str) -> frozenset[int] | None:
        from wizard.shellparse import tokenize_fish  # only when a file is edited: keeps `env` light

        found: list[int] = []
        tokenize_fish(text, found)
        return frozenset(found)

    def quote(self, value: str) -> str:
        # Order matters: backslashes first, then quotes (shlex.quote is wrong for fish).
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def config_dir(self, ctx: Context) -> Path:
        """`$__fish_config_dir`."""
        return ctx.config_home() / "fish"

    def conf_d(self, ctx: Context) -> list[Path]:
        """The conf.d files in the order fish runs them."""
        d = self.config_dir(ctx) / "conf.d"
        try:
            files = [p for p in d.iterdir() if p.name.endswith(".fish")]
        except OSError:
            return []
        return sorted(files, key=lambda p: _natural(p.name))

    def universal_variables(self, ctx: Context) -> Path:
        """Where `set -U` keeps its variables; every fish sees them unless a global hides one."""
        return self.config_dir(ctx) / "fish_variables"

    def targets(self, ctx: Context) -> list[Target]:
        # Every fish reads conf.d before config.fish; a file of our own needs no edit of theirs.
        return [Target(self.config_dir(ctx) / "conf.d" / "dashscope.fish", self.name, owned=True)]

    def startup_files(self, ctx: Context, scenario: Scenario) -> list[Path]:
        # Interactive or not, login or not: every fish reads the same files.
        return self.startup_candidates(ctx)

    def startup_candidates(self, ctx: Context) -> list[Path]:
        return [*self.conf_d(ctx), self.config_dir(ctx) / "config.fish"]

    def is_compound(self, line: str) -> bool:
        from wizard.shellparse import tokenize_fish  # only for history and migration, not at start

        return joins_commands(tokenize_fish(line), _KEYWORDS)

    def history_files(self, ctx: Context) -> list[Path]:
        return files_in(data_home(ctx) / "fish", "_history")

    def history_entries(self, lines: Sequence[str]) -> list[tuple[int, int]]:
        # An entry is a `- cmd:` item with its indented `when:`/`paths:` lines.
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(lines):
            j = i + 1
            if lines[i].startswith("- cmd:"):
                while j < len(lines) and lines[j].startswith(" "):
                    j += 1
            out.append((i, j))
            i = j
        return out


def _natural(name: str) -> tuple[Any, ...]:
    """fish sorts globs case-insensitively with numbers compared by value ("9-x" before "10-x")."""
    parts: list[tuple[int, int, str]] = []
    for chunk in re.findall(r"\d+|\D+", name):
        parts.append((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk.lower()))
    return (tuple(parts), name)
