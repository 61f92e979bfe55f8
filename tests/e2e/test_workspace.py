"""--workspace: Frankfurt and Tokyo exist only as workspace hosts. A workspace key is found across the
workspace hosts and answers the live check (through the fake, which stands in for those hosts), and a
NEW shell's dashscope SDK resolves the workspace host for all three of its URLs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import new_key, require, run_cli
from tests.e2e.test_sdk_urls import PROBE
from tests.e2e.test_setup_shells import shell_sees
from tests.fakes.dashscope import REGION_IDS, FakeDashScope

WS = "ws-Demo_1"


@pytest.fixture
def fake6() -> Iterator[FakeDashScope]:
    fake = FakeDashScope(regions=(*REGION_IDS, "eu-central-1", "ap-northeast-1"))
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def test_frankfurt_workspace_sdk_urls_in_a_new_bash(home: Path) -> None:
    require("bash")
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash")
    result = run_cli(home, *args, "--region", "eu-central-1", "--workspace", WS, stdin=new_key())
    assert result.returncode == 0, result.stderr
    host = f"{WS}.eu-central-1.maas.aliyuncs.com"
    out = shell_sees(
        home, ["bash", "-ic", f'{sys.executable} -c "{PROBE}"; printf %s "$DASHSCOPE_WORKSPACE_ID"']
    )
    assert out.split() == [
        f"https://{host}/api/v1",
        f"https://{host}/compatible-mode/v1",
        f"wss://{host}/api-ws/v1/inference",
        WS,
    ]
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "DASHSCOPE_WORKSPACE_ID" in removed.stdout


def test_a_frankfurt_workspace_key_is_found_and_answers_the_live_check(
    home: Path, fake6: FakeDashScope
) -> None:
    require("bash")
    key = new_key()
    fake6.add_key(key, "eu-central-1")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake6.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "2"}
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--json", "--workspace", WS)
    result = run_cli(home, *args, stdin=key, env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["region"], data["check"]["status"]) == ("eu-central-1", "ok")
    assert any(r.region == "eu-central-1" for r in fake6.recorded())
    # Without the workspace the workspace-only regions are not asked: every shared host refuses the key.
    fake6.requests.clear()
    other = home / "other"
    other.mkdir()
    plain = run_cli(other, *args[:-2], stdin=key, env=env)
    assert plain.returncode == 3, plain.stderr
    assert {r.region for r in fake6.recorded()} <= set(REGION_IDS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_frankfurt_without_a_workspace_is_a_usage_error(home: Path, lang: str) -> None:
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--lang", lang)
    result = run_cli(home, *args, "--region", "eu-central-1", stdin=new_key())
    assert result.returncode == 2
    assert "--workspace" in result.stderr
    assert not (home / ".bashrc").exists() or "dashscope" not in (home / ".bashrc").read_text()


@pytest.mark.parametrize("bad", ["-ws", "a/b", "x" * 65, "ws.evil.example"])
def test_a_workspace_id_that_cannot_be_a_host_label_is_refused(home: Path, bad: str) -> None:
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--region", "cn-beijing")
    result = run_cli(home, *args, f"--workspace={bad}", stdin=new_key())
    assert result.returncode == 2, result.stderr
    assert "workspace" in result.stderr.lower()
