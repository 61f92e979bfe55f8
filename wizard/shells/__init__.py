"""One small class per shell: where setup writes, which files the shell reads when it starts, its
quoting and lines, its history, its syntax check, the process names it goes by. Nothing outside
this package branches on a shell's name; everything goes through SHELLS (a test checks it).

`base` holds what every shell answers; `posix` (bash, zsh, sh), `fish`, `powershell` (+ `winps`
for what only Windows needs) and `cmd` one class each; `detect` guesses the user's shell.
"""

from __future__ import annotations

from pathlib import Path

from wizard.context import Context
from wizard.shells import posix
from wizard.shells.base import KEY_VAR, Scenario, Shell, Target
from wizard.shells.cmd import Cmd
from wizard.shells.fish import Fish
from wizard.shells.posix import Bash, PosixShell, Sh, Zsh
from wizard.shells.powershell import PowerShell

__all__ = [
    "KEY_VAR",
    "SCENARIOS",
    "SHELLS",
    "SHELL_NAMES",
    "Bash",
    "Cmd",
    "Fish",
    "PosixShell",
    "PowerShell",
    "Scenario",
    "Sh",
    "Shell",
    "Target",
    "Zsh",
    "for_family",
    "get",
    "history_files",
    "syntax_checks",
]

SHELLS: dict[str, Shell] = {s.name: s for s in (Bash(), Zsh(), Fish(), Sh(), PowerShell(), Cmd())}
SHELL_NAMES: tuple[str, ...] = tuple(SHELLS)
# The kinds of new shell `status` predicts, in the order it lists them. What a user opens: a Linux
# terminal (bash/zsh interactive), a macOS Terminal or ssh login (interactive login), and
# `bash -lc`/`zsh -c`/`fish -c` as used by scripts and IDEs.
SCENARIOS: tuple[Scenario, ...] = tuple(
    sc for shell in (Bash, Sh, Zsh, Fish, PowerShell) for sc in shell.scenarios
)


def get(name: str) -> Shell:
    return SHELLS[name]


def for_family(family: str) -> Shell:
    """A shell of this syntax family (posix | fish | powershell | cmd): they share its syntax."""
    found = next((s for s in SHELLS.values() if s.family == family), None)
    if found is None:
        raise ValueError(f"no shell has the syntax {family!r}")
    return found


def syntax_checks(path: Path, family: str) -> list[list[str]]:
    """argv prefixes that check `path` (of this syntax family) without running it, one per shell
    that would read it: bash and dash both read ~/.profile."""
    return [
        list(s.syntax_check)
        for s in SHELLS.values()
        if s.family == family and s.syntax_check and s.parses(path)
    ]


def history_files(ctx: Context) -> list[tuple[Path, Shell]]:
    """Every file a shell may keep typed lines in (existing or not), with the shell whose format it
    is in: $HISTFILE first (bash or zsh, told apart by its content), then each shell's own."""
    found: list[tuple[Path, Shell]] = []
    histfile = posix.histfile(ctx)
    if histfile is not None:
        found.append((histfile, posix.histfile_shell(histfile)))
    found.extend((p, s) for s in SHELLS.values() for p in s.history_files(ctx))
    return found
