"""`dashscope-setup completion SHELL`, loaded into the real shell and asked for completions the way
the shell asks: bash calls the registered function with COMP_WORDS, fish answers `complete -C`, zsh
completes a typed line at a real prompt (pexpect). What is offered must be what the parser accepts.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.conftest import clean_env, require, run_cli
from wizard.cli.commands import COMMANDS
from wizard.regions import REGION_IDS

COMMAND_NAMES = {*COMMANDS, "help"}


def script(home: Path, shell: str, *extra: str) -> Path:
    result = run_cli(home, *extra, "completion", shell)
    assert result.returncode == 0, result.stderr
    path = home / f"completion.{shell}"
    path.write_text(result.stdout)
    return path


# --- bash ----------------------------------------------------------------------------------------


def bash_complete(path: Path, *words: str) -> list[str]:
    line = " ".join(f"'{w}'" for w in words)
    code = (
        f"source '{path}'\n"
        f"COMP_WORDS=({line}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n"
        "$(complete -p dashscope-setup | sed -E 's/.*-F ([^ ]+) .*/\\1/')\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    out = subprocess.run(["bash", "--norc", "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return [w for w in out.stdout.splitlines() if w]


def test_bash_registers_and_completes(home: Path) -> None:
    require("bash")
    path = script(home, "bash")
    registered = subprocess.run(
        ["bash", "--norc", "-c", f"source '{path}'; complete -p dashscope-setup"],
        capture_output=True,
        text=True,
    )
    assert registered.stdout.startswith("complete -F _dashscope_setup dashscope-setup")
    assert bash_complete(path, "dashscope-setup", "st") == ["status"]
    assert set(bash_complete(path, "dashscope-setup", "")) == COMMAND_NAMES
    assert bash_complete(path, "dashscope-setup", "--lang", "zh", "st") == ["status"]  # global option first
    assert bash_complete(path, "dashscope-setup", "setup", "--region", "") == ["auto", *REGION_IDS]
    assert bash_complete(path, "dashscope-setup", "--reg") == ["--region"]  # setup is the default command
    assert bash_complete(path, "dashscope-setup", "--he") == ["--help"]  # once, though two parsers have it
    assert bash_complete(path, "dashscope-setup", "snippet", "--store", "") == ["file", "keyring", "inline"]
    assert bash_complete(path, "dashscope-setup", "--lang", "") == ["zh", "en"]
    assert set(bash_complete(path, "dashscope-setup", "help", "")) == COMMAND_NAMES
    assert {"--live", "--lang"} <= set(bash_complete(path, "dashscope-setup", "status", "--l"))
    (home / "keyfile.txt").write_text("x")
    assert bash_complete(path, "dashscope-setup", "setup", "--key-file", str(home / "keyf")) == [
        str(home / "keyfile.txt")
    ]


def test_bash_completion_follows_the_parser_for_every_command(home: Path) -> None:
    """Every option of every command is offered after the command (read from `COMMAND --help`)."""
    require("bash")
    path = script(home, "bash")
    for name in COMMANDS:
        help_text = run_cli(home, name, "--help").stdout
        options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", help_text))
        assert options <= set(bash_complete(path, "dashscope-setup", name, "--")), name


# --- fish ----------------------------------------------------------------------------------------


def fish_complete(path: Path, line: str) -> list[str]:
    out = subprocess.run(
        ["fish", "--no-config", "-c", f"source '{path}'; complete -C '{line}'"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    return [row.split("\t")[0] for row in out.stdout.splitlines()]


def test_fish_completes(home: Path) -> None:
    require("fish")
    path = script(home, "fish")
    assert fish_complete(path, "dashscope-setup st") == ["status"]
    assert set(fish_complete(path, "dashscope-setup ")) == COMMAND_NAMES
    assert fish_complete(path, "dashscope-setup --lang zh st") == ["status"]
    assert sorted(fish_complete(path, "dashscope-setup setup --region ")) == sorted(["auto", *REGION_IDS])
    assert fish_complete(path, "dashscope-setup --reg") == ["--region"]
    assert sorted(fish_complete(path, "dashscope-setup completion ")) == ["bash", "fish", "zsh"]
    assert set(fish_complete(path, "dashscope-setup help ")) == COMMAND_NAMES


def test_fish_descriptions_follow_the_language(home: Path) -> None:
    require("fish")
    path = script(home, "fish", "--lang", "zh")
    out = subprocess.run(
        ["fish", "--no-config", "-c", f"source '{path}'; complete -C 'dashscope-setup st'"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.stdout.startswith("status\t显示密钥配置在哪里")


# --- zsh -----------------------------------------------------------------------------------------


def zsh_session(home: Path, rc: str) -> pexpect.spawn:
    zdotdir = home / "zdot"
    zdotdir.mkdir(exist_ok=True)
    (zdotdir / ".zshrc").write_text(rc + "\nPS1='READY%# '\nunsetopt beep\n")
    env = clean_env(home, ZDOTDIR=str(zdotdir), TERM="dumb")
    child = pexpect.spawn(
        "zsh", ["-i"], env=env, cwd=str(home), encoding="utf-8", timeout=20, dimensions=(50, 200)
    )
    child.expect("READY# ")
    return child


def zsh_complete(child: pexpect.spawn, line: str) -> str:
    """What the prompt shows after typing `line` and TAB: the completed line and any listing."""
    child.send(line + "\t")
    time.sleep(1.0)
    out = ""
    try:
        while True:
            out += child.read_nonblocking(100000, timeout=0.5)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pass
    child.sendcontrol("c")
    child.expect("READY# ")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out)


@pytest.mark.parametrize("loading", ["eval", "fpath"])
def test_zsh_completes(home: Path, loading: str) -> None:
    require("zsh")
    path = script(home, "zsh")
    if loading == "eval":
        rc = f"autoload -Uz compinit && compinit -u -D\neval \"$(cat '{path}')\""
    else:  # the file saved as _dashscope-setup in a folder of $fpath
        folder = home / "zfunc"
        folder.mkdir()
        (folder / "_dashscope-setup").write_text(path.read_text())
        rc = f"fpath=('{folder}' $fpath)\nautoload -Uz compinit && compinit -u -D"
    child = zsh_session(home, rc)
    assert "dashscope-setup status " in zsh_complete(child, "dashscope-setup st")
    assert "dashscope-setup --lang zh status " in zsh_complete(child, "dashscope-setup --lang zh st")
    assert "dashscope-setup --region " in zsh_complete(child, "dashscope-setup --reg")
    listing = zsh_complete(child, "dashscope-setup setup --region ")
    assert all(r in listing for r in REGION_IDS)
    listing = zsh_complete(child, "dashscope-setup ")
    assert all(f"{name}  " in listing or f"{name} " in listing for name in COMMAND_NAMES)
    assert "bash" in zsh_complete(child, "dashscope-setup completion ")
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_completion_of_the_current_shell_by_default(home: Path) -> None:
    """Without a name, the shell the command runs in (here: bash, as the test's parent says)."""
    require("bash")
    out = subprocess.run(
        ["bash", "--norc", "-c", f'"{sys.executable}" -m wizard completion'],
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(home),
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# bash completion for dashscope-setup")


def test_completion_for_a_shell_without_one_says_which_exist(home: Path) -> None:
    named = run_cli(home, "completion", "powershell")
    assert named.returncode == 2 and "invalid choice: 'powershell'" in named.stderr
    require("sh")
    detected = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m wizard completion'],
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(home),
        timeout=60,
    )
    assert detected.returncode == 2
    assert "No completion script for sh; name one of: bash, zsh, fish" in detected.stderr
