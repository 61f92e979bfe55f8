"""`env` output evaluated by real shells; `run` hands the key through the environment only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, clean_env, new_key, require, run_cli, setup_cli


def configured(home: Path, region: str = "cn-beijing") -> str:
    key = new_key()
    result = setup_cli(home, key, "--shell", "bash", "--region", region)
    assert result.returncode == 0, result.stderr
    return key


@pytest.mark.parametrize(
    ("shell", "argv"),
    [
        ("bash", ["bash", "-c"]),
        ("zsh", ["zsh", "-fc"]),
        ("sh", ["dash", "-c"]),
    ],
)
def test_eval_of_env_sets_the_key_in_a_real_shell(home: Path, shell: str, argv: list[str]) -> None:
    require(argv[0])
    key = configured(home, "ap-southeast-1")
    cmd = f'eval "$("{sys.executable}" -m wizard env --shell {shell})"; printf "%s|%s" "$DASHSCOPE_API_KEY" "$DASHSCOPE_HTTP_BASE_URL"'
    env = clean_env(home, PYTHONPATH=str(ROOT))
    out = subprocess.run([*argv, cmd], capture_output=True, text=True, env=env, cwd=str(home), timeout=30)
    assert out.stdout == f"{key}|https://dashscope-intl.aliyuncs.com/api/v1", out.stderr


def test_fish_sources_env_output(home: Path) -> None:
    require("fish")
    key = configured(home)
    cmd = f'"{sys.executable}" -m wizard env --shell fish | source; printf "%s" "$DASHSCOPE_API_KEY"'
    env = clean_env(home, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        ["fish", "-c", cmd], capture_output=True, text=True, env=env, cwd=str(home), timeout=30
    )
    assert out.stdout == key, out.stderr


def test_env_run_and_test_without_a_stored_key_exit_9(home: Path) -> None:
    for argv in (["env", "--shell", "bash"], ["run", "--", "true"], ["test"]):
        result = run_cli(home, *argv)
        assert result.returncode == 9, (argv, result.stderr)
        assert "setup" in result.stderr


def test_run_passes_the_key_in_the_environment_not_argv(home: Path) -> None:
    key = configured(home)
    probe = (
        "import os, sys\n"
        "me = open('/proc/self/cmdline', 'rb').read()\n"
        "parent = open(f'/proc/{os.getppid()}/cmdline', 'rb').read()\n"
        "k = os.environ['DASHSCOPE_API_KEY'].encode()\n"
        "print(len(k), k in me, k in parent)\n"
        "sys.exit(7)\n"
    )
    result = run_cli(home, "run", "--", sys.executable, "-c", probe)
    assert result.returncode == 7
    assert result.stdout.strip() == "35 False False"
    assert key not in result.stdout + result.stderr


def test_run_without_command_is_exit_2(home: Path) -> None:
    configured(home)
    assert run_cli(home, "run").returncode == 2


def test_run_unknown_command_is_exit_127_like_a_shell(home: Path) -> None:
    configured(home)
    result = run_cli(home, "run", "--", "no-such-command-xyz")
    assert result.returncode == 127
    assert "no-such-command-xyz: command not found" in result.stderr
    shell = subprocess.run(["sh", "-c", "no-such-command-xyz"], capture_output=True, check=False)
    assert shell.returncode == result.returncode


@pytest.mark.parametrize(
    ("name", "content", "mode", "words"),
    [
        ("plain.txt", "not a program\n", 0o644, "permission denied"),
        ("folder", None, 0o755, "permission denied"),
        ("no-shebang", "echo hi\n", 0o755, "sh "),
    ],
)
def test_run_command_that_cannot_execute_is_exit_126(
    home: Path, name: str, content: str | None, mode: int, words: str
) -> None:
    configured(home)
    target = home / name
    if content is None:
        target.mkdir()
    else:
        target.write_text(content)
    target.chmod(mode)
    result = run_cli(home, "run", "--", str(target))
    assert result.returncode == 126, result.stderr
    assert str(target) in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr


def test_run_passes_the_childs_exit_code_and_signal_through(home: Path) -> None:
    configured(home)
    assert run_cli(home, "run", "--", "sh", "-c", "exit 42").returncode == 42
    assert run_cli(home, "run", "--", "sh", "-c", "kill -TERM $$").returncode == 128 + 15


def test_env_json_puts_the_key_only_in_the_json_on_stdout(home: Path) -> None:
    import json

    key = configured(home)
    result = run_cli(home, "env", "--shell", "bash", "--json")
    assert result.returncode == 0, result.stderr
    assert key not in result.stderr
    payload = json.loads(result.stdout)
    assert key in payload["snippet"]
