"""PowerShell (7 and Windows PowerShell 5.1): its quoting and its profile. What only Windows
needs (asking PowerShell where its profile is, the execution policy, PSReadLine history) is in
`winps`.
"""

from __future__ import annotations

from wizard.context import Context
from wizard.shells import winps
from wizard.shells.base import Shell, Target

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
            return winps.profile_targets(ctx)
        # CurrentUserAllHosts on Linux/macOS.
        return [Target(ctx.config_home() / "powershell" / "profile.ps1", self.name)]
