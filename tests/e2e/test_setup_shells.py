"""After `setup --yes --offline --shell X` in a temp HOME, a NEW real shell prints exactly the key;
a second run changes no byte; `remove` gives back the HOME tree byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, require, run_cli, setup_cli, snapshot

SKEL = Path("/etc/skel")


def shell_sees(home: Path, argv: list[str], extra_env: dict[str, str] | None = None) -> str:
    """Start a brand-new shell and ask it for the variable (the key is never on its argv)."""
    require(argv[0])
    env = clean_env(home, **(extra_env or {}))
    proc = subprocess.run(
        argv, capture_output=True, text=True, env=env, cwd=str(home), stdin=subprocess.DEVNULL, timeout=30
    )
    return proc.stdout


PRINT = 'printf "%s" "$DASHSCOPE_API_KEY"'


def setup_for(
    home: Path, key: str, *shells: str, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    shell_args = [arg for s in shells for arg in ("--shell", s)]
    return setup_cli(home, key + "\n", "--region", "cn-beijing", *shell_args, *extra)


def with_skel(home: Path) -> None:
    for name in (".bashrc", ".profile"):
        if (SKEL / name).exists():
            shutil.copy(SKEL / name, home / name)


CASES = [
    pytest.param("bash", ["bash", "-ic", PRINT], True, id="bash-ic-debian-skel"),
    pytest.param("bash", ["bash", "-ic", PRINT], False, id="bash-ic-empty-home"),
    pytest.param("bash", ["bash", "-lc", PRINT], True, id="bash-lc-debian-skel"),
    pytest.param("bash", ["bash", "-lc", PRINT], False, id="bash-lc-empty-home"),
    pytest.param("bash", ["bash", "-lic", PRINT], True, id="bash-lic-debian-skel"),
    pytest.param("zsh", ["zsh", "-ic", PRINT], False, id="zsh-ic"),
    pytest.param("zsh", ["zsh", "-lc", PRINT], False, id="zsh-lc"),
    pytest.param("fish", ["fish", "-c", PRINT], False, id="fish-c"),
    pytest.param("fish", ["fish", "-l", "-c", PRINT], False, id="fish-lc"),
    pytest.param("sh", ["dash", "-lc", PRINT], True, id="dash-lc-debian-skel"),
    pytest.param("sh", ["dash", "-lc", PRINT], False, id="dash-lc-empty-home"),
]


@pytest.mark.parametrize(("shell", "argv", "skel"), CASES)
def test_new_shell_prints_exactly_the_key(home: Path, shell: str, argv: list[str], skel: bool) -> None:
    require(argv[0])
    if skel:
        with_skel(home)
    key = new_key()
    result = setup_for(home, key, shell)
    assert result.returncode == 0, result.stderr
    assert shell_sees(home, argv) == key


@pytest.mark.parametrize(("shell", "argv", "skel"), CASES)
def test_second_run_changes_no_byte_and_remove_restores_home(
    home: Path, shell: str, argv: list[str], skel: bool
) -> None:
    require(argv[0])
    if skel:
        with_skel(home)
    before = snapshot(home)
    key = new_key()
    assert setup_for(home, key, shell).returncode == 0
    after_first = snapshot(home)
    second = setup_for(home, key, shell, extra=("-v",))  # -v lists each file, and what happened to it
    assert second.returncode == 0
    assert snapshot(home) == after_first
    assert "unchanged" in second.stdout
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert snapshot(home) == before
    assert shell_sees(home, argv) == ""


@pytest.mark.parametrize("argv", [["zsh", "-ic", PRINT], ["zsh", "-lc", PRINT]], ids=["zsh-ic", "zsh-lc"])
def test_zsh_unexported_zdotdir_in_zshenv_gets_the_block(home: Path, argv: list[str]) -> None:
    """oh-my-zsh #10479: ZDOTDIR set (not exported) in ~/.zshenv; $HOME/.zshrc is never read."""
    require("zsh")
    zdot = home / ".config" / "zsh"
    zdot.mkdir(parents=True)
    (home / ".zshenv").write_text('ZDOTDIR="$HOME/.config/zsh"\n')
    (zdot / ".zshrc").write_text("# user's zshrc\n")
    before = snapshot(home)
    key = new_key()
    assert setup_for(home, key, "zsh").returncode == 0
    assert not (home / ".zshrc").exists()
    assert "dashscope-setup" in (zdot / ".zshrc").read_text()
    assert shell_sees(home, argv) == key
    assert run_cli(home, "remove", "--yes").returncode == 0
    assert snapshot(home) == before


def test_zsh_exported_zdotdir_is_used(home: Path) -> None:
    require("zsh")
    zdot = home / "zdot"
    zdot.mkdir()
    key = new_key()
    result = setup_cli(home, key, "--shell", "zsh", "--region", "cn-beijing", env={"ZDOTDIR": str(zdot)})
    assert result.returncode == 0, result.stderr
    assert (zdot / ".zshrc").exists()
    assert not (home / ".zshrc").exists()
    assert shell_sees(home, ["zsh", "-ic", PRINT], {"ZDOTDIR": str(zdot)}) == key


def test_symlinked_zshrc_stays_a_symlink_and_its_target_gets_the_block(home: Path) -> None:
    require("zsh")
    dotfiles = home / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "zshrc").write_text("alias ll='ls -l'\n")
    (home / ".zshrc").symlink_to(dotfiles / "zshrc")
    key = new_key()
    assert setup_for(home, key, "zsh").returncode == 0
    assert (home / ".zshrc").is_symlink()
    assert os.readlink(home / ".zshrc") == str(dotfiles / "zshrc")
    content = (dotfiles / "zshrc").read_text()
    assert content.startswith("alias ll='ls -l'\n")
    assert "# >>> dashscope-setup >>>" in content
    assert shell_sees(home, ["zsh", "-ic", PRINT]) == key


def test_readonly_bashrc_exits_8_and_writes_nothing(home: Path) -> None:
    bashrc = home / ".bashrc"
    bashrc.write_text("# mine\n")
    bashrc.chmod(0o444)
    before = snapshot(home)
    result = setup_for(home, new_key(), "bash")
    assert result.returncode == 8
    assert str(bashrc) in result.stderr
    assert "read-only" in result.stderr
    assert snapshot(home) == before
    assert not (home / ".dashscope").exists()


def test_readonly_bashrc_message_in_chinese(home: Path) -> None:
    bashrc = home / ".bashrc"
    bashrc.write_text("# mine\n")
    bashrc.chmod(0o444)
    result = setup_cli(home, new_key(), "--shell", "bash", "--lang", "zh")
    assert result.returncode == 8
    assert "只读" in result.stderr


def test_non_beijing_region_block_points_the_sdk_at_that_region(home: Path) -> None:
    require("bash")
    key = new_key()
    result = setup_cli(home, key, "--shell", "bash", "--region", "ap-southeast-1")
    assert result.returncode == 0, result.stderr
    out = shell_sees(home, ["bash", "-ic", 'printf "%s|%s" "$DASHSCOPE_HTTP_BASE_URL" "$DASHSCOPE_API_KEY"'])
    assert out == f"https://dashscope-intl.aliyuncs.com/api/v1|{key}"


def test_key_file_path_from_environment_is_honoured(home: Path) -> None:
    require("bash")
    custom = home / "secrets" / "dashscope key"
    key = new_key()
    env = {"DASHSCOPE_API_KEY_FILE_PATH": str(custom)}
    result = setup_cli(home, key, "--shell", "bash", env=env)
    assert result.returncode == 0, result.stderr
    assert custom.read_text() == key + "\n"
    assert not (home / ".dashscope").exists()
    assert shell_sees(home, ["bash", "-ic", PRINT]) == key


@pytest.mark.parametrize("store", ["file", "inline"])
def test_setup_then_remove_restores_home_for_each_store(home: Path, store: str) -> None:
    with_skel(home)
    before = snapshot(home)
    key = new_key()
    result = setup_for(home, key, "bash", "zsh", "fish", "sh", extra=("--store", store))
    assert result.returncode == 0, result.stderr
    assert shell_sees(home, ["bash", "-ic", PRINT]) == key
    assert run_cli(home, "remove", "--yes").returncode == 0
    assert snapshot(home) == before


# --- which shells `setup --yes` configures without --shell ------------------------------------------


KEY = new_key()


def _configured(home: Path, *args: str, **env: str) -> list[str]:
    """The shells `setup --yes --json` configured (run from a bash script, as a provisioning run does)."""
    import json

    command = f'"{sys.executable}" -m wizard setup --yes --offline --key-stdin --json {" ".join(args)}'
    done = subprocess.run(
        [require("bash"), "-c", command],
        input=KEY + "\n",
        capture_output=True,
        text=True,
        env=clean_env(home, **env),
        cwd=str(home),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return [*data["shells"], "changed" if data["changed"] else "unchanged"]


def test_auto_is_the_shells_this_user_uses_and_a_second_run_changes_nothing(home: Path) -> None:
    """A bash user with zsh and fish installed but never started: only bash gets a block (no new
    ~/.zshrc, which would also skip zsh's first-run setup), and the ~/.profile written for it does
    not make the next run count more shells: the second run writes nothing."""
    for name in ("zsh", "fish", "bash"):
        require(name)
    (home / ".bashrc").write_text("alias ll='ls -l'\n")
    assert _configured(home, SHELL="/bin/bash") == ["bash", "changed"]
    assert not (home / ".zshrc").exists() and not (home / ".config" / "fish").exists()
    assert _configured(home, SHELL="/bin/bash") == ["bash", "unchanged"]

    # A ~/.zshrc of the user's own: zsh is used, and the next run adds it.
    (home / ".zshrc").write_text("setopt autocd\n")
    assert _configured(home, SHELL="/bin/bash") == ["bash", "zsh", "changed"]
    # `auto` said outright means the same.
    assert _configured(home, "--shell", "auto", SHELL="/bin/bash") == ["bash", "zsh", "unchanged"]
