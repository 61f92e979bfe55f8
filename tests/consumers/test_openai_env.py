"""--openai-env: a NEW bash, zsh or fish runs the real `openai` package with no arguments at all, and its
request reaches the fake's endpoint for the key's region with that key. Without the flag nothing sets
OPENAI_*; `--no-openai-env` and `remove` take the variables out again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import new_key, require, run_cli
from tests.e2e.test_setup_shells import shell_sees
from tests.fakes.dashscope import FakeDashScope

# The OpenAI SDK reads OPENAI_API_KEY and OPENAI_BASE_URL itself: nothing is passed in code.
OPENAI_CALL = (
    "import openai; "
    "r = openai.OpenAI(max_retries=0).chat.completions.create("
    "model='qwen-plus', messages=[{'role': 'user', 'content': 'hi'}]); "
    "print('REPLY', bool(r.choices[0].message.content))"
)
START = {"bash": ["bash", "-ic"], "zsh": ["zsh", "-ic"], "fish": ["fish", "-c"]}


def _setup(home: Path, fake: FakeDashScope, key: str, *extra: str) -> None:
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()}
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--shell", "zsh", "--shell", "fish")
    result = run_cli(home, *args, *extra, stdin=key, env=env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("shell", sorted(START))
def test_a_new_shell_runs_the_openai_sdk_against_the_keys_region(
    home: Path, fake: FakeDashScope, shell: str
) -> None:
    require(shell)
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    _setup(home, fake, key, "--openai-env")
    before = len(fake.requests)
    out = shell_sees(home, [*START[shell], f'{sys.executable} -c "{OPENAI_CALL}"'])
    assert "REPLY True" in out
    calls = [r for r in fake.requests[before:] if r.endpoint == "chat"]
    assert [(r.region, r.key_mask) for r in calls] == [("ap-southeast-1", f"{key[:3]}…{key[-4:]}")]


def test_warned_in_both_languages_and_gone_after_no_openai_env_and_remove(
    home: Path, fake: FakeDashScope
) -> None:
    require("bash")
    key = new_key()
    fake.add_key(key, "cn-beijing")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()}
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--openai-env")
    en = run_cli(home, *args, "--lang", "en", stdin=key, env=env)
    assert "every OpenAI client" in en.stdout + en.stderr
    zh = run_cli(home, *args, "--lang", "zh", stdin=key, env=env)
    assert "所有 OpenAI 客户端" in zh.stdout + zh.stderr
    probe = ["bash", "-ic", 'printf "%s|%s" "${OPENAI_API_KEY-unset}" "${OPENAI_BASE_URL-unset}"']
    assert shell_sees(home, probe) == f"{key}|{fake.url('cn-beijing')}"
    # A later run without the flag keeps what the last one chose; --no-openai-env takes it out.
    again = run_cli(home, "setup", "--yes", "--shell", "bash", stdin="", env=env)
    assert again.returncode == 0, again.stderr
    assert shell_sees(home, probe) == f"{key}|{fake.url('cn-beijing')}"
    off = run_cli(home, "setup", "--yes", "--shell", "bash", "--no-openai-env", env=env)
    assert off.returncode == 0, off.stderr
    assert shell_sees(home, probe) == "unset|unset"
    on = run_cli(home, *args, stdin=key, env=env)
    assert on.returncode == 0
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "unset OPENAI_API_KEY" in removed.stdout
    assert shell_sees(home, probe) == "unset|unset"


def test_env_and_run_hand_the_openai_pair_over_too(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()}
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--openai-env")
    assert run_cli(home, *args, stdin=key, env=env).returncode == 0
    before = len(fake.requests)
    ran = run_cli(home, "run", "--", sys.executable, "-c", OPENAI_CALL, env=env)
    assert "REPLY True" in ran.stdout, ran.stderr
    assert [r.region for r in fake.requests[before:] if r.endpoint == "chat"] == ["us-east-1"]
    printed = run_cli(home, "env", "--shell", "fish", env=env)
    assert f"set -gx OPENAI_BASE_URL '{fake.url('us-east-1')}'" in printed.stdout
    assert "set -gx OPENAI_API_KEY" in printed.stdout
