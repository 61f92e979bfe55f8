"""macOS login-shell rules, on a macOS runner with the system's own /bin/bash (3.2) and /bin/zsh.

Terminal.app opens LOGIN shells: bash reads the first of ~/.bash_profile, ~/.bash_login,
~/.profile (not ~/.bashrc); zsh reads ~/.zprofile as a login shell and ~/.zshrc when
interactive. After `setup` in a temp HOME, a brand-new shell of each kind prints exactly the key;
a second run changes nothing; `remove` gives the HOME back byte for byte.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, run_cli, setup_cli, snapshot

PRINT = 'printf "%s" "$DASHSCOPE_API_KEY"'
BASH = "/bin/bash"  # macOS's own bash 3.2, whatever Homebrew put first on PATH
ZSH = "/bin/zsh"


def setup(home: Path, key: str, *shells: str) -> None:
    shell_args = [arg for s in shells for arg in ("--shell", s)]
    proc = setup_cli(home, key + "\n", "--region", "cn-beijing", *shell_args)
    assert proc.returncode == 0, proc.stderr


def sees(home: Path, *argv: str) -> str:
    """A brand-new shell, as Terminal.app or an IDE starts one; the key is never on its argv."""
    proc = subprocess.run(
        list(argv),
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(home),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return proc.stdout


def test_bash_login_shell_reads_a_new_bash_profile(home: Path) -> None:
    key = new_key()
    setup(home, key, "bash")
    assert (home / ".bash_profile").exists()
    assert not (home / ".bashrc").exists()  # no file bash would not read at login
    assert sees(home, BASH, "-lc", PRINT) == key
    assert sees(home, BASH, "-lic", PRINT) == key


def test_bash_login_shell_with_only_a_profile_keeps_using_it(home: Path) -> None:
    """Creating ~/.bash_profile would silently stop bash from reading ~/.profile."""
    (home / ".profile").write_text("export FROM_PROFILE=1\n")
    key = new_key()
    setup(home, key, "bash")
    assert not (home / ".bash_profile").exists()
    assert sees(home, BASH, "-lc", 'printf "%s %s" "$FROM_PROFILE" "$DASHSCOPE_API_KEY"') == f"1 {key}"


def test_bash_with_profile_and_bashrc_covers_login_and_non_login(home: Path) -> None:
    (home / ".bash_profile").write_text("# mine\n")
    (home / ".bashrc").write_text("# mine too\n")
    key = new_key()
    setup(home, key, "bash")
    assert sees(home, BASH, "-lc", PRINT) == key
    assert sees(home, BASH, "-ic", PRINT) == key  # e.g. `bash` typed inside a login shell


@pytest.mark.parametrize(
    "argv", [[ZSH, "-lc", PRINT], [ZSH, "-ic", PRINT], [ZSH, "-lic", PRINT]], ids=["l", "i", "li"]
)
def test_zsh_login_and_interactive_shells_see_the_key(home: Path, argv: list[str]) -> None:
    key = new_key()
    setup(home, key, "zsh")
    assert (home / ".zprofile").exists() and (home / ".zshrc").exists()
    assert sees(home, *argv) == key


def test_second_run_changes_nothing_and_remove_restores_home(home: Path) -> None:
    (home / ".zshrc").write_text("alias ll='ls -l'\n")
    before = snapshot(home)
    key = new_key()
    setup(home, key, "bash", "zsh")
    after_first = snapshot(home)
    setup(home, key, "bash", "zsh")
    assert snapshot(home) == after_first
    proc = run_cli(home, "remove", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert snapshot(home) == before
