"""A key typed as an argument: refused before anything looks at it, never echoed, and the refusal
tells why and how to get the line out of the shell's history, with commands that work as printed.
The history tests type the bad command into a real interactive shell (pexpect), then the fix from
the message, and look at the shell's own history afterwards.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.conftest import clean_env, require, run_cli
from wizard.messages import t

# How the tool names itself in the commands it prints: the `dashscope-setup` on PATH here is a
# wrapper running `python -m wizard`, not the console script (wizard/invocation.py).
PROG = f"{sys.executable} -m wizard"


def key() -> str:
    return "sk-" + secrets.token_hex(16)


@pytest.mark.parametrize(
    "argv",
    [
        ["--key", "{k}"],
        ["--key={k}"],
        ["setup", "--yes", "--api-key", "{k}"],
        ["{k}"],
        ["setup", "{k}"],
        ["Bearer {k}"],
        ["DASHSCOPE_API_KEY={k}"],
        ["status", "--shell", "{k}"],
        ["--lang", "zh", "test", "--model", "{k}"],
    ],
)
def test_a_key_in_argv_is_refused_and_never_echoed(home: Path, argv: list[str]) -> None:
    k = key()
    result = run_cli(home, *(a.format(k=k) for a in argv))
    assert result.returncode == 2
    assert k not in result.stdout + result.stderr
    assert f"sk-…{k[-4:]}" in result.stderr
    assert "never taken from arguments" in result.stderr or "不接受在命令行参数中写密钥" in result.stderr


def test_an_unprefixed_key_where_the_command_goes_is_refused_too(home: Path) -> None:
    raw = secrets.token_hex(16)
    result = run_cli(home, raw)
    assert result.returncode == 2 and raw not in result.stderr
    assert "A key was given on the command line" in result.stderr


def test_a_key_after_run_dashdash_belongs_to_the_child(home: Path) -> None:
    """`run -- tool sk-…` hands the child its own arguments: not ours to refuse (nor to parse)."""
    result = run_cli(home, "run", "--", "true", key())
    assert "A key was given on the command line" not in result.stderr


def test_the_refusal_is_json_under_json(home: Path) -> None:
    k = key()
    result = run_cli(home, "--json", "--key", k)
    data = json.loads(result.stdout)
    assert (data["exit_code"], data["error"]["id"]) == (2, "err.key_in_argv")
    assert k not in result.stdout + result.stderr


def _wrapper(home: Path) -> Path:
    """`dashscope-setup` on PATH, as an installed copy would be: the message names it so."""
    bin_dir = home / "bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "dashscope-setup"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m wizard "$@"\n')
    script.chmod(0o755)
    return bin_dir


def _commands(message: str, prefix: str) -> list[str]:
    """The commands the message tells the user to run (after `prefix`, up to a dash or the end)."""
    return [m.strip() for m in re.findall(rf"{re.escape(prefix)}(.+?)(?: —|$)", message, re.MULTILINE)]


def spawn_shell(home: Path, argv: list[str], **env: str) -> pexpect.spawn:
    full = clean_env(home, PATH=f"{_wrapper(home)}:{clean_env(home)['PATH']}", TERM="dumb", **env)
    full["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return pexpect.spawn(argv[0], argv[1:], env=full, cwd=str(home), encoding="utf-8", timeout=30)


def run_printed(home: Path, command: str) -> subprocess.CompletedProcess[str]:
    """A command exactly as the message prints it, run by a shell from a new terminal."""
    return subprocess.run(
        ["sh", "-c", command],
        capture_output=True,
        text=True,
        env=clean_env(home, PATH=f"{_wrapper(home)}:{clean_env(home)['PATH']}"),
        cwd=str(home),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def flat(text: str) -> str:
    """Text with every run of spaces and line breaks as one space: as wrapped, or not."""
    return " ".join(text.split())


def test_bash_history_fix_works_as_printed(home: Path) -> None:
    require("bash")
    k = key()
    child = spawn_shell(
        home,
        ["bash", "--norc", "-i"],
        PS1="READY> ",
        HISTFILE=str(home / ".bash_history"),
        PROMPT_COMMAND="history -a",  # many setups write each line at once
    )
    child.expect("READY> ")
    child.sendline("set -o history")
    child.expect("READY> ")
    child.sendline(f"dashscope-setup --key {k}")
    child.expect("READY> ")
    message = child.before.split("\n", 1)[1]  # after the echo of the typed line
    assert k not in message
    forget = t("en", "usage.forget.bash", prog=PROG)
    assert flat(forget) in flat(message)  # wrapped to the terminal's width
    (in_memory,) = _commands(forget, "remove it from this shell's memory: ")
    child.sendline(in_memory)
    child.expect("READY> ")
    child.sendline("history | grep -c sk- ; echo DONE")
    child.expect(r"(\d+)\r?\nDONE")
    # only the `history | grep sk-` line itself matches, not the key
    assert child.match.group(1) == "1"
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert k in (home / ".bash_history").read_text()  # history -a wrote it before the fix
    (scrub,) = _commands(forget, "run: ")
    proc = run_printed(home, scrub)
    assert proc.returncode == 9, proc.stderr  # scrubbed; 9: still no key configured in this HOME
    assert k not in (home / ".bash_history").read_text()


def test_fish_history_fix_works_as_printed(home: Path) -> None:
    require("fish")
    k = key()
    data = home / ".local" / "share"
    # fish --no-config keeps no history, so a plain fish with an empty config; the folder of
    # man-page completions existing spares fish generating them in the background.
    (data / "fish" / "generated_completions").mkdir(parents=True)
    config = home / ".config"
    config.mkdir()
    child = spawn_shell(home, ["fish", "-i"], XDG_DATA_HOME=str(data), XDG_CONFIG_HOME=str(config))
    time.sleep(1.5)
    child.sendline(f"dashscope-setup --key {k}; echo FIRST_DONE")
    child.expect("FIRST_DONE\r\n.*FIRST_DONE")
    forget = t("en", "usage.forget.fish", prog=PROG)
    (command,) = re.findall(r"Remove it with: (.+?) \(", forget)
    child.sendline(command)
    child.expect("all")  # fish asks which matching entries to delete
    child.sendline("all")
    time.sleep(1)
    child.sendline("history | string match -- '*sk-*' | count; echo LISTED")
    child.expect(r"(\d+)\r?\nLISTED")
    assert child.match.group(1) == "1"  # the `history delete --contains sk-` line itself
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert k not in (data / "fish" / "fish_history").read_text()


def test_zsh_history_fix_works_as_printed(home: Path) -> None:
    """zsh cannot drop one line from memory: the message says close the terminal, then scrub."""
    require("zsh")
    k = key()
    zdotdir = home / "zdot"  # a .zshrc of its own, not `zsh -f`: without rc files zsh saves no history
    zdotdir.mkdir()
    (zdotdir / ".zshrc").write_text(
        f"HISTFILE='{home / '.zsh_history'}'\nSAVEHIST=100\nHISTSIZE=100\nPS1='READY> '\n"
    )
    child = spawn_shell(home, ["zsh", "-i"], ZDOTDIR=str(zdotdir))
    child.expect("READY> ")
    child.sendline(f"dashscope-setup --key {k}")
    child.expect("READY> ")
    message = child.before.split("\n", 1)[1]
    assert k not in message and flat(t("en", "usage.forget.zsh", prog=PROG)) in flat(message)
    child.sendline("exit")
    child.expect(pexpect.EOF)
    assert k in (home / ".zsh_history").read_text(errors="replace")
    (scrub,) = _commands(t("en", "usage.forget.zsh", prog=PROG), "in a new one run: ")
    proc = run_printed(home, scrub)
    assert proc.returncode == 9, proc.stderr  # scrubbed; 9: still no key configured in this HOME
    assert k not in (home / ".zsh_history").read_text(errors="replace")
