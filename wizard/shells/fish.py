"""fish: its own quoting, and a conf.d file that is ours wholesale."""

from __future__ import annotations

from wizard.context import Context
from wizard.shells.base import Shell, Target


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
