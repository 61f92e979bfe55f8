"""`env` output evaluated by real shells; `run` hands the key through the environment only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, clean_env, new_key, require, run_cli


def configured(home: Path, region: str = "cn-beijing") -> str:
    key = new_key()
    result = run_cli(
        home, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--region", region, stdin=key
    )
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


def test_env_without_a_stored_key_is_exit_2(home: Path) -> None:
    result = run_cli(home, "env", "--shell", "bash")
    assert result.returncode == 2
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


def test_run_unknown_command_is_exit_2(home: Path) -> None:
    configured(home)
    result = run_cli(home, "run", "--", "no-such-command-xyz")
    assert result.returncode == 2
    assert "no-such-command-xyz" in result.stderr


def test_env_json_puts_the_key_only_in_the_json_on_stdout(home: Path) -> None:
    import json

    key = configured(home)
    result = run_cli(home, "env", "--shell", "bash", "--json")
    assert result.returncode == 0, result.stderr
    assert key not in result.stderr
    payload = json.loads(result.stdout)
    assert key in payload["snippet"]
