"""OS and shell detection over recorded inputs, one scenario per OS."""

from __future__ import annotations

import pytest

from wizard.shells.detect import OsInfo, detect_os, detect_shell, shell_from_name

LINUX = OsInfo("linux")
MAC = OsInfo("macos")
WIN = OsInfo("windows")

WSL_PROC = "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@941d701f84f1) (gcc (GCC) 12.2.0)"
DEBIAN_PROC = "Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14))"


@pytest.mark.parametrize(
    ("platform", "env", "proc", "expected"),
    [
        ("linux", {}, DEBIAN_PROC, OsInfo("linux")),
        ("linux", {}, WSL_PROC, OsInfo("linux", wsl=True)),
        ("linux", {"WSL_DISTRO_NAME": "Ubuntu"}, None, OsInfo("linux", wsl=True)),
        ("darwin", {}, None, OsInfo("macos")),
        ("win32", {}, None, OsInfo("windows")),
    ],
)
def test_detect_os(platform: str, env: dict[str, str], proc: str | None, expected: OsInfo) -> None:
    assert detect_os(platform, env, proc) == expected


@pytest.mark.parametrize(
    ("name", "shell"),
    [
        ("-bash", "bash"),
        ("/bin/zsh", "zsh"),
        ("/usr/bin/fish", "fish"),
        ("dash", "sh"),
        ("/bin/sh", "sh"),
        ("pwsh", "powershell"),
        ("C:\\Program Files\\PowerShell\\7\\pwsh.exe", "powershell"),
        ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell"),
        ("C:\\Windows\\System32\\cmd.exe", "cmd"),
        ("python3", None),
        ("", None),
    ],
)
def test_shell_from_process_name(name: str, shell: str | None) -> None:
    assert shell_from_name(name) == shell


def test_process_tree_beats_login_shell() -> None:
    guess = detect_shell(LINUX, {"SHELL": "/bin/bash"}, ["/usr/bin/fish"])
    assert (guess.name, guess.source) == ("fish", "process")


def test_linux_falls_back_to_shell_variable() -> None:
    assert detect_shell(LINUX, {"SHELL": "/usr/bin/zsh"}, []).name == "zsh"


def test_macos_default_is_zsh() -> None:
    guess = detect_shell(MAC, {}, [])
    assert (guess.name, guess.source) == ("zsh", "default")


def test_linux_default_is_bash() -> None:
    assert detect_shell(LINUX, {}, []).name == "bash"


def test_windows_powershell_despite_comspec() -> None:
    env = {
        "COMSPEC": "C:\\Windows\\system32\\cmd.exe",
        "PSModulePath": "C:\\Users\\li\\Documents\\PowerShell\\Modules;C:\\Program Files\\PowerShell\\Modules",
    }
    assert detect_shell(WIN, env, []).name == "powershell"


def test_windows_cmd_from_prompt_variable() -> None:
    env = {
        "COMSPEC": "C:\\Windows\\system32\\cmd.exe",
        "PROMPT": "$P$G",
        "PSModulePath": "C:\\Program Files\\WindowsPowerShell\\Modules",
    }
    assert detect_shell(WIN, env, []).name == "cmd"


def test_windows_process_tree_wins() -> None:
    assert detect_shell(WIN, {"PROMPT": "$P$G"}, ["pwsh.exe"]).name == "powershell"
