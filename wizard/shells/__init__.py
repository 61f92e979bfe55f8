"""One small class per shell: its quoting rules, its startup files, its lines. Nothing else in
the package branches on a shell's name; everything goes through SHELLS.

`base` holds what every shell answers; `posix` (bash, zsh, sh), `fish`, `powershell` (+ `winps`
for what only Windows needs) and `cmd` one class each; `detect` guesses the user's shell.
"""

from __future__ import annotations

from wizard.shells.base import KEY_VAR, Shell, Target
from wizard.shells.cmd import Cmd
from wizard.shells.fish import Fish
from wizard.shells.posix import Bash, Sh, Zsh
from wizard.shells.powershell import PowerShell

__all__ = [
    "KEY_VAR",
    "SHELLS",
    "SHELL_NAMES",
    "Bash",
    "Cmd",
    "Fish",
    "PowerShell",
    "Sh",
    "Shell",
    "Target",
    "Zsh",
    "get",
]

SHELLS: dict[str, Shell] = {s.name: s for s in (Bash(), Zsh(), Fish(), Sh(), PowerShell(), Cmd())}
SHELL_NAMES: tuple[str, ...] = tuple(SHELLS)


def get(name: str) -> Shell:
    return SHELLS[name]
