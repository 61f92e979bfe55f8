"""Tests that need a real Windows or macOS: real winreg, cmd.exe, PowerShell 5.1 and 7, icacls,
setx; the macOS login-shell rules with /bin/bash 3.2 and /bin/zsh.

Each file is collected only on its platform (``collect_ignore_glob``), instead of being skipped
elsewhere: tests/conftest.py turns every skip into a failure when CI=true (GitHub sets it in
every job), and a test that cannot exist on this OS is not a missing component. On the runner
where they do run, a missing pwsh or zsh still fails (``require``), so a green Windows or macOS
job proves they ran. `.github/workflows/ci.yml` runs this folder on windows-latest and
macos-latest; on Linux it collects nothing.
"""

from __future__ import annotations

import sys

collect_ignore_glob: list[str] = []
if sys.platform != "win32":
    collect_ignore_glob.append("test_windows_*.py")
if sys.platform != "darwin":
    collect_ignore_glob.append("test_macos_*.py")
